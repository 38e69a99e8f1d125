// The fuzz worker thread: runs one case at a time for the runner (run.ts) and answers with the
// outcome. The runner times each case out, and sees this thread die on a crash or out of memory.

import { parentPort } from 'node:worker_threads';
import { checks } from './checks.js';

export interface CaseRequest {
  readonly id: number;
  readonly property: string;
  readonly input: unknown;
}

export type CaseResult =
  | { readonly id: number; readonly ok: true; readonly ms: number; readonly heapMb?: number }
  | { readonly id: number; readonly ok: false; readonly ms: number; readonly error: string };

/** An error for the report: its message (bounded: some embed the whole input) and top frames. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return `threw ${String(e).slice(0, 500)}`;
  const message = e.message.length > 1500 ? `${e.message.slice(0, 1200)} …(${e.message.length} chars)` : e.message;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 4)
    .map((l) => l.trim().replace(/\(.*\/(core|cli|server|test)\//, '($1/'));
  return `${e.name}: ${message}${frames.length ? `\n  ${frames.join('\n  ')}` : ''}`;
}

parentPort!.on('message', async (req: CaseRequest) => {
  const started = performance.now();
  const check = checks[req.property];
  let result: CaseResult;
  try {
    if (!check) throw new Error(`no check named ${req.property}`);
    const info = await check(req.input);
    result = { id: req.id, ok: true, ms: performance.now() - started, ...(info && info.heapMb !== undefined ? { heapMb: info.heapMb } : {}) };
  } catch (e) {
    result = { id: req.id, ok: false, ms: performance.now() - started, error: describe(e) };
  }
  parentPort!.postMessage(result);
});
