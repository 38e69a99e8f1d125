// The delegation view's data: the core's delegate tree, annotated for the client's tree view
// (primary path, status, one-line descriptions, the dentry of each step with its range).

import { boundByNamer, describeBound, describeNode, lowerPath, nodeStatuses, parsePath, primaryNodes, showDentry, showPath, unionShares, type DelegateTree, type Interpreter } from '../core/index.js';
import type { DelegateResult, DelegationNode } from '../protocol/messages.js';
import type { Analysis } from './lsp.js';

/** Whether a node is a leaf a namer left unresolved (in the editor, without the cluster). */
const unresolvedLeaf = (t: DelegateTree) => t.type === 'leaf' && t.bound.addr.type === 'pending' && !!t.bound.addr.unresolvedBy;

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
  const reasons = new Map<DelegateTree, string>();
  if (whyNegative) {
    for (const t of walk(tree)) {
      if (t.type !== 'neg' || t.path[0] !== '#') continue;
      const why = await whyNegative(t.path);
      if (why) reasons.set(t, `(negative: ${why})`);
    }
  }
  const root = delegationNodes(tree, {
    dentry: (d) => {
      const syntax = a.dentries[d.index];
      return syntax ? { text: a.dentryText(d.index), line: a.lineOf(d.index), range: a.range(syntax) } : undefined;
    },
    reasons,
  });
  return { ok: true, root, routes, version: a.version, boundByNamer: boundByNamer(tree) };
}

/** Every node of a delegate tree, parents before children, without recursion. */
function* walk(tree: DelegateTree): Generator<DelegateTree> {
  const stack: DelegateTree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    yield t;
    for (const c of kids(t)) stack.push(c);
  }
}

function kids(t: DelegateTree): readonly DelegateTree[] {
  return t.type === 'delegate' ? [t.delegate] : t.type === 'transformation' ? [t.tree] : t.type === 'alt' ? t.alt : t.type === 'union' ? t.union.map((w) => w.tree) : [];
}

/**
 * A delegate tree as the view's nodes. `dentry` places a node's rule in the document; without it
 * (a tree from namerd or linkerd) the rule is shown as Finagle prints it.
 */
export function delegationNodes(
  tree: DelegateTree,
  options: { dentry?: (d: NonNullable<DelegateTree['dentry']>) => DelegationNode['dentry'] | undefined; reasons?: ReadonlyMap<DelegateTree, string> } = {},
): DelegationNode {
  const primary = primaryNodes(tree);
  const statuses = nodeStatuses(tree);
  // Linkerd's reading of each node; a chain of rewrites ending in an unresolved leaf is unresolved.
  const unresolved = new Set<DelegateTree>();
  // Built without recursion on the tree's depth: children first, parents after.
  const built = new Map<DelegateTree, DelegationNode>();
  const order: { t: DelegateTree; weight?: { value: number; percent: number } }[] = [];
  const weights = new Map<DelegateTree, { value: number; percent: number }>();
  const stack: DelegateTree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    order.push({ t, ...(weights.has(t) ? { weight: weights.get(t)! } : {}) });
    if (t.type === 'union') {
      const shares = unionShares(t.union.map((w) => w.weight));
      t.union.forEach((w, i) => weights.set(w.tree, { value: w.weight, percent: shares[i]! }));
    }
    for (const c of kids(t)) stack.push(c);
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const { t, weight } = order[k]!;
    const d = t.dentry;
    const dentry = d ? (options.dentry ? options.dentry(d) : { text: showDentry(d.dentry) }) : undefined;
    if (unresolvedLeaf(t) || (t.type === 'delegate' && unresolved.has(t.delegate))) unresolved.add(t);
    built.set(t, {
      path: t.type === 'neg' && t.path.length === 0 ? '~' : showPath(t.path),
      type: t.type,
      primary: primary.has(t),
      status: unresolved.has(t) ? 'unresolved' : statuses.get(t)!,
      description: options.reasons?.get(t) ?? (t.type === 'delegate' ? '' : describeNode(t).replace(/^\S+\s+/, '')),
      ...(dentry ? { dentry } : {}),
      ...(weight ? { weight } : {}),
      children: kids(t).map((c) => built.get(c)!),
    });
  }
  return built.get(tree)!;
}
