// The Kubernetes canary backends, on remote/k8s-canary.ts's functions: an SMI TrafficSplit's
// weights and the replica ratio of a stable and a canary Deployment. Every write is made on two
// conditions: what is there is what the canary last left (the TrafficSplit's spec with its
// weights, the Deployments' replica counts; else a 'conflict', nothing written), and the
// resourceVersion of the read that checked it (a change in between: the API's 409, a 'conflict').
// Abort puts back exactly what start read (the spec as read, quantity weights such as `500m`
// included; the replica counts). Neither has a fallback: `finish --keep-fallback` is refused.

import { isDeepStrictEqual } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import { CanaryError, type CanaryBackendRef, type CanaryCurrent, type CanaryOriginal, type CanaryPlan } from '../core/index.js';
import { replicasForPercent, weightStyleOf, weightsForPercent, weightValue, type Weight } from '../core/canary/k8s-weights.js';
import type { CanaryBackend, CanaryResume, CanaryWrite } from './canary.js';
import { readReplicas, readTrafficSplit, restoreReplicas, restoreTrafficSplit, scaleDeployments, setTrafficSplitWeights, type DeploymentRef, type TrafficSplit } from './k8s-canary.js';

/** Where a Kubernetes backend's kubeconfig came from, kept in the state (the context as resolved at start). */
export interface KubeTarget {
  readonly kc: KubeConfig;
  /** The kubeconfig file(s) given (--kubeconfig, or KUBECONFIG); absent: the default. */
  readonly kubeconfig?: string;
  /** The context written to (the one resolved at start, so a later change of current-context is not followed). */
  readonly context: string;
}

const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf('/') + 1);

function kube(t: KubeTarget): { kubeconfig?: string; context: string } {
  return { ...(t.kubeconfig !== undefined ? { kubeconfig: t.kubeconfig } : {}), context: t.context };
}

/** A percent the arithmetic refuses (more than two decimals, too few replicas) as a CanaryError. */
function arithmetic<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new CanaryError('invalid', `${e.message}: nothing was written`);
    throw e;
  }
}

/**
 * What the two backends share: the plan, what start read (`original`) and what the canary last
 * left (`last`), kept and resumed alike; finish is apply(100), as neither has a fallback.
 */
abstract class KubeCanaryBackend implements CanaryBackend {
  abstract readonly ref: CanaryBackendRef;
  protected plan: CanaryPlan | undefined;
  protected original: CanaryOriginal | undefined;
  protected last: CanaryCurrent | undefined;

  constructor(
    protected readonly target: KubeTarget,
    /** What is written to, for the refusal of --keep-fallback: `a TrafficSplit`. */
    private readonly what: string,
  ) {}

  abstract describe(): string;
  abstract start(plan: CanaryPlan): Promise<CanaryOriginal>;
  abstract apply(percent: number): Promise<CanaryWrite>;
  abstract abort(original: CanaryOriginal): Promise<CanaryWrite>;

  /** What start left, from the original alone (the state has no `current` before the first write). */
  protected abstract leftByStart(original: CanaryOriginal): CanaryCurrent | undefined;

  /** Keeps what start read and decided. */
  protected begin(plan: CanaryPlan, original: CanaryOriginal, last: CanaryCurrent): CanaryOriginal {
    this.plan = plan;
    this.original = original;
    this.last = last;
    return original;
  }

  resume(state: CanaryResume): void {
    this.plan = state.plan;
    this.original = state.original;
    this.last = state.current ?? this.leftByStart(state.original);
  }

  finish(opts: { keepStableAsFallback?: boolean }): Promise<CanaryWrite> {
    if (opts.keepStableAsFallback) {
      throw new CanaryError('invalid', `${this.what} has no fallback (no \`canary | stable\` as a dtab has): finish without --keep-fallback sends all traffic to the canary`);
    }
    return this.apply(100);
  }

  current(): CanaryCurrent | undefined {
    return this.last;
  }
}

/** An SMI TrafficSplit: the stable and the canary are two of its backend services. */
export class TrafficSplitCanaryBackend extends KubeCanaryBackend {
  readonly ref: CanaryBackendRef;

  constructor(
    target: KubeTarget,
    readonly namespace: string,
    readonly name: string,
  ) {
    super(target, 'a TrafficSplit');
    this.ref = { kind: 'traffic-split', namespace, name, ...kube(target) };
  }

  describe(): string {
    return `TrafficSplit ${this.namespace}/${this.name} (context ${this.target.context})`;
  }

  private get where(): string {
    return `TrafficSplit ${this.namespace}/${this.name}`;
  }

  async start(plan: CanaryPlan): Promise<CanaryOriginal> {
    const ts = await readTrafficSplit(this.target.kc, this.namespace, this.name);
    const names = ts.backends.map((b) => b.service);
    for (const [flag, service] of [['--from', plan.stable], ['--to', plan.canary]] as const) {
      if (!names.includes(service)) throw new CanaryError('not-found', `${this.where} has no backend ${service} (${flag}); its backends: ${names.join(', ') || 'none'}`);
    }
    const others = ts.backends.filter((b) => b.service !== plan.stable && b.service !== plan.canary && (weightValue(b.weight) ?? 0) !== 0);
    if (others.length) {
      throw new CanaryError('invalid', `${this.where} also sends traffic to ${others.map((b) => `${b.service} (weight ${JSON.stringify(b.weight)})`).join(', ')}: the canary's percent would not be its share; set their weights to 0 first, or split between two backends only`);
    }
    for (const s of plan.steps) arithmetic(() => weightsForPercent(s, plan.stable, plan.canary, ts.style));
    const weights = weightsOf(ts);
    return this.begin(plan, { weights, trafficSplit: { apiVersion: ts.apiVersion, resourceVersion: ts.resourceVersion, spec: ts.spec } }, { written: JSON.stringify(weights), weights });
  }

  protected leftByStart(original: CanaryOriginal): CanaryCurrent | undefined {
    return original.weights ? { weights: original.weights } : undefined;
  }

  private started(): { plan: CanaryPlan; ts: NonNullable<CanaryOriginal['trafficSplit']>; weights: Readonly<Record<string, Weight>>; last: Readonly<Record<string, Weight>> } {
    const ts = this.original?.trafficSplit;
    if (!this.plan || !ts || !this.original?.weights || !this.last?.weights) throw new CanaryError('invalid', 'the canary has not been started');
    return { plan: this.plan, ts, weights: this.original.weights, last: this.last.weights };
  }

  /**
   * The split now, read through the version it was first read through; a 'conflict' unless its
   * spec is the original one with the weights the canary last left (someone else changed it).
   */
  private async readUnchanged(): Promise<TrafficSplit> {
    const { ts, last } = this.started();
    const now = await readTrafficSplit(this.target.kc, this.namespace, this.name, { version: versionOf(ts.apiVersion) });
    const expected = withWeights(ts.spec, last);
    if (!isDeepStrictEqual(now.spec, expected)) {
      const what = isDeepStrictEqual(withWeights(now.spec, {}), withWeights(ts.spec, {})) ? `its weights are now ${JSON.stringify(weightsOf(now))}, the canary left ${JSON.stringify(last)}` : `its spec is now ${JSON.stringify(now.spec)}, the canary left ${JSON.stringify(expected)}`;
      throw new CanaryError(
        'conflict',
        `${this.where} changed since the canary last wrote it: ${what}; nothing was written (put back what the canary left to go on, or restore it by hand: the spec as the canary found it is original.trafficSplit.spec in the state)`,
      );
    }
    return now;
  }

  async apply(percent: number): Promise<CanaryWrite> {
    const { plan, ts, weights } = this.started();
    const style = weightStyleOf(ts.apiVersion, Object.values(weights));
    const w = arithmetic(() => weightsForPercent(percent, plan.stable, plan.canary, style));
    const now = await this.readUnchanged();
    // On condition of the resourceVersion just read: a change since is a 409, nothing written.
    const after = await setTrafficSplitWeights(this.target.kc, this.namespace, this.name, w, { resourceVersion: now.resourceVersion, version: versionOf(ts.apiVersion) });
    const written = JSON.stringify(w);
    this.last = { written, weights: weightsOf(after) };
    return { written };
  }

  async abort(original: CanaryOriginal): Promise<CanaryWrite> {
    const o = original.trafficSplit;
    if (!o || !original.weights) throw new CanaryError('invalid', 'the state has no original TrafficSplit to put back');
    const now = await this.readUnchanged();
    const split: TrafficSplit = {
      namespace: this.namespace,
      name: this.name,
      apiVersion: o.apiVersion,
      service: String(o.spec.service),
      backends: Object.entries(original.weights).map(([service, weight]) => ({ service, weight })),
      resourceVersion: o.resourceVersion,
      style: weightStyleOf(o.apiVersion, Object.values(original.weights)),
      spec: o.spec,
    };
    const after = await restoreTrafficSplit(this.target.kc, this.namespace, this.name, split, { resourceVersion: now.resourceVersion });
    const written = JSON.stringify(original.weights);
    this.last = { written, weights: weightsOf(after) };
    const same = isDeepStrictEqual(after.spec, o.spec);
    return {
      written,
      note: same
        ? `the spec of ${this.where} is as the canary found it`
        : `${this.where} was written back, but the API answered with a spec other than the one the canary found: check it (kubectl get trafficsplit ${this.name} -n ${this.namespace} -o yaml)`,
    };
  }
}

/** Every backend's weight, exactly as in the split. */
function weightsOf(ts: Pick<TrafficSplit, 'backends'>): Record<string, Weight> {
  const out: Record<string, Weight> = {};
  for (const b of ts.backends) out[b.service] = b.weight;
  return out;
}

/** A spec with these backends' weights (the others as they are; `{}`: every weight dropped, to compare the rest). */
function withWeights(spec: Readonly<Record<string, unknown>>, weights: Readonly<Record<string, Weight>>): Record<string, unknown> {
  const drop = Object.keys(weights).length === 0;
  const backends = Array.isArray(spec.backends)
    ? (spec.backends as unknown[]).map((b) => {
        const o = { ...(b as Record<string, unknown>) };
        if (drop) delete o.weight;
        else if (typeof o.service === 'string' && weights[o.service] !== undefined) o.weight = weights[o.service];
        return o;
      })
    : spec.backends;
  return { ...spec, backends };
}

/** `NS/NAME` of a Deployment. */
const refText = (d: DeploymentRef) => `${d.namespace}/${d.name}`;

/** Two Deployments behind one service: the share is the canary's part of the replicas. */
export class DeploymentsCanaryBackend extends KubeCanaryBackend {
  readonly ref: CanaryBackendRef;

  constructor(
    target: KubeTarget,
    readonly stable: DeploymentRef,
    readonly canary: DeploymentRef,
  ) {
    super(target, 'a replica ratio of two Deployments');
    this.ref = { kind: 'deployments', stable: { ...stable }, canary: { ...canary }, ...kube(target) };
  }

  describe(): string {
    return `Deployments ${refText(this.stable)} (stable), ${refText(this.canary)} (canary) (context ${this.target.context})`;
  }

  private json(r: { stable: number; canary: number }): string {
    return JSON.stringify({ [refText(this.stable)]: r.stable, [refText(this.canary)]: r.canary });
  }

  async start(plan: CanaryPlan): Promise<CanaryOriginal> {
    if (refText(this.stable) === refText(this.canary)) throw new CanaryError('invalid', `the stable and the canary Deployment are both ${refText(this.stable)}: name two Deployments`);
    const s = await readReplicas(this.target.kc, this.stable);
    const c = await readReplicas(this.target.kc, this.canary);
    const replicas = { stable: s.replicas, canary: c.replicas };
    for (const p of plan.steps) arithmetic(() => replicasForPercent(p, replicas.stable + replicas.canary));
    return this.begin(plan, { replicas }, { written: this.json(replicas), replicas });
  }

  protected leftByStart(original: CanaryOriginal): CanaryCurrent | undefined {
    return original.replicas ? { replicas: original.replicas } : undefined;
  }

  private started(): { original: { stable: number; canary: number }; last: { stable: number; canary: number } } {
    if (!this.plan || !this.original?.replicas || !this.last?.replicas) throw new CanaryError('invalid', 'the canary has not been started');
    return { original: this.original.replicas, last: this.last.replicas };
  }

  async apply(percent: number): Promise<CanaryWrite> {
    const { original, last } = this.started();
    const total = original.stable + original.canary;
    arithmetic(() => replicasForPercent(percent, total));
    const shift = await scaleDeployments(this.target.kc, this.stable, this.canary, percent, { total, expect: last });
    const replicas = { stable: shift.applied[0].replicas, canary: shift.applied[1].replicas };
    const written = this.json(replicas);
    this.last = { written, replicas };
    return { written };
  }

  async abort(original: CanaryOriginal): Promise<CanaryWrite> {
    const { last } = this.started();
    const o = original.replicas;
    if (!o) throw new CanaryError('invalid', 'the state has no original replica counts to put back');
    const after = await restoreReplicas(
      this.target.kc,
      [
        { ...this.stable, replicas: o.stable, resourceVersion: '' },
        { ...this.canary, replicas: o.canary, resourceVersion: '' },
      ],
      { expect: [last.stable, last.canary] },
    );
    const replicas = { stable: after[0]!.replicas, canary: after[1]!.replicas };
    const written = this.json(replicas);
    this.last = { written, replicas };
    const same = replicas.stable === o.stable && replicas.canary === o.canary;
    return { written, note: same ? `the replica counts are as the canary found them` : `the replica counts differ from those the canary found (${this.json(o)}): check the Deployments` };
  }
}
