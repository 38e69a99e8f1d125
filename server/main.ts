// The dtab language server: a thin LSP adapter over DtabService. Runs as `dtab-language-server --stdio`
// for any editor, or over IPC when VS Code starts it.

import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  RequestType,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Interpreter } from '../core/index.js';
import { Delegate, SuggestPaths, type DelegateParams, type DelegateResult } from '../protocol/messages.js';
import { complete, MAX_NAMES } from './completion.js';
import { delegateInDocument } from './delegation.js';
import { DtabService } from './dtab-service.js';
import { hover } from './hover.js';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const service = new DtabService();
const interpreter = new Interpreter();

interface Settings {
  /** Run the checks that delegate every dentry (cycles, never-used dentries). */
  deepChecks: boolean;
}
let settings: Settings = { deepChecks: true };
let canPullConfiguration = false;

connection.onInitialize(({ capabilities }) => {
  canPullConfiguration = capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      selectionRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      completionProvider: { triggerCharacters: ['/', '#', '$', '=', '>', ' ', '|', '&', '('] },
    },
    serverInfo: { name: 'dtab-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) {
    await connection.client.register(DidChangeConfigurationNotification.type, { section: 'linkerdDtab' });
    await loadSettings();
  }
});

async function loadSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  const s = (await connection.workspace.getConfiguration('linkerdDtab')) as { checks?: { deep?: boolean } } | null;
  settings = { deepChecks: s?.checks?.deep ?? true };
}

connection.onDidChangeConfiguration(async () => {
  await loadSettings();
  for (const doc of documents.all()) validate(doc);
});

// ---- diagnostics: quick ones at once, then the deep ones, abandoned when a newer version comes ----

const deepResults = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
const generation = new Map<string, number>();

class Stale extends Error {}

function publish(doc: TextDocument, quick: Diagnostic[]): void {
  const deep = deepResults.get(doc.uri);
  const extra = deep && deep.version === doc.version ? deep.diagnostics : [];
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [...quick, ...extra] });
}

function validate(doc: TextDocument): void {
  const quick = service.diagnostics(doc);
  publish(doc, quick);
  const gen = (generation.get(doc.uri) ?? 0) + 1;
  generation.set(doc.uri, gen);
  if (!settings.deepChecks) {
    deepResults.delete(doc.uri);
    return;
  }
  const pause = () =>
    new Promise<void>((resolve, reject) =>
      setImmediate(() => (generation.get(doc.uri) === gen && documents.get(doc.uri)?.version === doc.version ? resolve() : reject(new Stale()))),
    );
  // Let pending requests (completion, hover) run before the deep checks start.
  setTimeout(() => {
    if (generation.get(doc.uri) !== gen) return;
    service.deepDiagnostics(doc, pause).then(
      (diagnostics) => {
        if (generation.get(doc.uri) !== gen) return;
        deepResults.set(doc.uri, { version: doc.version, diagnostics });
        if (diagnostics.length > 0) publish(doc, quick);
      },
      (e: unknown) => {
        if (!(e instanceof Stale)) connection.console.error(`deep checks failed: ${(e as Error).stack ?? String(e)}`);
      },
    );
  }, 150);
}

documents.onDidOpen(({ document }) => validate(document));
documents.onDidChangeContent(({ document }) => validate(document));
documents.onDidClose(({ document }) => {
  service.forget(document.uri);
  deepResults.delete(document.uri);
  generation.delete(document.uri);
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

// ---- features ----------------------------------------------------------------------------------

function withDoc<T>(uri: string, f: (doc: TextDocument) => T, none: T): T {
  const doc = documents.get(uri);
  return doc ? f(doc) : none;
}

connection.onDocumentFormatting(({ textDocument }) => withDoc(textDocument.uri, (d) => service.format(d), []));
connection.onDocumentRangeFormatting(({ textDocument, range }) => withDoc(textDocument.uri, (d) => service.formatRange(d, range), []));
connection.onDocumentSymbol(({ textDocument }) => withDoc(textDocument.uri, (d) => service.symbols(d), []));
connection.onFoldingRanges(({ textDocument }) => withDoc(textDocument.uri, (d) => service.folding(d), []));
connection.onSelectionRanges(({ textDocument, positions }) => withDoc(textDocument.uri, (d) => service.selectionRanges(d, positions), []));
connection.onDefinition(({ textDocument, position }) => withDoc(textDocument.uri, (d) => service.definition(d, position), []));
connection.onReferences(({ textDocument, position, context }) =>
  withDoc(textDocument.uri, (d) => service.references(d, position, context.includeDeclaration), []),
);
connection.onPrepareRename(({ textDocument, position }) => withDoc(textDocument.uri, (d) => service.prepareRename(d, position) ?? null, null));
connection.onRenameRequest(({ textDocument, position, newName }) => withDoc(textDocument.uri, (d) => service.rename(d, position, newName) ?? null, null));
connection.onCodeAction(({ textDocument, range }) => withDoc(textDocument.uri, (d) => service.codeActions(d, range), []));
connection.onHover(({ textDocument, position }) => withDoc(textDocument.uri, (d) => hover(service.analyze(d), position) ?? null, null));
connection.onCompletion(({ textDocument, position }) =>
  withDoc(
    textDocument.uri,
    (d) => {
      const items = complete(service.analyze(d), position);
      // Names are capped (MAX_NAMES): ask again as the user types, so no name is out of reach.
      return { isIncomplete: items.length >= MAX_NAMES, items };
    },
    { isIncomplete: false, items: [] },
  ),
);

connection.onRequest(new RequestType<DelegateParams, DelegateResult, void>(Delegate.method), async ({ uri, path }) => {
  const doc = documents.get(uri);
  if (!doc) return { ok: false, message: `${uri} is not open` };
  return delegateInDocument(service.analyze(doc), path, interpreter);
});
connection.onRequest(new RequestType<{ uri: string }, string[], void>(SuggestPaths.method), ({ uri }) => withDoc(uri, (d) => service.suggestPaths(d), []));

documents.listen(connection);
connection.listen();
