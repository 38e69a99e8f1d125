// Dtab language features on plain TextDocuments, without a connection (tested directly).
// Everything comes from the core's syntax tree; this layer only converts to LSP shapes.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type TextEdit } from 'vscode-languageserver-types';
import { checkDtab, formatDtab, LineIndex, parseDtab, type Diagnostic, type DtabSyntax } from '../core/index.js';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** One analysis per document version: the text is parsed once and every feature reads the result. */
export interface Analysis {
  readonly version: number;
  readonly syntax: DtabSyntax;
  readonly lines: LineIndex;
  readonly diagnostics: readonly Diagnostic[];
}

export class DtabService {
  private readonly cache = new Map<string, Analysis>();

  analyze(doc: TextDocument): Analysis {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const text = doc.getText();
    const syntax = parseDtab(text);
    const analysis = { version: doc.version, syntax, lines: new LineIndex(text), diagnostics: checkDtab(syntax) };
    this.cache.set(doc.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  diagnostics(doc: TextDocument): LspDiagnostic[] {
    const { lines, diagnostics } = this.analyze(doc);
    return diagnostics.map((d) => ({
      range: lines.range(d.span),
      severity: SEVERITY[d.severity],
      code: d.code,
      source: 'dtab',
      message: d.message,
      ...(d.finagleMessage ? { data: { finagleMessage: d.finagleMessage } } : {}),
      ...(d.related
        ? { relatedInformation: d.related.map((r) => ({ location: { uri: doc.uri, range: lines.range(r.span) }, message: r.message })) }
        : {}),
    }));
  }

  /** The whole document formatted, as one edit; none when already formatted or not parseable. */
  format(doc: TextDocument): TextEdit[] {
    const { syntax, lines } = this.analyze(doc);
    const formatted = formatDtab(syntax);
    if (formatted === undefined || formatted === syntax.text) return [];
    return [{ range: lines.range({ start: 0, end: syntax.text.length }), newText: formatted }];
  }
}
