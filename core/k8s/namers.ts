// Linkerd 1.7.5's Kubernetes namers over a K8sSource (live or a snapshot):
//   io.l5d.k8s           /<namespace>/<port>/<service>[/<labelValue>]/<residual…>   (MultiNsNamer)
//   io.l5d.k8s.ns        /<port>/<service>[/<labelValue>]/<residual…>                (SingleNsNamer)
//   io.l5d.k8s.external  /<namespace>/<port>/<service>[/<labelValue>]/<residual…>   (ServiceNamer)
// Each rule below is Linkerd's (k8s/src/main/scala/io/buoyant/k8s/{EndpointsNamer,ServiceNamer,v1}.scala
// at linkerd/linkerd@ea82499); the comments say which, so a reader can check them.
//
// A namer answers at once when the source has the objects, and with a promise when the source
// does (the delegation engine then waits for it).

import { leaf, NEG, type NameTree } from '../model/nametree.js';
import { elemToText, textToElem, type Path } from '../model/path.js';
import { boundAddr, boundName, type Addr, type Address, type Name } from '../model/names.js';
import { parseJavaInt } from '../model/inet.js';
import { NamingError } from '../delegate/errors.js';
import { literalInetResolver, type InetResolver, type LookupResult, type Namer } from '../delegate/system-namers.js';
import type { NamerRegistry, NamerSpec } from '../delegate/namer-registry.js';
import type { Endpoints, K8sSource, Service } from './types.js';
import { javaHostAddress } from './ip.js';

export type MaybePromise<T> = T | Promise<T>;

function then<A, B>(a: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return a instanceof Promise ? a.then(f) : f(a);
}

function both<A, B, C>(a: MaybePromise<A>, b: MaybePromise<B>, f: (a: A, b: B) => C): MaybePromise<C> {
  if (a instanceof Promise || b instanceof Promise) return Promise.all([a, b]).then(([x, y]) => f(x, y));
  return f(a, b);
}

/** The Kubernetes namer kinds. */
export const K8S_NAMER_KINDS = ['io.l5d.k8s', 'io.l5d.k8s.ns', 'io.l5d.k8s.external'] as const;
export type K8sNamerKind = (typeof K8S_NAMER_KINDS)[number];

/** `labelSelector: <key>` of a namer block: the path then carries the label's value. */
export interface LabelSelector {
  readonly key: string;
  readonly value: string;
}

/** With a label selector, Linkerd watches `…?labelSelector=<key>=<value>`: an object without that label is absent. */
export function selected<T extends Endpoints | Service>(obj: T | undefined, sel: LabelSelector | undefined): T | undefined {
  if (obj === undefined || sel === undefined) return obj;
  const labels = obj.metadata?.labels;
  return labels && Object.hasOwn(labels, sel.key) && labels[sel.key] === sel.value ? obj : undefined;
}

// ---- Endpoints (EndpointsNamer.scala: RichSubsetsSeq, ServiceEndpoints) ---------------------

export interface Endpoint {
  readonly ip: string;
  readonly nodeName?: string;
}

/** What the namer keeps of an Endpoints object: its ready addresses and its named ports. */
export interface EndpointsState {
  /** Ready addresses of all subsets, without duplicates (`notReadyAddresses` are never used). */
  readonly endpoints: readonly Endpoint[];
  /** Named TCP ports of all subsets (a later subset's port of the same name wins). */
  readonly ports: ReadonlyMap<string, number>;
}

/**
 * `subsets.toEndpointsAndPorts`: every subset's `addresses` (not `notReadyAddresses`), and every
 * subset's ports that have a name and protocol TCP (case-insensitive; absent means TCP).
 * A missing object, `subsets: null` and `subsets: []` all give no endpoints and no ports.
 */
export function endpointsState(ep: Endpoints | undefined): EndpointsState {
  if (ep === undefined) return NO_ENDPOINTS;
  // A source hands out the same object until it changes: read each one once.
  let state = states.get(ep);
  if (!state) states.set(ep, (state = readEndpoints(ep)));
  return state;
}

const NO_ENDPOINTS: EndpointsState = { endpoints: [], ports: new Map() };
const states = new WeakMap<Endpoints, EndpointsState>();
/** The addresses of each port of a state, made once (bound names share them, unchanged). */
const addressesOf = new WeakMap<EndpointsState, Map<number, Address[]>>();

function readEndpoints(ep: Endpoints): EndpointsState {
  const endpoints: Endpoint[] = [];
  const seen = new Set<string>();
  const ports = new Map<string, number>();
  for (const subset of ep.subsets ?? []) {
    for (const a of subset.addresses ?? []) {
      const ip = javaHostAddress(a.ip);
      const nodeName = typeof a.nodeName === 'string' ? a.nodeName : undefined;
      // A set of (InetAddress, Option[nodeName]).
      const key = `${ip}\u0000${nodeName ?? '\u0001'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      endpoints.push(nodeName === undefined ? { ip } : { ip, nodeName });
    }
    for (const p of subset.ports ?? []) {
      if (typeof p.name !== 'string') continue;
      if ((p.protocol ?? 'TCP').toUpperCase() !== 'TCP') continue;
      ports.set(p.name, p.port);
    }
  }
  return { endpoints, ports };
}

/** `ServiceEndpoints.port`: every endpoint at this port, with `nodeName` metadata when known. */
export function endpointAddresses(state: EndpointsState, port: number): Address[] {
  let byPort = addressesOf.get(state);
  if (!byPort) addressesOf.set(state, (byPort = new Map()));
  let out = byPort.get(port);
  if (!out) byPort.set(port, (out = state.endpoints.map((e) => ({ ip: e.ip, port, meta: e.nodeName !== undefined ? { nodeName: e.nodeName } : {} }))));
  return out;
}

/** `lookupNamedPort`: undefined (→ `~`) when no subset has a TCP port of that name. */
export function lookupNamedPort(state: EndpointsState, name: string): Address[] | undefined {
  const port = state.ports.get(name);
  return port === undefined ? undefined : endpointAddresses(state, port);
}

/**
 * `v1.Service.portMappings`: port number → target port (as text; the port's own number when
 * `targetPort` is absent). Built only when the Service has `metadata`, `status` and `spec`
 * (Linkerd's for-comprehension over the three); a later port of the same number wins.
 */
export function servicePortMappings(svc: Service | undefined): Map<number, string> {
  const out = new Map<number, string>();
  if (!svc || !svc.metadata || !svc.status || !svc.spec) return out;
  for (const p of svc.spec.ports ?? []) out.set(p.port, p.targetPort === undefined || p.targetPort === null ? String(p.port) : String(p.targetPort));
  return out;
}

/**
 * `lookupNumberedPort`: the Service maps the number to its target; a numeric target binds every
 * endpoint at that number (even with no endpoints at all: an empty set, not `~`), a named target
 * is looked up among the endpoints' named ports; a number the Service does not have is `~`.
 */
export function lookupNumberedPort(state: EndpointsState, mappings: ReadonlyMap<number, string>, port: number): Address[] | undefined {
  const target = mappings.get(port);
  if (target === undefined) return undefined;
  const n = parseJavaInt(target);
  return n !== undefined ? endpointAddresses(state, n) : lookupNamedPort(state, target);
}

/**
 * `EndpointsNamer.lookupServices`: the addresses of `<port>` of `<service>` in `<namespace>`, or
 * undefined for `~`. A numeric port also reads the Service object (for its port mappings).
 */
export function lookupEndpoints(
  source: K8sSource,
  namespace: string,
  port: string,
  service: string,
  sel?: LabelSelector,
): MaybePromise<Address[] | undefined> {
  const eps = then(source.endpoints(namespace, service), (e) => endpointsState(selected(e, sel)));
  const number = parseJavaInt(port);
  if (number === undefined) return then(eps, (state) => lookupNamedPort(state, port));
  const mappings = then(source.service(namespace, service), (s) => servicePortMappings(selected(s, sel)));
  return both(eps, mappings, (state, m) => lookupNumberedPort(state, m, number));
}

// ---- the namers -------------------------------------------------------------------------------

/** The path a spec's prefix stands for, as the registry matches it (`/#/io.l5d.k8s` → `#`, `io.l5d.k8s`). */
function prefixPath(prefix: string): Path {
  return prefix.split('/').filter((e) => e !== '');
}

function labelKey(spec: NamerSpec): string | undefined {
  const l = spec.params['labelSelector'];
  return typeof l === 'string' ? l : undefined;
}

const lower = (e: string) => elemToText(e).toLowerCase();

function endpointsNamer(spec: NamerSpec, source: K8sSource, namespace: (() => string) | undefined): Namer {
  const idPrefix = prefixPath(spec.prefix);
  const label = labelKey(spec);
  // MultiNsNamer.PrefixLen = 3, SingleNsNamer.PrefixLen = 2, plus one for the label value.
  const n = (namespace ? 2 : 3) + (label !== undefined ? 1 : 0);
  return {
    lookup(path: Path): LookupResult {
      const ns = namespace?.();
      // The first n segments, lower-cased; fewer (a missing label value included) → ~.
      if (path.length < n) return NEG;
      const head = path.slice(0, n).map(lower);
      const [nsName, portName, serviceName, labelValue] = ns !== undefined ? [ns, ...head] : head;
      const id = [...idPrefix, ...head.map(textToElem)];
      const residual = path.slice(n);
      const sel = label !== undefined ? { key: label, value: labelValue! } : undefined;
      return then(lookupEndpoints(source, nsName!, portName!, serviceName!, sel), (addrs): NameTree<Name> =>
        addrs === undefined ? NEG : leaf(boundName(id, residual, boundAddr(addrs))),
      );
    },
  };
}

/**
 * `io.l5d.k8s`: `/<namespace>/<port>/<service>[/<labelValue>]/<residual…>` over Endpoints. The
 * first 3 (4 with `labelSelector`) segments are lower-cased and, after the spec's prefix, make
 * the bound id; the rest is the residual, case kept.
 */
export function k8sNamer(spec: NamerSpec, source: K8sSource): Namer {
  return endpointsNamer(spec, source, undefined);
}

/** The env var `io.l5d.k8s.ns` reads its namespace from (`envVar`, default POD_NAMESPACE). */
export function k8sNsEnvVar(spec: NamerSpec): string {
  const v = spec.params['envVar'];
  return typeof v === 'string' ? v : 'POD_NAMESPACE';
}

/**
 * `io.l5d.k8s.ns`: `/<port>/<service>[/<labelValue>]/<residual…>` in one namespace, the value of
 * the env var named by `envVar`. Without it every lookup fails (Linkerd refuses to start).
 */
export function k8sNsNamer(spec: NamerSpec, source: K8sSource, namespace: string | undefined): Namer {
  const envVar = k8sNsEnvVar(spec);
  return endpointsNamer(spec, source, () => {
    if (namespace === undefined) {
      throw new NamingError(
        `could not find namespace for envVar ${envVar}: io.l5d.k8s.ns (${spec.prefix}) reads its namespace from the environment variable ${envVar}, which is not set`,
      );
    }
    return namespace;
  });
}

// ---- io.l5d.k8s.external (ServiceNamer.scala) -------------------------------------------------

/** What ServiceNamer keeps of a Service: port name → ingress host and port; port number → target. */
export interface ExternalState {
  readonly ports: ReadonlyMap<string, { readonly host: string; readonly port: number }>;
  readonly portMappings: ReadonlyMap<number, string>;
}

/**
 * `ServiceNamer.unpackService`: needs `metadata.name`, `status.loadBalancer` and `spec`. Each
 * port gets the ingress host (hostname, else ip; the last ingress entry wins) with the port's
 * own number, and a mapping number → targetPort (text; the number itself when absent).
 */
export function externalState(svc: Service | undefined): ExternalState {
  const ports = new Map<string, { host: string; port: number }>();
  const portMappings = new Map<number, string>();
  const lb = svc?.status?.loadBalancer;
  if (!svc || typeof svc.metadata?.name !== 'string' || !lb || !svc.spec) return { ports, portMappings };
  for (const p of svc.spec.ports ?? []) {
    for (const ingress of lb.ingress ?? []) {
      const host = ingress.hostname ?? ingress.ip;
      if (host === undefined || host === null) continue;
      if (typeof p.name === 'string') ports.set(p.name, { host, port: p.port });
    }
    portMappings.set(p.port, p.targetPort === undefined || p.targetPort === null ? String(p.port) : String(p.targetPort));
  }
  return { ports, portMappings };
}

/**
 * `Svc.lookup`: a named port directly; a number through `port → targetPort`, and then the target
 * must be the *name* of a service port (Linkerd's quirk: `80 → 8080` finds nothing unless a port
 * is named `8080`).
 */
export function lookupExternal(state: ExternalState, portName: string): { host: string; port: number } | undefined {
  const n = parseJavaInt(portName);
  if (n === undefined) return state.ports.get(portName);
  const target = state.portMappings.get(n);
  return target === undefined ? undefined : state.ports.get(target);
}

/**
 * Java's `new InetSocketAddress(host, port)`: one address (the first a DNS answer gives). A host
 * that does not resolve stays an unresolved address, which Linkerd's JSON leaves out (an empty set).
 */
function resolveOne(inet: InetResolver, host: string, port: number): MaybePromise<Addr> {
  return then(inet.resolve(host, port), (a): Addr => {
    switch (a.type) {
      case 'bound':
        return boundAddr(a.addrs.slice(0, 1).map((x) => ({ ip: javaHostAddress(x.ip), port: x.port, meta: {} })));
      case 'neg':
        return boundAddr([]);
      default:
        return a;
    }
  });
}

/**
 * `io.l5d.k8s.external`: `/<namespace>/<port>/<service>[/<labelValue>]/<residual…>` to the
 * Service's load-balancer ingress, one address `ingressHost:servicePort`. Namespace, port and
 * service are lower-cased for the lookup (the label value is not), but the bound id keeps the
 * segments as written. `inet` resolves ingress host names (literal-only by default: no DNS).
 */
export function k8sExternalNamer(spec: NamerSpec, source: K8sSource, inet: InetResolver = literalInetResolver): Namer {
  const idPrefix = prefixPath(spec.prefix);
  const label = labelKey(spec);
  const n = 3 + (label !== undefined ? 1 : 0);
  return {
    lookup(path: Path): LookupResult {
      if (path.length < n) return NEG;
      const [nsName, portName, serviceName, labelValue] = path.slice(0, n).map(elemToText) as [string, string, string, string?];
      const sel = label !== undefined ? { key: label, value: labelValue! } : undefined;
      const id = [...idPrefix, ...path.slice(0, n)];
      const residual = path.slice(n);
      return then(source.service(nsName.toLowerCase(), serviceName.toLowerCase()), (svc) => {
        const hit = lookupExternal(externalState(selected(svc, sel)), portName.toLowerCase());
        if (hit === undefined) return NEG;
        return then(resolveOne(inet, hit.host, hit.port), (addr): NameTree<Name> => leaf(boundName(id, residual, addr)));
      });
    },
  };
}

// ---- registry -----------------------------------------------------------------------------------

export interface K8sNamerEnv {
  /** The namespace `io.l5d.k8s.ns` reads (the value of its `envVar`, default POD_NAMESPACE). */
  readonly podNamespace?: string;
  /** Environment variables by name: when given, `io.l5d.k8s.ns` reads the one its `envVar` names (before `podNamespace`). */
  readonly vars?: Readonly<Record<string, string | undefined>>;
  /** How `io.l5d.k8s.external` resolves ingress host names (literal-only by default). */
  readonly inet?: InetResolver;
}

/**
 * Registers the three Kubernetes namer kinds. A spec for which `sourceFor` has no source gets no
 * namer here, so the registry falls back to its unresolved namer (addresses known at run time).
 */
export function registerK8sNamers(
  registry: NamerRegistry,
  sourceFor: (spec: NamerSpec) => K8sSource | undefined,
  env: K8sNamerEnv = {},
): NamerRegistry {
  registry.register('io.l5d.k8s', (spec) => {
    const source = sourceFor(spec);
    return source && k8sNamer(spec, source);
  });
  registry.register('io.l5d.k8s.ns', (spec) => {
    const source = sourceFor(spec);
    return source && k8sNsNamer(spec, source, env.vars?.[k8sNsEnvVar(spec)] ?? env.podNamespace);
  });
  registry.register('io.l5d.k8s.external', (spec) => {
    const source = sourceFor(spec);
    return source && k8sExternalNamer(spec, source, env.inet);
  });
  return registry;
}
