// The resources the stand-in serves: their discovery entries, the defaults the API server fills
// in on create, and their server-side table columns (what `kubectl get` prints), after
// k8s.io/kubernetes pkg/printers/internalversion and the CRD default columns.

export type Obj = Record<string, unknown>;
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
export const asObj = (x: unknown): Obj => (isObj(x) ? x : {});
export const asArr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
export const asStr = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
export const asNum = (x: unknown): number | undefined => (typeof x === 'number' ? x : undefined);
export const meta = (o: Obj): Obj => {
  if (!isObj(o.metadata)) o.metadata = {};
  return o.metadata as Obj;
};

export interface Column {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface Subresource {
  readonly name: 'status' | 'scale';
  /** For scale: the Scale kind lives in autoscaling/v1. */
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly verbs: readonly string[];
}

export interface AllocContext {
  clusterIP(): string;
  nodePort(): number;
}

export interface ResourceDef {
  /** '' for the core group. */
  readonly group: string;
  /** Served versions, the preferred one first. */
  readonly versions: readonly string[];
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  readonly subresources: readonly Subresource[];
  /** Built-in kinds are typed in the server: list items carry no kind/apiVersion. */
  readonly builtin: boolean;
  /** Does metadata.generation count changes (of the spec, or of everything but metadata/status)? */
  readonly generation: 'none' | 'spec' | 'all';
  /** Fields a field selector may use besides metadata.name and metadata.namespace. */
  readonly fields: Readonly<Record<string, (o: Obj) => string>>;
  readonly columns: readonly Column[];
  cells(o: Obj, now: Date): unknown[];
  defaults(o: Obj, alloc: AllocContext): void;
  /** A custom resource's OpenAPI schema, per version written through: field errors as the API server words them. */
  validate?(o: Obj, version: string): string[];
}

export const groupVersion = (def: ResourceDef, version = def.versions[0]!): string => (def.group === '' ? version : `${def.group}/${version}`);
/** `endpoints`, `deployments.apps`: how the API names a resource in messages. */
export const qualified = (def: ResourceDef): string => (def.group === '' ? def.plural : `${def.plural}.${def.group}`);

// Column descriptions as the API's swagger docs give them (abridged where long).
const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, description: string, extra: Partial<Column> = {}): Column => ({ name, type: 'string', format: '', description, priority: 0, ...extra });
const nameCol = col('Name', NAME_DOC, { format: 'name' });
const ageCol = col('Age', CREATED_DOC);

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3600000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

export function age(o: Obj, now: Date): string {
  const ts = asStr(asObj(o.metadata).creationTimestamp);
  const t = ts === undefined ? NaN : Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}

/** `[a]:port` for IPv6, as net.JoinHostPort. */
const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** printers.formatEndpoints(endpoints, nil). */
export function formatEndpoints(o: Obj): string {
  const subsets = asArr(o.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const s of subsets.map(asObj)) {
    const addresses = asArr(s.addresses).map(asObj);
    const ports = asArr(s.ports).map(asObj);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(asStr(a.ip) ?? '');
      }
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(asStr(a.ip) ?? '', asNum(p.port) ?? 0));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function serviceExternalIP(spec: Obj, status: Obj): string {
  const externalIPs = asArr(spec.externalIPs).map((x) => asStr(x) ?? '');
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = asArr(asObj(status.loadBalancer).ingress).map(asObj);
      const set = new Set<string>();
      for (const i of ingress) {
        const v = asStr(i.ip) || asStr(i.hostname);
        if (v) set.add(v);
      }
      const lb = [...set].sort().join(',');
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return asStr(spec.externalName) ?? '';
  }
  return '<unknown>';
}

function portString(ports: Obj[]): string {
  return ports
    .map((p) => {
      const proto = asStr(p.protocol) ?? '';
      const np = asNum(p.nodePort) ?? 0;
      return np > 0 ? `${asNum(p.port) ?? 0}:${np}/${proto}` : `${asNum(p.port) ?? 0}/${proto}`;
    })
    .join(',');
}

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(asObj(labels))
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort();
  return entries.length === 0 ? '<none>' : entries.join(',');
}

/** metav1.LabelSelectorAsSelector(sel).String(). */
export function labelSelectorString(sel: unknown): string {
  const s = asObj(sel);
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(asObj(s.matchLabels))) reqs.push([k, `${k}=${String(v)}`]);
  for (const e of asArr(s.matchExpressions).map(asObj)) {
    const key = asStr(e.key) ?? '';
    const values = asArr(e.values)
      .map((v) => String(v))
      .sort();
    switch (e.operator) {
      case 'In':
        reqs.push([key, `${key} in (${values.join(',')})`]);
        break;
      case 'NotIn':
        reqs.push([key, `${key} notin (${values.join(',')})`]);
        break;
      case 'Exists':
        reqs.push([key, key]);
        break;
      case 'DoesNotExist':
        reqs.push([key, `!${key}`]);
        break;
    }
  }
  return reqs
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((r) => r[1])
    .join(',');
}

const CORE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];
const status = (kind: string): Subresource => ({ name: 'status', kind, verbs: SUB_VERBS });

const objectMetaDefaults = (o: Obj) => {
  const m = meta(o);
  for (const k of ['labels', 'annotations']) if (m[k] === null) delete m[k];
};

export const NAMESPACES: ResourceDef = {
  group: '',
  versions: ['v1'],
  plural: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [status('Namespace')],
  builtin: true,
  generation: 'none',
  fields: { 'status.phase': (o) => asStr(asObj(o.status).phase) ?? '' },
  columns: [nameCol, col('Status', 'The status of the namespace'), ageCol],
  cells: (o, now) => [asStr(asObj(o.metadata).name) ?? '', asStr(asObj(o.status).phase) ?? '', age(o, now)],
  defaults(o) {
    objectMetaDefaults(o);
    const m = meta(o);
    m.labels = { ...asObj(m.labels), 'kubernetes.io/metadata.name': asStr(m.name) ?? '' };
    const spec = asObj(o.spec);
    if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
    o.spec = spec;
    const st = asObj(o.status);
    if (st.phase === undefined) st.phase = 'Active';
    o.status = st;
  },
};

export const SERVICES: ResourceDef = {
  group: '',
  versions: ['v1'],
  plural: 'services',
  singular: 'service',
  kind: 'Service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  verbs: CORE_VERBS,
  subresources: [status('Service')],
  builtin: true,
  generation: 'none',
  fields: { 'spec.clusterIP': (o) => asStr(asObj(o.spec).clusterIP) ?? '', 'spec.type': (o) => asStr(asObj(o.spec).type) ?? '' },
  columns: [
    nameCol,
    col('Type', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    ageCol,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
  ],
  cells(o, now) {
    const spec = asObj(o.spec);
    const clusterIPs = asArr(spec.clusterIPs);
    const ports = portString(asArr(spec.ports).map(asObj));
    return [
      asStr(asObj(o.metadata).name) ?? '',
      asStr(spec.type) ?? '',
      clusterIPs.length > 0 ? String(clusterIPs[0]) : '<none>',
      serviceExternalIP(spec, asObj(o.status)),
      ports === '' ? '<none>' : ports,
      age(o, now),
      formatLabels(spec.selector),
    ];
  },
  defaults(o, alloc) {
    objectMetaDefaults(o);
    const spec = asObj(o.spec);
    o.spec = spec;
    if (spec.type === undefined) spec.type = 'ClusterIP';
    if (spec.type !== 'ExternalName') {
      if (spec.sessionAffinity === undefined) spec.sessionAffinity = 'None';
      if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = alloc.clusterIP();
      if (!Array.isArray(spec.clusterIPs)) spec.clusterIPs = [spec.clusterIP];
      if (spec.clusterIP !== 'None') {
        if (!Array.isArray(spec.ipFamilies)) spec.ipFamilies = [String(spec.clusterIP).includes(':') ? 'IPv6' : 'IPv4'];
        if (spec.ipFamilyPolicy === undefined) spec.ipFamilyPolicy = 'SingleStack';
      }
      if (spec.internalTrafficPolicy === undefined) spec.internalTrafficPolicy = 'Cluster';
    } else if (spec.sessionAffinity === undefined) spec.sessionAffinity = 'None';
    const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    if (nodePorts && spec.externalTrafficPolicy === undefined) spec.externalTrafficPolicy = 'Cluster';
    if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    for (const p of asArr(spec.ports).map(asObj)) {
      if (p.protocol === undefined) p.protocol = 'TCP';
      if (p.targetPort === undefined) p.targetPort = p.port;
      if (nodePorts && p.nodePort === undefined) p.nodePort = alloc.nodePort();
    }
    if (!isObj(o.status)) o.status = { loadBalancer: {} };
  },
};

export const ENDPOINTS: ResourceDef = {
  group: '',
  versions: ['v1'],
  plural: 'endpoints',
  singular: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
  shortNames: ['ep'],
  categories: [],
  verbs: CORE_VERBS,
  subresources: [],
  builtin: true,
  generation: 'none',
  fields: {},
  columns: [
    nameCol,
    col(
      'Endpoints',
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
    ),
    ageCol,
  ],
  cells: (o, now) => [asStr(asObj(o.metadata).name) ?? '', formatEndpoints(o), age(o, now)],
  defaults(o) {
    objectMetaDefaults(o);
    for (const s of asArr(o.subsets).map(asObj)) for (const p of asArr(s.ports).map(asObj)) if (p.protocol === undefined) p.protocol = 'TCP';
  },
};

function containerCells(o: Obj): [string, string] {
  const containers = asArr(asObj(asObj(asObj(o.spec).template).spec).containers).map(asObj);
  return [containers.map((c) => asStr(c.name) ?? '').join(','), containers.map((c) => asStr(c.image) ?? '').join(',')];
}

export const DEPLOYMENTS: ResourceDef = {
  group: 'apps',
  versions: ['v1'],
  plural: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  verbs: CORE_VERBS,
  subresources: [{ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUB_VERBS }, status('Deployment')],
  builtin: true,
  generation: 'spec',
  fields: {},
  columns: [
    nameCol,
    col('Ready', 'Number of the pod with ready state'),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageCol,
    col('Containers', 'Names of each container in the template.', { priority: 1 }),
    col('Images', 'Images referenced by each container in the template.', { priority: 1 }),
    col('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', { priority: 1 }),
  ],
  cells(o, now) {
    const spec = asObj(o.spec);
    const st = asObj(o.status);
    const [names, images] = containerCells(o);
    return [
      asStr(asObj(o.metadata).name) ?? '',
      `${asNum(st.readyReplicas) ?? 0}/${asNum(spec.replicas) ?? 0}`,
      asNum(st.updatedReplicas) ?? 0,
      asNum(st.availableReplicas) ?? 0,
      age(o, now),
      names,
      images,
      labelSelectorString(spec.selector),
    ];
  },
  defaults(o) {
    objectMetaDefaults(o);
    const spec = asObj(o.spec);
    o.spec = spec;
    if (spec.replicas === undefined) spec.replicas = 1;
    if (spec.revisionHistoryLimit === undefined) spec.revisionHistoryLimit = 10;
    if (spec.progressDeadlineSeconds === undefined) spec.progressDeadlineSeconds = 600;
    if (spec.strategy === undefined) spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    const template = asObj(spec.template);
    spec.template = template;
    const tmeta = asObj(template.metadata);
    template.metadata = tmeta;
    if (!('creationTimestamp' in tmeta)) tmeta.creationTimestamp = null;
    const pod = asObj(template.spec);
    template.spec = pod;
    const podDefaults: Obj = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler' };
    for (const [k, v] of Object.entries(podDefaults)) if (pod[k] === undefined) pod[k] = v;
    for (const c of asArr(pod.containers).map(asObj)) {
      const image = asStr(c.image) ?? '';
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (c.imagePullPolicy === undefined) c.imagePullPolicy = image.includes('@') || (tag !== undefined && tag !== 'latest') ? 'IfNotPresent' : 'Always';
      if (c.terminationMessagePath === undefined) c.terminationMessagePath = '/dev/termination-log';
      if (c.terminationMessagePolicy === undefined) c.terminationMessagePolicy = 'File';
      if (c.resources === undefined) c.resources = {};
      for (const p of asArr(c.ports).map(asObj)) if (p.protocol === undefined) p.protocol = 'TCP';
    }
    if (!isObj(o.status)) o.status = {};
  },
};

/** The SMI TrafficSplit custom resource; all SMI versions served, converted with strategy None. */
export function trafficSplits(versions: readonly string[] = ['v1alpha4', 'v1alpha3', 'v1alpha2', 'v1alpha1']): ResourceDef {
  return {
    group: 'split.smi-spec.io',
    versions,
    plural: 'trafficsplits',
    singular: 'trafficsplit',
    kind: 'TrafficSplit',
    namespaced: true,
    shortNames: ['ts'],
    categories: [],
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: [],
    builtin: false,
    generation: 'all',
    fields: {},
    // A CRD without additionalPrinterColumns gets Name and an Age date column.
    columns: [nameCol, col('Age', 'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp', { type: 'date' })],
    cells: (o, now) => [asStr(asObj(o.metadata).name) ?? '', age(o, now)],
    defaults: objectMetaDefaults,
    validate: validateTrafficSplit,
  };
}

/** Go's %q of a JSON type name, as kube-openapi reports a value's type. */
const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);

/**
 * The schema of Linkerd's SMI extension CRD (copied from smi-sdk-go's crds/split.yaml): spec
 * requires service and backends, each backend service and weight; v1alpha1 (the storage
 * version) has `weight: x-kubernetes-int-or-string` (a Quantity in smi-sdk-go's Go type, like
 * `500m` or `1`), every later version `weight: type: number` (an int in the Go types). With
 * `conversion: None` a stored object is served unchanged in every version; only writes are
 * checked, against the schema of the version written through. The words of an int-or-string
 * refusal are this stand-in's (a non-integer number passes, as nothing here needs it refused).
 */
function validateTrafficSplit(o: Obj, version: string): string[] {
  const errors: string[] = [];
  const typeError = (path: string, want: string, v: unknown) => errors.push(`${path}: Invalid value: "${jsonType(v)}": ${path} in body must be of type ${want}: "${jsonType(v)}"`);
  if (o.spec === undefined) return errors;
  if (!isObj(o.spec)) {
    typeError('spec', 'object', o.spec);
    return errors;
  }
  const spec = o.spec;
  if (spec.service === undefined) errors.push('spec.service: Required value');
  else if (typeof spec.service !== 'string') typeError('spec.service', 'string', spec.service);
  if (spec.backends === undefined) errors.push('spec.backends: Required value');
  else if (!Array.isArray(spec.backends)) typeError('spec.backends', 'array', spec.backends);
  else
    spec.backends.forEach((b, i) => {
      const path = `spec.backends[${i}]`;
      if (!isObj(b)) return typeError(path, 'object', b);
      if (b.service === undefined) errors.push(`${path}.service: Required value`);
      else if (typeof b.service !== 'string') typeError(`${path}.service`, 'string', b.service);
      if (b.weight === undefined) errors.push(`${path}.weight: Required value`);
      else if (version === 'v1alpha1') {
        if (typeof b.weight !== 'string' && typeof b.weight !== 'number') typeError(`${path}.weight`, 'integer,string', b.weight);
      } else if (typeof b.weight !== 'number') typeError(`${path}.weight`, 'number', b.weight);
    });
  return errors;
}

/** Kubernetes' version ordering (v1 > v1beta2 > v1beta1 > v1alpha1 > other), for preferred versions. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v([0-9]+)(?:(alpha|beta)([0-9]+))?$/.exec(v);
    if (!m) return [0, 0, 0, v] as const;
    return [Number(m[1]), m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[3] ?? 0), v] as const;
  };
  const [am, as, an] = parse(a);
  const [bm, bs, bn] = parse(b);
  if (as !== bs) return bs - as;
  if (am !== bm) return bm - am;
  if (an !== bn) return bn - an;
  return a < b ? -1 : a > b ? 1 : 0;
}
