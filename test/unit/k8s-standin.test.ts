// The Kubernetes API stand-in (test/k8s/) on the wire: discovery, list/get, watch, writes,
// tables and faults, as the real API server answers them.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { basicObjects, clock, CREATED, deployment, service } from '../k8s/fixtures.js';
import { humanDuration } from '../k8s/resources.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';
import { call, openWatch } from '../k8s/wire.js';

type J = Record<string, unknown>;
const o = (x: unknown) => x as J;
const items = (x: unknown) => (o(x).items as J[]).map((i) => o(i.metadata));
const names = (x: unknown) => items(x).map((m) => `${m.namespace ? m.namespace + '/' : ''}${String(m.name)}`);

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('k8s stand-in: discovery', () => {
  let k8s: K8sStandin;
  before(async () => (k8s = await startK8sStandin({ objects: basicObjects(), clock })));
  after(() => k8s.stop());

  it('binds 127.0.0.1 on an ephemeral port', () => {
    assert.match(k8s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(k8s.port > 0);
  });

  it('/api and /api/v1: the core group with namespaces, services, endpoints', async () => {
    const api = await call(`${k8s.url}/api`);
    assert.deepEqual(api.json, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${k8s.port}` }] });
    const v1 = o((await call(`${k8s.url}/api/v1`)).json);
    assert.equal(v1.kind, 'APIResourceList');
    assert.equal(v1.groupVersion, 'v1');
    const resources = v1.resources as J[];
    assert.deepEqual(
      resources.map((r) => r.name),
      ['endpoints', 'namespaces', 'namespaces/status', 'services', 'services/status'],
    );
    assert.deepEqual(resources[0], {
      name: 'endpoints',
      singularName: 'endpoints',
      namespaced: true,
      kind: 'Endpoints',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ep'],
    });
    assert.equal(resources.find((r) => r.name === 'namespaces')!.namespaced, false);
    assert.deepEqual(resources.find((r) => r.name === 'services')!.shortNames, ['svc']);
  });

  it('/apis: apps/v1 and split.smi-spec.io with its versions, preferred first', async () => {
    const list = o((await call(`${k8s.url}/apis`)).json);
    assert.equal(list.kind, 'APIGroupList');
    assert.deepEqual(list.groups, [
      { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
      {
        name: 'split.smi-spec.io',
        versions: ['v1alpha4', 'v1alpha3', 'v1alpha2', 'v1alpha1'].map((v) => ({ groupVersion: `split.smi-spec.io/${v}`, version: v })),
        preferredVersion: { groupVersion: 'split.smi-spec.io/v1alpha4', version: 'v1alpha4' },
      },
    ]);
    const apps = o((await call(`${k8s.url}/apis/apps/v1`)).json);
    assert.deepEqual(
      (apps.resources as J[]).map((r) => [r.name, r.kind]),
      [
        ['deployments', 'Deployment'],
        ['deployments/scale', 'Scale'],
        ['deployments/status', 'Deployment'],
      ],
    );
    const scale = (apps.resources as J[])[1]!;
    assert.deepEqual([scale.group, scale.version, scale.verbs], ['autoscaling', 'v1', ['get', 'patch', 'update']]);
    const smi = o((await call(`${k8s.url}/apis/split.smi-spec.io/v1alpha2`)).json);
    assert.equal(smi.groupVersion, 'split.smi-spec.io/v1alpha2');
    assert.deepEqual((smi.resources as J[]).map((r) => [r.name, r.kind, r.namespaced]), [['trafficsplits', 'TrafficSplit', true]]);
    assert.equal(o((await call(`${k8s.url}/apis/apps`)).json).kind, 'APIGroup');
  });

  it('/version, and aggregated discovery (apidiscovery.k8s.io/v2) when asked for it', async () => {
    const v = o((await call(`${k8s.url}/version`)).json);
    assert.deepEqual([v.major, v.minor, v.gitVersion], ['1', '32', 'v1.32.0']);
    const agg = await call(`${k8s.url}/apis`, { headers: { Accept: AGGREGATED } });
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = o(agg.json);
    assert.equal(body.kind, 'APIGroupDiscoveryList');
    const apps = (body.items as J[])[0]!;
    const deploy = o((o((apps.versions as J[])[0]).resources as J[])[0]);
    assert.deepEqual(deploy.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.deepEqual((deploy.subresources as J[]).map((s) => [s.subresource, o(s.responseKind).kind]), [
      ['scale', 'Scale'],
      ['status', 'Deployment'],
    ]);
  });

  it('unknown paths: a 404 Status', async () => {
    for (const path of ['/nope', '/api/v2', '/api/v1/pods', '/apis/batch/v1', '/apis/apps/v2', '/api/v1/endpoints/world']) {
      const r = await call(k8s.url + path);
      assert.equal(r.status, 404, path);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 }, path);
    }
  });
});

describe('k8s stand-in: list and get', () => {
  let k8s: K8sStandin;
  before(async () => (k8s = await startK8sStandin({ objects: basicObjects(), clock })));
  after(() => k8s.stop());

  it('lists across namespaces and in one, items without kind, with the list resourceVersion', async () => {
    const all = o((await call(`${k8s.url}/api/v1/endpoints`)).json);
    assert.equal(all.kind, 'EndpointsList');
    assert.equal(all.apiVersion, 'v1');
    assert.deepEqual(all.metadata, { resourceVersion: k8s.resourceVersion });
    assert.deepEqual(names(all), ['default/world', 'prod/hello']);
    assert.equal(o((all.items as J[])[0]).kind, undefined);
    assert.deepEqual(names((await call(`${k8s.url}/api/v1/namespaces/prod/services`)).json), ['prod/hello']);
    assert.deepEqual(names((await call(`${k8s.url}/api/v1/namespaces`)).json), ['default', 'prod']);
    assert.deepEqual(names((await call(`${k8s.url}/api/v1/namespaces/nowhere/endpoints`)).json), []);
  });

  it('label and field selectors', async () => {
    const sel = async (q: string) => names((await call(`${k8s.url}/api/v1/services?${q}`)).json);
    assert.deepEqual(await sel('labelSelector=app%3Dhello'), ['prod/hello']);
    assert.deepEqual(await sel('labelSelector=app+in+(world,%20other)'), ['default/world']);
    assert.deepEqual(await sel('labelSelector=app!%3Dworld'), ['prod/hello']);
    assert.deepEqual(await sel('labelSelector=!app'), []);
    assert.deepEqual(await sel('fieldSelector=metadata.name%3Dworld'), ['default/world']);
    assert.deepEqual(await sel('fieldSelector=metadata.namespace!%3Ddefault'), ['prod/hello']);
    const bad = await call(`${k8s.url}/api/v1/services?fieldSelector=spec.nope%3D1`);
    assert.equal(bad.status, 400);
    assert.equal(o(bad.json).message, 'field label not supported: spec.nope');
    assert.equal((await call(`${k8s.url}/api/v1/services?labelSelector=a%20in%20(b`)).status, 400);
  });

  it('gets one object with kind and apiVersion; a missing one is a 404 Status naming it', async () => {
    const ep = o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints/world`)).json);
    assert.deepEqual([ep.kind, ep.apiVersion, o(ep.metadata).name, o(ep.metadata).creationTimestamp], ['Endpoints', 'v1', 'world', CREATED]);
    assert.match(String(o(ep.metadata).uid), /^[0-9a-f-]{36}$/);
    const missing = await call(`${k8s.url}/api/v1/namespaces/default/endpoints/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'endpoints "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'endpoints' },
      code: 404,
    });
    const dep = o((await call(`${k8s.url}/apis/apps/v1/namespaces/default/deployments/nope`)).json);
    assert.equal(dep.message, 'deployments.apps "nope" not found');
    assert.deepEqual(dep.details, { name: 'nope', group: 'apps', kind: 'deployments' });
  });

  it('serves a custom resource in the version asked for; its list items keep kind and apiVersion', async () => {
    const ts = o((await call(`${k8s.url}/apis/split.smi-spec.io/v1alpha1/namespaces/default/trafficsplits/world-split`)).json);
    assert.deepEqual([ts.apiVersion, ts.kind, o(ts.metadata).generation], ['split.smi-spec.io/v1alpha1', 'TrafficSplit', 1]);
    const list = o((await call(`${k8s.url}/apis/split.smi-spec.io/v1alpha2/trafficsplits`)).json);
    assert.equal(list.kind, 'TrafficSplitList');
    assert.deepEqual([o((list.items as J[])[0]).apiVersion, o((list.items as J[])[0]).kind], ['split.smi-spec.io/v1alpha2', 'TrafficSplit']);
  });

  it('pages with limit/continue over one consistent snapshot', async () => {
    for (const n of ['a', 'b', 'c', 'd', 'e']) k8s.apply(service('paged', n, [{ port: 80 }]));
    const first = o((await call(`${k8s.url}/api/v1/namespaces/paged/services?limit=2`)).json);
    assert.deepEqual(names(first), ['paged/a', 'paged/b']);
    const m = o(first.metadata);
    assert.equal(m.remainingItemCount, 3);
    assert.equal(typeof m.continue, 'string');
    assert.deepEqual(JSON.parse(Buffer.from(String(m.continue), 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: Number(m.resourceVersion), start: 'paged/b\u0000' });
    k8s.apply(service('paged', 'bb', [{ port: 80 }])); // after the snapshot: not in the next pages
    k8s.delete('svc', 'paged', 'e'); // still there in the snapshot
    const second = o((await call(`${k8s.url}/api/v1/namespaces/paged/services?limit=2&continue=${String(m.continue)}`)).json);
    assert.deepEqual(names(second), ['paged/c', 'paged/d']);
    assert.equal(o(second.metadata).resourceVersion, m.resourceVersion);
    const third = o((await call(`${k8s.url}/api/v1/namespaces/paged/services?limit=2&continue=${String(o(second.metadata).continue)}`)).json);
    assert.deepEqual(names(third), ['paged/e']);
    assert.equal(o(third.metadata).continue, undefined);
    // resourceVersion=0 is served from the cache, which ignores limit.
    assert.equal(items((await call(`${k8s.url}/api/v1/namespaces/paged/services?limit=2&resourceVersion=0`)).json).length, 5);
    k8s.compact();
    const gone = await call(`${k8s.url}/api/v1/namespaces/paged/services?limit=2&continue=${String(m.continue)}`);
    assert.equal(gone.status, 410);
    assert.equal(o(gone.json).reason, 'Expired');
  });

  it('resourceVersionMatch=Exact lists the past; 410 once compacted; 504 for a future resourceVersion', async () => {
    const before = k8s.resourceVersion;
    k8s.setEndpoints('default', 'world', '10.0.0.9:8080');
    const past = o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints?resourceVersion=${before}&resourceVersionMatch=Exact`)).json);
    assert.equal(o(past.metadata).resourceVersion, before);
    assert.deepEqual(o((past.items as J[])[0]).subsets, [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
    const now = o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints?resourceVersion=${before}`)).json);
    assert.deepEqual(o((now.items as J[])[0]).subsets, [{ addresses: [{ ip: '10.0.0.9' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
    k8s.compact();
    const gone = await call(`${k8s.url}/api/v1/namespaces/default/endpoints?resourceVersion=${before}&resourceVersionMatch=Exact`);
    assert.equal(gone.status, 410);
    assert.deepEqual(gone.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'The resourceVersion for the provided list is too old.', reason: 'Expired', code: 410 });
    const future = await call(`${k8s.url}/api/v1/endpoints?resourceVersion=${Number(k8s.resourceVersion) + 10}`);
    assert.equal(future.status, 504);
    assert.equal(o(future.json).message, `Too large resource version: ${Number(k8s.resourceVersion) + 10}, current: ${k8s.resourceVersion}`);
    assert.equal((await call(`${k8s.url}/api/v1/endpoints?resourceVersionMatch=Exact`)).status, 422);
  });
});

describe('k8s stand-in: watch', () => {
  let k8s: K8sStandin;
  before(async () => (k8s = await startK8sStandin({ objects: basicObjects(), clock })));
  after(() => k8s.stop());

  it('streams ADDED/MODIFIED/DELETED after the list resourceVersion, chunked, one JSON event a line', async () => {
    const list = o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints`)).json);
    const w = await openWatch(`${k8s.url}/api/v1/namespaces/default/endpoints?watch=true&resourceVersion=${String(o(list.metadata).resourceVersion)}`);
    assert.equal(w.status, 200);
    assert.equal(w.headers['transfer-encoding'], 'chunked');
    assert.equal(w.headers['content-type'], 'application/json');
    k8s.setEndpoints('default', 'world', '10.0.0.3:8080');
    k8s.setEndpoints('default', 'other', '10.0.0.4:80');
    k8s.delete('Endpoints', 'default', 'other');
    k8s.setEndpoints('prod', 'hello', '10.1.0.9:9000'); // another namespace: not in this watch
    const events = await w.waitFor(3);
    w.close();
    assert.deepEqual(
      events.map((e) => [e.type, o(e.object.metadata).name]),
      [
        ['MODIFIED', 'world'],
        ['ADDED', 'other'],
        ['DELETED', 'other'],
      ],
    );
    const modified = events[0]!.object;
    assert.deepEqual([modified.kind, modified.apiVersion], ['Endpoints', 'v1']);
    assert.deepEqual(modified.subsets, [{ addresses: [{ ip: '10.0.0.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
    const rvs = events.map((e) => Number(o(e.object.metadata).resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, `increasing resourceVersions ${rvs.join(' ')}`);
    assert.equal(w.lines.length, events.length);
  });

  it('without a resourceVersion: the current objects as ADDED first; an old one replays what came after it', async () => {
    const start = k8s.resourceVersion;
    const w = await openWatch(`${k8s.url}/api/v1/services?watch=true`);
    assert.deepEqual(
      (await w.waitFor(2)).map((e) => [e.type, o(e.object.metadata).name]),
      [
        ['ADDED', 'world'],
        ['ADDED', 'hello'],
      ],
    );
    w.close();
    k8s.apply(service('default', 'late', [{ port: 80 }]));
    k8s.apply(service('default', 'later', [{ port: 80 }]));
    const replay = await openWatch(`${k8s.url}/api/v1/services?watch=true&resourceVersion=${start}`);
    assert.deepEqual(
      (await replay.waitFor(2)).map((e) => [e.type, o(e.object.metadata).name]),
      [
        ['ADDED', 'late'],
        ['ADDED', 'later'],
      ],
    );
    replay.close();
  });

  it("the legacy /watch/ path Linkerd 1 uses watches one object", async () => {
    const rv = k8s.resourceVersion;
    const w = await openWatch(`${k8s.url}/api/v1/watch/namespaces/default/endpoints/world?resourceVersion=${rv}`);
    k8s.setEndpoints('default', 'nottheone', '10.9.9.9:80');
    k8s.setEndpoints('default', 'world', '10.0.0.5:8080');
    const [e] = await w.waitFor(1);
    w.close();
    assert.deepEqual([e!.type, o(e!.object.metadata).name], ['MODIFIED', 'world']);
    const rec = k8s.requests.at(-1)!;
    assert.deepEqual([rec.verb, rec.name, rec.status], ['watch', 'world', 200]);
  });

  it('objects entering or leaving a selector come as ADDED and DELETED', async () => {
    k8s.apply(service('sel', 'a', [{ port: 80 }]));
    const w = await openWatch(`${k8s.url}/api/v1/namespaces/sel/services?watch=true&resourceVersion=${k8s.resourceVersion}&labelSelector=tier%3Dfront`);
    const s = k8s.get('svc', 'sel', 'a')!;
    k8s.apply({ ...s, metadata: { ...o(s.metadata), labels: { tier: 'front' } } });
    k8s.apply({ ...s, metadata: { ...o(s.metadata), labels: { tier: 'front', x: 'y' } } });
    k8s.apply({ ...s, metadata: { ...o(s.metadata), labels: { tier: 'back' } } });
    const events = await w.waitFor(3);
    w.close();
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
  });

  it('bookmarks when allowed, and initial events ended by a bookmark with sendInitialEvents', async () => {
    const rv = k8s.resourceVersion;
    const w = await openWatch(`${k8s.url}/api/v1/namespaces/default/endpoints?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    const plain = await openWatch(`${k8s.url}/api/v1/namespaces/default/endpoints?watch=true&resourceVersion=${rv}`);
    k8s.bookmark();
    const [b] = await w.waitFor(1);
    assert.deepEqual(b, { type: 'BOOKMARK', object: { kind: 'Endpoints', apiVersion: 'v1', metadata: { resourceVersion: rv, creationTimestamp: null } } });
    k8s.setEndpoints('default', 'world', '10.0.0.6:8080');
    assert.deepEqual((await plain.waitFor(1)).map((e) => e.type), ['MODIFIED']);
    w.close();
    plain.close();
    const initial = await openWatch(`${k8s.url}/api/v1/namespaces/prod/endpoints?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const ev = await initial.waitFor(2);
    initial.close();
    assert.deepEqual(ev.map((e) => e.type), ['ADDED', 'BOOKMARK']);
    assert.deepEqual(o(ev[1]!.object.metadata).annotations, { 'k8s.io/initial-events-end': 'true' });
  });

  it('timeoutSeconds ends the stream cleanly', async () => {
    const w = await openWatch(`${k8s.url}/api/v1/endpoints?watch=true&resourceVersion=${k8s.resourceVersion}&timeoutSeconds=1`);
    assert.equal(await w.done, 'end');
    assert.equal(k8s.watchCount, 0);
  });

  it('a resourceVersion older than the history: HTTP 200, then an ERROR event with a 410 Status, then the end', async () => {
    const old = k8s.resourceVersion;
    k8s.setEndpoints('default', 'world', '10.0.0.7:8080');
    k8s.compact();
    const w = await openWatch(`${k8s.url}/api/v1/namespaces/default/endpoints?watch=true&resourceVersion=${old}`);
    assert.equal(w.status, 200);
    assert.equal(await w.done, 'end');
    assert.deepEqual(w.events, [
      {
        type: 'ERROR',
        object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${old} (${Number(k8s.resourceVersion) + 1})`, reason: 'Expired', code: 410 },
      },
    ]);
  });
});

describe('k8s stand-in: writes', () => {
  let k8s: K8sStandin;
  before(async () => (k8s = await startK8sStandin({ objects: basicObjects(), clock })));
  after(() => k8s.stop());
  const dep = () => `${k8s.url}/apis/apps/v1/namespaces/default/deployments/x`;

  it('merge patch and JSON patch; generation counts spec changes; a watch sees MODIFIED', async () => {
    const w = await openWatch(`${k8s.url}/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=${k8s.resourceVersion}`);
    const merged = await call(dep(), { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas: 2 }, metadata: { labels: { canary: 'yes' } } }) });
    assert.equal(merged.status, 200);
    const m = o(merged.json);
    assert.deepEqual([o(m.spec).replicas, o(m.metadata).generation, o(o(m.metadata).labels).canary], [2, 2, 'yes']);
    const label = await call(dep(), { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'remove', path: '/metadata/labels/canary' }]) });
    assert.equal(o(o(label.json).metadata).generation, 2, 'metadata changes leave generation alone');
    const ts = await call(`${k8s.url}/apis/split.smi-spec.io/v1alpha2/namespaces/default/trafficsplits/world-split`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([
        { op: 'test', path: '/spec/backends/0/service', value: 'world-v1' },
        { op: 'replace', path: '/spec/backends/0/weight', value: 500 },
        { op: 'replace', path: '/spec/backends/1/weight', value: 500 },
      ]),
    });
    assert.equal(ts.status, 200);
    assert.deepEqual(o(o(ts.json).spec).backends, [
      { service: 'world-v1', weight: 500 },
      { service: 'world-v2', weight: 500 },
    ]);
    const failed = await call(`${k8s.url}/apis/split.smi-spec.io/v1alpha2/namespaces/default/trafficsplits/world-split`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'test', path: '/spec/service', value: 'nope' }]),
    });
    assert.equal(failed.status, 422);
    const events = await w.waitFor(2);
    w.close();
    assert.deepEqual(events.map((e) => e.type), ['MODIFIED', 'MODIFIED']);
  });

  it('the scale subresource: GET, merge patch, and 409 on a stale resourceVersion', async () => {
    const scale = o((await call(`${dep()}/scale`)).json);
    assert.deepEqual([scale.kind, scale.apiVersion, o(scale.spec).replicas, o(scale.status).selector], ['Scale', 'autoscaling/v1', 2, 'app=x']);
    const patched = await call(`${dep()}/scale`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"spec":{"replicas":3}}' });
    assert.equal(o(o(patched.json).spec).replicas, 3);
    assert.equal(o(k8s.get('deployment', 'default', 'x')!.spec).replicas, 3);
    const stale = await call(`${dep()}/scale`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...scale, spec: { replicas: 5 } }) });
    assert.equal(stale.status, 409);
    assert.equal(o(stale.json).message, 'Operation cannot be fulfilled on deployments.apps "x": the object has been modified; please apply your changes to the latest version and try again');
    const negative = await call(`${dep()}/scale`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{"spec":{"replicas":-1}}' });
    assert.equal(negative.status, 422);
  });

  it('the scale subresource: a patch carrying a stale resourceVersion is a 409 too; the current one passes', async () => {
    const scale = o((await call(`${dep()}/scale`)).json);
    const rv = String(o(scale.metadata).resourceVersion);
    const stale = await call(`${dep()}/scale`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { resourceVersion: String(Number(rv) - 1) }, spec: { replicas: 7 } }) });
    assert.deepEqual([stale.status, o(stale.json).reason, o(stale.json).message], [409, 'Conflict', 'Operation cannot be fulfilled on deployments.apps "x": the object has been modified; please apply your changes to the latest version and try again']);
    assert.equal(k8s.resourceVersion, rv, 'nothing written');
    const ok = await call(`${dep()}/scale`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { resourceVersion: rv }, spec: { replicas: 7 } }) });
    assert.equal(ok.status, 200);
    assert.deepEqual([o(o(ok.json).spec).replicas, o(o(ok.json).metadata).resourceVersion], [7, String(Number(rv) + 1)]);
  });

  it('TrafficSplit writes are checked against the schema of the version written through; reads are not converted', async () => {
    const url = (v: string) => `${k8s.url}/apis/split.smi-spec.io/${v}/namespaces/default/trafficsplits/world-split`;
    const quantities = { spec: { backends: [{ service: 'world-v1', weight: '750m' }, { service: 'world-v2', weight: '250m' }] } };
    const refused = await call(url('v1alpha2'), { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify(quantities) });
    assert.deepEqual([refused.status, o(refused.json).reason, o(refused.json).message], [
      422,
      'Invalid',
      'TrafficSplit.split.smi-spec.io "world-split" is invalid: [spec.backends[0].weight: Invalid value: "string": spec.backends[0].weight in body must be of type number: "string", spec.backends[1].weight: Invalid value: "string": spec.backends[1].weight in body must be of type number: "string"]',
    ]);
    const accepted = await call(url('v1alpha1'), { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify(quantities) });
    assert.equal(accepted.status, 200);
    // conversion: None: the same stored object, only apiVersion differs.
    const read = o((await call(url('v1alpha4'))).json);
    assert.deepEqual([read.apiVersion, o(read.spec).backends], ['split.smi-spec.io/v1alpha4', quantities.spec.backends]);
    const back = await call(url('v1alpha2'), { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { backends: [{ service: 'world-v1', weight: 500 }, { service: 'world-v2', weight: 500 }] } }) });
    assert.equal(back.status, 200);
    const missing = await call(url('v1alpha3'), { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'remove', path: '/spec/backends/0/weight' }]) });
    assert.deepEqual([missing.status, o(missing.json).message], [422, 'TrafficSplit.split.smi-spec.io "world-split" is invalid: spec.backends[0].weight: Required value']);
  });

  it('strategic merge and apply patches: 415, as for a custom resource', async () => {
    const r = await call(dep(), { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: '{}' });
    assert.equal(r.status, 415);
    assert.equal(o(r.json).reason, 'UnsupportedMediaType');
  });

  it('create, conflict, update, delete', async () => {
    const svcUrl = `${k8s.url}/api/v1/namespaces/default/services`;
    const created = await call(svcUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'new' }, spec: { ports: [{ port: 80 }] } }) });
    assert.equal(created.status, 201);
    const spec = o(o(created.json).spec);
    assert.deepEqual([spec.type, o((spec.ports as J[])[0]).protocol, o((spec.ports as J[])[0]).targetPort], ['ClusterIP', 'TCP', 80]);
    assert.match(String(spec.clusterIP), /^10\.96\.\d+\.\d+$/);
    const again = await call(svcUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'new' } }) });
    assert.deepEqual([again.status, o(again.json).reason, o(again.json).message], [409, 'AlreadyExists', 'services "new" already exists']);
    const noNs = await call(`${k8s.url}/api/v1/namespaces/nowhere/services`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'x' } }) });
    assert.deepEqual([noNs.status, o(noNs.json).message], [404, 'namespaces "nowhere" not found']);
    const body = o(created.json);
    const stale = await call(`${svcUrl}/new`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, metadata: { ...o(body.metadata), resourceVersion: '1' } }) });
    assert.equal(stale.status, 409);
    const updated = await call(`${svcUrl}/new`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, metadata: { ...o(body.metadata), labels: { a: 'b' } } }) });
    assert.equal(updated.status, 200);
    assert.ok(Number(o(o(updated.json).metadata).resourceVersion) > Number(o(body.metadata).resourceVersion));
    const deleted = await call(`${svcUrl}/new`, { method: 'DELETE' });
    assert.deepEqual([deleted.status, o(deleted.json).status, o(o(deleted.json).details).name], [200, 'Success', 'new']);
    assert.equal(k8s.get('svc', 'default', 'new'), undefined);
  });

  it('applying the same object twice writes nothing the second time', () => {
    const rv = k8s.resourceVersion;
    const obj = k8s.get('deployment', 'default', 'x')!;
    k8s.apply(obj);
    assert.equal(k8s.resourceVersion, rv);
  });
});

describe('k8s stand-in: tables (what kubectl prints)', () => {
  let k8s: K8sStandin;
  before(async () => (k8s = await startK8sStandin({ objects: basicObjects(), clock })));
  after(() => k8s.stop());

  it('serves meta.k8s.io/v1 Tables with the API server printers columns and cells', async () => {
    const r = await call(`${k8s.url}/api/v1/namespaces/default/services`, { headers: { Accept: TABLE } });
    assert.equal(r.headers['content-type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
    const t = o(r.json);
    assert.deepEqual([t.kind, t.apiVersion, o(t.metadata).resourceVersion], ['Table', 'meta.k8s.io/v1', k8s.resourceVersion]);
    assert.deepEqual(
      (t.columnDefinitions as J[]).map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Type', 'string', '', 0],
        ['Cluster-IP', 'string', '', 0],
        ['External-IP', 'string', '', 0],
        ['Port(s)', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['Selector', 'string', '', 1],
      ],
    );
    const row = (t.rows as J[])[0]!;
    assert.deepEqual(row.cells, ['world', 'ClusterIP', '10.96.0.20', '<none>', '80/TCP', '5h', 'app=world']);
    assert.deepEqual([o(row.object).kind, o(o(row.object).metadata).name], ['PartialObjectMetadata', 'world']);
    const dep = o((await call(`${k8s.url}/apis/apps/v1/namespaces/default/deployments/x`, { headers: { Accept: TABLE } })).json);
    assert.deepEqual((dep.rows as J[])[0]!.cells, ['x', '0/1', 0, 0, '5h', 'app', 'buoyantio/helloworld:0.1.6', 'app=x']);
    const ns = o((await call(`${k8s.url}/api/v1/namespaces`, { headers: { Accept: TABLE } })).json);
    assert.deepEqual((ns.rows as J[]).map((x) => x.cells), [
      ['default', 'Active', '0s'],
      ['prod', 'Active', '0s'],
    ]);
  });

  it('serves partial object metadata when asked for it (client-go metadata informers)', async () => {
    const r = await call(`${k8s.url}/api/v1/namespaces/prod/services`, { headers: { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json' } });
    assert.equal(r.headers['content-type'], 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');
    const list = o(r.json);
    assert.deepEqual([list.kind, list.apiVersion, o((list.items as J[])[0]).kind, o(o((list.items as J[])[0]).metadata).name], ['PartialObjectMetadataList', 'meta.k8s.io/v1', 'PartialObjectMetadata', 'hello']);
    assert.equal(o((list.items as J[])[0]).spec, undefined);
    const refused = await call(`${k8s.url}/api/v1/namespaces/prod/services`, { headers: { Accept: 'application/vnd.kubernetes.protobuf' } });
    assert.deepEqual([refused.status, o(refused.json).reason], [406, 'NotAcceptable']);
  });

  it('formats endpoints as the API server does', async () => {
    k8s.setEndpoints('default', 'many', '10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80', '10.0.0.4:80', '10.0.0.5:80');
    k8s.setEndpoints('default', 'empty');
    const t = o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints`, { headers: { Accept: TABLE } })).json);
    assert.deepEqual(
      (t.rows as J[]).map((r) => (r.cells as unknown[]).slice(0, 2)),
      [
        ['empty', '<none>'],
        ['many', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...'],
        ['world', '10.0.0.1:8080,10.0.0.2:8080'],
      ],
    );
  });

  it('a watch asked for Tables sends column definitions with its first event only', async () => {
    const w = await openWatch(`${k8s.url}/api/v1/namespaces/default/endpoints?watch=true`, { Accept: TABLE });
    const events = await w.waitFor(3);
    w.close();
    assert.equal(o(events[0]!.object).kind, 'Table');
    assert.equal((o(events[0]!.object).columnDefinitions as J[]).length, 3);
    assert.equal(o(events[1]!.object).columnDefinitions, null);
  });

  it('ages as duration.HumanDuration', () => {
    const s = 1000;
    const cases: [number, string][] = [
      [0, '0s'],
      [119 * s, '119s'],
      [150 * s, '2m30s'],
      [11 * 60 * s, '11m'],
      [200 * 60 * s, '3h20m'],
      [30 * 3600 * s, '30h'],
      [50 * 3600 * s, '2d2h'],
      [400 * 24 * 3600 * s, '400d'],
      [800 * 24 * 3600 * s, '2y70d'],
      [-5 * s, '<invalid>'],
    ];
    for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, String(ms));
  });
});

describe('k8s stand-in: faults', () => {
  let k8s: K8sStandin;
  before(async () => (k8s = await startK8sStandin({ objects: basicObjects(), clock })));
  after(() => k8s.stop());

  it('down refuses connections until cleared, on the same URL', async () => {
    const w = await openWatch(`${k8s.url}/api/v1/endpoints?watch=true&resourceVersion=${k8s.resourceVersion}`);
    const down = await k8s.fault({ kind: 'down' });
    assert.equal(await w.done, 'error');
    await assert.rejects(call(`${k8s.url}/api/v1/endpoints`), /ECONNREFUSED/);
    await down.clear();
    assert.equal((await call(`${k8s.url}/api/v1/endpoints`)).status, 200);
  });

  it('cuts watches: reset, a clean end, or half an event', async () => {
    const open = () => openWatch(`${k8s.url}/api/v1/endpoints?watch=true&resourceVersion=${k8s.resourceVersion}`);
    const a = await open();
    const cut = await k8s.fault({ kind: 'cut-watches' });
    assert.equal(cut.hits, 1);
    assert.equal(await a.done, 'error');
    const b = await open();
    await k8s.fault({ kind: 'cut-watches', mode: 'end' });
    assert.equal(await b.done, 'end');
    const c = await open();
    await k8s.fault({ kind: 'cut-watches', mode: 'mid-event' });
    assert.equal(await c.done, 'error');
    assert.equal(c.events.length, 0);
    assert.equal(k8s.watchCount, 0);
  });

  it('gone: the next watch gets an ERROR 410 event; a list asked for gets HTTP 410', async () => {
    const rv = k8s.resourceVersion;
    const g = await k8s.fault({ kind: 'gone' });
    const w = await openWatch(`${k8s.url}/api/v1/endpoints?watch=true&resourceVersion=${rv}`);
    assert.equal(await w.done, 'end');
    assert.deepEqual([w.events[0]!.type, o(w.events[0]!.object).code, o(w.events[0]!.object).reason], ['ERROR', 410, 'Expired']);
    assert.equal(g.hits, 1);
    const next = await openWatch(`${k8s.url}/api/v1/endpoints?watch=true&resourceVersion=${rv}`);
    k8s.setEndpoints('default', 'world', '10.0.0.8:8080');
    assert.equal((await next.waitFor(1))[0]!.type, 'MODIFIED');
    next.close();
    await k8s.fault({ kind: 'gone', match: { verb: 'list' } });
    assert.equal((await call(`${k8s.url}/api/v1/endpoints`)).status, 410);
    assert.equal((await call(`${k8s.url}/api/v1/endpoints`)).status, 200);
  });

  it('403 with the API server RBAC message', async () => {
    const f = await k8s.fault({ kind: 'status', code: 403, user: 'x', match: { namespace: 'prod' } });
    const watch = await call(`${k8s.url}/api/v1/namespaces/prod/endpoints?watch=true`);
    assert.deepEqual(watch.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'endpoints is forbidden: User "x" cannot watch resource "endpoints" in API group "" in the namespace "prod"',
      reason: 'Forbidden',
      details: { kind: 'endpoints' },
      code: 403,
    });
    const get = o((await call(`${k8s.url}/api/v1/namespaces/prod/endpoints/hello`)).json);
    assert.equal(get.message, 'endpoints "hello" is forbidden: User "x" cannot get resource "endpoints" in API group "" in the namespace "prod"');
    assert.equal((await call(`${k8s.url}/api/v1/namespaces/default/endpoints`)).status, 200);
    await f.clear();
    assert.equal((await call(`${k8s.url}/api/v1/namespaces/prod/endpoints`)).status, 200);
    await k8s.fault({ kind: 'status', code: 403, user: 'x', times: 1, match: { resource: 'deployments' } });
    const scale = o((await call(`${k8s.url}/apis/apps/v1/namespaces/default/deployments/x/scale`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: '{}' })).json);
    assert.equal(scale.message, 'deployments.apps "x" is forbidden: User "x" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"');
    const all = o((await call(`${k8s.url}/api/v1/namespaces`, {})).json);
    assert.equal(all.kind, 'NamespaceList');
  });

  it('other statuses: 429 and 503 with Retry-After, 500', async () => {
    await k8s.fault({ kind: 'status', code: 429, times: 1 });
    const r = await call(`${k8s.url}/api/v1/endpoints`);
    assert.deepEqual([r.status, r.headers['retry-after'], o(r.json).reason], [429, '1', 'TooManyRequests']);
    await k8s.fault({ kind: 'status', code: 500, times: 1 });
    assert.equal((await call(`${k8s.url}/api/v1/endpoints`)).status, 500);
    assert.equal((await call(`${k8s.url}/api/v1/endpoints`)).status, 200);
  });

  it('stall holds requests until cleared, then serves them', async () => {
    const f = await k8s.fault({ kind: 'stall', match: { resource: 'services' } });
    let answered = false;
    const pending = call(`${k8s.url}/api/v1/services`).then((r) => {
      answered = true;
      return r;
    });
    // Held, not merely slow: the stand-in has the request, and answers a later one first.
    for (let i = 0; i < 1500 && f.hits === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(f.hits, 1);
    assert.equal((await call(`${k8s.url}/api/v1/endpoints`)).status, 200);
    assert.equal(answered, false);
    await f.clear();
    assert.equal((await pending).status, 200);
  });

  it('malformed bodies, and a malformed watch line before the real events', async () => {
    await k8s.fault({ kind: 'malformed', times: 1 });
    const r = await call(`${k8s.url}/api/v1/endpoints`);
    assert.equal(r.status, 200);
    assert.equal(r.json, undefined);
    assert.ok(r.text.startsWith('{"kind":"EndpointsList"'));
    await k8s.fault({ kind: 'malformed', times: 1, body: '{"kind":"EndpointsList","items":{"not":"a list"}}' });
    assert.deepEqual(o((await call(`${k8s.url}/api/v1/endpoints`)).json).items, { not: 'a list' });
    await k8s.fault({ kind: 'malformed', times: 1, match: { verb: 'watch' } });
    const w = await openWatch(`${k8s.url}/api/v1/namespaces/default/endpoints?watch=true&resourceVersion=${k8s.resourceVersion}`);
    k8s.setEndpoints('default', 'world', '10.0.0.10:8080');
    const [e] = await w.waitFor(1);
    w.close();
    assert.equal(e!.type, 'MODIFIED');
    assert.equal(w.lines.length, 2);
    // Malformed objects can be stored as they are.
    k8s.apply({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'broken', namespace: 'default' }, subsets: 'nonsense' }, { raw: true });
    assert.equal(o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints/broken`)).json).subsets, 'nonsense');
    const t = o((await call(`${k8s.url}/api/v1/namespaces/default/endpoints/broken`, { headers: { Accept: TABLE } })).json);
    assert.deepEqual((t.rows as J[])[0]!.cells, ['broken', '<none>', '0s']);
  });

  it('logs every request: method, path, query, verb, namespace, name', async () => {
    k8s.clearRequests();
    await call(`${k8s.url}/api/v1/namespaces/prod/endpoints?fieldSelector=metadata.name%3Dhello&limit=5`);
    assert.deepEqual(
      k8s.requests.map((r) => [r.method, r.path, r.query, r.verb, r.resource, r.namespace, r.name, r.params.limit, r.status]),
      [['GET', '/api/v1/namespaces/prod/endpoints', 'fieldSelector=metadata.name%3Dhello&limit=5', 'list', 'endpoints', 'prod', 'hello', '5', 200]],
    );
  });
});

describe('k8s stand-in: bearer token', () => {
  it('401 without the token, served with it; the kubeconfig carries it', async () => {
    const k8s = await startK8sStandin({ token: 's3cret' });
    try {
      const none = await call(`${k8s.url}/api/v1/namespaces`);
      assert.deepEqual(none.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      assert.equal((await call(`${k8s.url}/api`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
      assert.equal((await call(`${k8s.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer s3cret' } })).status, 200);
      const dir = mkdtempSync(join(tmpdir(), 'k8s-standin-'));
      const file = k8s.writeKubeconfig(dir, { context: 'dev', namespace: 'prod' });
      const { default: YAML } = await import('yaml');
      const kc = o(YAML.parse((await import('node:fs')).readFileSync(file, 'utf8')));
      assert.equal(kc['current-context'], 'dev');
      assert.deepEqual(o((kc.users as J[])[0]).user, { token: 's3cret' });
      assert.deepEqual(o((kc.clusters as J[])[0]).cluster, { server: k8s.url, 'insecure-skip-tls-verify': true });
      assert.equal(o(o((kc.contexts as J[])[0]).context).namespace, 'prod');
    } finally {
      await k8s.stop();
    }
  });

  it('Deployment status follows its spec with controllers: true', async () => {
    const k8s = await startK8sStandin({ objects: [deployment('default', 'x', 2)], controllers: true });
    try {
      for (let i = 0; i < 100 && o(k8s.get('deployment', 'default', 'x')!.status).readyReplicas !== 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(k8s.get('deployment', 'default', 'x')!.status, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
    } finally {
      await k8s.stop();
    }
  });
});

describe('k8s stand-in: standalone', () => {
  it('npx tsx test/k8s/standin.ts --port 0 --objects FILE prints its 127.0.0.1 URL and serves the objects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-standin-'));
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, basicObjects().map((x) => JSON.stringify(x)).join('\n---\n'));
    const root = join(__dirname, '..', '..');
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['test/k8s/standin.ts', '--port', '0', '--objects', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const t = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      assert.deepEqual(names((await call(`${url}/api/v1/endpoints`)).json), ['default/world', 'prod/hello']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
