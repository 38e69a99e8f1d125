// Canaries started from the editor on Kubernetes targets (server/canary.ts through its host, no
// connection): an SMI TrafficSplit named by its stable and canary services, two Deployments named by
// the target alone, with the kubeconfig and context of the editor's cluster settings, which the state
// keeps for the later steps. Against the Kubernetes stand-in (through the kubeconfig it writes).
// Apart from mutation-server-tests.test.ts because loading @kubernetes/client-node takes seconds.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Canaries, STATE_FILE } from '../../server/canary.js';
import { CREATED, clock as k8sClock, deployment } from '../k8s/fixtures.js';
import type { Obj } from '../k8s/resources.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'server-canary-k8s-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A trusted workspace at `dir` whose cluster settings name `kubeconfig` and `context`. */
function canaries(kubeconfig: string, context: string): Canaries {
  return new Canaries({ trusted: () => true, folder: () => dir, allowed: async () => undefined, kube: () => ({ kubeconfig, context }) });
}
const stateOnDisk = () => JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { backend: object };

describe('Canaries: Kubernetes targets from the editor (the Kubernetes stand-in, the cluster settings)', () => {
  let k8s: K8sStandin;
  let kubeconfig: string;
  const split = (): Obj => ({
    apiVersion: 'split.smi-spec.io/v1alpha2',
    kind: 'TrafficSplit',
    metadata: { name: 'web-split', namespace: 'shop', creationTimestamp: CREATED, uid: 'uid-web-split' },
    spec: { service: 'web', backends: [{ service: 'web-stable', weight: 100 }, { service: 'web-canary', weight: 0 }] },
  });
  before(async () => {
    k8s = await startK8sStandin({ objects: [split(), deployment('shop', 'web-stable', 4), deployment('shop', 'web-canary', 0)], clock: k8sClock });
    kubeconfig = k8s.writeKubeconfig(mkdtempSync(join(tmpdir(), 'server-canary-k8s-kube-')), { context: 'shop-dev' });
  });
  after(() => k8s.stop());
  const weights = () => ((k8s.get('trafficsplit', 'shop', 'web-split')!.spec as Obj).backends as { weight: number }[]).map((b) => b.weight);
  const replicas = () => ['web-stable', 'web-canary'].map((n) => (k8s.get('deployment', 'shop', n)!.spec as Obj).replicas);

  it('a TrafficSplit: its stable and canary services, the kubeconfig and context of the settings kept for the steps', async () => {
    const w = { canaries: canaries(kubeconfig, 'shop-dev') };
    const started = await w.canaries.start({ target: { kind: 'traffic-split', namespace: 'shop', name: 'web-split' }, from: 'web-stable', to: 'web-canary', steps: [50, 100] });
    assert.equal(started.code, 0, started.output);
    assert.equal(
      started.output,
      `started canary shop/web-split: web-stable → web-canary in TrafficSplit shop/web-split (context shop-dev)\n  weights: {"web-stable":100,"web-canary":0}\n  steps: 50% → 100%\n  state: ${join(dir, STATE_FILE)}\n  next: dtab canary step (→ 50%)\n`,
    );
    assert.deepEqual(stateOnDisk().backend, { kind: 'traffic-split', namespace: 'shop', name: 'web-split', kubeconfig, context: 'shop-dev' });
    const stepped = await w.canaries.action({ action: 'step' });
    assert.equal(stepped.code, 0, stepped.output);
    assert.deepEqual(weights(), [50, 50]);
    assert.equal((await w.canaries.action({ action: 'abort' })).code, 0);
    assert.deepEqual(weights(), [100, 0]);
  });
  it('a TrafficSplit named as a dentry is refused in the CLI words', async () => {
    const w = { canaries: canaries(kubeconfig, 'shop-dev') };
    assert.deepEqual(await w.canaries.start({ target: { kind: 'traffic-split', namespace: 'shop', name: 'web-split' }, name: '/svc/web', from: 'web-stable', to: 'web-canary' }), {
      code: 2,
      output: 'dtab: --name names a dentry: a TrafficSplit canary is named by --traffic-split NS/NAME\n',
    });
  });
  it('Deployments: no name and no destinations; the replicas shift', async () => {
    const w = { canaries: canaries(kubeconfig, 'shop-dev') };
    const started = await w.canaries.start({ target: { kind: 'deployments', stable: 'shop/web-stable', canary: 'shop/web-canary' }, steps: [50, 100] });
    assert.equal(started.code, 0, started.output);
    assert.equal(
      started.output,
      `started canary shop/web-stable,shop/web-canary: shop/web-stable → shop/web-canary in Deployments shop/web-stable (stable), shop/web-canary (canary) (context shop-dev)\n  replicas: {"shop/web-stable":4,"shop/web-canary":0}\n  steps: 50% → 100%\n  state: ${join(dir, STATE_FILE)}\n  next: dtab canary step (→ 50%)\n`,
    );
    assert.equal((await w.canaries.action({ action: 'step' })).code, 0);
    assert.deepEqual(replicas(), [2, 2]);
    assert.equal((await w.canaries.action({ action: 'abort' })).code, 0);
    assert.deepEqual(replicas(), [4, 0]);
  });
  it('the kubeconfig of the settings is the one used: a missing one is named', async () => {
    const w = { canaries: canaries(join(dir, 'nope.yaml'), '') };
    const r = await w.canaries.start({ target: { kind: 'deployments', stable: 'shop/web-stable', canary: 'shop/web-canary' } });
    assert.equal(r.code, 2);
    assert.match(r.output, new RegExp(`^dtab: cannot load the kubeconfig ${join(dir, 'nope.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
  });
});
