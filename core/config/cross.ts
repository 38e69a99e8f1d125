// Cross-field checks: what Linkerd and namerd reject (or silently get wrong) that no single key's
// type says: conflicting keys in one block, values out of range, overlapping namer prefixes,
// duplicate router labels, two servers on one port, and `/#/` paths in embedded dtabs that no
// configured namer answers.

import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { ADMIN_PORTS, DEFAULT_PORTS, type ConfigKind } from './catalogue.js';
import { capitalize, diag, keyName, keyOrMap, type Ctx } from './diag.js';
import { checkNamerRefs, type EmbeddedDtab } from './embedded.js';
import { get, routerNamers, str, type ConfigModel, type ConfigRouter, type DtabOwner } from './model.js';

/** Every mapping in the tree, with the key it hangs under (for checks that apply wherever a block is). */
function eachMap(node: Node | null | undefined, f: (map: YAMLMap, key: string | undefined) => void, key?: string): void {
  if (isMap(node)) {
    f(node, key);
    for (const p of node.items) eachMap(p.value as Node, f, keyName(p));
  } else if (isSeq(node)) for (const i of node.items) eachMap(i as Node, f, key);
}

const num = (n: Node | null | undefined) => (isScalar(n) && typeof n.value === 'number' ? n.value : undefined);
const bool = (n: Node | null | undefined) => (isScalar(n) && typeof n.value === 'boolean' ? n.value : undefined);

/** Checks of single blocks, wherever they are. */
function blockChecks(ctx: Ctx, root: Node | null): void {
  eachMap(root, (map, key) => {
    const kind = str(get(map, 'kind'));
    const at = (k: string) => map.items.find((p) => keyName(p) === k)?.key as Node | undefined;
    // http routers: no streaming threshold when streaming is off.
    if (bool(get(map, 'streamingEnabled')) === false && get(map, 'streamAfterContentLengthKB') !== undefined)
      diag(ctx, at('streamAfterContentLengthKB'), 'error', 'conflicting-keys', '`streamAfterContentLengthKB` has no effect with `streamingEnabled: false`: Linkerd rejects the combination.');
    // Client TLS (a `tls` block with client keys): what Linkerd's TLS client config requires.
    if (key === 'tls' && (get(map, 'disableValidation') !== undefined || get(map, 'commonName') !== undefined || get(map, 'trustCerts') !== undefined)) {
      if (bool(get(map, 'disableValidation')) === true && get(map, 'clientAuth') !== undefined)
        diag(ctx, at('clientAuth'), 'error', 'conflicting-keys', '`clientAuth` cannot be used with `disableValidation: true`.');
      if (get(map, 'trustCerts') !== undefined && get(map, 'trustCertsBundle') !== undefined)
        diag(ctx, at('trustCertsBundle'), 'error', 'conflicting-keys', 'Give `trustCerts` or `trustCertsBundle`, not both.');
      if (bool(get(map, 'disableValidation')) !== true && get(map, 'commonName') === undefined && (get(map, 'trustCerts') !== undefined || get(map, 'trustCertsBundle') !== undefined))
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
    const seen: { prefix: string; node: Node }[] = [];
    for (const n of namerList.items) {
      const prefixNode = get(n as Node, 'prefix');
      const prefix = str(prefixNode) ?? (str(get(n as Node, 'kind')) ? `/${str(get(n as Node, 'kind'))}` : undefined);
      if (!prefix) continue;
      const clash = seen.find((x) => x.prefix === prefix || prefix.startsWith(x.prefix + '/') || x.prefix.startsWith(prefix + '/'));
      if (clash) diag(ctx, (prefixNode ?? get(n as Node, 'kind') ?? n) as Node, 'error', 'namer-prefix-overlap', `This namer's prefix \`${prefix}\` overlaps \`${clash.prefix}\`: give each namer its own \`prefix\`.`);
      seen.push({ prefix, node: n as Node });
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
        if (port !== undefined) listens.push({ ip: str(get(f as Node, 'ip')) ?? '127.0.0.1', port, node: (portNode ?? f) as Node, what: `the \`${kindName}\` interface` });
      }
    }
    const NS = 'storage.namespaces.';
    for (let i = 0; i < ctx.dtabs.length; i++) {
      const where = ctx.dtabs[i]!.where;
      complete(i, where.startsWith(NS) ? { kind: 'namespace', name: where.slice(NS.length) } : undefined, "namerd's `namers`");
    }
  }
  // Two listeners on one address (0.0.0.0 overlaps every address on the same port): by port.
  const byPort = new Map<number, typeof listens>();
  for (const a of listens) {
    if (a.port === 0) continue;
    const same = byPort.get(a.port) ?? [];
    const b = same.find((x) => a.ip === x.ip || a.ip === '0.0.0.0' || x.ip === '0.0.0.0');
    if (b) diag(ctx, a.node, 'error', 'port-clash', `${capitalize(a.what)} listens on ${a.ip}:${a.port}, like ${b.what}: Linkerd cannot bind the same port twice.`);
    same.push(a);
    byPort.set(a.port, same);
  }
}
