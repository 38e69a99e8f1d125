import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshotSource } from '../../core/k8s/snapshot.js';
import { k8sCandidates, k8sCursorSegment, k8sPathProblems, k8sSegmentRoles, type K8sPathProblem } from '../../core/k8s/paths.js';
import type { K8sSource, SourceStatus } from '../../core/k8s/types.js';
import { path } from '../support/dtab.js';

const item = (kind: string, ns: string, name: string, rest: object) => ({ apiVersion: 'v1', kind, metadata: { name, namespace: ns, resourceVersion: '7' }, ...rest });
const ready = (ips: string[]) => ips.map((ip, i) => ({ ip, nodeName: `node-${i}`, targetRef: { kind: 'Pod', name: `pod-${i}`, namespace: 'default' } }));

const CLUSTER = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  metadata: { resourceVersion: '' },
  items: [
    item('Endpoints', 'default', 'world', { subsets: [{ addresses: ready(['10.0.0.1']), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'admin', port: 9990, protocol: 'TCP' }] }] }),
    item('Endpoints', 'default', 'hello', { subsets: [{ addresses: ready(['10.0.0.2']), ports: [{ name: 'http', port: 7777, protocol: 'TCP' }] }] }),
    item('Endpoints', 'default', 'starting', { subsets: [{ notReadyAddresses: ready(['10.0.0.3', '10.0.0.4']), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] }),
    item('Endpoints', 'default', 'idle', { subsets: null }),
    item('Service', 'default', 'world', { spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, { name: 'grpc', port: 81, protocol: 'TCP', targetPort: 'grpc' }, { name: 'raw', port: 82, protocol: 'TCP', targetPort: 8080 }] }, status: { loadBalancer: {} } }),
    item('Service', 'default', 'idle', { spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }, status: { loadBalancer: {} } }),
    item('Service', 'default', 'edge', { spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }], type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '35.0.0.1' }] } } }),
    item('Service', 'default', 'inside', { spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }, status: { loadBalancer: {} } }),
    item('Service', 'kube-system', 'kube-dns', { spec: { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, status: { loadBalancer: {} } }),
  ],
});
const source = snapshotSource(CLUSTER, 'test');

const problems = (p: string, src: K8sSource = source, shape = {}): K8sPathProblem[] => {
  const r = k8sPathProblems(path(p), src, shape);
  assert.ok(!(r instanceof Promise));
  return r;
};

describe('k8s paths: the cursor', () => {
  it('says which segment the cursor is in, with its span and the other segments', () => {
    const text = '/#/io.l5d.k8s/default/http/world/rest';
    const at = (needle: string, delta = 0) => k8sCursorSegment(text, text.indexOf(needle) + delta);
    assert.deepEqual(at('default', 3), { role: 'namespace', index: 2, start: 14, end: 21, text: 'default', port: 'http', service: 'world' });
    assert.deepEqual(at('http'), { role: 'port', index: 3, start: 22, end: 26, text: 'http', namespace: 'default', service: 'world' });
    assert.deepEqual(at('world', 5), { role: 'service', index: 4, start: 27, end: 32, text: 'world', namespace: 'default', port: 'http' });
    assert.equal(at('rest'), undefined);
    assert.equal(at('io.l5d'), undefined);
  });

  it('works on unfinished paths, other prefixes and kinds, and decodes escapes', () => {
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/Default/', 22), { role: 'port', index: 3, start: 22, end: 22, text: '', namespace: 'default' });
    assert.deepEqual(k8sCursorSegment('/#/k8s/prod', 11, { prefix: '/#/k8s' }), { role: 'namespace', index: 2, start: 7, end: 11, text: 'prod' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s.ns/http/w', 23, { kind: 'io.l5d.k8s.ns', namespace: 'default' }), { role: 'service', index: 3, start: 22, end: 23, text: 'w', namespace: 'default', port: 'http' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/default/http/world/v', 34, { labelSelector: 'version' }), { role: 'labelValue', index: 5, start: 33, end: 34, text: 'v', namespace: 'default', port: 'http', service: 'world' });
    assert.equal(k8sCursorSegment('/#/io.l5d.k8s/de\\x66ault', 20)?.text, 'default');
    assert.equal(k8sCursorSegment('/#/io.l5d.k8s/caf\\xc3\\xa9', 20)?.text, 'café');
    assert.equal(k8sCursorSegment('/#/io.l5d.k8s.external/x', 24), undefined);
    assert.equal(k8sCursorSegment('/svc/x', 5), undefined);
    assert.equal(k8sCursorSegment('#/io.l5d.k8s/x', 13), undefined);
    assert.deepEqual(k8sSegmentRoles({ kind: 'io.l5d.k8s.external', labelSelector: 'v' }), ['namespace', 'port', 'service', 'labelValue']);
  });

  it('offers the names that fit', () => {
    const c = (text: string, shape = {}) => k8sCandidates(k8sCursorSegment(text, text.length, shape)!, source, shape);
    assert.deepEqual(c('/#/io.l5d.k8s/'), ['default', 'kube-system']);
    assert.deepEqual(c('/#/io.l5d.k8s/default/http/'), ['edge', 'hello', 'idle', 'inside', 'starting', 'world']);
    assert.deepEqual(c('/#/io.l5d.k8s/default/'), ['admin', 'http']);
    const text = '/#/io.l5d.k8s/default//world';
    assert.deepEqual(k8sCandidates(k8sCursorSegment(text, 22)!, source), ['admin', 'http', '80', '81', '82']);
    const ext = '/#/io.l5d.k8s.external/default//edge';
    assert.deepEqual(k8sCandidates(k8sCursorSegment(ext, 31, { kind: 'io.l5d.k8s.external' })!, source, { kind: 'io.l5d.k8s.external' }), ['https', '443']);
  });
});

describe('k8s paths: problems', () => {
  it('finds nothing wrong with paths that bind', () => {
    for (const p of ['/#/io.l5d.k8s/default/http/world', '/#/io.l5d.k8s/DEFAULT/Admin/World/extra', '/#/io.l5d.k8s/default/80/world', '/#/io.l5d.k8s/default/82/world', '/svc/anything', '/#/other/x']) {
      assert.deepEqual(problems(p), [], p);
    }
  });

  it('a missing namespace, with the closest one', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/defualt/http/world'), [
      { code: 'k8s-no-namespace', index: 2, role: 'namespace', message: 'no namespace `defualt` (namespaces: default, kube-system)', binds: 'neg', suggestion: 'default' },
    ]);
    assert.deepEqual(problems('/#/io.l5d.k8s/prod/http/world'), [{ code: 'k8s-no-namespace', index: 2, role: 'namespace', message: 'no namespace `prod` (namespaces: default, kube-system)', binds: 'neg' }]);
  });

  it('a missing service, with the closest one', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/worl'), [
      { code: 'k8s-no-service', index: 4, role: 'service', message: 'no service `worl` in namespace default (services: edge, hello, idle, inside, starting, world)', binds: 'neg', suggestion: 'world' },
    ]);
  });

  it('a missing port name, with the closest one', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/grpc/world'), [
      { code: 'k8s-no-port', index: 3, role: 'port', message: 'no port named grpc on service world (ports: http, admin)', binds: 'neg' },
    ]);
    assert.equal(problems('/#/io.l5d.k8s/default/htp/world')[0]?.suggestion, 'http');
  });

  it('numeric ports: not on the Service, or a named target no endpoint has', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/8080/world'), [{ code: 'k8s-no-port', index: 3, role: 'port', message: 'no port 8080 on service world (ports: 80, 81, 82)', binds: 'neg' }]);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/81/world'), [
      { code: 'k8s-no-target-port', index: 3, role: 'port', message: 'port 81 of service world targets `grpc`, which no endpoint has (ports: http, admin)', binds: 'neg' },
    ]);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/hello'), [
      { code: 'k8s-no-port', index: 3, role: 'port', message: 'no Service object `hello` in namespace default: a port number is mapped through the Service', binds: 'neg' },
    ]);
  });

  it('services without endpoints (~) and without ready ones (an empty set)', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/idle'), [{ code: 'k8s-no-endpoints', index: 4, role: 'service', message: 'service idle has no endpoints: the namer answers ~', binds: 'neg' }]);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/inside'), [{ code: 'k8s-no-endpoints', index: 4, role: 'service', message: 'service inside has no Endpoints object: the namer answers ~', binds: 'neg' }]);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/starting'), [
      { code: 'k8s-no-ready-endpoints', index: 4, role: 'service', message: 'service starting has no ready endpoints (2 not ready): the name binds to an empty set and requests fail', binds: 'empty' },
    ]);
    // A numeric target binds even without an Endpoints object: an empty set.
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/idle'), [
      { code: 'k8s-no-ready-endpoints', index: 4, role: 'service', message: 'service idle has no ready endpoints: the name binds to an empty set and requests fail', binds: 'empty' },
    ]);
  });

  it('short paths, io.l5d.k8s.ns and label selectors', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http'), [
      { code: 'k8s-short-path', index: 3, role: 'prefix', message: 'io.l5d.k8s needs /#/io.l5d.k8s/<namespace>/<port>/<service>: this path has too few segments', binds: 'neg' },
    ]);
    const ns = { kind: 'io.l5d.k8s.ns' as const, namespace: 'default' };
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http/world', source, ns), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http/wrld', source, ns).map((p) => [p.code, p.index, p.suggestion]), [['k8s-no-service', 3, 'world']]);
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http/world', source, { kind: 'io.l5d.k8s.ns' }), [
      { code: 'k8s-namespace-unset', index: 1, role: 'prefix', message: 'io.l5d.k8s.ns reads its namespace from an environment variable that is not set here', binds: 'fails' },
    ]);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/world/v1', source, { labelSelector: 'version' }), [
      { code: 'k8s-no-label', index: 5, role: 'labelValue', message: 'the Endpoints world has no label version=v1', binds: 'neg' },
    ]);
  });

  it('io.l5d.k8s.external: ingress and port names', () => {
    const ext = { kind: 'io.l5d.k8s.external' as const };
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/https/edge', source, ext), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/http/inside', source, ext).map((p) => p.message), ['service inside has no load-balancer ingress (io.l5d.k8s.external binds only services with one)']);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/htps/edge', source, ext).map((p) => [p.message, p.suggestion]), [['no port named htps on service edge (ports: https)', 'https']]);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/443/edge', source, ext).map((p) => p.message), [
      'port 443 of service edge targets `8443`, which is not the name of one of its ports (ports: https): io.l5d.k8s.external looks the target up among port names',
    ]);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/https/starting', source, ext).map((p) => p.code), ['k8s-no-service']);
  });

  it('says nothing while the source cannot know, and waits for a source that answers later', async () => {
    const connecting: K8sSource = {
      endpoints: () => undefined,
      service: () => undefined,
      namespaces: () => ['default'],
      services: () => [],
      status: (): SourceStatus => ({ source: 'context kind-dev', state: 'connecting' }),
    };
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/world', connecting), []);
    const later: K8sSource = {
      endpoints: (ns, n) => Promise.resolve(source.endpoints(ns, n)),
      service: (ns, n) => Promise.resolve(source.service(ns, n)),
      namespaces: () => source.namespaces(),
      services: (ns) => source.services(ns),
      status: (): SourceStatus => ({ source: 'context kind-dev', state: 'live' }),
    };
    const r = k8sPathProblems(path('/#/io.l5d.k8s/default/grpc/world'), later);
    assert.ok(r instanceof Promise);
    assert.deepEqual((await r).map((p) => p.code), ['k8s-no-port']);
  });
});
