// remote/zipkin.ts against the Zipkin stand-in: each call (what is sent, what comes back), and its
// errors with exact messages: 404 → not-found, other statuses, not JSON, malformed spans, refused,
// timeout, an invalid trace id (nothing sent).

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HttpError } from '../../remote/http.js';
import { ZipkinClient, ZipkinError } from '../../remote/zipkin.js';
import { linkerdTrace, startZipkinStandin, type ZipkinStandin } from '../zipkin/standin.js';
import { rejects } from '../support/rejects.js';

const NOW = 1_700_000_000_000;
let zk: ZipkinStandin;
let server: string;
before(async () => {
  zk = await startZipkinStandin({ now: () => NOW });
  server = zk.url;
});
after(() => zk.stop());

const client = (opts?: { authorization?: string; timeoutMs?: number }) => new ZipkinClient(new URL(zk.url), opts);

describe('ZipkinClient', () => {
  beforeEach(async () => {
    await zk.clearFaults();
    zk.clearSpans();
    zk.clearRequests();
    zk.add(linkerdTrace({ traceId: '00000000000000a1', startUs: (NOW - 2000) * 1000 }));
    zk.add(linkerdTrace({ traceId: '00000000000000a2', startUs: (NOW - 1000) * 1000, attempts: [{ status: 503, durationUs: 3000 }] }));
  });

  it('services() and spanNames(), with the Authorization header and Accept: application/json', async () => {
    assert.deepEqual(await client({ authorization: 'Bearer t' }).services(), ['#/io.l5d.fs/dog', '0.0.0.0/4140']);
    assert.deepEqual(await client().spanNames('0.0.0.0/4140'), ['http /svc/dog']);
    assert.deepEqual(zk.requests.map((r) => r.url), ['/api/v2/services', '/api/v2/spans?serviceName=0.0.0.0%2F4140']);
    assert.equal(zk.requests[0]!.headers.authorization, 'Bearer t');
    assert.equal(zk.requests[0]!.headers.accept, 'application/json');
    assert.equal(zk.requests[1]!.headers.authorization, undefined);
  });

  it('keeps a base URL path prefix (a Zipkin behind a proxy path)', async () => {
    const c = new ZipkinClient(new URL(`${zk.url}/zipkin/`));
    await rejects(c.services(), ZipkinError, `${server}/zipkin/api/v2/services answered 404 Not Found: Not Found`);
  });

  it('traces(q): every parameter as the API names it; decoded traces', async () => {
    const traces = await client().traces({ serviceName: '0.0.0.0/4140', spanName: 'http /svc/dog', annotationQuery: 'l5d.success=0.0', minDurationUs: 10, maxDurationUs: 1_000_000, lookbackMs: 60_000, endTs: NOW, limit: 5 });
    assert.equal(zk.requests.at(-1)!.url, '/api/v2/traces?serviceName=0.0.0.0%2F4140&spanName=http+%2Fsvc%2Fdog&annotationQuery=l5d.success%3D0.0&minDuration=10&maxDuration=1000000&endTs=1700000000000&lookback=60000&limit=5');
    assert.deepEqual(traces.map((t) => t.map((s) => s.id)), [['00000000000000a2', '00000000000000a3']]);
    assert.deepEqual(traces[0]![1]!.tags!['http.rsp.status'], '503');
    assert.deepEqual((await client().traces()).map((t) => t[0]!.traceId), ['00000000000000a2', '00000000000000a1']);
    assert.equal(zk.requests.at(-1)!.url, '/api/v2/traces');
    await rejects(client().traces({ limit: -1 }), ZipkinError, 'limit must be a whole number of at least 0, not -1');
    await rejects(client().traces({ lookbackMs: 1.5 }), ZipkinError, 'lookbackMs must be a whole number of at least 0, not 1.5');
  });

  it('trace(id): the spans; an upper-case id is lowered; 404 is not-found naming the server and status', async () => {
    const spans = await client().trace('00000000000000A1');
    assert.deepEqual(spans.map((s) => [s.id, s.kind, s.localEndpoint?.serviceName]), [['00000000000000a1', 'SERVER', '0.0.0.0/4140'], ['00000000000000a0', 'CLIENT', '#/io.l5d.fs/dog']]);
    const e = (await rejects(client().trace('00000000000000ff'), ZipkinError, `${server}/api/v2/trace/00000000000000ff answered 404 Not Found: 00000000000000ff not found`)) as ZipkinError;
    assert.deepEqual([e.kind, e.status, e.server], ['not-found', 404, server]);
    const n = zk.requests.length;
    const bad = (await rejects(client().trace('xyz'), ZipkinError, 'not a trace id: "xyz" (16 or 32 hex characters, as l5d-reqid)')) as ZipkinError;
    assert.equal(bad.kind, 'invalid');
    assert.equal(zk.requests.length, n, 'nothing sent for an invalid id');
  });

  it('statuses: 401, 403, 5xx name the server, the endpoint, the status and the body', async () => {
    for (const [code, kind, text] of [[401, 'unauthorized', 'Unauthorized'], [403, 'forbidden', 'Forbidden'], [500, 'server', 'Internal Server Error']] as const) {
      await zk.fault({ kind: 'status', code, body: 'no\nmore', times: 1 });
      const e = (await rejects(client().services(), ZipkinError, `${server}/api/v2/services answered ${code} ${text}: no`)) as ZipkinError;
      assert.deepEqual([e.kind, e.status], [kind, code]);
    }
  });

  it('not JSON, and JSON that is not Zipkin\'s: protocol errors naming the span and the field', async () => {
    await zk.fault({ kind: 'malformed', times: 1 });
    const e = (await rejects(client().trace('00000000000000a1'), ZipkinError, `${server}/api/v2/trace/00000000000000a1 answered with something that is not JSON: [{"traceId":"`)) as ZipkinError;
    assert.equal(e.kind, 'protocol');
    await zk.fault({ kind: 'malformed', body: '{"a":1}', times: 1 });
    await rejects(client().services(), ZipkinError, `${server}/api/v2/services answered something that is not Zipkin's: the answer must be an array of strings, not {"a":1}`);
    zk.add([{ traceId: '00000000000000c1', id: '00000000000000c1', timestamp: (NOW - 1) * 1000 }, { traceId: '00000000000000c1', id: '00000000000000c2', duration: '12' }]);
    await rejects(client().trace('00000000000000c1'), ZipkinError, `${server}/api/v2/trace/00000000000000c1 answered something that is not Zipkin's: span 1.duration must be a whole number of microseconds, not "12"`);
    await rejects(client().traces({ limit: 1 }), ZipkinError, `${server}/api/v2/traces answered something that is not Zipkin's: span 1 of trace 0.duration must be a whole number of microseconds, not "12"`);
    zk.clearSpans();
    zk.add([{ traceId: '00000000000000c1', id: 'nope', timestamp: 1 }]);
    await rejects(client().trace('00000000000000c1'), ZipkinError, `${server}/api/v2/trace/00000000000000c1 answered something that is not Zipkin's: span 0.id must be 16 lower-case hex characters, not "nope"`);
  });

  it('refused and timeout are HttpErrors naming the server', async () => {
    const f = await zk.fault({ kind: 'refuse' });
    const e = (await rejects(client().services(), HttpError, `${server}: connection refused (is it running, and is this the right port?)`)) as HttpError;
    assert.equal(e.kind, 'refused');
    await f.clear();
    await zk.fault({ kind: 'delay', path: '/api/v2/trace/' });
    const t = (await rejects(client({ timeoutMs: 50 }).trace('00000000000000a1'), HttpError, `${server}: no answer within 0.05 s`)) as HttpError;
    assert.equal(t.kind, 'timeout');
  });
});
