// Completion: where the cursor is in the dentry being written, read from the parser itself (the
// text of the dentry up to the cursor, with one label character put at the cursor, as IDEs parse
// with a dummy identifier), then the prefixes of the dtab, `/#/` and `/$/` namers with placeholder
// snippets, and `=>`, `|`, `&`, `;` where they fit.

import { CONFIGURED_NAMERS } from '../explain.js';
import { SYSTEM_NAMERS } from '../delegate/system-namers.js';
import type { Span } from '../syntax/ast.js';
import { leaves, locate } from '../syntax/locate.js';
import { parseDentry, parsePrefix } from '../syntax/parser.js';
import type { DtabAnalysis } from './analysis.js';

export type CompletionContext =
  | { readonly kind: 'prefix'; readonly token: number }
  | { readonly kind: 'arrow' }
  | { readonly kind: 'term'; readonly token: number }
  | { readonly kind: 'operator' }
  | { readonly kind: 'none' };

export type CompletionKind = 'operator' | 'namer' | 'system-namer' | 'path' | 'token' | 'snippet';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Replaces this span (up to the cursor) with `text`. */
  readonly edit?: { readonly span: Span; readonly text: string };
  /** Inserted at the cursor when there is no edit. */
  readonly insertText?: string;
  /** `text`/`insertText` is a snippet with `${1:…}` placeholders. */
  readonly snippet?: boolean;
  readonly sortText?: string;
  readonly filterText?: string;
}

/** Where the dentry the cursor is in starts: the entry it is in, or the cursor in a gap. */
function statementStart(a: DtabAnalysis, offset: number): number {
  const entries = a.syntax.entries;
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.start < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return offset;
  const e = entries[found]!;
  // Past its `;`: a new dentry starts.
  if (e.semicolon && e.semicolon.start < offset) return offset;
  return e.start;
}

function inComment(a: DtabAnalysis, offset: number): boolean {
  const cs = a.syntax.comments;
  let lo = 0;
  let hi = cs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cs[mid]!;
    if (c.end < offset) lo = mid + 1;
    else if (c.start >= offset) hi = mid - 1;
    else return true;
  }
  return false;
}

/** The dummy label character put at the cursor. */
const DUMMY = 'x';

export function completionContext(a: DtabAnalysis, offset: number): CompletionContext {
  if (inComment(a, offset)) return { kind: 'none' };
  const start = statementStart(a, offset);
  // A line that starts a dentry (`/prefix =>`) starts one, as the parser resumes after an error
  // (`/svc => ⏎ /svc/x => /srv` is a dentry missing its destination, then a new one).
  const text = a.text;
  let line = text.lastIndexOf('\n', offset - 1) + 1;
  while (line < offset && (text[line] === ' ' || text[line] === '\t')) line++;
  if (line > 0 && line < start && !text.slice(line, offset).includes(';')) {
    const head = parseDentry(text.slice(line, offset) + DUMMY);
    if (head.ok || (head.error.input.includes('=>') && head.error.index > head.error.input.indexOf('=>'))) {
      const ctx = contextFrom(line, offset, text.slice(line, offset), head, a);
      if (ctx.kind !== 'none') return ctx;
    }
  }
  const before = text.slice(start, offset);
  return contextFrom(start, offset, before, parseDentry(before + DUMMY), a);
}

function contextFrom(start: number, offset: number, before: string, r: ReturnType<typeof parseDentry>, a: DtabAnalysis): CompletionContext {
  if (r.ok) {
    // The dummy extended a label: the prefix, or a destination path.
    const d = r.value;
    const at = before.length;
    if (d.prefix.start <= at && at <= d.prefix.end) return { kind: 'prefix', token: start + d.prefix.start };
    for (const leaf of leaves(d.dst)) if (leaf.start <= at && at <= leaf.end) return { kind: 'term', token: start + leaf.start };
    return { kind: 'none' };
  }
  const e = r.error;
  if (e.index === before.length + DUMMY.length && e.expected === "'='") {
    // The dummy ended a prefix that needs its `=>`: the cursor is in the prefix.
    const p = parsePrefix(before + DUMMY);
    if (p.ok) return { kind: 'prefix', token: start + p.value.start };
  }
  if (e.index !== before.length) {
    // The dummy made a label inside a path that then broke later, or the text before the cursor
    // has an error of its own: use what the tree says about the cursor, else nothing.
    const chain = locate(a.syntax, offset);
    const path = chain.find((l) => l.kind === 'path');
    if (path && path.kind === 'path') return { kind: 'term', token: path.node.start };
    return { kind: 'none' };
  }
  switch (e.expected) {
    case "'/'":
      return { kind: 'prefix', token: offset };
    case "'='":
      return { kind: 'arrow' };
    case 'simple':
      return { kind: 'term', token: offset };
    case 'end of input':
      return { kind: 'operator' };
    default:
      return { kind: 'none' };
  }
}

function snippetOf(shape: string): string {
  let n = 0;
  return shape.replace(/<([^>]+)>/g, (_, name: string) => `\${${++n}:${name.replace(/[}$\\]/g, '')}}`).replace(/…/g, '');
}

/** At most this many names are offered at once; typing more narrows them (the list is incomplete). */
export const MAX_NAMES = 200;

/** The completions at `offset` (`ctx`: its completion context, when the caller has it already). */
export function complete(a: DtabAnalysis, offset: number, ctx: CompletionContext = completionContext(a, offset)): Completion[] {
  const text = a.text;
  const replace = (from: number): Span => ({ start: from, end: offset });
  switch (ctx.kind) {
    case 'none':
      return [];
    case 'arrow':
      return [{ label: '=>', kind: 'operator', detail: 'rewrite to', insertText: '=> ', sortText: '0' }];
    case 'operator':
      return [
        { label: '|', kind: 'operator', detail: 'alternative: fall back if the left side is negative', insertText: '| ' },
        { label: '&', kind: 'operator', detail: 'union: split traffic by weight', insertText: '& ' },
        { label: ';', kind: 'operator', detail: 'end of the dentry', insertText: ';' },
      ];
    case 'prefix':
      return prefixItems(a, replace(ctx.token), false, text.slice(ctx.token, offset), offset);
    case 'term': {
      const typed = text.slice(ctx.token, offset);
      const span = replace(ctx.token);
      const items: Completion[] = [];
      if (typed === '' || '/#/'.startsWith(typed) || typed.startsWith('/#')) {
        for (const n of CONFIGURED_NAMERS) {
          items.push({ label: `/#/${n.kind}`, kind: 'namer', detail: n.shape, documentation: n.doc, edit: { span, text: snippetOf(n.shape) }, snippet: true, filterText: `/#/${n.kind}`, sortText: `2${n.kind}` });
        }
      }
      if (typed === '' || '/$/'.startsWith(typed) || typed.startsWith('/$')) {
        for (const n of SYSTEM_NAMERS) {
          items.push({ label: `/$/${n.kind}`, kind: 'system-namer', detail: n.shape, documentation: n.doc, edit: { span, text: snippetOf(n.shape) }, snippet: true, filterText: `/$/${n.kind}`, sortText: `3${n.kind}` });
        }
      }
      if (!typed.startsWith('/#') && !typed.startsWith('/$')) items.push(...prefixItems(a, span, true, typed, offset));
      if (typed === '') {
        items.push(
          { label: '~', kind: 'token', detail: 'negative: not handled here, fall back', sortText: '4~' },
          { label: '!', kind: 'token', detail: 'fail: the request fails, no fallback', sortText: '4!' },
          { label: '$', kind: 'token', detail: 'empty: exists, but no endpoints', sortText: '4$' },
          { label: 'weight * path', kind: 'snippet', detail: 'a weighted union branch', insertText: '${1:1} * ${2:/path}', snippet: true, sortText: '5' },
        );
      }
      return items;
    }
  }
}

/**
 * The prefixes written in this dtab (and, for a prefix being written, the paths its destinations
 * use), starting with `typed`. As a destination, the prefix of the dentry being written is left
 * out: `/svc/x => /svc/x` only loops.
 */
function prefixItems(a: DtabAnalysis, span: Span, asDestination: boolean, typed: string, offset: number): Completion[] {
  const src = a.text;
  const seen = new Map<string, string>();
  let own: string | undefined;
  if (asDestination) {
    const e = locate(a.syntax, offset)[0] ?? locate(a.syntax, statementStart(a, offset))[0];
    const p = e && e.kind === 'entry' ? (e.node.kind === 'dentry' ? e.node.prefix : e.node.prefix) : undefined;
    if (p) own = src.slice(p.start, p.end);
  }
  // Only what starts with `typed` is made into a string, and only until the list is full: this runs
  // on every keystroke, over every dentry of the file.
  const matches = (s: Span) => s.end - s.start >= typed.length && src.startsWith(typed, s.start);
  const consider = (p: string, detail: () => string) => {
    if (p !== own && !seen.has(p)) seen.set(p, detail());
  };
  for (const d of a.dentries) {
    if (seen.size >= MAX_NAMES) break;
    if (!matches(d.prefix)) continue;
    const p = src.slice(d.prefix.start, d.prefix.end);
    if (asDestination && p.includes('*')) continue;
    consider(p, () => `prefix of line ${a.line(d.start) + 1}`);
  }
  if (!asDestination) {
    for (const d of a.dentries) {
      if (seen.size >= MAX_NAMES) break;
      for (const leaf of leaves(d.dst)) {
        if (seen.size >= MAX_NAMES || !matches(leaf)) continue;
        const p = src.slice(leaf.start, leaf.end);
        if (!p.startsWith('/#/') && !p.startsWith('/$/')) consider(p, () => 'used as a destination');
      }
    }
  }
  return [...seen].map(([p, detail]) => ({ label: p, kind: 'path' as const, detail, edit: { span, text: p }, sortText: `1${p}` }));
}
