// The formatter for people, in namerctl's style: one dentry per line, `=>` aligned, every dentry
// ending in ` ;`. Paths, labels and weights are printed exactly as written (so the formatted dtab
// is the same dtab, weights included), comments are kept, and formatting twice changes nothing.

import type { DentrySyntax, DtabSyntax, Span, TreeSyntax } from '../syntax/ast.js';
import { TOKEN_TEXT } from '../model/nametree.js';

export interface FormatOptions {
  /** Line ending; by default the input's first one (or `\n`). */
  readonly eol?: string;
}

type Item =
  | { kind: 'comment'; text: string; blankBefore: boolean }
  | { kind: 'entry'; entry: DentrySyntax; trailing: string | undefined; blankBefore: boolean };

/** The formatted text, or undefined when the dtab has syntax errors (nothing is guessed). */
export function formatDtab(syntax: DtabSyntax, options: FormatOptions = {}): string | undefined {
  if (syntax.errors.length > 0) return undefined;
  const src = syntax.text;
  const eol = options.eol ?? (src.includes('\r\n') ? '\r\n' : '\n');
  const entries = syntax.entries as readonly DentrySyntax[];
  const items: Item[] = [];
  let ci = 0;
  const comments = syntax.comments;
  let lastEnd = 0;
  // The first line break at or after an offset; asked in increasing order, so one pass in all
  // (a search per dentry up to a comment far below would be quadratic on a long line).
  // Stryker disable next-line UnaryOperator: the first call asks from a dentry's end, at least 4 (`/=>~`), so -1 and 1 both recompute
  let newlineAt = -1;
  const newlineFrom = (from: number) => {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: recomputing finds the same line break (a cache)
    if (newlineAt < from) {
      newlineAt = src.indexOf('\n', from);
      // Stryker disable next-line EqualityOperator: the search starts at a dentry's end (> 0), so it never returns 0
      if (newlineAt < 0) newlineAt = src.length;
    }
    return newlineAt;
  };

  const pushComment = (c: Span) => {
    items.push({ kind: 'comment', text: src.slice(c.start, c.end).trimEnd(), blankBefore: hasBlankLine(src, lastEnd, c.start) });
    lastEnd = c.end;
  };

  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const end = e.semicolon ? e.semicolon.end : e.end;
    // Comments before this dentry, and inside it (moved above it: they have no place on one line).
    while (ci < comments.length && comments[ci]!.start < end) pushComment(comments[ci++]!);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: `items.length > 0` is redundant: the output loop never starts with a blank line
    const blankBefore = hasBlankLine(src, lastEnd, e.start) && items.length > 0;
    // A comment that starts on the line where the dentry ends stays at the end of that line.
    let trailing: string | undefined;
    const next = comments[ci];
    // Stryker disable next-line EqualityOperator: a comment never starts at a line break or past the end
    if (next && newlineFrom(end) >= next.start) {
      const nextEntry = entries[k + 1];
      // Stryker disable next-line EqualityOperator: a comment and a dentry never start at the same offset
      if (!nextEntry || next.start < nextEntry.start) {
        trailing = src.slice(next.start, next.end).trimEnd();
        ci++;
        lastEnd = next.end;
      }
    }
    // Stryker disable next-line StringLiteral: only kind 'comment' is tested for
    items.push({ kind: 'entry', entry: e, trailing, blankBefore });
    // Stryker disable next-line ConditionalExpression: ('true') between the dentry's end and a trailing comment's end there is no line break and the comment's `#` resets the count
    if (trailing === undefined) lastEnd = end;
  }
  while (ci < comments.length) pushComment(comments[ci++]!);

  const prefixes = entries.map((e) => src.slice(e.prefix.start, e.prefix.end));
  const width = prefixes.reduce((m, p) => Math.max(m, p.length), 0);
  const lines: string[] = [];
  let k = 0;
  for (const item of items) {
    if (item.blankBefore && lines.length > 0) lines.push('');
    if (item.kind === 'comment') {
      lines.push(item.text);
      continue;
    }
    const prefix = prefixes[k++]!;
    let line = `${prefix.padEnd(width)}  => ${printTree(src, item.entry.dst)} ;`;
    if (item.trailing !== undefined) line += `  ${item.trailing}`;
    lines.push(line);
  }
  return lines.length === 0 ? '' : lines.join(eol) + eol;
}

function hasBlankLine(src: string, from: number, to: number): boolean {
  let newlines = 0;
  // Stryker disable next-line EqualityOperator: the character at `to` starts a comment or a dentry, never a line break
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x0a) {
      if (++newlines >= 2) return true;
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) newlines = 0;
  }
  return false;
}

/**
 * A destination on one line: ` | ` and ` & ` between terms, `w * term`, groups as written.
 * Recursive: parsed trees are shallow (MAX_NESTING), however long the text.
 */
export function printTree(src: string, t: TreeSyntax): string {
  switch (t.kind) {
    case 'leaf':
      return src.slice(t.path.start, t.path.end);
    case 'alt':
      return t.branches.map((b) => printTree(src, b)).join(' | ');
    case 'union':
      return t.branches.map((b) => (b.weight ? `${b.weight.text} * ` : '') + printTree(src, b.tree)).join(' & ');
    case 'weighted':
      return `${t.weight.text} * ${printTree(src, t.tree)}`;
    case 'group':
      return `(${printTree(src, t.tree)})`;
    case 'neg':
    case 'fail':
    case 'empty':
      return TOKEN_TEXT[t.kind];
  }
}
