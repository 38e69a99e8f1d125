// The "Test this override" panel's page, apart from VS Code so that it can be tested: no script at
// all, a CSP that allows only its own nonce'd style, and every string from the network escaped.

import type { ResponseView, TestOverrideResult, TestRequest } from '../protocol/messages';
import { escapeHtml } from './html';

export { escapeHtml };


export function describeRequest(r: TestRequest): string {
  return `${r.method ?? 'GET'} ${r.url.replace(/\/+$/, '')}${r.path ?? '/'}${r.headers?.Host ?? r.headers?.host ? ` (Host: ${r.headers.Host ?? r.headers.host})` : ''}`;
}

/** Linkerd's request id is the trace id: a link that opens the trace (when Zipkin is configured). */
function traceLink(r: ResponseView, traces: boolean): string {
  const id = r.headers.find((h) => h.name.toLowerCase() === 'l5d-reqid')?.value;
  if (!traces || !id || !/^[0-9a-f]{16}([0-9a-f]{16})?$/.test(id)) return '';
  return ` · <a href="command:linkerdDtab.showTraces?${encodeURIComponent(JSON.stringify([id]))}" title="Open this request's trace from Zipkin">Open trace ${escapeHtml(id)}</a>`;
}

function responseHtml(title: string, r: ResponseView | { error: string }, traces = false): string {
  if ('error' in r) return `<section><h2>${escapeHtml(title)}</h2><p class="error">${escapeHtml(r.error)}</p></section>`;
  const statusClass = r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : 'ok';
  const rows = r.headers
    .map((h) => `<tr><th>${escapeHtml(h.name)}</th><td><code>${escapeHtml(h.value)}</code>${h.meaning ? `<div class="meaning">${escapeHtml(h.meaning)}</div>` : ''}</td></tr>`)
    .join('');
  const sent = r.sent.headers.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join('');
  return `<section>
<h2>${escapeHtml(title)}</h2>
<p class="status ${statusClass}"><span class="code">${r.status}</span> ${escapeHtml(r.statusText)} · ${r.timeMs} ms · ${r.bytes} bytes${r.truncated ? ' (body cut)' : ''}${traceLink(r, traces)}</p>
<details><summary>Request: ${escapeHtml(r.sent.method)} ${escapeHtml(r.sent.url)}</summary><table>${sent}</table></details>
<h3>Response headers</h3>
<table>${rows}</table>
<h3>Body</h3>
<pre>${escapeHtml(r.body)}</pre>
</section>`;
}

/** The whole page for a result; exported for tests (escaping, CSP). */
export function pageHtml(result: TestOverrideResult, request: TestRequest, nonce: string, traces = false): string {
  const body = !result.ok
    ? `<p class="error">${escapeHtml(result.message)}</p>`
    : `<p>Override sent as <code>l5d-dtab: ${escapeHtml(result.override)}</code></p>
<div class="${result.without ? 'columns' : ''}">${responseHtml('With the override', result.withOverride, traces)}${result.without ? responseHtml('Without it', result.without, traces) : ''}</div>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<title>Test this override</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
code, pre { font-family: var(--vscode-editor-font-family); }
pre { background: var(--vscode-textCodeBlock-background); padding: .5em; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; } th { text-align: left; vertical-align: top; padding: 2px 1em 2px 0; font-weight: normal; opacity: .8; }
.meaning { opacity: .8; font-size: 90%; } .status .code { font-weight: bold; font-size: 130%; }
.ok .code { color: var(--vscode-testing-iconPassed); } .warn .code { color: var(--vscode-editorWarning-foreground); } .bad .code, .error { color: var(--vscode-errorForeground); }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 2em; }
</style></head>
<body><h1>${escapeHtml(describeRequest(request))}</h1>${body}</body></html>`;
}

