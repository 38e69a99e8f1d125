// Dentries and dtabs, and Dtab.lookup: one rewriting step, later dentries first.

import { alt, leafValues, mapTree, NEG, type NameTree } from './nametree.js';
import type { Path } from './path.js';

/** The wildcard prefix element `*`: matches any one path element. */
export const ANY = Symbol('*');
export type PrefixElem = string | typeof ANY;
export type Prefix = readonly PrefixElem[];

export interface Dentry {
  readonly prefix: Prefix;
  readonly dst: NameTree<Path>;
}

export function prefixMatches(prefix: Prefix, path: Path): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const e = prefix[i];
    if (e !== ANY && e !== path[i]) return false;
  }
  return true;
}

/** A match of one dentry against a path: which dentry, and the rewritten destination. */
export interface DentryMatch {
  readonly index: number;
  readonly dentry: Dentry;
  readonly tree: NameTree<Path>;
}

interface TrieNode {
  /** Made when the first child is added: most nodes (a service's own prefix) have none. */
  children: Map<string, TrieNode> | undefined;
  any: TrieNode | undefined;
  /** Indices of the dentries whose prefix ends here. */
  readonly ends: number[];
}

function trieNode(): TrieNode {
  return { children: undefined, any: undefined, ends: [] };
}

export class Dtab {
  static readonly empty = new Dtab([]);
  private index: TrieNode | undefined;

  constructor(readonly dentries: readonly Dentry[]) {}

  get size(): number {
    return this.dentries.length;
  }

  /**
   * The dentries whose prefix matches `path`, latest first, each with its destination rewritten
   * (the unmatched rest of the path appended to every leaf). Found through a prefix trie, so the
   * cost depends on the path and the matches, not on the size of the dtab.
   */
  matches(path: Path): DentryMatch[] {
    const found: number[] = [];
    collect(this.trie(), path, 0, found);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: sorting zero or one index is a no-op
    if (found.length > 1) found.sort((a, b) => b - a);
    return found.map((index) => {
      const dentry = this.dentries[index]!;
      const residual = path.slice(dentry.prefix.length);
      const tree = residual.length === 0 ? dentry.dst : mapTree(dentry.dst, (p) => p.concat(residual));
      return { index, dentry, tree };
    });
  }

  /** Finagle's Dtab.lookup: Neg when nothing matches, the one match, or an Alt of all (latest first). */
  lookup(path: Path): NameTree<Path> {
    const ms = this.matches(path);
    if (ms.length === 0) return NEG;
    if (ms.length === 1) return ms[0]!.tree;
    return alt(ms.map((m) => m.tree));
  }

  /**
   * The dentries whose prefix matches every path that `prefix` matches (same length or shorter,
   * each element equal or `*`), in index order. Used to find dentries that shadow others.
   */
  generalizations(prefix: Prefix): number[] {
    const out: number[] = [];
    // Iterative (a prefix may have thousands of labels): the trie is as deep as the longest prefix.
    const stack: { node: TrieNode; depth: number }[] = [{ node: this.trie(), depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      for (const i of node.ends) out.push(i);
      if (depth >= prefix.length) continue;
      const e = prefix[depth]!;
      // Stryker disable next-line ConditionalExpression: children is keyed by strings, so children.get(ANY) is undefined, as if skipped
      if (e !== ANY) {
        const next = node.children?.get(e);
        if (next) stack.push({ node: next, depth: depth + 1 });
      }
      if (node.any) stack.push({ node: node.any, depth: depth + 1 });
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * Names that reach a more specific dentry through another, one rewrite backwards: with
   * `/svc => /host` and `/host/world => …`, `/svc/world`. Literal prefixes only, at most `max`, in
   * dentry order.
   */
  reachingNames(max = Number.POSITIVE_INFINITY): Path[] {
    const out: Path[] = [];
    const literal = (i: number) => !this.dentries[i]!.prefix.includes(ANY);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: `out.length < max` only ends the scan early; the check before each push already stops at max
    for (let i = 0; i < this.dentries.length && out.length < max; i++) {
      if (!literal(i)) continue;
      const d = this.dentries[i]!;
      for (const to of leafValues(d.dst)) {
        for (const j of this.specializations(to)) {
          if (out.length >= max) break;
          const b = this.dentries[j]!.prefix;
          if (j === i || b.length <= to.length || !literal(j) || !prefixMatches(to, b as Path)) continue;
          out.push([...(d.prefix as Path), ...(b.slice(to.length) as Path)]);
        }
      }
    }
    return out;
  }

  /**
   * The dentries whose every path `prefix` also matches (their prefix is as long or longer, and
   * equal to `prefix` where it has labels): the converse of generalizations, in index order.
   */
  specializations(prefix: Prefix): number[] {
    const out: number[] = [];
    const stack: { node: TrieNode; depth: number }[] = [{ node: this.trie(), depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (depth >= prefix.length) {
        // Everything below: every dentry whose prefix starts like this one.
        for (const i of node.ends) out.push(i);
        if (node.children) for (const c of node.children.values()) stack.push({ node: c, depth });
        if (node.any) stack.push({ node: node.any, depth });
        continue;
      }
      const e = prefix[depth]!;
      if (e === ANY) {
        if (node.children) for (const c of node.children.values()) stack.push({ node: c, depth: depth + 1 });
        if (node.any) stack.push({ node: node.any, depth: depth + 1 });
      } else {
        const next = node.children?.get(e);
        if (next) stack.push({ node: next, depth: depth + 1 });
      }
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * This dtab with dentries [from, from + deleteCount) replaced by `inserted`. Its prefix index, if
   * built, moves to the new dtab and is updated there: work proportional to the dentries changed,
   * plus one walk of the index when the number of dentries changes (later indices move). This dtab
   * builds its index again if it is asked for one.
   */
  splice(from: number, deleteCount: number, inserted: readonly Dentry[]): Dtab {
    const dentries = this.dentries.slice(0, from).concat(inserted, this.dentries.slice(from + deleteCount));
    const next = new Dtab(dentries);
    const root = this.index;
    if (!root) return next;
    this.index = undefined;
    for (let i = from; i < from + deleteCount; i++) removeEnd(root, this.dentries[i]!.prefix, i);
    const shift = inserted.length - deleteCount;
    // Stryker disable next-line ConditionalExpression: shifting by 0 changes nothing
    if (shift !== 0) shiftEnds(root, from + deleteCount, shift);
    for (let k = 0; k < inserted.length; k++) addEnd(root, inserted[k]!.prefix, from + k);
    next.index = root;
    return next;
  }

  private trie(): TrieNode {
    if (this.index) return this.index;
    const root = trieNode();
    this.dentries.forEach((d, i) => {
      let node = root;
      for (const e of d.prefix) {
        if (e === ANY) node = node.any ??= trieNode();
        else {
          let next = node.children?.get(e);
          if (!next) (node.children ??= new Map()).set(e, (next = trieNode()));
          node = next;
        }
      }
      node.ends.push(i);
    });
    this.index = root;
    return root;
  }
}

function collect(root: TrieNode, path: Path, _depth: number, out: number[]): void {
  const stack: { node: TrieNode; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    for (const i of node.ends) out.push(i);
    if (depth >= path.length) continue;
    const next = node.children?.get(path[depth]!);
    if (next) stack.push({ node: next, depth: depth + 1 });
    if (node.any) stack.push({ node: node.any, depth: depth + 1 });
  }
}

/** Removes dentry `index` from the node of `prefix`, and the nodes left empty on the way. */
function removeEnd(root: TrieNode, prefix: Prefix, index: number): void {
  const path: { parent: TrieNode; key: PrefixElem }[] = [];
  let node: TrieNode | undefined = root;
  for (const e of prefix) {
    // Stryker disable next-line OptionalChaining: a removed dentry's prefix is in the index, so a literal step always has children
    const next: TrieNode | undefined = e === ANY ? node.any : node.children?.get(e);
    // Stryker disable next-line ConditionalExpression: a removed dentry's prefix is in the index, so next is never undefined
    if (!next) return;
    path.push({ parent: node, key: e });
    node = next;
  }
  const k = node.ends.indexOf(index);
  // Stryker disable next-line ConditionalExpression: a removed dentry's index is always in its node's ends, so k >= 0
  if (k >= 0) node.ends.splice(k, 1);
  for (let d = path.length - 1; d >= 0; d--) {
    if (node.ends.length > 0 || (node.children !== undefined && node.children.size > 0) || node.any) return;
    const { parent, key } = path[d]!;
    if (key === ANY) parent.any = undefined;
    // Stryker disable next-line OptionalChaining: a literal key was found in parent.children, so it is defined
    else parent.children?.delete(key);
    node = parent;
  }
}

/** Adds dentry `index` at the node of `prefix`, keeping the node's indices in order. */
function addEnd(root: TrieNode, prefix: Prefix, index: number): void {
  let node = root;
  for (const e of prefix) {
    if (e === ANY) node = node.any ??= trieNode();
    else {
      let next = node.children?.get(e);
      if (!next) (node.children ??= new Map()).set(e, (next = trieNode()));
      node = next;
    }
  }
  const ends = node.ends;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! < index) lo = mid + 1;
    else hi = mid;
  }
  ends.splice(lo, 0, index);
}

/** Moves every index from `from` on by `shift` (iterative: the trie is as deep as the longest prefix). */
function shiftEnds(root: TrieNode, from: number, shift: number): void {
  const stack: TrieNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const ends = node.ends;
    for (let k = ends.length - 1; k >= 0 && ends[k]! >= from; k--) ends[k]! += shift;
    if (node.children) for (const c of node.children.values()) stack.push(c);
    if (node.any) stack.push(node.any);
  }
}
