// Reading a delegate tree the way Linkerd's delegator UI does (admin delegator.js): each node is
// neg, fail or success; the primary path follows the first non-neg alternative.

import type { DelegateTree } from './delegate-tree.js';

export type NodeStatus = 'neg' | 'fail' | 'success';

export function nodeStatus(tree: DelegateTree): NodeStatus {
  switch (tree.type) {
    case 'delegate':
      return nodeStatus(tree.delegate);
    case 'transformation':
      // Linkerd's delegator UI: a transformation reads as its result.
      return tree.bound.addr.type === 'neg' ? 'neg' : 'success';
    case 'alt': {
      for (const c of tree.alt) {
        const s = nodeStatus(c);
        if (s !== 'neg') return s;
      }
      return 'neg';
    }
    case 'union': {
      const ss = tree.union.map((w) => nodeStatus(w.tree));
      if (ss.includes('fail')) return 'fail';
      return ss.includes('success') ? 'success' : 'neg';
    }
    case 'exception':
    case 'fail':
      return 'fail';
    case 'leaf':
      return tree.bound.addr.type === 'neg' ? 'neg' : 'success';
    case 'empty':
      // `$`: a positive answer with no endpoints; the UI shows it as success of an empty set.
      return 'success';
    case 'neg':
      return 'neg';
  }
}

/** The nodes on the primary path: through every delegate, the first non-neg alt branch, all union branches. */
export function primaryNodes(tree: DelegateTree): Set<DelegateTree> {
  const out = new Set<DelegateTree>();
  const visit = (t: DelegateTree): void => {
    out.add(t);
    switch (t.type) {
      case 'delegate':
        visit(t.delegate);
        break;
      case 'transformation':
        visit(t.tree);
        break;
      case 'alt': {
        const first = t.alt.find((c) => nodeStatus(c) !== 'neg');
        if (first) visit(first);
        break;
      }
      case 'union':
        for (const w of t.union) visit(w.tree);
        break;
    }
  };
  visit(tree);
  return out;
}
