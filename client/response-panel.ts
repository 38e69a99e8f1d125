// "Test this override": a request through a configured linkerd router with a dentry as `l5d-dtab`,
// and one reused panel with the response (status, time, size, Linkerd's headers explained, body),
// optionally beside the same request without the override. The panel runs no script; its CSP allows
// only its own nonce'd style, and every string from the network is escaped.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { send, TestOverride, type RequestSender, type TestOverrideResult, type TestRequest } from '../protocol/messages';
import { describeRequest, pageHtml } from './response-html';
import { addToSetting, Credentials, networkAllowed, testRequests } from './network';

const LAST_KEY = 'linkerdDtab.lastTestRequest';

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
      this.panel = vscode.window.createWebviewPanel('linkerdDtab.response', 'Test this override', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, enableCommandUris: ['linkerdDtab.showTraces'], localResourceRoots: [] });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = result.ok ? `${result.withOverride.status} · ${request.headers?.Host ?? request.url}` : 'Test this override: failed';
    this.panel.webview.html = pageHtml(result, request, randomBytes(16).toString('base64'), vscode.workspace.getConfiguration('linkerdDtab').get<string>('zipkin.url', '') !== '');
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
