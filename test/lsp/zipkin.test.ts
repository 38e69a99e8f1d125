// The Zipkin requests through the real server (dist/server.js --stdio) against the Zipkin stand-in:
// only the URL of linkerdDtab.zipkin.url, nothing while untrusted, services, traces, one trace.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TrustNotification, ZipkinServices, ZipkinTrace, ZipkinTraces } from '../../protocol/messages.js';
import { linkerdTrace, startZipkinStandin, type ZipkinStandin } from '../zipkin/standin.js';
import { LspClient } from '../support/lsp-client.js';

describe('Zipkin traces through the server', () => {
  let zk: ZipkinStandin;
  let client: LspClient;
  const send = <R>(method: string, params: unknown) => client.connection.sendRequest(method, params) as Promise<R>;

  before(async () => {
    const now = Date.now();
    zk = await startZipkinStandin({ now: () => now });
    zk.add(linkerdTrace({ traceId: '00000000000000a1', startUs: (now - 1000) * 1000, attempts: [{ status: 503, durationUs: 100 }, { status: 200, durationUs: 100 }] }));
    client = new LspClient({ zipkin: { url: zk.url }, network: { timeoutSeconds: 5 } }, undefined, { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' });
    await client.start();
  });
  after(async () => {
    await client.stop();
    await zk.stop();
  });

  it('services, traces (summaries) and one trace (waterfall rows)', async () => {
    assert.deepEqual(await send(ZipkinServices.method, { server: { url: zk.url } }), { ok: true, services: ['#/io.l5d.fs/dog', '0.0.0.0/4140'] });
    const traces = await send<{ ok: true; traces: { traceId: string; errors: number }[] }>(ZipkinTraces.method, { server: { url: zk.url }, serviceName: '0.0.0.0/4140', lookbackMs: 3_600_000 });
    assert.deepEqual(traces.traces.map((t) => [t.traceId, t.errors]), [['00000000000000a1', 1]]);
    assert.match(zk.requests.at(-1)!.url, /^\/api\/v2\/traces\?serviceName=0\.0\.0\.0%2F4140&lookback=3600000&limit=20$/);
    const one = await send<{ ok: true; trace: { rows: { depth: number; kind: string; linkerd: { service?: string } }[] } }>(ZipkinTrace.method, { server: { url: zk.url }, traceId: '00000000000000A1' });
    assert.deepEqual(one.trace.rows.map((r) => [r.depth, r.kind, r.linkerd.service]), [[0, 'SERVER', '/svc/dog'], [1, 'CLIENT', undefined], [1, 'CLIENT', undefined]]);
    assert.deepEqual(await send(ZipkinTrace.method, { server: { url: zk.url }, traceId: '00000000000000ff' }), { ok: false, kind: 'not-found', message: `${zk.url}/api/v2/trace/00000000000000ff answered 404 Not Found: 00000000000000ff not found` });
  });

  it('bad params are InvalidParams; other URLs are refused; nothing while untrusted', async () => {
    await assert.rejects(send(ZipkinTrace.method, { server: { url: zk.url } }), /params\.traceId is missing/);
    await assert.rejects(send(ZipkinTraces.method, { server: { url: zk.url }, limit: -1 }), /params\.limit must be a non-negative integer/);
    assert.deepEqual(await send(ZipkinServices.method, { server: { url: 'http://127.0.0.1:1' } }), {
      ok: false,
      kind: 'not-configured',
      message: 'http://127.0.0.1:1 is not in linkerdDtab.zipkin.url: add it to the settings first (requests go only to URLs you configured).',
    });
    const n = zk.requests.length;
    await client.connection.sendNotification(TrustNotification.method, { trusted: false });
    const r = await send<{ ok: boolean; kind: string }>(ZipkinServices.method, { server: { url: zk.url } });
    assert.deepEqual([r.ok, r.kind], [false, 'untrusted']);
    assert.equal(zk.requests.length, n);
    await client.connection.sendNotification(TrustNotification.method, { trusted: true });
  });
});
