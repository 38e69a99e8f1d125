// A trace as plain rows for a waterfall (the editor's webview): depth-first order, each span's
// offset from the trace's start and its duration, its failure, Linkerd's tags and the others. Flat
// (no nesting) so it crosses JSON-RPC whatever the depth; capped so a huge trace stays drawable.

import { linkerdView, type LinkerdView } from './linkerd.js';
import { serviceOf, type Span, type SpanKind } from './span.js';
import { buildSpanTree, flattenSpanTree } from './tree.js';
import { MAX_SHOWN } from './render.js';

export const MAX_ROWS = 2000;
/** The most tags kept per span. */
export const MAX_TAGS = 100;

export interface TraceRowData {
  readonly depth: number;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly service?: string;
  readonly kind?: SpanKind;
  readonly shared?: boolean;
  readonly detached?: 'orphan' | 'cycle';
  /** From the trace's start, µs (absent: the span has no timestamp). */
  readonly offsetUs?: number;
  readonly durationUs?: number;
  readonly failure?: string;
  readonly linkerd: LinkerdView;
  /** Every tag, sorted by key, values cut to MAX_SHOWN characters (at most MAX_TAGS). */
  readonly tags: readonly (readonly [string, string])[];
}

export interface TraceViewData {
  readonly traceId: string;
  readonly spans: number;
  readonly startUs?: number;
  /** From the earliest start to the latest end (0 when no span has a timestamp). */
  readonly durationUs: number;
  readonly errors: number;
  readonly rows: readonly TraceRowData[];
  /** Spans left out of `rows` (beyond maxRows). */
  readonly cut: number;
}

const cut = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);

export function traceView(spans: readonly Span[], maxRows = MAX_ROWS): TraceViewData {
  const tree = buildSpanTree(spans);
  const flat = flattenSpanTree(tree, maxRows);
  let errors = 0;
  for (const s of spans) if (linkerdView(s).failure !== undefined) errors++;
  const rows = flat.rows.map(({ node, depth }): TraceRowData => {
    const s = node.span;
    const lv = linkerdView(s);
    const own = s.tags ?? {};
    // Sorted by key in code units (sort's own order for strings).
    const tags = Object.keys(own)
      .sort()
      .slice(0, MAX_TAGS)
      .map((k) => [cut(k), cut(own[k]!)] as const);
    const service = serviceOf(s);
    return {
      depth,
      id: s.id,
      ...(s.parentId !== undefined ? { parentId: s.parentId } : {}),
      ...(s.name !== undefined ? { name: cut(s.name) } : {}),
      ...(service !== undefined ? { service: cut(service) } : {}),
      ...(s.kind !== undefined ? { kind: s.kind } : {}),
      ...(s.shared ? { shared: true } : {}),
      ...(node.detached !== undefined ? { detached: node.detached } : {}),
      // A span with a timestamp gives the trace a start.
      ...(s.timestamp !== undefined ? { offsetUs: s.timestamp - tree.startUs! } : {}),
      ...(s.duration !== undefined ? { durationUs: s.duration } : {}),
      ...(lv.failure !== undefined ? { failure: cut(lv.failure) } : {}),
      linkerd: Object.fromEntries(Object.entries(lv).map(([k, v]) => [k, typeof v === 'string' ? cut(v) : v])) as LinkerdView,
      tags,
    };
  });
  return {
    traceId: tree.traceId ?? '',
    spans: tree.size,
    ...(tree.startUs !== undefined ? { startUs: tree.startUs } : {}),
    durationUs: tree.startUs !== undefined ? tree.endUs - tree.startUs : 0,
    errors,
    rows,
    cut: flat.cut,
  };
}
