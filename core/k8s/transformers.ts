// Linkerd 1.7.5's Kubernetes transformers, as pure functions over one bound name:
//   io.l5d.k8s.daemonset  replaces each address by the daemonset pods (linkerd itself) on the same
//                         /24 (or the same node with hostNetwork)  — interpreter/k8s/…/DaemonSetTransformerInitializer.scala,
//                         interpreter/subnet/…/SubnetGatewayTransformer.scala
//   io.l5d.k8s.localnode  keeps the addresses on the same /24 as POD_IP (or on node NODE_NAME)
//                         — LocalNodeTransformerInitializer.scala, SubnetLocalTransformer.scala,
//                         namer/core/…/NameTreeTransformer.scala (FilteringNameTreeTransformer)
// Applying them to a bound tree is mapping every leaf (`mapTree`); their ids start with `/%/…`.

import { evaluate, type NameTree } from '../model/nametree.js';
import { textToElem, type Path } from '../model/path.js';
import { boundAddr, type Addr, type Address, type BoundName, type Name } from '../model/names.js';
import type { K8sSource } from './types.js';
import { lookupEndpoints, type MaybePromise } from './namers.js';
import { sameSubnet } from './ip.js';

/** Linkerd's transformer ids start with `/%` (Paths.TransformerPrefix). */
const TRANSFORMER_ROOT = '%';

/** A transformer's `prefix` as configured (`/io.l5d.k8s.localnode`), or undefined for the default. */
function configuredPrefix(prefix: string | undefined, dflt: readonly string[]): Path {
  const elems = prefix === undefined ? dflt : prefix.split('/').filter((e) => e !== '');
  return [TRANSFORMER_ROOT, ...elems.map(textToElem)];
}

/** A bound id that is a path gets the prefix; Linkerd leaves non-path ids alone (ours are always paths). */
function withAddr(bound: BoundName, prefix: Path, addr: Addr): BoundName {
  return { ...bound, id: [...prefix, ...bound.id], addr };
}

// ---- io.l5d.k8s.daemonset -------------------------------------------------------------------------

export interface DaemonsetOptions {
  /** `namespace`, `port`, `service` (all required): where the daemonset's Endpoints are. */
  readonly namespace: string;
  readonly port: string;
  readonly service: string;
  /** Match on the `nodeName` metadata instead of the /24 subnet. */
  readonly hostNetwork?: boolean;
  /** The transformer's `prefix` (default `/io.l5d.k8s.daemonset/<namespace>/<port>/<service>`). */
  readonly prefix?: string;
}

/** The id prefix: `/%/io.l5d.k8s.daemonset/<namespace>/<port>/<service>` (or `/%` + the configured prefix). */
export function daemonsetPrefix(opts: DaemonsetOptions): Path {
  return configuredPrefix(opts.prefix, ['io.l5d.k8s.daemonset', opts.namespace, opts.port, opts.service]);
}

/**
 * The daemonset's addresses: Linkerd binds `/<namespace>/<port>/<service>` with an io.l5d.k8s
 * namer of its own and collects every bound address (`~` or addresses not yet known: none).
 */
export function daemonsetGateways(source: K8sSource, opts: DaemonsetOptions): MaybePromise<Address[]> {
  const ns = opts.namespace.toLowerCase();
  const r = lookupEndpoints(source, ns, opts.port.toLowerCase(), opts.service.toLowerCase());
  const f = (addrs: Address[] | undefined) => addrs ?? [];
  return r instanceof Promise ? r.then(f) : f(r);
}

/** Every address of the bound leaves a tree evaluates to (GatewayTransformer.flatten). */
export function boundAddresses(tree: NameTree<Name>): Address[] {
  const out: Address[] = [];
  for (const n of evaluate(tree) ?? []) if (n.kind === 'bound' && n.addr.type === 'bound') for (const a of n.addr.addrs) out.push(a);
  return dedupe(out);
}

function addressKey(a: Address): string {
  return `${a.ip}\u0000${a.port}\u0000${JSON.stringify(a.meta)}`;
}

function dedupe(addrs: readonly Address[]): Address[] {
  const seen = new Set<string>();
  return addrs.filter((a) => {
    const k = addressKey(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * GatewayTransformer.mapBound: each address of a bound set is replaced by every gateway on the
 * same /24 (with hostNetwork: whose `nodeName` metadata equals it — two addresses without a
 * nodeName count as equal, as in Linkerd); nothing selected → `Addr.Neg`. Other addrs (neg,
 * failed, pending) are kept. The residual is kept; the id gets the daemonset prefix.
 */
export function daemonsetTransform(bound: BoundName, gateways: readonly Address[], opts: DaemonsetOptions): BoundName {
  const match = opts.hostNetwork
    ? (a: Address, g: Address) => a.meta['nodeName'] === g.meta['nodeName']
    : (a: Address, g: Address) => sameSubnet(a.ip, g.ip);
  let addr = bound.addr;
  if (addr.type === 'bound') {
    const selected = dedupe(addr.addrs.flatMap((a) => gateways.filter((g) => match(a, g))));
    addr = selected.length === 0 ? { type: 'neg' } : boundAddr(selected, { ...addr.meta });
  }
  return withAddr(bound, daemonsetPrefix(opts), addr);
}

// ---- io.l5d.k8s.localnode -----------------------------------------------------------------------

export interface LocalnodeOptions {
  /** Keep the addresses on node `nodeName` (env NODE_NAME) instead of the /24 of `podIp` (env POD_IP). */
  readonly hostNetwork?: boolean;
  /** The env var POD_IP. */
  readonly podIp?: string;
  /** The env var NODE_NAME. */
  readonly nodeName?: string;
  /** The transformer's `prefix` (default `/io.l5d.k8s.localnode`). */
  readonly prefix?: string;
}

/** The id prefix: `/%/io.l5d.k8s.localnode/<POD_IP>` (`/<NODE_NAME>` with hostNetwork). Throws Linkerd's message when the env var is missing. */
export function localnodePrefix(opts: LocalnodeOptions): Path {
  return [...configuredPrefix(opts.prefix, ['io.l5d.k8s.localnode']), textToElem(localValue(opts))];
}

function localValue(opts: LocalnodeOptions): string {
  if (opts.hostNetwork) {
    if (opts.nodeName === undefined) throw new Error("NODE_NAME env variable must be set to the node's name");
    return opts.nodeName;
  }
  if (opts.podIp === undefined) throw new Error("POD_IP env variable must be set to the pod's IP");
  return opts.podIp;
}

/**
 * FilteringNameTreeTransformer.mapBound: a bound set keeps the addresses on the same /24 as
 * POD_IP (with hostNetwork: whose `nodeName` metadata is NODE_NAME); none left → `Addr.Neg`.
 * Other addrs are kept. The residual is kept; the id gets the localnode prefix.
 */
export function localnodeTransform(bound: BoundName, opts: LocalnodeOptions): BoundName {
  const local = localValue(opts);
  const keep = opts.hostNetwork ? (a: Address) => a.meta['nodeName'] === local : (a: Address) => sameSubnet(a.ip, local);
  let addr = bound.addr;
  if (addr.type === 'bound') {
    const kept = addr.addrs.filter(keep);
    addr = kept.length === 0 ? { type: 'neg' } : boundAddr(kept, { ...addr.meta });
  }
  return withAddr(bound, localnodePrefix(opts), addr);
}
