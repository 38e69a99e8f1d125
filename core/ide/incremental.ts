// Incremental analysis of one dtab document as it is edited: an edit re-reads only the dentries it
// touches, and the results are exactly those of analysing the new text from scratch (the property
// test in test/unit/incremental.test.ts holds it to that after every random edit).
//
// How: an anchored parse (parseDtabSegments) cuts the text into segments, one per turn of the
// parser's loop (a dentry or a broken one, with the spaces and comments before it); a turn reads
// the same way from where it starts whatever came before. After an edit, parsing starts again two
// segments before the edit (a turn looks ahead into the next one) and stops at the first segment
// start past the edit that was a segment start before it, at the same place in the unchanged text:
// from there on the old segments are kept and moved (one number per segment, no node is copied).
// The checks keep what belongs to one dentry (its warnings, its lowered form) with it, and update
// what compares dentries (duplicates, the prefix index) for the dentries that changed.
//
// An analysis made here describes the text of its version until the next edit: after it, its nodes
// (shared with the newer version) report the newer text's offsets. Hosts ask for the newest.

import {
  dentryKey,
  dentryWarnings,
  duplicateDiagnostic,
  errorDiagnostics,
  findLookalikes,
  hashSpan,
  sortDiagnostics,
  checkDtab,
  type Diagnostic,
  type Lookalikes,
} from '../check/check.js';
import { Dtab } from '../model/dtab.js';
import type { BrokenDentrySyntax, DentrySyntax, DtabSyntax, EntrySyntax, Span } from '../syntax/ast.js';
import type { DtabSyntaxError } from '../syntax/errors.js';
import { lowerDentry, lowerDtab } from '../syntax/lower.js';
import { parseDtab, parseDtabSegments, segmentOf, type Segment, type TextRef } from '../syntax/parser.js';

/** An edit: [start, oldEnd) of the old text became [start, newEnd) of the new one. */
export interface TextChange {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The one change that turns `a` into `b`: their common beginning and end left out. */
export function textChange(a: string, b: string): TextChange {
  const max = Math.min(a.length, b.length);
  let s = 0;
  while (s < max && a.charCodeAt(s) === b.charCodeAt(s)) s++;
  let ea = a.length;
  let eb = b.length;
  while (ea > s && eb > s && a.charCodeAt(ea - 1) === b.charCodeAt(eb - 1)) {
    ea--;
    eb--;
  }
  return { start: s, oldEnd: ea, newEnd: eb };
}

/** Combines two changes made one after the other into one change of the first text. */
export function combineChanges(first: TextChange, second: TextChange): TextChange {
  // What either changed, in the text between the two changes; after it both texts agree again.
  const end = Math.max(first.newEnd, second.oldEnd);
  return { start: Math.min(first.start, second.start), oldEnd: end - (first.newEnd - first.oldEnd), newEnd: end + (second.newEnd - second.oldEnd) };
}

/** The analysis of one version, as DtabAnalysis reads it. */
export interface IncrementalVersion {
  readonly syntax: DtabSyntax;
  readonly dentries: DentrySyntax[];
  /** The quick diagnostics (checkDtab's, exactly). */
  diagnostics(): readonly Diagnostic[];
  /** The lowered dtab (lowerDtab's), with its prefix index carried over from the last version. */
  dtab(): Dtab;
}

const NONE: readonly Diagnostic[] = Object.freeze([]) as readonly Diagnostic[];

const segStart = (s: Segment) => s.start + s.at;

/** The first index in [0, n) whose key is >= x (keys ascending). */
function lowerBound<T>(xs: readonly T[], key: (t: T) => number, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(xs[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replaces xs[start, start + deleteCount) by `items` in place (for this module's own arrays: the
 * arrays of a version are new ones, so that an older version keeps its own). A large replacement
 * (a paste) makes a new array instead: spreading it into one call could overflow the stack.
 */
function splice<T>(xs: T[], start: number, deleteCount: number, items: readonly T[]): T[] {
  if (items.length > 10_000) return xs.slice(0, start).concat(items, xs.slice(start + deleteCount));
  xs.splice(start, deleteCount, ...items);
  return xs;
}

const startOf = (s: Span) => s.start;
/** Where the segment of an entry or comment starts: entries of two segments may start at one offset. */
const segOf = (s: Span) => segStart(segmentOf(s));

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** A warning moved by `delta` (its span and its fixes' edits). */
function shifted(d: Diagnostic, delta: number): Diagnostic {
  const out: Diagnostic = { ...d, span: { start: d.span.start + delta, end: d.span.end + delta } };
  if (d.fixes) (out as { fixes: Diagnostic['fixes'] }).fixes = d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: { start: e.span.start + delta, end: e.span.end + delta } })) }));
  if (d.related) (out as { related: Diagnostic['related'] }).related = d.related.map((r) => ({ ...r, span: { start: r.span.start + delta, end: r.span.end + delta } }));
  return out;
}

export class IncrementalDtab {
  private readonly ref: TextRef;
  private segs: Segment[];
  private entries: EntrySyntax[];
  private comments: Span[];
  /** The broken entries, in order: each holds one of the errors (they are the errors' order too). */
  private brokens: BrokenDentrySyntax[];
  private looks: Lookalikes;
  /** The parsed dentries, and beside each: its warnings (with its start when they were made) and prefix hash. */
  private dentryList: DentrySyntax[];
  private warn: (readonly Diagnostic[])[];
  private warnAt: number[];
  private hash: number[];
  /** Dentries by the hash of their prefix's text, in source order (one alone is kept as is). */
  private readonly groups = new Map<number, DentrySyntax | DentrySyntax[]>();
  /** The dentries that repeat an earlier one exactly, with the first of them. */
  private readonly dupOf = new Map<DentrySyntax, DentrySyntax>();
  /** The lowered dtab, once asked for: then kept up to date with each edit. */
  private model: Dtab | undefined;
  private generation = 0;
  private current: IncrementalVersion;

  constructor(text: string) {
    this.ref = { text };
    const r = parseDtabSegments(this.ref, 0);
    this.segs = r.segments;
    this.entries = r.entries;
    this.comments = r.comments;
    this.brokens = r.entries.filter((e): e is BrokenDentrySyntax => e.kind === 'broken');
    this.looks = findLookalikes(text, r.comments, 0, text.length);
    this.dentryList = [];
    this.warn = [];
    this.warnAt = [];
    this.hash = [];
    const added = this.describe(r.entries);
    this.dentryList = added.dentries;
    this.warn = added.warn;
    this.warnAt = added.warnAt;
    this.hash = added.hash;
    const touched = new Set<number>();
    for (let i = 0; i < this.dentryList.length; i++) this.addToGroup(this.dentryList[i]!, this.hash[i]!, touched, false);
    this.recheckGroups(touched);
    this.current = this.version();
  }

  get text(): string {
    return this.ref.text;
  }

  /** The analysis of the current text. */
  get latest(): IncrementalVersion {
    return this.current;
  }

  /**
   * The text is now `text`. `change` says where it changed, if the caller knows (else it is found by
   * comparing the texts); a change that does not turn the old text into the new one is not trusted.
   */
  update(text: string, change?: TextChange): IncrementalVersion {
    const old = this.ref.text;
    let c = change;
    if (
      !c ||
      c.start < 0 ||
      c.oldEnd < c.start ||
      c.newEnd < c.start ||
      c.oldEnd > old.length ||
      c.newEnd > text.length ||
      old.length - (c.oldEnd - c.start) + (c.newEnd - c.start) !== text.length ||
      old.slice(0, Math.min(c.start, 64)) !== text.slice(0, Math.min(c.start, 64))
    )
      c = textChange(old, text);
    if (c.start === c.oldEnd && c.start === c.newEnd && old === text) return this.current;
    const delta = c.newEnd - c.oldEnd;
    const segs = this.segs;

    // Parse again from two segments before the edit (a segment's turn looks into the next one)...
    const k = Math.max(0, lowerBound(segs, (s) => segStart(s) - 1, c.start) - 1 - 2);
    const from = segs.length > 0 ? Math.min(segStart(segs[k]!), c.start) : 0;
    // ...to the first old segment start past the edit that the new parse starts a segment at.
    let j = lowerBound(segs, segStart, c.oldEnd);
    let kept = false;
    const stop = (i: number) => {
      if (i < c.newEnd) return false;
      const want = i - delta;
      while (j < segs.length && segStart(segs[j]!) < want) j++;
      return (kept = j < segs.length && segStart(segs[j]!) === want);
    };
    this.ref.text = text;
    let r = parseDtabSegments(this.ref, from, stop);
    let jStop = kept ? j : segs.length;
    // Messages that name a line ("the `(` on line 3") must be made again when lines moved.
    if (jStop < segs.length && countNewlines(old, c.start, c.oldEnd) !== countNewlines(text, c.start, c.newEnd)) {
      const oldTo = segStart(segs[jStop]!);
      const firstKept = lowerBound(this.brokens, segOf, oldTo);
      if (this.brokens.slice(firstKept).some((e) => e.error.code === 'expected-close-paren')) {
        r = parseDtabSegments(this.ref, from);
        jStop = segs.length;
      }
    }
    const oldFrom = from;
    const oldTo = jStop < segs.length ? segStart(segs[jStop]!) : Number.POSITIVE_INFINITY;

    // What the re-read segments replace (old offsets: nothing has moved yet).
    const eA = lowerBound(this.entries, segOf, oldFrom);
    const eB = lowerBound(this.entries, segOf, oldTo);
    const cA = lowerBound(this.comments, segOf, oldFrom);
    const cB = lowerBound(this.comments, segOf, oldTo);
    const xA = lowerBound(this.brokens, segOf, oldFrom);
    const xB = lowerBound(this.brokens, segOf, oldTo);
    const dA = lowerBound(this.dentryList, segOf, oldFrom);
    const dB = lowerBound(this.dentryList, segOf, oldTo);

    // Move what follows.
    if (delta !== 0) {
      for (let s = jStop; s < segs.length; s++) segs[s]!.at += delta;
    }
    this.segs = splice(segs, k, jStop - k, r.segments);
    this.entries = this.entries.slice(0, eA).concat(r.entries, this.entries.slice(eB));
    this.comments = this.comments.slice(0, cA).concat(r.comments, this.comments.slice(cB));
    this.brokens = splice(this.brokens, xA, xB - xA, r.entries.filter((e): e is BrokenDentrySyntax => e.kind === 'broken'));
    // Look-alike characters are found again over the whole text: whether one counts depends on the
    // comments around it, which an edit can move past the re-read stretch (a random-edit property
    // found a case the stretch-only update got wrong). One scan of the text for rare characters.
    this.looks = findLookalikes(text, this.comments, 0, text.length);

    // The checks of the dentries that changed.
    const touched = new Set<number>();
    for (let d = dA; d < dB; d++) this.removeFromGroup(this.dentryList[d]!, this.hash[d]!, touched);
    const added = this.describe(r.entries);
    this.dentryList = this.dentryList.slice(0, dA).concat(added.dentries, this.dentryList.slice(dB));
    this.warn = splice(this.warn, dA, dB - dA, added.warn);
    this.warnAt = splice(this.warnAt, dA, dB - dA, added.warnAt);
    this.hash = splice(this.hash, dA, dB - dA, added.hash);
    for (let d = 0; d < added.dentries.length; d++) this.addToGroup(added.dentries[d]!, added.hash[d]!, touched, true);
    this.recheckGroups(touched);
    if (this.model) this.model = this.model.splice(dA, dB - dA, added.dentries.map(lowerDentry));
    this.generation++;
    return (this.current = this.version());
  }

  private describe(entries: readonly EntrySyntax[]): { dentries: DentrySyntax[]; warn: (readonly Diagnostic[])[]; warnAt: number[]; hash: number[] } {
    const src = this.ref.text;
    const out = { dentries: [] as DentrySyntax[], warn: [] as (readonly Diagnostic[])[], warnAt: [] as number[], hash: [] as number[] };
    for (const e of entries) {
      if (e.kind !== 'dentry') continue;
      out.dentries.push(e);
      const w = dentryWarnings(src, e);
      out.warn.push(w.length > 0 ? w : NONE);
      out.warnAt.push(e.start);
      out.hash.push(hashSpan(src, e.prefix.start, e.prefix.end));
    }
    return out;
  }

  private addToGroup(d: DentrySyntax, h: number, touched: Set<number>, ordered: boolean): void {
    const g = this.groups.get(h);
    if (g === undefined) {
      this.groups.set(h, d);
      return;
    }
    touched.add(h);
    const list = Array.isArray(g) ? g : [g];
    if (!ordered) list.push(d);
    else list.splice(lowerBound(list, startOf, d.start), 0, d);
    if (!Array.isArray(g)) this.groups.set(h, list);
  }

  private removeFromGroup(d: DentrySyntax, h: number, touched: Set<number>): void {
    this.dupOf.delete(d);
    const g = this.groups.get(h);
    if (g === undefined) return;
    if (!Array.isArray(g)) {
      if (g === d) this.groups.delete(h);
      return;
    }
    touched.add(h);
    const at = g.indexOf(d);
    if (at >= 0) g.splice(at, 1);
    if (g.length === 1) this.groups.set(h, g[0]!);
    else if (g.length === 0) this.groups.delete(h);
  }

  /** Which dentries of these groups repeat an earlier one (as checkDtab finds them). */
  private recheckGroups(touched: Set<number>): void {
    const src = this.ref.text;
    for (const h of touched) {
      const g = this.groups.get(h);
      if (g === undefined) continue;
      if (!Array.isArray(g)) {
        this.dupOf.delete(g);
        continue;
      }
      const seen = new Map<string, DentrySyntax>();
      for (const d of g) {
        this.dupOf.delete(d);
        const key = dentryKey(src, d);
        const first = seen.get(key);
        if (first) this.dupOf.set(d, first);
        else seen.set(key, d);
      }
    }
  }

  private version(): IncrementalVersion {
    const generation = this.generation;
    const text = this.ref.text;
    const errors: DtabSyntaxError[] = this.brokens.map((b) => b.error);
    const syntax: DtabSyntax = { text, entries: this.entries, comments: this.comments, errors };
    const dentries = this.dentryList;
    let diagnostics: readonly Diagnostic[] | undefined;
    let dtab: Dtab | undefined = this.model;
    // Once the document has moved on, an old version's answers come from its own text.
    const stale = () => generation !== this.generation;
    return {
      syntax,
      dentries,
      diagnostics: () => (diagnostics ??= stale() ? checkDtab(parseDtab(text)) : this.check()),
      dtab: () => (dtab ??= stale() ? lowerDtab(parseDtab(text)) : this.lowered()),
    };
  }

  private lowered(): Dtab {
    return (this.model ??= new Dtab(this.dentryList.map(lowerDentry)));
  }

  /** checkDtab's diagnostics, from what is kept: errors, each dentry's warnings, duplicates. */
  private check(): Diagnostic[] {
    const src = this.ref.text;
    const out = errorDiagnostics(this.brokens.map((b) => b.error), this.looks);
    const list = this.dentryList;
    const dups = this.dupOf.size > 0;
    for (let i = 0; i < list.length; i++) {
      const w = this.warn[i]!;
      const d = list[i]!;
      if (w.length > 0) {
        const delta = d.start - this.warnAt[i]!;
        if (delta !== 0) {
          this.warn[i] = w.map((x) => shifted(x, delta));
          this.warnAt[i] = d.start;
        }
        for (const x of this.warn[i]!) out.push(x);
      }
      if (dups) {
        const first = this.dupOf.get(d);
        if (first) out.push(duplicateDiagnostic(src, d, first));
      }
    }
    return sortDiagnostics(out);
  }
}
