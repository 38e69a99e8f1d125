// One analysis of a dtab's text: parsed once, lowered and checked on demand. Every language
// feature (in this folder) reads it; hosts (the language server, the CLI) only convert its
// offsets and spans to their own shapes.

import { checkDtab, type Diagnostic } from '../check/check.js';
import { printTree } from '../print/format.js';
import type { Dtab } from '../model/dtab.js';
import type { DentrySyntax, DtabSyntax } from '../syntax/ast.js';
import { dentriesOf } from '../syntax/locate.js';
import { lowerDtab } from '../syntax/lower.js';
import { parseDtab } from '../syntax/parser.js';
import { LineIndex } from '../text/lines.js';
import type { IncrementalVersion } from './incremental.js';

export interface AnalysisOptions {
  /**
   * The 0-based line of a dtab offset in the file that holds it (a dtab embedded in YAML starts
   * further down). Messages say "line N" with it. Default: lines of the dtab's own text.
   */
  readonly lineOf?: (offset: number) => number;
  /** The version of an IncrementalDtab this analysis is of: its results are kept from version to version. */
  readonly incremental?: IncrementalVersion;
}

export class DtabAnalysis {
  private model: Dtab | undefined;
  private dentryList: DentrySyntax[] | undefined;
  private checked: readonly Diagnostic[] | undefined;
  private lineIndex: LineIndex | undefined;
  private readonly lineAt: ((offset: number) => number) | undefined;
  private readonly incremental: IncrementalVersion | undefined;

  constructor(
    readonly syntax: DtabSyntax,
    options: AnalysisOptions = {},
  ) {
    this.lineAt = options.lineOf;
    this.incremental = options.incremental;
  }

  get text(): string {
    return this.syntax.text;
  }

  /** The dtab of the dentries that parsed; index i is dentries[i]. */
  get dtab(): Dtab {
    return (this.model ??= this.incremental ? this.incremental.dtab() : lowerDtab(this.syntax));
  }

  /** The parsed dentries (broken entries left out), in source order. */
  get dentries(): DentrySyntax[] {
    return (this.dentryList ??= this.incremental ? this.incremental.dentries : dentriesOf(this.syntax));
  }

  /** The quick diagnostics: syntax errors and the warnings of one walk (core/check). */
  get diagnostics(): readonly Diagnostic[] {
    return (this.checked ??= this.incremental ? this.incremental.diagnostics() : checkDtab(this.syntax));
  }

  /** 0-based line of an offset, in the file that holds the dtab. */
  line(offset: number): number {
    if (this.lineAt) return this.lineAt(offset);
    return (this.lineIndex ??= new LineIndex(this.syntax.text)).position(offset).line;
  }

  /** A dentry as written, spacing normalised (`/host/world => 9 * /srv/world-v1`), for messages. */
  dentryText(index: number): string {
    const d = this.dentries[index]!;
    return `${this.text.slice(d.prefix.start, d.prefix.end)} => ${printTree(this.text, d.dst)}`;
  }

  /** "line 3" for a dentry index (1-based, as people count). */
  lineOf(index: number): number {
    return this.line(this.dentries[index]!.start) + 1;
  }
}

/** Parses a dtab's text into an analysis. */
export function analyzeDtab(text: string, options: AnalysisOptions = {}): DtabAnalysis {
  return new DtabAnalysis(parseDtab(text), options);
}
