// The fuzz run: `npm run fuzz -- [options]`. Every property of registry.ts runs its hostile corpus,
// then random cases, each case in a worker thread (or the real language server) with a per-case
// timeout; a failure is shrunk within a budget and printed with the command that replays it.
//
//   --quick            the short deterministic run of `npm test` (seed 1, fixed case counts)
//   --seed S           fast-check seed (default: random, printed at the start)
//   --cases N          random cases per property (scaled by its share: the server gets 1 %)
//   --minutes M        a time budget for the whole run instead (split between the properties)
//   --only ID[,ID]     only these properties (ids or prefixes: parser, config/incremental, …)
//   --case N           replay random case N of --only ID with --seed S (add --quick if the run was quick)
//   --corpus K         run corpus case K of --only ID (with --path P: a shrunk one)
//   --path P           replay a shrunk case (the path a failure prints)
//   --recipe JSON      run one input (as printed) on --only ID
//   --timeout MS       per-case timeout (default 20000)
//   --shrink-seconds S time spent shrinking a failure (default 60; 10 with --quick)
//   --memory-mb MB     the worker's heap limit (default 2048)
//   --verbose          a line for every case
//   --list             the properties
// Ends with `N passed, N failed` (properties); exit status 1 when one failed.

import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeRecipe, MAX_INPUT, preview, ROOT, type LspSession } from '../support/hostile.js';
import { HEAP_LIMIT_MB } from './checks.js';
import { LspHost, WorkerHost, type Outcome } from './hosts.js';
import { MAX_NESTING, PROPERTIES, type FuzzProperty } from './registry.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string' },
    cases: { type: 'string' },
    minutes: { type: 'string' },
    only: { type: 'string' },
    case: { type: 'string' },
    corpus: { type: 'string' },
    path: { type: 'string' },
    recipe: { type: 'string' },
    timeout: { type: 'string', default: '20000' },
    'shrink-seconds': { type: 'string' },
    'memory-mb': { type: 'string', default: '2048' },
    list: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

const quick = args.quick;
const seed = args.seed !== undefined ? Number(args.seed) : quick ? 1 : (Math.random() * 2 ** 31) | 0;
const timeoutMs = Number(args.timeout);
const shrinkMs = Number(args['shrink-seconds'] ?? (quick ? 10 : 60)) * 1000;
/** Random inputs in the short run stay below 64 K characters (the corpus has the 1 MB ones). */
const maxSize = quick ? 1 << 16 : MAX_INPUT;
const replaying = args.case !== undefined || args.path !== undefined || args.recipe !== undefined || args.corpus !== undefined;
const minutes = args.minutes !== undefined ? Number(args.minutes) : undefined;
const cases = args.cases !== undefined ? Number(args.cases) : minutes !== undefined ? Number.MAX_SAFE_INTEGER : 2000;

function selected(): FuzzProperty[] {
  if (!args.only) return [...PROPERTIES];
  const wanted = args.only.split(',').map((s) => s.trim());
  const ps = PROPERTIES.filter((p) => wanted.some((w) => p.id === w || p.id.startsWith(w.endsWith('/') ? w : w + '/')));
  if (ps.length === 0) throw new Error(`no property matches --only ${args.only}; see --list`);
  return ps;
}

function numRuns(p: FuzzProperty): number {
  if (quick) return p.quick;
  return Math.max(1, Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(cases * p.share)));
}

const workers = new WorkerHost({ timeoutMs, memoryMb: Number(args['memory-mb']) });
const lsp = new LspHost({ timeoutMs, memoryMb: 0 });
const runCase = (p: FuzzProperty, input: unknown): Promise<Outcome> => (p.where === 'lsp' ? lsp.run(input as LspSession) : workers.run(p.id, input));

const replayFlags = `${quick ? '--quick ' : ''}--seed ${seed}`;
const indent = (s: string, by = '      ') => s.split('\n').join('\n' + by);

function save(p: FuzzProperty, input: unknown, label: string): string | undefined {
  try {
    const dir = join(ROOT, 'test', '.out', 'fuzz');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${p.id.replace(/\W+/g, '-')}-seed${seed}-${label}.txt`);
    writeFileSync(file, p.text(input));
    writeFileSync(file.replace(/\.txt$/, '.json'), JSON.stringify(input));
    return file.slice(ROOT.length + 1);
  } catch {
    return undefined;
  }
}

interface Stats {
  cases: number;
  slowest: { ms: number; input: unknown; label: string } | undefined;
  maxHeapMb: number;
  interrupted?: boolean;
  notes: Map<string, { count: number; example: string; label: string }>;
}

/** One fast-check run: the corpus case `corpus`, or the random cases. True when it passed. */
async function check(p: FuzzProperty, stats: Stats, corpus: number | undefined): Promise<boolean> {
  let failedAt: number | undefined;
  let budgetSpent = false;
  let firstFailure: { input: unknown; error: string; index: number } | undefined;
  let tries = 0;
  let index = corpus ?? Number((args.path ?? args.case ?? '0').split(':')[0]);
  // A shrunk case (--path) is replayed as it is; the server's sessions are too slow to shrink in --quick.
  const budget = args.path !== undefined || (p.where === 'lsp' && quick) ? 0 : shrinkMs;
  const predicate = async (input: unknown): Promise<boolean> => {
    if (failedAt !== undefined) {
      // Shrinking: past the budget (or after a hang), every smaller candidate "passes", which
      // ends the shrinking at the smallest failing input found so far.
      if (budgetSpent || performance.now() - failedAt > budget) return true;
      tries++;
    }
    const o = await runCase(p, input);
    const label = corpus !== undefined ? `corpus ${corpus}` : `case ${index}`;
    if (args.verbose) console.log(`     ${failedAt === undefined ? label : 'shrinking'}: ${o.ok ? 'ok' : 'FAIL'} ${(o.ms / 1000).toFixed(2)} s ${describeRecipe(input, 160)}`);
    if (failedAt === undefined) {
      const i = index++;
      stats.cases++;
      if (!stats.slowest || o.ms > stats.slowest.ms) stats.slowest = { ms: o.ms, input, label };
      if (o.ok && o.heapMb !== undefined) stats.maxHeapMb = Math.max(stats.maxHeapMb, o.heapMb);
      for (const n of o.notes ?? []) {
        const key = n.replace(/-?\d+(\.\d+)?(e\d+)?/g, '#');
        const seen = stats.notes.get(key);
        if (seen) seen.count++;
        else stats.notes.set(key, { count: 1, example: n, label });
      }
      if (!o.ok) firstFailure = { input, error: o.error, index: i };
    } else if (!o.ok && o.error.startsWith('hang')) budgetSpent = true;
    if (!o.ok) {
      failedAt ??= performance.now();
      throw new Error(o.error);
    }
    return true;
  };
  const params: fc.Parameters<[unknown]> =
    corpus !== undefined
      ? { seed, numRuns: 1, examples: [[p.corpus[corpus]]], ...(args.path !== undefined ? { path: args.path } : {}) }
      : {
          seed,
          numRuns: numRuns(p),
          ...(minutes !== undefined ? { interruptAfterTimeLimit: (minutes * 60_000) / selected().length, markInterruptAsFailure: false } : {}),
          ...(args.case !== undefined ? { path: args.case, numRuns: 1 } : {}),
          ...(args.path !== undefined ? { path: args.path, numRuns: 1 } : {}),
        };
  const r = await fc.check(fc.asyncProperty(p.arbitrary(maxSize), predicate), params);
  if (r.interrupted) stats.interrupted = true;
  if (!r.failed) return true;
  const shrunk = r.counterexample?.[0];
  const path = r.counterexamplePath ?? '';
  const first = firstFailure;
  const caseNo = first?.index ?? Number(path.split(':')[0]);
  const which = corpus !== undefined ? `corpus ${corpus}` : `case ${caseNo}`;
  const replay = corpus !== undefined ? `--corpus ${corpus}` : `--case ${caseNo}`;
  console.log(`   ✗ ${which} (seed ${seed}): ${r.numShrinks} shrink(s) in ${tries} tries`);
  if (first) {
    console.log(`     error: ${indent(first.error)}`);
    console.log(`     input: ${describeRecipe(first.input)}`);
    console.log(`            ${preview(p.text(first.input))}`);
  }
  if (r.numShrinks > 0 && shrunk !== undefined) {
    const err = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance);
    console.log(`     shrunk: ${describeRecipe(shrunk)}`);
    console.log(`             ${preview(p.text(shrunk))}`);
    if (err !== first?.error) console.log(`     shrunk error: ${indent(err)}`);
  }
  const saved = first && save(p, first.input, which.replace(' ', ''));
  if (saved) console.log(`     full input: ${saved} (and .json)`);
  console.log(`     replay: npm run fuzz -- ${replayFlags} --only ${p.id} ${replay}`);
  if (r.numShrinks > 0) console.log(`     replay shrunk: npm run fuzz -- ${replayFlags} --only ${p.id} ${corpus !== undefined ? `--corpus ${corpus} ` : ''}--path ${path}`);
  return false;
}

async function runProperty(p: FuzzProperty): Promise<boolean> {
  const started = performance.now();
  const stats: Stats = { cases: 0, slowest: undefined, maxHeapMb: 0, notes: new Map() };
  console.log(`${p.id}: ${p.title}`);
  let ok = true;
  let corpusFailed = 0;
  const corpusOnly = args.corpus !== undefined;
  if (corpusOnly || (args.case === undefined && args.path === undefined)) {
    const which = corpusOnly ? [Number(args.corpus)] : p.corpus.map((_, i) => i);
    for (const k of which) {
      if (!(await check(p, stats, k))) {
        ok = false;
        corpusFailed++;
      }
    }
  }
  const corpusCases = stats.cases;
  if (!corpusOnly && !(await check(p, stats, undefined))) ok = false;
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (stats.slowest && stats.slowest.ms > 1000) console.log(`     slowest: ${stats.slowest.label}, ${(stats.slowest.ms / 1000).toFixed(1)} s: ${describeRecipe(stats.slowest.input, 120)}`);
  if (p.id === 'delegate/bounded') console.log(`     largest heap growth ${stats.maxHeapMb.toFixed(1)} MB (limit ${HEAP_LIMIT_MB} MB)`);
  if (p.where === 'lsp' && lsp.peakRssMb > 0) console.log(`     server peak RSS ${lsp.peakRssMb.toFixed(0)} MB, ${lsp.restarts} restart(s)`);
  if (stats.notes.size > 0) {
    console.log(`     notes (not failures): ${[...stats.notes.values()].reduce((a, n) => a + n.count, 0)}`);
    for (const n of [...stats.notes.values()].slice(0, 6)) console.log(`       ${n.count}× e.g. ${n.label}: ${n.example}`);
  }
  const failures = corpusFailed ? `; ${corpusFailed} of ${corpusCases} corpus case(s) failed` : '';
  const budget = stats.interrupted ? ' (stopped by the time budget)' : '';
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${p.id}: ${stats.cases} case(s) (${corpusCases} corpus) in ${secs} s${budget}${failures}\n`);
  return ok;
}

async function runRecipe(p: FuzzProperty, input: unknown): Promise<boolean> {
  console.log(`input: ${describeRecipe(input)}\n       ${preview(p.text(input))}`);
  const o = await runCase(p, input);
  console.log(`${o.ok ? 'ok  ' : 'FAIL'} ${p.id} in ${(o.ms / 1000).toFixed(1)} s${o.ok ? '' : `\n     error: ${indent(o.error)}`}`);
  for (const n of o.notes ?? []) console.log(`     note: ${n}`);
  return o.ok;
}

async function main(): Promise<void> {
  if (args.list) {
    for (const p of PROPERTIES) console.log(`${p.id.padEnd(26)} ${p.title}`);
    return;
  }
  const props = selected();
  if (replaying && props.length !== 1) throw new Error('--case, --corpus, --path and --recipe replay one property: give it with --only ID');
  console.log(
    `fuzz: seed ${seed}${quick ? ' (--quick: the short deterministic run)' : ''}; ${props.length} propert${props.length === 1 ? 'y' : 'ies'}; ` +
      `per-case timeout ${timeoutMs} ms; inputs up to ${maxSize} chars (corpus up to ${MAX_INPUT}); parser nesting limit assumed ${MAX_NESTING}`,
  );
  console.log(`      replay a failing case: npm run fuzz -- ${replayFlags} --only <property> --case <N> (or --corpus <K>)\n`);
  let passed = 0;
  let failed = 0;
  try {
    for (const p of props) {
      const ok = args.recipe !== undefined ? await runRecipe(p, JSON.parse(args.recipe)) : await runProperty(p);
      if (ok) passed++;
      else failed++;
    }
  } finally {
    await workers.close();
    await lsp.close();
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`fuzz: ${(e as Error).stack ?? String(e)}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
