// Deep findings of an earlier version carried through the edits made since (server/lsp.ts
// moveDiagnostics), so that they stay in place until the new version's checks replace them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { moveDiagnostics } from '../../server/lsp.js';

const pos = (line: number, character: number) => ({ line, character });
const diag = (l1: number, c1: number, l2: number, c2: number): Diagnostic => ({ range: { start: pos(l1, c1), end: pos(l2, c2) }, message: 'm', code: 'c' });
const at = (d: Diagnostic[]) => d.map((x) => [x.range.start.line, x.range.start.character, x.range.end.line, x.range.end.character]);
const edit = (l1: number, c1: number, l2: number, c2: number, text: string) => ({ range: { start: pos(l1, c1), end: pos(l2, c2) }, text });

describe('moveDiagnostics', () => {
  const d = [diag(2, 4, 2, 10)];
  it('moves with text typed before it, on its line or above', () => {
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 1, 2, 1, 'xy')])), [[2, 6, 2, 12]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(0, 3, 0, 3, 'a\nb\n')])), [[4, 4, 4, 10]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(1, 0, 2, 2, '')])), [[1, 2, 1, 8]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 0, 2, 0, 'p\nq')])), [[3, 5, 3, 11]]);
  });
  it('stays for text typed after it; grows for text typed inside; text typed at its start comes before it', () => {
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 10, 2, 10, 'z')])), [[2, 4, 2, 10]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(3, 0, 3, 5, 'z\n')])), [[2, 4, 2, 10]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 6, 2, 7, 'abc')])), [[2, 4, 2, 12]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 4, 2, 4, 'ab')])), [[2, 6, 2, 12]]);
  });
  it('is cut where an edit replaces part of it, and dropped when an edit deletes all of it', () => {
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 8, 3, 0, 'X')])), [[2, 4, 2, 9]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 0, 2, 6, '')])), [[2, 0, 2, 4]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 4, 2, 10, '')])), []);
    assert.deepEqual(at(moveDiagnostics(d, [edit(1, 0, 3, 0, 'new\n')])), []);
    // An empty diagnostic is kept as long as its place is.
    assert.deepEqual(at(moveDiagnostics([diag(1, 1, 1, 1)], [edit(0, 0, 0, 0, 'x\n')])), [[2, 1, 2, 1]]);
  });
  it('follows several edits in order, and drops everything for a whole-document change', () => {
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 0, 2, 0, '  '), edit(0, 0, 0, 0, '\n')])), [[3, 6, 3, 12]]);
    assert.deepEqual(at(moveDiagnostics(d, [edit(2, 0, 2, 0, '  '), { text: 'all new' }])), []);
    assert.deepEqual(moveDiagnostics(d, [edit(0, 0, 0, 0, 'x')])[0], { range: { start: pos(2, 4), end: pos(2, 10) }, message: 'm', code: 'c' });
  });
});
