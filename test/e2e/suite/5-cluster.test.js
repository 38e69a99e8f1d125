// The live cluster in the real VS Code: the Kubernetes API stand-in (started by test/e2e/run.js,
// reached through the kubeconfig in KUBECONFIG) changes an Endpoints object, the Delegation view
// follows by itself; the status bar shows the context.
'use strict';

const assert = require('node:assert/strict');
const http = require('node:http');
const vscode = require('vscode');
const { waitFor, screenshot } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';

/** PUT an object to the API, as `kubectl replace` does. */
function put(url, obj) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(obj);
    const req = http.request(url, { method: 'PUT', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve(JSON.parse(data)) : reject(new Error(`${res.statusCode}: ${data}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the live cluster in a real VS Code', function () {
  let api;
  let doc;

  before(async function () {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'canary.dtab'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await waitFor(() => ext.isActive && ext.exports, 30000, { message: 'activation' });
    await api.ready;
  });

  it('shows the context in the status bar', async function () {
    const st = await waitFor(() => api.cluster.current && api.cluster.current.state === 'live' && api.cluster.current, 20000, { message: 'the cluster to be live' });
    assert.match(st.source, /^context \S+ \(http:\/\/127\.0\.0\.1:\d+\)$/);
    assert.match(api.cluster.item.text, /^\$\(cloud\) \S+$/);
  });

  it('updates the Delegation view by itself when an Endpoints object changes', async function () {
    const result = await vscode.commands.executeCommand('linkerdDtab.delegatePath', '/svc/world');
    assert.equal(result.ok, true, result.message);
    assert.equal(result.routes[0], '90% → /#/io.l5d.k8s/default/http/world-v1 (10.1.2.1:7778 on node-a, 10.1.2.2:7778 on node-b)');
    await put(`${process.env.DTAB_E2E_K8S_URL}/api/v1/namespaces/default/endpoints/world-v1`, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'world-v1', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.1.2.9', nodeName: 'node-c' }], ports: [{ name: 'http', port: 7778, protocol: 'TCP' }] }],
    });
    const updated = await waitFor(() => api.delegation.current && api.delegation.current.ok && api.delegation.current.routes[0].includes('10.1.2.9') && api.delegation.current, 10000, {
      message: 'the view to show the new address',
    });
    assert.equal(updated.routes[0], '90% → /#/io.l5d.k8s/default/http/world-v1 (10.1.2.9:7778 on node-c)');
    assert.match(api.delegation.view.message, /^\/svc\/world in canary\.dtab · \S+: live$/);
    await screenshot('cluster', { waitFor: '[id="workbench.view.extension.linkerdDtab"] .monaco-list-row', settleMs: 800 });
  });
});
