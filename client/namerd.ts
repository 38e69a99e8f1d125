// namerd in the editor: the "namerd" view (servers → namespaces → dentries) and namespaces opened as
// `namerd:/<server>/<namespace>.dtab` documents with full language support, where Save pushes.
// Every push: the dtab is checked, the routing impact and the text diff are shown and confirmed, and
// it goes with If-Match (the version the edit was based on). A 412 never overwrites: the user's
// edits are merged with what namerd has now (three-way, conflicts marked) and pushed again by a save.
// UI only: namerd is reached by the language server (typed requests in protocol/).

import * as vscode from 'vscode';
import {
  Impact,
  Merge,
  NamerdChanged,
  NamerdDelete,
  NamerdGet,
  NamerdList,
  NamerdPush,
  NamerdWatch,
  send,
  type Failure,
  type NamerdChange,
  type RequestSender,
} from '../protocol/messages';
import { History, HistoryDocuments, describeEntry, type HistoryEntry } from './history';
import { addToSetting, Credentials, namerdServers, networkAllowed, type NamedUrl } from './network';

export const SCHEME = 'namerd';

type Node =
  | { kind: 'server'; server: NamedUrl }
  | { kind: 'namespace'; server: NamedUrl; ns: string }
  | { kind: 'dentry'; server: NamedUrl; ns: string; text: string }
  | { kind: 'message'; text: string; server?: NamedUrl };

interface Base {
  version: string | undefined;
  text: string;
  mtime: number;
}

export function namespaceUri(server: NamedUrl, ns: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${server.name}/${ns}.dtab` });
}

/** The server and namespace of a `namerd:` URI. */
export function parseNamespaceUri(uri: vscode.Uri): { server: NamedUrl; ns: string } | undefined {
  const m = /^\/([^/]+)\/(.+)\.dtab$/.exec(uri.path);
  if (!m) return undefined;
  const server = namerdServers().find((s) => s.name === m[1]);
  return server ? { server, ns: m[2]! } : undefined;
}

/** Logical names the user always wants in the routing impact (`linkerdDtab.impact.names`). */
function impactNames(): string[] {
  const v = vscode.workspace.getConfiguration('linkerdDtab').get<unknown>('impact.names', []);
  return Array.isArray(v) ? v.filter((n): n is string => typeof n === 'string' && n.startsWith('/')) : [];
}

/** Why a request failed, for a notification or a save error. */
function say(f: Failure): string {
  return f.message;
}

export class Namerd implements vscode.TreeDataProvider<Node>, vscode.FileSystemProvider, vscode.Disposable {
  private readonly treeChanged = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly fileChanged = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.fileChanged.event;
  private readonly bases = new Map<string, Base>();
  private readonly namespaces = new Map<string, readonly string[] | Failure>();
  private readonly dentries = new Map<string, readonly string[] | Failure>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly scratches = new ScratchDocuments();
  /** The modal that confirms a push (a seam: the integration tests answer it and read its text). */
  ui = {
    confirm: async (message: string, detail: string): Promise<'Push' | 'Show Diff' | undefined> => vscode.window.showWarningMessage(message, { modal: true, detail }, 'Push', 'Show Diff'),
  };
  /** Pushes and their outcomes, with the exact text sent (the "Dtab (Linkerd)" output channel). */
  readonly view: vscode.TreeView<Node>;

  constructor(
    private readonly client: () => Promise<RequestSender & { onNotification(method: string, handler: (p: NamerdChange) => void): vscode.Disposable }>,
    private readonly credentials: Credentials,
    readonly history: History,
    private readonly log: vscode.OutputChannel,
  ) {
    this.view = vscode.window.createTreeView('linkerdDtab.namerd', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      vscode.workspace.registerFileSystemProvider(SCHEME, this, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(HistoryDocuments.scheme, new HistoryDocuments(history)),
      vscode.workspace.registerTextDocumentContentProvider(ScratchDocuments.scheme, this.scratches),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('linkerdDtab.namerd.servers')) this.refresh();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const at = d.uri.scheme === SCHEME ? parseNamespaceUri(d.uri) : undefined;
        if (at) void this.request(NamerdWatch, async () => ({ server: await this.credentials.ref(at.server.url), ns: at.ns, stop: true }));
      }),
    );
    void this.client().then((c) => this.disposables.push(c.onNotification(NamerdChanged.method, (p) => void this.remoteChange(p))));
  }

  private key(url: string, ns: string): string {
    return History.key(url, ns);
  }

  private async request<P, R>(req: { method: string; _types?: [P, R] }, params: () => Promise<P>): Promise<R> {
    return send(await this.client(), req, await params());
  }

  refresh(): void {
    this.namespaces.clear();
    this.dentries.clear();
    this.treeChanged.fire(undefined);
  }

  // ---- the view ----

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const servers = namerdServers();
      return servers.map((server) => ({ kind: 'server', server }));
    }
    if (node.kind === 'server') {
      if (!vscode.workspace.isTrusted) return [{ kind: 'message', text: 'Off in an untrusted workspace' }];
      const key = node.server.url;
      let got = this.namespaces.get(key);
      if (!got) {
        const r = await this.request(NamerdList, async () => ({ server: await this.credentials.ref(node.server.url) }));
        got = r.ok ? r.namespaces : r;
        this.namespaces.set(key, got);
        // Namespaces created or deleted elsewhere show up by themselves.
        if (r.ok) void this.request(NamerdWatch, async () => ({ server: await this.credentials.ref(node.server.url) }));
      }
      if ('ok' in got) return [{ kind: 'message', text: say(got), server: node.server }];
      if (got.length === 0) return [{ kind: 'message', text: 'No namespaces yet', server: node.server }];
      return got.map((ns) => ({ kind: 'namespace', server: node.server, ns }));
    }
    if (node.kind === 'namespace') {
      const key = this.key(node.server.url, node.ns);
      let got = this.dentries.get(key);
      if (!got) {
        const r = await this.request(NamerdGet, async () => ({ server: await this.credentials.ref(node.server.url), ns: node.ns }));
        got = r.ok ? r.text.split('\n').filter((l) => l.trim() !== '') : r;
        this.dentries.set(key, got);
      }
      if ('ok' in got) return [{ kind: 'message', text: say(got) }];
      return got.map((text) => ({ kind: 'dentry', server: node.server, ns: node.ns, text }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'server': {
        const t = new vscode.TreeItem(node.server.name, vscode.TreeItemCollapsibleState.Collapsed);
        t.description = node.server.url;
        t.iconPath = new vscode.ThemeIcon('server');
        t.contextValue = 'namerdServer';
        t.tooltip = `namerd at ${node.server.url}`;
        return t;
      }
      case 'namespace': {
        const t = new vscode.TreeItem(node.ns, vscode.TreeItemCollapsibleState.Collapsed);
        t.iconPath = new vscode.ThemeIcon('symbol-namespace');
        t.contextValue = 'namerdNamespace';
        t.command = { command: 'linkerdDtab.namerd.open', title: 'Open', arguments: [node] };
        const base = this.bases.get(this.key(node.server.url, node.ns));
        if (base?.version) t.description = `version ${base.version}`;
        return t;
      }
      case 'dentry': {
        const t = new vscode.TreeItem(node.text.replace(/\s*;\s*$/, ''));
        t.iconPath = new vscode.ThemeIcon('arrow-right');
        return t;
      }
      case 'message': {
        const t = new vscode.TreeItem(node.text);
        t.iconPath = new vscode.ThemeIcon('warning');
        return t;
      }
    }
  }

  // ---- the file system: namespaces as documents ----

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const at = this.at(uri);
    const base = this.bases.get(this.key(at.server.url, at.ns)) ?? (await this.pull(at.server, at.ns));
    return { type: vscode.FileType.File, ctime: 0, mtime: base.mtime, size: Buffer.byteLength(base.text) };
  }

  private at(uri: vscode.Uri): { server: NamedUrl; ns: string } {
    const at = parseNamespaceUri(uri);
    if (!at) throw vscode.FileSystemError.FileNotFound(uri);
    return at;
  }

  /** Reads a namespace from namerd: its text (namerctl's pretty form) becomes the base of edits. */
  private async pull(server: NamedUrl, ns: string): Promise<Base> {
    if (!vscode.workspace.isTrusted) throw vscode.FileSystemError.Unavailable('Network features are off in an untrusted workspace.');
    const r = await this.request(NamerdGet, async () => ({ server: await this.credentials.ref(server.url), ns }));
    if (!r.ok) {
      if (r.kind === 'not-found') throw vscode.FileSystemError.FileNotFound(`namespace ${ns} does not exist on ${server.url}`);
      throw vscode.FileSystemError.Unavailable(say(r));
    }
    const base = this.setBase(server, ns, r.version, r.text);
    await this.history.add(server.url, ns, { action: 'pulled', ...(r.version !== undefined ? { version: r.version } : {}), text: r.text });
    // Changes made elsewhere show up in the open document (or a prompt, when it has unsaved edits).
    void this.request(NamerdWatch, async () => ({ server: await this.credentials.ref(server.url), ns }));
    return base;
  }

  /**
   * `keepMtime`: the open document was not reloaded (its edits are being merged onto the new base),
   * so to VS Code the file is unchanged; a new mtime would fail the next save ("file modified since").
   */
  private setBase(server: NamedUrl, ns: string, version: string | undefined, text: string, keepMtime = false): Base {
    const key = this.key(server.url, ns);
    const old = this.bases.get(key);
    const same = old && ((old.version === version && old.text === text) || keepMtime);
    const base = { version, text, mtime: same ? old.mtime : Math.max(Date.now(), (old?.mtime ?? 0) + 1) };
    this.bases.set(key, base);
    this.dentries.delete(key);
    this.treeChanged.fire(undefined);
    return base;
  }

  /** The version an open namespace is based on (for tests and the status of a document). */
  baseOf(uri: vscode.Uri): { version: string | undefined; text: string } | undefined {
    const at = parseNamespaceUri(uri);
    return at ? this.bases.get(this.key(at.server.url, at.ns)) : undefined;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const at = this.at(uri);
    const key = this.key(at.server.url, at.ns);
    const base = this.bases.get(key) ?? (await this.pull(at.server, at.ns));
    return new TextEncoder().encode(base.text);
  }

  /** Save: check, show the routing impact and the diff, confirm, push with If-Match. */
  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const at = this.at(uri);
    if (!networkAllowed()) throw vscode.FileSystemError.NoPermissions('Network features are off in an untrusted workspace.');
    const text = new TextDecoder().decode(content);
    const key = this.key(at.server.url, at.ns);
    const base = this.bases.get(key);
    if (!base) throw vscode.FileSystemError.Unavailable(`Open ${at.ns} from namerd before pushing it.`);
    if (!(await this.confirm(at, base.text, text, uri))) throw vscode.FileSystemError.Unavailable('Push cancelled: nothing was sent to namerd.');
    await this.pushText(at.server, at.ns, text, base, uri, 'pushed');
  }

  /** Shows the routing impact of base → text in a modal; "Show diff" opens the text diff. */
  private async confirm(at: { server: NamedUrl; ns: string }, before: string, after: string, uri?: vscode.Uri): Promise<boolean> {
    const impact = await this.request(Impact, async () => ({ before, after, names: impactNames(), ...(uri ? { uri: uri.toString() } : {}) }));
    if (!impact.ok) {
      void vscode.window.showErrorMessage(`Not pushed to namerd: ${say(impact)}`);
      return false;
    }
    const detail = [`Routing impact on ${at.server.name} / ${at.ns}:`, ...impact.lines].join('\n');
    for (;;) {
      const pick = await this.ui.confirm(`Push namespace ${at.ns} to ${at.server.url}?`, detail);
      if (pick === 'Push') return true;
      if (pick !== 'Show Diff') return false;
      const baseUri = await this.scratch(`${at.ns} (namerd)`, before);
      const afterUri = uri ?? (await this.scratch(`${at.ns} (to push)`, after));
      await vscode.commands.executeCommand('vscode.diff', baseUri, afterUri, `${at.ns}: namerd ↔ to push`, { preview: true });
    }
  }

  /** A read-only document holding a text (for diffs: namerd's version, theirs, …). */
  private async scratch(name: string, text: string): Promise<vscode.Uri> {
    return this.scratches.put(name, text);
  }

  /** Pushes `text` based on `base`; on 412 merges with theirs into the open document. */
  private async pushText(server: NamedUrl, ns: string, text: string, base: Base, uri: vscode.Uri | undefined, action: 'pushed' | 'restored'): Promise<boolean> {
    const key = this.key(server.url, ns);
    // namerd's watch echoes this push: what it says meanwhile is looked at once the push is done.
    this.pushing.add(key);
    try {
      return await this.pushTextNow(server, ns, text, base, uri, action);
    } finally {
      this.pushing.delete(key);
      const queued = this.queued.get(key);
      this.queued.delete(key);
      if (queued) void this.remoteChange(queued);
    }
  }

  private readonly pushing = new Set<string>();
  private readonly queued = new Map<string, NamerdChange>();

  private async pushTextNow(server: NamedUrl, ns: string, text: string, base: Base, uri: vscode.Uri | undefined, action: 'pushed' | 'restored'): Promise<boolean> {
    const sent = await this.request(NamerdPush, async () => ({ server: await this.credentials.ref(server.url), ns, text, ...(base.version !== undefined ? { baseVersion: base.version } : {}) }));
    this.log.appendLine(`[namerd] ${action === 'restored' ? 'restore' : 'push'} ${ns} to ${server.url} with If-Match ${base.version ?? '(none)'}: ${sent.ok ? `ok, now version ${sent.version ?? '?'}` : `${sent.kind}: ${sent.message}`}\n${text}`);
    if (sent.ok) {
      await this.history.add(server.url, ns, { action, ...(sent.version !== undefined ? { version: sent.version } : {}), text });
      if (sent.changedSince) {
        // Someone pushed right after this push: the document shows namerd's text, never a stale base.
        await this.history.add(server.url, ns, { action: 'changed on namerd', ...(sent.version !== undefined ? { version: sent.version } : {}), text: sent.text });
        this.setBase(server, ns, sent.version, sent.text);
        const changed = namespaceUri(server, ns);
        setTimeout(() => this.fileChanged.fire([{ type: vscode.FileChangeType.Changed, uri: changed }]), 0);
        void vscode.window.showWarningMessage(`${ns} was pushed, and changed again on ${server.name} right after (now version ${sent.version ?? '?'}): the document shows namerd's text.`);
        return true;
      }
      this.setBase(server, ns, sent.version, sent.text);
      void vscode.window.setStatusBarMessage(`Pushed ${ns} to ${server.name} (version ${sent.version ?? '?'})`, 5000);
      return true;
    }
    if (sent.kind !== 'conflict' || !('theirs' in sent) || !sent.theirs) {
      if (uri) throw vscode.FileSystemError.Unavailable(`Not pushed: ${say(sent)}`);
      void vscode.window.showErrorMessage(`Not pushed: ${say(sent)}`);
      return false;
    }
    // Someone pushed since this edit began: merge (base, theirs, yours), never overwrite.
    const theirs = sent.theirs;
    const merged = await this.request(Merge, async () => ({ base: base.text, theirs: theirs.text, yours: text }));
    await this.history.add(server.url, ns, { action: 'changed on namerd', ...(theirs.version !== undefined ? { version: theirs.version } : {}), text: theirs.text });
    const newBase = this.setBase(server, ns, theirs.version, theirs.text, uri !== undefined);
    const target = uri ?? namespaceUri(server, ns);
    setTimeout(() => void this.showMerge(target, ns, server, merged, base, newBase), 0);
    if (uri) throw vscode.FileSystemError.Unavailable(`${ns} changed on namerd since you opened it (version ${base.version ?? '?'} → ${theirs.version ?? '?'}): nothing was overwritten. Your edits are being merged with theirs.`);
    return false;
  }

  /** Puts the merged text in the namespace's document (still unsaved) and says what to do. */
  private async showMerge(uri: vscode.Uri, ns: string, server: NamedUrl, merged: { text: string; conflicts: number }, was: Base, now: Base): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), merged.text);
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(doc, { preview: false });
    const what = merged.conflicts === 0 ? 'Your edits and theirs merged without conflicts' : `${merged.conflicts} conflicting ${merged.conflicts === 1 ? 'dentry is' : 'dentries are'} marked (<<<<<<< yours … >>>>>>> theirs): resolve them`;
    const pick = await vscode.window.showWarningMessage(
      `${ns} changed on ${server.name} (version ${was.version ?? '?'} → ${now.version ?? '?'}). ${what}, then save to push against the new version.`,
      'Compare with Theirs',
    );
    if (pick) {
      const theirsUri = await this.scratch(`${ns} (theirs)`, now.text);
      await vscode.commands.executeCommand('vscode.diff', theirsUri, uri, `${ns}: namerd now ↔ merged`);
    }
  }

  /** namerd said a followed namespace (or list) changed. */
  private async remoteChange(p: NamerdChange): Promise<void> {
    const server = namerdServers().find((s) => s.url === p.url);
    if (!server) return;
    if (p.namespaces) {
      this.namespaces.set(p.url, p.namespaces);
      this.treeChanged.fire(undefined);
      return;
    }
    if (p.ns === undefined || p.text === undefined || p.error !== undefined) return;
    const key = this.key(p.url, p.ns);
    if (this.pushing.has(key)) {
      this.queued.set(key, p);
      return;
    }
    const base = this.bases.get(key);
    if (base && base.version === p.version && base.text === p.text) return;
    const uri = namespaceUri(server, p.ns);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    await this.history.add(p.url, p.ns, { action: 'changed on namerd', ...(p.version !== undefined ? { version: p.version } : {}), text: p.text });
    if (!doc || !doc.isDirty) {
      // Not edited: show namerd's new text (VS Code reads the file again).
      this.setBase(server, p.ns, p.version, p.text);
      this.fileChanged.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      return;
    }
    // Edited here: keep the base (a save would get 412 and merge); offer to merge now.
    this.dentries.delete(key);
    this.treeChanged.fire(undefined);
    const pick = await vscode.window.showWarningMessage(`${p.ns} changed on ${server.name} while you were editing it (now version ${p.version ?? '?'}).`, 'Merge Now', 'Compare');
    if (pick === 'Merge Now' && base) {
      const merged = await this.request(Merge, async () => ({ base: base.text, theirs: p.text!, yours: doc.getText() }));
      const now = this.setBase(server, p.ns, p.version, p.text, true);
      await this.showMerge(uri, p.ns, server, merged, base, now);
    } else if (pick === 'Compare') {
      const theirsUri = await this.scratch(`${p.ns} (theirs)`, p.text);
      await vscode.commands.executeCommand('vscode.diff', theirsUri, uri, `${p.ns}: namerd now ↔ yours`);
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('namerd has no folders');
  }

  async delete(uri: vscode.Uri): Promise<void> {
    const at = this.at(uri);
    await this.deleteNamespace(at.server, at.ns);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('namerd namespaces cannot be renamed');
  }

  // ---- commands ----

  async open(node?: { server: NamedUrl; ns: string }): Promise<vscode.TextEditor | undefined> {
    if (!networkAllowed()) return undefined;
    const at = node ?? (await this.pickNamespace('Open a namerd namespace'));
    if (!at) return undefined;
    const doc = await vscode.workspace.openTextDocument(namespaceUri(at.server, at.ns));
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  private async pickServer(title: string): Promise<NamedUrl | undefined> {
    const servers = namerdServers();
    if (servers.length === 0) {
      const pick = await vscode.window.showInformationMessage('No namerd servers are configured (linkerdDtab.namerd.servers).', 'Add namerd Server…');
      if (pick) await this.addServer();
      return undefined;
    }
    if (servers.length === 1) return servers[0];
    const pick = await vscode.window.showQuickPick(
      servers.map((s) => ({ label: s.name, description: s.url, s })),
      { title },
    );
    return pick?.s;
  }

  async pickNamespace(title: string): Promise<{ server: NamedUrl; ns: string } | undefined> {
    const server = await this.pickServer(title);
    if (!server) return undefined;
    const r = await this.request(NamerdList, async () => ({ server: await this.credentials.ref(server.url) }));
    if (!r.ok) {
      void vscode.window.showErrorMessage(say(r));
      return undefined;
    }
    const ns = await vscode.window.showQuickPick([...r.namespaces], { title: `${title} (${server.name})` });
    return ns ? { server, ns } : undefined;
  }

  async addServer(): Promise<void> {
    const url = await vscode.window.showInputBox({
      title: 'Add a namerd server',
      prompt: "namerd's HTTP API (io.l5d.httpController), e.g. http://namerd.linkerd:4180",
      placeHolder: 'http://127.0.0.1:4180',
      validateInput: (v) => (/^https?:\/\/[^/\s]+/.test(v.trim()) ? undefined : 'An http:// or https:// URL'),
    });
    if (!url) return;
    const name = await vscode.window.showInputBox({ title: 'A name for it', value: new URL(url.trim()).host });
    if (name === undefined) return;
    await addToSetting('namerd.servers', { name: name || new URL(url.trim()).host, url: url.trim() });
    this.refresh();
  }

  async create(node?: { server: NamedUrl }): Promise<void> {
    if (!networkAllowed()) return;
    const server = node?.server ?? (await this.pickServer('New namerd namespace'));
    if (!server) return;
    const ns = await vscode.window.showInputBox({ title: `New namespace on ${server.name}`, prompt: 'Its name (namerd stores one dtab per namespace)' });
    if (!ns) return;
    const text = (vscode.window.activeTextEditor?.document.languageId === 'linkerd-dtab' ? vscode.window.activeTextEditor.document.getText() : '') || '/svc => /#/io.l5d.k8s/default/http;\n';
    if (!(await this.confirm({ server, ns }, '', text))) return;
    const r = await this.request(NamerdPush, async () => ({ server: await this.credentials.ref(server.url), ns, text, create: true }));
    if (!r.ok) {
      void vscode.window.showErrorMessage(say(r));
      return;
    }
    await this.history.add(server.url, ns, { action: 'pushed', ...(r.version !== undefined ? { version: r.version } : {}), text });
    this.namespaces.delete(server.url);
    this.treeChanged.fire(undefined);
    await this.open({ server, ns });
  }

  async deleteNamespace(server: NamedUrl, ns: string): Promise<void> {
    if (!networkAllowed()) return;
    const pick = await vscode.window.showWarningMessage(`Delete namespace ${ns} on ${server.url}?`, { modal: true, detail: 'Routers using it lose their dtab. Its last text stays in the history.' }, 'Delete');
    if (pick !== 'Delete') return;
    const current = await this.request(NamerdGet, async () => ({ server: await this.credentials.ref(server.url), ns }));
    if (current.ok) await this.history.add(server.url, ns, { action: 'pulled', ...(current.version !== undefined ? { version: current.version } : {}), text: current.text });
    const r = await this.request(NamerdDelete, async () => ({ server: await this.credentials.ref(server.url), ns }));
    if (!r.ok) void vscode.window.showErrorMessage(say(r));
    this.namespaces.delete(server.url);
    this.treeChanged.fire(undefined);
  }

  /** The history of a namespace: compare any two versions, or restore one (a push with its version check). */
  async showHistory(node?: { server: NamedUrl; ns: string }): Promise<void> {
    const at = node ?? (vscode.window.activeTextEditor?.document.uri.scheme === SCHEME ? parseNamespaceUri(vscode.window.activeTextEditor.document.uri) : undefined) ?? (await this.pickNamespace('namerd history'));
    if (!at) return;
    const entries = await this.history.entries(at.server.url, at.ns);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(`No history for ${at.ns} yet: it starts when the namespace is opened or pushed from here.`);
      return;
    }
    const pick = await vscode.window.showQuickPick(
      entries.map((e) => ({ label: describeEntry(e), detail: e.text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '(empty)', e })),
      { title: `History of ${at.ns} on ${at.server.name}`, placeHolder: 'A version to compare or restore' },
    );
    if (!pick) return;
    const action = await vscode.window.showQuickPick(['Compare with namerd now', 'Compare with another version…', 'Show routing impact against namerd now', 'Restore this version'], { title: describeEntry(pick.e) });
    if (!action) return;
    if (action === 'Compare with another version…') {
      const other = await vscode.window.showQuickPick(
        entries.filter((e) => e !== pick.e).map((e) => ({ label: describeEntry(e), e })),
        { title: 'Compare with' },
      );
      if (other) await this.diffEntries(at.ns, other.e, pick.e);
      return;
    }
    const now = await this.request(NamerdGet, async () => ({ server: await this.credentials.ref(at.server.url), ns: at.ns }));
    if (!now.ok && now.kind !== 'not-found') {
      void vscode.window.showErrorMessage(say(now));
      return;
    }
    const nowText = now.ok ? now.text : '';
    if (action === 'Compare with namerd now') {
      await vscode.commands.executeCommand('vscode.diff', await this.scratch(`${at.ns} (namerd now)`, nowText), HistoryDocuments.uri(pick.e, at.ns), `${at.ns}: namerd now ↔ ${describeEntry(pick.e)}`);
      return;
    }
    if (action === 'Show routing impact against namerd now') {
      await this.showImpact(nowText, pick.e.text, `${at.ns}: namerd now → ${describeEntry(pick.e)}`);
      return;
    }
    // Restore: the same confirmation and version check as any push.
    if (!now.ok) {
      const r = await this.request(NamerdPush, async () => ({ server: await this.credentials.ref(at.server.url), ns: at.ns, text: pick.e.text, create: true }));
      if (!r.ok) void vscode.window.showErrorMessage(say(r));
      else await this.history.add(at.server.url, at.ns, { action: 'restored', ...(r.version !== undefined ? { version: r.version } : {}), text: pick.e.text });
      return;
    }
    if (!(await this.confirm(at, nowText, pick.e.text))) return;
    const base: Base = { version: now.version, text: nowText, mtime: Date.now() };
    if (await this.pushText(at.server, at.ns, pick.e.text, base, undefined, 'restored')) {
      const uri = namespaceUri(at.server, at.ns);
      this.fileChanged.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    }
  }

  private async diffEntries(ns: string, a: HistoryEntry, b: HistoryEntry): Promise<void> {
    await vscode.commands.executeCommand('vscode.diff', HistoryDocuments.uri(a, ns), HistoryDocuments.uri(b, ns), `${ns}: ${describeEntry(a)} ↔ ${describeEntry(b)}`);
  }

  /** The routing impact between two texts, as a read-only document. */
  async showImpact(before: string, after: string, title: string, uri?: vscode.Uri): Promise<void> {
    const r = await this.request(Impact, async () => ({ before, after, names: impactNames(), ...(uri ? { uri: uri.toString() } : {}) }));
    if (!r.ok) {
      void vscode.window.showErrorMessage(say(r));
      return;
    }
    const doc = await vscode.workspace.openTextDocument(this.scratches.put('routing impact.txt', [`Routing impact: ${title}`, '', ...r.lines, ''].join('\n')));
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.treeChanged.dispose();
    this.fileChanged.dispose();
  }
}

/** `dtab-scratch:/<id>/<name>`: texts shown read-only (the last 50 kept). */
class ScratchDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'dtab-scratch';
  private readonly texts = new Map<string, string>();
  private next = 0;

  put(name: string, text: string): vscode.Uri {
    const id = String(++this.next);
    this.texts.set(id, text);
    if (this.texts.size > 50) this.texts.delete(this.texts.keys().next().value!);
    return vscode.Uri.from({ scheme: ScratchDocuments.scheme, path: `/${id}/${name.endsWith('.txt') ? name : `${name}.dtab`}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path.split('/')[1] ?? '') ?? '';
  }
}
