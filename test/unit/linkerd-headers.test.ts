import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeL5dErr, encodeL5dErr, explainResponseHeaders, lowerDtab, overrideHeader, parseDtab, prettyBody } from '../../core/index.js';

const dtab = (text: string) => lowerDtab(parseDtab(text));

describe('overrideHeader', () => {
  it('is Finagle\'s Dtab.show of one dentry', () => {
    assert.equal(overrideHeader(dtab('/svc/dog  =>  /$/inet/127.1/8080 # local').dentries[0]!), '/svc/dog=>/$/inet/127.1/8080');
  });

  it('joins several with `;`, drops comments, normalises weights and spacing', () => {
    const d = dtab('# canary\n/svc/dog => 0.7 * /srv/dog-v1 & 0.3 * /srv/dog-v2;\n/srv => /#/io.l5d.fs | ~ ;\n');
    assert.equal(overrideHeader(d.dentries), '/svc/dog=>0.70*/srv/dog-v1 & 0.30*/srv/dog-v2;/srv=>/#/io.l5d.fs | ~');
    assert.equal(overrideHeader(d), overrideHeader(d.dentries));
    assert.equal(overrideHeader([]), '');
  });
});

describe('l5d-err', () => {
  it('encodes as java.net.URLEncoder over ISO-8859-1', () => {
    assert.equal(encodeL5dErr("'/' expected but 'x' found at '[x]'"), '%27%2F%27+expected+but+%27x%27+found+at+%27%5Bx%5D%27');
    assert.equal(encodeL5dErr('a.b-c*d_e~f\n'), 'a.b-c*d_e%7Ef%0A');
    assert.equal(encodeL5dErr('caf\u00e9 \u20ac \u{1F600}'), 'caf%E9+%3F+%3F');
  });

  it('decodes `+` as a space and %XX as one ISO-8859-1 character', () => {
    assert.equal(decodeL5dErr('%27%2F%27+expected+but+%27x%27+found'), "'/' expected but 'x' found");
    assert.equal(decodeL5dErr('caf%E9%0Anext'), 'caf\u00e9\nnext');
    assert.equal(decodeL5dErr('%c3%a9'), '\u00c3\u00a9');
  });

  it('never throws on broken % sequences: they are kept', () => {
    assert.equal(decodeL5dErr('100%'), '100%');
    assert.equal(decodeL5dErr('%zz%4'), '%zz%4');
    assert.equal(decodeL5dErr('%%41'), '%A');
    assert.equal(decodeL5dErr(''), '');
  });

  it('round-trips every ISO-8859-1 string', () => {
    let s = '';
    for (let c = 0; c < 256; c++) s += String.fromCharCode(c);
    assert.equal(decodeL5dErr(encodeL5dErr(s)), s);
  });
});

describe('explainResponseHeaders', () => {
  it('explains the l5d headers, in order, and passes the others through', () => {
    const out = explainResponseHeaders([
      ['Content-Type', 'application/json'],
      ['l5d-dst-service', '/svc/dog'],
      ['l5d-dst-client', '/#/io.l5d.fs/dog'],
      ['l5d-dst-residual', '/v1/bark'],
      ['l5d-reqid', '0123456789abcdef'],
      ['l5d-err', 'No+route%3A+%2Fsvc%2Fcat'],
      ['l5d-retryable', 'true'],
      ['L5d-Retryable', 'false'],
      ['l5d-ctx-dtab', '/a=>/b'],
      ['l5d-ctx-deadline', '1 2'],
      ['l5d-ctx-trace', 'AAAA'],
      ['l5d-ctx-other', 'x'],
    ]);
    assert.deepEqual(out, [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'l5d-dst-service', value: '/svc/dog', meaning: 'the logical name Linkerd identified the request as: /svc/dog' },
      { name: 'l5d-dst-client', value: '/#/io.l5d.fs/dog', meaning: 'the bound id (the client Linkerd sent the request to after delegation): /#/io.l5d.fs/dog' },
      { name: 'l5d-dst-residual', value: '/v1/bark', meaning: 'the residual path (what is left of the name after the bound id): /v1/bark' },
      { name: 'l5d-reqid', value: '0123456789abcdef', meaning: 'the root trace id of the request; as a Zipkin trace id: GET /api/v2/trace/0123456789abcdef' },
      { name: 'l5d-err', value: 'No+route%3A+%2Fsvc%2Fcat', meaning: "Linkerd made this response (an error of its own, not the application's): No route: /svc/cat" },
      { name: 'l5d-retryable', value: 'true', meaning: 'Linkerd says the request is safe to retry (it was not delivered to the application)' },
      { name: 'L5d-Retryable', value: 'false', meaning: 'Linkerd does not know the request to be safe to retry' },
      { name: 'l5d-ctx-dtab', value: '/a=>/b', meaning: 'the local dtab (l5d-ctx-dtab then l5d-dtab) Linkerd passes on to the next Linkerd: /a=>/b' },
      { name: 'l5d-ctx-deadline', value: '1 2', meaning: 'the request deadline passed between Linkerds (timestamp and deadline, in nanoseconds since the epoch)' },
      { name: 'l5d-ctx-trace', value: 'AAAA', meaning: 'the trace context passed between Linkerds (base64 of span id, parent id, trace id and flags)' },
      { name: 'l5d-ctx-other', value: 'x', meaning: 'context passed between Linkerds' },
    ]);
  });

  it('takes a header map too', () => {
    assert.deepEqual(explainResponseHeaders({ 'l5d-dst-service': '/svc/a', server: 'x' }), [
      { name: 'l5d-dst-service', value: '/svc/a', meaning: 'the logical name Linkerd identified the request as: /svc/a' },
      { name: 'server', value: 'x' },
    ]);
  });
});

describe('prettyBody', () => {
  it('indents JSON, keeping numbers and strings as written', () => {
    assert.equal(
      prettyBody('application/json', '{"type":"union","union":[{"weight":1.0,"tree":{"a":"x, y: {z}"}}],"e":{},"f":[]}'),
      '{\n  "type": "union",\n  "union": [\n    {\n      "weight": 1.0,\n      "tree": {\n        "a": "x, y: {z}"\n      }\n    }\n  ],\n  "e": {},\n  "f": []\n}',
    );
    assert.equal(prettyBody('application/json; charset=utf-8', '[1, 2]'), '[\n  1,\n  2\n]');
    assert.equal(prettyBody('application/problem+json', '"a\\"b"'), '"a\\"b"');
  });

  it('leaves other bodies, and broken JSON, as they are', () => {
    assert.equal(prettyBody('text/plain', '{"a":1}'), '{"a":1}');
    assert.equal(prettyBody(undefined, '{"a":1}'), '{"a":1}');
    assert.equal(prettyBody('application/json', '{"a":'), '{"a":');
  });
});
