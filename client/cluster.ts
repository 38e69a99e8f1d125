// The cluster in the status bar (context, freshness; a warning when stale, unreachable or
// denied), switching the kube context, and saving the live cache as a snapshot. UI only: the
// language server knows the cluster and says what to show.

import * as vscode from 'vscode';
import { Contexts, SaveSnapshot, send, type ClusterStatus, type RequestSender } from '../protocol/messages';

const ICON: Record<ClusterStatus['state'], string> = {
  none: '$(cloud)',
  error: '$(warning)',
  live: '$(cloud)',
  connecting: '$(sync~spin)',
  stale: '$(warning)',
  unauthorized: '$(warning)',
  forbidden: '$(warning)',
  unreachable: '$(warning)',
  snapshot: '$(file)',
};

export class ClusterStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('linkerdDtab.cluster', vscode.StatusBarAlignment.Left, 20);
  private last: ClusterStatus | undefined;

  constructor() {
    this.item.name = 'Dtab: cluster';
    this.item.command = 'linkerdDtab.switchContext';
  }

  /** What the status bar shows now (for tests). */
  get current(): ClusterStatus | undefined {
    return this.last;
  }

  show(st: ClusterStatus): void {
    this.last = st;
    const short = st.source.replace(/^context (\S+).*$/, '$1').replace(/^snapshot (.*)$/, (_, f: string) => `snapshot ${f.split(/[\\/]/).pop()}`);
    this.item.text = `${ICON[st.state]} ${short}`;
    const tip = new vscode.MarkdownString().appendText(st.detail).appendMarkdown('\n\n[Switch context…](command:linkerdDtab.switchContext)');
    // Only this command may run from the tooltip (the detail is plain text: appendText escapes it).
    tip.isTrusted = { enabledCommands: ['linkerdDtab.switchContext'] };
    this.item.tooltip = tip;
    const bad = st.state === 'stale' || st.state === 'unauthorized' || st.state === 'forbidden' || st.state === 'unreachable' || st.state === 'error';
    this.item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** A quick pick of the kubeconfig's contexts; the choice is pinned in the workspace settings. */
export async function switchContext(client: RequestSender): Promise<string | undefined> {
  const { current, contexts } = await send(client, Contexts, {});
  if (contexts.length === 0) {
    void vscode.window.showWarningMessage('No kube contexts: there is no kubeconfig (KUBECONFIG, ~/.kube/config or the setting linkerdDtab.kubernetes.kubeconfig).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    contexts.map((c) => ({ label: c, description: c === current ? 'current' : '' })),
    { title: 'Dtab: Kubernetes context', placeHolder: 'The context whose Endpoints bind /#/io.l5d.k8s paths' },
  );
  if (!picked) return undefined;
  const target = vscode.workspace.workspaceFolders ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('linkerdDtab').update('kubernetes.context', picked.label, target);
  return picked.label;
}

/** Saves the live cache as a `*.k8s-snapshot.yaml` the user picks. */
export async function saveSnapshot(client: RequestSender, to?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const snap = await send(client, SaveSnapshot, {});
  if (!snap) {
    void vscode.window.showWarningMessage('Nothing to save: no live cluster data yet (open a dtab that reaches the cluster first).');
    return undefined;
  }
  const target =
    to ??
    (await vscode.window.showSaveDialog({
      title: 'Save the cluster snapshot',
      filters: { 'Kubernetes snapshot': ['yaml'] },
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'cluster.k8s-snapshot.yaml') } : {}),
    }));
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(snap.text));
  void vscode.window.showInformationMessage(`Saved ${snap.objects} objects to ${vscode.workspace.asRelativePath(target)}.`);
  return target;
}
