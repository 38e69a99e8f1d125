// Canary edits of dtab text: one dentry's destination replaced, every other byte of the text kept
// (comments, spacing, line ends, the other dentries). The dentry is found with the parser's spans,
// never by searching the text.
//
// Which dentry: the LAST one whose prefix is the logical name's prefix. Finagle's Dtab.lookup tries
// later dentries first, so the last one is the one that routes the name (an earlier one with the
// same prefix is only reached when the later one's destination is negative). Rewriting it is what
// shifts the traffic; earlier ones are left as they are.

import type { DentrySyntax, DtabSyntax, Span } from '../syntax/ast.js';
import { parseDentry, parseDtab, parsePrefix, parseTree } from '../syntax/parser.js';
import { lowerDentry, lowerPrefix, lowerTree } from '../syntax/lower.js';
import { showDentry, showPathTree, showPrefix } from '../print/show.js';
import { printTree } from '../print/format.js';
import type { Prefix } from '../model/dtab.js';
import { CanaryError } from './errors.js';
import { finishedDestination, weightedDestination } from './weights.js';

/** A dtab text with one dentry changed. */
export interface DentryEdit {
  /** The whole new text. */
  readonly text: string;
  /** Where the changed dentry now is in `text` (its prefix to the end of its destination; no `;`). */
  readonly range: Span;
  /** `text.slice(range.start, range.end)`. */
  readonly dentryText: string;
  /** The dentry text that was there before. */
  readonly replaced: string;
}

export interface RewriteOptions {
  /** The logical name's prefix, e.g. `/host/world`. */
  readonly prefix: string;
  /** The destination the traffic comes from, e.g. `/srv/world-v1`. */
  readonly stable: string;
  /** The destination the traffic goes to, e.g. `/srv/world-v2`. */
  readonly canary: string;
  /** The canary's share, 0 to 100 (at most two decimals). */
  readonly percent: number;
  /**
   * What the canary last wrote to this dentry (its whole text). When given, the dentry found must
   * still be that (byte for byte, or the same dentry in Finagle's printed form, so a reformatted
   * file is not a conflict); otherwise a 'conflict' error and nothing changes.
   */
  readonly expect?: string;
}

function readPrefix(prefix: string): Prefix {
  const r = parsePrefix(prefix);
  if (!r.ok) throw new CanaryError('invalid', `${JSON.stringify(prefix)} is not a dentry prefix: ${r.error.plain}`);
  return lowerPrefix(r.value);
}

function samePrefix(a: Prefix, b: Prefix): boolean {
  if (a.length !== b.length) return false;
  // Stryker disable next-line EqualityOperator: a[length] and b[length] are both undefined
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function firstError(syntax: DtabSyntax): string {
  const e = syntax.errors[0]!;
  let line = 1;
  let col = 1;
  for (let i = 0; i < e.span.start; i++) {
    if (syntax.text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `${line}:${col}: ${e.plain}`;
}

/** The last dentry whose prefix is `prefix` (see the top of this file), or undefined. */
export function findDentry(syntax: DtabSyntax, prefix: string): DentrySyntax | undefined {
  const want = readPrefix(prefix);
  for (let i = syntax.entries.length - 1; i >= 0; i--) {
    const e = syntax.entries[i]!;
    if (e.kind === 'dentry' && samePrefix(lowerPrefix(e.prefix), want)) return e;
  }
  return undefined;
}

/** Finagle's printed form of a dentry text (undefined when it does not parse). */
function canonical(dentryText: string): string | undefined {
  const r = parseDentry(dentryText);
  return r.ok ? showDentry(lowerDentry(r.value)) : undefined;
}

/** Whether the dentry text found is the one expected: the same bytes, or the same printed form. */
export function sameDentry(found: string, expected: string): boolean {
  if (found === expected) return true;
  const a = canonical(found);
  return a !== undefined && a === canonical(expected);
}

/** The dentry to change: the text must parse, the dentry must exist and (with `expect`) be what was written. */
function locate(text: string, prefix: string, expect: string | undefined): { syntax: DtabSyntax; dentry: DentrySyntax } {
  const syntax = parseDtab(text);
  if (syntax.errors.length > 0) throw new CanaryError('syntax', `the dtab has syntax errors (nothing is changed in a dtab that does not parse): ${firstError(syntax)}`, syntax);
  const dentry = findDentry(syntax, prefix);
  if (!dentry) {
    const shown = showPrefix(readPrefix(prefix));
    throw new CanaryError('not-found', `no dentry with the prefix ${shown} in the dtab (the canary rewrites the last \`${shown} => …\` dentry; add one that routes ${shown} to the stable destination)`);
  }
  if (expect !== undefined) {
    const found = text.slice(dentry.start, dentry.end);
    if (!sameDentry(found, expect)) {
      throw new CanaryError('conflict', `the ${showPrefix(lowerPrefix(dentry.prefix))} dentry changed since the canary wrote it: it is now ${JSON.stringify(found)}, the canary wrote ${JSON.stringify(expect)}; nothing was changed (undo that edit, or abort the canary and start again)`);
    }
  }
  return { syntax, dentry };
}

/** Replaces the destination bytes of `dentry` (everything else in `text` kept). */
function replaceDestination(text: string, dentry: DentrySyntax, dst: string): DentryEdit {
  const out = text.slice(0, dentry.dst.start) + dst + text.slice(dentry.dst.end);
  const end = dentry.dst.start + dst.length;
  return { text: out, range: { start: dentry.start, end }, dentryText: out.slice(dentry.start, end), replaced: text.slice(dentry.start, dentry.end) };
}

/**
 * The dtab with the `prefix` dentry's destination rewritten as the canary's weighted union at
 * `percent` (`1 * /srv/world-v2 & 9 * /srv/world-v1` for 10%); the stable destination alone at 0,
 * the canary alone at 100. Throws a CanaryError: 'syntax' (the text or a destination does not
 * parse), 'not-found' (no such dentry), 'conflict' (not what `expect` says), 'invalid' (percent).
 */
export function rewriteDentry(text: string, opts: RewriteOptions): DentryEdit {
  const dst = weightedDestination(opts.stable, opts.canary, opts.percent);
  const { dentry } = locate(text, opts.prefix, opts.expect);
  return replaceDestination(text, dentry, dst);
}

/** The end of a canary: the dentry routes to the canary alone, or with `keepStableAsFallback` to `canary | stable`. */
export function finishDentry(text: string, opts: Omit<RewriteOptions, 'percent'> & { readonly keepStableAsFallback?: boolean }): DentryEdit {
  const dst = finishedDestination(opts.stable, opts.canary, opts.keepStableAsFallback ?? false);
  const { dentry } = locate(text, opts.prefix, opts.expect);
  return replaceDestination(text, dentry, dst);
}

/** What `restoreDentry` puts back, and how it finds the place. */
export interface DentryRestore {
  /** The logical name's prefix. */
  readonly prefix: string;
  /** The dentry's whole text as the canary found it. */
  readonly original: string;
  /** The dentry text the canary last wrote … */
  readonly written: string;
  /** … and where (in the text it wrote). */
  readonly range: Span;
}

/**
 * Puts the original dentry text back exactly where the canary's dentry is. The recorded range is
 * tried first (the text there must be what the canary wrote, and a whole dentry); if the text
 * moved (edits elsewhere), the last dentry with the prefix is used if it is still what the canary
 * wrote (byte for byte, or in printed form). Otherwise a 'conflict' error and nothing changes.
 * Syntax errors elsewhere in the text do not stop a restore.
 */
export function restoreDentry(text: string, restore: DentryRestore): DentryEdit {
  const syntax = parseDtab(text);
  const { start, end } = restore.range;
  let at: Span | undefined;
  // Out of range, slice() gives other text or none: the entry check below then fails.
  if (text.slice(start, end) === restore.written) {
    const e = syntax.entries.find((x) => x.start === start);
    if (e && e.kind === 'dentry' && e.end === end) at = restore.range;
  }
  if (!at) {
    const d = findDentry(syntax, restore.prefix);
    if (!d) {
      if (syntax.errors.length > 0) throw new CanaryError('syntax', `cannot find the ${restore.prefix} dentry to restore: the dtab has syntax errors: ${firstError(syntax)}`, syntax);
      throw new CanaryError('not-found', `no dentry with the prefix ${restore.prefix} in the dtab any more: nothing to restore; the dentry as the canary found it was ${JSON.stringify(restore.original)}`);
    }
    const found = text.slice(d.start, d.end);
    if (!sameDentry(found, restore.written)) {
      throw new CanaryError('conflict', `the ${restore.prefix} dentry changed since the canary wrote it: it is now ${JSON.stringify(found)}, the canary wrote ${JSON.stringify(restore.written)}; nothing was changed. The dentry as the canary found it: ${JSON.stringify(restore.original)}`);
    }
    at = d;
  }
  const out = text.slice(0, at.start) + restore.original + text.slice(at.end);
  const range = { start: at.start, end: at.start + restore.original.length };
  return { text: out, range, dentryText: restore.original, replaced: text.slice(at.start, at.end) };
}

/** The dentry a canary starts from. */
export interface FoundDentry {
  /** Its whole text (prefix to the end of its destination), as written. */
  readonly dentryText: string;
  readonly range: Span;
  /** Its destination on one line (as `dtab fmt` prints it). */
  readonly destination: string;
}

/** The last dentry with `prefix` (it must exist, and the text must parse). */
export function locateDentry(text: string, prefix: string): FoundDentry {
  const { dentry } = locate(text, prefix, undefined);
  return { dentryText: text.slice(dentry.start, dentry.end), range: { start: dentry.start, end: dentry.end }, destination: printTree(text, dentry.dst) };
}

/** Whether two destinations are the same tree (Finagle's printed forms are equal). */
export function sameDestination(a: string, b: string): boolean {
  const x = parseTree(a);
  const y = parseTree(b);
  return x.ok && y.ok && showPathTree(lowerTree(x.value)) === showPathTree(lowerTree(y.value));
}
