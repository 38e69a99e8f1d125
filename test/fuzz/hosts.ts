// Where fuzz cases run: a worker thread for the core and the CLI (WorkerHost), the real language
// server over stdio for editor sessions (LspHost). Both turn a hang, a crash and running out of
// memory into a failed case, and start afresh for the next one.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DocumentSymbolRequest, ErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { LspClient, SERVER } from '../support/lsp-client.js';
import { render, type LspSession, type LspRequestName } from '../support/hostile.js';
import type { CaseRequest, CaseResult } from './worker.js';

export type Outcome =
  | { readonly ok: true; readonly ms: number; readonly heapMb?: number; readonly notes?: readonly string[] }
  | { readonly ok: false; readonly ms: number; readonly error: string; readonly notes?: readonly string[] };

export interface HostOptions {
  /** Per-case timeout: a case that takes longer is a hang, and fails. */
  readonly timeoutMs: number;
  /** The worker's heap limit: past it, the case fails as out of memory. */
  readonly memoryMb: number;
}

const WORKER = join(__dirname, 'worker.ts');

/** Runs checks in a worker thread, one case at a time; a new worker after a hang or a crash. */
export class WorkerHost {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  /** Cases run in the current worker (its heap is reported at the end). */
  restarts = 0;

  constructor(private readonly options: HostOptions) {}

  private start(): Promise<void> {
    // tsx's CommonJS hook, so that the worker loads the TypeScript sources directly. Its stack is
    // the size of a main thread's (V8's ~1 MB), so recursion overflows where it would in the CLI
    // or the language server.
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(WORKER)}); require('node:worker_threads').parentPort.postMessage('ready');`;
    const w = new Worker(code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb, stackSizeMb: 1 }, stdout: false, stderr: false });
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the fuzz worker did not start within 120 s')), 120_000);
      w.once('message', (m) => (clearTimeout(timer), m === 'ready' ? resolve() : reject(new Error(`unexpected first message ${String(m)}`))));
      w.once('error', (e) => (clearTimeout(timer), reject(e)));
    });
    return this.ready;
  }

  private async discard(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    this.restarts++;
    if (w) await w.terminate().catch(() => undefined);
  }

  async run(property: string, input: unknown): Promise<Outcome> {
    if (!this.worker) await this.start();
    else await this.ready;
    const w = this.worker!;
    const id = this.nextId++;
    const started = performance.now();
    const outcome = await new Promise<Outcome | 'hang' | { crash: string }>((resolve) => {
      const done = (v: Outcome | 'hang' | { crash: string }) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(v);
      };
      const onMessage = (m: CaseResult) => {
        if (m.id === id) done(m.ok ? { ok: true, ms: m.ms, ...(m.heapMb !== undefined ? { heapMb: m.heapMb } : {}) } : { ok: false, ms: m.ms, error: m.error });
      };
      const onError = (e: Error & { code?: string }) =>
        done({ crash: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory: the worker's heap passed ${this.options.memoryMb} MB (${e.message})` : `the worker crashed: ${e.stack ?? e.message}` });
      const onExit = (code: number) => done({ crash: `the worker exited (${code})` });
      const timer = setTimeout(() => done('hang'), this.options.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id, property, input } satisfies CaseRequest);
    });
    const ms = performance.now() - started;
    if (outcome === 'hang') {
      await this.discard();
      return { ok: false, ms, error: `hang: no answer within ${this.options.timeoutMs} ms (the per-case timeout, --timeout)` };
    }
    if ('crash' in outcome) {
      await this.discard();
      return { ok: false, ms, error: outcome.crash };
    }
    return outcome;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate().catch(() => undefined);
  }
}

// ---- the language server ---------------------------------------------------------------------------

const CANARY_URI = 'file:///fuzz/canary.dtab';
const CANARY = '/svc => /host ;\n/host => /$/inet/127.1/8080 ;\n';

function params(m: LspRequestName, uri: string, r: { at: unknown; to: unknown }): unknown {
  const textDocument = { uri };
  const options = { tabSize: 2, insertSpaces: true };
  switch (m) {
    case 'textDocument/hover':
    case 'textDocument/completion':
    case 'textDocument/definition':
    case 'textDocument/prepareRename':
      return { textDocument, position: r.at };
    case 'textDocument/references':
      return { textDocument, position: r.at, context: { includeDeclaration: true } };
    case 'textDocument/rename':
      return { textDocument, position: r.at, newName: '/renamed' };
    case 'textDocument/documentSymbol':
    case 'textDocument/foldingRange':
      return { textDocument };
    case 'textDocument/formatting':
      return { textDocument, options };
    case 'textDocument/rangeFormatting':
      return { textDocument, range: { start: r.at, end: r.to }, options };
    case 'textDocument/selectionRange':
      return { textDocument, positions: [r.at, r.to] };
    case 'textDocument/codeAction':
      return { textDocument, range: { start: r.at, end: r.to }, context: { diagnostics: [] } };
    case 'linkerdDtab/delegate':
      return { uri, path: '/svc/a', position: r.at };
    case 'linkerdDtab/suggestPaths':
      return { uri, position: r.at };
  }
}

/** Positions in an answer that no client can use: not whole numbers, negative, or missing. */
function badPositions(v: unknown, where = '', out: string[] = []): string[] {
  if (out.length >= 3 || v === null || typeof v !== 'object') return out;
  const o = v as Record<string, unknown>;
  if ('line' in o && 'character' in o) {
    for (const k of ['line', 'character'] as const) {
      const n = o[k];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) out.push(`${where}.${k} = ${JSON.stringify(n)}`);
    }
    return out;
  }
  for (const [k, x] of Object.entries(o)) badPositions(x, `${where}.${k}`, out);
  return out;
}

/** Peak resident memory of a process, in MB (Linux), or undefined. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid || !existsSync(`/proc/${pid}/status`)) return undefined;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

/**
 * Drives the real language server (dist/server.js --stdio) through hostile editor sessions. A case
 * fails when the server dies, does not answer a request (or the canary's documentSymbol) within
 * the per-case timeout, or answers with an internal error (a handler threw). Other error answers
 * (invalid params) and malformed positions in answers are notes, not failures.
 */
export class LspHost {
  private client: LspClient | undefined;
  private canarySymbols = -1;
  private docs = 0;
  /** Largest peak RSS seen of any server process, in MB. */
  peakRssMb = 0;
  restarts = 0;

  constructor(private readonly options: HostOptions) {}

  private async start(): Promise<LspClient> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`node build.mjs\` first (npm test does)`);
    const c = new LspClient({ checks: { deep: true } });
    await c.start();
    await c.open(CANARY_URI, CANARY);
    const symbols = (await c.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: CANARY_URI } })) ?? [];
    this.canarySymbols = symbols.length;
    this.client = c;
    return c;
  }

  private async discard(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.restarts++;
    if (c) {
      this.peakRssMb = Math.max(this.peakRssMb, peakRssMb(c.pid) ?? 0);
      await c.kill();
    }
  }

  /** A promise raced against the per-case timeout and the server's death. */
  private async race<T>(c: LspClient, p: Promise<T>): Promise<T | { dead: string } | { hang: true }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ hang: true }>((resolve) => (timer = setTimeout(() => resolve({ hang: true }), this.options.timeoutMs)));
    const death = c.exited.then(({ code, signal }) => ({ dead: `the server exited (${signal ?? `code ${code}`})` }));
    try {
      return await Promise.race([p, timeout, death]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A request: its answer, its error answer, or why there was none. */
  private ask(c: LspClient, method: string, p: unknown): Promise<{ answer?: unknown; error?: ResponseError<unknown>; dead?: string; hang?: true }> {
    return this.race(
      c,
      c.connection.sendRequest(method, p).then(
        (a: unknown) => ({ answer: a }),
        (e: unknown) => (e instanceof ResponseError ? { error: e } : { dead: `the connection failed: ${(e as Error).message}` }),
      ),
    );
  }

  /** A notification, written (a server that stopped reading never takes it). */
  private async notify(c: LspClient, method: string, p: unknown): Promise<string | undefined> {
    const r = await this.race(
      c,
      c.connection.sendNotification(method, p).then(
        () => ({}),
        (e: unknown) => ({ dead: `the connection failed: ${(e as Error).message}` }),
      ),
    );
    if ('hang' in r) return `the server did not read ${method} within ${this.options.timeoutMs} ms`;
    if ('dead' in r) return `${r.dead} (at ${method})`;
    return undefined;
  }

  async run(s: LspSession): Promise<Outcome> {
    const started = performance.now();
    const notes: string[] = [];
    let c: LspClient;
    try {
      c = this.client ?? (await this.start());
    } catch (e) {
      await this.discard();
      return { ok: false, ms: performance.now() - started, error: `the server did not start: ${(e as Error).message}` };
    }
    const uri = `file:///fuzz/doc${++this.docs}.${s.lang === 'dtab' ? 'dtab' : 'yaml'}`;
    const fail = async (error: string): Promise<Outcome> => {
      const tail = c.stderrTail.trim().split('\n').slice(-6).join('\n    ');
      await this.discard();
      return { ok: false, ms: performance.now() - started, error: tail ? `${error}\n  server stderr (end):\n    ${tail}` : error, notes };
    };
    const requests = async (list: LspSession['before'], stage: string): Promise<string | undefined> => {
      for (const r of list) {
        const res = await this.ask(c, r.m, params(r.m, uri, r));
        const what = `${r.m} at ${JSON.stringify(r.at)} (${stage})`;
        if (res.hang) return `no answer to ${what} within ${this.options.timeoutMs} ms`;
        if (res.dead) return `${res.dead} while waiting for ${what}`;
        // An internal error is a handler that threw: no answer. Rejecting bad params is one.
        if (res.error?.code === ErrorCodes.InternalError) return `${what} failed inside the server: ${res.error.message.slice(0, 300)}`;
        if (res.error) notes.push(`${what} answered error ${res.error.code}: ${res.error.message.slice(0, 200)}`);
        const bad = badPositions(res.answer);
        if (bad.length) notes.push(`${what} answered malformed positions: ${bad.join(', ')}`);
      }
      return undefined;
    };
    try {
      const text = render(s.doc);
      let problem = await this.notify(c, 'textDocument/didOpen', { textDocument: { uri, languageId: s.lang === 'dtab' ? 'linkerd-dtab' : 'yaml', version: 1, text } });
      problem ??= await requests(s.before, 'after didOpen');
      if (problem) return await fail(problem);
      const change = render(s.change.text);
      problem = await this.notify(c, 'textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [s.change.range ? { range: s.change.range, text: change } : { text: change }],
      });
      problem ??= await requests(s.after, 'after didChange');
      if (problem) return await fail(problem);
      // Still answering: the canary document's symbols, as at the start.
      const canary = await this.ask(c, DocumentSymbolRequest.method, { textDocument: { uri: CANARY_URI } });
      if (canary.hang) return await fail(`no answer to the canary documentSymbol within ${this.options.timeoutMs} ms`);
      if (canary.dead) return await fail(`${canary.dead} before answering the canary documentSymbol`);
      const n = Array.isArray(canary.answer) ? canary.answer.length : -1;
      if (n !== this.canarySymbols) return await fail(`the canary documentSymbol answered ${n} symbols, not ${this.canarySymbols}`);
      problem = await this.notify(c, 'textDocument/didClose', { textDocument: { uri } });
      if (problem) return await fail(problem);
      if (!c.alive) return await fail('the server exited after the session');
      this.peakRssMb = Math.max(this.peakRssMb, peakRssMb(c.pid) ?? 0);
      return { ok: true, ms: performance.now() - started, notes };
    } catch (e) {
      return await fail(`the session failed: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) {
      this.peakRssMb = Math.max(this.peakRssMb, peakRssMb(c.pid) ?? 0);
      await c.stop().catch(() => c.kill());
    }
  }
}
