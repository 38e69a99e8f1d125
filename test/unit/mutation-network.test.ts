// server/network.ts and server/zipkin.ts in-process, without an LSP connection: `allowedUrl`
// (trust, the settings' lists, URL normalisation, invalid URLs), `Network` (namerd list, get, push
// with its version, the 412 flow with `theirs`, changedSince, remove; watches of the list and of a
// namespace with their notifications, errors, backoff, stop and close; the routing impact; the
// merge; server-side delegations against namerd and linkerd's admin with their differences; test
// requests through a router with and without the override) and `Zipkin` (services, traces, one
// trace). Against the namerd, linkerd and Zipkin stand-ins on 127.0.0.1, reached only through the
// URLs the host's settings give. Results are compared whole (messages exactly; a response's
// timeMs and Date header, which vary, checked apart), so that a mutant of a branch fails here.

import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { Interpreter, lowerDtab, parseDtab, SystemNamer, type Dtab } from '../../core/index.js';
import type { NamerdChange, Position, ResponseView } from '../../protocol/messages.js';
import type { LineStream } from '../../remote/http.js';
import { NamerdClient } from '../../remote/namerd.js';
import { allowedUrl, Network, RemoteError, type NetworkHost, type NetworkSettings, type UrlList } from '../../server/network.js';
import { MAX_TRACES, Zipkin } from '../../server/zipkin.js';
import { fixedNamer, startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';
import { startNamerdStandin, type NamerdStandin } from '../namerd/standin.js';
import { linkerdTrace, startZipkinStandin, type ZipkinStandin } from '../zipkin/standin.js';

const V1 = 'AAAAAAAAAAE=';
const V2 = 'AAAAAAAAAAI=';
const V3 = 'AAAAAAAAAAM=';
const UNTRUSTED = { ok: false, kind: 'untrusted', message: 'Network features are off in an untrusted workspace: trust the workspace to use namerd, linkerd and test requests.' };
const notIn = (url: string, setting: string) => ({ ok: false, kind: 'not-configured', message: `${url} is not in ${setting}: add it to the settings first (requests go only to URLs you configured).` });
const REFUSED = (url: string) => `${url}: connection refused (is it running, and is this the right port?)`;

type Doc = NonNullable<ReturnType<NetworkHost['dtabOf']>>;

/** A namer for `/#/io.l5d.fs` that binds `web` to one address. */
function webAt(port: number): Interpreter {
  return new Interpreter([{ prefix: ['#', 'io.l5d.fs'], namer: fixedNamer({ web: [`127.0.0.1:${port}`] }, '/#/io.l5d.fs') }], new SystemNamer());
}
/** Only the `/$/` namers. */
const bare = () => new Interpreter([], new SystemNamer());

/** An open document: its dtab, its interpreter, and the dentry text on each line that has one. */
function doc(text: string, interpreter: Interpreter, dentries: Readonly<Record<number, string>> = {}): Doc {
  const dtab: Dtab = lowerDtab(parseDtab(text));
  return { dtab, text, interpreter, dentryAtLine: (line) => dentries[line] };
}

/** The host a Network sees: trust, the settings (read afresh each time), notifications, documents. */
class Host implements NetworkHost {
  trust = true;
  settingsRead = 0;
  readonly notes: NamerdChange[] = [];
  private taken = 0;
  private wake: (() => void) | undefined;
  readonly docs = new Map<string, Doc>();
  /** dtabOf's arguments, in order. */
  readonly asked: [string, Position | undefined][] = [];
  lone: Interpreter = bare();
  serviceNames: readonly string[] = [];

  constructor(public config: NetworkSettings) {}

  trusted(): boolean {
    return this.trust;
  }
  async settings(): Promise<NetworkSettings> {
    this.settingsRead++;
    return this.config;
  }
  notify(change: NamerdChange): void {
    this.notes.push(change);
    this.wake?.();
  }
  /** The next notification not yet taken (waits for it). */
  async next(): Promise<NamerdChange> {
    while (this.notes.length <= this.taken) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.notes[this.taken++]!;
  }
  dtabOf(uri: string, position?: Position): Doc | undefined {
    this.asked.push([uri, position]);
    return this.docs.get(uri);
  }
  interpreter(): Interpreter {
    return this.lone;
  }
  async services(): Promise<readonly string[]> {
    return this.serviceNames;
  }
}

/** Waits (a turn of the event loop at a time) for something to have happened. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 200_000) throw new Error('waited too long');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * A response view with its clock-dependent parts checked and set to fixed values: timeMs (a
 * number ≥ 0 with one decimal at most) becomes 0, the Date header's value 'DATE'.
 */
function steady(v: ResponseView): ResponseView {
  assert.equal(typeof v.timeMs, 'number');
  assert.ok(v.timeMs >= 0, `timeMs ${v.timeMs}`);
  assert.equal(Math.round(v.timeMs * 10) / 10, v.timeMs, `timeMs ${v.timeMs} has one decimal at most`);
  const dates = v.headers.filter((h) => h.name === 'Date');
  assert.equal(dates.length, 1);
  assert.match(dates[0]!.value, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  return { ...v, timeMs: 0, headers: v.headers.map((h) => (h.name === 'Date' ? { ...h, value: 'DATE' } : h)) };
}

let nd: NamerdStandin;
let l5d: LinkerdStandin;
let zk: ZipkinStandin;

function settings(over: Partial<NetworkSettings> = {}): NetworkSettings {
  return { namerd: [nd.url], linkerdAdmins: [l5d.adminUrl], routers: [l5d.routerUrl('http')], zipkin: [zk.url], timeoutMs: 5000, ...over };
}

before(async () => {
  nd = await startNamerdStandin({ namespaces: { prod: '/svc=>/#/io.l5d.fs' }, namers: { '/#/io.l5d.fs/web': ['127.0.0.1:8080'] } });
  l5d = await startLinkerdStandin({
    routers: [{ label: 'http', dtab: '/svc=>/#/io.l5d.fs' }],
    namers: [{ prefix: '/#/io.l5d.fs', namer: fixedNamer({ web: ['127.0.0.1:7000'] }, '/#/io.l5d.fs') }],
    requestIds: () => '0123456789abcdef',
  });
  zk = await startZipkinStandin({ now: () => 1_700_000_000_000 });
});
after(async () => {
  await nd.stop();
  await l5d.stop();
  await zk.stop();
});

describe('allowedUrl: trust first, then the URL, then the settings', () => {
  const isRemote = (kind: string, message: string) => (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.ok(e instanceof Error);
    assert.deepEqual([e.kind, e.message], [kind, message]);
    return true;
  };
  it('untrusted: refused before the URL or the settings are looked at', async () => {
    const host = new Host(settings());
    host.trust = false;
    await assert.rejects(allowedUrl(host, 'not a url', 'namerd'), isRemote('untrusted', UNTRUSTED.message));
    await assert.rejects(allowedUrl(host, nd.url, 'namerd'), isRemote('untrusted', UNTRUSTED.message));
    assert.equal(host.settingsRead, 0);
  });
  it("an invalid URL: not-configured with the parser's reason, the settings not read", async () => {
    const host = new Host(settings());
    await assert.rejects(allowedUrl(host, '  ', 'namerd'), isRemote('not-configured', 'empty base URL'));
    await assert.rejects(allowedUrl(host, 'ftp://h:1', 'routers'), isRemote('not-configured', 'invalid base URL: ftp://h:1 (only http and https)'));
    await assert.rejects(allowedUrl(host, 'nonsense', 'zipkin'), isRemote('not-configured', 'invalid base URL: nonsense (write it like http://namerd:4180)'));
    await assert.rejects(allowedUrl(host, 'http://u:p@h:1', 'linkerdAdmins'), isRemote('not-configured', 'invalid base URL: http://u:p@h:1 (put credentials in the stored secret, not in the URL)'));
    assert.equal(host.settingsRead, 0);
  });
  it('a URL not in its list: the message names the setting of that list', async () => {
    const host = new Host({ namerd: ['http://n:1'], linkerdAdmins: ['http://a:1'], routers: ['http://r:1'], zipkin: ['http://z:1'], timeoutMs: 1 });
    const lists: [UrlList, string, string][] = [
      ['namerd', 'linkerdDtab.namerd.servers', 'http://a:1'],
      ['linkerdAdmins', 'linkerdDtab.linkerd.admins', 'http://r:1'],
      ['routers', 'linkerdDtab.testRequests', 'http://z:1'],
      ['zipkin', 'linkerdDtab.zipkin.url', 'http://n:1'],
    ];
    for (const [list, setting, url] of lists) await assert.rejects(allowedUrl(host, url, list), isRemote('not-configured', notIn(url, setting).message));
    assert.equal(host.settingsRead, 4);
  });
  it('the same URL whatever its trailing slashes and the case of scheme and host; the URL given comes back, with the timeout', async () => {
    const host = new Host({ namerd: ['not a url', 'HTTP://Namerd.Example:4180//'], linkerdAdmins: [], routers: [], zipkin: [], timeoutMs: 1234 });
    const got = async (url: string) => {
      const r = await allowedUrl(host, url, 'namerd');
      return { url: r.url.href, timeoutMs: r.timeoutMs };
    };
    assert.deepEqual(await got('http://namerd.example:4180'), { url: 'http://namerd.example:4180/', timeoutMs: 1234 });
    assert.deepEqual(await got(' http://NAMERD.example:4180/ '), { url: 'http://namerd.example:4180/', timeoutMs: 1234 });
    assert.deepEqual(await got('http://namerd.example:4180///'), { url: 'http://namerd.example:4180///', timeoutMs: 1234 });
    for (const other of ['http://namerd.example:4181', 'https://namerd.example:4180', 'http://namerd.example:4180/api', 'http://namerd.example.org:4180']) {
      await assert.rejects(allowedUrl(host, other, 'namerd'), isRemote('not-configured', notIn(other, 'linkerdDtab.namerd.servers').message));
    }
  });
  it('Network.configured: the URL as parsed when allowed, else undefined', async () => {
    const host = new Host(settings({ namerd: [`${nd.url}/`], linkerdAdmins: [l5d.adminUrl] }));
    const net = new Network(host);
    assert.equal(await net.configured(nd.url.replace('http://', 'HTTP://'), 'namerd'), `${nd.url}/`);
    assert.equal(await net.configured(l5d.adminUrl, 'linkerdAdmins'), `${l5d.adminUrl}/`);
    assert.equal(await net.configured(l5d.adminUrl, 'namerd'), undefined);
    assert.equal(await net.configured('::', 'namerd'), undefined);
    host.trust = false;
    assert.equal(await net.configured(nd.url, 'namerd'), undefined);
  });
});

describe('namerd: list, get, remove', () => {
  it('lists the namespaces; the Authorization header only when given', async () => {
    const net = new Network(new Host(settings()));
    nd.set('list-a', '/a=>/b');
    const n = nd.requests.length;
    const got = await net.list({ url: nd.url });
    // Other tests add namespaces of their own: these two are the ones here.
    assert.deepEqual({ ...got, namespaces: got.ok ? got.namespaces.filter((x) => x === 'prod' || x === 'list-a') : [] }, { ok: true, namespaces: ['list-a', 'prod'] });
    assert.deepEqual(await net.list({ url: nd.url, authorization: 'Bearer t0k' }), got);
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.path, r.headers.authorization]), [['GET', '/api/1/dtabs', undefined], ['GET', '/api/1/dtabs', 'Bearer t0k']]);
  });
  it('refuses what is not configured or not trusted, and sends nothing', async () => {
    const host = new Host(settings({ namerd: [] }));
    const net = new Network(host);
    const n = nd.requests.length;
    assert.deepEqual(await net.list({ url: nd.url }), notIn(nd.url, 'linkerdDtab.namerd.servers'));
    assert.deepEqual(await net.get({ url: nd.url }, 'prod'), notIn(nd.url, 'linkerdDtab.namerd.servers'));
    assert.deepEqual(await net.remove({ url: nd.url }, 'prod'), notIn(nd.url, 'linkerdDtab.namerd.servers'));
    host.config = settings();
    host.trust = false;
    assert.deepEqual(await net.list({ url: nd.url }), UNTRUSTED);
    assert.deepEqual(await net.get({ url: nd.url }, 'prod'), UNTRUSTED);
    assert.equal(nd.requests.length, n);
  });
  it("says what went wrong, with namerd's kinds: refused, malformed, a status, the timeout of the settings", async () => {
    const host = new Host(settings());
    const net = new Network(host);
    const refused = await nd.fault({ kind: 'refuse' });
    try {
      assert.deepEqual(await net.list({ url: nd.url }), { ok: false, kind: 'network', message: `cannot list the namespaces: ${REFUSED(nd.url)}` });
    } finally {
      await refused.clear();
    }
    const bad = await nd.fault({ kind: 'malformed', match: { method: 'GET', path: '/api/1/dtabs' }, times: 1 });
    try {
      assert.deepEqual(await net.list({ url: nd.url }), {
        ok: false,
        kind: 'protocol',
        message: `${nd.url} sent malformed JSON when asked to list the namespaces (Unterminated string in JSON at position 20): is the base URL namerd's httpController?`,
      });
    } finally {
      await bad.clear();
    }
    const down = await nd.fault({ kind: 'status', code: 503, match: { path: '/api/1/dtabs' }, times: 1 });
    try {
      assert.deepEqual(await net.get({ url: nd.url }, 'prod'), { ok: false, kind: 'server', message: `${nd.url} answered 503 Service Unavailable when asked to get namespace prod` });
    } finally {
      await down.clear();
    }
    host.config = settings({ timeoutMs: 50 });
    const held = await nd.fault({ kind: 'delay', match: { path: '/api/1/dtabs' }, times: 1 });
    try {
      assert.deepEqual(await net.list({ url: nd.url }), { ok: false, kind: 'network', message: `cannot list the namespaces: ${nd.url}: no answer within 0.05 s` });
    } finally {
      await held.clear();
    }
  });
  it("gets a namespace: its version (the ETag) and namerctl's pretty text; no version when there is no ETag", async () => {
    const net = new Network(new Host(settings()));
    nd.set('get-a', '/svc=>/$/inet/127.1/8080;/svc/world=>/$/inet/127.1/8081');
    assert.deepEqual(await net.get({ url: nd.url }, 'get-a'), { ok: true, version: V1, text: '/svc        => /$/inet/127.1/8080 ;\n/svc/world  => /$/inet/127.1/8081 ;\n' });
    assert.deepEqual(await net.get({ url: nd.url }, 'nope'), { ok: false, kind: 'not-found', message: `namespace nope does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it` });
    const noEtag = await nd.fault({ kind: 'status', code: 200, body: '[{"prefix":"/a","dst":"/b"}]', match: { method: 'GET', path: '/api/1/dtabs/get-a' }, times: 1 });
    try {
      assert.deepEqual(await net.get({ url: nd.url }, 'get-a'), { ok: true, text: '/a  => /b ;\n' });
    } finally {
      await noEtag.clear();
    }
  });
  it('removes a namespace; a second time it is not found', async () => {
    const net = new Network(new Host(settings()));
    nd.set('rm-a', '/a=>/b');
    assert.deepEqual(await net.remove({ url: nd.url, authorization: 'Bearer r' }, 'rm-a'), { ok: true });
    assert.deepEqual([nd.requests.at(-1)!.method, nd.requests.at(-1)!.path, nd.requests.at(-1)!.headers.authorization], ['DELETE', '/api/1/dtabs/rm-a', 'Bearer r']);
    assert.equal(nd.get('rm-a'), undefined);
    assert.deepEqual(await net.remove({ url: nd.url }, 'rm-a'), { ok: false, kind: 'not-found', message: `namespace rm-a does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it` });
  });
});

describe('namerd: push', () => {
  const server = () => ({ url: nd.url });
  const invalid = (message: string) => ({ ok: false, kind: 'invalid', message });

  it('refuses a dtab with errors before sending anything: the first three errors with their lines', async () => {
    const net = new Network(new Host(settings()));
    const push = (text: string) => net.push({ server: server(), ns: 'prod', text, baseVersion: V1 });
    const n = nd.requests.length;
    // The errors' messages end a sentence: no second full stop.
    assert.deepEqual(await push('/a => /b ;\n/c = /d'), invalid('The dtab has an error: line 2: Expected `>` right after `=`: write `=>` with nothing between; found a space. Nothing was sent to namerd.'));
    assert.deepEqual(await push('/a => /b ;\n/c => '), invalid('The dtab has an error: line 2: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text. Nothing was sent to namerd.'));
    assert.deepEqual(
      await push('/a => /b ;\n/c = /d ;\n/e => ;'),
      invalid('The dtab has 2 errors: line 2: Expected `>` right after `=`: write `=>` with nothing between; found a space.; line 3: Expected a destination before `;`. Nothing was sent to namerd.'),
    );
    const three = 'line 1: Expected a destination before `;`.; line 2: Expected a destination before `;`.; line 3: Expected a destination before `;`.';
    assert.deepEqual(await push('/a=>;\n/b=>;\n/c=>;'), invalid(`The dtab has 3 errors: ${three} Nothing was sent to namerd.`));
    // More than three: an ellipsis, and then a full stop is added.
    assert.deepEqual(await push('/a=>;\n/b=>;\n/c=>;\n/d=>;'), invalid(`The dtab has 4 errors: ${three}; …. Nothing was sent to namerd.`));
    assert.equal(nd.requests.length, n, 'nothing reached namerd');
  });
  it('pushes with If-Match and answers what namerd has now; warnings do not stop it, and spacing or comments are no change', async () => {
    const net = new Network(new Host(settings()));
    nd.set('push-a', '/a=>/b');
    const text = '# two routes\n/a  =>  /c ;\n/a => /c ;\n';
    const n = nd.requests.length;
    assert.deepEqual(await net.push({ server: { url: nd.url, authorization: 'Bearer p' }, ns: 'push-a', text, baseVersion: V1 }), { ok: true, version: V2, text: '/a  => /c ;\n/a  => /c ;\n' });
    assert.deepEqual(
      nd.requests.slice(n).map((r) => [r.method, r.path, r.ifMatch, r.headers['content-type'], r.headers.authorization, r.body]),
      [
        ['PUT', '/api/1/dtabs/push-a', V1, 'application/dtab', 'Bearer p', text],
        ['GET', '/api/1/dtabs/push-a', undefined, undefined, 'Bearer p', ''],
      ],
    );
    assert.deepEqual(nd.get('push-a'), { version: V2, text: '/a=>/c;/a=>/c' });
  });
  it('creates a namespace with POST; one that exists is refused as it is, nothing more asked', async () => {
    const net = new Network(new Host(settings()));
    const n = nd.requests.length;
    assert.deepEqual(await net.push({ server: server(), ns: 'new-a', text: '/x => /y ;', create: true }), { ok: true, version: V1, text: '/x  => /y ;\n' });
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.path, r.ifMatch]), [['POST', '/api/1/dtabs/new-a', undefined], ['GET', '/api/1/dtabs/new-a', undefined]]);
    const m = nd.requests.length;
    assert.deepEqual(await net.push({ server: server(), ns: 'new-a', text: '/x => /z ;', create: true, baseVersion: V1 }), {
      ok: false,
      kind: 'exists',
      message: `namespace new-a already exists on ${nd.url} (409 Conflict): replace it with \`dtab namerd update new-a FILE\``,
    });
    assert.deepEqual(nd.requests.slice(m).map((r) => r.method), ['POST']);
  });
  it('without a version to push against (and not a create): a conflict, nothing sent', async () => {
    const net = new Network(new Host(settings()));
    const n = nd.requests.length;
    assert.deepEqual(await net.push({ server: server(), ns: 'prod', text: '/a => /b ;' }), { ok: false, kind: 'conflict', message: 'No version to push namespace prod against: open it from namerd first.' });
    assert.equal(nd.requests.length, n);
  });
  it('not configured or untrusted: refused as such (no conflict flow)', async () => {
    const host = new Host(settings({ namerd: [] }));
    const net = new Network(host);
    const n = nd.requests.length;
    assert.deepEqual(await net.push({ server: server(), ns: 'prod', text: '/a => /b ;', baseVersion: V1 }), notIn(nd.url, 'linkerdDtab.namerd.servers'));
    host.trust = false;
    assert.deepEqual(await net.push({ server: server(), ns: 'prod', text: '/a => /b ;', create: true }), UNTRUSTED);
    assert.equal(nd.requests.length, n);
  });
  it('on 412 answers what namerd has now as theirs (with its version)', async () => {
    const net = new Network(new Host(settings()));
    nd.set('c412', '/a=>/b');
    nd.beforeWrite(({ ns }) => {
      if (ns === 'c412') nd.set('c412', '/a=>/theirs;/b=>/c');
    });
    try {
      assert.deepEqual(await net.push({ server: server(), ns: 'c412', text: '/a => /mine ;', baseVersion: V1 }), {
        ok: false,
        kind: 'conflict',
        message: `namespace c412 changed on ${nd.url} since version ${V1} was read (412 Precondition Failed): get it again and merge, or push with --force`,
        theirs: { version: V2, text: '/a  => /theirs ;\n/b  => /c ;\n' },
      });
    } finally {
      nd.beforeWrite(undefined);
    }
    assert.deepEqual(nd.get('c412'), { version: V2, text: '/a=>/theirs;/b=>/c' });
  });
  it('on 412 without an ETag on theirs: theirs without a version; when theirs cannot be read: the conflict alone', async () => {
    const net = new Network(new Host(settings()));
    nd.set('c412b', '/a=>/b');
    const conflict = { ok: false, kind: 'conflict', message: `namespace c412b changed on ${nd.url} since version ${V1} was read (412 Precondition Failed): get it again and merge, or push with --force` };
    const put = await nd.fault({ kind: 'status', code: 412, match: { method: 'PUT' }, times: 2 });
    const get = await nd.fault({ kind: 'status', code: 200, body: '[{"prefix":"/t","dst":"/u"}]', match: { method: 'GET', path: '/api/1/dtabs/c412b' }, times: 1 });
    try {
      assert.deepEqual(await net.push({ server: server(), ns: 'c412b', text: '/a => /mine ;', baseVersion: V1 }), { ...conflict, theirs: { text: '/t  => /u ;\n' } });
      const gone = await nd.fault({ kind: 'status', code: 500, match: { method: 'GET', path: '/api/1/dtabs/c412b' }, times: 1 });
      try {
        assert.deepEqual(await net.push({ server: server(), ns: 'c412b', text: '/a => /mine ;', baseVersion: V1 }), conflict);
        assert.equal(gone.hits, 1);
      } finally {
        await gone.clear();
      }
    } finally {
      await put.clear();
      await get.clear();
    }
  });
  it('a failed write other than 412: that failure, nothing read after it', async () => {
    const net = new Network(new Host(settings()));
    nd.set('fail-w', '/a=>/b');
    const put = await nd.fault({ kind: 'status', code: 500, body: 'disk full', match: { method: 'PUT' }, times: 1 });
    const n = nd.requests.length;
    try {
      assert.deepEqual(await net.push({ server: server(), ns: 'fail-w', text: '/a => /c ;', baseVersion: V1 }), { ok: false, kind: 'server', message: `${nd.url} answered 500 Internal Server Error when asked to update namespace fail-w: disk full` });
    } finally {
      await put.clear();
    }
    assert.deepEqual(nd.requests.slice(n).map((r) => r.method), ['PUT']);
  });
  it('changedSince when namerd has something else right after the push; the failure when that read fails', async () => {
    const net = new Network(new Host(settings()));
    nd.set('since', '/a=>/b');
    const held = await nd.fault({ kind: 'delay', match: { method: 'GET', path: '/api/1/dtabs/since' }, times: 1 });
    const pushed = net.push({ server: server(), ns: 'since', text: '/a => /c ;', baseVersion: V1 });
    try {
      await until(() => held.hits === 1);
      nd.set('since', '/a=>/d');
    } finally {
      await held.clear();
    }
    assert.deepEqual(await pushed, { ok: true, version: V3, text: '/a  => /d ;\n', changedSince: true });
    const down = await nd.fault({ kind: 'status', code: 502, match: { method: 'GET', path: '/api/1/dtabs/since' }, times: 1 });
    try {
      assert.deepEqual(await net.push({ server: server(), ns: 'since', text: '/a => /e ;', baseVersion: V3 }), { ok: false, kind: 'server', message: `${nd.url} answered 502 Bad Gateway when asked to get namespace since` });
    } finally {
      await down.clear();
    }
    assert.deepEqual(nd.get('since'), { version: 'AAAAAAAAAAQ=', text: '/a=>/e' });
    const noEtag = await nd.fault({ kind: 'status', code: 200, body: '[{"prefix":"/a","dst":"/f"}]', match: { method: 'GET', path: '/api/1/dtabs/since' }, times: 1 });
    try {
      assert.deepEqual(await net.push({ server: server(), ns: 'since', text: '/a => /f ;', baseVersion: 'AAAAAAAAAAQ=' }), { ok: true, text: '/a  => /f ;\n' });
    } finally {
      await noEtag.clear();
    }
  });
});

/** Records the setTimeout calls of the test (none of them run) and the clearTimeout calls. */
function fakeTimers(t: TestContext) {
  const set: { fn: () => void; ms: number; token: object }[] = [];
  const cleared: unknown[] = [];
  const g = globalThis as unknown as { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (h: unknown) => void };
  const realClear = g.clearTimeout;
  t.mock.method(g, 'setTimeout', (fn: () => void, ms: number) => {
    const token = { timer: set.length };
    set.push({ fn, ms, token });
    return token;
  });
  t.mock.method(g, 'clearTimeout', (h: unknown) => {
    cleared.push(h);
    if (!set.some((s) => s.token === h)) realClear(h);
  });
  return { set, cleared };
}

/** The watch streams a Network opens (`list` or the namespace), and those it closes. */
function spyStreams(t: TestContext) {
  const opened: string[] = [];
  const closed: string[] = [];
  type Open = (this: NamerdClient, ...args: unknown[]) => LineStream;
  for (const name of ['watchList', 'watchNamespace'] as const) {
    const original = NamerdClient.prototype[name] as unknown as Open;
    t.mock.method(NamerdClient.prototype as unknown as Record<string, Open>, name, function (this: NamerdClient, ...args: unknown[]) {
      const label = name === 'watchList' ? 'list' : String(args[0]);
      opened.push(label);
      const stream = original.apply(this, args);
      return {
        close: () => {
          closed.push(label);
          stream.close();
        },
      };
    });
  }
  return { opened, closed };
}

describe('namerd: watches', () => {
  // A namerd of each test's own (its namespace list is the test's), and the Network watching it.
  let w: NamerdStandin;
  let current: Network | undefined;
  const start = async (namespaces: Record<string, string> = { prod: '/a=>/b' }) => {
    w = await startNamerdStandin({ namespaces });
    const host = new Host(settings({ namerd: [w.url] }));
    current = new Network(host);
    return { host, net: current, server: { url: w.url } };
  };
  const stopAll = async () => {
    current?.close();
    current = undefined;
    await w.stop();
  };

  it('the namespace list: each change notified; a second watch is a no-op; stop closes it; stop again is fine', async (t) => {
    const streams = spyStreams(t);
    const { host, net, server } = await start();
    try {
      assert.deepEqual(await net.watch(server, undefined), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['prod'] });
      assert.deepEqual(await net.watch(server, undefined), { ok: true });
      w.set('dev', '/c=>/d');
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['prod', 'dev'] });
      w.remove('prod');
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['dev'] });
      assert.deepEqual(streams.opened, ['list']);
      assert.deepEqual(await net.watch(server, undefined, true), { ok: true });
      assert.deepEqual(streams.closed, ['list']);
      assert.deepEqual(await net.watch(server, undefined, true), { ok: true });
      assert.deepEqual(streams.closed, ['list']);
      // Watched again after the stop: a new stream.
      assert.deepEqual(await net.watch(server, undefined), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['dev'] });
      assert.deepEqual(streams.opened, ['list', 'list']);
      assert.equal(host.notes.length, 4);
    } finally {
      await stopAll();
    }
  });

  it('a namespace: its text and version (read again with one GET) on each change; separate from the list and from other namespaces', async (t) => {
    const streams = spyStreams(t);
    const { host, net, server } = await start({ prod: '/a=>/b', dev: '/x=>/y' });
    try {
      assert.deepEqual(await net.watch({ ...server, authorization: 'Bearer w' }, 'prod'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
      assert.deepEqual(
        w.requests.map((r) => [r.method, r.path, r.query, r.headers.authorization]),
        [
          ['GET', '/api/1/dtabs/prod', { watch: 'true' }, 'Bearer w'],
          ['GET', '/api/1/dtabs/prod', {}, 'Bearer w'],
        ],
      );
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      assert.deepEqual(await net.watch(server, undefined), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['prod', 'dev'] });
      assert.deepEqual(streams.opened, ['prod', 'list']);
      w.set('prod', '/a=>/c');
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /c ;\n', version: V2 });
      // Stopping the list leaves the namespace followed.
      assert.deepEqual(await net.watch(server, undefined, true), { ok: true });
      assert.deepEqual(streams.closed, ['list']);
      w.set('prod', '/a=>/d');
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /d ;\n', version: V3 });
      assert.deepEqual(await net.watch(server, 'dev'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'dev', text: '/x  => /y ;\n', version: V1 });
      assert.deepEqual(streams.opened, ['prod', 'list', 'dev']);
    } finally {
      await stopAll();
    }
  });

  it("a namespace that cannot be read again: the GET's error (gone, or a failing namerd)", async () => {
    const { host, net, server } = await start();
    try {
      const gone = await w.fault({ kind: 'status', code: 404, match: { method: 'GET', watch: false }, times: 1 });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', error: `namespace prod does not exist on ${w.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it` });
      assert.equal(gone.hits, 1);
      await w.fault({ kind: 'status', code: 500, match: { method: 'GET', watch: false }, times: 1 });
      w.set('prod', '/a=>/c');
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', error: `${w.url} answered 500 Internal Server Error when asked to get namespace prod` });
      w.set('prod', '/a=>/d');
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /d ;\n', version: V3 });
    } finally {
      await stopAll();
    }
  });

  it('a change while the namespace is read again: each text told with its own version, never an older text with a newer version', async () => {
    const { host, net, server } = await start();
    try {
      // The read after the first line is held while the namespace changes; a HEAD after the line
      // would have paired /a=>/b with the newer version, and a push based on that pair would pass.
      const held = await w.fault({ kind: 'delay', match: { method: 'GET', watch: false }, times: 1 });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      await until(() => held.hits === 1);
      w.set('prod', '/a=>/c');
      w.set('prod', '/a=>/d');
      await held.clear();
      const texts: Record<string, string> = { [V1]: '/a  => /b ;\n', [V2]: '/a  => /c ;\n', [V3]: '/a  => /d ;\n' };
      for (let n = await host.next(); n.version !== V3; n = await host.next()) assert.equal(n.text, texts[n.version!], JSON.stringify(n));
      assert.deepEqual(host.notes.at(-1), { url: w.url, ns: 'prod', text: '/a  => /d ;\n', version: V3 });
      assert.deepEqual(host.notes.filter((n) => n.text !== texts[n.version!]), []);
    } finally {
      await stopAll();
    }
  });

  it('a read that answers after the watch stopped tells nothing; nor one overtaken by a later read', async (t) => {
    let reads = 0;
    const get = NamerdClient.prototype.get;
    t.mock.method(NamerdClient.prototype, 'get', async function (this: NamerdClient, ns: string) {
      try {
        return await get.call(this, ns);
      } finally {
        reads++;
      }
    });
    const { host, net, server } = await start();
    try {
      const held = await w.fault({ kind: 'delay', match: { method: 'GET', watch: false }, times: 1 });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      await until(() => held.hits === 1);
      assert.deepEqual(await net.watch(server, 'prod', true), { ok: true });
      await held.clear();
      // The held read answers (and its callback has run: a turn later than the read itself).
      await until(() => reads === 1);
      assert.deepEqual(host.notes, []);
      // Watched again: the late answer of a first read is not told once a second one was asked.
      const slow = await w.fault({ kind: 'delay', match: { method: 'GET', watch: false }, times: 1 });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      await until(() => slow.hits === 1);
      w.set('prod', '/a=>/c');
      // The second read (after the change) answers first; then the first is let go.
      await until(() => reads === 2);
      await slow.clear();
      await until(() => reads === 3);
      assert.deepEqual(host.notes, [{ url: w.url, ns: 'prod', text: '/a  => /c ;\n', version: V2 }]);
    } finally {
      await stopAll();
    }
  });

  it('one watch per server however its URL is spelled', async (t) => {
    const streams = spyStreams(t);
    const { host, net } = await start();
    try {
      assert.deepEqual(await net.watch({ url: w.url }, undefined), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['prod'] });
      assert.deepEqual(await net.watch({ url: `${w.url}/` }, undefined), { ok: true });
      assert.deepEqual(await net.watch({ url: w.url.toUpperCase().replace('HTTP', 'http') }, undefined), { ok: true });
      assert.deepEqual(streams.opened, ['list']);
      assert.deepEqual(await net.watch({ url: `${w.url}/` }, undefined, true), { ok: true });
      assert.deepEqual(streams.closed, ['list']);
    } finally {
      await stopAll();
    }
  });

  it('refused when not configured, then opened once it is', async (t) => {
    const streams = spyStreams(t);
    const { host, net, server } = await start();
    try {
      host.config = settings({ namerd: [] });
      assert.deepEqual(await net.watch(server, 'prod'), notIn(w.url, 'linkerdDtab.namerd.servers'));
      host.trust = false;
      assert.deepEqual(await net.watch(server, undefined), UNTRUSTED);
      assert.deepEqual(streams.opened, []);
      host.trust = true;
      host.config = settings({ namerd: [w.url] });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
      assert.deepEqual(streams.opened, ['prod']);
    } finally {
      await stopAll();
    }
  });

  it('an error ends a watch with a notification; it reconnects after 1 s, doubled up to 30 s, back to 1 s after a line; stop clears the timer', async (t) => {
    const timers = fakeTimers(t);
    const streams = spyStreams(t);
    const { host, net, server } = await start();
    const reset = { url: w.url, ns: 'prod', error: `cannot watch namespace prod: ${w.url}: the connection was reset` };
    const refused = { url: w.url, ns: 'prod', error: `cannot watch namespace prod: ${REFUSED(w.url)}` };
    try {
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
      let down = await w.fault({ kind: 'refuse' });
      assert.deepEqual(await host.next(), reset);
      assert.deepEqual(timers.set.map((s) => s.ms), [1000]);
      await down.clear();
      timers.set[0]!.fn();
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
      down = await w.fault({ kind: 'refuse' });
      assert.deepEqual(await host.next(), reset);
      // The line in between brought the wait back to 1 s.
      assert.deepEqual(timers.set.map((s) => s.ms), [1000, 1000]);
      for (let i = 0; i < 6; i++) {
        timers.set.at(-1)!.fn();
        assert.deepEqual(await host.next(), refused);
      }
      assert.deepEqual(timers.set.map((s) => s.ms), [1000, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
      assert.deepEqual(streams.opened, Array(8).fill('prod'));
      await down.clear();
      assert.deepEqual(await net.watch(server, 'prod', true), { ok: true });
      assert.equal(timers.cleared.at(-1), timers.set.at(-1)!.token);
      assert.deepEqual(streams.closed, ['prod']);
      // A timer that went off anyway after the stop opens nothing.
      timers.set.at(-1)!.fn();
      assert.equal(streams.opened.length, 8);
      assert.equal(host.notes.length, 10);
    } finally {
      await stopAll();
    }
  });

  it("the list's watch: an error notified without a namespace; a line brings the wait back to 1 s; a status ends it too", async (t) => {
    const timers = fakeTimers(t);
    const { host, net, server } = await start();
    try {
      assert.deepEqual(await net.watch(server, undefined), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['prod'] });
      let down = await w.fault({ kind: 'refuse' });
      assert.deepEqual(await host.next(), { url: w.url, error: `cannot watch the namespaces: ${w.url}: the connection was reset` });
      await down.clear();
      timers.set[0]!.fn();
      assert.deepEqual(await host.next(), { url: w.url, namespaces: ['prod'] });
      down = await w.fault({ kind: 'refuse' });
      assert.deepEqual(await host.next(), { url: w.url, error: `cannot watch the namespaces: ${w.url}: the connection was reset` });
      await down.clear();
      const busy = await w.fault({ kind: 'status', code: 503, match: { watch: true }, times: 1 });
      timers.set[1]!.fn();
      assert.deepEqual(await host.next(), { url: w.url, error: `${w.url} answered 503 Service Unavailable when asked to watch the namespaces` });
      assert.equal(busy.hits, 1);
      assert.deepEqual(timers.set.map((s) => s.ms), [1000, 1000, 2000]);
    } finally {
      await stopAll();
    }
  });

  it('a watch the server ends without an error: nothing notified, a reconnect in 1 s', async (t) => {
    const timers = fakeTimers(t);
    const { host, net, server } = await start();
    try {
      await w.fault({ kind: 'status', code: 200, match: { watch: true }, times: 1 });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      await until(() => timers.set.length === 1);
      assert.deepEqual(timers.set.map((s) => s.ms), [1000]);
      assert.deepEqual(host.notes, []);
      timers.set[0]!.fn();
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
    } finally {
      await stopAll();
    }
  });

  it('close(): every stream closed, every timer cleared, nothing followed any more', async (t) => {
    const timers = fakeTimers(t);
    const streams = spyStreams(t);
    const { host, net, server } = await start({ prod: '/a=>/b', dev: '/x=>/y' });
    try {
      await w.fault({ kind: 'status', code: 503, match: { watch: true, path: '/api/1/dtabs/dev' }, times: 1 });
      assert.deepEqual(await net.watch(server, 'dev'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'dev', error: `${w.url} answered 503 Service Unavailable when asked to watch namespace dev` });
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
      assert.equal(timers.set.length, 1);
      net.close();
      assert.deepEqual(streams.closed.sort(), ['dev', 'prod']);
      assert.ok(timers.cleared.includes(timers.set[0]!.token), 'the reconnect of dev is cleared');
      timers.set[0]!.fn();
      assert.deepEqual(streams.opened, ['dev', 'prod']);
      // Nothing is watched any more: watching again opens a new stream.
      assert.deepEqual(await net.watch(server, 'prod'), { ok: true });
      assert.deepEqual(await host.next(), { url: w.url, ns: 'prod', text: '/a  => /b ;\n', version: V1 });
      assert.deepEqual(streams.opened, ['dev', 'prod', 'prod']);
    } finally {
      await stopAll();
    }
  });
});

describe('the routing impact and the merge', () => {
  it('a dtab with errors before or after: which one, its errors (before first)', async () => {
    const net = new Network(new Host(settings()));
    assert.deepEqual(await net.impact({ before: '/a = /b', after: '/a => ' }), {
      ok: false,
      kind: 'invalid',
      message: 'Before: The dtab has an error: line 1: Expected `>` right after `=`: write `=>` with nothing between; found a space.',
    });
    assert.deepEqual(await net.impact({ before: '/a => /b ;', after: '/a =>;\n/b =>;' }), {
      ok: false,
      kind: 'invalid',
      message: 'After: The dtab has 2 errors: line 1: Expected a destination before `;`.; line 2: Expected a destination before `;`.',
    });
  });
  it('a name that is not a path, named as given', async () => {
    const net = new Network(new Host(settings()));
    assert.deepEqual(await net.impact({ before: '/a => /b ;', after: '/a => /c ;', names: ['/svc/ok', ' svc/x '] }), {
      ok: false,
      kind: 'invalid',
      message: ' svc/x  is not a path: A path starts with `/`; found `s`.',
    });
  });
  it('rows and lines with the lone interpreter; the names given (trimmed) and the cluster names of the host are compared too', async () => {
    const host = new Host(settings());
    host.lone = new Interpreter([{ prefix: ['#', 'io.l5d.fs'], namer: fixedNamer({ web: ['127.0.0.1:9000'], users: ['127.0.0.1:9001'] }, '/#/io.l5d.fs') }], new SystemNamer());
    // users binds (the same before and after: compared, no row); ghost binds nowhere (not compared).
    host.serviceNames = ['users', 'ghost'];
    const net = new Network(host);
    const r = await net.impact({ before: '/svc => /#/io.l5d.fs ;', after: '/svc => /#/io.l5d.fs ;\n/svc/web => 1 * /$/inet/127.1/1 & 3 * /#/io.l5d.fs/web ;', names: [' /svc/other '] });
    assert.deepEqual(r, {
      ok: true,
      rows: [{ name: '/svc/web', before: '/#/io.l5d.fs/web', after: '/$/inet/127.1/1 & 3.00*/#/io.l5d.fs/web', shift: 'web 100% → web 75%, 127.1:1 25%' }],
      lines: ['/svc/web: web 100% → web 75%, 127.1:1 25%', '1 logical name changes where it goes (4 names compared)'],
      considered: 4,
      cut: false,
    });
    assert.deepEqual(host.asked, []);
  });
  it("the document's interpreter when a uri is given, the lone one when the uri has no dtab", async () => {
    const host = new Host(settings());
    host.lone = webAt(9000);
    host.docs.set('file:///d.dtab', doc('/svc => /#/io.l5d.fs ;', bare()));
    const net = new Network(host);
    const p = { before: '/svc => /#/io.l5d.fs ;', after: '/svc => /$/inet/127.1/5 ;', names: ['/svc/web'] };
    const withDoc = await net.impact({ ...p, uri: 'file:///d.dtab' });
    assert.deepEqual(withDoc, {
      ok: true,
      rows: [
        { name: '/svc/web', before: '~', after: '/$/inet/127.1/5/web' },
        { name: '/svc', before: '~', after: '/$/inet/127.1/5' },
      ],
      lines: ['/svc/web: ~ → /$/inet/127.1/5/web', '/svc: ~ → /$/inet/127.1/5', '2 logical names change where they go (2 names compared)'],
      considered: 2,
      cut: false,
    });
    const lone = await net.impact({ ...p, uri: 'file:///none.dtab' });
    assert.deepEqual(lone, {
      ok: true,
      rows: [
        { name: '/svc/web', before: '/#/io.l5d.fs/web', after: '/$/inet/127.1/5/web' },
        { name: '/svc', before: '~', after: '/$/inet/127.1/5' },
      ],
      lines: ['/svc/web: /#/io.l5d.fs/web → /$/inet/127.1/5/web', '/svc: ~ → /$/inet/127.1/5', '2 logical names change where they go (2 names compared)'],
      considered: 2,
      cut: false,
    });
    assert.deepEqual(host.asked, [
      ['file:///d.dtab', undefined],
      ['file:///none.dtab', undefined],
    ]);
  });
  it('merges three texts dentry by dentry, conflicts marked', () => {
    const net = new Network(new Host(settings()));
    assert.deepEqual(net.merge('/a => /b;\n', '/a => /b;\n/c => /d;\n', '/a => /x;\n'), { text: '/a => /x;\n/c => /d;\n', conflicts: 0 });
    assert.deepEqual(net.merge('/a => /b;\n', '/a => /c;\n', '/a => /d;\n'), {
      text: '<<<<<<< yours\n/a => /d;\n||||||| base\n/a => /b;\n=======\n/a => /c;\n>>>>>>> theirs (namerd)\n',
      conflicts: 1,
    });
  });
});

describe('serverDelegate: namerd and linkerd beside the local engine', () => {
  const URI = 'file:///d.dtab';
  const leafNode = (path: string, dentry: string, addr: string, status = 'success') => ({
    path,
    type: 'leaf',
    primary: true,
    status,
    description: `=> bound ${path}: ${addr}`,
    dentry: { text: dentry },
    children: [],
  });
  const tree = (path: string, child: object) => ({ path, type: 'delegate', primary: true, status: 'success', description: '', children: [child] });

  it('a path that is not one, and a document with no dtab: refused before anything is sent', async () => {
    const host = new Host(settings());
    const net = new Network(host);
    const n = nd.requests.length;
    const m = l5d.requests.length;
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'namerd', server: { url: nd.url }, ns: 'prod' }, path: 'svc/web' }), { ok: false, kind: 'invalid', message: 'Not a path: A path starts with `/`; found `s`.' });
    const position = { line: 2, character: 4 };
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: '/svc/web', uri: URI, position }), { ok: false, kind: 'invalid', message: 'There is no dtab here.' });
    assert.deepEqual(host.asked, [[URI, position]]);
    assert.deepEqual([nd.requests.length, l5d.requests.length], [n, m]);
  });

  it("namerd's namespace against the lone interpreter: the differences called out", async () => {
    const host = new Host(settings());
    host.lone = webAt(9090);
    const net = new Network(host);
    nd.set('deleg', '/svc=>/#/io.l5d.fs');
    const n = nd.requests.length;
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'namerd', server: { url: nd.url, authorization: 'Bearer d' }, ns: 'deleg' }, path: '  /svc/web ' }), {
      ok: true,
      root: tree('/svc/web', leafNode('/#/io.l5d.fs/web', '/svc=>/#/io.l5d.fs', '127.0.0.1:8080')),
      source: `namerd ${nd.url} namespace deleg`,
      differences: [{ where: '/svc/web → /#/io.l5d.fs/web', local: 'addresses 127.0.0.1:9090', remote: 'addresses 127.0.0.1:8080' }],
    });
    assert.deepEqual(
      nd.requests.slice(n).map((r) => [r.method, r.path, r.query, r.headers.authorization]),
      [
        ['GET', '/api/1/dtabs/deleg', {}, 'Bearer d'],
        ['GET', '/api/1/delegate/deleg', { path: '/svc/web' }, 'Bearer d'],
      ],
    );
    // The stored dtab is what the local engine delegates with: the same namers, no difference.
    host.lone = webAt(8080);
    const same = await net.serverDelegate({ target: { kind: 'namerd', server: { url: nd.url }, ns: 'deleg' }, path: '/svc/web' });
    assert.deepEqual(same.ok && same.differences, []);
  });

  it("namerd with the document's dtab (namespace-less) and the document's interpreter", async () => {
    const host = new Host(settings());
    host.lone = webAt(1);
    host.docs.set(URI, doc('# here\n/svc/web => /$/inet/127.1/7777 ;', webAt(2)));
    const net = new Network(host);
    const n = nd.requests.length;
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'namerd', server: { url: nd.url }, ns: 'prod' }, path: '/svc/web', uri: URI }), {
      ok: true,
      root: tree('/svc/web', leafNode('/$/inet/127.1/7777', '/svc/web=>/$/inet/127.1/7777', '127.0.0.1:7777')),
      source: `namerd ${nd.url} (this document's dtab)`,
      differences: [],
    });
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.path, r.query]), [['GET', '/api/1/delegate', { path: '/svc/web', dtab: '/svc/web=>/$/inet/127.1/7777' }]]);
    assert.deepEqual(host.asked, [[URI, undefined]]);
    // The document's interpreter is the one compared: namerd's namers give 8080, the document's 2.
    host.docs.set(URI, doc('/svc => /#/io.l5d.fs ;', webAt(2)));
    const r = await net.serverDelegate({ target: { kind: 'namerd', server: { url: nd.url }, ns: 'prod' }, path: '/svc/web', uri: URI });
    assert.deepEqual(r.ok && r.differences, [{ where: '/svc/web → /#/io.l5d.fs/web', local: 'addresses 127.0.0.1:2', remote: 'addresses 127.0.0.1:8080' }]);
  });

  it("linkerd's delegator with the document's dtab and the router's namers", async () => {
    const host = new Host(settings());
    host.docs.set(URI, doc('/svc => /#/io.l5d.fs ;', webAt(7000)));
    const net = new Network(host);
    const m = l5d.requests.length;
    const position = { line: 0, character: 1 };
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl, authorization: 'Bearer l' }, router: 'http' }, path: '/svc/web', uri: URI, position }), {
      ok: true,
      root: tree('/svc/web', leafNode('/#/io.l5d.fs/web', '/svc=>/#/io.l5d.fs', '127.0.0.1:7000')),
      source: `linkerd ${l5d.adminUrl} router http`,
      differences: [],
    });
    const sent = l5d.requests.slice(m);
    assert.deepEqual(sent.map((r) => [r.server, r.method, r.url, r.body, r.headers.find(([k]) => k === 'authorization')?.[1]]), [
      ['admin', 'POST', '/delegator.json', '{"namespace":"http","dtab":"/svc=>/#/io.l5d.fs","path":"/svc/web"}', 'Bearer l'],
    ]);
    assert.deepEqual(host.asked, [[URI, position]]);
  });

  it('linkerd without a document: the empty dtab and the lone interpreter', async () => {
    const host = new Host(settings());
    host.lone = webAt(7000);
    const net = new Network(host);
    const m = l5d.requests.length;
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: '/#/io.l5d.fs/web' }), {
      ok: true,
      root: { path: '/#/io.l5d.fs/web', type: 'leaf', primary: true, status: 'success', description: '=> bound /#/io.l5d.fs/web: 127.0.0.1:7000', children: [] },
      source: `linkerd ${l5d.adminUrl} router http`,
      differences: [],
    });
    assert.deepEqual(l5d.requests.slice(m).map((r) => [r.body, r.headers.some(([k]) => k === 'authorization')]), [['{"namespace":"http","dtab":"","path":"/#/io.l5d.fs/web"}', false]]);
    host.lone = bare();
    const r = await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: '/#/io.l5d.fs/web' });
    assert.deepEqual(r.ok && r.differences, [{ where: '/#/io.l5d.fs/web', local: 'neg /#/io.l5d.fs/web', remote: 'leaf /#/io.l5d.fs/web' }]);
  });

  it('the local engine failing: one difference at the path as given, the remote tree kept', async () => {
    const host = new Host(settings());
    host.lone = {
      delegate: () => Promise.reject(new Error('namer exploded')),
    } as unknown as Interpreter;
    const net = new Network(host);
    assert.deepEqual(await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: ' /#/io.l5d.fs/web' }), {
      ok: true,
      root: { path: '/#/io.l5d.fs/web', type: 'leaf', primary: true, status: 'success', description: '=> bound /#/io.l5d.fs/web: 127.0.0.1:7000', children: [] },
      source: `linkerd ${l5d.adminUrl} router http`,
      differences: [{ where: ' /#/io.l5d.fs/web', local: 'fails: namer exploded', remote: 'delegates' }],
    });
  });

  it('an answer that is not JSON at all: a protocol failure, as for namerd', async () => {
    const net = new Network(new Host(settings()));
    const garbled = await l5d.fault({ kind: 'status', code: 200, body: '<html>oops', headers: { 'Content-Type': 'text/html' }, server: 'admin', times: 1 });
    try {
      const r = await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: '/svc/web' });
      assert.deepEqual(r, { ok: false, kind: 'protocol', message: `${l5d.adminUrl}/delegator.json answered with something that is not JSON: <html>oops` });
    } finally {
      await garbled.clear();
    }
  });

  it('an answer that is not a delegate tree: a protocol failure naming the source', async () => {
    const net = new Network(new Host(settings()));
    const odd = await l5d.fault({ kind: 'status', code: 200, body: '{"type":"nonsense"}', headers: { 'Content-Type': 'application/json' }, server: 'admin', times: 1 });
    try {
      const r = await net.serverDelegate({ target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: '/svc/web' });
      assert.deepEqual(r, { ok: false, kind: 'protocol', message: `linkerd ${l5d.adminUrl} router http answered a delegate tree that is not one: $: unknown node type "nonsense"` });
    } finally {
      await odd.clear();
    }
    const odd2 = await nd.fault({ kind: 'status', code: 200, body: '[]', match: { path: '/api/1/delegate' }, times: 1 });
    try {
      const r = await net.serverDelegate({ target: { kind: 'namerd', server: { url: nd.url }, ns: 'prod' }, path: '/svc/web' });
      assert.deepEqual(r, { ok: false, kind: 'protocol', message: `namerd ${nd.url} namespace prod answered a delegate tree that is not one: $: a delegate tree must be a JSON object with a "type"` });
    } finally {
      await odd2.clear();
    }
  });

  it("failures: not configured (each target's setting), namerd's namespace missing, linkerd's status, linkerd down, the timeout", async () => {
    const host = new Host(settings({ namerd: [], linkerdAdmins: [] }));
    const net = new Network(host);
    const viaLinkerd = { target: { kind: 'linkerd' as const, admin: { url: l5d.adminUrl }, router: 'http' }, path: '/svc/web' };
    const viaNamerd = { target: { kind: 'namerd' as const, server: { url: nd.url }, ns: 'nope' }, path: '/svc/web' };
    assert.deepEqual(await net.serverDelegate(viaLinkerd), notIn(l5d.adminUrl, 'linkerdDtab.linkerd.admins'));
    assert.deepEqual(await net.serverDelegate(viaNamerd), notIn(nd.url, 'linkerdDtab.namerd.servers'));
    host.config = settings();
    assert.deepEqual(await net.serverDelegate(viaNamerd), { ok: false, kind: 'not-found', message: `namespace nope does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it` });
    assert.deepEqual(await net.serverDelegate({ ...viaLinkerd, target: { ...viaLinkerd.target, router: 'nope' } }), {
      ok: false,
      kind: 'server',
      message: `${l5d.adminUrl}/delegator.json answered 501 Not Implemented: Name Interpreter for nope cannot show delegations`,
    });
    const down = await l5d.fault({ kind: 'refuse', server: 'admin' });
    try {
      assert.deepEqual(await net.serverDelegate(viaLinkerd), { ok: false, kind: 'network', message: REFUSED(l5d.adminUrl) });
    } finally {
      await down.clear();
    }
    host.config = settings({ timeoutMs: 50 });
    const held = await l5d.fault({ kind: 'delay', server: 'admin', times: 1 });
    try {
      assert.deepEqual(await net.serverDelegate(viaLinkerd), { ok: false, kind: 'network', message: `${l5d.adminUrl}: no answer within 0.05 s` });
    } finally {
      await held.clear();
    }
    host.trust = false;
    assert.deepEqual(await net.serverDelegate(viaLinkerd), UNTRUSTED);
  });
});

describe('testOverride: a dentry through a router as l5d-dtab', () => {
  const URI = 'file:///o.dtab';
  const router = () => l5d.routerUrl('http');
  const routed = (client: string, address: string, dtab: string, bytes: number): Omit<ResponseView, 'sent'> => ({
    status: 200,
    statusText: 'OK',
    timeMs: 0,
    bytes,
    truncated: false,
    headers: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'l5d-dst-service', value: '/svc/web', meaning: 'the logical name Linkerd identified the request as: /svc/web' },
      { name: 'l5d-dst-client', value: client, meaning: `the bound id (the client Linkerd sent the request to after delegation): ${client}` },
      { name: 'l5d-reqid', value: '0123456789abcdef', meaning: 'the root trace id of the request; as a Zipkin trace id: GET /api/v2/trace/0123456789abcdef' },
      ...(dtab ? [{ name: 'l5d-ctx-dtab', value: dtab, meaning: `the local dtab (l5d-ctx-dtab then l5d-dtab) Linkerd passes on to the next Linkerd: ${dtab}` }] : []),
      { name: 'Content-Length', value: String(bytes) },
      { name: 'Date', value: 'DATE' },
      { name: 'Connection', value: 'close' },
    ],
    body: `{\n  "service": "/svc/web",\n  "client": "${client}",\n  "residual": "/",\n  "address": "${address}",\n  "dtab": "${dtab}"\n}`,
  });

  it('no dentry: none given, no document, no dentry on the line; nothing sent', async () => {
    const host = new Host(settings());
    host.docs.set(URI, doc('# nothing\n/svc/web => /$/inet/127.1/7777 ;', bare(), { 1: '/svc/web => /$/inet/127.1/7777' }));
    const net = new Network(host);
    const request = { url: router(), headers: { Host: 'web' } };
    const m = l5d.requests.length;
    const none = { ok: false, kind: 'invalid', message: 'No dentry given: put the cursor on a dentry, or give the override.' };
    assert.deepEqual(await net.testOverride({ request }), none);
    assert.deepEqual(await net.testOverride({ uri: URI, request }), none);
    assert.deepEqual(await net.testOverride({ line: 1, request }), none);
    assert.deepEqual(await net.testOverride({ uri: URI, line: 0, request }), { ok: false, kind: 'invalid', message: 'There is no dentry on line 1.' });
    assert.deepEqual(await net.testOverride({ uri: 'file:///none.dtab', line: 3, request }), { ok: false, kind: 'invalid', message: 'There is no dentry on line 4.' });
    assert.deepEqual(host.asked, [
      [URI, undefined],
      ['file:///none.dtab', undefined],
    ]);
    assert.equal(l5d.requests.length, m);
  });

  it('an override with errors: refused with them, nothing sent', async () => {
    const net = new Network(new Host(settings()));
    const request = { url: router(), headers: { Host: 'web' } };
    const m = l5d.requests.length;
    assert.deepEqual(await net.testOverride({ override: '/svc = /x', request }), {
      ok: false,
      kind: 'invalid',
      message: 'The dtab has an error: line 1: Expected `>` right after `=`: write `=>` with nothing between; found a space. Nothing was sent.',
    });
    assert.deepEqual(await net.testOverride({ override: '/svc => ', request }), {
      ok: false,
      kind: 'invalid',
      message: 'The dtab has an error: line 1: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text. Nothing was sent.',
    });
    // The override given wins over the document's line (which has no dentry).
    assert.deepEqual(await net.testOverride({ override: '/a=>;', uri: URI, line: 0, request }), { ok: false, kind: 'invalid', message: 'The dtab has an error: line 1: Expected a destination before `;`. Nothing was sent.' });
    assert.equal(l5d.requests.length, m);
  });

  it('a router not in the settings, or untrusted: refused, nothing sent', async () => {
    const host = new Host(settings({ routers: [] }));
    const net = new Network(host);
    const m = l5d.requests.length;
    assert.deepEqual(await net.testOverride({ override: '/a=>/b', request: { url: router() } }), notIn(router(), 'linkerdDtab.testRequests'));
    host.trust = false;
    assert.deepEqual(await net.testOverride({ override: '/a=>/b', request: { url: router() } }), UNTRUSTED);
    assert.equal(l5d.requests.length, m);
  });

  it("the dentry on the document's line, with the override only: GET / with the request's headers", async () => {
    const host = new Host(settings());
    host.docs.set(URI, doc('# send web here\n/svc/web => /$/inet/127.1/7777 ;', bare(), { 1: '/svc/web  =>  /$/inet/127.1/7777' }));
    const net = new Network(host);
    const r = await net.testOverride({ uri: URI, line: 1, request: { url: router(), headers: { Host: 'web' } } });
    assert.ok(r.ok && !('without' in r), JSON.stringify(r));
    assert.deepEqual(
      { ...r, withOverride: steady(r.withOverride) },
      {
        ok: true,
        override: '/svc/web=>/$/inet/127.1/7777',
        withOverride: {
          ...routed('/$/inet/127.1/7777', '127.0.0.1:7777', '/svc/web=>/$/inet/127.1/7777', 132),
          sent: { method: 'GET', url: `${router()}/`, headers: [['Host', 'web'], ['l5d-dtab', '/svc/web=>/$/inet/127.1/7777']] },
        },
      },
    );
    const got = l5d.requests.at(-1)!;
    assert.deepEqual([got.server, got.method, got.url, got.dtabHeaders, got.sample], ['http', 'GET', '/', ['/svc/web=>/$/inet/127.1/7777'], undefined]);
  });

  it('compared with the same request without it: method, path, authorization and sampling as asked', async () => {
    const net = new Network(new Host(settings()));
    const r = await net.testOverride({
      override: '/svc/web => /$/inet/127.1/7777 ;',
      request: { url: router(), method: 'post', path: '/x?y=1', headers: { Host: 'web', 'X-Test': 'a' } },
      authorization: 'Bearer o',
      sample: true,
      compare: true,
    });
    assert.ok(r.ok && r.without && 'status' in r.without, JSON.stringify(r));
    const common: [string, string][] = [['Host', 'web'], ['X-Test', 'a'], ['Authorization', 'Bearer o']];
    assert.deepEqual(
      { ...r, withOverride: steady(r.withOverride), without: steady(r.without) },
      {
        ok: true,
        override: '/svc/web=>/$/inet/127.1/7777',
        withOverride: {
          ...routed('/$/inet/127.1/7777', '127.0.0.1:7777', '/svc/web=>/$/inet/127.1/7777', 132),
          sent: { method: 'POST', url: `${router()}/x?y=1`, headers: [...common, ['l5d-dtab', '/svc/web=>/$/inet/127.1/7777'], ['l5d-sample', '1.0']] },
        },
        without: {
          ...routed('/#/io.l5d.fs/web', '127.0.0.1:7000', '', 102),
          sent: { method: 'POST', url: `${router()}/x?y=1`, headers: [...common, ['l5d-sample', '1.0']] },
        },
      },
    );
    const [a, b] = l5d.requests.slice(-2);
    assert.deepEqual([a!.method, a!.url, a!.dtabHeaders, a!.sample], ['POST', '/x?y=1', ['/svc/web=>/$/inet/127.1/7777'], '1.0']);
    assert.deepEqual([b!.method, b!.url, b!.dtabHeaders, b!.sample], ['POST', '/x?y=1', [], '1.0']);
  });

  it('the request without the override failing: its error in place of the answer', async () => {
    const host = new Host(settings({ timeoutMs: 50 }));
    const net = new Network(host);
    const first = await l5d.fault({ kind: 'status', code: 418, body: '{"tea":[1,2]}', headers: { 'Content-Type': 'application/json; charset=utf-8' }, server: 'http', times: 1 });
    const second = await l5d.fault({ kind: 'delay', server: 'http', times: 1 });
    try {
      const r = await net.testOverride({ override: '/svc/web=>/$/inet/127.1/7777', request: { url: router() }, compare: true });
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(
        { ...r, withOverride: steady(r.withOverride) },
        {
          ok: true,
          override: '/svc/web=>/$/inet/127.1/7777',
          withOverride: {
            status: 418,
            statusText: "I'm a Teapot",
            timeMs: 0,
            bytes: 13,
            truncated: false,
            headers: [
              { name: 'Content-Type', value: 'application/json; charset=utf-8' },
              { name: 'Content-Length', value: '13' },
              { name: 'Date', value: 'DATE' },
              { name: 'Connection', value: 'close' },
            ],
            body: '{\n  "tea": [\n    1,\n    2\n  ]\n}',
            sent: { method: 'GET', url: `${router()}/`, headers: [['l5d-dtab', '/svc/web=>/$/inet/127.1/7777']] },
          },
          without: { error: `${router()}: no answer within 0.05 s` },
        },
      );
      assert.deepEqual([first.hits, second.hits], [1, 1]);
    } finally {
      await first.clear();
      await second.clear();
    }
  });

  it("timeMs: the response's own time in ms, rounded to a tenth (the clock of remote/http.ts stepped by 12.36 ms)", async (t) => {
    const net = new Network(new Host(settings()));
    let reads = 0;
    const clock = t.mock.method(performance, 'now', () => 1000 + 12.36 * ++reads);
    const r = await net.testOverride({ override: '/svc/web=>/$/inet/127.1/7777', request: { url: router(), headers: { Host: 'web' } } });
    assert.equal(clock.mock.callCount(), 2, 'the start and the end of the one request');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.withOverride.timeMs, 12.4);
  });

  it('the router down: a network failure, nothing compared', async () => {
    const net = new Network(new Host(settings()));
    const down = await l5d.fault({ kind: 'refuse', server: 'http' });
    try {
      assert.deepEqual(await net.testOverride({ override: '/a=>/b', request: { url: router() }, compare: true }), { ok: false, kind: 'network', message: REFUSED(router()) });
    } finally {
      await down.clear();
    }
  });
});

describe('Zipkin: services, traces, one trace', () => {
  const START = 1_699_999_999_000_000;
  before(() => {
    zk.add(linkerdTrace({ traceId: '00000000000000a1', startUs: START, attempts: [{ status: 503, durationUs: 100 }, { status: 200, durationUs: 100 }] }));
    zk.add([{ traceId: '00000000000000b2', id: '00000000000000b2', name: 'get /x', kind: 'SERVER', timestamp: START - 1_000_000, duration: 1500, localEndpoint: { serviceName: 'web' }, tags: { 'http.rsp.status': '200' } }]);
  });
  const A1 = { traceId: '00000000000000a1', spans: 3, root: { name: 'http /svc/dog', service: '0.0.0.0/4140' }, startUs: START, durationUs: 450, errors: 1, error: 'classified as a failure (503)' };
  const B2 = { traceId: '00000000000000b2', spans: 1, root: { name: 'get /x', service: 'web' }, startUs: START - 1_000_000, durationUs: 1500, errors: 0 };

  it('services; the Authorization header only when given', async () => {
    const z = new Zipkin(new Host(settings()));
    const n = zk.requests.length;
    assert.deepEqual(await z.services({ url: zk.url }), { ok: true, services: ['#/io.l5d.fs/dog', '0.0.0.0/4140', 'web'] });
    assert.deepEqual(await z.services({ url: zk.url, authorization: 'Bearer z' }), { ok: true, services: ['#/io.l5d.fs/dog', '0.0.0.0/4140', 'web'] });
    assert.deepEqual(zk.requests.slice(n).map((r) => [r.url, r.headers.authorization]), [['/api/v2/services', undefined], ['/api/v2/services', 'Bearer z']]);
  });

  it('untrusted, or not the Zipkin of the settings: refused, nothing sent', async () => {
    const host = new Host(settings({ zipkin: [] }));
    const z = new Zipkin(host);
    const n = zk.requests.length;
    assert.deepEqual(await z.services({ url: zk.url }), notIn(zk.url, 'linkerdDtab.zipkin.url'));
    assert.deepEqual(await z.traces({ server: { url: zk.url } }), notIn(zk.url, 'linkerdDtab.zipkin.url'));
    assert.deepEqual(await z.trace({ url: zk.url }, '00000000000000a1'), notIn(zk.url, 'linkerdDtab.zipkin.url'));
    host.trust = false;
    assert.deepEqual(await z.services({ url: zk.url }), UNTRUSTED);
    assert.equal(zk.requests.length, n);
  });

  it('traces summarized; the query as given, empty and zero lookback left out, the limit kept between 1 and 100', async () => {
    const z = new Zipkin(new Host(settings()));
    const n = zk.requests.length;
    assert.deepEqual(await z.traces({ server: { url: zk.url } }), { ok: true, traces: [A1, B2] });
    assert.deepEqual(await z.traces({ server: { url: zk.url }, serviceName: 'web', spanName: 'get /x', annotationQuery: 'http.rsp.status=200', minDurationUs: 0, lookbackMs: 3_600_000, limit: 5 }), { ok: true, traces: [B2] });
    assert.deepEqual(await z.traces({ server: { url: zk.url }, serviceName: '', spanName: '', annotationQuery: '', lookbackMs: 0, limit: 0 }), { ok: true, traces: [A1] });
    assert.deepEqual(await z.traces({ server: { url: zk.url }, minDurationUs: 1000, limit: 1000 }), { ok: true, traces: [B2] });
    assert.deepEqual(await z.traces({ server: { url: zk.url, authorization: 'Bearer t' }, limit: 100 }), { ok: true, traces: [A1, B2] });
    assert.deepEqual(
      zk.requests.slice(n).map((r) => [r.url, r.headers.authorization]),
      [
        ['/api/v2/traces?limit=20', undefined],
        ['/api/v2/traces?serviceName=web&spanName=get+%2Fx&annotationQuery=http.rsp.status%3D200&minDuration=0&lookback=3600000&limit=5', undefined],
        ['/api/v2/traces?limit=1', undefined],
        ['/api/v2/traces?minDuration=1000&limit=100', undefined],
        ['/api/v2/traces?limit=100', 'Bearer t'],
      ],
    );
  });

  it(`at most ${MAX_TRACES} traces, whatever the server sends`, async () => {
    const z = new Zipkin(new Host(settings()));
    const many = Array.from({ length: MAX_TRACES + 1 }, (_, i) => [{ traceId: (i + 1).toString(16).padStart(16, '0'), id: (i + 1).toString(16).padStart(16, '0'), timestamp: START + i, duration: 10 }]);
    const lavish = await zk.fault({ kind: 'status', code: 200, body: JSON.stringify(many), headers: { 'Content-Type': 'application/json' }, path: '/api/v2/traces', times: 1 });
    try {
      const r = await z.traces({ server: { url: zk.url }, limit: 100 });
      assert.ok(r.ok);
      assert.equal(r.traces.length, MAX_TRACES);
      assert.deepEqual(r.traces[0], { traceId: '0000000000000001', spans: 1, root: {}, startUs: START, durationUs: 10, errors: 0 });
      assert.deepEqual(r.traces.at(-1), { traceId: '0000000000000064', spans: 1, root: {}, startUs: START + 99, durationUs: 10, errors: 0 });
    } finally {
      await lavish.clear();
    }
  });

  it('one trace as waterfall rows (an upper-case id asked in lower case); not found; not an id', async () => {
    const z = new Zipkin(new Host(settings()));
    const n = zk.requests.length;
    assert.deepEqual(await z.trace({ url: zk.url, authorization: 'Bearer one' }, '00000000000000B2'), {
      ok: true,
      trace: {
        traceId: '00000000000000b2',
        spans: 1,
        startUs: START - 1_000_000,
        durationUs: 1500,
        errors: 0,
        rows: [{ depth: 0, id: '00000000000000b2', name: 'get /x', service: 'web', kind: 'SERVER', offsetUs: 0, durationUs: 1500, linkerd: { status: 200 }, tags: [['http.rsp.status', '200']] }],
        cut: 0,
      },
    });
    assert.deepEqual(zk.requests.slice(n).map((r) => [r.url, r.headers.authorization]), [['/api/v2/trace/00000000000000b2', 'Bearer one']]);
    assert.deepEqual(await z.trace({ url: zk.url }, '00000000000000ff'), { ok: false, kind: 'not-found', message: `${zk.url}/api/v2/trace/00000000000000ff answered 404 Not Found: 00000000000000ff not found` });
    const m = zk.requests.length;
    assert.deepEqual(await z.trace({ url: zk.url }, 'xyz'), { ok: false, kind: 'invalid', message: 'not a trace id: "xyz" (16 or 32 hex characters, as l5d-reqid)' });
    assert.equal(zk.requests.length, m);
  });

  it('Zipkin down, answering nonsense, or too slow for the timeout of the settings', async () => {
    const host = new Host(settings());
    const z = new Zipkin(host);
    const down = await zk.fault({ kind: 'refuse' });
    try {
      assert.deepEqual(await z.services({ url: zk.url }), { ok: false, kind: 'network', message: REFUSED(zk.url) });
      assert.deepEqual(await z.traces({ server: { url: zk.url } }), { ok: false, kind: 'network', message: REFUSED(zk.url) });
      assert.deepEqual(await z.trace({ url: zk.url }, '00000000000000a1'), { ok: false, kind: 'network', message: REFUSED(zk.url) });
    } finally {
      await down.clear();
    }
    const bad = await zk.fault({ kind: 'malformed', path: '/api/v2/services', times: 1 });
    try {
      assert.deepEqual(await z.services({ url: zk.url }), { ok: false, kind: 'protocol', message: `${zk.url}/api/v2/services answered with something that is not JSON: [{"traceId":"` });
    } finally {
      await bad.clear();
    }
    const odd = await zk.fault({ kind: 'status', code: 200, body: '{"no":"list"}', path: '/api/v2/traces', times: 1 });
    try {
      assert.deepEqual(await z.traces({ server: { url: zk.url } }), { ok: false, kind: 'protocol', message: `${zk.url}/api/v2/traces answered something that is not Zipkin's: the answer must be an array of traces, not {"no":"list"}` });
    } finally {
      await odd.clear();
    }
    const refused = await zk.fault({ kind: 'status', code: 401, path: '/api/v2/trace/', times: 1 });
    try {
      assert.deepEqual(await z.trace({ url: zk.url }, '00000000000000a1'), { ok: false, kind: 'unauthorized', message: `${zk.url}/api/v2/trace/00000000000000a1 answered 401 Unauthorized` });
    } finally {
      await refused.clear();
    }
    host.config = settings({ timeoutMs: 50 });
    const held = await zk.fault({ kind: 'delay', path: '/api/v2/services', times: 1 });
    try {
      assert.deepEqual(await z.services({ url: zk.url }), { ok: false, kind: 'network', message: `${zk.url}: no answer within 0.05 s` });
    } finally {
      await held.clear();
    }
  });
});
