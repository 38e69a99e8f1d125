// "Dtab: Restart language server": the server is replaced by a new one that answers, and the
// output channel gets one line for it, not an error for the old server's clean exit.
'use strict';

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { waitFor } = require('./helpers');

const EXTENSION_ID = 'linkerd-dtab-tools.linkerd-dtab';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Dtab: Restart language server', function () {
  it('starts a new server and logs only "Language server restarted."', async function () {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'ok.dtab'));
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const api = await waitFor(() => ext.isActive && ext.exports, 30000, { message: 'activation' });
    const client = await api.ready;
    const symbols = () => vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
    await waitFor(async () => (await symbols())?.length > 0, 20000, { message: 'the language server to answer' });

    // vscode-languageclient's node client keeps the child process here (not API: the test needs the pid
    // to know when the old server has exited and its exit has been reported).
    const oldProcess = client._serverProcess;
    const oldPid = oldProcess && oldProcess.pid;
    assert.ok(oldPid, 'the server runs as a child process');
    // The old process's `exit` event: the client's own listener (registered at spawn, so before
    // ours) has logged whatever it logs about it once ours runs.
    const exitHandled = new Promise((resolve) => oldProcess.once('exit', () => setImmediate(resolve)));
    const channel = client.outputChannel; // the extension's "Dtab (Linkerd)" channel
    const written = [];
    const { append, appendLine } = channel;
    channel.append = (s) => {
      written.push(s);
      append.call(channel, s);
    };
    channel.appendLine = (s) => {
      written.push(`${s}\n`);
      appendLine.call(channel, s);
    };
    try {
      await vscode.commands.executeCommand('linkerdDtab.restartServer');
      await waitFor(() => !alive(oldPid), 10000, { message: `the old server (pid ${oldPid}) to exit` });
      const newPid = client._serverProcess && client._serverProcess.pid;
      assert.ok(newPid && newPid !== oldPid && alive(newPid), `a new server runs (pid ${newPid})`);
      await waitFor(async () => (await symbols())?.length > 0, 20000, { message: 'the new language server to answer' });
      await exitHandled;
      assert.equal(written.join(''), 'Language server restarted.\n');
    } finally {
      channel.append = append;
      channel.appendLine = appendLine;
    }
  });
});
