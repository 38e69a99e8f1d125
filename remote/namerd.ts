// A client of namerd's HTTP control API (`io.l5d.httpController`, §5 of the dtab reference), on
// remote/http.ts. Every failure is a NamerdError whose message names the server, the namespace
// and the status, and says what to do.

import { STATUS_CODES } from 'node:http';
import { decodeDentries, showDtab, type JsonDentry, type JsonValue } from '../core/index.js';
import { HttpError, joinUrl, request, serverOf, statusText, streamLines, type HttpResponse, type LineStream } from './http.js';

export type NamerdErrorKind = 'not-found' | 'conflict' | 'exists' | 'invalid' | 'unauthorized' | 'forbidden' | 'server' | 'network' | 'protocol';

export class NamerdError extends Error {
  constructor(
    readonly kind: NamerdErrorKind,
    /** `scheme://host:port` of namerd. */
    readonly server: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'NamerdError';
  }
}

export interface NamerdClientOptions {
  /** The whole Authorization header (`Bearer …`), for namerd behind an auth proxy. */
  readonly authorization?: string;
  /** Per request (remote/http's default otherwise). */
  readonly timeoutMs?: number;
}

export interface WatchOptions {
  /** End the watch when nothing arrives for this long. */
  readonly stallMs?: number;
}

export interface NamespaceDtab {
  readonly version: string | undefined;
  readonly dentries: JsonDentry[];
  /** Dtab.show of the dentries. */
  readonly text: string;
}

/** What the dtab is sent as: text (application/dtab) or dentries (application/json, like namerctl's JSON input). */
export type DtabBody = string | readonly JsonDentry[];

const DTABS = '/api/1/dtabs';

export class NamerdClient {
  readonly server: string;

  constructor(
    readonly base: URL,
    private readonly opts: NamerdClientOptions = {},
  ) {
    this.server = serverOf(base);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.opts.authorization ? { authorization: this.opts.authorization } : {}), ...extra };
  }

  private nsPath(ns: string): string {
    return `${DTABS}/${encodeURIComponent(ns)}`;
  }

  private async send(what: string, method: string, path: string, opts: { query?: Record<string, string | undefined>; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
    try {
      return await request({
        url: joinUrl(this.base, path, opts.query),
        method,
        headers: this.headers(opts.headers),
        ...(opts.body !== undefined ? { body: opts.body } : {}),
        ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
      });
    } catch (e) {
      throw this.networkError(what, e);
    }
  }

  private networkError(what: string, e: unknown): NamerdError {
    if (e instanceof HttpError) return new NamerdError('network', this.server, `cannot ${what}: ${e.message}`);
    return new NamerdError('network', this.server, `cannot ${what} at ${this.server}: ${(e as Error).message}`);
  }

  /** The error for a status namerd should not have answered; `ns` names the namespace when there is one. */
  private statusError(what: string, res: Pick<HttpResponse, 'status' | 'statusText' | 'body'>, ns?: string, version?: string): NamerdError {
    const st = statusText(res);
    const said = res.body.trim() === '' ? '' : `: ${clip(res.body.trim())}`;
    switch (res.status) {
      case 401:
        return new NamerdError('unauthorized', this.server, `${this.server} refused to ${what} (${st}): it wants credentials; set DTAB_NAMERD_TOKEN to a bearer token it accepts`, res.status);
      case 403:
        return new NamerdError('forbidden', this.server, `${this.server} refused to ${what} (${st}): these credentials may not do this${said}`, res.status);
      case 404:
        return ns === undefined
          ? new NamerdError('not-found', this.server, `${this.server} has no namerd API here (${st} when trying to ${what}): is the base URL namerd's httpController (port 4180)?`, res.status)
          : new NamerdError('not-found', this.server, `namespace ${ns} does not exist on ${this.server} (${st}): list them with \`dtab namerd ls\`, or create it`, res.status);
      case 409:
        return new NamerdError('exists', this.server, `namespace ${ns} already exists on ${this.server} (${st}): replace it with \`dtab namerd update ${ns} FILE\``, res.status);
      case 412:
        return new NamerdError('conflict', this.server, `namespace ${ns} changed on ${this.server} since version ${version ?? '?'} was read (${st}): get it again and merge, or push with --force`, res.status);
      case 400:
        return new NamerdError('invalid', this.server, `${this.server} rejected the request to ${what} (${st})${said || ': no reason given (an unsupported content type, or dentries it could not read)'}`, res.status);
      default:
        return new NamerdError('server', this.server, `${this.server} answered ${st} when asked to ${what}${said}`, res.status);
    }
  }

  private json(what: string, res: HttpResponse): unknown {
    try {
      return JSON.parse(res.body);
    } catch (e) {
      throw new NamerdError('protocol', this.server, `${this.server} sent malformed JSON when asked to ${what} (${(e as Error).message}): is the base URL namerd's httpController?`, res.status);
    }
  }

  private dentries(what: string, value: unknown, status?: number): { dentries: JsonDentry[]; text: string } {
    const d = decodeDentries(value);
    if (!d.ok) throw new NamerdError('protocol', this.server, `${this.server} sent a dtab this tool cannot read when asked to ${what}: ${d.message}`, status);
    return { dentries: d.dentries, text: showDtab(d.dtab) };
  }

  /** The namespaces (sorted, as namerd sends them). */
  async list(): Promise<string[]> {
    const what = 'list the namespaces';
    const res = await this.send(what, 'GET', DTABS, { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw this.statusError(what, res);
    const v = this.json(what, res);
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new NamerdError('protocol', this.server, `${this.server} sent something other than a list of names when asked to ${what}`, res.status);
    return v as string[];
  }

  /** A namespace's dtab as JSON dentries, with its version (ETag). */
  async get(ns: string): Promise<NamespaceDtab> {
    const what = `get namespace ${ns}`;
    const res = await this.send(what, 'GET', this.nsPath(ns), { headers: { accept: 'application/json' } });
    if (res.status !== 200) throw this.statusError(what, res, ns);
    return { version: res.headers.etag, ...this.dentries(what, this.json(what, res), res.status) };
  }

  /** A namespace's dtab as namerd's text (Dtab.show), with its version. */
  async getText(ns: string): Promise<{ version: string | undefined; text: string }> {
    const what = `get namespace ${ns}`;
    const res = await this.send(what, 'GET', this.nsPath(ns), { headers: { accept: 'application/dtab' } });
    if (res.status !== 200) throw this.statusError(what, res, ns);
    return { version: res.headers.etag, text: res.body.replace(/\n$/, '') };
  }

  /** The current version (HEAD), undefined when the namespace does not exist. */
  async version(ns: string): Promise<string | undefined> {
    const what = `read the version of namespace ${ns}`;
    const res = await this.send(what, 'HEAD', this.nsPath(ns));
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.statusError(what, res, ns);
    return res.headers.etag;
  }

  private body(dtab: DtabBody): { body: string; headers: Record<string, string> } {
    return typeof dtab === 'string'
      ? { body: dtab, headers: { 'content-type': 'application/dtab' } }
      : { body: JSON.stringify(dtab), headers: { 'content-type': 'application/json' } };
  }

  /** POST: creates a namespace; 'exists' when it already does. */
  async create(ns: string, dtab: DtabBody): Promise<void> {
    const what = `create namespace ${ns}`;
    const b = this.body(dtab);
    const res = await this.send(what, 'POST', this.nsPath(ns), b);
    if (res.status !== 204 && res.status !== 200 && res.status !== 201) throw this.statusError(what, res, ns);
  }

  /** PUT: replaces (or creates) a namespace; with a version, only if it is still that version (If-Match). */
  async update(ns: string, dtab: DtabBody, opts: { version?: string } = {}): Promise<void> {
    const what = `update namespace ${ns}`;
    const b = this.body(dtab);
    const res = await this.send(what, 'PUT', this.nsPath(ns), { body: b.body, headers: { ...b.headers, ...(opts.version !== undefined ? { 'if-match': opts.version } : {}) } });
    if (res.status !== 204 && res.status !== 200 && res.status !== 201) throw this.statusError(what, res, ns, opts.version);
  }

  async delete(ns: string): Promise<void> {
    const what = `delete namespace ${ns}`;
    const res = await this.send(what, 'DELETE', this.nsPath(ns));
    if (res.status !== 204 && res.status !== 200) throw this.statusError(what, res, ns);
  }

  private async name(kind: 'delegate' | 'bind' | 'addr' | 'resolve', ns: string | undefined, path: string, dtab?: string): Promise<JsonValue> {
    const what = `${kind} ${path}${ns === undefined ? '' : ` in namespace ${ns}`}`;
    const route = ns === undefined ? `/api/1/${kind}` : `/api/1/${kind}/${encodeURIComponent(ns)}`;
    const res = await this.send(what, 'GET', route, { query: { path, dtab }, headers: { accept: 'application/json' } });
    // A namespace that does not exist is not an error for these endpoints: a 404 is not namerd.
    if (res.status !== 200) throw this.statusError(what, res);
    return this.json(what, res) as JsonValue;
  }

  /** The delegate tree JSON (§3.8): the namespace's stored dtab ++ `dtab`; without a namespace, only `dtab`. */
  delegate(ns: string | undefined, path: string, dtab?: string): Promise<JsonValue> {
    return this.name('delegate', ns, path, dtab);
  }

  bind(ns: string, path: string, dtab?: string): Promise<JsonValue> {
    return this.name('bind', ns, path, dtab);
  }

  /** The addresses of a bound id (`/#/io.l5d.fs/web`). */
  addr(ns: string, id: string): Promise<JsonValue> {
    return this.name('addr', ns, id);
  }

  resolve(ns: string, path: string, dtab?: string): Promise<JsonValue> {
    return this.name('resolve', ns, path, dtab);
  }

  /** A `watch=true` stream: each line parsed by `onValue`; a non-200 answer or a bad line ends it with an error. */
  private watch(what: string, path: string, query: Record<string, string | undefined>, accept: string | undefined, ns: string | undefined, onValue: (line: string) => void, onEnd: (error?: NamerdError) => void, opts: WatchOptions): LineStream {
    let status = 0;
    let statusMessage = '';
    const body: string[] = [];
    let done = false;
    let stream: LineStream | undefined = undefined;
    const end = (e?: NamerdError) => {
      if (done) return;
      done = true;
      stream?.close();
      onEnd(e);
    };
    stream = streamLines(
      {
        url: joinUrl(this.base, path, { ...query, watch: 'true' }),
        headers: this.headers(accept ? { accept } : {}),
        ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
        ...(opts.stallMs !== undefined ? { stallMs: opts.stallMs } : {}),
      },
      {
        onOpen: (s) => {
          status = s;
          statusMessage = STATUS_CODES[s] ?? '';
        },
        onLine: (line) => {
          if (done) return;
          if (status !== 200) {
            body.push(line);
            return;
          }
          if (line === '') return;
          try {
            onValue(line);
          } catch (e) {
            end(e instanceof NamerdError ? e : new NamerdError('protocol', this.server, `${this.server} sent a line this tool cannot read when asked to ${what}: ${(e as Error).message}`));
          }
        },
        onEnd: (e) => {
          if (e) return end(this.networkError(what, e));
          if (status !== 200 && status !== 0) return end(this.statusError(what, { status, statusText: statusMessage, body: body.join('\n') }, ns));
          end();
        },
      },
    );
    return { close: () => ((done = true), stream?.close()) };
  }

  /** The namespace list, each time it changes. */
  watchList(onList: (names: string[]) => void, onEnd: (error?: NamerdError) => void, opts: WatchOptions = {}): LineStream {
    const what = 'watch the namespaces';
    return this.watch(what, DTABS, {}, 'application/json', undefined, (line) => {
      const v: unknown = JSON.parse(line);
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error('not a list of names');
      onList(v as string[]);
    }, onEnd, opts);
  }

  /** A namespace's dtab, each time it changes (nothing while it does not exist). */
  watchNamespace(ns: string, onDentries: (dtab: { dentries: JsonDentry[]; text: string }) => void, onEnd: (error?: NamerdError) => void, opts: WatchOptions = {}): LineStream {
    const what = `watch namespace ${ns}`;
    return this.watch(what, this.nsPath(ns), {}, 'application/json', ns, (line) => onDentries(this.dentries(what, JSON.parse(line))), onEnd, opts);
  }

  /** The bound tree of a path (§5.3, no paths), each time it changes. */
  watchBind(ns: string, path: string, onTree: (tree: JsonValue) => void, onEnd: (error?: NamerdError) => void, opts: WatchOptions & { dtab?: string } = {}): LineStream {
    const what = `watch the binding of ${path} in namespace ${ns}`;
    // §5.3: a failing bind writes its message as a line, then the stream closes.
    return this.watch(what, `/api/1/bind/${encodeURIComponent(ns)}`, { path, dtab: opts.dtab }, undefined, undefined, (line) => {
      let v: JsonValue;
      try {
        v = JSON.parse(line) as JsonValue;
      } catch {
        throw new NamerdError('server', this.server, `${this.server} could not bind ${path} in namespace ${ns}: ${clip(line)}`);
      }
      onTree(v);
    }, onEnd, opts);
  }
}

function clip(s: string, max = 300): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
