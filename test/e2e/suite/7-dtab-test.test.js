// Routing assertions (.dtab-test) in the Test Explorer of a real VS Code: the assertions of
// examples/ are listed and pass; a failing one shows its actual result (as a test message and a
// diagnostic), and the quick fix "Accept the actual result", saved, makes it pass (re-run on save).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { waitFor, screenshot } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';

function fixture(name) {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);
}

const children = (item) => {
  const out = [];
  item.children.forEach((c) => out.push(c));
  return out.sort((a, b) => a.range.start.line - b.range.start.line);
};

describe('routing assertions in the Test Explorer', function () {
  let api;
  const testFile = fixture('routing.dtab-test');
  let original;

  before(async function () {
    original = fs.readFileSync(testFile.fsPath, 'utf8');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await waitFor(() => ext.isActive && ext.exports, 30000, { message: 'activation' });
    await api.ready;
  });

  after(async function () {
    // The workspace file is put back as it was (the quick fix was saved into it).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(testFile.fsPath, original);
  });

  it("lists the assertions of examples/gob/routing.dtab-test, and they pass", async function () {
    // From this repository (the packaged extension has no examples/): the suite runs from it in both modes.
    const example = vscode.Uri.file(path.resolve(__dirname, '..', '..', '..', 'examples', 'gob', 'routing.dtab-test'));
    const doc = await vscode.workspace.openTextDocument(example);
    assert.equal(doc.languageId, 'linkerd-dtab-test');
    await vscode.window.showTextDocument(doc);
    const file = await waitFor(() => {
      const item = api.tests.controller.items.get(example.toString());
      return item && item.children.size === 6 ? item : undefined;
    }, 30000, { message: 'the example file and its 6 assertions in the Test Explorer' });
    assert.deepEqual(children(file).map((c) => c.label), [
      '/grpc/proto.GenSvc/Gen => /#/io.l5d.k8s/default/grpc/gen/Gen @ 10.1.5.1:8181, 10.1.5.2:8181',
      '/grpc/proto.WordSvc/Word => /#/io.l5d.k8s/default/grpc/word/Word @ 10.1.6.1:8282',
      '/grpc/web/Index => /#/io.l5d.k8s/default/grpc/web/Index',
      '/grpc/nosuch/Get => ~',
      '/grpc => ~',
      '/svc/web => ~',
    ]);
    await api.tests.run(new vscode.TestRunRequest([file]), new vscode.CancellationTokenSource().token);
    assert.deepEqual(children(file).map((c) => api.tests.results.get(c.id).state), ['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    // No failing-assertion diagnostics in the example.
    assert.deepEqual(vscode.languages.getDiagnostics(example).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
  });

  it('shows a failing assertion with its actual result, and the steps as locations in the dtab', async function () {
    const file = await waitFor(() => {
      const item = api.tests.controller.items.get(testFile.toString());
      return item && item.children.size === 3 ? item : undefined;
    }, 30000, { message: 'the workspace test file found in the workspace' });
    await api.tests.run(new vscode.TestRunRequest([file]), new vscode.CancellationTokenSource().token);
    const [hello, world, apiItem] = children(file);
    assert.equal(api.tests.results.get(hello.id).state, 'passed');
    assert.equal(api.tests.results.get(world.id).state, 'passed');
    const failed = api.tests.results.get(apiItem.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.actual, '/$/inet/127.1/8080/api');
    assert.equal(failed.message, '/svc/api: expected /$/inet/127.1/9090/api, got /$/inet/127.1/8080/api');
    assert.deepEqual(failed.steps.map((s) => [s.uri && vscode.Uri.parse(s.uri).path.split('/').pop(), s.line]), [[undefined, undefined], ['routing.dtab', 1]]);
    // The same in the editor: a diagnostic on the assertion's line.
    const doc = await vscode.workspace.openTextDocument(testFile);
    await vscode.window.showTextDocument(doc);
    const diag = await waitFor(() => vscode.languages.getDiagnostics(testFile).find((d) => d.code === 'assertion-failed'), 20000, { message: 'the failing assertion diagnostic' });
    assert.equal(diag.range.start.line, 4);
    assert.equal(diag.message, '/svc/api: expected /$/inet/127.1/9090/api, got /$/inet/127.1/8080/api');
    await screenshot('dtab-test-failure', { waitFor: '.squiggly-error', settleMs: 500 });
  });

  it('the quick fix "Accept the actual result", saved, makes it pass (the file runs again on save)', async function () {
    const doc = await vscode.workspace.openTextDocument(testFile);
    const actions = await waitFor(async () => {
      const list = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', testFile, new vscode.Range(4, 0, 4, 0));
      return list && list.find((a) => a.title === 'Accept the actual result');
    }, 20000, { message: 'the quick fix' });
    assert.ok(await vscode.workspace.applyEdit(actions.edit));
    assert.equal(doc.lineAt(4).text, '/svc/api => /$/inet/127.1/8080/api');
    const file = api.tests.controller.items.get(testFile.toString());
    const runsBefore = api.tests.runs;
    await doc.save();
    await waitFor(() => api.tests.runs > runsBefore, 20000, { message: 'the run on save' });
    const apiItem = children(file)[2];
    assert.equal(api.tests.results.get(apiItem.id).state, 'passed');
    await waitFor(() => !vscode.languages.getDiagnostics(testFile).some((d) => d.code === 'assertion-failed'), 20000, { message: 'the diagnostic to go' });
  });
});
