// `dtab test`: routing assertions (`.dtab-test` files) checked against a dtab, for CI.
//   dtab test [--dtab FILE | --config FILE [--router LABEL] | --namerd URL --ns NS]
//             [--snapshot FILE | --kubeconfig FILE [--context NAME]] [--format text|json] TESTFILE...
// The dtab: the flags, else each file's header comment (`# dtab: FILE`, `# config: FILE router: L`,
// `# namerd: URL ns: NS`; files relative to the test file). Cluster data: --snapshot or --kubeconfig,
// else the file's `# snapshot: FILE` header; with none, no cluster is contacted: /#/ names stay as
// written (their addresses unknown).
// Text: one line per failing assertion, `file:line: FAIL PATH: expected …, got …`, then the
// delegation that led there, and a count. JSON: [{file, line, path, expected, actual, ok}] (line 1-based).
// Exit status: 0 every assertion holds, 1 one fails or a file has errors (a test file's syntax, the
// dtab's, a config without that router), 2 usage or unreadable files (or no dtab named),
// 5 the cluster or namerd could not be read.

import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkConfigText,
  interpreterFor,
  LineIndex,
  lowerDtab,
  parseDtab,
  parseDtabTestFile,
  pickConfigDtab,
  renderDelegateTree,
  runAssertions,
  type AssertionOutcome,
  type Dtab,
  type DtabSyntax,
  type NamerSpec,
  type TestSource,
} from '../core/index.js';
import { read, ReadError, syntaxErrors, UsageError, type Io } from './common.js';
import { openSources, sourceTrouble } from './sources.js';
import { NamerdClient, NamerdError } from '../remote/namerd.js';

/** A tested dtab, loaded once per source. */
type Loaded =
  | { readonly ok: true; readonly dtab: Dtab; readonly where: string; readonly lineOf: (dentry: number) => number; readonly namers: readonly NamerSpec[] | undefined; readonly baseDir: string | undefined }
  | { readonly ok: false; readonly status: 1 | 2 | 5 };

export async function testCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dtab: { type: 'string' },
      config: { type: 'string' },
      router: { type: 'string' },
      namerd: { type: 'string' },
      ns: { type: 'string' },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not ${values.format}`);
  if ([values.dtab, values.config, values.namerd].filter((v) => v !== undefined).length > 1) throw new UsageError('give at most one of --dtab FILE, --config FILE or --namerd URL');
  if (values.router !== undefined && values.config === undefined) throw new UsageError('--router goes with --config');
  if ((values.namerd === undefined) !== (values.ns === undefined)) throw new UsageError('--namerd URL and --ns NS go together');
  const live = values.kubeconfig !== undefined || values.context !== undefined;
  if (values.snapshot !== undefined && live) throw new UsageError('--snapshot cannot be used with --kubeconfig or --context');
  if (positionals.length === 0) throw new UsageError('no TESTFILE given');

  const flagSource: TestSource | undefined =
    values.dtab !== undefined
      ? { kind: 'dtab', file: values.dtab }
      : values.config !== undefined
        ? { kind: 'config', file: values.config, ...(values.router !== undefined ? { router: values.router } : {}) }
        : values.namerd !== undefined
          ? { kind: 'namerd', url: values.namerd, ns: values.ns! }
          : undefined;

  // Cluster data: the flags, else each file's `# snapshot:` header (one Sources per snapshot file).
  const flagged = values.snapshot !== undefined || live;
  const sourcesBy = new Map<string, ReturnType<typeof openSources>>();
  const sourcesFor = (snapshot: string | undefined) => {
    const key = flagged ? '' : (snapshot ?? '');
    let s = sourcesBy.get(key);
    if (!s) sourcesBy.set(key, (s = flagged ? openSources(io, { snapshot: values.snapshot, kubeconfig: values.kubeconfig, context: values.context, live }) : openSources(io, { snapshot: snapshot, live: false })));
    return s;
  };
  try {
    const loaded = new Map<string, Loaded>();
    const load = async (source: TestSource): Promise<Loaded> => {
      const key = JSON.stringify(source);
      let l = loaded.get(key);
      if (!l) loaded.set(key, (l = await loadSource(io, source)));
      return l;
    };
    const rows: { file: string; outcome: AssertionOutcome }[] = [];
    const text: string[] = [];
    let status = 0;
    const worst = (s: number) => {
      // 5 (cannot reach) and 2 (usage, unreadable) outrank 1 (failures).
      if (s === 5 || (s === 2 && status !== 5) || (s === 1 && status === 0)) status = s;
    };
    for (const file of positionals) {
      let content: string;
      try {
        content = read(io, file);
      } catch (e) {
        if (!(e instanceof ReadError)) throw e;
        io.err(`dtab: ${e.message}\n`);
        worst(2);
        continue;
      }
      const parsed = parseDtabTestFile(content);
      const index = new LineIndex(content);
      for (const p of parsed.problems) {
        const at = index.position(p.span.start);
        io.err(`${file}:${at.line + 1}:${at.character + 1}: ${p.severity}: ${p.message}\n`);
        if (p.severity === 'error') worst(1);
      }
      const headerSource = parsed.header?.source;
      const source = flagSource ?? (headerSource && relativeTo(file, headerSource));
      if (!source) {
        io.err(`dtab: ${file}: no dtab to test: name it in a header comment (# dtab: FILE, # config: FILE router: LABEL, # namerd: URL ns: NS) or with --dtab, --config or --namerd\n`);
        worst(2);
        continue;
      }
      const l = await load(source);
      if (!l.ok) {
        worst(l.status);
        continue;
      }
      let sources;
      try {
        sources = sourcesFor(parsed.snapshot && join(dirname(file), parsed.snapshot.file));
      } catch (e) {
        io.err(`dtab: ${e instanceof ReadError ? e.message : `cannot read the snapshot: ${(e as Error).message}`}\n`);
        worst(2);
        continue;
      }
      const interpreter = interpreterFor({ registry: sources.registry(l.baseDir), ...(l.namers ? { namers: l.namers } : {}) });
      const outcomes = await runAssertions(parsed, (p) => interpreter.delegate(l.dtab, p));
      if (sourceTrouble(sources, io)) return 5;
      for (const o of outcomes) {
        rows.push({ file, outcome: o });
        const where = `${file}:${o.assertion.line + 1}`;
        if (!o.ok) {
          worst(1);
          text.push(`${where}: FAIL ${o.assertion.pathText}: expected ${o.expected}, got ${o.actual}${o.note ? ` (${o.note})` : ''}\n`);
          if (o.delegation) {
            const locate = (i: number) => `${l.where}:${l.lineOf(i)}`;
            for (const line of renderDelegateTree(o.delegation, { locate }).trimEnd().split('\n')) text.push(`    ${line}\n`);
          }
        } else if (o.note) text.push(`${where}: note: ${o.assertion.pathText}: ${o.note}\n`);
      }
    }
    if (values.format === 'json') {
      const json = rows.map(({ file, outcome: o }) => ({ file, line: o.assertion.line + 1, path: o.assertion.pathText, expected: o.expected, actual: o.actual, ok: o.ok }));
      io.out(JSON.stringify(json, null, 2) + '\n');
    } else {
      const failed = rows.filter((r) => !r.outcome.ok).length;
      const n = rows.length;
      io.out(text.join('') + `${n} assertion${n === 1 ? '' : 's'}: ${n - failed} passed, ${failed} failed\n`);
    }
    return status;
  } finally {
    for (const s of sourcesBy.values()) s.close();
  }
}

/** A header's files are relative to the test file. */
function relativeTo(testFile: string, s: TestSource): TestSource {
  if (s.kind === 'namerd') return s;
  return { ...s, file: join(dirname(testFile), s.file) };
}

async function loadSource(io: Io, source: TestSource): Promise<Loaded> {
  if (source.kind === 'namerd') {
    let text: string;
    try {
      text = (await new NamerdClient(new URL(source.url)).get(source.ns)).text;
    } catch (e) {
      if (e instanceof TypeError) {
        io.err(`dtab: ${source.url} is not a URL\n`);
        return { ok: false, status: 2 };
      }
      io.err(`dtab: namerd ${source.url} namespace ${source.ns}: ${(e as Error).message}\n`);
      return { ok: false, status: e instanceof NamerdError && e.kind === 'not-found' ? 1 : 5 };
    }
    return fromSyntax(io, parseDtab(text), `namerd ${source.ns}`, (o) => new LineIndex(text).position(o).line, undefined, undefined);
  }
  let text: string;
  try {
    text = read(io, source.file);
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    io.err(`dtab: ${e.message}\n`);
    return { ok: false, status: 2 };
  }
  if (source.kind === 'dtab') {
    const index = new LineIndex(text);
    return fromSyntax(io, parseDtab(text), source.file, (o) => index.position(o).line, undefined, undefined);
  }
  const picked = pickConfigDtab(checkConfigText(text), source.router);
  if (!picked.ok) {
    io.err(`dtab: ${source.file}: ${picked.message}\n`);
    return { ok: false, status: 1 };
  }
  const index = new LineIndex(text);
  return fromSyntax(io, picked.dtab.syntax, source.file, (o) => index.position(picked.dtab.toFile({ start: o, end: o }).start).line, picked.namers, dirname(resolvePath(source.file)));
}

function fromSyntax(io: Io, syntax: DtabSyntax, where: string, lineOf: (offset: number) => number, namers: readonly NamerSpec[] | undefined, baseDir: string | undefined): Loaded {
  if (syntaxErrors(io, where, syntax)) return { ok: false, status: 1 };
  const entries = syntax.entries.filter((e) => e.kind === 'dentry');
  return { ok: true, dtab: lowerDtab(syntax), where, lineOf: (i) => lineOf(entries[i]!.start) + 1, namers, baseDir };
}
