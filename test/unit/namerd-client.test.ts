import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NamerdClient, NamerdError } from '../../remote/namerd.js';
import { startNamerdStandin, type NamerdStandin } from '../namerd/standin.js';

let nd: NamerdStandin;
let c: NamerdClient;
before(async () => {
  nd = await startNamerdStandin({ namespaces: { prod: '/svc=>/#/io.l5d.fs' }, namers: { '/#/io.l5d.fs/web': ['127.0.0.1:8080'] } });
  c = new NamerdClient(new URL(nd.url));
});
after(() => nd.stop());

async function rejects(p: Promise<unknown>, kind: string, message: string, status?: number) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof NamerdError);
    assert.equal(e.kind, kind);
    assert.equal(e.message, message);
    assert.equal(e.status, status);
    assert.equal(e.server, nd.url);
    return true;
  });
}

describe('NamerdClient against the stand-in', () => {
  it('list, get, getText, version', async () => {
    assert.deepEqual(await c.list(), ['prod']);
    assert.deepEqual(await c.get('prod'), { version: 'AAAAAAAAAAE=', dentries: [{ prefix: '/svc', dst: '/#/io.l5d.fs' }], text: '/svc=>/#/io.l5d.fs' });
    assert.deepEqual(await c.getText('prod'), { version: 'AAAAAAAAAAE=', text: '/svc=>/#/io.l5d.fs' });
    assert.equal(await c.version('prod'), 'AAAAAAAAAAE=');
    assert.equal(await c.version('nope'), undefined);
    await rejects(c.get('nope'), 'not-found', `namespace nope does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it`, 404);
  });
  it('create, update with and without If-Match, delete', async () => {
    await c.create('c1', '/a=>/b');
    await rejects(c.create('c1', '/a=>/b'), 'exists', `namespace c1 already exists on ${nd.url} (409 Conflict): replace it with \`dtab namerd update c1 FILE\``, 409);
    await c.create('c2', [{ prefix: '/x', dst: '/y' }]);
    assert.equal(nd.get('c2')?.text, '/x=>/y');
    const n = nd.requests.length;
    await c.update('c1', '/a=>/c', { version: 'AAAAAAAAAAE=' });
    await c.update('c1', '/a=>/d');
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.ifMatch, r.headers['content-type']]), [['PUT', 'AAAAAAAAAAE=', 'application/dtab'], ['PUT', undefined, 'application/dtab']]);
    await rejects(c.update('c1', '/a=>/e', { version: 'AAAAAAAAAAE=' }), 'conflict', `namespace c1 changed on ${nd.url} since version AAAAAAAAAAE= was read (412 Precondition Failed): get it again and merge, or push with --force`, 412);
    assert.equal(nd.get('c1')?.text, '/a=>/d');
    await rejects(c.create('c3', '/a=>'), 'invalid', `${nd.url} rejected the request to create namespace c3 (400 Bad Request): simple expected but end of input found at '/a=>[]'`, 400);
    await c.delete('c1');
    await rejects(c.delete('c1'), 'not-found', `namespace c1 does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it`, 404);
  });
  it('delegate, bind, addr, resolve', async () => {
    const d = (await c.delegate('prod', '/svc/web')) as Record<string, unknown>;
    assert.equal(d.type, 'delegate');
    assert.deepEqual(await c.bind('prod', '/svc/web'), { type: 'leaf', bound: { addr: { type: 'bound', addrs: [{ ip: '127.0.0.1', port: 8080, meta: {} }], meta: {} }, id: '/#/io.l5d.fs/web', path: '/' } });
    assert.deepEqual(await c.addr('prod', '/#/io.l5d.fs/web'), { type: 'bound', addrs: [{ ip: '127.0.0.1', port: 8080, meta: {} }], meta: {} });
    assert.deepEqual(await c.resolve('prod', '/svc/web'), { type: 'bound', addrs: [{ ip: '127.0.0.1', port: 8080, meta: {} }], meta: {} });
    assert.deepEqual(await c.delegate(undefined, '/svc/web'), { type: 'neg', path: '/svc/web' });
    await rejects(c.delegate('prod', 'svc'), 'invalid', `${nd.url} rejected the request to delegate svc in namespace prod (400 Bad Request): Invalid path: svc / '/' expected but 's' found at '[s]vc'`, 400);
  });
  it('watches: the namespace list and a namespace', async () => {
    const names = await new Promise<string[]>((resolve) => {
      const s = c.watchList((l) => (s.close(), resolve(l)), () => {});
    });
    assert.ok(names.includes('prod'));
    const got: string[] = [];
    nd.set('w1', '/a=>/b');
    await new Promise<void>((resolve) => {
      const s = c.watchNamespace('w1', (d) => {
        got.push(d.text);
        // The next change only once this one arrived: no race with the watch's opening.
        if (got.length === 1) nd.set('w1', '/a=>/c');
        else {
          s.close();
          resolve();
        }
      }, () => {});
    });
    assert.deepEqual(got, ['/a=>/b', '/a=>/c']);
  });
  it('sends the Authorization header it is given', async () => {
    const s = await startNamerdStandin({ token: 'sekret' });
    try {
      assert.deepEqual(await new NamerdClient(new URL(s.url), { authorization: 'Bearer sekret' }).list(), []);
      await assert.rejects(new NamerdClient(new URL(s.url)).list(), (e: NamerdError) => e.kind === 'unauthorized' && e.message === `${s.url} refused to list the namespaces (401 Unauthorized): it wants credentials; set DTAB_NAMERD_TOKEN to a bearer token it accepts`);
      assert.equal(s.requests[0]!.headers.authorization, 'Bearer sekret');
    } finally {
      await s.stop();
    }
  });
});

describe('NamerdClient faults', () => {
  it('connection refused', async () => {
    const f = await nd.fault({ kind: 'refuse' });
    try {
      await rejects(c.list(), 'network', `cannot list the namespaces: ${nd.url}: connection refused (is it running, and is this the right port?)`);
    } finally {
      await f.clear();
    }
    assert.ok((await c.list()).includes('prod'));
  });
  it('timeout (a delay held until cleared)', async () => {
    const f = await nd.fault({ kind: 'delay', match: { path: '/api/1/dtabs' } });
    try {
      await rejects(new NamerdClient(new URL(nd.url), { timeoutMs: 50 }).list(), 'network', `cannot list the namespaces: ${nd.url}: no answer within 0.05 s`);
    } finally {
      await f.clear();
    }
  });
  it('5xx and malformed JSON', async () => {
    const f = await nd.fault({ kind: 'status', code: 500, body: 'boom\n', times: 1 });
    await rejects(c.get('prod'), 'server', `${nd.url} answered 500 Internal Server Error when asked to get namespace prod: boom`, 500);
    assert.equal(f.hits, 1);
    await nd.fault({ kind: 'malformed', times: 1 });
    await assert.rejects(c.get('prod'), (e: NamerdError) => e.kind === 'protocol' && e.message.startsWith(`${nd.url} sent malformed JSON when asked to get namespace prod (`) && e.message.endsWith("): is the base URL namerd's httpController?"));
  });
  it('a stalled watch ends with an error after stallMs', async () => {
    const f = await nd.fault({ kind: 'stall-watch', times: 1 });
    const err = await new Promise<NamerdError | undefined>((resolve) => c.watchNamespace('prod', () => resolve(undefined), resolve, { stallMs: 100 }));
    assert.ok(err);
    assert.equal(err.kind, 'network');
    assert.equal(err.message, `cannot watch namespace prod: ${nd.url}: the watch went quiet for 0.1 s`);
    assert.equal(f.hits, 1);
  });
  it('a watch answered with an error status ends with that error', async () => {
    await nd.fault({ kind: 'status', code: 503, match: { watch: true }, times: 1 });
    const err = await new Promise<NamerdError | undefined>((resolve) => c.watchList(() => resolve(undefined), resolve));
    assert.equal(err?.message, `${nd.url} answered 503 Service Unavailable when asked to watch the namespaces`);
  });
});
