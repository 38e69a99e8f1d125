// Finagle's NameTree: Leaf, Alt (`|`), Union (`&` with weights), Neg (`~`), Fail (`!`), Empty (`$`).
// mapTree, simplify and evaluate recurse on the tree. A tree lowered from text is at most
// 2 × (MAX_NESTING + 1) + 1 deep (the parser refuses deeper nesting); trees built by delegation
// stack one such tree per step, so they are as deep as the interpreter's step limits allow.

export type NameTree<T> = Leaf<T> | Alt<T> | Union<T> | Neg | Fail | Empty;

export interface Leaf<T> {
  readonly type: 'leaf';
  readonly value: T;
}
export interface Alt<T> {
  readonly type: 'alt';
  readonly trees: readonly NameTree<T>[];
}
export interface Weighted<T> {
  readonly weight: number;
  readonly tree: NameTree<T>;
}
export interface Union<T> {
  readonly type: 'union';
  readonly trees: readonly Weighted<T>[];
}
export interface Neg {
  readonly type: 'neg';
}
export interface Fail {
  readonly type: 'fail';
}
export interface Empty {
  readonly type: 'empty';
}

export const NEG: Neg = Object.freeze({ type: 'neg' });
export const FAIL: Fail = Object.freeze({ type: 'fail' });
export const EMPTY: Empty = Object.freeze({ type: 'empty' });
export const DEFAULT_WEIGHT = 1.0;

/** How `~`, `!` and `$` are written. */
export const TOKEN_TEXT = { neg: '~', fail: '!', empty: '$' } as const;

export function leaf<T>(value: T): Leaf<T> {
  return { type: 'leaf', value };
}
export function alt<T>(trees: readonly NameTree<T>[]): Alt<T> {
  return { type: 'alt', trees };
}
export function union<T>(trees: readonly Weighted<T>[]): Union<T> {
  return { type: 'union', trees };
}

/** The leaves' values, left to right, without recursion on the tree's depth. */
export function leafValues<T>(tree: NameTree<T>): T[] {
  const out: T[] = [];
  const stack: NameTree<T>[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.type === 'leaf') out.push(t.value);
    else if (t.type === 'alt') for (let i = t.trees.length - 1; i >= 0; i--) stack.push(t.trees[i]!);
    else if (t.type === 'union') for (let i = t.trees.length - 1; i >= 0; i--) stack.push(t.trees[i]!.tree);
  }
  return out;
}

export function mapTree<A, B>(tree: NameTree<A>, f: (a: A) => B): NameTree<B> {
  switch (tree.type) {
    case 'leaf':
      return leaf(f(tree.value));
    case 'alt':
      return alt(tree.trees.map((t) => mapTree(t, f)));
    case 'union':
      return union(tree.trees.map((w) => ({ weight: w.weight, tree: mapTree(w.tree, f) })));
    default:
      return tree;
  }
}

/**
 * NameTree.simplified: evaluation-equivalent and idempotent. Alt drops `~` and cuts after the
 * first `!`; Union drops `~` and `!`; one survivor replaces its parent; nothing is flattened.
 */
export function simplify<T>(tree: NameTree<T>): NameTree<T> {
  switch (tree.type) {
    case 'alt': {
      // Stryker disable next-line ConditionalExpression: ('false') the loop below also gives Neg for no children
      if (tree.trees.length === 0) return NEG;
      // Stryker disable next-line ConditionalExpression: ('false') the loop below also gives simplify(child) for one child
      if (tree.trees.length === 1) return simplify(tree.trees[0]!);
      const kept: NameTree<T>[] = [];
      for (const child of tree.trees) {
        const s = simplify(child);
        if (s.type === 'neg') continue;
        kept.push(s);
        if (s.type === 'fail') break;
      }
      if (kept.length === 0) return NEG;
      if (kept.length === 1) return kept[0]!;
      return alt(kept);
    }
    case 'union': {
      // Stryker disable next-line ConditionalExpression: ('false') the loop below also gives Neg for no children
      if (tree.trees.length === 0) return NEG;
      if (tree.trees.length === 1) return simplify(tree.trees[0]!.tree);
      const kept: Weighted<T>[] = [];
      for (const w of tree.trees) {
        const s = simplify(w.tree);
        if (s.type === 'neg' || s.type === 'fail') continue;
        kept.push({ weight: w.weight, tree: s });
      }
      if (kept.length === 0) return NEG;
      if (kept.length === 1) return kept[0]!.tree;
      return union(kept);
    }
    default:
      return tree;
  }
}

/** NameTree.eval: undefined for "no destination", else the set of leaves (weights ignored). */
export function evaluate<T>(tree: NameTree<T>): Set<T> | undefined {
  const r = evaluateInto(tree);
  return typeof r === 'string' ? undefined : new Set(r.values());
}

/**
 * Leaves are compared by value, as Finagle's Set compares them: two leaves with the same path are
 * one (`/x & /x` evaluates to {/x}). Paths are arrays of byte strings, keyed by their elements
 * (joined with a character no byte string holds).
 */
function keyOf(v: unknown): unknown {
  return Array.isArray(v) ? `${v.length}\u0100${v.join('\u0100')}` : v;
}

/**
 * Finagle's private eval, whose result is `Fail`, `Neg` or a leaf of the set: an Alt stops at the
 * first alternative whose eval is `Fail` (a `!`, or an Alt that failed, at any depth) and skips
 * those that are `Neg`; a Union gathers its branches' sets, dropping `Fail` and `Neg` alike (a union
 * with none left is `Neg`, so an enclosing Alt goes on to the next alternative).
 */
function evaluateInto<T>(tree: NameTree<T>): Map<unknown, T> | 'neg' | 'fail' {
  switch (tree.type) {
    case 'leaf':
      return new Map([[keyOf(tree.value), tree.value]]);
    case 'empty':
      return new Map();
    case 'neg':
    case 'fail':
      return tree.type;
    case 'alt': {
      for (const child of tree.trees) {
        const r = evaluateInto(child);
        if (r !== 'neg') return r;
      }
      return 'neg';
    }
    case 'union': {
      // Finagle's `case Union(Weighted(_, tree)) => eval(tree)`: a one-tree union is its tree (a
      // failure stays a failure); only a union of several drops its failed branches.
      if (tree.trees.length === 1) return evaluateInto(tree.trees[0]!.tree);
      let out: Map<unknown, T> | undefined;
      for (const w of tree.trees) {
        const r = evaluateInto(w.tree);
        if (typeof r === 'string') continue;
        out ??= new Map();
        for (const [k, v] of r) out.set(k, v);
      }
      return out ?? 'neg';
    }
  }
}
