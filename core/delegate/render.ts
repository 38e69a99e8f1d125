// A delegate tree as indented text, like Linkerd's delegator page: each step with the dentry that
// produced it, the primary path (what routing uses) marked with `*`.

import { showDentry, showPath } from '../print/show.js';
import type { DelegateTree } from './delegate-tree.js';
import { primaryNodes } from './explain.js';
import type { Addr, BoundName } from '../model/names.js';
import type { NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';

export interface RenderOptions {
  /** Where dentry `index` is, e.g. "line 3"; shown next to the dentry. */
  readonly locate?: (index: number) => string | undefined;
}

/** Levels shown before a deeper tree (one a server sent) is cut, so that indentation stays bounded. */
export const RENDER_MAX_DEPTH = 200;

export function renderDelegateTree(tree: DelegateTree, options: RenderOptions = {}): string {
  const primary = primaryNodes(tree);
  const lines: string[] = [];
  // Without recursion: a tree decoded from a server can be as deep as the server makes it.
  const stack: { t: DelegateTree; depth: number; weight: string }[] = [{ t: tree, depth: 0, weight: '' }];
  while (stack.length > 0) {
    const { t, depth, weight } = stack.pop()!;
    const indent = '  '.repeat(depth);
    if (depth > RENDER_MAX_DEPTH) {
      lines.push(`  ${indent}… deeper than ${RENDER_MAX_DEPTH} levels: not shown`);
      continue;
    }
    const mark = primary.has(t) ? '*' : ' ';
    const via = t.dentry ? `  <- ${showDentry(t.dentry.dentry)}${locateSuffix(options, t.dentry.index)}` : '';
    lines.push(`${mark} ${indent}${weight}${describeNode(t)}${via}`);
    const children: { t: DelegateTree; weight: string }[] = [];
    switch (t.type) {
      case 'delegate':
        children.push({ t: t.delegate, weight: '' });
        break;
      case 'transformation':
        children.push({ t: t.tree, weight: '' });
        break;
      case 'alt':
        for (const c of t.alt) children.push({ t: c, weight: '' });
        break;
      case 'union': {
        const total = t.union.reduce((s, w) => s + w.weight, 0);
        for (const w of t.union) children.push({ t: w.tree, weight: `${percent(w.weight, total, t.union.length)} ` });
        break;
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ ...children[i]!, depth: depth + 1 });
  }
  return lines.join('\n') + '\n';
}

function locateSuffix(options: RenderOptions, index: number): string {
  const where = options.locate?.(index);
  return where ? ` (${where})` : '';
}

function percent(w: number, total: number, n: number): string {
  // As formatShare writes shares elsewhere: rounded first, so 99.96 is `100%`, not `100.0%`.
  return `[${formatShare(total > 0 ? (100 * w) / total : 100 / n)}]`;
}

/** One line for people about a node: its path and what happened there. */
export function describeNode(t: DelegateTree): string {
  const path = showPath(t.path);
  switch (t.type) {
    case 'delegate':
      return path;
    case 'alt':
      return `${path}  (alternatives: the first that is not negative wins)`;
    case 'union':
      return `${path}  (union: traffic is split by weight)`;
    case 'leaf':
      return `${path}  => bound ${showPath(t.bound.id)}${t.bound.residual.length ? ` residual ${showPath(t.bound.residual)}` : ''}: ${describeAddr(t.bound.addr)}`;
    case 'neg':
      // An empty path on a node a dentry produced is a `~` written in that dentry.
      if (t.path.length === 0 && t.dentry) return '~  (negative: written as ~)';
      if (t.path.length >= 2 && t.path[0] === '#') return `${path}  (negative: no namer has this name)`;
      return `${path}  (negative: nothing matches)`;
    case 'fail':
      return `${t.path[0] === '$' && t.path[1] === 'fail' ? path : '!'}  (fail: the request fails, no fallback)`;
    case 'empty':
      return `${path}  (empty: exists but has no endpoints)`;
    case 'exception':
      return `${path}  (error: ${t.message})`;
    case 'transformation':
      return `${path}  => transformed by ${t.name} to ${showPath(t.bound.id)}: ${describeAddr(t.bound.addr)}`;
  }
}

/** Addresses listed in one line at most; the rest are counted. */
const MAX_SHOWN = 5;

export function describeAddr(addr: Addr): string {
  switch (addr.type) {
    case 'bound': {
      if (addr.addrs.length === 0) return 'no addresses';
      const shown = addr.addrs.slice(0, MAX_SHOWN).map((a) => `${a.ip}:${a.port}${typeof a.meta.nodeName === 'string' ? ` on ${a.meta.nodeName}` : ''}`);
      return shown.join(', ') + (addr.addrs.length > MAX_SHOWN ? ` and ${addr.addrs.length - MAX_SHOWN} more` : '');
    }
    case 'neg':
      return 'no such host';
    case 'failed':
      return `failed (${addr.cause})`;
    case 'pending':
      return addr.unresolvedBy ? `unresolved here: ${addr.unresolvedBy} resolves it at run time` : 'pending';
  }
}

/** One way a bound name sends traffic: its share, where, and what is known of the addresses. */
export interface Share {
  /** Percent of the requests (unions multiply down the tree). */
  readonly percent: number;
  /** The bound id and residual as Finagle shows them (`/#/io.l5d.k8s/default/http/world-v1/rest`), or `~`, `!`, `$`. */
  readonly target: string;
  /** For people: the addresses, "unresolved here: …", "no endpoints", … */
  readonly detail: string;
  /** The bound id, for a bound leaf (absent for `~`, `!`, `$`). */
  readonly id?: Path;
}

/** Where a bound tree sends requests, as shares (bound trees hold unions, leaves, `~`, `!`, `$`). */
export function boundShares(tree: NameTree<BoundName>): Share[] {
  const out: Share[] = [];
  const stack: { t: NameTree<BoundName>; p: number }[] = [{ t: tree, p: 100 }];
  while (stack.length > 0) {
    const { t, p } = stack.pop()!;
    switch (t.type) {
      case 'leaf':
        out.push({ percent: p, target: showPath([...t.value.id, ...t.value.residual]), detail: describeAddr(t.value.addr), id: t.value.id });
        break;
      case 'union': {
        const total = t.trees.reduce((s, w) => s + w.weight, 0);
        for (let i = t.trees.length - 1; i >= 0; i--) {
          const w = t.trees[i]!;
          stack.push({ t: w.tree, p: (p * (total > 0 ? w.weight / total : 1 / t.trees.length)) });
        }
        break;
      }
      case 'alt':
        // Not produced by binding; shown as its first branch.
        if (t.trees.length > 0) stack.push({ t: t.trees[0]!, p });
        break;
      case 'neg':
        out.push({ percent: p, target: '~', detail: 'negative: no route, requests fail' });
        break;
      case 'fail':
        out.push({ percent: p, target: '!', detail: 'fail: requests fail' });
        break;
      case 'empty':
        out.push({ percent: p, target: '$', detail: 'empty: no endpoints, requests fail' });
        break;
    }
  }
  return out;
}

/** A percentage for people: whole where it is, else one decimal (`90%`, `33.3%`). */
export function formatShare(p: number): string {
  const r = Math.round(p * 10) / 10;
  return `${Number.isInteger(r) ? r : r.toFixed(1)}%`;
}

/** `90% → /#/io.l5d.k8s/default/http/world-v1 (unresolved here: …)`, one line a share. */
export function describeBound(tree: NameTree<BoundName>): string[] {
  return boundShares(tree).map((s) => `${formatShare(s.percent)} → ${s.target} (${s.detail})`);
}

