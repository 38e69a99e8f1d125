// Checks that look at how dentries interact: dentries that can never be used, and delegation
// cycles. They cost more than the syntax checks, so editors run them after publishing those.

import { ANY, type DentryMatch, type Dtab, type Prefix } from '../model/dtab.js';
import type { NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import { Interpreter } from '../delegate/interpreter.js';
import { DelegateDepthError, DelegationBudgetError } from '../delegate/errors.js';
import type { DelegateTree } from '../delegate/delegate-tree.js';
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

function prefixKey(prefix: Prefix): string {
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
  const path = samplePath(prefix);
  let result: CycleCheck;
  try {
    const tree = cycleInterpreter.delegateSync(dtab, path, meter);
    result = hasDepthException(tree) ? { kind: 'cycle', index, loop: traceLoop(dtab, path) } : { kind: 'none', index };
  } catch (e) {
    if (e instanceof DelegateDepthError) result = { kind: 'cycle', index, loop: traceLoop(dtab, path) };
    else if (e instanceof DelegationBudgetError) {
      // A loop that fans out (`/s => /s & /s`) also runs out of budget: it is a cycle if following
      // first rewrites comes back to a path already seen.
      const loop = traceLoop(dtab, path);
      result = loop.length > 1 && loop.indexOf(loop[loop.length - 1]!) !== loop.length - 1 ? { kind: 'cycle', index, loop } : { kind: 'too-complex', index, message: e.message };
    } else result = { kind: 'none', index };
  }
  cache?.set(key, result);
  return result;
}

/** Whether delegating the dentry's own prefix runs into the recursion limit, and through what. */
export function findCycle(dtab: Dtab, index: number): Cycle | undefined {
  const r = checkCycle(dtab, index);
  return r.kind === 'cycle' ? { index, loop: r.loop } : undefined;
}

function hasDepthException(root: DelegateTree): boolean {
  const stack: DelegateTree[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    switch (t.type) {
      case 'exception':
        if (t.message === 'Max recursion level reached.') return true;
        break;
      case 'delegate':
        stack.push(t.delegate);
        break;
      case 'alt':
        for (const c of t.alt) stack.push(c);
        break;
      case 'union':
        for (const w of t.union) stack.push(w.tree);
        break;
    }
  }
  return false;
}

/** Follows first rewrites from `path` until a path repeats (showing the loop) or 12 steps. */
function traceLoop(dtab: Dtab, start: Path): string[] {
  const seen: string[] = [];
  let path: Path | undefined = start;
  for (let step = 0; step < 12 && path; step++) {
    const shown = showPath(path).split(showPath([WILD]).slice(1)).join('*');
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
