// A trace's spans as a tree, by id and parentId, without recursion (a trace can be 100,000 spans
// deep): orphans (a parentId not in the trace) and loops of parent links become roots, marked; a
// client span and the server span sharing its id (Zipkin v2 `shared`) nest server under client,
// and the spans whose parentId is that id hang under the server side, which did the work.

import type { Span } from './span.js';

export interface SpanNode {
  readonly span: Span;
  /** Ordered by start time (spans without a timestamp last), then as the server listed them. */
  readonly children: readonly SpanNode[];
  /** Why a span with a parent is a root: its parent is not in the trace, or the parent links loop. */
  readonly detached?: 'orphan' | 'cycle';
}

interface SpanTreeBase {
  /** The first span's trace id (undefined for no spans). */
  readonly traceId: string | undefined;
  /** Real roots (no parentId) first, then the detached ones; each group by start time. */
  readonly roots: readonly SpanNode[];
  /** How many spans. */
  readonly size: number;
}

/**
 * The earliest span start (`startUs`) and the latest span end (`endUs`: timestamp + duration), epoch
 * µs: both, or neither when no span has a timestamp.
 */
export type SpanTree = SpanTreeBase & ({ readonly startUs: number; readonly endUs: number } | { readonly startUs?: undefined; readonly endUs?: undefined });

interface MutableNode {
  span: Span;
  children: MutableNode[];
  detached?: 'orphan' | 'cycle';
}

/**
 * By start time, spans without a timestamp last (two of them: Infinity - Infinity is NaN, which a
 * sort reads as 0). Ties keep their order: the sort is stable, and children and roots are gathered
 * in the order the spans are listed.
 */
const byStart = (a: MutableNode, b: MutableNode): number => (a.span.timestamp ?? Number.POSITIVE_INFINITY) - (b.span.timestamp ?? Number.POSITIVE_INFINITY);

export function buildSpanTree(spans: readonly Span[]): SpanTree {
  const n = spans.length;
  const nodes: MutableNode[] = spans.map((span) => ({ span, children: [] }));
  // The first span of each id, apart for the shared (server) side.
  const plain = new Map<string, number>();
  const shared = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const map = s.shared ? shared : plain;
    if (!map.has(s.id)) map.set(s.id, i);
  }
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    // (plain holds no shared span: the client span is never this one.)
    const client = s.shared ? plain.get(s.id) : undefined;
    if (client !== undefined) {
      parent[i] = client;
      continue;
    }
    if (s.parentId === undefined) continue;
    const p = shared.get(s.parentId) ?? plain.get(s.parentId);
    // A self-parent is a loop of one: cut below.
    if (p === undefined) nodes[i]!.detached = 'orphan';
    else parent[i] = p;
  }
  // Loops of parent links: walk up from each span; a loop is cut at the span where the walk met itself.
  // A walk stops at a span walked before (a walk from one walks nothing) or past a root: its parent
  // is -1, and state[-1] is undefined (out of the typed array).
  const state = new Uint8Array(n); // 0 unseen, 1 on the current walk, 2 done
  // Stryker disable next-line ArrayDeclaration: emptied before each walk
  const walk: number[] = [];
  // Stryker disable next-line EqualityOperator: state[n] is undefined: a turn for i = n walks nothing
  for (let i = 0; i < n; i++) {
    walk.length = 0;
    let j = i;
    while (state[j] === 0) {
      state[j] = 1;
      walk.push(j);
      j = parent[j]!;
    }
    if (state[j] === 1) {
      parent[j] = -1;
      nodes[j]!.detached = 'cycle';
    }
    for (const k of walk) state[k] = 2;
  }
  const roots: MutableNode[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p === -1) roots.push(nodes[i]!);
    else nodes[p]!.children.push(nodes[i]!);
  }
  for (const node of nodes) node.children.sort(byStart);
  roots.sort((a, b) => Number(a.detached !== undefined) - Number(b.detached !== undefined) || byStart(a, b));
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  for (const s of spans) {
    if (s.timestamp === undefined) continue;
    startUs = Math.min(startUs, s.timestamp);
    endUs = Math.max(endUs, s.timestamp + (s.duration ?? 0));
  }
  const tree = { traceId: spans[0]?.traceId, roots, size: n };
  return startUs !== Number.POSITIVE_INFINITY ? { ...tree, startUs, endUs } : tree;
}

export interface TreeRow {
  readonly node: SpanNode;
  readonly depth: number;
}

/**
 * The tree in display order (depth first, children in order), without recursion; at most
 * `maxRows` rows (`cut`: how many were left out).
 */
export function flattenSpanTree(tree: SpanTree, maxRows = Number.POSITIVE_INFINITY): { rows: TreeRow[]; cut: number } {
  const rows: TreeRow[] = [];
  const stack: TreeRow[] = [];
  for (let i = tree.roots.length - 1; i >= 0; i--) stack.push({ node: tree.roots[i]!, depth: 0 });
  while (stack.length > 0 && rows.length < maxRows) {
    const row = stack.pop()!;
    rows.push(row);
    const c = row.node.children;
    for (let i = c.length - 1; i >= 0; i--) stack.push({ node: c[i]!, depth: row.depth + 1 });
  }
  return { rows, cut: tree.size - rows.length };
}
