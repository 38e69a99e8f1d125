// The metric gate between canary steps: Linkerd's per-client counters
// (`rt/<router>/client/<bound id without its leading />/{requests,success,failures}`, §6.1 of the
// dtab reference) compared between two `/admin/metrics.json` snapshots.

import { formatFixed2 } from '../print/numbers.js';

/** A flat `/admin/metrics.json` map. */
export type MetricsSnapshot = Readonly<Record<string, number>>;

export interface CanaryGate {
  /** The canary's least success rate over the window, 0 to 1 (success ÷ (success + failures)). */
  readonly minSuccessRate?: number;
  /** The fewest requests the canary must have had in the window. */
  readonly minRequests?: number;
}

/** Whose counters: the router's label and the bound ids (`/#/io.l5d.fs/world-v2`) of both branches. */
export interface GateIds {
  readonly router: string;
  readonly stable: string;
  readonly canary: string;
}

export interface BranchStats {
  readonly role: 'stable' | 'canary';
  readonly id: string;
  /** Deltas between the snapshots. */
  readonly requests: number;
  readonly success: number;
  readonly failures: number;
  /** success ÷ (success + failures); null when nothing completed. */
  readonly successRate: number | null;
}

export interface GateResult {
  readonly ok: boolean;
  /** Why not, one sentence each (empty when ok). */
  readonly reasons: string[];
  readonly perBranch: BranchStats[];
}

/** `rt/<router>/client/<id without its leading />`. */
export function clientScope(router: string, id: string): string {
  return `rt/${router}/client/${id.startsWith('/') ? id.slice(1) : id}`;
}

const COUNTERS = ['requests', 'success', 'failures'] as const;

/** The counters the gate reads, and nothing else (what a state keeps of a snapshot). */
export function gateMetrics(snapshot: MetricsSnapshot, ids: GateIds): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of [ids.stable, ids.canary]) {
    for (const c of COUNTERS) {
      const k = `${clientScope(ids.router, id)}/${c}`;
      const v = snapshot[k];
      // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number
      if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    }
  }
  return out;
}

/** A success rate as a percent with two decimals (`99.17%`). */
export function formatRate(rate: number): string {
  return `${formatFixed2(rate * 100)}%`;
}

/**
 * The verdict on the window between two snapshots: the canary must have had at least
 * `minRequests` requests and a success rate of at least `minSuccessRate`. A counter absent from a
 * snapshot counts as 0 (Linkerd creates a client's counters on its first request). Counters that
 * went down (Linkerd restarted) give no verdict: the gate fails and says so.
 */
export function evaluateGate(gate: CanaryGate, before: MetricsSnapshot, after: MetricsSnapshot, ids: GateIds): GateResult {
  const reasons: string[] = [];
  const perBranch: BranchStats[] = [];
  const branches: ['stable' | 'canary', string][] = [
    ['stable', ids.stable],
    ['canary', ids.canary],
  ];
  for (const [role, id] of branches) {
    const scope = clientScope(ids.router, id);
    // Stryker disable next-line ObjectLiteral: every counter is set in the loop below
    const d = { requests: 0, success: 0, failures: 0 };
    let wentDown = false;
    for (const c of COUNTERS) {
      const a = before[`${scope}/${c}`] ?? 0;
      const b = after[`${scope}/${c}`] ?? 0;
      if (b < a) wentDown = true;
      d[c] = b - a;
    }
    if (wentDown) reasons.push(`the ${role} ${id}: counters went down between the snapshots (did Linkerd restart?), so the window cannot be judged`);
    const completed = d.success + d.failures;
    perBranch.push({ role, id, ...d, successRate: completed > 0 ? d.success / completed : null });
  }
  const canary = perBranch[1]!;
  // Stryker disable next-line ConditionalExpression: a number is never < undefined
  if (gate.minRequests !== undefined && canary.requests < gate.minRequests) {
    reasons.push(`the canary ${canary.id} had ${canary.requests} request${canary.requests === 1 ? '' : 's'}, fewer than the ${gate.minRequests} required`);
  }
  if (gate.minSuccessRate !== undefined) {
    if (canary.successRate === null) reasons.push(`the canary ${canary.id} completed no requests: its success rate is unknown (${formatRate(gate.minSuccessRate)} required)`);
    else if (canary.successRate < gate.minSuccessRate) {
      reasons.push(`the canary ${canary.id} succeeded ${formatRate(canary.successRate)} (${canary.success} of ${canary.success + canary.failures}), below the ${formatRate(gate.minSuccessRate)} required`);
    }
  }
  return { ok: reasons.length === 0, reasons, perBranch };
}

/** One line a branch: `canary /#/io.l5d.fs/world-v2: 10 requests, 90.00% success (9 of 10)`. */
export function describeBranch(b: BranchStats): string {
  const rate = b.successRate === null ? 'no completed requests' : `${formatRate(b.successRate)} success (${b.success} of ${b.success + b.failures})`;
  return `${b.role} ${b.id}: ${b.requests} request${b.requests === 1 ? '' : 's'}, ${rate}`;
}
