// The VS Code client: UI only (commands, the delegation view, settings). All language knowledge
// lives in the language server and the core; this file starts the server and forwards.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClusterChanged, ClusterStatusNotification, send, SuggestPaths, TrustNotification, type ClusterStatus } from '../protocol/messages';
import { ClusterStatusBar, saveSnapshot, switchContext } from './cluster';
import { DelegationView } from './delegation-view';
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
  /** Milliseconds from loading this module to the end of activate(). */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): Api {
  const outputChannel = vscode.window.createOutputChannel('Dtab (Linkerd)');
  // The language client library is loaded after the UI is registered (see language-client.ts);
  // a runtime require keeps it out of this bundle.
  const start: typeof startLanguageClient = (...args) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(path.join(__dirname, 'language-client.js')) as typeof import('./language-client')).startLanguageClient(...args);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const ready = new Promise<void>((resolve) => setImmediate(resolve)).then(() => start(serverModule, outputChannel, () => vscode.workspace.isTrusted)).then((c) => (client = c));
  ready.catch((e: unknown) => outputChannel.appendLine(`The language server did not start: ${(e as Error).stack ?? String(e)}`));
  const delegation = new DelegationView(() => ready);
  const clusterBar = new ClusterStatusBar();
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
    vscode.workspace.onDidGrantWorkspaceTrust(() => void ready.then((c) => c.sendNotification(TrustNotification.method, { trusted: true }))),
    vscode.commands.registerCommand('linkerdDtab.switchContext', async () => switchContext(await ready)),
    vscode.commands.registerCommand('linkerdDtab.saveSnapshot', async (to?: vscode.Uri) => saveSnapshot(await ready, to)),
    vscode.commands.registerCommand('linkerdDtab.restartServer', async () => {
      await (await ready).restart();
      outputChannel.appendLine('Language server restarted.');
    }),
    vscode.commands.registerCommand('linkerdDtab.delegatePath', async (pathArg?: string) => {
      const editor = vscode.window.activeTextEditor;
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
  return { ready, delegation, cluster: clusterBar, activationMs: performance.now() - moduleStart };
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
