// Syntax tree -> model. Labels already carry their decoded bytes, so this never reads text.
// lowerTree recurses on the syntax tree, which the parser keeps shallow (MAX_NESTING).

import { ANY, Dtab, type Dentry, type Prefix } from '../model/dtab.js';
import { alt, EMPTY, FAIL, leaf, NEG, union, type NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import type { DentrySyntax, DtabSyntax, PathSyntax, PrefixSyntax, TreeSyntax } from './ast.js';

export function lowerPath(p: PathSyntax): Path {
  return p.values;
}

export function lowerPrefix(p: PrefixSyntax): Prefix {
  return p.elems.map((e) => (e.kind === 'wildcard' ? ANY : e.value));
}

export function lowerTree(t: TreeSyntax): NameTree<Path> {
  switch (t.kind) {
    case 'leaf':
      return leaf(lowerPath(t.path));
    case 'alt':
      return alt(t.branches.map(lowerTree));
    case 'union':
      return union(t.branches.map((b) => ({ weight: b.weight ? b.weight.value : 1.0, tree: lowerTree(b.tree) })));
    case 'weighted':
    case 'group':
      return lowerTree(t.tree);
    case 'neg':
      return NEG;
    case 'fail':
      return FAIL;
    case 'empty':
      return EMPTY;
  }
}

export function lowerDentry(d: DentrySyntax): Dentry {
  return { prefix: lowerPrefix(d.prefix), dst: lowerTree(d.dst) };
}

/** The dtab of the entries that parsed (broken entries are left out). */
export function lowerDtab(s: DtabSyntax): Dtab {
  const out: Dentry[] = [];
  for (const e of s.entries) if (e.kind === 'dentry') out.push(lowerDentry(e));
  return new Dtab(out);
}
