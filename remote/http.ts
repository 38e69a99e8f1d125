// The one HTTP client of the extension and the CLI (namerd, linkerd admin and routers, Zipkin).
// Plain node:http/https: every request has a timeout, a body cap, and errors that name the server and
// what happened; streams (`watch=true`) deliver whole lines and notice when they stall.

import * as http from 'node:http';
import * as https from 'node:https';

export interface HttpRequest {
  readonly url: string | URL;
  readonly method?: string;
  /** A list value sends the header once per element, in order (`l5d-dtab` is read per occurrence). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string;
  /** No answer (headers, then each chunk of the body) for this long fails the request (default 10 s). */
  readonly timeoutMs?: number;
  /** The most body bytes kept (default 16 MiB); beyond it the body is cut and `truncated` is set. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Accept any certificate (a server given by an `http:`-only habit behind a self-signed proxy). */
  readonly insecure?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  /** Header names in lower case; repeated headers joined by `, ` (set-cookie kept apart). */
  readonly headers: Readonly<Record<string, string>>;
  /** Headers as received, in order, names as sent. */
  readonly rawHeaders: readonly (readonly [string, string])[];
  readonly body: string;
  /** Bytes of body received (all of them, also when `truncated`). */
  readonly bytes: number;
  readonly truncated: boolean;
  /** Milliseconds from sending the request to the end of the body. */
  readonly timeMs: number;
}

export type HttpErrorKind = 'url' | 'refused' | 'timeout' | 'network' | 'aborted' | 'dns';

/** A request that got no HTTP answer: the message names the server and what happened. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    /** `scheme://host:port` of the server. */
    readonly server: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server part of a URL, for messages: `http://127.0.0.1:4180`. */
export function serverOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** Checks a base URL the user configured: http(s), a host, no credentials in it. */
export function parseBaseUrl(text: string): URL | string {
  const t = text.trim();
  if (t === '') return 'empty base URL';
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return `invalid base URL: ${text} (write it like http://namerd:4180)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `invalid base URL: ${text} (only http and https)`;
  if (url.hostname === '') return `invalid base URL: ${text} (no host)`;
  if (url.username !== '' || url.password !== '') return `invalid base URL: ${text} (put credentials in the stored secret, not in the URL)`;
  return url;
}

/** `base` + `path` (which starts with `/`), keeping the base's own path prefix, plus a query. */
export function joinUrl(base: URL, path: string, query: Readonly<Record<string, string | undefined>> = {}): URL {
  const url = new URL(base.href);
  url.pathname = base.pathname.replace(/\/+$/, '') + path;
  url.search = '';
  url.hash = '';
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

const DEFAULT_TIMEOUT = 10_000;
const DEFAULT_MAX = 16 * 1024 * 1024;

function describeSocketError(e: NodeJS.ErrnoException, server: string): HttpError {
  switch (e.code) {
    case 'ECONNREFUSED':
      return new HttpError('refused', server, `${server}: connection refused (is it running, and is this the right port?)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new HttpError('dns', server, `${server}: host not found (${e.code})`);
    case 'ECONNRESET':
      return new HttpError('network', server, `${server}: the connection was reset`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new HttpError('network', server, `${server}: unreachable (${e.code})`);
    default:
      return new HttpError('network', server, `${server}: ${e.message}`);
  }
}

function send(req: HttpRequest, onResponse: (res: http.IncomingMessage, start: number) => void, onError: (e: HttpError) => void): http.ClientRequest | undefined {
  let url: URL;
  try {
    url = typeof req.url === 'string' ? new URL(req.url) : req.url;
  } catch {
    onError(new HttpError('url', String(req.url), `invalid URL: ${String(req.url)}`));
    return undefined;
  }
  const server = serverOf(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    onError(new HttpError('url', server, `${url.href}: only http and https URLs`));
    return undefined;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k] = typeof v === 'string' ? v : [...v];
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const lib = url.protocol === 'https:' ? https : http;
  const start = performance.now();
  const r = lib.request(url, {
    method: req.method ?? 'GET',
    headers,
    signal: req.signal,
    agent: false,
    ...(url.protocol === 'https:' && req.insecure ? { rejectUnauthorized: false } : {}),
  });
  const timeout = req.timeoutMs ?? DEFAULT_TIMEOUT;
  r.setTimeout(timeout, () => r.destroy(new HttpError('timeout', server, `${server}: no answer within ${timeout / 1000} s`)));
  r.on('response', (res) => onResponse(res, start));
  r.on('error', (e) => {
    if (e instanceof HttpError) onError(e);
    else if (e.name === 'AbortError') onError(new HttpError('aborted', server, `${server}: request cancelled`));
    else onError(describeSocketError(e as NodeJS.ErrnoException, server));
  });
  r.end(req.body);
  return r;
}

function headersOf(res: http.IncomingMessage): { headers: Record<string, string>; raw: [string, string][] } {
  const raw: [string, string][] = [];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) raw.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
  const headers: Record<string, string> = {};
  for (const [k, v] of raw) {
    const key = k.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${v}` : v;
  }
  return { headers, raw };
}

/** One request; resolves with any HTTP status (the caller decides), rejects with an HttpError. */
export function request(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const max = req.maxBytes ?? DEFAULT_MAX;
    send(
      req,
      (res, start) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (kept < max) {
            const part = c.length > max - kept ? c.subarray(0, max - kept) : c;
            chunks.push(part);
            kept += part.length;
          }
        });
        res.on('end', () => {
          const { headers, raw } = headersOf(res);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers,
            rawHeaders: raw,
            body: Buffer.concat(chunks, kept).toString('utf8'),
            bytes,
            truncated: bytes > kept,
            timeMs: performance.now() - start,
          });
        });
        res.on('error', (e) => reject(e instanceof HttpError ? e : describeSocketError(e as NodeJS.ErrnoException, serverOf(new URL(String(req.url))))));
      },
      reject,
    );
  });
}

export interface LineStream {
  /** Stops the stream; no callback runs after this. */
  close(): void;
}

export interface StreamHandlers {
  /** The status line and headers arrived (a non-2xx status ends the stream after its body, given as one line). */
  onOpen?(status: number, headers: Readonly<Record<string, string>>): void;
  /** One line of the body, without its `\n`. */
  onLine(line: string): void;
  /** The stream ended: by the server (no error), by a failure, or by going quiet for `stallMs`. */
  onEnd(error?: HttpError): void;
}

/**
 * A long-lived GET whose body is a line per change (namerd's `watch=true`). A line longer than
 * `maxBytes` ends the stream with an error; nothing arriving for `stallMs` (default: never) too.
 */
export function streamLines(req: HttpRequest & { readonly stallMs?: number }, handlers: StreamHandlers): LineStream {
  let closed = false;
  let ended = false;
  const end = (e?: HttpError) => {
    if (ended || closed) return;
    ended = true;
    handlers.onEnd(e);
  };
  const max = req.maxBytes ?? DEFAULT_MAX;
  // The socket timeout covers the wait for headers; after them, `stallMs` (if any) watches the body.
  const r = send(
    { ...req, timeoutMs: req.timeoutMs ?? DEFAULT_TIMEOUT },
    (res) => {
      const server = serverOf(typeof req.url === 'string' ? new URL(req.url) : req.url);
      r?.removeAllListeners('timeout');
      r?.setTimeout(0);
      if (req.stallMs) {
        r?.setTimeout(req.stallMs, () => {
          r.destroy(new HttpError('timeout', server, `${server}: the watch went quiet for ${req.stallMs! / 1000} s`));
        });
      }
      const { headers } = headersOf(res);
      if (!closed) handlers.onOpen?.(res.statusCode ?? 0, headers);
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      res.on('data', (c: Buffer) => {
        let from = 0;
        for (let i = c.indexOf(10); i !== -1 && !closed; i = c.indexOf(10, from)) {
          pending.push(c.subarray(from, i));
          const line = Buffer.concat(pending).toString('utf8');
          pending = [];
          pendingBytes = 0;
          from = i + 1;
          handlers.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
        }
        if (from < c.length) {
          pending.push(c.subarray(from));
          pendingBytes += c.length - from;
          if (pendingBytes > max) {
            res.destroy();
            end(new HttpError('network', server, `${server}: a line of the stream is longer than ${max} bytes`));
          }
        }
      });
      res.on('end', () => {
        if (pendingBytes > 0 && !closed) handlers.onLine(Buffer.concat(pending).toString('utf8'));
        end();
      });
      res.on('error', (e) => end(e instanceof HttpError ? e : describeSocketError(e as NodeJS.ErrnoException, server)));
      // 'close' can come before the error that caused it: let the error speak first.
      res.on('close', () => setImmediate(() => end()));
    },
    (e) => end(e),
  );
  return {
    close() {
      closed = true;
      r?.destroy();
    },
  };
}

/** `404 Not Found` for messages. */
export function statusText(res: Pick<HttpResponse, 'status' | 'statusText'>): string {
  return `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}
