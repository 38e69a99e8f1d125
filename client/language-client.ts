// The LSP side of the client: starts the language server and connects to it. Built as its own
// chunk (dist/language-client.js), loaded once the UI is registered, because the language client
// library is most of the client's code.

import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export async function startLanguageClient(serverModule: string, outputChannel: vscode.OutputChannel): Promise<LanguageClient> {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // YAML too: linkerd/namerd configs and the manifests that carry them (the server leaves other YAML alone).
    documentSelector: [{ language: 'linkerd-dtab' }, { language: 'yaml' }],
    outputChannel,
    synchronize: { configurationSection: 'linkerdDtab' },
  };
  const client = new LanguageClient('linkerdDtab', 'Dtab (Linkerd)', serverOptions, clientOptions);
  await client.start();
  return client;
}
