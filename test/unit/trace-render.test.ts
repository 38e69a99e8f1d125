// core/trace text: the tree for terminals (exact), trace summaries and the list line, durations,
// and remote strings made safe for terminals.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSpanTree, decodeTrace, formatDuration, parseDuration, renderTraceList, renderTraceText, summarizeTrace, termSafe, type ZipkinSpan } from '../../core/index.js';
import { linkerdTrace } from '../zipkin/standin.js';

const T = '00000000000000ab';
const START = 1_700_000_000_000_000;

function decodeOk(spans: unknown): ZipkinSpan[] {
  const d = decodeTrace(spans);
  assert.ok(d.ok, d.ok ? '' : d.error);
  return d.value;
}

describe('renderTraceText', () => {
  it('a retried request with a shared downstream span: indented, errors marked, Linkerd tags on their own lines', () => {
    const spans = decodeOk(linkerdTrace({ traceId: T, startUs: START, attempts: [{ status: 503, durationUs: 2000 }, { status: 200, durationUs: 1500 }], downstream: 'dog', dtabLocal: '/svc/dog=>/#/io.l5d.fs/cat', uri: '/bark' }));
    assert.equal(
      renderTraceText(buildSpanTree(spans)),
      'trace 00000000000000ab  5 spans  3.75ms  2023-11-14T22:13:20.000Z\n' +
        'http /svc/dog  0.0.0.0/4140  3.75ms  SERVER\n' +
        '    router.label: http\n' +
        '    service: /svc/dog\n' +
        '    client: /#/io.l5d.fs/dog\n' +
        '    residual: /\n' +
        '    dtab.base: /svc=>/#/io.l5d.fs\n' +
        '    dtab.local: /svc/dog=>/#/io.l5d.fs/cat\n' +
        '  get /bark  #/io.l5d.fs/dog  2ms  CLIENT  ERROR: classified as a failure (503)\n' +
        '    get /bark  dog  1.96ms  SERVER (shared)  ERROR: status 503\n' +
        '  get /bark  #/io.l5d.fs/dog  1.5ms  CLIENT\n' +
        '    get /bark  dog  1.46ms  SERVER (shared)\n',
    );
  });

  it('a binding failure; orphans and loops; spans without name, service, duration or kind', () => {
    const unbound = decodeOk(linkerdTrace({ traceId: T, startUs: START, failure: { kind: 'ClientAcquisition', namerFailure: 'com.twitter.finagle.NoBrokersAvailableException' } }));
    assert.equal(
      renderTraceText(buildSpanTree(unbound)),
      'trace 00000000000000ab  1 span  200µs  2023-11-14T22:13:20.000Z\n' +
        'http /svc/dog  0.0.0.0/4140  200µs  SERVER  ERROR: ClientAcquisition failure: com.twitter.finagle.NoBrokersAvailableException\n' +
        '    router.label: http\n' +
        '    service: /svc/dog\n' +
        '    dtab.base: /svc=>/#/io.l5d.fs\n',
    );
    const odd: ZipkinSpan[] = [
      { traceId: T, id: '0000000000000001' },
      { traceId: T, id: '0000000000000002', parentId: '00000000000000ff', name: 'x', kind: 'CLIENT', duration: 1_500_000 },
      { traceId: T, id: '0000000000000003', parentId: '0000000000000003' },
    ];
    assert.equal(
      renderTraceText(buildSpanTree(odd)),
      'trace 00000000000000ab  3 spans  ?\n' +
        '(no name)  (no service)  ?  LOCAL\n' +
        'x  (no service)  1.5s  CLIENT  (parent 00000000000000ff is not in the trace)\n' +
        '(no name)  (no service)  ?  LOCAL  (its parent links loop: cut here)\n',
    );
    assert.equal(renderTraceText(buildSpanTree([])), 'trace: no spans\n');
  });

  it('terminal escapes, line breaks and bidi overrides in names, services and tags are shown, not obeyed', () => {
    const spans: ZipkinSpan[] = [
      { traceId: T, id: '0000000000000001', name: 'a\u001b[2Jb\nc', localEndpoint: { serviceName: 'svc\r\u202e' }, tags: { service: '/svc/\u0007x', error: 'bad\u009bthing' }, duration: 5 },
    ];
    assert.equal(renderTraceText(buildSpanTree(spans)), 'trace 00000000000000ab  1 span  ?\na\\x1b[2Jb\\x0ac  svc\\x0d\\u202e  5µs  LOCAL  ERROR: bad\\x9bthing\n    service: /svc/\\x07x\n');
  });
});

describe('summaries', () => {
  it('summarizeTrace and renderTraceList: root span, start, duration, spans, the first failure', () => {
    const ok = decodeOk(linkerdTrace({ traceId: '00000000000000a1', startUs: START }));
    const bad = decodeOk(linkerdTrace({ traceId: '00000000000000a2', startUs: START + 1_000_000, attempts: [{ status: 500, durationUs: 10 }] }));
    assert.deepEqual(summarizeTrace(bad), {
      traceId: '00000000000000a2',
      spans: 2,
      root: { name: 'http /svc/dog', service: '0.0.0.0/4140' },
      startUs: START + 1_000_000,
      durationUs: 210,
      errors: 2,
      error: 'Service failure',
    });
    assert.equal(
      renderTraceList([summarizeTrace(bad), summarizeTrace(ok), summarizeTrace([{ traceId: '00000000000000a3', id: '0000000000000001' }])]),
      '00000000000000a2  2023-11-14T22:13:21.000Z  210µs  2 spans  0.0.0.0/4140  http /svc/dog  ERROR (2 spans): Service failure\n' +
        '00000000000000a1  2023-11-14T22:13:20.000Z  1.2ms  2 spans  0.0.0.0/4140  http /svc/dog\n' +
        '00000000000000a3  ?  ?  1 span  (no service)  (no name)\n',
    );
    assert.equal(renderTraceList([]), 'no traces match\n');
  });
});

describe('durations', () => {
  it('formatDuration', () => {
    assert.deepEqual([0, 999, 1000, 1431, 12_500, 999_999, 1_000_000, 2_500_000, 3_600_000_000].map(formatDuration), ['0µs', '999µs', '1ms', '1.431ms', '12.5ms', '999.999ms', '1s', '2.5s', '3600s']);
  });

  it('parseDuration: a number with a unit, in µs', () => {
    assert.deepEqual(['250us', '250µs', '100ms', '1.5s', '2m', '1h', '1d', ' 7ms '].map(parseDuration), [250, 250, 100_000, 1_500_000, 120_000_000, 3_600_000_000, 86_400_000_000, 7000]);
    for (const bad of ['', '100', 'ms', '-1s', '1 h', '1w', '1e3ms']) assert.equal(parseDuration(bad), undefined, bad);
  });

  it('termSafe cuts long strings', () => {
    assert.equal(termSafe('x'.repeat(600)), `${'x'.repeat(500)}…`);
    assert.equal(termSafe('abc', 2), 'ab…');
  });
});
