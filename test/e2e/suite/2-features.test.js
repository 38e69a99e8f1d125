// The language features, through VS Code's own provider commands (the same path the UI takes), and
// the delegation view; takes the README's screenshots on the way.
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { waitFor, screenshot } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';

function fixture(name) {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name);
}

/** Position of the first `needle` in the document (plus `delta` characters). */
function at(doc, needle, delta = 0) {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `${needle} is in ${doc.uri.path}`);
  return doc.positionAt(i + delta);
}

const hoverText = (hovers) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

describe('language features in a real VS Code', function () {
  let api;
  let doc;

  before(async function () {
    doc = await vscode.workspace.openTextDocument(fixture('canary.dtab'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await waitFor(() => ext.isActive && ext.exports, 30000, { message: 'activation' });
    await api.ready;
    // Activation and start-up times, for `npm run bench` (which reads this line); not asserted here.
    console.log(`__BENCH__ ${JSON.stringify({ activationMs: api.activationMs, chunkMs: api.startup.chunkMs, readyMs: api.startup.readyMs })}`);
    await waitFor(async () => (await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri))?.length > 0, 20000, {
      message: 'the language server to answer',
    });
  });

  it('completes namers with their shape as a snippet, and the prefixes of the file', async function () {
    const edit = new vscode.WorkspaceEdit();
    const end = doc.positionAt(doc.getText().length);
    edit.insert(doc.uri, end, '/svc/new => ');
    await vscode.workspace.applyEdit(edit);
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(doc.getText().length));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('/#/io.l5d.k8s'), labels.join(' '));
    assert.ok(labels.includes('/$/inet'));
    assert.ok(labels.includes('/srv'));
    const k8s = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === '/#/io.l5d.k8s');
    const insert = k8s.insertText instanceof vscode.SnippetString ? k8s.insertText.value : k8s.insertText;
    assert.equal(insert, '/#/io.l5d.k8s/${1:namespace}/${2:port}/${3:service}');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => !doc.getText().includes('/svc/new'), 5000, { message: 'undo' });
  });

  it('explains a dentry on hover, with union weights as shares of traffic', async function () {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at(doc, '/host/world', 2));
    const text = hoverText(hovers);
    assert.match(text, /Requests for `\/host\/world\/…` are split by weight: 90% to `\/srv\/world-v1\/…`, 10% to `\/\$\/inet\/127\.1\/7778\/…`\./);
    assert.match(text, /tried before line 6 \(`\/host => \/srv`\)/);
    // Show it, for the README.
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(at(doc, '/host/world', 2), at(doc, '/host/world', 2));
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('hover', { waitFor: '.monaco-hover', settleMs: 500 });
  });

  it('goes to the dentries that rewrite a path, and lists dentries in the outline', async function () {
    const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, at(doc, '/srv/world-v1', 2));
    assert.deepEqual(defs.map((d) => (d.range ?? d.targetRange).start.line), [4]);
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(symbols.map((s) => s.name), ['/srv', '/host', '/svc', '/host/world', '/host/hello']);
  });

  it('shows the delegation of a path in the Delegation view, with the primary path marked', async function () {
    // A clean window for the screenshot: no panel, no hover left from the previous test.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(doc);
    const result = await vscode.commands.executeCommand('linkerdDtab.delegatePath', '/svc/world');
    assert.equal(result.ok, true, result.message);
    const root = result.root;
    assert.equal(root.path, '/svc/world');
    const union = root.children[0].children[0];
    assert.equal(union.type, 'union');
    assert.deepEqual(union.children.map((c) => [c.weight.percent, c.primary]), [[90, true], [10, true]]);
    assert.equal(union.dentry.text, '/host/world => 9 * /srv/world-v1 & 1 * /$/inet/127.1/7778');
    assert.equal(union.dentry.range.start.line, 9);
    assert.equal(union.dentry.line, 10);
    // The 90% goes to the cluster (the Kubernetes stand-in, through the kubeconfig): its addresses.
    assert.deepEqual(result.routes, [
      '90% → /#/io.l5d.k8s/default/http/world-v1 (10.1.2.1:7778 on node-a, 10.1.2.2:7778 on node-b)',
      '10% → /$/inet/127.1/7778 (127.0.0.1:7778)',
    ]);
    assert.equal(union.children[0].status, 'success');
    assert.equal(union.children[1].status, 'success');
    assert.equal(result.cluster.state, 'live');
    // The tree items as the view shows them: labels, descriptions and icons.
    const item = (node) => api.delegation.getTreeItem({ node, uri: doc.uri });
    const v1 = item(union.children[0]);
    assert.equal(v1.label, '★ 90% /srv/world-v1');
    assert.equal(v1.description, 'line 10: /host/world => 9 * /srv/world-v1 & 1 * /$/inet/127.1/7778');
    assert.equal(v1.iconPath.id, 'pass');
    const leaf = item(union.children[0].children[0]);
    assert.equal(leaf.label, '★ /#/io.l5d.k8s/default/http/world-v1');
    assert.match(leaf.description, /^=> bound \/#\/io\.l5d\.k8s\/default\/http\/world-v1: 10\.1\.2\.1:7778 on node-a, 10\.1\.2\.2:7778 on node-b +line 5: \/srv => \/#\/io\.l5d\.k8s\/default\/http$/);
    assert.equal(api.delegation.getTreeItem({ route: result.routes[1] }).label, 'Routes to: 10% → /$/inet/127.1/7778 (127.0.0.1:7778)');
    // The view may have refreshed since, on a cluster notification (a negative leaf then says why,
    // in the cluster's words, once its namespace is listed): where requests go is the same.
    assert.deepEqual(api.delegation.current.routes, result.routes);
    await screenshot('delegation', { waitFor: '[id="workbench.view.extension.linkerdDtab"] .monaco-list-row', settleMs: 1000 });
  });

  it('refreshes the delegation as the document changes', async function () {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(at(doc, '9 * '), at(doc, '9 * ', 1)), '3');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => api.delegation.current?.ok && api.delegation.current.root.children[0].children[0].children[0].weight.percent === 75, 10000, {
      message: 'the view to show 75%',
    });
    await vscode.commands.executeCommand('undo');
  });

  it('highlights ```dtab fences in Markdown with the dtab grammar (and the language is known)', async function () {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('linkerd-dtab'));
    const md = await vscode.workspace.openTextDocument(fixture('notes.md'));
    await vscode.window.showTextDocument(md);
    // The injected grammar colours the fence's content: the `=>` gets a token of its own colour.
    await screenshot('markdown-fence', { waitFor: '.view-line span[class*="mtk"]', settleMs: 800 });
  });
});
