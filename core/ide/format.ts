// Formatting as edits: the whole dtab (namerctl style), or the dentries in a range.

import { formatDtab, printTree } from '../print/format.js';
import type { DtabAnalysis } from './analysis.js';
import type { SpanEdit } from './navigation.js';

/** The whole dtab formatted, as one edit; none when already formatted or not parseable. */
export function formatEdits(a: DtabAnalysis): SpanEdit[] {
  const formatted = formatDtab(a.syntax);
  if (formatted === undefined || formatted === a.text) return [];
  return [{ span: { start: 0, end: a.text.length }, text: formatted }];
}

/**
 * Formats the dentries that lie in [from, to] (aligned with the rest of the dtab). Dentries with
 * comments inside are left alone: on one line there is no place to keep them.
 */
export function formatRangeEdits(a: DtabAnalysis, from: number, to: number): SpanEdit[] {
  if (a.syntax.errors.length > 0) return [];
  const src = a.text;
  let width = 0;
  for (const d of a.dentries) width = Math.max(width, d.prefix.end - d.prefix.start);
  const comments = a.syntax.comments;
  const edits: SpanEdit[] = [];
  let ci = 0;
  for (const d of a.dentries) {
    const end = d.semicolon ? d.semicolon.end : d.end;
    if (end < from || d.start > to) continue;
    while (ci < comments.length && comments[ci]!.start <= d.start) ci++;
    if (ci < comments.length && comments[ci]!.start < end) continue;
    const text = `${src.slice(d.prefix.start, d.prefix.end).padEnd(width)}  => ${printTree(src, d.dst)} ;`;
    if (src.slice(d.start, end) !== text) edits.push({ span: { start: d.start, end }, text });
  }
  return edits;
}
