// Structural text forms of trees, as the conformance vectors write them (Scala's toString of
// NameTree, and a compact form of bound trees). Useful in tests and `dtab delegate --repr`.

import type { Path } from '../model/path.js';
import type { BoundName } from '../model/names.js';
import { javaDouble } from './numbers.js';
import { showPath } from './show.js';
import { TOKEN_TEXT, type NameTree } from '../model/nametree.js';

/** `Alt(Union(1.0*Leaf(/a),2.0*Leaf(/b)),Leaf(/c))`, `Neg`, `Fail`, `Empty`. */
export function reprTree(tree: NameTree<Path>): string {
  switch (tree.type) {
    case 'leaf':
      return `Leaf(${showPath(tree.value)})`;
    case 'alt':
      return `Alt(${tree.trees.map(reprTree).join(',')})`;
    case 'union':
      return `Union(${tree.trees.map((w) => `${javaDouble(w.weight)}*${reprTree(w.tree)}`).join(',')})`;
    case 'neg':
      return 'Neg';
    case 'fail':
      return 'Fail';
    case 'empty':
      return 'Empty';
  }
}

/** `None`, or `Some([/a, /b])` with the shown paths sorted. */
export function reprEval(result: Set<Path> | undefined): string {
  if (result === undefined) return 'None';
  const shown = [...result].map(showPath).sort();
  return `Some([${shown.join(', ')}])`;
}

/** A bound leaf: `id[residual /rest]{w=weight}`. */
export function reprBoundName(b: BoundName): string {
  const residual = b.residual.length > 0 ? `[residual ${showPath(b.residual)}]` : '';
  const weight = b.weight !== undefined ? `{w=${javaDouble(b.weight)}}` : '';
  return `${showPath(b.id)}${residual}${weight}`;
}

/** A bound tree: `~`, `!`, `$`, a bound leaf, `Union(3.0*..., 1.0*...)`, `Alt(..., ...)`. */
export function reprBound(tree: NameTree<BoundName>): string {
  switch (tree.type) {
    case 'leaf':
      return reprBoundName(tree.value);
    case 'alt':
      return `Alt(${tree.trees.map(reprBound).join(', ')})`;
    case 'union':
      return `Union(${tree.trees.map((w) => `${javaDouble(w.weight)}*${reprBound(w.tree)}`).join(', ')})`;
    case 'neg':
    case 'fail':
    case 'empty':
      return TOKEN_TEXT[tree.type];
  }
}
