// core/trace: decoding spans (every field checked), the span tree (order, orphans, loops, shared
// client/server ids, 100,000 spans deep without recursion), and Linkerd's tags read back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpanTree, decodeTrace, decodeTraces, flattenSpanTree, linkerdView, normalizeTraceId, traceView, type SpanTree, type ZipkinSpan } from '../../core/index.js';
import { linkerdTrace } from '../zipkin/standin.js';

const T = '00000000000000ab';
const id = (n: number) => n.toString(16).padStart(16, '0');
const sp = (n: number, parent?: number, extra: Partial<ZipkinSpan> = {}): ZipkinSpan => ({ traceId: T, id: id(n), ...(parent !== undefined ? { parentId: id(parent) } : {}), ...extra });

/** The tree as `depth id [detached]` lines, for exact comparison. */
function shape(tree: SpanTree): string[] {
  return flattenSpanTree(tree).rows.map(({ node, depth }) => `${'  '.repeat(depth)}${Number.parseInt(node.span.id, 16)}${node.span.shared ? 's' : ''}${node.detached ? ` ${node.detached}` : ''}`);
}

describe('decodeTrace', () => {
  it('decodes every field of the yaml', () => {
    const span = {
      traceId: T, id: id(2), parentId: id(1), name: 'get /', kind: 'CLIENT', timestamp: 10, duration: 5, debug: true, shared: false,
      localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', port: 80 }, remoteEndpoint: { ipv6: '::1' },
      annotations: [{ timestamp: 11, value: 'ws' }], tags: { 'http.rsp.status': '200', __proto__x: 'y' },
    };
    assert.deepEqual(decodeTrace([span]), { ok: true, value: [span] });
    // null fields are absent; a tag named __proto__ stays a tag.
    const d = decodeTrace(JSON.parse(`[{"traceId":"${T}","id":"${id(1)}","parentId":null,"name":null,"tags":{"__proto__":"x"}}]`));
    assert.ok(d.ok);
    assert.deepEqual(Object.keys(d.value[0]!), ['traceId', 'id', 'tags']);
    assert.equal(Object.getOwnPropertyDescriptor(d.value[0]!.tags, '__proto__')?.value, 'x');
  });

  it('a malformed span is an error naming the span and the field', () => {
    const cases: [unknown, string][] = [
      [{}, 'the trace must be an array of spans, not {}'],
      [[1], 'span 0 must be an object, not 1'],
      [[{ id: id(1) }], 'span 0.traceId must be 16 or 32 lower-case hex characters, not undefined'],
      [[{ traceId: 'ABCDEF0123456789', id: id(1) }], 'span 0.traceId must be 16 or 32 lower-case hex characters, not "ABCDEF0123456789"'],
      [[{ traceId: T, id: 'x' }], 'span 0.id must be 16 lower-case hex characters, not "x"'],
      [[{ traceId: T, id: id(1), parentId: 7 }], 'span 0.parentId must be a string, not 7'],
      [[{ traceId: T, id: id(1), kind: 'LOCAL' }], 'span 0.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "LOCAL"'],
      [[{ traceId: T, id: id(1), timestamp: -1 }], 'span 0.timestamp must be a whole number of microseconds, not -1'],
      [[{ traceId: T, id: id(1), duration: 1.5 }], 'span 0.duration must be a whole number of microseconds, not 1.5'],
      [[{ traceId: T, id: id(1), shared: 'yes' }], 'span 0.shared must be true or false, not "yes"'],
      [[{ traceId: T, id: id(1), localEndpoint: [] }], 'span 0.localEndpoint must be an object, not []'],
      [[{ traceId: T, id: id(1), localEndpoint: { port: 70000 } }], 'span 0.localEndpoint.port must be a port number, not 70000'],
      [[{ traceId: T, id: id(1), remoteEndpoint: { serviceName: 1 } }], 'span 0.remoteEndpoint.serviceName must be a string, not 1'],
      [[{ traceId: T, id: id(1), annotations: {} }], 'span 0.annotations must be an array, not {}'],
      [[{ traceId: T, id: id(1), annotations: [{ value: 'x' }] }], 'span 0.annotations[0].timestamp must be a whole number of microseconds, not undefined'],
      [[{ traceId: T, id: id(1), tags: { a: 1 } }], 'span 0.tags["a"] must be a string, not 1'],
      [[{ traceId: T, id: id(1), tags: { a: 'x'.repeat(100) } }], undefined as unknown as string],
    ];
    for (const [json, error] of cases) {
      const d = decodeTrace(json);
      if (error === undefined) assert.ok(d.ok);
      else assert.deepEqual(d, { ok: false, error }, JSON.stringify(json));
    }
    assert.deepEqual(decodeTraces([[], [{ traceId: T }]]), { ok: false, error: 'span 0 of trace 1.id must be 16 lower-case hex characters, not undefined' });
    assert.deepEqual(decodeTraces('x'.repeat(100)), { ok: false, error: `the answer must be an array of traces, not "${'x'.repeat(59)}…` });
  });

  it('normalizeTraceId: 16 or 32 hex, lowered', () => {
    assert.equal(normalizeTraceId(' 00000000000000AB '), T);
    assert.equal(normalizeTraceId('463AC35C9F6413AD48485A3953BB6124'), '463ac35c9f6413ad48485a3953bb6124');
    for (const bad of ['', 'ab', '0'.repeat(17), '0'.repeat(31), 'g'.repeat(16), '0x00000000000000ab']) assert.equal(normalizeTraceId(bad), undefined, bad);
  });
});

describe('buildSpanTree', () => {
  it('nests by parentId, children by start time then as listed; spans without a timestamp last', () => {
    const tree = buildSpanTree([sp(3, 1, { timestamp: 30 }), sp(2, 1, { timestamp: 20 }), sp(1, undefined, { timestamp: 10, duration: 100 }), sp(5, 1), sp(4, 2, { timestamp: 25, duration: 200 }), sp(6, 1, { timestamp: 20 })]);
    assert.deepEqual(shape(tree), ['1', '  2', '    4', '  6', '  3', '  5']);
    assert.deepEqual([tree.traceId, tree.size, tree.startUs, tree.endUs], [T, 6, 10, 225]);
  });

  it('orphans and loops become roots after the real ones, marked; a self-parent is a loop', () => {
    const tree = buildSpanTree([sp(10, 99, { timestamp: 1 }), sp(1, undefined, { timestamp: 5 }), sp(2, 3), sp(3, 4), sp(4, 2), sp(5, 5), sp(6, 4)]);
    assert.deepEqual(shape(tree), ['1', '10 orphan', '2 cycle', '  4', '    3', '    6', '5 cycle']);
    // Nothing lost.
    assert.equal(flattenSpanTree(tree).cut, 0);
  });

  it('shared ids: the server side nests under the client span, and the spans below that id under the server side', () => {
    const spans = [
      sp(1, undefined, { kind: 'SERVER', timestamp: 0 }),
      sp(2, 1, { kind: 'CLIENT', timestamp: 10 }),
      sp(2, 1, { kind: 'SERVER', shared: true, timestamp: 12 }),
      sp(3, 2, { kind: 'CLIENT', timestamp: 14 }),
    ];
    assert.deepEqual(shape(buildSpanTree(spans)), ['1', '  2', '    2s', '      3']);
    // The server side alone (its client span not reported): it hangs by its parentId.
    assert.deepEqual(shape(buildSpanTree([spans[0]!, spans[2]!, spans[3]!])), ['1', '  2s', '    3']);
    // A duplicate span id is kept as a sibling, not lost.
    assert.deepEqual(shape(buildSpanTree([spans[0]!, spans[1]!, spans[1]!])), ['1', '  2', '  2']);
  });

  it('a chain 100,000 spans deep (and one 100,000 wide), without recursion', () => {
    const n = 100_000;
    const deep: ZipkinSpan[] = [];
    for (let i = 1; i <= n; i++) deep.push(sp(i, i === 1 ? undefined : i - 1, { timestamp: i, duration: 1 }));
    deep.reverse();
    const tree = buildSpanTree(deep);
    const { rows, cut } = flattenSpanTree(tree);
    assert.equal(rows.length, n);
    assert.equal(cut, 0);
    assert.equal(rows[n - 1]!.depth, n - 1);
    assert.equal(rows[n - 1]!.node.span.id, id(n));
    // A loop through all of them.
    const loop = deep.map((s) => (s.parentId === undefined ? { ...s, parentId: id(n) } : s));
    const looped = flattenSpanTree(buildSpanTree(loop));
    assert.equal(looped.rows.length, n);
    assert.equal(looped.rows.filter((r) => r.node.detached === 'cycle').length, 1);
    const wide = [sp(1)];
    for (let i = 2; i <= n; i++) wide.push(sp(i, 1, { timestamp: n - i }));
    const w = flattenSpanTree(buildSpanTree(wide), 10);
    assert.deepEqual([w.rows.length, w.cut, w.rows[1]!.node.span.id], [10, n - 10, id(n)]);
    // Waterfall rows of the deep chain: flat, capped.
    const view = traceView(deep);
    assert.deepEqual([view.rows.length, view.cut, view.rows[1999]!.depth, view.durationUs], [2000, n - 2000, 1999, n]);
    assert.doesNotThrow(() => JSON.stringify(view));
  });

  it('no spans', () => {
    assert.deepEqual(buildSpanTree([]), { traceId: undefined, roots: [], size: 0 });
  });
});

describe('linkerdView', () => {
  const [server, client] = decodeOk(linkerdTrace({ traceId: T, startUs: 0, dtabLocal: '/svc/dog=>/#/io.l5d.fs/cat' }));

  it('the server span: router, service, client, residual, dtabs, status, success', () => {
    assert.deepEqual(linkerdView(server!), { router: 'http', service: '/svc/dog', client: '/#/io.l5d.fs/dog', residual: '/', dtabBase: '/svc=>/#/io.l5d.fs', dtabLocal: '/svc/dog=>/#/io.l5d.fs/cat', status: 200, success: 1 });
  });

  it('a client span names its client by its service (the bound id without the leading /)', () => {
    assert.deepEqual(linkerdView(client!), { client: '/#/io.l5d.fs/dog', status: 200, success: 1 });
    assert.deepEqual(linkerdView({ traceId: T, id: id(1), kind: 'CLIENT', localEndpoint: { serviceName: 'web' } }), {});
  });

  it('failures: retries, Service, ClientAcquisition, Identification, the error tag, a 5xx, pre-1.0 tag names', () => {
    const retried = decodeOk(linkerdTrace({ traceId: T, startUs: 0, attempts: [{ status: 503, durationUs: 5 }, { status: 502, durationUs: 5 }] }));
    assert.deepEqual(retried.map((s) => linkerdView(s).failure), ['Service failure', 'classified as a failure (503)', 'classified as a failure (502)']);
    const [unbound] = decodeOk(linkerdTrace({ traceId: T, startUs: 0, failure: { kind: 'ClientAcquisition', namerFailure: 'com.twitter.finagle.NoBrokersAvailableException' } }));
    assert.deepEqual(linkerdView(unbound!), { router: 'http', service: '/svc/dog', dtabBase: '/svc=>/#/io.l5d.fs', dtabLocal: '', status: 502, success: 0, failure: 'ClientAcquisition failure: com.twitter.finagle.NoBrokersAvailableException' });
    const [unknown] = decodeOk(linkerdTrace({ traceId: T, startUs: 0, failure: { kind: 'Identification' } }));
    assert.equal(linkerdView(unknown!).failure, 'Identification failure');
    const tags = (t: Record<string, string>): ZipkinSpan => ({ traceId: T, id: id(1), tags: t });
    assert.equal(linkerdView(tags({ error: 'true' })).failure, 'error');
    assert.equal(linkerdView(tags({ error: 'boom' })).failure, 'boom');
    assert.equal(linkerdView(tags({ 'http.rsp.status': '504' })).failure, 'status 504');
    assert.equal(linkerdView(tags({ 'http.rsp.status': '404' })).failure, undefined);
    assert.equal(linkerdView(tags({ 'namer.failure': 'x.Y' })).failure, 'namer failure: x.Y');
    assert.deepEqual(linkerdView(tags({ 'namer.path': '/svc/a', 'dst.id': '/$/inet/127.1/1', 'dst.path': '/x', 'http.rsp.status': 'abc', 'l5d.success': '' })), { service: '/svc/a', client: '/$/inet/127.1/1', residual: '/x' });
    assert.deepEqual(linkerdView({ traceId: T, id: id(1), annotations: [{ timestamp: 1, value: 'l5d.failure' }] }), { failure: 'classified as a failure' });
  });
});

function decodeOk(spans: unknown): ZipkinSpan[] {
  const d = decodeTrace(spans);
  assert.ok(d.ok, d.ok ? '' : d.error);
  return d.value;
}
