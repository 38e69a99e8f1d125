// Traces for terminals: one line a span (`name  service  duration  kind`, indented by depth, errors
// marked), Linkerd's tags on lines of their own, and one line a trace for lists. Every string from
// the server goes through termSafe (no terminal escapes, no line breaks of its own) and is cut.

import { linkerdView } from './linkerd.js';
import { serviceOf, type Span } from './span.js';
import { buildSpanTree, flattenSpanTree, type SpanTree } from './tree.js';

/** The longest remote string printed, in characters. */
export const MAX_SHOWN = 500;

/**
 * A remote string made safe for a terminal: control characters (C0, DEL, C1), line and paragraph
 * separators and bidirectional overrides as `\xNN` / `\uNNNN`; cut to `max` characters.
 */
export function termSafe(s: string, max = MAX_SHOWN): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    // C0, DEL and C1 (up to U+009F) as \xNN; the others escaped are U+200E to U+2069, four hex digits.
    const code = c.charCodeAt(0);
    return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

const trim = (fixed: string): string => fixed.replace(/\.?0+$/, '');

/** Microseconds for people: `850µs`, `1.431ms`, `2.5s`. */
export function formatDuration(us: number): string {
  if (us < 1000) return `${us}µs`;
  if (us < 1_000_000) return `${trim((us / 1000).toFixed(3))}ms`;
  return `${trim((us / 1_000_000).toFixed(3))}s`;
}

const UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };

/** `100ms`, `1.5s`, `1h`, `250us` → microseconds; undefined when it is not a number with a unit. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  const us = Math.round(Number(m[1]) * UNITS[m[2]!]!);
  return Number.isSafeInteger(us) ? us : undefined;
}

/** Epoch microseconds as an ISO 8601 UTC time with milliseconds. */
export function formatTimestamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? `${us}µs` : d.toISOString();
}

function spanLine(s: Span): string {
  const failure = linkerdView(s).failure;
  const kind = s.kind === undefined ? 'LOCAL' : s.shared ? `${s.kind} (shared)` : s.kind;
  return [
    termSafe(s.name ?? '(no name)'),
    termSafe(serviceOf(s) ?? '(no service)'),
    s.duration === undefined ? '?' : formatDuration(s.duration),
    kind,
  ].join('  ') + (failure !== undefined ? `  ERROR: ${termSafe(failure)}` : '');
}

/** Linkerd's tags of a span, as `key: value` in the order Linkerd records them (empty dtabs left out). */
export function linkerdTagLines(s: Span): string[] {
  const v = linkerdView(s);
  const out: string[] = [];
  if (v.router !== undefined) out.push(`router.label: ${v.router}`);
  if (v.service !== undefined) out.push(`service: ${v.service}`);
  // A client span's own service is its bound id: only a client tag that says more is shown.
  if (v.client !== undefined && !(s.kind === 'CLIENT' && v.client === `/${serviceOf(s) ?? ''}` && s.tags?.client === undefined)) out.push(`client: ${v.client}`);
  if (v.residual !== undefined) out.push(`residual: ${v.residual}`);
  if (v.dtabBase) out.push(`dtab.base: ${v.dtabBase}`);
  if (v.dtabLocal) out.push(`dtab.local: ${v.dtabLocal}`);
  return out;
}

/** The whole tree as text: a heading, then a line a span and its Linkerd tags, indented by depth. */
export function renderTraceText(tree: SpanTree): string {
  if (tree.size === 0) return 'trace: no spans\n';
  const total = tree.startUs !== undefined ? formatDuration(tree.endUs - tree.startUs) : '?';
  // A tree of one span or more has a trace id (its first span's); the '?' only guards a tree made elsewhere.
  // Stryker disable next-line StringLiteral: buildSpanTree never gives spans without a trace id
  let out = `trace ${termSafe(tree.traceId ?? '?')}  ${tree.size} ${tree.size === 1 ? 'span' : 'spans'}  ${total}${tree.startUs !== undefined ? `  ${formatTimestamp(tree.startUs)}` : ''}\n`;
  const { rows } = flattenSpanTree(tree);
  const parts: string[] = [out];
  for (const { node, depth } of rows) {
    const indent = '  '.repeat(depth);
    const s = node.span;
    // An orphan has a parentId (one not in the trace); the '' only guards a tree made elsewhere.
    // Stryker disable next-line StringLiteral: buildSpanTree marks only spans with a parentId as orphans
    const detached = node.detached === 'orphan' ? `  (parent ${termSafe(s.parentId ?? '')} is not in the trace)` : node.detached === 'cycle' ? '  (its parent links loop: cut here)' : '';
    parts.push(`${indent}${spanLine(s)}${detached}\n`);
    for (const l of linkerdTagLines(s)) parts.push(`${indent}    ${termSafe(l)}\n`);
  }
  out = parts.join('');
  return out;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly spans: number;
  /** The first root span (a real root before a detached one). */
  readonly root?: { readonly name?: string; readonly service?: string };
  /** Epoch µs of the earliest span. */
  readonly startUs?: number;
  /** The root span's duration, else from the earliest start to the latest end. */
  readonly durationUs?: number;
  /** How many spans failed, and the first failure. */
  readonly errors: number;
  readonly error?: string;
}

export function summarizeTrace(spans: readonly Span[]): TraceSummary {
  const tree = buildSpanTree(spans);
  const root = tree.roots[0]?.span;
  let errors = 0;
  let error: string | undefined;
  for (const s of spans) {
    const f = linkerdView(s).failure;
    if (f === undefined) continue;
    errors++;
    error ??= f;
  }
  const durationUs = root?.duration ?? (tree.startUs !== undefined ? tree.endUs - tree.startUs : undefined);
  return {
    traceId: tree.traceId ?? '',
    spans: spans.length,
    ...(root ? { root: { ...(root.name !== undefined ? { name: root.name } : {}), ...(serviceOf(root) !== undefined ? { service: serviceOf(root)! } : {}) } } : {}),
    ...(tree.startUs !== undefined ? { startUs: tree.startUs } : {}),
    ...(durationUs !== undefined ? { durationUs } : {}),
    errors,
    ...(error !== undefined ? { error } : {}),
  };
}

/** One line a trace: `traceId  start  duration  N spans  service  name  [ERROR …]`. */
export function renderTraceList(summaries: readonly TraceSummary[]): string {
  if (summaries.length === 0) return 'no traces match\n';
  return summaries
    .map((t) =>
      [
        termSafe(t.traceId),
        t.startUs !== undefined ? formatTimestamp(t.startUs) : '?',
        t.durationUs !== undefined ? formatDuration(t.durationUs) : '?',
        `${t.spans} ${t.spans === 1 ? 'span' : 'spans'}`,
        termSafe(t.root?.service ?? '(no service)'),
        termSafe(t.root?.name ?? '(no name)'),
      ].join('  ') + (t.errors > 0 ? `  ERROR${t.errors > 1 ? ` (${t.errors} spans)` : ''}: ${termSafe(t.error ?? '')}` : '') + '\n',
    )
    .join('');
}
