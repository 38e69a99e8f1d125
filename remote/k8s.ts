// The live cluster: Kubernetes Endpoints and Services through @kubernetes/client-node's informers
// (list, then watch from the resourceVersion; relist on 410 Gone), one cache per context, watching
// only the namespaces that dtabs reach (a namespace's watches start the first time a namer asks
// for an object in it). Nothing is ever written to the cluster.
//
// Never shows old addresses as live: when a watch fails, the namespace's state turns `stale`
// (since when), `unauthorized`, `forbidden` or `unreachable`, with the API's own message, and the
// watch is restarted with backoff.

import { CoreV1Api, KubeConfig, ListWatch, Watch, type Informer, type KubernetesObject, type V1Endpoints, type V1Service } from '@kubernetes/client-node';
import type { Endpoints, K8sSource, Service, SourceStatus } from '../core/k8s/types.js';

export interface ClusterOptions {
  /** A kubeconfig file (or several, joined with the platform's path delimiter, as KUBECONFIG). Default: KUBECONFIG, ~/.kube/config, then in-cluster. */
  readonly kubeconfig?: string;
  /** The context to use (default: the kubeconfig's current context). */
  readonly context?: string;
  /**
   * Talk plain HTTP to this address instead (an `io.l5d.k8s` namer's `host`/`port`: Linkerd talks
   * to `kubectl proxy` this way), e.g. `http://127.0.0.1:8001`.
   */
  readonly server?: string;
  /** Called after any change of objects or state (debounced by the caller). */
  readonly onChange?: () => void;
  /** Backoff between restarts of a failed watch: first delay and cap (ms). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Watch every namespace (as listed), not only those that dtabs reach. */
  readonly watchAll?: boolean;
}

/** Loads a kubeconfig the standard way, or the one given; picks the context. */
export function loadKubeConfig(options: Pick<ClusterOptions, 'kubeconfig' | 'context' | 'server'> = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.server) {
    // Plain HTTP (kubectl proxy) has no TLS to verify; client-node refuses http: unless this is set.
    kc.loadFromClusterAndUser({ name: options.server, server: options.server, skipTLSVerify: options.server.startsWith('http:') }, { name: 'anonymous' });
    return kc;
  }
  if (options.kubeconfig) {
    const files = options.kubeconfig.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
    if (files.length === 1) kc.loadFromFile(files[0]!);
    else {
      // Merge as KUBECONFIG does: the first file that sets a value wins.
      const saved = process.env.KUBECONFIG;
      process.env.KUBECONFIG = options.kubeconfig;
      try {
        kc.loadFromDefault();
      } finally {
        if (saved === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = saved;
      }
    }
  } else kc.loadFromDefault();
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) throw new Error(`no context named ${options.context} in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(options.context);
  }
  return kc;
}

/** What people read about where the cluster is: `context kind-dev (https://…)`, or the URL. */
export function describeCluster(kc: KubeConfig, server?: string): string {
  if (server) return server;
  const cluster = kc.getCurrentCluster();
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  return `context ${kc.getCurrentContext()}${namespace ? `/${namespace}` : ''}${cluster ? ` (${cluster.server})` : ''}`;
}

/** An error as people should read it, naming the API it came from. */
export function describeError(e: unknown, api: string, what: string): { state: SourceStatus['state']; message: string } {
  const err = e as { code?: number | string; statusCode?: number; body?: unknown; message?: string; cause?: { code?: string; message?: string } };
  const status = typeof err.code === 'number' ? err.code : err.statusCode;
  const body = typeof err.body === 'string' ? safeJson(err.body) : err.body;
  const apiMessage = body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : undefined;
  if (status === 401) return { state: 'unauthorized', message: `unauthorized: the Kubernetes API at ${api} did not accept the credentials${apiMessage ? ` (${apiMessage})` : ''}` };
  if (status === 403) return { state: 'forbidden', message: `forbidden: ${apiMessage ?? `cannot ${what}`}` };
  const code = err.cause?.code ?? (typeof err.code === 'string' ? err.code : undefined);
  if (code === 'ECONNREFUSED') return { state: 'unreachable', message: `cannot reach the Kubernetes API at ${api}: connection refused` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { state: 'unreachable', message: `cannot reach the Kubernetes API at ${api}: unknown host` };
  if (code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'UND_ERR_SOCKET') return { state: 'unreachable', message: `the Kubernetes API at ${api} dropped the connection (${code})` };
  if (status !== undefined) return { state: 'unreachable', message: `the Kubernetes API at ${api} answered ${status}${apiMessage ? `: ${apiMessage}` : ''} (${what})` };
  return { state: 'unreachable', message: `cannot ${what} at ${api}: ${err.cause?.message ?? err.message ?? String(e)}` };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * client-node's Watch, telling when a watch is established (the API answered 200): after a cut,
 * the informer watches again from its resourceVersion without listing, and only this says the
 * cache is live again.
 */
class ObservedWatch extends Watch {
  constructor(
    kc: KubeConfig,
    private readonly established: () => void,
  ) {
    super(kc);
  }

  override async watch(path: string, query: Record<string, string | number | boolean | undefined>, callback: (phase: string, obj: unknown, watchObj?: unknown) => void, done: (err: unknown) => void): Promise<AbortController> {
    let failed = false;
    const controller = await super.watch(path, query, callback, (err: unknown) => {
      if (err) failed = true;
      done(err);
    });
    if (!failed) this.established();
    return controller;
  }
}

interface Watched<T extends KubernetesObject> {
  informer: Informer<T>;
  objects: Map<string, T>;
  /** Resolves once the first list has been answered (or failed). */
  ready: Promise<void>;
  listed: boolean;
}

interface NamespaceWatch {
  endpoints: Watched<V1Endpoints>;
  services: Watched<V1Service>;
  status: SourceStatus;
  failures: number;
  timer?: NodeJS.Timeout;
}

/** One context's cache: a K8sSource over live watches. */
export class ClusterSource implements K8sSource {
  readonly kc: KubeConfig;
  readonly name: string;
  private readonly api: string;
  private readonly core: CoreV1Api;
  private readonly watches = new Map<string, NamespaceWatch>();
  private namespaceNames: string[] = [];
  private namespacesListed = false;
  private closed = false;

  constructor(private readonly options: ClusterOptions = {}) {
    this.kc = loadKubeConfig(options);
    this.name = describeCluster(this.kc, options.server);
    this.api = options.server ?? this.kc.getCurrentCluster()?.server ?? '(no server in the kubeconfig)';
    this.core = this.kc.makeApiClient(CoreV1Api);
  }

  endpoints(namespace: string, name: string): Endpoints | undefined | Promise<Endpoints | undefined> {
    return this.read(namespace, (w) => w.endpoints, name) as Endpoints | undefined | Promise<Endpoints | undefined>;
  }

  service(namespace: string, name: string): Service | undefined | Promise<Service | undefined> {
    return this.read(namespace, (w) => w.services, name) as Service | undefined | Promise<Service | undefined>;
  }

  private read<T extends KubernetesObject>(namespace: string, which: (w: NamespaceWatch) => Watched<T>, name: string): T | undefined | Promise<T | undefined> {
    const w = this.watch(namespace);
    const watched = which(w);
    const answer = (): T | undefined => {
      if (!watched.listed) throw new Error(w.status.message ?? `cannot list ${namespace} at ${this.api}`);
      return watched.objects.get(name);
    };
    return watched.listed ? watched.objects.get(name) : watched.ready.then(answer);
  }

  namespaces(): readonly string[] {
    if (!this.namespacesListed) void this.probe();
    return [...new Set([...this.namespaceNames, ...this.watches.keys()])].sort();
  }

  /** The state before any namespace is watched: what listing the namespaces said. */
  private probed: SourceStatus | undefined;

  /**
   * Lists the namespaces (for completion), which also tells whether the API can be reached at
   * all: the status bar can say so before any dtab reaches the cluster.
   */
  probe(): Promise<void> {
    this.namespacesListed = true;
    return this.core.listNamespace().then(
      (list) => {
        this.namespaceNames = list.items.map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
        this.probed = { source: this.name, state: 'live' };
        if (this.options.watchAll) for (const ns of this.namespaceNames) this.watch(ns);
        this.options.onChange?.();
      },
      (e: unknown) => {
        const { state, message } = describeError(e, this.api, 'list namespaces');
        // Listing namespaces may be denied where reading endpoints is not: only say what is sure.
        this.probed = state === 'forbidden' ? { source: this.name, state: 'live' } : { source: this.name, state, since: Date.now(), message };
        this.options.onChange?.();
      },
    );
  }

  services(namespace: string): readonly string[] {
    const w = this.watch(namespace);
    return [...w.services.objects.keys()].sort();
  }

  status(namespace?: string): SourceStatus {
    if (namespace !== undefined) {
      const w = this.watches.get(namespace);
      if (w) return w.status;
    }
    // The worst state over the watched namespaces speaks for the whole cluster.
    const order: SourceStatus['state'][] = ['unauthorized', 'forbidden', 'unreachable', 'stale', 'connecting', 'live'];
    let worst: SourceStatus | undefined;
    for (const w of this.watches.values()) if (!worst || order.indexOf(w.status.state) < order.indexOf(worst.state)) worst = w.status;
    return worst ?? this.probed ?? { source: this.name, state: 'connecting' };
  }

  /** Every object in the cache (for saving a snapshot). */
  objects(): { endpoints: Endpoints[]; services: Service[] } {
    const endpoints: Endpoints[] = [];
    const services: Service[] = [];
    for (const w of this.watches.values()) {
      endpoints.push(...(w.endpoints.objects.values() as Iterable<Endpoints>));
      services.push(...(w.services.objects.values() as Iterable<Service>));
    }
    return { endpoints, services };
  }

  close(): void {
    this.closed = true;
    for (const w of this.watches.values()) {
      clearTimeout(w.timer);
      void w.endpoints.informer.stop();
      void w.services.informer.stop();
    }
  }

  private watch(namespace: string): NamespaceWatch {
    let w = this.watches.get(namespace);
    if (w) return w;
    const ns = encodeURIComponent(namespace);
    const status: SourceStatus = { source: this.name, state: 'connecting' };
    const entry = {} as NamespaceWatch;
    entry.status = status;
    entry.failures = 0;
    entry.endpoints = this.informer<V1Endpoints>(entry, `/api/v1/namespaces/${ns}/endpoints`, () => this.core.listNamespacedEndpoints({ namespace }), `watch endpoints in namespace ${namespace}`);
    entry.services = this.informer<V1Service>(entry, `/api/v1/namespaces/${ns}/services`, () => this.core.listNamespacedService({ namespace }), `watch services in namespace ${namespace}`);
    this.watches.set(namespace, (w = entry));
    return w;
  }

  private informer<T extends KubernetesObject>(w: NamespaceWatch, path: string, list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>, what: string): Watched<T> {
    const objects = new Map<string, T>();
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    // Our own list function: it also tells when the first list came back (or why not).
    const listFn = async () => {
      try {
        const result = await list();
        objects.clear();
        for (const o of result.items) if (o.metadata?.name) objects.set(o.metadata.name, o);
        watched.listed = true;
        this.healthy(w);
        markReady();
        return result as never;
      } catch (e) {
        this.failed(w, e, what);
        markReady();
        throw e;
      }
    };
    const informer = new ListWatch<T>(path, new ObservedWatch(this.kc, () => this.healthy(w)), listFn, false);
    const watched: Watched<T> = { informer, objects, ready, listed: false };
    const put = (o: T) => {
      if (o.metadata?.name) objects.set(o.metadata.name, o);
      this.healthy(w);
      this.options.onChange?.();
    };
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (o: T) => {
      if (o.metadata?.name) objects.delete(o.metadata.name);
      this.options.onChange?.();
    });
    informer.on('error', (e: unknown) => {
      this.failed(w, e, what);
      this.restart(w, informer);
    });
    informer.start().catch((e: unknown) => {
      this.failed(w, e, what);
      this.restart(w, informer);
    });
    return watched;
  }

  private healthy(w: NamespaceWatch): void {
    if (w.status.state === 'live') return;
    if (!w.endpoints?.listed || !w.services?.listed) return;
    w.failures = 0;
    w.status = { source: this.name, state: 'live' };
    this.options.onChange?.();
  }

  private failed(w: NamespaceWatch, e: unknown, what: string): void {
    const { state, message } = describeError(e, this.api, what);
    const hadData = (w.endpoints?.listed ?? false) || (w.services?.listed ?? false);
    // With data in hand the cache is stale (since now, unless already); 401/403 are said as such.
    const s: SourceStatus['state'] = state === 'unreachable' && hadData ? 'stale' : state;
    const since = w.status.state === s && w.status.since !== undefined ? w.status.since : Date.now();
    w.status = { source: this.name, state: s, since, message };
    this.options.onChange?.();
  }

  private restart(w: NamespaceWatch, informer: Informer<KubernetesObject>): void {
    if (this.closed) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(w.failures++, 16));
    clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      if (!this.closed) informer.start().catch(() => undefined);
    }, delay);
    w.timer.unref?.();
  }
}

/** `12:03:04` in local time, for "stale since …". */
export function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
