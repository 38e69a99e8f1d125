// The network features through the real server (dist/server.js --stdio): namerd (list, get, push
// with If-Match, the 412 flow, watch), the routing impact, the merge, server-side delegations
// (namerd, linkerd's delegator) compared with the local engine, and "Test this override" through a
// router, against the namerd and linkerd stand-ins on 127.0.0.1, reached through the settings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CodeLensRequest, HoverRequest, type CodeLens, type Hover } from 'vscode-languageserver-protocol';
import {
  Impact,
  Merge,
  NamerdChanged,
  NamerdGet,
  NamerdList,
  NamerdPush,
  NamerdWatch,
  ServerDelegate,
  TestOverride,
  TrustNotification,
  type ImpactResult,
  type NamerdChange,
  type NamerdPushResult,
  type ServerDelegateResult,
  type TestOverrideResult,
} from '../../protocol/messages.js';
import { fixedNamer, startLinkerdStandin } from '../linkerd/standin.js';
import { startNamerdStandin } from '../namerd/standin.js';
import { LspClient } from '../support/lsp-client.js';

type Namerd = Awaited<ReturnType<typeof startNamerdStandin>>;
type Linkerd = Awaited<ReturnType<typeof startLinkerdStandin>>;

describe('namerd, linkerd and test requests through the server', () => {
  let nd: Namerd;
  let l5d: Linkerd;
  let client: LspClient;
  let server: { url: string };
  const uri = 'file:///work/override.dtab';
  const send = <R>(method: string, params: unknown) => client.connection.sendRequest(method, params) as Promise<R>;

  before(async () => {
    nd = await startNamerdStandin({ namespaces: { prod: '/svc=>/$/inet/127.1/8080;/svc/world=>/$/inet/127.1/8081' } });
    l5d = await startLinkerdStandin({
      routers: [{ label: 'http', dtab: '/svc=>/#/io.l5d.fs' }],
      namers: [{ prefix: '/#/io.l5d.fs', namer: fixedNamer({ world: ['127.0.0.1:7000'] }, '/#/io.l5d.fs') }],
      requestIds: () => '0123456789abcdef',
    });
    server = { url: nd.url };
    client = new LspClient(
      {
        namerd: { servers: [{ name: 'standin', url: nd.url }] },
        linkerd: { admins: [{ name: 'edge', url: l5d.adminUrl, routers: ['http'] }] },
        testRequests: [{ name: 'world', url: l5d.routerUrl('http'), headers: { Host: 'world' } }],
        network: { timeoutSeconds: 5 },
      },
      undefined,
      { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' },
    );
    await client.start();
    await client.open(uri, '# send /svc/world to a port here\n/svc/world => /$/inet/127.1/7777;\n');
  });
  after(async () => {
    await client.stop();
    await nd.stop();
    await l5d.stop();
  });

  it('refuses URLs that are not in the settings, and everything while untrusted', async () => {
    const other = await send<unknown>(NamerdList.method, { server: { url: 'http://127.0.0.1:1' } });
    assert.deepEqual(other, {
      ok: false,
      kind: 'not-configured',
      message: 'http://127.0.0.1:1 is not in linkerdDtab.namerd.servers: add it to the settings first (requests go only to URLs you configured).',
    });
    const n = nd.requests.length;
    await client.connection.sendNotification(TrustNotification.method, { trusted: false });
    const untrusted = await send<unknown>(NamerdList.method, { server });
    assert.deepEqual(untrusted, {
      ok: false,
      kind: 'untrusted',
      message: 'Network features are off in an untrusted workspace: trust the workspace to use namerd, linkerd and test requests.',
    });
    const lenses = await send<CodeLens[]>(CodeLensRequest.method, { textDocument: { uri } });
    assert.deepEqual(lenses, []);
    await client.connection.sendNotification(TrustNotification.method, { trusted: true });
    assert.equal(nd.requests.length, n, 'nothing reached namerd');
  });

  it('lists and gets namespaces (the version from the ETag, the text in namerctl\'s pretty form)', async () => {
    assert.deepEqual(await send(NamerdList.method, { server }), { ok: true, namespaces: ['prod'] });
    assert.deepEqual(await send(NamerdGet.method, { server, ns: 'prod' }), {
      ok: true,
      version: 'AAAAAAAAAAE=',
      text: '/svc        => /$/inet/127.1/8080 ;\n/svc/world  => /$/inet/127.1/8081 ;\n',
    });
    assert.deepEqual(await send(NamerdGet.method, { server, ns: 'nope' }), { ok: false, kind: 'not-found', message: `namespace nope does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it` });
  });

  it('pushes with If-Match, refuses a dtab with errors before sending, and on 412 returns theirs', async () => {
    const pushed = await send<NamerdPushResult>(NamerdPush.method, { server, ns: 'prod', text: '/svc => /$/inet/127.1/8080;\n/svc/world => /$/inet/127.1/9000;\n', baseVersion: 'AAAAAAAAAAE=' });
    assert.deepEqual(pushed, { ok: true, version: 'AAAAAAAAAAI=', text: '/svc        => /$/inet/127.1/8080 ;\n/svc/world  => /$/inet/127.1/9000 ;\n' });
    const put = nd.requests.filter((r) => r.method === 'PUT').at(-1)!;
    assert.equal(put.ifMatch, 'AAAAAAAAAAE=');

    const n = nd.requests.length;
    const invalid = await send<NamerdPushResult>(NamerdPush.method, { server, ns: 'prod', text: '/svc = /x', baseVersion: 'AAAAAAAAAAI=' });
    assert.deepEqual(invalid, {
      ok: false,
      kind: 'invalid',
      message: 'The dtab has an error: line 1: Expected `>` right after `=`: write `=>` with nothing between; found a space. Nothing was sent to namerd.',
    });
    assert.equal(nd.requests.length, n);

    // Someone else pushes between our read and our push.
    nd.beforeWrite(({ ns }) => {
      if (ns === 'prod') nd.set('prod', '/svc=>/$/inet/127.1/8080;/svc/hello=>/$/inet/127.1/7001');
    });
    try {
      const conflict = await send<NamerdPushResult>(NamerdPush.method, { server, ns: 'prod', text: '/svc => /$/inet/127.1/1;', baseVersion: 'AAAAAAAAAAI=' });
      assert.deepEqual(conflict, {
        ok: false,
        kind: 'conflict',
        message: `namespace prod changed on ${nd.url} since version AAAAAAAAAAI= was read (412 Precondition Failed): get it again and merge, or push with --force`,
        theirs: { version: 'AAAAAAAAAAM=', text: '/svc        => /$/inet/127.1/8080 ;\n/svc/hello  => /$/inet/127.1/7001 ;\n' },
      });
    } finally {
      nd.beforeWrite(undefined);
    }
    assert.deepEqual(nd.get('prod'), { version: 'AAAAAAAAAAM=', text: '/svc=>/$/inet/127.1/8080;/svc/hello=>/$/inet/127.1/7001' });
  });

  it('follows a namespace with namerd\'s watch stream', async () => {
    const changes: NamerdChange[] = [];
    const seen = new Promise<NamerdChange>((resolve) =>
      client.connection.onNotification(NamerdChanged.method, (c: NamerdChange) => {
        changes.push(c);
        if (c.ns === 'prod' && c.text?.includes('7002')) resolve(c);
      }),
    );
    assert.deepEqual(await send(NamerdWatch.method, { server, ns: 'prod' }), { ok: true });
    nd.set('prod', '/svc=>/$/inet/127.1/7002');
    assert.deepEqual(await seen, { url: nd.url, ns: 'prod', text: '/svc  => /$/inet/127.1/7002 ;\n', version: 'AAAAAAAAAAQ=' });
    assert.deepEqual(await send(NamerdWatch.method, { server, ns: 'prod', stop: true }), { ok: true });
  });

  it('computes the routing impact of a change', async () => {
    const r = await send<ImpactResult>(Impact.method, {
      before: '/svc => /$/inet/127.1/1; /svc/world => /$/inet/127.1/2;',
      after: '/svc => /$/inet/127.1/1; /svc/world => 1 * /$/inet/127.1/3 & 9 * /$/inet/127.1/2;',
      names: ['/svc/users'],
    });
    assert.deepEqual(r, {
      ok: true,
      rows: [{ name: '/svc/world', before: '/$/inet/127.1/2', after: '/$/inet/127.1/3 & 9.00*/$/inet/127.1/2', shift: '127.1:2 100% → 127.1:2 90%, 127.1:3 10%' }],
      lines: ['/svc/world: 127.1:2 100% → 127.1:2 90%, 127.1:3 10%', '1 logical name changes where it goes (3 names compared)'],
      considered: 3,
      cut: false,
    });
  });

  it('merges dtab texts dentry by dentry', async () => {
    const r = await send(Merge.method, { base: '/a => /b;\n', theirs: '/a => /b;\n/c => /d;\n', yours: '/a => /x;\n' });
    assert.deepEqual(r, { text: '/a => /x;\n/c => /d;\n', conflicts: 0 });
  });

  it('compares the local delegation with linkerd\'s delegator and with namerd\'s', async () => {
    const linkerd = await send<ServerDelegateResult>(ServerDelegate.method, { target: { kind: 'linkerd', admin: { url: l5d.adminUrl }, router: 'http' }, path: '/svc/world', uri });
    assert.ok(linkerd.ok, JSON.stringify(linkerd));
    assert.equal(linkerd.source, `linkerd ${l5d.adminUrl} router http`);
    assert.deepEqual(linkerd.differences, []);
    assert.equal(linkerd.root.path, '/svc/world');
    assert.equal(linkerd.root.children[0]!.path, '/$/inet/127.1/7777');
    assert.deepEqual(linkerd.root.children[0]!.dentry, { text: '/svc/world=>/$/inet/127.1/7777' });

    const namerd = await send<ServerDelegateResult>(ServerDelegate.method, { target: { kind: 'namerd', server, ns: 'prod' }, path: '/svc/world' });
    assert.ok(namerd.ok, JSON.stringify(namerd));
    assert.equal(namerd.source, `namerd ${nd.url} namespace prod`);
    assert.deepEqual(namerd.differences, []);
  });

  it('sends a dentry through the router as l5d-dtab (the code lens and the hover link), and shows the answer', async () => {
    const lenses = await send<CodeLens[]>(CodeLensRequest.method, { textDocument: { uri } });
    const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
    assert.deepEqual(lenses, [
      { range, command: { title: 'Test this override', command: 'linkerdDtab.testOverride', arguments: [uri, 1], tooltip: 'Send a request through linkerd with l5d-dtab: /svc/world => /$/inet/127.1/7777' } },
      {
        range,
        command: {
          title: 'Start canary…',
          command: 'linkerdDtab.startCanary',
          arguments: [uri, 1, '/svc/world', '/$/inet/127.1/7777'],
          tooltip: "Shift this name's traffic to a new destination step by step (10% → 25% → 50% → 100%)",
        },
      },
    ]);
    const hover = await send<Hover>(HoverRequest.method, { textDocument: { uri }, position: { line: 1, character: 3 } });
    assert.ok((hover.contents as { value: string }).value.endsWith(`\n\n[Test this override](command:linkerdDtab.testOverride?${encodeURIComponent(JSON.stringify([uri, 1]))} "Send a request through linkerd with this dentry as l5d-dtab")`));

    const request = { url: l5d.routerUrl('http'), headers: { Host: 'world' } };
    const r = await send<TestOverrideResult>(TestOverride.method, { uri, line: 1, request, compare: true, sample: true });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.override, '/svc/world=>/$/inet/127.1/7777');
    const received = l5d.requests.filter((q) => q.server !== 'admin');
    assert.deepEqual(received.at(-2)!.dtabHeaders, ['/svc/world=>/$/inet/127.1/7777']);
    assert.equal(received.at(-2)!.sample, '1.0');
    assert.deepEqual(received.at(-1)!.dtabHeaders, []);
    assert.equal(r.withOverride.status, 200);
    const h = (view: typeof r.withOverride, name: string) => view.headers.find((x) => x.name.toLowerCase() === name);
    assert.equal(h(r.withOverride, 'l5d-dst-client')!.value, '/$/inet/127.1/7777');
    assert.equal(h(r.withOverride, 'l5d-dst-service')!.value, '/svc/world');
    assert.ok(r.without && 'status' in r.without);
    assert.equal(h(r.without, 'l5d-dst-client')!.value, '/#/io.l5d.fs/world');
    assert.deepEqual(r.withOverride.sent.headers.map(([k]) => k.toLowerCase()), ['host', 'l5d-dtab', 'l5d-sample']);
  });

  it('says what went wrong when namerd is down or answers nonsense, and recovers', async () => {
    const refused = await nd.fault({ kind: 'refuse' });
    const down = await send(NamerdList.method, { server });
    assert.deepEqual(down, { ok: false, kind: 'network', message: `cannot list the namespaces: ${nd.url}: connection refused (is it running, and is this the right port?)` });
    await refused.clear();
    const bad = await nd.fault({ kind: 'malformed', match: { method: 'GET', path: '/api/1/dtabs' }, times: 1 });
    const r = await send<{ ok: boolean; kind?: string }>(NamerdList.method, { server });
    assert.equal(r.ok, false);
    assert.equal(r.kind, 'protocol');
    await bad.clear();
    assert.deepEqual(await send(NamerdList.method, { server }), { ok: true, namespaces: ['prod'] });
  });

  it('refuses an override with errors before sending', async () => {
    const n = l5d.requests.length;
    const r = await send<TestOverrideResult>(TestOverride.method, { override: '/svc => ', request: { url: l5d.routerUrl('http'), headers: { Host: 'world' } } });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.kind === 'invalid' && r.message.endsWith('. Nothing was sent.'), JSON.stringify(r));
    assert.equal(l5d.requests.length, n);
  });
});

