// Every dtab pulled from or pushed to namerd, per server and namespace, in the extension's storage
// (bounded), so that any version can be compared with any other and restored.

import * as vscode from 'vscode';

export interface HistoryEntry {
  readonly id: string;
  /** Epoch ms. */
  readonly at: number;
  readonly action: 'pulled' | 'pushed' | 'restored' | 'changed on namerd';
  readonly version?: string;
  readonly text: string;
}

type Store = Record<string, HistoryEntry[]>;

export const PER_NAMESPACE = 50;
const MAX_NAMESPACES = 200;
const MAX_BYTES = 8 * 1024 * 1024;

export class History {
  private store: Store | undefined;
  private readonly file: vscode.Uri;
  private writing: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(storage: vscode.Uri) {
    this.file = vscode.Uri.joinPath(storage, 'namerd-history.json');
  }

  static key(url: string, ns: string): string {
    return `${url.replace(/\/+$/, '')} ${ns}`;
  }

  private async load(): Promise<Store> {
    if (this.store) return this.store;
    try {
      const parsed = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(this.file))) as unknown;
      this.store = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Store) : {};
    } catch {
      this.store = {};
    }
    return this.store;
  }

  async entries(url: string, ns: string): Promise<readonly HistoryEntry[]> {
    return [...((await this.load())[History.key(url, ns)] ?? [])].reverse();
  }

  async get(id: string): Promise<HistoryEntry | undefined> {
    for (const list of Object.values(await this.load())) {
      const e = list.find((x) => x.id === id);
      if (e) return e;
    }
    return undefined;
  }

  /** Records a dtab; the same text and version as the last entry is not recorded twice. */
  async add(url: string, ns: string, entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<void> {
    const store = await this.load();
    const key = History.key(url, ns);
    const list = store[key] ?? (store[key] = []);
    const last = list[list.length - 1];
    // Reading (or hearing of) what is already the last entry adds nothing.
    if (last && last.text === entry.text && last.version === entry.version && (entry.action === 'pulled' || entry.action === 'changed on namerd')) return;
    const at = Date.now();
    list.push({ id: `${at.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, at, ...entry });
    if (list.length > PER_NAMESPACE) list.splice(0, list.length - PER_NAMESPACE);
    // Bounded: the namespaces used longest ago go first, then the oldest entries.
    const keys = Object.keys(store).sort((a, b) => (store[a]!.at(-1)?.at ?? 0) - (store[b]!.at(-1)?.at ?? 0));
    while (keys.length > MAX_NAMESPACES) delete store[keys.shift()!];
    let text = JSON.stringify(store);
    while (text.length > MAX_BYTES) {
      const oldest = keys.find((k) => (store[k]?.length ?? 0) > 1) ?? keys[0]!;
      store[oldest]!.shift();
      if (store[oldest]!.length === 0) delete store[oldest];
      text = JSON.stringify(store);
    }
    this.writing = this.writing.then(async () => {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(this.file, '..'));
      await vscode.workspace.fs.writeFile(this.file, new TextEncoder().encode(text));
    });
    await this.writing;
    this.changed.fire(key);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `namerd-history:/<id>/<ns>.dtab`: a history entry as a read-only document (for diffs). */
export class HistoryDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'namerd-history';
  constructor(private readonly history: History) {}

  static uri(entry: HistoryEntry, ns: string): vscode.Uri {
    return vscode.Uri.from({ scheme: HistoryDocuments.scheme, path: `/${entry.id}/${ns}.dtab` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.split('/')[1] ?? '';
    return (await this.history.get(id))?.text ?? '';
  }
}

export function describeEntry(e: HistoryEntry): string {
  return `${new Date(e.at).toLocaleString()} · ${e.action}${e.version ? ` · version ${e.version}` : ''}`;
}
