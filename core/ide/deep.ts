// The checks that delegate every dentry (delegation cycles) or compare dentries with each other
// (dentries that are never used), with their messages. They cost more than the one-walk checks,
// so hosts run them after publishing those; the CLI and the language server call this same entry
// point, so they always agree. Work is bounded (per prefix and per document), and `pause` is
// awaited between small slices so a host can answer other requests meanwhile or abandon the run.

import { CycleMemo, findShadowed, mergeShadowing, CYCLE_WORK_BUDGET } from '../check/deep.js';
import type { Diagnostic } from '../check/check.js';
import type { DtabAnalysis } from './analysis.js';

/** A diagnostic of the deep checks; `unnecessary` code is shown faded by editors. */
export interface DeepDiagnostic extends Diagnostic {
  readonly unnecessary?: boolean;
  /** Where the finding comes from when not the dtab itself, e.g. `cluster: context kind-dev`. */
  readonly origin?: string;
}

/** How much work the cycle checks of one document may take in all (dentries matched, nodes made). */
export const DOCUMENT_CYCLE_WORK = 5_000_000;

/** Pause at most this often (ms of work between pauses). */
const SLICE_MS = 2;

export type Pause = () => Promise<void>;

const noPause: Pause = async () => undefined;

/**
 * Every deep diagnostic of the dtab, in source order. `memo` keeps the cycle checks of a document
 * from one version to the next (an editor passes the same one for each version): the findings are
 * the same with or without it, only the work differs.
 */
export async function deepDiagnostics(a: DtabAnalysis, pause: Pause = noPause, memo: CycleMemo = new CycleMemo()): Promise<DeepDiagnostic[]> {
  const steps = deepSteps(a, memo);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    await pause();
  }
}

/** deepDiagnostics at once, without pauses (the same findings). */
export function deepDiagnosticsSync(a: DtabAnalysis, memo: CycleMemo = new CycleMemo()): DeepDiagnostic[] {
  const steps = deepSteps(a, memo);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** The deep checks as steps: each `yield` is a place to pause (a slice of work is done). */
function* deepSteps(a: DtabAnalysis, memo: CycleMemo): Generator<void, DeepDiagnostic[]> {
  const dtab = a.dtab;
  const out: DeepDiagnostic[] = [];
  const slices: ReturnType<typeof findShadowed>[] = [];
  for (let from = 0; from < dtab.size; from += 200) {
    slices.push(findShadowed(dtab, from, from + 200));
    yield;
  }
  for (const s of mergeShadowing(slices)) {
    const d = a.dentries[s.index]!;
    const by = a.dentries[s.by]!;
    out.push({
      span: { start: d.start, end: d.end },
      severity: 'warning',
      code: 'unreachable-dentry',
      unnecessary: true,
      message: `Never used: line ${a.lineOf(s.by)} (\`${a.dentryText(s.by)}\`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.`,
      related: [{ span: { start: by.start, end: by.end }, message: 'the dentry that always answers first' }],
    });
  }
  const run = memo.begin(dtab);
  let work = 0;
  let tooComplex: { index: number; message: string } | undefined;
  let sliceStart = performance.now();
  for (let i = 0; i < dtab.size; i++) {
    const answer = memo.answer(dtab, i);
    // A prefix's work counts once per run, as if no answer had been kept from an earlier version.
    if (answer.run !== run) {
      answer.run = run;
      work += answer.work;
    }
    const r = answer.outcome;
    if ((i & 63) === 63 && performance.now() - sliceStart > SLICE_MS) {
      yield;
      sliceStart = performance.now();
    }
    const d = a.dentries[i]!;
    if (r.kind === 'cycle') {
      out.push({
        span: { start: d.prefix.start, end: d.prefix.end },
        severity: 'warning',
        code: 'delegation-cycle',
        message: `Delegation loops: ${r.loop.map((p) => `\`${p}\``).join(' → ')} → …; Linkerd gives up after 100 rewrites ("Max recursion level reached").`,
      });
    } else if (r.kind === 'too-complex') tooComplex ??= { index: i, message: r.message };
    if (work > DOCUMENT_CYCLE_WORK && i + 1 < dtab.size) {
      const next = a.dentries[i + 1]!;
      out.push({
        span: { start: next.prefix.start, end: next.prefix.end },
        severity: 'information',
        code: 'deep-checks-stopped',
        message: `Cycle checks stopped here: checking the dentries above took ${DOCUMENT_CYCLE_WORK} units of work (the bound), so the dentries from line ${a.lineOf(i + 1)} on were not checked for cycles.`,
      });
      break;
    }
  }
  memo.end(run);
  if (tooComplex) {
    const d = a.dentries[tooComplex.index]!;
    out.push({
      span: { start: d.prefix.start, end: d.prefix.end },
      severity: 'information',
      code: 'delegation-too-complex',
      message: `Not checked for cycles: delegating this prefix took more than ${CYCLE_WORK_BUDGET} units of work (dentries matched and nodes made), so the check stopped. This is not a cycle; other prefixes like it were skipped too.`,
    });
  }
  out.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
  return out;
}
