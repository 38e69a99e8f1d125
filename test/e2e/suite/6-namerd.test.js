// namerd and linkerd in the real VS Code: the namerd and linkerd stand-ins (started by
// test/e2e/run.js on 127.0.0.1, reached through the settings a user would write) answer the
// extension's server. A namespace is opened as a document, edited and pushed (the routing impact is
// shown first); a concurrent change ends in a merge, never an overwrite; "Test this override" sends a
// dentry through the router and shows the response.
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { call, waitFor, screenshot } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';
const NAMERD = process.env.DTAB_E2E_NAMERD_URL;
const ROUTER = process.env.DTAB_E2E_ROUTER_URL;
const ADMIN = process.env.DTAB_E2E_ADMIN_URL;

describe('namerd and linkerd in a real VS Code', function () {
  let api;
  const server = { name: 'standin', url: NAMERD };

  before(async function () {
    assert.ok(NAMERD && ROUTER && ADMIN, 'run.js starts the namerd and linkerd stand-ins');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext.activate();
    api = await waitFor(() => ext.isActive && ext.exports, 30000, { message: 'activation' });
    await api.ready;
    const config = vscode.workspace.getConfiguration('linkerdDtab');
    await config.update('namerd.servers', [server], vscode.ConfigurationTarget.Global);
    await config.update('linkerd.admins', [{ name: 'standin', url: ADMIN, routers: ['http'] }], vscode.ConfigurationTarget.Global);
    await config.update('testRequests', [{ name: 'world', url: ROUTER, path: '/', headers: { Host: 'world' } }], vscode.ConfigurationTarget.Global);
    // The namespace as namerd has it when the test starts.
    const put = await call('PUT', `${NAMERD}/api/1/dtabs/e2e`, { body: '/svc=>/#/io.l5d.fs;/svc/world=>/#/io.l5d.fs/world-v1', headers: { 'content-type': 'application/dtab' } });
    assert.equal(put.status, 204);
  });

  after(async function () {
    const config = vscode.workspace.getConfiguration('linkerdDtab');
    for (const key of ['namerd.servers', 'linkerd.admins', 'testRequests']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the namespaces in the namerd view', async function () {
    const [root] = await api.namerd.getChildren();
    assert.equal(api.namerd.getTreeItem(root).label, 'standin');
    assert.equal(api.namerd.getTreeItem(root).description, NAMERD);
    const namespaces = await api.namerd.getChildren(root);
    assert.ok(namespaces.some((n) => n.kind === 'namespace' && n.ns === 'e2e'), JSON.stringify(namespaces));
  });

  it('opens a namespace as a dtab document, pushes an edit with its routing impact, merges a concurrent change', async function () {
    const editor = await vscode.commands.executeCommand('linkerdDtab.namerd.open', { server, ns: 'e2e' });
    const doc = editor.document;
    assert.equal(doc.uri.toString(), 'namerd:/standin/e2e.dtab');
    assert.equal(doc.languageId, 'linkerd-dtab');
    assert.equal(doc.getText(), '/svc        => /#/io.l5d.fs ;\n/svc/world  => /#/io.l5d.fs/world-v1 ;\n');
    const base = api.namerd.baseOf(doc.uri);
    assert.match(base.version, /^[A-Za-z0-9+/]+=*$/);

    // Edit: a 10% canary; Save shows the routing impact, and the answer pushes.
    const asked = [];
    api.namerd.ui.confirm = async (message, detail) => {
      asked.push({ message, detail });
      return 'Push';
    };
    await editor.edit((e) => e.replace(new vscode.Range(1, 0, 2, 0), '/svc/world  => 1 * /#/io.l5d.fs/world-v2 & 9 * /#/io.l5d.fs/world-v1 ;\n'));
    assert.equal(await doc.save(), true);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].message, `Push namespace e2e to ${NAMERD}?`);
    assert.match(asked[0].detail, /^Routing impact on standin \/ e2e:\n/);
    assert.ok(asked[0].detail.includes('/svc/world: world-v1 100% → world-v1 90%, world-v2 10%'), asked[0].detail);
    const now = await call('GET', `${NAMERD}/api/1/dtabs/e2e`, { headers: { accept: 'application/dtab' } });
    assert.equal(now.body, '/svc=>/#/io.l5d.fs;/svc/world=>/#/io.l5d.fs/world-v2 & 9.00*/#/io.l5d.fs/world-v1\n');
    assert.equal(api.namerd.baseOf(doc.uri).version, now.headers.etag);

    // We edit again; meanwhile someone else pushes (namerctl without a version). Our save gets 412 and merges.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '/svc/users  => /#/io.l5d.fs/users ;\n'));
    const theirs = await call('PUT', `${NAMERD}/api/1/dtabs/e2e`, {
      body: '/svc=>/#/io.l5d.fs;/svc/world=>/#/io.l5d.fs/world-v2 & 9.00*/#/io.l5d.fs/world-v1;/svc/hello=>/#/io.l5d.fs/hello',
      headers: { 'content-type': 'application/dtab' },
    });
    assert.equal(theirs.status, 204);
    assert.equal(await doc.save(), false, 'the push is refused: namerd changed since the edit began');
    // Nothing was overwritten: namerd still has their dentry, and the document now holds both.
    const after412 = await call('GET', `${NAMERD}/api/1/dtabs/e2e`, { headers: { accept: 'application/dtab' } });
    assert.ok(after412.body.includes('/svc/hello=>/#/io.l5d.fs/hello'));
    assert.ok(!after412.body.includes('/svc/users'));
    const merged = await waitFor(() => doc.getText().includes('/svc/hello') && doc.getText(), 10000, { message: 'the merge in the document' });
    assert.ok(merged.includes('/svc/users'), merged);
    assert.ok(!merged.includes('<<<<<<<'), merged);
    assert.equal(api.namerd.baseOf(doc.uri).version, after412.headers.etag);
    await screenshot('namerd-merge', { waitFor: '.monaco-editor', settleMs: 800 });
    // Saving again pushes the merge against their version.
    assert.equal(await doc.save(), true);
    const final = await call('GET', `${NAMERD}/api/1/dtabs/e2e`, { headers: { accept: 'application/dtab' } });
    assert.ok(final.body.includes('/svc/users=>/#/io.l5d.fs/users') && final.body.includes('/svc/hello=>/#/io.l5d.fs/hello'), final.body);
    // Pulled and pushed versions are in the history.
    const history = await api.namerd.history.entries(NAMERD, 'e2e');
    assert.deepEqual(history.map((h) => h.action).slice(0, 3), ['pushed', 'changed on namerd', 'pushed']);
  });

  it('sends a dentry through the router as l5d-dtab and shows the response', async function () {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'override.dtab'));
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
      return l && l.length > 0 && l;
    }, 20000, { message: 'code lenses' });
    assert.equal(lenses[0].command.title, 'Test this override');
    assert.equal(lenses[0].range.start.line, 1);
    const result = await vscode.commands.executeCommand(lenses[0].command.command, ...lenses[0].command.arguments);
    assert.equal(result.ok, true, result.message);
    assert.equal(result.override, '/svc/world=>/$/inet/127.1/7777');
    assert.equal(result.withOverride.status, 200);
    const header = (n) => result.withOverride.headers.find((h) => h.name.toLowerCase() === n);
    assert.equal(header('l5d-dst-service').value, '/svc/world');
    assert.equal(header('l5d-dst-client').value, '/$/inet/127.1/7777');
    assert.ok(header('l5d-dst-service').meaning.length > 0);
    assert.equal(api.responses.last, result);
    await screenshot('test-override', { waitFor: '.webview', settleMs: 1500 });
  });

  it('compares the local delegation with linkerd\'s delegator', async function () {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'override.dtab'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('linkerdDtab.delegatePath', '/svc/world');
    const result = await api.delegation.compareWithServer({ kind: 'linkerd', admin: { url: ADMIN }, router: 'http' }, doc.uri);
    assert.equal(result.ok, true, result.message);
    assert.equal(result.source, `linkerd ${ADMIN} router http`);
    assert.deepEqual(result.differences, []);
    assert.equal(result.root.path, '/svc/world');
  });
});
