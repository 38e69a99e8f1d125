// Cluster data in the language server: a snapshot named in the settings binds /#/io.l5d.k8s paths.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, CompletionRequest, HoverRequest, type CodeAction, type CompletionList, type Hover } from 'vscode-languageserver-protocol';
import { ClusterStatusNotification, Delegate, type ClusterStatus, type DelegateResult } from '../../protocol/messages.js';
import { LspClient } from '../support/lsp-client.js';

const SNAPSHOT = join(__dirname, '..', '..', 'examples', 'cluster.k8s-snapshot.yaml');
const TEXT = ['/srv    => /#/io.l5d.k8s/default/http ;', '/svc    => /srv ;', '/svc/x  => /#/io.l5d.k8s/default/http/wrld ;', '/a      => /svc/hello ;', '/b      => /#/io.l5d.k8s/', '/c      => /svc/world ;', ''].join('\n');

describe('cluster data from a snapshot', () => {
  // No kubeconfig of the machine's: only the snapshot the settings name.
  const client = new LspClient({ kubernetes: { source: 'snapshot', snapshot: SNAPSHOT } }, undefined, { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' });
  const uri = 'file:///work/cluster.dtab';
  let status!: Promise<ClusterStatus>;
  before(async () => {
    status = new Promise((resolve) => client.connection.onNotification(ClusterStatusNotification.method, resolve));
    await client.start();
    await client.open(uri, TEXT);
  });
  after(() => client.stop());

  it('tells the client where cluster data comes from', async () => {
    assert.deepEqual(await status, { state: 'snapshot', source: `snapshot ${SNAPSHOT}`, detail: `snapshot ${SNAPSHOT}: offline snapshot` });
  });

  it('binds /#/io.l5d.k8s paths to the addresses of the Endpoints, and says from where', async () => {
    const r = (await client.connection.sendRequest(Delegate.method, { uri, path: '/svc/hello' })) as DelegateResult;
    assert.ok(r.ok);
    assert.deepEqual(r.routes, ['100% → /#/io.l5d.k8s/default/http/hello (10.1.1.1:7777 on node-a, 10.1.1.2:7777 on node-b)']);
    assert.equal(r.cluster?.state, 'snapshot');
    const world = (await client.connection.sendRequest(Delegate.method, { uri, path: '/svc/world-v2' })) as DelegateResult;
    assert.ok(world.ok);
    // One pod is not ready: it is never an address.
    assert.deepEqual(world.routes, ['100% → /#/io.l5d.k8s/default/http/world-v2 (10.1.3.1:7778 on node-b)']);
  });

  it('says why a cluster path is negative, in the cluster\'s words (view and hover)', async () => {
    const r = (await client.connection.sendRequest(Delegate.method, { uri, path: '/svc/world' })) as DelegateResult;
    assert.ok(r.ok);
    const leaf = r.root.children[0]!.children[0]!;
    assert.equal(leaf.path, '/#/io.l5d.k8s/default/http/world');
    assert.equal(leaf.description, '(negative: no service `world` in namespace default (services: gen, hello, web, word, world-v1, world-v2))');
    const port = (await client.connection.sendRequest(Delegate.method, { uri, path: '/#/io.l5d.k8s/default/grpc/hello' })) as DelegateResult;
    assert.ok(port.ok);
    assert.equal(port.root.description, '(negative: no port named grpc on service hello (ports: http))');
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 14 } })) as Hover;
    assert.match((h.contents as { value: string }).value, /\/#\/io\.l5d\.k8s\/default\/http\/world: negative, no service `world` in namespace default \(services: gen, hello, web, word, world-v1, world-v2\) {3}\(line 1\)/);
  });

  it('warns about a service the cluster does not have, with the closest name as a fix', async () => {
    const deep = (async () => {
      for (let i = 0; i < 5; i++) {
        const p = await client.diagnostics(uri, 1);
        if (p.diagnostics.some((d) => d.source?.startsWith('cluster:'))) return p.diagnostics;
      }
      return [];
    })();
    await client.change(uri, 1, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '' }]);
    const found = (await deep).filter((d) => d.source?.startsWith('cluster:'));
    assert.deepEqual(
      found.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character, d.source]),
      [['k8s-no-service', 2, 38, 42, `cluster: snapshot ${SNAPSHOT}`]],
    );
    assert.match(found[0]!.message, /^no service 'wrld' in namespace default \(services: gen, hello, web, word, world-v1, world-v2\)$/);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: found[0]!.range, context: { diagnostics: [] } })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Change to'))!;
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.deepEqual(fix.edit!.changes![uri], [{ range: found[0]!.range, newText: fix.title.slice("Change to '".length, -1) }]);
  });

  it('completes namespaces inside /#/io.l5d.k8s/ paths', async () => {
    const r = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 26 } })) as CompletionList;
    const items = Array.isArray(r) ? r : r.items;
    assert.deepEqual(items.map((i) => i.label), ['default']);
  });

  it('hovers a path with its addresses and the source of the data', async () => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 15 } })) as Hover;
    const text = (h.contents as { value: string }).value;
    assert.match(text, /- 100% → \/#\/io\.l5d\.k8s\/default\/http\/hello \(10\.1\.1\.1:7777 on node-a, 10\.1\.1\.2:7777 on node-b\)/);
    // Then, in a trusted workspace (the default), the link that sends the dentry as an override.
    const link = `[Test this override](command:linkerdDtab.testOverride?${encodeURIComponent(JSON.stringify([uri, 3]))} "Send a request through linkerd with this dentry as l5d-dtab")`;
    assert.ok(text.endsWith(`Cluster: snapshot ${SNAPSHOT}: offline snapshot\n\n${link}`), text);
  });
});

describe('cluster data by default (npm start on examples/)', () => {
  it('with no kubeconfig, the workspace\'s *.k8s-snapshot.yaml binds the paths', async () => {
    const client = new LspClient({}, undefined, { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' });
    const status = new Promise<ClusterStatus>((resolve) => client.connection.onNotification(ClusterStatusNotification.method, resolve));
    try {
      await client.start(pathToFileURL(join(__dirname, '..', '..', 'examples')).toString());
      assert.deepEqual(await status, { state: 'snapshot', source: `snapshot ${SNAPSHOT}`, detail: `snapshot ${SNAPSHOT}: offline snapshot` });
      const uri = pathToFileURL(join(__dirname, '..', '..', 'examples', 'hello-world', 'local-canary.dtab')).toString();
      await client.open(uri, readFileSync(fileURLToPath(uri), 'utf8'));
      const r = (await client.connection.sendRequest(Delegate.method, { uri, path: '/svc/world' })) as DelegateResult;
      assert.ok(r.ok);
      assert.deepEqual(r.routes, ['90% → /#/io.l5d.k8s/default/http/world-v1 (10.1.2.1:7778 on node-a, 10.1.2.2:7778 on node-b)', '10% → /$/inet/127.1/7778 (127.0.0.1:7778)']);
    } finally {
      await client.stop();
    }
  });
});
