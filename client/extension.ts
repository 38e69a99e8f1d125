// The VS Code client: UI only (commands, the delegation view, settings). All language knowledge
// lives in the language server and the core; this file starts the server and forwards.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClusterChanged, ClusterStatusNotification, send, SuggestPaths, TrustNotification, type ClusterStatus, type DelegationTarget } from '../protocol/messages';
import { ClusterStatusBar, saveSnapshot, switchContext } from './cluster';
import { DelegationView } from './delegation-view';
import { History } from './history';
import { Namerd, parseNamespaceUri, SCHEME as NAMERD_SCHEME } from './namerd';
import { Credentials, linkerdAdmins, namerdServers, networkAllowed, testRequests } from './network';
import { ResponsePanel } from './response-panel';
import { TracePanel, zipkinUrl } from './trace-panel';
import { CanaryView } from './canary';
import { DtabTestExplorer } from './test-explorer';
import type { startLanguageClient } from './language-client';

/** When this module started loading: activation time is measured from here (see Api). */
const moduleStart = performance.now();

let client: LanguageClient | undefined;
const RECENT_KEY = 'linkerdDtab.recentPaths';

/** What the extension offers other code (and its tests). */
export interface Api {
  /** Resolves once the language server is up. */
  readonly ready: Promise<LanguageClient>;
  readonly delegation: DelegationView;
  readonly cluster: ClusterStatusBar;
  readonly namerd: Namerd;
  readonly responses: ResponsePanel;
  readonly traces: TracePanel;
  readonly canary: CanaryView;
  /** Routing assertions (`.dtab-test`) in the Test Explorer. */
  readonly tests: DtabTestExplorer;
  /** Milliseconds from loading this module to the end of activate(). */
  readonly activationMs: number;
  /**
   * When features work: milliseconds from loading this module until the language client chunk is
   * loaded (`chunkMs`) and the server has answered `initialize` (`readyMs`); NaN until then.
   */
  readonly startup: { chunkMs: number; readyMs: number };
}

export function activate(context: vscode.ExtensionContext): Api {
  const outputChannel = vscode.window.createOutputChannel('Dtab (Linkerd)');
  // The language client library is loaded after the UI is registered (see language-client.ts);
  // a runtime require keeps it out of this bundle.
  const startup = { chunkMs: Number.NaN, readyMs: Number.NaN };
  const start: typeof startLanguageClient = (...args) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chunk = require(path.join(__dirname, 'language-client.js')) as typeof import('./language-client');
    startup.chunkMs = performance.now() - moduleStart;
    return chunk.startLanguageClient(...args);
  };
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const ready = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => start(serverModule, outputChannel, () => vscode.workspace.isTrusted))
    .then((c) => {
      startup.readyMs = performance.now() - moduleStart;
      return (client = c);
    });
  ready.catch((e: unknown) => outputChannel.appendLine(`The language server did not start: ${(e as Error).stack ?? String(e)}`));
  const delegation = new DelegationView(() => ready);
  const clusterBar = new ClusterStatusBar();
  const credentials = new Credentials(context.secrets);
  const history = new History(context.globalStorageUri);
  const namerd = new Namerd(() => ready, credentials, history, outputChannel);
  const responses = new ResponsePanel(context, () => ready, credentials);
  const traces = new TracePanel(() => ready, credentials);
  const canary = new CanaryView(() => ready, credentials, outputChannel);
  // A canary started earlier (here, after a reload, or by a pipeline) shows where it is.
  void ready.then(() => canary.load()).catch(() => undefined);
  const tests = new DtabTestExplorer(() => ready);
  ready.then((c) => {
    context.subscriptions.push(
      c.onNotification(ClusterStatusNotification.method, (st: ClusterStatus) => {
        clusterBar.show(st);
        delegation.setCluster(st);
      }),
      // An Endpoints object or a watch changed: the view shows it within a second.
      c.onNotification(ClusterChanged.method, () => void delegation.refresh().catch(() => undefined)),
    );
  }, () => undefined /* said in the output channel above */);

  context.subscriptions.push(
    outputChannel,
    delegation,
    clusterBar,
    namerd,
    history,
    responses,
    traces,
    canary,
    vscode.commands.registerCommand('linkerdDtab.startCanary', (arg?: Parameters<CanaryView['start']>[0] | string, line?: number, prefix?: string, destination?: string) =>
      canary.start(typeof arg === 'string' ? { uri: arg, ...(line !== undefined ? { line } : {}), ...(prefix ? { prefix } : {}), ...(destination ? { destination } : {}) } : arg),
    ),
    vscode.commands.registerCommand('linkerdDtab.canary.promote', (percent?: number) => canary.act('step', typeof percent === 'number' ? { percent } : {})),
    vscode.commands.registerCommand('linkerdDtab.canary.pause', () => canary.act('pause')),
    vscode.commands.registerCommand('linkerdDtab.canary.resume', () => canary.act('resume')),
    vscode.commands.registerCommand('linkerdDtab.canary.abort', async (confirmed?: boolean) => {
      if (confirmed !== true) {
        const pick = await vscode.window.showWarningMessage('Abort the canary? The original dentry (or weights, or replicas) is put back exactly.', { modal: true }, 'Abort');
        if (pick !== 'Abort') return undefined;
      }
      return canary.act('abort');
    }),
    vscode.commands.registerCommand('linkerdDtab.canary.finish', (keepFallback?: boolean) => canary.finish(typeof keepFallback === 'boolean' ? keepFallback : undefined)),
    vscode.commands.registerCommand('linkerdDtab.canary.refresh', () => canary.load()),
    vscode.commands.registerCommand('linkerdDtab.showTraces', (traceId?: string) => traces.showTraces(typeof traceId === 'string' ? traceId : undefined)),
    tests,
    vscode.commands.registerCommand('linkerdDtab.namerd.addServer', () => namerd.addServer()),
    vscode.commands.registerCommand('linkerdDtab.namerd.refresh', () => namerd.refresh()),
    vscode.commands.registerCommand('linkerdDtab.namerd.open', (node?: { server: { name: string; url: string }; ns: string }) => namerd.open(node)),
    vscode.commands.registerCommand('linkerdDtab.namerd.create', (node?: { server: { name: string; url: string } }) => namerd.create(node)),
    vscode.commands.registerCommand('linkerdDtab.namerd.delete', async (node?: { server: { name: string; url: string }; ns: string }) => {
      const at = node ?? (await namerd.pickNamespace('Delete a namerd namespace'));
      if (at) await namerd.deleteNamespace(at.server, at.ns);
    }),
    vscode.commands.registerCommand('linkerdDtab.namerd.history', (node?: { server: { name: string; url: string }; ns: string }) => namerd.showHistory(node)),
    vscode.commands.registerCommand('linkerdDtab.setCredentials', async (node?: { server?: { url: string } }) => {
      const urls = [...namerdServers().map((s) => s.url), ...linkerdAdmins().map((s) => s.url), ...testRequests().map((r) => r.url), ...[zipkinUrl()].filter((u): u is string => u !== undefined)];
      const url = node?.server?.url ?? (await vscode.window.showQuickPick([...new Set(urls)], { title: 'Credentials for which server?' }));
      if (url) await credentials.edit(url);
    }),
    vscode.commands.registerCommand('linkerdDtab.testOverride', (uri?: string | vscode.Uri, line?: number) => responses.test(uri, line)),
    vscode.commands.registerCommand('linkerdDtab.addTestRequest', () => responses.newRequest()),
    vscode.commands.registerCommand('linkerdDtab.compareServerDelegation', async () => {
      if (!networkAllowed()) return undefined;
      const editor = vscode.window.activeTextEditor;
      return delegation.compareWithServer(await pickDelegationTarget(namerd, credentials, editor?.document.uri), editor?.document.uri);
    }),
    vscode.commands.registerCommand('linkerdDtab.impact', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'linkerd-dtab') {
        void vscode.window.showWarningMessage('Open a dtab first: the routing impact compares it with another version.');
        return;
      }
      const at = editor.document.uri.scheme === NAMERD_SCHEME ? parseNamespaceUri(editor.document.uri) : undefined;
      const base = at ? namerd.baseOf(editor.document.uri) : undefined;
      const choices = [...(base ? [{ label: 'The version on namerd', text: base.text }] : []), { label: 'The saved file', text: undefined as string | undefined }, { label: 'Another dtab file…', text: undefined as string | undefined }];
      const pick = await vscode.window.showQuickPick(choices.filter((c) => c.label !== 'The saved file' || editor.document.uri.scheme === 'file'), { title: 'Routing impact: compare this dtab with…' });
      if (!pick) return;
      let before = pick.text;
      if (pick.label === 'The saved file') before = new TextDecoder().decode(await vscode.workspace.fs.readFile(editor.document.uri));
      if (pick.label === 'Another dtab file…') {
        const file = await vscode.window.showOpenDialog({ filters: { Dtab: ['dtab'] }, canSelectMany: false });
        if (!file?.[0]) return;
        before = new TextDecoder().decode(await vscode.workspace.fs.readFile(file[0]));
      }
      await namerd.showImpact(before ?? '', editor.document.getText(), `${pick.label} → ${vscode.workspace.asRelativePath(editor.document.uri)}`, editor.document.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void ready.then((c) => c.sendNotification(TrustNotification.method, { trusted: true }))),
    vscode.commands.registerCommand('linkerdDtab.switchContext', async () => switchContext(await ready)),
    vscode.commands.registerCommand('linkerdDtab.saveSnapshot', async (to?: vscode.Uri) => saveSnapshot(await ready, to)),
    vscode.commands.registerCommand('linkerdDtab.restartServer', async () => {
      await (await ready).restart();
      outputChannel.appendLine('Language server restarted.');
    }),
    vscode.commands.registerCommand('linkerdDtab.delegatePath', async (pathArg?: string) => {
      // From a webview (a trace's service or client link) no text editor is active: a visible dtab is.
      const editor = vscode.window.activeTextEditor ?? (pathArg !== undefined ? vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'linkerd-dtab') : undefined);
      if (!editor || (editor.document.languageId !== 'linkerd-dtab' && editor.document.languageId !== 'yaml')) {
        void vscode.window.showWarningMessage('Open a dtab file or a linkerd/namerd config first: delegation uses the dtab in the active editor.');
        return undefined;
      }
      const uri = editor.document.uri;
      // In a YAML config, the dtab under the cursor (the first one otherwise).
      const position = editor.document.languageId === 'yaml' ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined;
      const chosen = pathArg ?? (await askForPath(context, uri, position));
      if (!chosen) return undefined;
      await remember(context, chosen);
      await vscode.commands.executeCommand('linkerdDtab.delegation.focus');
      return delegation.show(uri, chosen, position);
    }),
    vscode.commands.registerCommand('linkerdDtab.refreshDelegation', () => delegation.refresh()),
  );
  return { ready, delegation, cluster: clusterBar, namerd, responses, traces, canary, tests, activationMs: performance.now() - moduleStart, startup };
}

/** Where to ask for a delegation: a namerd namespace, or a linkerd router's delegator. */
async function pickDelegationTarget(namerd: Namerd, credentials: Credentials, uri?: vscode.Uri): Promise<DelegationTarget | undefined> {
  const items: (vscode.QuickPickItem & { target?: () => Promise<DelegationTarget | undefined> })[] = [];
  const fromUri = uri?.scheme === NAMERD_SCHEME ? parseNamespaceUri(uri) : undefined;
  if (fromUri) items.push({ label: `namerd ${fromUri.server.name}`, description: `namespace ${fromUri.ns}`, target: async () => ({ kind: 'namerd', server: await credentials.ref(fromUri.server.url), ns: fromUri.ns }) });
  for (const s of namerdServers()) {
    if (fromUri?.server.url === s.url) continue;
    items.push({
      label: `namerd ${s.name}`,
      description: s.url,
      target: async () => {
        const at = await namerd.pickNamespace(`Delegate on ${s.name}`);
        return at ? { kind: 'namerd', server: await credentials.ref(at.server.url), ns: at.ns } : undefined;
      },
    });
  }
  for (const a of linkerdAdmins()) {
    for (const router of a.routers.length ? a.routers : ['']) {
      items.push({
        label: `linkerd ${a.name}${router ? ` router ${router}` : ''}`,
        description: `${a.url}/delegator.json`,
        target: async () => {
          const label = router || (await vscode.window.showInputBox({ title: `Router label on ${a.name}`, value: 'http' }));
          return label ? { kind: 'linkerd', admin: await credentials.ref(a.url), router: label } : undefined;
        },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No namerd servers or linkerd admins are configured (linkerdDtab.namerd.servers, linkerdDtab.linkerd.admins).');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'Compare the delegation with…' });
  return pick?.target?.();
}

/** A quick pick of recent paths and the document's own names; any typed path is accepted. */
async function askForPath(context: vscode.ExtensionContext, uri: vscode.Uri, position?: { line: number; character: number }): Promise<string | undefined> {
  const recent = context.globalState.get<string[]>(RECENT_KEY, []);
  const suggested = client ? await send(client, SuggestPaths, { uri: uri.toString(), ...(position ? { position } : {}) }) : [];
  const pick = vscode.window.createQuickPick();
  pick.title = 'Dtab: Delegate path';
  pick.placeholder = 'A path to delegate, e.g. /svc/world';
  const items = (paths: string[], description: string) => paths.map((label) => ({ label, description }));
  const base = [...items(recent, 'recent'), ...items(suggested.filter((s) => !recent.includes(s)), 'from this dtab')];
  pick.items = base;
  pick.onDidChangeValue((v) => {
    pick.items = v && !base.some((i) => i.label === v) ? [{ label: v, description: 'delegate this path' }, ...base] : base;
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.label ?? pick.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

async function remember(context: vscode.ExtensionContext, p: string): Promise<void> {
  const limit = vscode.workspace.getConfiguration('linkerdDtab').get<number>('delegation.recentPaths', 10);
  const recent = [p, ...context.globalState.get<string[]>(RECENT_KEY, []).filter((x) => x !== p)].slice(0, limit);
  await context.globalState.update(RECENT_KEY, recent);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
