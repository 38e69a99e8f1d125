// Linkerd and namerd configs (and the Kubernetes manifests that carry them) in YAML documents:
// their diagnostics, and every dtab feature inside the dtabs they embed. An embedded dtab gets an
// Analysis of its own whose positions are positions in the YAML file, so hover, completion,
// definition, references and rename work there exactly as in a .dtab file.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type Diagnostic as LspDiagnostic, type DocumentSymbol, type Position, type Range, type TextEdit } from 'vscode-languageserver-types';
import { checkConfigText, formatDtab, updateConfigText, YamlChunks, type ConfigFileResult, type EmbeddedDtab, type FoundConfig, type Span } from '../core/index.js';
import { Analysis, documentLines, toLsp, type Lines } from './lsp.js';

export class ConfigAnalysis {
  private embedded: Map<EmbeddedDtab, Analysis> | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly result: ConfigFileResult,
    readonly lines: Lines,
    /** The text this analysis is of. */
    readonly text: string,
    /** True when only an embedded dtab was checked again: the YAML documents are an older text's. */
    readonly stale: boolean,
  ) {}

  range(span: Span): Range {
    return this.lines.range(span);
  }

  /** The embedded dtab at a file offset, as an Analysis in file positions. */
  dtabAt(offset: number): Analysis | undefined {
    const d = this.embeddedAt(offset);
    return d && this.analysisOf(d);
  }

  embeddedAt(offset: number): EmbeddedDtab | undefined {
    return this.result.dtabs.find((x) => x.span.start <= offset && offset <= x.span.end);
  }

  /**
   * The config that holds a file offset; on the blank lines after a config that is a whole document
   * (where a new key is typed at the end of the file), that config.
   */
  configAt(offset: number): FoundConfig | undefined {
    const configs = this.result.configs;
    return configs.find((c) => c.span.start <= offset && offset <= c.span.end) ?? configs.find((c) => !c.inConfigMap && c.span.end < offset && blank(this.text, c.span.end, offset));
  }

  /**
   * The outline: each embedded dtab under its router (label) or namerd namespace, so that two
   * routers' `/srv` do not mix.
   */
  outline(symbolsOf: (a: Analysis) => DocumentSymbol[]): DocumentSymbol[] {
    const out: DocumentSymbol[] = [];
    for (const d of this.result.dtabs) {
      const children = symbolsOf(this.analysisOf(d));
      if (!d.owner) {
        for (const c of children) out.push(c);
        continue;
      }
      const name = d.owner.kind === 'router' ? `router ${d.owner.label}` : `namespace ${d.owner.name}`;
      const range = this.range(d.span);
      out.push({ name, detail: d.owner.kind === 'router' ? d.owner.protocol : 'namerd', kind: SymbolKind.Namespace, range, selectionRange: range, children });
    }
    return out;
  }

  /** Every embedded dtab, as Analyses. */
  get dtabs(): Analysis[] {
    return this.result.dtabs.map((d) => this.analysisOf(d));
  }

  private analysisOf(d: EmbeddedDtab): Analysis {
    this.embedded ??= new Map();
    let a = this.embedded.get(d);
    if (!a) {
      a = new Analysis(this.uri, this.version, d.syntax, embeddedLines(d, this.lines));
      this.embedded.set(d, a);
    }
    return a;
  }
}

/** Whether text[from, to) is only spaces, tabs and line breaks. */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/** Positions of an embedded dtab's text, as positions in the file (and back). */
function embeddedLines(d: EmbeddedDtab, file: Lines): Lines {
  const n = d.syntax.text.length;
  // File offset of each dtab offset: increasing, so the way back is a binary search.
  const at = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) at[i] = d.toFile({ start: i, end: i }).start;
  const toDtab = (fileOffset: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid]! <= fileOffset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    position: (o) => file.position(d.toFile({ start: o, end: o }).start),
    offset: (p) => toDtab(file.offset(p)),
    range: (s) => file.range(d.toFile(s)),
  };
}

export class ConfigService {
  private readonly cache = new Map<string, ConfigAnalysis>();
  /** Each open file's top-level YAML blocks, kept so that an edit re-reads only the block it is in. */
  private readonly chunks = new Map<string, YamlChunks>();

  private check(uri: string, text: string): ConfigFileResult {
    let c = this.chunks.get(uri);
    if (!c) this.chunks.set(uri, (c = new YamlChunks()));
    return checkConfigText(text, c);
  }

  /**
   * The analysis of the document's current text. Typing inside an embedded dtab re-checks only that
   * dtab (updateConfigText); anything else checks the whole file, re-reading only the top-level
   * YAML blocks that changed (YamlChunks).
   */
  analyze(doc: TextDocument): ConfigAnalysis {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const text = doc.getText();
    const quick = cached ? updateConfigText(cached.result, cached.text, text) : undefined;
    const a = quick
      ? new ConfigAnalysis(doc.uri, doc.version, quick, documentLines(doc), text, true)
      : new ConfigAnalysis(doc.uri, doc.version, this.check(doc.uri, text), documentLines(doc), text, false);
    this.cache.set(doc.uri, a);
    return a;
  }

  /** The analysis with current YAML documents (for key completion and hover). */
  analyzeFully(doc: TextDocument): ConfigAnalysis {
    const a = this.analyze(doc);
    if (!a.stale) return a;
    const full = new ConfigAnalysis(doc.uri, doc.version, this.check(doc.uri, a.text), documentLines(doc), a.text, false);
    this.cache.set(doc.uri, full);
    return full;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.chunks.delete(uri);
  }

  /** Diagnostics of the configs in the document; none for YAML that holds no config. */
  diagnostics(doc: TextDocument): LspDiagnostic[] {
    const a = this.analyze(doc);
    return a.result.diagnostics.map((d) => toLsp(a, d));
  }

  /** The embedded dtab under the cursor, if any. */
  dtabAt(doc: TextDocument, position: Position): Analysis | undefined {
    const a = this.analyze(doc);
    return a.dtabAt(a.lines.offset(position));
  }
}

/**
 * Formats the dtabs embedded in literal blocks (`|`), keeping the block's indentation (for a dtab
 * in a ConfigMap string, both levels). Dtabs with syntax errors, and folded or flow values, are
 * left as they are.
 */
export function formatEmbeddedDtabs(a: ConfigAnalysis): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const d of a.result.dtabs) {
    if (!d.literal) continue;
    const formatted = formatDtab(d.syntax);
    const text = d.syntax.text;
    if (formatted === undefined || formatted === text) continue;
    // The content lines: from the first line with content to the end of the last one.
    const first = text.search(/[^\n]/);
    if (first < 0) continue;
    let last = text.length - 1;
    while (last > first && text[last] === '\n') last--;
    const startInFile = d.fileAt[first]!;
    const lineStart = a.text.lastIndexOf('\n', startInFile - 1) + 1;
    const indent = a.text.slice(lineStart, startInFile);
    if (!/^[ ]*$/.test(indent)) continue;
    const body = formatted.replace(/\n+$/, '').split('\n').map((l) => (l === '' ? '' : indent + l)).join('\n');
    edits.push({ range: a.range({ start: lineStart, end: d.fileEnd[last]! }), newText: body });
  }
  return edits;
}
