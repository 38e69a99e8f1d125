// The dtab language server: a thin LSP adapter over DtabService, started on a transport (server/main.ts
// starts it on stdio or IPC; tests start it in-process on in-memory streams).

import {
  createConnection,
  type MessageWriter,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  ResponseError,
  ErrorCodes,
  type Diagnostic,
  type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath } from 'node:url';
import { assumedNamers, explainNegative, printTree, interpreterFor, k8sNamerUses, MAX_NAMES, RenameError, routerNamers, type ConfigRouter, type FoundConfig, type Interpreter, type K8sNamerUse, type NamerSpec } from '../core/index.js';
import {
  ClusterChanged,
  ClusterStatusNotification,
  Contexts,
  Delegate,
  Impact,
  Merge,
  NamerdChanged,
  NamerdDelete,
  NamerdGet,
  NamerdList,
  NamerdPush,
  NamerdWatch,
  SaveSnapshot,
  RunTests,
  ServerDelegate,
  SuggestPaths,
  TestOverride,
  TrustNotification,
  CanaryAction,
  CanaryStart,
  ZipkinServices,
  ZipkinTrace,
  ZipkinTraces,
  type DelegateResult,
  type Request,
} from '../protocol/messages.js';
import { Network, type NetworkSettings } from './network.js';
import { Canaries } from './canary.js';
import { Zipkin } from './zipkin.js';
import { Cluster, DEFAULT_CLUSTER_SETTINGS, type ClusterSettings } from './cluster.js';
import { delegateInDocument } from './delegation.js';
import { ConfigService, formatEmbeddedDtabs } from './config-service.js';
import { DEEP_CHECKS_DELAY_MS, DtabService } from './dtab-service.js';
import { moveDiagnostics, type Analysis } from './lsp.js';
import { configActions, configCompletion, configHover } from './config-features.js';
import { checked } from './params.js';
import type { GateReader } from './gate.js';
import { DtabTestService, isDtabTestDocument } from './test-service.js';
import { readSmallFile } from '../remote/sources.js';

/** Starts the language server on a transport: its state lives as long as the connection. */
/** Sends a notification; once the connection is closed (the client is gone) there is no one to tell. */
function quiet(sent: Promise<void>): void {
  sent.catch(() => undefined);
}

export function startServer(reader: GateReader, writer: MessageWriter): void {
  const connection = createConnection(ProposedFeatures.all, reader, writer, { messageStrategy: reader.handling });
  const service = new DtabService();
  // (The service learns where each edit is, so that it re-reads only what changed.)
  const documents = new TextDocuments(
    service.documents((doc, changes, version) => {
      // The deep findings stay on screen, moved with the text, until the new version's replace them.
      const deep = deepResults.get(doc.uri);
      if (deep) deepResults.set(doc.uri, { version, diagnostics: moveDiagnostics(deep.diagnostics, changes) });
    }),
  );
  const configs = new ConfigService();

  /** Dtab files are ours; any other document (YAML) may hold linkerd/namerd configs. */
  const isDtab = (doc: TextDocument) => doc.languageId === 'linkerd-dtab' || doc.uri.endsWith('.dtab');
  /** Routing assertions (`.dtab-test`): neither a dtab nor a config. */
  const isTest = isDtabTestDocument;

  /**
   * One interpreter per document, built from that document's namers: a lone dtab assumes the namers
   * Linkerd ships at their default prefixes; a dtab in a linkerd/namerd config uses that config's.
   * Kept while the document is open, so namer caches live as long as it.
   */
  let interpreters = new Map<string, Interpreter>();
  /** For YAML: one interpreter per config (its own namers), kept with that config's analysis. */
  let configInterpreters = new WeakMap<FoundConfig, Interpreter>();
  let routerInterpreters = new WeakMap<ConfigRouter, Interpreter>();
  let interpretersOf: object | undefined;
  /** The interpreters' namers read the cluster sources: made again when those change. */
  function freshInterpreters(): void {
    if (interpretersOf === cluster.generation) return;
    interpretersOf = cluster.generation;
    interpreters = new Map();
    configInterpreters = new WeakMap();
    routerInterpreters = new WeakMap();
  }
  function setupFor(namers?: readonly NamerSpec[]): Parameters<typeof interpreterFor>[0] {
    const registry = cluster.registry();
    return { ...(namers ? { namers } : {}), ...(registry ? { registry } : {}) };
  }
  /**
   * The config whose namers answer the dtab at a position of a YAML document, if that dtab's `/#/`
   * paths are answered by them. A router whose `/#/` paths namerd resolves (io.l5d.namerd,
   * io.l5d.mesh…) has its namers in namerd, not in this file: then none (Linkerd's are assumed, as
   * for a lone dtab).
   */
  function configWithNamersAt(uri: string, position?: Position): FoundConfig | undefined {
    return configAt(uri, position)?.own;
  }

  /** The config and router of the dtab at a position of a YAML document. */
  function configAt(uri: string, position?: Position): { config: FoundConfig; own: FoundConfig | undefined; router: ConfigRouter | undefined } | undefined {
    const doc = documents.get(uri);
    if (!doc || isDtab(doc) || !position) return undefined;
    const a = configs.analyze(doc);
    const offset = a.lines.offset(position);
    const config = a.configAt(offset);
    if (!config) return undefined;
    const embedded = a.embeddedAt(offset);
    const owner = embedded?.owner;
    const own = !owner || owner.kind === 'namespace' || routerNamers(owner.interpreter) === 'config';
    return { config, own: own ? config : undefined, router: embedded ? config.routers.find((r) => r.dtab === embedded) : undefined };
  }

  /** The Kubernetes namers of a document (or of the config at a position) with their sources. */
  function k8sUses(uri: string, position?: Position): K8sNamerUse[] {
    const sources = cluster.current;
    if (!sources) return [];
    const namers = configWithNamersAt(uri, position)?.namers ?? assumedNamers();
    return k8sNamerUses(namers, (spec) => sources.forSpec(spec), clusterSettings.podNamespace || undefined);
  }

  function interpreterOf(uri: string, position?: Position): Interpreter {
    freshInterpreters();
    const at = configAt(uri, position);
    // A router with interpreter transformers gets its own interpreter (they apply to its names only).
    if (at?.router && at.router.transformers.length > 0 && cluster.current) {
      let i = routerInterpreters.get(at.router);
      if (!i) {
        const { transformers } = cluster.current.transformers(at.router.transformers);
        routerInterpreters.set(at.router, (i = interpreterFor({ ...setupFor(at.own?.namers), options: { transformers } })));
      }
      return i;
    }
    const config = at?.own;
    if (config) {
      let i = configInterpreters.get(config);
      if (!i) configInterpreters.set(config, (i = interpreterFor(setupFor(config.namers))));
      return i;
    }
    let i = interpreters.get(uri);
    if (!i) interpreters.set(uri, (i = interpreterFor(setupFor())));
    return i;
  }

  interface Settings {
    /** Run the checks that delegate every dentry (cycles, never-used dentries). */
    deepChecks: boolean;
    /** "Test this override" above each dentry. */
    testLens: boolean;
  }
  let settings: Settings = { deepChecks: true, testLens: true };
  let clusterSettings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS;
  let canPullConfiguration = false;
  /** Workspace trust, as the client says it (editors without the notion are trusted). */
  let trusted = true;
  let folders: string[] = [];

  const cluster = new Cluster(
    {
      status: (st) => quiet(connection.sendNotification(ClusterStatusNotification.method, st)),
      changed: () => {
        quiet(connection.sendNotification(ClusterChanged.method, {}));
        // What the cluster says of the open dtabs' paths may have changed.
        for (const doc of documents.all()) if (isDtab(doc)) validate(doc);
      },
    },
    (m) => connection.console.warn(m),
  );

  /** Routing assertions: the tested dtab from the open documents or the disk, the editor's cluster data. */
  const tests = new DtabTestService({
    openText: (uri) => documents.get(uri)?.getText(),
    readFile: (file) => readSmallFile(file),
    registry: () => cluster.registry(),
  });
  /** The latest validation of each test document: an older one that ends later is not published. */
  const testGeneration = new Map<string, number>();

  function validateTest(doc: TextDocument): void {
    const gen = (testGeneration.get(doc.uri) ?? 0) + 1;
    testGeneration.set(doc.uri, gen);
    void configured
      .then(() => tests.run(doc.uri, doc.getText(), doc.version))
      .then(
        (run) => {
          if (testGeneration.get(doc.uri) !== gen) return;
          quiet(connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: tests.diagnostics(run) }));
        },
        (e: unknown) => connection.console.error(`dtab tests failed: ${(e as Error).stack ?? String(e)}`),
      );
  }

  /** The open test documents that read `uri` (their dtab, config or snapshot changed): checked again. */
  function revalidateDependents(uri: string): void {
    for (const t of tests.dependents(uri)) {
      const doc = documents.get(t);
      if (doc) validateTest(doc);
    }
  }

  connection.onInitialize(({ capabilities, initializationOptions, workspaceFolders, rootUri }) => {
    canPullConfiguration = capabilities.workspace?.configuration === true;
    const options = initializationOptions as { trusted?: unknown } | null | undefined;
    if (options && typeof options.trusted === 'boolean') trusted = options.trusted;
    folders = (workspaceFolders ?? (rootUri ? [{ uri: rootUri }] : [])).flatMap((f) => (f.uri.startsWith('file://') ? [fileURLToPath(f.uri)] : []));
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
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'dtab-language-server', version: '0.1.0' },
    };
  });

  /** Settled once the settings are read and the cluster source chosen: requests that bind names wait for it. */
  let markConfigured!: () => void;
  const configured = new Promise<void>((resolve) => (markConfigured = resolve));

  connection.onInitialized(async () => {
    try {
      if (canPullConfiguration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: 'linkerdDtab' });
        await loadSettings();
      }
      cluster.configure(clusterSettings, trusted, folders);
    } catch (e) {
      // A client that refuses the registration or the settings: go on with the defaults.
      connection.console.error(`initialization: ${(e as Error).message}`);
    } finally {
      markConfigured();
    }
    // Documents opened meanwhile were checked without cluster data.
    for (const doc of documents.all()) validate(doc);
  });

  async function loadSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    const s = (await connection.workspace.getConfiguration('linkerdDtab')) as {
      checks?: { deep?: boolean };
      kubernetes?: Partial<Record<keyof ClusterSettings, unknown>>;
      testRequest?: { codeLens?: unknown };
    } | null;
    settings = { deepChecks: s?.checks?.deep ?? true, testLens: s?.testRequest?.codeLens !== false };
    const k = s?.kubernetes ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const source = k.source === 'cluster' || k.source === 'snapshot' || k.source === 'off' ? k.source : 'auto';
    clusterSettings = {
      source,
      kubeconfig: str(k.kubeconfig),
      context: str(k.context),
      snapshot: str(k.snapshot),
      podNamespace: str(k.podNamespace),
      watchAllNamespaces: k.watchAllNamespaces === true,
    };
  }

  connection.onDidChangeConfiguration(async () => {
    try {
      await loadSettings();
      cluster.configure(clusterSettings, trusted, folders);
    } catch (e) {
      connection.console.error(`settings: ${(e as Error).message}`);
    }
    for (const doc of documents.all()) validate(doc);
  });

  connection.onNotification(TrustNotification.method, (p: { trusted?: unknown }) => {
    if (typeof p?.trusted !== 'boolean' || p.trusted === trusted) return;
    trusted = p.trusted;
    cluster.configure(clusterSettings, trusted, folders);
    for (const doc of documents.all()) validate(doc);
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
  let shutDown = false;
  connection.onShutdown(() => {
    // Deep checks under way stop at their next pause.
    shutDown = true;
    cluster.close();
    network.close();
    tests.close();
  });

  // ---- diagnostics: quick ones at once, then the deep ones, abandoned when a newer version comes ----

  const deepResults = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  const generation = new Map<string, number>();

  class Stale extends Error {}

  function publish(doc: TextDocument, quick: Diagnostic[]): void {
    const deep = deepResults.get(doc.uri);
    const extra = deep && deep.version === doc.version ? deep.diagnostics : [];
    quiet(connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [...quick, ...extra] }));
  }

  /** YAML documents that held a config, so that their diagnostics are cleared when it goes. */
  const configUris = new Set<string>();

  function validate(doc: TextDocument): void {
    if (isTest(doc)) {
      validateTest(doc);
      return;
    }
    revalidateDependents(doc.uri);
    if (!isDtab(doc)) {
      const diagnostics = configs.diagnostics(doc);
      const holds = configs.analyze(doc).result.configs.length > 0;
      if (holds || configUris.has(doc.uri)) quiet(connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics }));
      if (holds) configUris.add(doc.uri);
      else configUris.delete(doc.uri);
      return;
    }
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
        setImmediate(() => (!shutDown && generation.get(doc.uri) === gen && documents.get(doc.uri)?.version === doc.version ? resolve() : reject(new Stale()))),
      );
    // Let pending requests (completion, hover) run before the deep checks start.
    setTimeout(() => {
      if (generation.get(doc.uri) !== gen) return;
      const before = deepResults.get(doc.uri);
      service.deepDiagnostics(doc, pause, k8sUses(doc.uri)).then(
        (diagnostics) => {
          if (generation.get(doc.uri) !== gen) return;
          deepResults.set(doc.uri, { version: doc.version, diagnostics });
          const hadSome = before !== undefined && before.version === doc.version && before.diagnostics.length > 0;
          if (diagnostics.length > 0 || hadSome) publish(doc, quick);
        },
        (e: unknown) => {
          if (!(e instanceof Stale)) connection.console.error(`deep checks failed: ${(e as Error).stack ?? String(e)}`);
        },
      );
    }, DEEP_CHECKS_DELAY_MS);
  }

  // (TextDocuments fires onDidChangeContent on open too.) Validation waits for the changes that have
  // already arrived: a burst of keystrokes read in one go is checked once, at its last version. The
  // connection handles one message per turn of the event loop, so the reader says whether a change of
  // the document was read and waits; when the last one has been handled (applied, or ignored as
  // malformed or for a closed document), a validation put off for it runs.
  const pendingValidation = new Map<string, NodeJS.Immediate>();
  const putOff = new Set<string>();
  function scheduleValidation(uri: string): void {
    if (pendingValidation.has(uri)) return;
    pendingValidation.set(
      uri,
      setImmediate(() => {
        pendingValidation.delete(uri);
        const doc = documents.get(uri);
        if (!doc) return;
        if (reader.changeQueued(uri)) putOff.add(uri);
        else validate(doc);
      }),
    );
  }
  documents.onDidChangeContent(({ document }) => scheduleValidation(document.uri));
  reader.onChangesHandled = (uri) => {
    if (putOff.delete(uri)) scheduleValidation(uri);
  };
  documents.onDidClose(({ document }) => {
    clearImmediate(pendingValidation.get(document.uri));
    pendingValidation.delete(document.uri);
    putOff.delete(document.uri);
    service.forget(document.uri);
    configs.forget(document.uri);
    configUris.delete(document.uri);
    deepResults.delete(document.uri);
    generation.delete(document.uri);
    interpreters.delete(document.uri);
    tests.forget(document.uri);
    testGeneration.delete(document.uri);
    // A test of this document now reads it from the disk.
    revalidateDependents(document.uri);
    quiet(connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));
  });

  // ---- features ----------------------------------------------------------------------------------

  function withDoc<T>(uri: string, f: (doc: TextDocument) => T, none: T): T {
    const doc = documents.get(uri);
    return doc ? f(doc) : none;
  }

  /**
   * The dtab a position is in: the .dtab document itself, or the dtab embedded in a YAML config at
   * that position (as an Analysis in file positions). Undefined elsewhere in YAML.
   */
  function dtabAt(uri: string, position?: Position): TextDocument | Analysis | undefined {
    const doc = documents.get(uri);
    if (!doc || isTest(doc)) return undefined;
    if (isDtab(doc)) return doc;
    if (position) return configs.dtabAt(doc, position);
    return configs.analyze(doc).dtabs[0];
  }

  /** A feature on the dtab at a position (any dtab in a YAML file for whole-document features). */
  function onDtab<T>(uri: string, position: Position | undefined, f: (d: TextDocument | Analysis) => T, none: T): T {
    const d = dtabAt(uri, position);
    return d ? f(d) : none;
  }


  connection.onDocumentFormatting(checked([], ({ textDocument }) =>
    withDoc(textDocument.uri, (d) => (isTest(d) ? [] : isDtab(d) ? service.format(d) : formatEmbeddedDtabs(configs.analyze(d))), []),
  ));
  connection.onDocumentRangeFormatting(checked(['range'], ({ textDocument, range }) => withDoc(textDocument.uri, (d) => (isDtab(d) ? service.formatRange(d, range) : []), [])));
  connection.onDocumentSymbol(
    checked([], ({ textDocument }) =>
      withDoc(textDocument.uri, (doc) => (isTest(doc) ? [] : isDtab(doc) ? service.symbols(doc) : configs.analyze(doc).outline((a) => service.symbols(a))), []),
    ),
  );
  connection.onFoldingRanges(checked([], ({ textDocument }) => withDoc(textDocument.uri, (d) => (isDtab(d) ? service.folding(d) : []), [])));
  connection.onSelectionRanges(checked(['positions'], ({ textDocument, positions }) => withDoc(textDocument.uri, (d) => (isDtab(d) ? service.selectionRanges(d, positions) : []), [])));
  connection.onDefinition(checked(['position'], ({ textDocument, position }) => onDtab(textDocument.uri, position, (d) => service.definition(d, position), [])));
  connection.onReferences(checked(['position'], ({ textDocument, position, context }) =>
    onDtab(textDocument.uri, position, (d) => service.references(d, position, context?.includeDeclaration === true), []),
  ));
  connection.onPrepareRename(checked(['position'], ({ textDocument, position }) => onDtab(textDocument.uri, position, (d) => service.prepareRename(d, position) ?? null, null)));
  connection.onRenameRequest(checked(['position', 'newName'], ({ textDocument, position, newName }) =>
    onDtab(
      textDocument.uri,
      position,
      (d) => {
        try {
          return service.rename(d, position, newName) ?? null;
        } catch (e) {
          if (e instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
          throw e;
        }
      },
      null,
    ),
  ));
  connection.onCodeAction(checked(['range'], ({ textDocument, range }) =>
    withDoc(
      textDocument.uri,
      (d) => (isTest(d) ? tests.codeActions(d.uri, range, d.version) : isDtab(d) ? service.codeActions(d, range) : configActions(configs.analyze(d), range)),
      [],
    ),
  ));
  connection.onHover(checked(['position'], async ({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return null;
    const d = dtabAt(textDocument.uri, position);
    if (d) {
      await configured;
      const hover = await service.hover(d, position, interpreterOf(textDocument.uri, position), clusterNote(), k8sUses(textDocument.uri, position));
      return hover ? withTestLink(hover, textDocument.uri, position) : null;
    }
    return isDtab(doc) || isTest(doc) ? null : configHover(configs.analyzeFully(doc), doc, position);
  }));
  connection.onCompletion(checked(['position'], async ({ textDocument, position }) => {
    const test = documents.get(textDocument.uri);
    if (test && isTest(test)) {
      await configured;
      return { isIncomplete: false, items: await tests.completion(test.uri, test.getText(), position) };
    }
    return withDoc(
      textDocument.uri,
      (doc) => {
        const d = dtabAt(textDocument.uri, position);
        if (!d) return isDtab(doc) ? { isIncomplete: false, items: [] } : { isIncomplete: false, items: configCompletion(configs.analyzeFully(doc), doc, position) };
        const items = service.completion(d, position, k8sUses(textDocument.uri, position));
        // Names are capped (MAX_NAMES): ask again as the user types, so no name is out of reach.
        return { isIncomplete: items.length >= MAX_NAMES, items };
      },
      { isIncomplete: false, items: [] },
    );
  }));

  /** A custom request, typed by its one declaration in protocol/. */
  function onRequest<P, R>(req: Request<P, R>, required: readonly string[], handler: (params: P) => R | Promise<R>, onDocument = true): void {
    connection.onRequest(req.method, checked(required, handler, onDocument));
  }

  onRequest(Delegate, ['path'], async ({ uri, path, position }): Promise<DelegateResult> => {
    const d = dtabAt(uri, position) ?? dtabAt(uri);
    if (!d) return { ok: false, message: documents.get(uri) ? 'There is no dtab here.' : `${uri} is not open` };
    await configured;
    const at = position ?? { line: 0, character: 0 };
    const uses = k8sUses(uri, at);
    const result = await delegateInDocument('syntax' in d ? d : service.analyze(d), path, interpreterOf(uri, at), (p) => explainNegative(p, uses));
    return result.ok && result.boundByNamer && cluster.status().state !== 'none' ? { ...result, cluster: cluster.status() } : result;
  });
  onRequest(Contexts, [], () => cluster.contexts(), false);
  onRequest(RunTests, [], async ({ uri }) => {
    await configured;
    const doc = documents.get(uri);
    let text = doc?.getText();
    if (text === undefined) {
      if (!uri.startsWith('file://')) return { ok: false as const, message: `${uri} is not open` };
      try {
        text = await readSmallFile(fileURLToPath(uri));
      } catch (e) {
        return { ok: false as const, message: `Cannot read ${uri}: ${(e as Error).message}` };
      }
      if (text === undefined) return { ok: false as const, message: `${uri} does not exist` };
    }
    return tests.result(await tests.run(uri, text, doc?.version));
  });
  onRequest(SaveSnapshot, [], () => cluster.snapshot() ?? null, false);

  /** Where cluster data comes from, for hovers: none when there is no cluster data. */
  function clusterNote(): string | undefined {
    const st = cluster.status();
    return st.state === 'none' ? undefined : st.detail;
  }
  onRequest(SuggestPaths, [], ({ uri, position }) => onDtab(uri, position, (d) => service.suggestPaths(d), []));

  // ---- network features: namerd, server-side delegation, routing impact, test requests ----

  /** The URLs the user configured, read afresh (a request may follow a settings change at once). */
  async function networkSettings(): Promise<NetworkSettings> {
    const s = canPullConfiguration
      ? ((await connection.workspace.getConfiguration('linkerdDtab')) as {
          namerd?: { servers?: unknown };
          linkerd?: { admins?: unknown };
          testRequests?: unknown;
          network?: { timeoutSeconds?: unknown };
          zipkin?: { url?: unknown };
        } | null)
      : null;
    const urls = (v: unknown): string[] =>
      (Array.isArray(v) ? v : []).flatMap((e: unknown) => (typeof e === 'string' ? [e] : typeof e === 'object' && e !== null && typeof (e as { url?: unknown }).url === 'string' ? [(e as { url: string }).url] : []));
    const t = s?.network?.timeoutSeconds;
    return {
      namerd: urls(s?.namerd?.servers),
      linkerdAdmins: urls(s?.linkerd?.admins),
      routers: urls(s?.testRequests),
      zipkin: typeof s?.zipkin?.url === 'string' && s.zipkin.url.trim() !== '' ? [s.zipkin.url] : urls(s?.zipkin?.url),
      timeoutMs: typeof t === 'number' && t >= 1 && t <= 300 ? t * 1000 : 10_000,
    };
  }

  function dtabAnalysis(uri: string, position?: Position): Analysis | undefined {
    const d = dtabAt(uri, position) ?? dtabAt(uri);
    return d ? ('syntax' in d ? d : service.analyze(d)) : undefined;
  }

  const network = new Network({
    trusted: () => trusted,
    settings: networkSettings,
    notify: (change) => quiet(connection.sendNotification(NamerdChanged.method, change)),
    dtabOf: (uri, position) => {
      const a = dtabAnalysis(uri, position);
      if (!a) return undefined;
      const at = position ?? { line: 0, character: 0 };
      return {
        dtab: a.dtab,
        text: a.text,
        interpreter: interpreterOf(uri, at),
        dentryAtLine: (line) => {
          const d = a.dentries.find((e) => a.line(e.start) <= line && line <= a.line(Math.max(e.start, e.end - 1)));
          return d ? a.text.slice(d.start, d.end) : undefined;
        },
      };
    },
    interpreter: () => {
      freshInterpreters();
      return interpreterFor(setupFor());
    },
    services: async () => (await cluster.current?.serviceNames()) ?? [],
  });

  onRequest(NamerdList, ['server'], ({ server }) => network.list(server), false);
  onRequest(NamerdGet, ['server', 'ns'], ({ server, ns }) => network.get(server, ns), false);
  onRequest(NamerdPush, ['server', 'ns', 'text'], (p) => network.push(p), false);
  onRequest(NamerdDelete, ['server', 'ns'], ({ server, ns }) => network.remove(server, ns), false);
  onRequest(NamerdWatch, ['server'], ({ server, ns, stop }) => network.watch(server, ns, stop === true), false);
  onRequest(Impact, ['before', 'after'], async (p) => {
    await configured;
    return network.impact(p);
  }, false);
  onRequest(Merge, ['base', 'theirs', 'yours'], ({ base, theirs, yours }) => network.merge(base, theirs, yours), false);
  onRequest(ServerDelegate, ['target', 'path'], async (p) => {
    await configured;
    return network.serverDelegate(p);
  }, false);
  onRequest(TestOverride, ['request'], (p) => network.testOverride(p), false);

  const canaries = new Canaries({
    trusted: () => trusted,
    folder: () => folders[0],
    allowed: (url, list) => network.configured(url, list),
    kube: () => ({ kubeconfig: clusterSettings.kubeconfig, context: clusterSettings.context }),
  });
  onRequest(CanaryStart, ['target'], (p) => canaries.start(p), false);
  onRequest(CanaryAction, ['action'], (p) => canaries.action(p), false);
  // ---- Zipkin traces (the same trust and settings checks) ----
  const zipkin = new Zipkin({ trusted: () => trusted, settings: networkSettings });
  onRequest(ZipkinServices, ['server'], ({ server }) => zipkin.services(server), false);
  onRequest(ZipkinTraces, ['server'], (p) => zipkin.traces(p), false);
  onRequest(ZipkinTrace, ['server', 'traceId'], ({ server, traceId }) => zipkin.trace(server, traceId), false);

  /** "Test this override" and "Start canary…" above each dentry of a dtab file (trusted workspaces only). */
  connection.onCodeLens(checked([], ({ textDocument }) =>
    withDoc(
      textDocument.uri,
      (doc) => {
        if (!trusted || !settings.testLens || !isDtab(doc)) return [];
        const a = service.analyze(doc);
        return a.dentries.flatMap((d, i) => {
          const line = a.line(d.start);
          const range = { start: { line, character: 0 }, end: { line, character: 0 } };
          return [
            { range, command: { title: 'Test this override', command: 'linkerdDtab.testOverride', arguments: [textDocument.uri, line], tooltip: `Send a request through linkerd with l5d-dtab: ${a.dentryText(i)}` } },
            {
              range,
              command: {
                title: 'Start canary…',
                command: 'linkerdDtab.startCanary',
                arguments: [textDocument.uri, line, a.text.slice(d.prefix.start, d.prefix.end), printTree(a.text, d.dst)],
                tooltip: 'Shift this name\'s traffic to a new destination step by step (10% → 25% → 50% → 100%)',
              },
            },
          ];
        });
      },
      [],
    ),
  ));

  /** A dentry's hover ends with a link that sends it as an override (trusted workspaces only). */
  function withTestLink<H extends { contents: unknown }>(hover: H, uri: string, position: Position): H {
    const doc = documents.get(uri);
    if (!trusted || !doc || !isDtab(doc)) return hover;
    const a = service.analyze(doc);
    const offset = a.lines.offset(position);
    const d = a.dentries.find((e) => e.start <= offset && offset <= e.end);
    const c = hover.contents as { kind?: string; value?: string };
    if (!d || c.kind !== 'markdown' || typeof c.value !== 'string') return hover;
    const args = encodeURIComponent(JSON.stringify([uri, a.line(d.start)]));
    return { ...hover, contents: { kind: 'markdown', value: `${c.value}\n\n[Test this override](command:linkerdDtab.testOverride?${args} "Send a request through linkerd with this dentry as l5d-dtab")` } };
  }

  documents.listen(connection);
  connection.listen();
}
