import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delegateTreeToJsonText, Interpreter, reprBound } from '../../core/index.js';
import { k8sNamer } from '../../core/k8s/namers.js';
import { parseSnapshot, snapshotSource, snapshotText, SnapshotError } from '../../core/k8s/snapshot.js';
import type { Endpoints, Service } from '../../core/k8s/types.js';
import { dtab, path } from '../support/dtab.js';

/** What `kubectl get endpoints,services -A -o yaml` prints (trimmed to three objects). */
const KUBECTL_YAML = `apiVersion: v1
items:
- apiVersion: v1
  kind: Endpoints
  metadata:
    annotations:
      endpoints.kubernetes.io/last-change-trigger-time: "2024-05-01T10:00:00Z"
    creationTimestamp: "2024-05-01T09:59:58Z"
    labels:
      app: hello
    name: hello
    namespace: default
    resourceVersion: "1234"
    uid: 6f1c2a40-0c1e-4bb1-9a51-2d1c7a6e0b11
  subsets:
  - addresses:
    - ip: 10.1.1.1
      nodeName: node-a
      targetRef:
        kind: Pod
        name: hello-7d9f-abcde
        namespace: default
        uid: 0a8c3a6e-1d2f-4e5a-8b9c-0d1e2f3a4b5c
    - ip: 10.1.1.2
      nodeName: node-b
      targetRef:
        kind: Pod
        name: hello-7d9f-fghij
        namespace: default
        uid: 1b9d4b7f-2e3a-4f6b-9c0d-1e2f3a4b5c6d
    notReadyAddresses:
    - ip: 10.1.1.3
      nodeName: node-c
      targetRef:
        kind: Pod
        name: hello-7d9f-klmno
        namespace: default
        uid: 2c0e5c80-3f4b-4a7c-8d1e-2f3a4b5c6d7e
    ports:
    - name: http
      port: 7777
      protocol: TCP
- apiVersion: v1
  kind: Endpoints
  metadata:
    creationTimestamp: "2024-05-01T09:00:00Z"
    name: kube-dns
    namespace: kube-system
    resourceVersion: "311"
    uid: 3d1f6d91-4a5c-4b8d-9e2f-3a4b5c6d7e8f
  subsets:
  - addresses:
    - ip: 10.244.0.2
      nodeName: node-a
    ports:
    - name: dns-tcp
      port: 53
      protocol: TCP
    - name: dns
      port: 53
      protocol: UDP
- apiVersion: v1
  kind: Service
  metadata:
    creationTimestamp: "2024-05-01T09:59:58Z"
    labels:
      app: hello
    name: hello
    namespace: default
    resourceVersion: "1230"
    uid: 4e2a7ea2-5b6d-4c9e-8f3a-4b5c6d7e8f90
  spec:
    clusterIP: 10.96.14.7
    clusterIPs:
    - 10.96.14.7
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http
    selector:
      app: hello
    sessionAffinity: None
    type: ClusterIP
  status:
    loadBalancer: {}
kind: List
metadata:
  resourceVersion: ""
`;

const HELLO_EPS: Endpoints = {
  kind: 'Endpoints',
  apiVersion: 'v1',
  metadata: { name: 'hello', namespace: 'default', resourceVersion: '1234', labels: { app: 'hello' } },
  subsets: [
    {
      addresses: [
        { ip: '10.1.1.1', nodeName: 'node-a' },
        { ip: '10.1.1.2', nodeName: 'node-b' },
      ],
      notReadyAddresses: [{ ip: '10.1.1.3', nodeName: 'node-c' }],
      ports: [{ name: 'http', port: 7777, protocol: 'TCP' }],
    },
  ],
};

const HELLO_SVC: Service = {
  kind: 'Service',
  apiVersion: 'v1',
  metadata: { name: 'hello', namespace: 'default', resourceVersion: '1230', labels: { app: 'hello' } },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], type: 'ClusterIP', clusterIP: '10.96.14.7' },
  status: { loadBalancer: {} },
};

function thrown(f: () => unknown): SnapshotError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SnapshotError, `expected a SnapshotError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a SnapshotError');
}

describe('snapshots: reading', () => {
  it('reads kubectl’s YAML List: objects, names and the snapshot status', () => {
    const s = snapshotSource(KUBECTL_YAML, 'cluster.k8s-snapshot.yaml');
    assert.deepEqual(s.endpoints('default', 'hello'), HELLO_EPS);
    assert.deepEqual(s.service('default', 'hello'), HELLO_SVC);
    assert.equal(s.endpoints('default', 'nothere'), undefined);
    assert.equal(s.service('kube-system', 'kube-dns'), undefined);
    assert.deepEqual(s.namespaces(), ['default', 'kube-system']);
    assert.deepEqual(s.services('default'), ['hello']);
    assert.deepEqual(s.services('kube-system'), ['kube-dns']);
    assert.deepEqual(s.services('prod'), []);
    assert.deepEqual(s.status(), { source: 'snapshot cluster.k8s-snapshot.yaml', state: 'snapshot' });
    assert.deepEqual(snapshotSource(KUBECTL_YAML, 'x', { readAt: 1714557600000 }).status('default'), { source: 'snapshot x', state: 'snapshot', since: 1714557600000 });
  });

  it('reads `-o json` the same way', () => {
    const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [HELLO_EPS, HELLO_SVC] };
    const s = snapshotSource(JSON.stringify(list, null, 4), 'cluster.json');
    assert.deepEqual(s.endpoints('default', 'hello'), HELLO_EPS);
    assert.deepEqual(s.service('default', 'hello'), HELLO_SVC);
  });

  it('reads several YAML documents, single objects, and the API’s typed lists (items without kind)', () => {
    const docs = `---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: a, namespace: ns1}\nsubsets: null\n---\n# a comment\n---\napiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: b, namespace: ns2}\n  spec: {ports: [{port: 80}]}\n`;
    const s = snapshotSource(docs, 'docs');
    assert.deepEqual(s.endpoints('ns1', 'a'), { kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns1' } });
    assert.deepEqual(s.service('ns2', 'b'), { kind: 'Service', apiVersion: 'v1', metadata: { name: 'b', namespace: 'ns2' }, spec: { ports: [{ port: 80 }] } });
    const one = snapshotSource(JSON.stringify(HELLO_SVC), 'one');
    assert.deepEqual(one.service('default', 'hello'), HELLO_SVC);
    const api = snapshotSource(JSON.stringify({ kind: 'EndpointsList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'e', namespace: 'n' }, subsets: [] }] }), 'api');
    assert.deepEqual(api.endpoints('n', 'e'), { kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'e', namespace: 'n' }, subsets: [] });
  });

  it('skips other kinds and says so in the status; an empty List is a snapshot of nothing', () => {
    const text = JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [HELLO_EPS, { kind: 'Pod', metadata: { name: 'p' } }, { kind: 'Pod' }, { kind: 'ConfigMap' }] });
    assert.deepEqual(snapshotSource(text, 'mixed').status(), { source: 'snapshot mixed', state: 'snapshot', message: 'skipped objects that are neither Endpoints nor Service: 2 Pod, 1 ConfigMap' });
    const empty = snapshotSource('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n', 'empty');
    assert.deepEqual(empty.namespaces(), []);
    assert.deepEqual(snapshotSource(JSON.stringify({ kind: 'PodList', items: [{ metadata: {} }] }), 'pods').status().message, 'skipped objects that are neither Endpoints nor Service: 1 Pod');
  });

  it('keeps the later of two objects with the same namespace and name', () => {
    const text = JSON.stringify({ kind: 'List', items: [HELLO_SVC, { ...HELLO_SVC, spec: { ports: [{ port: 81 }] } }] });
    assert.deepEqual(snapshotSource(text, 'dup').service('default', 'hello')?.spec, { ports: [{ port: 81 }] });
  });

  it('feeds the namers: a snapshot binds as the cluster did', () => {
    const s = snapshotSource(KUBECTL_YAML, 'cluster');
    const interp = new Interpreter([{ prefix: ['#', 'io.l5d.k8s'], namer: k8sNamer({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: {} }, s) }]);
    assert.equal(
      delegateTreeToJsonText(interp.delegateSync(dtab('/svc=>/#/io.l5d.k8s/default/http'), path('/svc/hello'))),
      '{"type":"delegate","path":"/svc/hello","delegate":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/hello","dentry":{"prefix":"/svc","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"10.1.1.1","port":7777,"meta":{"nodeName":"node-a"}},{"ip":"10.1.1.2","port":7777,"meta":{"nodeName":"node-b"}}],"meta":{}},"id":"/#/io.l5d.k8s/default/http/hello","path":"/"}}}',
    );
    assert.equal(reprBound(interp.bindSync(dtab(''), path('/#/io.l5d.k8s/default/80/hello'))), '/#/io.l5d.k8s/default/80/hello');
    assert.equal(reprBound(interp.bindSync(dtab(''), path('/#/io.l5d.k8s/kube-system/dns/kube-dns'))), '~');
    assert.equal(reprBound(interp.bindSync(dtab(''), path('/#/io.l5d.k8s/kube-system/dns-tcp/kube-dns'))), '/#/io.l5d.k8s/kube-system/dns-tcp/kube-dns');
  });

  it('keeps labels as own properties, whatever their keys', () => {
    const text = '{"kind":"Service","metadata":{"name":"s","namespace":"n","labels":{"__proto__":"x","constructor":"y"}}}';
    const labels = snapshotSource(text, 'p').service('n', 's')?.metadata?.labels;
    assert.deepEqual(Object.keys(labels ?? {}), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });
});

describe('snapshots: malformed and hostile input', () => {
  it('rejects text that is not YAML, with the offset', () => {
    const e = thrown(() => snapshotSource('apiVersion: v1\nitems: [\n  {kind: Service\n', 'broken.yaml'));
    assert.match(e.message, /^Snapshot broken\.yaml: not YAML or JSON: .+ \(at offset \d+\)$/);
    assert.ok(e.offset !== undefined && e.offset > 14);
    assert.equal(e.snapshot, 'broken.yaml');
  });

  it('rejects what is not a List or object, and empty text', () => {
    assert.equal(thrown(() => snapshotSource('', 'e')).message, 'Snapshot e: the file is empty: expected the output of `kubectl get endpoints,services -A -o yaml`');
    assert.equal(thrown(() => snapshotSource('# only a comment\n', 'c')).message, 'Snapshot c: no Kubernetes objects: expected a List or Endpoints/Service objects');
    assert.equal(thrown(() => snapshotSource('42', 'n')).reason, 'expected a Kubernetes List or object, not the number 42');
    assert.equal(thrown(() => snapshotSource('- a\n- b\n', 'l')).reason, 'expected a Kubernetes List or object, not a list');
    assert.equal(thrown(() => snapshotSource('kind: List\nitems: {a: 1}\n', 'i')).reason, 'items: expected a list, not a mapping');
    assert.equal(thrown(() => snapshotSource('metadata: {name: x}\n', 'k')).reason, 'the object has no `kind`');
  });

  it('names the field at fault and where it is', () => {
    const text = `kind: List\nitems:\n- kind: Endpoints\n  metadata: {name: a, namespace: n}\n  subsets:\n  - addresses:\n    - ip: 10.0.0.1\n    - ip: 167772162\n`;
    const e = thrown(() => snapshotSource(text, 's'));
    assert.equal(e.reason, 'items[0].subsets[0].addresses[1].ip: an endpoint address needs an `ip` (a string)');
    assert.equal(e.offset, text.indexOf('167772162'));
    const noNs = `kind: List\nitems:\n- kind: Service\n  metadata:\n    name: web\n`;
    const e2 = thrown(() => snapshotSource(noNs, 's'));
    assert.equal(e2.reason, 'items[0].metadata.namespace: the Service web has no namespace (take the snapshot with `-A` or `-n <namespace>` and -o yaml)');
    assert.equal(e2.offset, noNs.indexOf('name: web'));
    // In JSON too (located through the YAML reading of the same text).
    const json = '{"kind":"List","items":[{"kind":"Service","metadata":{"name":"s","namespace":"n"},"spec":{"ports":[{"port":"80"}]}}]}';
    const e3 = thrown(() => snapshotSource(json, 'j'));
    assert.equal(e3.reason, 'items[0].spec.ports[0].port: expected a port number (0-65535), not the string "80"');
    assert.equal(e3.offset, json.indexOf('"80"'));
    assert.equal(thrown(() => snapshotSource('{"kind":"Service","metadata":{"name":"s","namespace":"n","labels":{"a":1}}}', 'j')).reason, 'metadata.labels.a: expected a string, not the number 1');
    assert.equal(thrown(() => snapshotSource('{"kind":"Endpoints","metadata":{"name":"s","namespace":"n"},"subsets":[{"ports":[{"port":70000}]}]}', 'j')).reason, 'subsets[0].ports[0].port: expected a port number (0-65535), not the number 70000');
    assert.equal(thrown(() => snapshotSource('{"kind":"Service","metadata":{"name":"s","namespace":"n"},"status":{"loadBalancer":{"ingress":[{"ip":5}]}}}', 'j')).reason, 'status.loadBalancer.ingress[0].ip: expected a string, not the number 5');
  });

  it('refuses deep nesting before the YAML parser recurses on it', () => {
    for (const text of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1', '- '.repeat(5000) + 'x']) {
      const e = thrown(() => snapshotSource(text, 'deep'));
      assert.match(e.reason, /^nesting deeper than 64 levels$/);
      assert.ok(e.offset !== undefined);
    }
    // Real objects are nowhere near the limit.
    assert.doesNotThrow(() => parseSnapshot(KUBECTL_YAML));
  });

  it('does not expand YAML aliases beyond a small bound', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    const e = thrown(() => snapshotSource(bomb, 'bomb'));
    assert.match(e.reason, /^YAML aliases expand too far/);
    assert.equal(e.offset, bomb.indexOf('*a'));
  });
});

describe('snapshots: writing', () => {
  it('writes a kubectl-style List that reads back the same', () => {
    const text = snapshotText({ endpoints: [HELLO_EPS], services: [HELLO_SVC] });
    assert.equal(
      text,
      `apiVersion: v1
items:
  - apiVersion: v1
    kind: Endpoints
    metadata:
      labels:
        app: hello
      name: hello
      namespace: default
      resourceVersion: "1234"
    subsets:
      - addresses:
          - ip: 10.1.1.1
            nodeName: node-a
          - ip: 10.1.1.2
            nodeName: node-b
        notReadyAddresses:
          - ip: 10.1.1.3
            nodeName: node-c
        ports:
          - name: http
            port: 7777
            protocol: TCP
  - apiVersion: v1
    kind: Service
    metadata:
      labels:
        app: hello
      name: hello
      namespace: default
      resourceVersion: "1230"
    spec:
      clusterIP: 10.96.14.7
      ports:
        - name: http
          port: 80
          protocol: TCP
          targetPort: http
      type: ClusterIP
    status:
      loadBalancer: {}
kind: List
metadata:
  resourceVersion: ""
`,
    );
    const back = snapshotSource(text, 'saved');
    assert.deepEqual(back.objects, { endpoints: [HELLO_EPS], services: [HELLO_SVC] });
    assert.equal(snapshotText(back.objects), text);
  });

  it('round-trips a kubectl snapshot, sorting by namespace and name and filling kind/apiVersion', () => {
    const s = snapshotSource(KUBECTL_YAML, 'cluster');
    const again = snapshotSource(snapshotText(s.objects), 'again');
    assert.deepEqual(again.objects, s.objects);
    const bare = snapshotText({ endpoints: [{ metadata: { name: 'z', namespace: 'b' } }, { metadata: { name: 'a', namespace: 'b' } }, { metadata: { name: 'z', namespace: 'a' } }], services: [] });
    assert.deepEqual(
      snapshotSource(bare, 'bare').objects.endpoints.map((e) => `${e.metadata?.namespace}/${e.metadata?.name}/${e.kind}/${e.apiVersion}`),
      ['a/z/Endpoints/v1', 'b/a/Endpoints/v1', 'b/z/Endpoints/v1'],
    );
  });
});
