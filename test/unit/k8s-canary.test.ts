// Canary shifts on Kubernetes (remote/k8s-canary.ts) against the Kubernetes API stand-in, reached
// through the kubeconfig it writes (HTTPS, its own CA, a bearer token): SMI TrafficSplit weights
// in v1alpha1 (quantities) and v1alpha2+ (integers) shapes, read back also with the real kubectl;
// Deployment replica ratios through the scale subresource; conflicts, not-found, forbidden,
// unauthorized, unreachable. And the pure weight/replica arithmetic (core/canary/k8s-weights.ts).

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { KubeConfig } from '@kubernetes/client-node';
import { basisPoints, microQuantity, parseQuantity, percentOf, replicasForPercent, weightStyleOf, weightsForPercent } from '../../core/canary/k8s-weights.js';
import { loadKubeConfig } from '../../remote/k8s.js';
import { K8sCanaryError, readReplicas, readTrafficSplit, restoreReplicas, restoreTrafficSplit, scaleDeployments, setTrafficSplitWeights, type TrafficSplit } from '../../remote/k8s-canary.js';
import { CREATED, clock, deployment } from '../k8s/fixtures.js';
import { kubectl } from '../k8s/kubectl.js';
import type { Obj } from '../k8s/resources.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';

describe('canary weights (pure)', () => {
  it('weightsForPercent: integers out of 100 (1000, 10000 for decimals); quantities summing to 1', () => {
    const table: [number, 'integer' | 'quantity', Record<string, number | string>][] = [
      [0, 'integer', { s: 100, c: 0 }],
      [10, 'integer', { s: 90, c: 10 }],
      [25, 'integer', { s: 75, c: 25 }],
      [50, 'integer', { s: 50, c: 50 }],
      [100, 'integer', { s: 0, c: 100 }],
      [12.5, 'integer', { s: 875, c: 125 }],
      [12.25, 'integer', { s: 8775, c: 1225 }],
      [0.01, 'integer', { s: 9999, c: 1 }],
      [0, 'quantity', { s: '1', c: '0' }],
      [10, 'quantity', { s: '900m', c: '100m' }],
      [25, 'quantity', { s: '750m', c: '250m' }],
      [50, 'quantity', { s: '500m', c: '500m' }],
      [100, 'quantity', { s: '0', c: '1' }],
      [12.5, 'quantity', { s: '875m', c: '125m' }],
      [12.25, 'quantity', { s: '877500u', c: '122500u' }],
    ];
    for (const [p, style, want] of table) assert.deepEqual(weightsForPercent(p, 's', 'c', style), want, `${p}% ${style}`);
    assert.deepEqual(weightsForPercent(10, 's', 'c'), { s: 90, c: 10 }, 'integer by default');
    assert.throws(() => weightsForPercent(101, 's', 'c'), { name: 'RangeError', message: 'a percentage is from 0 to 100 (got 101)' });
    assert.throws(() => weightsForPercent(-1, 's', 'c'), { name: 'RangeError', message: 'a percentage is from 0 to 100 (got -1)' });
    assert.throws(() => weightsForPercent(12.345, 's', 'c'), { name: 'RangeError', message: 'a percentage has at most two decimals (got 12.345)' });
    assert.throws(() => weightsForPercent(Number.NaN, 's', 'c'), { name: 'RangeError', message: 'a percentage is a number from 0 to 100 (got NaN)' });
    assert.throws(() => weightsForPercent(10, 's', 's'), { name: 'RangeError', message: 'the stable and the canary backend are both s' });
    assert.equal(basisPoints(0.07), 7, 'two decimals exactly, despite floating point');
    assert.equal(microQuantity(1_500_000), '1500m');
  });

  it('parseQuantity: the Kubernetes quantity grammar; percentOf; weightStyleOf', () => {
    const q: [string, number | undefined][] = [
      ['1', 1],
      ['500m', 0.5],
      ['0m', 0],
      ['1500m', 1.5],
      ['100u', 0.0001],
      ['2k', 2000],
      ['1Ki', 1024],
      ['1e3', 1000],
      ['5E-1', 0.5],
      ['.5', 0.5],
      ['+1', 1],
      ['1x', undefined],
      ['m', undefined],
      ['', undefined],
      ['1 m', undefined],
    ];
    for (const [s, v] of q) assert.equal(parseQuantity(s), v, s);
    assert.equal(percentOf([{ service: 'a', weight: '900m' }, { service: 'b', weight: '100m' }], 'b')!.toFixed(6), '10.000000');
    assert.equal(percentOf([{ service: 'a', weight: 1000 }, { service: 'b', weight: 500 }], 'b')!.toFixed(4), '33.3333');
    assert.equal(percentOf([{ service: 'a', weight: 0 }], 'a'), undefined, 'all weigh 0');
    assert.equal(percentOf([{ service: 'a', weight: 1 }], 'z'), undefined, 'no such backend');
    assert.equal(percentOf([{ service: 'a', weight: 'lots' }], 'a'), undefined);
    assert.equal(weightStyleOf('split.smi-spec.io/v1alpha1', [1, 0]), 'quantity');
    assert.equal(weightStyleOf('split.smi-spec.io/v1alpha4', ['500m', 1]), 'quantity');
    assert.equal(weightStyleOf('split.smi-spec.io/v1alpha2', [900, 100]), 'integer');
  });

  it('replicasForPercent: canary rounded half up; one stable until 100 %, one canary above 0 %', () => {
    const table: [number, number, number, number][] = [
      // percent, total → stable, canary
      [0, 4, 4, 0],
      [10, 4, 3, 1],
      [25, 4, 3, 1],
      [50, 4, 2, 2],
      [100, 4, 0, 4],
      [10, 10, 9, 1],
      [25, 10, 7, 3],
      [15, 10, 8, 2],
      [1, 10, 9, 1],
      [99, 10, 1, 9],
      [90, 3, 1, 2],
      [50, 2, 1, 1],
      [0, 0, 0, 0],
      [100, 1, 0, 1],
      [12.5, 8, 7, 1],
    ];
    for (const [p, total, stable, canary] of table) assert.deepEqual(replicasForPercent(p, total), { stable, canary }, `${p}% of ${total}`);
    assert.throws(() => replicasForPercent(10, 1), { name: 'RangeError', message: '10% needs at least 2 replicas in all (one stable, one canary); there are 1' });
    assert.throws(() => replicasForPercent(10, 2.5), { name: 'RangeError', message: 'a replica total is a whole number ≥ 0 (got 2.5)' });
  });
});

/** Polls (20 ms) until `cond` holds: waiting for something to happen, bounded. */
async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const split = (version: string, name: string, backends: [string, number | string][]): Obj => ({
  apiVersion: `split.smi-spec.io/${version}`,
  kind: 'TrafficSplit',
  metadata: { name, namespace: 'shop', creationTimestamp: CREATED, uid: `uid-${name}` },
  spec: { service: 'web', backends: backends.map(([service, weight]) => ({ service, weight })) },
});

const objects = (): Obj[] => [
  split('v1alpha2', 'web-split', [
    ['web-stable', 900],
    ['web-canary', 100],
  ]),
  split('v1alpha1', 'api-split', [
    ['api-stable', '1'],
    ['api-canary', '0'],
  ]),
  deployment('shop', 'web-stable', 4),
  deployment('shop', 'web-canary', 0),
  deployment('shop', 'api-stable', 1),
  deployment('shop', 'api-canary', 0),
];

/** Whether an error is a K8sCanaryError of this kind and exactly this message. */
const canaryErr = (kind: string, message: string) => (e: unknown) => {
  assert.ok(e instanceof K8sCanaryError, String(e));
  assert.deepEqual({ kind: e.kind, message: e.message }, { kind, message });
  return true;
};

describe('k8s canary: TrafficSplit and Deployments against the stand-in', { timeout: 600_000 }, () => {
  let k8s: K8sStandin;
  let kubeconfig: string;
  let cache: string;
  let kc: KubeConfig;
  let cluster: string;
  const kubectlJson = async (...args: string[]): Promise<Obj> => {
    const r = await kubectl(kubeconfig, cache, [...args, '-o', 'json']);
    assert.equal(r.stderr, '', r.stderr);
    return JSON.parse(r.stdout) as Obj;
  };
  const stored = (kind: string, name: string) => k8s.get(kind, 'shop', name)!;
  const storedRv = (kind: string, name: string) => String((stored(kind, name).metadata as Obj).resourceVersion);

  before(async () => {
    k8s = await startK8sStandin({ objects: objects(), clock, tls: true, token: 'canary-token' });
    const dir = mkdtempSync(join(tmpdir(), 'k8s-canary-'));
    kubeconfig = k8s.writeKubeconfig(dir, { context: 'canary' });
    cache = join(dir, 'cache');
    kc = loadKubeConfig({ kubeconfig });
    cluster = `context canary (${k8s.url})`;
  });
  after(() => k8s.stop());
  beforeEach(() => k8s.clearFaults());

  describe('TrafficSplit v1alpha2+ (integer weights)', () => {
    let original: TrafficSplit;

    it('reads it through the preferred version', async () => {
      original = await readTrafficSplit(kc, 'shop', 'web-split');
      assert.deepEqual(original, {
        namespace: 'shop',
        name: 'web-split',
        apiVersion: 'split.smi-spec.io/v1alpha4',
        service: 'web',
        backends: [
          { service: 'web-stable', weight: 900 },
          { service: 'web-canary', weight: 100 },
        ],
        resourceVersion: storedRv('trafficsplit', 'web-split'),
        style: 'integer',
        spec: { service: 'web', backends: [{ service: 'web-stable', weight: 900 }, { service: 'web-canary', weight: 100 }] },
      });
    });

    it('sets 10 % with a merge patch carrying the resourceVersion; kubectl reads the same', async () => {
      k8s.clearRequests();
      const after10 = await setTrafficSplitWeights(kc, 'shop', 'web-split', weightsForPercent(10, 'web-stable', 'web-canary', original.style), { resourceVersion: original.resourceVersion });
      assert.deepEqual(after10.backends, [
        { service: 'web-stable', weight: 90 },
        { service: 'web-canary', weight: 10 },
      ]);
      assert.equal(after10.resourceVersion, storedRv('trafficsplit', 'web-split'));
      assert.notEqual(after10.resourceVersion, original.resourceVersion);
      const patch = k8s.requests.find((r) => r.verb === 'patch')!;
      assert.deepEqual([patch.path, patch.contentType], ['/apis/split.smi-spec.io/v1alpha4/namespaces/shop/trafficsplits/web-split', 'application/merge-patch+json']);
      assert.deepEqual(stored('trafficsplit', 'web-split').spec, { service: 'web', backends: [{ service: 'web-stable', weight: 90 }, { service: 'web-canary', weight: 10 }] });
      const viaKubectl = await kubectlJson('get', 'trafficsplit', 'web-split', '-n', 'shop');
      assert.deepEqual([viaKubectl.apiVersion, viaKubectl.spec, (viaKubectl.metadata as Obj).resourceVersion], ['split.smi-spec.io/v1alpha4', { service: 'web', backends: [{ service: 'web-stable', weight: 90 }, { service: 'web-canary', weight: 10 }] }, after10.resourceVersion]);
    });

    it('sets one backend only (the other keeps its weight), through a version asked for', async () => {
      const after = await setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': 30 }, { version: 'v1alpha2' });
      assert.deepEqual([after.apiVersion, after.backends], [
        'split.smi-spec.io/v1alpha2',
        [
          { service: 'web-stable', weight: 90 },
          { service: 'web-canary', weight: 30 },
        ],
      ]);
    });

    it('restores exactly what was read; kubectl reads the original', async () => {
      const restored = await restoreTrafficSplit(kc, 'shop', 'web-split', original);
      assert.deepEqual(restored.spec, original.spec);
      assert.deepEqual(restored.backends, original.backends);
      assert.deepEqual(stored('trafficsplit', 'web-split').spec, original.spec);
      const viaKubectl = await kubectlJson('get', 'trafficsplits.v1alpha2.split.smi-spec.io', 'web-split', '-n', 'shop');
      assert.deepEqual([viaKubectl.apiVersion, viaKubectl.spec], ['split.smi-spec.io/v1alpha2', original.spec]);
    });

    it('refuses weights that are not whole numbers, and backends the split has not, before writing', async () => {
      const rv = storedRv('trafficsplit', 'web-split');
      await assert.rejects(
        setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': '100m' }),
        canaryErr('invalid', 'the weight "100m" for web-canary in trafficsplits.split.smi-spec.io "web-split" in namespace shop on ' + cluster + ' is not a whole number ≥ 0 (split.smi-spec.io/v1alpha4 weights are integers): nothing was written'),
      );
      await assert.rejects(
        setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': 12.5 }),
        canaryErr('invalid', 'the weight 12.5 for web-canary in trafficsplits.split.smi-spec.io "web-split" in namespace shop on ' + cluster + ' is not a whole number ≥ 0 (split.smi-spec.io/v1alpha4 weights are integers): nothing was written'),
      );
      await assert.rejects(
        setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-v3': 10 }),
        canaryErr('invalid', `trafficsplits.split.smi-spec.io "web-split" in namespace shop on ${cluster} has no backend web-v3 (its backends: web-stable, web-canary): nothing was written; name a backend of the split`),
      );
      assert.equal(storedRv('trafficsplit', 'web-split'), rv);
    });
  });

  describe('TrafficSplit v1alpha1 (quantity weights)', () => {
    let original: TrafficSplit;

    it('reads it through v1alpha1 (the only version that can write quantities back)', async () => {
      k8s.clearRequests();
      original = await readTrafficSplit(kc, 'shop', 'api-split');
      assert.deepEqual(original, {
        namespace: 'shop',
        name: 'api-split',
        apiVersion: 'split.smi-spec.io/v1alpha1',
        service: 'web',
        backends: [
          { service: 'api-stable', weight: '1' },
          { service: 'api-canary', weight: '0' },
        ],
        resourceVersion: storedRv('trafficsplit', 'api-split'),
        style: 'quantity',
        spec: { service: 'web', backends: [{ service: 'api-stable', weight: '1' }, { service: 'api-canary', weight: '0' }] },
      });
      assert.deepEqual(
        k8s.requests.filter((r) => r.resource === 'trafficsplits').map((r) => r.path),
        ['/apis/split.smi-spec.io/v1alpha4/namespaces/shop/trafficsplits/api-split', '/apis/split.smi-spec.io/v1alpha1/namespaces/shop/trafficsplits/api-split'],
      );
    });

    it('sets 25 % as quantities through v1alpha1; kubectl reads the same in every version', async () => {
      const w = weightsForPercent(25, 'api-stable', 'api-canary', original.style);
      assert.deepEqual(w, { 'api-stable': '750m', 'api-canary': '250m' });
      const after25 = await setTrafficSplitWeights(kc, 'shop', 'api-split', w, { resourceVersion: original.resourceVersion });
      assert.deepEqual([after25.apiVersion, after25.backends], [
        'split.smi-spec.io/v1alpha1',
        [
          { service: 'api-stable', weight: '750m' },
          { service: 'api-canary', weight: '250m' },
        ],
      ]);
      const want = { service: 'web', backends: [{ service: 'api-stable', weight: '750m' }, { service: 'api-canary', weight: '250m' }] };
      assert.deepEqual((await kubectlJson('get', 'trafficsplit', 'api-split', '-n', 'shop')).spec, want);
      const v1 = await kubectlJson('get', 'trafficsplits.v1alpha1.split.smi-spec.io', 'api-split', '-n', 'shop');
      assert.deepEqual([v1.apiVersion, v1.spec, (v1.metadata as Obj).resourceVersion], ['split.smi-spec.io/v1alpha1', want, after25.resourceVersion]);
    });

    it('restores exactly the quantities read', async () => {
      const restored = await restoreTrafficSplit(kc, 'shop', 'api-split', original);
      assert.deepEqual([restored.apiVersion, restored.spec], [original.apiVersion, original.spec]);
      assert.deepEqual(stored('trafficsplit', 'api-split').spec, original.spec);
      assert.deepEqual((await kubectlJson('get', 'trafficsplit', 'api-split', '-n', 'shop')).spec, original.spec);
    });

    it('the stand-in, like the API server, refuses quantities written through v1alpha2', async () => {
      await assert.rejects(
        setTrafficSplitWeights(kc, 'shop', 'api-split', { 'api-canary': '100m' }, { version: 'v1alpha2' }),
        canaryErr(
          'invalid',
          `the Kubernetes API refused the change of trafficsplits.split.smi-spec.io "api-split" in namespace shop on ${cluster} (TrafficSplit.split.smi-spec.io "api-split" is invalid: [spec.backends[0].weight: Invalid value: "string": spec.backends[0].weight in body must be of type number: "string", spec.backends[1].weight: Invalid value: "string": spec.backends[1].weight in body must be of type number: "string"]): nothing was written`,
        ),
      );
    });
  });

  describe('TrafficSplit conflicts', () => {
    it('a change since the resourceVersion decided on: conflict, nothing written', async () => {
      const read = await readTrafficSplit(kc, 'shop', 'web-split');
      k8s.apply({ ...stored('trafficsplit', 'web-split'), metadata: { ...(stored('trafficsplit', 'web-split').metadata as Obj), labels: { touched: 'yes' } } });
      const now = storedRv('trafficsplit', 'web-split');
      await assert.rejects(
        setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': 50 }, { resourceVersion: read.resourceVersion }),
        canaryErr('conflict', `trafficsplits.split.smi-spec.io "web-split" in namespace shop on ${cluster} was changed by someone else since it was read (resourceVersion ${read.resourceVersion}, now ${now}): nothing was written; read it again and decide again`),
      );
      assert.equal(storedRv('trafficsplit', 'web-split'), now);
    });

    it('a change between the read and the patch: the API answers 409 → conflict', async () => {
      const before = stored('trafficsplit', 'web-split');
      const stall = await k8s.fault({ kind: 'stall', match: { verb: 'patch', resource: 'trafficsplits' } });
      const pending = setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': 50 });
      const settled = pending.then(
        () => undefined,
        (e: unknown) => e,
      );
      await until('the patch is held', () => stall.hits === 1);
      // Someone else shifts meanwhile.
      k8s.apply({ ...before, spec: { service: 'web', backends: [{ service: 'web-stable', weight: 1 }, { service: 'web-canary', weight: 1 }] } });
      const theirs = storedRv('trafficsplit', 'web-split');
      await stall.clear();
      canaryErr(
        'conflict',
        `trafficsplits.split.smi-spec.io "web-split" in namespace shop on ${cluster} was changed by someone else since it was read (Operation cannot be fulfilled on trafficsplits.split.smi-spec.io "web-split": the object has been modified; please apply your changes to the latest version and try again): nothing was written; read it again and decide again`,
      )(await settled);
      assert.deepEqual([storedRv('trafficsplit', 'web-split'), (stored('trafficsplit', 'web-split').spec as Obj).backends], [theirs, [{ service: 'web-stable', weight: 1 }, { service: 'web-canary', weight: 1 }]]);
      k8s.apply(before);
    });

    it('restore on condition of the resourceVersion last written: a change since is a conflict', async () => {
      const original = await readTrafficSplit(kc, 'shop', 'web-split');
      const mine = await setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': 20 });
      k8s.apply({ ...stored('trafficsplit', 'web-split'), spec: { service: 'web', backends: [{ service: 'web-stable', weight: 5 }, { service: 'web-canary', weight: 5 }] } });
      await assert.rejects(
        restoreTrafficSplit(kc, 'shop', 'web-split', original, { resourceVersion: mine.resourceVersion }),
        canaryErr('conflict', `trafficsplits.split.smi-spec.io "web-split" in namespace shop on ${cluster} was changed by someone else since it was read (resourceVersion ${mine.resourceVersion}, now ${storedRv('trafficsplit', 'web-split')}): nothing was written; read it again and decide again`),
      );
      // Without the condition, it is put back (on condition of what it reads just before).
      assert.deepEqual((await restoreTrafficSplit(kc, 'shop', 'web-split', original)).spec, original.spec);
    });
  });

  describe('Deployments: replica ratio through the scale subresource', () => {
    const stable = { namespace: 'shop', name: 'web-stable' };
    const canary = { namespace: 'shop', name: 'web-canary' };
    const replicasNow = () => [(stored('deployment', 'web-stable').spec as Obj).replicas, (stored('deployment', 'web-canary').spec as Obj).replicas];
    let first: Awaited<ReturnType<typeof scaleDeployments>>;

    it('readReplicas: spec.replicas and the resourceVersion, from the scale subresource', async () => {
      k8s.clearRequests();
      assert.deepEqual(await readReplicas(kc, stable), { namespace: 'shop', name: 'web-stable', replicas: 4, resourceVersion: storedRv('deployment', 'web-stable') });
      assert.deepEqual(
        k8s.requests.map((r) => [r.method, r.path]),
        [['GET', '/apis/apps/v1/namespaces/shop/deployments/web-stable/scale']],
      );
    });

    it('10 %, 25 %, 50 %, 100 % of 4 replicas; the growing one is written first, each with its resourceVersion', async () => {
      const want: [number, number, number][] = [
        [10, 3, 1],
        [25, 3, 1],
        [50, 2, 2],
        [100, 0, 4],
      ];
      for (const [p, s, c] of want) {
        k8s.clearRequests();
        const rvs = [storedRv('deployment', 'web-stable'), storedRv('deployment', 'web-canary')];
        const shift = await scaleDeployments(kc, stable, canary, p);
        first ??= shift;
        assert.deepEqual([shift.total, shift.applied.map((r) => r.replicas)], [4, [s, c]], `${p}%`);
        assert.deepEqual(replicasNow(), [s, c], `${p}% stored`);
        assert.deepEqual(shift.applied.map((r) => r.resourceVersion), [storedRv('deployment', 'web-stable'), storedRv('deployment', 'web-canary')]);
        const puts = k8s.requests.filter((r) => r.method === 'PUT');
        const grew = shift.applied.map((r, i) => r.replicas - shift.original[i]!.replicas);
        const expectedOrder = [0, 1].filter((i) => grew[i] !== 0).sort((a, b) => grew[b]! - grew[a]!).map((i) => `/apis/apps/v1/namespaces/shop/deployments/${['web-stable', 'web-canary'][i]}/scale`);
        assert.deepEqual(puts.map((r) => r.path), expectedOrder, `${p}%: the growing one first, nothing for an unchanged one`);
        assert.deepEqual(shift.original.map((r) => r.resourceVersion), rvs);
      }
      assert.deepEqual(first.original.map((r) => r.replicas), [4, 0]);
      const viaKubectl = await kubectlJson('get', 'deployments', 'web-stable', 'web-canary', '-n', 'shop');
      assert.deepEqual((viaKubectl.items as Obj[]).map((d) => [(d.metadata as Obj).name, (d.spec as Obj).replicas]), [
        ['web-stable', 0],
        ['web-canary', 4],
      ]);
    });

    it('restoreReplicas puts back exactly the counts read before the first shift', async () => {
      const restored = await restoreReplicas(kc, first.original);
      assert.deepEqual(restored.map((r) => [r.name, r.replicas]), [
        ['web-stable', 4],
        ['web-canary', 0],
      ]);
      assert.deepEqual(replicasNow(), [4, 0]);
      const viaKubectl = await kubectlJson('get', 'deployments', 'web-stable', 'web-canary', '-n', 'shop');
      assert.deepEqual((viaKubectl.items as Obj[]).map((d) => (d.spec as Obj).replicas), [4, 0]);
    });

    it('a given total: 50 % of 6', async () => {
      const shift = await scaleDeployments(kc, stable, canary, 50, { total: 6 });
      assert.deepEqual([shift.total, shift.applied.map((r) => r.replicas)], [6, [3, 3]]);
      await restoreReplicas(kc, shift.original);
      assert.deepEqual(replicasNow(), [4, 0]);
    });

    it('a change of a Deployment between the read and the scale write: 409 → conflict, naming what was already written', async () => {
      const stall = await k8s.fault({ kind: 'stall', match: { verb: 'update', resource: 'deployments', name: 'web-stable' } });
      const settled = scaleDeployments(kc, stable, canary, 50).then(
        () => undefined,
        (e: unknown) => e,
      );
      await until('the stable write is held', () => stall.hits === 1);
      // An autoscaler, say, changes the stable Deployment meanwhile.
      k8s.apply({ ...stored('deployment', 'web-stable'), spec: { ...(stored('deployment', 'web-stable').spec as Obj), replicas: 5 } });
      await stall.clear();
      canaryErr(
        'conflict',
        `deployments.apps "web-stable" in namespace shop on ${cluster} was changed by someone else since it was read (Operation cannot be fulfilled on deployments.apps "web-stable": the object has been modified; please apply your changes to the latest version and try again): nothing was written; read it again and decide again (already written: shop/web-canary 0 → 2; restoreReplicas puts the original counts back)`,
      )(await settled);
      assert.deepEqual(replicasNow(), [5, 2]);
      await restoreReplicas(kc, [
        { namespace: 'shop', name: 'web-stable', replicas: 4, resourceVersion: '' },
        { namespace: 'shop', name: 'web-canary', replicas: 0, resourceVersion: '' },
      ]);
      assert.deepEqual(replicasNow(), [4, 0]);
    });

    it('refuses a shift that one replica cannot make, and the same Deployment twice', async () => {
      await assert.rejects(
        scaleDeployments(kc, { namespace: 'shop', name: 'api-stable' }, { namespace: 'shop', name: 'api-canary' }, 10),
        canaryErr('invalid', `cannot shift 10% to shop/api-canary on ${cluster}: 10% needs at least 2 replicas in all (one stable, one canary); there are 1; nothing was written`),
      );
      await assert.rejects(scaleDeployments(kc, stable, stable, 10), canaryErr('invalid', 'the stable and the canary Deployment are both shop/web-stable: name two Deployments'));
    });
  });

  describe('errors: not found, forbidden, unauthorized, unreachable', () => {
    it('not found: the TrafficSplit, the Deployment', async () => {
      await assert.rejects(
        readTrafficSplit(kc, 'shop', 'nope'),
        canaryErr('not-found', `trafficsplits.split.smi-spec.io "nope" in namespace shop not found on ${cluster}: check the name, the namespace and the context (kubectl get trafficsplits.split.smi-spec.io -n shop)`),
      );
      await assert.rejects(
        readReplicas(kc, { namespace: 'shop', name: 'nope' }),
        canaryErr('not-found', `deployments.apps "nope" in namespace shop not found on ${cluster}: check the name, the namespace and the context (kubectl get deployments.apps -n shop)`),
      );
      await assert.rejects(scaleDeployments(kc, { namespace: 'shop', name: 'web-stable' }, { namespace: 'shop', name: 'gone' }, 10), (e: unknown) => e instanceof K8sCanaryError && e.kind === 'not-found');
      assert.deepEqual(
        [(stored('deployment', 'web-stable').spec as Obj).replicas],
        [4],
        'nothing written when the canary is missing',
      );
    });

    it('forbidden: the RBAC message, and what permission is needed', async () => {
      await k8s.fault({ kind: 'status', code: 403, user: 'alice', match: { verb: 'patch', resource: 'trafficsplits' } });
      await assert.rejects(
        setTrafficSplitWeights(kc, 'shop', 'web-split', { 'web-canary': 10 }),
        canaryErr(
          'forbidden',
          `trafficsplits.split.smi-spec.io "web-split" is forbidden: User "alice" cannot patch resource "trafficsplits" in API group "split.smi-spec.io" in the namespace "shop" (${cluster}): this needs RBAC permission to patch trafficsplits.split.smi-spec.io in namespace shop (kubectl auth can-i patch trafficsplits.split.smi-spec.io -n shop)`,
        ),
      );
      await k8s.clearFaults();
      await k8s.fault({ kind: 'status', code: 403, user: 'alice', match: { verb: 'update', resource: 'deployments' } });
      await assert.rejects(
        scaleDeployments(kc, { namespace: 'shop', name: 'web-stable' }, { namespace: 'shop', name: 'web-canary' }, 50),
        canaryErr(
          'forbidden',
          `deployments.apps "web-canary" is forbidden: User "alice" cannot update resource "deployments/scale" in API group "apps" in the namespace "shop" (${cluster}): this needs RBAC permission to update deployments/scale in namespace shop (kubectl auth can-i update deployments/scale -n shop)`,
        ),
      );
    });

    it('unauthorized: credentials the API does not accept (client-node keeps no body for a 401)', async () => {
      const bad = loadKubeConfig({ kubeconfig: k8s.writeKubeconfig(mkdtempSync(join(tmpdir(), 'k8s-canary-bad-')), { context: 'expired', token: 'expired-token' }) });
      await assert.rejects(
        readReplicas(bad, { namespace: 'shop', name: 'web-stable' }),
        canaryErr('unauthorized', `the Kubernetes API at ${k8s.url} (context expired (${k8s.url})) did not accept the kubeconfig's credentials for deployments.apps "web-stable" in namespace shop: log in again or refresh the credentials of the context`),
      );
    });

    it('unreachable: the API is down', async () => {
      const down = await k8s.fault({ kind: 'down' });
      try {
        await assert.rejects(
          readReplicas(kc, { namespace: 'shop', name: 'web-stable' }),
          canaryErr('network', `cannot reach the Kubernetes API at ${k8s.url}: connection refused (${cluster}): check that the cluster answers (kubectl cluster-info) and try again`),
        );
      } finally {
        await down.clear();
      }
    });
  });
});
