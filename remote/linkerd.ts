// Talking to Linkerd 1.x: its admin server (`/delegator.json`, `/admin/metrics.json`) and its
// routers (a request sent through one, with an `l5d-dtab` override). All HTTP goes through
// remote/http.ts; errors name the server, the endpoint and the status.

import type { JsonValue } from '../core/index.js';
import { joinUrl, request, serverOf, statusText, type HttpResponse } from './http.js';

/** Linkerd answered, but not with what was asked for (a status other than 200, or a body that is not JSON). */
export class LinkerdError extends Error {
  constructor(
    /** `scheme://host:port` of the server. */
    readonly server: string,
    /** The HTTP status, when it is the status that was wrong. */
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The first line of a body, cut, for messages. */
function snippet(body: string): string {
  const line = body.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export interface LinkerdAdminOptions {
  /** Sent as the Authorization header (an admin behind a proxy). */
  readonly authorization?: string;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
}

export class LinkerdAdmin {
  private readonly server: string;

  constructor(
    readonly adminUrl: URL,
    private readonly opts: LinkerdAdminOptions = {},
  ) {
    this.server = serverOf(adminUrl);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'application/json', ...(this.opts.authorization !== undefined ? { authorization: this.opts.authorization } : {}), ...extra };
  }

  private expectJson(what: string, res: HttpResponse): JsonValue {
    if (res.status !== 200) {
      const body = snippet(res.body);
      throw new LinkerdError(this.server, res.status, `${this.server}${what} answered ${statusText(res)}${body ? `: ${body}` : ''}`);
    }
    try {
      return JSON.parse(res.body) as JsonValue;
    } catch {
      throw new LinkerdError(this.server, undefined, `${this.server}${what} answered with something that is not JSON: ${snippet(res.body) || '(empty)'}`);
    }
  }

  /**
   * The delegate tree of `path` under `dtab` (the whole dtab: Linkerd does not add the router's
   * own), as `/delegator.json` serves it, by POST with `Content-Type: application/json`.
   * `router` is the router label (its namers); without it only the `/$/` namers answer.
   */
  async delegate(req: { router?: string; dtab: string; path: string }): Promise<JsonValue> {
    const body = JSON.stringify({ ...(req.router !== undefined ? { namespace: req.router } : {}), dtab: req.dtab, path: req.path });
    const res = await request({
      url: joinUrl(this.adminUrl, '/delegator.json'),
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body,
      ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
    });
    return this.expectJson('/delegator.json', res);
  }

  /** The flat counters and gauges of `/admin/metrics.json` (only the numeric values). */
  async metrics(): Promise<Record<string, number>> {
    const res = await request({
      url: joinUrl(this.adminUrl, '/admin/metrics.json'),
      headers: this.headers(),
      ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
    });
    const v = this.expectJson('/admin/metrics.json', res);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new LinkerdError(this.server, undefined, `${this.server}/admin/metrics.json answered with JSON that is not an object of metrics: ${snippet(res.body)}`);
    }
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x === 'number') out[k] = x;
    return out;
  }
}

export interface RouterRequest {
  /** The router (or an ingress in front of it): scheme, host, port, and a path prefix if any. */
  readonly url: URL;
  readonly method?: string;
  /** The request's path (and query), starting with `/`. */
  readonly path: string;
  /** Sent in order; a name given twice is sent twice. `Host` decides the logical name (`/svc/<Host>`). */
  readonly headers?: readonly (readonly [string, string])[];
  /** The `l5d-dtab` value (Dtab.show form), sent after the other headers. */
  readonly override?: string;
  /** Adds `l5d-sample: 1.0` (trace this request). */
  readonly sample?: boolean;
  readonly body?: string;
  readonly timeoutMs?: number;
}

export interface RouterResult {
  readonly sent: { readonly method: string; readonly url: string; readonly headers: [string, string][] };
  readonly response: HttpResponse;
}

/** The URL of `path` (with its query) under the router's base URL. */
export function routerRequestUrl(base: URL, path: string): URL {
  const q = path.indexOf('?');
  const url = joinUrl(base, q === -1 ? path : path.slice(0, q));
  if (q !== -1) url.search = path.slice(q);
  return url;
}

/** Sends one request through a Linkerd router; resolves with any status, rejects with an HttpError. */
export async function sendThroughRouter(req: RouterRequest): Promise<RouterResult> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = routerRequestUrl(req.url, req.path);
  const headers: [string, string][] = (req.headers ?? []).map(([k, v]) => [k, v]);
  if (req.override !== undefined) headers.push(['l5d-dtab', req.override]);
  if (req.sample) headers.push(['l5d-sample', '1.0']);
  // Repeated names go as repeated header lines, in order (Linkerd reads each l5d-dtab on its own).
  const grouped: Record<string, string[]> = {};
  const names: Record<string, string> = {};
  for (const [k, v] of headers) {
    const key = k.toLowerCase();
    names[key] ??= k;
    (grouped[names[key]!] ??= []).push(v);
  }
  const single: Record<string, string | string[]> = {};
  for (const [k, vs] of Object.entries(grouped)) single[k] = vs.length === 1 ? vs[0]! : vs;
  const response = await request({
    url,
    method,
    headers: single,
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
  });
  return { sent: { method, url: url.href, headers }, response };
}

/** The same request twice: with the override, then without it. */
export async function compare(req: RouterRequest & { readonly override: string }): Promise<{ withOverride: RouterResult; without: RouterResult }> {
  const withOverride = await sendThroughRouter(req);
  const { override: _, ...rest } = req;
  const without = await sendThroughRouter(rest);
  return { withOverride, without };
}
