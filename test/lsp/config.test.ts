// YAML documents holding linkerd/namerd configs, through the real server over stdio.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompletionRequest, DidOpenTextDocumentNotification, DocumentFormattingRequest, HoverRequest, type CompletionList, type Hover, type TextEdit } from 'vscode-languageserver-protocol';
import { Delegate, type DelegateResult } from '../../protocol/messages.js';
import { LspClient } from '../support/lsp-client.js';

const MANIFEST = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: l5d-config',
  'data:',
  '  config.yaml: |-',
  '    namers:',
  '    - kind: io.l5d.k8s',
  '    routers:',
  '    - protocol: http',
  '      dtab: |',
  '        /srv => /#/io.l5d.k8s/default/http ;',
  '        /host => /srv ;',
  '        /svc => /host ;',
  '        /host/world => /srv/world-v1 | /$/inet/127.1/8080 ;',
  '        /bad = /x ;',
  '',
].join('\n');

describe('YAML configs over stdio', () => {
  const client = new LspClient();
  const uri = 'file:///work/l5d-config.yml';
  before(async () => {
    await client.start();
  });
  after(() => client.stop());

  it('publishes diagnostics of a dtab inside a ConfigMap string, at its place in the file', async () => {
    const diags = await client.open(uri, MANIFEST);
    assert.deepEqual(
      diags.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['split-arrow', 15, 14]],
    );
  });

  it('leaves YAML that holds no config alone', async () => {
    const other = 'file:///work/values.yaml';
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: other, languageId: 'yaml', version: 1, text: 'replicas: 3\nimage: x\n' },
    });
    // A positive signal, not a sleep: the server handles notifications in order and checks a YAML
    // document at once when it opens, so by the time a config opened after this one has its
    // diagnostics, this one would have had any it was going to get.
    await client.open('file:///work/after-values.linkerd.yaml', MANIFEST);
    assert.equal(client.published.get(other), undefined, 'nothing published for unrelated YAML');
  });

  it('explains an embedded dentry on hover, with the range in the file', async () => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 14, character: 10 } })) as Hover;
    assert.match((h.contents as { value: string }).value, /Requests for `\/host\/world\/…` are sent to `\/srv\/world-v1\/…`; if that is negative/);
    assert.deepEqual(h.range!.start, { line: 14, character: 8 });
  });

  it('completes inside an embedded dtab', async () => {
    const r = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 13, character: 16 } })) as CompletionList;
    const labels = r.items.map((i) => i.label);
    assert.ok(labels.includes('/#/io.l5d.k8s'), labels.join(' '));
    assert.ok(labels.includes('/host'));
  });

  it('completes keys and kinds, with type and docs, and explains keys on hover', async () => {
    const u = 'file:///work/l5d.yaml';
    const text = 'admin:\n  port: 9990\nnamers:\n- kind: io.l5d.k8s\n  \nrouters:\n- protocol: http\n  servers:\n  - port: 4140\n';
    await client.open(u, text);
    const complete = async (line: number, character: number) =>
      ((await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line, character } })) as CompletionList).items;
    const namerKeys = await complete(4, 2);
    const host = namerKeys.find((i) => i.label === 'host')!;
    assert.ok(host, namerKeys.map((i) => i.label).join(' '));
    assert.equal(host.detail, 'string');
    assert.match((host.documentation as { value: string }).value, /Default: /);
    assert.ok(!namerKeys.some((i) => i.label === 'kind'), 'keys already present are not offered');
    const kinds = (await complete(3, 9)).map((i) => i.label);
    assert.ok(kinds.includes('io.l5d.consul') && kinds.includes('io.l5d.fs'), kinds.join(' '));
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 1, character: 3 } })) as Hover;
    assert.match((h.contents as { value: string }).value, /^\*\*`port`\*\*: port\n\n.+\n\nDefault: /);
  });

  it('formats embedded dtabs in place, keeping the block indentation (two levels deep too)', async () => {
    const u = 'file:///work/fmt-config.yml';
    const text = MANIFEST.replace('        /bad = /x ;\n', '');
    await client.open(u, text);
    const edits = (await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0]!.range, { start: { line: 11, character: 0 }, end: { line: 14, character: 59 } });
    assert.equal(
      edits[0]!.newText,
      [
        '        /srv         => /#/io.l5d.k8s/default/http ;',
        '        /host        => /srv ;',
        '        /svc         => /host ;',
        '        /host/world  => /srv/world-v1 | /$/inet/127.1/8080 ;',
      ].join('\n'),
    );
  });

  it('delegates a path through the dtab under the cursor', async () => {
    const r = (await client.connection.sendRequest(Delegate.method, { uri, path: '/svc/world', position: { line: 12, character: 9 } })) as DelegateResult;
    assert.equal(r.ok, true);
    if (!r.ok) return;
    // world-v1 is in the cluster: the k8s namer resolves it at run time, so no fallback to 8080.
    assert.deepEqual(r.routes, ['100% → /#/io.l5d.k8s/default/http/world-v1 (unresolved here: io.l5d.k8s resolves it at run time)']);
    const dentry = r.root.children[0]!.dentry!;
    assert.equal(dentry.text, '/svc => /host');
    assert.deepEqual(dentry.range!.start, { line: 13, character: 8 });
  });
});

describe('YAML outline over stdio', () => {
  const client = new LspClient();
  before(() => client.start());
  after(() => client.stop());

  it('groups the dentries of each router under its label', async () => {
    const u = 'file:///work/two-routers.yaml';
    await client.open(
      u,
      ['routers:', '- protocol: http', '  label: outgoing', '  dtab: /srv => /#/io.l5d.k8s/default/http ;', '- protocol: http', '  label: incoming', '  servers:', '  - port: 4141', '  dtab: /srv => /$/inet/127.1/8080 ;', ''].join('\n'),
    );
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: u } })) as { name: string; children?: { name: string }[] }[];
    assert.deepEqual(
      symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
      [
        ['router outgoing', ['/srv']],
        ['router incoming', ['/srv']],
      ],
    );
  });
});
