// The Linkerd stand-in held to the spec (§6.1 /delegator.json, metrics; §6.2 router headers) and
// to Linkerd 1.7.5's source (DelegateApiHandler, LinkerdHeaders, HeaderIdentifier, ErrorResponder).

import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { request, type HttpResponse } from '../../remote/http.js';
import { fixedNamer, startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';

const FS = { prefix: '/#/io.l5d.fs', namer: fixedNamer({ dog: ['127.0.0.1:8080'], cat: ['127.0.0.1:8081'], empty: [] }, '/#/io.l5d.fs') };

const DOG_TREE =
  '{"type":"delegate","path":"/svc/dog","delegate":{"type":"leaf","path":"/#/io.l5d.fs/dog","dentry":{"prefix":"/svc","dst":"/#/io.l5d.fs"},' +
  '"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}},"id":"/#/io.l5d.fs/dog","path":"/"}}}';

let l5d: LinkerdStandin;
let ids = 0;
before(async () => {
  l5d = await startLinkerdStandin({
    routers: [
      { label: 'http', dtab: '/svc=>/#/io.l5d.fs' },
      { label: 'weighted', dtab: '/svc/pet=>0.25*/#/io.l5d.fs/dog & 0.75*/#/io.l5d.fs/cat', namers: [FS] },
    ],
    namers: [FS],
    requestIds: () => (++ids).toString(16).padStart(16, '0'),
    random: () => 0.5,
  });
});
after(() => l5d.stop());

const admin = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => request({ url: l5d.adminUrl + path, ...init });
const q = (o: Record<string, string>) => '?' + new URLSearchParams(o).toString();
const post = (body: string, contentType: string | null = 'application/json') =>
  admin('/delegator.json', { method: 'POST', body, headers: contentType === null ? {} : { 'content-type': contentType } });
const route = (label: string, headers: Record<string, string | string[]>, path = '/x') => request({ url: l5d.routerUrl(label) + path, headers });

function l5dHeaders(r: HttpResponse): [string, string][] {
  return r.rawHeaders.filter(([k]) => /^(l5d-|content-type$)/i.test(k)).map(([k, v]) => [k, v]);
}

describe('linkerd stand-in: admin', () => {
  it('/admin/ping answers pong', async () => {
    const r = await admin('/admin/ping');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'pong');
  });

  it('/delegator.json GET and POST: the core\'s delegate tree as Linkerd encodes it', async () => {
    const g = await admin('/delegator.json' + q({ namespace: 'http', dtab: '/svc=>/#/io.l5d.fs', path: '/svc/dog' }));
    assert.equal(g.status, 200);
    assert.equal(g.headers['content-type'], 'application/json');
    assert.equal(g.body, DOG_TREE);
    const p = await post(JSON.stringify({ namespace: 'http', dtab: '/svc=>/#/io.l5d.fs', path: '/svc/dog' }));
    assert.equal(p.status, 200);
    assert.equal(p.body, DOG_TREE);
  });

  it('without a namespace only the /$/ namers answer', async () => {
    const r = await admin('/delegator.json' + q({ dtab: '/svc=>/#/io.l5d.fs', path: '/svc/dog' }));
    assert.equal(r.body, '{"type":"delegate","path":"/svc/dog","delegate":{"type":"neg","path":"/#/io.l5d.fs/dog","dentry":{"prefix":"/svc","dst":"/#/io.l5d.fs"}}}');
  });

  it('POST needs a Content-Type of exactly application/json: else 415, empty body', async () => {
    const body = JSON.stringify({ namespace: 'http', dtab: '', path: '/svc/dog' });
    for (const ct of ['application/json; charset=utf-8', 'application/json;charset=utf-8', 'Application/JSON', 'text/plain', null]) {
      const r = await post(body, ct);
      assert.equal(r.status, 415, String(ct));
      assert.equal(r.body, '');
    }
  });

  it('a POST body without dtab or path, or not JSON, is 400 Malformed delegation request: <body>', async () => {
    for (const body of ['{"namespace":"http","dtab":"/a=>/b"}', '{"path":"/a"}', '{"dtab":null,"path":"/a"}', 'not json', '[1]', '']) {
      const r = await post(body);
      assert.equal(r.status, 400, body);
      assert.equal(r.body, `Malformed delegation request: ${body}`);
      assert.equal(r.headers['content-type'], undefined);
    }
  });

  it('invalid dtab or path: 400 with the parser\'s Finagle message', async () => {
    let r = await admin('/delegator.json' + q({ namespace: 'http', dtab: '/a=>b', path: '/svc/dog' }));
    assert.deepEqual([r.status, r.body], [400, "Invalid dtab: simple expected but 'b' found at '/a=>[b]'"]);
    r = await post(JSON.stringify({ namespace: 'http', dtab: '/a=>/b', path: 'svc' }));
    assert.deepEqual([r.status, r.body], [400, "Invalid path: '/' expected but 's' found at '[s]vc'"]);
    // Both wrong: the dtab is reported.
    r = await admin('/delegator.json' + q({ dtab: '/a=>b', path: 'svc' }));
    assert.equal(r.body, "Invalid dtab: simple expected but 'b' found at '/a=>[b]'");
    // A GET without path: Path.read(null), a NullPointerException with no message.
    r = await admin('/delegator.json' + q({ dtab: '/a=>/b' }));
    assert.deepEqual([r.status, r.body], [400, 'Invalid path: null']);
  });

  it('other methods are 405; an unknown router label is 501', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await admin('/delegator.json', { method });
      assert.deepEqual([r.status, r.body], [405, '']);
    }
    const r = await admin('/delegator.json' + q({ namespace: 'nope', dtab: '/a=>b', path: '/a' }));
    assert.deepEqual([r.status, r.body], [501, 'Name Interpreter for nope cannot show delegations']);
  });

  it('a failed delegation (the recursion limit on a chain) is a bare 500', async () => {
    const r = await admin('/delegator.json' + q({ dtab: '/a=>/b;/b=>/a', path: '/a' }));
    assert.deepEqual([r.status, r.body], [500, '']);
  });

  it('a namer that never answers: 503 Request timed out. after the budget', async () => {
    const slow = await startLinkerdStandin({
      routers: [{ label: 'r', dtab: '' }],
      namers: [{ prefix: '/#/slow', namer: { lookup: () => new Promise(() => {}) } }],
      delegateTimeoutMs: 20,
    });
    try {
      const r = await request({ url: slow.adminUrl + '/delegator.json' + q({ namespace: 'r', dtab: '/svc=>/#/slow', path: '/svc/a' }) });
      assert.deepEqual([r.status, r.body], [503, 'Request timed out.']);
    } finally {
      await slow.stop();
    }
  });
});

describe('linkerd stand-in: routers', () => {
  it('routes by Host and answers with the headers Linkerd sets on the forwarded request', async () => {
    ids = 0;
    const r = await route('http', { host: 'dog' });
    assert.equal(r.status, 200);
    assert.deepEqual(l5dHeaders(r), [
      ['Content-Type', 'application/json'],
      ['l5d-dst-service', '/svc/dog'],
      ['l5d-dst-client', '/#/io.l5d.fs/dog'],
      ['l5d-reqid', '0000000000000001'],
    ]);
    assert.equal(r.body, '{"service":"/svc/dog","client":"/#/io.l5d.fs/dog","residual":"/","address":"127.0.0.1:8080","dtab":""}');
  });

  it('reads l5d-ctx-dtab then every l5d-dtab, in order: base ++ ctx ++ user', async () => {
    l5d.clearRequests();
    const r = await route('http', { host: 'cow', 'l5d-dtab': ['/svc/cow => /svc/dog/extra # a comment', '/svc/cow=>/svc/cat/more'], 'l5d-ctx-dtab': '/svc/cow=>/svc/nope' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['l5d-dst-client'], '/#/io.l5d.fs/cat');
    assert.equal(r.headers['l5d-dst-residual'], '/more');
    assert.equal(r.headers['l5d-ctx-dtab'], '/svc/cow=>/svc/nope;/svc/cow=>/svc/dog/extra;/svc/cow=>/svc/cat/more');
    assert.deepEqual(JSON.parse(r.body), {
      service: '/svc/cow',
      client: '/#/io.l5d.fs/cat',
      residual: '/more',
      address: '127.0.0.1:8081',
      dtab: '/svc/cow=>/svc/nope;/svc/cow=>/svc/dog/extra;/svc/cow=>/svc/cat/more',
    });
    assert.deepEqual(l5d.requests[0]!.dtabHeaders, ['/svc/cow => /svc/dog/extra # a comment', '/svc/cow=>/svc/cat/more']);
    assert.deepEqual(l5d.requests[0]!.ctxDtabHeaders, ['/svc/cow=>/svc/nope']);
  });

  it('a dtab header that does not parse: 400 text/plain, the message, l5d-err URL-encoded', async () => {
    for (const key of ['l5d-dtab', 'l5d-ctx-dtab']) {
      const r = await route('http', { host: 'dog', [key]: '/a => b c' });
      assert.equal(r.status, 400);
      assert.deepEqual(l5dHeaders(r), [
        ['l5d-err', 'simple+expected+but+%27b%27+found+at+%27%2Fa+%3D%3E+%5Bb%5D+c%27'],
        ['Content-Type', 'text/plain'],
      ]);
      assert.equal(r.body, "simple expected but 'b' found at '/a => [b] c'");
    }
  });

  it('no Host: 400 Unknown destination, as Linkerd answers an unidentified request', async () => {
    const r = await new Promise<{ status: number; err: string; body: string }>((resolve, reject) => {
      const req = http.request(l5d.routerUrl('http') + '/x?y=1', { setHost: false, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, err: String(res.headers['l5d-err']), body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(r.status, 400);
    assert.match(r.body, /^Unknown destination: Request\("GET \/x\?y=1", from \/127\.0\.0\.1:\d+\) \/ Host header is absent$/);
    assert.match(r.err, /^Unknown\+destination%3A\+Request%28%22GET\+%2Fx%3Fy%3D1%22%2C\+from\+%2F127\.0\.0\.1%3A\d+%29\+%2F\+Host\+header\+is\+absent$/);
  });

  it('a name that does not bind: 502 and RichNoBrokersAvailableException\'s message', async () => {
    const message = 'Unable to route request!\n\nservice name: /svc/cow\ndtab:\n\nbase dtab:\n  /svc => /#/io.l5d.fs\noverride dtab:\n  /svc/cow => /svc/horse | ~\n';
    const r = await route('http', { host: 'cow', 'l5d-dtab': '/svc/cow=>/svc/horse|~' });
    assert.equal(r.status, 502);
    assert.equal(r.body, message);
    assert.equal(r.headers['l5d-err'], 'Unable+to+route+request%21%0A%0Aservice+name%3A+%2Fsvc%2Fcow%0Adtab%3A%0A%0Abase+dtab%3A%0A++%2Fsvc+%3D%3E+%2F%23%2Fio.l5d.fs%0Aoverride+dtab%3A%0A++%2Fsvc%2Fcow+%3D%3E+%2Fsvc%2Fhorse+%7C+%7E%0A');
    // Bound with no addresses: the same.
    const e = await route('http', { host: 'empty' });
    assert.equal(e.status, 502);
    assert.equal(e.body, 'Unable to route request!\n\nservice name: /svc/empty\ndtab:\n\nbase dtab:\n  /svc => /#/io.l5d.fs\noverride dtab:\n\n');
  });

  it('a union picks a branch by weight; setDtab replaces the base dtab', async () => {
    const r = await route('weighted', { host: 'pet' });
    assert.equal(r.headers['l5d-dst-client'], '/#/io.l5d.fs/cat');
    l5d.setDtab('weighted', '/svc=>/$/inet/127.1');
    const s = await route('weighted', { host: '9090' });
    assert.equal(s.headers['l5d-dst-client'], '/$/inet/127.1/9090');
    assert.equal(JSON.parse(s.body).address, '127.0.0.1:9090');
    assert.throws(() => l5d.setDtab('weighted', '/a=>'), /expected but end of input found/);
  });

  it('records l5d-sample and Host', async () => {
    l5d.clearRequests();
    await route('http', { host: 'dog', 'l5d-sample': '1.0' });
    assert.equal(l5d.requests[0]!.sample, '1.0');
    assert.equal(l5d.requests[0]!.host, 'dog');
    assert.equal(l5d.requests[0]!.status, 200);
  });
});

describe('linkerd stand-in: metrics', () => {
  it('counts server, service and client requests; pretty=true sorts keys as Jackson prints', async () => {
    const m0 = await startLinkerdStandin({ routers: [{ label: 'r', dtab: '/svc=>/$/inet/127.1' }], requestIds: () => '0000000000000000' });
    try {
      const port = new URL(m0.routerUrl('r')).port;
      await request({ url: m0.routerUrl('r') + '/', headers: { host: '8080' } });
      await request({ url: m0.routerUrl('r') + '/', headers: { host: '8080' } });
      await request({ url: m0.routerUrl('r') + '/', headers: { host: 'x', 'l5d-dtab': '/svc/x=>~' } });
      await request({ url: m0.routerUrl('r') + '/', headers: { host: 'x', 'l5d-dtab': '!' } });
      const flat = await request({ url: m0.adminUrl + '/admin/metrics.json' });
      assert.equal(flat.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(flat.body), m0.metrics());
      const pretty = await request({ url: m0.adminUrl + '/admin/metrics.json?pretty=true' });
      assert.equal(
        pretty.body,
        [
          '{',
          '  "rt/r/client/$/inet/127.1/8080/requests" : 2,',
          '  "rt/r/client/$/inet/127.1/8080/status/200" : 2,',
          '  "rt/r/client/$/inet/127.1/8080/success" : 2,',
          `  "rt/r/server/127.0.0.1/${port}/failures" : 1,`,
          `  "rt/r/server/127.0.0.1/${port}/requests" : 4,`,
          `  "rt/r/server/127.0.0.1/${port}/status/200" : 2,`,
          `  "rt/r/server/127.0.0.1/${port}/status/400" : 1,`,
          `  "rt/r/server/127.0.0.1/${port}/status/502" : 1,`,
          `  "rt/r/server/127.0.0.1/${port}/success" : 3,`,
          '  "rt/r/service/svc/8080/requests" : 2,',
          '  "rt/r/service/svc/8080/success" : 2,',
          '  "rt/r/service/svc/x/failures" : 1,',
          '  "rt/r/service/svc/x/requests" : 1',
          '}',
        ].join('\n'),
      );
    } finally {
      await m0.stop();
    }
  });
});
