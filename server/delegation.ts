// The delegation view: the core's delegate tree, annotated for the client's tree view (primary
// path, status, one-line descriptions, the dentry of each step with its range in the document).

import {
  describeNode,
  Interpreter,
  lowerPath,
  nodeStatus,
  parsePath,
  primaryNodes,
  reprBound,
  showDentry,
  showPath,
  unionShares,
  type DelegateTree,
} from '../core/index.js';
import type { DelegateResult, DelegationNode } from '../protocol/messages.js';
import type { Analysis } from './dtab-service.js';

/** `/#/<namer>/…` answered `~` because the editor has no such namer (yet): say so, not "nothing matches". */
function unresolvedNamer(t: DelegateTree): string | undefined {
  if (t.type !== 'neg' || t.path.length < 2 || t.path[0] !== '#') return undefined;
  return `${showPath(t.path)}  (not resolved: no \`/#/${t.path[1]}\` namer is connected in the editor)`;
}

export async function delegateInDocument(a: Analysis, pathText: string, interpreter: Interpreter): Promise<DelegateResult> {
  const parsed = parsePath(pathText.trim());
  if (!parsed.ok) return { ok: false, message: `Not a path: ${parsed.error.plain} (${parsed.error.finagleMessage})` };
  const path = lowerPath(parsed.value);
  let tree: DelegateTree;
  try {
    tree = await interpreter.delegate(a.dtab, path);
  } catch (e) {
    return { ok: false, message: `Delegating ${showPath(path)} fails: ${(e as Error).message}` };
  }
  let bound: string;
  try {
    bound = reprBound(await interpreter.bind(a.dtab, path));
  } catch (e) {
    bound = `fails: ${(e as Error).message}`;
  }
  const primary = primaryNodes(tree);
  const view = (t: DelegateTree, weight?: { value: number; percent: number }): DelegationNode => {
    const children: DelegationNode[] =
      t.type === 'delegate'
        ? [view(t.delegate)]
        : t.type === 'alt'
          ? t.alt.map((c) => view(c))
          : t.type === 'union'
            ? (() => {
                const shares = unionShares(t.union.map((w) => w.weight));
                return t.union.map((w, i) => view(w.tree, { value: w.weight, percent: shares[i]! }));
              })()
            : [];
    const d = t.dentry;
    const syntax = d ? a.dentries[d.index] : undefined;
    return {
      path: t.type === 'neg' && t.path.length === 0 ? '~' : showPath(t.path),
      type: t.type,
      primary: primary.has(t),
      status: nodeStatus(t),
      description: unresolvedNamer(t) ?? describeNode(t),
      ...(d ? { dentry: { text: showDentry(d.dentry), ...(syntax ? { range: a.range(syntax) } : {}) } } : {}),
      ...(weight ? { weight } : {}),
      children,
    };
  };
  return { ok: true, root: view(tree), bound, version: a.version };
}
