// server/lsp.ts in-process: the core's diagnostics, quick fixes, completions and symbols as LSP
// shapes, compared whole (ranges, severities, tags, the edit a quick fix makes).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, CompletionItemKind, DiagnosticSeverity, DiagnosticTag, InsertTextFormat, SymbolKind } from 'vscode-languageserver-types';
import { deepDiagnostics, parseDtab, symbols } from '../../core/index.js';
import { Analysis, documentLines, plainText, quickFixes, toCompletionItem, toEdits, toLsp, toSymbol } from '../../server/lsp.js';

const URI = 'file:///x.dtab';
function analysis(text: string): Analysis {
  const doc = TextDocument.create(URI, 'linkerd-dtab', 7, text);
  return new Analysis(doc.uri, doc.version, parseDtab(text), documentLines(doc));
}
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

describe('positions', () => {
  it('maps offsets and positions both ways, lines from the document', () => {
    const a = analysis('/a => /b ;\n/c => /d /e\n');
    assert.equal(a.uri, URI);
    assert.equal(a.version, 7);
    assert.deepEqual(a.range({ start: 11, end: 13 }), range(1, 0, 1, 2));
    assert.equal(a.offset({ line: 1, character: 3 }), 14);
    assert.deepEqual(a.lines.position(12), { line: 1, character: 1 });
    assert.equal(a.lineOf(1), 2, 'the second dentry is on line 2 (lines come from the document)');
  });
  it('takes line numbers from the document, for a dtab that starts further down (embedded in YAML)', () => {
    const text = '/a => /b ;\n/c => /d ;';
    const shifted = { position: (o: number) => ({ line: 10 + (o > 10 ? 1 : 0), character: 0 }), offset: () => 0, range: () => range(0, 0, 0, 0) };
    const a = new Analysis(URI, 1, parseDtab(text), shifted);
    assert.equal(a.lineOf(0), 11);
    assert.equal(a.lineOf(1), 12);
  });
});

describe('diagnostics as LSP', () => {
  it('a syntax error: error severity, plain quotes, source dtab, no tags', () => {
    const a = analysis('/a => /b ;\n/c => /d /e\n');
    assert.deepEqual(
      a.diagnostics.map((d) => toLsp(a, d)),
      [{ range: range(1, 9, 1, 10), severity: DiagnosticSeverity.Error, code: 'expected-end', source: 'dtab', message: "Missing ';' between dentries: dentries are separated by ';', not by new lines." }],
    );
  });
  it('a warning with related information', () => {
    const a = analysis('/a => /b ;\n/a => /b ;\n');
    const [d] = a.diagnostics.map((x) => toLsp(a, x));
    assert.equal(d!.severity, DiagnosticSeverity.Warning);
    assert.equal(d!.code, 'duplicate-dentry');
    assert.deepEqual(d!.range, range(1, 0, 1, 8));
    assert.deepEqual(d!.relatedInformation, [{ location: { uri: URI, range: range(0, 0, 0, 8) }, message: 'the earlier dentry' }]);
    assert.equal(d!.tags, undefined);
  });
  it('a deep diagnostic that is unnecessary: tagged so', async () => {
    const a = analysis('/a => /b ;\n/a => /$/inet/127.1/1 ;\n');
    const deep = await deepDiagnostics(a);
    const lsp = deep.map((d) => toLsp(a, d));
    assert.deepEqual(lsp.map((d) => [d.code, d.range, d.severity, d.tags, d.source]), [['unreachable-dentry', range(0, 0, 0, 8), DiagnosticSeverity.Warning, [DiagnosticTag.Unnecessary], 'dtab']]);
  });
  it('information severity and an origin as the source', () => {
    const a = analysis('/a => /b ;');
    const d = toLsp(a, { span: { start: 0, end: 2 }, severity: 'information', code: 'x', message: 'm `q`', origin: 'cluster: dev', unnecessary: false });
    assert.deepEqual(d, { range: range(0, 0, 0, 2), severity: DiagnosticSeverity.Information, code: 'x', source: 'cluster: dev', message: "m 'q'" });
  });
  it("an origin given as undefined is still the 'dtab' source", () => {
    const a = analysis('/a => /b ;');
    assert.equal(toLsp(a, { span: { start: 0, end: 2 }, severity: 'warning', code: 'x', message: 'm', origin: undefined }).source, 'dtab');
  });
  it('plainText quotes code spans, not across lines', () => {
    assert.equal(plainText('a `b` c `d e`'), "a 'b' c 'd e'");
    assert.equal(plainText('a `b\nc` d'), 'a `b\nc` d');
    assert.equal(plainText('``'), "''");
  });
});

describe('quick fixes by the edit they make', () => {
  const text = '/a => 0.5 * /b ;\n/c => /d ;\n';
  it('the fix of a diagnostic that touches the range', () => {
    const a = analysis(text);
    const actions = quickFixes(a, a.diagnostics, 6, 6);
    assert.deepEqual(actions, [
      {
        title: 'Remove the ignored weight',
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLsp(a, a.diagnostics[0]!)],
        isPreferred: true,
        edit: { changes: { [URI]: [{ range: range(0, 6, 0, 12), newText: '' }] } },
      },
    ]);
  });
  it('touching at either end counts; outside does not', () => {
    const a = analysis(text);
    assert.equal(quickFixes(a, a.diagnostics, 11, 11).length, 1, 'at the end of the span');
    assert.equal(quickFixes(a, a.diagnostics, 0, 6).length, 1, 'ending at its start');
    assert.equal(quickFixes(a, a.diagnostics, 12, 20).length, 0, 'after it');
    assert.equal(quickFixes(a, a.diagnostics, 0, 5).length, 0, 'before it');
  });
  it('a look-alike: replaced by what it looks like', () => {
    const a = analysis('/a \u2192 /b ;');
    assert.deepEqual(
      quickFixes(a, a.diagnostics, 0, 10).map((q) => [q.title, q.isPreferred, q.edit]),
      [["Replace the rightwards arrow (U+2192) with '=>'", true, { changes: { [URI]: [{ range: range(0, 3, 0, 4), newText: '=>' }] } }]],
    );
  });
  it('not preferred when there are several fixes', () => {
    const a = analysis('/a => /b ;');
    const fixes = [
      { title: 'one `x`', edits: [{ span: { start: 0, end: 1 }, text: 'x' }] },
      { title: 'two', edits: [{ span: { start: 1, end: 2 }, text: 'y' }, { span: { start: 3, end: 3 }, text: 'z' }] },
    ];
    const d = { span: { start: 0, end: 2 }, severity: 'error' as const, code: 'c', message: 'm', fixes };
    assert.deepEqual(
      quickFixes(a, [d, { ...d, fixes: undefined }], 0, 0).map((q) => [q.title, q.isPreferred, q.edit]),
      [
        ["one 'x'", false, { changes: { [URI]: [{ range: range(0, 0, 0, 1), newText: 'x' }] } }],
        ['two', false, { changes: { [URI]: [{ range: range(0, 1, 0, 2), newText: 'y' }, { range: range(0, 3, 0, 3), newText: 'z' }] } }],
      ],
    );
    assert.deepEqual(toEdits(a, [{ span: { start: 2, end: 4 }, text: 'q' }]), [{ range: range(0, 2, 0, 4), newText: 'q' }]);
  });
});

describe('completion items and symbols', () => {
  const a = analysis('/a => /b ;\n');
  it('every field carried over, and the kinds', () => {
    assert.deepEqual(
      toCompletionItem(a, { label: 'l', kind: 'snippet', detail: 'd', documentation: 'doc', edit: { span: { start: 6, end: 8 }, text: 't' }, insertText: 'i', snippet: true, sortText: 's', filterText: 'f' }),
      { label: 'l', kind: CompletionItemKind.Snippet, detail: 'd', documentation: { kind: 'markdown', value: 'doc' }, textEdit: { range: range(0, 6, 0, 8), newText: 't' }, insertText: 'i', insertTextFormat: InsertTextFormat.Snippet, sortText: 's', filterText: 'f' },
    );
    assert.deepEqual(toCompletionItem(a, { label: 'l', kind: 'path', snippet: false }), { label: 'l', kind: CompletionItemKind.Reference });
    const kinds = (['operator', 'namer', 'system-namer', 'path', 'token', 'snippet'] as const).map((kind) => toCompletionItem(a, { label: '', kind }).kind);
    assert.deepEqual(kinds, [CompletionItemKind.Operator, CompletionItemKind.Module, CompletionItemKind.Function, CompletionItemKind.Reference, CompletionItemKind.Constant, CompletionItemKind.Snippet]);
  });
  it('a dentry as a Key symbol with its ranges', () => {
    assert.deepEqual(symbols(a).map((s) => toSymbol(a, s)), [{ name: '/a', detail: '=> /b', kind: SymbolKind.Key, range: range(0, 0, 0, 10), selectionRange: range(0, 0, 0, 2) }]);
  });
});
