// An honest stand-in for the Kubernetes API server, for tests: HTTP on 127.0.0.1 (an ephemeral
// port), the real wire format for what this project reads (namespaces, services, endpoints in
// core/v1; Deployments in apps/v1; SMI TrafficSplits), discovery so that real clients (kubectl,
// @kubernetes/client-node) work, list/get/watch with the API's resourceVersion semantics, and
// faults a test can turn on: down, cut watches, 410 Gone, 401/403 and other statuses, stalls,
// malformed bodies.
//
//   const k8s = await startK8sStandin({ objects: [...] });
//   k8s.setEndpoints('default', 'world', '10.0.0.1:8080');
//   const kubeconfig = k8s.writeKubeconfig(dir);
//   ...
//   await k8s.stop();
//
// Standalone, for manual use (prints its URL; only ever 127.0.0.1):
//   npx tsx test/k8s/standin.ts --port 0 --objects FILE [--tls] [--token T] [--kubeconfig DIR]
//                               [--system] [--controllers] [--log]
//
// What it does not do: protobuf, YAML bodies, strategic-merge and server-side-apply patches
// (415, as for a custom resource), admission, RBAC beyond the faults, managedFields, controllers
// (status is what tests write; `controllers: true` makes Deployment status follow its spec).

import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import YAML from 'yaml';
import { clone, jsonPatch, mergePatch, PatchError } from './patch.js';
import {
  asArr,
  asNum,
  asObj,
  asStr,
  compareKubeVersions,
  DEPLOYMENTS,
  ENDPOINTS,
  groupVersion,
  isObj,
  labelSelectorString,
  meta,
  NAMESPACES,
  qualified,
  SERVICES,
  trafficSplits,
  type Obj,
  type ResourceDef,
} from './resources.js';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { Store, type StoreEvent } from './store.js';
import { selfSignedCert, type SelfSigned } from './tls.js';
import { Listener } from '../support/standin-http.js';

export type { Obj } from './resources.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** Which requests a fault applies to; every given field must match. */
export interface RequestMatch {
  readonly verb?: Verb | readonly Verb[];
  /** Plural, kind or short name: `endpoints`, `Endpoints`, `ep`, `deployments.apps`. */
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** A path prefix, or a pattern tested against path and query. */
  readonly path?: string | RegExp;
}

export type FaultSpec =
  /** Close the listener and every connection: new connections are refused until clear(). */
  | { readonly kind: 'down' }
  /**
   * Cut the open watches now: `reset` destroys the connection (a network cut), `end` ends the
   * response cleanly (as the API server does at a watch's timeout), `mid-event` writes half an
   * event first and then resets.
   */
  | { readonly kind: 'cut-watches'; readonly mode?: 'reset' | 'end' | 'mid-event'; readonly match?: RequestMatch }
  /** The next watches (default: 1) get an ERROR event with a 410 Gone Status; lists get HTTP 410. */
  | { readonly kind: 'gone'; readonly times?: number; readonly match?: RequestMatch }
  /** Answer with this status (401, 403 with the RBAC message, 429, 500, 503, …); default: every matching request until cleared. */
  | { readonly kind: 'status'; readonly code: number; readonly times?: number; readonly match?: RequestMatch; readonly message?: string; readonly user?: string }
  /** Hold matching requests unanswered until clear() (then they are served) or stop(). */
  | { readonly kind: 'stall'; readonly times?: number; readonly match?: RequestMatch }
  /**
   * Answer 200 with a broken body: `body` as given, or else the real answer cut in half. A watch
   * gets the broken line first, then carries on normally.
   */
  | { readonly kind: 'malformed'; readonly times?: number; readonly match?: RequestMatch; readonly body?: string };

export interface FaultHandle {
  /** How many requests (or watches, for cut-watches) it has hit so far. */
  readonly hits: number;
  clear(): Promise<void>;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  /** The raw query, without `?`. */
  readonly query: string;
  /** path + `?query` when there is one. */
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly verb?: Verb;
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly accept?: string;
  readonly contentType?: string;
  readonly authorization?: string;
  /** The HTTP status, once answered (200 for a watch once it streams). */
  status?: number;
}

/** An address for setEndpoints: `ip`, `ip:port`, or in full. */
export type EndpointAddressSpec =
  | string
  | {
      readonly ip: string;
      /** Port numbers, or name → number. */
      readonly ports?: readonly number[] | Readonly<Record<string, number>>;
      readonly ready?: boolean;
      readonly hostname?: string;
      readonly nodeName?: string;
      readonly targetRef?: Obj;
    };

export interface StandinOptions {
  /** Objects present at the start (namespaces are created for the namespaced ones as needed). */
  readonly objects?: readonly Obj[];
  /** Default 0: an ephemeral port. Always on 127.0.0.1. */
  readonly port?: number;
  /**
   * HTTPS with a self-signed certificate made for this run (for 127.0.0.1), which the written
   * kubeconfig trusts through certificate-authority-data, as users reach real clusters. Needed
   * for kubectl to send a bearer token: it uses the kubeconfig's credentials only over TLS.
   */
  readonly tls?: boolean;
  /**
   * When set, every request must carry `Authorization: Bearer <token>`, else 401. (kubectl only
   * sends it over HTTPS: use `tls: true` with kubectl.)
   */
  readonly token?: string;
  /** Who requests are authenticated as (in 403 messages); default `dtab-tests`, or `system:anonymous` without a token. */
  readonly user?: string;
  /** The server's clock (creationTimestamp, ages in tables). */
  readonly clock?: () => Date;
  /** Writes kept for watches from older resourceVersions (default 5000); older ones get 410. */
  readonly historyLimit?: number;
  /** The first resourceVersion is one more than this (default 100). */
  readonly startResourceVersion?: number;
  /** How often watches that allow bookmarks get one (default 60 s, as the API server's ~1 min). */
  readonly bookmarkIntervalMs?: number;
  /** Served TrafficSplit versions, preferred first (default v1alpha4 … v1alpha1). */
  readonly trafficSplitVersions?: readonly string[];
  /** Also create what every cluster has: kube-system, kube-public, kube-node-lease, the `kubernetes` service. */
  readonly system?: boolean;
  /** Make Deployment status follow spec.replicas, as if its controller and pods were there. */
  readonly controllers?: boolean;
  /** Told `METHOD url status` for every request once answered (the standalone run's --log). */
  readonly log?: (line: string) => void;
  /** What /version says (default 1.32.0, the kubectl on the developers' machines). */
  readonly version?: { readonly major: string; readonly minor: string };
}

export interface K8sStandin {
  /** `http://127.0.0.1:PORT`, or `https://…` with `tls: true`. */
  readonly url: string;
  readonly port: number;
  /** With `tls: true`: the certificate (PEM) clients must trust. */
  readonly ca: string | undefined;
  /** Every request, in order of arrival. */
  readonly requests: readonly RequestRecord[];
  /** The current (global) resourceVersion. */
  readonly resourceVersion: string;
  /** Creates or replaces an object, as a write to the API would (events, resourceVersion). `raw`: store it as given, no defaults (for malformed objects). */
  apply(obj: Obj, opts?: { readonly raw?: boolean }): Obj;
  /** Deletes an object (a namespace with everything in it); returns its last state. */
  delete(kind: string, namespace: string | undefined, name: string): Obj | undefined;
  get(kind: string, namespace: string | undefined, name: string): Obj | undefined;
  list(kind: string, namespace?: string): Obj[];
  /** Writes the Endpoints `namespace/name` as the endpoints controller would (no addresses: no subsets). */
  setEndpoints(namespace: string, name: string, ...addresses: EndpointAddressSpec[]): Obj;
  fault(spec: FaultSpec): Promise<FaultHandle>;
  /** Clears every fault (brings the server back up if down; stalled requests are then served). */
  clearFaults(): Promise<void>;
  /** Forgets the write history: watches and exact lists from older resourceVersions get 410 Gone. */
  compact(): void;
  /** Sends a BOOKMARK now to every watch that allows them. */
  bookmark(): void;
  /** Open watches. */
  readonly watchCount: number;
  clearRequests(): void;
  /**
   * Writes an ordinary kubeconfig (file `kubeconfig` in `dir` unless `file` is given): cluster
   * `server: <url>`, a user with the bearer token (default: the one the stand-in requires).
   */
  writeKubeconfig(dir: string, opts?: { readonly token?: string; readonly context?: string; readonly namespace?: string; readonly file?: string }): string;
  stop(): Promise<void>;
}

export async function startK8sStandin(opts: StandinOptions = {}): Promise<K8sStandin> {
  const s = new Standin(opts);
  await s.listen(opts.port ?? 0);
  return s;
}

// ---------------------------------------------------------------------------------------------

interface Status {
  code: number;
  reason: string;
  message: string;
  details?: Obj;
}

const statusBody = (st: Status): Obj => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: st.message,
  reason: st.reason,
  ...(st.details ? { details: st.details } : {}),
  code: st.code,
});

class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

const badRequest = (message: string) => new ApiError({ code: 400, reason: 'BadRequest', message });
const notFoundPath = () => new ApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
const details = (def: ResourceDef, name?: string): Obj => ({ ...(name !== undefined ? { name } : {}), ...(def.group ? { group: def.group } : {}), kind: def.plural });
const notFound = (def: ResourceDef, name: string) => new ApiError({ code: 404, reason: 'NotFound', message: `${qualified(def)} "${name}" not found`, details: details(def, name) });
const invalid = (def: ResourceDef, name: string, message: string) =>
  new ApiError({ code: 422, reason: 'Invalid', message: `${def.kind}${def.group ? '.' + def.group : ''} "${name}" is invalid: ${message}`, details: details(def, name) });
const conflict = (def: ResourceDef, name: string) =>
  new ApiError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details: details(def, name),
  });
const expired = (message: string) => new ApiError({ code: 410, reason: 'Expired', message });
const tooOldList = () => expired('The resourceVersion for the provided list is too old.');
const tooOldWatch = (rv: number, oldest: number): Status => ({ code: 410, reason: 'Expired', message: `too old resource version: ${rv} (${oldest + 1})` });
const unsupportedPatch = () =>
  new ApiError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json',
  });

const TOO_LARGE_WAIT_MS = 3000;

interface Route {
  type: 'resource';
  def: ResourceDef;
  version: string;
  namespace?: string;
  name?: string;
  sub?: 'status' | 'scale';
  /** Under the legacy /watch/ prefix. */
  watchPrefix: boolean;
}

type Target = Route | { type: 'discovery'; body: () => Obj; aggregated?: 'core' | 'apis' } | { type: 'health' } | { type: 'notfound' };

type Format = { kind: 'json' } | { kind: 'table'; version: string } | { kind: 'partial'; version: string; list: boolean } | { kind: 'discovery-v2' };

interface ActiveFault {
  spec: FaultSpec;
  hits: number;
  remaining: number;
  release?: () => void;
  stalled: Promise<void>;
}

interface Watch {
  def: ResourceDef;
  version: string;
  namespace?: string;
  name?: string;
  match: (o: Obj) => boolean;
  res: ServerResponse;
  bookmarks: boolean;
  format: Format;
  includeObject: string;
  headersSent: boolean;
  timers: NodeJS.Timeout[];
  closed: boolean;
}

class Standin implements K8sStandin {
  readonly requests: RequestRecord[] = [];
  private readonly defs: ResourceDef[];
  private readonly store: Store;
  private readonly clock: () => Date;
  private readonly listener = new Listener(
    (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.sendStatus(res, { code: 500, reason: 'InternalError', message: `Internal error occurred: ${String(err)}` });
        else res.destroy();
      });
    },
    {
      create: (handler) => {
        const server: Server = this.cert ? createHttpsServer({ cert: this.cert.cert, key: this.cert.key }, handler) : createServer(handler);
        // Watches are long; keep-alive connections are ours to close.
        server.requestTimeout = 0;
        return server;
      },
      beforeClose: () => {
        for (const w of [...this.watches]) this.closeWatch(w, 'reset');
      },
    },
  );
  private readonly watches = new Set<Watch>();
  private faults: ActiveFault[] = [];
  private downFault: ActiveFault | undefined;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly cert: SelfSigned | undefined;
  private readonly records = new WeakMap<ServerResponse, RequestRecord>();

  constructor(private readonly opts: StandinOptions) {
    this.clock = opts.clock ?? (() => new Date());
    this.cert = opts.tls ? selfSignedCert() : undefined;
    this.defs = [NAMESPACES, SERVICES, ENDPOINTS, DEPLOYMENTS, trafficSplits(opts.trafficSplitVersions)];
    this.store = new Store(this.defs, this.clock, opts.historyLimit ?? 5000, opts.startResourceVersion ?? 100);
    this.store.subscribe((e) => this.onEvent(e));
    if (opts.controllers) this.store.subscribe((e) => this.deploymentController(e));
    this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    if (opts.system) {
      for (const ns of ['kube-node-lease', 'kube-public', 'kube-system']) this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      this.apply({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
      });
      this.apply({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
      });
    }
    for (const o of opts.objects ?? []) this.apply(o);
  }

  get url(): string {
    return `${this.cert ? 'https' : 'http'}://127.0.0.1:${this.listener.port}`;
  }

  get ca(): string | undefined {
    return this.cert?.cert;
  }

  get port(): number {
    return this.listener.port;
  }

  get resourceVersion(): string {
    return String(this.store.resourceVersion);
  }

  get watchCount(): number {
    return this.watches.size;
  }

  async listen(port: number): Promise<void> {
    await this.listener.listen(port);
    if (!this.bookmarkTimer) {
      this.bookmarkTimer = setInterval(() => this.bookmark(), this.opts.bookmarkIntervalMs ?? 60_000);
      this.bookmarkTimer.unref();
    }
  }

  private close(): Promise<void> {
    return this.listener.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    for (const f of this.faults) f.release?.();
    this.faults = [];
    await this.close();
  }

  // --- control API ----------------------------------------------------------------------------

  private defFor(kindOrResource: string, apiVersion?: string): ResourceDef {
    const k = kindOrResource.toLowerCase();
    const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : apiVersion === undefined ? undefined : '';
    const found = this.defs.find(
      (d) =>
        (group === undefined || d.group === group) &&
        (d.kind.toLowerCase() === k || d.plural === k || d.singular === k || d.shortNames.includes(k) || qualified(d) === k || `${d.kind.toLowerCase()}.${d.group}` === k),
    );
    if (!found) throw new Error(`the stand-in serves no ${apiVersion ? apiVersion + ' ' : ''}${kindOrResource}`);
    return found;
  }

  private ensureNamespace(ns: string): void {
    if (!this.store.get(NAMESPACES, undefined, ns)) this.store.put(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  apply(obj: Obj, opts: { raw?: boolean } = {}): Obj {
    if (!isObj(obj) || typeof obj.kind !== 'string') throw new Error('apply: an object with a kind');
    if (obj.kind === 'List') {
      for (const item of asArr(obj.items)) this.apply(asObj(item), opts);
      return obj;
    }
    const def = this.defFor(obj.kind, asStr(obj.apiVersion));
    const o = clone(obj);
    const m = meta(o);
    if (typeof m.name !== 'string' || m.name === '') throw new Error(`apply: ${def.kind} without metadata.name`);
    if (def.namespaced) {
      m.namespace ??= 'default';
      this.ensureNamespace(String(m.namespace));
    }
    if (def.group !== '') o.apiVersion = groupVersion(def, asStr(o.apiVersion)?.split('/')[1] ?? def.versions[0]);
    return this.store.put(def, o, { raw: opts.raw, keepSystemFields: true }).object;
  }

  delete(kind: string, namespace: string | undefined, name: string): Obj | undefined {
    const def = this.defFor(kind);
    if (def === NAMESPACES) this.deleteNamespaceContents(name);
    return this.store.remove(def, def.namespaced ? namespace : undefined, name);
  }

  private deleteNamespaceContents(ns: string): void {
    for (const d of this.defs) if (d.namespaced) for (const [, o] of this.store.list(d, ns)) this.store.remove(d, ns, String(asObj(o.metadata).name));
  }

  get(kind: string, namespace: string | undefined, name: string): Obj | undefined {
    const def = this.defFor(kind);
    return this.store.get(def, def.namespaced ? namespace : undefined, name);
  }

  list(kind: string, namespace?: string): Obj[] {
    return this.store.list(this.defFor(kind), namespace).map(([, o]) => clone(o));
  }

  setEndpoints(namespace: string, name: string, ...addresses: EndpointAddressSpec[]): Obj {
    const svcPorts = asArr(asObj(this.store.get(SERVICES, namespace, name)?.spec).ports).map(asObj);
    // The endpoints controller names each port after the service port that targets it.
    const portName = (port: number): string | undefined => {
      if (svcPorts.length === 1) return asStr(svcPorts[0]!.name);
      return asStr(svcPorts.find((p) => (p.targetPort ?? p.port) === port)?.name);
    };
    const subsets = new Map<string, { addresses: Obj[]; notReadyAddresses: Obj[]; ports: Obj[] }>();
    for (const spec of addresses) {
      const a: Exclude<EndpointAddressSpec, string> = typeof spec === 'string' ? parseAddress(spec) : spec;
      let ports: { name?: string; port: number }[];
      if (a.ports === undefined) ports = svcPorts.filter((p) => typeof (p.targetPort ?? p.port) === 'number').map((p) => ({ name: asStr(p.name), port: Number(p.targetPort ?? p.port) }));
      else if (Array.isArray(a.ports)) ports = (a.ports as number[]).map((port) => ({ name: portName(port), port }));
      else ports = Object.entries(a.ports).map(([n, port]) => ({ name: n, port }));
      const portObjs = ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: 'TCP' }));
      const key = JSON.stringify(portObjs);
      const subset = subsets.get(key) ?? { addresses: [], notReadyAddresses: [], ports: portObjs };
      subsets.set(key, subset);
      const addr: Obj = { ip: a.ip };
      if (a.hostname) addr.hostname = a.hostname;
      if (a.nodeName) addr.nodeName = a.nodeName;
      if (a.targetRef) addr.targetRef = a.targetRef;
      (a.ready === false ? subset.notReadyAddresses : subset.addresses).push(addr);
    }
    const byIP = (x: Obj, y: Obj) => (String(x.ip) < String(y.ip) ? -1 : String(x.ip) > String(y.ip) ? 1 : 0);
    const out: Obj[] = [...subsets.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses.sort(byIP) } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses.sort(byIP) } : {}),
      ...(s.ports.length ? { ports: s.ports } : {}),
    }));
    const existing = this.store.get(ENDPOINTS, namespace, name);
    const ep: Obj = { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...asObj(existing?.metadata), name, namespace } };
    if (out.length > 0) ep.subsets = out;
    return this.apply(ep);
  }

  compact(): void {
    this.store.compact();
  }

  bookmark(): void {
    for (const w of this.watches) if (w.bookmarks) this.sendBookmark(w);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  writeKubeconfig(dir: string, o: { token?: string; context?: string; namespace?: string; file?: string } = {}): string {
    mkdirSync(dir, { recursive: true });
    const context = o.context ?? 'standin';
    const token = o.token ?? this.opts.token;
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'standin',
          // @kubernetes/client-node refuses a plain-HTTP server unless TLS verification is off
          // ("HTTP protocol is not allowed when skipTLSVerify is not set or false"); kubectl accepts it.
          cluster: this.cert
            ? { server: this.url, 'certificate-authority-data': Buffer.from(this.cert.cert).toString('base64') }
            : { server: this.url, 'insecure-skip-tls-verify': true },
        },
      ],
      users: [{ name: 'standin-user', user: token !== undefined ? { token } : {} }],
      contexts: [{ name: context, context: { cluster: 'standin', user: 'standin-user', ...(o.namespace ? { namespace: o.namespace } : {}) } }],
      'current-context': context,
      preferences: {},
    };
    const path = o.file ?? join(dir, 'kubeconfig');
    writeFileSync(path, YAML.stringify(config), { mode: 0o600 });
    return path;
  }

  async fault(spec: FaultSpec): Promise<FaultHandle> {
    if (spec.kind === 'cut-watches') {
      let hits = 0;
      for (const w of [...this.watches]) {
        if (spec.match && !this.watchMatches(w, spec.match)) continue;
        hits++;
        this.closeWatch(w, spec.mode ?? 'reset');
      }
      return { hits, clear: async () => {} };
    }
    let release: (() => void) | undefined;
    const stalled = new Promise<void>((r) => (release = r));
    const f: ActiveFault = { spec, hits: 0, remaining: 'times' in spec && spec.times !== undefined ? spec.times : spec.kind === 'gone' ? 1 : Infinity, release, stalled };
    if (spec.kind === 'down') {
      this.downFault = f;
      await this.close();
    } else this.faults.push(f);
    return {
      get hits() {
        return f.hits;
      },
      clear: () => this.clearFault(f),
    };
  }

  private async clearFault(f: ActiveFault): Promise<void> {
    this.faults = this.faults.filter((x) => x !== f);
    f.release?.();
    if (this.downFault === f) {
      this.downFault = undefined;
      if (!this.stopped) await this.listen(this.listener.port);
    }
  }

  async clearFaults(): Promise<void> {
    for (const f of [...this.faults]) await this.clearFault(f);
    if (this.downFault) await this.clearFault(this.downFault);
  }

  // --- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = u.search.startsWith('?') ? u.search.slice(1) : '';
    const params: Record<string, string> = {};
    for (const [k, v] of u.searchParams) params[k] = v;
    const method = (req.method ?? 'GET').toUpperCase();
    const target = this.route(u.pathname);
    const rec: RequestRecord = {
      method,
      path: u.pathname,
      query,
      url: u.pathname + (query ? `?${query}` : ''),
      params,
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    if (target.type === 'resource') {
      Object.assign(rec, {
        verb: this.verbOf(method, target, params),
        group: target.def.group,
        resource: target.def.plural,
        ...(target.sub ? { subresource: target.sub } : {}),
        ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
        ...(this.nameOf(target, params) !== undefined ? { name: this.nameOf(target, params) } : {}),
      });
    }
    this.requests.push(rec);
    this.records.set(res, rec);
    res.on('finish', () => (rec.status = res.statusCode));
    res.on('close', () => {
      if (res.headersSent) rec.status ??= res.statusCode;
      this.opts.log?.(`${rec.method} ${rec.url} ${rec.status ?? '-'}`);
    });
    res.setHeader('Audit-Id', randomUUID());
    res.setHeader('Cache-Control', 'no-cache, private');

    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);

    // Authentication, as the API server does before anything else.
    const auth = req.headers.authorization;
    if (this.opts.token !== undefined && auth !== `Bearer ${this.opts.token}`) {
      return this.sendStatus(res, { code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
    }
    const user = this.opts.user ?? (auth ? 'dtab-tests' : 'system:anonymous');

    // Faults, in the order they were set.
    let malformed: string | true | undefined;
    for (const f of [...this.faults]) {
      if (!this.faultMatches(f.spec, rec)) continue;
      if (f.spec.kind === 'gone' && rec.verb !== undefined && rec.verb !== 'watch' && rec.verb !== 'list') continue;
      f.hits++;
      if (--f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      switch (f.spec.kind) {
        case 'status':
          return this.sendStatus(res, this.faultStatus(f.spec, rec, target, f.spec.user ?? user));
        case 'stall':
          await f.stalled;
          if (this.stopped || res.destroyed) return;
          break;
        case 'gone':
          if (rec.verb === 'watch' && target.type === 'resource') {
            this.startStream(res, 'application/json');
            const rv = Number(params.resourceVersion) || this.store.resourceVersion;
            res.end(JSON.stringify({ type: 'ERROR', object: statusBody(tooOldWatch(rv, this.store.resourceVersion)) }) + '\n');
            return;
          }
          return this.sendError(res, tooOldList());
        case 'malformed':
          malformed = f.spec.body ?? true;
          break;
      }
    }

    try {
      switch (target.type) {
        case 'health':
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
          res.end('ok');
          return;
        case 'notfound':
          throw notFoundPath();
        case 'discovery': {
          if (method !== 'GET') throw this.methodNotAllowed(method);
          const format = negotiate(req.headers.accept, { discovery: target.aggregated !== undefined });
          if (!format) throw notAcceptable();
          if (format.kind === 'discovery-v2' && target.aggregated) return this.send(res, 200, this.aggregatedDiscovery(target.aggregated), malformed, AGGREGATED_CONTENT_TYPE);
          return this.send(res, 200, target.body(), malformed);
        }
        case 'resource':
          return await this.serveResource(req, res, target, method, params, body, rec, malformed);
      }
    } catch (err) {
      if (err instanceof ApiError) return this.sendError(res, err);
      throw err;
    }
  }

  private methodNotAllowed(method: string): ApiError {
    return new ApiError({ code: 405, reason: 'MethodNotAllowed', message: `the server does not allow this method on the requested resource`, details: { causes: [{ message: method }] } });
  }

  private verbOf(method: string, r: Route, params: Record<string, string>): Verb {
    switch (method) {
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return r.name === undefined ? 'deletecollection' : 'delete';
      default:
        if (r.watchPrefix) return 'watch';
        if (r.name !== undefined) return 'get';
        return isTrue(params.watch) ? 'watch' : 'list';
    }
  }

  /** The object a request is about: its path's name, or a list's `metadata.name=` field selector. */
  private nameOf(r: Route, params: Record<string, string>): string | undefined {
    if (r.name !== undefined) return r.name;
    try {
      return parseFieldSelector(params.fieldSelector ?? '').find((f) => f.field === 'metadata.name' && f.op === '=')?.value;
    } catch {
      return undefined;
    }
  }

  private faultMatches(spec: FaultSpec, rec: RequestRecord): boolean {
    const m = 'match' in spec ? spec.match : undefined;
    if (spec.kind === 'gone' && !m?.verb && rec.verb !== 'watch') return false;
    if (!m) return true;
    if (m.verb !== undefined && !(typeof m.verb === 'string' ? [m.verb] : m.verb).includes(rec.verb as Verb)) return false;
    if (m.resource !== undefined) {
      let def: ResourceDef | undefined;
      try {
        def = this.defFor(m.resource);
      } catch {
        return false;
      }
      if (rec.resource !== def.plural || rec.group !== def.group) return false;
    }
    if (m.namespace !== undefined && rec.namespace !== m.namespace) return false;
    if (m.name !== undefined && rec.name !== m.name) return false;
    if (typeof m.path === 'string' && !rec.path.startsWith(m.path)) return false;
    if (m.path instanceof RegExp && !m.path.test(rec.url)) return false;
    return true;
  }

  private watchMatches(w: Watch, m: RequestMatch): boolean {
    if (m.resource !== undefined) {
      try {
        if (this.defFor(m.resource) !== w.def) return false;
      } catch {
        return false;
      }
    }
    if (m.namespace !== undefined && w.namespace !== m.namespace) return false;
    if (m.name !== undefined && w.name !== m.name) return false;
    return true;
  }

  private faultStatus(spec: { code: number; message?: string }, rec: RequestRecord, target: Target, user: string): Status {
    const code = spec.code;
    if (code === 403) {
      let message: string;
      let det: Obj = {};
      if (target.type === 'resource') {
        const def = target.def;
        const resource = def.plural + (target.sub ? `/${target.sub}` : '');
        const who = rec.name !== undefined ? `${qualified(def)} "${rec.name}"` : qualified(def);
        const where = def.namespaced && rec.namespace !== undefined ? `in the namespace "${rec.namespace}"` : 'at the cluster scope';
        message = `${who} is forbidden: User "${user}" cannot ${rec.verb} resource "${resource}" in API group "${def.group}" ${where}`;
        det = details(def, rec.name);
      } else message = `forbidden: User "${user}" cannot ${rec.method.toLowerCase()} path "${rec.path}"`;
      return { code, reason: 'Forbidden', message: spec.message ?? message, details: det };
    }
    const known: Record<number, [string, string]> = {
      400: ['BadRequest', 'the server rejected our request for an unknown reason'],
      401: ['Unauthorized', 'Unauthorized'],
      404: ['NotFound', 'the server could not find the requested resource'],
      409: ['Conflict', 'the server reported a conflict'],
      410: ['Expired', 'The resourceVersion for the provided list is too old.'],
      429: ['TooManyRequests', 'Too many requests, please try again later.'],
      500: ['InternalError', 'Internal error occurred: the stand-in was told to fail'],
      503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
      504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
    };
    const [reason, message] = known[code] ?? ['', `the stand-in was told to answer ${code}`];
    return { code, reason, message: spec.message ?? message, ...(code === 429 ? { details: { retryAfterSeconds: 1 } } : {}) };
  }

  private route(path: string): Target {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts.length === 1 && ['healthz', 'livez', 'readyz'].includes(parts[0]!)) return { type: 'health' };
    if (parts.length === 1 && parts[0] === 'version') return { type: 'discovery', body: () => this.versionInfo() };
    if (parts[0] === 'api') {
      if (parts.length === 1) return { type: 'discovery', body: () => this.apiVersions(), aggregated: 'core' };
      if (parts[1] !== 'v1') return { type: 'notfound' };
      if (parts.length === 2) return { type: 'discovery', body: () => this.resourceList('', 'v1') };
      return this.routeResource('', 'v1', parts.slice(2));
    }
    if (parts[0] === 'apis') {
      if (parts.length === 1) return { type: 'discovery', body: () => this.apiGroupList(), aggregated: 'apis' };
      const group = parts[1]!;
      const defs = this.defs.filter((d) => d.group === group && group !== '');
      if (defs.length === 0) return { type: 'notfound' };
      if (parts.length === 2) return { type: 'discovery', body: () => ({ kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(group) }) };
      const version = parts[2]!;
      if (!defs.some((d) => d.versions.includes(version))) return { type: 'notfound' };
      if (parts.length === 3) return { type: 'discovery', body: () => this.resourceList(group, version) };
      return this.routeResource(group, version, parts.slice(3));
    }
    return { type: 'notfound' };
  }

  private routeResource(group: string, version: string, rest: string[]): Target {
    const find = (plural: string) => this.defs.find((d) => d.group === group && d.versions.includes(version) && d.plural === plural);
    let watchPrefix = false;
    if (rest[0] === 'watch') {
      watchPrefix = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    let def: ResourceDef | undefined;
    let tail: string[];
    if (rest[0] === 'namespaces' && rest.length >= 3 && find(rest[2]!)?.namespaced) {
      namespace = rest[1]!;
      def = find(rest[2]!);
      tail = rest.slice(3);
    } else {
      def = find(rest[0] ?? '');
      tail = rest.slice(1);
      // A namespaced resource's objects are only reachable under their namespace.
      if (def?.namespaced && tail.length > 0) return { type: 'notfound' };
    }
    if (!def || tail.length > 2) return { type: 'notfound' };
    const [name, sub] = tail;
    if (sub !== undefined) {
      if (watchPrefix || !def.subresources.some((s) => s.name === sub)) return { type: 'notfound' };
    }
    return { type: 'resource', def, version, watchPrefix, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}), ...(sub ? { sub: sub as 'status' | 'scale' } : {}) };
  }

  // --- discovery ------------------------------------------------------------------------------

  private versionInfo(): Obj {
    const v = this.opts.version ?? { major: '1', minor: '32' };
    return {
      major: v.major,
      minor: v.minor,
      gitVersion: `v${v.major}.${v.minor}.0`,
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2024-12-11T17:58:34Z',
      goVersion: 'go1.23.3',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  private apiVersions(): Obj {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.listener.port}` }] };
  }

  private groups(): string[] {
    return [...new Set(this.defs.map((d) => d.group).filter((g) => g !== ''))];
  }

  private groupVersions(group: string): string[] {
    return [...new Set(this.defs.filter((d) => d.group === group).flatMap((d) => d.versions))].sort(compareKubeVersions);
  }

  private apiGroup(group: string): Obj {
    const versions = this.groupVersions(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions, preferredVersion: versions[0] };
  }

  private apiGroupList(): Obj {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups().map((g) => this.apiGroup(g)) };
  }

  private resourceList(group: string, version: string): Obj {
    const resources: Obj[] = [];
    for (const d of this.defs.filter((x) => x.group === group && x.versions.includes(version))) {
      resources.push({
        name: d.plural,
        singularName: d.singular,
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: d.verbs,
        ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
        ...(d.categories.length ? { categories: d.categories } : {}),
      });
      for (const s of d.subresources) {
        resources.push({
          name: `${d.plural}/${s.name}`,
          singularName: '',
          namespaced: d.namespaced,
          ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
          kind: s.kind,
          verbs: s.verbs,
        });
      }
    }
    resources.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1));
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
  }

  /** Aggregated discovery (apidiscovery.k8s.io/v2), what kubectl 1.30+ asks /api and /apis for first. */
  private aggregatedDiscovery(which: 'core' | 'apis'): Obj {
    const groups = which === 'core' ? [''] : this.groups();
    const items = groups.map((group) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: this.groupVersions(group).map((version) => ({
        version,
        resources: this.defs
          .filter((d) => d.group === group && d.versions.includes(version))
          .map((d) => ({
            resource: d.plural,
            responseKind: { group, version, kind: d.kind },
            scope: d.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: d.singular,
            verbs: d.verbs,
            ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
            ...(d.categories.length ? { categories: d.categories } : {}),
            ...(d.subresources.length
              ? {
                  subresources: d.subresources.map((s) => ({
                    subresource: s.name,
                    responseKind: { group: s.group ?? group, version: s.version ?? version, kind: s.kind },
                    verbs: s.verbs,
                  })),
                }
              : {}),
          })),
        freshness: 'Current',
      })),
    }));
    return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
  }

  // --- resources ------------------------------------------------------------------------------

  private served(def: ResourceDef, version: string, o: Obj): Obj {
    const c = clone(o);
    return { ...c, apiVersion: groupVersion(def, version), kind: def.kind };
  }

  private listItem(def: ResourceDef, version: string, o: Obj): Obj {
    const c = this.served(def, version, o);
    if (def.builtin) {
      delete c.apiVersion;
      delete c.kind;
    }
    return c;
  }

  private async serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    r: Route,
    method: string,
    params: Record<string, string>,
    body: string,
    rec: RequestRecord,
    malformed: string | true | undefined,
  ): Promise<void> {
    const { def, version } = r;
    const verb = rec.verb!;
    if (r.sub === 'scale') return this.serveScale(res, r, method, body, req.headers['content-type'], malformed);
    switch (verb) {
      case 'get': {
        const o = this.store.get(def, r.namespace, r.name!);
        if (!o) throw notFound(def, r.name!);
        const format = negotiate(req.headers.accept, { table: r.sub === undefined, partial: r.sub === undefined ? 'object' : undefined });
        if (!format) throw notAcceptable();
        return this.send(res, 200, this.format(def, version, [o], format, { resourceVersion: asStr(asObj(o.metadata).resourceVersion) ?? '' }, params, false), malformed, contentTypeOf(format));
      }
      case 'list':
        return this.serveList(req, res, r, params, malformed);
      case 'watch':
        return this.serveWatch(req, res, r, params, malformed);
      case 'create':
        return this.serveCreate(res, r, body, malformed);
      case 'update':
        return this.serveUpdate(res, r, body, malformed);
      case 'patch':
        return this.servePatch(res, r, body, req.headers['content-type'], malformed);
      case 'delete': {
        if (r.sub) throw this.methodNotAllowed(method);
        const gone = this.store.get(def, r.namespace, r.name!);
        if (!gone) throw notFound(def, r.name!);
        if (def === NAMESPACES) this.deleteNamespaceContents(r.name!);
        this.store.remove(def, r.namespace, r.name!);
        return this.send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { ...details(def, r.name), uid: asObj(gone.metadata).uid } }, malformed);
      }
      case 'deletecollection': {
        const items = this.select(def, this.store.list(def, r.namespace), params).map(([, o]) => o);
        const removed = items.map((o) => this.store.remove(def, asStr(asObj(o.metadata).namespace), String(asObj(o.metadata).name))!);
        return this.send(res, 200, { kind: `${def.kind}List`, apiVersion: groupVersion(def, version), metadata: { resourceVersion: this.resourceVersion }, items: removed.map((o) => this.listItem(def, version, o)) }, malformed);
      }
    }
  }

  /** The objects matching the request's label and field selectors. */
  private select(def: ResourceDef, items: [string, Obj][], params: Record<string, string>, extraName?: string): [string, Obj][] {
    const match = this.matcher(def, params, extraName);
    return items.filter(([, o]) => match(o));
  }

  private matcher(def: ResourceDef, params: Record<string, string>, extraName?: string): (o: Obj) => boolean {
    let labels: (l: Readonly<Record<string, string>>) => boolean;
    let fields: ReturnType<typeof parseFieldSelector>;
    try {
      labels = parseLabelSelector(params.labelSelector ?? '');
      fields = parseFieldSelector(params.fieldSelector ?? '');
    } catch (e) {
      if (e instanceof SelectorError) throw badRequest(e.message);
      throw e;
    }
    const getters: Record<string, (o: Obj) => string> = {
      'metadata.name': (o) => asStr(asObj(o.metadata).name) ?? '',
      'metadata.namespace': (o) => asStr(asObj(o.metadata).namespace) ?? '',
      ...def.fields,
    };
    for (const f of fields) if (!getters[f.field]) throw badRequest(`field label not supported: ${f.field}`);
    return (o) => {
      const m = asObj(o.metadata);
      if (extraName !== undefined && m.name !== extraName) return false;
      const l: Record<string, string> = {};
      for (const [k, v] of Object.entries(asObj(m.labels))) l[k] = String(v);
      if (!labels(l)) return false;
      return fields.every((f) => (getters[f.field]!(o) === f.value) === (f.op === '='));
    };
  }

  /** Parses a resourceVersion parameter: undefined when unset. */
  private parseRv(v: string | undefined): number | undefined {
    if (v === undefined || v === '') return undefined;
    if (!/^[0-9]+$/.test(v)) throw badRequest(`resourceVersion: Invalid value: "${v}": strconv.ParseUint: parsing "${v}": invalid syntax`);
    return Number(v);
  }

  /** Waits (as the watch cache does, up to 3 s) for the store to reach `rv`; 504 if it never does. */
  private async waitFor(rv: number): Promise<void> {
    const deadline = Date.now() + TOO_LARGE_WAIT_MS;
    while (this.store.resourceVersion < rv) {
      if (Date.now() >= deadline || this.stopped) {
        throw new ApiError({
          code: 504,
          reason: 'Timeout',
          message: `Too large resource version: ${rv}, current: ${this.store.resourceVersion}`,
          details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
        });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async serveList(req: IncomingMessage, res: ServerResponse, r: Route, params: Record<string, string>, malformed: string | true | undefined): Promise<void> {
    const { def, version } = r;
    const format = negotiate(req.headers.accept, { table: true, partial: 'list' });
    if (!format) throw notAcceptable();
    const rv = this.parseRv(params.resourceVersion);
    const match = params.resourceVersionMatch;
    const limit = params.limit === undefined || params.limit === '' ? 0 : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit: Invalid value: "${params.limit}"`);
    if (match !== undefined && match !== '' && rv === undefined) throw invalidList('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (match !== undefined && match !== '' && match !== 'Exact' && match !== 'NotOlderThan') throw invalidList(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    let snapshotRv: number;
    let startAfter: string | undefined;
    let items: [string, Obj][];
    if (params.continue) {
      if (rv !== undefined) throw badRequest('specifying resource version is not allowed when using continue');
      const token = decodeContinue(params.continue);
      snapshotRv = token.rv;
      startAfter = token.start;
      const at = this.store.listAt(def, snapshotRv, r.namespace);
      if (!at)
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      items = at;
    } else if (match === 'Exact') {
      await this.waitFor(rv!);
      const at = this.store.listAt(def, rv!, r.namespace);
      if (!at) throw tooOldList();
      snapshotRv = rv!;
      items = at;
    } else {
      if (rv !== undefined && rv > 0) await this.waitFor(rv);
      snapshotRv = this.store.resourceVersion;
      items = this.store.list(def, r.namespace);
    }
    const selected = this.select(def, items, params).filter(([k]) => startAfter === undefined || k >= startAfter);
    // resourceVersion=0 is served from the watch cache, which ignores limit.
    const page = limit > 0 && rv !== 0 ? selected.slice(0, limit) : selected;
    const listMeta: Obj = { resourceVersion: String(snapshotRv) };
    if (page.length < selected.length) {
      const last = page[page.length - 1]![0];
      listMeta.continue = encodeContinue(snapshotRv, `${last}\u0000`);
      if (!params.labelSelector && !params.fieldSelector) listMeta.remainingItemCount = selected.length - page.length;
    }
    return this.send(res, 200, this.format(def, version, page.map(([, o]) => o), format, listMeta, params, true), malformed, contentTypeOf(format));
  }

  /** A list or an object as JSON, a Table or partial metadata. */
  private format(def: ResourceDef, version: string, objs: Obj[], format: Format, listMeta: Obj, params: Record<string, string>, isList: boolean, headers = true): Obj {
    if (format.kind === 'table') {
      const include = params.includeObject ?? 'Metadata';
      if (!['None', 'Metadata', 'Object'].includes(include)) throw badRequest(`includeObject: Unsupported value: "${include}": supported values: "None", "Metadata", "Object"`);
      return {
        kind: 'Table',
        apiVersion: `meta.k8s.io/${format.version}`,
        metadata: listMeta,
        columnDefinitions: headers ? def.columns : null,
        rows: objs.map((o) => ({ cells: this.cells(def, o), object: include === 'None' ? null : include === 'Object' ? this.served(def, version, o) : partial(format.version, o) })),
      };
    }
    if (format.kind === 'partial') {
      if (!isList) return partial(format.version, objs[0]!);
      return { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${format.version}`, metadata: listMeta, items: objs.map((o) => partial(format.version, o)) };
    }
    if (!isList) return this.served(def, version, objs[0]!);
    return { kind: `${def.kind}List`, apiVersion: groupVersion(def, version), metadata: listMeta, items: objs.map((o) => this.listItem(def, version, o)) };
  }

  private cells(def: ResourceDef, o: Obj): unknown[] {
    try {
      return def.cells(o, this.clock());
    } catch {
      return def.columns.map(() => '<unknown>');
    }
  }

  // --- watch ----------------------------------------------------------------------------------

  private startStream(res: ServerResponse, contentType: string): void {
    res.writeHead(200, { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const rec = this.records.get(res);
    if (rec) rec.status = 200;
  }

  private async serveWatch(req: IncomingMessage, res: ServerResponse, r: Route, params: Record<string, string>, malformed: string | true | undefined): Promise<void> {
    const { def, version } = r;
    const format = negotiate(req.headers.accept, { table: true, partial: 'object' });
    if (!format) throw notAcceptable();
    const rv = this.parseRv(params.resourceVersion);
    const bookmarks = isTrue(params.allowWatchBookmarks);
    const initial = params.sendInitialEvents === undefined ? undefined : isTrue(params.sendInitialEvents);
    if (initial !== undefined && (params.resourceVersionMatch !== 'NotOlderThan' || !bookmarks)) {
      throw invalidList('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan and allowWatchBookmarks to true');
    }
    const match = this.matcher(def, params, r.watchPrefix ? r.name : undefined);
    if (rv !== undefined && rv > 0) await this.waitFor(rv);
    const w: Watch = {
      def,
      version,
      ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
      ...(r.name !== undefined ? { name: r.name } : {}),
      match,
      res,
      bookmarks,
      format,
      includeObject: params.includeObject ?? 'Metadata',
      headersSent: false,
      timers: [],
      closed: false,
    };
    this.startStream(res, contentTypeOf(format));
    if (malformed !== undefined) res.write((malformed === true ? '{"type":"ADDED","object":{"kind":"' + def.kind + '","apiVersion":' : malformed) + '\n');
    if (rv !== undefined && rv > 0 && rv < this.store.oldest && !initial) {
      res.end(JSON.stringify({ type: 'ERROR', object: statusBody(tooOldWatch(rv, this.store.oldest)) }) + '\n');
      return;
    }
    this.watches.add(w);
    res.on('close', () => this.closeWatch(w, 'gone'));
    // Where the watch starts: the current state as ADDED events, or the history after rv.
    if (rv === undefined || rv === 0 || initial === true) {
      for (const [, o] of this.store.list(def, r.namespace)) if (match(o)) this.send1(w, 'ADDED', o);
      if (initial === true) this.sendBookmark(w, true);
    } else {
      for (const e of this.store.eventsAfter(rv)) this.deliver(w, e);
    }
    const timeout = Number(params.timeoutSeconds);
    if (params.timeoutSeconds !== undefined && Number.isFinite(timeout) && timeout > 0) {
      w.timers.push(
        setTimeout(() => {
          if (w.bookmarks) this.sendBookmark(w);
          this.closeWatch(w, 'end');
        }, timeout * 1000),
      );
    }
  }

  private onEvent(e: StoreEvent): void {
    for (const w of this.watches) this.deliver(w, e);
  }

  /** Sends an event to a watch if it concerns it: objects entering or leaving its selectors come as ADDED / DELETED. */
  private deliver(w: Watch, e: StoreEvent): void {
    if (w.closed || e.def !== w.def) return;
    if (w.namespace !== undefined && asStr(asObj(e.object.metadata).namespace) !== w.namespace) return;
    const now = e.type !== 'DELETED' && w.match(e.object);
    const before = e.prev !== undefined && w.match(e.prev);
    if (e.type === 'ADDED' && now) this.send1(w, 'ADDED', e.object);
    else if (e.type === 'MODIFIED') {
      if (now && before) this.send1(w, 'MODIFIED', e.object);
      else if (now) this.send1(w, 'ADDED', e.object);
      else if (before) this.send1(w, 'DELETED', e.object);
    } else if (e.type === 'DELETED' && before) this.send1(w, 'DELETED', e.object);
  }

  private send1(w: Watch, type: string, o: Obj): void {
    let object: Obj;
    if (w.format.kind === 'table') {
      object = this.format(w.def, w.version, [o], w.format, { resourceVersion: asStr(asObj(o.metadata).resourceVersion) ?? '' }, { includeObject: w.includeObject }, true, !w.headersSent);
      w.headersSent = true;
    } else if (w.format.kind === 'partial') object = partial(w.format.version, o);
    else object = this.served(w.def, w.version, o);
    this.write(w, JSON.stringify({ type, object }) + '\n');
  }

  private sendBookmark(w: Watch, initialEventsEnd = false): void {
    const m: Obj = { resourceVersion: this.resourceVersion };
    if (w.def.builtin) m.creationTimestamp = null;
    if (initialEventsEnd) m.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.write(w, JSON.stringify({ type: 'BOOKMARK', object: { kind: w.def.kind, apiVersion: groupVersion(w.def, w.version), metadata: m } }) + '\n');
  }

  private write(w: Watch, line: string): void {
    if (w.closed || w.res.destroyed) return;
    w.res.write(line);
  }

  private closeWatch(w: Watch, how: 'reset' | 'end' | 'mid-event' | 'gone'): void {
    if (w.closed) return;
    w.closed = true;
    this.watches.delete(w);
    for (const t of w.timers) clearTimeout(t);
    if (how === 'end') w.res.end();
    else if (how === 'mid-event') {
      w.res.write(`{"type":"MODIFIED","object":{"kind":"${w.def.kind}","apiVersion":"${groupVersion(w.def, w.version)}","metadata":{"name":`);
      setImmediate(() => w.res.socket?.destroy());
    } else if (how === 'reset') w.res.socket?.destroy();
  }

  // --- writes ---------------------------------------------------------------------------------

  private parseBody(body: string): Obj {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw badRequest(`json parse error: ${(e as Error).message}`);
    }
    if (!isObj(parsed)) throw badRequest('the body of the request is not an object');
    return parsed;
  }

  private checkBody(def: ResourceDef, version: string, o: Obj, r: Route): void {
    const gv = groupVersion(def, version);
    if (o.apiVersion !== undefined && o.apiVersion !== gv) throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${gv})`);
    if (o.kind !== undefined && o.kind !== def.kind) throw badRequest(`the kind in the data (${String(o.kind)}) does not match the expected kind (${def.kind})`);
    const m = meta(o);
    if (def.namespaced) {
      if (m.namespace !== undefined && m.namespace !== '' && m.namespace !== r.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      m.namespace = r.namespace;
    }
  }

  private serveCreate(res: ServerResponse, r: Route, body: string, malformed: string | true | undefined): void {
    const { def, version } = r;
    if (r.name !== undefined) throw this.methodNotAllowed('POST');
    if (def.namespaced && r.namespace === undefined) throw this.methodNotAllowed('POST');
    const o = this.parseBody(body);
    this.checkBody(def, version, o, r);
    const m = meta(o);
    if ((m.name === undefined || m.name === '') && typeof m.generateName === 'string') m.name = m.generateName + randomUUID().slice(0, 5);
    if (typeof m.name !== 'string' || m.name === '') throw invalid(def, '', 'metadata.name: Required value: name or generateName is required');
    if (def.namespaced && !this.store.get(NAMESPACES, undefined, r.namespace!)) throw notFound(NAMESPACES, r.namespace!);
    if (this.store.get(def, r.namespace, m.name)) {
      throw new ApiError({ code: 409, reason: 'AlreadyExists', message: `${qualified(def)} "${m.name}" already exists`, details: details(def, m.name) });
    }
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'generation']) delete m[k];
    this.validate(def, version, o, m.name);
    const stored = this.store.put(def, o).object;
    return this.send(res, 201, this.served(def, version, stored), malformed);
  }

  /** Replaces an object (or its status), with optimistic concurrency on metadata.resourceVersion. */
  private replace(r: Route, o: Obj): Obj {
    const { def } = r;
    const name = r.name!;
    const m = meta(o);
    if (m.name !== undefined && m.name !== name) throw badRequest(`the name of the object (${String(m.name)}) does not match the name on the URL (${name})`);
    m.name = name;
    const old = this.store.get(def, r.namespace, name);
    if (!old) throw notFound(def, name);
    if (m.resourceVersion !== undefined && m.resourceVersion !== '' && m.resourceVersion !== asObj(old.metadata).resourceVersion) throw conflict(def, name);
    let next: Obj;
    if (r.sub === 'status') next = { ...old, status: o.status };
    else {
      next = o;
      // With a status subresource, writes to the object leave its status alone.
      if (def.subresources.some((s) => s.name === 'status')) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      if (def === SERVICES) {
        const spec = asObj(next.spec);
        const oldSpec = asObj(old.spec);
        for (const k of ['clusterIP', 'clusterIPs']) if (spec[k] === undefined && oldSpec[k] !== undefined) spec[k] = oldSpec[k];
        next.spec = spec;
      }
    }
    if (r.sub !== 'status') this.validate(def, r.version, next, name);
    return this.store.put(def, next).object;
  }

  /** A custom resource's OpenAPI schema of the version written through (422 as the API server says it). */
  private validate(def: ResourceDef, version: string, o: Obj, name: string): void {
    const errors = def.validate?.(o, version) ?? [];
    if (errors.length === 0) return;
    throw invalid(def, name, errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);
  }

  private serveUpdate(res: ServerResponse, r: Route, body: string, malformed: string | true | undefined): void {
    const o = this.parseBody(body);
    this.checkBody(r.def, r.version, o, r);
    return this.send(res, 200, this.served(r.def, r.version, this.replace(r, o)), malformed);
  }

  private applyPatch(current: Obj, body: string, contentType: string | undefined): Obj {
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    let patch: unknown;
    try {
      patch = JSON.parse(body);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    try {
      if (type === 'application/merge-patch+json') return asObj(mergePatch(current, patch));
      if (type === 'application/json-patch+json') return asObj(jsonPatch(current, patch));
    } catch (e) {
      if (e instanceof PatchError) throw new ApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: ${e.message}` });
      throw e;
    }
    throw unsupportedPatch();
  }

  private servePatch(res: ServerResponse, r: Route, body: string, contentType: string | undefined, malformed: string | true | undefined): void {
    const { def, version, name } = r;
    const old = this.store.get(def, r.namespace, name!);
    if (!old) throw notFound(def, name!);
    const patched = this.applyPatch(this.served(def, version, old), body, contentType);
    const m = asObj(patched.metadata);
    if (m.name !== name || (def.namespaced && m.namespace !== r.namespace)) throw invalid(def, name!, 'metadata.name: Invalid value: the name and namespace of an object cannot be changed');
    // A patch that sets metadata.resourceVersion asks for optimistic concurrency.
    const patchRv = asStr(asObj(asObj(tryParse(body)).metadata).resourceVersion);
    if (patchRv === undefined) m.resourceVersion = asObj(old.metadata).resourceVersion;
    return this.send(res, 200, this.served(def, version, this.replace(r, patched)), malformed);
  }

  private scaleOf(d: Obj): Obj {
    const m = asObj(d.metadata);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
      spec: { replicas: asNum(asObj(d.spec).replicas) ?? 0 },
      status: { replicas: asNum(asObj(d.status).replicas) ?? 0, selector: labelSelectorString(asObj(d.spec).selector) },
    };
  }

  private serveScale(res: ServerResponse, r: Route, method: string, body: string, contentType: string | undefined, malformed: string | true | undefined): void {
    const { def, name } = r;
    const d = this.store.get(def, r.namespace, name!);
    if (!d) throw notFound(def, name!);
    const current = this.scaleOf(d);
    let wanted: Obj;
    if (method === 'GET') return this.send(res, 200, current, malformed);
    if (method === 'PUT') wanted = this.parseBody(body);
    else if (method === 'PATCH') wanted = this.applyPatch(current, body, contentType);
    else throw this.methodNotAllowed(method);
    // The Scale's resourceVersion is the Deployment's: a PUT or a patch that carries one is a
    // precondition, as the API server's scale update checks it (a patch without one leaves the
    // current one in the patched Scale, which always matches).
    const rv = asStr(asObj(wanted.metadata).resourceVersion);
    if (rv !== undefined && rv !== '' && rv !== asObj(d.metadata).resourceVersion) throw conflict(def, name!);
    const replicas = asObj(wanted.spec).replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw new ApiError({ code: 422, reason: 'Invalid', message: `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, details: { name, group: 'autoscaling', kind: 'Scale' } });
    }
    const next = clone(d);
    asObj(next.spec).replicas = replicas;
    const stored = this.store.put(def, next).object;
    return this.send(res, 200, this.scaleOf(stored), malformed);
  }

  /** With `controllers: true`: a Deployment's status follows its spec, as if its pods were all ready. */
  private deploymentController(e: StoreEvent): void {
    if (e.def !== DEPLOYMENTS || e.type === 'DELETED') return;
    const d = e.object;
    const replicas = asNum(asObj(d.spec).replicas) ?? 0;
    const generation = asNum(asObj(d.metadata).generation) ?? 1;
    const st = asObj(d.status);
    if (st.observedGeneration === generation && st.replicas === replicas && st.readyReplicas === replicas) return;
    const next = clone(d);
    next.status = {
      ...st,
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
    };
    if (replicas === 0) for (const k of ['readyReplicas', 'availableReplicas', 'updatedReplicas']) delete (next.status as Obj)[k];
    setImmediate(() => {
      const cur = this.store.get(DEPLOYMENTS, asStr(asObj(d.metadata).namespace), String(asObj(d.metadata).name));
      if (cur && asObj(cur.metadata).resourceVersion === asObj(d.metadata).resourceVersion) this.store.put(DEPLOYMENTS, next);
    });
  }

  // --- responses ------------------------------------------------------------------------------

  private send(res: ServerResponse, code: number, body: unknown, malformed?: string | true, contentType = 'application/json'): void {
    let text = JSON.stringify(body) + '\n';
    if (malformed !== undefined) {
      code = 200;
      text = malformed === true ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : malformed;
    }
    res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendStatus(res: ServerResponse, st: Status): void {
    const headers: Record<string, string> = {};
    if (st.code === 429 || st.code === 503) headers['Retry-After'] = '1';
    const text = JSON.stringify(statusBody(st)) + '\n';
    res.writeHead(st.code, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private sendError(res: ServerResponse, e: ApiError): void {
    this.sendStatus(res, e.status);
  }
}

// ---------------------------------------------------------------------------------------------

const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

const isTrue = (v: string | undefined) => v === 'true' || v === '1';

const tryParse = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

const invalidList = (message: string) => new ApiError({ code: 422, reason: 'Invalid', message: `ListOptions.meta.k8s.io "" is invalid: ${message}`, details: { group: 'meta.k8s.io', kind: 'ListOptions' } });

const notAcceptable = () => new ApiError({ code: 406, reason: 'NotAcceptable', message: 'only the following media types are accepted: application/json' });

function partial(version: string, o: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: clone(asObj(o.metadata)) };
}

function contentTypeOf(f: Format): string {
  switch (f.kind) {
    case 'table':
      return `application/json;as=Table;v=${f.version};g=meta.k8s.io`;
    case 'partial':
      return `application/json;as=${f.list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=${f.version};g=meta.k8s.io`;
    case 'discovery-v2':
      return AGGREGATED_CONTENT_TYPE;
    default:
      return 'application/json';
  }
}

/** The first media type in Accept that the stand-in can produce here; undefined: 406. */
function negotiate(accept: string | undefined, can: { table?: boolean; partial?: 'list' | 'object'; discovery?: boolean }): Format | undefined {
  if (accept === undefined || accept.trim() === '') return { kind: 'json' };
  for (const part of accept.split(',')) {
    const [type = '', ...rest] = part.split(';').map((x) => x.trim());
    const p: Record<string, string> = {};
    for (const kv of rest) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    const jsonish = type === 'application/json' || type === '*/*' || type === 'application/*';
    if (!jsonish) continue;
    if (p.as !== undefined) {
      if (p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1') && can.table) return { kind: 'table', version: p.v };
      if (p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1') && can.partial) {
        if (p.as === 'PartialObjectMetadataList' && can.partial === 'list') return { kind: 'partial', version: p.v, list: true };
        if (p.as === 'PartialObjectMetadata' && can.partial === 'object') return { kind: 'partial', version: p.v, list: false };
      }
      if (p.as === 'APIGroupDiscoveryList' && p.g === 'apidiscovery.k8s.io' && p.v === 'v2' && can.discovery) return { kind: 'discovery-v2' };
      continue;
    }
    return { kind: 'json' };
  }
  return undefined;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return { rv: t.rv, start: t.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function parseAddress(s: string): { ip: string; ports?: number[] } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  if (m) return { ip: m[1]!, ports: [Number(m[2])] };
  return { ip: s.replace(/^\[|\]$/g, '') };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 3 * 1024 * 1024) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Objects from a YAML (multi-document) or JSON file; `kind: List` documents are expanded. */
export function readObjects(file: string): Obj[] {
  const text = readFileSync(file, 'utf8');
  const docs = YAML.parseAllDocuments(text).map((d) => d.toJSON() as unknown);
  const out: Obj[] = [];
  for (const d of docs) {
    if (!isObj(d)) continue;
    if (d.kind === 'List' || Array.isArray(d.items)) out.push(...asArr(d.items).map(asObj));
    else out.push(d);
  }
  return out;
}

// --- standalone -----------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) args[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')) args[a.slice(2)] = 'true';
    else args[a.slice(2)] = argv[++i]!;
  }
  const known = ['port', 'objects', 'token', 'tls', 'kubeconfig', 'system', 'controllers', 'log'];
  for (const k of Object.keys(args)) if (!known.includes(k)) throw new Error(`unknown option --${k}; known: ${known.map((x) => '--' + x).join(' ')}`);
  const k8s = await startK8sStandin({
    port: args.port !== undefined ? Number(args.port) : 0,
    ...(args.objects ? { objects: readObjects(args.objects) } : {}),
    ...(args.token ? { token: args.token } : {}),
    tls: args.tls === 'true',
    system: args.system === 'true',
    controllers: args.controllers === 'true',
    ...(args.log === 'true' ? { log: (line: string) => console.error(line) } : {}),
  });
  console.log(k8s.url);
  if (args.kubeconfig) console.log(`kubeconfig: ${k8s.writeKubeconfig(args.kubeconfig)}`);
  const stop = () => {
    void k8s.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && /standin\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  });
}
