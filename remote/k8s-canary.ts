// Canary traffic shifts on Kubernetes, through @kubernetes/client-node: the weights of an SMI
// TrafficSplit (split.smi-spec.io, Linkerd 2's SMI extension), and the replica ratio of a stable
// and a canary Deployment (their `scale` subresource). Every write carries the resourceVersion
// it was decided on, so that a change by someone else in between is a 409 Conflict (an error of
// kind 'conflict') and never overwritten; what was read is kept exactly, for a restore.
//
// TrafficSplit versions (smi-sdk-go's Go types, and the CRD of Linkerd's SMI extension, copied
// from smi-sdk-go's crds/split.yaml): v1alpha1's backend weight is a resource.Quantity (`500m`,
// `1`; its CRD schema is `x-kubernetes-int-or-string`, so a plain integer is stored too),
// v1alpha2–v1alpha4's an int (schema `type: number`). The CRD's conversion is `None`: an object is
// stored once and served unchanged in every version, and only writes are checked, against the
// schema of the version written through. So quantities can only be written through v1alpha1:
// a split whose weights are quantities is read (and then written) through v1alpha1.

import type { KubeConfig, V1Scale } from '@kubernetes/client-node';
import { clientNode } from './client-node.js';
import { weightStyleOf, weightValue, replicasForPercent, type Weight, type WeightStyle } from '../core/canary/k8s-weights.js';
import { describeCluster, describeError } from './k8s.js';

export type K8sCanaryErrorKind = 'not-found' | 'conflict' | 'forbidden' | 'unauthorized' | 'network' | 'invalid';

/** A canary read or write that failed: what kind, on which object and cluster, and what to do (in the message). */
export class K8sCanaryError extends Error {
  constructor(
    readonly kind: K8sCanaryErrorKind,
    message: string,
    /** `trafficsplits.split.smi-spec.io "world-split" in namespace default`. */
    readonly object: string,
    /** `context dev (https://…)`. */
    readonly cluster: string,
    /** The API's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'K8sCanaryError';
  }
}

export const SMI_GROUP = 'split.smi-spec.io';
const TS_RESOURCE = `trafficsplits.${SMI_GROUP}`;
const DEPLOY_RESOURCE = 'deployments.apps';

export interface TrafficSplitBackend {
  readonly service: string;
  /** Exactly as in the object: a number, or a quantity string. */
  readonly weight: Weight;
}

export interface TrafficSplit {
  readonly namespace: string;
  readonly name: string;
  /** The version it was read through, and is written through: `split.smi-spec.io/v1alpha2`. */
  readonly apiVersion: string;
  /** The root (apex) service. */
  readonly service: string;
  readonly backends: readonly TrafficSplitBackend[];
  readonly resourceVersion: string;
  /** How its weights are written (quantities through v1alpha1, else integers). */
  readonly style: WeightStyle;
  /** The spec exactly as read (JSON), which restoreTrafficSplit puts back. */
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface DeploymentRef {
  readonly namespace: string;
  readonly name: string;
}

export interface Replicas extends DeploymentRef {
  /** spec.replicas, as the scale subresource says. */
  readonly replicas: number;
  readonly resourceVersion: string;
}

export interface ReplicaShift {
  /** The replica total split (opts.total, else the sum read). */
  readonly total: number;
  /** Stable, canary as read before the shift (what restoreReplicas puts back). */
  readonly original: readonly [Replicas, Replicas];
  /** Stable, canary as written. */
  readonly applied: readonly [Replicas, Replicas];
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

interface Target {
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  /** The verb and resource RBAC would name: `patch trafficsplits.split.smi-spec.io`. */
  readonly verb: string;
  readonly rbacResource: string;
}

const objectName = (t: Pick<Target, 'resource' | 'namespace' | 'name'>) => `${t.resource} "${t.name}" in namespace ${t.namespace}`;

function apiOf(kc: KubeConfig): string {
  return kc.getCurrentCluster()?.server ?? '(no server in the kubeconfig)';
}

/** The API's own message in an ApiException's body, if any. */
function apiMessage(e: unknown): string | undefined {
  const body = (e as { body?: unknown }).body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return isObj(parsed) && typeof parsed.message === 'string' ? parsed.message : undefined;
}

/** A client-node failure as a K8sCanaryError naming the object, the cluster, and what to do. */
export function canaryError(kc: KubeConfig, e: unknown, t: Target, note?: string): K8sCanaryError {
  if (e instanceof K8sCanaryError) return e;
  const cluster = describeCluster(kc);
  const object = objectName(t);
  const err = e as { code?: unknown; statusCode?: unknown };
  const status = typeof err.code === 'number' ? err.code : typeof err.statusCode === 'number' ? err.statusCode : undefined;
  const msg = apiMessage(e);
  const said = msg ? ` (${msg})` : '';
  const tail = note ? ` ${note}` : '';
  const make = (kind: K8sCanaryErrorKind, message: string) => new K8sCanaryError(kind, message + tail, object, cluster, status);
  switch (status) {
    case 404:
      return make('not-found', `${object} not found on ${cluster}: check the name, the namespace and the context (kubectl get ${t.resource} -n ${t.namespace})`);
    case 409:
      return make('conflict', `${object} on ${cluster} was changed by someone else since it was read${said}: nothing was written; read it again and decide again`);
    case 403:
      return make('forbidden', `${msg ?? `forbidden to ${t.verb} ${t.rbacResource}`} (${cluster}): this needs RBAC permission to ${t.verb} ${t.rbacResource} in namespace ${t.namespace} (kubectl auth can-i ${t.verb} ${t.rbacResource} -n ${t.namespace})`);
    case 401:
      return make('unauthorized', `the Kubernetes API at ${apiOf(kc)} (${cluster}) did not accept the kubeconfig's credentials${said} for ${object}: log in again or refresh the credentials of the context`);
    case 400:
    case 415:
    case 422:
      return make('invalid', `the Kubernetes API refused the change of ${object} on ${cluster}${said}: nothing was written`);
  }
  const { message } = describeError(e, apiOf(kc), `${t.verb} ${object}`);
  return make('network', `${message} (${cluster}): check that the cluster answers (kubectl cluster-info) and try again`);
}

async function call<T>(kc: KubeConfig, t: Target, fn: () => Promise<T>, note?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw canaryError(kc, e, t, note);
  }
}

function invalid(kc: KubeConfig, t: Pick<Target, 'resource' | 'namespace' | 'name'>, message: string): K8sCanaryError {
  const cluster = describeCluster(kc);
  return new K8sCanaryError('invalid', message, objectName(t), cluster);
}

// --- TrafficSplit ----------------------------------------------------------------------------

const tsTarget = (namespace: string, name: string, verb: string): Target => ({ resource: TS_RESOURCE, namespace, name, verb, rbacResource: TS_RESOURCE });

/** The split.smi-spec.io versions the cluster serves, its preferred one first. */
export async function trafficSplitVersions(kc: KubeConfig, namespace: string, name: string): Promise<string[]> {
  const list = await call(kc, { ...tsTarget(namespace, name, 'get'), rbacResource: 'the API discovery (/apis)' }, () => kc.makeApiClient(clientNode().ApisApi).getAPIVersions());
  const group = list.groups.find((g) => g.name === SMI_GROUP);
  if (!group || group.versions.length === 0) {
    throw new K8sCanaryError(
      'not-found',
      `${describeCluster(kc)} serves no ${SMI_GROUP} API, so there is no ${objectName({ resource: TS_RESOURCE, namespace, name })}: install the SMI extension (linkerd smi install | kubectl apply -f -) or choose another context`,
      objectName({ resource: TS_RESOURCE, namespace, name }),
      describeCluster(kc),
    );
  }
  const preferred = group.preferredVersion?.version;
  const versions = group.versions.map((v) => v.version);
  return preferred && versions.includes(preferred) ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
}

function parseTrafficSplit(kc: KubeConfig, namespace: string, name: string, version: string, o: unknown): TrafficSplit {
  const bad = (why: string) => invalid(kc, { resource: TS_RESOURCE, namespace, name }, `${objectName({ resource: TS_RESOURCE, namespace, name })} on ${describeCluster(kc)} is not a TrafficSplit this tool can shift: ${why}; fix it (kubectl edit ${TS_RESOURCE} ${name} -n ${namespace})`);
  if (!isObj(o) || !isObj(o.metadata)) throw bad('no metadata');
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) throw bad('no spec');
  if (typeof spec.service !== 'string') throw bad('spec.service is not a service name');
  if (!Array.isArray(spec.backends)) throw bad('spec.backends is not a list');
  const backends: TrafficSplitBackend[] = spec.backends.map((b, i) => {
    if (!isObj(b) || typeof b.service !== 'string') throw bad(`spec.backends[${i}] names no service`);
    if ((typeof b.weight !== 'number' && typeof b.weight !== 'string') || weightValue(b.weight) === undefined) throw bad(`spec.backends[${i}].weight (${JSON.stringify(b.weight ?? null)}) is neither a number nor a quantity`);
    return { service: b.service, weight: b.weight };
  });
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : `${SMI_GROUP}/${version}`;
  return {
    namespace,
    name,
    apiVersion,
    service: spec.service,
    backends,
    resourceVersion: String(o.metadata.resourceVersion ?? ''),
    style: weightStyleOf(apiVersion, backends.map((b) => b.weight)),
    spec: JSON.parse(JSON.stringify(spec)) as Obj,
  };
}

async function getTrafficSplitObject(kc: KubeConfig, namespace: string, name: string, version: string): Promise<Obj> {
  const custom = kc.makeApiClient(clientNode().CustomObjectsApi);
  return (await call(kc, tsTarget(namespace, name, 'get'), () => custom.getNamespacedCustomObject({ group: SMI_GROUP, version, namespace, plural: 'trafficsplits', name }))) as Obj;
}

/**
 * Reads a TrafficSplit: through `opts.version`, else the cluster's preferred version, or
 * v1alpha1 when its weights are quantities (the only version that can write them back).
 */
export async function readTrafficSplit(kc: KubeConfig, namespace: string, name: string, opts: { readonly version?: string } = {}): Promise<TrafficSplit> {
  if (opts.version) return parseTrafficSplit(kc, namespace, name, opts.version, await getTrafficSplitObject(kc, namespace, name, opts.version));
  const versions = await trafficSplitVersions(kc, namespace, name);
  const first = parseTrafficSplit(kc, namespace, name, versions[0]!, await getTrafficSplitObject(kc, namespace, name, versions[0]!));
  if (first.style === 'quantity' && !first.apiVersion.endsWith('/v1alpha1') && versions.includes('v1alpha1')) {
    return parseTrafficSplit(kc, namespace, name, 'v1alpha1', await getTrafficSplitObject(kc, namespace, name, 'v1alpha1'));
  }
  return first;
}

const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf('/') + 1);

/** Checks new weights against the split and its style; the backends with them, in the split's order. */
function newBackends(kc: KubeConfig, ts: TrafficSplit, weights: Readonly<Record<string, Weight>>): Obj[] {
  const where = { resource: TS_RESOURCE, namespace: ts.namespace, name: ts.name };
  const said = `${objectName(where)} on ${describeCluster(kc)}`;
  const names = ts.backends.map((b) => b.service);
  const unknown = Object.keys(weights).filter((s) => !names.includes(s));
  if (unknown.length) throw invalid(kc, where, `${said} has no backend ${unknown.join(', ')} (its backends: ${names.join(', ') || 'none'}): nothing was written; name a backend of the split`);
  for (const [service, w] of Object.entries(weights)) {
    const v = weightValue(w);
    const ok = ts.style === 'integer' ? typeof w === 'number' && Number.isSafeInteger(w) && w >= 0 : v !== undefined && v >= 0 && (typeof w === 'string' || Number.isSafeInteger(w));
    if (!ok) {
      const want = ts.style === 'integer' ? `a whole number ≥ 0 (${ts.apiVersion} weights are integers)` : `a quantity ≥ 0 such as 500m or 1, or a whole number (${ts.apiVersion} weights are quantities)`;
      throw invalid(kc, where, `the weight ${JSON.stringify(w)} for ${service} in ${said} is not ${want}: nothing was written`);
    }
  }
  const raw = Array.isArray(ts.spec.backends) ? (ts.spec.backends as unknown[]) : [];
  return raw.map((b) => {
    const o = { ...(b as Obj) };
    const w = weights[String(o.service)];
    if (w !== undefined) o.weight = w;
    return o;
  });
}

/**
 * Sets the weights of some backends of a TrafficSplit (the others keep theirs), with a JSON merge
 * patch that carries the resourceVersion: `opts.resourceVersion` (what the caller decided on; if
 * the split has changed since, a 'conflict' and nothing written), else the one read now. Weights
 * are numbers for integer splits; numbers or quantity strings for quantity (v1alpha1) splits.
 * Returns the split as written.
 */
export async function setTrafficSplitWeights(
  kc: KubeConfig,
  namespace: string,
  name: string,
  weights: Readonly<Record<string, Weight>>,
  opts: { readonly resourceVersion?: string; readonly version?: string } = {},
): Promise<TrafficSplit> {
  const current = await readTrafficSplit(kc, namespace, name, opts.version ? { version: opts.version } : {});
  const rv = opts.resourceVersion ?? current.resourceVersion;
  if (rv !== current.resourceVersion) throw staleError(kc, current, rv);
  const backends = newBackends(kc, current, weights);
  const version = versionOf(current.apiVersion);
  const custom = kc.makeApiClient(clientNode().CustomObjectsApi);
  const written = await call(kc, tsTarget(namespace, name, 'patch'), () =>
    custom.patchNamespacedCustomObject({ group: SMI_GROUP, version, namespace, plural: 'trafficsplits', name, body: { metadata: { resourceVersion: rv }, spec: { backends } } }, clientNode().setHeaderOptions('Content-Type', clientNode().PatchStrategy.MergePatch)),
  );
  return parseTrafficSplit(kc, namespace, name, version, written);
}

function staleError(kc: KubeConfig, current: TrafficSplit | Replicas, rv: string): K8sCanaryError {
  const isSplit = 'backends' in current;
  const where = { resource: isSplit ? TS_RESOURCE : DEPLOY_RESOURCE, namespace: current.namespace, name: current.name };
  const cluster = describeCluster(kc);
  return new K8sCanaryError(
    'conflict',
    `${objectName(where)} on ${cluster} was changed by someone else since it was read (resourceVersion ${rv}, now ${current.resourceVersion}): nothing was written; read it again and decide again`,
    objectName(where),
    cluster,
    409,
  );
}

/**
 * Puts back exactly the spec that was read (`original`), replacing the object through the
 * version it was read through, with the resourceVersion of `opts.resourceVersion` (the split as
 * last written; a change by someone else since is a 'conflict') or else the one read now.
 */
export async function restoreTrafficSplit(kc: KubeConfig, namespace: string, name: string, original: TrafficSplit, opts: { readonly resourceVersion?: string } = {}): Promise<TrafficSplit> {
  const version = versionOf(original.apiVersion);
  const now = await getTrafficSplitObject(kc, namespace, name, version);
  const current = parseTrafficSplit(kc, namespace, name, version, now);
  const rv = opts.resourceVersion ?? current.resourceVersion;
  if (rv !== current.resourceVersion) throw staleError(kc, current, rv);
  const body = { ...now, metadata: { ...(now.metadata as Obj), resourceVersion: rv }, spec: JSON.parse(JSON.stringify(original.spec)) as Obj };
  const custom = kc.makeApiClient(clientNode().CustomObjectsApi);
  const written = await call(kc, tsTarget(namespace, name, 'update'), () => custom.replaceNamespacedCustomObject({ group: SMI_GROUP, version, namespace, plural: 'trafficsplits', name, body }));
  return parseTrafficSplit(kc, namespace, name, version, written);
}

// --- Deployments ------------------------------------------------------------------------------

const scaleTarget = (d: DeploymentRef, verb: string): Target => ({ resource: DEPLOY_RESOURCE, namespace: d.namespace, name: d.name, verb, rbacResource: 'deployments/scale' });

function replicasOf(d: DeploymentRef, s: V1Scale): Replicas {
  return { namespace: d.namespace, name: d.name, replicas: s.spec?.replicas ?? 0, resourceVersion: s.metadata?.resourceVersion ?? '' };
}

/** A Deployment's spec.replicas and resourceVersion, through its scale subresource. */
export async function readReplicas(kc: KubeConfig, d: DeploymentRef): Promise<Replicas> {
  const apps = kc.makeApiClient(clientNode().AppsV1Api);
  return replicasOf(d, await call(kc, scaleTarget(d, 'get'), () => apps.readNamespacedDeploymentScale({ namespace: d.namespace, name: d.name })));
}

/** Writes spec.replicas through the scale subresource, on condition of `resourceVersion`. */
async function writeReplicas(kc: KubeConfig, d: DeploymentRef, replicas: number, resourceVersion: string, note?: string): Promise<Replicas> {
  const apps = kc.makeApiClient(clientNode().AppsV1Api);
  const body: V1Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: d.name, namespace: d.namespace, resourceVersion }, spec: { replicas } };
  return replicasOf(d, await call(kc, scaleTarget(d, 'update'), () => apps.replaceNamespacedDeploymentScale({ namespace: d.namespace, name: d.name, body }), note));
}

/**
 * Writes each wanted count (skipping those already so) on condition of the resourceVersion read:
 * the ones that grow first, so that the capacity never dips below either state. A failure names
 * what was already written.
 */
async function applyReplicas(kc: KubeConfig, wanted: readonly { current: Replicas; replicas: number }[]): Promise<Replicas[]> {
  const order = wanted.map((w, i) => ({ ...w, i })).sort((a, b) => b.replicas - b.current.replicas - (a.replicas - a.current.replicas));
  const out: Replicas[] = wanted.map((w) => w.current);
  const done: string[] = [];
  for (const w of order) {
    if (w.replicas === w.current.replicas) continue;
    const note = done.length ? `(already written: ${done.join(', ')}; restoreReplicas puts the original counts back)` : undefined;
    out[w.i] = await writeReplicas(kc, w.current, w.replicas, w.current.resourceVersion, note);
    done.push(`${w.current.namespace}/${w.current.name} ${w.current.replicas} → ${w.replicas}`);
  }
  return out;
}

/**
 * A conflict unless the counts read are the ones expected (what the caller last wrote): someone
 * else (a person, an autoscaler) scaled in between. Compared by count, not by resourceVersion: a
 * Deployment's resourceVersion also moves with every status update of its controller.
 */
function checkExpected(kc: KubeConfig, read: readonly Replicas[], expect: readonly number[] | undefined): void {
  if (!expect) return;
  const moved = read.filter((r, i) => expect[i] !== undefined && r.replicas !== expect[i]);
  if (moved.length === 0) return;
  const first = moved[0]!;
  const cluster = describeCluster(kc);
  const said = moved.map((r) => `${r.namespace}/${r.name} has ${r.replicas}, the canary left ${expect[read.indexOf(r)]}`).join('; ');
  throw new K8sCanaryError(
    'conflict',
    `the replicas changed on ${cluster} since the canary last wrote them (${said}): someone else (or an autoscaler) scaled; nothing was written`,
    objectName({ resource: DEPLOY_RESOURCE, namespace: first.namespace, name: first.name }),
    cluster,
  );
}

/**
 * Scales a stable and a canary Deployment so that canary / (stable + canary) ≈ percent, with
 * `opts.total` replicas in all (default: the sum read now, so a series of shifts keeps the
 * original total). The split is replicasForPercent's (core/canary/k8s-weights.ts): canary rounded
 * half up, at least one stable replica until 100 %, none canary at 0 %, at least one canary above
 * 0 %. Each write carries the resourceVersion read: a change in between is a 'conflict'.
 * `opts.expect`: the counts (stable, canary) the caller last left; others read are a 'conflict'
 * before anything is written.
 */
export async function scaleDeployments(
  kc: KubeConfig,
  stable: DeploymentRef,
  canary: DeploymentRef,
  percent: number,
  opts: { readonly total?: number; readonly expect?: { readonly stable: number; readonly canary: number } } = {},
): Promise<ReplicaShift> {
  if (stable.namespace === canary.namespace && stable.name === canary.name) throw invalid(kc, { resource: DEPLOY_RESOURCE, ...stable }, `the stable and the canary Deployment are both ${stable.namespace}/${stable.name}: name two Deployments`);
  const s = await readReplicas(kc, stable);
  const c = await readReplicas(kc, canary);
  checkExpected(kc, [s, c], opts.expect ? [opts.expect.stable, opts.expect.canary] : undefined);
  const total = opts.total ?? s.replicas + c.replicas;
  let split: { stable: number; canary: number };
  try {
    split = replicasForPercent(percent, total);
  } catch (e) {
    throw invalid(kc, { resource: DEPLOY_RESOURCE, ...canary }, `cannot shift ${percent}% to ${canary.namespace}/${canary.name} on ${describeCluster(kc)}: ${(e as Error).message}; nothing was written`);
  }
  const [as, ac] = await applyReplicas(kc, [
    { current: s, replicas: split.stable },
    { current: c, replicas: split.canary },
  ]);
  return { total, original: [s, c], applied: [as!, ac!] };
}

/**
 * Puts back exactly the replica counts read (e.g. a ReplicaShift's `original`), each on condition
 * of the resourceVersion read just before (the growing ones first). Returns them as written.
 * `opts.expect`: the counts (in the same order) the caller last left; others read are a
 * 'conflict' before anything is written.
 */
export async function restoreReplicas(kc: KubeConfig, original: readonly Replicas[], opts: { readonly expect?: readonly number[] } = {}): Promise<Replicas[]> {
  const current = await Promise.all(original.map((o) => readReplicas(kc, o)));
  checkExpected(kc, current, opts.expect);
  return applyReplicas(
    kc,
    original.map((o, i) => ({ current: current[i]!, replicas: o.replicas })),
  );
}
