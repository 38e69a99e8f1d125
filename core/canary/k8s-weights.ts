// Canary traffic shares as Kubernetes writes them: SMI TrafficSplit backend weights (integers in
// split.smi-spec.io v1alpha2+, Kubernetes quantities such as `500m` in v1alpha1) and Deployment
// replica counts (a stable and a canary Deployment whose replicas approximate the share). Pure:
// remote/k8s-canary.ts reads and writes the objects.
//
// Percentages are taken to two decimals at most (basis points, 0.01 %): 12.5 and 12.25 are
// exact, 12.345 is refused (RangeError), so that a weight or a replica count is always computed
// from an exact integer and never from a float that happens to round one way.

/** How a TrafficSplit's weights are written: whole numbers (v1alpha2+), or quantities (v1alpha1). */
export type WeightStyle = 'integer' | 'quantity';

/** A backend weight exactly as it is in the object: a number, or a quantity string (`500m`, `1`). */
export type Weight = number | string;

/** `percent` (0–100, at most two decimals) in basis points (0–10000); RangeError otherwise. */
export function basisPoints(percent: number): number {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number
  if (typeof percent !== 'number' || !Number.isFinite(percent)) throw new RangeError(`a percentage is a number from 0 to 100 (got ${String(percent)})`);
  if (percent < 0 || percent > 100) throw new RangeError(`a percentage is from 0 to 100 (got ${percent})`);
  const bp = Math.round(percent * 100);
  // Stryker disable next-line EqualityOperator: a difference of exactly 1e-6 does not occur (two decimals round within 1e-9, more are far off)
  if (Math.abs(percent * 100 - bp) > 1e-6) throw new RangeError(`a percentage has at most two decimals (got ${percent})`);
  return bp;
}

/**
 * The weights that send `percent` of the traffic to `canary` and the rest to `stable`.
 *
 * - `integer`: whole numbers out of 100 (10 % → stable 90, canary 10), out of 1000 for one
 *   decimal (12.5 % → 875 / 125), out of 10000 for two (12.25 % → 8775 / 1225).
 * - `quantity`: the shares as Kubernetes quantities summing to 1, in canonical form
 *   (10 % → `900m` / `100m`, 0 % → `1` / `0`, 12.25 % → `877500u` / `122500u`).
 */
// Stryker disable next-line StringLiteral: any style but 'quantity' is integer weights
export function weightsForPercent(percent: number, stable: string, canary: string, style: WeightStyle = 'integer'): Record<string, Weight> {
  if (stable === canary) throw new RangeError(`the stable and the canary backend are both ${stable}`);
  const bp = basisPoints(percent);
  if (style === 'quantity') return { [stable]: microQuantity((10000 - bp) * 100), [canary]: microQuantity(bp * 100) };
  const denominator = bp % 100 === 0 ? 100 : bp % 10 === 0 ? 1000 : 10000;
  const c = (bp * denominator) / 10000;
  return { [stable]: denominator - c, [canary]: c };
}

/** A non-negative integer number of millionths as a canonical decimal quantity: `1`, `500m`, `122500u`. */
export function microQuantity(micro: number): string {
  if (!Number.isSafeInteger(micro) || micro < 0) throw new RangeError(`not a whole number of millionths: ${micro}`);
  if (micro % 1_000_000 === 0) return String(micro / 1_000_000);
  if (micro % 1000 === 0) return `${micro / 1000}m`;
  return `${micro}u`;
}

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * The value of a Kubernetes quantity (k8s.io/apimachinery resource.Quantity's grammar: a signed
 * decimal number and a suffix, decimal SI `n u m k M G T P E`, binary `Ki … Ei`, or an exponent
 * `e3`/`E-2`); undefined when it is not one.
 */
export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2]!;
  // Own properties only: `1constructor` is not a quantity.
  if (Object.hasOwn(DECIMAL_SUFFIX, suffix)) return scale10(n, DECIMAL_SUFFIX[suffix]!);
  if (Object.hasOwn(BINARY_SUFFIX, suffix)) return n * 2 ** BINARY_SUFFIX[suffix]!;
  const e = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
  return e ? scale10(n, Number(e[1])) : undefined;
}

/** n·10^exp, dividing for negative exponents (100u is 0.0001, not 0.00009999…). */
// Stryker disable next-line EqualityOperator: at exp = 0 both branches give n
const scale10 = (n: number, exp: number): number => (exp < 0 ? n / 10 ** -exp : n * 10 ** exp);

/** A weight's value: a number as it is, a quantity parsed; undefined when neither. */
export function weightValue(w: Weight): number | undefined {
  if (typeof w === 'number') return Number.isFinite(w) ? w : undefined;
  if (typeof w !== 'string') return undefined;
  const v = parseQuantity(w);
  // Stryker disable next-line ConditionalExpression: Number.isFinite(undefined) is false
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/**
 * How weights are written in a TrafficSplit read through `apiVersion`: quantities when any weight
 * is a string or the version is v1alpha1 (whose Go type is resource.Quantity), else integers.
 */
export function weightStyleOf(apiVersion: string, weights: readonly Weight[]): WeightStyle {
  if (weights.some((w) => typeof w === 'string')) return 'quantity';
  return apiVersion.endsWith('/v1alpha1') || apiVersion === 'v1alpha1' ? 'quantity' : 'integer';
}

/**
 * The share of the traffic (in percent) that the backend `service` gets from these weights;
 * undefined when it is not a backend, a weight is not a number or quantity, or all weigh 0.
 */
export function percentOf(backends: readonly { readonly service: string; readonly weight: Weight }[], service: string): number | undefined {
  const values = backends.map((b) => weightValue(b.weight));
  if (values.some((v) => v === undefined || v < 0)) return undefined;
  const total = (values as number[]).reduce((a, b) => a + b, 0);
  const i = backends.findIndex((b) => b.service === service);
  if (i < 0 || total === 0) return undefined;
  return (values[i]! / total) * 100;
}

/**
 * How `total` replicas are split between a stable and a canary Deployment for `percent` of the
 * traffic (each pod taking an equal share): canary = total × percent / 100 rounded half up, then
 * - 0 % → no canary replica; 100 % → every replica canary, none stable;
 * - in between, at least one of each (the canary gets 1 even where the share rounds to 0, the
 *   stable keeps 1 even where it rounds to 0), so a shift in between needs total ≥ 2.
 * E.g. total 4: 10 % → 3/1, 25 % → 3/1, 50 % → 2/2, 100 % → 0/4; total 10: 25 % → 7/3 (2.5 up).
 */
export function replicasForPercent(percent: number, total: number): { stable: number; canary: number } {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`a replica total is a whole number ≥ 0 (got ${total})`);
  const bp = basisPoints(percent);
  if (bp === 0) return { stable: total, canary: 0 };
  if (bp === 10000) return { stable: 0, canary: total };
  if (total < 2) throw new RangeError(`${percent}% needs at least 2 replicas in all (one stable, one canary); there are ${total}`);
  // Half up, in integers: floor((total·bp + 5000) / 10000).
  const rounded = Math.floor((total * bp + 5000) / 10000);
  const canary = Math.min(total - 1, Math.max(1, rounded));
  return { stable: total - canary, canary };
}
