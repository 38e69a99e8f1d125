// The waterfall page of one trace, without VS Code (tested in Node): a row a span, indented by depth,
// with a bar at its offset and of its duration (CSS only: the page runs no script, its CSP allows
// only its own nonce'd style), kind, failure, and Linkerd's tags. `service` and `client` link to
// "Delegate path…" through a command URI (the panel enables command URIs for that command only).
// Every string from Zipkin is escaped; numbers are checked before they reach the style sheet.

import type { TraceRowView, TraceView } from '../protocol/messages';
import { escapeHtml } from './html';

/** The one command the page may link to. */
export const DELEGATE_COMMAND = 'linkerdDtab.delegatePath';

const trim = (fixed: string): string => fixed.replace(/\.?0+$/, '');

/** Microseconds for people: `850µs`, `1.431ms`, `2.5s` (as the CLI prints them). */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '?';
  if (us < 1000) return `${us}µs`;
  if (us < 1_000_000) return `${trim((us / 1000).toFixed(3))}ms`;
  return `${trim((us / 1_000_000).toFixed(3))}s`;
}

/** Epoch µs as ISO 8601 UTC. */
export function formatStart(us: number | undefined): string {
  if (us === undefined || !Number.isFinite(us)) return '?';
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? '?' : d.toISOString();
}

/** A number fit for CSS: finite, within [lo, hi], at most 3 decimals. */
function cssNumber(v: unknown, lo: number, hi: number): string {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, lo), hi) : lo;
  return trim(n.toFixed(3)) || '0';
}

/** A path Linkerd named (`/svc/dog`, `/#/io.l5d.k8s/…`): linked to "Delegate path…"; anything else stays text. */
function pathLink(value: string): string {
  const code = `<code>${escapeHtml(value)}</code>`;
  if (!/^\/[^\s]*$/.test(value) || value.length > 1000) return code;
  const href = `command:${DELEGATE_COMMAND}?${encodeURIComponent(JSON.stringify([value]))}`;
  return `<a href="${escapeHtml(href)}" title="Delegate this path through the dtab in the editor">${code}</a>`;
}

/** A count for the page: a whole number, else 0. */
const int = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);

const KINDS = new Set(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']);

function rowHtml(r: TraceRowView, i: number): string {
  const kind = r.kind !== undefined && KINDS.has(r.kind) ? r.kind : 'LOCAL';
  const l = r.linkerd ?? {};
  const facts: string[] = [];
  if (l.service !== undefined) facts.push(`<dt>service</dt><dd>${pathLink(l.service)}</dd>`);
  if (l.client !== undefined) facts.push(`<dt>client</dt><dd>${pathLink(l.client)}</dd>`);
  if (l.residual !== undefined) facts.push(`<dt>residual</dt><dd><code>${escapeHtml(l.residual)}</code></dd>`);
  if (l.dtabLocal) facts.push(`<dt>dtab.local</dt><dd><code>${escapeHtml(l.dtabLocal)}</code></dd>`);
  if (l.router !== undefined) facts.push(`<dt>router</dt><dd><code>${escapeHtml(l.router)}</code></dd>`);
  if (l.dtabBase) facts.push(`<dt>dtab.base</dt><dd><code>${escapeHtml(l.dtabBase)}</code></dd>`);
  if (typeof l.status === 'number' && Number.isInteger(l.status)) facts.push(`<dt>status</dt><dd>${l.status}</dd>`);
  const tags = (r.tags ?? []).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join('');
  const detached =
    r.detached === 'orphan' ? `<span class="note">parent ${escapeHtml(r.parentId ?? '')} is not in the trace</span>` : r.detached === 'cycle' ? '<span class="note">its parent links loop: cut here</span>' : '';
  return (
    `<div class="row${r.failure !== undefined ? ' error' : ''}" id="r${i}">` +
    `<div class="label"><span class="name">${escapeHtml(r.name ?? '(no name)')}</span> <span class="service">${escapeHtml(r.service ?? '(no service)')}</span> ` +
    `<span class="kind">${kind}${r.shared ? ' (shared)' : ''}</span>${detached}</div>` +
    `<div class="track"><div class="bar"></div><span class="dur">${r.durationUs !== undefined ? escapeHtml(formatDuration(r.durationUs)) : '?'}</span></div>` +
    (r.failure !== undefined ? `<div class="failure">${escapeHtml(r.failure)}</div>` : '') +
    (facts.length > 0 ? `<dl class="l5d">${facts.join('')}</dl>` : '') +
    (tags !== '' ? `<details><summary>${int(r.tags.length)} ${r.tags.length === 1 ? 'tag' : 'tags'}</summary><table>${tags}</table></details>` : '') +
    '</div>'
  );
}

/** Per row: the bar's place and width (% of the trace), the indentation by depth. */
function rowStyle(r: TraceRowView, i: number, total: number): string {
  const left = total > 0 && typeof r.offsetUs === 'number' ? (r.offsetUs / total) * 100 : 0;
  const width = total > 0 && typeof r.durationUs === 'number' ? (r.durationUs / total) * 100 : 0;
  const l = Number(cssNumber(left, 0, 100));
  return `#r${i} .label{padding-left:${cssNumber(Math.min(int(r.depth), 40) * 12, 0, 480)}px}#r${i} .bar{margin-left:${l}%;width:${cssNumber(width, 0.2, 100 - l)}%}`;
}

/** The whole page; `nonce` is the style's (base64), `cspSource` the webview's (unused: no local resources). */
export function traceHtml(tree: TraceView, nonce: string, cspSource: string): string {
  if (!/^[A-Za-z0-9+/=]{8,}$/.test(nonce)) throw new Error('the nonce must be base64');
  void cspSource;
  const total = typeof tree.durationUs === 'number' && Number.isFinite(tree.durationUs) ? tree.durationUs : 0;
  const rows = tree.rows.map((r, i) => rowHtml(r, i)).join('\n');
  const styles = tree.rows.map((r, i) => rowStyle(r, i, total)).join('\n');
  const errors = int(tree.errors) > 0 ? ` · <span class="bad">${int(tree.errors)} failed</span>` : '';
  const cut = int(tree.cut) > 0 ? `<p class="cut">${int(tree.cut)} more spans are not shown (the first ${tree.rows.length} are).</p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>Trace ${escapeHtml(tree.traceId)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
code { font-family: var(--vscode-editor-font-family); }
.row { border-bottom: 1px solid var(--vscode-panel-border); padding: 3px 0; }
.label .service { opacity: .8; } .label .kind { font-size: 85%; opacity: .7; margin-left: .5em; } .note { margin-left: .5em; font-style: italic; opacity: .8; }
.track { position: relative; height: 14px; background: var(--vscode-editorWidget-background); }
.bar { height: 100%; background: var(--vscode-charts-blue); min-width: 1px; }
.error .bar { background: var(--vscode-charts-red); }
.dur { position: absolute; top: 0; right: 4px; font-size: 85%; }
.failure, .bad { color: var(--vscode-errorForeground); }
dl.l5d { display: grid; grid-template-columns: max-content 1fr; gap: 0 1em; margin: 2px 0 2px 2em; font-size: 90%; }
dl.l5d dt { opacity: .8; } dl.l5d dd { margin: 0; }
details { margin-left: 2em; font-size: 90%; } th { text-align: left; font-weight: normal; opacity: .8; padding-right: 1em; }
${styles}
</style></head>
<body><h1>Trace <code>${escapeHtml(tree.traceId)}</code></h1>
<p class="summary">${int(tree.spans)} ${tree.spans === 1 ? 'span' : 'spans'} · ${escapeHtml(formatDuration(total))} · ${escapeHtml(formatStart(tree.startUs))}${errors}</p>
<div class="waterfall">
${rows}
</div>${cut}</body></html>`;
}
