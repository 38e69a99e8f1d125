// The real language server process, spoken to over stdio.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  RenameRequest,
  CodeActionRequest,
  FoldingRangeRequest,
  SelectionRangeRequest,
  type SelectionRange,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { Delegate, SuggestPaths, type DelegateResult } from '../../protocol/messages.js';
import { LspClient } from '../support/lsp-client.js';

const K8S = [
  '# k8s daemonset',
  '/srv         => /#/io.l5d.k8s/default/http ;',
  '/host        => /srv ;',
  '/svc         => /host ;',
  '/host/world  => 3 * /srv/world-v1 & 1 * /$/inet/127.1/8080 ;',
  '',
].join('\n');

describe('language server over stdio', () => {
  const client = new LspClient();
  const uri = 'file:///work/k8s.dtab';
  before(async () => {
    await client.start();
    await client.open(uri, K8S);
  });
  after(() => client.stop());

  it('publishes diagnostics as soon as a document opens, with precise ranges', async () => {
    const diags = await client.open('file:///work/broken.dtab', '/a => /b\n/c = /d;\n/e => 0.5 * /f;\n/g => /h\u00a0;');
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['expected-end', 1, 1, 0, 1],
        ['split-arrow', 1, 1, 4, 5],
        ['weight-outside-union', 2, 2, 6, 11],
        ['expected-end', 1, 3, 8, 9],
      ],
    );
    assert.equal(diags[1]!.message, "Expected '>' right after '=': write '=>' with nothing between; found a space.");
  });

  it('updates diagnostics on incremental edits', async () => {
    const u = 'file:///work/edit.dtab';
    assert.equal((await client.open(u, '/a => /b ;\n')).length, 0);
    const next = client.diagnostics(u, 2);
    await client.change(u, 2, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: '' }]);
    const d = (await next).diagnostics;
    assert.equal(d.length, 1);
    assert.equal(d[0]!.code, 'split-arrow');
  });

  it('a burst of edits sent at once ends with the diagnostics of its last version, in order', async () => {
    const u = 'file:///work/burst.dtab';
    assert.equal((await client.open(u, '/a => /b ;\n')).length, 0);
    const last = client.diagnostics(u, 5);
    // Four edits sent without waiting: break the arrow, mend it, break it again, add a dentry.
    const at = (c: number) => ({ line: 0, character: c });
    await Promise.all([
      client.change(u, 2, [{ range: { start: at(4), end: at(5) }, text: '' }]),
      client.change(u, 3, [{ range: { start: at(4), end: at(4) }, text: '>' }]),
      client.change(u, 4, [{ range: { start: at(3), end: at(4) }, text: '= ' }]),
      client.change(u, 5, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '/c => /d ;\n' }]),
    ]);
    const d = (await last).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]), [['split-arrow', 0, 4, 5]]);
    // Nothing older was published after it.
    assert.equal(client.published.get(u)!.at(-1)!.version, 5);
  });

  it('a burst read in one go is validated once, at its last version (no publication of the ones between)', async () => {
    const u = 'file:///work/burst-together.dtab';
    assert.equal((await client.open(u, '/a => /b ;\n')).length, 0);
    const last = client.diagnostics(u, 5);
    const at = (c: number) => ({ line: 0, character: c });
    const change = (version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string) => ({
      method: 'textDocument/didChange',
      params: { textDocument: { uri: u, version }, contentChanges: [{ range, text }] },
    });
    client.sendTogether([
      change(2, { start: at(4), end: at(5) }, ''),
      change(3, { start: at(4), end: at(4) }, '>'),
      change(4, { start: at(3), end: at(4) }, '= '),
      change(5, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, '/c => /d ;\n'),
    ]);
    assert.deepEqual((await last).diagnostics.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]), [['split-arrow', 0, 4, 5]]);
    // A later document's diagnostics mark the end: by then anything about versions 2-4 would be out.
    await client.open('file:///work/burst-after.dtab', '/x => /y ;\n');
    assert.deepEqual(client.published.get(u)!.map((p) => p.version).filter((v) => v !== 1 && v !== 5), []);
  });

  it('a burst whose last change is dropped (no changes, or for a closed document) still ends validated at the version applied', async () => {
    const u = 'file:///work/burst-dropped.dtab';
    assert.equal((await client.open(u, '/a => /b ;\n')).length, 0);
    const v2 = client.diagnostics(u, 2);
    const change = (uri: string, version: number, contentChanges: unknown[]) => ({ method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges } });
    client.sendTogether([
      change(u, 2, [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: '' }]),
      change(u, 3, []),
      change('file:///work/never-opened.dtab', 7, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]),
    ]);
    assert.deepEqual((await v2).diagnostics.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]), [['split-arrow', 0, 4, 5]]);
  });

  it('a document opened after a stray change of the same URI (higher version, while closed) is validated', async () => {
    const u = 'file:///work/stray.dtab';
    client.sendTogether([{ method: 'textDocument/didChange', params: { textDocument: { uri: u, version: 9 }, contentChanges: [{ text: '/x => /y ;\n' }] } }]);
    assert.deepEqual((await client.open(u, '/a = > /b ;\n')).map((d) => d.code), ['split-arrow']);
  });

  it('adds the deep checks (cycles, never-used dentries) shortly after', async () => {
    const u = 'file:///work/deep.dtab';
    // The quick diagnostics come first, then the same version again with the deep ones.
    const deep = (async () => {
      await client.diagnostics(u, 1);
      return client.diagnostics(u, 1);
    })();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'linkerd-dtab', version: 1, text: '/a => /b ;\n/b => /a ;\n/c => /x ;\n/c => ! ;\n' } });
    const codes = (await deep).diagnostics.map((d) => String(d.code));
    assert.deepEqual(codes.sort(), ['delegation-cycle', 'delegation-cycle', 'unreachable-dentry']);
    const last = client.published.get(u)!.at(-1)!.diagnostics;
    assert.equal(last.find((d) => d.code === 'delegation-cycle')!.message, `Delegation loops: '/a' → '/b' → '/a' → …; Linkerd gives up after 100 rewrites ("Max recursion level reached").`);
    assert.equal(last.find((d) => d.code === 'unreachable-dentry')!.range.start.line, 2);

    // An edit: the quick diagnostics of the new version already hold the deep ones, moved with the
    // text (a line added above, the first dentry's cycle deleted with it), so nothing flickers;
    // then the deep checks of the new version publish what they find.
    const shown = (ds: { code?: string | number; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]) =>
      ds.map((d) => [String(d.code), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]).sort();
    const both = (async () => [await client.diagnostics(u, 2), await client.diagnostics(u, 2)] as const)();
    await client.change(u, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '# moved\n# down\n' }]);
    const [quick, deepAgain] = await both;
    assert.deepEqual(shown(quick.diagnostics), [
      ['delegation-cycle', 2, 0, 2, 2],
      ['unreachable-dentry', 3, 0, 3, 8],
    ]);
    assert.deepEqual(shown(deepAgain.diagnostics), [['unreachable-dentry', 3, 0, 3, 8]]);
  });

  it('completes namers with snippets, prefixes of the file and operators', async () => {
    const u = 'file:///work/complete.dtab';
    await client.open(u, '/srv => /#/io.l5d.k8s/default/http ;\n/svc => \n/svc/x => /srv ');
    const at = async (line: number, character: number) => {
      const r = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: u }, position: { line, character } })) as CompletionItem[] | CompletionList;
      return Array.isArray(r) ? r : r.items;
    };
    const dst = await at(1, 7);
    const k8s = dst.find((i) => i.label === '/#/io.l5d.k8s')!;
    assert.equal((k8s.textEdit as TextEdit).newText, '/#/io.l5d.k8s/${1:namespace}/${2:port}/${3:service}');
    assert.ok(dst.some((i) => i.label === '/$/inet'));
    assert.ok(dst.some((i) => i.label === '/srv'));
    assert.ok(dst.some((i) => i.label === '~'));
    const ops = (await at(2, 15)).map((i) => i.label);
    assert.deepEqual(ops, ['|', '&', ';']);
  });

  it('explains a dentry in plain words on hover, and union weights as shares', async () => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 3 } })) as Hover;
    const text = (h.contents as { value: string }).value;
    assert.match(text, /Requests for `\/host\/world\/…` are split by weight: 75% to `\/srv\/world-v1\/…`, 25% to `\/\$\/inet\/127\.1\/8080\/…`\./);
    assert.match(text, /this one is tried before line 3 \(`\/host => \/srv`\)/);
    const u = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 35 } })) as Hover;
    assert.match((u.contents as { value: string }).value, /\| 75% \| 3 \| `\/srv\/world-v1` \|/);
  });

  it('shows the delegation of a path on hover', async () => {
    const h = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 18 } })) as Hover;
    const text = (h.contents as { value: string }).value;
    assert.equal(
      text,
      [
        '**`/host`** in this dtab',
        '```text\n→ /host\n→   /srv   (line 3)\n→     /#/io.l5d.k8s/default/http: negative, no namer has this name   (line 2)\n```',
        '**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)',
        `[Test this override](command:linkerdDtab.testOverride?${encodeURIComponent(JSON.stringify([uri, 3]))} "Send a request through linkerd with this dentry as l5d-dtab")`,
      ].join('\n\n'),
    );
  });

  it('formats the document in namerctl style', async () => {
    const u = 'file:///work/fmt.dtab';
    await client.open(u, '/svc=>/host;/host/world=>/srv');
    const edits = (await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })) as TextEdit[];
    assert.equal(edits.length, 1);
    assert.equal(edits[0]!.newText, '/svc         => /host ;\n/host/world  => /srv ;\n');
  });

  it('lists dentries as symbols, and folds comment blocks', async () => {
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as { name: string; detail: string }[];
    assert.deepEqual(symbols.map((s) => s.name), ['/srv', '/host', '/svc', '/host/world']);
    assert.equal(symbols[3]!.detail, '=> 3 * /srv/world-v1 & 1 * /$/inet/127.1/8080');
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.ok(Array.isArray(folds));
  });

  it('goes from a path to the dentries that rewrite it, and finds references of a prefix', async () => {
    const defs = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 4, character: 22 } })) as Location[];
    assert.deepEqual(defs.map((l) => l.range.start.line), [1]);
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 }, context: { includeDeclaration: false } })) as Location[];
    assert.deepEqual(refs.map((l) => [l.range.start.line, l.range.start.character]), [
      [2, 16],
      [4, 20],
    ]);
  });

  it('renames a prefix label consistently', async () => {
    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 2, character: 2 }, newName: 'hosts' });
    const edits = edit!.changes![uri]!;
    assert.deepEqual(edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]), [
      [2, 1, 'hosts'],
      [3, 17, 'hosts'],
      [4, 1, 'hosts'],
    ]);
  });

  it('offers quick fixes from diagnostics', async () => {
    const u = 'file:///work/fix.dtab';
    await client.open(u, '/a => 0.5 * /b ;\n');
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u },
      range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } },
      context: { diagnostics: [] },
    })) as { title: string; edit: { changes: Record<string, TextEdit[]> } }[];
    assert.equal(actions[0]!.title, 'Remove the ignored weight');
    assert.deepEqual(actions[0]!.edit.changes[u], [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 12 } }, newText: '' }]);
  });

  it('answers selection ranges from the label outwards', async () => {
    const r = await client.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions: [{ line: 4, character: 27 }] });
    const widths: number[] = [];
    for (let s: SelectionRange | undefined = r![0]; s; s = s.parent) widths.push(s.range.end.character - s.range.start.character);
    assert.deepEqual(widths.slice(0, 2), [8, 13]);
    assert.ok(widths.length >= 5, 'label, path, union, destination, dentry, document');
  });

  it('delegates a path on request (the delegation view)', async () => {
    const r = (await client.connection.sendRequest(Delegate.method, { uri, path: '/svc/world' })) as DelegateResult;
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.equal(r.root.path, '/svc/world');
    const alt = r.root.children[0]!;
    assert.equal(alt.type, 'alt');
    assert.equal(alt.dentry!.text, '/svc => /host');
    assert.equal(alt.dentry!.line, 4);
    assert.deepEqual(alt.dentry!.range!.start, { line: 3, character: 0 });
    const union = alt.children[0]!;
    assert.equal(union.type, 'union');
    assert.deepEqual(union.children.map((c) => c.weight!.percent), [75, 25]);
    assert.equal(union.primary, true);
    // /srv/world-v1 goes to the k8s namer: not connected here, it still routes (its share is kept).
    assert.deepEqual(r.routes, ['75% → /#/io.l5d.k8s/default/http/world-v1 (unresolved here: io.l5d.k8s resolves it at run time)', '25% → /$/inet/127.1/8080 (127.0.0.1:8080)']);
    assert.equal(union.children[0]!.children.length, 1);
    assert.equal(union.children[0]!.status, 'unresolved');
    const bad = (await client.connection.sendRequest(Delegate.method, { uri, path: 'svc' })) as DelegateResult;
    assert.equal(bad.ok, false);
    const paths = (await client.connection.sendRequest(SuggestPaths.method, { uri })) as string[];
    assert.deepEqual(paths, ['/srv', '/host', '/svc', '/host/world', '/svc/world', '/#/io.l5d.k8s/default/http', '/srv/world-v1']);
  });
});
