// A stand-in for Zipkin's v2 HTTP API (openzipkin/zipkin-api zipkin2-api.yaml), for tests: on
// 127.0.0.1 (an ephemeral port), the query endpoints (`/api/v2/services`, `/spans`, `/traces`,
// `/trace/{id}`, `/traceMany`) over the spans it holds, and `POST /api/v2/spans` (202) to load
// more. `linkerdTrace()` makes the spans Linkerd 1.x records for one routed request (spec §7.2).
//
//   const zk = await startZipkinStandin({ now: () => 1_700_000_000_000 });
//   zk.add(linkerdTrace({ traceId: '00000000000000ab', startUs: 1_699_999_999_000_000 }));
//   await request({ url: `${zk.url}/api/v2/trace/00000000000000ab` });
//   await zk.stop();
//
// Standalone (prints its URL; loads a few Linkerd traces):  npx tsx test/zipkin/standin.ts [--port N]

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Faults, Listener, readBody, type FaultHandle } from '../support/standin-http.js';

export type { FaultHandle } from '../support/standin-http.js';

/** A span as JSON (the stand-in serves what it was given; `add()` does not check it). */
export type JsonSpan = Record<string, unknown>;

export interface ZipkinStandinOptions {
  /** Epoch milliseconds: the default `endTs` (default Date.now). Tests pass a fixed clock. */
  readonly now?: () => number;
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  /** Told `METHOD url status` for every request once answered. */
  readonly log?: (line: string) => void;
}

export type FaultSpec =
  /** The listener (and its connections) closed: connections are refused until clear(), same port after. */
  | { readonly kind: 'refuse' }
  /** Requests held before they are handled: for `ms`, or (no `ms`) until clear() or stop(). */
  | { readonly kind: 'delay'; readonly ms?: number; readonly path?: string; readonly times?: number }
  /** Answer with this status (and body, headers) instead of handling the request. */
  | { readonly kind: 'status'; readonly code: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>>; readonly path?: string; readonly times?: number }
  /** 200 `application/json` with a body that is not JSON (default: a cut-off array). */
  | { readonly kind: 'malformed'; readonly body?: string; readonly path?: string; readonly times?: number };

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  status?: number;
}

export interface ZipkinStandin {
  /** `http://127.0.0.1:PORT` (the API is under `/api/v2`). */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Loads spans as they are (lower-casing service and span names, as Zipkin stores them). */
  add(spans: readonly JsonSpan[]): void;
  /** Every span held, in the order received. */
  spans(): readonly JsonSpan[];
  clearSpans(): void;
  fault(spec: FaultSpec): Promise<FaultHandle>;
  clearFaults(): Promise<void>;
  clearRequests(): void;
  stop(): Promise<void>;
}

export async function startZipkinStandin(opts: ZipkinStandinOptions = {}): Promise<ZipkinStandin> {
  const s = new Standin(opts);
  await s.listen(opts.port ?? 0);
  return s;
}

// ---- Linkerd's spans ---------------------------------------------------------------------------

export interface Attempt {
  /** The downstream's status (5xx: Linkerd classifies it a failure). */
  readonly status: number;
  readonly durationUs: number;
  /** From the server span's start (default: right after the previous attempt). */
  readonly offsetUs?: number;
}

export interface LinkerdTraceOptions {
  /** 16 (as `l5d-reqid`) or 32 lower-case hex characters. */
  readonly traceId: string;
  /** Epoch µs the router received the request. */
  readonly startUs: number;
  readonly router?: string;
  /** The server label, `<ip>/<port>` (default `0.0.0.0/4140`). */
  readonly serverLabel?: string;
  /** The logical name (default `/svc/dog`). */
  readonly service?: string;
  /** The bound id (default `/#/io.l5d.fs/dog`). */
  readonly client?: string;
  readonly residual?: string;
  readonly dtabBase?: string;
  readonly dtabLocal?: string;
  readonly method?: string;
  readonly uri?: string;
  readonly host?: string;
  /** One client span each; more than one: retries (default one 200 of 1 ms). */
  readonly attempts?: readonly Attempt[];
  /**
   * Linkerd failed the request itself: `Identification` (no service or client: 400), or
   * `ClientAcquisition` (binding failed: 502, `namer.failure`); neither has a client span.
   */
  readonly failure?: { readonly kind: 'Identification' | 'ClientAcquisition'; readonly namerFailure?: string; readonly status?: number };
  /** The downstream is a Finagle service too: it records a SERVER span sharing each client span's id. */
  readonly downstream?: string;
}

/** The id of the n-th span of a trace: the trace's low 64 bits, xor n (n = 0: the root span). */
export function spanIdOf(traceId: string, n: number): string {
  const low = BigInt(`0x${traceId.slice(-16)}`);
  return (low ^ BigInt(n)).toString(16).padStart(16, '0');
}

/**
 * The spans Linkerd 1.x records for one request through an HTTP router, as Zipkin's v2 API serves
 * them: the server span (service `0.0.0.0/4140`, tags `router.label`, `service`, `client`,
 * `residual`, `dtab.base`, `dtab.local`, `http.*`, `l5d.success`), then a client span per attempt
 * (service = the bound id without its leading `/`), failures tagged as Linkerd tags them.
 */
export function linkerdTrace(o: LinkerdTraceOptions): JsonSpan[] {
  const router = o.router ?? 'http';
  const service = o.service ?? '/svc/dog';
  const client = o.client ?? '/#/io.l5d.fs/dog';
  const method = o.method ?? 'GET';
  const uri = o.uri ?? '/';
  const rootId = spanIdOf(o.traceId, 0);
  const attempts = o.failure ? [] : (o.attempts ?? [{ status: 200, durationUs: 1000 }]);
  const spans: JsonSpan[] = [];
  let at = 100;
  const clientSpans: JsonSpan[] = [];
  attempts.forEach((a, i) => {
    const offset = a.offsetUs ?? at;
    at = offset + a.durationUs + 50;
    const ok = a.status < 500;
    const id = spanIdOf(o.traceId, i + 1);
    clientSpans.push({
      traceId: o.traceId,
      parentId: rootId,
      id,
      kind: 'CLIENT',
      name: `${method} ${uri.split('?')[0]}`.toLowerCase(),
      timestamp: o.startUs + offset,
      duration: a.durationUs,
      localEndpoint: { serviceName: client.replace(/^\//, '').toLowerCase(), ipv4: '127.0.0.1' },
      remoteEndpoint: { ipv4: '127.0.0.1', port: 8080 },
      annotations: [
        { timestamp: o.startUs + offset + 10, value: 'ws' },
        { timestamp: o.startUs + offset + a.durationUs - 10, value: 'wr' },
        ...(i > 0 ? [{ timestamp: o.startUs + offset, value: 'finagle.retry' }] : []),
        ...(ok ? [] : [{ timestamp: o.startUs + offset + a.durationUs - 5, value: 'l5d.failure' }]),
      ],
      tags: {
        'http.uri': uri,
        'http.req.method': method,
        'http.req.version': 'HTTP/1.1',
        'http.rsp.status': String(a.status),
        'http.rsp.version': 'HTTP/1.1',
        'l5d.success': ok ? '1.0' : '0.0',
      },
    });
    if (o.downstream !== undefined) {
      clientSpans.push({
        traceId: o.traceId,
        parentId: rootId,
        id,
        kind: 'SERVER',
        shared: true,
        name: `${method} ${uri.split('?')[0]}`.toLowerCase(),
        timestamp: o.startUs + offset + 20,
        duration: Math.max(1, a.durationUs - 40),
        localEndpoint: { serviceName: o.downstream.toLowerCase(), ipv4: '127.0.0.1', port: 8080 },
        tags: { 'http.rsp.status': String(a.status) },
      });
    }
  });
  const last = attempts[attempts.length - 1];
  const status = o.failure ? (o.failure.status ?? (o.failure.kind === 'Identification' ? 400 : 502)) : (last?.status ?? 200);
  const ok = status < 500 && !o.failure;
  const tags: Record<string, string> = {
    'router.label': router,
    ...(o.failure?.kind === 'Identification' ? {} : { service }),
    ...(o.failure ? {} : { client, residual: o.residual ?? '/' }),
    'dtab.base': o.dtabBase ?? '/svc=>/#/io.l5d.fs',
    'dtab.local': o.dtabLocal ?? '',
    'http.uri': uri,
    'http.req.method': method,
    ...(o.host !== undefined ? { 'http.req.host': o.host } : {}),
    'http.req.version': 'HTTP/1.1',
    'http.rsp.status': String(status),
    'http.rsp.version': 'HTTP/1.1',
    'l5d.success': ok ? '1.0' : '0.0',
    ...(o.failure ? { 'io.buoyant.router.Failure': o.failure.kind } : attempts.length > 0 && !ok ? { 'io.buoyant.router.Failure': 'Service' } : {}),
    ...(o.failure?.namerFailure !== undefined ? { 'namer.failure': o.failure.namerFailure } : {}),
  };
  const duration = Math.max(at + 50, 200);
  spans.push({
    traceId: o.traceId,
    id: rootId,
    kind: 'SERVER',
    name: `${router} ${o.failure?.kind === 'Identification' ? '' : service}`.trim().toLowerCase(),
    timestamp: o.startUs,
    duration,
    localEndpoint: { serviceName: (o.serverLabel ?? '0.0.0.0/4140').toLowerCase(), ipv4: '127.0.0.1', port: 4140 },
    remoteEndpoint: { ipv4: '127.0.0.1', port: 53124 },
    annotations: [
      { timestamp: o.startUs + 5, value: 'wr' },
      ...(o.failure ? [{ timestamp: o.startUs + 20, value: 'l5d.failure' }] : []),
      { timestamp: o.startUs + duration - 5, value: 'ws' },
    ],
    tags,
  });
  return [...spans, ...clientSpans];
}

// ---- the server --------------------------------------------------------------------------------

class BadRequest extends Error {}

const TRACE_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const localService = (s: JsonSpan): string | undefined => str((s.localEndpoint as Record<string, unknown> | undefined)?.serviceName);
const tagsOf = (s: JsonSpan): Record<string, unknown> => (typeof s.tags === 'object' && s.tags !== null ? (s.tags as Record<string, unknown>) : {});
const annotationValues = (s: JsonSpan): string[] =>
  Array.isArray(s.annotations) ? s.annotations.flatMap((a: unknown) => (typeof a === 'object' && a !== null && typeof (a as { value?: unknown }).value === 'string' ? [(a as { value: string }).value] : [])) : [];

/** A query parameter as a whole number of at least `min`, or its default. */
function integer(q: URLSearchParams, name: string, min: number, dflt?: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new BadRequest(`${name} should be an integer of at least ${min}: ${v}`);
  return Number(v);
}

/** One `annotationQuery` term: `k=v` (a tag with that value) or a word (an annotation value or a tag key). */
type Term = { readonly key: string; readonly value?: string };

function parseAnnotationQuery(text: string | null): Term[] {
  if (text === null || text.trim() === '') return [];
  return text
    .split(/\s+and\s+/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const eq = t.indexOf('=');
      return eq === -1 ? { key: t } : { key: t.slice(0, eq), value: t.slice(eq + 1) };
    });
}

function spanMatches(s: JsonSpan, q: { service?: string; spanName?: string; terms: Term[]; min?: number; max?: number }): boolean {
  if (q.service !== undefined && localService(s) !== q.service) return false;
  if (q.spanName !== undefined && str(s.name) !== q.spanName) return false;
  const tags = tagsOf(s);
  for (const t of q.terms) {
    const has = Object.prototype.hasOwnProperty.call(tags, t.key);
    if (t.value !== undefined ? !(has && tags[t.key] === t.value) : !(has || annotationValues(s).includes(t.key))) return false;
  }
  if (q.min !== undefined) {
    const d = num(s.duration);
    if (d === undefined || d < q.min || (q.max !== undefined && d > q.max)) return false;
  }
  return true;
}

/** A trace's time: its root span's timestamp, else the earliest (µs); undefined when none has one. */
function traceTime(spans: readonly JsonSpan[]): number | undefined {
  let earliest: number | undefined;
  for (const s of spans) {
    const t = num(s.timestamp);
    if (t === undefined) continue;
    if (s.parentId === undefined) return t;
    if (earliest === undefined || t < earliest) earliest = t;
  }
  return earliest;
}

class Standin implements ZipkinStandin {
  readonly requests: RecordedRequest[] = [];
  private readonly held: JsonSpan[] = [];
  private readonly listener = new Listener((req, res) => void this.handle(req, res));
  private readonly faults = new Faults<FaultSpec>(() => [this.listener]);

  constructor(private readonly opts: ZipkinStandinOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.listener.port}`;
  }

  listen(port: number): Promise<void> {
    return this.listener.listen(port);
  }

  add(spans: readonly JsonSpan[]): void {
    for (const s of spans) {
      const copy: JsonSpan = { ...s };
      if (typeof copy.name === 'string') copy.name = copy.name.toLowerCase();
      for (const k of ['localEndpoint', 'remoteEndpoint']) {
        const e = copy[k] as Record<string, unknown> | undefined;
        if (e && typeof e === 'object' && typeof e.serviceName === 'string') copy[k] = { ...e, serviceName: e.serviceName.toLowerCase() };
      }
      this.held.push(copy);
    }
  }

  spans(): readonly JsonSpan[] {
    return this.held;
  }

  clearSpans(): void {
    this.held.length = 0;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  fault(spec: FaultSpec): Promise<FaultHandle> {
    return this.faults.add(spec);
  }

  clearFaults(): Promise<void> {
    return this.faults.clearAll();
  }

  async stop(): Promise<void> {
    this.faults.stop();
    await this.listener.close();
  }

  /** Traces (spans grouped by trace id, in the order first seen). */
  private traces(): Map<string, JsonSpan[]> {
    const m = new Map<string, JsonSpan[]>();
    for (const s of this.held) {
      const id = str(s.traceId) ?? '';
      let t = m.get(id);
      if (!t) m.set(id, (t = []));
      t.push(s);
    }
    return m;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const body = await readBody(req);
    const rec: RecordedRequest = { method, url, headers: { ...req.headers }, body };
    this.requests.push(rec);
    res.on('finish', () => (rec.status = res.statusCode));
    res.on('close', () => this.opts.log?.(`${method} ${url} ${rec.status ?? '-'}`));
    const path = url.split('?')[0]!;
    if (await this.faults.intercept(res, (spec) => spec.kind !== 'refuse' && (spec.path === undefined || path.startsWith(spec.path)), '[{"traceId":"')) return;
    try {
      this.route(method, url, body, res);
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      this.text(res, 400, e.message);
    }
  }

  private json(res: ServerResponse, status: number, value: unknown): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private text(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private route(method: string, url: string, body: string, res: ServerResponse): void {
    const u = new URL(url, 'http://127.0.0.1');
    const q = u.searchParams;
    const p = u.pathname;
    if (p === '/api/v2/spans' && method === 'POST') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new BadRequest('Expected a JSON_V2 encoded list, but received: not JSON');
      }
      if (!Array.isArray(parsed) || !parsed.every((s: unknown) => typeof s === 'object' && s !== null && typeof (s as JsonSpan).traceId === 'string' && typeof (s as JsonSpan).id === 'string')) {
        throw new BadRequest('Expected a JSON_V2 encoded list of spans with traceId and id');
      }
      this.add(parsed as JsonSpan[]);
      res.writeHead(202, { 'Content-Length': 0 });
      res.end();
      return;
    }
    const known = ['/api/v2/services', '/api/v2/spans', '/api/v2/traces', '/api/v2/traceMany'];
    if (!known.includes(p) && !p.startsWith('/api/v2/trace/')) return this.text(res, 404, 'Not Found');
    if (method !== 'GET') return this.text(res, 405, 'Method Not Allowed');
    if (p === '/api/v2/services') {
      const names = new Set<string>();
      for (const s of this.held) {
        const n = localService(s);
        if (n !== undefined && n !== '') names.add(n);
      }
      return this.json(res, 200, [...names].sort());
    }
    if (p === '/api/v2/spans') {
      const service = q.get('serviceName');
      if (service === null || service === '') throw new BadRequest('serviceName is required');
      const names = new Set<string>();
      for (const s of this.held) {
        const n = str(s.name);
        if (localService(s) === service.toLowerCase() && n !== undefined && n !== '') names.add(n);
      }
      return this.json(res, 200, [...names].sort());
    }
    if (p === '/api/v2/traces') return this.json(res, 200, this.query(q));
    if (p === '/api/v2/traceMany') {
      const ids = (q.get('traceIds') ?? '').split(',');
      if (ids.length < 2 || !ids.every((id) => TRACE_ID.test(id)) || new Set(ids).size !== ids.length) {
        throw new BadRequest('traceIds should be a comma-delimited list of at least two unique lower-hex trace IDs');
      }
      const all = this.traces();
      return this.json(res, 200, ids.flatMap((id) => (all.has(id) ? [all.get(id)!] : [])));
    }
    const id = decodeURIComponent(p.slice('/api/v2/trace/'.length));
    if (!TRACE_ID.test(id)) throw new BadRequest(`traceId should be 16 or 32 lower-hex characters: ${id}`);
    const trace = this.traces().get(id);
    if (!trace) return this.text(res, 404, `${id} not found`);
    return this.json(res, 200, trace);
  }

  /** `/traces`, filtered as zipkin2-api.yaml says: see README.md. */
  private query(q: URLSearchParams): JsonSpan[][] {
    const endTs = integer(q, 'endTs', 1, this.opts.now?.() ?? Date.now())!;
    const lookback = integer(q, 'lookback', 1, endTs)!;
    const limit = integer(q, 'limit', 1, 10)!;
    const min = integer(q, 'minDuration', 0);
    const max = integer(q, 'maxDuration', 0);
    if (max !== undefined && min === undefined) throw new BadRequest('maxDuration is only valid with minDuration');
    if (max !== undefined && min !== undefined && max < min) throw new BadRequest('maxDuration should be >= minDuration');
    const service = q.get('serviceName') || undefined;
    const spanName = q.get('spanName') || undefined;
    const filter = {
      ...(service !== undefined ? { service: service.toLowerCase() } : {}),
      ...(spanName !== undefined && spanName !== 'all' ? { spanName: spanName.toLowerCase() } : {}),
      terms: parseAnnotationQuery(q.get('annotationQuery')),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    };
    const from = (endTs - lookback) * 1000;
    const to = endTs * 1000;
    const matched: { time: number; spans: JsonSpan[] }[] = [];
    for (const spans of this.traces().values()) {
      const time = traceTime(spans);
      if (time === undefined) continue;
      if (!spans.every((s) => num(s.timestamp) === undefined || (num(s.timestamp)! >= from && num(s.timestamp)! <= to))) continue;
      if (!spans.some((s) => spanMatches(s, filter))) continue;
      matched.push({ time, spans });
    }
    // Nearest to endTs first.
    matched.sort((a, b) => b.time - a.time);
    return matched.slice(0, limit).map((m) => m.spans);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--port');
  const port = i === -1 ? 0 : Number(args[i + 1]);
  void startZipkinStandin({ port, log: (l) => console.log(l) }).then((zk) => {
    const now = Date.now() * 1000;
    zk.add(linkerdTrace({ traceId: '00000000000000a1', startUs: now - 60_000_000 }));
    zk.add(linkerdTrace({ traceId: '00000000000000a2', startUs: now - 30_000_000, attempts: [{ status: 503, durationUs: 2000 }, { status: 200, durationUs: 1500 }], downstream: 'dog' }));
    zk.add(linkerdTrace({ traceId: '00000000000000a3', startUs: now - 10_000_000, failure: { kind: 'ClientAcquisition', namerFailure: 'com.twitter.finagle.NoBrokersAvailableException' } }));
    console.log(`zipkin: ${zk.url}  (traces 00000000000000a1, …a2, …a3)`);
  });
}
