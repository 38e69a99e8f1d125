// @kubernetes/client-node (the library remote/ reaches clusters with) against the Kubernetes API
// stand-in, through the kubeconfig it writes: typed list/read/patch, and an informer (list, then
// watch) that sees ADDED/MODIFIED/DELETED and recovers after 410 Gone, a cut watch, and the
// server going down.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, makeInformer, PatchStrategy, setHeaderOptions, type Informer, type ObjectCache, type V1Endpoints } from '@kubernetes/client-node';
import { basicObjects, clock, endpoints } from '../k8s/fixtures.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';

/** Polls `cond` every 20 ms until it holds; fails after timeoutMs (a hang, not slowness). */
async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ips = (e: V1Endpoints | undefined) => (e?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));

describe('k8s stand-in: @kubernetes/client-node', { timeout: 300_000 }, () => {
  let k8s: K8sStandin;
  let kc: KubeConfig;

  before(async () => {
    k8s = await startK8sStandin({ objects: basicObjects(), clock, tls: true, token: 'client-node-token' });
    kc = new KubeConfig();
    kc.loadFromFile(k8s.writeKubeconfig(mkdtempSync(join(tmpdir(), 'k8s-client-node-')), { context: 'standin' }));
  });
  after(() => k8s.stop());

  it('loads the kubeconfig: the stand-in as its cluster, with its CA and token', () => {
    assert.equal(kc.getCurrentContext(), 'standin');
    assert.equal(kc.getCurrentCluster()!.server, k8s.url);
    assert.equal(kc.getCurrentUser()!.token, 'client-node-token');
  });

  it('CoreV1Api lists and reads; a missing object is an ApiException 404 with the Status', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const all = await core.listEndpointsForAllNamespaces();
    assert.deepEqual(
      all.items.map((e) => `${e.metadata!.namespace}/${e.metadata!.name}`),
      ['default/world', 'prod/hello'],
    );
    assert.equal(all.metadata!.resourceVersion, k8s.resourceVersion);
    const svcs = await core.listNamespacedService({ namespace: 'default', labelSelector: 'app=world' });
    assert.deepEqual(JSON.parse(JSON.stringify(svcs.items[0]!.spec!.ports)), [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    const ep = await core.readNamespacedEndpoints({ namespace: 'default', name: 'world' });
    assert.deepEqual(ips(ep), ['10.0.0.1', '10.0.0.2']);
    assert.ok(ep.metadata!.creationTimestamp instanceof Date);
    const ns = await core.listNamespace();
    assert.deepEqual(
      ns.items.map((n) => [n.metadata!.name, n.status!.phase]),
      [
        ['default', 'Active'],
        ['prod', 'Active'],
      ],
    );
    await assert.rejects(core.readNamespacedEndpoints({ namespace: 'default', name: 'nope' }), (e: unknown) => {
      assert.ok(e instanceof ApiException);
      assert.equal(e.code, 404);
      assert.match(String(e.body), /endpoints \\"nope\\" not found/);
      return true;
    });
    assert.ok(k8s.requests.every((r) => r.authorization === 'Bearer client-node-token'));
  });

  it('AppsV1Api scales with a merge patch; CustomObjectsApi reads the TrafficSplit', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const scale = await apps.patchNamespacedDeploymentScale({ namespace: 'default', name: 'x', body: { spec: { replicas: 4 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    assert.equal(scale.spec!.replicas, 4);
    assert.equal((await apps.readNamespacedDeployment({ namespace: 'default', name: 'x' })).spec!.replicas, 4);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const ts = (await custom.getNamespacedCustomObject({ group: 'split.smi-spec.io', version: 'v1alpha2', namespace: 'default', plural: 'trafficsplits', name: 'world-split' })) as {
      spec: { backends: { service: string; weight: number }[] };
    };
    assert.deepEqual(ts.spec.backends, [
      { service: 'world-v1', weight: 900 },
      { service: 'world-v2', weight: 100 },
    ]);
  });

  describe('makeInformer', () => {
    /** makeInformer's informer is a ListWatch: also the cache of what it has seen. */
    let informer: Informer<V1Endpoints> & ObjectCache<V1Endpoints>;
    const seen: string[] = [];
    const errors: unknown[] = [];
    let stopped = false;
    let restarts = 0;
    const listCount = () => k8s.requests.filter((r) => r.path === '/api/v1/namespaces/default/endpoints' && r.verb === 'list').length;

    before(async () => {
      const core = kc.makeApiClient(CoreV1Api);
      informer = makeInformer<V1Endpoints>(kc, '/api/v1/namespaces/default/endpoints', () => core.listNamespacedEndpoints({ namespace: 'default' })) as typeof informer;
      informer.on('add', (e) => seen.push(`add ${e.metadata!.name} ${ips(e).join(',')}`));
      informer.on('update', (e) => seen.push(`update ${e.metadata!.name} ${ips(e).join(',')}`));
      informer.on('delete', (e) => seen.push(`delete ${e.metadata!.name}`));
      // client-node's documented pattern: an informer stops on errors; its user restarts it.
      informer.on('error', (err) => {
        errors.push(err);
        if (!stopped && restarts++ < 200) setTimeout(() => void informer.start().catch(() => {}), 50);
      });
      await informer.start();
    });
    after(async () => {
      stopped = true;
      await informer.stop();
    });

    it('lists, then watches: ADDED, MODIFIED, DELETED as the test changes objects', async () => {
      await until('the initial add', () => seen.includes('add world 10.0.0.1,10.0.0.2'));
      await until('the watch', () => k8s.watchCount === 1);
      k8s.setEndpoints('default', 'world', '10.0.0.3:8080');
      k8s.apply(endpoints('default', 'other', ['10.0.0.4'], [{ port: 80 }]));
      k8s.delete('endpoints', 'default', 'other');
      await until('the three events', () => seen.length >= 4);
      assert.deepEqual(seen, ['add world 10.0.0.1,10.0.0.2', 'update world 10.0.0.3', 'add other 10.0.0.4', 'delete other']);
      assert.equal(informer.get('world', 'default')!.metadata!.resourceVersion, (k8s.get('endpoints', 'default', 'world')!.metadata as { resourceVersion: string }).resourceVersion);
      const watch = k8s.requests.find((r) => r.verb === 'watch')!;
      const list = k8s.requests.find((r) => r.verb === 'list' && r.path === '/api/v1/namespaces/default/endpoints')!;
      assert.match(watch.params.resourceVersion!, /^\d+$/);
      assert.ok(k8s.requests.indexOf(list) < k8s.requests.indexOf(watch), 'list, then watch');
    });

    it('recovers after 410 Gone: relists, and sees what changed meanwhile', async () => {
      seen.length = 0;
      const lists = listCount();
      await k8s.fault({ kind: 'gone' });
      // The API server ends watches now and then; the informer re-watches from where it was, gets 410, relists.
      await k8s.fault({ kind: 'cut-watches', mode: 'end' });
      await until('a relist', () => listCount() > lists);
      await until('the watch again', () => k8s.watchCount === 1);
      k8s.setEndpoints('default', 'world', '10.0.0.5:8080');
      await until('the update', () => seen.includes('update world 10.0.0.5'));
      // And when what it missed while away is no longer in the history (compacted): the same.
      const lists2 = listCount();
      const down = await k8s.fault({ kind: 'down' });
      k8s.setEndpoints('default', 'world', '10.0.0.6:8080');
      k8s.compact();
      await down.clear();
      await until('a relist', () => listCount() > lists2);
      await until('the update it missed', () => seen.includes('update world 10.0.0.6'));
      const gone = k8s.requests.filter((r) => r.verb === 'watch' && r.status === 200);
      assert.ok(gone.length >= 2);
    });

    it('recovers after its watch is cut mid-stream, and after the server was down', async () => {
      seen.length = 0;
      const errorsBefore = errors.length;
      await until('the watch', () => k8s.watchCount === 1);
      await k8s.fault({ kind: 'cut-watches', mode: 'mid-event' });
      await until('an error', () => errors.length > errorsBefore);
      await until('the watch again', () => k8s.watchCount === 1);
      k8s.setEndpoints('default', 'world', '10.0.0.7:8080');
      await until('the update after the cut', () => seen.includes('update world 10.0.0.7'));
      const down = await k8s.fault({ kind: 'down' });
      k8s.delete('endpoints', 'default', 'world'); // while nobody can watch
      k8s.apply(endpoints('default', 'new', ['10.0.0.8'], [{ port: 80 }]));
      await new Promise((r) => setTimeout(r, 300));
      await down.clear();
      await until('the delete and the add, after the server came back', () => seen.includes('delete world') && seen.includes('add new 10.0.0.8'));
      assert.equal(informer.get('world', 'default'), undefined);
      assert.deepEqual(
        informer.list('default').map((e) => e.metadata!.name),
        ['new'],
      );
    });
  });
});
