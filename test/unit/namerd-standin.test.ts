// The namerd stand-in held to §5 of the dtab reference (not to the client).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request, streamLines } from '../../remote/http.js';
import { startNamerdStandin, versionOf, type NamerdStandin } from '../namerd/standin.js';

let nd: NamerdStandin;
before(async () => {
  nd = await startNamerdStandin({ namespaces: { yeezus: '/yeezy=>/yeezus', tlop: '/tshirt => /suit' }, namers: { '/#/io.l5d.fs/web': ['127.0.0.1:8080'] } });
});
after(() => nd.stop());

const req = (method: string, path: string, headers: Record<string, string> = {}, body?: string) => request({ url: nd.url + path, method, headers, ...(body !== undefined ? { body } : {}) });

describe('namerd stand-in: dtab CRUD (§5.2)', () => {
  it('versions are standard Base64 of an 8-byte big-endian counter from 1', () => {
    assert.equal(versionOf(1), 'AAAAAAAAAAE=');
    assert.equal(versionOf(2), 'AAAAAAAAAAI=');
    assert.equal(versionOf(256), 'AAAAAAAAAQA=');
  });
  it('GET /api/1/dtabs: sorted JSON names + newline, also with a trailing slash and any method', async () => {
    for (const [m, p] of [['GET', '/api/1/dtabs'], ['GET', '/api/1/dtabs/'], ['DELETE', '/api/1/dtabs']]) {
      const r = await req(m!, p!);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.body, '["tlop","yeezus"]\n');
    }
  });
  it('GET a namespace: ETag, Accept in header order with q ignored, Content-Type echoes the choice', async () => {
    const cases: [string | undefined, string, string][] = [
      [undefined, 'application/json', '[{"prefix":"/tshirt","dst":"/suit"}]\n'],
      ['*/*', 'application/json', '[{"prefix":"/tshirt","dst":"/suit"}]\n'],
      ['application/dtab;q=0.9, application/json', 'application/dtab', '/tshirt=>/suit\n'],
      ['text/html, TEXT/Plain;charset=utf-8', 'text/plain', '/tshirt=>/suit\n'],
      ['image/png, application/json;q=0.1, application/dtab', 'application/json', '[{"prefix":"/tshirt","dst":"/suit"}]\n'],
    ];
    for (const [accept, ct, body] of cases) {
      const r = await req('GET', '/api/1/dtabs/tlop', accept ? { accept } : {});
      assert.equal(r.status, 200);
      assert.equal(r.headers.etag, 'AAAAAAAAAAE=');
      assert.equal(r.headers['content-type'], ct, accept);
      assert.equal(r.body, body, accept);
    }
    const missing = await req('GET', '/api/1/dtabs/nope');
    assert.deepEqual([missing.status, missing.body], [404, '']);
  });
  it('HEAD: 200 + ETag, no body; 404', async () => {
    const r = await req('HEAD', '/api/1/dtabs/yeezus');
    assert.deepEqual([r.status, r.headers.etag, r.body], [200, 'AAAAAAAAAAE=', '']);
    assert.equal((await req('HEAD', '/api/1/dtabs/nope')).status, 404);
  });
  it('POST: 204 created, 409 exists, 400 for content types, dtab text and null dentries', async () => {
    assert.equal((await req('POST', '/api/1/dtabs/new1', { 'content-type': 'application/dtab' }, '/a=>/b')).status, 204);
    assert.deepEqual(nd.get('new1'), { version: 'AAAAAAAAAAE=', text: '/a=>/b' });
    assert.equal((await req('POST', '/api/1/dtabs/new1', { 'content-type': 'application/dtab' }, '/a=>/c')).status, 409);
    assert.equal((await req('POST', '/api/1/dtabs/new2', { 'content-type': 'application/json;charset=UTF-8' }, '[{"prefix":"/x","dst":"/y | /z"}]')).status, 204);
    assert.equal(nd.get('new2')?.text, '/x=>/y | /z');
    const bad = await req('POST', '/api/1/dtabs/new3', { 'content-type': 'application/octet-stream' }, '/a=>/b');
    assert.deepEqual([bad.status, bad.body], [400, '']);
    const none = await req('POST', '/api/1/dtabs/new3', {}, '/a=>/b');
    assert.deepEqual([none.status, none.body], [400, '']);
    const nul = await req('POST', '/api/1/dtabs/new3', { 'content-type': 'application/json' }, '[null]');
    assert.deepEqual([nul.status, nul.body], [400, 'The dtab contains invalid dentries: [null]\n']);
    const text = await req('POST', '/api/1/dtabs/new3', { 'content-type': 'text/plain' }, '/a=>/b /c');
    assert.deepEqual([text.status, text.body], [400, "end of input expected but '/' found at '/a=>/b [/]c'\n"]);
    const json = await req('POST', '/api/1/dtabs/new3', { 'content-type': 'application/json' }, '[{"prefix":');
    assert.deepEqual([json.status, json.body], [400, '']);
    assert.equal(nd.get('new3'), undefined);
  });
  it('PUT: 204 with or without If-Match (version bumps), 412 stale, 404 absent with If-Match, Content-Type message', async () => {
    assert.equal((await req('PUT', '/api/1/dtabs/p1', { 'content-type': 'application/dtab' }, '/a=>/b')).status, 204);
    assert.equal(nd.get('p1')?.version, 'AAAAAAAAAAE=');
    assert.equal((await req('PUT', '/api/1/dtabs/p1', { 'content-type': 'application/dtab' }, '/a=>/c')).status, 204);
    assert.equal(nd.get('p1')?.version, 'AAAAAAAAAAI=');
    assert.equal((await req('PUT', '/api/1/dtabs/p1', { 'content-type': 'application/dtab', 'if-match': 'AAAAAAAAAAI=' }, '/a=>/d')).status, 204);
    assert.deepEqual(nd.get('p1'), { version: 'AAAAAAAAAAM=', text: '/a=>/d' });
    const stale = await req('PUT', '/api/1/dtabs/p1', { 'content-type': 'application/dtab', 'if-match': 'AAAAAAAAAAI=' }, '/a=>/e');
    assert.deepEqual([stale.status, stale.body], [412, '']);
    assert.equal(nd.get('p1')?.text, '/a=>/d');
    assert.equal((await req('PUT', '/api/1/dtabs/absent', { 'content-type': 'application/dtab', 'if-match': 'AAAAAAAAAAE=' }, '/a=>/b')).status, 404);
    const ct = await req('PUT', '/api/1/dtabs/p1', { 'content-type': 'application/xml' }, '/a=>/b');
    assert.deepEqual([ct.status, ct.body], [400, 'Invalid Content-Type "application/xml". \n']);
    const text = await req('PUT', '/api/1/dtabs/p1', { 'content-type': 'application/dtab' }, '/a=>');
    assert.deepEqual([text.status, text.body], [400, "simple expected but end of input found at '/a=>[]'\n"]);
  });
  it('DELETE 204 then 404; other methods 404; unknown routes 404 empty', async () => {
    nd.set('gone', '/a=>/b');
    assert.equal((await req('DELETE', '/api/1/dtabs/gone')).status, 204);
    assert.equal((await req('DELETE', '/api/1/dtabs/gone')).status, 404);
    assert.equal((await req('PATCH', '/api/1/dtabs/yeezus')).status, 404);
    const r = await req('GET', '/api/2/nothing');
    assert.deepEqual([r.status, r.body], [404, '']);
  });
  it('records requests with their If-Match and status', async () => {
    const n = nd.requests.length;
    await req('HEAD', '/api/1/dtabs/yeezus', { 'if-match': 'x' });
    assert.deepEqual(
      nd.requests.slice(n).map((r) => [r.method, r.path, r.ifMatch, r.status]),
      [['HEAD', '/api/1/dtabs/yeezus', 'x', 200]],
    );
  });
});

describe('namerd stand-in: name endpoints (§5.3)', () => {
  it('delegate: stored dtab ++ dtab param, the core\'s JSON; 400 for an invalid path', async () => {
    nd.set('svc', '/svc=>/#/io.l5d.fs');
    const r = await req('GET', '/api/1/delegate/svc?path=/svc/web&dtab=' + encodeURIComponent('/svc/web=>/$/inet/127.0.0.1/9'));
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(
      r.body,
      '{"type":"alt","path":"/svc/web","alt":[{"type":"leaf","path":"/$/inet/127.0.0.1/9","dentry":{"prefix":"/svc/web","dst":"/$/inet/127.0.0.1/9"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":9,"meta":{}}],"meta":{}},"id":"/$/inet/127.0.0.1/9","path":"/"}},{"type":"leaf","path":"/#/io.l5d.fs/web","dentry":{"prefix":"/svc","dst":"/#/io.l5d.fs"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}},"id":"/#/io.l5d.fs/web","path":"/"}}]}\n',
    );
    const bad = await req('GET', '/api/1/delegate/svc?path=svc');
    assert.deepEqual([bad.status, bad.body], [400, "Invalid path: svc / '/' expected but 's' found at '[s]vc'\n"]);
    const none = await req('GET', '/api/1/delegate?path=/svc/web');
    assert.equal(none.body, '{"type":"neg","path":"/svc/web"}\n');
  });
  it('bind (no Content-Type, no paths), addr and resolve', async () => {
    const b = await req('GET', '/api/1/bind/svc?path=/svc/web/x');
    assert.equal(b.headers['content-type'], undefined);
    assert.equal(b.body, '{"type":"leaf","bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}},"id":"/#/io.l5d.fs/web","path":"/x"}}\n');
    assert.equal((await req('GET', '/api/1/bind/svc?path=/other')).body, '{"type":"neg"}\n');
    const a = await req('GET', '/api/1/addr/svc?path=' + encodeURIComponent('/#/io.l5d.fs/web'));
    assert.equal(a.body, '{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}}\n');
    assert.equal((await req('GET', '/api/1/addr/svc?path=' + encodeURIComponent('/#/io.l5d.fs/nope'))).body, '{"type":"neg"}\n');
    const r = await req('GET', '/api/1/resolve/svc?path=/svc/web');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body, '{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}}\n');
  });
});

/** Collects a watch's lines; `next()` resolves with the next line. */
function watchLines(path: string, headers: Record<string, string> = {}) {
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  let status = 0;
  const s = streamLines({ url: nd.url + path, headers }, {
    onOpen: (st) => (status = st),
    onLine: (l) => {
      const w = waiting.shift();
      if (w) w(l);
      else lines.push(l);
    },
    onEnd: () => {},
  });
  return { next: () => (lines.length > 0 ? Promise.resolve(lines.shift()!) : new Promise<string>((r) => waiting.push(r))), close: () => s.close(), status: () => status, pending: () => lines.length };
}

describe('namerd stand-in: watch streams', () => {
  it('a namespace: nothing while absent, a line per change, deduplicated, in the Accept representation', async () => {
    const w = watchLines('/api/1/dtabs/watched?watch=true', { accept: 'application/dtab' });
    nd.set('watched', '/a=>/b');
    assert.equal(await w.next(), '/a=>/b');
    nd.set('watched', '/a=>/b'); // same dtab: no line
    nd.set('watched', '/a=>/c');
    assert.equal(await w.next(), '/a=>/c');
    assert.equal(w.pending(), 0);
    w.close();
  });
  it('the list: the current names at once, then each change', async () => {
    const w = watchLines('/api/1/dtabs?watch=1');
    const first: string[] = JSON.parse(await w.next());
    assert.ok(first.includes('yeezus'));
    nd.set('zzz', '/a=>/b');
    assert.deepEqual(JSON.parse(await w.next()), [...first, 'zzz']);
    w.close();
  });
  it('bind: a line when the binding changes', async () => {
    nd.set('bw', '/svc=>/#/io.l5d.fs');
    const w = watchLines('/api/1/bind/bw?path=/svc/web&watch=true');
    assert.match(await w.next(), /"port":8080/);
    nd.setAddrs('/#/io.l5d.fs/web', ['127.0.0.1:9090']);
    assert.match(await w.next(), /"port":9090/);
    nd.setAddrs('/#/io.l5d.fs/web', ['127.0.0.1:8080']);
    assert.match(await w.next(), /"port":8080/);
    w.close();
  });
});

describe('namerd stand-in: auth and faults', () => {
  it('with a token, 401 without `Authorization: Bearer <token>`', async () => {
    const s = await startNamerdStandin({ token: 't0k' });
    try {
      assert.equal((await request({ url: s.url + '/api/1/dtabs' })).status, 401);
      assert.equal((await request({ url: s.url + '/api/1/dtabs', headers: { authorization: 'Bearer t0k' } })).status, 200);
    } finally {
      await s.stop();
    }
  });
  it('status and malformed faults, matched and counted', async () => {
    const f = await nd.fault({ kind: 'status', code: 503, body: 'busy\n', match: { method: 'GET', path: '/api/1/dtabs' }, times: 1 });
    const r = await req('GET', '/api/1/dtabs');
    assert.deepEqual([r.status, r.body], [503, 'busy\n']);
    assert.equal((await req('GET', '/api/1/dtabs')).status, 200);
    assert.equal(f.hits, 1);
    const m = await nd.fault({ kind: 'malformed' });
    const body = (await req('GET', '/api/1/dtabs')).body;
    assert.throws(() => JSON.parse(body));
    await m.clear();
  });
});
