// The "Delegation" tree view: shows what the server computed for a path in a document, and keeps
// it fresh while the document is edited. No dtab logic here: the server sends the whole tree.

import * as vscode from 'vscode';
import { Delegate, send, ServerDelegate, type ClusterStatus, type DelegateResult, type DelegationNode, type DelegationTarget, type RequestSender, type ServerDelegateResult } from '../protocol/messages';

type Item =
  | { node: DelegationNode; uri?: vscode.Uri }
  | { message: string }
  | { route: string }
  | { remote: ServerDelegateResult & { ok: true } }
  | { differences: readonly { where: string; local: string; remote: string }[] }
  | { difference: { where: string; local: string; remote: string } };

const ICONS: Record<DelegationNode['status'], vscode.ThemeIcon> = {
  success: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  neg: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  // Bound by a configured namer the editor is not connected to: routes, addresses known at run time.
  unresolved: new vscode.ThemeIcon('cloud', new vscode.ThemeColor('testing.iconQueued')),
};

/** The cluster in a few words: `standin: live`, `prod: stale since 12:03:04`, `cluster.k8s-snapshot.yaml (snapshot)`. */
export function clusterWords(st: ClusterStatus): string {
  const name = st.source.replace(/^context (\S+).*$/, '$1').replace(/^snapshot (.*)$/, (_, f: string) => f.split(/[\\/]/).pop() ?? f);
  switch (st.state) {
    case 'live':
      return `${name}: live`;
    case 'snapshot':
      return `${name} (snapshot)`;
    case 'stale':
      return `${name}: stale since ${st.since !== undefined ? new Date(st.since).toLocaleTimeString() : '?'}`;
    default:
      return st.detail;
  }
}

/** What each status means, for tooltips. */
const STATUS_WORDS: Record<DelegationNode['status'], string> = {
  success: 'resolves',
  fail: 'fails',
  neg: 'negative (no route here)',
  unresolved: 'resolved by its namer at run time (not connected in the editor)',
};

export class DelegationView implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private target: { uri: vscode.Uri; path: string; position?: { line: number; character: number } } | undefined;
  private result: DelegateResult | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  readonly view: vscode.TreeView<Item>;

  constructor(private readonly client: () => Promise<RequestSender>) {
    this.view = vscode.window.createTreeView('linkerdDtab.delegation', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.target || e.document.uri.toString() !== this.target.uri.toString()) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), 250);
      }),
    );
  }

  /** Delegates `path` in the document and shows the result. */
  async show(uri: vscode.Uri, path: string, position?: { line: number; character: number }): Promise<DelegateResult | undefined> {
    if (this.target && (this.target.uri.toString() !== uri.toString() || this.target.path !== path)) {
      this.remoteTarget = undefined;
      this.remote = undefined;
    }
    this.target = { uri, path, ...(position ? { position } : {}) };
    await vscode.commands.executeCommand('setContext', 'linkerdDtab.hasDelegation', true);
    const result = await this.refresh();
    await this.view.reveal(this.roots()[0]!, { focus: false, select: false, expand: 3 }).then(undefined, () => undefined);
    return result;
  }

  async refresh(): Promise<DelegateResult | undefined> {
    if (!this.target) return undefined;
    const client = await this.client();
    const { uri, path, position } = this.target;
    this.result = await send(client, Delegate, { uri: uri.toString(), path, ...(position ? { position } : {}) });
    this.view.message = this.result.ok ? this.message(this.result) : undefined;
    if (this.remoteTarget) await this.refreshRemote().catch(() => undefined);
    this.changed.fire(undefined);
    return this.result;
  }

  private clusterState: ClusterStatus | undefined;

  /** The cluster's state changed: the message says it (stale data is never shown as live). */
  setCluster(st: ClusterStatus): void {
    this.clusterState = st;
    if (this.result?.ok) this.view.message = this.message(this.result);
  }

  private message(r: DelegateResult & { ok: true }): string {
    const where = `${this.target!.path} in ${vscode.workspace.asRelativePath(this.target!.uri)}`;
    const st = r.boundByNamer ? (this.clusterState ?? r.cluster) : undefined;
    if (!st || st.state === 'none') return r.boundByNamer ? `${where} · /#/ paths unresolved (no cluster data)` : where;
    return `${where} · ${clusterWords(st)}`;
  }

  /** The last result, for tests and commands. */
  get current(): DelegateResult | undefined {
    return this.result;
  }

  private roots(): Item[] {
    if (!this.result || !this.target) return [];
    if (!this.result.ok) return [{ message: this.result.message }];
    const remote: Item[] = !this.remote ? [] : this.remote.ok ? [{ remote: this.remote }, { differences: this.remote.differences }] : [{ message: this.remote.message }];
    return [{ node: this.result.root, uri: this.target.uri }, ...this.result.routes.map((route) => ({ route })), ...remote];
  }

  getChildren(item?: Item): Item[] {
    if (!item) return this.roots();
    if ('node' in item) return item.node.children.map((node) => ({ node, ...(item.uri ? { uri: item.uri } : {}) }));
    if ('remote' in item) return [{ node: item.remote.root }];
    if ('differences' in item) return item.differences.map((difference) => ({ difference }));
    return [];
  }

  private remote: ServerDelegateResult | undefined;
  private remoteTarget: DelegationTarget | undefined;

  /**
   * Asks namerd or linkerd for its own delegation of the current path (of the document's dtab) and
   * shows it under the local one, with every difference between the two called out.
   */
  async compareWithServer(target: DelegationTarget | undefined, uri?: vscode.Uri): Promise<ServerDelegateResult | undefined> {
    if (!target) return undefined;
    if (!this.target || (uri && this.target.uri.toString() !== uri.toString())) {
      const path = await vscode.window.showInputBox({ title: 'Path to delegate', value: this.target?.path ?? '/svc/' });
      if (!path || !uri) return undefined;
      await this.show(uri, path);
    }
    this.remoteTarget = target;
    await this.refreshRemote();
    return this.remote;
  }

  private async refreshRemote(): Promise<void> {
    if (!this.remoteTarget || !this.target) return;
    const client = await this.client();
    const { uri, path, position } = this.target;
    this.remote = await send(client, ServerDelegate, { target: this.remoteTarget, path, uri: uri.toString(), ...(position ? { position } : {}) });
    this.changed.fire(undefined);
  }

  /** The last server-side delegation, for tests. */
  get remoteResult(): ServerDelegateResult | undefined {
    return this.remote;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if ('remote' in item) {
      const t = new vscode.TreeItem(`Server-side: ${item.remote.source}`, vscode.TreeItemCollapsibleState.Expanded);
      t.iconPath = new vscode.ThemeIcon('server-environment');
      t.tooltip = 'The delegation as the server computes it (its namers, its dtab).';
      return t;
    }
    if ('differences' in item) {
      const n = item.differences.length;
      const t = new vscode.TreeItem(n === 0 ? 'Local and server-side delegations agree' : `${n} ${n === 1 ? 'difference' : 'differences'} from the local delegation`, n ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      t.iconPath = new vscode.ThemeIcon(n ? 'diff' : 'check');
      return t;
    }
    if ('difference' in item) {
      const d = item.difference;
      const t = new vscode.TreeItem(d.where);
      t.description = `here: ${d.local} · server: ${d.remote}`;
      t.tooltip = `${d.where}\n\nlocal engine: ${d.local}\nserver: ${d.remote}`;
      t.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
      return t;
    }
    if ('message' in item) {
      const t = new vscode.TreeItem(item.message);
      t.iconPath = new vscode.ThemeIcon('warning');
      return t;
    }
    if ('route' in item) {
      const t = new vscode.TreeItem(`Routes to: ${item.route}`);
      t.iconPath = new vscode.ThemeIcon('target');
      t.tooltip = 'Where Linkerd sends these requests once the name is bound: the first alternative that is not negative, union branches by weight.';
      return t;
    }
    const n = item.node;
    const label = `${n.primary ? '★ ' : ''}${n.weight ? `${Math.round(n.weight.percent * 10) / 10}% ` : ''}${n.path}`;
    const t = new vscode.TreeItem(label, n.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    t.description = [n.description, n.dentry ? (n.dentry.line !== undefined ? `line ${n.dentry.line}: ${n.dentry.text}` : n.dentry.text) : ''].filter(Boolean).join('  ');
    const tip = new vscode.MarkdownString();
    tip.appendText(`${n.path}: ${STATUS_WORDS[n.status]}${n.primary ? ', used by routing' : ''}`);
    if (n.description) tip.appendText(`\n\n${n.description}`);
    if (n.dentry) {
      tip.appendText(n.dentry.line !== undefined ? `\n\nRewritten by line ${n.dentry.line}: ` : '\n\nRewritten by: ');
      tip.appendCodeblock(n.dentry.text, 'linkerd-dtab');
    }
    t.tooltip = tip;
    t.iconPath = ICONS[n.status];
    if (n.dentry?.range && item.uri) {
      const r = n.dentry.range;
      t.command = {
        command: 'vscode.open',
        title: 'Go to the dentry',
        arguments: [item.uri, { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }],
      };
    }
    return t;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
