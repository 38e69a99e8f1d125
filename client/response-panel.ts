// "Test this override": a request through a configured linkerd router with a dentry as `l5d-dtab`,
// and one reused panel with the response (status, time, size, Linkerd's headers explained, body),
// optionally beside the same request without the override. The panel runs no script; its CSP allows
// only its own nonce'd style, and every string from the network is escaped.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { send, TestOverride, type RequestSender, type ResponseView, type TestOverrideResult, type TestRequest } from '../protocol/messages';
import { escapeHtml } from './html';
import { addToSetting, Credentials, networkAllowed, testRequests } from './network';

const LAST_KEY = 'linkerdDtab.lastTestRequest';

export { escapeHtml };

function describeRequest(r: TestRequest): string {
  return `${r.method ?? 'GET'} ${r.url.replace(/\/+$/, '')}${r.path ?? '/'}${r.headers?.Host ?? r.headers?.host ? ` (Host: ${r.headers.Host ?? r.headers.host})` : ''}`;
}

function responseHtml(title: string, r: ResponseView | { error: string }): string {
  if ('error' in r) return `<section><h2>${escapeHtml(title)}</h2><p class="error">${escapeHtml(r.error)}</p></section>`;
  const statusClass = r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : 'ok';
  const rows = r.headers
    .map((h) => `<tr><th>${escapeHtml(h.name)}</th><td><code>${escapeHtml(h.value)}</code>${h.meaning ? `<div class="meaning">${escapeHtml(h.meaning)}</div>` : ''}</td></tr>`)
    .join('');
  const sent = r.sent.headers.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join('');
  return `<section>
<h2>${escapeHtml(title)}</h2>
<p class="status ${statusClass}"><span class="code">${r.status}</span> ${escapeHtml(r.statusText)} · ${r.timeMs} ms · ${r.bytes} bytes${r.truncated ? ' (body cut)' : ''}</p>
<details><summary>Request: ${escapeHtml(r.sent.method)} ${escapeHtml(r.sent.url)}</summary><table>${sent}</table></details>
<h3>Response headers</h3>
<table>${rows}</table>
<h3>Body</h3>
<pre>${escapeHtml(r.body)}</pre>
</section>`;
}

/** The whole page for a result; exported for tests (escaping, CSP). */
export function pageHtml(result: TestOverrideResult, request: TestRequest, cspSource: string, nonce: string): string {
  const body = !result.ok
    ? `<p class="error">${escapeHtml(result.message)}</p>`
    : `<p>Override sent as <code>l5d-dtab: ${escapeHtml(result.override)}</code></p>
<div class="${result.without ? 'columns' : ''}">${responseHtml('With the override', result.withOverride)}${result.without ? responseHtml('Without it', result.without) : ''}</div>`;
  void cspSource;
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

export class ResponsePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The last result shown (for tests). */
  last: TestOverrideResult | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => Promise<RequestSender>,
    private readonly credentials: Credentials,
  ) {}

  /** Which configured request to send: the last one used in this workspace first; or a new one. */
  private async pickRequest(): Promise<TestRequest | undefined> {
    const all = testRequests();
    const last = this.context.workspaceState.get<string>(LAST_KEY);
    const items = all.map((r) => ({ label: r.name ?? describeRequest(r), description: r.name ? describeRequest(r) : '', r }));
    items.sort((a, b) => Number(describeRequest(b.r) === last) - Number(describeRequest(a.r) === last));
    const NEW = { label: '$(add) New request…', description: 'a router or ingress URL, method, path and Host', r: undefined };
    // One configured request: it is the one ("Dtab: Add test request…" adds more).
    if (all.length === 1) return all[0];
    const pick = await vscode.window.showQuickPick([...items, NEW], { title: 'Test this override: send which request?' });
    if (!pick) return undefined;
    return pick.r ?? (await this.newRequest());
  }

  async newRequest(): Promise<TestRequest | undefined> {
    const url = await vscode.window.showInputBox({ title: 'Linkerd router (or ingress) URL', placeHolder: 'http://127.0.0.1:4140', validateInput: (v) => (/^https?:\/\/[^/\s]+/.test(v.trim()) ? undefined : 'An http:// or https:// URL') });
    if (!url) return undefined;
    const host = await vscode.window.showInputBox({ title: 'Host header (Linkerd names the request /svc/<Host>)', placeHolder: 'world' });
    if (host === undefined) return undefined;
    const path = await vscode.window.showInputBox({ title: 'Path', value: '/' });
    if (path === undefined) return undefined;
    const method = await vscode.window.showQuickPick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE'], { title: 'Method' });
    if (!method) return undefined;
    const request: TestRequest = { url: url.trim(), method, path: path || '/', headers: host ? { Host: host } : {} };
    // Remembered per workspace: the settings list is where repeatable requests live.
    await addToSetting('testRequests', { name: host ? `${host}${path === '/' ? '' : path}` : url.trim(), ...request });
    return request;
  }

  /** Sends the dentry at `line` of `uri` (the cursor's when absent) through a router and shows the answer. */
  async test(uriArg?: string | vscode.Uri, line?: number): Promise<TestOverrideResult | undefined> {
    if (!networkAllowed()) return undefined;
    const editor = vscode.window.activeTextEditor;
    const uri = uriArg === undefined ? editor?.document.uri : typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg;
    const at = line ?? (editor && uri && editor.document.uri.toString() === uri.toString() ? editor.selection.active.line : undefined);
    if (!uri || at === undefined) {
      void vscode.window.showWarningMessage('Put the cursor on a dentry of a dtab first.');
      return undefined;
    }
    const request = await this.pickRequest();
    if (!request) return undefined;
    await this.context.workspaceState.update(LAST_KEY, describeRequest(request));
    const config = vscode.workspace.getConfiguration('linkerdDtab');
    const authorization = await this.credentials.authorization(request.url);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Sending ${describeRequest(request)}…` }, async () =>
      send(await this.client(), TestOverride, {
        uri: uri.toString(),
        line: at,
        request,
        compare: config.get<boolean>('testRequest.compare', false),
        sample: config.get<boolean>('testRequest.sample', false),
        ...(authorization ? { authorization } : {}),
      }),
    );
    this.show(result, request);
    return result;
  }

  show(result: TestOverrideResult, request: TestRequest): void {
    this.last = result;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('linkerdDtab.response', 'Test this override', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = result.ok ? `${result.withOverride.status} · ${request.headers?.Host ?? request.url}` : 'Test this override: failed';
    this.panel.webview.html = pageHtml(result, request, this.panel.webview.cspSource, randomBytes(16).toString('base64'));
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
