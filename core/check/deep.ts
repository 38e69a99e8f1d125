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
 */
export function findShadowed(dtab: Dtab, from = 0, to = dtab.size): Shadowing[] {
  const by = new Map<number, number>();
  for (let j = from; j < Math.min(to, dtab.size); j++) {
    const d = dtab.dentries[j]!;
    if (!neverNegative(d.dst)) continue;
    for (const i of dtab.specializations(d.prefix)) {
      if (i >= j) break;
      const seen = by.get(i);
      if (seen === undefined || j < seen) by.set(i, j);
    }
  }
  return [...by].sort((a, b) => a[0] - b[0]).map(([index, j]) => ({ index, by: j }));
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

const cycleInterpreter = new Interpreter([], new SystemNamer(), { stepBudget: 5_000 });

/** Whether delegating the dentry's own prefix runs into the recursion limit, and through what. */
export function findCycle(dtab: Dtab, index: number): Cycle | undefined {
  const path = samplePath(dtab.dentries[index]!.prefix);
  let tree: DelegateTree;
  try {
    tree = cycleInterpreter.delegateSync(dtab, path);
  } catch (e) {
    if (e instanceof DelegateDepthError) return { index, loop: traceLoop(dtab, path) };
    if (e instanceof DelegationBudgetError) return { index, loop: traceLoop(dtab, path) };
    return undefined;
  }
  return hasDepthException(tree) ? { index, loop: traceLoop(dtab, path) } : undefined;
}

function hasDepthException(t: DelegateTree): boolean {
  switch (t.type) {
    case 'exception':
      return t.message === 'Max recursion level reached.';
    case 'delegate':
      return hasDepthException(t.delegate);
    case 'alt':
      return t.alt.some(hasDepthException);
    case 'union':
      return t.union.some((w) => hasDepthException(w.tree));
    default:
      return false;
  }
}

/** Follows first rewrites from `path` until a path repeats (showing the loop) or 8 steps. */
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
  switch (t.type) {
    case 'leaf':
      return t.value;
    case 'alt':
      for (const c of t.trees) {
        const p = firstLeaf(c);
        if (p) return p;
      }
      return undefined;
    case 'union':
      for (const w of t.trees) {
        const p = firstLeaf(w.tree);
        if (p) return p;
      }
      return undefined;
    default:
      return undefined;
  }
}
