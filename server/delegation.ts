// The delegation view's data: the core's delegate tree, annotated for the client's tree view
// (primary path, status, one-line descriptions, the dentry of each step with its range).

import { boundByNamer, describeBound, describeNode, lowerPath, nodeStatus, parsePath, primaryNodes, showPath, unionShares, type DelegateTree, type Interpreter } from '../core/index.js';
import type { DelegateResult, DelegationNode } from '../protocol/messages.js';
import type { Analysis } from './lsp.js';

/** Linkerd's reading of a node; a chain of rewrites ending in an unresolved leaf is unresolved. */
function status(node: DelegateTree): DelegationNode['status'] {
  let t = node;
  while (t.type === 'delegate') t = t.delegate;
  if (t.type === 'leaf' && t.bound.addr.type === 'pending' && t.bound.addr.unresolvedBy) return 'unresolved';
  return nodeStatus(node);
}

/**
 * `whyNegative` says, for a negative `/#/` leaf, why in the cluster's words ("no port named grpc on
 * service world (ports: http, admin)").
 */
export async function delegateInDocument(a: Analysis, pathText: string, interpreter: Interpreter, whyNegative?: (path: readonly string[]) => Promise<string | undefined>): Promise<DelegateResult> {
  const parsed = parsePath(pathText.trim());
  if (!parsed.ok) return { ok: false, message: `Not a path: ${parsed.error.plain}` };
  const path = lowerPath(parsed.value);
  let tree: DelegateTree;
  try {
    tree = await interpreter.delegate(a.dtab, path);
  } catch (e) {
    return { ok: false, message: `Delegating ${showPath(path)} fails: ${(e as Error).message}` };
  }
  let routes: string[];
  try {
    routes = describeBound(await interpreter.bind(a.dtab, path));
  } catch (e) {
    routes = [`fails: ${(e as Error).message}`];
  }
  const primary = primaryNodes(tree);
  // Built without recursion on the tree's depth: children first, parents after.
  const built = new Map<DelegateTree, DelegationNode>();
  const order: { t: DelegateTree; weight?: { value: number; percent: number } }[] = [];
  const weights = new Map<DelegateTree, { value: number; percent: number }>();
  const stack: DelegateTree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    order.push({ t, ...(weights.has(t) ? { weight: weights.get(t)! } : {}) });
    if (t.type === 'delegate') stack.push(t.delegate);
    else if (t.type === 'transformation') stack.push(t.tree);
    else if (t.type === 'alt') for (const c of t.alt) stack.push(c);
    else if (t.type === 'union') {
      const shares = unionShares(t.union.map((w) => w.weight));
      t.union.forEach((w, i) => {
        weights.set(w.tree, { value: w.weight, percent: shares[i]! });
        stack.push(w.tree);
      });
    }
  }
  const reasons = new Map<DelegateTree, string>();
  if (whyNegative) {
    for (const { t } of order) {
      if (t.type !== 'neg' || t.path[0] !== '#') continue;
      const why = await whyNegative(t.path);
      if (why) reasons.set(t, `(negative: ${why})`);
    }
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const { t, weight } = order[k]!;
    const kids = t.type === 'delegate' ? [t.delegate] : t.type === 'transformation' ? [t.tree] : t.type === 'alt' ? t.alt : t.type === 'union' ? t.union.map((w) => w.tree) : [];
    const d = t.dentry;
    const syntax = d ? a.dentries[d.index] : undefined;
    built.set(t, {
      path: t.type === 'neg' && t.path.length === 0 ? '~' : showPath(t.path),
      type: t.type,
      primary: primary.has(t),
      status: status(t),
      description: reasons.get(t) ?? (t.type === 'delegate' ? '' : describeNode(t).replace(/^\S+\s+/, '')),
      ...(d && syntax
        ? { dentry: { text: a.dentryText(d.index), line: a.lineOf(d.index), range: a.range(syntax) } }
        : {}),
      ...(weight ? { weight } : {}),
      children: kids.map((c) => built.get(c)!),
    });
  }
  return { ok: true, root: built.get(tree)!, routes, version: a.version, boundByNamer: boundByNamer(tree) };
}
