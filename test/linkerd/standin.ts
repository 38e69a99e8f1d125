// A stand-in for Linkerd 1.x (1.7.5), for tests: on 127.0.0.1, an admin server (`/admin/ping`,
// `/delegator.json`, `/admin/metrics.json`) and HTTP routers, each on its own port with a label
// and a base dtab. The routers read `l5d-ctx-dtab` and `l5d-dtab` as Linkerd does, identify a
// request by its Host header, bind the name with the project's core interpreter, and answer
// themselves as the downstream application would be reached (there is no real downstream): 200,
// the l5d headers Linkerd sets on the forwarded request echoed back, and a JSON body saying where
// the request went. Errors are Linkerd's: statuses, bodies and `l5d-err` as its source writes them.
//
//   const l5d = await startLinkerdStandin({ routers: [{ label: 'http', dtab: '/svc=>/$/inet/127.1' }] });
//   await request({ url: l5d.routerUrl('http') + '/', headers: { host: 'dog', 'l5d-dtab': '/svc/dog=>/$/inet/127.1/9' } });
//   l5d.requests; // every request, with the exact l5d-dtab values received
//   await l5d.stop();
//
// Standalone, for manual use (prints its URLs; only ever 127.0.0.1):
//   npx tsx test/linkerd/standin.ts [--router LABEL=DTAB]... [--admin-port N]
//
// Sources (linkerd/linkerd@ea82499, 1.7.5): admin/names/.../DelegateApiHandler.scala,
// linkerd/admin/.../LinkerdAdmin.scala, linkerd/protocol/http/.../LinkerdHeaders.scala,
// linkerd/protocol/http/.../ErrorResponder.scala, router/http/.../HeaderIdentifier.scala,
// router/core/.../RoutingFactory.scala (UnknownDst), router/core/.../RichNoBrokersAvailableException.scala.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  boundAddr,
  boundName,
  delegateTreeToJsonText,
  Dtab,
  encodeL5dErr,
  Interpreter,
  leaf,
  lowerDtab,
  lowerPath,
  NEG,
  parseDtab,
  parsePath,
  showDtab,
  showPath,
  showPathTree,
  showPrefix,
  SystemNamer,
  type BoundName,
  type BoundTree,
  type ConfiguredNamer,
  type Dentry,
  type Namer,
  type NameTree,
  type Name,
} from '../../core/index.js';
import { Faults, Listener, readBody, type FaultHandle } from '../support/standin-http.js';

export type { FaultHandle } from '../support/standin-http.js';

/** A namer answering under `prefix` (e.g. `/#/io.l5d.fs`). */
export interface StandinNamer {
  readonly prefix: string;
  readonly namer: Namer;
}

/**
 * A namer with a fixed table: `{ 'dog': ['127.0.0.1:8080'] }` binds `<prefix>/dog/…` to those
 * addresses (the longest matching key wins; the rest of the path is the residual); an empty list
 * binds with no addresses (no endpoints); a path no key matches is negative.
 */
export function fixedNamer(table: Readonly<Record<string, readonly string[]>>, prefix = ''): Namer {
  const keys = Object.keys(table)
    .map((k) => ({ key: k, path: k.split('/').filter((e) => e !== '') }))
    .sort((a, b) => b.path.length - a.path.length);
  const id = prefix.split('/').filter((e) => e !== '');
  return {
    lookup(path): NameTree<Name> {
      const hit = keys.find((k) => k.path.length <= path.length && k.path.every((e, i) => e === path[i]));
      if (!hit) return NEG;
      const addrs = table[hit.key]!.map((hp) => {
        const i = hp.lastIndexOf(':');
        return { ip: hp.slice(0, i), port: Number(hp.slice(i + 1)), meta: {} };
      });
      return leaf(boundName([...id, ...hit.path], path.slice(hit.path.length), boundAddr(addrs)));
    },
  };
}

export interface RouterSpec {
  readonly label: string;
  /** The router's base dtab (its `dtab:` in linkerd.yaml). */
  readonly dtab: string;
  /** This router's namers; default: the stand-in's `namers`. */
  readonly namers?: readonly StandinNamer[];
  /** Default 0: an ephemeral port. */
  readonly port?: number;
}

export interface LinkerdStandinOptions {
  readonly routers: readonly RouterSpec[];
  /** The namers of every router that names none (linkerd.yaml's top-level `namers:`). */
  readonly namers?: readonly StandinNamer[];
  /** Default 0: an ephemeral port. */
  readonly adminPort?: number;
  /** Makes `l5d-reqid` values (default: 16 random lower-case hex characters). */
  readonly requestIds?: () => string;
  /** Picks union branches by weight (default Math.random). */
  readonly random?: () => number;
  /** Linkerd's maxHeadersKB (default 8 KiB): `l5d-err` is cut to this many characters. */
  readonly maxHeaderSize?: number;
  /** Linkerd's maxErrResponseKB (default 5 MiB): error bodies are cut to this many characters. */
  readonly maxErrResponseSize?: number;
  /** The delegator's budget (Linkerd: 2 s, then `503 Request timed out.`). */
  readonly delegateTimeoutMs?: number;
  /** Told `server METHOD url status` for every request once answered. */
  readonly log?: (line: string) => void;
}

/** Which server: `admin`, or a router's label. */
export type ServerName = string;

export type FaultSpec =
  /** The listener (and its connections) closed: connections are refused until clear(), same port after. */
  | { readonly kind: 'refuse'; readonly server?: ServerName }
  /** Requests held before they are handled: for `ms`, or (no `ms`) until clear() or stop(). */
  | { readonly kind: 'delay'; readonly ms?: number; readonly server?: ServerName; readonly path?: string; readonly times?: number }
  /** Answer with this status (and body, headers) instead of handling the request. */
  | { readonly kind: 'status'; readonly code: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>>; readonly server?: ServerName; readonly path?: string; readonly times?: number }
  /** 200 `application/json` with a body that is not JSON (default: a cut-off object). */
  | { readonly kind: 'malformed'; readonly body?: string; readonly server?: ServerName; readonly path?: string; readonly times?: number };

export interface RecordedRequest {
  /** `admin` or the router's label. */
  readonly server: ServerName;
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** Every header as received, in order, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  /** Every `l5d-dtab` value, in order, exactly as received. */
  readonly dtabHeaders: readonly string[];
  /** Every `l5d-ctx-dtab` value, in order. */
  readonly ctxDtabHeaders: readonly string[];
  /** The `l5d-sample` value, if any. */
  readonly sample?: string;
  readonly host?: string;
  readonly body: string;
  /** Once answered. */
  status?: number;
}

/**
 * How the application behind a bound id answers (there is no real downstream): always `status`,
 * or a share of the requests failing with `failureStatus` (default 500). The share is exact and
 * deterministic: the n-th request (from 1) fails when floor(n × failureRate) > floor((n-1) × failureRate),
 * so a rate of 0.5 fails every second request, 0.1 every tenth.
 */
export interface ClientBehaviour {
  readonly status?: number;
  readonly failureRate?: number;
  readonly failureStatus?: number;
  /** The body of a failing answer (default `{"error":"failed by the stand-in"}`). */
  readonly body?: string;
}

export interface LinkerdStandin {
  /** `http://127.0.0.1:PORT` of the admin server. */
  readonly adminUrl: string;
  /** `http://127.0.0.1:PORT` of a router. */
  routerUrl(label: string): string;
  readonly requests: readonly RecordedRequest[];
  /** The counters, as `/admin/metrics.json` serves them. */
  metrics(): Record<string, number>;
  /** Replaces a router's base dtab (throws on syntax errors, with Finagle's message). */
  setDtab(label: string, text: string): void;
  /** How requests bound to `id` (`/#/io.l5d.fs/world-v2`) are answered; undefined: normally (200). */
  setClient(id: string, behaviour: ClientBehaviour | undefined): void;
  /** Adds to counters directly (metrics that change between two reads without traffic). */
  addCounters(values: Readonly<Record<string, number>>): void;
  fault(spec: FaultSpec): Promise<FaultHandle>;
  clearFaults(): Promise<void>;
  clearRequests(): void;
  stop(): Promise<void>;
}

export async function startLinkerdStandin(opts: LinkerdStandinOptions): Promise<LinkerdStandin> {
  const s = new Standin(opts);
  await s.start();
  return s;
}

interface Router {
  readonly label: string;
  dtab: Dtab;
  readonly interpreter: Interpreter;
  readonly listener: Listener;
}

function toConfigured(namers: readonly StandinNamer[]): ConfiguredNamer[] {
  return namers.map((n) => {
    const p = parsePath(n.prefix);
    if (!p.ok) throw new Error(`namer prefix ${n.prefix}: ${p.error.finagleMessage}`);
    return { prefix: lowerPath(p.value), namer: n.namer };
  });
}

function readDtab(text: string): Dtab {
  const syntax = parseDtab(text);
  if (syntax.errors.length > 0) throw new Error(syntax.errors[0]!.finagleMessage);
  return lowerDtab(syntax);
}

/** Every value of a header, in order, from raw headers (case-insensitive name). */
function getAll(req: IncomingMessage, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === name) out.push(req.rawHeaders[i + 1]!);
  return out;
}

/** Jackson's default pretty printer over a flat object with sorted keys (`"a" : 1`). */
function prettyMetrics(m: Record<string, number>): string {
  const keys = Object.keys(m).sort();
  if (keys.length === 0) return '{ }';
  return `{\n${keys.map((k) => `  ${JSON.stringify(k)} : ${m[k]}`).join(',\n')}\n}`;
}

/** RichNoBrokersAvailableException.exceptionMessage (Linkerd 1.7.5). */
function unableToRoute(service: string, base: Dtab, local: Dtab): string {
  const fmt = (d: Dtab) => d.dentries.map((e: Dentry) => `  ${showPrefix(e.prefix)} => ${showPathTree(e.dst)}`).join('\n');
  return `Unable to route request!\n\nservice name: ${service}\ndtab:\n\nbase dtab:\n${fmt(base)}\noverride dtab:\n${fmt(local)}\n`;
}

class Standin implements LinkerdStandin {
  readonly requests: RecordedRequest[] = [];
  private readonly counters = new Map<string, number>();
  private readonly clients = new Map<string, { behaviour: ClientBehaviour; seen: number }>();
  private readonly routers = new Map<string, Router>();
  private readonly admin: Listener;
  private readonly globalInterpreter: Interpreter;
  private readonly bareInterpreter = new Interpreter([], new SystemNamer());
  // A refuse fault closes the server it names, or every one.
  private readonly faults = new Faults<FaultSpec>((spec) =>
    spec.kind !== 'refuse' ? [] : spec.server !== undefined ? [this.listenerOf(spec.server)] : [this.admin, ...[...this.routers.values()].map((r) => r.listener)],
  );

  constructor(private readonly opts: LinkerdStandinOptions) {
    this.admin = new Listener((req, res) => void this.handle('admin', req, res));
    this.globalInterpreter = new Interpreter(toConfigured(opts.namers ?? []), new SystemNamer());
    for (const r of opts.routers) {
      if (r.label === 'admin' || this.routers.has(r.label)) throw new Error(`router label ${r.label}: taken`);
      this.routers.set(r.label, {
        label: r.label,
        dtab: readDtab(r.dtab),
        interpreter: r.namers ? new Interpreter(toConfigured(r.namers), new SystemNamer()) : this.globalInterpreter,
        listener: new Listener((req, res) => void this.handle(r.label, req, res)),
      });
    }
  }

  async start(): Promise<void> {
    await this.admin.listen(this.opts.adminPort ?? 0);
    for (const spec of this.opts.routers) await this.routers.get(spec.label)!.listener.listen(spec.port ?? 0);
  }

  get adminUrl(): string {
    return `http://127.0.0.1:${this.admin.port}`;
  }

  routerUrl(label: string): string {
    const r = this.routers.get(label);
    if (!r) throw new Error(`no router labelled ${label}`);
    return `http://127.0.0.1:${r.listener.port}`;
  }

  metrics(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  setDtab(label: string, text: string): void {
    const r = this.routers.get(label);
    if (!r) throw new Error(`no router labelled ${label}`);
    r.dtab = readDtab(text);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  setClient(id: string, behaviour: ClientBehaviour | undefined): void {
    if (behaviour === undefined) this.clients.delete(id);
    else this.clients.set(id, { behaviour, seen: 0 });
  }

  addCounters(values: Readonly<Record<string, number>>): void {
    for (const [k, v] of Object.entries(values)) this.count(k, v);
  }

  private listenerOf(server: ServerName): Listener {
    if (server === 'admin') return this.admin;
    const r = this.routers.get(server);
    if (!r) throw new Error(`no server ${server}`);
    return r.listener;
  }

  fault(spec: FaultSpec): Promise<FaultHandle> {
    return this.faults.add(spec);
  }

  clearFaults(): Promise<void> {
    return this.faults.clearAll();
  }

  async stop(): Promise<void> {
    this.faults.stop();
    await this.admin.close();
    for (const r of this.routers.values()) await r.listener.close();
  }

  private count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async handle(server: ServerName, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const raw: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) raw.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const body = await readBody(req);
    const sample = getAll(req, 'l5d-sample')[0];
    const rec: RecordedRequest = {
      server,
      method,
      url,
      headers: raw,
      dtabHeaders: getAll(req, 'l5d-dtab'),
      ctxDtabHeaders: getAll(req, 'l5d-ctx-dtab'),
      ...(sample !== undefined ? { sample } : {}),
      ...(req.headers.host !== undefined ? { host: req.headers.host } : {}),
      body,
    };
    this.requests.push(rec);
    res.on('finish', () => (rec.status = res.statusCode));
    res.on('close', () => this.opts.log?.(`${server} ${method} ${url} ${rec.status ?? '-'}`));

    const path = url.split('?')[0]!;
    const applies = (spec: FaultSpec) => spec.kind !== 'refuse' && (spec.server === undefined || spec.server === server) && (spec.path === undefined || path.startsWith(spec.path));
    if (await this.faults.intercept(res, applies, server === 'admin' ? '{"type":"delegate","path":"/svc' : '{"service":"/svc')) return;
    if (server === 'admin') return this.handleAdmin(method, url, body, req, res);
    const router = this.routers.get(server)!;
    await this.handleRouter(router, method, url, req, res);
  }

  private send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  // ---- admin -----------------------------------------------------------------------------------

  private async handleAdmin(method: string, url: string, body: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(url, 'http://127.0.0.1');
    switch (u.pathname) {
      case '/admin/ping':
        return this.send(res, 200, 'pong', { 'Content-Type': 'text/plain' });
      case '/admin/metrics.json': {
        const m = this.metrics();
        return this.send(res, 200, u.searchParams.get('pretty') === 'true' ? prettyMetrics(m) : JSON.stringify(m), { 'Content-Type': 'application/json' });
      }
      case '/delegator.json':
        return this.delegator(method, u, body, req, res);
      default:
        return this.send(res, 404, '');
    }
  }

  /** DelegateApiHandler.apply */
  private async delegator(method: string, u: URL, body: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (method === 'POST') {
      // The whole Content-Type value must be `application/json` (a Set lookup in Linkerd).
      if (req.headers['content-type'] !== 'application/json') return this.send(res, 415, '');
      const r = this.readDelegationRequest(body);
      if (!r) return this.send(res, 400, `Malformed delegation request: ${body}`);
      return this.delegateResponse(res, r.namespace, r.dtab, r.path);
    }
    if (method === 'GET') {
      const p = u.searchParams;
      return this.delegateResponse(res, p.get('namespace') ?? undefined, p.get('dtab') ?? undefined, p.get('path') ?? undefined);
    }
    return this.send(res, 405, '');
  }

  /** Jackson over DelegationRequest(namespace, dtab, path: Option[String]); dtab and path required. */
  private readDelegationRequest(body: string): { namespace?: string; dtab: string; path: string } | undefined {
    let v: unknown;
    try {
      v = JSON.parse(body);
    } catch {
      return undefined;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    const str = (x: unknown): string | undefined | false =>
      x === undefined || x === null ? undefined : typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : false;
    const ns = str(o.namespace);
    const dtab = str(o.dtab);
    const path = str(o.path);
    if (ns === false || dtab === false || path === false || dtab === undefined || path === undefined) return undefined;
    return { ...(ns !== undefined ? { namespace: ns } : {}), dtab, path };
  }

  private async delegateResponse(res: ServerResponse, namespace: string | undefined, dtabText: string | undefined, pathText: string | undefined): Promise<void> {
    let interpreter = this.bareInterpreter;
    if (namespace !== undefined) {
      const r = this.routers.get(namespace);
      if (!r) return this.send(res, 501, `Name Interpreter for ${namespace} cannot show delegations`);
      interpreter = r.interpreter;
    }
    let dtab = Dtab.empty;
    if (dtabText !== undefined) {
      const syntax = parseDtab(dtabText);
      if (syntax.errors.length > 0) return this.send(res, 400, `Invalid dtab: ${syntax.errors[0]!.finagleMessage}`);
      dtab = lowerDtab(syntax);
    }
    // A missing path is Path.read(null): a NullPointerException, whose message is null (Java 8).
    if (pathText === undefined) return this.send(res, 400, 'Invalid path: null');
    const parsed = parsePath(pathText);
    if (!parsed.ok) return this.send(res, 400, `Invalid path: ${parsed.error.finagleMessage}`);
    const budget = this.opts.delegateTimeoutMs ?? 2_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const tree = await Promise.race([
        interpreter.delegate(dtab, lowerPath(parsed.value)),
        new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), budget))),
      ]);
      if (tree === 'timeout') return this.send(res, 503, 'Request timed out.');
      return this.send(res, 200, delegateTreeToJsonText(tree), { 'Content-Type': 'application/json' });
    } catch {
      // Finagle's HTTP server turns a failed future into a bare 500.
      return this.send(res, 500, '');
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- routers ---------------------------------------------------------------------------------

  private linkerdError(res: ServerResponse, status: number, message: string, retryable = false): void {
    const max = this.opts.maxHeaderSize ?? 8 * 1024;
    const header = encodeL5dErr(message);
    const body = message.slice(0, this.opts.maxErrResponseSize ?? 5 * 1024 * 1024);
    this.send(res, status, body, {
      'l5d-err': header.length > max ? header.slice(0, max) : header,
      ...(retryable ? { 'l5d-retryable': 'true' } : {}),
      'Content-Type': 'text/plain',
    });
  }

  private async handleRouter(router: Router, method: string, url: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const label = router.label;
    const serverScope = `rt/${label}/server/127.0.0.1/${router.listener.port}`;
    const scopes: { service?: string; client?: string } = {};
    this.count(`${serverScope}/requests`);
    res.on('finish', () => {
      const ok = res.statusCode < 500;
      for (const scope of [serverScope, scopes.service, scopes.client]) {
        if (scope === undefined) continue;
        this.count(`${scope}/${ok ? 'success' : 'failures'}`);
        if (scope !== scopes.service) this.count(`${scope}/status/${res.statusCode}`);
      }
    });

    // Headers.Ctx.Dtab.ServerFilter: l5d-ctx-dtab, then l5d-dtab, every occurrence, Dtab.read each.
    const local: Dentry[] = [];
    for (const key of ['l5d-ctx-dtab', 'l5d-dtab']) {
      for (const v of getAll(req, key)) {
        const syntax = parseDtab(v);
        if (syntax.errors.length > 0) return this.linkerdError(res, 400, syntax.errors[0]!.finagleMessage);
        local.push(...lowerDtab(syntax).dentries);
      }
    }
    const localDtab = new Dtab(local);

    // io.l5d.header.token on Host: absent or empty → UnknownDst → 400 (ErrorResponder).
    const host = req.headers.host;
    if (host === undefined || host === '') {
      const from = `/${req.socket.remoteAddress}:${req.socket.remotePort}`;
      return this.linkerdError(res, 400, `Unknown destination: Request("${method} ${url}", from ${from}) / Host header is absent`);
    }
    const name = ['svc', host];
    const service = showPath(name);
    scopes.service = `rt/${label}/service/${service.slice(1)}`;
    this.count(`${scopes.service}/requests`);

    const effective = new Dtab([...router.dtab.dentries, ...local]);
    let tree: BoundTree;
    try {
      tree = await router.interpreter.bind(effective, name);
    } catch (e) {
      return this.linkerdError(res, 502, (e as Error).message || (e as Error).name);
    }
    const bound = this.pick(tree);
    if (!bound || bound.addr.type === 'neg' || (bound.addr.type === 'bound' && bound.addr.addrs.length === 0)) {
      return this.linkerdError(res, 502, unableToRoute(service, router.dtab, localDtab));
    }
    if (bound.addr.type === 'failed') return this.linkerdError(res, 502, bound.addr.cause);
    const client = showPath(bound.id);
    scopes.client = `rt/${label}/client/${client.slice(1)}`;
    this.count(`${scopes.client}/requests`);
    const behaviour = this.clients.get(client);
    if (behaviour) {
      const b = behaviour.behaviour;
      const n = ++behaviour.seen;
      const rate = b.failureRate ?? 0;
      const status = b.status ?? (Math.floor(n * rate) > Math.floor((n - 1) * rate) ? (b.failureStatus ?? 500) : undefined);
      if (status !== undefined && status !== 200) {
        return this.send(res, status, b.body ?? '{"error":"failed by the stand-in"}', { 'Content-Type': 'application/json', 'l5d-dst-client': client });
      }
    }
    const address = bound.addr.type === 'bound' ? `${bound.addr.addrs[0]!.ip}:${bound.addr.addrs[0]!.port}` : null;
    const residual = bound.residual.length > 0 ? showPath(bound.residual) : undefined;
    const reqid = this.opts.requestIds?.() ?? randomBytes(8).toString('hex');
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'l5d-dst-service': service,
      'l5d-dst-client': client,
      ...(residual !== undefined ? { 'l5d-dst-residual': residual } : {}),
      'l5d-reqid': reqid,
      ...(localDtab.size > 0 ? { 'l5d-ctx-dtab': showDtab(localDtab) } : {}),
    };
    const answer = { service, client, residual: residual ?? '/', address, dtab: showDtab(localDtab) };
    this.send(res, 200, JSON.stringify(answer), headers);
  }

  /** One request's way through a bound tree: a union branch by weight; neg, fail, empty: none. */
  private pick(tree: BoundTree): BoundName | undefined {
    switch (tree.type) {
      case 'leaf':
        return tree.value;
      case 'alt':
        for (const t of tree.trees) {
          const b = this.pick(t);
          if (b) return b;
        }
        return undefined;
      case 'union': {
        const total = tree.trees.reduce((s, w) => s + w.weight, 0);
        let x = (this.opts.random ?? Math.random)() * total;
        for (const w of tree.trees) {
          x -= w.weight;
          if (x < 0) return this.pick(w.tree);
        }
        return tree.trees.length > 0 ? this.pick(tree.trees[tree.trees.length - 1]!.tree) : undefined;
      }
      default:
        return undefined;
    }
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const routers: RouterSpec[] = [];
  let adminPort = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--router') {
      const v = args[++i] ?? '';
      const eq = v.indexOf('=');
      routers.push({ label: v.slice(0, eq), dtab: v.slice(eq + 1) });
    } else if (args[i] === '--admin-port') adminPort = Number(args[++i]);
  }
  if (routers.length === 0) routers.push({ label: 'http', dtab: '/svc=>/$/inet/127.1' });
  void startLinkerdStandin({ routers, adminPort, log: (l) => console.log(l) }).then((s) => {
    console.log(`admin: ${s.adminUrl}`);
    for (const r of routers) console.log(`router ${r.label}: ${s.routerUrl(r.label)}`);
  });
}
