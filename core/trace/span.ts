// Zipkin v2 spans (openzipkin/zipkin-api zipkin2-api.yaml, `definitions/Span`) and their validated
// decoding from JSON: whatever a server answers, a span either decodes into these types or the
// decoding fails with a message naming the span and the field, never a crash further on.

export type SpanKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

export interface Endpoint {
  readonly serviceName?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly port?: number;
}

export interface Annotation {
  /** Epoch microseconds. */
  readonly timestamp: number;
  readonly value: string;
}

export interface Span {
  /** 16 or 32 lower-case hex characters. */
  readonly traceId: string;
  /** 16 lower-case hex characters. */
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: SpanKind;
  /** Epoch microseconds. */
  readonly timestamp?: number;
  /** Microseconds. */
  readonly duration?: number;
  readonly debug?: boolean;
  /** A span started by another tracer (the server side of a client span with the same id). */
  readonly shared?: boolean;
  readonly localEndpoint?: Endpoint;
  readonly remoteEndpoint?: Endpoint;
  readonly annotations?: readonly Annotation[];
  readonly tags?: Readonly<Record<string, string>>;
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const TRACE_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const KINDS: readonly string[] = ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'];

/** A trace id as Zipkin takes it (16 or 32 hex characters; upper case is lowered), or undefined. */
export function normalizeTraceId(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  return TRACE_ID.test(t) ? t : undefined;
}

/** A value for a message: JSON, cut to 60 characters. */
function shown(v: unknown): string {
  let s: string;
  try {
    // What JSON cannot show (undefined, a function, a symbol): JSON.stringify gives undefined.
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

class DecodeError extends Error {}

function endpoint(v: unknown, where: string): Endpoint {
  if (!isObject(v)) throw new DecodeError(`${where} must be an object, not ${shown(v)}`);
  const out: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number } = {};
  for (const k of ['serviceName', 'ipv4', 'ipv6'] as const) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'string') throw new DecodeError(`${where}.${k} must be a string, not ${shown(x)}`);
    out[k] = x;
  }
  if (v.port !== undefined && v.port !== null) {
    if (!isCount(v.port) || v.port > 65535) throw new DecodeError(`${where}.port must be a port number, not ${shown(v.port)}`);
    out.port = v.port;
  }
  return out;
}

function span(v: unknown, where: string): Span {
  if (!isObject(v)) throw new DecodeError(`${where} must be an object, not ${shown(v)}`);
  const str = (k: string): string | undefined => {
    const x = v[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x !== 'string') throw new DecodeError(`${where}.${k} must be a string, not ${shown(x)}`);
    return x;
  };
  const traceId = str('traceId');
  if (traceId === undefined || !TRACE_ID.test(traceId)) throw new DecodeError(`${where}.traceId must be 16 or 32 lower-case hex characters, not ${shown(v.traceId)}`);
  const id = str('id');
  if (id === undefined || !SPAN_ID.test(id)) throw new DecodeError(`${where}.id must be 16 lower-case hex characters, not ${shown(v.id)}`);
  const parentId = str('parentId');
  if (parentId !== undefined && !SPAN_ID.test(parentId)) throw new DecodeError(`${where}.parentId must be 16 lower-case hex characters, not ${shown(parentId)}`);
  const name = str('name');
  const kind = str('kind');
  if (kind !== undefined && !KINDS.includes(kind)) throw new DecodeError(`${where}.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not ${shown(kind)}`);
  const out: {
    -readonly [K in keyof Span]: Span[K];
  } = { traceId, id };
  if (parentId !== undefined) out.parentId = parentId;
  if (name !== undefined) out.name = name;
  if (kind !== undefined) out.kind = kind as SpanKind;
  for (const k of ['timestamp', 'duration'] as const) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (!isCount(x)) throw new DecodeError(`${where}.${k} must be a whole number of microseconds, not ${shown(x)}`);
    out[k] = x;
  }
  for (const k of ['debug', 'shared'] as const) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'boolean') throw new DecodeError(`${where}.${k} must be true or false, not ${shown(x)}`);
    out[k] = x;
  }
  if (v.localEndpoint !== undefined && v.localEndpoint !== null) out.localEndpoint = endpoint(v.localEndpoint, `${where}.localEndpoint`);
  if (v.remoteEndpoint !== undefined && v.remoteEndpoint !== null) out.remoteEndpoint = endpoint(v.remoteEndpoint, `${where}.remoteEndpoint`);
  if (v.annotations !== undefined && v.annotations !== null) {
    if (!Array.isArray(v.annotations)) throw new DecodeError(`${where}.annotations must be an array, not ${shown(v.annotations)}`);
    out.annotations = v.annotations.map((a: unknown, i) => {
      const w = `${where}.annotations[${i}]`;
      if (!isObject(a)) throw new DecodeError(`${w} must be an object {timestamp, value}, not ${shown(a)}`);
      if (!isCount(a.timestamp)) throw new DecodeError(`${w}.timestamp must be a whole number of microseconds, not ${shown(a.timestamp)}`);
      if (typeof a.value !== 'string') throw new DecodeError(`${w}.value must be a string, not ${shown(a.value)}`);
      return { timestamp: a.timestamp, value: a.value };
    });
  }
  if (v.tags !== undefined && v.tags !== null) {
    if (!isObject(v.tags)) throw new DecodeError(`${where}.tags must be an object of strings, not ${shown(v.tags)}`);
    const tags: Record<string, string> = {};
    for (const [k, x] of Object.entries(v.tags)) {
      if (typeof x !== 'string') throw new DecodeError(`${where}.tags[${shown(k)}] must be a string, not ${shown(x)}`);
      // defineProperty: a tag named `__proto__` stays a tag.
      Object.defineProperty(tags, k, { value: x, enumerable: true, writable: true, configurable: true });
    }
    out.tags = tags;
  }
  return out;
}

function attempt<T>(f: () => T): Decoded<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e.message };
    throw e;
  }
}

/** One trace: an array of spans (`GET /api/v2/trace/{id}`). */
export function decodeTrace(json: unknown, where = 'the trace'): Decoded<Span[]> {
  return attempt(() => {
    if (!Array.isArray(json)) throw new DecodeError(`${where} must be an array of spans, not ${shown(json)}`);
    return json.map((s: unknown, i) => span(s, `span ${i}${where === 'the trace' ? '' : ` of ${where}`}`));
  });
}

/** A list of traces (`GET /api/v2/traces`, `/traceMany`). */
export function decodeTraces(json: unknown): Decoded<Span[][]> {
  return attempt(() => {
    if (!Array.isArray(json)) throw new DecodeError(`the answer must be an array of traces, not ${shown(json)}`);
    return json.map((t: unknown, i) => {
      const d = decodeTrace(t, `trace ${i}`);
      if (!d.ok) throw new DecodeError(d.error);
      return d.value;
    });
  });
}

/** An array of strings (`/services`, `/spans`). */
export function decodeStrings(json: unknown): Decoded<string[]> {
  return attempt(() => {
    if (!Array.isArray(json)) throw new DecodeError(`the answer must be an array of strings, not ${shown(json)}`);
    return json.map((s: unknown, i) => {
      if (typeof s !== 'string') throw new DecodeError(`item ${i} must be a string, not ${shown(s)}`);
      return s;
    });
  });
}

/** The span's service: its local endpoint's service name. */
export function serviceOf(s: Span): string | undefined {
  return s.localEndpoint?.serviceName;
}
