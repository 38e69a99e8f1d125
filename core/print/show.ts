// Finagle's canonical printed forms (`show`): Path.show, Dentry.Prefix.show, NameTree.show,
// Dentry.show and Dtab.show, exactly. showTree recurses on the tree: a tree lowered from text is at
// most 2 × (MAX_NESTING + 1) + 1 deep; delegation stacks one such tree per step it takes.

import { ANY, type Dentry, type Dtab, type Prefix, type PrefixElem } from '../model/dtab.js';
import type { Path } from '../model/path.js';
import { isShowable } from '../syntax/chars.js';
import { formatFixed2 } from './numbers.js';
import { TOKEN_TEXT, type NameTree } from '../model/nametree.js';

const HEX = '0123456789abcdef';

/** One element: as text if every byte is showable, otherwise every byte as `\xhh`. */
export function showElem(elem: string): string {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty element prints as '' either way
  let plain = elem.length > 0;
  for (let i = 0; i < elem.length; i++) {
    if (!isShowable(elem.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return elem;
  let out = '';
  for (let i = 0; i < elem.length; i++) {
    const b = elem.charCodeAt(i) & 0xff;
    out += '\\x' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

export function showPath(path: Path): string {
  if (path.length === 0) return '/';
  let out = '';
  for (const e of path) out += '/' + showElem(e);
  return out;
}

export function showPrefixElem(e: PrefixElem): string {
  return e === ANY ? '*' : showElem(e);
}

export function showPrefix(prefix: Prefix): string {
  if (prefix.length === 0) return '/';
  let out = '';
  for (const e of prefix) out += '/' + showPrefixElem(e);
  return out;
}

/**
 * NameTree.show, generic over the leaf printer: Finagle's show / show1 / showSimple, case for case.
 * A one-tree Alt or Union is its tree at every level (so `Alt(Alt(a, b))` shows as `a | b`), an empty
 * Alt or Union shows as nothing at the top and `()` inside another tree.
 */
export function showTree<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  return showTop(tree, showLeaf);
}

/** Finagle's `case Union(Weighted(_, tree))` and `case Alt(tree)`: a one-tree Alt or Union is its tree. */
function single<T>(tree: NameTree<T>): NameTree<T> {
  for (;;) {
    if (tree.type === 'alt' && tree.trees.length === 1) tree = tree.trees[0]!;
    else if (tree.type === 'union' && tree.trees.length === 1) tree = tree.trees[0]!.tree;
    else return tree;
  }
}

/** `show`: alternatives joined by ` | `, each shown by show1. */
function showTop<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  const t = single(tree);
  if (t.type === 'alt') return t.trees.map((x) => show1(x, showLeaf)).join(' | ');
  return show1(t, showLeaf);
}

/** `show1`: a union's weighted trees joined by ` & ` (weight 1 unprinted), an Alt in parentheses. */
function show1<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  const t = single(tree);
  if (t.type === 'union') return t.trees.map((w) => (w.weight === 1.0 ? '' : `${formatFixed2(w.weight)}*`) + showSimple(w.tree, showLeaf)).join(' & ');
  // Stryker disable next-line ConditionalExpression,StringLiteral: showSimple parenthesizes an Alt the same way
  if (t.type === 'alt') return `(${showTop(t, showLeaf)})`;
  return showSimple(t, showLeaf);
}

/** `showSimple`: a leaf or token, or any Alt or Union in parentheses. */
function showSimple<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  const t = single(tree);
  switch (t.type) {
    case 'leaf':
      return showLeaf(t.value);
    case 'neg':
    case 'fail':
    case 'empty':
      return TOKEN_TEXT[t.type];
    case 'alt':
    case 'union':
      return `(${showTop(t, showLeaf)})`;
  }
}

export function showPathTree(tree: NameTree<Path>): string {
  return showTree(tree, showPath);
}

export function showDentry(d: Dentry): string {
  return `${showPrefix(d.prefix)}=>${showPathTree(d.dst)}`;
}

export function showDtab(dtab: Dtab): string {
  return dtab.dentries.map(showDentry).join(';');
}
