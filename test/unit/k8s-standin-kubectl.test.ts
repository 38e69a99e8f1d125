// The real kubectl against the Kubernetes API stand-in, through the kubeconfig it writes (HTTPS
// with its own CA and a bearer token, as users reach their clusters): exact outputs for get
// (tables, YAML, JSON), a watch, scale, and the API's errors as kubectl reports them.
// kubectl is installed (Debian's kubernetes-client) when the machine has none.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { basicObjects, clock } from '../k8s/fixtures.js';
import { kubectl, kubectlMinor, kubectlStreaming } from '../k8s/kubectl.js';
import type { Obj } from '../k8s/resources.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';

/** Fixture objects with fixed uids, so that whole outputs are exact. */
const objects = (): Obj[] => basicObjects().map((o, i) => ({ ...o, metadata: { ...(o.metadata as Obj), uid: `0000000${i}-0000-4000-8000-000000000000` } }));

/** What Go's json.MarshalIndent(v, "", "    ") prints (kubectl -o json): keys sorted, HTML escaped. */
function goJson(v: unknown, indent = ''): string {
  const inner = indent + '    ';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + goJson(x, inner)).join(',\n')}\n${indent}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${goJson((v as Obj)[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const WORLD_YAML = `apiVersion: v1
kind: Endpoints
metadata:
  creationTimestamp: "2025-06-01T07:00:00Z"
  labels:
    app: world
  name: world
  namespace: default
  resourceVersion: "103"
  uid: 00000001-0000-4000-8000-000000000000
subsets:
- addresses:
  - ip: 10.0.0.1
  - ip: 10.0.0.2
  ports:
  - name: http
    port: 8080
    protocol: TCP
`;

describe('k8s stand-in: the real kubectl', { timeout: 600_000 }, () => {
  let k8s: K8sStandin;
  let kubeconfig: string;
  let cache: string;
  /** kubectl's own List (of what it got): Debian's kubectl 1.20 still gives it a selfLink. */
  let listMeta: Obj;
  const run = (...args: string[]) => kubectl(kubeconfig, cache, args);

  before(async () => {
    listMeta = (await kubectlMinor()) <= 20 ? { resourceVersion: '', selfLink: '' } : { resourceVersion: '' };
    k8s = await startK8sStandin({ objects: objects(), clock, tls: true, token: 'kubectl-token' });
    const dir = mkdtempSync(join(tmpdir(), 'k8s-kubectl-'));
    kubeconfig = k8s.writeKubeconfig(dir, { context: 'standin' });
    cache = join(dir, 'cache');
  });
  after(() => k8s.stop());

  it('get svc -n default: the server-side table', async () => {
    const r = await run('get', 'svc', '-n', 'default');
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nworld   ClusterIP   10.96.0.20   <none>        80/TCP    5h\n');
    const list = k8s.requests.filter((q) => q.path === '/api/v1/namespaces/default/services');
    assert.ok(list.length > 0);
    assert.match(list.at(-1)!.accept!, /^application\/json;as=Table;v=v1;g=meta\.k8s\.io/);
    assert.ok(k8s.requests.every((q) => q.authorization === 'Bearer kubectl-token'), 'kubectl sends the kubeconfig token on every request');
  });

  it('get endpoints, deployments, namespaces, trafficsplits (a short name from discovery) as tables', async () => {
    assert.equal((await run('get', 'endpoints', '-A')).stdout, 'NAMESPACE   NAME    ENDPOINTS                     AGE\ndefault     world   10.0.0.1:8080,10.0.0.2:8080   5h\nprod        hello   10.1.0.1:9000                 5h\n');
    assert.equal((await run('get', 'deploy', '-n', 'default', '-o', 'wide')).stdout, 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                       SELECTOR\nx      0/1     0            0           5h    app          buoyantio/helloworld:0.1.6   app=x\n');
    assert.equal((await run('get', 'ns')).stdout, 'NAME      STATUS   AGE\ndefault   Active   0s\nprod      Active   0s\n');
    assert.equal((await run('get', 'ts', '-A')).stdout, 'NAMESPACE   NAME          AGE\ndefault     world-split   5h\n');
  });

  it('get endpoints -A -o yaml', async () => {
    const r = await run('get', 'endpoints', '-A', '-o', 'yaml');
    assert.equal(r.code, 0, r.stderr);
    const item = (yaml: string) =>
      yaml
        .trimEnd()
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
        .join('\n') + '\n';
    const hello = WORLD_YAML.replace(/world/g, 'hello')
      .replace('namespace: default', 'namespace: prod')
      .replace('"103"', '"106"')
      .replace('00000001-', '00000003-')
      .replace('  - ip: 10.0.0.1\n  - ip: 10.0.0.2\n', '  - ip: 10.1.0.1\n')
      .replace('name: http\n    port: 8080', 'name: grpc\n    port: 9000');
    const meta = Object.keys(listMeta).map((k) => `  ${k}: ""\n`).join('');
    assert.equal(r.stdout, `apiVersion: v1\nitems:\n${item(WORLD_YAML)}${item(hello)}kind: List\nmetadata:\n${meta}`);
  });

  it('get endpoints,services -A -o json', async () => {
    const r = await run('get', 'endpoints,services', '-A', '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const items = [...k8s.list('endpoints'), ...k8s.list('services')];
    assert.equal(items.length, 4);
    assert.equal(r.stdout, goJson({ apiVersion: 'v1', items, kind: 'List', metadata: listMeta }) + '\n');
  });

  it('get endpoints world -n default -o yaml --watch: the object, then its change, live', async () => {
    const w = await kubectlStreaming(kubeconfig, cache, ['get', 'endpoints', 'world', '-n', 'default', '-o', 'yaml', '--watch']);
    try {
      assert.equal(await w.waitFor((out) => out.length >= WORLD_YAML.length), WORLD_YAML);
      // The watch request is open once kubectl has printed: change the object.
      for (let i = 0; i < 600 && k8s.watchCount === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(k8s.watchCount, 1);
      const rv = String((k8s.setEndpoints('default', 'world', '10.0.0.3:8080').metadata as Obj).resourceVersion);
      const expected = WORLD_YAML + '---\n' + WORLD_YAML.replace('"103"', JSON.stringify(rv)).replace('  - ip: 10.0.0.1\n  - ip: 10.0.0.2\n', '  - ip: 10.0.0.3\n');
      // kubectl may print the second document in more than one write: wait for all of it.
      const out = await w.waitFor((s) => s.includes('10.0.0.3') && s.length >= expected.length);
      assert.equal(out, expected);
      const watch = k8s.requests.find((q) => q.verb === 'watch')!;
      assert.equal(watch.path, '/api/v1/namespaces/default/endpoints');
      assert.equal(watch.params.fieldSelector, 'metadata.name=world');
    } finally {
      await w.kill();
    }
  });

  it('scale deployment/x --replicas=3 -n default: a merge patch of the scale subresource', async () => {
    k8s.clearRequests();
    const r = await run('scale', 'deployment/x', '--replicas=3', '-n', 'default');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'deployment.apps/x scaled\n');
    const d = k8s.get('deployment', 'default', 'x')!;
    assert.equal((d.spec as Obj).replicas, 3);
    assert.equal((d.metadata as Obj).generation, 2);
    const patch = k8s.requests.find((q) => q.method === 'PATCH')!;
    assert.equal(patch.path, '/apis/apps/v1/namespaces/default/deployments/x/scale');
    assert.equal(patch.contentType, 'application/merge-patch+json');
    assert.equal((await run('get', 'deploy', 'x', '-n', 'default', '-o', 'jsonpath={.spec.replicas}')).stdout, '3');
  });

  it("the API's errors, as kubectl reports them", async () => {
    const missing = await run('get', 'endpoints', 'nope', '-n', 'default');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): endpoints "nope" not found\n');
    const f = await k8s.fault({ kind: 'status', code: 403, user: 'x', match: { namespace: 'prod' } });
    const forbidden = await run('get', 'endpoints', '-n', 'prod');
    await f.clear();
    assert.equal(forbidden.code, 1);
    assert.equal(forbidden.stderr, 'Error from server (Forbidden): endpoints is forbidden: User "x" cannot list resource "endpoints" in API group "" in the namespace "prod"\n');
    const dir = mkdtempSync(join(tmpdir(), 'k8s-kubectl-'));
    const wrong = await kubectl(k8s.writeKubeconfig(dir, { token: 'wrong' }), join(dir, 'cache'), ['get', 'svc']);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /error: You must be logged in to the server/);
  });

  it('also over plain HTTP (no token: kubectl sends kubeconfig credentials only over TLS)', async () => {
    const plain = await startK8sStandin({ objects: objects(), clock });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'k8s-kubectl-'));
      const r = await kubectl(plain.writeKubeconfig(dir), join(dir, 'cache'), ['get', 'svc', '-n', 'default']);
      assert.equal(r.stdout, 'NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nworld   ClusterIP   10.96.0.20   <none>        80/TCP    5h\n');
      assert.match(plain.url, /^http:\/\/127\.0\.0\.1:/);
    } finally {
      await plain.stop();
    }
  });
});
