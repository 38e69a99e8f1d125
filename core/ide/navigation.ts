// Go to definition, find references and rename, on offsets in a dtab's text.

import { prefixMatches } from '../model/dtab.js';
import type { Span } from '../syntax/ast.js';
import { leaves, locate } from '../syntax/locate.js';
import { parseDtab } from '../syntax/parser.js';
import type { DtabAnalysis } from './analysis.js';

const spanOf = (s: Span): Span => ({ start: s.start, end: s.end });

/** A text edit in the dtab's own offsets. */
export interface SpanEdit {
  readonly span: Span;
  readonly text: string;
}

/**
 * From a path: the dentries that rewrite it next (latest first), as their prefixes' spans. Up to the
 * label under the cursor, or the whole path; a path whose rest comes at run time (a prefix of
 * longer prefixes) also leads to those.
 */
export function definition(a: DtabAnalysis, offset: number): Span[] {
  const chain = locate(a.syntax, offset);
  const path = chain.find((l) => l.kind === 'path');
  if (!path || path.kind !== 'path') return [];
  const label = chain.find((l) => l.kind === 'label');
  const labels = path.node.labels;
  const upTo = label && label.kind === 'label' ? label.elemIndex + 1 : labels.length;
  const target = labels.slice(0, upTo).map((l) => l.value);
  const hits = a.dtab.matches(target).map((m) => m.index);
  const hit = new Set(hits);
  const longer: number[] = [];
  for (let i = a.dentries.length - 1; i >= 0; i--) {
    const d = a.dentries[i]!;
    if (hit.has(i) || d.prefix.elems.length <= target.length) continue;
    if (prefixMatches(a.dtab.dentries[i]!.prefix.slice(0, target.length), target)) longer.push(i);
  }
  const out: Span[] = [];
  for (const i of [...hits, ...longer]) out.push(spanOf(a.dentries[i]!.prefix));
  return out;
}

/** From a dentry's prefix: every destination path that this dentry rewrites (and the prefix itself). */
export function references(a: DtabAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const chain = locate(a.syntax, offset);
  const entry = chain[0];
  const inPrefix = chain.some((l) => l.kind === 'prefix');
  if (!entry || entry.kind !== 'entry' || entry.node.kind !== 'dentry' || !inPrefix) return [];
  const index = a.dentries.indexOf(entry.node);
  const prefix = a.dtab.dentries[index]!.prefix;
  const out: Span[] = includeDeclaration ? [spanOf(entry.node.prefix)] : [];
  for (const d of a.dentries) {
    for (const leaf of leaves(d.dst)) {
      const p = leaf.path.labels.map((l) => l.value);
      // Matched as written, or once the rest of the request's path is appended at run time.
      const reaches = prefixMatches(prefix, p) || (p.length < prefix.length && prefixMatches(prefix.slice(0, p.length), p));
      if (reaches) out.push(spanOf(leaf.path));
    }
  }
  return out;
}

/** The label under the cursor and its text, if it is a label that can be renamed. */
export function prepareRename(a: DtabAnalysis, offset: number): { span: Span; placeholder: string } | undefined {
  const label = locate(a.syntax, offset).find((l) => l.kind === 'label');
  if (!label || label.kind !== 'label' || label.node.kind !== 'label') return undefined;
  return { span: { start: label.node.start, end: label.node.end }, placeholder: a.text.slice(label.node.start, label.node.end) };
}

/** Why `name` cannot be a label, or undefined when it can. */
export function labelProblem(name: string): string | undefined {
  if (name.includes('/') || parseDtab(`/${name}=>/`).errors.length > 0)
    return `\`${name}\` is not a label: use letters, digits and _ : . # $ % - or \\xHH escapes`;
  return undefined;
}

export class RenameError extends Error {
  override name = 'RenameError';
}

/**
 * Renames the label under the cursor everywhere it names the same thing: the same label at the
 * same depth after the same leading labels (any label where the cursor's prefix has a wildcard), in
 * prefixes and destination paths alike. Undefined
 * when the cursor is not on a label; throws RenameError for a name that is not a label.
 */
export function rename(a: DtabAnalysis, offset: number, newName: string): SpanEdit[] | undefined {
  const chain = locate(a.syntax, offset);
  const label = chain.find((l) => l.kind === 'label');
  if (!label || label.kind !== 'label' || label.node.kind !== 'label') return undefined;
  const problem = labelProblem(newName);
  if (problem) throw new RenameError(problem);
  const owner = chain.find((l) => l.kind === 'prefix' || l.kind === 'path');
  if (!owner || (owner.kind !== 'prefix' && owner.kind !== 'path')) return undefined;
  const elems = owner.kind === 'prefix' ? owner.node.elems : owner.node.labels;
  const k = label.elemIndex;
  const lead = elems.slice(0, k + 1).map((e) => (e.kind === 'label' ? e.value : undefined));
  const edits: SpanEdit[] = [];
  const consider = (list: readonly { kind: string; start: number; end: number; value?: string }[]) => {
    if (list.length <= k) return;
    for (let i = 0; i <= k; i++) {
      const e = list[i]!;
      // A wildcard before the renamed label stands for any label there (`/a/*/x` names `/a/b/x`).
      if (lead[i] === undefined && i < k) continue;
      if (e.kind !== 'label' || e.value !== lead[i]) return;
    }
    edits.push({ span: { start: list[k]!.start, end: list[k]!.end }, text: newName });
  };
  for (const e of a.syntax.entries) {
    if (e.kind === 'broken') {
      if (e.prefix) consider(e.prefix.elems);
      continue;
    }
    consider(e.prefix.elems);
    for (const leaf of leaves(e.dst)) consider(leaf.path.labels);
  }
  return edits;
}
