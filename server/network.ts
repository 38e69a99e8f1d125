// The network features of the language server: namerd (list, get, push with its version, watch),
// server-side delegations (namerd, linkerd's delegator), the routing impact of a change, and test
// requests through a linkerd router. Requests go only to URLs in the user's settings, and none at
// all in an untrusted workspace. The HTTP clients live in remote/; the rules in core/.

import {
  compareDelegateTrees,
  decodeDelegateTree,
  describeImpact,
  explainResponseHeaders,
  lowerDtab,
  lowerPath,
  mergeDtabs,
  overrideHeader,
  parseDtab,
  parsePath,
  prettyBody,
  prettyDtab,
  routingImpact,
  showDtab,
  checkDtabText,
  LineIndex,
  type DelegateTree,
  type Dtab,
  type Interpreter,
  type Path,
} from '../core/index.js';
import type {
  DelegationTarget,
  Failure,
  ImpactParams,
  ImpactResult,
  NamerdChange,
  NamerdPushParams,
  NamerdPushResult,
  NamerdRef,
  NamespaceDtab,
  ResponseView,
  ServerDelegateParams,
  ServerDelegateResult,
  TestOverrideParams,
  TestOverrideResult,
} from '../protocol/messages.js';
import { HttpError, parseBaseUrl, type LineStream } from '../remote/http.js';
import { LinkerdAdmin, LinkerdError, sendThroughRouter } from '../remote/linkerd.js';
import { NamerdClient, NamerdError } from '../remote/namerd.js';
import { delegationNodes } from './delegation.js';

/** The URLs the user configured, read afresh for every request (settings change under us). */
export interface NetworkSettings {
  readonly namerd: readonly string[];
  readonly linkerdAdmins: readonly string[];
  readonly routers: readonly string[];
  /** `linkerdDtab.zipkin.url` (none or one). */
  readonly zipkin: readonly string[];
  readonly timeoutMs: number;
}

export interface NetworkHost {
  trusted(): boolean;
  settings(): Promise<NetworkSettings>;
  notify(change: NamerdChange): void;
  /** The dtab of an open document (at a position, in a YAML config) and its interpreter. */
  dtabOf(uri: string, position?: { line: number; character: number }): { dtab: Dtab; text: string; interpreter: Interpreter; dentryAtLine(line: number): string | undefined } | undefined;
  /** A lone dtab's interpreter (the namers Linkerd ships, the cluster data in use). */
  interpreter(): Interpreter;
  /** Service names of the cluster data in use (for the routing impact's `/svc/<name>`). */
  services(): Promise<readonly string[]>;
}

const fail = (kind: Failure['kind'], message: string): Failure => ({ ok: false, kind, message });

/** A followed namerd list or namespace: its stream, the reconnect timer and wait, and how many reads of the namespace it asked for. */
interface Watch {
  stream: LineStream | undefined;
  timer?: NodeJS.Timeout;
  backoff: number;
  reads: number;
}

/** A same-URL check that ignores a trailing slash and letter case in the scheme and host. */
function normal(url: string): string | undefined {
  const u = parseBaseUrl(url);
  return typeof u === 'string' ? undefined : u.href.replace(/\/+$/, '');
}

function failureOf(e: unknown): Failure {
  if (e instanceof NamerdError) return fail(e.kind, e.message);
  if (e instanceof HttpError) return fail('network', e.message);
  // linkerd's admin: a status it should not have answered, or an answer that is not what it sends.
  if (e instanceof LinkerdError) return fail(e.status === undefined ? 'protocol' : 'server', e.message);
  if (e instanceof RemoteError) return fail(e.kind, e.message);
  return fail('server', (e as Error).message);
}

export class RemoteError extends Error {
  constructor(
    readonly kind: Failure['kind'],
    message: string,
  ) {
    super(message);
  }
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** Errors of a dtab text, for a message: `line 3: Expected …` (first three). */
function dtabErrors(text: string): string | undefined {
  const { diagnostics } = checkDtabText(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  const index = new LineIndex(text);
  const shown = errors.slice(0, 3).map((d) => `line ${index.position(d.span.start).line + 1}: ${d.message}`);
  return `${errors.length === 1 ? 'The dtab has an error' : `The dtab has ${errors.length} errors`}: ${shown.join('; ')}${errors.length > 3 ? '; …' : ''}`;
}

export type UrlList = keyof Pick<NetworkSettings, 'namerd' | 'linkerdAdmins' | 'routers' | 'zipkin'>;

const SETTING: Record<UrlList, string> = {
  namerd: 'linkerdDtab.namerd.servers',
  linkerdAdmins: 'linkerdDtab.linkerd.admins',
  routers: 'linkerdDtab.testRequests',
  zipkin: 'linkerdDtab.zipkin.url',
};

/** Checks trust and the settings (the URL must be in `list`); the URL as parsed, and the timeout. */
export async function allowedUrl(host: Pick<NetworkHost, 'trusted' | 'settings'>, url: string, list: UrlList): Promise<{ url: URL; timeoutMs: number }> {
  if (!host.trusted()) throw new RemoteError('untrusted', 'Network features are off in an untrusted workspace: trust the workspace to use namerd, linkerd and test requests.');
  const parsed = parseBaseUrl(url);
  if (typeof parsed === 'string') throw new RemoteError('not-configured', parsed);
  const s = await host.settings();
  const want = normal(url);
  if (!s[list].some((u) => normal(u) === want)) throw new RemoteError('not-configured', `${url} is not in ${SETTING[list]}: add it to the settings first (requests go only to URLs you configured).`);
  return { url: parsed, timeoutMs: s.timeoutMs };
}

export class Network {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly host: NetworkHost) {}

  /** Checks trust and the settings; the URL as parsed. */
  private allowed(url: string, list: UrlList): Promise<{ url: URL; timeoutMs: number }> {
    return allowedUrl(this.host, url, list);
  }

  /** `url` if it is in the settings' list (and the workspace is trusted), else undefined. */
  async configured(url: string, list: 'namerd' | 'linkerdAdmins'): Promise<string | undefined> {
    try {
      return (await this.allowed(url, list)).url.href;
    } catch {
      return undefined;
    }
  }

  private async namerd(ref: NamerdRef): Promise<NamerdClient> {
    const { url, timeoutMs } = await this.allowed(ref.url, 'namerd');
    return new NamerdClient(url, { ...(ref.authorization ? { authorization: ref.authorization } : {}), timeoutMs });
  }

  async list(server: NamerdRef): Promise<{ ok: true; namespaces: readonly string[] } | Failure> {
    try {
      return { ok: true, namespaces: await (await this.namerd(server)).list() };
    } catch (e) {
      return failureOf(e);
    }
  }

  async get(server: NamerdRef, ns: string): Promise<NamespaceDtab | Failure> {
    try {
      const got = await (await this.namerd(server)).get(ns);
      return { ok: true, ...(got.version !== undefined ? { version: got.version } : {}), text: prettyDtab(got.dentries) };
    } catch (e) {
      return failureOf(e);
    }
  }

  /**
   * Pushes a dtab with the version it was based on (If-Match): a dtab with errors is refused before
   * anything is sent; on 412, what namerd has now comes back as `theirs` for a three-way merge.
   */
  async push(p: NamerdPushParams): Promise<NamerdPushResult> {
    const errors = dtabErrors(p.text);
    if (errors) return fail('invalid', `${sentence(errors)} Nothing was sent to namerd.`);
    let client: NamerdClient;
    try {
      client = await this.namerd(p.server);
      if (p.create) await client.create(p.ns, p.text);
      else {
        if (p.baseVersion === undefined) return fail('conflict', `No version to push namespace ${p.ns} against: open it from namerd first.`);
        await client.update(p.ns, p.text, { version: p.baseVersion });
      }
    } catch (e) {
      const f = failureOf(e);
      if (f.kind !== 'conflict') return f;
      const theirs = await this.get(p.server, p.ns);
      return theirs.ok ? { ...f, theirs: { ...(theirs.version !== undefined ? { version: theirs.version } : {}), text: theirs.text } } : f;
    }
    // What namerd has now; if it is not what was pushed, someone changed it again straight after.
    try {
      const got = await client.get(p.ns);
      const text = prettyDtab(got.dentries);
      const changedSince = got.text !== showDtab(lowerDtab(parseDtab(p.text)));
      return { ok: true, ...(got.version !== undefined ? { version: got.version } : {}), text, ...(changedSince ? { changedSince: true } : {}) };
    } catch (e) {
      return failureOf(e);
    }
  }

  async remove(server: NamerdRef, ns: string): Promise<{ ok: true } | Failure> {
    try {
      await (await this.namerd(server)).delete(ns);
      return { ok: true };
    } catch (e) {
      return failureOf(e);
    }
  }

  /** Follows a server's namespace list, or one namespace; reconnects with a backoff while wanted. */
  async watch(server: NamerdRef, ns: string | undefined, stop = false): Promise<{ ok: true } | Failure> {
    // One watch per server however its URL is spelled (a trailing slash, the host's case).
    const key = `${normal(server.url) ?? server.url}\n${ns ?? ''}`;
    const old = this.watches.get(key);
    if (stop) {
      if (old) {
        clearTimeout(old.timer);
        old.stream?.close();
        this.watches.delete(key);
      }
      return { ok: true };
    }
    if (old) return { ok: true };
    let client: NamerdClient;
    try {
      client = await this.namerd(server);
    } catch (e) {
      return failureOf(e);
    }
    const entry: Watch = { stream: undefined, backoff: 1000, reads: 0 };
    this.watches.set(key, entry);
    const open = () => {
      if (this.watches.get(key) !== entry) return;
      const onEnd = (error?: Error) => {
        if (this.watches.get(key) !== entry) return;
        if (error) this.host.notify({ url: server.url, ...(ns !== undefined ? { ns } : {}), error: error.message });
        entry.timer = setTimeout(open, entry.backoff);
        entry.backoff = Math.min(entry.backoff * 2, 30_000);
      };
      entry.stream =
        ns === undefined
          ? client.watchList((namespaces) => {
              entry.backoff = 1000;
              this.host.notify({ url: server.url, namespaces });
            }, onEnd)
          : client.watchNamespace(
              ns,
              () => {
                entry.backoff = 1000;
                // The stream carries no version: read the dtab again with its version (one GET, so the
                // text and the version are of the same moment; a HEAD after the line could give a newer
                // version with this older text, and a push based on that pair would overwrite the change
                // in between without a 412). Only the latest read is told, and only while watched.
                const read = ++entry.reads;
                const current = () => this.watches.get(key) === entry && entry.reads === read;
                void client.get(ns).then(
                  (got) => current() && this.host.notify({ url: server.url, ns, text: prettyDtab(got.dentries), ...(got.version !== undefined ? { version: got.version } : {}) }),
                  (e: unknown) => current() && this.host.notify({ url: server.url, ns, error: (e as Error).message }),
                );
              },
              onEnd,
            );
    };
    open();
    return { ok: true };
  }

  close(): void {
    for (const w of this.watches.values()) {
      clearTimeout(w.timer);
      w.stream?.close();
    }
    this.watches.clear();
  }

  /** Which logical names change where they go between two dtab texts. */
  async impact(p: ImpactParams): Promise<ImpactResult> {
    const parse = (text: string, which: string): Dtab | Failure => {
      const errors = dtabErrors(text);
      return errors ? fail('invalid', `${which}: ${errors}`) : lowerDtab(parseDtab(text));
    };
    const before = parse(p.before, 'Before');
    if ('ok' in before) return before;
    const after = parse(p.after, 'After');
    if ('ok' in after) return after;
    const names: Path[] = [];
    for (const n of p.names ?? []) {
      const parsed = parsePath(n.trim());
      if (!parsed.ok) return fail('invalid', `${n} is not a path: ${parsed.error.plain}`);
      names.push(lowerPath(parsed.value));
    }
    const interpreter = (p.uri !== undefined ? this.host.dtabOf(p.uri)?.interpreter : undefined) ?? this.host.interpreter();
    const result = await routingImpact({
      before,
      after,
      bindBefore: (path) => interpreter.bind(before, path),
      bindAfter: (path) => interpreter.bind(after, path),
      names,
      services: await this.host.services(),
    });
    return { ok: true, rows: result.rows, lines: describeImpact(result), considered: result.considered, cut: result.cut };
  }

  merge(base: string, theirs: string, yours: string): { text: string; conflicts: number } {
    return mergeDtabs(base, theirs, yours);
  }

  /** namerd's or linkerd's own delegation of a path, beside the local engine's, differences called out. */
  async serverDelegate(p: ServerDelegateParams): Promise<ServerDelegateResult> {
    const parsed = parsePath(p.path.trim());
    if (!parsed.ok) return fail('invalid', `Not a path: ${parsed.error.plain}`);
    const path = lowerPath(parsed.value);
    const doc = p.uri !== undefined ? this.host.dtabOf(p.uri, p.position) : undefined;
    if (p.uri !== undefined && !doc) return fail('invalid', 'There is no dtab here.');
    try {
      const { json, source, localDtab, interpreter } = await this.remoteDelegation(p.target, path, doc);
      const decoded = decodeDelegateTree(json);
      if (!decoded.ok) return fail('protocol', `${source} answered a delegate tree that is not one: ${decoded.error}`);
      const remote = decoded.tree;
      let local: DelegateTree | undefined;
      try {
        local = await interpreter.delegate(localDtab, path);
      } catch (e) {
        return { ok: true, root: delegationNodes(remote), source, differences: [{ where: p.path, local: `fails: ${(e as Error).message}`, remote: 'delegates' }] };
      }
      return { ok: true, root: delegationNodes(remote), source, differences: compareDelegateTrees(local, remote) };
    } catch (e) {
      return failureOf(e);
    }
  }

  private async remoteDelegation(target: DelegationTarget, path: Path, doc: ReturnType<NetworkHost['dtabOf']>) {
    const pathText = `/${path.join('/')}`;
    if (target.kind === 'namerd') {
      const client = await this.namerd(target.server);
      if (doc) {
        // The document's dtab with namerd's namers (namerd's namespace-less delegate).
        const json = await client.delegate(undefined, pathText, showDtab(doc.dtab));
        return { json, source: `namerd ${target.server.url} (this document's dtab)`, localDtab: doc.dtab, interpreter: doc.interpreter };
      }
      const stored = await client.get(target.ns);
      const json = await client.delegate(target.ns, pathText);
      return { json, source: `namerd ${target.server.url} namespace ${target.ns}`, localDtab: lowerDtab(parseDtab(stored.text)), interpreter: this.host.interpreter() };
    }
    const { url, timeoutMs } = await this.allowed(target.admin.url, 'linkerdAdmins');
    const admin = new LinkerdAdmin(url, { ...(target.admin.authorization ? { authorization: target.admin.authorization } : {}), timeoutMs });
    const dtab = doc?.dtab ?? lowerDtab(parseDtab(''));
    const json = await admin.delegate({ router: target.router, dtab: showDtab(dtab), path: pathText });
    return { json, source: `linkerd ${target.admin.url} router ${target.router}`, localDtab: dtab, interpreter: doc?.interpreter ?? this.host.interpreter() };
  }

  /** Sends a request through a router with a dentry as `l5d-dtab`, and optionally without it. */
  async testOverride(p: TestOverrideParams): Promise<TestOverrideResult> {
    let override = p.override;
    if (override === undefined) {
      if (p.uri === undefined || p.line === undefined) return fail('invalid', 'No dentry given: put the cursor on a dentry, or give the override.');
      const doc = this.host.dtabOf(p.uri);
      const text = doc?.dentryAtLine(p.line);
      if (text === undefined) return fail('invalid', `There is no dentry on line ${p.line + 1}.`);
      override = text;
    }
    const errors = dtabErrors(override);
    if (errors) return fail('invalid', `${sentence(errors)} Nothing was sent.`);
    const header = overrideHeader(lowerDtab(parseDtab(override)));
    try {
      const { url, timeoutMs } = await this.allowed(p.request.url, 'routers');
      const base = {
        url,
        method: p.request.method ?? 'GET',
        path: p.request.path ?? '/',
        headers: [...Object.entries(p.request.headers ?? {}), ...(p.authorization ? [['Authorization', p.authorization] as [string, string]] : [])],
        ...(p.sample ? { sample: true } : {}),
        timeoutMs,
      };
      const withOverride = view(await sendThroughRouter({ ...base, override: header }));
      if (!p.compare) return { ok: true, override: header, withOverride };
      let without: ResponseView | { error: string };
      try {
        without = view(await sendThroughRouter(base));
      } catch (e) {
        without = { error: (e as Error).message };
      }
      return { ok: true, override: header, withOverride, without };
    } catch (e) {
      return failureOf(e);
    }
  }
}

function view(r: Awaited<ReturnType<typeof sendThroughRouter>>): ResponseView {
  const { sent, response } = r;
  return {
    status: response.status,
    statusText: response.statusText,
    timeMs: Math.round(response.timeMs * 10) / 10,
    bytes: response.bytes,
    truncated: response.truncated,
    headers: explainResponseHeaders(response.rawHeaders).map((h) => ({ name: h.name, value: h.value, ...(h.meaning ? { meaning: h.meaning } : {}) })),
    body: prettyBody(response.headers['content-type'] ?? '', response.body),
    sent: { method: sent.method, url: sent.url, headers: sent.headers },
  };
}
