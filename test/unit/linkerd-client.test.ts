// remote/linkerd.ts against the Linkerd stand-in: each method, its errors (exact messages), and
// what the router receives.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpError } from '../../remote/http.js';
import { compare, LinkerdAdmin, LinkerdError, sendThroughRouter } from '../../remote/linkerd.js';
import { fixedNamer, startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';
import { rejects } from '../support/rejects.js';

let l5d: LinkerdStandin;
let server: string;
before(async () => {
  l5d = await startLinkerdStandin({
    routers: [{ label: 'http', dtab: '/svc=>/#/io.l5d.fs' }],
    namers: [{ prefix: '/#/io.l5d.fs', namer: fixedNamer({ dog: ['127.0.0.1:8080'], cat: ['127.0.0.1:8081'] }, '/#/io.l5d.fs') }],
    requestIds: () => 'aaaaaaaaaaaaaaaa',
  });
  server = l5d.adminUrl;
});
after(() => l5d.stop());

const adminClient = (opts?: { authorization?: string; timeoutMs?: number }) => new LinkerdAdmin(new URL(l5d.adminUrl), opts);

describe('LinkerdAdmin.delegate', () => {
  it('POSTs {namespace, dtab, path} as application/json and returns the tree', async () => {
    l5d.clearRequests();
    const tree = await adminClient({ authorization: 'Bearer t' }).delegate({ router: 'http', dtab: '/svc=>/#/io.l5d.fs', path: '/svc/dog' });
    assert.deepEqual(tree, {
      type: 'delegate',
      path: '/svc/dog',
      delegate: {
        type: 'leaf',
        path: '/#/io.l5d.fs/dog',
        dentry: { prefix: '/svc', dst: '/#/io.l5d.fs' },
        bound: { addr: { type: 'bound', addrs: [{ ip: '127.0.0.1', port: 8080, meta: {} }], meta: {} }, id: '/#/io.l5d.fs/dog', path: '/' },
      },
    });
    const rec = l5d.requests[0]!;
    assert.equal(rec.method, 'POST');
    assert.equal(rec.url, '/delegator.json');
    assert.equal(rec.body, '{"namespace":"http","dtab":"/svc=>/#/io.l5d.fs","path":"/svc/dog"}');
    const h = Object.fromEntries(rec.headers.map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(h['content-type'], 'application/json');
    assert.equal(h.authorization, 'Bearer t');
  });

  it('without a router: no namespace is sent', async () => {
    l5d.clearRequests();
    await adminClient().delegate({ dtab: '', path: '/$/inet/127.1/1' });
    assert.equal(l5d.requests[0]!.body, '{"dtab":"","path":"/$/inet/127.1/1"}');
  });

  it('errors name the server, the endpoint, the status and Linkerd\'s words', async () => {
    const e = (await rejects(
      adminClient().delegate({ router: 'http', dtab: '/a=>b', path: '/svc/dog' }),
      LinkerdError,
      `${server}/delegator.json answered 400 Bad Request: Invalid dtab: simple expected but 'b' found at '/a=>[b]'`,
    )) as LinkerdError;
    assert.equal(e.status, 400);
    assert.equal(e.server, server);
    await rejects(adminClient().delegate({ router: 'nope', dtab: '', path: '/a' }), LinkerdError, `${server}/delegator.json answered 501 Not Implemented: Name Interpreter for nope cannot show delegations`);
  });
});

describe('LinkerdAdmin.metrics', () => {
  it('returns the counters', async () => {
    await sendThroughRouter({ url: new URL(l5d.routerUrl('http')), path: '/', headers: [['Host', 'dog']] });
    const m = await adminClient().metrics();
    assert.deepEqual(m, l5d.metrics());
    assert.ok((m['rt/http/client/#/io.l5d.fs/dog/requests'] ?? 0) >= 1);
  });

  it('a body that is JSON but not an object is an error', async () => {
    const f = await l5d.fault({ kind: 'malformed', server: 'admin', body: '[1,2]', times: 1 });
    await rejects(adminClient().metrics(), LinkerdError, `${server}/admin/metrics.json answered with JSON that is not an object of metrics: [1,2]`);
    await f.clear();
  });
});

describe('LinkerdAdmin faults', () => {
  it('refused', async () => {
    const f = await l5d.fault({ kind: 'refuse', server: 'admin' });
    try {
      const e = (await rejects(adminClient().metrics(), HttpError, `${server}: connection refused (is it running, and is this the right port?)`)) as HttpError;
      assert.equal(e.kind, 'refused');
    } finally {
      await f.clear();
    }
    assert.equal(typeof (await adminClient().metrics()), 'object');
  });

  it('timeout: a held answer and a small timeoutMs', async () => {
    const f = await l5d.fault({ kind: 'delay', server: 'admin' });
    try {
      const e = (await rejects(adminClient({ timeoutMs: 50 }).delegate({ dtab: '', path: '/a' }), HttpError, `${server}: no answer within 0.05 s`)) as HttpError;
      assert.equal(e.kind, 'timeout');
    } finally {
      await f.clear();
    }
  });

  it('5xx', async () => {
    const f = await l5d.fault({ kind: 'status', code: 503, body: 'overloaded\nmore', server: 'admin', times: 1 });
    const e = (await rejects(adminClient().metrics(), LinkerdError, `${server}/admin/metrics.json answered 503 Service Unavailable: overloaded`)) as LinkerdError;
    assert.equal(e.status, 503);
    assert.equal(f.hits, 1);
  });

  it('malformed JSON', async () => {
    await l5d.fault({ kind: 'malformed', server: 'admin', times: 1 });
    await rejects(adminClient().delegate({ dtab: '', path: '/a' }), LinkerdError, `${server}/delegator.json answered with something that is not JSON: {"type":"delegate","path":"/svc`);
  });
});

describe('sendThroughRouter', () => {
  it('sends the override as l5d-dtab, after the other headers, exactly as given', async () => {
    l5d.clearRequests();
    const r = await sendThroughRouter({
      url: new URL(l5d.routerUrl('http')),
      method: 'post',
      path: '/bark?loud=1',
      headers: [['Host', 'dog'], ['l5d-dtab', '/svc/dog=>/svc/nope'], ['X-A', '1']],
      override: '/svc/dog=>/#/io.l5d.fs/cat',
      body: 'woof',
    });
    assert.deepEqual(r.sent, {
      method: 'POST',
      url: `${l5d.routerUrl('http')}/bark?loud=1`,
      headers: [['Host', 'dog'], ['l5d-dtab', '/svc/dog=>/svc/nope'], ['X-A', '1'], ['l5d-dtab', '/svc/dog=>/#/io.l5d.fs/cat']],
    });
    assert.equal(r.response.status, 200);
    assert.equal(r.response.headers['l5d-dst-client'], '/#/io.l5d.fs/cat');
    const rec = l5d.requests[0]!;
    assert.deepEqual([rec.method, rec.url, rec.body], ['POST', '/bark?loud=1', 'woof']);
    assert.deepEqual(rec.dtabHeaders, ['/svc/dog=>/svc/nope', '/svc/dog=>/#/io.l5d.fs/cat']);
    assert.equal(rec.sample, undefined);
  });

  it('adds l5d-sample: 1.0 only with sample', async () => {
    l5d.clearRequests();
    await sendThroughRouter({ url: new URL(l5d.routerUrl('http')), path: '/', headers: [['Host', 'dog']], sample: true });
    await sendThroughRouter({ url: new URL(l5d.routerUrl('http')), path: '/', headers: [['Host', 'dog']], sample: false });
    assert.deepEqual(
      l5d.requests.map((r) => r.sample),
      ['1.0', undefined],
    );
  });

  it('keeps a base URL\'s path prefix (an ingress)', async () => {
    l5d.clearRequests();
    const r = await sendThroughRouter({ url: new URL(l5d.routerUrl('http') + '/l5d/'), path: '/x', headers: [['Host', 'dog']] });
    assert.equal(r.sent.url, `${l5d.routerUrl('http')}/l5d/x`);
    assert.equal(l5d.requests[0]!.url, '/l5d/x');
  });

  it('compare: with the override, then without', async () => {
    l5d.clearRequests();
    const both = await compare({ url: new URL(l5d.routerUrl('http')), path: '/', headers: [['Host', 'dog']], override: '/svc/dog=>/#/io.l5d.fs/cat' });
    assert.equal(both.withOverride.response.headers['l5d-dst-client'], '/#/io.l5d.fs/cat');
    assert.equal(both.without.response.headers['l5d-dst-client'], '/#/io.l5d.fs/dog');
    assert.deepEqual(
      l5d.requests.map((r) => r.dtabHeaders),
      [['/svc/dog=>/#/io.l5d.fs/cat'], []],
    );
  });

  it('refused and timeout reject with HttpError; a 5xx resolves', async () => {
    const url = new URL(l5d.routerUrl('http'));
    const router = `http://${url.host}`;
    const f = await l5d.fault({ kind: 'refuse', server: 'http' });
    await rejects(sendThroughRouter({ url, path: '/' }), HttpError, `${router}: connection refused (is it running, and is this the right port?)`);
    await f.clear();
    const d = await l5d.fault({ kind: 'delay', server: 'http' });
    await rejects(sendThroughRouter({ url, path: '/', timeoutMs: 30 }), HttpError, `${router}: no answer within 0.03 s`);
    await d.clear();
    await l5d.fault({ kind: 'status', code: 500, server: 'http', times: 1 });
    assert.equal((await sendThroughRouter({ url, path: '/' })).response.status, 500);
  });
});
