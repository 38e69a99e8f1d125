import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { startNamerdStandin, type NamerdStandin } from '../namerd/standin.js';

let nd: NamerdStandin;
before(async () => {
  nd = await startNamerdStandin({ namespaces: { prod: '/svc=>/#/io.l5d.fs;/svc/world-long=>/$/inet/127.0.0.1/9' }, namers: { '/#/io.l5d.fs/web': ['127.0.0.1:8080'] } });
});
after(() => nd.stop());

const run = (args: string[], files: Record<string, string> = {}, env: NodeJS.ProcessEnv = { NAMERCTL_BASE_URL: nd.url }, cwd = '/work/x') => runCli(args, { files, env, cwd });

describe('dtab namerd', () => {
  it('ls (text and --json), base URL from env, flag, or .namerctl.yaml upwards', async () => {
    assert.deepEqual(await run(['namerd', 'ls']), { code: 0, out: 'prod\n', err: '' });
    assert.deepEqual(await run(['namerd', 'ls', '--json', '--base-url', nd.url], {}, {}), { code: 0, out: '["prod"]\n', err: '' });
    assert.deepEqual(await run(['namerd', 'ls'], { '/work/.namerctl.yaml': `base-url: ${nd.url}\n` }, {}, '/work/x/y'), { code: 0, out: 'prod\n', err: '' });
  });
  it('get: `# version` then the pretty form; --json namerctl\'s shape', async () => {
    assert.deepEqual(await run(['namerd', 'get', 'prod']), {
      code: 0,
      out: '# version AAAAAAAAAAE=\n/svc             => /#/io.l5d.fs ;\n/svc/world-long  => /$/inet/127.0.0.1/9 ;\n',
      err: '',
    });
    assert.equal((await run(['namerd', 'get', 'prod', '--json'])).out, '{"version":"AAAAAAAAAAE=","dtab":[{"prefix":"/svc","dst":"/#/io.l5d.fs"},{"prefix":"/svc/world-long","dst":"/$/inet/127.0.0.1/9"}]}\n');
  });
  it('create, then exit 3 when it exists; exit 1 and nothing sent for a file with errors', async () => {
    assert.deepEqual(await run(['namerd', 'create', 'new', 'a.dtab'], { 'a.dtab': '/a => /b;\n' }), { code: 0, out: 'Created new\n', err: '' });
    const again = await run(['namerd', 'create', 'new', 'a.dtab'], { 'a.dtab': '/a => /b;\n' });
    assert.equal(again.code, 3);
    assert.equal(again.err, `dtab: namespace new already exists on ${nd.url} (409 Conflict): replace it with \`dtab namerd update new FILE\`\n`);
    const n = nd.requests.length;
    const bad = await run(['namerd', 'create', 'bad', 'b.dtab'], { 'b.dtab': '/a = /b' });
    assert.equal(bad.code, 1);
    assert.equal(bad.err, 'b.dtab:1:5: error: Expected `>` right after `=`: write `=>` with nothing between; found a space. [split-arrow]\n');
    assert.equal(nd.requests.length, n);
  });
  it('update: GET (the version and the routing impact) then PUT with If-Match; --version; --force sends none; JSON input\'s version', async () => {
    nd.set('u', '/a=>/$/inet/127.1/1');
    let n = nd.requests.length;
    assert.deepEqual(await run(['namerd', 'update', 'u', 'u.dtab'], { 'u.dtab': '/a=>/$/inet/127.1/2' }), {
      code: 0,
      out: 'routing impact of u (version AAAAAAAAAAE= → u.dtab):\n  /a: /$/inet/127.1/1 → /$/inet/127.1/2\n  1 logical name changes where it goes (1 name compared)\nUpdated u (version AAAAAAAAAAE= → AAAAAAAAAAI=)\n',
      err: '',
    });
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.ifMatch]), [['GET', undefined], ['PUT', 'AAAAAAAAAAE='], ['HEAD', undefined]]);
    n = nd.requests.length;
    assert.equal((await run(['namerd', 'update', 'u', 'u.dtab', '--version', 'AAAAAAAAAAI='], { 'u.dtab': '/a=>/d' })).code, 0);
    assert.equal(nd.requests.slice(n).find((r) => r.method === 'PUT')?.ifMatch, 'AAAAAAAAAAI=');
    n = nd.requests.length;
    assert.equal((await run(['namerd', 'update', 'u', 'u.dtab', '--force'], { 'u.dtab': '/a=>/e' })).code, 0);
    assert.equal(nd.requests.slice(n).find((r) => r.method === 'PUT')?.ifMatch, undefined);
    n = nd.requests.length;
    const json = await run(['namerd', 'update', 'u', 'u.json'], { 'u.json': '{"version":"AAAAAAAAAAQ=","dtab":[{"prefix":"/a","dst":"/f"}]}' });
    assert.deepEqual(json, { code: 0, out: 'routing impact of u (version AAAAAAAAAAQ= → u.json):\n  no logical name changes where it goes (1 name compared)\nUpdated u (version AAAAAAAAAAQ= → AAAAAAAAAAU=)\n', err: '' });
    const put = nd.requests.slice(n).find((r) => r.method === 'PUT')!;
    assert.deepEqual([put.ifMatch, put.headers['content-type'], put.body], ['AAAAAAAAAAQ=', 'application/json', '[{"prefix":"/a","dst":"/f"}]']);
  });
  it('update --dry-run sends no write and prints what would be sent', async () => {
    nd.set('dry', '/a=>/b');
    const n = nd.requests.length;
    const r = await run(['namerd', 'update', 'dry', 'd.dtab', '--dry-run'], { 'd.dtab': '/a=>/z | /$/inet/127.1/9\n' });
    assert.deepEqual(r, { code: 0, out: `routing impact of dry (version AAAAAAAAAAE= → d.dtab):\n  /a: ~ → /$/inet/127.1/9\n  1 logical name changes where it goes (1 name compared)\nwould send (--dry-run, nothing sent):\nPUT ${nd.url}/api/1/dtabs/dry\nContent-Type: application/dtab\nIf-Match: AAAAAAAAAAE=\n\n/a=>/z | /$/inet/127.1/9\n`, err: '' });
    assert.deepEqual(nd.requests.slice(n).map((r) => r.method), ['GET']);
    assert.equal(nd.get('dry')?.text, '/a=>/b');
  });
  it('a concurrent change between the read and the push: exit 3, nothing lost', async () => {
    nd.set('race', '/a=>/b');
    nd.beforeWrite(({ ns }) => {
      if (ns === 'race') nd.set('race', '/a=>/theirs');
    });
    try {
      const r = await run(['namerd', 'update', 'race', 'r.dtab'], { 'r.dtab': '/a=>/mine' });
      assert.deepEqual(r, { code: 3, out: 'routing impact of race (version AAAAAAAAAAE= → r.dtab):\n  no logical name changes where it goes (1 name compared)\n', err: `dtab: namespace race changed on ${nd.url} since version AAAAAAAAAAE= was read (412 Precondition Failed): get it again and merge, or push with --force\n` });
    } finally {
      nd.beforeWrite(undefined);
    }
    assert.deepEqual(nd.get('race'), { version: 'AAAAAAAAAAI=', text: '/a=>/theirs' });
  });
  it('update of a missing namespace: exit 4; delete: 0 then 4', async () => {
    const r = await run(['namerd', 'update', 'missing', 'm.dtab'], { 'm.dtab': '/a=>/b' });
    assert.deepEqual(r, { code: 4, out: '', err: `dtab: namespace missing does not exist on ${nd.url}: create it with \`dtab namerd create missing m.dtab\` (or update with --force)\n` });
    nd.set('del', '/a=>/b');
    assert.deepEqual(await run(['namerd', 'delete', 'del']), { code: 0, out: 'Deleted del\n', err: '' });
    const again = await run(['namerd', 'delete', 'del']);
    assert.equal(again.code, 4);
    assert.equal(again.err, `dtab: namespace del does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it\n`);
  });
  it('delegate: namerd\'s tree rendered; --json; --compare lists differences', async () => {
    const r = await run(['namerd', 'delegate', 'prod', '/svc/web']);
    assert.deepEqual(r, {
      code: 0,
      out: '* /svc/web\n*   /#/io.l5d.fs/web  => bound /#/io.l5d.fs/web: 127.0.0.1:8080  <- /svc=>/#/io.l5d.fs\n',
      err: '',
    });
    const j = await run(['namerd', 'delegate', 'prod', '/svc/web', '--json']);
    assert.equal(j.out, '{"type":"delegate","path":"/svc/web","delegate":{"type":"leaf","path":"/#/io.l5d.fs/web","dentry":{"prefix":"/svc","dst":"/#/io.l5d.fs"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}},"id":"/#/io.l5d.fs/web","path":"/"}}}\n');
    const same = await run(['namerd', 'delegate', 'prod', '/svc/web', '--compare']);
    assert.equal(same.code, 0);
    assert.ok(same.out.endsWith('\ncompared with a local delegation (2 stored dentries): no differences\n'), same.out);
    const diff = await run(['namerd', 'delegate', 'prod', '/svc/other', '--compare', '--dtab', '/svc/other=>/#/io.l5d.custom/x']);
    assert.ok(diff.out.includes('\ncompared with a local delegation: 1 difference\n'), diff.out);
  });
  it('exit 2: usage, no base URL, an invalid base URL, an invalid path, an unreadable file', async () => {
    assert.equal((await run(['namerd'])).code, 2);
    assert.equal((await run(['namerd', 'frob'])).code, 2);
    assert.equal((await run(['namerd', 'get'])).code, 2);
    const none = await run(['namerd', 'ls'], {}, {});
    assert.equal(none.code, 2);
    assert.ok(none.err.startsWith('dtab: no namerd base URL: pass --base-url URL, set NAMERCTL_BASE_URL, or put `base-url: URL` in .namerctl.yaml\n'));
    assert.deepEqual(await run(['namerd', 'ls', '--base-url', 'namerd:4180'], {}, {}), { code: 2, out: '', err: 'dtab: --base-url: invalid base URL: namerd:4180 (only http and https)\n' });
    assert.deepEqual(await run(['namerd', 'delegate', 'prod', 'svc']), { code: 2, out: '', err: "dtab: invalid path: A path starts with `/`; found `s`.\n  '/' expected but 's' found at '[s]vc'\n" });
    assert.deepEqual(await run(['namerd', 'create', 'x', 'nope.dtab']), { code: 2, out: '', err: 'dtab: cannot read nope.dtab: no such file\n' });
  });
  it('exit 5: connection refused, a 5xx, malformed JSON; auth from DTAB_NAMERD_TOKEN', async () => {
    const f = await nd.fault({ kind: 'refuse' });
    try {
      assert.deepEqual(await run(['namerd', 'ls']), { code: 5, out: '', err: `dtab: cannot list the namespaces: ${nd.url}: connection refused (is it running, and is this the right port?)\n` });
    } finally {
      await f.clear();
    }
    await nd.fault({ kind: 'status', code: 502, times: 1 });
    assert.deepEqual(await run(['namerd', 'get', 'prod']), { code: 5, out: '', err: `dtab: ${nd.url} answered 502 Bad Gateway when asked to get namespace prod\n` });
    await nd.fault({ kind: 'malformed', times: 1 });
    assert.equal((await run(['namerd', 'ls'])).code, 5);
    const s = await startNamerdStandin({ token: 'tok', namespaces: { a: '/a=>/b' } });
    try {
      assert.deepEqual(await run(['namerd', 'ls'], {}, { NAMERCTL_BASE_URL: s.url, DTAB_NAMERD_TOKEN: 'tok' }), { code: 0, out: 'a\n', err: '' });
      assert.equal((await run(['namerd', 'ls'], {}, { NAMERCTL_BASE_URL: s.url })).code, 5);
    } finally {
      await s.stop();
    }
  });
});
