// The Zipkin stand-in held to zipkin2-api.yaml: each endpoint, the exact filtering of /traces,
// 400/404/405, POST 202, and the Linkerd-shaped traces of linkerdTrace().

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { request } from '../../remote/http.js';
import { linkerdTrace, spanIdOf, startZipkinStandin, type JsonSpan, type ZipkinStandin } from '../zipkin/standin.js';

const NOW = 1_700_000_000_000; // ms
const US = NOW * 1000;

let zk: ZipkinStandin;
before(async () => {
  zk = await startZipkinStandin({ now: () => NOW });
});
after(() => zk.stop());

const get = async (path: string) => {
  const r = await request({ url: `${zk.url}${path}` });
  return { status: r.status, body: r.body, json: r.headers['content-type'] === 'application/json' ? (JSON.parse(r.body) as unknown) : undefined };
};
const ids = (json: unknown) => (json as JsonSpan[][]).map((t) => t[0]!.traceId);

const span = (traceId: string, id: string, extra: JsonSpan = {}): JsonSpan => ({ traceId, id, timestamp: US - 1_000_000, duration: 1000, localEndpoint: { serviceName: 'a' }, ...extra });

describe('the Zipkin stand-in', () => {
  beforeEach(() => {
    zk.clearSpans();
    zk.clearRequests();
  });

  it('POST /api/v2/spans: 202 with an empty body; names lower-cased as Zipkin stores them', async () => {
    const r = await request({ url: `${zk.url}/api/v2/spans`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([span('00000000000000a1', '00000000000000a1', { name: 'GET /X', localEndpoint: { serviceName: 'Svc' } })]) });
    assert.equal(r.status, 202);
    assert.equal(r.body, '');
    assert.deepEqual(zk.spans(), [span('00000000000000a1', '00000000000000a1', { name: 'get /x', localEndpoint: { serviceName: 'svc' } })]);
    const bad = await request({ url: `${zk.url}/api/v2/spans`, method: 'POST', body: '[{"id":"1"}]' });
    assert.deepEqual([bad.status, bad.body], [400, 'Expected a JSON_V2 encoded list of spans with traceId and id']);
    const notJson = await request({ url: `${zk.url}/api/v2/spans`, method: 'POST', body: 'nope' });
    assert.equal(notJson.status, 400);
  });

  it('/services and /spans: sorted, unique; /spans without serviceName is 400', async () => {
    zk.add([span('00000000000000a1', '0000000000000001', { name: 'b' }), span('00000000000000a1', '0000000000000002', { name: 'a' }), span('00000000000000a2', '0000000000000003', { name: 'c', localEndpoint: { serviceName: '0.0.0.0/4140' } })]);
    assert.deepEqual((await get('/api/v2/services')).json, ['0.0.0.0/4140', 'a']);
    assert.deepEqual((await get('/api/v2/spans?serviceName=a')).json, ['a', 'b']);
    assert.deepEqual((await get('/api/v2/spans?serviceName=A')).json, ['a', 'b']);
    assert.deepEqual((await get('/api/v2/spans?serviceName=nobody')).json, []);
    assert.deepEqual(await get('/api/v2/spans'), { status: 400, body: 'serviceName is required', json: undefined });
  });

  it('/trace/{id}: the spans in the order received; 404 unknown; 400 for an id that is not 16 or 32 lower-case hex', async () => {
    zk.add([span('00000000000000a1', '0000000000000001'), span('00000000000000a2', '0000000000000002'), span('00000000000000a1', '0000000000000003')]);
    assert.deepEqual((await get('/api/v2/trace/00000000000000a1')).json, [span('00000000000000a1', '0000000000000001'), span('00000000000000a1', '0000000000000003')]);
    assert.deepEqual(await get('/api/v2/trace/00000000000000ff'), { status: 404, body: '00000000000000ff not found', json: undefined });
    const long = '463ac35c9f6413ad48485a3953bb6124';
    zk.add([span(long, '0000000000000009')]);
    assert.equal((await get(`/api/v2/trace/${long}`)).status, 200);
    for (const bad of ['00000000000000A1', 'abc', '00000000000000a1a', 'zzzzzzzzzzzzzzzz']) assert.equal((await get(`/api/v2/trace/${bad}`)).status, 400, bad);
  });

  it('/traceMany: the traces found, in the order asked; fewer than two, repeated or malformed ids are 400', async () => {
    zk.add([span('00000000000000a1', '0000000000000001'), span('00000000000000a2', '0000000000000002')]);
    assert.deepEqual(ids((await get('/api/v2/traceMany?traceIds=00000000000000a2,00000000000000ff,00000000000000a1')).json), ['00000000000000a2', '00000000000000a1']);
    assert.deepEqual((await get('/api/v2/traceMany?traceIds=00000000000000fe,00000000000000ff')).json, []);
    for (const q of ['00000000000000a1', '00000000000000a1,00000000000000a1', '00000000000000a1,x', '']) assert.equal((await get(`/api/v2/traceMany?traceIds=${q}`)).status, 400, q);
  });

  it('/traces: the time window (every span in [endTs - lookback, endTs]), newest first, limit (default 10)', async () => {
    // Traces 1 s, 2 s, … 12 s before NOW.
    for (let i = 1; i <= 12; i++) zk.add([span(`00000000000000${(0xa0 + i).toString(16)}`, '0000000000000001', { timestamp: US - i * 1_000_000 })]);
    assert.deepEqual(ids((await get('/api/v2/traces')).json), ['00000000000000a1', '00000000000000a2', '00000000000000a3', '00000000000000a4', '00000000000000a5', '00000000000000a6', '00000000000000a7', '00000000000000a8', '00000000000000a9', '00000000000000aa']);
    assert.deepEqual(ids((await get('/api/v2/traces?limit=2')).json), ['00000000000000a1', '00000000000000a2']);
    // endTs 3 s ago, lookback 2 s: traces 3, 4 and 5 s old (both ends inclusive).
    assert.deepEqual(ids((await get(`/api/v2/traces?endTs=${NOW - 3000}&lookback=2000`)).json), ['00000000000000a3', '00000000000000a4', '00000000000000a5']);
    // A trace with one span outside the window is not returned.
    zk.add([span('00000000000000a1', '0000000000000002', { timestamp: US - 10_000_000 })]);
    assert.deepEqual(ids((await get('/api/v2/traces?lookback=5000')).json), ['00000000000000a2', '00000000000000a3', '00000000000000a4', '00000000000000a5']);
    for (const q of ['limit=0', 'limit=x', 'endTs=-1', 'lookback=0', 'maxDuration=5', 'minDuration=10&maxDuration=5']) assert.equal((await get(`/api/v2/traces?${q}`)).status, 400, q);
    assert.deepEqual(await get('/api/v2/traces?maxDuration=5'), { status: 400, body: 'maxDuration is only valid with minDuration', json: undefined });
  });

  it('/traces: serviceName, spanName, annotationQuery and durations must all hold on one span', async () => {
    zk.add([
      span('00000000000000b1', '0000000000000001', { name: 'get /a', duration: 500, tags: { 'http.rsp.status': '200' }, annotations: [{ timestamp: US - 1_000_000, value: 'finagle.retry' }] }),
      span('00000000000000b1', '0000000000000002', { name: 'get /b', duration: 5000, localEndpoint: { serviceName: 'b' }, tags: { 'http.rsp.status': '503' } }),
      span('00000000000000b2', '0000000000000003', { name: 'get /a', duration: 2000, timestamp: US - 2_000_000, tags: { 'http.rsp.status': '503', retried: '' } }),
    ]);
    const q = async (query: string) => ids((await get(`/api/v2/traces?${query}`)).json);
    assert.deepEqual(await q('serviceName=a'), ['00000000000000b1', '00000000000000b2']);
    assert.deepEqual(await q('serviceName=B'), ['00000000000000b1']);
    assert.deepEqual(await q('serviceName=c'), []);
    assert.deepEqual(await q('spanName=get%20/b'), ['00000000000000b1']);
    assert.deepEqual(await q('spanName=all'), ['00000000000000b1', '00000000000000b2']);
    // serviceName constrains spanName: get /b is b's span, not a's.
    assert.deepEqual(await q('serviceName=a&spanName=get%20/b'), []);
    assert.deepEqual(await q(`annotationQuery=${encodeURIComponent('http.rsp.status=503')}`), ['00000000000000b1', '00000000000000b2']);
    assert.deepEqual(await q(`serviceName=a&annotationQuery=${encodeURIComponent('http.rsp.status=503')}`), ['00000000000000b2']);
    // A bare word: an annotation value, or a tag key.
    assert.deepEqual(await q('annotationQuery=finagle.retry'), ['00000000000000b1']);
    assert.deepEqual(await q('annotationQuery=retried'), ['00000000000000b2']);
    // ANDed on one span: b1's 503 span has no finagle.retry, its retry span no 503.
    assert.deepEqual(await q(`annotationQuery=${encodeURIComponent('http.rsp.status=503 and finagle.retry')}`), []);
    assert.deepEqual(await q(`annotationQuery=${encodeURIComponent('http.rsp.status=503 and retried')}`), ['00000000000000b2']);
    assert.deepEqual(await q('minDuration=2000'), ['00000000000000b1', '00000000000000b2']);
    assert.deepEqual(await q('minDuration=2001'), ['00000000000000b1']);
    assert.deepEqual(await q('minDuration=1000&maxDuration=2000'), ['00000000000000b2']);
    assert.deepEqual(await q('serviceName=a&minDuration=3000'), []);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    assert.equal((await get('/api/v1/traces')).status, 404);
    assert.equal((await get('/api/v2/dependencies')).status, 404);
    assert.equal((await request({ url: `${zk.url}/api/v2/services`, method: 'DELETE' })).status, 405);
  });

  it('faults: status, malformed, refuse (then the same port again), delay until cleared', async () => {
    zk.add([span('00000000000000a1', '0000000000000001')]);
    const s = await zk.fault({ kind: 'status', code: 503, body: 'down', path: '/api/v2/services', times: 1 });
    assert.deepEqual(await get('/api/v2/services'), { status: 503, body: 'down', json: undefined });
    assert.equal(s.hits, 1);
    assert.equal((await get('/api/v2/services')).status, 200);
    await zk.fault({ kind: 'malformed', times: 1 });
    const m = await request({ url: `${zk.url}/api/v2/trace/00000000000000a1` });
    assert.deepEqual([m.status, m.body], [200, '[{"traceId":"']);
    const refuse = await zk.fault({ kind: 'refuse' });
    await assert.rejects(request({ url: `${zk.url}/api/v2/services` }), (e: Error) => /connection refused/.test(e.message));
    await refuse.clear();
    assert.equal((await get('/api/v2/services')).status, 200);
    const d = await zk.fault({ kind: 'delay', path: '/api/v2/services' });
    let answered = false;
    const seen = zk.requests.length;
    const pending = request({ url: `${zk.url}/api/v2/services` }).then((r) => ((answered = true), r));
    // The request is held: it has arrived (recorded) and nothing has been answered.
    while (zk.requests.length === seen) await new Promise((r) => setImmediate(r));
    assert.equal(answered, false);
    await d.clear();
    assert.equal((await pending).status, 200);
  });
});

describe('linkerdTrace', () => {
  it('a server span and a client span, as Linkerd 1 records them', () => {
    const spans = linkerdTrace({ traceId: '00000000000000ab', startUs: 1_000_000, host: 'dog', uri: '/bark?x=1' });
    assert.deepEqual(spans, [
      {
        traceId: '00000000000000ab',
        id: '00000000000000ab',
        kind: 'SERVER',
        name: 'http /svc/dog',
        timestamp: 1_000_000,
        duration: 1200,
        localEndpoint: { serviceName: '0.0.0.0/4140', ipv4: '127.0.0.1', port: 4140 },
        remoteEndpoint: { ipv4: '127.0.0.1', port: 53124 },
        annotations: [
          { timestamp: 1_000_005, value: 'wr' },
          { timestamp: 1_001_195, value: 'ws' },
        ],
        tags: {
          'router.label': 'http',
          service: '/svc/dog',
          client: '/#/io.l5d.fs/dog',
          residual: '/',
          'dtab.base': '/svc=>/#/io.l5d.fs',
          'dtab.local': '',
          'http.uri': '/bark?x=1',
          'http.req.method': 'GET',
          'http.req.host': 'dog',
          'http.req.version': 'HTTP/1.1',
          'http.rsp.status': '200',
          'http.rsp.version': 'HTTP/1.1',
          'l5d.success': '1.0',
        },
      },
      {
        traceId: '00000000000000ab',
        parentId: '00000000000000ab',
        id: '00000000000000aa',
        kind: 'CLIENT',
        name: 'get /bark',
        timestamp: 1_000_100,
        duration: 1000,
        localEndpoint: { serviceName: '#/io.l5d.fs/dog', ipv4: '127.0.0.1' },
        remoteEndpoint: { ipv4: '127.0.0.1', port: 8080 },
        annotations: [
          { timestamp: 1_000_110, value: 'ws' },
          { timestamp: 1_001_090, value: 'wr' },
        ],
        tags: { 'http.uri': '/bark?x=1', 'http.req.method': 'GET', 'http.req.version': 'HTTP/1.1', 'http.rsp.status': '200', 'http.rsp.version': 'HTTP/1.1', 'l5d.success': '1.0' },
      },
    ]);
  });

  it('retries are more client spans; a failed last attempt is a Service failure; shared downstream spans; binding failures', () => {
    const retried = linkerdTrace({ traceId: '00000000000000ab', startUs: 0, attempts: [{ status: 503, durationUs: 10 }, { status: 503, durationUs: 10 }], downstream: 'Dog' });
    assert.deepEqual(retried.map((s) => [s.id, s.kind, s.shared ?? false, (s.tags as Record<string, string>)['http.rsp.status']]), [
      ['00000000000000ab', 'SERVER', false, '503'],
      [spanIdOf('00000000000000ab', 1), 'CLIENT', false, '503'],
      [spanIdOf('00000000000000ab', 1), 'SERVER', true, '503'],
      [spanIdOf('00000000000000ab', 2), 'CLIENT', false, '503'],
      [spanIdOf('00000000000000ab', 2), 'SERVER', true, '503'],
    ]);
    assert.equal((retried[0]!.tags as Record<string, string>)['io.buoyant.router.Failure'], 'Service');
    assert.deepEqual((retried[3]!.annotations as { value: string }[]).map((a) => a.value), ['ws', 'wr', 'finagle.retry', 'l5d.failure']);
    assert.equal((retried[2]!.localEndpoint as { serviceName: string }).serviceName, 'dog');
    const unbound = linkerdTrace({ traceId: '00000000000000ab', startUs: 0, failure: { kind: 'ClientAcquisition', namerFailure: 'com.twitter.finagle.NoBrokersAvailableException' } });
    assert.equal(unbound.length, 1);
    const tags = unbound[0]!.tags as Record<string, string>;
    assert.deepEqual([tags['http.rsp.status'], tags['io.buoyant.router.Failure'], tags['namer.failure'], tags.service, tags.client], ['502', 'ClientAcquisition', 'com.twitter.finagle.NoBrokersAvailableException', '/svc/dog', undefined]);
    const unidentified = linkerdTrace({ traceId: '00000000000000ab', startUs: 0, failure: { kind: 'Identification' } });
    assert.deepEqual([unidentified[0]!.name, (unidentified[0]!.tags as Record<string, string>)['http.rsp.status'], (unidentified[0]!.tags as Record<string, string>).service], ['http', '400', undefined]);
  });
});
