import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  boundAddr,
  boundName,
  delegateTreeToJsonText,
  encodeAddr,
  interpreterFor,
  Interpreter,
  NamerRegistry,
  reprBound,
  showPath,
  writeJson,
  type Addr,
  type BoundTree,
  type InetResolver,
  type NamerSpec,
} from '../../core/index.js';
import type { Endpoints, K8sSource, Service, SourceStatus } from '../../core/k8s/types.js';
import {
  endpointsState,
  k8sExternalNamer,
  k8sNamer,
  k8sNsNamer,
  registerK8sNamers,
  servicePortMappings,
} from '../../core/k8s/namers.js';
import {
  boundAddresses,
  daemonsetGateways,
  daemonsetPrefix,
  daemonsetTransform,
  localnodeTransform,
} from '../../core/k8s/transformers.js';
import { ipBytes, javaHostAddress, sameSubnet } from '../../core/k8s/ip.js';
import { dtab, path } from '../support/dtab.js';

// ---- fixtures: objects shaped as the Kubernetes API serves them ------------------------------

function meta(namespace: string, name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    namespace,
    uid: `0f1e2d3c-${name}`,
    resourceVersion: '918273',
    creationTimestamp: '2024-05-01T10:00:00Z',
    ...extra,
  };
}

function addr(ip: string, nodeName: string | undefined, pod: string, namespace = 'default') {
  return {
    ip,
    ...(nodeName !== undefined ? { nodeName } : {}),
    targetRef: { kind: 'Pod', namespace, name: pod, uid: `uid-${pod}`, resourceVersion: '4242' },
  };
}

function eps(namespace: string, name: string, subsets: unknown, labels?: Record<string, string>): Endpoints {
  return {
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: meta(namespace, name, labels ? { labels } : {}),
    ...(subsets !== undefined ? { subsets } : {}),
  } as Endpoints;
}

function svc(namespace: string, name: string, ports: unknown[], opts: { ingress?: unknown[]; status?: unknown; labels?: Record<string, string> } = {}): Service {
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: meta(namespace, name, opts.labels ? { labels: opts.labels } : {}),
    spec: { clusterIP: '10.96.12.34', ports, selector: { app: name }, sessionAffinity: 'None', type: opts.ingress ? 'LoadBalancer' : 'ClusterIP' },
    status: opts.status !== undefined ? opts.status : { loadBalancer: opts.ingress ? { ingress: opts.ingress } : {} },
  } as Service;
}

const httpPort = (port: number) => ({ name: 'http', port, protocol: 'TCP' });

/** The conformance world of spec §3.9 (hello, world-v1, world-v2), plus objects for each rule. */
const ENDPOINTS: Endpoints[] = [
  eps('default', 'hello', [{ addresses: [addr('10.1.1.1', 'node-a', 'hello-7d9f-abcde'), addr('10.1.1.2', 'node-b', 'hello-7d9f-fghij')], ports: [httpPort(7777)] }]),
  eps('default', 'world-v1', [{ addresses: [addr('10.1.2.1', 'node-a', 'world-v1-5c6b-klmno')], ports: [httpPort(7778)] }]),
  eps('default', 'world-v2', [{ addresses: [addr('10.1.3.1', 'node-b', 'world-v2-8e7d-pqrst')], ports: [httpPort(7779)] }]),
  // Two ready, one not ready; named ports http and admin.
  eps('srv', 'sessions', [
    {
      addresses: [addr('10.2.4.9', 'node-1', 'sessions-1', 'srv'), addr('10.2.7.11', 'node-2', 'sessions-2', 'srv')],
      notReadyAddresses: [addr('10.2.8.9', 'node-3', 'sessions-3', 'srv')],
      ports: [httpPort(8083), { name: 'admin', port: 9990, protocol: 'TCP' }],
    },
  ]),
  // For numeric ports mapped to a named target.
  eps('srv', 'auth', [{ addresses: [addr('10.2.0.10', 'node-1', 'auth-1', 'srv')], ports: [httpPort(8082), { name: 'admin', port: 9990, protocol: 'TCP' }] }]),
  // Every address not ready: the ports are there, the addresses are not.
  eps('srv', 'starting', [{ notReadyAddresses: [addr('10.2.9.1', 'node-1', 'starting-1', 'srv'), addr('10.2.9.2', 'node-2', 'starting-2', 'srv')], ports: [httpPort(8080)] }]),
  // What the endpoints controller writes for a service with no pods.
  eps('srv', 'empty-subset', null),
  eps('srv', 'scaled-down', []),
  // Several subsets (pods with different ports), protocols, unnamed and duplicate ports.
  eps('srv', 'multi', [
    {
      addresses: [addr('10.3.0.1', 'node-1', 'multi-1', 'srv'), addr('10.3.0.2', undefined, 'multi-2', 'srv')],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 1234, protocol: 'TCP' }],
    },
    {
      addresses: [addr('10.3.0.3', 'node-2', 'multi-3', 'srv'), addr('10.3.0.1', 'node-1', 'multi-1', 'srv')],
      ports: [{ name: 'http', port: 8081 }, { name: 'grpc', port: 9090, protocol: 'tcp' }],
    },
  ]),
  eps('srv', 'v6', [{ addresses: [{ ip: 'fd00:10:244::1a', nodeName: 'node-1' }], ports: [httpPort(8080)] }]),
  eps('srv', 'labelled', [{ addresses: [addr('10.4.0.1', 'node-1', 'labelled-1', 'srv')], ports: [httpPort(8080)] }], { version: 'v1', app: 'labelled' }),
];

const SERVICES: Service[] = [
  svc('default', 'hello', [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]),
  svc('srv', 'sessions', [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 54321 },
    { name: 'admin', port: 9990, protocol: 'TCP' },
  ]),
  svc('srv', 'auth', [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
    { name: 'grpc', port: 81, protocol: 'TCP', targetPort: 'grpc' },
    { name: 'admin', port: 9990, protocol: 'TCP' },
  ]),
  // A Service whose Endpoints object does not exist (yet).
  svc('srv', 'no-endpoints', [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'web', port: 81, protocol: 'TCP', targetPort: 'web' }]),
  // A Service as some clients hand it over: no status at all.
  { ...svc('srv', 'no-status', [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8083 }]), status: undefined } as Service,
  svc('srv', 'labelled', [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], { labels: { version: 'v1' } }),
  // External: ingress by ip, by hostname, several, none.
  svc('pub', 'l5d', [{ name: 'external', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'admin', port: 9990, protocol: 'TCP', targetPort: 'admin' }], { ingress: [{ ip: '104.155.170.94' }] }),
  svc('pub', 'by-name', [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }], { ingress: [{ hostname: 'lb.example.com', ip: '35.1.2.3' }] }),
  svc('pub', 'several', [{ name: 'http', port: 80, protocol: 'TCP' }], { ingress: [{ ip: '35.0.0.1' }, { ip: '35.0.0.2' }] }),
  svc('pub', 'internal', [{ name: 'http', port: 80, protocol: 'TCP' }]),
  svc('pub', 'named-80', [{ name: '80', port: 8080, protocol: 'TCP' }, { name: 'http', port: 80, protocol: 'TCP' }], { ingress: [{ ip: '35.9.9.9' }] }),
];

class MemSource implements K8sSource {
  asked = 0;
  constructor(
    readonly eps: readonly Endpoints[],
    readonly svcs: readonly Service[],
    readonly later = false,
  ) {}
  private get<T extends Endpoints | Service>(list: readonly T[], ns: string, name: string): T | undefined | Promise<T | undefined> {
    this.asked++;
    const found = list.find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
    return this.later ? new Promise((res) => setTimeout(() => res(found), 1)) : found;
  }
  endpoints(ns: string, name: string) {
    return this.get(this.eps, ns, name);
  }
  service(ns: string, name: string) {
    return this.get(this.svcs, ns, name);
  }
  namespaces() {
    return [...new Set([...this.eps, ...this.svcs].map((o) => o.metadata!.namespace!))].sort();
  }
  services(ns: string) {
    return [...new Set([...this.eps, ...this.svcs].filter((o) => o.metadata?.namespace === ns).map((o) => o.metadata!.name!))].sort();
  }
  status(): SourceStatus {
    return { source: 'memory', state: 'live' };
  }
}

const source = new MemSource(ENDPOINTS, SERVICES);
const K8S: NamerSpec = { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: { kind: 'io.l5d.k8s' } };
const K8S_NS: NamerSpec = { kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns', params: { kind: 'io.l5d.k8s.ns' } };
const EXTERNAL: NamerSpec = { kind: 'io.l5d.k8s.external', prefix: '/#/io.l5d.k8s.external', params: { kind: 'io.l5d.k8s.external', experimental: true } };

function k8sInterp(src: K8sSource = source, spec: NamerSpec = K8S): Interpreter {
  return new Interpreter([{ prefix: ['#', 'io.l5d.k8s'], namer: k8sNamer(spec, src) }]);
}

/** The bound tree (routing) and the addr JSON of its leaf. */
function bind(p: string, d = '', interp = k8sInterp()): { repr: string; addr?: string } {
  const t: BoundTree = interp.bindSync(dtab(d), path(p));
  return { repr: reprBound(t), ...(t.type === 'leaf' ? { addr: writeJson(encodeAddr(t.value.addr)) } : {}) };
}

const delegateJson = (p: string, d = '', interp = k8sInterp()) => delegateTreeToJsonText(interp.delegateSync(dtab(d), path(p)));

const HELLO_ADDR = '{"type":"bound","addrs":[{"ip":"10.1.1.1","port":7777,"meta":{"nodeName":"node-a"}},{"ip":"10.1.1.2","port":7777,"meta":{"nodeName":"node-b"}}],"meta":{}}';
const V1_ADDR = '{"type":"bound","addrs":[{"ip":"10.1.2.1","port":7778,"meta":{"nodeName":"node-a"}}],"meta":{}}';
const V2_ADDR = '{"type":"bound","addrs":[{"ip":"10.1.3.1","port":7779,"meta":{"nodeName":"node-b"}}],"meta":{}}';
const EMPTY_ADDR = '{"type":"bound","addrs":[],"meta":{}}';

// ---- io.l5d.k8s ---------------------------------------------------------------------------------------

describe('io.l5d.k8s: named ports', () => {
  it('binds every ready address of the named port, with nodeName metadata (the /delegator.json leaf)', () => {
    assert.equal(
      delegateJson('/#/io.l5d.k8s/default/http/hello'),
      `{"type":"leaf","path":"/#/io.l5d.k8s/default/http/hello","bound":{"addr":${HELLO_ADDR},"id":"/#/io.l5d.k8s/default/http/hello","path":"/"}}`,
    );
    assert.deepEqual(bind('/#/io.l5d.k8s/default/http/hello'), { repr: '/#/io.l5d.k8s/default/http/hello', addr: HELLO_ADDR });
  });

  it('lower-cases namespace, port and service (id) and keeps the residual as written (E11)', () => {
    assert.equal(
      delegateJson('/svc/Hello/extra/Path', '/svc=>/#/io.l5d.k8s/default/http'),
      `{"type":"delegate","path":"/svc/Hello/extra/Path","delegate":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/Hello/extra/Path","dentry":{"prefix":"/svc","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":${HELLO_ADDR},"id":"/#/io.l5d.k8s/default/http/hello","path":"/extra/Path"}}}`,
    );
    assert.deepEqual(bind('/#/io.l5d.k8s/DEFAULT/HtTp/HELLO/A/b'), { repr: '/#/io.l5d.k8s/default/http/hello[residual /A/b]', addr: HELLO_ADDR });
  });

  it('answers ~ for fewer than three segments', () => {
    for (const p of ['/#/io.l5d.k8s', '/#/io.l5d.k8s/default', '/#/io.l5d.k8s/default/http']) {
      assert.equal(bind(p).repr, '~', p);
      assert.equal(delegateJson(p), `{"type":"neg","path":"${p}"}`);
    }
  });

  it('answers ~ for a port name no subset has ("missing port names are negative")', () => {
    assert.equal(bind('/#/io.l5d.k8s/srv/thrift/sessions').repr, '~');
    // A port's number is not its name.
    assert.equal(bind('/#/io.l5d.k8s/srv/8083/sessions').repr, '~');
  });

  it('answers ~ for a missing Endpoints object, `subsets: null` and `subsets: []` (scale-down)', () => {
    assert.equal(bind('/#/io.l5d.k8s/srv/http/nothere').repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/nowhere/http/hello').repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/srv/http/empty-subset').repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/srv/http/scaled-down').repr, '~');
    // …and so an Alt falls back past it.
    assert.deepEqual(bind('/svc/x', '/svc=>/#/io.l5d.k8s/srv/http/empty-subset | /#/io.l5d.k8s/default/http/hello'), {
      repr: '/#/io.l5d.k8s/default/http/hello[residual /x]',
      addr: HELLO_ADDR,
    });
  });

  it('never uses notReadyAddresses: a service whose pods are all not ready binds to an empty set (no fallback)', () => {
    assert.deepEqual(bind('/#/io.l5d.k8s/srv/http/starting'), { repr: '/#/io.l5d.k8s/srv/http/starting', addr: EMPTY_ADDR });
    assert.deepEqual(bind('/svc/x', '/svc=>/#/io.l5d.k8s/srv/http/starting | /#/io.l5d.k8s/default/http/hello'), {
      repr: '/#/io.l5d.k8s/srv/http/starting[residual /x]',
      addr: EMPTY_ADDR,
    });
    assert.deepEqual(bind('/#/io.l5d.k8s/srv/admin/sessions'), {
      repr: '/#/io.l5d.k8s/srv/admin/sessions',
      addr: '{"type":"bound","addrs":[{"ip":"10.2.4.9","port":9990,"meta":{"nodeName":"node-1"}},{"ip":"10.2.7.11","port":9990,"meta":{"nodeName":"node-2"}}],"meta":{}}',
    });
  });

  it('merges the addresses and named TCP ports of all subsets (a later subset wins a name; UDP and unnamed ports are skipped)', () => {
    assert.deepEqual(endpointsState(ENDPOINTS.find((e) => e.metadata?.name === 'multi')), {
      endpoints: [{ ip: '10.3.0.1', nodeName: 'node-1' }, { ip: '10.3.0.2' }, { ip: '10.3.0.3', nodeName: 'node-2' }],
      ports: new Map([
        ['http', 8081],
        ['grpc', 9090],
      ]),
    });
    assert.equal(
      bind('/#/io.l5d.k8s/srv/grpc/multi').addr,
      '{"type":"bound","addrs":[{"ip":"10.3.0.1","port":9090,"meta":{"nodeName":"node-1"}},{"ip":"10.3.0.2","port":9090,"meta":{}},{"ip":"10.3.0.3","port":9090,"meta":{"nodeName":"node-2"}}],"meta":{}}',
    );
    assert.equal(bind('/#/io.l5d.k8s/srv/dns/multi').repr, '~');
  });

  it('prints endpoint IPs as Java does (IPv6 in full)', () => {
    assert.equal(bind('/#/io.l5d.k8s/srv/http/v6').addr, '{"type":"bound","addrs":[{"ip":"fd00:10:244:0:0:0:0:1a","port":8080,"meta":{"nodeName":"node-1"}}],"meta":{}}');
  });

  it('uses the configured prefix in the bound id', () => {
    const spec: NamerSpec = { kind: 'io.l5d.k8s', prefix: '/#/k8s', params: { kind: 'io.l5d.k8s', prefix: '/k8s' } };
    const interp = new Interpreter([{ prefix: ['#', 'k8s'], namer: k8sNamer(spec, source) }]);
    assert.equal(bind('/#/k8s/default/http/hello/x', '', interp).repr, '/#/k8s/default/http/hello[residual /x]');
  });
});

describe('io.l5d.k8s: numeric ports (through the Service)', () => {
  it('maps a port to a numeric targetPort ("accepts port numbers")', () => {
    assert.equal(
      bind('/#/io.l5d.k8s/srv/80/sessions').addr,
      '{"type":"bound","addrs":[{"ip":"10.2.4.9","port":54321,"meta":{"nodeName":"node-1"}},{"ip":"10.2.7.11","port":54321,"meta":{"nodeName":"node-2"}}],"meta":{}}',
    );
  });

  it('uses the number itself when targetPort is absent', () => {
    assert.equal(
      bind('/#/io.l5d.k8s/srv/9990/sessions').addr,
      '{"type":"bound","addrs":[{"ip":"10.2.4.9","port":9990,"meta":{"nodeName":"node-1"}},{"ip":"10.2.7.11","port":9990,"meta":{"nodeName":"node-2"}}],"meta":{}}',
    );
  });

  it('looks a named targetPort up among the endpoints’ named ports', () => {
    assert.deepEqual(bind('/#/io.l5d.k8s/srv/80/auth'), {
      repr: '/#/io.l5d.k8s/srv/80/auth',
      addr: '{"type":"bound","addrs":[{"ip":"10.2.0.10","port":8082,"meta":{"nodeName":"node-1"}}],"meta":{}}',
    });
    // Target `grpc`: no endpoint port has that name.
    assert.equal(bind('/#/io.l5d.k8s/srv/81/auth').repr, '~');
  });

  it('answers ~ for a number that is not a Service port, or without the Service', () => {
    assert.equal(bind('/#/io.l5d.k8s/srv/555/sessions').repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/srv/8083/sessions').repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/srv/80/multi').repr, '~');
  });

  it('binds a numeric target even with no Endpoints object (an empty set), but not a named one', () => {
    assert.deepEqual(bind('/#/io.l5d.k8s/srv/80/no-endpoints'), { repr: '/#/io.l5d.k8s/srv/80/no-endpoints', addr: EMPTY_ADDR });
    assert.equal(bind('/#/io.l5d.k8s/srv/81/no-endpoints').repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/srv/http/no-endpoints').repr, '~');
  });

  it('builds the port mappings only from a Service with metadata, status and spec', () => {
    assert.equal(bind('/#/io.l5d.k8s/srv/80/no-status').repr, '~');
    assert.deepEqual(servicePortMappings(SERVICES[1]), new Map([[80, '54321'], [9990, '9990']]));
    assert.deepEqual(servicePortMappings(SERVICES.find((s) => s.metadata?.name === 'no-status')), new Map());
    assert.deepEqual(servicePortMappings(undefined), new Map());
  });

  it('reads the port as Java’s Integer.parseInt does (+80 is 80)', () => {
    // `+80` (written with an escape: `+` is not a label character) is port 80; Path.show escapes the whole element.
    assert.equal(bind('/#/io.l5d.k8s/srv/\\x2b80/sessions').repr, '/#/io.l5d.k8s/srv/\\x2b\\x38\\x30/sessions');
    assert.match(bind('/#/io.l5d.k8s/srv/\\x2b80/sessions').addr!, /"port":54321/);
    assert.equal(bind('/#/io.l5d.k8s/srv/0080/sessions').repr, '/#/io.l5d.k8s/srv/0080/sessions');
  });
});

describe('io.l5d.k8s: labelSelector', () => {
  const spec: NamerSpec = { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: { kind: 'io.l5d.k8s', labelSelector: 'version' } };
  const interp = k8sInterp(source, spec);

  it('takes a fourth segment, the label value (lower-cased, part of the id)', () => {
    assert.deepEqual(bind('/#/io.l5d.k8s/srv/http/labelled/V1/rest', '', interp), {
      repr: '/#/io.l5d.k8s/srv/http/labelled/v1[residual /rest]',
      addr: '{"type":"bound","addrs":[{"ip":"10.4.0.1","port":8080,"meta":{"nodeName":"node-1"}}],"meta":{}}',
    });
    assert.equal(bind('/#/io.l5d.k8s/srv/80/labelled/v1', '', interp).repr, '/#/io.l5d.k8s/srv/80/labelled/v1');
  });

  it('answers ~ without the label value segment, or for objects without that label', () => {
    assert.equal(bind('/#/io.l5d.k8s/srv/http/labelled', '', interp).repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/srv/http/labelled/v2', '', interp).repr, '~');
    assert.equal(bind('/#/io.l5d.k8s/default/http/hello/v1', '', interp).repr, '~');
  });
});

describe('io.l5d.k8s: answers at once or later', () => {
  it('answers synchronously when the source has the objects', () => {
    const r = k8sNamer(K8S, source).lookup(path('/default/http/hello'));
    assert.ok(!(r instanceof Promise));
  });

  it('returns a promise when the source does, and the engine waits for it', async () => {
    const later = new MemSource(ENDPOINTS, SERVICES, true);
    const r = k8sNamer(K8S, later).lookup(path('/srv/80/sessions'));
    assert.ok(r instanceof Promise);
    const t = await r;
    assert.equal(t.type, 'leaf');
    const interp = k8sInterp(later);
    const tree = await interp.delegate(dtab('/svc=>/#/io.l5d.k8s/default/http'), path('/svc/hello'));
    assert.equal(
      delegateTreeToJsonText(tree),
      `{"type":"delegate","path":"/svc/hello","delegate":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/hello","dentry":{"prefix":"/svc","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":${HELLO_ADDR},"id":"/#/io.l5d.k8s/default/http/hello","path":"/"}}}`,
    );
    assert.equal(reprBound(await interp.bind(dtab(''), path('/#/io.l5d.k8s/srv/http/nothere'))), '~');
  });

  it('does not read the Service for a named port', () => {
    const counting = new MemSource(ENDPOINTS, SERVICES);
    k8sNamer(K8S, counting).lookup(path('/default/http/hello'));
    assert.equal(counting.asked, 1);
    k8sNamer(K8S, counting).lookup(path('/default/80/hello'));
    assert.equal(counting.asked, 3);
  });

  it('passes a failing source on as a failure (an exception node)', () => {
    const broken: K8sSource = { ...source, endpoints: () => Promise.reject(new Error('forbidden: cannot get endpoints in namespace default')), service: () => undefined, namespaces: () => [], services: () => [], status: () => ({ source: 'x', state: 'forbidden' }) };
    return k8sInterp(broken)
      .delegate(dtab(''), path('/#/io.l5d.k8s/default/http/hello'))
      .then((t) =>
        assert.equal(delegateTreeToJsonText(t), '{"type":"exception","path":"/#/io.l5d.k8s/default/http/hello","message":"forbidden: cannot get endpoints in namespace default"}'),
      );
  });
});

// ---- io.l5d.k8s.ns ---------------------------------------------------------------------------------

describe('io.l5d.k8s.ns', () => {
  const interp = (ns: string | undefined) => new Interpreter([{ prefix: ['#', 'io.l5d.k8s.ns'], namer: k8sNsNamer(K8S_NS, source, ns) }]);

  it('reads /<port>/<service> in the given namespace; the id has no namespace', () => {
    assert.deepEqual(bind('/#/io.l5d.k8s.ns/HTTP/sessions/d3adb33f', '', interp('srv')), {
      repr: '/#/io.l5d.k8s.ns/http/sessions[residual /d3adb33f]',
      addr: '{"type":"bound","addrs":[{"ip":"10.2.4.9","port":8083,"meta":{"nodeName":"node-1"}},{"ip":"10.2.7.11","port":8083,"meta":{"nodeName":"node-2"}}],"meta":{}}',
    });
    assert.equal(bind('/#/io.l5d.k8s.ns/80/sessions', '', interp('srv')).repr, '/#/io.l5d.k8s.ns/80/sessions');
    assert.equal(bind('/#/io.l5d.k8s.ns/http', '', interp('srv')).repr, '~');
    assert.equal(bind('/#/io.l5d.k8s.ns/http/hello', '', interp('srv')).repr, '~');
  });

  it('fails clearly when the namespace env var is not set', () => {
    assert.equal(
      delegateJson('/svc/hello', '/svc=>/#/io.l5d.k8s.ns/http', interp(undefined)),
      '{"type":"delegate","path":"/svc/hello","delegate":{"type":"exception","path":"/#/io.l5d.k8s.ns/http/hello","dentry":{"prefix":"/svc","dst":"/#/io.l5d.k8s.ns/http"},"message":"could not find namespace for envVar POD_NAMESPACE: io.l5d.k8s.ns (/#/io.l5d.k8s.ns) reads its namespace from the environment variable POD_NAMESPACE, which is not set"}}',
    );
    const custom = new Interpreter([{ prefix: ['#', 'io.l5d.k8s.ns'], namer: k8sNsNamer({ ...K8S_NS, params: { envVar: 'MY_NS' } }, source, undefined) }]);
    assert.throws(() => custom.bindSync(dtab(''), path('/#/io.l5d.k8s.ns/http/hello')), /could not find namespace for envVar MY_NS/);
  });
});

// ---- io.l5d.k8s.external ---------------------------------------------------------------------------

describe('io.l5d.k8s.external', () => {
  const dns: InetResolver = {
    resolve: (host, port): Addr =>
      host === 'lb.example.com'
        ? boundAddr([
            { ip: '52.0.0.1', port, meta: {} },
            { ip: '52.0.0.2', port, meta: {} },
          ])
        : host === 'gone.example.com'
          ? { type: 'neg' }
          : boundAddr([{ ip: host, port, meta: {} }]),
  };
  const interp = (inet?: InetResolver, spec = EXTERNAL) => new Interpreter([{ prefix: ['#', 'io.l5d.k8s.external'], namer: k8sExternalNamer(spec, source, inet) }]);

  it('binds the ingress ip and the service port; the id keeps the segments as written', () => {
    assert.deepEqual(bind('/#/io.l5d.k8s.external/pub/external/l5d/residual', '', interp()), {
      repr: '/#/io.l5d.k8s.external/pub/external/l5d[residual /residual]',
      addr: '{"type":"bound","addrs":[{"ip":"104.155.170.94","port":80,"meta":{}}],"meta":{}}',
    });
    assert.deepEqual(bind('/#/io.l5d.k8s.external/PuB/ExTeRnAl/L5D/rEsIdUaL', '', interp()), {
      repr: '/#/io.l5d.k8s.external/PuB/ExTeRnAl/L5D[residual /rEsIdUaL]',
      addr: '{"type":"bound","addrs":[{"ip":"104.155.170.94","port":80,"meta":{}}],"meta":{}}',
    });
  });

  it('prefers the hostname (one address, the first DNS answer); without DNS it says so', () => {
    assert.equal(bind('/#/io.l5d.k8s.external/pub/http/by-name', '', interp(dns)).addr, '{"type":"bound","addrs":[{"ip":"52.0.0.1","port":80,"meta":{}}],"meta":{}}');
    assert.equal(bind('/#/io.l5d.k8s.external/pub/http/by-name', '', interp()).addr, '{"type":"failed","cause":"lb.example.com was not resolved (no DNS lookups offline)"}');
  });

  it('keeps the last ingress entry', () => {
    assert.equal(bind('/#/io.l5d.k8s.external/pub/http/several', '', interp()).addr, '{"type":"bound","addrs":[{"ip":"35.0.0.2","port":80,"meta":{}}],"meta":{}}');
  });

  it('answers ~ without ingress, for an unknown port name or service, and for short paths', () => {
    assert.equal(bind('/#/io.l5d.k8s.external/pub/http/internal', '', interp()).repr, '~');
    assert.equal(bind('/#/io.l5d.k8s.external/pub/foo/l5d', '', interp()).repr, '~');
    assert.equal(bind('/#/io.l5d.k8s.external/pub/external/foo', '', interp()).repr, '~');
    assert.equal(bind('/#/io.l5d.k8s.external/pub/external', '', interp()).repr, '~');
  });

  it('maps a port number to its target, which must be a port *name* (Linkerd’s quirk)', () => {
    // 80 → targetPort 8080: no port is named "8080".
    assert.equal(bind('/#/io.l5d.k8s.external/pub/80/l5d', '', interp()).repr, '~');
    // 9990 → targetPort "admin": the port named admin, at its service port 9990.
    assert.equal(bind('/#/io.l5d.k8s.external/pub/9990/l5d', '', interp()).addr, '{"type":"bound","addrs":[{"ip":"104.155.170.94","port":9990,"meta":{}}],"meta":{}}');
    // 80 without targetPort → "80": the port *named* 80, at its number 8080.
    assert.equal(bind('/#/io.l5d.k8s.external/pub/80/named-80', '', interp()).addr, '{"type":"bound","addrs":[{"ip":"35.9.9.9","port":8080,"meta":{}}],"meta":{}}');
  });

  it('reads the label value as written', () => {
    const labelled: Service = svc('pub', 'canary', [{ name: 'http', port: 80 }], { ingress: [{ ip: '35.7.7.7' }], labels: { track: 'Blue' } });
    const src = new MemSource([], [labelled]);
    const i = new Interpreter([{ prefix: ['#', 'io.l5d.k8s.external'], namer: k8sExternalNamer({ ...EXTERNAL, params: { labelSelector: 'track' } }, src) }]);
    assert.equal(bind('/#/io.l5d.k8s.external/pub/http/canary/Blue/x', '', i).repr, '/#/io.l5d.k8s.external/pub/http/canary/Blue[residual /x]');
    assert.equal(bind('/#/io.l5d.k8s.external/pub/http/canary/blue', '', i).repr, '~');
  });
});

// ---- the registry ---------------------------------------------------------------------------------

describe('registerK8sNamers', () => {
  it('builds the three kinds from config specs; no source → the unresolved namer', () => {
    const registry = registerK8sNamers(new NamerRegistry(), (spec) => (spec.prefix === '/#/offline' ? undefined : source), { podNamespace: 'srv' });
    const interp = interpreterFor({
      registry,
      namers: [K8S, K8S_NS, EXTERNAL, { kind: 'io.l5d.k8s', prefix: '/#/offline', params: {} }],
    });
    const b = (p: string) => reprBound(interp.bindSync(dtab(''), path(p)));
    assert.equal(b('/#/io.l5d.k8s/default/http/hello'), '/#/io.l5d.k8s/default/http/hello');
    assert.equal(b('/#/io.l5d.k8s/default/http/nothere'), '~');
    assert.equal(b('/#/io.l5d.k8s.ns/http/sessions'), '/#/io.l5d.k8s.ns/http/sessions');
    assert.equal(b('/#/io.l5d.k8s.external/pub/external/l5d'), '/#/io.l5d.k8s.external/pub/external/l5d');
    const off = interp.bindSync(dtab(''), path('/#/offline/default/http/hello'));
    assert.equal(off.type === 'leaf' && off.value.addr.type, 'pending');
  });

  it('reads the namespace of io.l5d.k8s.ns from the env var its envVar names', () => {
    const registry = registerK8sNamers(new NamerRegistry(), () => source, { podNamespace: 'default', vars: { MY_NS: 'srv' } });
    const interp = interpreterFor({ registry, namers: [{ ...K8S_NS, params: { envVar: 'MY_NS' } }] });
    assert.equal(reprBound(interp.bindSync(dtab(''), path('/#/io.l5d.k8s.ns/http/sessions'))), '/#/io.l5d.k8s.ns/http/sessions');
  });
});

// ---- the worked examples of spec §3.9 ---------------------------------------------------------------

describe('worked examples (spec §3.9) with the k8s namer', () => {
  const E5 = '/srv => /#/io.l5d.k8s/default/http; /host => /srv; /svc => /host; /host/world => /srv/world-v1';
  const leafJson = (p: string, prefix: string, dst: string, addrJson: string, id: string, residual = '/') =>
    `{"type":"leaf","path":"${p}","dentry":{"prefix":"${prefix}","dst":"${dst}"},"bound":{"addr":${addrJson},"id":"${id}","path":"${residual}"}}`;

  it('E5 /svc/hello: a chain of delegates to the k8s leaf', () => {
    assert.equal(
      delegateJson('/svc/hello', E5),
      '{"type":"delegate","path":"/svc/hello","delegate":{"type":"delegate","path":"/host/hello","dentry":{"prefix":"/svc","dst":"/host"},"delegate":{"type":"delegate","path":"/srv/hello","dentry":{"prefix":"/host","dst":"/srv"},"delegate":' +
        leafJson('/#/io.l5d.k8s/default/http/hello', '/srv', '/#/io.l5d.k8s/default/http', HELLO_ADDR, '/#/io.l5d.k8s/default/http/hello') +
        '}}}',
    );
    assert.equal(bind('/svc/hello', E5).repr, '/#/io.l5d.k8s/default/http/hello');
  });

  it('E5 /svc/world: exactly the spec’s JSON', () => {
    assert.equal(
      delegateJson('/svc/world', E5),
      '{"type":"delegate","path":"/svc/world","delegate":{"type":"alt","path":"/host/world","dentry":{"prefix":"/svc","dst":"/host"},"alt":[' +
        '{"type":"delegate","path":"/srv/world-v1","dentry":{"prefix":"/host/world","dst":"/srv/world-v1"},"delegate":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/world-v1","dentry":{"prefix":"/srv","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"10.1.2.1","port":7778,"meta":{"nodeName":"node-a"}}],"meta":{}},"id":"/#/io.l5d.k8s/default/http/world-v1","path":"/"}}},' +
        '{"type":"delegate","path":"/srv/world","dentry":{"prefix":"/host","dst":"/srv"},"delegate":{"type":"neg","path":"/#/io.l5d.k8s/default/http/world","dentry":{"prefix":"/srv","dst":"/#/io.l5d.k8s/default/http"}}}]}}',
    );
    assert.equal(bind('/svc/world', E5).repr, '/#/io.l5d.k8s/default/http/world-v1');
  });

  it('E5 /svc/nothere: delegates ending in neg; bind ~', () => {
    assert.match(delegateJson('/svc/nothere', E5), /\{"type":"neg","path":"\/#\/io\.l5d\.k8s\/default\/http\/nothere","dentry":\{"prefix":"\/srv","dst":"\/#\/io\.l5d\.k8s\/default\/http"\}\}\}\}\}$/);
    assert.equal(bind('/svc/nothere', E5).repr, '~');
  });

  it('E6 fallback between dentries: two negs, bind ~', () => {
    const d = '/svc=>/#/io.l5d.k8s/default/http; /svc/world=>/#/io.l5d.k8s/default/http/world-v3';
    assert.equal(
      delegateJson('/svc/world', d),
      '{"type":"alt","path":"/svc/world","alt":[{"type":"neg","path":"/#/io.l5d.k8s/default/http/world-v3","dentry":{"prefix":"/svc/world","dst":"/#/io.l5d.k8s/default/http/world-v3"}},{"type":"neg","path":"/#/io.l5d.k8s/default/http/world","dentry":{"prefix":"/svc","dst":"/#/io.l5d.k8s/default/http"}}]}',
    );
    assert.equal(bind('/svc/world', d).repr, '~');
  });

  it('E7 weighted union; an unknown branch is dropped by bind', () => {
    const d = '/svc/world => 3 * /#/io.l5d.k8s/default/http/world-v1 & 1 * /#/io.l5d.k8s/default/http/world-v2';
    const dst = '3.00*/#/io.l5d.k8s/default/http/world-v1 & /#/io.l5d.k8s/default/http/world-v2';
    assert.equal(
      delegateJson('/svc/world', d),
      '{"type":"union","path":"/svc/world","union":[' +
        `{"weight":3.0,"tree":${leafJson('/#/io.l5d.k8s/default/http/world-v1', '/svc/world', dst, V1_ADDR, '/#/io.l5d.k8s/default/http/world-v1')}},` +
        `{"weight":1.0,"tree":${leafJson('/#/io.l5d.k8s/default/http/world-v2', '/svc/world', dst, V2_ADDR, '/#/io.l5d.k8s/default/http/world-v2')}}]}`,
    );
    assert.equal(bind('/svc/world', d).repr, 'Union(3.0*/#/io.l5d.k8s/default/http/world-v1{w=3.0}, 1.0*/#/io.l5d.k8s/default/http/world-v2{w=1.0})');
    const missing = '/svc/world => 3 * /#/io.l5d.k8s/default/http/world-v1 & 1 * /#/io.l5d.k8s/default/http/world-v9';
    assert.match(delegateJson('/svc/world', missing), /\{"weight":1\.0,"tree":\{"type":"neg","path":"\/#\/io\.l5d\.k8s\/default\/http\/world-v9"/);
    assert.equal(bind('/svc/world', missing).repr, '/#/io.l5d.k8s/default/http/world-v1{w=3.0}');
  });

  it('E8 `!` stops fallback, `~` does not', () => {
    const leaf = leafJson('/#/io.l5d.k8s/default/http/hello', '/svc', '/#/io.l5d.k8s/default/http', HELLO_ADDR, '/#/io.l5d.k8s/default/http/hello');
    assert.equal(delegateJson('/svc/hello', '/svc=>/#/io.l5d.k8s/default/http; /svc=>!'), `{"type":"alt","path":"/svc/hello","alt":[{"type":"fail","path":"!","dentry":{"prefix":"/svc","dst":"!"}},${leaf}]}`);
    assert.equal(bind('/svc/hello', '/svc=>/#/io.l5d.k8s/default/http; /svc=>!').repr, '!');
    assert.equal(delegateJson('/svc/hello', '/svc=>/#/io.l5d.k8s/default/http; /svc=>~'), `{"type":"alt","path":"/svc/hello","alt":[{"type":"neg","path":"~","dentry":{"prefix":"/svc","dst":"~"}},${leaf}]}`);
    assert.equal(bind('/svc/hello', '/svc=>/#/io.l5d.k8s/default/http; /svc=>~').repr, '/#/io.l5d.k8s/default/http/hello');
  });

  it('E9 `$` stops fallback', () => {
    const d = '/svc=>$ | /#/io.l5d.k8s/default/http';
    assert.equal(
      delegateJson('/svc/hello', d),
      `{"type":"alt","path":"/svc/hello","alt":[{"type":"empty","path":"/svc/hello","dentry":{"prefix":"/svc","dst":"$ | /#/io.l5d.k8s/default/http"}},${leafJson('/#/io.l5d.k8s/default/http/hello', '/svc', '$ | /#/io.l5d.k8s/default/http', HELLO_ADDR, '/#/io.l5d.k8s/default/http/hello')}]}`,
    );
    assert.equal(bind('/svc/hello', d).repr, '$');
  });

  it('E10 a per-request override is tried first', () => {
    const d = '/svc=>/#/io.l5d.k8s/default/http; /svc/hello=>/#/io.l5d.k8s/default/http/world-v1';
    assert.equal(
      delegateJson('/svc/hello', d),
      `{"type":"alt","path":"/svc/hello","alt":[${leafJson('/#/io.l5d.k8s/default/http/world-v1', '/svc/hello', '/#/io.l5d.k8s/default/http/world-v1', V1_ADDR, '/#/io.l5d.k8s/default/http/world-v1')},${leafJson('/#/io.l5d.k8s/default/http/hello', '/svc', '/#/io.l5d.k8s/default/http', HELLO_ADDR, '/#/io.l5d.k8s/default/http/hello')}]}`,
    );
    assert.equal(bind('/svc/hello', d).repr, '/#/io.l5d.k8s/default/http/world-v1');
  });

  it('E12 rewriting namers lead to the k8s leaf', () => {
    const d1 = '/srv=>/#/io.l5d.k8s/default/http; /domain/world/hello/www=>/srv/hello; /host=>/$/io.buoyant.http.domainToPathPfx/domain; /svc=>/host';
    assert.equal(bind('/svc/www.hello.world', d1).repr, '/#/io.l5d.k8s/default/http/hello');
    assert.match(delegateJson('/svc/www.hello.world', d1), /"type":"leaf","path":"\/#\/io\.l5d\.k8s\/default\/http\/hello","dentry":\{"prefix":"\/srv","dst":"\/#\/io\.l5d\.k8s\/default\/http"\}/);
    const d2 = '/k8s=>/#/io.l5d.k8s/default; /svc=>/$/io.buoyant.porthostPfx/k8s';
    assert.equal(bind('/svc/hello:http', d2).repr, '/#/io.l5d.k8s/default/http/hello');
  });

  it('E14 a k8s path with an empty dtab: a leaf without dentry or wrapper', () => {
    assert.equal(
      delegateJson('/#/io.l5d.k8s/default/http/hello'),
      `{"type":"leaf","path":"/#/io.l5d.k8s/default/http/hello","bound":{"addr":${HELLO_ADDR},"id":"/#/io.l5d.k8s/default/http/hello","path":"/"}}`,
    );
  });

  it('§3.7 a `~` dentry on the namer prefix: the delegator stops, bind falls through to the namer', () => {
    const d = '/#/io.l5d.k8s=>~';
    assert.equal(delegateJson('/#/io.l5d.k8s/default/http/hello', d), '{"type":"delegate","path":"/#/io.l5d.k8s/default/http/hello","delegate":{"type":"neg","path":"~","dentry":{"prefix":"/#/io.l5d.k8s","dst":"~"}}}');
    assert.equal(bind('/#/io.l5d.k8s/default/http/hello', d).repr, '/#/io.l5d.k8s/default/http/hello');
  });
});

// ---- transformers ---------------------------------------------------------------------------------

describe('io.l5d.k8s.daemonset', () => {
  const opts = { namespace: 'default', port: 'incoming', service: 'l5d' };
  const gateways = [
    { ip: '1.1.1.1', port: 4141, meta: {} },
    { ip: '1.1.2.1', port: 4141, meta: {} },
    { ip: '1.1.3.1', port: 4141, meta: {} },
  ];
  const dest = (ip: string, meta: Record<string, unknown> = {}) => boundName(path('/#/io.l5d.k8s/default/http/world'), path('/rest'), boundAddr([{ ip, port: 8888, meta }]));

  it('replaces each address by the daemonset pod on its /24; the id gets /%/io.l5d.k8s.daemonset/<ns>/<port>/<svc>', () => {
    for (const [ip, expected] of [
      ['1.1.1.55', '1.1.1.1'],
      ['1.1.2.55', '1.1.2.1'],
      ['1.1.3.55', '1.1.3.1'],
    ] as const) {
      const b = daemonsetTransform(dest(ip), gateways, opts);
      assert.equal(showPath(b.id), '/%/io.l5d.k8s.daemonset/default/incoming/l5d/#/io.l5d.k8s/default/http/world');
      assert.equal(showPath(b.residual), '/rest');
      assert.deepEqual(b.addr, boundAddr([{ ip: expected, port: 4141, meta: {} }]));
    }
  });

  it('answers Addr.Neg when no daemonset pod is on the subnet (or there are none)', () => {
    assert.deepEqual(daemonsetTransform(dest('1.1.4.55'), gateways, opts).addr, { type: 'neg' });
    assert.deepEqual(daemonsetTransform(dest('1.1.1.55'), [], opts).addr, { type: 'neg' });
  });

  it('with hostNetwork matches the nodeName metadata (two without one match, as in Linkerd)', () => {
    const gw = ['7.7.7.1', '7.7.7.2', '7.7.7.3'].map((n) => ({ ip: n, port: 4141, meta: { nodeName: n } }));
    const b = daemonsetTransform(dest('1.1.1.55', { nodeName: '7.7.7.2' }), gw, { ...opts, hostNetwork: true });
    assert.deepEqual(b.addr, boundAddr([{ ip: '7.7.7.2', port: 4141, meta: { nodeName: '7.7.7.2' } }]));
    assert.deepEqual(daemonsetTransform(dest('1.1.1.55'), [{ ip: '9.9.9.9', port: 4141, meta: {} }], { ...opts, hostNetwork: true }).addr, boundAddr([{ ip: '9.9.9.9', port: 4141, meta: {} }]));
  });

  it('keeps addrs that are not bound, and honours a configured prefix', () => {
    const pending = boundName(path('/#/io.l5d.k8s/a/b/c'), [], { type: 'pending' });
    const b = daemonsetTransform(pending, gateways, { ...opts, prefix: '/ds' });
    assert.equal(showPath(b.id), '/%/ds/#/io.l5d.k8s/a/b/c');
    assert.deepEqual(b.addr, { type: 'pending' });
    assert.equal(showPath(daemonsetPrefix(opts)), '/%/io.l5d.k8s.daemonset/default/incoming/l5d');
  });

  it('finds the daemonset pods with the io.l5d.k8s rules', async () => {
    const src = new MemSource([eps('linkerd', 'l5d', [{ addresses: [addr('10.1.1.200', 'node-a', 'l5d-x', 'linkerd'), addr('10.1.2.200', 'node-b', 'l5d-y', 'linkerd')], ports: [{ name: 'incoming', port: 4141 }] }])], []);
    const gw = daemonsetGateways(src, { namespace: 'linkerd', port: 'INCOMING', service: 'l5d' });
    assert.deepEqual(gw, [
      { ip: '10.1.1.200', port: 4141, meta: { nodeName: 'node-a' } },
      { ip: '10.1.2.200', port: 4141, meta: { nodeName: 'node-b' } },
    ]);
    // Through the namer, the world's hello goes to the linkerd on its node's subnet.
    const hello = k8sInterp().bindSync(dtab(''), path('/#/io.l5d.k8s/default/http/hello'));
    assert.equal(hello.type, 'leaf');
    if (hello.type !== 'leaf') return;
    const t = daemonsetTransform(hello.value, gw as never, { namespace: 'linkerd', port: 'incoming', service: 'l5d' });
    assert.deepEqual(t.addr, boundAddr([
      { ip: '10.1.1.200', port: 4141, meta: { nodeName: 'node-a' } },
    ]));
    assert.deepEqual(await daemonsetGateways(new MemSource([], [], true), opts), []);
    assert.deepEqual(boundAddresses(k8sNamer(K8S, source).lookup(path('/default/http/world-v1')) as never), [{ ip: '10.1.2.1', port: 7778, meta: { nodeName: 'node-a' } }]);
  });
});

describe('io.l5d.k8s.localnode', () => {
  const b = boundName(
    path('/#/io.l5d.k8s/default/http/hello'),
    path('/x'),
    boundAddr([
      { ip: '1.1.1.2', port: 8888, meta: { nodeName: '7.7.7.7' } },
      { ip: '1.1.1.3', port: 8888, meta: { nodeName: '7.7.7.7' } },
      { ip: '1.1.2.2', port: 8888, meta: { nodeName: '7.7.7.8' } },
      { ip: '1.1.2.3', port: 8888, meta: {} },
    ]),
  );

  it('keeps the addresses on the /24 of POD_IP; id /%/io.l5d.k8s.localnode/<POD_IP> + the id', () => {
    const t = localnodeTransform(b, { podIp: '1.1.1.1' });
    assert.equal(showPath(t.id), '/%/io.l5d.k8s.localnode/1.1.1.1/#/io.l5d.k8s/default/http/hello');
    assert.equal(showPath(t.residual), '/x');
    assert.deepEqual(t.addr, boundAddr([
      { ip: '1.1.1.2', port: 8888, meta: { nodeName: '7.7.7.7' } },
      { ip: '1.1.1.3', port: 8888, meta: { nodeName: '7.7.7.7' } },
    ]));
  });

  it('with hostNetwork keeps the addresses whose nodeName is NODE_NAME', () => {
    const t = localnodeTransform(b, { hostNetwork: true, nodeName: '7.7.7.8' });
    assert.equal(showPath(t.id), '/%/io.l5d.k8s.localnode/7.7.7.8/#/io.l5d.k8s/default/http/hello');
    assert.deepEqual(t.addr, boundAddr([{ ip: '1.1.2.2', port: 8888, meta: { nodeName: '7.7.7.8' } }]));
  });

  it('none left → Addr.Neg; other addrs kept; missing env → Linkerd’s message', () => {
    assert.deepEqual(localnodeTransform(b, { podIp: '10.0.0.1' }).addr, { type: 'neg' });
    assert.deepEqual(localnodeTransform(b, { podIp: 'fd00::1' }).addr, { type: 'neg' });
    const failed = boundName(path('/#/x'), [], { type: 'failed', cause: 'boom' });
    assert.deepEqual(localnodeTransform(failed, { podIp: '1.1.1.1', prefix: '/local' }), { ...failed, id: path('/%/local/1.1.1.1/#/x') });
    assert.throws(() => localnodeTransform(b, {}), /^Error: POD_IP env variable must be set to the pod's IP$/);
    assert.throws(() => localnodeTransform(b, { hostNetwork: true }), /^Error: NODE_NAME env variable must be set to the node's name$/);
  });
});

describe('IP literals as Java reads them', () => {
  it('parses, prints and compares subnets', () => {
    assert.equal(javaHostAddress('10.1.1.1'), '10.1.1.1');
    assert.equal(javaHostAddress('127.1'), '127.0.0.1');
    assert.equal(javaHostAddress('::1'), '0:0:0:0:0:0:0:1');
    assert.equal(javaHostAddress('FD00::0A:1'), 'fd00:0:0:0:0:0:a:1');
    assert.equal(javaHostAddress('::ffff:10.0.0.1'), '10.0.0.1');
    assert.equal(javaHostAddress('fe80::1%eth0'), 'fe80:0:0:0:0:0:0:1%eth0');
    assert.equal(javaHostAddress('not-an-ip'), 'not-an-ip');
    assert.equal(javaHostAddress('1:2:3:4:5:6:7:8:9'), '1:2:3:4:5:6:7:8:9');
    assert.deepEqual(ipBytes('::ffff:1.2.3.4'), [1, 2, 3, 4]);
    assert.equal(ipBytes('1::2::3'), undefined);
    assert.equal(sameSubnet('10.0.0.1', '10.0.0.254'), true);
    assert.equal(sameSubnet('10.0.0.1', '10.0.1.1'), false);
    assert.equal(sameSubnet('fd00::1', 'fd00::2'), false);
    assert.equal(sameSubnet('host', 'host'), false);
  });
});
