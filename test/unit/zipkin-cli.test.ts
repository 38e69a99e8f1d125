// `dtab trace` against the Zipkin stand-in (a fixed clock): every exit status (0, 2, 4, 5) with the
// exact output.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { linkerdTrace, startZipkinStandin, type ZipkinStandin } from '../zipkin/standin.js';

const NOW = 1_700_000_000_000;
let zk: ZipkinStandin;
let url: string;
before(async () => {
  zk = await startZipkinStandin({ now: () => NOW });
  url = zk.url;
  zk.add(linkerdTrace({ traceId: '00000000000000a1', startUs: (NOW - 7_200_000) * 1000 }));
  zk.add(linkerdTrace({ traceId: '00000000000000a2', startUs: (NOW - 60_000) * 1000, attempts: [{ status: 503, durationUs: 2000 }, { status: 200, durationUs: 150_000 }] }));
  zk.add(linkerdTrace({ traceId: '00000000000000a3', startUs: (NOW - 1000) * 1000, failure: { kind: 'ClientAcquisition', namerFailure: 'com.twitter.finagle.NoBrokersAvailableException' } }));
});
after(() => zk.stop());

// `dtab trace` reads and writes no files.
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env });

describe('dtab trace', () => {
  it('0: one trace as a tree', async () => {
    assert.deepEqual(await run(['trace', '--zipkin', url, '00000000000000A3']), {
      code: 0,
      out:
        'trace 00000000000000a3  1 span  200µs  2023-11-14T22:13:19.000Z\n' +
        'http /svc/dog  0.0.0.0/4140  200µs  SERVER  ERROR: ClientAcquisition failure: com.twitter.finagle.NoBrokersAvailableException\n' +
        '    router.label: http\n' +
        '    service: /svc/dog\n' +
        '    dtab.base: /svc=>/#/io.l5d.fs\n',
      err: '',
    });
  });

  it('0: --json prints the spans as decoded', async () => {
    const r = await run(['trace', '--zipkin', url, '00000000000000a3', '--json']);
    assert.equal(r.code, 0);
    assert.ok(r.out.startsWith('[\n  {\n    "traceId": "00000000000000a3",\n'));
    assert.deepEqual(JSON.parse(r.out), zk.spans().filter((s) => s.traceId === '00000000000000a3'));
  });

  it('0: --list with the query options; DTAB_ZIPKIN_TOKEN as a bearer token', async () => {
    zk.clearRequests();
    const r = await run(['trace', '--zipkin', url, '--list', '--service', '0.0.0.0/4140', '--lookback', '1h', '--limit', '5', '--min-duration', '100us'], { DTAB_ZIPKIN_TOKEN: 'sekrit' });
    assert.deepEqual(r, {
      code: 0,
      out:
        '00000000000000a3  2023-11-14T22:13:19.000Z  200µs  1 span  0.0.0.0/4140  http /svc/dog  ERROR: ClientAcquisition failure: com.twitter.finagle.NoBrokersAvailableException\n' +
        '00000000000000a2  2023-11-14T22:12:20.000Z  152.25ms  3 spans  0.0.0.0/4140  http /svc/dog  ERROR: classified as a failure (503)\n',
      err: '',
    });
    assert.equal(zk.requests[0]!.url, '/api/v2/traces?serviceName=0.0.0.0%2F4140&minDuration=100&lookback=3600000&limit=5');
    assert.equal(zk.requests[0]!.headers.authorization, 'Bearer sekrit');
    const spanAndAnnotation = await run(['trace', '--zipkin', url, '--list', '--span', 'get /', '--annotation', 'finagle.retry', '--json']);
    assert.equal(spanAndAnnotation.code, 0);
    assert.deepEqual(JSON.parse(spanAndAnnotation.out), [{ traceId: '00000000000000a2', spans: 3, root: { name: 'http /svc/dog', service: '0.0.0.0/4140' }, startUs: (NOW - 60_000) * 1000, durationUs: 152_250, errors: 1, error: 'classified as a failure (503)' }]);
    assert.deepEqual(await run(['trace', '--zipkin', url, '--list', '--service', 'nobody']), { code: 0, out: 'no traces match\n', err: '' });
  });

  it('2: usage, an invalid trace id, an invalid URL', async () => {
    const usage = async (args: string[], first: string) => {
      const r = await run(['trace', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.out, '');
      assert.equal(r.err.split('\n')[0], first);
      assert.ok(r.err.includes('\nusage:\n'));
    };
    await usage(['00000000000000a1'], "dtab: trace needs --zipkin URL (Zipkin's query API, e.g. http://zipkin:9411)");
    await usage(['--zipkin', url], 'dtab: trace takes exactly one TRACE_ID (or --list)');
    await usage(['--zipkin', url, 'a', 'b'], 'dtab: trace takes exactly one TRACE_ID (or --list)');
    await usage(['--zipkin', url, '--list', '00000000000000a1'], 'dtab: trace --list takes no TRACE_ID');
    await usage(['--zipkin', url, '--service', 'x', '00000000000000a1'], 'dtab: --service goes with --list');
    await usage(['--zipkin', url, '--list', '--lookback', '1'], 'dtab: --lookback takes a number with a unit (us, ms, s, m, h, d), e.g. 100ms or 1h, not "1"');
    await usage(['--zipkin', url, '--list', '--lookback', '0ms'], 'dtab: --lookback must be more than 0');
    await usage(['--zipkin', url, '--list', '--lookback', '1us'], 'dtab: --lookback 1us is not a whole number of milliseconds');
    await usage(['--zipkin', url, '--list', '--limit', '0'], 'dtab: --limit takes a whole number of at least 1, not "0"');
    await usage(['--zipkin', url, '--list', '--min-duration', 'fast'], 'dtab: --min-duration takes a number with a unit (us, ms, s, m, h, d), e.g. 100ms or 1h, not "fast"');
    await usage(['--zipkin', url, '--timeout', '0', '00000000000000a1'], 'dtab: --timeout takes seconds (a number above 0), not 0');
    const unknown = await run(['trace', '--zipkin', url, '--bogus', '00000000000000a1']);
    assert.equal(unknown.code, 2);
    assert.ok(unknown.err.startsWith("dtab: Unknown option '--bogus'."));
    assert.deepEqual(await run(['trace', '--zipkin', url, 'xyz']), { code: 2, out: '', err: 'dtab: not a trace id: "xyz" (16 or 32 hex characters, as Linkerd\'s l5d-reqid)\n' });
    assert.deepEqual(await run(['trace', '--zipkin', 'ftp://x', '00000000000000a1']), { code: 2, out: '', err: 'dtab: --zipkin: invalid base URL: ftp://x (only http and https)\n' });
  });

  it('4: no such trace', async () => {
    assert.deepEqual(await run(['trace', '--zipkin', url, '00000000000000ff']), {
      code: 4,
      out: '',
      err:
        `dtab: ${url}/api/v2/trace/00000000000000ff answered 404 Not Found: 00000000000000ff not found\n` +
        'dtab: no such trace in Zipkin (Linkerd samples 1 request in 1000 by default; `dtab request --sample` sends one that is traced)\n',
    });
  });

  it('5: refused, timeout, a server error, an answer that is not Zipkin\'s', async () => {
    const f = await zk.fault({ kind: 'refuse' });
    assert.deepEqual(await run(['trace', '--zipkin', url, '--list']), { code: 5, out: '', err: `dtab: ${url}: connection refused (is it running, and is this the right port?)\n` });
    await f.clear();
    const d = await zk.fault({ kind: 'delay' });
    assert.deepEqual(await run(['trace', '--zipkin', url, '--timeout', '0.05', '00000000000000a1']), { code: 5, out: '', err: `dtab: ${url}: no answer within 0.05 s\n` });
    await d.clear();
    await zk.fault({ kind: 'status', code: 503, body: 'storage down', times: 1 });
    assert.deepEqual(await run(['trace', '--zipkin', url, '00000000000000a1']), { code: 5, out: '', err: `dtab: ${url}/api/v2/trace/00000000000000a1 answered 503 Service Unavailable: storage down\n` });
    await zk.fault({ kind: 'malformed', times: 1 });
    assert.deepEqual(await run(['trace', '--zipkin', url, '--list']), { code: 5, out: '', err: `dtab: ${url}/api/v2/traces answered with something that is not JSON: [{"traceId":"\n` });
    await zk.fault({ kind: 'malformed', body: '[{"traceId":"00000000000000a1","id":"00000000000000a1","kind":"server"}]', times: 1 });
    assert.deepEqual(await run(['trace', '--zipkin', url, '00000000000000a1']), {
      code: 5,
      out: '',
      err: `dtab: ${url}/api/v2/trace/00000000000000a1 answered something that is not Zipkin's: span 0.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "server"\n`,
    });
  });
});
