// "Dtab: Show traces…": Zipkin traces of Linkerd routers. A quick pick of Zipkin's services (a
// router's server spans are `0.0.0.0/4140`, its client spans the bound ids), then of the recent
// traces (root span, duration, error), then one reused panel with the trace's waterfall. The server
// asks Zipkin (only the URL of `linkerdDtab.zipkin.url`, never in untrusted workspaces); this file is
// UI only. The page runs no script; command URIs are enabled for "Delegate path…" only.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { send, ZipkinServices, ZipkinTrace, ZipkinTraces, type Failure, type RequestSender, type TraceView, type ZipkinRef } from '../protocol/messages';
import { Credentials, networkAllowed } from './network';
import { DELEGATE_COMMAND, formatDuration, formatStart, traceHtml } from './trace-html';

export { traceHtml };

/** The Zipkin of the settings, or undefined. */
export function zipkinUrl(): string | undefined {
  const v = vscode.workspace.getConfiguration('linkerdDtab').get<unknown>('zipkin.url', '');
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Remote text in a quick pick: `$(…)` would render as an icon. */
const plain = (s: string): string => s.replace(/\$\(/g, '$\u200b(');

const ROUTER_SERVER = /^[0-9.:a-f]+\/\d+$/;

export class TracePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The last trace shown (for tests). */
  last: TraceView | undefined;

  constructor(
    private readonly client: () => Promise<RequestSender>,
    private readonly credentials: Credentials,
  ) {}

  private async server(): Promise<ZipkinRef | undefined> {
    if (!networkAllowed()) return undefined;
    const url = zipkinUrl();
    if (!url) {
      const pick = await vscode.window.showWarningMessage('Set linkerdDtab.zipkin.url to your Zipkin (e.g. http://zipkin:9411) to see traces.', 'Open Settings');
      if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'linkerdDtab.zipkin.url');
      return undefined;
    }
    return this.credentials.ref(url);
  }

  private failed(f: Failure): undefined {
    void vscode.window.showErrorMessage(f.message);
    return undefined;
  }

  /** The quick picks: a service (or a trace id), then a recent trace; shows it. `traceId`: straight to it. */
  async showTraces(traceId?: string): Promise<TraceView | undefined> {
    const server = await this.server();
    if (!server) return undefined;
    const c = await this.client();
    if (traceId !== undefined) return this.open(c, server, traceId);
    const services = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Asking Zipkin for its services…' }, () => send(c, ZipkinServices, { server }));
    if (!services.ok) return this.failed(services);
    const BY_ID = { label: '$(search) A trace id (l5d-reqid)…', description: 'the l5d-reqid header of a response', service: undefined as string | undefined };
    const items = services.services.map((s) => ({
      label: plain(s),
      description: ROUTER_SERVER.test(s) ? 'a Linkerd router (server spans)' : /^[#$%]\//.test(s) ? 'a Linkerd client (bound id)' : '',
      service: s as string | undefined,
    }));
    // Routers first: their traces start at Linkerd.
    items.sort((a, b) => Number(ROUTER_SERVER.test(b.service ?? '')) - Number(ROUTER_SERVER.test(a.service ?? '')));
    const picked = await vscode.window.showQuickPick([BY_ID, ...items], { title: 'Zipkin traces: of which service?', matchOnDescription: true });
    if (!picked) return undefined;
    if (picked.service === undefined) {
      const id = await vscode.window.showInputBox({
        title: 'Trace id (l5d-reqid)',
        placeHolder: '16 or 32 hex characters',
        validateInput: (v) => (/^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/.test(v.trim()) ? undefined : '16 or 32 hex characters, as Linkerd\'s l5d-reqid'),
      });
      return id ? this.open(c, server, id.trim()) : undefined;
    }
    const traces = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Asking Zipkin for traces of ${picked.service}…` }, () =>
      send(c, ZipkinTraces, { server, serviceName: picked.service!, lookbackMs: 3_600_000, limit: 20 }),
    );
    if (!traces.ok) return this.failed(traces);
    if (traces.traces.length === 0) {
      void vscode.window.showInformationMessage(`Zipkin has no trace of ${picked.service} in the last hour.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      traces.traces.map((t) => ({
        label: `${t.errors > 0 ? '$(error) ' : ''}${plain(t.root?.name ?? '(no name)')}`,
        description: `${plain(t.root?.service ?? '')} · ${t.durationUs !== undefined ? formatDuration(t.durationUs) : '?'}${t.errors > 0 ? ` · ${plain(t.error ?? 'failed')}` : ''}`,
        detail: `${formatStart(t.startUs)} · ${t.traceId} · ${t.spans} ${t.spans === 1 ? 'span' : 'spans'}`,
        traceId: t.traceId,
      })),
      { title: `Recent traces of ${plain(picked.service)}`, matchOnDescription: true, matchOnDetail: true },
    );
    return pick ? this.open(c, server, pick.traceId) : undefined;
  }

  private async open(c: RequestSender, server: ZipkinRef, traceId: string): Promise<TraceView | undefined> {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Asking Zipkin for trace ${traceId}…` }, () => send(c, ZipkinTrace, { server, traceId }));
    if (!r.ok) return this.failed(r);
    this.show(r.trace);
    return r.trace;
  }

  /** The page last shown (for tests: what the webview was given). */
  html: string | undefined;

  show(trace: TraceView): void {
    this.last = trace;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('linkerdDtab.trace', 'Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: false,
        enableCommandUris: [DELEGATE_COMMAND],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = `Trace ${trace.traceId}`;
    this.html = traceHtml(trace, randomBytes(16).toString('base64'), this.panel.webview.cspSource);
    this.panel.webview.html = this.html;
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
