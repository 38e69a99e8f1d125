// Outline, folding, selection ranges, and the paths worth delegating in a dtab.

import { showPath } from '../print/show.js';
import { printTree } from '../print/format.js';
import type { Span } from '../syntax/ast.js';
import { leaves, locate } from '../syntax/locate.js';
import { parsePath } from '../syntax/parser.js';
import type { DtabAnalysis } from './analysis.js';

export interface DtabSymbol {
  /** The prefix as written. */
  readonly name: string;
  /** `=> destination` in the formatter's form, or "(syntax error)". */
  readonly detail: string;
  /** The whole dentry, its `;` included. */
  readonly span: Span;
  /** The prefix. */
  readonly selection: Span;
}

/** One symbol per dentry (broken ones too, when their prefix parsed). */
export function symbols(a: DtabAnalysis): DtabSymbol[] {
  const src = a.text;
  const out: DtabSymbol[] = [];
  for (const e of a.syntax.entries) {
    if (e.kind === 'dentry') {
      out.push({
        name: src.slice(e.prefix.start, e.prefix.end),
        detail: `=> ${printTree(src, e.dst)}`,
        span: { start: e.start, end: e.semicolon ? e.semicolon.end : e.end },
        selection: { start: e.prefix.start, end: e.prefix.end },
      });
    } else if (e.prefix) {
      out.push({
        name: src.slice(e.prefix.start, e.prefix.end),
        detail: '(syntax error)',
        span: { start: e.start, end: e.end },
        selection: { start: e.prefix.start, end: e.prefix.end },
      });
    }
  }
  return out;
}

export interface Fold {
  /** 0-based lines, in the file that holds the dtab. */
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: 'comment' | 'region';
}

/** Runs of comment lines, and dentries written over several lines. */
export function folding(a: DtabAnalysis): Fold[] {
  const out: Fold[] = [];
  let runStart = -1;
  let runEnd = -1;
  for (const c of a.syntax.comments) {
    const line = a.line(c.start);
    if (line === runEnd + 1 && runStart >= 0) runEnd = line;
    else {
      if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
      runStart = runEnd = line;
    }
  }
  if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
  for (const e of a.syntax.entries) {
    const start = a.line(e.start);
    const end = a.line(e.end);
    if (end > start) out.push({ startLine: start, endLine: end, kind: 'region' });
  }
  return out;
}

/** The spans around an offset, innermost first, each strictly larger than the one before. */
export function selectionSpans(a: DtabAnalysis, offset: number): Span[] {
  const chain = locate(a.syntax, offset);
  const out: Span[] = [{ start: 0, end: a.text.length }];
  for (const l of chain) {
    const span = l.kind === 'entry' ? { start: l.node.start, end: l.node.semicolon ? l.node.semicolon.end : l.node.end } : { start: l.node.start, end: l.node.end };
    const last = out[out.length - 1]!;
    if (last.start === span.start && last.end === span.end) continue;
    out.push(span);
  }
  return out.reverse();
}

/** At most this many suggested paths. */
export const MAX_SUGGESTIONS = 200;

/**
 * Paths worth delegating, most useful first: the literal prefixes; the names that reach a more
 * specific dentry through another (with `/svc => /host` and `/host/world => …`, `/svc/world`);
 * paths named in the comments; then the paths the destinations use (not `/$/`).
 */
export function suggestPaths(a: DtabAnalysis): string[] {
  const src = a.text;
  const out = new Set<string>();
  const add = (p: string) => {
    if (out.size < MAX_SUGGESTIONS) out.add(p);
  };
  const literal = (i: number) => !a.dentries[i]!.prefix.elems.some((e) => e.kind === 'wildcard');
  for (let i = 0; i < a.dentries.length; i++) if (literal(i)) add(src.slice(a.dentries[i]!.prefix.start, a.dentries[i]!.prefix.end));
  // One rewrite backwards: A => L, and B's prefix starts with L and is longer: A + rest of B.
  for (const p of a.dtab.reachingNames(MAX_SUGGESTIONS - out.size)) add(showPath(p));
  for (const c of a.syntax.comments) {
    for (const word of src.slice(c.start, c.end).split(/[\s,;()"'`]+/)) {
      const w = word.replace(/[.:!?]+$/, '');
      if (!w.startsWith('/') || w.length < 2) continue;
      const p = parsePath(w);
      if (p.ok) add(w);
    }
  }
  for (const d of a.dentries) for (const leaf of leaves(d.dst)) if (!src.startsWith('/$/', leaf.start)) add(src.slice(leaf.start, leaf.end));
  return [...out];
}
