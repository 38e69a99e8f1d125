// Dtab language features on plain TextDocuments, without a connection (tested directly).
// Everything comes from one analysis per document version (the core's syntax tree and model);
// this layer only turns it into LSP shapes.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  FoldingRangeKind,
  SymbolKind,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type Position,
  type Range,
  type SelectionRange,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import {
  checkDtab,
  dentriesOf,
  findCycle,
  findShadowed,
  mergeShadowing,
  formatDtab,
  leaves,
  locate,
  lowerDtab,
  parseDtab,
  prefixMatches,
  printTree,
  showDentry,
  type DentrySyntax,
  type Diagnostic,
  type Dtab,
  type DtabSyntax,
  type Span,
} from '../core/index.js';

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** Offsets <-> positions. The document keeps its own line table up to date incrementally, so use it. */
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

/** One analysis per document version: the text is parsed once and every feature reads the result. */
export class Analysis {
  private model: Dtab | undefined;
  private dentryList: DentrySyntax[] | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly syntax: DtabSyntax,
    readonly lines: Lines,
    readonly diagnostics: readonly Diagnostic[],
  ) {}

  /** The dtab of the dentries that parsed; index i is dentries[i]. */
  get dtab(): Dtab {
    return (this.model ??= lowerDtab(this.syntax));
  }

  get dentries(): DentrySyntax[] {
    return (this.dentryList ??= dentriesOf(this.syntax));
  }

  range(span: Span): Range {
    return this.lines.range(span);
  }

  offset(p: Position): number {
    return this.lines.offset(p);
  }

  /** "line 3" for a dentry index (1-based, as people count). */
  lineOf(index: number): number {
    return this.lines.position(this.dentries[index]!.start).line + 1;
  }
}

export class DtabService {
  private readonly cache = new Map<string, Analysis>();

  analyze(doc: TextDocument): Analysis {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached;
    const text = doc.getText();
    const syntax = parseDtab(text);
    const analysis = new Analysis(doc.uri, doc.version, syntax, documentLines(doc), checkDtab(syntax));
    this.cache.set(doc.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Features work on a document, or on an Analysis made elsewhere (a dtab embedded in YAML). */
  private an(d: TextDocument | Analysis): Analysis {
    return d instanceof Analysis ? d : this.analyze(d);
  }

  // ---- diagnostics ----------------------------------------------------------------------------

  /** The syntax and structure diagnostics: cheap, published on every change. */
  diagnostics(doc: TextDocument | Analysis): LspDiagnostic[] {
    const a = this.an(doc);
    return a.diagnostics.map((d) => toLsp(a, d));
  }

  /**
   * The checks that delegate (cycles) or compare dentries (shadowing), run after the quick ones.
   * `yieldEvery` lets the caller keep the server responsive on large files: it is awaited every so
   * many dentries and may throw to abandon a stale version.
   */
  async deepDiagnostics(doc: TextDocument | Analysis, pause: () => Promise<void> = async () => undefined): Promise<LspDiagnostic[]> {
    const a = this.an(doc);
    const dtab = a.dtab;
    const out: LspDiagnostic[] = [];
    const slices: ReturnType<typeof findShadowed>[] = [];
    // Small slices: a request that arrives meanwhile waits for one slice at most (a few ms).
    for (let from = 0; from < dtab.size; from += 200) {
      slices.push(findShadowed(dtab, from, from + 200));
      await pause();
    }
    for (const s of mergeShadowing(slices)) {
      const d = a.dentries[s.index]!;
      const by = a.dentries[s.by]!;
      out.push({
        range: a.range(d),
        severity: DiagnosticSeverity.Warning,
        tags: [DiagnosticTag.Unnecessary],
        code: 'unreachable-dentry',
        source: 'dtab',
        message: `This dentry is never used: the later dentry on line ${a.lineOf(s.by)} (\`${showDentry(dtab.dentries[s.by]!)}\`) matches every path this one matches and always answers, so Linkerd never falls back to this one.`,
        relatedInformation: [{ location: { uri: a.uri, range: a.range(by) }, message: 'the dentry that always answers first' }],
      });
    }
    for (let i = 0; i < dtab.size; i++) {
      if (i % 50 === 49) await pause();
      const cycle = findCycle(dtab, i);
      if (!cycle) continue;
      const d = a.dentries[i]!;
      out.push({
        range: a.range(d.prefix),
        severity: DiagnosticSeverity.Warning,
        code: 'delegation-cycle',
        source: 'dtab',
        message: `Delegating \`${cycle.loop[0]}\` loops: ${cycle.loop.map((p) => `\`${p}\``).join(' → ')} → …; Linkerd gives up after 100 steps ("Max recursion level reached").`,
      });
    }
    return out;
  }

  // ---- formatting and fixes ---------------------------------------------------------------------

  /** The whole document formatted, as one edit; none when already formatted or not parseable. */
  format(doc: TextDocument | Analysis): TextEdit[] {
    const a = this.an(doc);
    const formatted = formatDtab(a.syntax);
    if (formatted === undefined || formatted === a.syntax.text) return [];
    return [{ range: a.range({ start: 0, end: a.syntax.text.length }), newText: formatted }];
  }

  /**
   * Formats the dentries that lie in `range` (aligned with the rest of the document). Dentries
   * with comments inside are left alone: on one line there is no place to keep them.
   */
  formatRange(doc: TextDocument | Analysis, range: Range): TextEdit[] {
    const a = this.an(doc);
    if (a.syntax.errors.length > 0) return [];
    const src = a.syntax.text;
    const from = a.offset(range.start);
    const to = a.offset(range.end);
    const width = a.dentries.reduce((m, d) => Math.max(m, d.prefix.end - d.prefix.start), 0);
    const edits: TextEdit[] = [];
    for (const d of a.dentries) {
      const end = d.semicolon ? d.semicolon.end : d.end;
      if (end < from || d.start > to) continue;
      if (a.syntax.comments.some((c) => c.start > d.start && c.start < end)) continue;
      const text = `${src.slice(d.prefix.start, d.prefix.end).padEnd(width)}  => ${printTree(src, d.dst)} ;`;
      if (src.slice(d.start, end) !== text) edits.push({ range: a.range({ start: d.start, end }), newText: text });
    }
    return edits;
  }

  codeActions(doc: TextDocument | Analysis, range: Range): CodeAction[] {
    const a = this.an(doc);
    return quickFixes(a, a.diagnostics, a.offset(range.start), a.offset(range.end));
  }

  // ---- structure ----------------------------------------------------------------------------------

  symbols(doc: TextDocument | Analysis): DocumentSymbol[] {
    const a = this.an(doc);
    const src = a.syntax.text;
    const out: DocumentSymbol[] = [];
    for (const e of a.syntax.entries) {
      if (e.kind === 'dentry') {
        out.push({
          name: src.slice(e.prefix.start, e.prefix.end),
          detail: `=> ${printTree(src, e.dst)}`,
          kind: SymbolKind.Key,
          range: a.range({ start: e.start, end: e.semicolon ? e.semicolon.end : e.end }),
          selectionRange: a.range(e.prefix),
        });
      } else if (e.prefix) {
        out.push({
          name: src.slice(e.prefix.start, e.prefix.end),
          detail: '(syntax error)',
          kind: SymbolKind.Key,
          range: a.range(e),
          selectionRange: a.range(e.prefix),
        });
      }
    }
    return out;
  }

  folding(doc: TextDocument | Analysis): FoldingRange[] {
    const a = this.an(doc);
    const out: FoldingRange[] = [];
    // Runs of comment lines.
    let runStart = -1;
    let runEnd = -1;
    for (const c of a.syntax.comments) {
      const line = a.lines.position(c.start).line;
      if (line === runEnd + 1 && runStart >= 0) runEnd = line;
      else {
        if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
        runStart = runEnd = line;
      }
    }
    if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    // Dentries written over several lines.
    for (const e of a.syntax.entries) {
      const start = a.lines.position(e.start).line;
      const end = a.lines.position(e.end).line;
      if (end > start) out.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Region });
    }
    return out;
  }

  selectionRanges(doc: TextDocument | Analysis, positions: Position[]): SelectionRange[] {
    const a = this.an(doc);
    return positions.map((p) => {
      const offset = a.offset(p);
      const chain = locate(a.syntax, offset);
      let parent: SelectionRange | undefined = { range: a.range({ start: 0, end: a.syntax.text.length }) };
      for (const l of chain) {
        const span = l.kind === 'entry' ? { start: l.node.start, end: l.node.semicolon ? l.node.semicolon.end : l.node.end } : l.node;
        const range = a.range(span);
        if (parent && sameRange(parent.range, range)) continue;
        parent = { range, parent };
      }
      return parent ?? { range: { start: p, end: p } };
    });
  }

  // ---- navigation ----------------------------------------------------------------------------------

  /** From a path: the dentries that rewrite it next (latest first), at their prefixes. */
  definition(doc: TextDocument | Analysis, position: Position): Location[] {
    const a = this.an(doc);
    const chain = locate(a.syntax, a.offset(position));
    const path = chain.find((l) => l.kind === 'path');
    if (!path || path.kind !== 'path') return [];
    // Up to the label under the cursor, or the whole path.
    const label = chain.find((l) => l.kind === 'label');
    const labels = path.node.labels;
    const upTo = label && label.kind === 'label' ? label.elemIndex + 1 : labels.length;
    const target = labels.slice(0, upTo).map((l) => l.value);
    const hits = a.dtab.matches(target).map((m) => m.index);
    // A path whose rest comes at run time (a prefix of longer prefixes) also leads to those.
    const longer = a.dentries
      .map((d, i) => ({ d, i }))
      .filter(({ d, i }) => !hits.includes(i) && d.prefix.elems.length > target.length && prefixMatches(a.dtab.dentries[i]!.prefix.slice(0, target.length), target))
      .map(({ i }) => i)
      .reverse();
    return [...hits, ...longer].map((i) => ({ uri: a.uri, range: a.range(a.dentries[i]!.prefix) }));
  }

  /** From a dentry's prefix: every destination path that this dentry rewrites (and the prefix itself). */
  references(doc: TextDocument | Analysis, position: Position, includeDeclaration: boolean): Location[] {
    const a = this.an(doc);
    const chain = locate(a.syntax, a.offset(position));
    const entry = chain[0];
    const inPrefix = chain.some((l) => l.kind === 'prefix');
    if (!entry || entry.kind !== 'entry' || entry.node.kind !== 'dentry' || !inPrefix) return [];
    const index = a.dentries.indexOf(entry.node);
    const prefix = a.dtab.dentries[index]!.prefix;
    const out: Location[] = includeDeclaration ? [{ uri: a.uri, range: a.range(entry.node.prefix) }] : [];
    for (const d of a.dentries) {
      for (const leaf of leaves(d.dst)) {
        const p = leaf.path.labels.map((l) => l.value);
        // Matched as written, or once the rest of the request's path is appended at run time.
        const reaches = prefixMatches(prefix, p) || (p.length < prefix.length && prefixMatches(prefix.slice(0, p.length), p));
        if (reaches) out.push({ uri: a.uri, range: a.range(leaf.path) });
      }
    }
    return out;
  }

  /** The label under the cursor and where it can be renamed, if it is a label. */
  prepareRename(doc: TextDocument | Analysis, position: Position): { range: Range; placeholder: string } | undefined {
    const a = this.an(doc);
    const label = locate(a.syntax, a.offset(position)).find((l) => l.kind === 'label');
    if (!label || label.kind !== 'label' || label.node.kind !== 'label') return undefined;
    return { range: a.range(label.node), placeholder: a.syntax.text.slice(label.node.start, label.node.end) };
  }

  /**
   * Renames the label under the cursor everywhere it names the same thing: the same label at the
   * same depth after the same leading labels, in prefixes and destination paths alike.
   */
  rename(doc: TextDocument | Analysis, position: Position, newName: string): WorkspaceEdit | undefined {
    const a = this.an(doc);
    const chain = locate(a.syntax, a.offset(position));
    const label = chain.find((l) => l.kind === 'label');
    if (!label || label.kind !== 'label' || label.node.kind !== 'label') return undefined;
    const check = parseDtab(`/${newName}=>/`);
    if (check.errors.length > 0 || newName.includes('/')) throw new Error(`\`${newName}\` is not a label: use letters, digits and _ : . # $ % - or \\xHH escapes`);
    const owner = chain.find((l) => l.kind === 'prefix' || l.kind === 'path');
    if (!owner || (owner.kind !== 'prefix' && owner.kind !== 'path')) return undefined;
    const elems = owner.kind === 'prefix' ? owner.node.elems : owner.node.labels;
    const k = label.elemIndex;
    const lead = elems.slice(0, k + 1).map((e) => (e.kind === 'label' ? e.value : undefined));
    const edits: TextEdit[] = [];
    const consider = (list: readonly { kind: string; start: number; end: number; value?: string }[]) => {
      if (list.length <= k) return;
      for (let i = 0; i <= k; i++) {
        const e = list[i]!;
        if (e.kind !== 'label' || e.value !== lead[i]) return;
      }
      edits.push({ range: a.range(list[k]!), newText: newName });
    };
    for (const e of a.syntax.entries) {
      if (e.kind === 'broken') {
        if (e.prefix) consider(e.prefix.elems);
        continue;
      }
      consider(e.prefix.elems);
      for (const leaf of leaves(e.dst)) consider(leaf.path.labels);
    }
    return { changes: { [a.uri]: edits } };
  }

  /** Paths worth delegating: the document's literal prefixes, then the paths in its destinations. */
  suggestPaths(doc: TextDocument | Analysis): string[] {
    const a = this.an(doc);
    const src = a.syntax.text;
    const out = new Set<string>();
    for (const d of a.dentries) if (!d.prefix.elems.some((e) => e.kind === 'wildcard')) out.add(src.slice(d.prefix.start, d.prefix.end));
    for (const d of a.dentries) for (const leaf of leaves(d.dst)) if (!src.startsWith('/$/', leaf.start)) out.add(src.slice(leaf.start, leaf.end));
    return [...out];
  }
}

/** The fixes of the diagnostics that touch [from, to], as quick-fix code actions. */
export function quickFixes(a: { uri: string; range(span: Span): Range }, diagnostics: readonly Diagnostic[], from: number, to: number): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (!d.fixes || d.span.end < from || d.span.start > to) continue;
    for (const fix of d.fixes) {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLsp(a, d)],
        isPreferred: d.fixes.length === 1,
        edit: { changes: { [a.uri]: fix.edits.map((e) => ({ range: a.range(e.span), newText: e.text })) } },
      });
    }
  }
  return out;
}

export function toLsp(a: { uri: string; range(span: Span): Range }, d: Diagnostic): LspDiagnostic {
  return {
    range: a.range(d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'dtab',
    // Finagle's own words (without its copy of the whole text, which the editor already shows).
    message: d.finagleMessage ? `${d.message}\nFinagle: ${d.finagleMessage.split(" found at '")[0]} found` : d.message,
    ...(d.finagleMessage ? { data: { finagleMessage: d.finagleMessage } } : {}),
    ...(d.related
      ? { relatedInformation: d.related.map((r) => ({ location: { uri: a.uri, range: a.range(r.span) }, message: r.message })) }
      : {}),
  };
}

function sameRange(x: Range, y: Range): boolean {
  return x.start.line === y.start.line && x.start.character === y.start.character && x.end.line === y.end.line && x.end.character === y.end.character;
}
