// The server's view of the cluster: which source the settings choose (a snapshot, the live kube
// context, the workspace's `*.k8s-snapshot.yaml`), the namer registry over it, and what the editor
// is told (the status for the status bar, "changed" for live views). Off in untrusted workspaces.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotText, type NamerRegistry, type SourceStatus } from '../core/index.js';
import type { ClusterStatus } from '../protocol/messages.js';
import { describeStatus, listContexts } from '../remote/k8s.js';
import { kubeconfigAvailable, Sources } from '../remote/sources.js';

export interface ClusterSettings {
  readonly source: 'auto' | 'cluster' | 'snapshot' | 'off';
  readonly kubeconfig: string;
  readonly context: string;
  readonly snapshot: string;
  readonly podNamespace: string;
  readonly watchAllNamespaces: boolean;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = { source: 'auto', kubeconfig: '', context: '', snapshot: '', podNamespace: '', watchAllNamespaces: false };

/** The first `*.k8s-snapshot.yaml` (or `.json`) in the workspace folders, a few levels deep. */
export function findWorkspaceSnapshot(folders: readonly string[], maxDepth = 3): string | undefined {
  const queue = folders.map((dir) => ({ dir, depth: 0 }));
  let visited = 0;
  while (queue.length > 0 && visited < 2000) {
    const { dir, depth } = queue.shift()!;
    visited++;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    // A regular file (through links): a directory or a dangling link with the name is not one.
    for (const n of names) if (/\.k8s-snapshot\.(ya?ml|json)$/.test(n) && isFile(join(dir, n))) return join(dir, n);
    if (depth >= maxDepth) continue;
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = join(dir, n);
      try {
        if (statSync(p).isDirectory()) queue.push({ dir: p, depth: depth + 1 });
      } catch {
        // unreadable: skip
      }
    }
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export class Cluster {
  private sources: Sources | undefined;
  private registryCache: NamerRegistry | undefined;
  private described: ClusterStatus = { state: 'none', source: 'no cluster', detail: 'No cluster data: /#/ paths are shown unresolved.' };
  /** Why the current settings give no cluster data (a snapshot that cannot be read, a kubeconfig that cannot be loaded), if that is why. */
  private problem: ClusterStatus | undefined;
  private lastSent = '';
  private changeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly notify: { status: (s: ClusterStatus) => void; changed: () => void },
    private readonly log: (message: string) => void,
  ) {}

  private settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS;
  private trusted = false;
  private folders: readonly string[] = [];

  /** Applies settings, trust and workspace folders: the sources are made again. */
  configure(settings: ClusterSettings, trusted: boolean, folders: readonly string[]): void {
    this.settings = settings;
    this.trusted = trusted;
    this.folders = folders;
    this.sources?.close();
    this.sources = undefined;
    this.registryCache = undefined;
    this.problem = undefined;
    this.sources = this.makeSources();
    // The default source, made now so the status bar names it; listing namespaces says whether it answers.
    const d = this.sources?.defaultSource();
    if (d && 'probe' in d) void (d as { probe(): Promise<void> }).probe();
    this.update();
  }

  private makeSources(): Sources | undefined {
    const s = this.settings;
    if (s.source === 'off') return undefined;
    const onChange = () => this.onChange();
    const base = { onChange, ...(s.podNamespace ? { podNamespace: s.podNamespace } : {}), ...(s.watchAllNamespaces ? { watchAll: true } : {}) };
    const snapshotFile = s.snapshot || (s.source === 'snapshot' || s.source === 'auto' ? findWorkspaceSnapshot(this.folders) : undefined);
    const readSnapshot = (file: string) => {
      try {
        // A regular file of a sane size: a workspace may hold a link to /dev/zero.
        const st = statSync(file);
        if (!st.isFile()) throw new Error('not a regular file');
        if (st.size > 256 * 1024 * 1024) throw new Error('larger than 256 MB');
        return { text: readFileSync(file, 'utf8'), name: file };
      } catch (e) {
        this.log(`cannot read the snapshot ${file}: ${(e as Error).message}`);
        this.problem = { state: 'error', source: 'cluster', detail: `Cannot read the snapshot ${file}: ${(e as Error).message}` };
        return undefined;
      }
    };
    // An explicit snapshot wins; a live cluster (trusted, configured) comes before the workspace's snapshot.
    if (s.snapshot || s.source === 'snapshot') {
      const snap = snapshotFile ? readSnapshot(snapshotFile) : undefined;
      return snap ? this.tryMake({ ...base, snapshot: snap, live: false }) : undefined;
    }
    const liveConfigured = Boolean(s.kubeconfig || s.context) || kubeconfigAvailable();
    if (this.trusted && liveConfigured) {
      return this.tryMake({ ...base, live: true, ...(s.kubeconfig ? { kubeconfig: s.kubeconfig } : {}), ...(s.context ? { context: s.context } : {}) });
    }
    if (s.source === 'auto' && snapshotFile) {
      const snap = readSnapshot(snapshotFile);
      if (snap) return this.tryMake({ ...base, snapshot: snap, live: false });
    }
    return undefined;
  }

  private tryMake(o: ConstructorParameters<typeof Sources>[0]): Sources | undefined {
    try {
      return new Sources(o);
    } catch (e) {
      this.log(`cluster data unavailable: ${(e as Error).message}`);
      this.problem = { state: 'error', source: 'cluster', detail: (e as Error).message };
      return undefined;
    }
  }

  /**
   * The registry the interpreters use: Kubernetes namers on the current sources, io.l5d.fs on the
   * workspace's files (both off when the workspace is not trusted: every `/#/` leaf unresolved).
   */
  registry(): NamerRegistry | undefined {
    if (!this.trusted && !this.sources) return undefined;
    // Untrusted: no io.l5d.fs (it reads files a workspace's config names), even with a snapshot.
    return (this.registryCache ??= (this.sources ?? new Sources({ live: false })).registry(this.trusted ? this.folders[0] : undefined, this.trusted));
  }

  /** Made again whenever the registry changes: interpreters built from the old one must go. */
  get generation(): object | undefined {
    this.registry();
    return this.registryCache;
  }

  get current(): Sources | undefined {
    return this.sources;
  }

  status(): ClusterStatus {
    return this.described;
  }

  /** The kube contexts of the kubeconfig in use, and the current one. */
  contexts(): { current: string | undefined; contexts: string[] } {
    try {
      return listContexts(this.settings.kubeconfig || undefined, this.settings.context || undefined);
    } catch (e) {
      this.log(`cannot read the kubeconfig: ${(e as Error).message}`);
      return { current: undefined, contexts: [] };
    }
  }

  /** The live caches as a snapshot file's text (kubectl's List form). */
  snapshot(): { text: string; objects: number } | undefined {
    if (!this.sources) return undefined;
    const o = this.sources.liveObjects();
    if (o.endpoints.length + o.services.length === 0) return undefined;
    return { text: snapshotText(o), objects: o.endpoints.length + o.services.length };
  }

  close(): void {
    clearTimeout(this.changeTimer);
    this.sources?.close();
  }

  private onChange(): void {
    // Coalesce bursts (a relist is many events); the editor refreshes well within a second.
    if (this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.update();
      this.notify.changed();
    }, 100);
    this.changeTimer.unref?.();
  }

  private update(): void {
    this.described = this.describe();
    const key = JSON.stringify(this.described);
    if (key !== this.lastSent) {
      this.lastSent = key;
      this.notify.status(this.described);
    }
  }

  private describe(): ClusterStatus {
    if (!this.sources) {
      if (this.settings.source === 'off') return { state: 'none', source: 'cluster data off', detail: 'linkerdDtab.kubernetes.source is off: /#/ paths are shown unresolved.' };
      // What these settings ran into (a snapshot is read in untrusted workspaces too), before what they lack.
      if (this.problem) return this.problem;
      if (!this.trusted) return { state: 'none', source: 'no cluster (untrusted workspace)', detail: 'Cluster access is off in untrusted workspaces: /#/ paths are shown unresolved.' };
      return { state: 'none', source: 'no cluster', detail: 'No kubeconfig and no *.k8s-snapshot.yaml: /#/ paths are shown unresolved.' };
    }
    for (const p of this.sources.problems) return { state: 'error', source: 'cluster', detail: p };
    const all = this.sources.statuses();
    if (all.length === 0) {
      const d = this.sources.defaultSource();
      if (d) all.push(d.status());
    }
    const st: SourceStatus | undefined = all.find((x) => x.state !== 'live' && x.state !== 'snapshot' && x.state !== 'connecting') ?? all[0];
    if (!st) return { state: 'live', source: this.settings.context ? `context ${this.settings.context}` : 'current context', detail: 'Watching only the namespaces the dtabs reach.' };
    return { state: st.state, source: st.source, detail: describeStatus(st), ...(st.since !== undefined ? { since: st.since } : {}) };
  }
}
