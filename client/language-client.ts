// The LSP side of the client: starts the language server and connects to it. Built as its own
// chunk (dist/language-client.js), loaded once the UI is registered, because the language client
// library is most of the client's code.

import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * vscode-languageclient 9's node client logs every exit of the server process as an error
 * (`Server process exited with code N.`, lib/node/main.js), the clean one too: stop() and
 * restart() send `shutdown` and `exit`, and vscode-languageserver then exits with code 0 (with 1 on
 * `exit` without `shutdown`). Code 0 thus means a stop this client asked for: not an error, not
 * logged. Other codes and signals still are.
 */
class DtabLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (message === 'Server process exited with code 0.') return;
    super.error(message, data, showNotification);
  }
}

export async function startLanguageClient(serverModule: string, outputChannel: vscode.OutputChannel, trusted: () => boolean): Promise<LanguageClient> {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // YAML too: linkerd/namerd configs and the manifests that carry them (the server leaves other YAML alone).
    documentSelector: [{ language: 'linkerd-dtab' }, { language: 'linkerd-dtab-test' }, { language: 'yaml' }],
    outputChannel,
    synchronize: { configurationSection: 'linkerdDtab' },
    // Cluster access is off in untrusted workspaces: asked at every (re)start, and the server is
    // told when trust is granted meanwhile.
    initializationOptions: () => ({ trusted: trusted() }),
    // The hover's "Test this override" link runs that one command, nothing else.
    markdown: { isTrusted: { enabledCommands: ['linkerdDtab.testOverride'] } },
  };
  const client = new DtabLanguageClient('linkerdDtab', 'Dtab (Linkerd)', serverOptions, clientOptions);
  await client.start();
  return client;
}
