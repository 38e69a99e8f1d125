// Dtab features on plain TextDocuments, without a connection (tested directly): one analysis per
// document version, the core's language layer (core/ide) for every feature, and the conversion to
// LSP shapes (./lsp).

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';
import {
  FoldingRangeKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type Position,
  type Range,
  type SelectionRange,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import {
  clusterCompletions,
  clusterDiagnostics,
  complete,
  completionContext,
  deepDiagnostics,
  definition,
  explainNegative,
  folding,
  formatEdits,
  formatRangeEdits,
  hover,
  combineChanges,
  IncrementalDtab,
  prepareRename,
  references,
  rename,
  selectionSpans,
  suggestPaths,
  symbols,
  CycleMemo,
  type DeepDiagnostic,
  type Interpreter,
  type K8sNamerUse,
  type Pause,
  type TextChange,
} from '../core/index.js';
import { Analysis, documentLines, quickFixes, toCompletionItem, toEdits, toLsp, toSymbol } from './lsp.js';

/**
 * How long after an edit the deep checks start: long enough for a request sent with the edit
 * (completion, hover) to be answered first; the checks pause every few milliseconds and give up
 * when the next edit comes, so typing never waits for them.
 */
export const DEEP_CHECKS_DELAY_MS = 15;

/**
 * `doc.offsetAt(p)` without reading the text where the line offsets suffice. offsetAt reads the
 * character before the offset (it may be a line break), and reading a text just edited makes V8 copy
 * all of it (about 20 ms at 100,000 dentries): once per keystroke of a burst, before any check ran.
 * Up to two characters before the next line's start, nothing can be this line's break.
 */
export function offsetOf(doc: TextDocument, p: Position): number {
  const lines = doc.lineCount;
  if (p.character <= 0 || p.line < 0 || p.line >= lines) return doc.offsetAt(p);
  const start = doc.offsetAt({ line: p.line, character: 0 });
  const next = p.line + 1 < lines ? doc.offsetAt({ line: p.line + 1, character: 0 }) : doc.getText().length;
  const offset = start + p.character;
  return offset <= next - 2 ? offset : doc.offsetAt(p);
}

export class DtabService {
  private readonly cache = new Map<string, Analysis>();
  /** Each open dtab's incremental analysis, and where its text changed since it last looked. */
  private readonly engines = new Map<string, { engine: IncrementalDtab; pending: TextChange | null | undefined }>();

  /**
   * The analysis of the document's current version: an edit re-reads only the dentries it touched
   * (core/ide/incremental.ts); the result is what a full analysis gives.
   */
  analyze(doc: TextDocument): Analysis {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const text = doc.getText();
    let state = this.engines.get(doc.uri);
    if (!state) this.engines.set(doc.uri, (state = { engine: new IncrementalDtab(text), pending: undefined }));
    // (A noted change is passed on without comparing the texts: that would read all of both.)
    else if (state.pending !== undefined || state.engine.text !== text) state.engine.update(text, state.pending ?? undefined);
    state.pending = undefined;
    const v = state.engine.latest;
    const analysis = new Analysis(doc.uri, doc.version, v.syntax, documentLines(doc), v);
    this.cache.set(doc.uri, analysis);
    return analysis;
  }

  /**
   * The TextDocuments configuration that tells this service where each edit is (so that it need
   * not compare the texts): `new TextDocuments(service.documents())`; `onChange` hears each edit
   * before it is applied.
   */
  documents(onChange?: (doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number) => void): TextDocumentsConfiguration<TextDocument> {
    return {
      create: (uri, languageId, version, content) => {
        // A document opened again (without a close) is a new text: the next analysis compares it whole.
        const state = this.engines.get(uri);
        if (state) state.pending = null;
        return TextDocument.create(uri, languageId, version, content);
      },
      update: (doc, changes, version) => {
        this.noteChanges(doc, changes);
        onChange?.(doc, changes, version);
        return TextDocument.update(doc, changes, version);
      },
    };
  }

  /** Records where `changes` (about to be applied to `doc`) change its text. */
  noteChanges(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): void {
    const state = this.engines.get(doc.uri);
    if (!state || state.pending === null) return;
    // One ranged change is located on the text it applies to; several are compared as texts.
    const c = changes.length === 1 ? (changes[0] as { range?: Range; text: string }) : undefined;
    // The text the change applies to is the engine's, with the changes noted since (a burst of them
    // is applied to the document before the engine reads it).
    const expected = state.engine.text.length + (state.pending ? state.pending.newEnd - state.pending.oldEnd : 0);
    if (!c?.range || expected !== doc.getText().length) {
      state.pending = null;
      return;
    }
    const start = offsetOf(doc, c.range.start);
    const change = { start, oldEnd: offsetOf(doc, c.range.end), newEnd: start + c.text.length };
    state.pending = state.pending ? combineChanges(state.pending, change) : change;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.memos.delete(uri);
    this.deep.delete(uri);
    this.engines.delete(uri);
  }

  /** Features work on a document, or on an Analysis made elsewhere (a dtab embedded in YAML). */
  private an(d: TextDocument | Analysis): Analysis {
    return d instanceof Analysis ? d : this.analyze(d);
  }

  /** The syntax and structure diagnostics: cheap, published on every change. */
  diagnostics(doc: TextDocument | Analysis): LspDiagnostic[] {
    const a = this.an(doc);
    return a.diagnostics.map((d) => toLsp(a, d));
  }

  /** Each open dtab's cycle checks, kept from one version to the next. */
  private readonly memos = new Map<string, CycleMemo>();

  /** The deep findings of each document's latest version, for their quick fixes. */
  private readonly deep = new Map<string, { version: number; diagnostics: readonly DeepDiagnostic[] }>();

  /**
   * The checks that delegate (cycles) or compare dentries (shadowing), and what the cluster says of
   * the Kubernetes paths (`uses`), run after the quick ones.
   */
  async deepDiagnostics(doc: TextDocument | Analysis, pause?: Pause, uses: readonly K8sNamerUse[] = []): Promise<LspDiagnostic[]> {
    const a = this.an(doc);
    let memo = this.memos.get(a.uri);
    if (!memo) this.memos.set(a.uri, (memo = new CycleMemo()));
    const found = [...(await deepDiagnostics(a, pause, memo)), ...(await clusterDiagnostics(a, uses))];
    this.deep.set(a.uri, { version: a.version, diagnostics: found });
    return found.map((d) => toLsp(a, d));
  }

  format(doc: TextDocument | Analysis): TextEdit[] {
    const a = this.an(doc);
    return toEdits(a, formatEdits(a));
  }

  formatRange(doc: TextDocument | Analysis, range: Range): TextEdit[] {
    const a = this.an(doc);
    return toEdits(a, formatRangeEdits(a, a.offset(range.start), a.offset(range.end)));
  }

  codeActions(doc: TextDocument | Analysis, range: Range): CodeAction[] {
    const a = this.an(doc);
    const deep = this.deep.get(a.uri);
    const all = deep && deep.version === a.version ? [...a.diagnostics, ...deep.diagnostics] : a.diagnostics;
    return quickFixes(a, all, a.offset(range.start), a.offset(range.end));
  }

  symbols(doc: TextDocument | Analysis): DocumentSymbol[] {
    const a = this.an(doc);
    return symbols(a).map((s) => toSymbol(a, s));
  }

  folding(doc: TextDocument | Analysis): FoldingRange[] {
    const a = this.an(doc);
    return folding(a).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region }));
  }

  selectionRanges(doc: TextDocument | Analysis, positions: Position[]): SelectionRange[] {
    const a = this.an(doc);
    return positions.map((p) => {
      const spans = selectionSpans(a, a.offset(p));
      let range: SelectionRange | undefined;
      for (let i = spans.length - 1; i >= 0; i--) range = { range: a.range(spans[i]!), ...(range ? { parent: range } : {}) };
      return range ?? { range: { start: p, end: p } };
    });
  }

  definition(doc: TextDocument | Analysis, position: Position): Location[] {
    const a = this.an(doc);
    return definition(a, a.offset(position)).map((s) => ({ uri: a.uri, range: a.range(s) }));
  }

  references(doc: TextDocument | Analysis, position: Position, includeDeclaration: boolean): Location[] {
    const a = this.an(doc);
    return references(a, a.offset(position), includeDeclaration).map((s) => ({ uri: a.uri, range: a.range(s) }));
  }

  prepareRename(doc: TextDocument | Analysis, position: Position): { range: Range; placeholder: string } | undefined {
    const a = this.an(doc);
    const r = prepareRename(a, a.offset(position));
    return r && { range: a.range(r.span), placeholder: r.placeholder };
  }

  /** Throws RenameError for a name that is not a label. */
  rename(doc: TextDocument | Analysis, position: Position, newName: string): WorkspaceEdit | undefined {
    const a = this.an(doc);
    const edits = rename(a, a.offset(position), newName);
    return edits && { changes: { [a.uri]: toEdits(a, edits) } };
  }

  async hover(doc: TextDocument | Analysis, position: Position, interpreter: Interpreter, clusterNote?: string, uses: readonly K8sNamerUse[] = []): Promise<Hover | undefined> {
    const a = this.an(doc);
    const h = await hover(a, a.offset(position), interpreter, clusterNote, uses.length > 0 ? (p) => explainNegative(p, uses) : undefined);
    return h && { contents: { kind: 'markdown', value: h.markdown }, range: a.range(h.span) };
  }

  /** Completion; inside a Kubernetes path, the names the cluster has (`uses`) come first. */
  completion(doc: TextDocument | Analysis, position: Position, uses: readonly K8sNamerUse[] = []): CompletionItem[] {
    const a = this.an(doc);
    const offset = a.offset(position);
    const ctx = completionContext(a, offset);
    const names = ctx.kind === 'term' ? clusterCompletions(a, offset, ctx.token, uses) : [];
    if (names.length > 0) return names.map((c) => toCompletionItem(a, c));
    return complete(a, offset, ctx).map((c) => toCompletionItem(a, c));
  }

  suggestPaths(doc: TextDocument | Analysis): string[] {
    return suggestPaths(this.an(doc));
  }
}
