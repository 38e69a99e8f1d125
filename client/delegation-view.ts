// The "Delegation" tree view: shows what the server computed for a path in a document, and keeps
// it fresh while the document is edited. No dtab logic here: the server sends the whole tree.

import * as vscode from 'vscode';
import { Delegate, send, type ClusterStatus, type DelegateResult, type DelegationNode, type RequestSender } from '../protocol/messages';

type Item = { node: DelegationNode; uri: vscode.Uri } | { message: string } | { route: string };

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
    return [{ node: this.result.root, uri: this.target.uri }, ...this.result.routes.map((route) => ({ route }))];
  }

  getChildren(item?: Item): Item[] {
    if (!item) return this.roots();
    if ('node' in item) return item.node.children.map((node) => ({ node, uri: item.uri }));
    return [];
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(item: Item): vscode.TreeItem {
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
    t.description = [n.description, n.dentry ? `line ${n.dentry.line}: ${n.dentry.text}` : ''].filter(Boolean).join('  ');
    const tip = new vscode.MarkdownString();
    tip.appendText(`${n.path}: ${STATUS_WORDS[n.status]}${n.primary ? ', used by routing' : ''}`);
    if (n.description) tip.appendText(`\n\n${n.description}`);
    if (n.dentry) {
      tip.appendText(`\n\nRewritten by line ${n.dentry.line}: `);
      tip.appendCodeblock(n.dentry.text, 'linkerd-dtab');
    }
    t.tooltip = tip;
    t.iconPath = ICONS[n.status];
    if (n.dentry?.range) {
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
