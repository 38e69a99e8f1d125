// The dtab language server: a thin LSP adapter over DtabService. Runs as `dtab-language-server --stdio`
// for any editor, or over IPC when VS Code starts it.

import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DtabService } from './dtab-service.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new DtabService();

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    documentFormattingProvider: true,
  },
  serverInfo: { name: 'dtab-language-server' },
}));

documents.onDidOpen(({ document }) => void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: service.diagnostics(document) }));
documents.onDidChangeContent(({ document }) => void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: service.diagnostics(document) }));
documents.onDidClose(({ document }) => {
  service.forget(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onDocumentFormatting(({ textDocument }) => {
  const doc = documents.get(textDocument.uri);
  return doc ? service.format(doc) : [];
});

documents.listen(connection);
connection.listen();
