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

export interface SpanTree {
  /** The first span's trace id (undefined for no spans). */
  readonly traceId: string | undefined;
  /** Real roots (no parentId) first, then the detached ones; each group by start time. */
  readonly roots: readonly SpanNode[];
  /** How many spans. */
  readonly size: number;
  /** The earliest span start, epoch µs. */
  readonly startUs?: number;
  /** The latest span end (timestamp + duration), epoch µs. */
  readonly endUs?: number;
}

interface MutableNode {
  span: Span;
  children: MutableNode[];
  detached?: 'orphan' | 'cycle';
  index: number;
}

const byStart = (a: MutableNode, b: MutableNode): number => {
  const ta = a.span.timestamp ?? Number.POSITIVE_INFINITY;
  const tb = b.span.timestamp ?? Number.POSITIVE_INFINITY;
  return ta === tb ? a.index - b.index : ta < tb ? -1 : 1;
};

export function buildSpanTree(spans: readonly Span[]): SpanTree {
  const n = spans.length;
  const nodes: MutableNode[] = spans.map((span, index) => ({ span, children: [], index }));
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
    const client = s.shared ? plain.get(s.id) : undefined;
    if (client !== undefined && client !== i) {
      parent[i] = client;
      continue;
    }
    if (s.parentId === undefined) continue;
    const p = shared.get(s.parentId) ?? plain.get(s.parentId);
    if (p === undefined) nodes[i]!.detached = 'orphan';
    else if (p === i) nodes[i]!.detached = 'cycle';
    else parent[i] = p;
  }
  // Loops of parent links: walk up from each span; a loop is cut at the span where the walk met itself.
  const state = new Uint8Array(n); // 0 unseen, 1 on the current walk, 2 done
  const walk: number[] = [];
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    walk.length = 0;
    let j = i;
    while (j !== -1 && state[j] === 0) {
      state[j] = 1;
      walk.push(j);
      j = parent[j]!;
    }
    if (j !== -1 && state[j] === 1) {
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
  for (const node of nodes) if (node.children.length > 1) node.children.sort(byStart);
  roots.sort((a, b) => Number(a.detached !== undefined) - Number(b.detached !== undefined) || byStart(a, b));
  let startUs: number | undefined;
  let endUs: number | undefined;
  for (const s of spans) {
    if (s.timestamp === undefined) continue;
    const end = s.timestamp + (s.duration ?? 0);
    if (startUs === undefined || s.timestamp < startUs) startUs = s.timestamp;
    if (endUs === undefined || end > endUs) endUs = end;
  }
  return {
    traceId: spans[0]?.traceId,
    roots,
    size: n,
    ...(startUs !== undefined ? { startUs } : {}),
    ...(endUs !== undefined ? { endUs } : {}),
  };
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
