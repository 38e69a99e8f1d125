// Zipkin's v2 query API (openzipkin/zipkin-api zipkin2-api.yaml; base path /api/v2, port 9411):
// services, span names, traces by query, one trace by id. All HTTP goes through remote/http.ts;
// answers are decoded with the core's validated decoders, so a malformed span is an error naming
// the span and the field. Errors name the server, the endpoint and the status.

import { decodeStrings, decodeTrace, decodeTraces, normalizeTraceId, type Decoded, type ZipkinSpan } from '../core/index.js';
import { joinUrl, request, serverOf, statusText, type HttpResponse } from './http.js';

export type ZipkinErrorKind = 'not-found' | 'unauthorized' | 'forbidden' | 'server' | 'protocol' | 'invalid';

/** Zipkin answered, but not with what was asked for (a status other than 200, or a body that is not the API's). */
export class ZipkinError extends Error {
  constructor(
    readonly kind: ZipkinErrorKind,
    /** `scheme://host:port` of the server. */
    readonly server: string,
    /** The HTTP status, when it is the status that was wrong. */
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface ZipkinQuery {
  readonly serviceName?: string;
  readonly spanName?: string;
  /** `http.uri=/foo and retried`: `k=v` matches a tag, a bare word an annotation or a tag key. */
  readonly annotationQuery?: string;
  readonly minDurationUs?: number;
  readonly maxDurationUs?: number;
  readonly lookbackMs?: number;
  /** Epoch ms (Zipkin's default: now). */
  readonly endTs?: number;
  readonly limit?: number;
}

export interface ZipkinClientOptions {
  /** Sent as the Authorization header (a Zipkin behind a proxy). */
  readonly authorization?: string;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
}

/** The first line of a body, cut, for messages. */
function snippet(body: string): string {
  const line = body.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

const wholeNonNegative = (n: number | undefined): boolean => n === undefined || (Number.isSafeInteger(n) && n >= 0);

export class ZipkinClient {
  private readonly server: string;

  constructor(
    readonly base: URL,
    private readonly opts: ZipkinClientOptions = {},
  ) {
    this.server = serverOf(base);
  }

  private async get(path: string, query: Record<string, string | undefined> = {}): Promise<unknown> {
    const url = joinUrl(this.base, `/api/v2${path}`, query);
    const res = await request({
      url,
      headers: { accept: 'application/json', ...(this.opts.authorization !== undefined ? { authorization: this.opts.authorization } : {}) },
      ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
    });
    const where = `${this.server}${url.pathname}`;
    if (res.status !== 200) throw this.statusError(where, res);
    if (res.truncated) throw new ZipkinError('protocol', this.server, undefined, `${where} answered more than the body cap (${res.bytes} bytes): ask for fewer traces`);
    try {
      return JSON.parse(res.body) as unknown;
    } catch {
      throw new ZipkinError('protocol', this.server, undefined, `${where} answered with something that is not JSON: ${snippet(res.body) || '(empty)'}`);
    }
  }

  private statusError(where: string, res: HttpResponse): ZipkinError {
    const kind: ZipkinErrorKind = res.status === 404 ? 'not-found' : res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'server';
    const body = snippet(res.body);
    return new ZipkinError(kind, this.server, res.status, `${where} answered ${statusText(res)}${body ? `: ${body}` : ''}`);
  }

  private decoded<T>(path: string, d: Decoded<T>): T {
    if (!d.ok) throw new ZipkinError('protocol', this.server, undefined, `${this.server}${joinUrl(this.base, `/api/v2${path}`).pathname} answered something that is not Zipkin's: ${d.error}`);
    return d.value;
  }

  /** `GET /api/v2/services`: the service names (Zipkin lower-cases them). */
  async services(): Promise<string[]> {
    return this.decoded('/services', decodeStrings(await this.get('/services')));
  }

  /** `GET /api/v2/spans?serviceName=`: the span names a service recorded. */
  async spanNames(service: string): Promise<string[]> {
    return this.decoded('/spans', decodeStrings(await this.get('/spans', { serviceName: service })));
  }

  /** `GET /api/v2/traces`: the traces matching a query, each an array of spans. */
  async traces(q: ZipkinQuery = {}): Promise<ZipkinSpan[][]> {
    for (const [k, v] of [['minDurationUs', q.minDurationUs], ['maxDurationUs', q.maxDurationUs], ['lookbackMs', q.lookbackMs], ['endTs', q.endTs], ['limit', q.limit]] as const) {
      if (!wholeNonNegative(v)) throw new ZipkinError('invalid', this.server, undefined, `${k} must be a whole number of at least 0, not ${v}`);
    }
    const str = (n: number | undefined) => (n === undefined ? undefined : String(n));
    const json = await this.get('/traces', {
      serviceName: q.serviceName,
      spanName: q.spanName,
      annotationQuery: q.annotationQuery,
      minDuration: str(q.minDurationUs),
      maxDuration: str(q.maxDurationUs),
      endTs: str(q.endTs),
      lookback: str(q.lookbackMs),
      limit: str(q.limit),
    });
    return this.decoded('/traces', decodeTraces(json));
  }

  /** `GET /api/v2/trace/{id}`: one trace (a 16 or 32 hex id; upper case is lowered); 404 → kind `not-found`. */
  async trace(id: string): Promise<ZipkinSpan[]> {
    const traceId = normalizeTraceId(id);
    if (traceId === undefined) throw new ZipkinError('invalid', this.server, undefined, `not a trace id: ${JSON.stringify(id)} (16 or 32 hex characters, as l5d-reqid)`);
    const path = `/trace/${traceId}`;
    return this.decoded(path, decodeTrace(await this.get(path)));
  }
}
