// Cross-field checks: what Linkerd and namerd reject (or silently get wrong) that no single key's
// type says: conflicting keys in one block, values out of range, overlapping namer prefixes,
// duplicate router labels, two servers on one port, and `/#/` paths in embedded dtabs that no
// configured namer answers.

import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { ADMIN_PORTS, DEFAULT_PORTS, type ConfigKind } from './catalogue.js';
import { capitalize, diag, keyName, keyOrMap, type Ctx } from './diag.js';
import { checkNamerRefs, type EmbeddedDtab } from './embedded.js';
import { get, routerNamers, str, type ConfigModel, type ConfigRouter, type DtabOwner } from './model.js';

/** Every mapping in the tree, with the key it hangs under, in document order (iterative: any depth). */
function eachMap(root: Node | null | undefined, f: (map: YAMLMap, key: string | undefined) => void): void {
  const stack: { node: Node | null | undefined; key: string | undefined }[] = [{ node: root, key: undefined }];
  while (stack.length > 0) {
    const { node, key } = stack.pop()!;
    if (isMap(node)) {
      f(node, key);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i]!.value as Node, key: keyName(node.items[i]!) });
    } else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] as Node, key });
  }
}

const num = (n: Node | null | undefined) => (isScalar(n) && typeof n.value === 'number' ? n.value : undefined);
const bool = (n: Node | null | undefined) => (isScalar(n) && typeof n.value === 'boolean' ? n.value : undefined);

/** Keys only a client TLS block has (a server's has certPath, keyPath, caCertPath, requireClientAuth). */
const CLIENT_TLS_KEYS = ['disableValidation', 'commonName', 'trustCerts', 'trustCertsBundle', 'clientAuth'];

/** Checks of single blocks, wherever they are. */
function blockChecks(ctx: Ctx, root: Node | null): void {
  eachMap(root, (map, key) => {
    const kind = str(get(map, 'kind'));
    const at = (k: string) => map.items.find((p) => keyName(p) === k)?.key as Node | undefined;
    // http routers: no streaming threshold when streaming is off.
    if (bool(get(map, 'streamingEnabled')) === false && get(map, 'streamAfterContentLengthKB') !== undefined)
      diag(ctx, at('streamAfterContentLengthKB'), 'error', 'conflicting-keys', '`streamAfterContentLengthKB` has no effect with `streamingEnabled: false`: Linkerd rejects the combination.');
    // Client TLS (a `tls` block with client keys): what Linkerd's TLS client config requires.
    if (key === 'tls' && CLIENT_TLS_KEYS.some((k) => get(map, k) !== undefined)) {
      if (bool(get(map, 'disableValidation')) === true && get(map, 'clientAuth') !== undefined)
        diag(ctx, at('clientAuth'), 'error', 'conflicting-keys', '`clientAuth` cannot be used with `disableValidation: true`.');
      if (get(map, 'trustCerts') !== undefined && get(map, 'trustCertsBundle') !== undefined)
        diag(ctx, at('trustCertsBundle'), 'error', 'conflicting-keys', 'Give `trustCerts` or `trustCertsBundle`, not both.');
      if (bool(get(map, 'disableValidation')) !== true && get(map, 'commonName') === undefined)
        diag(ctx, keyOrMap(map), 'error', 'missing-key', 'Client TLS needs `commonName` unless `disableValidation: true`.');
      if (get(map, 'trustCerts') !== undefined) diag(ctx, at('trustCerts'), 'information', 'deprecated-key', '`trustCerts` is deprecated: use `trustCertsBundle`.');
    }
    // The namerd interpreters' `retry`: 0 < baseSeconds <= maxSeconds.
    if (key === 'retry') {
      const base = num(get(map, 'baseSeconds'));
      const max = num(get(map, 'maxSeconds'));
      if (base !== undefined && base <= 0) diag(ctx, get(map, 'baseSeconds'), 'error', 'wrong-value', '`baseSeconds` must be greater than 0.');
      if (base !== undefined && max !== undefined && base > max) diag(ctx, get(map, 'maxSeconds'), 'error', 'wrong-value', '`maxSeconds` must be at least `baseSeconds`.');
    }
    // The io.l5d.mesh interpreter: a single-segment root.
    if (kind === 'io.l5d.mesh') {
      const r = str(get(map, 'root'));
      if (r !== undefined && !/^\/[^/]+$/.test(r)) diag(ctx, get(map, 'root'), 'error', 'wrong-value', '`root` of the `io.l5d.mesh` interpreter must be a single-segment path such as `/default`.');
    }
    // The h2 io.l5d.header.path identifier: segments >= 1.
    if (kind === 'io.l5d.header.path') {
      const n = num(get(map, 'segments'));
      if (n !== undefined && n < 1) diag(ctx, get(map, 'segments'), 'error', 'wrong-value', '`segments` must be at least 1.');
    }
    // The io.l5d.recentRequests telemeter: a sample rate from 0 to 1.
    if (kind === 'io.l5d.recentRequests') {
      const rate = num(get(map, 'sampleRate'));
      if (rate !== undefined && (rate < 0 || rate > 1)) diag(ctx, get(map, 'sampleRate'), 'error', 'wrong-value', '`sampleRate` is a fraction from 0 to 1.');
    }
    // ZooKeeper ACL permissions: the letters c r w d a, each once.
    const perms = str(get(map, 'perms'));
    if (perms !== undefined && get(map, 'scheme') !== undefined && (!/^[crwda]*$/.test(perms) || new Set(perms).size !== perms.length))
      diag(ctx, get(map, 'perms'), 'error', 'wrong-value', '`perms` takes the letters c, r, w, d and a, each at most once.');
  });
}

/**
 * The checks across blocks. They also complete the model: each embedded dtab learns its owner and
 * the namers that answer its `/#/` paths, and each router its dtab.
 */
export function crossChecks(ctx: Ctx, root: Node | null, kind: ConfigKind, model: { namers: ConfigModel['namers']; routers: ConfigRouter[] }): void {
  blockChecks(ctx, root);
  const namers = model.namers.map((n) => n.prefix);
  // Namer prefixes must not overlap (one would shadow the other).
  const namerList = get(root, 'namers');
  if (isSeq(namerList)) {
    const overlaps = new PrefixIndex();
    for (const n of namerList.items) {
      const prefixNode = get(n as Node, 'prefix');
      const prefix = str(prefixNode) ?? (str(get(n as Node, 'kind')) ? `/${str(get(n as Node, 'kind'))}` : undefined);
      if (!prefix) continue;
      const clash = overlaps.firstOverlap(prefix);
      if (clash !== undefined) diag(ctx, (prefixNode ?? get(n as Node, 'kind') ?? n) as Node, 'error', 'namer-prefix-overlap', `This namer's prefix \`${prefix}\` overlaps \`${clash}\`: give each namer its own \`prefix\`.`);
      overlaps.add(prefix);
    }
  }
  // The embedded dtabs by where they are, once (`routers[3].dtab`, `storage.namespaces.default`).
  const dtabAt = new Map<string, number>();
  ctx.dtabs.forEach((d, i) => {
    if (!dtabAt.has(d.where)) dtabAt.set(d.where, i);
  });
  const complete = (i: number, owner: DtabOwner | undefined, namersWhere: string | undefined): EmbeddedDtab => {
    const d = ctx.dtabs[i]!;
    const done: EmbeddedDtab = { ...d, namers: namersWhere ? namers : undefined, ...(namersWhere ? { namersWhere } : {}), ...(owner ? { owner } : {}) };
    ctx.dtabs[i] = done;
    if (namersWhere) checkNamerRefs(ctx.out, done, namers, namersWhere);
    return done;
  };
  const listens: { ip: string; port: number; node: Node; what: string }[] = [];
  const admin = get(root, 'admin');
  const adminPort = get(admin, 'port');
  listens.push({
    ip: str(get(admin, 'ip')) ?? '127.0.0.1',
    port: isScalar(adminPort) && typeof adminPort.value === 'number' ? adminPort.value : ADMIN_PORTS[kind],
    node: (adminPort ?? admin ?? root) as Node,
    what: 'the admin server',
  });
  if (kind === 'linkerd') {
    const routers = get(root, 'routers');
    const labels = new Map<string, Node>();
    let mapped = 0;
    if (isSeq(routers)) {
      routers.items.forEach((r, i) => {
        const protocol = str(get(r as Node, 'protocol'));
        const labelNode = get(r as Node, 'label');
        const label = str(labelNode) ?? protocol;
        if (label) {
          if (labels.has(label))
            diag(ctx, (labelNode ?? get(r as Node, 'protocol') ?? r) as Node, 'error', 'duplicate-router-label', `Two routers are labelled \`${label}\`${labelNode ? '' : ' (a router without `label` is labelled by its protocol)'}: Linkerd requires unique labels.`);
          else labels.set(label, r as Node);
        }
        const servers = get(r as Node, 'servers');
        if (isSeq(servers))
          for (const s of servers.items) {
            const portNode = get(s as Node, 'port');
            const port = isScalar(portNode) && typeof portNode.value === 'number' ? portNode.value : protocol ? DEFAULT_PORTS[protocol] : undefined;
            if (port !== undefined) listens.push({ ip: str(get(s as Node, 'ip')) ?? '127.0.0.1', port, node: (portNode ?? s) as Node, what: `a server of router \`${label ?? i}\`` });
          }
        if (!isMap(r)) return;
        const router = model.routers[mapped]!;
        // `/#/` paths in the dtab must name a configured namer, when this router's namers are ours.
        const at = dtabAt.get(`routers[${i}].dtab`);
        if (at !== undefined) {
          const owner: DtabOwner = { kind: 'router', label: router.label, protocol: router.protocol, interpreter: router.interpreter };
          const dtab = complete(at, owner, routerNamers(router.interpreter) === 'config' ? 'this config' : undefined);
          model.routers[mapped] = { ...router, dtab };
        }
        mapped++;
      });
    }
  } else {
    const interfaces = get(root, 'interfaces');
    if (isSeq(interfaces)) {
      if (interfaces.items.length === 0) diag(ctx, interfaces, 'error', 'missing-key', 'namerd needs at least one interface.');
      for (const f of interfaces.items) {
        const kindName = str(get(f as Node, 'kind'));
        const portNode = get(f as Node, 'port');
        const port = isScalar(portNode) && typeof portNode.value === 'number' ? portNode.value : kindName ? DEFAULT_PORTS[kindName] : undefined;
        if (port !== undefined) listens.push({ ip: str(get(f as Node, 'ip')) ?? '127.0.0.1', port, node: (portNode ?? f) as Node, what: kindName !== undefined ? `the \`${kindName}\` interface` : 'an interface without `kind`' });
      }
    }
    const NS = 'storage.namespaces.';
    for (let i = 0; i < ctx.dtabs.length; i++) {
      const where = ctx.dtabs[i]!.where;
      complete(i, where.startsWith(NS) ? { kind: 'namespace', name: where.slice(NS.length) } : undefined, "namerd's `namers`");
    }
  }
  // Two listeners on one address (0.0.0.0 overlaps every address on the same port): by port, the
  // first earlier listener on the same address, or on 0.0.0.0, or any if this one is on 0.0.0.0.
  type Listen = (typeof listens)[number] & { order: number };
  const byPort = new Map<number, { first: Listen; wildcard?: Listen; byIp: Map<string, Listen> }>();
  listens.forEach((l, order) => {
    const a: Listen = { ...l, order };
    if (a.port === 0) return;
    const same = byPort.get(a.port);
    if (!same) {
      byPort.set(a.port, { first: a, ...(a.ip === ANY_IP ? { wildcard: a } : {}), byIp: new Map([[a.ip, a]]) });
      return;
    }
    const candidates = [same.byIp.get(a.ip), same.wildcard, a.ip === ANY_IP ? same.first : undefined];
    let b: Listen | undefined;
    for (const c of candidates) if (c && (!b || c.order < b.order)) b = c;
    if (b) diag(ctx, a.node, 'error', 'port-clash', `${capitalize(a.what)} listens on ${a.ip}:${a.port}, like ${b.what}: Linkerd cannot bind the same port twice.`);
    if (!same.byIp.has(a.ip)) same.byIp.set(a.ip, a);
    if (a.ip === ANY_IP && !same.wildcard) same.wildcard = a;
  });
}

const ANY_IP = '0.0.0.0';

/** Longer prefixes are not compared (no namer prefix is this long; the check stays linear). */
const MAX_PREFIX = 4096;

/**
 * Path prefixes added in order, for "the first added prefix equal to, above or below this one"
 * (`/a` overlaps `/a`, `/a/b` and `/a/b/c`, not `/ab`) without comparing every pair.
 */
class PrefixIndex {
  private readonly order = new Map<string, number>();
  /** Each proper ancestor of an added prefix -> the first added prefix below it. */
  private readonly below = new Map<string, { prefix: string; order: number }>();
  private added = 0;

  /** The ancestors of a prefix: `/a/b/c` -> `/a`, `/a/b` (cut at each `/` but the first). */
  private static ancestors(prefix: string): string[] {
    const out: string[] = [];
    for (let i = prefix.indexOf('/', 1); i > 0; i = prefix.indexOf('/', i + 1)) out.push(prefix.slice(0, i));
    return out;
  }

  firstOverlap(prefix: string): string | undefined {
    if (prefix.length > MAX_PREFIX) return undefined;
    let best: { prefix: string; order: number } | undefined;
    const consider = (p: string, order: number | undefined) => {
      if (order !== undefined && (!best || order < best.order)) best = { prefix: p, order };
    };
    consider(prefix, this.order.get(prefix));
    for (const a of PrefixIndex.ancestors(prefix)) consider(a, this.order.get(a));
    const under = this.below.get(prefix);
    if (under) consider(under.prefix, under.order);
    return best?.prefix;
  }

  add(prefix: string): void {
    const order = this.added++;
    if (prefix.length > MAX_PREFIX) return;
    if (!this.order.has(prefix)) this.order.set(prefix, order);
    for (const a of PrefixIndex.ancestors(prefix)) if (!this.below.has(a)) this.below.set(a, { prefix, order });
  }
}
