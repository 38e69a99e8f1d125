// The one place where the core's results become LSP shapes: offsets <-> positions, diagnostics,
// quick fixes, completion items, symbols. Shared by the dtab and the config sides of the server.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  InsertTextFormat,
  SymbolKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import { DtabAnalysis, type Completion, type DeepDiagnostic, type Diagnostic, type DtabSymbol, type DtabSyntax, type IncrementalVersion, type Span, type SpanEdit } from '../core/index.js';

/** Offsets <-> positions. A document keeps its own line table up to date incrementally: use it. */
export interface Lines {
  position(offset: number): Position;
  offset(p: Position): number;
  range(span: Span): Range;
}

export function documentLines(doc: TextDocument): Lines {
  return {
    position: (o) => doc.positionAt(o),
    offset: (p) => doc.offsetAt(p),
    range: (s) => ({ start: doc.positionAt(s.start), end: doc.positionAt(s.end) }),
  };
}

/** Something with a URI whose spans can be shown as ranges (a dtab or a config analysis). */
export interface Located {
  readonly uri: string;
  range(span: Span): Range;
}

/**
 * A dtab's analysis with where it is: the document, its version, and how its offsets map to the
 * document's positions (a dtab embedded in YAML starts further down the file).
 */
export class Analysis extends DtabAnalysis implements Located {
  constructor(
    readonly uri: string,
    readonly version: number,
    syntax: DtabSyntax,
    readonly lines: Lines,
    incremental?: IncrementalVersion,
  ) {
    super(syntax, { lineOf: (o) => lines.position(o).line, ...(incremental ? { incremental } : {}) });
  }

  range(span: Span): Range {
    return this.lines.range(span);
  }

  offset(p: Position): number {
    return this.lines.offset(p);
  }
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/**
 * A core diagnostic as LSP. The Problems panel shows plain text: code spans are quoted with `'`
 * rather than backticks. Finagle's own words are not repeated here (hover on the error shows them).
 */
export function toLsp(a: Located, d: Diagnostic | DeepDiagnostic): LspDiagnostic {
  return {
    range: a.range(d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'origin' in d && d.origin ? d.origin : 'dtab',
    message: plainText(d.message),
    ...('unnecessary' in d && d.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    ...(d.related ? { relatedInformation: d.related.map((r) => ({ location: { uri: a.uri, range: a.range(r.span) }, message: plainText(r.message) })) } : {}),
  };
}

/** Markdown code spans as plain quotes (`/a` → '/a'), for places that show text as is. */
export function plainText(message: string): string {
  return message.replace(/`([^`\n]*)`/g, "'$1'");
}

export function toEdits(a: Located, edits: readonly SpanEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: a.range(e.span), newText: e.text }));
}

/** The fixes of the diagnostics that touch [from, to], as quick-fix code actions. */
export function quickFixes(a: Located, diagnostics: readonly Diagnostic[], from: number, to: number): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (!d.fixes || d.span.end < from || d.span.start > to) continue;
    for (const fix of d.fixes) {
      out.push({
        title: plainText(fix.title),
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLsp(a, d)],
        isPreferred: d.fixes.length === 1,
        edit: { changes: { [a.uri]: toEdits(a, fix.edits.map((e) => ({ span: e.span, text: e.text }))) } },
      });
    }
  }
  return out;
}

const COMPLETION_KIND: Record<Completion['kind'], CompletionItemKind> = {
  operator: CompletionItemKind.Operator,
  namer: CompletionItemKind.Module,
  'system-namer': CompletionItemKind.Function,
  path: CompletionItemKind.Reference,
  token: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
};

export function toCompletionItem(a: Located, c: Completion): CompletionItem {
  return {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
    ...(c.documentation !== undefined ? { documentation: { kind: 'markdown', value: c.documentation } } : {}),
    ...(c.edit ? { textEdit: { range: a.range(c.edit.span), newText: c.edit.text } } : {}),
    ...(c.insertText !== undefined ? { insertText: c.insertText } : {}),
    ...(c.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
    ...(c.sortText !== undefined ? { sortText: c.sortText } : {}),
    ...(c.filterText !== undefined ? { filterText: c.filterText } : {}),
  };
}

export function toSymbol(a: Located, s: DtabSymbol): DocumentSymbol {
  return { name: s.name, detail: s.detail, kind: SymbolKind.Key, range: a.range(s.span), selectionRange: a.range(s.selection) };
}

/** An edit as the client sends it: a range replaced by text, or (no range) the whole document. */
export interface ContentChange {
  readonly range?: Range;
  readonly text: string;
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * Where `p` is after `range` was replaced by `text`: a position inside the range goes to its new
 * end; one at its start stays there as the end of something, and moves past the new text as the
 * start of something (text inserted where a diagnostic starts comes before it).
 */
function movePosition(p: Position, range: Range, text: string, isStart: boolean): Position {
  if (isStart ? before(p, range.start) : !before(range.start, p)) return p;
  let lines = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    lines++;
    last = i;
  }
  const newEnd: Position = { line: range.start.line + lines, character: lines > 0 ? text.length - last - 1 : range.start.character + text.length };
  if (before(p, range.end)) return newEnd;
  if (p.line === range.end.line) return { line: newEnd.line, character: newEnd.character + p.character - range.end.character };
  return { line: p.line + lines - (range.end.line - range.start.line), character: p.character };
}

/**
 * Diagnostics of an earlier version, moved through the edits made since, so that they stay where
 * they were until the checks of the new version replace them (no flicker while typing). One that an
 * edit deleted entirely is dropped; a replacement of the whole document drops them all.
 */
export function moveDiagnostics(diagnostics: readonly LspDiagnostic[], changes: readonly ContentChange[]): LspDiagnostic[] {
  let out = diagnostics.slice();
  for (const c of changes) {
    const range = c.range;
    if (!range) return [];
    const next: LspDiagnostic[] = [];
    for (const d of out) {
      const start = movePosition(d.range.start, range, c.text, true);
      const end = movePosition(d.range.end, range, c.text, false);
      const wasEmpty = d.range.start.line === d.range.end.line && d.range.start.character === d.range.end.character;
      if (!wasEmpty && start.line === end.line && start.character === end.character) continue;
      next.push({ ...d, range: { start, end } });
    }
    out = next;
  }
  return out;
}
