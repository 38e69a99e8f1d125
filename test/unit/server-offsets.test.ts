import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DtabService, offsetOf } from '../../server/dtab-service.js';

describe('offsetOf: doc.offsetAt without reading the text', () => {
  it('agrees with offsetAt at every position of texts with \\n, \\r\\n and lone \\r breaks, past line ends and past the last line', () => {
    const texts = ['', 'a', '/a=>/b;', '/a => /b ;\n', '/a\r\n/b\r\n', 'x\ry\n\nz', '\n\n', '\r\n', 'ab\r\ncd', 'abc\n', '/a => /b ;\r\n/c => /d ;'];
    for (const text of texts) {
      const doc = TextDocument.create('file:///t.dtab', 'linkerd-dtab', 1, text);
      for (let line = -1; line <= doc.lineCount + 1; line++) {
        for (let character = -1; character <= text.length + 2; character++) {
          const p = { line, character };
          assert.equal(offsetOf(doc, p), doc.offsetAt(p), `${JSON.stringify(text)} at ${line}:${character}`);
        }
      }
    }
  });
});

describe('DtabService: a burst of changes applied before the analysis reads them', () => {
  it('gives the analysis a whole re-read gives, change after change (insertions, deletions, line breaks)', () => {
    const service = new DtabService();
    const config = service.documents();
    let doc = config.create('file:///burst.dtab', 'linkerd-dtab', 1, '/a => /b ;\n/c => /d ;\n/e => /f ;\n');
    service.analyze(doc);
    const edits = [
      { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, text: 'x' },
      { range: { start: { line: 1, character: 7 }, end: { line: 1, character: 7 } }, text: 'y' },
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 4 } }, text: '' },
      { range: { start: { line: 2, character: 10 }, end: { line: 2, character: 10 } }, text: '\n/g => (' },
      { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' },
    ];
    let version = 1;
    for (let n = 0; n < edits.length; n++) {
      // Edits n .. end applied in one burst, then read once; compared with a fresh service.
      doc = config.update(doc, [edits[n]!], ++version);
      const fresh = new DtabService().diagnostics(TextDocument.create('file:///burst.dtab', 'linkerd-dtab', version, doc.getText()));
      assert.deepEqual(service.diagnostics(doc), fresh, `after edit ${n}: ${JSON.stringify(doc.getText())}`);
    }
    // Several changes before one read.
    for (const e of [edits[0]!, edits[1]!, edits[3]!]) doc = config.update(doc, [e], ++version);
    const fresh = new DtabService().diagnostics(TextDocument.create('file:///burst.dtab', 'linkerd-dtab', version, doc.getText()));
    assert.deepEqual(service.diagnostics(doc), fresh);
    assert.equal(doc.getText(), '/a> /b ;\n/e => xy/f ;\n/g => (\n/g => (\n');
  });

  it('a document opened again before its pending change was read is compared whole, not trusted to the change', () => {
    const service = new DtabService();
    const config = service.documents();
    let doc = config.create('file:///reopen.dtab', 'linkerd-dtab', 1, '/a => /b ;\n/c => /d ;\n');
    service.analyze(doc);
    doc = config.update(doc, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, text: 'x' }], 2);
    // Opened again (no close between), same length, different outside the noted change.
    doc = config.create('file:///reopen.dtab', 'linkerd-dtab', 3, '/a = > /b ;\n/c => /d ;\n');
    const fresh = new DtabService().diagnostics(TextDocument.create('file:///reopen.dtab', 'linkerd-dtab', 3, doc.getText()));
    assert.deepEqual(service.diagnostics(doc), fresh);
    assert.deepEqual(fresh.map((d) => d.code), ['split-arrow']);
  });
});
