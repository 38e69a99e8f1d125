// Routing assertions (.dtab-test) through the real language server (dist/server.js): diagnostics
// with exact ranges and messages, re-checked when the tested dtab changes, the quick fix's edit,
// completion, and linkerdDtab/runTests for the Test Explorer.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CodeActionRequest, CompletionRequest, type CodeAction, type CompletionList } from 'vscode-languageserver-protocol';
import { RunTests, type TestRunResult } from '../../protocol/messages.js';
import { LspClient } from '../support/lsp-client.js';

const DTAB = '/svc => /$/inet/127.1/1;\n/svc/x => /$/inet/127.1/2;\n';
const TESTS = '# dtab: app.dtab\n/svc/x => /$/inet/127.1/2 | /$/inet/127.1/1/x\n/svc/y => /$/inet/127.1/9 # wrong\n/svc/z => \n/svc/w => /a | ~\n';

describe('dtab-test files in the language server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtab-test-lsp-'));
  writeFileSync(join(dir, 'app.dtab'), DTAB);
  const uri = pathToFileURL(join(dir, 'routing.dtab-test')).toString();
  const dtabUri = pathToFileURL(join(dir, 'app.dtab')).toString();
  const client = new LspClient({ kubernetes: { source: 'off' } });
  before(() => client.start());
  after(() => client.stop());

  it('publishes failing assertions with the actual result, and the file\'s own problems, with exact ranges', async () => {
    const diags = await client.open(uri, TESTS, 1, 'linkerd-dtab-test');
    assert.deepEqual(diags, [
      {
        range: { start: { line: 2, character: 10 }, end: { line: 2, character: 25 } },
        severity: 1,
        code: 'assertion-failed',
        source: 'dtab-test',
        message: '/svc/y: expected /$/inet/127.1/9, got /$/inet/127.1/1/y',
      },
      {
        range: { start: { line: 3, character: 10 }, end: { line: 3, character: 10 } },
        severity: 1,
        code: 'test-syntax',
        source: 'dtab-test',
        message: "An assertion is 'PATH => EXPECTED': Expected a destination here (a path, '~', '!', '$' or '('), found the end of the text.",
      },
      {
        range: { start: { line: 4, character: 10 }, end: { line: 4, character: 16 } },
        severity: 2,
        code: 'test-not-simplified',
        source: 'dtab-test',
        message: "Results are compared simplified, as Finagle simplifies them, so this never holds: write '/a'.",
      },
      {
        range: { start: { line: 4, character: 10 }, end: { line: 4, character: 16 } },
        severity: 1,
        code: 'assertion-failed',
        source: 'dtab-test',
        message: '/svc/w: expected /a | ~, got /$/inet/127.1/1/w',
      },
    ]);
  });

  it('offers "Accept the actual result" with the edit that makes the assertion hold', async () => {
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 2, character: 3 }, end: { line: 2, character: 3 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.title, 'Accept the actual result');
    assert.equal(actions[0]!.kind, 'quickfix');
    assert.deepEqual(actions[0]!.edit, { changes: { [uri]: [{ range: { start: { line: 2, character: 10 }, end: { line: 2, character: 25 } }, newText: '/$/inet/127.1/1/y' }] } });
    // Applied: that diagnostic is gone.
    const next = client.diagnostics(uri, 2);
    await client.change(uri, 2, [{ range: { start: { line: 2, character: 10 }, end: { line: 2, character: 25 } }, text: '/$/inet/127.1/1/y' }]);
    assert.deepEqual((await next).diagnostics.map((d) => [d.code, d.range.start.line]), [['test-syntax', 3], ['test-not-simplified', 4], ['assertion-failed', 4]]);
  });

  it('checks the assertions again when the tested dtab changes in the editor', async () => {
    const next = client.diagnostics(uri);
    await client.open(dtabUri, DTAB.replace('/$/inet/127.1/1;', '/$/inet/127.1/3;'), 1, 'linkerd-dtab');
    const diags = (await next).diagnostics;
    assert.deepEqual(diags.filter((d) => d.code === 'assertion-failed').map((d) => d.message), [
      '/svc/x: expected /$/inet/127.1/2 | /$/inet/127.1/1/x, got /$/inet/127.1/2 | /$/inet/127.1/3/x',
      '/svc/y: expected /$/inet/127.1/1/y, got /$/inet/127.1/3/y',
      '/svc/w: expected /a | ~, got /$/inet/127.1/3/w',
    ]);
  });

  it('completes a destination with what the path routes to now, and paths with the dtab\'s prefixes', async () => {
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 10 } })) as CompletionList;
    assert.deepEqual(list.items[0], {
      label: '/$/inet/127.1/3/z',
      kind: 18,
      detail: 'what this path routes to now',
      textEdit: { range: { start: { line: 3, character: 10 }, end: { line: 3, character: 10 } }, newText: '/$/inet/127.1/3/z' },
      sortText: '0',
      filterText: '/$/inet/127.1/3/z',
    });
    const next = client.diagnostics(uri, 3);
    await client.change(uri, 3, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '/s' }]);
    await next;
    const paths = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 5, character: 2 } })) as CompletionList;
    assert.deepEqual(paths.items.map((i) => i.label), ['/svc', '/svc/x', '/svc/y', '/svc/w']);
  });

  it('linkerdDtab/runTests answers every assertion with its state, actual result and steps (dentries located)', async () => {
    const r = (await client.connection.sendRequest(RunTests.method, { uri })) as TestRunResult;
    assert.ok(r.ok);
    assert.deepEqual(r.dependencies, [dtabUri]);
    assert.equal(r.problem, undefined);
    assert.deepEqual(r.problems.map((p) => p.range.start.line), [3, 5]);
    assert.deepEqual(r.assertions.map((a) => [a.line, a.path, a.state, a.actual]), [
      [1, '/svc/x', 'failed', '/$/inet/127.1/2 | /$/inet/127.1/3/x'],
      [2, '/svc/y', 'failed', '/$/inet/127.1/3/y'],
      [4, '/svc/w', 'failed', '/$/inet/127.1/3/w'],
    ]);
    assert.deepEqual(r.assertions[2]!.steps, [
      { text: '/svc/w' },
      { text: '/$/inet/127.1/3/w  => bound /$/inet/127.1/3 residual /w: 127.0.0.1:3  <- /svc=>/$/inet/127.1/3', location: { uri: dtabUri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 23 } } } },
    ]);
    assert.deepEqual(await client.connection.sendRequest(RunTests.method, { uri: pathToFileURL(join(dir, 'none.dtab-test')).toString() }), { ok: false, message: `${pathToFileURL(join(dir, 'none.dtab-test')).toString()} does not exist` });
  });

  it('says on the first line when the file names no dtab', async () => {
    const u = pathToFileURL(join(dir, 'lone.dtab-test')).toString();
    assert.deepEqual(await client.open(u, '/a => ~\n', 1, 'linkerd-dtab-test'), [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } },
        severity: 1,
        code: 'test-source',
        source: 'dtab-test',
        message: "No dtab to test: name it in a header comment, e.g. '# dtab: ../app.dtab' or '# config: linkerd.yaml router: http'.",
      },
    ]);
  });
});
