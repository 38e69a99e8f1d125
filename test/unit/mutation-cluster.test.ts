// Exact values for core/ide/cluster.ts (what the cluster adds to the language features): the
// Kubernetes namers of a config with their sources, completion of namespaces, ports and services,
// warnings for names the cluster does not have (with their spans, messages and quick fixes), and
// why a negative path is negative. Whole values, so that a mutant of a bound, a word or a branch
// fails. The cluster is a snapshot read by core/k8s/snapshot.ts; a source with another state is
// that snapshot behind a different status, as a live cache would report it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDtab, clusterCompletions, clusterDiagnostics, completionContext, explainNegative, k8sNamerUses, type K8sNamerUse, type NamerSpec } from '../../core/index.js';
import { snapshotSource } from '../../core/k8s/snapshot.js';
import type { K8sSource, SourceStatus } from '../../core/k8s/types.js';
import { listItem as item, snapshotList } from '../support/snapshot.js';

/** Namespaces default and kube-system; services edge, hello, starting, world in default. */
const CLUSTER = snapshotList([
  item('Endpoints', 'default', 'world', { subsets: [{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-a' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'admin', port: 9990, protocol: 'TCP' }] }] }),
  item('Endpoints', 'default', 'hello', { subsets: [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 7777, protocol: 'TCP' }] }] }),
  item('Endpoints', 'default', 'starting', { subsets: [{ notReadyAddresses: [{ ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] }),
  item('Service', 'default', 'world', { spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, { name: 'grpc', port: 81, protocol: 'TCP', targetPort: 'grpc' }] }, status: { loadBalancer: {} } }),
  item('Service', 'default', 'edge', { spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 }], type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '35.0.0.1' }] } } }),
  item('Service', 'kube-system', 'kube-dns', { spec: { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, status: { loadBalancer: {} } }),
]);
const source = snapshotSource(CLUSTER, 'cluster.yaml');
/** A snapshot with no objects: no namespaces, no services. */
const emptySource = snapshotSource('{"apiVersion": "v1", "kind": "List", "items": []}', 'empty.yaml');

/**
 * The snapshot as a live cache with per-namespace watches reports it: `global` for the cluster
 * (status()), `perNamespace` for each namespace (status(ns)).
 */
function withStatus(base: K8sSource, global: SourceStatus['state'], perNamespace: SourceStatus['state'] = global): K8sSource {
  return {
    endpoints: (ns, name) => base.endpoints(ns, name),
    service: (ns, name) => base.service(ns, name),
    namespaces: () => base.namespaces(),
    services: (ns) => base.services(ns),
    status: (ns) => (ns === undefined ? { source: 'context kind-dev', state: global } : { source: `context kind-dev (namespace ${ns})`, state: perNamespace }),
  };
}

const use = (shape: K8sNamerUse['shape'], src: K8sSource = source): K8sNamerUse => ({ shape, source: src });
const K8S = use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' });
const K8S_NS = use({ kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns', namespace: 'default' });
/** A namer at a prefix of its own (`prefix: /k8s` in the config). */
const K8S_AT = use({ kind: 'io.l5d.k8s', prefix: '/k8s' });

const SNAP = 'cluster: snapshot cluster.yaml';

describe('cluster: k8sNamerUses', () => {
  const fs: NamerSpec = { kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs', params: { kind: 'io.l5d.fs', rootDir: 'disco' } };
  const k8s: NamerSpec = { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: { kind: 'io.l5d.k8s', labelSelector: 'version' } };
  const ns: NamerSpec = { kind: 'io.l5d.k8s.ns', prefix: '/#/k8s-ns', params: { kind: 'io.l5d.k8s.ns', labelSelector: 7 } };
  const ext: NamerSpec = { kind: 'io.l5d.k8s.external', prefix: '/#/io.l5d.k8s.external', params: { kind: 'io.l5d.k8s.external' } };
  const other: NamerSpec = { kind: 'io.l5d.k8s', prefix: '/#/other', params: {} };
  const specs = [fs, k8s, ns, ext, other];
  /** Every spec has a source but the external one. */
  const sourceFor = (spec: NamerSpec): K8sSource | undefined => (spec.kind === 'io.l5d.k8s.external' ? undefined : source);

  it('keeps the Kubernetes namers that have a source, with their labelSelector and the pod namespace for io.l5d.k8s.ns', () => {
    const uses = k8sNamerUses(specs, sourceFor, 'prod');
    assert.deepEqual(
      uses.map((u) => u.shape),
      [
        { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', labelSelector: 'version' },
        { kind: 'io.l5d.k8s.ns', prefix: '/#/k8s-ns', namespace: 'prod' },
        { kind: 'io.l5d.k8s', prefix: '/#/other' },
      ],
    );
    assert.equal(uses.length, 3);
    for (const u of uses) assert.equal(u.source, source);
  });

  it('without a pod namespace (absent or empty) io.l5d.k8s.ns has none', () => {
    const expected = [
      { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', labelSelector: 'version' },
      { kind: 'io.l5d.k8s.ns', prefix: '/#/k8s-ns' },
      { kind: 'io.l5d.k8s', prefix: '/#/other' },
    ];
    assert.deepEqual(
      k8sNamerUses(specs, sourceFor).map((u) => u.shape),
      expected,
    );
    assert.deepEqual(
      k8sNamerUses(specs, sourceFor, '').map((u) => u.shape),
      expected,
    );
  });

  it('asks for a source only for the Kubernetes namers, and gives the source back as it is', () => {
    const asked: string[] = [];
    const live = withStatus(source, 'live');
    const uses = k8sNamerUses(
      specs,
      (spec) => {
        asked.push(spec.prefix);
        return live;
      },
      'prod',
    );
    assert.deepEqual(asked, ['/#/io.l5d.k8s', '/#/k8s-ns', '/#/io.l5d.k8s.external', '/#/other']);
    assert.deepEqual(
      uses.map((u) => [u.shape.prefix, u.source === live]),
      [
        ['/#/io.l5d.k8s', true],
        ['/#/k8s-ns', true],
        ['/#/io.l5d.k8s.external', true],
        ['/#/other', true],
      ],
    );
    assert.deepEqual(uses[2]!.shape, { kind: 'io.l5d.k8s.external', prefix: '/#/io.l5d.k8s.external' });
  });

  it('none: no specs, no Kubernetes namer, or no source', () => {
    assert.deepEqual(k8sNamerUses([], sourceFor, 'prod'), []);
    assert.deepEqual(k8sNamerUses([fs], () => source, 'prod'), []);
    assert.deepEqual(k8sNamerUses([k8s, ns], () => undefined, 'prod'), []);
  });
});

describe('cluster: clusterCompletions', () => {
  /** Completion at the end of `text` (a dtab whose last term starts at `token`). */
  const at = (text: string, token: number, uses: readonly K8sNamerUse[], offset = text.length) => clusterCompletions(analyzeDtab(text), offset, token, uses);
  const entry = (label: string, i: number, detail: string, start: number, end: number) => ({
    label,
    kind: 'path',
    detail,
    edit: { span: { start, end }, text: label },
    sortText: `0000${i}`,
    filterText: label,
  });

  it('the token is where the term starts', () => {
    const text = '/svc => /#/io.l5d.k8s/de';
    const ctx = completionContext(analyzeDtab(text), text.length);
    assert.deepEqual(ctx.kind === 'term' ? ctx.token : undefined, 8);
  });

  it('namespaces, replacing the segment up to the cursor, in the source order', () => {
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/de', 8, [K8S]), [
      entry('default', 0, 'namespace in snapshot cluster.yaml', 22, 24),
      entry('kube-system', 1, 'namespace in snapshot cluster.yaml', 22, 24),
    ]);
    // An empty segment: the span is empty.
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/', 8, [K8S]), [
      entry('default', 0, 'namespace in snapshot cluster.yaml', 22, 22),
      entry('kube-system', 1, 'namespace in snapshot cluster.yaml', 22, 22),
    ]);
  });

  it('only the text up to the cursor counts: the rest of the term is left as it is', () => {
    const text = '/svc => /#/io.l5d.k8s/de/http/world;';
    assert.deepEqual(at(text, 8, [K8S], 24), [
      entry('default', 0, 'namespace in snapshot cluster.yaml', 22, 24),
      entry('kube-system', 1, 'namespace in snapshot cluster.yaml', 22, 24),
    ]);
  });

  it('ports: the named ports of every service in the namespace (as the namer reads it, lower case)', () => {
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/Default/h', 8, [K8S]), [
      entry('admin', 0, 'port in snapshot cluster.yaml', 30, 31),
      entry('http', 1, 'port in snapshot cluster.yaml', 30, 31),
    ]);
  });

  it('a port typed before a service already there: the ports of that service, named then numbered', () => {
    // `/#/io.l5d.k8s/default/h|/world`: world's endpoints name http and admin; its service has ports 80 and 81.
    const text = '/svc => /#/io.l5d.k8s/default/h/world;';
    assert.deepEqual(at(text, 8, [K8S], 31), [
      entry('admin', 0, 'port in snapshot cluster.yaml', 30, 31),
      entry('http', 1, 'port in snapshot cluster.yaml', 30, 31),
      entry('80', 2, 'port in snapshot cluster.yaml', 30, 31),
      entry('81', 3, 'port in snapshot cluster.yaml', 30, 31),
    ]);
    // The term after the cursor is read, not the next entry: a service in another entry does not count.
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/default/h;/x => /y/world;', 8, [K8S], 31).map((c) => c.label), ['admin', 'http']);
  });

  it('services of the namespace', () => {
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/default/http/', 8, [K8S]), [
      entry('edge', 0, 'service in snapshot cluster.yaml', 35, 35),
      entry('hello', 1, 'service in snapshot cluster.yaml', 35, 35),
      entry('starting', 2, 'service in snapshot cluster.yaml', 35, 35),
      entry('world', 3, 'service in snapshot cluster.yaml', 35, 35),
    ]);
    // A namespace the cluster does not have: no services, and no other namer is asked.
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/prod/http/', 8, [K8S, use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, withStatus(source, 'live'))]), []);
  });

  it('the first namer whose prefix the term is under answers; the status is that of the namespace', () => {
    const live = use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, withStatus(source, 'live'));
    assert.deepEqual(at('/x => /#/io.l5d.k8s/default/', 6, [K8S_NS, K8S_AT, live, K8S]), [
      entry('admin', 0, 'port in context kind-dev (namespace default)', 28, 28),
      entry('http', 1, 'port in context kind-dev (namespace default)', 28, 28),
    ]);
    assert.deepEqual(at('/x => /#/io.l5d.k8s/d', 6, [K8S_NS, K8S_AT, live, K8S]), [
      entry('default', 0, 'namespace in context kind-dev', 20, 21),
      entry('kube-system', 1, 'namespace in context kind-dev', 20, 21),
    ]);
    // At a prefix of its own.
    assert.deepEqual(at('/x => /k8s/default/a', 6, [K8S_NS, K8S_AT, K8S]), [
      entry('admin', 0, 'port in snapshot cluster.yaml', 19, 20),
      entry('http', 1, 'port in snapshot cluster.yaml', 19, 20),
    ]);
    // io.l5d.k8s.ns: ports then services of the pod's namespace.
    assert.deepEqual(at('/x => /#/io.l5d.k8s.ns/', 6, [K8S, K8S_NS]), [
      entry('admin', 0, 'port in snapshot cluster.yaml', 23, 23),
      entry('http', 1, 'port in snapshot cluster.yaml', 23, 23),
    ]);
    assert.deepEqual(at('/x => /#/io.l5d.k8s.ns/http/h', 6, [K8S, K8S_NS]), [
      entry('edge', 0, 'service in snapshot cluster.yaml', 28, 29),
      entry('hello', 1, 'service in snapshot cluster.yaml', 28, 29),
      entry('starting', 2, 'service in snapshot cluster.yaml', 28, 29),
      entry('world', 3, 'service in snapshot cluster.yaml', 28, 29),
    ]);
  });

  it('nothing outside the namers’ segments, in the prefix, or with no namer', () => {
    assert.deepEqual(at('/svc => /#/io.l5d.fs/x', 8, [K8S, K8S_NS, K8S_AT]), []);
    assert.deepEqual(at('/svc => /#/io.l5d.k8', 8, [K8S, K8S_NS, K8S_AT]), []);
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/default/http/world/', 8, [K8S]), []);
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/', 8, []), []);
    // The label-value segment has no names to offer.
    assert.deepEqual(at('/svc => /#/io.l5d.k8s/default/http/world/v', 8, [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', labelSelector: 'version' })]), []);
  });

  it('at most 200 names, numbered in order', () => {
    const many = snapshotSource(
      JSON.stringify({ kind: 'List', items: Array.from({ length: 205 }, (_, i) => item('Endpoints', `ns${String(i).padStart(3, '0')}`, 'svc', {})) }),
      'many.yaml',
    );
    const got = at('/s => /#/io.l5d.k8s/', 6, [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, many)]);
    assert.equal(got.length, 200);
    assert.deepEqual(got[0], { label: 'ns000', kind: 'path', detail: 'namespace in snapshot many.yaml', edit: { span: { start: 20, end: 20 }, text: 'ns000' }, sortText: '00000', filterText: 'ns000' });
    assert.deepEqual(got[9]!.sortText, '00009');
    assert.deepEqual(got[10]!.sortText, '00010');
    assert.deepEqual(got[123]!.sortText, '00123');
    assert.deepEqual(got[199], { label: 'ns199', kind: 'path', detail: 'namespace in snapshot many.yaml', edit: { span: { start: 20, end: 20 }, text: 'ns199' }, sortText: '00199', filterText: 'ns199' });
    assert.deepEqual(
      got.map((c) => c.label),
      Array.from({ length: 200 }, (_, i) => `ns${String(i).padStart(3, '0')}`),
    );
  });
});

describe('cluster: clusterDiagnostics', () => {
  const diags = (text: string, uses: readonly K8sNamerUse[]) => clusterDiagnostics(analyzeDtab(text), uses);
  const warning = (start: number, end: number, code: string, message: string, suggestion?: string, origin = SNAP) => ({
    span: { start, end },
    severity: 'warning',
    code,
    origin,
    message,
    ...(suggestion !== undefined ? { fixes: [{ title: `Change to \`${suggestion}\``, edits: [{ span: { start, end }, text: suggestion }] }] } : {}),
  });

  const DTAB = [
    '/a => /#/io.l5d.k8s/default/http/world;',
    '/b => /#/io.l5d.k8s/defualt/http/world;',
    '/c => /#/io.l5d.k8s/default/http/wrld | /#/io.l5d.k8s/prod/http/x;',
    '/d => 1 * /#/io.l5d.k8s/default/grpc/world & 2 * /#/io.l5d.k8s/default/81/world;',
    '/e => /#/io.l5d.k8s/default/http;',
    '/f => /#/io.l5d.k8s/Default/http | /#/io.l5d.k8s/Defualt/http;',
    '/g => /#/io.l5d.k8s/nowhere;',
    '/h => /#/io.l5d.k8s;',
    '/i => /#/io.l5d.k8s/DEFAULT/HTTP/World/extra;',
    '/j => /#/io.l5d.fs/x | /k8s/kube-sys/dns/kube-dns;',
    '/k => /#/io.l5d.k8s/default/http/starting/extra;',
  ].join('\n');

  const EXPECTED = [
    // The namespace of a whole path, with the closest one as a fix.
    warning(60, 67, 'k8s-no-namespace', 'no namespace `defualt` (namespaces: default, kube-system)', 'default'),
    // Each branch of an alternation.
    warning(113, 117, 'k8s-no-service', 'no service `wrld` in namespace default (services: edge, hello, starting, world)', 'world'),
    warning(134, 138, 'k8s-no-namespace', 'no namespace `prod` (namespaces: default, kube-system)'),
    // Each branch of a union.
    warning(179, 183, 'k8s-no-port', 'no port named grpc on service world (ports: http, admin)'),
    warning(218, 220, 'k8s-no-target-port', 'port 81 of service world targets `grpc`, which no endpoint has (ports: http, admin)'),
    // Prefix targets: the namespace only (written in any case).
    warning(311, 318, 'k8s-no-namespace', 'no namespace `defualt` (namespaces: default, kube-system)', 'default'),
    warning(345, 352, 'k8s-no-namespace', 'no namespace `nowhere` (namespaces: default, kube-system)'),
    // At a prefix of its own (the other prefix is not a Kubernetes namer).
    warning(449, 457, 'k8s-no-namespace', 'no namespace `kube-sys` (namespaces: default, kube-system)'),
    // On the segment at fault, not the last one.
    warning(505, 513, 'k8s-no-ready-endpoints', 'service starting has no ready endpoints (2 not ready): the name binds to an empty set and requests fail'),
  ];

  it('what the cluster does not have, in source order, on the segment at fault, with the closest name as a fix', async () => {
    assert.deepEqual(await diags(DTAB, [K8S_AT, K8S]), EXPECTED);
    // The spans are those of the names.
    assert.deepEqual(
      EXPECTED.map((d) => DTAB.slice(d.span.start, d.span.end)),
      ['defualt', 'wrld', 'prod', 'grpc', '81', 'Defualt', 'nowhere', 'kube-sys', 'starting'],
    );
  });

  it('none without namers, or for a dtab whose paths are all fine', async () => {
    assert.deepEqual(await diags(DTAB, []), []);
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s/default/http/world | /#/io.l5d.k8s/default/80/world;\n/e => /#/io.l5d.k8s/Default/http;', [K8S]), []);
    assert.deepEqual(await diags('', [K8S]), []);
  });

  it('with a labelSelector the label value is one more segment: a path without it is a prefix target', async () => {
    const sel = use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', labelSelector: 'version' });
    assert.deepEqual(await diags('/svc => /#/io.l5d.k8s/default/http/world;', [sel]), []);
    assert.deepEqual(await diags('/svc => /#/io.l5d.k8s/defualt/http/world;', [sel]), [
      warning(22, 29, 'k8s-no-namespace', 'no namespace `defualt` (namespaces: default, kube-system)', 'default'),
    ]);
    const selNs = use({ kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns', labelSelector: 'version', namespace: 'default' });
    assert.deepEqual(await diags('/svc => /#/io.l5d.k8s.ns/http/world;', [selNs]), []);
  });

  it('a prefix target is judged on its namespace alone, and the bare prefix not at all', async () => {
    // Two segments of io.l5d.k8s: the service comes at run time.
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/default/http;', [K8S]), []);
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/default/nope;', [K8S]), []);
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/Default;', [K8S]), []);
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s;', [K8S]), []);
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/defaul/http;', [K8S]), [warning(20, 26, 'k8s-no-namespace', 'no namespace `defaul` (namespaces: default, kube-system)', 'default')]);
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/defaul;', [K8S]), [warning(20, 26, 'k8s-no-namespace', 'no namespace `defaul` (namespaces: default, kube-system)', 'default')]);
    // Three segments are a whole path.
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/default/http/nope;', [K8S]), [
      warning(33, 37, 'k8s-no-service', 'no service `nope` in namespace default (services: edge, hello, starting, world)'),
    ]);
  });

  it('a cluster with no namespaces listed says nothing of a prefix target', async () => {
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/nowhere/http;\n/f => /#/io.l5d.k8s/nowhere;', [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, emptySource)]), []);
    assert.deepEqual(await diags('/e => /#/io.l5d.k8s/nowhere/http/world;', [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, emptySource)]), [
      warning(33, 38, 'k8s-no-service', 'no service `world` in namespace nowhere (no services)', undefined, 'cluster: snapshot empty.yaml'),
    ]);
  });

  it('io.l5d.k8s.ns: port and service after the prefix, in the pod namespace', async () => {
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.ns/http/wrld;', [K8S_NS]), [
      warning(28, 32, 'k8s-no-service', 'no service `wrld` in namespace default (services: edge, hello, starting, world)', 'world'),
    ]);
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.ns/htp/world/extra;', [K8S_NS]), [warning(23, 26, 'k8s-no-port', 'no port named htp on service world (ports: http, admin)', 'http')]);
    // A prefix target of io.l5d.k8s.ns has no namespace segment to judge.
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.ns/http;\n/b => /#/io.l5d.k8s.ns/nowhere;\n/c => /#/io.l5d.k8s.ns;', [K8S_NS]), []);
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.ns/http/world;', [K8S_NS]), []);
  });

  it('io.l5d.k8s.ns without the pod namespace: on the prefix', async () => {
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.ns/http/world;', [use({ kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns' })]), [
      warning(9, 22, 'k8s-namespace-unset', 'io.l5d.k8s.ns reads its namespace from an environment variable that is not set here'),
    ]);
  });

  it('a shape without a prefix is at /#/<kind>, and without a kind at /#/io.l5d.k8s', async () => {
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.external/default/https/edgy;', [use({ kind: 'io.l5d.k8s.external' })]), [
      warning(43, 47, 'k8s-no-service', 'no service `edgy` in namespace default (services: edge, hello, starting, world)', 'edge'),
    ]);
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s.external/default/https/edge;', [use({ kind: 'io.l5d.k8s.external' })]), []);
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s/defualt/http/world;\n/b => /#/io.l5d.k8s.external/defualt/http/world;', [use({})]), [
      warning(20, 27, 'k8s-no-namespace', 'no namespace `defualt` (namespaces: default, kube-system)', 'default'),
    ]);
    assert.deepEqual(await diags('/a => /#/io.l5d.k8s/nowhere/http;', [use({})]), [warning(20, 27, 'k8s-no-namespace', 'no namespace `nowhere` (namespaces: default, kube-system)')]);
  });

  it('the first namer whose prefix the path is under judges it', async () => {
    const text = '/a => /#/io.l5d.k8s/default/http/world;\n/b => /#/io.l5d.k8s/default/http;';
    // The empty cluster answers first: world is not there, and the namespace check of a prefix target is skipped.
    assert.deepEqual(await diags(text, [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, emptySource), K8S]), [
      warning(33, 38, 'k8s-no-service', 'no service `world` in namespace default (no services)', undefined, 'cluster: snapshot empty.yaml'),
    ]);
    assert.deepEqual(await diags(text, [K8S, use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, emptySource)]), []);
  });

  describe('the state of the source', () => {
    const text = '/a => /#/io.l5d.k8s/default/http/wrld;\n/b => /#/io.l5d.k8s/nowhere/http;';
    for (const state of ['connecting', 'unreachable', 'unauthorized', 'forbidden'] as const) {
      it(`${state}: nothing, even where a namespace's own watch is live`, async () => {
        assert.deepEqual(await diags(text, [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, withStatus(source, state, 'live'))]), []);
        assert.deepEqual(await diags(text, [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, withStatus(source, state))]), []);
      });
    }
    for (const state of ['live', 'stale', 'snapshot'] as const) {
      it(`${state}: the warnings, from the cluster's status`, async () => {
        assert.deepEqual(await diags(text, [use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, withStatus(source, state))]), [
          warning(33, 37, 'k8s-no-service', 'no service `wrld` in namespace default (services: edge, hello, starting, world)', 'world', 'cluster: context kind-dev'),
          warning(59, 66, 'k8s-no-namespace', 'no namespace `nowhere` (namespaces: default, kube-system)', undefined, 'cluster: context kind-dev'),
        ]);
      });
    }
  });
});

describe('cluster: explainNegative', () => {
  const p = (text: string) => text.split('/').filter((e) => e !== '');

  it('the first problem of the first namer whose prefix the path is under', async () => {
    assert.equal(await explainNegative(p('/#/io.l5d.k8s/default/grpc/world'), [K8S_NS, K8S_AT, K8S]), 'no port named grpc on service world (ports: http, admin)');
    assert.equal(await explainNegative(p('/k8s/defualt/http/world'), [K8S, K8S_AT]), 'no namespace `defualt` (namespaces: default, kube-system)');
    assert.equal(await explainNegative(p('/#/io.l5d.k8s/default/http'), [K8S]), 'io.l5d.k8s needs /#/io.l5d.k8s/<namespace>/<port>/<service>: this path has too few segments');
    assert.equal(await explainNegative(p('/#/io.l5d.k8s.ns/http/wrld'), [K8S, K8S_NS]), 'no service `wrld` in namespace default (services: edge, hello, starting, world)');
  });

  it('undefined when the namer has nothing against it, and the next namer is not asked', async () => {
    const empty = use({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, emptySource);
    assert.equal(await explainNegative(p('/#/io.l5d.k8s/default/http/world'), [K8S, empty]), undefined);
    assert.equal(await explainNegative(p('/#/io.l5d.k8s/default/http/world'), [empty, K8S]), 'no service `world` in namespace default (no services)');
  });

  it('undefined for a path no Kubernetes namer answers', async () => {
    assert.equal(await explainNegative(p('/#/io.l5d.fs/world'), [K8S, K8S_NS, K8S_AT]), undefined);
    assert.equal(await explainNegative(p('/#/io.l5d.k8s/defualt/http/world'), []), undefined);
    assert.equal(await explainNegative([], [K8S]), undefined);
  });

  it('a shape without a prefix is at /#/<kind>, and without a kind at /#/io.l5d.k8s', async () => {
    assert.equal(await explainNegative(p('/#/io.l5d.k8s.external/default/https/edgy'), [use({ kind: 'io.l5d.k8s.external' })]), 'no service `edgy` in namespace default (services: edge, hello, starting, world)');
    assert.equal(await explainNegative(p('/#/io.l5d.k8s/prod/http/world'), [use({})]), 'no namespace `prod` (namespaces: default, kube-system)');
    assert.equal(await explainNegative(p('/#/undefined/prod/http/world'), [use({})]), undefined);
  });
});
