// A namerd `io.l5d.httpController` stand-in for tests (§5 of the dtab reference): an in-memory
// dtab store with namerd's versions, the dtab CRUD routes with namerd's statuses and bodies,
// watch streams, and delegate/bind/addr/resolve answered by the core's interpreter over namers
// given at start. Controlled from tests: set/remove/get namespaces, a request log, faults, and a
// hook that runs between a client's read and its write.
//
//   const nd = await startNamerdStandin({ namespaces: { prod: '/svc=>/#/io.l5d.fs' }, namers: { '/#/io.l5d.fs/web': ['127.0.0.1:8080'] } });
//   manually: npx tsx test/namerd/standin.ts --port 4180 --dtab prod=prod.dtab [--namer /#/io.l5d.fs/web=127.0.0.1:8080]

import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import {
  decodeDentries,
  delegateTreeToJsonText,
  Dtab,
  encodeAddr,
  encodeBound,
  Interpreter,
  JavaDouble,
  jsonDentries,
  leaf,
  lowerDtab,
  lowerPath,
  NEG,
  parseDtab,
  parsePath,
  showDtab,
  startsWith,
  SystemNamer,
  boundAddr,
  boundName,
  writeJson,
  type BoundTree,
  type ConfiguredNamer,
  type Path,
} from '../../core/index.js';
import { Faults, Listener, type FaultHandle } from '../support/standin-http.js';

export type { FaultHandle } from '../support/standin-http.js';

export type Namers = Readonly<Record<string, readonly string[]>>;

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly ifMatch: string | undefined;
  readonly body: string;
  status: number;
}

export interface RequestMatch {
  readonly method?: string;
  /** The request path starts with this. */
  readonly path?: string;
  /** Only watch requests (`watch=true`), or only the others. */
  readonly watch?: boolean;
}

export type FaultSpec =
  /** The listener closes and open connections are destroyed: connection refused until clear(). */
  | { readonly kind: 'refuse' }
  /** Matching requests wait `ms` (or, without it, until clear() or stop()) before being served. */
  | { readonly kind: 'delay'; readonly ms?: number; readonly match?: RequestMatch; readonly times?: number }
  /** Matching requests get this status and body (default: empty). */
  | { readonly kind: 'status'; readonly code: number; readonly body?: string; readonly match?: RequestMatch; readonly times?: number }
  /** Matching requests get 200 with a JSON body cut short. */
  | { readonly kind: 'malformed'; readonly match?: RequestMatch; readonly times?: number }
  /** Matching watches get their status and headers, then nothing, ever. */
  | { readonly kind: 'stall-watch'; readonly match?: RequestMatch; readonly times?: number };

/** Runs before a write (PUT, POST, DELETE on a namespace) is applied: make a concurrent change here. */
export type WriteHook = (write: { readonly method: string; readonly ns: string }) => void | Promise<void>;

export interface StandinOptions {
  /** Namespaces at start: name → dtab text. */
  readonly namespaces?: Readonly<Record<string, string>>;
  /** Bound ids → `ip:port` addresses, e.g. `{ '/#/io.l5d.fs/web': ['127.0.0.1:8080'] }`; namers answer under `/#/<kind>`. */
  readonly namers?: Namers;
  /** Requests without `Authorization: Bearer <token>` get 401 (an auth proxy in front of namerd). */
  readonly token?: string;
  /** Requests without this HTTP basic user get 401. */
  readonly basic?: { readonly user: string; readonly password: string };
  /** Default 0: an ephemeral port. Always 127.0.0.1. */
  readonly port?: number;
}

export interface NamerdStandin {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Creates or replaces a namespace (version bumped); throws on a dtab that does not parse. */
  set(ns: string, text: string): void;
  remove(ns: string): boolean;
  /** The stored dtab (Dtab.show) and its version. */
  get(ns: string): { version: string; text: string } | undefined;
  /** Sets the addresses of a bound id (watches of bind/addr/resolve see it). */
  setAddrs(id: string, addrs: readonly string[] | undefined): void;
  readonly requests: RequestRecord[];
  fault(spec: FaultSpec): Promise<FaultHandle>;
  beforeWrite(hook: WriteHook | undefined): void;
  /** How many watch streams are open. */
  readonly openWatches: number;
  stop(): Promise<void>;
}

/** A version as namerd's in-memory store makes it: standard Base64 of an 8-byte big-endian counter. */
export function versionOf(n: number): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b.toString('base64');
}

interface Stored {
  dtab: Dtab;
  counter: number;
}

interface Watch {
  /** The current representation, or undefined for nothing to send now. */
  readonly render: () => Promise<string | undefined>;
  readonly res: http.ServerResponse;
  last: string | undefined;
  stalled: boolean;
  busy: Promise<void>;
}

const MEDIA = ['application/json', 'application/dtab', 'text/plain'] as const;
type Media = (typeof MEDIA)[number];

/** §5.2: the Accept header's media types in header order, q ignored; the first known one, else JSON. */
export function chooseMedia(accept: string | undefined): Media {
  for (const part of (accept ?? '').split(',')) {
    const t = part.split(';')[0]!.trim().toLowerCase();
    if ((MEDIA as readonly string[]).includes(t)) return t as Media;
  }
  return 'application/json';
}

function mediaType(ct: string | undefined): string | undefined {
  if (ct === undefined) return undefined;
  return ct.split(';')[0]!.trim().toLowerCase();
}

function isWatch(q: URLSearchParams): boolean {
  const w = (q.get('watch') ?? '').toLowerCase();
  return w === '1' || w === 't' || w === 'true';
}

function pathOf(text: string): Path {
  return text.split('/').filter((e) => e !== '');
}

class Standin implements NamerdStandin {
  readonly requests: RequestRecord[] = [];
  private readonly store = new Map<string, Stored>();
  private readonly addrs = new Map<string, readonly string[]>();
  private readonly watches = new Set<Watch>();
  // node:http's server as it comes (a request without Host is 400); closing it ends the watches.
  private readonly listener = new Listener((req, res) => void this.handle(req, res), {
    create: (handler) => http.createServer(handler),
    beforeClose: () => {
      for (const w of this.watches) w.res.destroy();
      this.watches.clear();
    },
  });
  private readonly faults = new Faults<FaultSpec>(() => [this.listener]);
  private hook: WriteHook | undefined;
  private readonly interpreter: Interpreter;

  constructor(private readonly opts: StandinOptions) {
    for (const [ns, text] of Object.entries(opts.namespaces ?? {})) this.set(ns, text);
    for (const [id, a] of Object.entries(opts.namers ?? {})) this.addrs.set(showId(id), a);
    this.interpreter = new Interpreter(this.configuredNamers(), new SystemNamer());
  }

  get port(): number {
    return this.listener.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** One namer per `/#/<kind>` among the given ids; each answers the ids under it (longest first). */
  private configuredNamers(): ConfiguredNamer[] {
    const prefixes = new Map<string, Path>();
    for (const id of this.addrs.keys()) {
      const p = pathOf(id);
      if (p.length >= 2) prefixes.set(`${p[0]}/${p[1]}`, p.slice(0, 2));
    }
    return [...prefixes.values()].map((prefix) => ({
      prefix,
      namer: {
        lookup: (rest: Path) => {
          const full = [...prefix, ...rest];
          let best: Path | undefined;
          for (const id of this.addrs.keys()) {
            const p = pathOf(id);
            if (startsWith(full, p) && p.length > prefix.length && (best === undefined || p.length > best.length)) best = p;
          }
          if (best === undefined) return NEG;
          return leaf(boundName(best, full.slice(best.length), boundAddr(this.addrList('/' + best.join('/')))));
        },
      },
    }));
  }

  private addrList(id: string) {
    return (this.addrs.get(id) ?? []).map((a) => {
      const i = a.lastIndexOf(':');
      return { ip: a.slice(0, i), port: Number(a.slice(i + 1)), meta: {} };
    });
  }

  listen(port: number): Promise<void> {
    return this.listener.listen(port);
  }

  // ---- control ----

  set(ns: string, text: string): void {
    const syntax = parseDtab(text);
    if (syntax.errors.length > 0) throw new Error(`namerd stand-in: ${ns}: ${syntax.errors[0]!.finagleMessage}`);
    this.put(ns, lowerDtab(syntax));
  }

  private put(ns: string, dtab: Dtab): void {
    const old = this.store.get(ns);
    this.store.set(ns, { dtab, counter: old ? old.counter + 1 : 1 });
    this.changed();
  }

  remove(ns: string): boolean {
    const had = this.store.delete(ns);
    if (had) this.changed();
    return had;
  }

  get(ns: string): { version: string; text: string } | undefined {
    const s = this.store.get(ns);
    return s && { version: versionOf(s.counter), text: showDtab(s.dtab) };
  }

  setAddrs(id: string, addrs: readonly string[] | undefined): void {
    if (addrs === undefined) this.addrs.delete(showId(id));
    else this.addrs.set(showId(id), addrs);
    this.changed();
  }

  beforeWrite(hook: WriteHook | undefined): void {
    this.hook = hook;
  }

  get openWatches(): number {
    return this.watches.size;
  }

  fault(spec: FaultSpec): Promise<FaultHandle> {
    return this.faults.add(spec);
  }

  async stop(): Promise<void> {
    this.faults.stop();
    await this.listener.close();
  }

  // ---- serving ----

  private changed(): void {
    for (const w of this.watches) void this.push(w);
  }

  private push(w: Watch): Promise<void> {
    w.busy = w.busy.then(async () => {
      if (w.stalled || w.res.destroyed) return;
      let line: string | undefined;
      try {
        line = await w.render();
      } catch (e) {
        // §5.3: a failing bind writes its message and closes the stream.
        w.res.end(`${(e as Error).message}\n`);
        this.watches.delete(w);
        return;
      }
      if (line === undefined || line === w.last) return;
      w.last = line;
      w.res.write(line + '\n');
    });
    return w.busy;
  }

  /** Whether a fault applies to a request (a watch, or not). */
  private applies(spec: FaultSpec, rec: RequestRecord, watch: boolean): boolean {
    if (spec.kind === 'refuse') return false;
    const m = spec.match;
    if (m?.method !== undefined && m.method.toUpperCase() !== rec.method) return false;
    if (m?.path !== undefined && !rec.path.startsWith(m.path)) return false;
    if (m?.watch !== undefined && m.watch !== watch) return false;
    return spec.kind !== 'stall-watch' || watch;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const rec: RequestRecord = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ifMatch: headers['if-match'],
      body,
      status: 0,
    };
    this.requests.push(rec);
    const send = (status: number, text = '', extra: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, { ...extra, 'content-length': String(Buffer.byteLength(text)) });
      res.end(rec.method === 'HEAD' ? undefined : text);
    };
    if (!this.authorized(headers.authorization)) return send(401, '', { 'www-authenticate': this.opts.token !== undefined ? 'Bearer' : 'Basic realm="namerd"' });
    const watch = isWatch(url.searchParams);
    // The first fault that applies, only.
    const f = this.faults.matching((spec) => this.applies(spec, rec, watch)).next().value;
    if (f?.spec.kind === 'delay') {
      const ms = f.spec.ms;
      await (ms === undefined ? f.released : Promise.race([f.released, new Promise<void>((resolve) => setTimeout(resolve, ms))]));
      // Down: refused or stopped meanwhile.
      if (res.destroyed || !this.listener.server) return;
    }
    if (f?.spec.kind === 'status') return send(f.spec.code, f.spec.body ?? '');
    if (f?.spec.kind === 'malformed') return send(200, '[{"prefix":"/a","dst', { 'content-type': 'application/json' });
    try {
      await this.route(rec, url, res, send, watch, f?.spec.kind === 'stall-watch');
    } catch (e) {
      if (!res.headersSent) send(500, `${(e as Error).message}\n`);
      else res.destroy();
    }
  }

  private authorized(auth: string | undefined): boolean {
    if (this.opts.token !== undefined && auth !== `Bearer ${this.opts.token}`) return false;
    if (this.opts.basic !== undefined && auth !== `Basic ${Buffer.from(`${this.opts.basic.user}:${this.opts.basic.password}`).toString('base64')}`) return false;
    return true;
  }

  private openWatch(rec: RequestRecord, res: http.ServerResponse, headers: Record<string, string>, render: () => Promise<string | undefined>, stalled: boolean): Promise<void> {
    rec.status = 200;
    res.writeHead(200, headers);
    res.flushHeaders();
    const w: Watch = { render, res, last: undefined, stalled, busy: Promise.resolve() };
    this.watches.add(w);
    res.on('close', () => this.watches.delete(w));
    return this.push(w);
  }

  private async route(rec: RequestRecord, url: URL, res: http.ServerResponse, send: (status: number, text?: string, extra?: Record<string, string>) => void, watch: boolean, stall: boolean): Promise<void> {
    const p = rec.path;
    const q = url.searchParams;
    if (p === '/api/1/dtabs' || p === '/api/1/dtabs/') {
      if (watch) return this.openWatch(rec, res, { 'content-type': 'application/json' }, async () => JSON.stringify([...this.store.keys()]), stall);
      return send(200, JSON.stringify([...this.store.keys()].sort()) + '\n', { 'content-type': 'application/json' });
    }
    const under = (route: string) => (p.startsWith(route + '/') && p.length > route.length + 1 ? decodeURIComponent(p.slice(route.length + 1)) : undefined);
    let ns: string | undefined;
    if ((ns = under('/api/1/dtabs')) !== undefined) return this.dtabs(rec, ns, res, send, watch, stall);
    if (p === '/api/1/delegate' && (rec.method === 'GET' || rec.method === 'POST')) return this.delegate(undefined, q, send);
    if ((ns = under('/api/1/delegate')) !== undefined && rec.method === 'GET') return this.delegate(ns, q, send);
    for (const kind of ['bind', 'addr', 'resolve'] as const) {
      if ((ns = under(`/api/1/${kind}`)) !== undefined && rec.method === 'GET') {
        const raw = q.get('path');
        if (raw === null) return send(500, 'java.lang.NullPointerException\n');
        const parsed = parsePath(raw);
        if (!parsed.ok) return send(400, `Invalid path: ${raw} / ${parsed.error.finagleMessage}\n`);
        const path = lowerPath(parsed.value);
        const dtabParam = q.get('dtab');
        const extra = dtabParam === null ? Dtab.empty : this.parseParam(dtabParam);
        const name = ns;
        const render = async () => {
          if (kind === 'addr') return writeJson(await this.addrOf(path));
          const bound = await this.interpreter.bind(this.dtabFor(name, extra), path);
          return kind === 'bind' ? writeJson(encodeBoundTree(bound)) : writeJson(await this.resolveOf(bound));
        };
        const headers: Record<string, string> = kind === 'bind' ? {} : { 'content-type': 'application/json' };
        if (watch) return this.openWatch(rec, res, headers, render, stall);
        return send(200, (await render()) + '\n', headers);
      }
    }
    if (p === '/api/1/bound-names' && rec.method === 'GET') {
      const ids = [...this.addrs.keys()];
      return send(200, JSON.stringify(ids.length === 0 ? [''] : ids) + '\n', { 'content-type': 'application/json' });
    }
    return send(404);
  }

  private parseParam(text: string): Dtab {
    const s = parseDtab(text);
    // namerd's handler throws on a malformed dtab parameter (500).
    if (s.errors.length > 0) throw new Error(s.errors[0]!.finagleMessage);
    return lowerDtab(s);
  }

  private dtabFor(ns: string | undefined, extra: Dtab): Dtab {
    const stored = ns === undefined ? undefined : this.store.get(ns)?.dtab;
    return stored ? new Dtab([...stored.dentries, ...extra.dentries]) : extra;
  }

  private async delegate(ns: string | undefined, q: URLSearchParams, send: (status: number, text?: string, extra?: Record<string, string>) => void): Promise<void> {
    const raw = q.get('path');
    if (raw === null) return send(500, 'java.lang.NullPointerException\n');
    const parsed = parsePath(raw);
    if (!parsed.ok) return send(400, `Invalid path: ${raw} / ${parsed.error.finagleMessage}\n`);
    const dtabParam = q.get('dtab');
    const extra = dtabParam === null || dtabParam === '' ? Dtab.empty : this.parseParam(dtabParam);
    const tree = await this.interpreter.delegate(this.dtabFor(ns, extra), lowerPath(parsed.value));
    send(200, delegateTreeToJsonText(tree) + '\n', { 'content-type': 'application/json' });
  }

  /** §5.3 addr: the id through namerd's namers only (no dtab). */
  private async addrOf(id: Path) {
    const bound = await this.interpreter.bind(Dtab.empty, id);
    switch (bound.type) {
      case 'leaf':
        return encodeAddr(bound.value.addr);
      case 'empty':
        return encodeAddr(boundAddr([]));
      case 'neg':
        return { type: 'neg' };
      case 'fail':
        return { type: 'failed', cause: 'name tree failed' };
      default:
        return { type: 'failed', cause: `${'/' + id.join('/')} is not a concrete bound id` };
    }
  }

  /** §5.3 resolve: one concrete id (union: weighted random; alt: the first that yields one), its addr. */
  private async resolveOf(tree: BoundTree) {
    let t: BoundTree | undefined = tree;
    while (t !== undefined) {
      if (t.type === 'leaf') return this.addrOf([...t.value.id]);
      if (t.type === 'union') {
        const total = t.trees.reduce((s, w) => s + w.weight, 0);
        let r = Math.random() * total;
        let pick: BoundTree | undefined = t.trees[t.trees.length - 1]?.tree;
        for (const w of t.trees) if ((r -= w.weight) < 0) { pick = w.tree; break; }
        t = pick;
      } else if (t.type === 'alt') t = t.trees.find((c) => c.type !== 'neg' && c.type !== 'fail' && c.type !== 'empty');
      else break;
    }
    return { type: 'neg' };
  }

  private async dtabs(rec: RequestRecord, ns: string, res: http.ServerResponse, send: (status: number, text?: string, extra?: Record<string, string>) => void, watch: boolean, stall: boolean): Promise<void> {
    switch (rec.method) {
      case 'GET': {
        const media = chooseMedia(rec.headers.accept);
        const show = (s: Stored) => (media === 'application/json' ? JSON.stringify(jsonDentries(s.dtab)) : showDtab(s.dtab));
        if (watch)
          return this.openWatch(rec, res, { 'content-type': media }, async () => {
            const s = this.store.get(ns);
            return s && show(s);
          }, stall);
        const s = this.store.get(ns);
        if (!s) return send(404);
        return send(200, show(s) + '\n', { 'content-type': media, etag: versionOf(s.counter) });
      }
      case 'HEAD': {
        const s = this.store.get(ns);
        return s ? send(200, '', { etag: versionOf(s.counter) }) : send(404);
      }
      case 'POST':
      case 'PUT': {
        const ct = rec.headers['content-type'];
        const media = mediaType(ct);
        let dtab: Dtab;
        if (media === 'application/json') {
          let v: unknown;
          try {
            v = JSON.parse(rec.body);
          } catch {
            return send(400);
          }
          const d = decodeDentries(v);
          if (!d.ok) return d.reason === 'null' ? send(400, `The dtab contains invalid dentries: ${rec.body}\n`) : send(400);
          dtab = d.dtab;
        } else if (media === 'application/dtab' || media === 'text/plain') {
          const s = parseDtab(rec.body);
          if (s.errors.length > 0) return send(400, `${s.errors[0]!.finagleMessage}\n`);
          dtab = lowerDtab(s);
        } else if (rec.method === 'POST') return send(400);
        else return send(400, `Invalid Content-Type "${ct ?? ''}". \n`);
        await this.hook?.({ method: rec.method, ns });
        const current = this.store.get(ns);
        if (rec.method === 'POST') {
          if (current) return send(409);
          this.put(ns, dtab);
          return send(204);
        }
        if (rec.ifMatch !== undefined) {
          if (!current) return send(404);
          if (rec.ifMatch !== versionOf(current.counter)) return send(412);
        }
        this.put(ns, dtab);
        return send(204);
      }
      case 'DELETE': {
        await this.hook?.({ method: rec.method, ns });
        return this.remove(ns) ? send(204) : send(404);
      }
      default:
        return send(404);
    }
  }
}

/** A bound id as the map key: its show form. */
function showId(id: string): string {
  return '/' + pathOf(id).join('/');
}

type Encodable = Parameters<typeof writeJson>[0];

/** §5.3: a bound tree through the delegate encoder with no paths or dentries. */
function encodeBoundTree(tree: BoundTree): Encodable {
  switch (tree.type) {
    case 'leaf':
      return { type: 'leaf', bound: encodeBound(tree.value) };
    case 'union':
      return { type: 'union', union: tree.trees.map((w) => ({ weight: new JavaDouble(w.weight), tree: encodeBoundTree(w.tree) })) };
    case 'alt':
      return { type: 'alt', alt: tree.trees.map(encodeBoundTree) };
    default:
      return { type: tree.type };
  }
}

export async function startNamerdStandin(opts: StandinOptions = {}): Promise<NamerdStandin> {
  const s = new Standin(opts);
  await s.listen(opts.port ?? 0);
  return s;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const namespaces: Record<string, string> = {};
  const namers: Record<string, string[]> = {};
  let port = 4180;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[++i] ?? '';
    const eq = v.indexOf('=');
    if (a === '--port') port = Number(v);
    else if (a === '--dtab' && eq > 0) namespaces[v.slice(0, eq)] = readFileSync(v.slice(eq + 1), 'utf8');
    else if (a === '--namer' && eq > 0) namers[v.slice(0, eq)] = v.slice(eq + 1).split(',');
    else {
      process.stderr.write('usage: tsx test/namerd/standin.ts [--port N] [--dtab NS=FILE]... [--namer /#/io.l5d.fs/NAME=IP:PORT[,IP:PORT]]...\n');
      process.exit(2);
    }
  }
  void startNamerdStandin({ namespaces, namers, port }).then((s) => process.stdout.write(`namerd stand-in on ${s.url}\n`));
}
