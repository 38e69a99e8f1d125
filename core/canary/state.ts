// A canary's plan and its state: plain JSON (versioned), kept between the steps of a pipeline (a
// file for the CLI), validated when read back with messages that name the field.

import type { Span } from '../text/span.js';
import { parsePrefix, parseTree } from '../syntax/parser.js';
import { CanaryError } from './errors.js';
import { canaryWeights } from './weights.js';
import { describeBranch, type BranchStats, type CanaryGate } from './gate.js';
import { basisPoints, type Weight } from './k8s-weights.js';

export const CANARY_STATE_VERSION = 1;
export const DEFAULT_STEPS: readonly number[] = [10, 25, 50, 100];

/** A request sent through a router with the canary as an `l5d-dtab` override before any traffic is shifted. */
export interface CanaryStageRequest {
  /** The router's base URL. */
  readonly url: string;
  readonly method?: string;
  /** Path (and query), from `/`. */
  readonly path: string;
  /** Sent in order; `Host` decides the logical name. */
  readonly headers?: readonly (readonly [string, string])[];
}

/** Where the gate's counters come from. */
export interface CanaryMetricsSource {
  /** The linkerd admin's base URL (`/admin/metrics.json`). */
  readonly admin: string;
  /** The router's label. */
  readonly router: string;
  /** The bound ids whose client counters are compared. */
  readonly stableId: string;
  readonly canaryId: string;
}

/**
 * What a plan's name, stable and canary are: `dtab` (file, namerd): a dentry prefix and two
 * destinations; `kubernetes`: a TrafficSplit `NS/NAME` and two of its backend services, or two
 * Deployments (`NS/STABLE,NS/CANARY`, `NS/STABLE`, `NS/CANARY`).
 */
export type CanaryPlanKind = 'dtab' | 'kubernetes';

export interface CanaryPlan {
  /** The logical name's dentry prefix, e.g. `/host/world` (Kubernetes: the TrafficSplit `NS/NAME`, or `NS/STABLE,NS/CANARY`). */
  readonly name: string;
  /** Where its traffic goes now (a destination), e.g. `/srv/world-v1` (Kubernetes: a backend service, or `NS/NAME` of a Deployment). */
  readonly stable: string;
  /** Where it is shifted to, e.g. `/srv/world-v2`. */
  readonly canary: string;
  /** The canary's percent at each step, increasing (default 10, 25, 50, 100). */
  readonly steps: readonly number[];
  /** The least time to stay at step i before the next, in seconds. */
  readonly pauseSeconds?: readonly number[];
  readonly gate?: CanaryGate;
  readonly stage?: { readonly request: CanaryStageRequest };
  readonly metrics?: CanaryMetricsSource;
}

/** Where the canary writes. The Kubernetes ones are placeholders of the backends in remote/k8s-canary.ts. */
export type CanaryBackendRef =
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'namerd'; readonly url: string; readonly ns: string }
  | { readonly kind: 'traffic-split'; readonly namespace: string; readonly name: string; readonly kubeconfig?: string; readonly context?: string }
  | {
      readonly kind: 'deployments';
      readonly stable: { readonly namespace: string; readonly name: string };
      readonly canary: { readonly namespace: string; readonly name: string };
      readonly kubeconfig?: string;
      readonly context?: string;
    };

/** What the backend held before the canary: what `abort` puts back. Each backend fills its own fields. */
export interface CanaryOriginal {
  /** dtab backends: the dentry's whole text, and where it was. */
  readonly dentryText?: string;
  readonly range?: Span;
  /** file: a hash of the whole file (sha256, hex), to tell whether an abort left it byte-identical. */
  readonly fileHash?: string;
  /** namerd: the namespace's dtab (namerd's text) and version. */
  readonly namerdText?: string;
  readonly namerdVersion?: string;
  /** traffic-split: every backend's weight exactly as read (a number, or a quantity string such as `500m`). */
  readonly weights?: Readonly<Record<string, Weight>>;
  /** traffic-split: the object as read: the version read (and written) through, its resourceVersion, its spec exactly (what abort puts back). */
  readonly trafficSplit?: { readonly apiVersion: string; readonly resourceVersion: string; readonly spec: Readonly<Record<string, unknown>> };
  /** deployments: the replica counts. */
  readonly replicas?: { readonly stable: number; readonly canary: number };
}

/** What the canary last wrote: how the next write checks that nobody else changed it. */
export interface CanaryCurrent {
  /** dtab backends: the dentry's whole text as written, and where. */
  readonly dentryText?: string;
  readonly range?: Span;
  /** Kubernetes backends: what was set (the weights or replicas, as JSON). */
  readonly written?: string;
  /** traffic-split: every backend's weight as last read or written (other weights found later: someone else changed the split). */
  readonly weights?: Readonly<Record<string, Weight>>;
  /** deployments: the replica counts as last read or written (a different count later: someone else scaled). */
  readonly replicas?: { readonly stable: number; readonly canary: number };
}

export type CanaryStatus = 'running' | 'paused' | 'aborted' | 'finished' | 'gate-failed';
/** `stage`/`stage-failed`: the stage request (through the router with the canary as an l5d-dtab override) before any traffic moved. */
export type CanaryAction = 'start' | 'stage' | 'stage-failed' | 'step' | 'gate-failed' | 'abort' | 'finish';

export interface CanaryHistoryEntry {
  /** ISO 8601. */
  readonly at: string;
  readonly action: CanaryAction;
  readonly percent?: number;
  /** Exactly what was written (the dentry for a file, the whole dtab for namerd). */
  readonly written?: string;
  /** The gate's view of the window that ended here. */
  readonly metrics?: readonly BranchStats[];
  readonly message?: string;
}

export interface CanaryState {
  readonly version: 1;
  readonly backend: CanaryBackendRef;
  readonly plan: CanaryPlan;
  /** The step reached: -1 before the first, steps.length - 1 at the last. */
  position: number;
  /** The canary's share now (a step's, or one set with --percent). */
  percent: number;
  status: CanaryStatus;
  readonly original: CanaryOriginal;
  current?: CanaryCurrent;
  readonly history: CanaryHistoryEntry[];
  /** The gate's counters at the last step (the start of the window being judged). */
  lastMetrics?: { readonly at: string; readonly values: Readonly<Record<string, number>> };
}

// ---- validation -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

class Check {
  constructor(private readonly where: string) {}
  fail(path: string, what: string): never {
    throw new CanaryError('invalid', `${this.where}: ${path}: ${what}`);
  }
  obj(v: unknown, path: string): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'must be an object');
    return v as Obj;
  }
  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, 'must be a string');
    return v;
  }
  optStr(v: unknown, path: string): string | undefined {
    return v === undefined ? undefined : this.str(v, path);
  }
  num(v: unknown, path: string, min = -Infinity, max = Infinity): number {
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'must be a number');
    if (v < min || v > max) this.fail(path, `must be from ${min} to ${max}, not ${v}`);
    return v;
  }
  int(v: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const n = this.num(v, path, min, max);
    if (!Number.isInteger(n)) this.fail(path, `must be a whole number, not ${n}`);
    return n;
  }
  arr(v: unknown, path: string, max = 100_000): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'must be an array');
    if (v.length > max) this.fail(path, `has ${v.length} elements; at most ${max}`);
    return v;
  }
  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
    // Stryker disable next-line ConditionalExpression: values holds only strings: includes() is false for anything else
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    return v as T;
  }
  span(v: unknown, path: string): Span {
    const o = this.obj(v, path);
    const start = this.int(o.start, `${path}.start`, 0);
    const end = this.int(o.end, `${path}.end`, start);
    return { start, end };
  }
  weights(v: unknown, path: string): Record<string, Weight> {
    const o = this.obj(v, path);
    const out: Record<string, Weight> = {};
    for (const [k, x] of Object.entries(o)) out[k] = typeof x === 'string' ? x : this.num(x, `${path}[${JSON.stringify(k)}]`);
    return out;
  }
  replicas(v: unknown, path: string): { stable: number; canary: number } {
    const r = this.obj(v, path);
    return { stable: this.int(r.stable, `${path}.stable`, 0), canary: this.int(r.canary, `${path}.canary`, 0) };
  }
  counts(v: unknown, path: string): Record<string, number> {
    const o = this.obj(v, path);
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(o)) out[k] = this.num(x, `${path}[${JSON.stringify(k)}]`);
    return out;
  }
}

const STATUSES: readonly CanaryStatus[] = ['running', 'paused', 'aborted', 'finished', 'gate-failed'];
const ACTIONS: readonly CanaryAction[] = ['start', 'stage', 'stage-failed', 'step', 'gate-failed', 'abort', 'finish'];

/**
 * Checks a plan (from a state, or built by a host): the name, destinations, steps, pauses and gate.
 * `kind`: what the name, stable and canary are (dtab: a prefix and destinations; kubernetes:
 * object and service names, and no stage request).
 */
export function validatePlan(plan: unknown, where = 'plan', path = 'plan', kind: CanaryPlanKind = 'dtab'): CanaryPlan {
  const c = new Check(where);
  const o = c.obj(plan, path);
  const name = c.str(o.name, `${path}.name`);
  if (kind === 'dtab') {
    const p = parsePrefix(name);
    if (!p.ok) c.fail(`${path}.name`, `${JSON.stringify(name)} is not a dentry prefix: ${p.error.plain}`);
  } else if (name.trim() === '') c.fail(`${path}.name`, 'must not be empty');
  const dest = (key: 'stable' | 'canary') => {
    const text = c.str(o[key], `${path}.${key}`);
    if (kind === 'kubernetes') {
      if (!/^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(text)) c.fail(`${path}.${key}`, `${JSON.stringify(text)} is not a Kubernetes name (lower-case letters, digits, '-' and '.'; NAME or NAMESPACE/NAME)`);
      return text;
    }
    const t = parseTree(text);
    if (!t.ok) c.fail(`${path}.${key}`, `${JSON.stringify(text)} is not a destination: ${t.error.plain}`);
    return text;
  };
  const stable = dest('stable');
  const canary = dest('canary');
  if (kind === 'kubernetes' && stable === canary) c.fail(`${path}.canary`, `is the stable one too (${stable}): nothing to shift`);
  const steps = c.arr(o.steps, `${path}.steps`, 1000).map((s, i) => c.num(s, `${path}.steps[${i}]`, 0, 100));
  if (steps.length === 0) c.fail(`${path}.steps`, 'must have at least one step');
  steps.forEach((s, i) => {
    if (s === 0) c.fail(`${path}.steps[${i}]`, 'must be more than 0 (0% is where the canary starts)');
    try {
      if (kind === 'dtab') canaryWeights(s);
      else basisPoints(s);
    } catch (e) {
      c.fail(`${path}.steps[${i}]`, (e as Error).message);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: at i = 0, steps[-1] is undefined and s <= undefined is false
    if (i > 0 && s <= steps[i - 1]!) c.fail(`${path}.steps`, `must increase: ${steps[i - 1]} then ${s}`);
  });
  const out: { -readonly [K in keyof CanaryPlan]: CanaryPlan[K] } = { name, stable, canary, steps };
  if (o.pauseSeconds !== undefined) {
    const ps = c.arr(o.pauseSeconds, `${path}.pauseSeconds`, 1000).map((x, i) => c.num(x, `${path}.pauseSeconds[${i}]`, 0));
    if (ps.length > steps.length) c.fail(`${path}.pauseSeconds`, `has ${ps.length} pauses for ${steps.length} steps`);
    out.pauseSeconds = ps;
  }
  if (o.gate !== undefined) {
    const g = c.obj(o.gate, `${path}.gate`);
    const gate: { minSuccessRate?: number; minRequests?: number } = {};
    if (g.minSuccessRate !== undefined) gate.minSuccessRate = c.num(g.minSuccessRate, `${path}.gate.minSuccessRate`, 0, 1);
    if (g.minRequests !== undefined) gate.minRequests = c.int(g.minRequests, `${path}.gate.minRequests`, 0);
    out.gate = gate;
  }
  if (o.stage !== undefined) {
    if (kind !== 'dtab') c.fail(`${path}.stage`, 'a stage request sends the canary as an l5d-dtab override, so it is only for dtab canaries (file, namerd)');
    const s = c.obj(o.stage, `${path}.stage`);
    const r = c.obj(s.request, `${path}.stage.request`);
    const headers = r.headers === undefined ? undefined : c.arr(r.headers, `${path}.stage.request.headers`, 1000).map((h, i) => {
      const pair = c.arr(h, `${path}.stage.request.headers[${i}]`, 2);
      if (pair.length !== 2) c.fail(`${path}.stage.request.headers[${i}]`, 'must be [name, value]');
      return [c.str(pair[0], `${path}.stage.request.headers[${i}][0]`), c.str(pair[1], `${path}.stage.request.headers[${i}][1]`)] as const;
    });
    const method = c.optStr(r.method, `${path}.stage.request.method`);
    out.stage = { request: { url: c.str(r.url, `${path}.stage.request.url`), path: c.str(r.path, `${path}.stage.request.path`), ...(method !== undefined ? { method } : {}), ...(headers ? { headers } : {}) } };
  }
  if (o.metrics !== undefined) {
    const m = c.obj(o.metrics, `${path}.metrics`);
    out.metrics = { admin: c.str(m.admin, `${path}.metrics.admin`), router: c.str(m.router, `${path}.metrics.router`), stableId: c.str(m.stableId, `${path}.metrics.stableId`), canaryId: c.str(m.canaryId, `${path}.metrics.canaryId`) };
  }
  return out;
}

function validateBackend(c: Check, v: unknown): CanaryBackendRef {
  const o = c.obj(v, 'backend');
  const kind = c.oneOf(o.kind, 'backend.kind', ['file', 'namerd', 'traffic-split', 'deployments'] as const);
  const kube = () => {
    const kubeconfig = c.optStr(o.kubeconfig, 'backend.kubeconfig');
    const context = c.optStr(o.context, 'backend.context');
    return { ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(context !== undefined ? { context } : {}) };
  };
  switch (kind) {
    case 'file':
      return { kind, file: c.str(o.file, 'backend.file') };
    case 'namerd':
      return { kind, url: c.str(o.url, 'backend.url'), ns: c.str(o.ns, 'backend.ns') };
    case 'traffic-split':
      return { kind, namespace: c.str(o.namespace, 'backend.namespace'), name: c.str(o.name, 'backend.name'), ...kube() };
    case 'deployments': {
      const ref = (k: 'stable' | 'canary') => {
        const r = c.obj(o[k], `backend.${k}`);
        return { namespace: c.str(r.namespace, `backend.${k}.namespace`), name: c.str(r.name, `backend.${k}.name`) };
      };
      return { kind, stable: ref('stable'), canary: ref('canary'), ...kube() };
    }
  }
}

function validateBranches(c: Check, v: unknown, path: string): BranchStats[] {
  return c.arr(v, path, 2).map((b, i) => {
    const o = c.obj(b, `${path}[${i}]`);
    const rate = o.successRate === null ? null : c.num(o.successRate, `${path}[${i}].successRate`, 0, 1);
    return {
      role: c.oneOf(o.role, `${path}[${i}].role`, ['stable', 'canary'] as const),
      id: c.str(o.id, `${path}[${i}].id`),
      requests: c.num(o.requests, `${path}[${i}].requests`),
      success: c.num(o.success, `${path}[${i}].success`),
      failures: c.num(o.failures, `${path}[${i}].failures`),
      successRate: rate,
    };
  });
}

/**
 * A state read back (JSON text, or a value already parsed): every field checked, unknown fields
 * dropped. Throws a CanaryError ('invalid') naming `where` (the file) and the field.
 */
export function parseCanaryState(json: string | unknown, where = 'canary state'): CanaryState {
  const c = new Check(where);
  let v: unknown = json;
  if (typeof json === 'string') {
    try {
      v = JSON.parse(json);
    } catch (e) {
      throw new CanaryError('invalid', `${where}: not JSON (${(e as Error).message})`);
    }
  }
  const o = c.obj(v, '(top)');
  if (o.version !== CANARY_STATE_VERSION) {
    c.fail('version', o.version === undefined ? `missing: is this a canary state? (expected version ${CANARY_STATE_VERSION})` : `${JSON.stringify(o.version)} is not a state version this tool reads (it reads ${CANARY_STATE_VERSION})`);
  }
  const backend = validateBackend(c, o.backend);
  const plan = validatePlan(o.plan, where, 'plan', backend.kind === 'file' || backend.kind === 'namerd' ? 'dtab' : 'kubernetes');
  const position = c.int(o.position, 'position', -1, plan.steps.length - 1);
  const percent = c.num(o.percent, 'percent', 0, 100);
  const status = c.oneOf(o.status, 'status', STATUSES);
  const og = c.obj(o.original, 'original');
  const original: { -readonly [K in keyof CanaryOriginal]: CanaryOriginal[K] } = {};
  for (const k of ['dentryText', 'fileHash', 'namerdText', 'namerdVersion'] as const) {
    const s = c.optStr(og[k], `original.${k}`);
    if (s !== undefined) original[k] = s;
  }
  if (og.range !== undefined) original.range = c.span(og.range, 'original.range');
  if (og.weights !== undefined) original.weights = c.weights(og.weights, 'original.weights');
  if (og.trafficSplit !== undefined) {
    const t = c.obj(og.trafficSplit, 'original.trafficSplit');
    original.trafficSplit = { apiVersion: c.str(t.apiVersion, 'original.trafficSplit.apiVersion'), resourceVersion: c.str(t.resourceVersion, 'original.trafficSplit.resourceVersion'), spec: c.obj(t.spec, 'original.trafficSplit.spec') };
  }
  if (og.replicas !== undefined) original.replicas = c.replicas(og.replicas, 'original.replicas');
  if ((backend.kind === 'file' || backend.kind === 'namerd') && (original.dentryText === undefined || original.range === undefined)) {
    c.fail('original', `a ${backend.kind} canary needs original.dentryText and original.range (what abort puts back)`);
  }
  if (backend.kind === 'traffic-split' && (original.weights === undefined || original.trafficSplit === undefined)) {
    c.fail('original', 'a traffic-split canary needs original.weights and original.trafficSplit (what abort puts back)');
  }
  if (backend.kind === 'deployments' && original.replicas === undefined) c.fail('original', 'a deployments canary needs original.replicas (what abort puts back)');
  let current: CanaryCurrent | undefined;
  if (o.current !== undefined) {
    const cu = c.obj(o.current, 'current');
    const dentryText = c.optStr(cu.dentryText, 'current.dentryText');
    const written = c.optStr(cu.written, 'current.written');
    current = {
      ...(dentryText !== undefined ? { dentryText } : {}),
      ...(cu.range !== undefined ? { range: c.span(cu.range, 'current.range') } : {}),
      ...(written !== undefined ? { written } : {}),
      ...(cu.weights !== undefined ? { weights: c.weights(cu.weights, 'current.weights') } : {}),
      ...(cu.replicas !== undefined ? { replicas: c.replicas(cu.replicas, 'current.replicas') } : {}),
    };
  }
  const history = c.arr(o.history, 'history').map((h, i): CanaryHistoryEntry => {
    const e = c.obj(h, `history[${i}]`);
    const entry: { -readonly [K in keyof CanaryHistoryEntry]: CanaryHistoryEntry[K] } = { at: c.str(e.at, `history[${i}].at`), action: c.oneOf(e.action, `history[${i}].action`, ACTIONS) };
    if (e.percent !== undefined) entry.percent = c.num(e.percent, `history[${i}].percent`, 0, 100);
    if (e.written !== undefined) entry.written = c.str(e.written, `history[${i}].written`);
    if (e.metrics !== undefined) entry.metrics = validateBranches(c, e.metrics, `history[${i}].metrics`);
    if (e.message !== undefined) entry.message = c.str(e.message, `history[${i}].message`);
    return entry;
  });
  const state: CanaryState = { version: CANARY_STATE_VERSION, backend, plan, position, percent, status, original, history, ...(current ? { current } : {}) };
  if (o.lastMetrics !== undefined) {
    const m = c.obj(o.lastMetrics, 'lastMetrics');
    state.lastMetrics = { at: c.str(m.at, 'lastMetrics.at'), values: c.counts(m.values, 'lastMetrics.values') };
  }
  return state;
}

/** The state as the CLI keeps it: indented JSON and a final newline. */
export function serializeCanaryState(state: CanaryState): string {
  return JSON.stringify(state, null, 2) + '\n';
}

/** A new canary, at 0% (position -1), its start in the history. */
export function newCanaryState(backend: CanaryBackendRef, plan: CanaryPlan, original: CanaryOriginal, at: string): CanaryState {
  return { version: CANARY_STATE_VERSION, backend, plan, position: -1, percent: 0, status: 'running', original, history: [{ at, action: 'start', percent: 0 }] };
}

/** The next step's percent, or undefined after the last. */
export function nextStep(state: Pick<CanaryState, 'plan' | 'position'>): number | undefined {
  return state.plan.steps[state.position + 1];
}

/** The step a percent reaches: the last step at or below it (-1 below the first). */
export function positionOf(plan: Pick<CanaryPlan, 'steps'>, percent: number): number {
  let p = -1;
  plan.steps.forEach((s, i) => {
    if (s <= percent) p = i;
  });
  return p;
}

/** Whether the canary can still change (not aborted or finished). */
export function isActive(state: Pick<CanaryState, 'status'>): boolean {
  return state.status !== 'aborted' && state.status !== 'finished';
}

function describeBackend(b: CanaryBackendRef): string {
  switch (b.kind) {
    case 'file':
      return `file ${b.file}`;
    case 'namerd':
      return `namerd ${b.url} namespace ${b.ns}`;
    case 'traffic-split':
      return `TrafficSplit ${b.namespace}/${b.name}${kubeContext(b)}`;
    case 'deployments':
      return `Deployments ${b.stable.namespace}/${b.stable.name} (stable), ${b.canary.namespace}/${b.canary.name} (canary)${kubeContext(b)}`;
  }
}

/** ` (context dev, kubeconfig /k)`: where a Kubernetes canary writes. */
function kubeContext(b: { readonly kubeconfig?: string; readonly context?: string }): string {
  const parts = [b.context !== undefined ? `context ${b.context}` : '', b.kubeconfig !== undefined ? `kubeconfig ${b.kubeconfig}` : ''].filter((x) => x !== '');
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** What an abort put back, as the status says it. */
function restored(state: CanaryState): string {
  if (state.history.at(-1)?.action === 'stage-failed') return 'the stage request failed before anything was written';
  switch (state.backend.kind) {
    case 'traffic-split':
      return 'the TrafficSplit is back as it was';
    case 'deployments':
      return 'the replica counts are back as they were';
    default:
      return 'the dentry is back as it was';
  }
}

/**
 * A canary in a few lines: `canary /host/world 10% → /srv/world-v2 (from /srv/world-v1)`, then
 * its status, plan, backend and the last gate's numbers.
 */
export function describeStatus(state: CanaryState): string[] {
  const { plan } = state;
  const lines = [`canary ${plan.name} ${state.percent}% → ${plan.canary} (from ${plan.stable})`];
  const next = nextStep(state);
  const at = state.position < 0 ? 'not yet at the first step' : `step ${state.position + 1} of ${plan.steps.length}`;
  const what: Record<CanaryStatus, string> = {
    running: next === undefined ? `running, ${at}; next: finish` : `running, ${at}; next: ${next}%`,
    paused: `paused, ${at}${next === undefined ? '' : `; next: ${next}%`}`,
    'gate-failed': `gate failed, ${at}; ${next === undefined ? 'finish' : `${next}%`} was not applied`,
    aborted: `aborted: ${restored(state)}`,
    finished: 'finished',
  };
  lines.push(`status: ${what[state.status]}`);
  lines.push(`steps: ${plan.steps.map((s, i) => (i === state.position ? `[${s}%]` : `${s}%`)).join(' → ')}`);
  lines.push(`backend: ${describeBackend(state.backend)}`);
  if (state.backend.kind === 'traffic-split' && state.original.weights) lines.push(`weights before the canary: ${JSON.stringify(state.original.weights)}`);
  if (state.backend.kind === 'deployments' && state.original.replicas) lines.push(`replicas before the canary: ${JSON.stringify(state.original.replicas)}`);
  if ((state.backend.kind === 'traffic-split' || state.backend.kind === 'deployments') && state.current?.written !== undefined) lines.push(`last written: ${state.current.written}`);
  const stage = [...state.history].reverse().find((h) => h.action === 'stage' || h.action === 'stage-failed');
  if (stage) lines.push(`stage: ${stage.action === 'stage' ? 'passed' : 'failed'} (${stage.at})${stage.message !== undefined ? `: ${stage.message}` : ''}`);
  if (plan.gate && (plan.gate.minRequests !== undefined || plan.gate.minSuccessRate !== undefined)) {
    const g = [plan.gate.minSuccessRate !== undefined ? `success rate ≥ ${formatPercent(plan.gate.minSuccessRate)}` : '', plan.gate.minRequests !== undefined ? `≥ ${plan.gate.minRequests} requests` : ''].filter((x) => x !== '');
    lines.push(`gate: canary ${g.join(', ')}${plan.metrics ? ` (router ${plan.metrics.router} at ${plan.metrics.admin})` : ''}`);
  }
  const last = [...state.history].reverse().find((h) => h.metrics !== undefined);
  if (last?.metrics) {
    lines.push(`last metrics (${last.at}, ${last.action}):`);
    for (const b of last.metrics) lines.push(`  ${describeBranch(b)}`);
  }
  return lines;
}

function formatPercent(rate: number): string {
  return `${Math.round(rate * 10000) / 100}%`;
}
