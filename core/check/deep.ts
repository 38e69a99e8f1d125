// Checks that look at how dentries interact: dentries that can never be used, and delegation
// cycles. They cost more than the syntax checks, so editors run them after publishing those.

import { ANY, prefixMatches, type DentryMatch, type Dtab, type Prefix } from '../model/dtab.js';
import type { NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import { Interpreter } from '../delegate/interpreter.js';
import { BindDepthError, DelegateDepthError, DelegationBudgetError } from '../delegate/errors.js';
import type { DelegateTree } from '../delegate/delegate-tree.js';
import { primaryNodes } from '../delegate/explain.js';
import { SystemNamer } from '../delegate/system-namers.js';
import { showPath } from '../print/show.js';

/**
 * A destination that always answers something other than `~` once bound: `!`, `$`, or a `/$/`
 * namer that binds without looking anything up. Such a dentry stops fallback to earlier ones.
 */
export function neverNegative(tree: NameTree<Path>): boolean {
  switch (tree.type) {
    case 'fail':
    case 'empty':
      return true;
    case 'neg':
      return false;
    case 'leaf': {
      const p = tree.value;
      if (p.length < 2 || p[0] !== '$') return false;
      if (p[1] === 'fail' || p[1] === 'nil') return true;
      if (p[1] === 'inet' || p[1] === 'fixedinet') {
        // /$/inet/<host>/<port> or /$/inet/<port>: bound at once (addresses come later).
        const isPort = (e: string | undefined) => e !== undefined && /^[0-9]+$/.test(e);
        return isPort(p[3]) || isPort(p[2]);
      }
      return false;
    }
    case 'alt':
    case 'union':
      return tree.type === 'alt' ? tree.trees.some(neverNegative) : tree.trees.some((w) => neverNegative(w.tree));
  }
}

export interface Shadowing {
  /** The dentry that is never used. */
  readonly index: number;
  /** The later dentry that always answers first. */
  readonly by: number;
}

/**
 * Dentries that a later, more general dentry always answers for. Starts from the (usually few)
 * dentries that always answer and looks at what they cover. `from`/`to` limit which of those are
 * looked at, so that callers can do the work in slices; merge slices with mergeShadowing.
 * Dentries with the same prefix are looked at once (one walk of the prefix index per prefix), so
 * thousands of `/a => !` cost what one does.
 */
export function findShadowed(dtab: Dtab, from = 0, to = dtab.size): Shadowing[] {
  const groups = new Map<string, number[]>();
  for (let j = from; j < Math.min(to, dtab.size); j++) {
    const d = dtab.dentries[j]!;
    if (!neverNegative(d.dst)) continue;
    const key = prefixKey(d.prefix);
    const g = groups.get(key);
    if (g) g.push(j);
    else groups.set(key, [j]);
  }
  const by = new Map<number, number>();
  for (const js of groups.values()) {
    const last = js[js.length - 1]!;
    for (const i of dtab.specializations(dtab.dentries[js[0]!]!.prefix)) {
      if (i >= last) break;
      // The first dentry of the group after i (js is in increasing order).
      let lo = 0;
      let hi = js.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (js[mid]! > i) hi = mid;
        else lo = mid + 1;
      }
      const j = js[lo]!;
      if (j <= i) continue;
      const seen = by.get(i);
      if (seen === undefined || j < seen) by.set(i, j);
    }
  }
  return [...by].sort((a, b) => a[0] - b[0]).map(([index, j]) => ({ index, by: j }));
}

export function prefixKey(prefix: Prefix): string {
  return prefix.map((e) => (e === ANY ? '\u0100*' : e)).join('\u0101');
}

/** Combines slices of findShadowed: for each dentry, the earliest later dentry that shadows it. */
export function mergeShadowing(parts: readonly Shadowing[][]): Shadowing[] {
  const by = new Map<number, number>();
  for (const part of parts) for (const s of part) if (!by.has(s.index) || s.by < by.get(s.index)!) by.set(s.index, s.by);
  return [...by].sort((a, b) => a[0] - b[0]).map(([index, j]) => ({ index, by: j }));
}

const WILD = '\u0000*';

/** A path that the prefix matches (wildcards stand for a label no real path has). */
export function samplePath(prefix: Prefix): Path {
  return prefix.map((e) => (e === ANY ? WILD : e));
}

export interface Cycle {
  readonly index: number;
  /** The paths around the loop, as shown: `/a`, `/b`, `/a`. */
  readonly loop: readonly string[];
}

/** How much work checking one prefix for a cycle may take (dentries matched and nodes made). */
export const CYCLE_WORK_BUDGET = 20_000;

/** The outcome of delegating a dentry's own prefix: a loop, too much work to tell, or neither. */
export type CycleCheck =
  | { readonly kind: 'cycle'; readonly index: number; readonly loop: readonly string[] }
  | { readonly kind: 'too-complex'; readonly index: number; readonly message: string }
  | { readonly kind: 'none'; readonly index: number };

const cycleInterpreter = new Interpreter([], new SystemNamer(), { stepBudget: 5_000, workBudget: CYCLE_WORK_BUDGET });

/** What delegating a prefix showed, whichever dentry has it. */
type CycleOutcome = { readonly kind: 'cycle'; readonly loop: readonly string[] } | { readonly kind: 'too-complex'; readonly message: string } | { readonly kind: 'none' };

const NO_CYCLE: CycleOutcome = Object.freeze({ kind: 'none' });

/** One prefix's cycle check: its outcome, the work it took, and the paths it looked up in the dtab. */
interface CycleAnswer {
  readonly outcome: CycleOutcome;
  readonly work: number;
}

/** The dtab as the checks see it, noting each path looked up in it. */
function recording(dtab: Dtab, looked: Path[]): Dtab {
  const view = Object.create(dtab) as Dtab;
  view.matches = (path: Path) => {
    looked.push(path);
    return dtab.matches(path);
  };
  return view;
}

function answerCycle(view: Dtab, prefix: Prefix): CycleAnswer {
  const meter = { work: 0 };
  const path = samplePath(prefix);
  let outcome: CycleOutcome;
  try {
    const tree = cycleInterpreter.delegateSync(view, path, meter);
    const loop = routedLoop(tree);
    outcome = loop ? { kind: 'cycle', loop } : NO_CYCLE;
  } catch (e) {
    if (e instanceof DelegateDepthError) outcome = { kind: 'cycle', loop: traceLoop(view, path) };
    else if (e instanceof DelegationBudgetError) {
      // A loop that fans out (`/s => /s & /s`) also runs out of budget: it is a cycle if following
      // first rewrites comes back to a path already seen.
      const loop = traceLoop(view, path);
      const repeats = loop.length > 1 && loop.indexOf(loop[loop.length - 1]!) !== loop.length - 1;
      // Alternatives that fan out at every step (`/ => /x ; /x => /y`: `/y | /x/x`, then …) make the
      // whole tree too big to show, while routing, which tries the first alternative first, still
      // recurses past Linkerd's limit: binding alone (as routing does) tells. It is only asked when
      // the first rewrites go on past what the loop shows (when they end sooner, routing ends there
      // unless that end is negative: rare, and then the prefix stays too complex to tell).
      const goesOn = loop.length === LOOP_STEPS;
      outcome = repeats || (goesOn && routingRecursesTooDeep(view, path, meter)) ? { kind: 'cycle', loop } : { kind: 'too-complex', message: e.message };
    } else outcome = NO_CYCLE;
  }
  return { outcome, work: meter.work };
}

/** Whether routing `path` (Finagle's bind: the first alternative that is not negative) passes the recursion limit. */
function routingRecursesTooDeep(view: Dtab, path: Path, meter: { work: number }): boolean {
  try {
    cycleInterpreter.bindSync(view, path, meter);
    return false;
  } catch (e) {
    return e instanceof BindDepthError;
  }
}

/**
 * Whether delegating the dentry's own prefix runs into Linkerd's recursion limit, and through what.
 * Running out of the work budget is not a cycle: it is said as such ('too-complex'). `cache`
 * (keyed by prefix) shares one answer among dentries with the same prefix.
 */
export function checkCycle(dtab: Dtab, index: number, cache?: Map<string, CycleCheck>, meter?: { work: number }): CycleCheck {
  const prefix = dtab.dentries[index]!.prefix;
  const key = cache ? prefixKey(prefix) : '';
  const known = cache?.get(key);
  if (known) return { ...known, index } as CycleCheck;
  const answer = answerCycle(dtab, prefix);
  if (meter) meter.work += answer.work;
  const result = { ...answer.outcome, index } as CycleCheck;
  cache?.set(key, result);
  return result;
}

/** A kept answer of CycleMemo, shared by the dentries with its prefix. */
interface MemoAnswer {
  readonly outcome: CycleOutcome;
  readonly work: number;
  readonly key: string;
  /** The paths its delegation looked up, each label followed by SEP, each path by END (compact). */
  readonly looked: string;
  /** The run that last counted its work (a prefix's work counts once per run). */
  run: number;
  /** Set when a change could alter it: the dentries that hold it ask again. */
  dropped: boolean;
}

const SEP = '\u0001';
const END = '\u0002';

/**
 * The cycle checks of one document kept from one version to the next: a prefix's answer is kept
 * until a dentry that matches one of the paths its delegation looked up is added or removed (then
 * it could change), so an edit costs the prefixes it can affect, not the whole dtab. Answers are
 * exactly checkCycle's, work included (a run counts a kept answer's work as if checked again).
 */
export class CycleMemo {
  private readonly answers = new Map<string, MemoAnswer>();
  /** The answer of each dentry of the last dtab, by index (undefined: not asked yet). */
  private byIndex: (MemoAnswer | undefined)[] = [];
  /** The answers that looked up paths beginning with these (at most two) labels. */
  private readonly byStart = new Map<string, MemoAnswer | Set<MemoAnswer>>();
  private last: Dtab | undefined;
  /** Prefixes of the dentries removed since the last run: their answers may no longer be used. */
  private removed: string[] = [];
  private runs = 0;
  private checks = 0;

  /** How many answers are kept (for tests and benchmarks). */
  get size(): number {
    return this.answers.size;
  }

  /** How many prefixes it has checked in all, kept or not (for tests and benchmarks). */
  get checked(): number {
    return this.checks;
  }

  /**
   * Starts a run over `dtab` and returns its number: forgets the answers that the dentries changed
   * since the last run's dtab can change. Dentries are compared by identity (Dtab.splice keeps the
   * unchanged ones), so a dtab made afresh forgets everything.
   */
  begin(dtab: Dtab): number {
    const last = this.last;
    this.last = dtab;
    this.runs++;
    if (last === dtab) return this.runs;
    const a = last ? last.dentries : [];
    const b = dtab.dentries;
    let s = 0;
    const max = Math.min(a.length, b.length);
    while (s < max && a[s] === b[s]) s++;
    let ea = a.length;
    let eb = b.length;
    while (ea > s && eb > s && a[ea - 1] === b[eb - 1]) {
      ea--;
      eb--;
    }
    if (s === 0 && ea === a.length) {
      this.clear();
      this.byIndex = new Array<MemoAnswer | undefined>(b.length);
      return this.runs;
    }
    for (let i = s; i < ea; i++) {
      this.forget(a[i]!.prefix);
      this.removed.push(prefixKey(a[i]!.prefix));
    }
    for (let i = s; i < eb; i++) this.forget(b[i]!.prefix);
    const kept = this.byIndex;
    this.byIndex = kept.slice(0, s).concat(new Array<MemoAnswer | undefined>(eb - s), kept.slice(ea));
    return this.runs;
  }

  /** The answer for dentry `index` of `dtab` (the dtab of the last begin), checked now if not kept. */
  answer(dtab: Dtab, index: number): MemoAnswer {
    const known = this.byIndex[index];
    if (known && !known.dropped) return known;
    const prefix = dtab.dentries[index]!.prefix;
    const key = prefixKey(prefix);
    let kept = this.answers.get(key);
    if (!kept) {
      const looked: Path[] = [];
      const found = answerCycle(recording(dtab, looked), prefix);
      kept = { outcome: found.outcome, work: found.work, key, looked: compactPaths(looked), run: 0, dropped: false };
      this.checks++;
      this.answers.set(key, kept);
      for (const start of startsOf(looked)) {
        const at = this.byStart.get(start);
        if (at === undefined) this.byStart.set(start, kept);
        else if (at instanceof Set) at.add(kept);
        else this.byStart.set(start, new Set([at, kept]));
      }
    }
    this.byIndex[index] = kept;
    return kept;
  }

  /** Ends run `run`: the answers of removed dentries that it did not use are dropped. */
  end(run: number): void {
    for (const key of this.removed) {
      const a = this.answers.get(key);
      if (a && a.run !== run) this.drop(a);
    }
    this.removed = [];
  }

  private clear(): void {
    for (const a of this.answers.values()) a.dropped = true;
    this.answers.clear();
    this.byStart.clear();
    this.removed = [];
  }

  /** Drops every answer whose delegation looked up a path that `prefix` matches. */
  private forget(prefix: Prefix): void {
    if (prefix.length === 0 || prefix[0] === ANY) {
      this.clear();
      return;
    }
    const first = prefix[0] as string;
    const starts: string[] = [];
    if (prefix.length >= 2 && prefix[1] !== ANY) starts.push(`${first}${SEP}${prefix[1] as string}`);
    else for (const k of this.byStart.keys()) if (k === first || k.startsWith(first + SEP)) starts.push(k);
    for (const start of starts) {
      const at = this.byStart.get(start);
      if (at === undefined) continue;
      for (const a of at instanceof Set ? Array.from(at) : [at]) if (lookedMatches(a.looked, prefix)) this.drop(a);
    }
  }

  private drop(a: MemoAnswer): void {
    if (a.dropped) return;
    a.dropped = true;
    this.answers.delete(a.key);
    for (const start of startsOf(expandPaths(a.looked))) {
      const at = this.byStart.get(start);
      if (at === a) this.byStart.delete(start);
      else if (at instanceof Set) {
        at.delete(a);
        if (at.size === 0) this.byStart.delete(start);
      }
    }
  }
}

/** Paths as one string: each label followed by SEP, each path by END. */
function compactPaths(paths: readonly Path[]): string {
  // Joined (a flat string), not concatenated piece by piece (a tree of pieces).
  const parts: string[] = [];
  for (const p of paths) {
    for (const label of p) parts.push(label, SEP);
    parts.push(END);
  }
  return parts.join('');
}

function expandPaths(s: string): Path[] {
  // Every path ends with END: the last piece of the split is always empty.
  const pieces = s.split(END);
  pieces.pop();
  return pieces.map((p) => (p === '' ? [] : p.slice(0, -1).split(SEP)));
}

/** Whether `prefix` matches one of the compacted paths. */
function lookedMatches(looked: string, prefix: Prefix): boolean {
  for (const p of expandPaths(looked)) if (prefixMatches(prefix, p)) return true;
  return false;
}

/** The distinct first-two-label keys of these paths (a path of one label is its own key). */
function startsOf(paths: readonly Path[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    if (p.length === 0) continue;
    out.add(p.length === 1 ? p[0]! : `${p[0]!}${SEP}${p[1]!}`);
  }
  return out;
}

/** Whether delegating the dentry's own prefix runs into the recursion limit, and through what. */
export function findCycle(dtab: Dtab, index: number): Cycle | undefined {
  const r = checkCycle(dtab, index);
  return r.kind === 'cycle' ? { index, loop: r.loop } : undefined;
}

const MAX_RECURSION = 'Max recursion level reached.';

/**
 * The loop routing runs into, as traceLoop shows it, when the recursion limit is on the path
 * Namer.bind takes: through the first alternative that is not negative (every union branch). The
 * delegator expands every alternative, so `/p => /p ; /p => /$/inet/127.1/80` shows a depth exception
 * in its second branch while routing uses the first and never loops. Undefined when routing does not
 * reach the limit. The loop follows the tree to that exception: `/a => /x | /a/y` loops through
 * `/a/y`, not through the negative `/x`.
 */
function routedLoop(root: DelegateTree): string[] | undefined {
  const primary = primaryNodes(root);
  const parent = new Map<DelegateTree, DelegateTree>();
  const stack: DelegateTree[] = [root];
  let hit: DelegateTree | undefined;
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.type === 'exception' && t.message === MAX_RECURSION) {
      hit = t;
      break;
    }
    const kids = t.type === 'delegate' ? [t.delegate] : t.type === 'alt' ? t.alt : t.type === 'union' ? t.union.map((w) => w.tree) : t.type === 'transformation' ? [t.tree] : [];
    for (let i = kids.length - 1; i >= 0; i--) {
      const c = kids[i]!;
      if (primary.has(c) && !parent.has(c)) {
        parent.set(c, t);
        stack.push(c);
      }
    }
  }
  if (!hit) return undefined;
  const chain: DelegateTree[] = [];
  for (let t: DelegateTree | undefined = hit; t; t = parent.get(t)) chain.push(t);
  chain.reverse();
  // Each node on the way is a rewrite (simplify has merged the nodes of one lookup).
  const seen: string[] = [];
  for (const t of chain) {
    const shown = shownInLoop(t.path);
    seen.push(shown);
    if (seen.indexOf(shown) !== seen.length - 1 || seen.length >= LOOP_STEPS) break;
  }
  return seen;
}

/** How many paths a loop shows at most. */
const LOOP_STEPS = 12;

/** A path as a loop shows it: the label standing for a wildcard as `*`. */
function shownInLoop(path: Path): string {
  return showPath(path).split(showPath([WILD]).slice(1)).join('*');
}

/** Follows first rewrites from `path` until a path repeats (showing the loop) or 12 steps. */
function traceLoop(dtab: Dtab, start: Path): string[] {
  const seen: string[] = [];
  let path: Path | undefined = start;
  for (let step = 0; step < LOOP_STEPS && path; step++) {
    const shown = shownInLoop(path);
    seen.push(shown);
    if (seen.indexOf(shown) !== seen.length - 1) break;
    const first: DentryMatch | undefined = dtab.matches(path)[0];
    path = first ? firstLeaf(first.tree) : undefined;
  }
  return seen;
}

function firstLeaf(t: NameTree<Path>): Path | undefined {
  // Destination trees are at most MAX_NESTING deep (the parser's limit): iterate anyway.
  const stack: NameTree<Path>[] = [t];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'leaf':
        return n.value;
      case 'alt':
        for (let i = n.trees.length - 1; i >= 0; i--) stack.push(n.trees[i]!);
        break;
      case 'union':
        for (let i = n.trees.length - 1; i >= 0; i--) stack.push(n.trees[i]!.tree);
        break;
    }
  }
  return undefined;
}
