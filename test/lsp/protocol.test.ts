// The server's lifetime and its answers to malformed requests, as LSP 3.17 specifies them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client.js';

async function error(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ResponseError, String(e));
    return { code: e.code, message: e.message };
  }
  assert.fail('expected an error response');
}

const hover = (uri: string, position: unknown) => ({ textDocument: { uri }, position });

describe('server lifetime and malformed requests', () => {
  it('answers ServerNotInitialized before initialize, InvalidRequest after shutdown', async () => {
    const client = new LspClient();
    try {
      assert.deepEqual(await error(client.connection.sendRequest('textDocument/hover', hover('file:///a.dtab', { line: 0, character: 0 }))), {
        code: ErrorCodes.ServerNotInitialized,
        message: 'textDocument/hover: the server is not initialized yet (send initialize first)',
      });
      await client.start();
      await client.connection.sendRequest('shutdown');
      assert.deepEqual(await error(client.connection.sendRequest('textDocument/hover', hover('file:///a.dtab', { line: 0, character: 0 }))), {
        code: ErrorCodes.InvalidRequest,
        message: 'textDocument/hover: the server is shutting down (only exit is accepted)',
      });
    } finally {
      await client.stop().catch(() => undefined);
    }
  });

  it('answers InvalidParams, with what is wrong, for null or wrongly typed params', async () => {
    const client = new LspClient();
    try {
      await client.start();
      const uri = 'file:///p.dtab';
      await client.open(uri, '/a => /b ;\n');
      assert.deepEqual(await error(client.connection.sendRequest('textDocument/hover', null)), { code: ErrorCodes.InvalidParams, message: 'textDocument/hover: params must be an object' });
      assert.deepEqual(await error(client.connection.sendRequest('textDocument/completion', hover(uri, { line: 0, character: 0.5 }))), {
        code: ErrorCodes.InvalidParams,
        message: 'params.position.character must be a non-negative integer',
      });
      assert.deepEqual(await error(client.connection.sendRequest('textDocument/definition', hover(uri, { line: -1, character: 0 }))), {
        code: ErrorCodes.InvalidParams,
        message: 'params.position.line must be a non-negative integer',
      });
      assert.deepEqual(await error(client.connection.sendRequest('textDocument/rename', { ...hover(uri, { line: 0, character: 1 }), newName: 7 })), {
        code: ErrorCodes.InvalidParams,
        message: 'params.newName must be a string',
      });
      assert.deepEqual(await error(client.connection.sendRequest('linkerdDtab/delegate', { uri })), { code: ErrorCodes.InvalidParams, message: 'params.path is missing' });
      // And it still answers properly afterwards.
      const h = (await client.connection.sendRequest('textDocument/hover', hover(uri, { line: 0, character: 1 }))) as { contents: { value: string } };
      assert.match(h.contents.value, /^\*\*`\/a => \/b`\*\*/);
    } finally {
      await client.stop();
    }
  });
});
