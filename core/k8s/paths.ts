// Editor help for paths under the Kubernetes namers: which segment the cursor is in (for
// completion), the names that fit there, and what the namer would say about a path
// (`no service worl in namespace default (services: world, hello)`), with the closest name.

import { elemToText, startsWith, type Path } from '../model/path.js';
import { parsePath } from '../syntax/parser.js';
import { parseJavaInt } from '../model/inet.js';
import { didYouMean } from '../config/words.js';
import type { K8sSource } from './types.js';
import {
  endpointsState,
  externalState,
  lookupExternal,
  selected,
  servicePortMappings,
  type K8sNamerKind,
  type LabelSelector,
  type MaybePromise,
} from './namers.js';

export type K8sSegmentRole = 'namespace' | 'port' | 'service' | 'labelValue';

/** Which namer a path is under, as configured. */
export interface K8sPathShape {
  /** Default `io.l5d.k8s`. */
  readonly kind?: K8sNamerKind;
  /** The full prefix, default `/#/<kind>`. */
  readonly prefix?: string;
  /** The namer's `labelSelector` (a label key): the path then has a label-value segment. */
  readonly labelSelector?: string;
  /** For `io.l5d.k8s.ns`: the namespace it reads (its env var's value). */
  readonly namespace?: string;
}

/** The segments after the prefix, in order. */
export function k8sSegmentRoles(shape: K8sPathShape = {}): K8sSegmentRole[] {
  const roles: K8sSegmentRole[] = shape.kind === 'io.l5d.k8s.ns' ? ['port', 'service'] : ['namespace', 'port', 'service'];
  if (shape.labelSelector !== undefined) roles.push('labelValue');
  return roles;
}

function prefixElems(shape: K8sPathShape): string[] {
  return (shape.prefix ?? `/#/${shape.kind ?? 'io.l5d.k8s'}`).split('/').filter((e) => e !== '');
}

// ---- the cursor ---------------------------------------------------------------------------------

export interface K8sCursor {
  readonly role: K8sSegmentRole;
  /** The element's index in the whole path (`/#/io.l5d.k8s/default`: `default` is 2). */
  readonly index: number;
  /** The segment's span in the text (without the leading `/`). */
  readonly start: number;
  readonly end: number;
  /** The segment as written (escapes decoded). */
  readonly text: string;
  /** The other segments, when written (lower-cased, as the namer reads them). */
  readonly namespace?: string;
  readonly port?: string;
  readonly service?: string;
}

/** A segment as written, decoded by the dtab parser itself (escapes included); as written if it is not a label. */
function decodeLabel(raw: string): string {
  if (!raw.includes('\\')) return raw;
  const r = parsePath(`/${raw}`);
  return r.ok && r.value.labels.length === 1 ? elemToText(r.value.values[0]!) : raw;
}

/**
 * Which k8s segment the cursor (an offset in `text`, a path as written in a dtab, possibly
 * unfinished: `/#/io.l5d.k8s/default/`) is in; undefined in the prefix, past the namer's
 * segments, or when the path is not under this namer.
 */
export function k8sCursorSegment(text: string, offset: number, shape: K8sPathShape = {}): K8sCursor | undefined {
  if (!text.startsWith('/') || offset < 1 || offset > text.length) return undefined;
  const segs: { start: number; end: number; raw: string }[] = [];
  let start = 1;
  for (;;) {
    const slash = text.indexOf('/', start);
    const end = slash < 0 ? text.length : slash;
    segs.push({ start, end, raw: text.slice(start, end) });
    if (slash < 0) break;
    start = slash + 1;
  }
  const prefix = prefixElems(shape);
  for (let i = 0; i < prefix.length; i++) if (segs[i] === undefined || decodeLabel(segs[i]!.raw) !== prefix[i]) return undefined;
  const roles = k8sSegmentRoles(shape);
  const at = segs.findIndex((s) => s.start <= offset && offset <= s.end);
  const r = at - prefix.length;
  if (at < 0 || r < 0 || r >= roles.length) return undefined;
  const value = (role: K8sSegmentRole): string | undefined => {
    const j = roles.indexOf(role);
    if (j < 0 || j === r) return undefined;
    const s = segs[prefix.length + j];
    return s && s.raw !== '' ? decodeLabel(s.raw).toLowerCase() : undefined;
  };
  const seg = segs[at]!;
  const namespace = shape.kind === 'io.l5d.k8s.ns' ? shape.namespace : value('namespace');
  const port = value('port');
  const service = value('service');
  return {
    role: roles[r]!,
    index: at,
    start: seg.start,
    end: seg.end,
    text: decodeLabel(seg.raw),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(service !== undefined ? { service } : {}),
  };
}

/**
 * The names that fit the cursor's segment, from what the source has at hand (objects still being
 * fetched are left out): namespaces; services of the namespace; the service's port names (and its
 * port numbers), or, before the service is written, the port names of every service there.
 */
export function k8sCandidates(cursor: K8sCursor, source: K8sSource, shape: K8sPathShape = {}): string[] {
  const ns = cursor.namespace;
  switch (cursor.role) {
    case 'namespace':
      return [...source.namespaces()];
    case 'service':
      return ns === undefined ? [] : [...source.services(ns)];
    case 'port': {
      if (ns === undefined) return [];
      const external = shape.kind === 'io.l5d.k8s.external';
      const services = cursor.service !== undefined ? [cursor.service] : source.services(ns);
      const names = new Set<string>();
      const numbers = new Set<string>();
      for (const svc of services) {
        if (!external) {
          const ep = source.endpoints(ns, svc);
          if (!(ep instanceof Promise)) for (const name of endpointsState(ep).ports.keys()) names.add(name);
        }
        if (cursor.service !== undefined) {
          const s = source.service(ns, svc);
          if (!(s instanceof Promise) && s !== undefined) {
            for (const p of s.spec?.ports ?? []) {
              if (external && typeof p.name === 'string') names.add(p.name);
              numbers.add(String(p.port));
            }
          }
        }
      }
      return [...[...names].sort(), ...[...numbers].sort((a, b) => Number(a) - Number(b))];
    }
    case 'labelValue':
      return [];
  }
}

// ---- problems -----------------------------------------------------------------------------------

export type K8sProblemCode =
  | 'k8s-short-path'
  | 'k8s-namespace-unset'
  | 'k8s-no-namespace'
  | 'k8s-no-service'
  | 'k8s-no-label'
  | 'k8s-no-endpoints'
  | 'k8s-no-port'
  | 'k8s-no-target-port'
  | 'k8s-no-ready-endpoints'
  | 'k8s-no-ingress';

export interface K8sPathProblem {
  readonly code: K8sProblemCode;
  /** The element's index in the path (the lead maps it to a span). */
  readonly index: number;
  readonly role: K8sSegmentRole | 'prefix';
  readonly message: string;
  /** What the namer answers for the path: `~` (neg: alternatives are tried), or a name with no addresses (empty: requests fail). */
  readonly binds: 'neg' | 'empty' | 'fails';
  /** The closest existing name, for a quick fix. */
  readonly suggestion?: string;
}

const MAX_LISTED = 10;

function listed(what: string, names: readonly string[]): string {
  if (names.length === 0) return `no ${what}`;
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return `${what}: ${shown}${names.length > MAX_LISTED ? `, … ${names.length - MAX_LISTED} more` : ''}`;
}

function problem(code: K8sProblemCode, index: number, role: K8sPathProblem['role'], message: string, binds: K8sPathProblem['binds'], suggestion?: string): K8sPathProblem {
  return { code, index, role, message, binds, ...(suggestion !== undefined ? { suggestion } : {}) };
}

/** States in which the source's lists cannot be trusted to say what does not exist. */
const UNKNOWING = new Set(['connecting', 'unreachable', 'unauthorized', 'forbidden']);

/**
 * What the namer would make of `path` (a whole dtab path, `/#/io.l5d.k8s/default/http/world/…`),
 * as problems with the index of the element at fault: a missing namespace, service or port, a
 * service without (ready) endpoints. Nothing when the path is not under this namer, or when the
 * source cannot know yet (connecting, unreachable, forbidden).
 */
export function k8sPathProblems(path: Path, source: K8sSource, shape: K8sPathShape = {}): MaybePromise<K8sPathProblem[]> {
  const prefix = prefixElems(shape);
  if (!startsWith(path, prefix)) return [];
  const roles = k8sSegmentRoles(shape);
  const p = prefix.length;
  if (path.length < p + roles.length) {
    const shapeText = roles.map((r) => `<${r === 'labelValue' ? `${shape.labelSelector} value` : r}>`).join('/');
    return [problem('k8s-short-path', path.length - 1, 'prefix', `${shape.kind ?? 'io.l5d.k8s'} needs ${prefix.length > 0 ? '/' + prefix.join('/') : ''}/${shapeText}: this path has too few segments`, 'neg')];
  }
  const seg = (role: K8sSegmentRole) => p + roles.indexOf(role);
  const text = (role: K8sSegmentRole) => elemToText(path[seg(role)]!);
  const external = shape.kind === 'io.l5d.k8s.external';
  const isNs = shape.kind === 'io.l5d.k8s.ns';

  // Namespace.
  let ns: string;
  if (isNs) {
    if (shape.namespace === undefined) return [problem('k8s-namespace-unset', p - 1, 'prefix', 'io.l5d.k8s.ns reads its namespace from an environment variable that is not set here', 'fails')];
    ns = shape.namespace;
  } else {
    ns = text('namespace').toLowerCase();
    const known = source.namespaces();
    if (known.length > 0 && !UNKNOWING.has(source.status().state) && !known.includes(ns)) {
      return [problem('k8s-no-namespace', seg('namespace'), 'namespace', `no namespace \`${ns}\` (${listed('namespaces', known)})`, 'neg', didYouMean(ns, known))];
    }
  }
  if (UNKNOWING.has(source.status(ns).state)) return [];

  // Service.
  const svc = text('service').toLowerCase();
  const services = source.services(ns);
  if (!services.includes(svc)) {
    return [problem('k8s-no-service', seg('service'), 'service', `no service \`${svc}\` in namespace ${ns} (${listed('services', services)})`, 'neg', didYouMean(svc, services))];
  }
  const sel: LabelSelector | undefined = shape.labelSelector !== undefined ? { key: shape.labelSelector, value: external ? text('labelValue') : text('labelValue').toLowerCase() } : undefined;
  const port = text('port').toLowerCase();
  const number = parseJavaInt(port);

  if (external) {
    return thenP(source.service(ns, svc), (s) => {
      if (s === undefined) return [problem('k8s-no-service', seg('service'), 'service', `no Service object \`${svc}\` in namespace ${ns} (io.l5d.k8s.external reads the Service)`, 'neg')];
      if (sel && !selected(s, sel)) return [labelProblem(seg('labelValue'), 'Service', svc, sel)];
      const st = externalState(s);
      if (lookupExternal(st, port) !== undefined) return [];
      const portNames = (s.spec?.ports ?? []).flatMap((x) => (typeof x.name === 'string' ? [x.name] : []));
      if (st.ports.size === 0) return [problem('k8s-no-ingress', seg('service'), 'service', `service ${svc} has no load-balancer ingress (io.l5d.k8s.external binds only services with one)`, 'neg')];
      if (number !== undefined) {
        const target = st.portMappings.get(number);
        if (target === undefined) return [problem('k8s-no-port', seg('port'), 'port', `no port ${number} on service ${svc} (${listed('ports', [...st.portMappings.keys()].map(String))})`, 'neg')];
        return [problem('k8s-no-target-port', seg('port'), 'port', `port ${number} of service ${svc} targets \`${target}\`, which is not the name of one of its ports (${listed('ports', portNames)}): io.l5d.k8s.external looks the target up among port names`, 'neg')];
      }
      return [problem('k8s-no-port', seg('port'), 'port', `no port named ${port} on service ${svc} (${listed('ports', portNames)})`, 'neg', didYouMean(port, portNames))];
    });
  }

  const eps = source.endpoints(ns, svc);
  const service = number !== undefined ? source.service(ns, svc) : undefined;
  return thenP(eps, (rawEp) =>
    thenP(service, (rawSvc) => {
      const ep = selected(rawEp, sel);
      if (sel && rawEp !== undefined && ep === undefined) return [labelProblem(seg('labelValue'), 'Endpoints', svc, sel)];
      const state = endpointsState(ep);
      const notReady = (ep?.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
      const noReady = (): K8sPathProblem[] =>
        state.endpoints.length > 0
          ? []
          : [
              problem(
                'k8s-no-ready-endpoints',
                seg('service'),
                'service',
                `service ${svc} has no ready endpoints${notReady > 0 ? ` (${notReady} not ready)` : ''}: the name binds to an empty set and requests fail`,
                'empty',
              ),
            ];
      const portNames = [...state.ports.keys()];
      if (number !== undefined) {
        const s = selected(rawSvc, sel);
        const mappings = servicePortMappings(s);
        const target = mappings.get(number);
        if (target === undefined) {
          const why = s === undefined ? `no Service object \`${svc}\` in namespace ${ns}: a port number is mapped through the Service` : `no port ${number} on service ${svc} (${listed('ports', [...mappings.keys()].map(String))})`;
          return [problem('k8s-no-port', seg('port'), 'port', why, 'neg')];
        }
        if (parseJavaInt(target) !== undefined) return noReady();
        if (state.ports.has(target)) return noReady();
        return [problem('k8s-no-target-port', seg('port'), 'port', `port ${number} of service ${svc} targets \`${target}\`, which no endpoint has (${listed('ports', portNames)})`, 'neg')];
      }
      if (state.ports.has(port)) return noReady();
      if (state.ports.size === 0 && state.endpoints.length === 0) {
        const why = ep === undefined ? `service ${svc} has no Endpoints object` : `service ${svc} has no endpoints${notReady > 0 ? ` (${notReady} not ready)` : ''}`;
        return [problem('k8s-no-endpoints', seg('service'), 'service', `${why}: the namer answers ~`, 'neg')];
      }
      return [problem('k8s-no-port', seg('port'), 'port', `no port named ${port} on service ${svc} (${listed('ports', portNames)})`, 'neg', didYouMean(port, portNames))];
    }),
  );
}

function labelProblem(index: number, kind: string, svc: string, sel: LabelSelector): K8sPathProblem {
  return problem('k8s-no-label', index, 'labelValue', `the ${kind} ${svc} has no label ${sel.key}=${sel.value}`, 'neg');
}

function thenP<A, B>(a: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return a instanceof Promise ? a.then(f) : f(a);
}
