// The namers under `/$/`: Finagle's Namer.global (inet, fixedinet, fail, nil, class-loaded namers)
// and the rewriting namers Linkerd 1.x ships, which work without any configuration.

import { EMPTY, FAIL, leaf, NEG, type NameTree } from '../model/nametree.js';
import { elemToText, textToElem, type Path } from '../model/path.js';
import { showPath } from '../print/show.js';
import { UnknownNamerError } from './errors.js';
import { parseIPv4Literal, parseJavaInt } from '../model/inet.js';
import { boundAddr, boundName, pathName, type Addr, type Name } from '../model/names.js';

/** Turns a host and port into addresses (DNS in production, literal-only offline). */
export interface InetResolver {
  resolve(host: string, port: number): Addr | Promise<Addr>;
  /** The address of `/$/inet/<port>`: Finagle binds the wildcard address. */
  readonly anyHost?: string;
}

export type LookupResult = NameTree<Name> | Promise<NameTree<Name>>;

/** A namer: given the path below its prefix, answers with a name tree (possibly later). */
export interface Namer {
  lookup(path: Path): LookupResult;
}

/**
 * Resolves without the network: IPv4/IPv6 literals and `localhost`. Other hosts are answered
 * with `failed` (explaining that no DNS lookup was made), never guessed.
 */
export const literalInetResolver: InetResolver = {
  anyHost: '0.0.0.0',
  resolve(host, port) {
    const ip = host === 'localhost' ? '127.0.0.1' : (parseIPv4Literal(host) ?? (host.includes(':') ? host : undefined));
    if (ip === undefined) return { type: 'failed', cause: `${host} was not resolved (no DNS lookups offline)` };
    return boundAddr([{ ip, port, meta: {} }]);
  },
};

const HOST_PORT_PORT = /^[a-z0-9][-a-z0-9]*[a-z0-9]?$/;

function splitHostPort(hp: string): [string, string] | undefined {
  const parts = hp.split(':');
  if (parts.length !== 2) return undefined;
  const [host, port] = parts as [string, string];
  if (host.length === 0 || port.length > 63 || !HOST_PORT_PORT.test(port)) return undefined;
  return [host, port];
}

/** Scala's String.split("\\.") drops trailing empty strings. */
function splitDots(s: string): string[] {
  const parts = s.split('.');
  // Stryker disable next-line ConditionalExpression,EqualityOperator: at length 0, parts[-1] is undefined, which ends the loop too
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function rewrite(path: Path | undefined): NameTree<Name> {
  if (path === undefined || path.length === 0) return NEG;
  return leaf(pathName(path));
}

const t = (elems: readonly string[]): Path => elems.map(textToElem);

/**
 * Linkerd's rewriting namers: each turns a path into another path, looked up again in the dtab.
 * Each needs `segments` elements after `/$/<kind>` (Linkerd's patterns: `Path.Utf8(pfx, hostPort, rest @ _*)`);
 * with fewer, the namer is negative.
 */
const REWRITING: Record<string, { readonly segments: number; readonly rewrite: (p: readonly string[], rest: Path) => Path | undefined }> = {
  'io.buoyant.hostportPfx': {
    segments: 2,
    rewrite: ([pfx, hp], rest) => {
      const s = splitHostPort(hp!);
      return s && [...t([pfx!, s[0], s[1]]), ...rest.slice(2)];
    },
  },
  'io.buoyant.porthostPfx': {
    segments: 2,
    rewrite: ([pfx, hp], rest) => {
      const s = splitHostPort(hp!);
      return s && [...t([pfx!, s[1], s[0]]), ...rest.slice(2)];
    },
  },
  'io.buoyant.http.domainToPathPfx': { segments: 2, rewrite: ([pfx, host], rest) => [...t([pfx!, ...splitDots(host!).reverse()]), ...rest.slice(2)] },
  'io.buoyant.http.domainToPath': { segments: 1, rewrite: ([host], rest) => [...t(splitDots(host!).reverse()), ...rest.slice(1)] },
  'io.buoyant.http.subdomainOfPfx': {
    segments: 3,
    rewrite: ([domain, pfx, host], rest) => {
      const sub = subdomain(host!, domain!);
      return sub === undefined ? undefined : [...t([pfx!, sub]), ...rest.slice(3)];
    },
  },
  'io.buoyant.http.subdomainOf': {
    segments: 2,
    rewrite: ([domain, host], rest) => {
      const sub = subdomain(host!, domain!);
      return sub === undefined ? undefined : [...t([sub]), ...rest.slice(2)];
    },
  },
  'io.buoyant.http.anyMethod': { segments: 1, rewrite: ([method], rest) => (/^[A-Z]+$/.test(method!) ? rest.slice(1) : undefined) },
  'io.buoyant.http.anyMethodPfx': { segments: 2, rewrite: ([pfx, method], rest) => (/^[A-Z]+$/.test(method!) ? [...t([pfx!]), ...rest.slice(2)] : undefined) },
  'io.buoyant.http.anyHost': { segments: 1, rewrite: ([host], rest) => (/^[A-Za-z0-9.:_-]+$/.test(host!) ? rest.slice(1) : undefined) },
  'io.buoyant.http.anyHostPfx': { segments: 2, rewrite: ([pfx, host], rest) => (/^[A-Za-z0-9.:_-]+$/.test(host!) ? [...t([pfx!]), ...rest.slice(2)] : undefined) },
};

function subdomain(hostPort: string, domain: string): string | undefined {
  const host = hostPort.split(':')[0]!;
  const suffix = '.' + domain;
  if (!host.endsWith(suffix)) return undefined;
  const sub = host.slice(0, host.length - suffix.length);
  return sub.length > 0 ? sub : undefined;
}

/** Documentation of every system namer, for completion and hover. */
export const SYSTEM_NAMERS: readonly { kind: string; shape: string; doc: string }[] = [
  { kind: 'inet', shape: '/$/inet/<host>/<port>', doc: 'Binds to host:port, resolved by DNS (or `/$/inet/<port>`: this host).' },
  { kind: 'fixedinet', shape: '/$/fixedinet/<host>/<port>', doc: 'Like inet, but DNS is resolved only once.' },
  { kind: 'fail', shape: '/$/fail', doc: 'Fails the request: no fallback to other alternatives (same as `!`).' },
  { kind: 'nil', shape: '/$/nil', doc: 'Exists but has no endpoints (same as `$`): stops fallback, requests fail.' },
  { kind: 'io.buoyant.rinet', shape: '/$/io.buoyant.rinet/<port>/<host>', doc: 'Like inet with the port first: binds to host:port.' },
  { kind: 'io.buoyant.hostportPfx', shape: '/$/io.buoyant.hostportPfx/<pfx>/<host:port>', doc: 'Rewrites `host:port` to `/<pfx>/<host>/<port>`.' },
  { kind: 'io.buoyant.porthostPfx', shape: '/$/io.buoyant.porthostPfx/<pfx>/<host:port>', doc: 'Rewrites `host:port` to `/<pfx>/<port>/<host>`.' },
  { kind: 'io.buoyant.http.domainToPathPfx', shape: '/$/io.buoyant.http.domainToPathPfx/<pfx>/<host>', doc: 'Rewrites `a.b.c` to `/<pfx>/c/b/a`.' },
  { kind: 'io.buoyant.http.domainToPath', shape: '/$/io.buoyant.http.domainToPath/<host>', doc: 'Rewrites `a.b.c` to `/c/b/a`.' },
  { kind: 'io.buoyant.http.subdomainOfPfx', shape: '/$/io.buoyant.http.subdomainOfPfx/<domain>/<pfx>/<host>', doc: 'Rewrites `sub.<domain>[:port]` to `/<pfx>/sub`; `~` otherwise.' },
  { kind: 'io.buoyant.http.subdomainOf', shape: '/$/io.buoyant.http.subdomainOf/<domain>/<host>', doc: 'Rewrites `sub.<domain>` to `/sub`; `~` otherwise.' },
  { kind: 'io.buoyant.http.anyMethod', shape: '/$/io.buoyant.http.anyMethod/<METHOD>', doc: 'Drops an all-caps HTTP method element.' },
  { kind: 'io.buoyant.http.anyMethodPfx', shape: '/$/io.buoyant.http.anyMethodPfx/<pfx>/<METHOD>', doc: 'Replaces the method element with `/<pfx>`.' },
  { kind: 'io.buoyant.http.anyHost', shape: '/$/io.buoyant.http.anyHost/<host>', doc: 'Drops a host element.' },
  { kind: 'io.buoyant.http.anyHostPfx', shape: '/$/io.buoyant.http.anyHostPfx/<pfx>/<host>', doc: 'Replaces the host element with `/<pfx>`.' },
];

export const SYSTEM_NAMER_KINDS: ReadonlySet<string> = new Set(SYSTEM_NAMERS.map((n) => n.kind));

/**
 * Namer.global, as Linkerd's interpreter sees it. `/$/<kind>` for an unknown kind fails with
 * Linkerd's "Unknown namer" message (the JVM would fail to load the class).
 */
export class SystemNamer implements Namer {
  constructor(readonly inet: InetResolver = literalInetResolver) {}

  lookup(path: Path): LookupResult {
    if (path.length < 2 || path[0] !== '$') return NEG;
    const kind = elemToText(path[1]!);
    const rest = path.slice(2);
    if (kind === 'inet' || kind === 'fixedinet') {
      const inet = this.inetPath(path, rest);
      if (inet) return inet;
    }
    if (kind === 'fail') return FAIL;
    if (kind === 'nil') return EMPTY;
    if (kind === 'io.buoyant.rinet') {
      if (rest.length < 2) return NEG;
      const port = parseJavaInt(elemToText(rest[0]!));
      if (port === undefined) return NEG;
      return this.bound(path.slice(0, 4), rest.slice(2), elemToText(rest[1]!), port);
    }
    // Own properties only: `/$/toString` is an unknown namer, not Object.prototype's method.
    const rewriter = Object.hasOwn(REWRITING, kind) ? REWRITING[kind] : undefined;
    if (rewriter) return rewrite(rest.length < rewriter.segments ? undefined : rewriter.rewrite(rest.map(elemToText), rest));
    throw new UnknownNamerError(kind, showPath(path));
  }

  private inetPath(path: Path, rest: Path): LookupResult | undefined {
    if (rest.length >= 2) {
      const port = parseJavaInt(elemToText(rest[1]!));
      if (port !== undefined) return this.bound(path.slice(0, 4), rest.slice(2), elemToText(rest[0]!), port);
    }
    if (rest.length >= 1) {
      const port = parseJavaInt(elemToText(rest[0]!));
      if (port !== undefined) {
        const addr = boundAddr([{ ip: this.inet.anyHost ?? '0.0.0.0', port, meta: {} }]);
        return leaf(boundName(path.slice(0, 3), rest.slice(1), addr));
      }
    }
    return undefined;
  }

  private bound(id: Path, residual: Path, host: string, port: number): LookupResult {
    const addr = this.inet.resolve(host, port);
    if (addr instanceof Promise) return addr.then((a) => leaf(boundName(id, residual, a)));
    return leaf(boundName(id, residual, addr));
  }
}
