// What is at an offset: the chain of syntax nodes that contain it, innermost last. Editors use it
// for hover, definition, rename and selection ranges. The walks here recurse on the syntax tree,
// whose depth the parser bounds (MAX_NESTING), whatever the length of the text.

import type { DentrySyntax, DtabSyntax, EntrySyntax, LabelSyntax, LeafSyntax, PathSyntax, PrefixSyntax, Span, TreeSyntax, WildcardSyntax } from './ast.js';

export type Located =
  | { readonly kind: 'entry'; readonly node: EntrySyntax; readonly index: number }
  | { readonly kind: 'prefix'; readonly node: PrefixSyntax }
  | { readonly kind: 'arrow'; readonly node: Span }
  | { readonly kind: 'tree'; readonly node: TreeSyntax }
  | { readonly kind: 'path'; readonly node: PathSyntax; readonly leaf: LeafSyntax }
  | { readonly kind: 'label'; readonly node: LabelSyntax | WildcardSyntax; readonly elemIndex: number };

const inside = (s: Span, offset: number) => s.start <= offset && offset <= s.end;

/** The nodes containing `offset` (an offset at a node's end counts: the cursor stands after it). */
export function locate(syntax: DtabSyntax, offset: number): Located[] {
  const entries = syntax.entries;
  // Entries are in source order: binary search for the last one starting at or before offset.
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return [];
  const entry = entries[found]!;
  if (!inside(entry, offset)) return [];
  const out: Located[] = [{ kind: 'entry', node: entry, index: found }];
  if (entry.kind === 'broken') {
    if (entry.prefix && inside(entry.prefix, offset)) locatePrefix(entry.prefix, offset, out);
    return out;
  }
  if (inside(entry.prefix, offset)) locatePrefix(entry.prefix, offset, out);
  else if (inside(entry.arrow, offset)) out.push({ kind: 'arrow', node: entry.arrow });
  else if (inside(entry.dst, offset)) locateTree(entry.dst, offset, out);
  return out;
}

function locatePrefix(prefix: PrefixSyntax, offset: number, out: Located[]): void {
  out.push({ kind: 'prefix', node: prefix });
  prefix.elems.forEach((e, i) => {
    if (inside(e, offset)) out.push({ kind: 'label', node: e, elemIndex: i });
  });
}

function locateTree(t: TreeSyntax, offset: number, out: Located[]): void {
  out.push({ kind: 'tree', node: t });
  switch (t.kind) {
    case 'leaf': {
      out.push({ kind: 'path', node: t.path, leaf: t });
      const labels = t.path.labels;
      for (let i = 0; i < labels.length; i++) {
        if (inside(labels[i]!, offset)) {
          out.push({ kind: 'label', node: labels[i]!, elemIndex: i });
          break;
        }
      }
      return;
    }
    case 'alt':
      for (const b of t.branches) if (inside(b, offset)) return locateTree(b, offset, out);
      return;
    case 'union':
      for (const b of t.branches) if (inside(b.tree, offset)) return locateTree(b.tree, offset, out);
      return;
    case 'weighted':
    case 'group':
      if (inside(t.tree, offset)) locateTree(t.tree, offset, out);
      return;
  }
}

/** Every leaf of a destination, in source order (iterative: it never recurses on nesting). */
export function leaves(tree: TreeSyntax, out: LeafSyntax[] = []): LeafSyntax[] {
  const stack: TreeSyntax[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    switch (t.kind) {
      case 'leaf':
        out.push(t);
        break;
      case 'alt':
        for (let i = t.branches.length - 1; i >= 0; i--) stack.push(t.branches[i]!);
        break;
      case 'union':
        for (let i = t.branches.length - 1; i >= 0; i--) stack.push(t.branches[i]!.tree);
        break;
      case 'weighted':
      case 'group':
        stack.push(t.tree);
        break;
    }
  }
  return out;
}

/** The parsed dentries with their index in the lowered Dtab (broken entries have none). */
export function dentriesOf(syntax: DtabSyntax): DentrySyntax[] {
  return syntax.entries.filter((e): e is DentrySyntax => e.kind === 'dentry');
}
