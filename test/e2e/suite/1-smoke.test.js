// Smoke test of the real extension in a real VS Code extension host: activation, language id,
// diagnostics and formatting served by the language server (dist/server.js), and one screenshot.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { waitFor, screenshot } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';
const LANGUAGE_ID = 'linkerd-dtab';

function fixture(name) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the test workspace (test/e2e/workspace) is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** The text after applying `edits` (vscode.TextEdit[]) to `doc`, without touching the file. */
function applyEdits(doc, edits) {
  const text = doc.getText();
  const spans = edits
    .map((e) => ({ start: doc.offsetAt(e.range.start), end: doc.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

const codeOf = (d) => (d.code !== null && typeof d.code === 'object' ? d.code.value : d.code);

describe('linkerd-dtab in a real VS Code extension host', function () {
  let extension;

  before(function () {
    extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  });

  it('runs the extension under test (the development folder, or the installed vsix)', function () {
    const where = fs.realpathSync(extension.extensionPath);
    if (process.env.E2E_EXTENSION_SOURCE === 'vsix') {
      const dir = fs.realpathSync(process.env.E2E_EXTENSIONS_DIR);
      assert.ok(where.startsWith(dir + path.sep), `${where} is in the extensions dir ${dir}`);
    } else if (process.env.E2E_EXTENSION_DEVELOPMENT_PATH) {
      assert.equal(where, fs.realpathSync(process.env.E2E_EXTENSION_DEVELOPMENT_PATH));
      assert.equal(extension.extensionKind, vscode.ExtensionKind.Workspace);
    }
  });

  it('activates when a .dtab file is opened', async function () {
    assert.equal(extension.isActive, false, 'not active before any .dtab file is open (onLanguage activation)');
    await vscode.workspace.openTextDocument(fixture('ok.dtab'));
    await waitFor(() => extension.isActive, 30000, { message: 'the extension to activate' });
  });

  it(`gives .dtab documents the language id ${LANGUAGE_ID}`, async function () {
    const doc = await vscode.workspace.openTextDocument(fixture('ok.dtab'));
    assert.equal(doc.languageId, LANGUAGE_ID);
  });

  it('publishes the language server\'s diagnostics for broken.dtab', async function () {
    const uri = fixture('broken.dtab');
    await vscode.workspace.openTextDocument(uri);
    const diagnostics = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 && d;
    }, 30000, { message: 'diagnostics for broken.dtab' });
    const seen = diagnostics
      .map((d) => ({ line: d.range.start.line, character: d.range.start.character, severity: d.severity, code: codeOf(d) }))
      .sort((a, b) => a.line - b.line || a.character - b.character);
    const E = vscode.DiagnosticSeverity.Error;
    assert.deepEqual(seen, [
      { line: 1, character: 0, severity: E, code: 'expected-end' },
      { line: 1, character: 4, severity: E, code: 'split-arrow' },
    ]);
  });

  it('formats ok.dtab through the language server (vscode.executeFormatDocumentProvider)', async function () {
    const doc = await vscode.workspace.openTextDocument(fixture('ok.dtab'));
    const edits = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(Array.isArray(edits) && edits.length > 0, 'the formatter returns edits');
    assert.equal(applyEdits(doc, edits), '/svc   => /host ;\n/host  => /$/inet/127.1/8080 ;\n');
  });

  it('shows broken.dtab with its diagnostics (screenshot "diagnostics")', async function () {
    const uri = fixture('broken.dtab');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    assert.equal(editor.document.languageId, LANGUAGE_ID);
    await waitFor(() => vscode.languages.getDiagnostics(uri).length === 2, 30000, { message: 'two diagnostics' });
    // The driver waits until the error squiggles are rendered, then lets the UI settle for 1 s.
    const file = await screenshot('diagnostics', { waitFor: '.monaco-editor .squiggly-error', settleMs: 1000 });
    if (process.env.E2E_SCREENSHOT_DIR) {
      assert.ok(file && fs.existsSync(file), `screenshot written (${file})`);
    }
  });
});
