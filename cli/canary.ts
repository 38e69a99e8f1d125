// `dtab canary …`: a canary traffic shift on one dentry, step by step, for CI pipelines. The state
// (default .dtab-canary.json) keeps the plan, what `start` found and every change written, so each
// command may run in another process (abort restores exactly what start found).
//
//   dtab canary start (--file F | --namerd URL --ns NS) --name PREFIX --to DEST [--from DEST]
//                     [--stage-url URL [--stage-header 'Host: world']... [--stage-path /]]
//   dtab canary start --traffic-split NS/NAME --from STABLE-SERVICE --to CANARY-SERVICE
//   dtab canary start --deployments NS/STABLE,NS/CANARY
//                     (both: [--kubeconfig FILE] [--context NAME]; KUBECONFIG)
//                     [--steps 10,25,50,100] [--pause S,S,…] [--admin URL --router LABEL
//                     [--stable-id ID] [--canary-id ID] [--min-success-rate R] [--min-requests N]]
//   dtab canary step [--percent P] [--abort-on-gate]
//   dtab canary abort
//   dtab canary finish [--keep-fallback] [--abort-on-gate]
//   dtab canary status [--json]
//   (all: [--state FILE])
// Exit: 0 ok, 1 the dtab has syntax errors, 2 usage/unreadable/no state, 3 conflict (412, or the
// dentry changed since the canary wrote it), 4 not found (no such dentry/namespace, or the dentry
// does not route to --from; no such TrafficSplit, backend or Deployment), 5 network/server error
// (Kubernetes: also forbidden, unauthorized), 6 a gate failed (nothing written; with
// --abort-on-gate the canary is aborted), or the stage request failed (nothing written).

import { parseArgs } from 'node:util';
import {
  CanaryError,
  decodeL5dErr,
  describeBranch,
  describeStatus,
  evaluateGate,
  explainResponseHeaders,
  gateMetrics,
  isActive,
  lowerDtab,
  newCanaryState,
  nextStep,
  overrideHeader,
  parseCanaryState,
  parseDtab,
  parseTree,
  positionOf,
  serializeCanaryState,
  validatePlan,
  DEFAULT_STEPS,
  type BranchStats,
  type CanaryPlan,
  type CanaryStageRequest,
  type CanaryState,
  type GateResult,
} from '../core/index.js';
import { ReadError, syntaxErrors, UsageError, why, type Io } from './common.js';
import { DeploymentsCanaryBackend, TrafficSplitCanaryBackend, type KubeTarget } from '../remote/k8s-canary-backends.js';
import { K8sCanaryError } from '../remote/k8s-canary.js';
import { loadKubeConfig } from '../remote/k8s.js';
import { LinkerdAdmin, LinkerdError, sendThroughRouter, type RouterResult } from '../remote/linkerd.js';
import { clientFor, exitFor } from './namerd.js';
import { CanaryFileError, FileCanaryBackend, NamerdCanaryBackend, type CanaryBackend } from '../remote/canary.js';
import { HttpError, parseBaseUrl, statusText } from '../remote/http.js';
import { NamerdError } from '../remote/namerd.js';

export const DEFAULT_STATE_FILE = '.dtab-canary.json';

/** Exit status 6: a gate failed. */
export const EXIT_GATE = 6;

const OPTIONS = {
  file: { type: 'string' },
  namerd: { type: 'string' },
  ns: { type: 'string' },
  'traffic-split': { type: 'string' },
  deployments: { type: 'string' },
  name: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  steps: { type: 'string' },
  pause: { type: 'string' },
  percent: { type: 'string' },
  admin: { type: 'string' },
  router: { type: 'string' },
  'stable-id': { type: 'string' },
  'canary-id': { type: 'string' },
  'min-success-rate': { type: 'string' },
  'min-requests': { type: 'string' },
  state: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'stage-url': { type: 'string' },
  'stage-header': { type: 'string', multiple: true },
  'stage-path': { type: 'string' },
  'keep-fallback': { type: 'boolean' },
  'abort-on-gate': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Which options each command takes (besides --state). */
const ALLOWED: Record<string, readonly (keyof typeof OPTIONS)[]> = {
  start: [
    'file', 'namerd', 'ns', 'traffic-split', 'deployments', 'kubeconfig', 'context', 'name', 'from', 'to', 'steps', 'pause',
    'stage-url', 'stage-header', 'stage-path', 'admin', 'router', 'stable-id', 'canary-id', 'min-success-rate', 'min-requests',
  ],
  step: ['percent', 'abort-on-gate'],
  abort: [],
  finish: ['keep-fallback', 'abort-on-gate'],
  status: ['json'],
};

export async function canaryCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('canary needs a command: start, step, abort, finish or status');
  const allowed = ALLOWED[sub];
  if (!allowed) throw new UsageError(`unknown canary command: ${sub}`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS });
  if (positionals.length > 0) throw new UsageError(`canary ${sub} takes no arguments (got ${positionals.join(' ')})`);
  for (const k of Object.keys(values) as (keyof typeof OPTIONS)[]) {
    if (k !== 'state' && !allowed.includes(k)) throw new UsageError(`--${k} does not go with canary ${sub}`);
  }
  const stateFile = values.state ?? DEFAULT_STATE_FILE;
  const c = new Canary(io, stateFile, values);
  try {
    switch (sub) {
      case 'start':
        return await c.start();
      case 'step':
        return await c.step();
      case 'abort':
        return await c.abort();
      case 'finish':
        return await c.finish();
      default:
        return c.status();
    }
  } catch (e) {
    return c.failed(e);
  }
}

function number(flag: string, text: string, min: number, max: number, integer = false): number {
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} takes ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return n;
}

function list(flag: string, text: string, min: number, max: number): number[] {
  return text.split(',').map((s) => number(flag, s, min, max));
}

/** A destination that is a bound id itself (`/#/…` or `/$/…`, one path): its counters are under that id. */
function boundIdOf(dest: string): string | undefined {
  const t = parseTree(dest);
  if (!t.ok || t.value.kind !== 'leaf') return undefined;
  const labels = t.value.path.values;
  return labels[0] === '#' || labels[0] === '$' ? dest.trim() : undefined;
}

/** `NS/NAME`. */
function nsName(flag: string, text: string): { namespace: string; name: string } {
  const m = /^([^/\s,]+)\/([^/\s,]+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--${flag} takes NS/NAME, not ${JSON.stringify(text)}`);
  return { namespace: m[1]!, name: m[2]! };
}

function parseHeader(flag: string, h: string): [string, string] {
  const i = h.indexOf(':');
  const name = i === -1 ? '' : h.slice(0, i).trim();
  if (name === '' || /[\s:]/.test(name)) throw new UsageError(`--${flag} takes 'Name: value', not ${JSON.stringify(h)}`);
  return [name, h.slice(i + 1).trim()];
}

/** A bound id with one leading `/`, to compare `/#/a` and `#/a`. */
const normalId = (id: string) => '/' + id.trim().replace(/^\/+/, '');

type Where = 'file' | 'namerd' | 'traffic-split' | 'deployments';

/** The stage request got no answer (refused, timeout): exit 5, nothing written. */
class StageError extends Error {}

class Canary {
  constructor(
    private readonly io: Io,
    private readonly stateFile: string,
    private readonly v: Values,
  ) {}

  private now(): string {
    return (this.io.now?.() ?? new Date()).toISOString();
  }

  // ---- state ----------------------------------------------------------------------------------

  /** The state, or undefined when there is no state file. */
  private readState(): CanaryState | undefined {
    let text: string;
    try {
      text = this.io.readFile(this.stateFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ReadError(`cannot read the canary state ${this.stateFile}: ${why(e)}`);
    }
    try {
      return parseCanaryState(text, this.stateFile);
    } catch (e) {
      if (e instanceof CanaryError) throw new ReadError(`${e.message} (the canary state; if it is damaged, restore the dentry by hand from its history)`);
      throw e;
    }
  }

  private state(): CanaryState {
    const s = this.readState();
    if (!s) throw new ReadError(`no canary state in ${this.stateFile}: start one with \`dtab canary start\` (or give --state FILE)`);
    return s;
  }

  private active(): CanaryState {
    const s = this.state();
    if (!isActive(s)) throw new ReadError(`the canary of ${s.plan.name} in ${this.stateFile} is ${s.status}: start a new one with \`dtab canary start\``);
    return s;
  }

  private save(state: CanaryState): void {
    try {
      this.io.writeFile(this.stateFile, serializeCanaryState(state));
    } catch (e) {
      throw new ReadError(`cannot write the canary state ${this.stateFile}: ${why(e)}`);
    }
  }

  // ---- backends -------------------------------------------------------------------------------

  private files() {
    return { read: (f: string) => this.io.readFile(f), write: (f: string, text: string) => this.io.writeFile(f, text) };
  }

  /** Where the flags of `start` write. */
  private whereFromFlags(): Where {
    const v = this.v;
    const given = (['file', 'namerd', 'traffic-split', 'deployments'] as const).filter((k) => v[k] !== undefined);
    if (given.length === 0) throw new UsageError('canary start needs where to write: --file F, --namerd URL --ns NS, --traffic-split NS/NAME or --deployments NS/STABLE,NS/CANARY');
    if (given.length > 1) throw new UsageError(`canary start writes to one place: --${given.join(' and --')} were given`);
    if (v.ns !== undefined && v.namerd === undefined) throw new UsageError('--ns goes with --namerd');
    return given[0]!;
  }

  /** The kubeconfig and context (resolved now, and kept in the state). */
  private kubeTarget(kubeconfig: string | undefined, context: string | undefined): KubeTarget {
    let kc;
    try {
      kc = loadKubeConfig({ ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(context !== undefined ? { context } : {}) });
    } catch (e) {
      throw new ReadError(`cannot load the kubeconfig${kubeconfig !== undefined ? ` ${kubeconfig}` : ''}: ${why(e)}`);
    }
    const resolved = kc.getCurrentContext();
    if (!resolved) throw new ReadError('the kubeconfig has no current context: give --context NAME');
    return { kc, context: resolved, ...(kubeconfig !== undefined ? { kubeconfig } : {}) };
  }

  /** The backend the flags of `start` name. */
  private backendFromFlags(where: Where): CanaryBackend {
    const v = this.v;
    switch (where) {
      case 'file':
        return new FileCanaryBackend(v.file!, this.files());
      case 'namerd': {
        if (v.ns === undefined) throw new UsageError('--namerd needs --ns NS (the namespace)');
        return new NamerdCanaryBackend(clientFor(v.namerd, this.io), v.ns);
      }
      case 'traffic-split':
      case 'deployments': {
        const env = (this.io.env ?? process.env).KUBECONFIG;
        const kubeconfig = v.kubeconfig ?? (env !== undefined && env !== '' ? env : undefined);
        if (where === 'traffic-split') {
          const ts = nsName('traffic-split', v['traffic-split']!);
          return new TrafficSplitCanaryBackend(this.kubeTarget(kubeconfig, v.context), ts.namespace, ts.name);
        }
        const parts = v.deployments!.split(',');
        if (parts.length !== 2) throw new UsageError(`--deployments takes NS/STABLE,NS/CANARY (two Deployments), not ${JSON.stringify(v.deployments)}`);
        const [stable, canary] = parts.map((p) => nsName('deployments', p)) as [{ namespace: string; name: string }, { namespace: string; name: string }];
        if (stable.namespace === canary.namespace && stable.name === canary.name) throw new UsageError(`--deployments names ${stable.namespace}/${stable.name} twice: name the stable and the canary Deployment`);
        return new DeploymentsCanaryBackend(this.kubeTarget(kubeconfig, v.context), stable, canary);
      }
    }
  }

  /** The backend a state names, resumed. */
  private backendOf(state: CanaryState): CanaryBackend {
    const b = state.backend;
    let backend: CanaryBackend;
    switch (b.kind) {
      case 'file':
        backend = new FileCanaryBackend(b.file, this.files());
        break;
      case 'namerd':
        backend = new NamerdCanaryBackend(clientFor(b.url, this.io), b.ns);
        break;
      case 'traffic-split':
        backend = new TrafficSplitCanaryBackend(this.kubeTarget(b.kubeconfig, b.context), b.namespace, b.name);
        break;
      case 'deployments':
        backend = new DeploymentsCanaryBackend(this.kubeTarget(b.kubeconfig, b.context), b.stable, b.canary);
        break;
    }
    backend.resume({ plan: state.plan, original: state.original, ...(state.current ? { current: state.current } : {}) });
    return backend;
  }

  // ---- metrics --------------------------------------------------------------------------------

  private async snapshot(plan: CanaryPlan): Promise<Record<string, number> | undefined> {
    const m = plan.metrics;
    if (!m) return undefined;
    const url = parseBaseUrl(m.admin);
    if (typeof url === 'string') throw new ReadError(`--admin: ${url}`);
    const all = await new LinkerdAdmin(url).metrics();
    return gateMetrics(all, { router: m.router, stable: m.stableId, canary: m.canaryId });
  }

  /** The gate on the window since the last step (none before the first step: no canary traffic yet). */
  private gate(state: CanaryState, now: Record<string, number> | undefined): GateResult | undefined {
    const m = state.plan.metrics;
    if (!m || !now || state.position < 0 || !state.lastMetrics) return undefined;
    return evaluateGate(state.plan.gate ?? {}, state.lastMetrics.values, now, { router: m.router, stable: m.stableId, canary: m.canaryId });
  }

  private printBranches(branches: readonly BranchStats[], to: (s: string) => void): void {
    for (const b of branches) to(`  ${describeBranch(b)}\n`);
  }

  /** A failed gate: recorded; with --abort-on-gate the canary is aborted. Exit 6. */
  private async gateFailed(state: CanaryState, backend: CanaryBackend, g: GateResult, wanted: string): Promise<number> {
    const at = this.now();
    this.io.err(`dtab: the gate failed at ${state.percent}%: ${wanted} was not applied\n${g.reasons.map((r) => `  ${r}\n`).join('')}`);
    this.printBranches(g.perBranch, this.io.err);
    state.status = 'gate-failed';
    state.history.push({ at, action: 'gate-failed', percent: state.percent, metrics: g.perBranch, message: g.reasons.join('; ') });
    this.save(state);
    if (this.v['abort-on-gate']) await this.doAbort(state, backend, 'the gate failed (--abort-on-gate)');
    return EXIT_GATE;
  }

  // ---- commands -------------------------------------------------------------------------------

  async start(): Promise<number> {
    const v = this.v;
    const existing = this.readState();
    if (existing && isActive(existing)) {
      throw new ReadError(`a canary of ${existing.plan.name} is ${existing.status} at ${existing.percent}% (${this.stateFile}): finish or abort it first`);
    }
    const where = this.whereFromFlags();
    const dtab = where === 'file' || where === 'namerd';
    if (dtab) {
      if (v.name === undefined) throw new UsageError('canary start needs --name PREFIX (the logical name\'s dentry, e.g. /host/world)');
      if (v.to === undefined) throw new UsageError('canary start needs --to DEST (the canary destination)');
      if (v.kubeconfig !== undefined || v.context !== undefined) throw new UsageError('--kubeconfig and --context go with --traffic-split or --deployments');
    } else {
      if (v.name !== undefined) throw new UsageError(`--name names a dentry: a ${where === 'traffic-split' ? 'TrafficSplit canary is named by --traffic-split NS/NAME' : 'Deployments canary is named by --deployments NS/STABLE,NS/CANARY'}`);
      if (where === 'traffic-split' && (v.from === undefined || v.to === undefined)) throw new UsageError('--traffic-split needs --from SERVICE and --to SERVICE (the stable and the canary backend of the split)');
      if (where === 'deployments' && (v.from !== undefined || v.to !== undefined)) throw new UsageError('--deployments NS/STABLE,NS/CANARY names the stable and the canary: --from and --to go with --file, --namerd or --traffic-split');
      if (v['stage-url'] !== undefined) throw new UsageError(`--stage-url sends the canary as an l5d-dtab override, which concerns dtabs: it goes with --file or --namerd, not --${where}`);
    }
    if (v['stage-url'] === undefined && (v['stage-header'] !== undefined || v['stage-path'] !== undefined)) throw new UsageError('--stage-header and --stage-path go with --stage-url');
    const stage = this.stageFromFlags();
    const steps = v.steps !== undefined ? list('steps', v.steps, 0, 100) : [...DEFAULT_STEPS];
    const pauses = v.pause !== undefined ? list('pause', v.pause, 0, 7 * 24 * 3600) : undefined;
    const gate: { minSuccessRate?: number; minRequests?: number } = {};
    if (v['min-success-rate'] !== undefined) gate.minSuccessRate = number('min-success-rate', v['min-success-rate'], 0, 1);
    if (v['min-requests'] !== undefined) gate.minRequests = number('min-requests', v['min-requests'], 0, Number.MAX_SAFE_INTEGER, true);
    const gated = Object.keys(gate).length > 0;
    if ((v.admin === undefined) !== (v.router === undefined)) throw new UsageError('--admin URL and --router LABEL go together (the linkerd admin and the router whose counters the gate reads)');
    if (gated && v.admin === undefined) throw new UsageError('--min-success-rate and --min-requests need --admin URL --router LABEL');
    if (v.admin === undefined && (v['stable-id'] !== undefined || v['canary-id'] !== undefined)) throw new UsageError('--stable-id and --canary-id go with --admin and --router');
    if (v.admin !== undefined) {
      const url = parseBaseUrl(v.admin);
      if (typeof url === 'string') throw new UsageError(`--admin: ${url}`);
    }
    const backend = this.backendFromFlags(where);

    // The plan's name, stable and canary: a dentry prefix and destinations (dtab); the split and
    // two of its backend services; two Deployments.
    let name: string;
    let from: string;
    let to: string;
    if (backend instanceof DeploymentsCanaryBackend) {
      const [s, c] = [backend.stable, backend.canary];
      [name, from, to] = [`${s.namespace}/${s.name},${c.namespace}/${c.name}`, `${s.namespace}/${s.name}`, `${c.namespace}/${c.name}`];
    } else if (backend instanceof TrafficSplitCanaryBackend) {
      [name, from, to] = [`${backend.namespace}/${backend.name}`, v.from!, v.to!];
    } else {
      // --from defaults to where the dentry routes now.
      [name, from, to] = [v.name!, v.from ?? (await this.currentDestination(backend, v.name!)), v.to!];
    }
    const stableId = v['stable-id'] ?? boundIdOf(from);
    const canaryId = v['canary-id'] ?? boundIdOf(to);
    if (v.admin !== undefined && (stableId === undefined || canaryId === undefined)) {
      const which = stableId === undefined ? `--stable-id (the bound id ${from} reaches, e.g. /#/io.l5d.fs/world-v1)` : `--canary-id (the bound id ${to} reaches)`;
      throw new UsageError(`the gate reads linkerd's client counters by bound id: give ${which}`);
    }
    let plan: CanaryPlan;
    try {
      plan = validatePlan(
        {
          name,
          stable: from,
          canary: to,
          steps,
          ...(pauses ? { pauseSeconds: pauses } : {}),
          ...(gated ? { gate } : {}),
          ...(stage ? { stage: { request: stage } } : {}),
          ...(v.admin !== undefined ? { metrics: { admin: v.admin, router: v.router!, stableId: stableId!, canaryId: canaryId! } } : {}),
        },
        'canary start',
        'the plan',
        dtab ? 'dtab' : 'kubernetes',
      );
    } catch (e) {
      if (e instanceof CanaryError) throw new UsageError(e.message);
      throw e;
    }
    const original = await backend.start(plan);
    const state = newCanaryState(backend.ref, plan, original, this.now());
    const current = backend.current();
    if (current) state.current = current;
    let staged = '';
    if (plan.stage) {
      // Before any production traffic moves: one request with the canary as an l5d-dtab override.
      const r = await this.runStage(plan);
      state.history.push({ at: this.now(), action: r.ok ? 'stage' : 'stage-failed', percent: 0, message: r.message });
      if (!r.ok) {
        state.status = 'aborted';
        this.save(state);
        this.io.err(`dtab: the stage request through the canary failed: ${r.message}; nothing was written, the canary did not start\n${r.explained}`);
        return EXIT_GATE;
      }
      staged = `  stage: ${r.message}\n`;
    }
    const metrics = await this.snapshot(plan);
    if (metrics) state.lastMetrics = { at: state.history[0]!.at, values: metrics };
    this.save(state);
    this.io.out(`started canary ${plan.name}: ${plan.stable} → ${plan.canary} in ${backend.describe()}\n  ${this.found(state)}\n${staged}  steps: ${plan.steps.map((s) => `${s}%`).join(' → ')}\n  state: ${this.stateFile}\n  next: dtab canary step (→ ${plan.steps[0]}%)\n`);
    return 0;
  }

  /** What start found: the dentry, the weights, the replica counts. */
  private found(state: CanaryState): string {
    const o = state.original;
    if (o.dentryText !== undefined) return `dentry: ${o.dentryText}`;
    if (o.weights) return `weights: ${JSON.stringify(o.weights)}`;
    return `replicas: ${state.current?.written ?? JSON.stringify(o.replicas)}`;
  }

  /** The stage request of the flags (checked), if any. */
  private stageFromFlags(): CanaryStageRequest | undefined {
    const v = this.v;
    if (v['stage-url'] === undefined) return undefined;
    const url = parseBaseUrl(v['stage-url']);
    if (typeof url === 'string') throw new UsageError(`--stage-url: ${url}`);
    const path = v['stage-path'] ?? '/';
    if (!path.startsWith('/')) throw new UsageError(`--stage-path starts with /, not ${JSON.stringify(path)}`);
    const headers = (v['stage-header'] ?? []).map((h) => parseHeader('stage-header', h));
    return { url: v['stage-url'], path, ...(headers.length ? { headers } : {}) };
  }

  /**
   * Sends the stage request: the plan's name routed to the canary alone, as an l5d-dtab override
   * in Dtab.show form. Passes with an answer Linkerd did not make as an error (no l5d-err), a
   * status below 500, and l5d-dst-client (when the answer has one) the canary's bound id (when known).
   */
  private async runStage(plan: CanaryPlan): Promise<{ ok: boolean; message: string; explained: string }> {
    const req = plan.stage!.request;
    const url = parseBaseUrl(req.url);
    if (typeof url === 'string') throw new ReadError(`the stage URL ${req.url}: ${url}`);
    const override = overrideHeader(lowerDtab(parseDtab(`${plan.name} => ${plan.canary}`)));
    let r: RouterResult;
    try {
      r = await sendThroughRouter({ url, method: req.method ?? 'GET', path: req.path, headers: req.headers ?? [], override });
    } catch (e) {
      if (e instanceof HttpError) throw new StageError(`the stage request got no answer: ${e.message}; nothing was written, the canary did not start`);
      throw e;
    }
    const res = r.response;
    const expected = plan.metrics?.canaryId ?? boundIdOf(plan.canary);
    const client = res.headers['l5d-dst-client'];
    const err = res.headers['l5d-err'];
    const reasons: string[] = [];
    if (err !== undefined) reasons.push(`Linkerd answered ${statusText(res)} with an error of its own (l5d-err): ${decodeL5dErr(err).split('\n')[0]!.trim()}`);
    else if (res.status >= 500) reasons.push(`the answer is ${statusText(res)}${client !== undefined ? ` from ${client}` : ''}`);
    if (err === undefined && expected !== undefined && client !== undefined && normalId(client) !== normalId(expected)) reasons.push(`Linkerd sent it to ${client}, not to the canary ${expected}`);
    const sent = `${r.sent.method} ${r.sent.url} with l5d-dtab ${override}`;
    let explained = '';
    for (const [k, val] of r.sent.headers) explained += `  > ${k}: ${val}\n`;
    explained = `  > ${r.sent.method} ${r.sent.url}\n${explained}  < ${statusText(res)}\n`;
    for (const h of explainResponseHeaders(res.rawHeaders)) if (h.meaning !== undefined) explained += `  < ${h.name}: ${h.value}\n      ${h.meaning.split('\n')[0]}\n`;
    if (res.body !== '') explained += res.body.replace(/\n+$/, '').slice(0, 2000).split('\n').map((l) => `  | ${l}\n`).join('');
    if (reasons.length) return { ok: false, message: reasons.join('; '), explained };
    return { ok: true, message: `${sent}: ${statusText(res)}${client !== undefined ? ` from ${client}` : ''}`, explained };
  }

  /** Where the name's dentry routes now (for --from's default). */
  private async currentDestination(backend: CanaryBackend, name: string): Promise<string> {
    if (!backend.destinationOf) throw new UsageError(`canary start needs --from DEST with ${backend.describe()}`);
    return backend.destinationOf(name);
  }

  async step(): Promise<number> {
    const state = this.active();
    const backend = this.backendOf(state);
    const target = this.v.percent !== undefined ? number('percent', this.v.percent, 0, 100) : nextStep(state);
    if (target === undefined) throw new ReadError(`the canary of ${state.plan.name} is at its last step (${state.percent}%): \`dtab canary finish\` ends it`);
    const wait = this.pauseLeft(state);
    if (wait !== undefined) {
      this.io.err(`dtab: the canary of ${state.plan.name} has been at ${state.percent}% for ${wait.stayed} s of its ${wait.pause} s pause: try again in ${wait.pause - wait.stayed} s\n`);
      return EXIT_GATE;
    }
    const metrics = await this.snapshot(state.plan);
    const g = this.gate(state, metrics);
    if (g && !g.ok) return this.gateFailed(state, backend, g, `${target}%`);
    const w = await backend.apply(target);
    const at = this.now();
    const from = state.percent;
    state.percent = target;
    state.position = positionOf(state.plan, target);
    state.status = 'running';
    const current = backend.current();
    if (current) state.current = current;
    state.history.push({ at, action: 'step', percent: target, written: w.written, ...(g ? { metrics: g.perBranch } : {}) });
    if (metrics) state.lastMetrics = { at, values: metrics };
    this.save(state);
    this.io.out(`canary ${state.plan.name}: ${from}% → ${target}% (${backend.describe()})\n  wrote: ${w.written}\n`);
    if (g) this.printBranches(g.perBranch, this.io.out);
    const next = nextStep(state);
    this.io.out(`  next: ${next === undefined ? 'dtab canary finish' : `dtab canary step (→ ${next}%)`}\n`);
    return 0;
  }

  /** The pause left at this step, if the plan has one and it has not passed. */
  private pauseLeft(state: CanaryState): { pause: number; stayed: number } | undefined {
    const pause = state.position >= 0 ? state.plan.pauseSeconds?.[state.position] : undefined;
    if (pause === undefined || pause === 0) return undefined;
    const since = [...state.history].reverse().find((h) => h.action === 'step');
    if (!since) return undefined;
    const stayed = Math.floor(((this.io.now?.() ?? new Date()).getTime() - Date.parse(since.at)) / 1000);
    return stayed >= pause ? undefined : { pause, stayed: Math.max(0, stayed) };
  }

  private async doAbort(state: CanaryState, backend: CanaryBackend, why: string): Promise<void> {
    const w = await backend.abort(state.original);
    state.status = 'aborted';
    state.percent = 0;
    state.position = -1;
    const current = backend.current();
    if (current) state.current = current;
    state.history.push({ at: this.now(), action: 'abort', percent: 0, written: w.written, message: why });
    this.save(state);
    this.io.out(`aborted canary ${state.plan.name} (${why}): restored ${state.original.dentryText ?? w.written}\n${w.note ? `  ${w.note}\n` : ''}`);
  }

  async abort(): Promise<number> {
    const state = this.active();
    await this.doAbort(state, this.backendOf(state), 'dtab canary abort');
    return 0;
  }

  async finish(): Promise<number> {
    const state = this.active();
    const backend = this.backendOf(state);
    const keep = this.v['keep-fallback'] ?? false;
    if (keep && state.backend.kind === 'traffic-split') throw new UsageError('--keep-fallback: a TrafficSplit has no fallback (no `canary | stable` as a dtab has); finish without it sends all traffic to the canary (its weight all, the stable 0)');
    if (keep && state.backend.kind === 'deployments') throw new UsageError('--keep-fallback: a replica ratio of two Deployments has no fallback (no `canary | stable` as a dtab has); finish without it scales the stable to 0 and the canary to all the replicas');
    const metrics = await this.snapshot(state.plan);
    const g = this.gate(state, metrics);
    if (g && !g.ok) return this.gateFailed(state, backend, g, 'finish');
    const w = await backend.finish({ keepStableAsFallback: keep });
    const at = this.now();
    state.status = 'finished';
    state.percent = 100;
    state.position = state.plan.steps.length - 1;
    const current = backend.current();
    if (current) state.current = current;
    state.history.push({ at, action: 'finish', percent: 100, written: w.written, ...(g ? { metrics: g.perBranch } : {}), message: keep ? 'the stable destination kept as the fallback' : 'the canary alone' });
    if (metrics) state.lastMetrics = { at, values: metrics };
    this.save(state);
    this.io.out(`finished canary ${state.plan.name}: all traffic to ${state.plan.canary}${keep ? `, ${state.plan.stable} as the fallback` : ''} (${backend.describe()})\n  wrote: ${w.written}\n`);
    if (g) this.printBranches(g.perBranch, this.io.out);
    return 0;
  }

  status(): number {
    const state = this.state();
    if (this.v.json) this.io.out(serializeCanaryState(state));
    else this.io.out(describeStatus(state).map((l) => l + '\n').join(''));
    return 0;
  }

  // ---- errors ---------------------------------------------------------------------------------

  failed(e: unknown): number {
    const io = this.io;
    if (e instanceof CanaryError) {
      if (e.kind === 'syntax' && e.syntax) {
        const where = this.v.file ?? this.readStateQuietly()?.backend;
        const label = typeof where === 'string' ? where : where?.kind === 'file' ? where.file : where?.kind === 'namerd' ? `namerd namespace ${where.ns}` : 'the dtab';
        io.err(`dtab: ${label} has syntax errors; nothing was written\n`);
        syntaxErrors(io, label, e.syntax);
        return 1;
      }
      io.err(`dtab: ${e.message}\n`);
      return e.kind === 'syntax' ? 1 : e.kind === 'not-found' ? 4 : e.kind === 'conflict' ? 3 : 2;
    }
    if (e instanceof NamerdError) {
      if (e.kind === 'conflict') {
        io.err(`dtab: the namespace changed on ${e.server} between the canary's read and its write (${e.status ?? 412} Precondition Failed): nothing was overwritten; run the same command again to retry on the new version\n`);
        return 3;
      }
      io.err(`dtab: ${e.message}\n`);
      return exitFor(e, false);
    }
    if (e instanceof LinkerdError || e instanceof HttpError) {
      io.err(`dtab: cannot read the gate's metrics: ${e.message}\n`);
      return 5;
    }
    if (e instanceof K8sCanaryError) {
      io.err(`dtab: ${e.message}\n`);
      return e.kind === 'conflict' ? 3 : e.kind === 'not-found' ? 4 : e.kind === 'invalid' ? 2 : 5;
    }
    if (e instanceof StageError) {
      io.err(`dtab: ${e.message}\n`);
      return 5;
    }
    if (e instanceof CanaryFileError) {
      io.err(`dtab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  private readStateQuietly(): CanaryState | undefined {
    try {
      return this.readState();
    } catch {
      return undefined;
    }
  }
}
