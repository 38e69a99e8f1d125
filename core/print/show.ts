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

/** NameTree.show, generic over the leaf printer. */
export function showTree<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  return showTop(tree, showLeaf);
}

function showTop<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  if (tree.type === 'alt' && tree.trees.length >= 2) return tree.trees.map((t) => showUnionLevel(t, showLeaf)).join(' | ');
  return showUnionLevel(tree, showLeaf);
}

function showUnionLevel<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  if (tree.type === 'alt' && tree.trees.length === 1) return showUnionLevel(tree.trees[0]!, showLeaf);
  if (tree.type === 'union') {
    if (tree.trees.length === 1) return showUnionLevel(tree.trees[0]!.tree, showLeaf);
    if (tree.trees.length >= 2) {
      return tree.trees
        .map((w) => (w.weight === 1.0 ? '' : `${formatFixed2(w.weight)}*`) + showSimple(w.tree, showLeaf))
        .join(' & ');
    }
  }
  return showSimple(tree, showLeaf);
}

function showSimple<T>(tree: NameTree<T>, showLeaf: (v: T) => string): string {
  switch (tree.type) {
    case 'leaf':
      return showLeaf(tree.value);
    case 'neg':
    case 'fail':
    case 'empty':
      return TOKEN_TEXT[tree.type];
    case 'alt':
      if (tree.trees.length === 1) return showSimple(tree.trees[0]!, showLeaf);
      return `(${showTop(tree, showLeaf)})`;
    case 'union':
      if (tree.trees.length === 1) return showSimple(tree.trees[0]!.tree, showLeaf);
      return `(${showTop(tree, showLeaf)})`;
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
