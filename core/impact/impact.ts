// The routing impact of changing a dtab: which logical names change where they go.
//
// Names compared, in this order (the first `limit` of them; the rest are cut, and that is said):
//   1. the names the caller gives (they matter most, so a cut never drops them first);
//   2. the prefixes of the dentries of both dtabs (before's, then after's), except prefixes with a
//      `*` (a wildcard prefix is no one name);
//   3. the names that reach a more specific dentry through another, in both dtabs (with
//      `/svc => /host` and `/host/world => …`, `/svc/world`: what callers name);
//   4. `/svc/<name>` for every service name the caller gives (the services of a cluster or a
//      snapshot), when that name binds to something other than `~` with the *before* dtab or with
//      the *after* one. The brief asked for "the services the base dtab reaches"; a service only
//      the after dtab reaches is a name that now goes somewhere where it went nowhere, which is a
//      change people want to see, so both count. A service neither dtab reaches is not compared
//      (nor counted in `considered`), though binding it counts against `limit`.
//
// Each name is bound with both dtabs (the callers' interpreters: the same namers on both sides).
// Two results are the same when they send the same shares of the requests to the same bound
// names (id and residual), so weights written differently (`9 * /a & 1 * /b`, `0.9 * /a & 0.1 * /b`)
// and branches written in another order are no change. A bind that fails (a budget, a namer
// error) is the text `fails: <message>` and compares as text.
//
// Bounded: at most `limit` names are bound (twice each), each bind within the interpreter's own
// step and work budgets; the walks here are iterative.

import { ANY, type Dtab } from '../model/dtab.js';
import type { BoundName } from '../model/names.js';
import type { NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import { showElem, showPath, showTree } from '../print/show.js';
import { boundShares, formatShare, type Share } from '../delegate/render.js';
import type { K8sSource } from '../k8s/types.js';

export type BoundResult = NameTree<BoundName>;

export interface ImpactInput {
  readonly before: Dtab;
  readonly after: Dtab;
  readonly bindBefore: (path: Path) => Promise<BoundResult>;
  readonly bindAfter: (path: Path) => Promise<BoundResult>;
  /** Names the user asked about (compared first). */
  readonly names?: readonly Path[];
  /** Service names (of a cluster or snapshot): `/svc/<name>` is compared when either dtab reaches it. */
  readonly services?: readonly string[];
  /** The most names bound (default DEFAULT_IMPACT_LIMIT). */
  readonly limit?: number;
}

export interface ImpactRow {
  /** The logical name, as Path.show. */
  readonly name: string;
  /** Where it went: NameTree.show of the bound tree (full names: bound id then residual), or `fails: …`. */
  readonly before: string;
  /** Where it goes now, the same way. */
  readonly after: string;
  /** When traffic is split on either side: the move in people's words (`world-v1 100% → world-v1 90%, world-v2 10%`). */
  readonly shift?: string;
}

export interface RoutingImpact {
  /** The names whose result changed, in the order they were compared. */
  readonly rows: ImpactRow[];
  /** How many names were compared. */
  readonly considered: number;
  /** Whether the limit stopped the comparison before every candidate name was bound. */
  readonly cut: boolean;
  /** The candidate names in all (user names, prefixes, services), and the limit applied. */
  readonly candidates: number;
  readonly limit: number;
}

export const DEFAULT_IMPACT_LIMIT = 1000;

/** How many names are bound at a time (namers that answer later are waited for together). */
const CONCURRENCY = 8;

/** One side's result: the shown tree and its shares, or a failure text. */
type Side = { readonly ok: true; readonly text: string; readonly shares: Share[] } | { readonly ok: false; readonly text: string };

async function bindSide(bind: (path: Path) => Promise<BoundResult>, path: Path): Promise<Side> {
  try {
    const tree = await bind(path);
    return { ok: true, text: showBound(tree), shares: boundShares(tree) };
  } catch (e) {
    return { ok: false, text: `fails: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** NameTree.show of a bound tree, each leaf its full name (bound id followed by the residual). */
export function showBound(tree: BoundResult): string {
  return showTree(tree, (b) => showPath([...b.id, ...b.residual]));
}

/** The services of a source, every namespace's, once each and sorted. */
export function sourceServices(source: K8sSource): string[] {
  const names = new Set<string>();
  for (const ns of source.namespaces()) for (const s of source.services(ns)) names.add(s);
  return [...names].sort();
}

export async function routingImpact(input: ImpactInput): Promise<RoutingImpact> {
  const limit = Math.max(0, Math.floor(input.limit ?? DEFAULT_IMPACT_LIMIT));
  const seen = new Set<string>();
  const candidates: { path: Path; service: boolean }[] = [];
  const add = (path: Path, service: boolean): void => {
    const key = `${path.length}\u0100${path.join('\u0100')}`;
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push({ path, service });
  };
  for (const n of input.names ?? []) add(n, false);
  for (const dtab of [input.before, input.after]) {
    for (const d of dtab.dentries) if (!d.prefix.includes(ANY)) add(d.prefix as Path, false);
  }
  // Names that reach a changed dentry through another (`/svc/world` by `/svc => /host` to `/host/world`).
  for (const dtab of [input.before, input.after]) for (const p of dtab.reachingNames(limit)) add(p, false);
  for (const s of input.services ?? []) add(['svc', s], true);

  const taken = candidates.slice(0, limit);
  const rows: ImpactRow[] = [];
  let considered = 0;
  for (let i = 0; i < taken.length; i += CONCURRENCY) {
    const batch = taken.slice(i, i + CONCURRENCY);
    const results = await Promise.all(batch.map(async (c) => [await bindSide(input.bindBefore, c.path), await bindSide(input.bindAfter, c.path)] as const));
    batch.forEach((c, j) => {
      const [before, after] = results[j]!;
      if (c.service && reachesNothing(before) && reachesNothing(after)) return;
      considered++;
      if (sameRouting(before, after)) return;
      const shift = describeShift(before, after);
      rows.push({ name: showPath(c.path), before: before.text, after: after.text, ...(shift !== undefined ? { shift } : {}) });
    });
  }
  return { rows, considered, cut: taken.length < candidates.length, candidates: candidates.length, limit };
}

function reachesNothing(s: Side): boolean {
  return s.ok && s.shares.length === 1 && s.shares[0]!.target === '~';
}

/** Shares by target, summed (`/a & /a` sends everything to /a), in first-seen order. */
function byTarget(shares: readonly Share[]): Map<string, { percent: number; share: Share }> {
  const out = new Map<string, { percent: number; share: Share }>();
  for (const s of shares) {
    const e = out.get(s.target);
    if (e) e.percent += s.percent;
    else out.set(s.target, { percent: s.percent, share: s });
  }
  return out;
}

/** Percentages equal up to rounding noise (unions multiply weights down the tree). */
const EPSILON = 1e-6;

function sameRouting(a: Side, b: Side): boolean {
  if (!a.ok || !b.ok) return a.ok === b.ok && a.text === b.text;
  const x = byTarget(a.shares);
  const y = byTarget(b.shares);
  if (x.size !== y.size) return false;
  for (const [k, v] of x) {
    const w = y.get(k);
    if (!w || Math.abs(w.percent - v.percent) > EPSILON) return false;
  }
  return true;
}

/** A short label for a share: `~`/`!`/`$`, `host:port` for `/$/inet`, else the bound id's last element. */
function shortLabel(s: Share): string {
  const id = s.id;
  if (id === undefined) return s.target;
  if (id.length === 4 && id[0] === '$' && id[1] === 'inet') return `${showElem(id[2]!)}:${showElem(id[3]!)}`;
  if (id.length === 0) return s.target;
  return showElem(id[id.length - 1]!);
}

/** `world-v1 100% → world-v1 90%, world-v2 10%` when either side splits traffic and neither fails. */
function describeShift(a: Side, b: Side): string | undefined {
  if (!a.ok || !b.ok) return undefined;
  const x = byTarget(a.shares);
  const y = byTarget(b.shares);
  if (x.size < 2 && y.size < 2) return undefined;
  // Short labels where they name one target only (over both sides), else the full name.
  const targetsOf = new Map<string, Set<string>>();
  for (const m of [x, y]) {
    for (const { share } of m.values()) {
      const l = shortLabel(share);
      let set = targetsOf.get(l);
      if (!set) targetsOf.set(l, (set = new Set()));
      set.add(share.target);
    }
  }
  const label = (s: Share): string => {
    const l = shortLabel(s);
    return targetsOf.get(l)!.size === 1 ? l : s.target;
  };
  const side = (m: Map<string, { percent: number; share: Share }>): string =>
    [...m.values()]
      .map((e, i) => ({ ...e, i }))
      .sort((p, q) => q.percent - p.percent || p.i - q.i)
      .map((e) => `${label(e.share)} ${formatShare(e.percent)}`)
      .join(', ');
  return `${side(x)} → ${side(y)}`;
}

/** The impact for people: one line a changed name, then what was compared (and what was cut). */
export function describeImpact(impact: RoutingImpact): string[] {
  const lines: string[] = [];
  const n = impact.considered;
  const names = `${n} name${n === 1 ? '' : 's'} compared`;
  if (impact.rows.length === 0) lines.push(`no logical name changes where it goes (${names})`);
  else {
    for (const r of impact.rows) lines.push(`${r.name}: ${r.shift ?? `${r.before} → ${r.after}`}`);
    const k = impact.rows.length;
    lines.push(`${k} logical name${k === 1 ? '' : 's'} change${k === 1 ? 's' : ''} where ${k === 1 ? 'it goes' : 'they go'} (${names})`);
  }
  if (impact.cut) lines.push(`only the first ${impact.limit} of ${impact.candidates} names were bound (the limit): the others were not compared`);
  return lines;
}
