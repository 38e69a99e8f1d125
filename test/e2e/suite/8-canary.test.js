// Canary shifts and Zipkin traces in the real VS Code, against the stand-ins run.js starts: a canary on
// a dtab file (start, two promotes, abort: the file byte-identical to before; then a run to finish),
// a canary on a namerd namespace with a conflicting change mid-way, a canary started by a pipeline
// (`dtab canary start`) picked up by the editor, and a trace with hostile span data in the panel.
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { call, waitFor, screenshot } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';
const NAMERD = process.env.DTAB_E2E_NAMERD_URL;
const ZIPKIN = process.env.DTAB_E2E_ZIPKIN_URL;
const ORIGINAL = '# world, before the canary\n/srv         => /$/inet/127.1 ;\n/host/world  => /srv/7001 ;   # v1\n/svc         => /host ;\n';

describe('canary shifts and traces in a real VS Code', function () {
  let api;
  let folder;
  let file;
  let stateFile;

  before(async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext.activate();
    api = await waitFor(() => ext.isActive && ext.exports, 30000, { message: 'activation' });
    await api.ready;
    folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    file = path.join(folder, 'canary-world.dtab');
    stateFile = path.join(folder, '.dtab-canary.json');
    fs.writeFileSync(file, ORIGINAL);
    fs.rmSync(stateFile, { force: true });
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
    fs.rmSync(stateFile, { force: true });
    const config = vscode.workspace.getConfiguration('linkerdDtab');
    for (const key of ['namerd.servers', 'zipkin.url']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('starts a canary on a dtab file, promotes it twice, and an abort leaves the file byte-identical', async function () {
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
      return l && l.length >= 6 && l;
    }, 20000, { message: 'code lenses' });
    const lens = lenses.find((l) => l.command.title === 'Start canary…' && l.range.start.line === 2);
    assert.deepEqual(lens.command.arguments, [uri.toString(), 2, '/host/world', '/srv/7001']);

    const started = await vscode.commands.executeCommand('linkerdDtab.startCanary', { target: { kind: 'file', uri: uri.toString() }, name: '/host/world', to: '/srv/7002', steps: [10, 50, 100] });
    assert.equal(started.code, 0, started.output);
    assert.match(started.output, /^started canary \/host\/world: \/srv\/7001 → \/srv\/7002 in file /);
    assert.equal(api.canary.item.text, '$(debug-step-over) canary /host/world 0% → 7002');

    const one = await vscode.commands.executeCommand('linkerdDtab.canary.promote');
    assert.equal(one.code, 0, one.output);
    const at10 = ORIGINAL.replace('/srv/7001 ;', '1 * /srv/7002 & 9 * /srv/7001 ;');
    assert.equal(doc.getText(), at10);
    assert.equal(doc.isDirty, false, 'the edit is saved: linkerd reads the file');
    assert.equal(fs.readFileSync(file, 'utf8'), at10);
    assert.equal(api.canary.item.text, '$(debug-step-over) canary /host/world 10% → 7002');

    const two = await vscode.commands.executeCommand('linkerdDtab.canary.promote');
    assert.equal(two.code, 0, two.output);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL.replace('/srv/7001 ;', '1 * /srv/7002 & 1 * /srv/7001 ;'));
    const items = await api.canary.getChildren();
    assert.deepEqual(items.filter((i) => i.kind === 'step').map((i) => api.canary.getTreeItem(i).description), ['done', 'current', 'next']);
    await screenshot('canary', { waitFor: '[id="workbench.view.extension.linkerdDtab"] .monaco-list-row', settleMs: 800 });

    const aborted = await vscode.commands.executeCommand('linkerdDtab.canary.abort', true);
    assert.equal(aborted.code, 0, aborted.output);
    assert.match(aborted.output, /is byte-identical to what the canary started from/);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
    assert.equal(doc.getText(), ORIGINAL);
    assert.equal(api.canary.state.status, 'aborted');
  });

  it('runs a canary to the end: the canary destination replaces the stable one', async function () {
    const uri = vscode.Uri.file(file).toString();
    const started = await vscode.commands.executeCommand('linkerdDtab.startCanary', { target: { kind: 'file', uri }, name: '/host/world', to: '/srv/7002', steps: [50, 100] });
    assert.equal(started.code, 0, started.output);
    for (let i = 0; i < 2; i++) assert.equal((await vscode.commands.executeCommand('linkerdDtab.canary.promote')).code, 0);
    const finished = await vscode.commands.executeCommand('linkerdDtab.canary.finish', false);
    assert.equal(finished.code, 0, finished.output);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL.replace('/srv/7001 ;', '/srv/7002 ;'));
    assert.equal(api.canary.state.status, 'finished');
    assert.deepEqual(api.canary.state.history.map((h) => h.action), ['start', 'step', 'step', 'finish']);
    fs.writeFileSync(file, ORIGINAL);
  });

  it('stops with a conflict when the namerd dentry changed mid-way, and overwrites nothing', async function () {
    await vscode.workspace.getConfiguration('linkerdDtab').update('namerd.servers', [{ name: 'standin', url: NAMERD }], vscode.ConfigurationTarget.Global);
    const put = (body) => call('PUT', `${NAMERD}/api/1/dtabs/canary`, { body, headers: { 'content-type': 'application/dtab' } });
    assert.equal((await put('/srv=>/$/inet/127.1;/host/world=>/srv/7001')).status, 204);
    const started = await vscode.commands.executeCommand('linkerdDtab.startCanary', { target: { kind: 'namerd', server: { url: NAMERD }, ns: 'canary' }, name: '/host/world', to: '/srv/7002' });
    assert.equal(started.code, 0, started.output);
    assert.equal((await vscode.commands.executeCommand('linkerdDtab.canary.promote')).code, 0);
    const now = await call('GET', `${NAMERD}/api/1/dtabs/canary`, { headers: { accept: 'application/dtab' } });
    assert.equal(now.body, '/srv=>/$/inet/127.1;/host/world=>/srv/7002 & 9.00*/srv/7001\n');
    // Someone changes the dentry by hand between two steps.
    assert.equal((await put('/srv=>/$/inet/127.1;/host/world=>/srv/7003')).status, 204);
    const conflict = await vscode.commands.executeCommand('linkerdDtab.canary.promote');
    assert.equal(conflict.code, 3, conflict.output);
    const after = await call('GET', `${NAMERD}/api/1/dtabs/canary`, { headers: { accept: 'application/dtab' } });
    assert.equal(after.body, '/srv=>/$/inet/127.1;/host/world=>/srv/7003\n');
    fs.rmSync(stateFile, { force: true });
    await vscode.commands.executeCommand('linkerdDtab.canary.refresh');
  });

  it('picks up a canary a pipeline started (the same state file): a reload resumes where it was', async function () {
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID).extensionPath, 'dist', 'cli.js');
    execFileSync(process.execPath, [cli, 'canary', 'start', '--file', file, '--name', '/host/world', '--to', '/srv/7002', '--state', stateFile], { cwd: folder });
    execFileSync(process.execPath, [cli, 'canary', 'step', '--state', stateFile], { cwd: folder });
    await vscode.commands.executeCommand('linkerdDtab.canary.refresh');
    assert.equal(api.canary.state.percent, 10);
    assert.equal(api.canary.item.text, '$(debug-step-over) canary /host/world 10% → 7002');
    const aborted = await vscode.commands.executeCommand('linkerdDtab.canary.abort', true);
    assert.equal(aborted.code, 0, aborted.output);
    assert.equal(fs.readFileSync(file, 'utf8'), ORIGINAL);
  });

  it('shows a trace with hostile span data escaped, in a panel that runs no script', async function () {
    await vscode.workspace.getConfiguration('linkerdDtab').update('zipkin.url', ZIPKIN, vscode.ConfigurationTarget.Global);
    const evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
    const traceId = '00000000000000e1';
    const spans = [
      { traceId, id: '00000000000000e1', name: evil, kind: 'SERVER', timestamp: Date.now() * 1000 - 5_000_000, duration: 2000, localEndpoint: { serviceName: '0.0.0.0/4140' }, tags: { service: '/svc/world', client: 'javascript:alert(3)', 'dtab.local': `/svc/world=>"${evil}"`, 'router.label': 'http' } },
      { traceId, parentId: '00000000000000e1', id: '00000000000000e2', name: 'get /', kind: 'CLIENT', timestamp: Date.now() * 1000 - 4_999_000, duration: 1500, localEndpoint: { serviceName: evil }, tags: { error: evil } },
    ];
    const posted = await call('POST', `${ZIPKIN}/api/v2/spans`, { body: JSON.stringify(spans), headers: { 'content-type': 'application/json' } });
    assert.equal(posted.status, 202);
    const view = await vscode.commands.executeCommand('linkerdDtab.showTraces', traceId);
    assert.ok(view, 'the trace was shown');
    assert.equal(view.traceId, traceId);
    const html = api.traces.html;
    assert.ok(typeof html === 'string' && html.length > 0);
    assert.doesNotMatch(html, /<img|<script|href="javascript:/i);
    // onerror= only ever appears inside escaped text.
    assert.equal(html.split('onerror=').length - 1, html.split('&lt;img src=x onerror=').length - 1);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;'));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    await screenshot('trace', { waitFor: '.webview', settleMs: 4000 });
  });
});
