// Reading a delegate tree the way Linkerd's delegator UI does (admin delegator.js): each node is
// neg, fail or success; the primary path follows the first non-neg alternative.

import type { DelegateTree } from './delegate-tree.js';

export type NodeStatus = 'neg' | 'fail' | 'success';

export function nodeStatus(tree: DelegateTree): NodeStatus {
  return nodeStatuses(tree).get(tree)!;
}

/** The nodes under a node whose status makes its own (the order matters for an alternative). */
function statusChildren(t: DelegateTree): readonly DelegateTree[] {
  switch (t.type) {
    case 'delegate':
      return [t.delegate];
    case 'alt':
      return t.alt;
    case 'union':
      return t.union.map((w) => w.tree);
    default:
      return [];
  }
}

/**
 * The status of every node of a tree, children before parents, without recursion: trees decoded
 * from a server (namerd's or linkerd's delegator) can be as deep as the server makes them.
 */
export function nodeStatuses(root: DelegateTree): Map<DelegateTree, NodeStatus> {
  const memo = new Map<DelegateTree, NodeStatus>();
  const stack: { t: DelegateTree; ready: boolean }[] = [{ t: root, ready: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const t = top.t;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a node shared by two parents is read again to the same status (only work is saved)
    if (memo.has(t)) {
      stack.pop();
      continue;
    }
    const kids = statusChildren(t);
    if (!top.ready) {
      top.ready = true;
      // Stryker disable next-line ConditionalExpression: a child already read is popped at once above
      for (const c of kids) if (!memo.has(c)) stack.push({ t: c, ready: false });
      // What a transformation was made from does not decide its status, but has statuses of its own.
      if (t.type === 'transformation' && !memo.has(t.tree)) stack.push({ t: t.tree, ready: false });
      continue;
    }
    stack.pop();
    memo.set(t, ownStatus(t, kids.map((c) => memo.get(c)!)));
  }
  return memo;
}

/** A node's status from its children's (in statusChildren's order). */
function ownStatus(t: DelegateTree, kids: readonly NodeStatus[]): NodeStatus {
  switch (t.type) {
    case 'delegate':
      return kids[0]!;
    case 'transformation':
      // Linkerd's delegator UI: a transformation reads as its result.
      return t.bound.addr.type === 'neg' ? 'neg' : 'success';
    case 'alt':
      return kids.find((s) => s !== 'neg') ?? 'neg';
    case 'union':
      if (kids.includes('fail')) return 'fail';
      return kids.includes('success') ? 'success' : 'neg';
    case 'exception':
    case 'fail':
      return 'fail';
    case 'leaf':
      return t.bound.addr.type === 'neg' ? 'neg' : 'success';
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
  const status = nodeStatuses(tree);
  const stack: DelegateTree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    // Stryker disable next-line ConditionalExpression: a node reached twice is added once by the Set anyway (only work is saved)
    if (out.has(t)) continue;
    out.add(t);
    switch (t.type) {
      case 'delegate':
        stack.push(t.delegate);
        break;
      case 'transformation':
        stack.push(t.tree);
        break;
      case 'alt': {
        const first = t.alt.find((c) => status.get(c) !== 'neg');
        if (first) stack.push(first);
        break;
      }
      case 'union':
        for (const w of t.union) stack.push(w.tree);
        break;
    }
  }
  return out;
}
