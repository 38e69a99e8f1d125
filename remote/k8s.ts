// The live cluster: Kubernetes Endpoints and Services through @kubernetes/client-node's informers
// (list, then watch from the resourceVersion; relist on 410 Gone), one cache per context, watching
// only the namespaces that dtabs reach (a namespace's watches start the first time a namer asks
// for an object in it). Nothing is ever written to the cluster.
//
// Never shows old addresses as live: when a watch fails, the namespace's state turns `stale`
// (since when), `unauthorized`, `forbidden` or `unreachable`, with the API's own message, and the
// watch is restarted with backoff.

import type { CoreV1Api, Informer, KubeConfig, KubernetesObject, V1Endpoints, V1Service, Watch } from '@kubernetes/client-node';
import { clientNode } from './client-node.js';
import type { Endpoints, K8sSource, Service, SourceStatus } from '../core/index.js';

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

/** The files of a KUBECONFIG-style list (`a:b`, `;` on Windows). */
export function kubeconfigFiles(list: string): string[] {
  return list.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
}

/** Loads a kubeconfig the standard way, or the one given; picks the context. */
export function loadKubeConfig(options: Pick<ClusterOptions, 'kubeconfig' | 'context' | 'server'> = {}): KubeConfig {
  const kc = new (clientNode().KubeConfig)();
  if (options.server) {
    // Plain HTTP (kubectl proxy) has no TLS to verify; client-node refuses http: unless this is set.
    kc.loadFromClusterAndUser({ name: options.server, server: options.server, skipTLSVerify: options.server.startsWith('http:') }, { name: 'anonymous' });
    return kc;
  }
  if (options.kubeconfig) {
    const files = kubeconfigFiles(options.kubeconfig);
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
type ObservedWatchClass = new (kc: KubeConfig, established: () => void, closed: () => boolean, open: Set<AbortController>) => Watch;
let observedWatchClass: ObservedWatchClass | undefined;
/** The class, made once client-node is loaded (it extends client-node's Watch). */
function ObservedWatch(): ObservedWatchClass {
  return (observedWatchClass ??= class ObservedWatch extends clientNode().Watch {
    constructor(
      kc: KubeConfig,
      private readonly established: () => void,
      /** Whether the source is closed: a watch that opens after that is aborted at once. */
      private readonly closed: () => boolean,
      /** Every open watch, so that closing the source aborts them all. */
      private readonly open: Set<AbortController>,
    ) {
      super(kc);
    }

    override async watch(path: string, query: Record<string, string | number | boolean | undefined>, callback: (phase: string, obj: unknown, watchObj?: unknown) => void, done: (err: unknown) => void): Promise<AbortController> {
      let failed = false;
      const opened: { controller?: AbortController } = {};
      const controller = await super.watch(path, query, callback, (err: unknown) => {
        if (err) failed = true;
        if (opened.controller) this.open.delete(opened.controller);
        if (!this.closed()) done(err);
      });
      opened.controller = controller;
      // client-node's ListWatch does not look at `stopped` after its list: a watch may open after close.
      if (this.closed()) {
        controller.abort();
        return controller;
      }
      this.open.add(controller);
      if (!failed) this.established();
      return controller;
    }
  });
}

/** A namespace (or service) name as Kubernetes allows it: a DNS-1123 label. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** At most this many namespaces are watched at once (two watches each). */
const MAX_NAMESPACES = 500;

/** How long a read waits for the first list of a namespace before it says the API does not answer. */
const READ_TIMEOUT_MS = 10_000;

interface Watched<T extends KubernetesObject> {
  informer: Informer<T>;
  objects: Map<string, T>;
  /** Resolves once the first list has been answered (or failed). */
  ready: Promise<void>;
  listed: boolean;
  /** This informer's own health, restarts and backoff. */
  healthy: boolean;
  failures: number;
  timer?: NodeJS.Timeout;
}

interface NamespaceWatch {
  endpoints: Watched<V1Endpoints>;
  services: Watched<V1Service>;
  status: SourceStatus;
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
    this.core = this.kc.makeApiClient(clientNode().CoreV1Api);
  }

  endpoints(namespace: string, name: string): Endpoints | undefined | Promise<Endpoints | undefined> {
    return this.read(namespace, (w) => w.endpoints, name) as Endpoints | undefined | Promise<Endpoints | undefined>;
  }

  service(namespace: string, name: string): Service | undefined | Promise<Service | undefined> {
    return this.read(namespace, (w) => w.services, name) as Service | undefined | Promise<Service | undefined>;
  }

  private read<T extends KubernetesObject>(namespace: string, which: (w: NamespaceWatch) => Watched<T>, name: string): T | undefined | Promise<T | undefined> {
    if (this.closed) throw new Error(`${this.name}: closed`);
    // A name Kubernetes cannot have holds nothing: no watch for it (half-typed paths, typos).
    if (!NAMESPACE.test(namespace) || !NAMESPACE.test(name)) return undefined;
    const w = this.watch(namespace);
    const watched = which(w);
    if (watched.listed) return watched.objects.get(name);
    // Bounded: an API that accepts the connection and never answers is said as such.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the Kubernetes API at ${this.api} within ${READ_TIMEOUT_MS / 1000} s (listing namespace ${namespace})`)), READ_TIMEOUT_MS);
      timer.unref?.();
    });
    return Promise.race([watched.ready, timeout]).then(() => {
      clearTimeout(timer);
      if (!watched.listed) throw new Error(w.status.message ?? `cannot list ${namespace} at ${this.api}`);
      return watched.objects.get(name);
    });
  }

  namespaces(): readonly string[] {
    // Listed once; tried again when the last try failed (the API was down at start).
    if (!this.namespacesListed || (this.probed !== undefined && this.probed.state !== 'live' && Date.now() - (this.probed.since ?? 0) > 5_000)) void this.probe();
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
        if (this.options.watchAll) for (const ns of this.namespaceNames.slice(0, MAX_NAMESPACES)) this.watch(ns);
        this.changed();
      },
      (e: unknown) => {
        const { state, message } = describeError(e, this.api, 'list namespaces');
        // Listing namespaces may be denied where reading endpoints is not: only say what is sure.
        this.probed = state === 'forbidden' ? { source: this.name, state: 'live' } : { source: this.name, state, since: Date.now(), message };
        this.changed();
      },
    );
  }

  /**
   * Every service name of the cluster, listed once now (every namespace, one request), within
   * READ_TIMEOUT_MS. Throws with the API's answer said for people.
   */
  async listServiceNames(): Promise<string[]> {
    if (this.closed) throw new Error(`${this.name}: closed`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the Kubernetes API at ${this.api} within ${READ_TIMEOUT_MS / 1000} s (listing services)`)), READ_TIMEOUT_MS);
      timer.unref?.();
    });
    try {
      const list = await Promise.race([this.core.listServiceForAllNamespaces(), timeout]);
      return [...new Set(list.items.map((s) => s.metadata?.name ?? '').filter(Boolean))].sort();
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('no answer from')) throw e;
      throw new Error(describeError(e, this.api, 'list services').message);
    } finally {
      clearTimeout(timer);
    }
  }

  services(namespace: string): readonly string[] {
    if (!NAMESPACE.test(namespace) || this.closed) return [];
    const w = this.watch(namespace);
    return [...w.services.objects.keys()].sort();
  }

  status(namespace?: string): SourceStatus {
    if (namespace !== undefined) {
      // A namespace not listed yet is not known not to hold something: connecting.
      return this.watches.get(namespace)?.status ?? { source: this.name, state: 'connecting' };
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
      for (const e of w.endpoints.objects.values()) endpoints.push(e as Endpoints);
      for (const v of w.services.objects.values()) services.push(v as Service);
    }
    return { endpoints, services };
  }

  /** Tells the owner that objects or states changed; never after close. */
  private changed(): void {
    if (!this.closed) this.options.onChange?.();
  }

  /** Stops every watch (those opening right now too) and every restart: nothing keeps the process alive. */
  close(): void {
    this.closed = true;
    for (const w of this.watches.values()) {
      for (const x of [w.endpoints, w.services] as Watched<KubernetesObject>[]) {
        clearTimeout(x.timer);
        void x.informer.stop();
      }
    }
    for (const c of this.open) c.abort();
    this.open.clear();
  }

  private readonly open = new Set<AbortController>();

  private watch(namespace: string): NamespaceWatch {
    let w = this.watches.get(namespace);
    if (w) return w;
    if (this.closed) throw new Error(`${this.name}: closed`);
    if (this.watches.size >= MAX_NAMESPACES) throw new Error(`${this.name}: already watching ${MAX_NAMESPACES} namespaces (the most this tool watches)`);
    const ns = encodeURIComponent(namespace);
    const status: SourceStatus = { source: this.name, state: 'connecting' };
    const entry = {} as NamespaceWatch;
    entry.status = status;
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
        this.healthy(w, watched);
        markReady();
        return result as never;
      } catch (e) {
        this.failed(w, watched, e, what);
        markReady();
        throw e;
      }
    };
    const informer = new (clientNode().ListWatch<T>)(path, new (ObservedWatch())(this.kc, () => this.healthy(w, watched), () => this.closed, this.open), listFn, false);
    const watched: Watched<T> = { informer, objects, ready, listed: false, healthy: false, failures: 0 };
    const put = (o: T) => {
      if (o.metadata?.name) objects.set(o.metadata.name, o);
      this.healthy(w, watched);
      this.changed();
    };
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (o: T) => {
      if (o.metadata?.name) objects.delete(o.metadata.name);
      this.changed();
    });
    informer.on('error', (e: unknown) => {
      this.failed(w, watched, e, what);
      this.restart(watched);
    });
    informer.start().catch((e: unknown) => {
      this.failed(w, watched, e, what);
      this.restart(watched);
    });
    return watched;
  }

  /** One informer is watching again; the namespace is live when both are. */
  private healthy(w: NamespaceWatch, watched: Watched<KubernetesObject>): void {
    if (this.closed) return;
    watched.healthy = true;
    watched.failures = 0;
    if (w.status.state === 'live') return;
    if (!w.endpoints?.listed || !w.services?.listed || !w.endpoints.healthy || !w.services.healthy) return;
    w.status = { source: this.name, state: 'live' };
    this.changed();
  }

  private failed(w: NamespaceWatch, watched: Watched<KubernetesObject>, e: unknown, what: string): void {
    if (this.closed) return;
    watched.healthy = false;
    const { state, message } = describeError(e, this.api, what);
    const hadData = (w.endpoints?.listed ?? false) || (w.services?.listed ?? false);
    // With data in hand the cache is stale (since now, unless already); 401/403 are said as such.
    const s: SourceStatus['state'] = state === 'unreachable' && hadData ? 'stale' : state;
    const since = w.status.state === s && w.status.since !== undefined ? w.status.since : Date.now();
    w.status = { source: this.name, state: s, since, message };
    this.changed();
  }

  /** Starts this informer again after its own backoff (each informer has its own). */
  private restart(watched: Watched<KubernetesObject>): void {
    if (this.closed) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(watched.failures++, 16));
    clearTimeout(watched.timer);
    watched.timer = setTimeout(() => {
      if (!this.closed) watched.informer.start().catch(() => undefined);
    }, delay);
    watched.timer.unref?.();
  }
}

/** `12:03:04` in local time, for "stale since …". */
export function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The kubeconfig's contexts and its current one (a context pinned in the settings wins). */
export function listContexts(kubeconfig?: string, pinned?: string): { current: string | undefined; contexts: string[] } {
  const kc = loadKubeConfig(kubeconfig ? { kubeconfig } : {});
  return { current: pinned || kc.getCurrentContext() || undefined, contexts: kc.getContexts().map((c) => c.name) };
}

/** What a source's state means, for people. */
export function describeStatus(st: SourceStatus): string {
  switch (st.state) {
    case 'live':
      return `${st.source}: live (watching the namespaces the dtabs reach)`;
    case 'connecting':
      return `${st.source}: connecting…`;
    case 'snapshot':
      return `${st.source}: offline snapshot${st.since !== undefined ? ` read at ${clock(st.since)}` : ''}`;
    case 'stale':
      return `${st.source}: stale since ${st.since !== undefined ? clock(st.since) : '?'}${st.message ? ` (${st.message})` : ''}`;
    default:
      return `${st.source}: ${st.message ?? st.state}`;
  }
}
