// Where cluster data comes from, for the CLI and the language server alike: a snapshot file, the
// current (or a named) kube context, or the address an `io.l5d.k8s` namer block names (`host`,
// `port`: plain HTTP, as Linkerd talks to `kubectl proxy`). One live cache per address, shared by
// every namer that uses it. Nothing is contacted unless the user configured it: a kubeconfig
// (KUBECONFIG, ~/.kube/config, or a service account in a pod), a flag, a setting, a config file.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { daemonsetGateways, daemonsetTransform, fsNamer, localnodeTransform, NamerRegistry, registerK8sNamers, snapshotSource, sourceServices, type BoundTransformer, type InetResolver, type K8sSource, type NamerSpec, type SourceStatus } from '../core/index.js';
import { ClusterSource, kubeconfigFiles } from './k8s.js';

export interface SourceOptions {
  /** A snapshot (`kubectl get endpoints,services -A -o yaml`): its text and a name to show. Wins over everything. */
  readonly snapshot?: { readonly text: string; readonly name: string };
  /** A kubeconfig file (else the standard places), and a context in it. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Whether live clusters may be contacted at all (off in untrusted workspaces, and with --offline). */
  readonly live: boolean;
  /** The namespace of `io.l5d.k8s.ns` (its `envVar`, POD_NAMESPACE by default, in Linkerd's pod). */
  readonly podNamespace?: string;
  readonly inet?: InetResolver;
  readonly onChange?: () => void;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Watch every namespace of a live cluster, not only those the dtabs reach. */
  readonly watchAll?: boolean;
}

/** Whether the standard places hold a kubeconfig (so "the current context" means something). */
export function kubeconfigAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.KUBECONFIG && kubeconfigFiles(env.KUBECONFIG).some((f) => existsSync(f))) return true;
  if (existsSync(join(homedir(), '.kube', 'config'))) return true;
  return Boolean(env.KUBERNETES_SERVICE_HOST);
}

/** A host name or IP literal as Linkerd's config takes it (nothing a URL could read otherwise). */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[?[0-9A-Fa-f:.]+\]?)$/;

/**
 * The address a namer block names (`host`, `port`), as Linkerd reaches it: plain HTTP; undefined
 * when it names none. Throws for a host or port that is not one (no URL is made of it).
 */
export function namerAddress(spec: NamerSpec): string | undefined {
  const host = spec.params.host;
  const port = spec.params.port;
  if (host === undefined && port === undefined) return undefined;
  const h = typeof host === 'string' && host !== '' ? host : 'localhost';
  const p = typeof port === 'number' ? port : typeof port === 'string' && /^[0-9]+$/.test(port) ? Number(port) : port === undefined ? 8001 : NaN;
  if (!HOST.test(h) || h.length > 253) throw new Error(`the namer's host \`${h.slice(0, 80)}\` is not a host name or an IP address`);
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`the namer's port \`${String(port).slice(0, 20)}\` is not a port number`);
  return `http://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${p}`;
}

/** Reads a regular file of at most `max` bytes (not a device, not a FIFO): a workspace's content decides the path. */
export async function readSmallFile(file: string, max = 64 * 1024 * 1024): Promise<string | undefined> {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!st.isFile()) throw new Error(`${file} is not a regular file`);
  if (st.size > max) throw new Error(`${file} is larger than ${max} bytes`);
  return readFile(file, 'utf8');
}

export class Sources {
  private readonly live = new Map<string, ClusterSource>();
  private readonly snapshot: K8sSource | undefined;
  /** Errors met while setting a source up (a broken kubeconfig): said once, where asked. */
  readonly problems: string[] = [];

  constructor(readonly options: SourceOptions) {
    if (options.snapshot) this.snapshot = snapshotSource(options.snapshot.text, options.snapshot.name);
  }

  /** The source for `/#/io.l5d.k8s` without an address: the snapshot, else the kube context. */
  defaultSource(): K8sSource | undefined {
    if (this.snapshot) return this.snapshot;
    if (!this.options.live) return undefined;
    if (!this.options.kubeconfig && !this.options.context && !kubeconfigAvailable()) return undefined;
    return this.cluster(`kubeconfig:${this.options.kubeconfig ?? ''}#${this.options.context ?? ''}`, { kubeconfig: this.options.kubeconfig, context: this.options.context });
  }

  /** The source for one namer block: its own address when it names one, else the default. */
  forSpec(spec: NamerSpec): K8sSource | undefined {
    if (this.snapshot) return this.snapshot;
    let address: string | undefined;
    try {
      address = namerAddress(spec);
    } catch (e) {
      this.problem(`${spec.kind}: ${(e as Error).message}`);
      return undefined;
    }
    if (address === undefined) return this.defaultSource();
    if (!this.options.live) return undefined;
    return this.cluster(address, { server: address });
  }

  /** Keys whose source could not be made: not tried again (the problem is said once). */
  private readonly failed = new Set<string>();

  private problem(message: string): void {
    if (!this.problems.includes(message)) this.problems.push(message);
  }

  private cluster(key: string, o: { kubeconfig?: string; context?: string; server?: string }): K8sSource | undefined {
    let c = this.live.get(key);
    if (c) return c;
    if (this.failed.has(key)) return undefined;
    try {
      c = new ClusterSource({
        ...o,
        ...(this.options.onChange ? { onChange: this.options.onChange } : {}),
        ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
        ...(this.options.watchAll ? { watchAll: true } : {}),
      });
    } catch (e) {
      this.failed.add(key);
      this.problem(`cannot load the kubeconfig: ${(e as Error).message}`);
      return undefined;
    }
    this.live.set(key, c);
    return c;
  }

  /**
   * A registry with the Kubernetes namers on these sources, and `io.l5d.fs` reading its `rootDir`
   * (a relative one from `baseDir`: the config file's directory, or the workspace).
   */
  registry(baseDir?: string, files = true): NamerRegistry {
    const registry = registerK8sNamers(new NamerRegistry(), (spec) => this.forSpec(spec), {
      ...(this.options.podNamespace !== undefined ? { podNamespace: this.options.podNamespace } : {}),
      ...(this.options.inet ? { inet: this.options.inet } : {}),
    });
    if (!files) return registry;
    registry.register('io.l5d.fs', (spec) => {
      const root = spec.params.rootDir;
      if (typeof root !== 'string' || root === '') return undefined;
      const dir = isAbsolute(root) ? root : baseDir !== undefined ? resolve(baseDir, root) : undefined;
      if (dir === undefined) return undefined;
      return fsNamer(spec, (name) => readSmallFile(join(dir, name), 1024 * 1024), this.options.inet);
    });
    return registry;
  }

  /**
   * A router's interpreter-level transformers, as the delegator names them. io.l5d.k8s.daemonset
   * reads the daemonset's Endpoints from the cluster (its `k8sHost`/`k8sPort`, else the default
   * source); io.l5d.k8s.localnode needs the node linkerd runs on (`POD_IP`, or `NODE_NAME` with
   * hostNetwork), which only a pod has: without it, it is left out and said so in `skipped`.
   */
  transformers(list: readonly { readonly kind: string; readonly params: Readonly<Record<string, unknown>> }[], env: { podIp?: string; nodeName?: string } = {}): { transformers: BoundTransformer[]; skipped: string[] } {
    const out: BoundTransformer[] = [];
    const skipped: string[] = [];
    for (const t of list) {
      const p = t.params;
      const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
      const prefix = typeof p.prefix === 'string' ? p.prefix : undefined;
      if (t.kind === 'io.l5d.k8s.daemonset') {
        const namespace = str(p.namespace);
        const service = str(p.service);
        const port = str(p.port);
        if (!namespace || !service || !port) {
          skipped.push(`${t.kind}: needs namespace, service and port`);
          continue;
        }
        const address = p.k8sHost !== undefined || p.k8sPort !== undefined ? namerAddress({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: { host: p.k8sHost, port: p.k8sPort } }) : undefined;
        const source = this.snapshot ?? (address && this.options.live ? this.cluster(address, { server: address }) : this.defaultSource());
        if (!source) {
          skipped.push(`${t.kind}: no cluster data to find the daemonset's pods`);
          continue;
        }
        const opts = { namespace, service, port, ...(p.hostNetwork === true ? { hostNetwork: true } : {}), ...(prefix ? { prefix } : {}) };
        out.push({ name: 'DaemonSetTransformer', apply: async (b) => daemonsetTransform(b, await daemonsetGateways(source, opts), opts) });
      } else if (t.kind === 'io.l5d.k8s.localnode') {
        const hostNetwork = p.hostNetwork === true;
        if (hostNetwork ? !env.nodeName : !env.podIp) {
          skipped.push(`${t.kind}: applies on each node (${hostNetwork ? 'NODE_NAME' : 'POD_IP'} is not set here)`);
          continue;
        }
        const opts = { hostNetwork, ...(env.podIp ? { podIp: env.podIp } : {}), ...(env.nodeName ? { nodeName: env.nodeName } : {}), ...(prefix ? { prefix } : {}) };
        out.push({ name: hostNetwork ? 'LocalNodeTransformer' : 'SubnetLocalTransformer', apply: (b) => localnodeTransform(b, opts) });
      } else skipped.push(`${t.kind}: not applied here`);
    }
    return { transformers: out, skipped };
  }

  /**
   * The service names of the default source (every namespace): a snapshot's, or a live cluster's
   * listed once now. Undefined when there is no source or it cannot be read (said in `problems`).
   */
  async serviceNames(): Promise<string[] | undefined> {
    if (this.snapshot) return sourceServices(this.snapshot);
    const source = this.defaultSource();
    if (!(source instanceof ClusterSource)) return undefined;
    try {
      return await source.listServiceNames();
    } catch (e) {
      this.problem(`cannot list the cluster's services: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The states of the sources in use (a snapshot, the live caches). */
  statuses(): SourceStatus[] {
    const out: SourceStatus[] = [];
    if (this.snapshot) out.push(this.snapshot.status());
    for (const c of this.live.values()) out.push(c.status());
    return out;
  }

  /** The live caches' objects, for saving a snapshot. */
  liveObjects(): ReturnType<ClusterSource['objects']> {
    const out: ReturnType<ClusterSource['objects']> = { endpoints: [], services: [] };
    for (const c of this.live.values()) {
      const o = c.objects();
      for (const e of o.endpoints) out.endpoints.push(e);
      for (const s of o.services) out.services.push(s);
    }
    return out;
  }

  close(): void {
    for (const c of this.live.values()) c.close();
    this.live.clear();
  }
}
