// A linkerd config inside a Kubernetes ConfigMap, in a real VS Code: config and embedded-dtab
// diagnostics at their places in the manifest, and the dtab features inside it.
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { waitFor, screenshot } = require('./helpers');

const codeOf = (d) => (d.code !== null && typeof d.code === 'object' ? d.code.value : d.code);

describe('a linkerd config in a ConfigMap manifest', function () {
  let doc;

  before(async function () {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'l5d-config.yml'));
    await vscode.window.showTextDocument(doc);
  });

  it('shows the unknown key and the broken embedded dtab at their places in the manifest', async function () {
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'dtab');
      return d.length >= 2 && d;
    }, 30000, { message: 'config diagnostics' });
    assert.deepEqual(
      diags.map((d) => [codeOf(d), d.range.start.line, d.range.start.character, doc.getText(d.range)]),
      [
        ['unknown-key', 14, 6, 'lable'],
        ['split-arrow', 20, 21, ' '],
      ],
    );
    assert.match(diags[0].message, /Did you mean 'label'\?/);
    await screenshot('configmap', { waitFor: '.monaco-editor .squiggly-error', settleMs: 800 });
  });

  it('offers the rename as a quick fix', async function () {
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(14, 7, 14, 7));
    const fix = actions.find((a) => a.title === "Change to 'label'");
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    // By the edit it makes, not only its title: 'lable' (line 15, characters 7-11) becomes 'label'.
    assert.deepEqual(
      fix.edit.entries().map(([uri, edits]) => [uri.toString(), edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.newText])]),
      [[doc.uri.toString(), [[14, 6, 14, 11, 'label']]]],
    );
  });

  it('explains an embedded dentry on hover', async function () {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(19, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Requests for `\/host\/world\/…` are sent to `\/srv\/world-v1\/…`\./);
  });
});
