// `.dtab-test` files in the server: which dtab a test file tests (its header: a `.dtab` file, a
// linkerd/namerd config and router; the open document's text when it is open, else the file), the
// cluster data (the file's `# snapshot:` header, else the editor's), running its assertions, and
// the results as diagnostics, quick fixes and the Test Explorer's answers. No connection here:
// main.ts gives it the open documents, a file reader and the editor's namer registry.

import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type CompletionItem, type Diagnostic, type Position, type Range } from 'vscode-languageserver-types';
import {
  DtabAnalysis,
  checkConfigText,
  completeDtabTest,
  completionPath,
  delegationSteps,
  dtabTestDiagnostics,
  interpreterFor,
  LineIndex,
  parseDtab,
  parseDtabTestFile,
  pickConfigDtab,
  routingResult,
  runAssertions,
  acceptEdits,
  type AssertionOutcome,
  type DtabSyntax,
  type DtabTestFile,
  type Interpreter,
  type NamerRegistry,
  type NamerSpec,
  type Span,
} from '../core/index.js';
import type { TestAssertionResult, TestRunResult } from '../protocol/messages.js';
import { Sources } from '../remote/sources.js';
import { plainText, toCompletionItem } from './lsp.js';

export interface TestHost {
  /** The text of an open document (by URI), if it is open. */
  openText(uri: string): string | undefined;
  /** A file's text (undefined when it does not exist; throws when it cannot be read). */
  readFile(file: string): Promise<string | undefined>;
  /** The editor's namer registry (its cluster source), if any. */
  registry(): NamerRegistry | undefined;
}

/** The tested dtab, ready to delegate. */
interface Tested {
  readonly analysis: DtabAnalysis;
  readonly namers: readonly NamerSpec[] | undefined;
  /** The file the dtab is in, and where each dentry (by index) is in it. */
  readonly uri: string;
  readonly dentryRange: (index: number) => Range;
  readonly baseDir: string;
}

/** One run of a test file. */
export interface TestFileRun {
  readonly uri: string;
  readonly version: number | undefined;
  readonly file: DtabTestFile;
  readonly lines: LineIndex;
  /** Why the assertions could not run (no dtab named, unreadable, syntax errors in the dtab). */
  readonly problem?: string;
  readonly outcomes?: readonly AssertionOutcome[];
  readonly tested?: Tested;
  readonly interpreter?: Interpreter;
  /** The URIs this run read (dtab, config, snapshot): run again when one of them changes. */
  readonly dependencies: readonly string[];
}

function fileOf(uri: string): string | undefined {
  return uri.startsWith('file://') ? fileURLToPath(uri) : undefined;
}

function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}

function spanRange(lines: LineIndex, s: Span): Range {
  return lines.range(s);
}

export class DtabTestService {
  /** Snapshot sources by file and text (a snapshot header's file). */
  private readonly snapshots = new Map<string, { text: string; sources: Sources }>();
  private readonly last = new Map<string, TestFileRun>();

  constructor(private readonly host: TestHost) {}

  /** The latest run of a test document (for code actions). */
  lastRun(uri: string): TestFileRun | undefined {
    return this.last.get(uri);
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }

  close(): void {
    for (const s of this.snapshots.values()) s.sources.close();
    this.snapshots.clear();
  }

  /** The URIs of the test files whose last run read `uri`. */
  dependents(uri: string): string[] {
    return [...this.last.values()].filter((r) => r.dependencies.includes(uri)).map((r) => r.uri);
  }

  private async text(file: string): Promise<string | undefined> {
    return this.host.openText(uriOf(file)) ?? (await this.host.readFile(file));
  }

  /** Runs every assertion of a test file (its text: the open document's, or given). */
  async run(uri: string, text: string, version?: number): Promise<TestFileRun> {
    const file = parseDtabTestFile(text);
    const lines = new LineIndex(text);
    const base = { uri, version, file, lines };
    const here = fileOf(uri);
    const dependencies: string[] = [];
    const done = (r: TestFileRun) => {
      this.last.set(uri, r);
      return r;
    };
    const source = file.header?.source;
    if (!source) return done({ ...base, dependencies, problem: 'No dtab to test: name it in a header comment, e.g. `# dtab: ../app.dtab` or `# config: linkerd.yaml router: http`.' });
    if (source.kind === 'namerd') return done({ ...base, dependencies, problem: 'namerd namespaces are tested from the command line (`dtab test`); the editor tests `# dtab:` and `# config:` files.' });
    if (!here && !isAbsolute(source.file)) return done({ ...base, dependencies, problem: `${source.file} is relative to a file that is not on disk: save this file first.` });
    const path = isAbsolute(source.file) ? source.file : resolvePath(dirname(here!), source.file);
    dependencies.push(uriOf(path));
    let tested: Tested | string;
    try {
      tested = await this.load(source.kind, path, source.kind === 'config' ? source.router : undefined);
    } catch (e) {
      tested = `Cannot read ${source.file}: ${(e as Error).message}`;
    }
    if (typeof tested === 'string') return done({ ...base, dependencies, problem: tested });
    let registry = this.host.registry();
    if (file.snapshot) {
      const snap = isAbsolute(file.snapshot.file) ? file.snapshot.file : here ? resolvePath(dirname(here), file.snapshot.file) : undefined;
      if (snap === undefined) return done({ ...base, dependencies, problem: 'The snapshot is relative to a file that is not on disk: save this file first.' });
      dependencies.push(uriOf(snap));
      try {
        registry = await this.snapshotRegistry(snap, tested.baseDir);
      } catch (e) {
        return done({ ...base, dependencies, problem: `Cannot read the snapshot ${file.snapshot.file}: ${(e as Error).message}` });
      }
    }
    const interpreter = interpreterFor({ ...(tested.namers ? { namers: tested.namers } : {}), ...(registry ? { registry } : {}) });
    const dtab = tested.analysis.dtab;
    const outcomes = await runAssertions(file, (p) => interpreter.delegate(dtab, p));
    return done({ ...base, dependencies, outcomes, tested, interpreter });
  }

  private async snapshotRegistry(file: string, baseDir: string): Promise<NamerRegistry> {
    const text = await this.text(file);
    if (text === undefined) throw new Error('no such file');
    let s = this.snapshots.get(file);
    if (!s || s.text !== text) {
      s?.sources.close();
      s = { text, sources: new Sources({ snapshot: { text, name: file }, live: false }) };
      this.snapshots.set(file, s);
    }
    return s.sources.registry(baseDir);
  }

  private async load(kind: 'dtab' | 'config', file: string, router: string | undefined): Promise<Tested | string> {
    const text = await this.text(file);
    if (text === undefined) return `${file} does not exist.`;
    const lines = new LineIndex(text);
    const uri = uriOf(file);
    const baseDir = dirname(file);
    const fromSyntax = (syntax: DtabSyntax, toFile: (s: Span) => Span, namers: readonly NamerSpec[] | undefined, name: string): Tested | string => {
      if (syntax.errors.length > 0) {
        const e = syntax.errors[0]!;
        return `The tested dtab (${name}) has syntax errors: line ${lines.position(toFile(e.span).start).line + 1}: ${e.plain}`;
      }
      const analysis = new DtabAnalysis(syntax);
      const entries = syntax.entries.filter((x) => x.kind === 'dentry');
      return { analysis, namers, uri, baseDir, dentryRange: (i) => spanRange(lines, toFile(entries[i] ?? { start: 0, end: 0 })) };
    };
    if (kind === 'dtab') return fromSyntax(parseDtab(text), (s) => s, undefined, file);
    const picked = pickConfigDtab(checkConfigText(text), router);
    if (!picked.ok) return `${file}: ${picked.message}`;
    return fromSyntax(picked.dtab.syntax, picked.dtab.toFile, picked.namers, `${file} ${picked.name}`);
  }

  // ---- as LSP ----------------------------------------------------------------------------------

  diagnostics(run: TestFileRun): Diagnostic[] {
    return dtabTestDiagnostics(run.file, run.outcomes, run.problem).map((d) => ({
      range: spanRange(run.lines, d.span),
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      code: d.code,
      source: 'dtab-test',
      message: plainText(d.message),
    }));
  }

  /** "Accept the actual result" for the failing assertions in `range`. */
  codeActions(uri: string, range: Range, version?: number): CodeAction[] {
    const run = this.last.get(uri);
    // Spans of an older text would edit the wrong characters.
    if (!run || (version !== undefined && run.version !== undefined && run.version !== version)) return [];
    const from = run.lines.offset(range.start);
    const to = run.lines.offset(range.end);
    const out: CodeAction[] = [];
    const diagnostics = this.diagnostics(run);
    for (const o of run.outcomes ?? []) {
      if (o.ok || o.assertion.span.end < from || o.assertion.span.start > to) continue;
      const edits = acceptEdits(o);
      if (!edits) continue;
      const line = o.assertion.line;
      out.push({
        title: 'Accept the actual result',
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: diagnostics.filter((d) => d.code === 'assertion-failed' && d.range.start.line === line),
        edit: { changes: { [uri]: edits.map((e) => ({ range: spanRange(run.lines, e.span), newText: e.text })) } },
      });
    }
    return out;
  }

  /** Completion in a test document: paths from the tested dtab, the line's actual result as a destination. */
  async completion(uri: string, text: string, position: Position): Promise<CompletionItem[]> {
    const run = this.last.get(uri)?.file.text === text ? this.last.get(uri)! : await this.run(uri, text);
    const offset = run.lines.offset(position);
    const path = completionPath(run.file, offset);
    let actual: string | undefined;
    if (path && run.interpreter && run.tested) {
      try {
        actual = routingResult(await run.interpreter.delegate(run.tested.analysis.dtab, path)).text;
      } catch {
        actual = undefined;
      }
    }
    const located = { uri, range: (s: Span) => spanRange(run.lines, s) };
    return completeDtabTest(run.file, offset, run.tested?.analysis, actual).map((c) => toCompletionItem(located, c));
  }

  /** The Test Explorer's answer: every assertion with its result, steps and where they are. */
  result(run: TestFileRun): TestRunResult {
    const assertions: TestAssertionResult[] = run.file.assertions.map((a, i) => {
      const o = run.outcomes?.[i];
      const range = spanRange(run.lines, a.span);
      // Plain text, as in the diagnostics: the Test Explorer shows no Markdown.
      if (!o) return { line: a.line, range, path: a.pathText, expected: a.expectedText, state: 'skipped' as const, message: run.problem ? plainText(run.problem) : 'not run' };
      const steps = o.delegation
        ? delegationSteps(o.delegation).map((s) => ({
            text: s.dentryText ? `${s.text}  <- ${s.dentryText}` : s.text,
            ...(s.dentry !== undefined && run.tested ? { location: { uri: run.tested.uri, range: run.tested.dentryRange(s.dentry) } } : {}),
          }))
        : [];
      return {
        line: a.line,
        range,
        path: a.pathText,
        expected: o.expected,
        actual: o.actual,
        state: o.ok ? ('passed' as const) : ('failed' as const),
        ...(o.note ? { note: o.note } : {}),
        ...(o.ok ? {} : { message: `${a.pathText}: expected ${o.expected}, got ${o.actual}` }),
        steps,
      };
    });
    const problems = this.diagnostics(run).filter((d) => d.severity === DiagnosticSeverity.Error && d.code !== 'assertion-failed').map((d) => ({ range: d.range, message: d.message }));
    return { ok: true, uri: run.uri, ...(run.version !== undefined ? { version: run.version } : {}), dependencies: [...run.dependencies], ...(run.problem ? { problem: plainText(run.problem) } : {}), problems, assertions };
  }
}

/** Test documents by language, or by extension for editors that do not say. */
export function isDtabTestDocument(doc: TextDocument): boolean {
  return doc.languageId === 'linkerd-dtab-test' || doc.uri.endsWith('.dtab-test');
}

