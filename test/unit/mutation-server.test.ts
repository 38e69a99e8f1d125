// The server's services without a connection (server/dtab-service.ts, config-service.ts,
// config-features.ts, delegation.ts, params.ts): what each feature answers for a document, as the
// LSP shapes the client receives, compared whole (ranges, kinds, texts, edits), plus the caching
// that keeps one analysis per version. Fast and exact, so that a mutant of the server's
// conversions or caches fails here first (the LSP suites go through a spawned server).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { CompletionItemKind, DiagnosticSeverity, DiagnosticTag, FoldingRangeKind, InsertTextFormat, SymbolKind } from 'vscode-languageserver-types';
import { IncrementalDtab, interpreterFor, RenameError, type Interpreter, type K8sNamerUse } from '../../core/index.js';
import { snapshotSource } from '../../core/k8s/snapshot.js';
import { snapshotList, worldService } from '../support/snapshot.js';
import { configActions, configCompletion, configHover } from '../../server/config-features.js';
import { ConfigService, formatEmbeddedDtabs } from '../../server/config-service.js';
import { delegateInDocument, delegationNodes } from '../../server/delegation.js';
import { DtabService, offsetOf } from '../../server/dtab-service.js';
import { checked, checkParams } from '../../server/params.js';

const URI = 'file:///x.dtab';
const dtab = (text: string, version = 1, uri = URI) => TextDocument.create(uri, 'linkerd-dtab', version, text);
const yaml = (text: string, version = 1, uri = 'file:///l.yaml') => TextDocument.create(uri, 'yaml', version, text);
const pos = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: pos(l1, c1), end: pos(l2, c2) });
const loc = (uri: string, l1: number, c1: number, l2: number, c2: number) => ({ uri, range: range(l1, c1, l2, c2) });

/** One service, world, in namespace default, with a port named http. */
const CLUSTER = snapshotList(worldService('default', '10.0.0.1'));
const USES: K8sNamerUse[] = [{ shape: { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s' }, source: snapshotSource(CLUSTER, 'cluster.yaml') }];

const TEXT = '# routes\n/svc => /#/io.l5d.k8s/default/http ;\n/a=>/svc/x|/b;\n/b => /$/inet/127.1/8080 ;\n';

describe('DtabService: one analysis per document version', () => {
  it('returns the same analysis for the same version, a new one for a new version or another document', () => {
    const s = new DtabService();
    const a1 = s.analyze(dtab(TEXT, 1));
    assert.equal(s.analyze(dtab(TEXT, 1)), a1);
    const a2 = s.analyze(dtab(TEXT + '/c => /d ;\n', 2));
    assert.notEqual(a2, a1);
    assert.equal(a2.version, 2);
    assert.equal(a2.dentries.length, 4);
    const other = s.analyze(dtab(TEXT, 1, 'file:///y.dtab'));
    assert.notEqual(other, a1);
    assert.equal(other.uri, 'file:///y.dtab');
  });
  it('reads a new text at the same uri after forget, and after a document opened again', () => {
    const s = new DtabService();
    const config = s.documents();
    const doc = config.create(URI, 'linkerd-dtab', 1, '/a => /b ;');
    assert.equal(s.analyze(doc).dentries.length, 1);
    s.forget(URI);
    assert.equal(s.analyze(dtab('/a => /b ;\n/c => /d ;', 1)).dentries.length, 2, 'forget drops the cached version 1');
    // Opened again without a close: a new text, compared whole, not the edit noted before.
    const again = config.create(URI, 'linkerd-dtab', 5, '/x => /y ;');
    assert.deepEqual(s.symbols(again).map((x) => x.name), ['/x']);
  });
  it('an edit noted through documents() gives what a fresh analysis gives; onChange hears it first', () => {
    const s = new DtabService();
    const heard: [string, number, number][] = [];
    const config = s.documents((doc, changes, version) => heard.push([doc.getText(), changes.length, version]));
    let doc = config.create(URI, 'linkerd-dtab', 1, '/a => /b ;\n/c => /d ;\n');
    s.analyze(doc);
    doc = config.update(doc, [{ range: range(1, 6, 1, 8), text: '/e /f' }], 2);
    assert.deepEqual(heard, [['/a => /b ;\n/c => /d ;\n', 1, 2]]);
    assert.equal(doc.getText(), '/a => /b ;\n/c => /e /f ;\n');
    const expected = new DtabService().diagnostics(dtab(doc.getText(), 2));
    assert.equal(expected.length, 1);
    assert.deepEqual(s.diagnostics(doc), expected);
    // Several changes at once, and a whole-text change, are compared as texts.
    doc = config.update(doc, [{ range: range(0, 0, 0, 0), text: '# x\n' }, { range: range(0, 0, 0, 0), text: '# y\n' }], 3);
    assert.deepEqual(s.symbols(doc).map((x) => x.name), ['/a', '/c']);
    doc = config.update(doc, [{ text: '/q => /r ;' }], 4);
    assert.deepEqual(s.symbols(doc).map((x) => x.name), ['/q']);
  });
  it('tells the engine where each noted edit is (so it re-reads only that dentry); a burst combined; anything else compared whole', (t) => {
    const calls: [string, unknown][] = [];
    const update = IncrementalDtab.prototype.update;
    t.mock.method(IncrementalDtab.prototype, 'update', function (this: IncrementalDtab, text: string, change?: unknown) {
      calls.push([text, change]);
      return update.call(this, text, change as never);
    });
    const s = new DtabService();
    const config = s.documents();
    let doc = config.create(URI, 'linkerd-dtab', 1, '/a => /b ;\n/c => /d ;\n');
    s.analyze(doc);
    s.analyze(doc);
    assert.deepEqual(calls, [], 'the same version: no update');
    // One ranged change: its place (the line offsets read without the text).
    doc = config.update(doc, [{ range: range(1, 6, 1, 8), text: '/e' }], 2);
    s.analyze(doc);
    assert.deepEqual(calls, [['/a => /b ;\n/c => /e ;\n', { start: 17, oldEnd: 19, newEnd: 19 }]]);
    // A burst of two before the analysis reads them: combined into one change.
    doc = config.update(doc, [{ range: range(0, 1, 0, 2), text: 'xy' }], 3);
    doc = config.update(doc, [{ range: range(1, 7, 1, 7), text: 'z' }], 4);
    s.analyze(doc);
    assert.deepEqual(calls[1], ['/xy => /b ;\n/c => /ze ;\n', { start: 1, oldEnd: 18, newEnd: 20 }]);
    // Two changes in one event, or a whole-text change: no place, compared whole.
    doc = config.update(doc, [{ range: range(0, 0, 0, 0), text: '#\n' }, { range: range(0, 0, 0, 0), text: '#\n' }], 5);
    s.analyze(doc);
    doc = config.update(doc, [{ text: '/q => /r ;' }], 6);
    s.analyze(doc);
    assert.deepEqual(calls.slice(2), [
      ['#\n#\n/xy => /b ;\n/c => /ze ;\n', undefined],
      ['/q => /r ;', undefined],
    ]);
    // Opened again without a close: compared whole.
    doc = config.create(URI, 'linkerd-dtab', 7, '/q => /s ;');
    s.analyze(doc);
    assert.deepEqual(calls[4], ['/q => /s ;', undefined]);
  });

  it('noteChanges on a document it never analysed does nothing', () => {
    const s = new DtabService();
    const doc = dtab('/a => /b ;');
    s.noteChanges(doc, [{ range: range(0, 0, 0, 0), text: 'x' }]);
    assert.deepEqual(s.symbols(doc).map((x) => x.name), ['/a']);
  });
});

describe('offsetOf: the line offsets where they suffice', () => {
  /** offsetOf's answer, and the positions it asked doc.offsetAt for. */
  const asked = (text: string, p: { line: number; character: number }) => {
    const doc = dtab(text);
    const calls: unknown[] = [];
    const offsetAt = doc.offsetAt.bind(doc);
    doc.offsetAt = (q) => (calls.push({ ...q }), offsetAt(q));
    return [offsetOf(doc, p), calls];
  };
  it('inside a line: the starts of the line and the next, never the position itself', () => {
    assert.deepEqual(asked('/a => /b ;\n/c => /d ;\n', pos(1, 3)), [14, [pos(1, 0), pos(2, 0)]]);
    assert.deepEqual(asked('/a => /b ;\n/c => /d ;', pos(1, 3)), [14, [pos(1, 0)]], 'the last line ends at the text');
    assert.deepEqual(asked('/a => /b ;\n', pos(0, 9)), [9, [pos(0, 0), pos(1, 0)]]);
  });
  it('where the line break may be (the last two characters), at the line start, or off the text: offsetAt itself', () => {
    assert.deepEqual(asked('/a => /b ;\r\n/c', pos(0, 10)), [10, [pos(0, 0), pos(1, 0)]], 'two characters before the next line: this line still');
    assert.deepEqual(asked('/a => /b ;\r\n/c', pos(0, 11)), [10, [pos(0, 0), pos(1, 0), pos(0, 11)]], 'between \\r and \\n: offsetAt puts it before the break');
    assert.deepEqual(asked('/a => /b ;\n', pos(0, 10)), [10, [pos(0, 0), pos(1, 0), pos(0, 10)]]);
    assert.deepEqual(asked('/a => /b ;\n', pos(0, 0)), [0, [pos(0, 0)]]);
    assert.deepEqual(asked('/a => /b ;\n', pos(-1, 2)), [0, [pos(-1, 2)]]);
    assert.deepEqual(asked('/a => /b ;\n', pos(2, 2)), [11, [pos(2, 2)]]);
    assert.deepEqual(asked('/a => /b ;\n', pos(1, 0)), [11, [pos(1, 0)]]);
  });
});

describe('DtabService: the language features as LSP shapes', () => {
  const s = new DtabService();
  const doc = dtab(TEXT);
  it('diagnostics: none for a clean dtab; a syntax error with its range', () => {
    assert.deepEqual(s.diagnostics(doc), []);
    assert.deepEqual(s.diagnostics(dtab('/a => /b ;\n/c => /d /e\n', 2, 'file:///e.dtab')), [
      { range: range(1, 9, 1, 10), severity: DiagnosticSeverity.Error, code: 'expected-end', source: 'dtab', message: "Missing ';' between dentries: dentries are separated by ';', not by new lines." },
    ]);
  });
  it('format: the whole document aligned; formatRange: the dentries in the range', () => {
    assert.deepEqual(s.format(doc), [{ range: range(0, 0, 4, 0), newText: '# routes\n/svc  => /#/io.l5d.k8s/default/http ;\n/a    => /svc/x | /b ;\n/b    => /$/inet/127.1/8080 ;\n' }]);
    assert.deepEqual(s.formatRange(doc, range(2, 0, 2, 3)), [{ range: range(2, 0, 2, 14), newText: '/a    => /svc/x | /b ;' }]);
  });
  it('symbols: each dentry with its rule as the detail', () => {
    assert.deepEqual(s.symbols(doc), [
      { name: '/svc', detail: '=> /#/io.l5d.k8s/default/http', kind: SymbolKind.Key, range: range(1, 0, 1, 36), selectionRange: range(1, 0, 1, 4) },
      { name: '/a', detail: '=> /svc/x | /b', kind: SymbolKind.Key, range: range(2, 0, 2, 14), selectionRange: range(2, 0, 2, 2) },
      { name: '/b', detail: '=> /$/inet/127.1/8080', kind: SymbolKind.Key, range: range(3, 0, 3, 26), selectionRange: range(3, 0, 3, 2) },
    ]);
  });
  it('folding: comment blocks as comments, dentries over several lines as regions', () => {
    const f = s.folding(dtab('# one\n# two\n/a =>\n  /b |\n  /c ;\n', 1, 'file:///f.dtab'));
    assert.deepEqual(f, [
      { startLine: 0, endLine: 1, kind: FoldingRangeKind.Comment },
      { startLine: 2, endLine: 4, kind: FoldingRangeKind.Region },
    ]);
  });
  it('selectionRanges: innermost first, each with its parent; a position in nothing is itself', () => {
    assert.deepEqual(s.selectionRanges(doc, [pos(2, 1), pos(0, 3)]), [
      { range: range(2, 1, 2, 2), parent: { range: range(2, 0, 2, 2), parent: { range: range(2, 0, 2, 14), parent: { range: range(0, 0, 4, 0) } } } },
      { range: range(0, 0, 4, 0) },
    ]);
    assert.deepEqual(s.selectionRanges(dtab('', 1, 'file:///empty.dtab'), [pos(0, 0)]), [{ range: range(0, 0, 0, 0) }]);
  });
  it('definition, references (with and without the declaration), prepareRename and rename', () => {
    assert.deepEqual(s.definition(doc, pos(2, 5)), [loc(URI, 1, 0, 1, 4)]);
    assert.deepEqual(s.references(doc, pos(1, 2), true), [loc(URI, 1, 0, 1, 4), loc(URI, 2, 4, 2, 10)]);
    assert.deepEqual(s.references(doc, pos(1, 2), false), [loc(URI, 2, 4, 2, 10)]);
    assert.deepEqual(s.prepareRename(doc, pos(1, 2)), { range: range(1, 1, 1, 4), placeholder: 'svc' });
    assert.equal(s.prepareRename(doc, pos(1, 6)), undefined);
    assert.deepEqual(s.rename(doc, pos(1, 2), 'service'), {
      changes: {
        [URI]: [
          { range: range(1, 1, 1, 4), newText: 'service' },
          { range: range(2, 5, 2, 8), newText: 'service' },
        ],
      },
    });
    assert.equal(s.rename(doc, pos(1, 6), 'x'), undefined);
    assert.throws(() => s.rename(doc, pos(1, 2), 'a/b'), RenameError);
  });
  it('hover: markdown with the range of what it explains; nothing over a comment', async () => {
    assert.deepEqual(await s.hover(doc, pos(3, 1), interpreterFor()), {
      contents: { kind: 'markdown', value: '**`/b => /$/inet/127.1/8080`**\n\nRequests for `/b/…` are sent to `/$/inet/127.1/8080/…`.' },
      range: range(3, 0, 3, 2),
    });
    assert.equal(await s.hover(doc, pos(0, 3), interpreterFor()), undefined);
  });
  it('completion: the namers first, as snippets with their ranges', () => {
    const items = s.completion(doc, pos(2, 5));
    assert.deepEqual(items[0], {
      label: '/#/io.l5d.fs',
      kind: CompletionItemKind.Module,
      detail: '/#/io.l5d.fs/<file>',
      documentation: { kind: 'markdown', value: 'A file in the configured `rootDir`: one `host port` per line.' },
      textEdit: { range: range(2, 4, 2, 5), newText: '/#/io.l5d.fs/${1:file}' },
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: '2io.l5d.fs',
      filterText: '/#/io.l5d.fs',
    });
  });
  it('suggestPaths: the prefixes, then the paths the rules name', () => {
    assert.deepEqual(s.suggestPaths(doc), ['/svc', '/a', '/b', '/#/io.l5d.k8s/default/http', '/svc/x']);
  });
});

describe('DtabService: deep checks, the cluster, and their quick fixes', () => {
  const text = '/a => /b ;\n/a => /$/inet/127.1/1 ;\n/w => /#/io.l5d.k8s/default/http/wrld ;\n/v => /#/io.l5d.k8s/default/http/';
  it("deep diagnostics with the cluster's findings; their quick fixes only for the version they were found in", async () => {
    const s = new DtabService();
    const doc = dtab(text, 1);
    assert.deepEqual(s.codeActions(doc, range(2, 0, 2, 40)), [], 'before the deep checks ran, no quick fix');
    assert.deepEqual(await s.deepDiagnostics(doc, undefined, USES), [
      {
        range: range(0, 0, 0, 8),
        severity: DiagnosticSeverity.Warning,
        code: 'unreachable-dentry',
        source: 'dtab',
        message: "Never used: line 2 ('/a => /$/inet/127.1/1') comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.",
        tags: [DiagnosticTag.Unnecessary],
        relatedInformation: [{ location: loc(URI, 1, 0, 1, 21), message: 'the dentry that always answers first' }],
      },
      { range: range(2, 33, 2, 37), severity: DiagnosticSeverity.Warning, code: 'k8s-no-service', source: 'cluster: snapshot cluster.yaml', message: "no service 'wrld' in namespace default (services: world)" },
    ]);
    const fixes = s.codeActions(doc, range(0, 0, 2, 40));
    assert.deepEqual(
      fixes.map((c) => [c.title, c.edit]),
      [["Change to 'world'", { changes: { [URI]: [{ range: range(2, 33, 2, 37), newText: 'world' }] } }]],
    );
    assert.deepEqual(s.codeActions(dtab(text, 2), range(0, 0, 2, 40)), [], 'a newer version has no deep findings yet');
    s.forget(URI);
    assert.deepEqual(s.codeActions(doc, range(0, 0, 2, 40)), [], 'forget drops the deep findings');
  });
  it('deep diagnostics without the cluster: only the dtab checks', async () => {
    const s = new DtabService();
    assert.deepEqual((await s.deepDiagnostics(dtab(text))).map((d) => d.code), ['unreachable-dentry']);
  });
  it("completion in a Kubernetes path offers the cluster's names before anything else", () => {
    const s = new DtabService();
    assert.deepEqual(s.completion(dtab(text), pos(3, 33), USES), [
      { label: 'world', kind: CompletionItemKind.Reference, detail: 'service in snapshot cluster.yaml', textEdit: { range: range(3, 33, 3, 33), newText: 'world' }, sortText: '00000', filterText: 'world' },
    ]);
    assert.equal(s.completion(dtab(text), pos(3, 33))[0]!.label !== 'world', true, 'without the cluster, the usual completion');
  });
  it('hover names the cluster it asked', async () => {
    const s = new DtabService();
    assert.deepEqual(await s.hover(dtab(text), pos(2, 36), interpreterFor(), 'snapshot cluster.yaml', USES), {
      contents: {
        kind: 'markdown',
        value:
          '**`/#/io.l5d.k8s/default/http/wrld`** in this dtab (namer `/#/io.l5d.k8s/<namespace>/<port>/<service>`)\n\n```text\n→ /#/io.l5d.k8s/default/http/wrld: unresolved here: io.l5d.k8s resolves it at run time\n```\n\n**Routes to**\n\n- 100% → /#/io.l5d.k8s/default/http/wrld (unresolved here: io.l5d.k8s resolves it at run time)\n\nCluster: snapshot cluster.yaml',
      },
      range: range(2, 6, 2, 37),
    });
  });
});

const LINKERD = [
  'admin:',
  '  port: 9990',
  'namers:',
  '- kind: io.l5d.k8s',
  '  hst: localhost',
  'routers:',
  '- protocol: http',
  '  label: web',
  '  dtab: |',
  '    /svc=>/#/io.l5d.k8s/default/http;',
  '    /x => /svc/a|/svc/b ;',
  '  servers:',
  '  - port: 4140',
  '',
].join('\n');
const UNKNOWN_KEY = "Unknown key 'hst' in the 'io.l5d.k8s' namer: Linkerd rejects the whole config. Did you mean 'host'?";

describe('ConfigService and the config features', () => {
  it('diagnostics and their quick fix, in file positions', () => {
    const s = new ConfigService();
    const doc = yaml(LINKERD);
    const diagnostic = { range: range(4, 2, 4, 5), severity: DiagnosticSeverity.Error, code: 'unknown-key', source: 'dtab', message: UNKNOWN_KEY };
    assert.deepEqual(s.diagnostics(doc), [diagnostic]);
    assert.deepEqual(configActions(s.analyze(doc), range(4, 0, 4, 5)), [
      { title: "Change to 'host'", kind: 'quickfix', diagnostics: [diagnostic], isPreferred: true, edit: { changes: { 'file:///l.yaml': [{ range: range(4, 2, 4, 5), newText: 'host' }] } } },
    ]);
    assert.deepEqual(configActions(s.analyze(doc), range(1, 0, 1, 5)), []);
  });
  it('hover over a key, over a kind; nothing inside an embedded dtab or outside any config', () => {
    const s = new ConfigService();
    const doc = yaml(LINKERD);
    const a = s.analyzeFully(doc);
    assert.deepEqual(configHover(a, doc, pos(1, 3)), {
      contents: { kind: 'markdown', value: '**`port`**: port\n\nPort of the admin HTTP server and dashboard.\n\nDefault: 9990 (linkerd), 9991 (namerd)' },
      range: range(1, 2, 1, 6),
    });
    assert.deepEqual(configHover(a, doc, pos(3, 10)), {
      contents: { kind: 'markdown', value: '**`io.l5d.k8s`**\n\nDiscovers Kubernetes service endpoints through the Kubernetes API (usually kubectl proxy).' },
      range: range(3, 8, 3, 18),
    });
    assert.equal(configHover(a, doc, pos(9, 5)), null);
    assert.equal(configHover(a, doc, pos(4, 3)), null, 'an unknown key has no documentation');
    const plain = yaml('just: yaml\n', 1, 'file:///p.yaml');
    assert.equal(configHover(s.analyzeFully(plain), plain, pos(0, 1)), null);
    assert.deepEqual(configCompletion(s.analyzeFully(plain), plain, pos(0, 1)), []);
  });
  it('completion of kinds (the variants) and of keys (replacing the key under the cursor)', () => {
    const s = new ConfigService();
    const doc = yaml(LINKERD);
    const a = s.analyzeFully(doc);
    assert.deepEqual(configCompletion(a, doc, pos(3, 10)).slice(0, 2), [
      { label: 'io.l5d.fs', kind: CompletionItemKind.EnumMember, documentation: { kind: 'markdown', value: 'Discovers services from files in a directory, one file per service.' }, textEdit: { range: range(3, 8, 3, 18), newText: 'io.l5d.fs' } },
      { label: 'io.l5d.serversets', kind: CompletionItemKind.EnumMember, documentation: { kind: 'markdown', value: 'Discovers services from ZooKeeper serversets.' }, textEdit: { range: range(3, 8, 3, 18), newText: 'io.l5d.serversets' } },
    ]);
    const keys = configCompletion(a, doc, pos(1, 3));
    assert.deepEqual(
      keys.map((c) => [c.label, c.sortText, c.textEdit]),
      ['ip', 'port', 'socketOptions', 'shutdownGraceMs', 'security', 'tls', 'httpIdentifierPort', 'workerThreads'].map((k) => [k, `1${k}`, { range: range(1, 2, 1, 6), newText: k }]),
    );
    assert.deepEqual(keys[1], {
      label: 'port',
      kind: CompletionItemKind.Property,
      detail: 'port',
      documentation: { kind: 'markdown', value: '**`port`**: port\n\nPort of the admin HTTP server and dashboard.\n\nDefault: 9990 (linkerd), 9991 (namerd)' },
      insertText: 'port: ',
      sortText: '1port',
      textEdit: { range: range(1, 2, 1, 6), newText: 'port' },
    });
  });
  it('a new key in a block without its kind: the kind first, keys already there left out, no textEdit', () => {
    const s = new ConfigService();
    const doc = yaml('namers:\n- prefix: /x\n  \nrouters:\n- protocol: http\n', 1, 'file:///n.yaml');
    assert.deepEqual(
      configCompletion(s.analyzeFully(doc), doc, pos(2, 2)).map((c) => [c.label, c.sortText, c.insertText, c.textEdit]),
      [
        ['kind', '0kind', 'kind: ', undefined],
        ['experimental', '1experimental', 'experimental: ', undefined],
        ['transformers', '1transformers', 'transformers: ', undefined],
      ],
    );
  });
  it('a new key on the blank lines at the end of the file belongs to the config above; not past a document separator', () => {
    const s = new ConfigService();
    const doc = yaml('routers:\n- protocol: http\n  \n\t\r\n', 1, 'file:///end.yaml');
    const a = s.analyzeFully(doc);
    assert.deepEqual(a.result.configs.map((c) => c.span), [{ start: 0, end: 26 }]);
    assert.equal(a.configAt(31), a.result.configs[0]);
    const labels = (d: TextDocument, p: { line: number; character: number }) => configCompletion(s.analyzeFully(d), d, p).map((c) => c.label);
    assert.deepEqual(labels(doc, pos(2, 2)).slice(0, 3), ['label', 'dtab', 'dstPrefix'], 'protocol is there already');
    assert.deepEqual(labels(doc, pos(3, 0)), ['admin', 'namers', 'telemetry', 'usage'], 'column 0 of a later line: the root keys but routers');
    const separated = yaml('routers:\n- protocol: http\n---\n  \n', 1, 'file:///sep.yaml');
    assert.equal(s.analyzeFully(separated).configAt(31), undefined);
    assert.deepEqual(labels(separated, pos(3, 2)), []);
  });
  it('the outline: each embedded dtab under its router', () => {
    const s = new ConfigService();
    const d = new DtabService();
    assert.deepEqual(
      s.analyze(yaml(LINKERD)).outline((x) => d.symbols(x)),
      [
        {
          name: 'router web',
          detail: 'http',
          kind: SymbolKind.Namespace,
          range: range(8, 8, 11, 0),
          selectionRange: range(8, 8, 11, 0),
          children: [
            { name: '/svc', detail: '=> /#/io.l5d.k8s/default/http', kind: SymbolKind.Key, range: range(9, 4, 9, 37), selectionRange: range(9, 4, 9, 8) },
            { name: '/x', detail: '=> /svc/a | /svc/b', kind: SymbolKind.Key, range: range(10, 4, 10, 25), selectionRange: range(10, 4, 10, 6) },
          ],
        },
      ],
    );
  });
  it('dtab features inside the embedded dtab, in file positions', () => {
    const s = new ConfigService();
    const d = new DtabService();
    const doc = yaml(LINKERD);
    const e = s.dtabAt(doc, pos(10, 6))!;
    assert.deepEqual(d.definition(e, pos(10, 10)), [loc('file:///l.yaml', 9, 4, 9, 8)]);
    assert.deepEqual(d.references(e, pos(9, 6), false), [loc('file:///l.yaml', 10, 10, 10, 16), loc('file:///l.yaml', 10, 17, 10, 23)]);
    assert.equal(e.offset(pos(10, 6)), 36, 'the offset in the dtab text');
    assert.equal(s.dtabAt(doc, pos(1, 3)), undefined);
    const a = s.analyze(doc);
    assert.equal(a.dtabs.length, 1);
    assert.equal(a.dtabAt(a.lines.offset(pos(10, 6))), a.dtabs[0], 'one Analysis per embedded dtab');
    assert.equal(a.configAt(0)?.kind, 'linkerd');
    assert.equal(a.embeddedAt(0), undefined);
  });
  it('typing in the embedded dtab re-checks only it (stale YAML); analyzeFully reads the YAML again', () => {
    const s = new ConfigService();
    const a1 = s.analyze(yaml(LINKERD, 1));
    assert.equal(a1.stale, false);
    assert.equal(s.analyze(yaml(LINKERD, 1)), a1);
    const typed = LINKERD.replace('/svc/b ;', '/svc/b /c ;');
    const doc2 = yaml(typed, 2);
    const a2 = s.analyze(doc2);
    assert.equal(a2.stale, true);
    assert.equal(a2.text, typed);
    assert.deepEqual(s.diagnostics(doc2).map((d) => [d.code, d.range]), [
      ['unknown-key', range(4, 2, 4, 5)],
      ['expected-end', range(10, 24, 10, 25)],
    ]);
    const full = s.analyzeFully(doc2);
    assert.equal(full.stale, false);
    assert.equal(s.analyzeFully(doc2), full);
    assert.equal(s.analyze(doc2), full);
    s.forget('file:///l.yaml');
    assert.equal(s.analyze(doc2).stale, false, 'after forget, a whole check');
  });
});

describe('formatEmbeddedDtabs', () => {
  it("formats a literal block's dtab keeping its indentation", () => {
    const s = new ConfigService();
    assert.deepEqual(formatEmbeddedDtabs(s.analyze(yaml(LINKERD))), [{ range: range(9, 0, 10, 25), newText: '    /svc  => /#/io.l5d.k8s/default/http ;\n    /x    => /svc/a | /svc/b ;' }]);
  });
  it('inside a ConfigMap string, both levels of indentation', () => {
    const cm = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: l5d', 'data:', '  config.yaml: |-', '    routers:', '    - protocol: http', '      dtab: |', '        /a=>/b;', '        /c=>/d|/e;', '      servers:', '      - port: 1', ''].join('\n');
    const s = new ConfigService();
    assert.deepEqual(s.diagnostics(yaml(cm)), []);
    assert.deepEqual(formatEmbeddedDtabs(s.analyze(yaml(cm))), [{ range: range(9, 0, 10, 18), newText: '        /a  => /b ;\n        /c  => /d | /e ;' }]);
  });
  it('leaves alone: a formatted dtab, one with a syntax error, a folded or quoted one, an empty one', () => {
    const base = (dtabLines: string) => `routers:\n- protocol: http\n  dtab: ${dtabLines}\n  servers:\n  - port: 1\n`;
    for (const [what, value] of [
      ['formatted', '|\n    /a  => /b ;\n'],
      ['syntax error', '|\n    /a=>/b /c;\n'],
      ['folded', '>\n    /a=>/b;\n'],
      ['quoted', "'/a=>/b;'\n"],
      ['empty', '|\n'],
    ] as const) {
      const s = new ConfigService();
      assert.deepEqual(formatEmbeddedDtabs(s.analyze(yaml(base(value)))), [], what);
    }
  });
});

describe('delegateInDocument and delegationNodes', () => {
  const s = new DtabService();
  const doc = dtab('/svc => 3 * /#/io.l5d.k8s/default/http & /$/inet/127.1/1 ;\n/a => /svc/x | /b ;\n/b => ~ ;\n', 3);
  const rule = (line: number, text: string, end: number) => ({ text, line: line + 1, range: range(line, 0, line, end) });
  const SVC = rule(0, '/svc => 3 * /#/io.l5d.k8s/default/http & /$/inet/127.1/1', 56);
  it('the tree as the view shows it: primary path, statuses, weights, the rule of each step in the document', async () => {
    assert.deepEqual(await delegateInDocument(s.analyze(doc), ' /a/y ', interpreterFor()), {
      ok: true,
      root: {
        path: '/a/y',
        type: 'alt',
        primary: true,
        status: 'success',
        description: '(alternatives: the first that is not negative wins)',
        children: [
          {
            path: '/svc/x/y',
            type: 'union',
            primary: true,
            status: 'success',
            description: '(union: traffic is split by weight)',
            dentry: rule(1, '/a => /svc/x | /b', 17),
            children: [
              {
                path: '/#/io.l5d.k8s/default/http/x/y',
                type: 'leaf',
                primary: true,
                status: 'unresolved',
                description: '=> bound /#/io.l5d.k8s/default/http/x residual /y: unresolved here: io.l5d.k8s resolves it at run time',
                dentry: SVC,
                weight: { value: 3, percent: 75 },
                children: [],
              },
              { path: '/$/inet/127.1/1/x/y', type: 'leaf', primary: true, status: 'success', description: '=> bound /$/inet/127.1/1 residual /x/y: 127.0.0.1:1', dentry: SVC, weight: { value: 1, percent: 25 }, children: [] },
            ],
          },
          {
            path: '/b/y',
            type: 'delegate',
            primary: false,
            status: 'neg',
            description: '',
            dentry: rule(1, '/a => /svc/x | /b', 17),
            children: [{ path: '~', type: 'neg', primary: false, status: 'neg', description: '(negative: written as ~)', dentry: rule(2, '/b => ~', 7), children: [] }],
          },
        ],
      },
      routes: ['75% → /#/io.l5d.k8s/default/http/x/y (unresolved here: io.l5d.k8s resolves it at run time)', '25% → /$/inet/127.1/1/x/y (127.0.0.1:1)'],
      version: 3,
      boundByNamer: true,
    });
  });
  it('a rewrite to an unresolved leaf is unresolved too', async () => {
    const r = await delegateInDocument(s.analyze(dtab('/a => /#/io.l5d.k8s/default/http/world ;', 1, 'file:///u.dtab')), '/a', interpreterFor());
    assert.ok(r.ok);
    assert.deepEqual([r.root.type, r.root.status, r.root.children[0]!.status], ['delegate', 'unresolved', 'unresolved']);
  });
  it("a negative /# leaf says why in the cluster's words; other negative leaves keep their description", async () => {
    const asked: string[] = [];
    const why = async (p: readonly string[]) => {
      asked.push(p.join('/'));
      return p[1] === 'nope' ? `why ${p.join('/')}` : undefined;
    };
    const r = await delegateInDocument(s.analyze(dtab('/a => /#/nope/x | /#/other/y | /b ;\n/b => ~ ;', 1, 'file:///n.dtab')), '/a', interpreterFor(), why);
    assert.ok(r.ok);
    assert.deepEqual([r.root.type, r.root.status], ['alt', 'neg']);
    assert.deepEqual(
      r.root.children.map((c) => [c.path, c.description]),
      [
        ['/#/nope/x', '(negative: why #/nope/x)'],
        ['/#/other/y', '(negative: no namer has this name)'],
        ['/b', ''],
      ],
    );
    assert.deepEqual(asked.sort(), ['#/nope/x', '#/other/y']);
    assert.deepEqual(r.routes, ['100% → ~ (negative: no route, requests fail)']);
    assert.equal(r.boundByNamer, false);
  });
  it('what it cannot delegate: not a path, a failing delegation, a failing bind', async () => {
    const a = s.analyze(doc);
    assert.deepEqual(await delegateInDocument(a, 'nope', interpreterFor()), { ok: false, message: 'Not a path: A path starts with `/`; found `n`.' });
    const failing = {
      delegate: async () => {
        throw new Error('boom');
      },
    } as unknown as Interpreter;
    assert.deepEqual(await delegateInDocument(a, '/a', failing), { ok: false, message: 'Delegating /a fails: boom' });
    const real = interpreterFor();
    const noBind = {
      delegate: (d: never, p: never) => real.delegate(d, p),
      bind: async () => {
        throw new Error('no bind');
      },
    } as unknown as Interpreter;
    const r = await delegateInDocument(a, '/b', noBind);
    assert.ok(r.ok);
    assert.deepEqual(r.routes, ['fails: no bind']);
  });
  it('delegationNodes without the document: rules as Finagle prints them', async () => {
    const tree = await interpreterFor().delegate(s.analyze(doc).dtab, ['b']);
    assert.deepEqual(delegationNodes(tree), {
      path: '/b',
      type: 'delegate',
      primary: true,
      status: 'neg',
      description: '',
      children: [{ path: '~', type: 'neg', primary: true, status: 'neg', description: '(negative: written as ~)', dentry: { text: '/b=>~' }, children: [] }],
    });
  });
});

describe('checkParams: InvalidParams with a message saying what is wrong', () => {
  const fails = (params: unknown, message: string, required: string[] = [], onDocument = true) => {
    assert.throws(
      () => checkParams(params, required, onDocument),
      (e: unknown) => e instanceof ResponseError && e.code === ErrorCodes.InvalidParams && e.message === message,
      message,
    );
  };
  const doc = { textDocument: { uri: URI } };
  it('the params object and its document', () => {
    fails(null, 'params must be an object');
    fails([], 'params must be an object');
    fails('x', 'params must be an object');
    fails({}, 'params.textDocument.uri must be a string');
    fails({ textDocument: { uri: 1 } }, 'params.textDocument.uri must be a string');
    fails({ textDocument: 'x', uri: 2 }, 'params.textDocument.uri must be a string');
    checkParams(doc);
    checkParams({ uri: URI });
    checkParams({ textDocument: null, uri: URI });
    checkParams({}, [], false);
    fails({}, 'params.position is missing', ['position'], false);
    fails(doc, 'params.newName is missing', ['position', 'newName'].slice(1));
  });
  it('positions and ranges: non-negative integers up to 2^31 - 1', () => {
    checkParams({ ...doc, position: pos(0, 0x7fffffff) });
    fails({ ...doc, position: pos(0, 0x80000000) }, 'params.position.character must be a non-negative integer');
    fails({ ...doc, position: pos(-1, 0) }, 'params.position.line must be a non-negative integer');
    fails({ ...doc, position: pos(1.5, 0) }, 'params.position.line must be a non-negative integer');
    fails({ ...doc, position: { line: '1', character: 0 } }, 'params.position.line must be a non-negative integer');
    fails({ ...doc, position: [1, 2] }, 'params.position must be a position {line, character}');
    fails({ ...doc, position: null }, 'params.position must be a position {line, character}');
    checkParams({ ...doc, range: range(0, 0, 1, 1) });
    fails({ ...doc, range: 'r' }, 'params.range must be a range {start, end}');
    fails({ ...doc, range: { start: pos(0, 0) } }, 'params.range.end must be a position {line, character}');
    fails({ ...doc, range: { start: pos(0, -1), end: pos(0, 0) } }, 'params.range.start.character must be a non-negative integer');
    checkParams({ ...doc, positions: [pos(0, 0), pos(1, 1)] });
    checkParams({ ...doc, positions: [] });
    fails({ ...doc, positions: pos(0, 0) }, 'params.positions must be an array of positions');
    fails({ ...doc, positions: [pos(0, 0), pos(0, -2)] }, 'params.positions[1].character must be a non-negative integer');
    checkParams({ ...doc, line: 0 });
    fails({ ...doc, line: -1 }, 'params.line must be a non-negative integer');
    checkParams({ ...doc, limit: 0x7fffffff });
    fails({ ...doc, limit: 2 ** 31 }, 'params.limit must be a non-negative integer');
  });
  it('strings, including an empty namespace', () => {
    for (const name of ['newName', 'text', 'before', 'after', 'base', 'theirs', 'yours', 'override', 'baseVersion', 'to', 'path', 'traceId', 'serviceName', 'spanName', 'annotationQuery']) {
      checkParams({ ...doc, [name]: '' });
      fails({ ...doc, [name]: 1 }, `params.${name} must be a string`);
    }
    checkParams({ ...doc, ns: 'default' });
    fails({ ...doc, ns: '' }, 'params.ns must not be empty');
    fails({ ...doc, ns: 3 }, 'params.ns must be a string');
  });
  it('servers, admins and requests: objects with a url string', () => {
    for (const name of ['server', 'admin', 'request']) {
      checkParams({ ...doc, [name]: { url: 'http://127.0.0.1:1' } });
      fails({ ...doc, [name]: { url: 1 } }, `params.${name} must be an object with a url string`);
      fails({ ...doc, [name]: 'http://x' }, `params.${name} must be an object with a url string`);
    }
  });
  it('targets of each kind', () => {
    const server = { url: 'http://127.0.0.1:1' };
    checkParams({ ...doc, target: { kind: 'file', uri: URI } });
    fails({ ...doc, target: { kind: 'file' } }, 'params.target.uri must be a string');
    checkParams({ ...doc, target: { kind: 'traffic-split', namespace: 'd', name: 'n' } });
    fails({ ...doc, target: { kind: 'traffic-split', name: 'n' } }, 'params.target.namespace must be a string');
    fails({ ...doc, target: { kind: 'traffic-split', namespace: 'd' } }, 'params.target.name must be a string');
    checkParams({ ...doc, target: { kind: 'deployments', stable: 'a', canary: 'b' } });
    fails({ ...doc, target: { kind: 'deployments', canary: 'b' } }, 'params.target.stable must be a string');
    fails({ ...doc, target: { kind: 'deployments', stable: 'a' } }, 'params.target.canary must be a string');
    checkParams({ ...doc, target: { kind: 'namerd', server, ns: 'default' } });
    fails({ ...doc, target: { kind: 'namerd', server: {}, ns: 'default' } }, 'params.target.server must be an object with a url string');
    fails({ ...doc, target: { kind: 'namerd', server, ns: 1 } }, 'params.target.ns must be a string');
    fails({ ...doc, target: { kind: 'namerd', server } }, 'params.target.ns must be a string');
    fails({ ...doc, target: { kind: 'namerd', server: 'x', ns: 'd', path: '/p' } }, 'params.target.server must be an object with a url string');
    checkParams({ ...doc, target: { kind: 'linkerd', admin: server, router: 'web' } });
    fails({ ...doc, target: { kind: 'linkerd', admin: 1, router: 'web' } }, 'params.target.admin must be an object with a url string');
    fails({ ...doc, target: { kind: 'linkerd', admin: server } }, 'params.target.router must be a string');
    const kinds = 'params.target must be {kind: "namerd", server, ns} or {kind: "linkerd", admin, router}';
    fails({ ...doc, target: { kind: 'other' } }, kinds);
    fails({ ...doc, target: 'file' }, kinds);
    fails({ ...doc, target: null }, kinds);
  });
  it('actions, percents, names and counts', () => {
    for (const action of ['step', 'abort', 'finish', 'pause', 'resume', 'status']) checkParams({ ...doc, action });
    fails({ ...doc, action: 'go' }, 'params.action must be step, abort, finish, pause, resume or status');
    for (const percent of [0, 12.5, 100]) checkParams({ ...doc, percent });
    for (const percent of [-0.1, 100.1, '5']) fails({ ...doc, percent }, 'params.percent must be a number from 0 to 100');
    checkParams({ ...doc, names: [] });
    checkParams({ ...doc, names: ['a', 'b'] });
    fails({ ...doc, names: ['a', 1] }, 'params.names must be an array of strings');
    fails({ ...doc, names: 'a' }, 'params.names must be an array of strings');
    for (const name of ['minDurationUs', 'lookbackMs']) {
      checkParams({ ...doc, [name]: 0 });
      checkParams({ ...doc, [name]: 2 ** 53 - 1 });
      fails({ ...doc, [name]: 2 ** 53 }, `params.${name} must be a non-negative integer`);
      fails({ ...doc, [name]: -1 }, `params.${name} must be a non-negative integer`);
      fails({ ...doc, [name]: 0.5 }, `params.${name} must be a non-negative integer`);
    }
    checkParams({ ...doc, unknownField: { anything: true } });
  });
  it('checked: the handler runs only with good params, and its answer is returned', () => {
    const calls: unknown[] = [];
    const h = checked(['position'], (p: { position: unknown }) => {
      calls.push(p.position);
      return 42;
    });
    assert.equal(h({ ...doc, position: pos(1, 2) } as never), 42);
    assert.throws(() => h(doc as never), /params.position is missing/);
    assert.deepEqual(calls, [pos(1, 2)]);
    const free = checked([], () => 'ok', false);
    assert.equal(free({} as never), 'ok');
    assert.throws(() => checked([], () => 'ok')({} as never), /params.textDocument.uri must be a string/);
  });
});
