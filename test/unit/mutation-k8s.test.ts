// Exact-value tests for core/k8s/*.ts and core/namers/*.ts, written so that a one-token change
// (an operator, a string, a condition, a literal, a branch) of the code makes one of them fail:
// whole return values, exact messages and offsets, every branch and its boundary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipBytes, javaHostAddress, sameSubnet } from '../../core/k8s/ip.js';
import { k8sCandidates, k8sCursorSegment, k8sPathProblems, k8sSegmentRoles, type K8sCursor, type K8sPathProblem, type K8sPathShape } from '../../core/k8s/paths.js';
import {
  endpointAddresses,
  endpointsState,
  externalState,
  K8S_NAMER_KINDS,
  k8sExternalNamer,
  k8sNamer,
  k8sNsEnvVar,
  k8sNsNamer,
  lookupEndpoints,
  lookupExternal,
  lookupNamedPort,
  lookupNumberedPort,
  registerK8sNamers,
  selected,
  servicePortMappings,
} from '../../core/k8s/namers.js';
import { parseSnapshot, snapshotSource, snapshotText, SnapshotError } from '../../core/k8s/snapshot.js';
import { boundAddresses, daemonsetGateways, daemonsetPrefix, daemonsetTransform, localnodePrefix, localnodeTransform } from '../../core/k8s/transformers.js';
import type { Endpoints, K8sSource, Service, SourceStatus } from '../../core/k8s/types.js';
import { fsNamer, parseAddressFile } from '../../core/namers/fs.js';
import { NamerRegistry, type NamerSpec } from '../../core/delegate/namer-registry.js';
import { NamingError } from '../../core/delegate/errors.js';
import type { InetResolver } from '../../core/delegate/system-namers.js';
import { boundAddr, boundName, pathName, type Addr, type Address, type Name } from '../../core/model/names.js';
import { alt, leaf, NEG, union, type NameTree } from '../../core/model/nametree.js';
import type { Path } from '../../core/model/path.js';
import { path } from '../support/dtab.js';

// ---- fixtures ----------------------------------------------------------------------------------

type State = SourceStatus['state'];

function ep(namespace: string, name: string, subsets: unknown, labels?: Record<string, string>): Endpoints {
  return { kind: 'Endpoints', metadata: { name, namespace, ...(labels ? { labels } : {}) }, subsets } as Endpoints;
}

function sv(namespace: string, name: string, ports: unknown[], opts: { ingress?: unknown[]; labels?: Record<string, string> } = {}): Service {
  return {
    kind: 'Service',
    metadata: { name, namespace, ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: { ports },
    status: { loadBalancer: opts.ingress ? { ingress: opts.ingress } : {} },
  } as Service;
}

interface MemOpts {
  readonly eps?: readonly Endpoints[];
  readonly svcs?: readonly Service[];
  readonly state?: (ns?: string) => State;
  readonly namespaces?: readonly string[];
  readonly lateEps?: boolean | ((name: string) => boolean);
  readonly lateSvc?: boolean | ((name: string) => boolean);
}

/** An in-memory source that records what it is asked. */
class Mem implements K8sSource {
  readonly calls: string[] = [];
  constructor(readonly o: MemOpts = {}) {}
  private all(): (Endpoints | Service)[] {
    return [...(this.o.eps ?? []), ...(this.o.svcs ?? [])];
  }
  private find<T extends Endpoints | Service>(list: readonly T[] | undefined, ns: string, name: string, late: MemOpts['lateEps']): T | undefined | Promise<T | undefined> {
    const found = (list ?? []).find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
    const l = typeof late === 'function' ? late(name) : late === true;
    return l ? Promise.resolve(found) : found;
  }
  endpoints(ns: string, name: string) {
    this.calls.push(`endpoints ${ns}/${name}`);
    return this.find(this.o.eps, ns, name, this.o.lateEps);
  }
  service(ns: string, name: string) {
    this.calls.push(`service ${ns}/${name}`);
    return this.find(this.o.svcs, ns, name, this.o.lateSvc);
  }
  namespaces(): readonly string[] {
    return this.o.namespaces ?? [...new Set(this.all().map((o) => o.metadata!.namespace!))].sort();
  }
  services(ns: string): readonly string[] {
    return [...new Set(this.all().filter((o) => o.metadata?.namespace === ns).map((o) => o.metadata!.name!))].sort();
  }
  status(ns?: string): SourceStatus {
    return { source: 'mem', state: this.o.state?.(ns) ?? 'live' };
  }
}

const a = (ip: string, port: number, meta: Record<string, unknown> = {}): Address => ({ ip, port, meta });
const zeros = (n: number) => new Array<number>(n).fill(0);

function sync<T>(r: T | Promise<T>): T {
  assert.ok(!(r instanceof Promise), 'expected an answer at once');
  return r;
}

async function later<T>(r: T | Promise<T>): Promise<T> {
  assert.ok(r instanceof Promise, 'expected a promise');
  return r;
}

// ---- ip.ts ------------------------------------------------------------------------------------------

describe('ip.ts', () => {
  it('ipBytes: IPv4 in Java forms, IPv6, IPv4-mapped as 4 bytes, and nothing else', () => {
    assert.deepEqual(ipBytes('10.1.2.3'), [10, 1, 2, 3]);
    assert.deepEqual(ipBytes('127.1'), [127, 0, 0, 1]);
    assert.deepEqual(ipBytes('::ffff:1.2.3.4'), [1, 2, 3, 4]);
    assert.deepEqual(ipBytes('::FFFF:a00:1'), [10, 0, 0, 1]);
    assert.deepEqual(ipBytes('::fffe:1.2.3.4'), [...zeros(10), 0xff, 0xfe, 1, 2, 3, 4]);
    assert.deepEqual(ipBytes('::feff:1.2.3.4'), [...zeros(10), 0xfe, 0xff, 1, 2, 3, 4]);
    assert.deepEqual(ipBytes('1::ffff:1.2.3.4'), [0, 1, ...zeros(8), 0xff, 0xff, 1, 2, 3, 4]);
    assert.deepEqual(ipBytes('::1:ffff:1.2.3.4'), [...zeros(8), 0, 1, 0xff, 0xff, 1, 2, 3, 4]);
    assert.deepEqual(ipBytes('::1'), [...zeros(15), 1]);
    assert.deepEqual(ipBytes('1234:5678::9abc'), [0x12, 0x34, 0x56, 0x78, ...zeros(10), 0x9a, 0xbc]);
    assert.equal(ipBytes('host'), undefined);
    assert.equal(ipBytes('1::2::3'), undefined);
    assert.equal(ipBytes('fe80::1%'), undefined);
    assert.equal(ipBytes(''), undefined);
  });

  it('javaHostAddress: IPv4 as dotted decimal, IPv6 as eight hex groups, anything else as given', () => {
    const cases: [string, string][] = [
      ['10.1.2.3', '10.1.2.3'],
      ['127.1', '127.0.0.1'],
      ['2130706433', '127.0.0.1'],
      ['not-an-ip', 'not-an-ip'],
      ['', ''],
      ['::', '0:0:0:0:0:0:0:0'],
      ['::1', '0:0:0:0:0:0:0:1'],
      ['1::', '1:0:0:0:0:0:0:0'],
      ['1::2', '1:0:0:0:0:0:0:2'],
      ['1234:5678:9abc:def0:1:2:3:4', '1234:5678:9abc:def0:1:2:3:4'],
      ['ABCD:EF01::', 'abcd:ef01:0:0:0:0:0:0'],
      ['0001:00a0::0', '1:a0:0:0:0:0:0:0'],
      ['::1234', '0:0:0:0:0:0:0:1234'],
      ['::abcd', '0:0:0:0:0:0:0:abcd'],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
      ['::1:2:3:4:5:6:7', '0:1:2:3:4:5:6:7'],
      ['1:2::7:8', '1:2:0:0:0:0:7:8'],
      ['1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7::8'],
      ['1:2:3:4:5:6:7', '1:2:3:4:5:6:7'],
      ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
      ['1::2::3', '1::2::3'],
      ['::12345', '::12345'],
      ['::g', '::g'],
      ['::x1', '::x1'],
      ['g::1', 'g::1'],
      [':1::', ':1::'],
      ['1:::2', '1:::2'],
      // IPv4 inside IPv6: mapped (::ffff:…) is IPv4, anything else stays IPv6.
      ['::ffff:1.2.3.4', '1.2.3.4'],
      ['::ffff:192.168.100.255', '192.168.100.255'],
      ['::ffff:1.2.3.256', '::ffff:1.2.3.256'],
      ['::ffff:1.2.3.4%eth0', '1.2.3.4'],
      ['::1.2.3.4', '0:0:0:0:0:0:102:304'],
      ['::10.20.30.40', '0:0:0:0:0:0:a14:1e28'],
      ['::fffe:1.2.3.4', '0:0:0:0:0:fffe:102:304'],
      ['::feff:1.2.3.4', '0:0:0:0:0:feff:102:304'],
      ['1::ffff:1.2.3.4', '1:0:0:0:0:ffff:102:304'],
      ['::1:ffff:1.2.3.4', '0:0:0:0:1:ffff:102:304'],
      ['1.2.3.4:1::', '1.2.3.4:1::'],
      // Dotted IPv4 only at the very end: not just before `::` (Java rejects these).
      ['1.2.3.4::', '1.2.3.4::'],
      ['1.2.3.4::5', '1.2.3.4::5'],
      ['1:1.2.3.4::', '1:1.2.3.4::'],
      ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
      ['::1.2.3.4.5', '::1.2.3.4.5'],
      ['::1.2.3', '::1.2.3'],
      ['::a1.2.3.4', '::a1.2.3.4'],
      // Scopes and brackets.
      ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1%eth0'],
      ['fe80::1%', 'fe80::1%'],
      ['%eth0', '%eth0'],
      ['[::1]', '0:0:0:0:0:0:0:1'],
      ['[1::2', '[1::2'],
      ['1::2]', '1::2]'],
    ];
    for (const [text, expected] of cases) assert.equal(javaHostAddress(text), expected, text);
  });

  it('sameSubnet: the /24 by default, other masks, never across families or for host names', () => {
    assert.equal(sameSubnet('10.0.0.1', '10.0.0.254'), true);
    assert.equal(sameSubnet('10.0.0.1', '10.0.0.1'), true);
    assert.equal(sameSubnet('10.0.0.1', '10.0.1.1'), false);
    assert.equal(sameSubnet('10.0.0.1', '10.1.0.1'), false);
    assert.equal(sameSubnet('10.0.0.1', '11.0.0.1'), false);
    assert.equal(sameSubnet('::ffff:10.0.0.1', '10.0.0.9'), true);
    assert.equal(sameSubnet('host', '10.0.0.1'), false);
    assert.equal(sameSubnet('10.0.0.1', 'host'), false);
    assert.equal(sameSubnet('host', 'host'), false);
    // a00:: starts with the bytes 10.0.0: still another family.
    assert.equal(sameSubnet('a00::1', '10.0.0.5'), false);
    assert.equal(sameSubnet('10.0.0.5', 'a00::1'), false);
    assert.equal(sameSubnet('fd00::1', 'fd00::2'), false);
    assert.equal(sameSubnet('10.0.1.1', '10.0.2.1', [255, 255, 0, 0]), true);
    assert.equal(sameSubnet('10.1.1.1', '10.2.1.1', [255, 255, 0, 0]), false);
    assert.equal(sameSubnet('10.0.0.1', '10.0.0.2', [255, 255, 255, 255]), false);
    assert.equal(sameSubnet('1.2.3.4', '5.6.7.8', [0, 0, 0, 0]), true);
    const v6mask = [...new Array<number>(15).fill(255), 0];
    assert.equal(sameSubnet('fd00::1', 'fd00::2', v6mask), true);
    assert.equal(sameSubnet('fd00::1', 'fd01::1', v6mask), false);
    assert.equal(sameSubnet('fd00::1:1', 'fd00::2:1', v6mask), false);
  });
});

// ---- paths.ts -------------------------------------------------------------------------------------

describe('paths.ts: segment roles and the cursor', () => {
  it('k8sSegmentRoles for each kind, with and without a label selector', () => {
    assert.deepEqual(k8sSegmentRoles(), ['namespace', 'port', 'service']);
    assert.deepEqual(k8sSegmentRoles({ kind: 'io.l5d.k8s' }), ['namespace', 'port', 'service']);
    assert.deepEqual(k8sSegmentRoles({ kind: 'io.l5d.k8s.external' }), ['namespace', 'port', 'service']);
    assert.deepEqual(k8sSegmentRoles({ kind: 'io.l5d.k8s.ns' }), ['port', 'service']);
    assert.deepEqual(k8sSegmentRoles({ kind: 'io.l5d.k8s.ns', labelSelector: 'v' }), ['port', 'service', 'labelValue']);
    assert.deepEqual(k8sSegmentRoles({ labelSelector: '' }), ['namespace', 'port', 'service', 'labelValue']);
  });

  it('gives the segment, its span (ends included), its text as written and the others lower-cased', () => {
    const text = '/#/io.l5d.k8s/Default/HTTP/World/rest';
    const c = (offset: number) => k8sCursorSegment(text, offset);
    const ns = { role: 'namespace', index: 2, start: 14, end: 21, text: 'Default', port: 'http', service: 'world' };
    const port = { role: 'port', index: 3, start: 22, end: 26, text: 'HTTP', namespace: 'default', service: 'world' };
    const service = { role: 'service', index: 4, start: 27, end: 32, text: 'World', namespace: 'default', port: 'http' };
    assert.deepEqual(c(14), ns);
    assert.deepEqual(c(21), ns);
    assert.deepEqual(c(22), port);
    assert.deepEqual(c(26), port);
    assert.deepEqual(c(27), service);
    assert.deepEqual(c(32), service);
    assert.equal(c(33), undefined);
    assert.equal(c(37), undefined);
    assert.equal(c(38), undefined);
    assert.equal(c(13), undefined);
    assert.equal(c(3), undefined);
    assert.equal(c(0), undefined);
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/default/http/wo', 29), { role: 'service', index: 4, start: 27, end: 29, text: 'wo', namespace: 'default', port: 'http' });
  });

  it('leaves out segments not written yet, or empty', () => {
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/', 14), { role: 'namespace', index: 2, start: 14, end: 14, text: '' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/default', 16), { role: 'namespace', index: 2, start: 14, end: 21, text: 'default' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/default//World', 22), { role: 'port', index: 3, start: 22, end: 22, text: '', namespace: 'default', service: 'world' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/default//World', 14), { role: 'namespace', index: 2, start: 14, end: 21, text: 'default', service: 'world' });
    assert.equal(k8sCursorSegment('/#', 2), undefined);
    assert.equal(k8sCursorSegment('/#/io.l5d.k8s', 13), undefined);
    assert.equal(k8sCursorSegment('#/io.l5d.k8s/x', 13), undefined);
    assert.equal(k8sCursorSegment('/#/IO.L5D.K8S/x', 15), undefined);
    assert.equal(k8sCursorSegment('/#/io.l5d.k8s.ns/x', 18), undefined);
  });

  it('other prefixes and kinds, label values, escapes', () => {
    assert.deepEqual(k8sCursorSegment('/default', 1, { prefix: '/' }), { role: 'namespace', index: 0, start: 1, end: 8, text: 'default' });
    assert.equal(k8sCursorSegment('/default', 0, { prefix: '/' }), undefined);
    assert.deepEqual(k8sCursorSegment('/#/k8s/prod/x', 9, { prefix: '/#/k8s/' }), { role: 'namespace', index: 2, start: 7, end: 11, text: 'prod', port: 'x' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s.external/a/b', 23, { kind: 'io.l5d.k8s.external' }), { role: 'namespace', index: 2, start: 23, end: 24, text: 'a', port: 'b' });
    const ns: K8sPathShape = { kind: 'io.l5d.k8s.ns', namespace: 'Prod' };
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s.ns/HTTP/World', 25, ns), { role: 'service', index: 3, start: 22, end: 27, text: 'World', namespace: 'Prod', port: 'http' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s.ns/HTTP/World', 17, ns), { role: 'port', index: 2, start: 17, end: 21, text: 'HTTP', namespace: 'Prod', service: 'world' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s.ns/HTTP/World', 17, { kind: 'io.l5d.k8s.ns' }), { role: 'port', index: 2, start: 17, end: 21, text: 'HTTP', service: 'world' });
    assert.equal(k8sCursorSegment('/#/io.l5d.k8s.ns/HTTP/World/x', 28, ns), undefined);
    const lbl = '/#/io.l5d.k8s/default/http/world/V1/x';
    assert.deepEqual(k8sCursorSegment(lbl, 34, { labelSelector: 'version' }), { role: 'labelValue', index: 5, start: 33, end: 35, text: 'V1', namespace: 'default', port: 'http', service: 'world' });
    assert.equal(k8sCursorSegment(lbl, 36, { labelSelector: 'version' }), undefined);
    assert.equal(k8sCursorSegment(lbl, 34), undefined);
    // Escapes are decoded, in the prefix and in the segments; a bad escape is kept as written.
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8\\x73/DE\\x46AULT/', 28), { role: 'port', index: 3, start: 28, end: 28, text: '', namespace: 'default' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/A\\q/', 18), { role: 'port', index: 3, start: 18, end: 18, text: '', namespace: 'a\\q' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/A\\q', 15), { role: 'namespace', index: 2, start: 14, end: 17, text: 'A\\q' });
    assert.deepEqual(k8sCursorSegment('/#/io.l5d.k8s/\\x41', 15), { role: 'namespace', index: 2, start: 14, end: 18, text: 'A' });
  });
});

describe('paths.ts: candidates', () => {
  const world = ep('default', 'world', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9990 }] }]);
  const hello = ep('default', 'hello', [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'metrics', port: 9100 }, { name: 'http', port: 7777 }] }]);
  const slow = ep('default', 'slow', [{ addresses: [{ ip: '10.0.0.3' }], ports: [{ name: 'slowport', port: 1 }] }]);
  const worldSvc = sv('default', 'world', [
    { name: 'admin', port: 9990 },
    { name: 'http', port: 80 },
    { name: 'https', port: 443 },
    { port: 8443 },
    { name: 'dup', port: 80 },
  ]);
  const edge = sv('default', 'edge', [{ name: 'https', port: 443 }, { name: 'admin', port: 9990 }, { port: 80 }], { ingress: [{ ip: '35.0.0.1' }] });
  const nospec = { kind: 'Service', metadata: { name: 'nospec', namespace: 'default' } } as Service;
  const src = new Mem({ eps: [world, hello, slow], svcs: [worldSvc, edge, nospec], lateEps: (n) => n === 'slow', namespaces: ['kube-system', 'default'] });
  const cur = (role: K8sCursor['role'], extra: Partial<K8sCursor> = {}): K8sCursor => ({ role, index: 0, start: 0, end: 0, text: '', ...extra });

  it('namespaces and services as the source lists them; nothing without a namespace or for label values', () => {
    assert.deepEqual(k8sCandidates(cur('namespace'), src), ['kube-system', 'default']);
    assert.deepEqual(k8sCandidates(cur('service', { namespace: 'default' }), src), ['edge', 'hello', 'nospec', 'slow', 'world']);
    assert.deepEqual(k8sCandidates(cur('service'), src), []);
    assert.deepEqual(k8sCandidates(cur('port'), src), []);
    assert.deepEqual(k8sCandidates(cur('labelValue', { namespace: 'default', service: 'world' }), src), []);
  });

  it('ports: endpoint port names sorted, then the Service port numbers in numeric order', () => {
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'world' }), src), ['admin', 'http', '80', '443', '8443', '9990']);
    // Before the service is written: the port names of every service there (not yet fetched: left out), no numbers.
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default' }), src), ['admin', 'http', 'metrics']);
    // Endpoints still being fetched: left out; no Service object, or one without spec: no numbers.
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'slow' }), src), []);
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'hello' }), src), ['http', 'metrics']);
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'nospec' }), src), []);
    const lateSvc = new Mem({ eps: [world], svcs: [worldSvc], lateSvc: true });
    // A source that answers for any namespace: still nothing without one.
    const anyNs: K8sSource = { endpoints: () => world, service: () => worldSvc, namespaces: () => ['default'], services: () => ['world'], status: () => ({ source: 'any', state: 'live' }) };
    assert.deepEqual(k8sCandidates(cur('port', { service: 'world' }), anyNs), []);
    assert.deepEqual(k8sCandidates(cur('port'), anyNs), []);
    assert.deepEqual(k8sCandidates(cur('service'), anyNs), []);
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'x', service: 'world' }), anyNs), ['admin', 'http', '80', '443', '8443', '9990']);
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'world' }), lateSvc), ['admin', 'http']);
  });

  it('io.l5d.k8s.external: the Service port names and numbers, no Endpoints', () => {
    const ext: K8sPathShape = { kind: 'io.l5d.k8s.external' };
    const counting = new Mem({ eps: [world], svcs: [worldSvc, edge] });
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'edge' }), counting, ext), ['admin', 'https', '80', '443', '9990']);
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default', service: 'world' }), counting, ext), ['admin', 'dup', 'http', 'https', '80', '443', '8443', '9990']);
    assert.deepEqual(k8sCandidates(cur('port', { namespace: 'default' }), counting, ext), []);
    assert.deepEqual(counting.calls, ['service default/edge', 'service default/world']);
  });
});

describe('paths.ts: problems', () => {
  const world = ep('default', 'world', [{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-1' }], ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9990 }] }], { version: 'v1' });
  const starting = ep('default', 'starting', [
    { notReadyAddresses: [{ ip: '10.0.1.1' }, { ip: '10.0.1.2' }], ports: [{ name: 'http', port: 8080 }] },
    { addresses: [], notReadyAddresses: [{ ip: '10.0.1.3' }] },
    { ports: [{ name: 'http', port: 8080 }] },
  ]);
  const idle = ep('default', 'idle', null);
  const pending = ep('default', 'pending', [{ notReadyAddresses: [{ ip: '10.0.2.1' }] }]);
  const unnamed = ep('default', 'unnamed', [{ addresses: [{ ip: '10.0.3.1' }], ports: [{ port: 80 }] }]);
  const onlyeps = ep('default', 'onlyeps', [{ addresses: [{ ip: '10.0.4.1' }], ports: [{ name: 'http', port: 80 }] }]);
  const lbl = ep('default', 'lbl', [{ addresses: [{ ip: '10.0.5.1' }], ports: [{ name: 'http', port: 80 }] }], { version: 'v1' });
  const worldSvc = sv('default', 'world', [
    { name: 'http', port: 80, targetPort: 'http' },
    { name: 'grpc', port: 81, targetPort: 'grpc' },
    { name: 'raw', port: 82, targetPort: 8080 },
    { name: 'admin', port: 9990 },
  ], { labels: { version: 'v1' } });
  const startingSvc = sv('default', 'starting', [{ name: 'http', port: 80, targetPort: 'http' }]);
  const idleSvc = sv('default', 'idle', [{ name: 'http', port: 80 }]);
  const onlysvc = sv('default', 'onlysvc', [{ name: 'http', port: 80 }]);
  const lblSvc = sv('default', 'lbl', [{ name: 'http', port: 80 }]);
  const edge = sv('default', 'edge', [{ name: 'https', port: 443, targetPort: 8443 }, { name: 'admin', port: 9990, targetPort: 'admin' }, { port: 8080 }], { ingress: [{ ip: '35.0.0.1' }], labels: { track: 'Blue' } });
  const inside = sv('default', 'inside', [{ name: 'http', port: 80 }]);
  const unnamedSvc = sv('default', 'unnamed', [{ port: 80 }]);
  const EPS = [world, starting, idle, pending, unnamed, onlyeps, lbl];
  const SVCS = [worldSvc, startingSvc, idleSvc, onlysvc, lblSvc, edge, inside, unnamedSvc];
  const src = new Mem({ eps: EPS, svcs: SVCS, namespaces: ['default', 'kube-system'] });
  const problems = (p: string, shape: K8sPathShape = {}, source: K8sSource = src): K8sPathProblem[] => sync(k8sPathProblems(path(p), source, shape));
  const pr = (code: string, index: number, role: string, message: string, binds: string, suggestion?: string) => [
    { code, index, role, message, binds, ...(suggestion !== undefined ? { suggestion } : {}) },
  ];

  it('nothing for paths that bind or are not under the namer', () => {
    for (const p of ['/#/io.l5d.k8s/default/http/world', '/#/io.l5d.k8s/DEFAULT/HTTP/WORLD/x', '/#/io.l5d.k8s/default/80/world', '/#/io.l5d.k8s/default/82/world', '/#/io.l5d.k8s/default/9990/world', '/svc/x', '/#/other/a/b/c']) {
      assert.deepEqual(problems(p), [], p);
    }
  });

  it('short paths: the shape the namer needs, at the last element', () => {
    const tail = ': this path has too few segments';
    assert.deepEqual(problems('/#/io.l5d.k8s'), pr('k8s-short-path', 1, 'prefix', `io.l5d.k8s needs /#/io.l5d.k8s/<namespace>/<port>/<service>${tail}`, 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/world', { labelSelector: 'version' }), pr('k8s-short-path', 4, 'prefix', `io.l5d.k8s needs /#/io.l5d.k8s/<namespace>/<port>/<service>/<version value>${tail}`, 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http', { kind: 'io.l5d.k8s.ns', namespace: 'default' }), pr('k8s-short-path', 2, 'prefix', `io.l5d.k8s.ns needs /#/io.l5d.k8s.ns/<port>/<service>${tail}`, 'neg'));
    assert.deepEqual(problems('/default/http', { prefix: '/' }), pr('k8s-short-path', 1, 'prefix', `io.l5d.k8s needs /<namespace>/<port>/<service>${tail}`, 'neg'));
    assert.deepEqual(problems('/ext/default', { kind: 'io.l5d.k8s.external', prefix: '/ext/' }), pr('k8s-short-path', 1, 'prefix', `io.l5d.k8s.external needs /ext/<namespace>/<port>/<service>${tail}`, 'neg'));
  });

  it('io.l5d.k8s.ns: its namespace from the shape, or a failure when unset', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http/world', { kind: 'io.l5d.k8s.ns', namespace: 'default' }), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http/worl', { kind: 'io.l5d.k8s.ns', namespace: 'default' }), pr('k8s-no-service', 3, 'service', 'no service `worl` in namespace default (services: edge, idle, inside, lbl, onlyeps, onlysvc, pending, starting, unnamed, world)', 'neg', 'world'));
    // The namespace of io.l5d.k8s.ns is not checked against the list.
    assert.deepEqual(problems('/#/io.l5d.k8s.ns/http/world', { kind: 'io.l5d.k8s.ns', namespace: 'prod' }), pr('k8s-no-service', 3, 'service', 'no service `world` in namespace prod (no services)', 'neg'));
    assert.deepEqual(problems('/#/k/http/world', { kind: 'io.l5d.k8s.ns', prefix: '/#/k' }), pr('k8s-namespace-unset', 1, 'prefix', 'io.l5d.k8s.ns reads its namespace from an environment variable that is not set here', 'fails'));
  });

  it('a missing namespace: the list (at most ten) and the closest name', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/Defualt/http/world'), pr('k8s-no-namespace', 2, 'namespace', 'no namespace `defualt` (namespaces: default, kube-system)', 'neg', 'default'));
    assert.deepEqual(problems('/#/io.l5d.k8s/zzzzzzzzzz/http/world'), pr('k8s-no-namespace', 2, 'namespace', 'no namespace `zzzzzzzzzz` (namespaces: default, kube-system)', 'neg'));
    const names = (n: number) => Array.from({ length: n }, (_, i) => `namespace-${String.fromCharCode(97 + i)}`);
    const ten = new Mem({ namespaces: names(10) });
    assert.deepEqual(problems('/#/io.l5d.k8s/zzz/http/world', {}, ten)[0]?.message, `no namespace \`zzz\` (namespaces: ${names(10).join(', ')})`);
    const eleven = new Mem({ namespaces: names(11) });
    assert.deepEqual(problems('/#/io.l5d.k8s/zzz/http/world', {}, eleven)[0]?.message, `no namespace \`zzz\` (namespaces: ${names(10).join(', ')}, … 1 more)`);
    const twelve = new Mem({ namespaces: names(12) });
    assert.deepEqual(problems('/#/io.l5d.k8s/zzz/http/world', {}, twelve)[0]?.message, `no namespace \`zzz\` (namespaces: ${names(10).join(', ')}, … 2 more)`);
    // No namespaces listed yet: no namespace check; the namespace has no services.
    assert.deepEqual(problems('/#/io.l5d.k8s/prod/http/world', {}, new Mem({})), pr('k8s-no-service', 4, 'service', 'no service `world` in namespace prod (no services)', 'neg'));
  });

  it('says nothing while the source cannot know (connecting, unreachable, unauthorized, forbidden)', () => {
    for (const state of ['connecting', 'unreachable', 'unauthorized', 'forbidden'] as const) {
      const s = new Mem({ eps: EPS, svcs: SVCS, state: () => state });
      assert.deepEqual(problems('/#/io.l5d.k8s/prod/http/world', {}, s), [], state);
      assert.deepEqual(problems('/#/io.l5d.k8s/default/http/nothere', {}, s), [], state);
      // The namespace's own state is asked after the namespace check.
      const nsOnly = new Mem({ eps: EPS, svcs: SVCS, state: (ns) => (ns === 'default' ? state : 'live') });
      assert.deepEqual(problems('/#/io.l5d.k8s/default/http/nothere', {}, nsOnly), [], state);
      assert.deepEqual(problems('/#/io.l5d.k8s/prod/http/world', {}, nsOnly).map((p) => p.code), ['k8s-no-namespace'], state);
      // The whole source unknowing, the namespace known: no namespace check, the service is checked.
      const globalOnly = new Mem({ eps: EPS, svcs: SVCS, state: (ns) => (ns === undefined ? state : 'live') });
      assert.deepEqual(problems('/#/io.l5d.k8s/prod/http/world', {}, globalOnly), pr('k8s-no-service', 4, 'service', 'no service `world` in namespace prod (no services)', 'neg'), state);
    }
    for (const state of ['live', 'stale', 'snapshot'] as const) {
      const s = new Mem({ eps: EPS, svcs: SVCS, state: () => state });
      assert.deepEqual(problems('/#/io.l5d.k8s/prod/http/world', {}, s).map((p) => p.code), ['k8s-no-namespace'], state);
    }
  });

  it('a missing service, with the closest name', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/Worl'), pr('k8s-no-service', 4, 'service', 'no service `worl` in namespace default (services: edge, idle, inside, lbl, onlyeps, onlysvc, pending, starting, unnamed, world)', 'neg', 'world'));
    assert.deepEqual(problems('/#/io.l5d.k8s/kube-system/http/world'), pr('k8s-no-service', 4, 'service', 'no service `world` in namespace kube-system (no services)', 'neg'));
  });

  it('named ports: missing (with the closest), no endpoints (~), no ready endpoints (empty)', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/htp/world'), pr('k8s-no-port', 3, 'port', 'no port named htp on service world (ports: http, admin)', 'neg', 'http'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/admin/starting'), pr('k8s-no-port', 3, 'port', 'no port named admin on service starting (ports: http)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/unnamed'), pr('k8s-no-port', 3, 'port', 'no port named http on service unnamed (no ports)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/idle'), pr('k8s-no-endpoints', 4, 'service', 'service idle has no endpoints: the namer answers ~', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/pending'), pr('k8s-no-endpoints', 4, 'service', 'service pending has no endpoints (1 not ready): the namer answers ~', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/onlysvc'), pr('k8s-no-endpoints', 4, 'service', 'service onlysvc has no Endpoints object: the namer answers ~', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/starting'), pr('k8s-no-ready-endpoints', 4, 'service', 'service starting has no ready endpoints (3 not ready): the name binds to an empty set and requests fail', 'empty'));
  });

  it('numeric ports: through the Service; targets by number or by endpoint port name', () => {
    assert.deepEqual(problems('/#/io.l5d.k8s/default/83/world'), pr('k8s-no-port', 3, 'port', 'no port 83 on service world (ports: 80, 81, 82, 9990)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/81/world'), pr('k8s-no-target-port', 3, 'port', 'port 81 of service world targets `grpc`, which no endpoint has (ports: http, admin)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/onlyeps'), pr('k8s-no-port', 3, 'port', 'no Service object `onlyeps` in namespace default: a port number is mapped through the Service', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/idle'), pr('k8s-no-ready-endpoints', 4, 'service', 'service idle has no ready endpoints: the name binds to an empty set and requests fail', 'empty'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/onlysvc'), pr('k8s-no-ready-endpoints', 4, 'service', 'service onlysvc has no ready endpoints: the name binds to an empty set and requests fail', 'empty'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/starting'), pr('k8s-no-ready-endpoints', 4, 'service', 'service starting has no ready endpoints (3 not ready): the name binds to an empty set and requests fail', 'empty'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/unnamed'), []);
  });

  it('reads the Service only for a numeric port, and only the Service for io.l5d.k8s.external', () => {
    const counting = new Mem({ eps: EPS, svcs: SVCS });
    problems('/#/io.l5d.k8s/default/http/world', {}, counting);
    assert.deepEqual(counting.calls, ['endpoints default/world']);
    problems('/#/io.l5d.k8s/default/80/world', {}, counting);
    assert.deepEqual(counting.calls, ['endpoints default/world', 'endpoints default/world', 'service default/world']);
    problems('/#/io.l5d.k8s.external/default/https/edge', { kind: 'io.l5d.k8s.external' }, counting);
    assert.deepEqual(counting.calls.slice(3), ['service default/edge']);
  });

  it('label selectors: the value lower-cased; an object without the label', () => {
    const sel: K8sPathShape = { labelSelector: 'version' };
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/world/V1', sel), []);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/world/v1', sel), []);
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/world/V2', sel), pr('k8s-no-label', 5, 'labelValue', 'the Endpoints world has no label version=v2', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/starting/v1', sel), pr('k8s-no-label', 5, 'labelValue', 'the Endpoints starting has no label version=v1', 'neg'));
    // No Endpoints object at all: not a label problem.
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/onlysvc/v1', sel), pr('k8s-no-endpoints', 4, 'service', 'service onlysvc has no Endpoints object: the namer answers ~', 'neg'));
    // The Endpoints have the label, the Service does not: the Service is absent for the namer.
    assert.deepEqual(problems('/#/io.l5d.k8s/default/80/lbl/v1', sel), pr('k8s-no-port', 3, 'port', 'no Service object `lbl` in namespace default: a port number is mapped through the Service', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s/default/http/lbl/v1', sel), []);
  });

  it('io.l5d.k8s.external: the Service, its ingress and its port names', () => {
    const ext: K8sPathShape = { kind: 'io.l5d.k8s.external' };
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/https/edge', ext), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/HTTPS/EDGE', ext), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/9990/edge', ext), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/443/edge', ext), pr('k8s-no-target-port', 3, 'port', 'port 443 of service edge targets `8443`, which is not the name of one of its ports (ports: https, admin): io.l5d.k8s.external looks the target up among port names', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/444/edge', ext), pr('k8s-no-port', 3, 'port', 'no port 444 on service edge (ports: 443, 9990, 8080)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/htps/edge', ext), pr('k8s-no-port', 3, 'port', 'no port named htps on service edge (ports: https, admin)', 'neg', 'https'));
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/zzzzzz/edge', ext), pr('k8s-no-port', 3, 'port', 'no port named zzzzzz on service edge (ports: https, admin)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/http/inside', ext), pr('k8s-no-ingress', 4, 'service', 'service inside has no load-balancer ingress (io.l5d.k8s.external binds only services with one)', 'neg'));
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/http/onlyeps', ext), pr('k8s-no-service', 4, 'service', 'no Service object `onlyeps` in namespace default (io.l5d.k8s.external reads the Service)', 'neg'));
    const sel: K8sPathShape = { kind: 'io.l5d.k8s.external', labelSelector: 'track' };
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/https/edge/Blue', sel), []);
    assert.deepEqual(problems('/#/io.l5d.k8s.external/default/https/edge/blue', sel), pr('k8s-no-label', 5, 'labelValue', 'the Service edge has no label track=blue', 'neg'));
  });

  it('waits for a source that answers later', async () => {
    const late = new Mem({ eps: EPS, svcs: SVCS, lateEps: true, lateSvc: true });
    assert.deepEqual(await later(k8sPathProblems(path('/#/io.l5d.k8s/default/81/world'), late)), pr('k8s-no-target-port', 3, 'port', 'port 81 of service world targets `grpc`, which no endpoint has (ports: http, admin)', 'neg'));
    assert.deepEqual(await later(k8sPathProblems(path('/#/io.l5d.k8s/default/htp/world'), late)), pr('k8s-no-port', 3, 'port', 'no port named htp on service world (ports: http, admin)', 'neg', 'http'));
    assert.deepEqual(await later(k8sPathProblems(path('/#/io.l5d.k8s.external/default/http/inside'), late, { kind: 'io.l5d.k8s.external' })), pr('k8s-no-ingress', 4, 'service', 'service inside has no load-balancer ingress (io.l5d.k8s.external binds only services with one)', 'neg'));
    const lateSvcOnly = new Mem({ eps: EPS, svcs: SVCS, lateSvc: true });
    assert.deepEqual(await later(k8sPathProblems(path('/#/io.l5d.k8s/default/83/world'), lateSvcOnly)), pr('k8s-no-port', 3, 'port', 'no port 83 on service world (ports: 80, 81, 82, 9990)', 'neg'));
  });
});

// ---- namers.ts ------------------------------------------------------------------------------------

describe('namers.ts: reading objects', () => {
  it('K8S_NAMER_KINDS', () => {
    assert.deepEqual(K8S_NAMER_KINDS, ['io.l5d.k8s', 'io.l5d.k8s.ns', 'io.l5d.k8s.external']);
  });

  it('selected: with a selector, only an object whose own label has that value', () => {
    const withLabel = ep('n', 'a', [], { version: 'v1' });
    const without = ep('n', 'a', []);
    const sel = { key: 'version', value: 'v1' };
    assert.equal(selected(withLabel, sel), withLabel);
    assert.equal(selected(withLabel, undefined), withLabel);
    assert.equal(selected(undefined, sel), undefined);
    assert.equal(selected(undefined, undefined), undefined);
    assert.equal(selected(withLabel, { key: 'version', value: 'V1' }), undefined);
    assert.equal(selected(withLabel, { key: 'track', value: 'v1' }), undefined);
    assert.equal(selected(without, sel), undefined);
    assert.equal(selected({ metadata: { labels: null } } as Endpoints, sel), undefined);
    assert.equal(selected({} as Endpoints, sel), undefined);
    const inherited = { metadata: { labels: Object.create({ version: 'v1' }) as Record<string, string> } } as Endpoints;
    assert.equal(selected(inherited, sel), undefined);
  });

  it('endpointsState: ready addresses as Java prints them, without duplicates; named TCP ports, the later subset winning', () => {
    const e = ep('n', 'e', [
      {
        addresses: [
          { ip: '10.0.0.1', nodeName: 'node-1' },
          { ip: '::ffff:10.0.0.1', nodeName: 'node-1' },
          { ip: '10.0.0.1' },
          { ip: '10.0.0.1', nodeName: '' },
          { ip: '10.0.0.1', nodeName: 'node-2' },
          { ip: '10.0.0.1', nodeName: '1x' },
          { ip: '10.0.0.11', nodeName: 'x' },
          { ip: 'FD00::1', nodeName: null },
          { ip: 'fd00:0::1' },
        ],
        notReadyAddresses: [{ ip: '10.9.9.9' }],
        ports: [
          { name: 'http', port: 8080 },
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'sctp', port: 9, protocol: 'SCTP' },
          { port: 1234, protocol: 'TCP' },
          { name: null, port: 1235 },
          { name: 'lower', port: 7000, protocol: 'tcp' },
          { name: 'nullproto', port: 7001, protocol: null },
        ],
      },
      { addresses: null, ports: null },
      { notReadyAddresses: [{ ip: '10.9.9.8' }] },
      { addresses: [{ ip: '10.0.0.3', nodeName: 'node-3' }], ports: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
    ]);
    const state = endpointsState(e);
    assert.deepEqual(state, {
      endpoints: [
        { ip: '10.0.0.1', nodeName: 'node-1' },
        { ip: '10.0.0.1' },
        { ip: '10.0.0.1', nodeName: '' },
        { ip: '10.0.0.1', nodeName: 'node-2' },
        { ip: '10.0.0.1', nodeName: '1x' },
        { ip: '10.0.0.11', nodeName: 'x' },
        { ip: 'fd00:0:0:0:0:0:0:1' },
        { ip: '10.0.0.3', nodeName: 'node-3' },
      ],
      ports: new Map([
        ['http', 8081],
        ['lower', 7000],
        ['nullproto', 7001],
      ]),
    });
    // Read once per object.
    assert.equal(endpointsState(e), state);
    assert.deepEqual(endpointsState(undefined), { endpoints: [], ports: new Map() });
    assert.deepEqual(endpointsState(ep('n', 'x', null)), { endpoints: [], ports: new Map() });
    assert.deepEqual(endpointsState({} as Endpoints), { endpoints: [], ports: new Map() });
  });

  it('endpointAddresses and lookupNamedPort: every endpoint at the port, nodeName as metadata; made once', () => {
    const state = endpointsState(ep('n', 'e', [{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-1' }, { ip: '10.0.0.2' }], ports: [{ name: 'http', port: 8080 }] }]));
    const at80 = endpointAddresses(state, 80);
    assert.deepEqual(at80, [a('10.0.0.1', 80, { nodeName: 'node-1' }), a('10.0.0.2', 80)]);
    assert.equal(endpointAddresses(state, 80), at80);
    assert.deepEqual(endpointAddresses(state, 81), [a('10.0.0.1', 81, { nodeName: 'node-1' }), a('10.0.0.2', 81)]);
    assert.equal(endpointAddresses(state, 80), at80);
    assert.deepEqual(lookupNamedPort(state, 'http'), [a('10.0.0.1', 8080, { nodeName: 'node-1' }), a('10.0.0.2', 8080)]);
    assert.equal(lookupNamedPort(state, 'http'), endpointAddresses(state, 8080));
    assert.equal(lookupNamedPort(state, 'admin'), undefined);
    assert.deepEqual(endpointAddresses(endpointsState(undefined), 80), []);
  });

  it('servicePortMappings: only with metadata, status and spec; targetPort as text, absent means the port', () => {
    const full = sv('n', 's', [{ port: 80, targetPort: 8080 }, { port: 81, targetPort: 'web' }, { port: 82 }, { port: 83, targetPort: null }, { port: 80, targetPort: 9090 }]);
    assert.deepEqual(servicePortMappings(full), new Map([[80, '9090'], [81, 'web'], [82, '82'], [83, '83']]));
    assert.deepEqual(servicePortMappings({ ...full, metadata: undefined }), new Map());
    assert.deepEqual(servicePortMappings({ ...full, status: undefined }), new Map());
    assert.deepEqual(servicePortMappings({ ...full, spec: undefined }), new Map());
    assert.deepEqual(servicePortMappings({ ...full, spec: { ports: null } }), new Map());
    assert.deepEqual(servicePortMappings({ metadata: {}, status: {}, spec: {} }), new Map());
    assert.deepEqual(servicePortMappings(undefined), new Map());
  });

  it('lookupNumberedPort: ~ for an unknown number, a numeric target at once, a named target among the ports', () => {
    const state = endpointsState(ep('n', 'e', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'web', port: 8080 }] }]));
    const m = new Map([[80, '9090'], [81, 'web'], [82, 'nope'], [83, '+90']]);
    assert.equal(lookupNumberedPort(state, m, 79), undefined);
    assert.deepEqual(lookupNumberedPort(state, m, 80), [a('10.0.0.1', 9090)]);
    assert.deepEqual(lookupNumberedPort(state, m, 81), [a('10.0.0.1', 8080)]);
    assert.equal(lookupNumberedPort(state, m, 82), undefined);
    assert.deepEqual(lookupNumberedPort(state, m, 83), [a('10.0.0.1', 90)]);
    assert.deepEqual(lookupNumberedPort(endpointsState(undefined), m, 80), []);
  });

  it('lookupEndpoints: at once, or later when either object comes later', async () => {
    const e = ep('n', 's', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 8080 }] }], { v: '1' });
    const s = sv('n', 's', [{ port: 80, targetPort: 'http' }, { port: 81 }], { labels: { v: '1' } });
    const want = [a('10.0.0.1', 8080)];
    for (const [lateEps, lateSvc] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const src = new Mem({ eps: [e], svcs: [s], lateEps, lateSvc });
      const numbered = lookupEndpoints(src, 'n', '80', 's');
      assert.deepEqual(lateEps || lateSvc ? await later(numbered) : sync(numbered), want);
      const named = lookupEndpoints(src, 'n', 'http', 's');
      assert.deepEqual(lateEps ? await later(named) : sync(named), want);
    }
    const src = new Mem({ eps: [e], svcs: [s] });
    assert.deepEqual(lookupEndpoints(src, 'n', '81', 's'), [a('10.0.0.1', 81)]);
    assert.deepEqual(lookupEndpoints(src, 'n', '81', 's', { key: 'v', value: '1' }), [a('10.0.0.1', 81)]);
    assert.equal(lookupEndpoints(src, 'n', '81', 's', { key: 'v', value: '2' }), undefined);
    assert.equal(lookupEndpoints(src, 'n', 'http', 's', { key: 'v', value: '2' }), undefined);
    assert.equal(lookupEndpoints(src, 'n', 'HTTP', 's'), undefined);
    assert.deepEqual(src.calls, ['endpoints n/s', 'service n/s', 'endpoints n/s', 'service n/s', 'endpoints n/s', 'service n/s', 'endpoints n/s', 'endpoints n/s']);
  });

  it('externalState: needs metadata.name, status.loadBalancer and spec; the last ingress host (hostname first)', () => {
    const s = sv('n', 's', [{ name: 'http', port: 80, targetPort: 8080 }, { port: 81 }, { name: 'admin', port: 9990, targetPort: 'admin' }, { name: 'x', port: 82, targetPort: null }], {
      ingress: [{ ip: '35.0.0.1' }, { hostname: 'lb.example.com', ip: '35.0.0.2' }, {}, { hostname: null, ip: null }],
    });
    assert.deepEqual(externalState(s), {
      ports: new Map([
        ['http', { host: 'lb.example.com', port: 80 }],
        ['admin', { host: 'lb.example.com', port: 9990 }],
        ['x', { host: 'lb.example.com', port: 82 }],
      ]),
      portMappings: new Map([[80, '8080'], [81, '81'], [9990, 'admin'], [82, '82']]),
    });
    assert.deepEqual(externalState(sv('n', 's', [{ name: 'http', port: 80 }], { ingress: [{ hostname: null, ip: '35.0.0.3' }, { ip: '35.0.0.4' }] })).ports, new Map([['http', { host: '35.0.0.4', port: 80 }]]));
    assert.deepEqual(externalState(sv('n', 's', [{ name: 'http', port: 80 }], { ingress: [{ ip: '35.0.0.3' }, { ip: null }] })).ports, new Map([['http', { host: '35.0.0.3', port: 80 }]]));
    // No ingress: port mappings but no ports.
    assert.deepEqual(externalState(sv('n', 's', [{ name: 'http', port: 80 }])), { ports: new Map(), portMappings: new Map([[80, '80']]) });
    const none = { ports: new Map(), portMappings: new Map() };
    assert.deepEqual(externalState(undefined), none);
    assert.deepEqual(externalState({ ...s, metadata: { namespace: 'n' } }), none);
    assert.deepEqual(externalState({ ...s, metadata: undefined }), none);
    assert.deepEqual(externalState({ ...s, status: { loadBalancer: null } }), none);
    assert.deepEqual(externalState({ ...s, status: undefined }), none);
    assert.deepEqual(externalState({ ...s, spec: undefined }), none);
    assert.deepEqual(externalState({ ...s, spec: { ports: null } }), none);
    assert.deepEqual(externalState({ ...s, status: { loadBalancer: { ingress: null } } }), { ports: new Map(), portMappings: new Map([[80, '8080'], [81, '81'], [9990, 'admin'], [82, '82']]) });
  });

  it('lookupExternal: a name directly, a number through its target, which must be a port name', () => {
    const st = {
      ports: new Map([
        ['http', { host: 'h', port: 80 }],
        ['8080', { host: 'h', port: 8080 }],
      ]),
      portMappings: new Map([[80, '8080'], [81, 'http'], [82, 'gone']]),
    };
    assert.deepEqual(lookupExternal(st, 'http'), { host: 'h', port: 80 });
    assert.equal(lookupExternal(st, 'grpc'), undefined);
    assert.deepEqual(lookupExternal(st, '80'), { host: 'h', port: 8080 });
    assert.deepEqual(lookupExternal(st, '81'), { host: 'h', port: 80 });
    assert.equal(lookupExternal(st, '82'), undefined);
    assert.equal(lookupExternal(st, '83'), undefined);
    assert.deepEqual(lookupExternal(st, '8080'), undefined);
  });
});

describe('namers.ts: the namers', () => {
  const hello = ep('default', 'hello', [{ addresses: [{ ip: '10.1.1.1', nodeName: 'node-a' }, { ip: '10.1.1.2' }], ports: [{ name: 'http', port: 7777 }] }], { version: 'v1' });
  const helloSvc = sv('default', 'hello', [{ name: 'http', port: 80, targetPort: 'http' }], { labels: { version: 'v1' } });
  const src = new Mem({ eps: [hello], svcs: [helloSvc] });
  const HELLO = [a('10.1.1.1', 7777, { nodeName: 'node-a' }), a('10.1.1.2', 7777)];
  const K8S: NamerSpec = { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: {} };
  const bound = (id: Path, residual: Path, addr: Addr): NameTree<Name> => leaf(boundName(id, residual, addr));

  it('io.l5d.k8s: the first three segments lower-cased make the id; the rest is the residual', () => {
    const n = k8sNamer(K8S, src);
    assert.deepEqual(n.lookup(['DEFAULT', 'Http', 'Hello', 'Rest', 'X']), bound(['#', 'io.l5d.k8s', 'default', 'http', 'hello'], ['Rest', 'X'], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['default', 'http', 'hello']), bound(['#', 'io.l5d.k8s', 'default', 'http', 'hello'], [], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['default', '80', 'hello']), bound(['#', 'io.l5d.k8s', 'default', '80', 'hello'], [], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['default', 'http']), NEG);
    assert.deepEqual(n.lookup([]), NEG);
    assert.deepEqual(n.lookup(['default', 'admin', 'hello']), NEG);
    // Non-ASCII segments are lower-cased as text and kept as UTF-8 bytes in the id.
    const caf = new Mem({ eps: [ep('d', 'café', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'p', port: 1 }] }])] });
    assert.deepEqual(k8sNamer(K8S, caf).lookup(path('/d/p/CAF\\xc3\\x89')), bound(['#', 'io.l5d.k8s', 'd', 'p', 'caf\xc3\xa9'], [], boundAddr([a('10.0.0.1', 1)])));
  });

  it('io.l5d.k8s: a configured prefix, and a label selector (a fourth, lower-cased segment)', () => {
    assert.deepEqual(k8sNamer({ ...K8S, prefix: '/k8s//x/' }, src).lookup(['default', 'http', 'hello']), bound(['k8s', 'x', 'default', 'http', 'hello'], [], boundAddr(HELLO)));
    const n = k8sNamer({ ...K8S, params: { labelSelector: 'version' } }, src);
    assert.deepEqual(n.lookup(['default', 'http', 'hello', 'V1', 'r']), bound(['#', 'io.l5d.k8s', 'default', 'http', 'hello', 'v1'], ['r'], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['default', '80', 'hello', 'v1']), bound(['#', 'io.l5d.k8s', 'default', '80', 'hello', 'v1'], [], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['default', 'http', 'hello', 'v2']), NEG);
    assert.deepEqual(n.lookup(['default', 'http', 'hello']), NEG);
    // A selector that is not a string is no selector.
    const odd = k8sNamer({ ...K8S, params: { labelSelector: 5 } }, src);
    assert.deepEqual(odd.lookup(['default', 'http', 'hello', 'v2']), bound(['#', 'io.l5d.k8s', 'default', 'http', 'hello'], ['v2'], boundAddr(HELLO)));
  });

  it('io.l5d.k8s: later when the source answers later', async () => {
    const n = k8sNamer(K8S, new Mem({ eps: [hello], svcs: [helloSvc], lateEps: true }));
    assert.deepEqual(await later(n.lookup(['default', 'http', 'hello'])), bound(['#', 'io.l5d.k8s', 'default', 'http', 'hello'], [], boundAddr(HELLO)));
    assert.deepEqual(await later(n.lookup(['default', 'http', 'nothere'])), NEG);
  });

  it('io.l5d.k8s.ns: two segments (three with a selector) in the given namespace; the env var', () => {
    const NS: NamerSpec = { kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns', params: {} };
    const n = k8sNsNamer(NS, src, 'default');
    assert.deepEqual(n.lookup(['HTTP', 'Hello', 'R']), bound(['#', 'io.l5d.k8s.ns', 'http', 'hello'], ['R'], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['http', 'hello']), bound(['#', 'io.l5d.k8s.ns', 'http', 'hello'], [], boundAddr(HELLO)));
    assert.deepEqual(n.lookup(['http']), NEG);
    assert.deepEqual(k8sNsNamer(NS, src, 'other').lookup(['http', 'hello']), NEG);
    const sel = k8sNsNamer({ ...NS, params: { labelSelector: 'version' } }, src, 'default');
    assert.deepEqual(sel.lookup(['http', 'hello', 'V1', 'r']), bound(['#', 'io.l5d.k8s.ns', 'http', 'hello', 'v1'], ['r'], boundAddr(HELLO)));
    assert.deepEqual(sel.lookup(['http', 'hello']), NEG);
    assert.equal(k8sNsEnvVar(NS), 'POD_NAMESPACE');
    assert.equal(k8sNsEnvVar({ ...NS, params: { envVar: 'MY_NS' } }), 'MY_NS');
    assert.equal(k8sNsEnvVar({ ...NS, params: { envVar: 7 } }), 'POD_NAMESPACE');
    const unset = (spec: NamerSpec, message: string) =>
      assert.throws(
        () => k8sNsNamer(spec, src, undefined).lookup(['http', 'hello']),
        (e: unknown) => e instanceof NamingError && e.message === message,
      );
    unset(NS, 'could not find namespace for envVar POD_NAMESPACE: io.l5d.k8s.ns (/#/io.l5d.k8s.ns) reads its namespace from the environment variable POD_NAMESPACE, which is not set');
    unset({ ...NS, prefix: '/#/ns', params: { envVar: 'MY_NS' } }, 'could not find namespace for envVar MY_NS: io.l5d.k8s.ns (/#/ns) reads its namespace from the environment variable MY_NS, which is not set');
  });

  describe('io.l5d.k8s.external', () => {
    const EXT: NamerSpec = { kind: 'io.l5d.k8s.external', prefix: '/#/io.l5d.k8s.external', params: {} };
    const l5d = sv('pub', 'l5d', [{ name: 'external', port: 80, targetPort: 8080 }, { name: 'admin', port: 9990, targetPort: 'admin' }], { ingress: [{ ip: '104.155.170.94' }], labels: { track: 'Blue' } });
    const named = sv('pub', 'named', [{ name: 'http', port: 80 }], { ingress: [{ hostname: 'lb.example.com' }] });
    const v6 = sv('pub', 'v6', [{ name: 'http', port: 80 }], { ingress: [{ ip: 'FD00::1' }] });
    const ext = new Mem({ svcs: [l5d, named, v6] });
    const ID = ['#', 'io.l5d.k8s.external'];

    it('one address, ingress host and service port; the id keeps the segments as written', () => {
      const n = k8sExternalNamer(EXT, ext);
      assert.deepEqual(n.lookup(['PuB', 'ExTeRnAl', 'L5D', 'rEsT']), bound([...ID, 'PuB', 'ExTeRnAl', 'L5D'], ['rEsT'], boundAddr([a('104.155.170.94', 80)])));
      assert.deepEqual(ext.calls, ['service pub/l5d']);
      assert.deepEqual(n.lookup(['pub', '9990', 'l5d']), bound([...ID, 'pub', '9990', 'l5d'], [], boundAddr([a('104.155.170.94', 9990)])));
      assert.deepEqual(n.lookup(['pub', 'http', 'v6']), bound([...ID, 'pub', 'http', 'v6'], [], boundAddr([a('fd00:0:0:0:0:0:0:1', 80)])));
      assert.deepEqual(n.lookup(['pub', '80', 'l5d']), NEG);
      assert.deepEqual(n.lookup(['pub', 'nope', 'l5d']), NEG);
      assert.deepEqual(n.lookup(['pub', 'external', 'nothere']), NEG);
      assert.deepEqual(n.lookup(['pub', 'external']), NEG);
      assert.deepEqual(k8sExternalNamer({ ...EXT, prefix: '/ext/' }, ext).lookup(['pub', 'external', 'l5d']), bound(['ext', 'pub', 'external', 'l5d'], [], boundAddr([a('104.155.170.94', 80)])));
    });

    it('resolves ingress host names: the first answer, printed as Java does, no metadata; neg → no address; others kept', async () => {
      const resolver = (addr: Addr | Promise<Addr>): InetResolver => ({ resolve: () => addr });
      const n = (addr: Addr | Promise<Addr>) => k8sExternalNamer(EXT, ext, resolver(addr));
      const id = [...ID, 'pub', 'http', 'named'];
      const look = (addr: Addr | Promise<Addr>) => n(addr).lookup(['pub', 'http', 'named']);
      assert.deepEqual(look(boundAddr([a('::1', 80, { x: 1 }), a('10.0.0.2', 80)], { m: 1 })), bound(id, [], boundAddr([a('0:0:0:0:0:0:0:1', 80)])));
      assert.deepEqual(look({ type: 'neg' }), bound(id, [], boundAddr([])));
      assert.deepEqual(look({ type: 'failed', cause: 'boom' }), bound(id, [], { type: 'failed', cause: 'boom' }));
      assert.deepEqual(look({ type: 'pending' }), bound(id, [], { type: 'pending' }));
      assert.deepEqual(await later(look(Promise.resolve(boundAddr([a('10.0.0.3', 80)])))), bound(id, [], boundAddr([a('10.0.0.3', 80)])));
      // The resolver gets the host and the service port.
      const asked: string[] = [];
      k8sExternalNamer(EXT, ext, { resolve: (h, p) => (asked.push(`${h}:${p}`), { type: 'neg' }) }).lookup(['pub', 'http', 'named']);
      assert.deepEqual(asked, ['lb.example.com:80']);
      // By default, literals only.
      assert.deepEqual(k8sExternalNamer(EXT, ext).lookup(['pub', 'http', 'named']), bound(id, [], { type: 'failed', cause: 'lb.example.com was not resolved (no DNS lookups offline)' }));
    });

    it('a label selector: a fourth segment, as written; later answers', async () => {
      const n = k8sExternalNamer({ ...EXT, params: { labelSelector: 'track' } }, ext);
      assert.deepEqual(n.lookup(['pub', 'external', 'l5d', 'Blue', 'x']), bound([...ID, 'pub', 'external', 'l5d', 'Blue'], ['x'], boundAddr([a('104.155.170.94', 80)])));
      assert.deepEqual(n.lookup(['pub', 'external', 'l5d', 'blue']), NEG);
      assert.deepEqual(n.lookup(['pub', 'external', 'l5d']), NEG);
      const late = k8sExternalNamer(EXT, new Mem({ svcs: [l5d], lateSvc: true }));
      assert.deepEqual(await later(late.lookup(['pub', 'external', 'l5d'])), bound([...ID, 'pub', 'external', 'l5d'], [], boundAddr([a('104.155.170.94', 80)])));
    });
  });

  it('registerK8sNamers: the three kinds; without a source the unresolved namer; the namespace from the env', () => {
    const ns = new Mem({ eps: [ep('srv', 'hello', [{ addresses: [{ ip: '10.2.0.1' }], ports: [{ name: 'http', port: 1 }] }]), hello], svcs: [sv('pub', 'e', [{ name: 'http', port: 80 }], { ingress: [{ hostname: 'lb' }] })] });
    const registry = new NamerRegistry();
    assert.equal(registerK8sNamers(registry, (spec) => (spec.prefix.startsWith('/#/off') ? undefined : ns), { podNamespace: 'default', vars: { MY_NS: 'srv' }, inet: { resolve: (_h, p) => boundAddr([a('9.9.9.9', p)]) } }), registry);
    const specs: NamerSpec[] = [
      { kind: 'io.l5d.k8s', prefix: '/#/k', params: {} },
      { kind: 'io.l5d.k8s.ns', prefix: '/#/ns', params: {} },
      { kind: 'io.l5d.k8s.ns', prefix: '/#/my', params: { envVar: 'MY_NS' } },
      { kind: 'io.l5d.k8s.external', prefix: '/#/ext', params: {} },
      { kind: 'io.l5d.k8s', prefix: '/#/off1', params: {} },
      { kind: 'io.l5d.k8s.ns', prefix: '/#/off2', params: {} },
      { kind: 'io.l5d.k8s.external', prefix: '/#/off3', params: {} },
    ];
    const built = registry.build(specs);
    const look = (i: number, p: Path) => built[i]!.namer.lookup(p);
    assert.deepEqual(look(0, ['default', 'http', 'hello']), bound(['#', 'k', 'default', 'http', 'hello'], [], boundAddr(HELLO)));
    assert.deepEqual(look(1, ['http', 'hello']), bound(['#', 'ns', 'http', 'hello'], [], boundAddr(HELLO)));
    assert.deepEqual(look(2, ['http', 'hello']), bound(['#', 'my', 'http', 'hello'], [], boundAddr([a('10.2.0.1', 1)])));
    assert.deepEqual(look(3, ['pub', 'http', 'e']), bound(['#', 'ext', 'pub', 'http', 'e'], [], boundAddr([a('9.9.9.9', 80)])));
    assert.deepEqual(look(4, ['default', 'http', 'hello', 'x']), bound(['#', 'off1', 'default', 'http', 'hello'], ['x'], { type: 'pending', unresolvedBy: 'io.l5d.k8s' }));
    assert.deepEqual(look(5, ['http', 'hello']), bound(['#', 'off2', 'http', 'hello'], [], { type: 'pending', unresolvedBy: 'io.l5d.k8s.ns' }));
    assert.deepEqual(look(6, ['pub', 'http', 'e']), bound(['#', 'off3', 'pub', 'http', 'e'], [], { type: 'pending', unresolvedBy: 'io.l5d.k8s.external' }));
    // vars without the env var: podNamespace; neither: the lookup fails; no env at all: literal-only inet.
    const r2 = registerK8sNamers(new NamerRegistry(), () => ns, { podNamespace: 'default', vars: {} });
    assert.deepEqual(r2.build([specs[2]!])[0]!.namer.lookup(['http', 'hello']), bound(['#', 'my', 'http', 'hello'], [], boundAddr(HELLO)));
    const r3 = registerK8sNamers(new NamerRegistry(), () => ns);
    assert.throws(() => r3.build([specs[1]!])[0]!.namer.lookup(['http', 'hello']), /^NamingError: could not find namespace for envVar POD_NAMESPACE/);
    assert.deepEqual(r3.build([specs[3]!])[0]!.namer.lookup(['pub', 'http', 'e']), bound(['#', 'ext', 'pub', 'http', 'e'], [], { type: 'failed', cause: 'lb was not resolved (no DNS lookups offline)' }));
  });
});

// ---- transformers.ts ----------------------------------------------------------------------------

describe('transformers.ts', () => {
  const opts = { namespace: 'Default', port: 'incoming', service: 'l5d' };
  const gw = [a('1.1.1.1', 4141), a('1.1.2.1', 4141, { nodeName: 'n2' }), a('1.1.1.2', 4141, { nodeName: 'n1' })];
  const dest = (addrs: Address[], meta: Record<string, unknown> = {}) => ({ ...boundName(['#', 'k', 'a'], ['rest'], boundAddr(addrs, meta)), weight: 2 });

  it('daemonsetPrefix: /%/io.l5d.k8s.daemonset/<namespace>/<port>/<service>, or /% + the configured prefix', () => {
    assert.deepEqual(daemonsetPrefix(opts), ['%', 'io.l5d.k8s.daemonset', 'Default', 'incoming', 'l5d']);
    assert.deepEqual(daemonsetPrefix({ ...opts, prefix: '/ds//x/' }), ['%', 'ds', 'x']);
    assert.deepEqual(daemonsetPrefix({ ...opts, prefix: '/é' }), ['%', '\xc3\xa9']);
    assert.deepEqual(daemonsetPrefix({ ...opts, prefix: '' }), ['%']);
  });

  it('daemonsetTransform: each address → the gateways on its /24, in order, once; meta, residual and weight kept', () => {
    const t = daemonsetTransform(dest([a('1.1.1.9', 80), a('1.1.3.9', 80), a('1.1.1.8', 80), a('1.1.2.9', 80)], { m: 1 }), gw, opts);
    assert.deepEqual(t, {
      kind: 'bound',
      id: ['%', 'io.l5d.k8s.daemonset', 'Default', 'incoming', 'l5d', '#', 'k', 'a'],
      residual: ['rest'],
      addr: boundAddr([a('1.1.1.1', 4141), a('1.1.1.2', 4141, { nodeName: 'n1' }), a('1.1.2.1', 4141, { nodeName: 'n2' })], { m: 1 }),
      weight: 2,
    });
    assert.deepEqual(daemonsetTransform(dest([a('1.1.3.9', 80)]), gw, opts).addr, { type: 'neg' });
    assert.deepEqual(daemonsetTransform(dest([]), gw, opts).addr, { type: 'neg' });
    assert.deepEqual(daemonsetTransform(dest([a('1.1.1.9', 80)]), gw, { ...opts, hostNetwork: false }).addr, boundAddr([a('1.1.1.1', 4141), a('1.1.1.2', 4141, { nodeName: 'n1' })]));
  });

  it('daemonsetTransform with hostNetwork: by nodeName metadata (none equals none)', () => {
    const hn = { ...opts, hostNetwork: true };
    assert.deepEqual(daemonsetTransform(dest([a('9.9.9.9', 80, { nodeName: 'n2' })]), gw, hn).addr, boundAddr([a('1.1.2.1', 4141, { nodeName: 'n2' })]));
    assert.deepEqual(daemonsetTransform(dest([a('1.1.1.9', 80)]), gw, hn).addr, boundAddr([a('1.1.1.1', 4141)]));
    assert.deepEqual(daemonsetTransform(dest([a('1.1.1.9', 80, { nodeName: 'n9' })]), gw, hn).addr, { type: 'neg' });
  });

  it('keeps addrs that are not bound', () => {
    for (const addr of [{ type: 'neg' }, { type: 'pending' }, { type: 'failed', cause: 'x' }] as Addr[]) {
      const b = boundName(['x'], [], addr);
      assert.deepEqual(daemonsetTransform(b, gw, opts), { kind: 'bound', id: ['%', 'io.l5d.k8s.daemonset', 'Default', 'incoming', 'l5d', 'x'], residual: [], addr });
      assert.deepEqual(localnodeTransform(b, { podIp: '1.1.1.1' }), { kind: 'bound', id: ['%', 'io.l5d.k8s.localnode', '1.1.1.1', 'x'], residual: [], addr });
    }
  });

  it('daemonsetGateways: the io.l5d.k8s lookup of namespace/port/service, lower-cased; none → []', async () => {
    const src = new Mem({ eps: [ep('default', 'l5d', [{ addresses: [{ ip: '10.0.0.1', nodeName: 'a' }], ports: [{ name: 'incoming', port: 4141 }] }])] });
    assert.deepEqual(daemonsetGateways(src, { namespace: 'DEFAULT', port: 'Incoming', service: 'L5D' }), [a('10.0.0.1', 4141, { nodeName: 'a' })]);
    assert.deepEqual(src.calls, ['endpoints default/l5d']);
    assert.deepEqual(daemonsetGateways(src, { namespace: 'default', port: 'other', service: 'l5d' }), []);
    const late = new Mem({ eps: src.o.eps, lateEps: true });
    assert.deepEqual(await later(daemonsetGateways(late, { namespace: 'default', port: 'incoming', service: 'l5d' })), [a('10.0.0.1', 4141, { nodeName: 'a' })]);
    assert.deepEqual(await later(daemonsetGateways(late, { namespace: 'default', port: 'other', service: 'l5d' })), []);
  });

  it('boundAddresses: every address of the bound leaves the tree evaluates to, once', () => {
    const b = (addr: Addr) => leaf<Name>(boundName(['x'], [], addr));
    const tree: NameTree<Name> = union([
      { weight: 1, tree: b(boundAddr([a('1.1.1.1', 11), a('1.1.1.11', 1)])) },
      { weight: 1, tree: b(boundAddr([a('1.1.1.1', 11), a('1.1.1.1', 11, { n: 1 }), a('1.1.1.1', 12)])) },
      { weight: 1, tree: b({ type: 'pending' }) },
      { weight: 1, tree: leaf<Name>(pathName(['p'])) },
      { weight: 1, tree: alt([NEG, b(boundAddr([a('2.2.2.2', 1)])), b(boundAddr([a('3.3.3.3', 1)]))]) },
    ]);
    assert.deepEqual(boundAddresses(tree), [a('1.1.1.1', 11), a('1.1.1.11', 1), a('1.1.1.1', 11, { n: 1 }), a('1.1.1.1', 12), a('2.2.2.2', 1)]);
    assert.deepEqual(boundAddresses(NEG), []);
    assert.deepEqual(boundAddresses(alt([NEG, b({ type: 'neg' })])), []);
  });

  it('localnodePrefix and localnodeTransform: POD_IP’s /24, or NODE_NAME with hostNetwork', () => {
    assert.deepEqual(localnodePrefix({ podIp: '1.1.1.1' }), ['%', 'io.l5d.k8s.localnode', '1.1.1.1']);
    assert.deepEqual(localnodePrefix({ podIp: '1.1.1.1', nodeName: 'n', prefix: '/local//x/' }), ['%', 'local', 'x', '1.1.1.1']);
    assert.deepEqual(localnodePrefix({ hostNetwork: true, podIp: '1.1.1.1', nodeName: 'nodé' }), ['%', 'io.l5d.k8s.localnode', 'nod\xc3\xa9']);
    assert.deepEqual(localnodePrefix({ hostNetwork: false, podIp: '1.1.1.1', nodeName: 'n' }), ['%', 'io.l5d.k8s.localnode', '1.1.1.1']);
    assert.throws(() => localnodePrefix({ nodeName: 'n' }), (e: unknown) => e instanceof Error && e.message === "POD_IP env variable must be set to the pod's IP");
    assert.throws(() => localnodePrefix({ hostNetwork: true, podIp: '1.1.1.1' }), (e: unknown) => e instanceof Error && e.message === "NODE_NAME env variable must be set to the node's name");
    const b = dest([a('1.1.1.2', 80, { nodeName: 'n1' }), a('1.1.2.2', 80, { nodeName: 'n2' }), a('1.1.1.3', 80), a('1.1.1.2', 80, { nodeName: 'n1' })], { m: 1 });
    assert.deepEqual(localnodeTransform(b, { podIp: '1.1.1.1' }), {
      kind: 'bound',
      id: ['%', 'io.l5d.k8s.localnode', '1.1.1.1', '#', 'k', 'a'],
      residual: ['rest'],
      addr: boundAddr([a('1.1.1.2', 80, { nodeName: 'n1' }), a('1.1.1.3', 80), a('1.1.1.2', 80, { nodeName: 'n1' })], { m: 1 }),
      weight: 2,
    });
    assert.deepEqual(localnodeTransform(b, { hostNetwork: true, nodeName: 'n2', podIp: '1.1.1.1' }), {
      kind: 'bound',
      id: ['%', 'io.l5d.k8s.localnode', 'n2', '#', 'k', 'a'],
      residual: ['rest'],
      addr: boundAddr([a('1.1.2.2', 80, { nodeName: 'n2' })], { m: 1 }),
      weight: 2,
    });
    assert.deepEqual(localnodeTransform(b, { podIp: '1.1.9.1' }).addr, { type: 'neg' });
    assert.deepEqual(localnodeTransform(b, { hostNetwork: true, nodeName: 'n9' }).addr, { type: 'neg' });
    assert.throws(() => localnodeTransform(boundName(['x'], [], { type: 'neg' }), {}), /^Error: POD_IP env variable must be set to the pod's IP$/);
  });
});

// ---- snapshot.ts ----------------------------------------------------------------------------------

function snapErr(f: () => unknown): SnapshotError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof SnapshotError, `expected a SnapshotError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a SnapshotError');
}

/** The reason and offset of the error a snapshot text gives. */
const fails = (text: string): [string, number | undefined] => {
  const e = snapErr(() => parseSnapshot(text));
  return [e.reason, e.offset];
};

/** Where the nesting check stops a text (its offset), or `ok` when it does not. */
const nesting = (text: string): number | 'ok' => {
  try {
    parseSnapshot(text);
  } catch (e) {
    assert.ok(e instanceof SnapshotError);
    if (e.reason === 'nesting deeper than 64 levels') return e.offset!;
  }
  return 'ok';
};

describe('snapshot.ts: comments', () => {
  it('a comment at the start of any line is a comment: its brackets do not nest', () => {
    assert.equal(nesting(`x: 1\n#${'['.repeat(64)}\n`), 'ok');
    assert.equal(nesting(`#${'['.repeat(64)}\nx: 1\n`), 'ok');
    // The line itself is one level: its 64th bracket is the 65th.
    assert.equal(nesting(`x: 1\n${'['.repeat(65)}`), 5 + 63);
  });
});

const lines = (n: number, indent: string, text: string, from = 0) => Array.from({ length: n }, (_, i) => indent.repeat(i + from) + text).join('\n');

describe('snapshot.ts: SnapshotError', () => {
  it('says the snapshot, the reason and the offset when known', () => {
    const e = new SnapshotError('bad');
    assert.ok(e instanceof Error);
    assert.deepEqual([e.name, e.message, e.reason, e.offset, e.snapshot], ['SnapshotError', 'bad', 'bad', undefined, undefined]);
    assert.equal(new SnapshotError('bad', 0).message, 'bad (at offset 0)');
    assert.equal(new SnapshotError('bad', 12, 'c.yaml').message, 'Snapshot c.yaml: bad (at offset 12)');
    assert.equal(new SnapshotError('bad', undefined, '').message, 'Snapshot : bad');
  });
});

describe('snapshot.ts: reading', () => {
  it('refuses a text that is too large before reading it, and an empty one', () => {
    const big = snapErr(() => parseSnapshot(' '.repeat(256 * 1024 * 1024 + 1), 'big'));
    assert.deepEqual([big.message, big.offset], ['Snapshot big: the file is too large (268435457 characters; at most 268435456)', undefined]);
    for (const text of ['', ' \n\t\r\n ']) {
      assert.deepEqual(fails(text), ['the file is empty: expected the output of `kubectl get endpoints,services -A -o yaml`', undefined]);
    }
    for (const text of ['# c\n', '---\n---\n', 'null\n', '~\n']) assert.deepEqual(fails(text), ['no Kubernetes objects: expected a List or Endpoints/Service objects', undefined], text);
    assert.equal(snapErr(() => snapshotSource('', 'e.yaml')).message, 'Snapshot e.yaml: the file is empty: expected the output of `kubectl get endpoints,services -A -o yaml`');
  });

  it('what is not a List or an object, with what it is', () => {
    assert.deepEqual(fails('42'), ['expected a Kubernetes List or object, not the number 42', 0]);
    assert.deepEqual(fails('\n\n42\n'), ['expected a Kubernetes List or object, not the number 42', 2]);
    assert.deepEqual(fails('true'), ['expected a Kubernetes List or object, not the value true', 0]);
    assert.deepEqual(fails('- a\n- b\n'), ['expected a Kubernetes List or object, not a list', 0]);
    assert.deepEqual(fails(' [1]'), ['expected a Kubernetes List or object, not a list', 1]);
    assert.deepEqual(fails(`"${'x'.repeat(40)}"`), [`expected a Kubernetes List or object, not the string "${'x'.repeat(40)}"`, 0]);
    assert.deepEqual(fails(`"${'x'.repeat(41)}"`), [`expected a Kubernetes List or object, not the string "${'x'.repeat(40)}…"`, 0]);
  });

  it('text that is neither YAML nor JSON: the parser’s first complaint, where it is', () => {
    assert.deepEqual(fails('a: [1, 2\n'), ['not YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ]', 9]);
    assert.deepEqual(fails('{"kind": "List", "items": [1]'), ['not YAML or JSON: Flow map must end with a }', 29]);
    assert.deepEqual(fails('kind: Service\n---\na: b: c\n'), ['not YAML or JSON: Nested mappings are not allowed in compact mappings', 21]);
    // JSON-like YAML is read as YAML.
    assert.deepEqual(parseSnapshot('{kind: Service, metadata: {name: a, namespace: b}}'), {
      endpoints: [],
      services: [{ kind: 'Service', apiVersion: 'v1', metadata: { name: 'a', namespace: 'b' } }],
      skipped: new Map(),
    });
  });

  it('YAML aliases: bounded, located at the first alias', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    const reason = 'YAML aliases expand too far (Excessive alias count indicates a resource exhaustion attack)';
    assert.deepEqual(fails(bomb), [reason, bomb.indexOf('*a')]);
    const spaced = `# see * and #*x\n${bomb.replace('[*a,', '[ *a,')}`;
    assert.deepEqual(fails(spaced), [reason, spaced.indexOf('*a')]);
    // An alias to no anchor is bad YAML, not a bomb; still located at the alias.
    assert.deepEqual(fails('a: *x\n'), ['not YAML or JSON: Unresolved alias (the anchor must be set before the alias): x', 3]);
    // A few aliases are fine.
    assert.deepEqual(parseSnapshot('kind: Service\nmetadata: &m {name: a, namespace: b}\nx: [*m, *m]\n').services, [{ kind: 'Service', apiVersion: 'v1', metadata: { name: 'a', namespace: 'b' } }]);
  });

  it('lists: kubectl’s List, the API’s typed lists (items take the kind), items without kind', () => {
    const read = (text: string) => {
      const p = parseSnapshot(text);
      return { endpoints: p.endpoints.map((e) => e.metadata?.name), services: p.services.map((s) => s.metadata?.name), skipped: [...p.skipped] };
    };
    const m = (name: string) => `{metadata: {name: ${name}, namespace: n}}`;
    assert.deepEqual(read('kind: List\nitems: null\n'), { endpoints: [], services: [], skipped: [] });
    assert.deepEqual(read('kind: List\n'), { endpoints: [], services: [], skipped: [] });
    assert.deepEqual(read(`kind: ServiceList\nitems: [${m('s')}]\n`), { endpoints: [], services: ['s'], skipped: [] });
    assert.deepEqual(read(`kind: EndpointsList\nitems: [${m('e')}, {kind: Service, metadata: {name: s, namespace: n}}]\n`), { endpoints: ['e'], services: ['s'], skipped: [] });
    assert.deepEqual(read(`kind: PodList\nitems: [${m('p')}, ${m('q')}]\n`), { endpoints: [], services: [], skipped: [['Pod', 2]] });
    assert.deepEqual(read('kind: FooBarList\nitems: [{}]\n'), { endpoints: [], services: [], skipped: [['FooBar', 1]] });
    assert.deepEqual(read(`items: [{kind: Endpoints, metadata: {name: e, namespace: n}}, {kind: Pod}, {kind: ConfigMap}, {kind: Pod}]\n`), { endpoints: ['e'], services: [], skipped: [['Pod', 2], ['ConfigMap', 1]] });
    assert.deepEqual(read('kind: Pod\nitems: [1]\n'), { endpoints: [], services: [], skipped: [['Pod', 1]] });
    assert.deepEqual(fails('kind: List\nitems: {a: 1}\n'), ['items: expected a list, not a mapping', 18]);
    assert.deepEqual(fails('kind: List\nitems:\n- metadata: {name: a}\n'), ['items[0]: the object has no `kind`', 20]);
    assert.deepEqual(fails('{"items": 5}'), ['the object has no `kind`', 0]);
    assert.deepEqual(fails('{"kind": 5, "items": []}'), ['kind: expected a string, not the number 5', 9]);
    assert.deepEqual(fails('{"kind":"List","items":[null]}'), ['items[0]: expected a Kubernetes object, not nothing', 24]);
    const second = '{"kind":"List","items":[{"kind":"Pod"},[1]]}';
    assert.deepEqual(fails(second), ['items[1]: expected a Kubernetes object, not a list', second.indexOf('[1]')]);
    assert.deepEqual(fails('{"kind":"List","items":[{"kind":5}]}'), ['items[0].kind: expected a string, not the number 5', 32]);
  });

  it('objects: the fields the namers read, checked for their types', () => {
    const text = `apiVersion: v1
kind: List
items:
- kind: Endpoints
  apiVersion: v2
  metadata: {name: e, namespace: n, uid: u, resourceVersion: "7", labels: {app: e}}
  subsets:
  - addresses:
    - {ip: 10.0.0.1, nodeName: a, hostname: h, targetRef: {kind: Pod}}
    - {ip: 10.0.0.2, nodeName: null}
    notReadyAddresses: [{ip: 10.0.0.3}]
    ports: [{name: http, port: 0, protocol: TCP}, {port: 65535}]
  - {}
  - {addresses: null, notReadyAddresses: null, ports: null}
- kind: Endpoints
  metadata: {name: f, namespace: n, labels: null}
  subsets: null
- kind: Endpoints
  apiVersion: null
  metadata: {name: g, namespace: n}
  subsets: []
- kind: Service
  metadata: {name: s, namespace: n}
  spec:
    type: LoadBalancer
    clusterIP: 10.96.0.1
    selector: {app: s}
    ports:
    - {name: http, port: 80, targetPort: http, protocol: TCP}
    - {port: 81, targetPort: 8081}
    - {port: 82, targetPort: null}
  status:
    loadBalancer:
      ingress: [{ip: 35.0.0.1, hostname: lb}, {}]
- {kind: Service, metadata: {name: t, namespace: n}, spec: null, status: {}}
- {kind: Service, metadata: {name: u, namespace: n}, spec: {}, status: {loadBalancer: null}}
- {kind: Service, metadata: {name: v, namespace: n}, status: {loadBalancer: {}}}
- {kind: Service, metadata: {name: w, namespace: n}, status: {loadBalancer: {ingress: null}}}
- {kind: Service, metadata: {name: x, namespace: n}, status: null}
`;
    assert.deepEqual(parseSnapshot(text), {
      endpoints: [
        {
          kind: 'Endpoints',
          apiVersion: 'v2',
          metadata: { name: 'e', namespace: 'n', resourceVersion: '7', labels: { app: 'e' } },
          subsets: [
            {
              addresses: [{ ip: '10.0.0.1', nodeName: 'a', hostname: 'h' }, { ip: '10.0.0.2' }],
              notReadyAddresses: [{ ip: '10.0.0.3' }],
              ports: [{ name: 'http', port: 0, protocol: 'TCP' }, { port: 65535 }],
            },
            {},
            {},
          ],
        },
        { kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'f', namespace: 'n' } },
        { kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'g', namespace: 'n' }, subsets: [] },
      ],
      services: [
        {
          kind: 'Service',
          apiVersion: 'v1',
          metadata: { name: 's', namespace: 'n' },
          spec: {
            type: 'LoadBalancer',
            clusterIP: '10.96.0.1',
            ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { port: 81, targetPort: 8081 }, { port: 82 }],
          },
          status: { loadBalancer: { ingress: [{ ip: '35.0.0.1', hostname: 'lb' }, {}] } },
        },
        { kind: 'Service', apiVersion: 'v1', metadata: { name: 't', namespace: 'n' }, status: {} },
        { kind: 'Service', apiVersion: 'v1', metadata: { name: 'u', namespace: 'n' }, spec: {}, status: {} },
        { kind: 'Service', apiVersion: 'v1', metadata: { name: 'v', namespace: 'n' }, status: { loadBalancer: {} } },
        { kind: 'Service', apiVersion: 'v1', metadata: { name: 'w', namespace: 'n' }, status: { loadBalancer: {} } },
        { kind: 'Service', apiVersion: 'v1', metadata: { name: 'x', namespace: 'n' } },
      ],
      skipped: new Map(),
    });
  });

  it('each malformed field: its path, what it is, and where (JSON located through YAML)', () => {
    const obj = (kind: string, rest: object, meta: object = { name: 'o', namespace: 'n' }) => JSON.stringify({ kind, metadata: meta, ...rest });
    const at = (text: string, needle: string) => {
      const i = text.lastIndexOf(needle);
      assert.ok(i >= 0, needle);
      return i;
    };
    const cases: [string, string, string][] = [
      // [text, reason, where (the last place of a needle)]
      [JSON.stringify({ kind: 'Service', apiVersion: 1 }), 'apiVersion: expected a string, not the number 1', '1'],
      [JSON.stringify({ kind: 'Endpoints' }), 'metadata: the Endpoints has no metadata', '{'],
      [JSON.stringify({ kind: 'Service', metadata: [] }), 'metadata: the Service has no metadata', '[]'],
      [obj('Service', {}, { namespace: 'n' }), 'metadata.name: the Service has no name', '{"namespace'],
      [obj('Service', {}, { name: '', namespace: 'n' }), 'metadata.name: the Service has no name', '""'],
      [obj('Service', {}, { name: 5, namespace: 'n' }), 'metadata.name: the Service has no name', '5'],
      [obj('Endpoints', {}, { name: 'web', namespace: '' }), 'metadata.namespace: the Endpoints web has no namespace (take the snapshot with `-A` or `-n <namespace>` and -o yaml)', '""'],
      [obj('Service', {}, { name: 'o', namespace: 'n', resourceVersion: 5 }), 'metadata.resourceVersion: expected a string, not the number 5', '5'],
      [obj('Service', {}, { name: 'o', namespace: 'n', labels: [] }), 'metadata.labels: expected a mapping, not a list', '[]'],
      [obj('Service', {}, { name: 'o', namespace: 'n', labels: { a: 'x', b: null } }), 'metadata.labels.b: expected a string, not nothing', 'null'],
      [obj('Service', {}, { name: 'o', namespace: 'n', labels: { a: true } }), 'metadata.labels.a: expected a string, not the value true', 'true'],
      [obj('Endpoints', { subsets: 5 }), 'subsets: expected a list, not the number 5', '5'],
      [obj('Endpoints', { subsets: [1] }), 'subsets[0]: expected a mapping, not the number 1', '1]'],
      [obj('Endpoints', { subsets: [{ addresses: ['x'] }] }), 'subsets[0].addresses[0]: expected a mapping, not the string "x"', '"x"'],
      [obj('Endpoints', { subsets: [{ addresses: [{ ip: '' }] }] }), 'subsets[0].addresses[0].ip: an endpoint address needs an `ip` (a string)', '""'],
      [obj('Endpoints', { subsets: [{ notReadyAddresses: [{ hostname: 'h' }] }] }), 'subsets[0].notReadyAddresses[0].ip: an endpoint address needs an `ip` (a string)', '{"hostname'],
      [obj('Endpoints', { subsets: [{ addresses: [{ ip: '1.1.1.1', nodeName: 5 }] }] }), 'subsets[0].addresses[0].nodeName: expected a string, not the number 5', '5'],
      [obj('Endpoints', { subsets: [{ addresses: [{ ip: '1.1.1.1', hostname: true }] }] }), 'subsets[0].addresses[0].hostname: expected a string, not the value true', 'true'],
      [obj('Endpoints', { subsets: [{ ports: [5] }] }), 'subsets[0].ports[0]: expected a mapping, not the number 5', '5'],
      [obj('Endpoints', { subsets: [{ ports: [{ name: 'p' }] }] }), 'subsets[0].ports[0].port: expected a port number (0-65535), not nothing', '{"name'],
      [obj('Endpoints', { subsets: [{ ports: [{ port: -1 }] }] }), 'subsets[0].ports[0].port: expected a port number (0-65535), not the number -1', '-1'],
      [obj('Endpoints', { subsets: [{ ports: [{ port: 65536 }] }] }), 'subsets[0].ports[0].port: expected a port number (0-65535), not the number 65536', '65536'],
      [obj('Endpoints', { subsets: [{ ports: [{ port: 80.5 }] }] }), 'subsets[0].ports[0].port: expected a port number (0-65535), not the number 80.5', '80.5'],
      [obj('Endpoints', { subsets: [{ ports: [{ port: 80, name: 5 }] }] }), 'subsets[0].ports[0].name: expected a string, not the number 5', '5'],
      [obj('Endpoints', { subsets: [{ ports: [{ port: 80, protocol: 6 }] }] }), 'subsets[0].ports[0].protocol: expected a string, not the number 6', '6'],
      [obj('Service', { spec: 5 }), 'spec: expected a mapping, not the number 5', '5'],
      [obj('Service', { spec: { ports: {} } }), 'spec.ports: expected a list, not a mapping', '{}'],
      [obj('Service', { spec: { ports: [{ port: '80' }] } }), 'spec.ports[0].port: expected a port number (0-65535), not the string "80"', '"80"'],
      [obj('Service', { spec: { ports: [{ port: 80, targetPort: 70000 }] } }), 'spec.ports[0].targetPort: expected a port number (0-65535), not the number 70000', '70000'],
      [obj('Service', { spec: { ports: [{ port: 80, targetPort: true }] } }), 'spec.ports[0].targetPort: expected a port number (0-65535), not the value true', 'true'],
      [obj('Service', { spec: { ports: [{ port: 80, name: 1 }] } }), 'spec.ports[0].name: expected a string, not the number 1', '1}'],
      [obj('Service', { spec: { ports: [{ port: 80, protocol: 2 }] } }), 'spec.ports[0].protocol: expected a string, not the number 2', '2}'],
      [obj('Service', { spec: { type: 3 } }), 'spec.type: expected a string, not the number 3', '3'],
      [obj('Service', { spec: { clusterIP: 4 } }), 'spec.clusterIP: expected a string, not the number 4', '4'],
      [obj('Service', { status: 5 }), 'status: expected a mapping, not the number 5', '5'],
      [obj('Service', { status: { loadBalancer: 5 } }), 'status.loadBalancer: expected a mapping, not the number 5', '5'],
      [obj('Service', { status: { loadBalancer: { ingress: 5 } } }), 'status.loadBalancer.ingress: expected a list, not the number 5', '5'],
      [obj('Service', { status: { loadBalancer: { ingress: [5] } } }), 'status.loadBalancer.ingress[0]: expected a mapping, not the number 5', '5'],
      [obj('Service', { status: { loadBalancer: { ingress: [{ hostname: 5 }] } } }), 'status.loadBalancer.ingress[0].hostname: expected a string, not the number 5', '5'],
    ];
    for (const [text, reason, needle] of cases) assert.deepEqual(fails(text), [reason, at(text, needle)], text);
  });

  it('locates errors in YAML: the node, else its closest parent, in the right document', () => {
    const noNs = 'kind: List\nitems:\n- kind: Service\n  metadata:\n    name: web\n';
    assert.deepEqual(fails(noNs), ['items[0].metadata.namespace: the Service web has no namespace (take the snapshot with `-A` or `-n <namespace>` and -o yaml)', noNs.indexOf('name: web')]);
    const docs = '---\nnull\n---\nkind: Service\nmetadata: {name: b}\n';
    assert.deepEqual(fails(docs), ['metadata.namespace: the Service b has no namespace (take the snapshot with `-A` or `-n <namespace>` and -o yaml)', docs.indexOf('{name: b}')]);
    const second = 'kind: Service\nmetadata: {name: a, namespace: n}\n---\nkind: Service\nmetadata: x\n';
    assert.deepEqual(fails(second), ['metadata: the Service has no metadata', second.lastIndexOf('x')]);
    const port = 'kind: Endpoints\nmetadata: {name: a, namespace: n}\nsubsets:\n- ports:\n  - port: 99999\n';
    assert.deepEqual(fails(port), ['subsets[0].ports[0].port: expected a port number (0-65535), not the number 99999', port.indexOf('99999')]);
  });

  it('the source: names sorted, a later object replacing an earlier one, the status', () => {
    const text = JSON.stringify({
      kind: 'List',
      items: [
        { kind: 'Endpoints', metadata: { name: 'b', namespace: 'z' }, subsets: [] },
        { kind: 'Endpoints', metadata: { name: 'a', namespace: 'z' } },
        { kind: 'Service', metadata: { name: 'c', namespace: 'z' } },
        { kind: 'Service', metadata: { name: 'a', namespace: 'z' } },
        { kind: 'Service', metadata: { name: 'x', namespace: 'm' } },
        { kind: 'Endpoints', metadata: { name: 'b', namespace: 'z', resourceVersion: '2' } },
        { kind: 'Service', metadata: { name: 'x', namespace: 'm', resourceVersion: '3' } },
        { kind: 'Secret' },
        { kind: 'Pod' },
        { kind: 'Pod' },
      ],
    });
    const s = snapshotSource(text, 'snap.json', { readAt: 0 });
    assert.deepEqual(s.namespaces(), ['m', 'z']);
    assert.deepEqual(s.services('z'), ['a', 'b', 'c']);
    assert.deepEqual(s.services('m'), ['x']);
    assert.deepEqual(s.services('q'), []);
    assert.deepEqual(s.endpoints('z', 'b'), { kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'b', namespace: 'z', resourceVersion: '2' } });
    assert.equal(s.endpoints('z', 'c'), undefined);
    assert.equal(s.endpoints('m', 'x'), undefined);
    assert.deepEqual(s.service('m', 'x'), { kind: 'Service', apiVersion: 'v1', metadata: { name: 'x', namespace: 'm', resourceVersion: '3' } });
    assert.equal(s.service('z', 'b'), undefined);
    assert.deepEqual(s.objects.endpoints.map((e) => `${e.metadata?.name}${e.metadata?.resourceVersion ?? ''}`), ['b2', 'a']);
    assert.deepEqual(s.objects.services.map((e) => `${e.metadata?.name}${e.metadata?.resourceVersion ?? ''}`), ['c', 'a', 'x3']);
    assert.deepEqual(s.status(), { source: 'snapshot snap.json', state: 'snapshot', since: 0, message: 'skipped objects that are neither Endpoints nor Service: 1 Secret, 2 Pod' });
    assert.deepEqual(snapshotSource(text.replace(',{"kind":"Secret"},{"kind":"Pod"},{"kind":"Pod"}', ''), 'x').status('z'), { source: 'snapshot x', state: 'snapshot' });
  });
});

describe('snapshot.ts: the nesting bound', () => {
  it('flow brackets: 64 levels at most, quotes and comments skipped', () => {
    assert.equal(nesting('['.repeat(63) + ']'.repeat(63)), 'ok');
    assert.equal(nesting('['.repeat(64) + ']'.repeat(64)), 63);
    assert.equal(nesting('{"a":'.repeat(64) + '1' + '}'.repeat(64)), 315);
    // Block levels count too.
    assert.equal(nesting('a:\n  ' + '['.repeat(62)), 'ok');
    assert.equal(nesting('a:\n  ' + '['.repeat(63)), 67);
    // Closing brackets close (never below none).
    assert.equal(nesting('['.repeat(40) + ']'.repeat(40) + '['.repeat(40) + ']'.repeat(40)), 'ok');
    assert.equal(nesting(']]]' + '['.repeat(64)), 66);
    assert.equal(nesting('[' + '[]'.repeat(100) + ']'), 'ok');
    assert.equal(nesting('[' + '{}'.repeat(100) + ']'), 'ok');
    assert.equal(nesting('"x"' + '['.repeat(64)), 66);
    assert.equal(nesting("'x'" + '['.repeat(64)), 66);
    assert.equal(nesting('a: "' + '['.repeat(100) + '"'), 'ok');
    assert.equal(nesting("a: '" + '['.repeat(100) + "'"), 'ok');
    assert.equal(nesting('a: "\\"' + '['.repeat(100) + '"'), 'ok');
    assert.equal(nesting("'\\'" + '['.repeat(64)), 66);
    assert.equal(nesting('"abc\n' + '['.repeat(64)), 68);
    assert.equal(nesting('#' + '['.repeat(100) + '\na: 1'), 'ok');
    assert.equal(nesting('a: 1 #' + '['.repeat(100)), 'ok');
    assert.equal(nesting('a: 1\t#' + '['.repeat(100)), 'ok');
    assert.equal(nesting('a#' + '['.repeat(64)), 65);
    assert.equal(nesting('[\n' + lines(100, ' ', 'a,', 1) + '\n]'), 'ok');
  });

  it('block indentation: each deeper line a level, siblings and dedents not', () => {
    assert.equal(nesting(lines(64, ' ', 'a:')), 'ok');
    assert.equal(nesting(lines(65, ' ', 'a:')), 2272);
    assert.equal(nesting(lines(65, '\t', 'a:')), 2272);
    assert.equal(nesting(lines(65, ' ', 'a: #c')), 2464);
    assert.equal(nesting(lines(40, ' ', 'a:') + '\n' + lines(40, ' ', 'a:')), 'ok');
    assert.equal(nesting(Array.from({ length: 100 }, (_, i) => `k${i}: 1`).join('\n')), 'ok');
    // Blank lines (spaces, a carriage return, a comment, the end of the text) are no level.
    assert.equal(nesting('k: 1\n' + lines(100, ' ', '', 1)), 'ok');
    assert.equal(nesting('k: 1\n' + lines(100, ' ', '\r', 1)), 'ok');
    assert.equal(nesting('k: 1\n' + lines(100, ' ', '# c', 1)), 'ok');
    assert.equal(nesting(lines(64, ' ', 'a:') + '\n' + ' '.repeat(100)), 'ok');
  });

  it('sequence markers: each `- ` a level, after the line’s own indentation', () => {
    assert.equal(nesting('- '.repeat(63) + 'x'), 'ok');
    assert.equal(nesting('- '.repeat(64) + 'x'), 128);
    assert.equal(nesting('-\t'.repeat(64) + 'x'), 128);
    assert.equal(nesting('-   '.repeat(64) + 'x'), 256);
    assert.equal(nesting('-x\n' + lines(64, ' ', 'a:', 1)), 2272);
    assert.equal(nesting('- x\n' + lines(63, ' ', 'a:', 1)), 'ok');
    assert.equal(nesting('- x\n' + lines(64, ' ', 'a:', 1)), 2273);
    assert.equal(nesting('- - x\n' + lines(63, ' ', 'a:', 1)), 'ok');
    // The spaces after a marker: the line's level is where its first marker is.
    assert.equal(nesting('-   x\n' + lines(64, ' ', 'a:', 1)), 'ok');
    // `-x` is no marker.
    assert.equal(nesting(lines(63, ' ', 'a:') + '\n' + ' '.repeat(63) + '-x'), 'ok');
    const deep = lines(63, ' ', 'a:') + '\n' + ' '.repeat(63) + '- ';
    assert.equal(nesting(deep + 'x'), deep.length);
  });
});

describe('snapshot.ts: writing', () => {
  it('a List of Endpoints then Services, sorted by namespace then name, kind and apiVersion on each', () => {
    const text = snapshotText({
      endpoints: [
        { metadata: { name: 'c', namespace: 'a-b' } },
        { apiVersion: 'v2', metadata: { name: 'b-c', namespace: 'a' } },
        { kind: 'Other', metadata: { name: 'a', namespace: 'a', labels: undefined } },
        {},
      ],
      services: [{ kind: 'Service', metadata: { name: 'z', namespace: 'z', labels: { long: 'x'.repeat(100) } } }],
    });
    assert.equal(
      text,
      `apiVersion: v1
items:
  - apiVersion: v1
    kind: Endpoints
  - apiVersion: v1
    kind: Endpoints
    metadata:
      name: a
      namespace: a
  - apiVersion: v2
    kind: Endpoints
    metadata:
      name: b-c
      namespace: a
  - apiVersion: v1
    kind: Endpoints
    metadata:
      name: c
      namespace: a-b
  - apiVersion: v1
    kind: Service
    metadata:
      labels:
        long: ${'x'.repeat(100)}
      name: z
      namespace: z
kind: List
metadata:
  resourceVersion: ""
`,
    );
  });

  it('writes a shared object twice in full (no YAML anchors)', () => {
    const labels = { app: 'x' };
    const text = snapshotText({ endpoints: [{ metadata: { name: 'a', namespace: 'n', labels } }, { metadata: { name: 'b', namespace: 'n', labels } }], services: [] });
    assert.equal(text.includes('&'), false);
    assert.equal(text.split('app: x').length, 3);
  });
});

// ---- namers/fs.ts -----------------------------------------------------------------------------------

describe('namers/fs.ts', () => {
  it('parseAddressFile: host port lines; comments, blank lines and CRLF; each bad line said', () => {
    const text = '# header\n127.0.0.1 0\r\n\n  10.0.0.2\t\t65535  # two\n10.0.0.3 +80\nlocalhost 7\nbad\na b c\n1.1.1.1 -1\n1.1.1.1 65536\n1.1.1.1 http\n' + 'x'.repeat(70) + '\nexample.com 80\n';
    assert.deepEqual(parseAddressFile(text), {
      addrs: [a('127.0.0.1', 0), a('10.0.0.2', 65535), a('10.0.0.3', 80), a('127.0.0.1', 7)],
      problems: [
        'line 7: expected `host port`, found `bad`',
        'line 8: expected `host port`, found `a b c`',
        'line 9: expected `host port`, found `1.1.1.1 -1`',
        'line 10: expected `host port`, found `1.1.1.1 65536`',
        'line 11: expected `host port`, found `1.1.1.1 http`',
        `line 12: expected \`host port\`, found \`${'x'.repeat(60)}\``,
        'line 13: example.com (example.com was not resolved (no DNS lookups offline))',
      ],
    });
    assert.deepEqual(parseAddressFile(''), { addrs: [], problems: [] });
  });

  it('parseAddressFile: the resolver’s answers (several addresses, neg, pending, later)', () => {
    const inet: InetResolver = {
      resolve: (host, port): Addr | Promise<Addr> =>
        host === 'many' ? boundAddr([a('1.1.1.1', port), a('1.1.1.2', port)]) : host === 'none' ? { type: 'neg' } : host === 'wait' ? { type: 'pending' } : host === 'later' ? Promise.resolve({ type: 'neg' }) : { type: 'failed', cause: 'no' },
    };
    assert.deepEqual(parseAddressFile('many 80\nnone 81\nwait 82\nlater 83\nbroken 84', inet), {
      addrs: [a('1.1.1.1', 80), a('1.1.1.2', 80)],
      problems: ['line 2: none does not resolve', 'line 3: wait does not resolve', 'line 5: broken (no)'],
    });
  });

  it('fsNamer: one file of the directory, its addresses, the residual; ~ for anything else', async () => {
    const read: string[] = [];
    const files: Record<string, string> = { hello: '127.0.0.1 7777\nbad\n', 'café': '10.0.0.1 1\n', empty: '' };
    const namer = fsNamer({ kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs/', params: {} }, (f) => (read.push(f), files[f]));
    assert.deepEqual(namer.lookup(['hello', 'A', 'b']), leaf(boundName(['#', 'io.l5d.fs', 'hello'], ['A', 'b'], boundAddr([a('127.0.0.1', 7777)]))));
    assert.deepEqual(namer.lookup(['caf\xc3\xa9']), leaf(boundName(['#', 'io.l5d.fs', 'caf\xc3\xa9'], [], boundAddr([a('10.0.0.1', 1)]))));
    assert.deepEqual(namer.lookup(['empty']), leaf(boundName(['#', 'io.l5d.fs', 'empty'], [], boundAddr([]))));
    assert.deepEqual(namer.lookup(['nope', 'x']), NEG);
    assert.deepEqual(read, ['hello', 'café', 'empty', 'nope']);
    for (const bad of [[], ['a/b'], ['a\\b'], ['.'], ['..'], ['a\0b']]) assert.deepEqual(namer.lookup(bad), NEG, JSON.stringify(bad));
    assert.deepEqual(read, ['hello', 'café', 'empty', 'nope']);
    assert.deepEqual(namer.lookup(['...']), NEG);
    assert.deepEqual(namer.lookup(['.x']), NEG);
    assert.deepEqual(read.slice(4), ['...', '.x']);
    const lazy = fsNamer({ kind: 'io.l5d.fs', prefix: '/fs', params: {} }, (f) => Promise.resolve(files[f]));
    assert.deepEqual(await later(lazy.lookup(['hello'])), leaf(boundName(['fs', 'hello'], [], boundAddr([a('127.0.0.1', 7777)]))));
    assert.deepEqual(await later(lazy.lookup(['nope'])), NEG);
    const inet: InetResolver = { resolve: (_h, p) => boundAddr([a('9.9.9.9', p)]) };
    assert.deepEqual(fsNamer({ kind: 'io.l5d.fs', prefix: '/fs', params: {} }, (f) => files[f], inet).lookup(['hello']), leaf(boundName(['fs', 'hello'], [], boundAddr([a('9.9.9.9', 7777)]))));
  });

  it('fsNamer: a file that cannot be read is a naming error', () => {
    const namer = fsNamer({ kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs', params: {} }, () => {
      throw new Error('EACCES: permission denied');
    });
    assert.throws(() => namer.lookup(['hello']), (e: unknown) => e instanceof NamingError && e.message === 'io.l5d.fs: cannot read hello: EACCES: permission denied');
  });
});
