// The weighted union a canary percent is written as: the smallest integer weights that give
// exactly that share (10% → `1 * canary & 9 * stable`, 33% → `33 * canary & 67 * stable`).

import { parseTree } from '../syntax/parser.js';
import type { TreeSyntax } from '../syntax/ast.js';
import { printTree } from '../print/format.js';
import { CanaryError } from './errors.js';

/** Percents may have at most this many decimals (0.01% steps). */
const SCALE = 100;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The canary's percent as an integer count of 1/SCALE percent, or a CanaryError. */
function scaled(percent: number): number {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new CanaryError('invalid', `a canary percent is a number from 0 to 100, not ${String(percent)}`);
  }
  const n = Math.round(percent * SCALE);
  // Stryker disable next-line EqualityOperator: a difference of exactly 1e-6 does not occur (two decimals round within 1e-9, more are far off)
  if (Math.abs(n - percent * SCALE) > 1e-6) throw new CanaryError('invalid', `a canary percent has at most two decimals, not ${percent}`);
  return n;
}

/**
 * The smallest integer weights for `percent` to the canary and the rest to the stable
 * destination: 10 → {canary 1, stable 9}, 25 → {1, 3}, 33 → {33, 67}, 50 → {1, 1},
 * 0 → {0, 1}, 100 → {1, 0}. Percents have at most two decimals (0.5 → {1, 199}).
 */
export function canaryWeights(percent: number): { canary: number; stable: number } {
  const c = scaled(percent);
  const s = 100 * SCALE - c;
  const g = gcd(c, s);
  return { canary: c / g, stable: s / g };
}

/** A destination given on the command line (or in a plan): parsed, or a CanaryError. */
export function parseDestination(what: string, text: string): TreeSyntax {
  const r = parseTree(text);
  if (!r.ok) throw new CanaryError('syntax', `${what} ${JSON.stringify(text)} is not a destination: ${r.error.plain}`);
  return r.value;
}

/** The destination on one line (as `dtab fmt` prints it), parenthesised where a weight would otherwise bind to its first term only. */
function term(text: string, t: TreeSyntax): string {
  const printed = printTree(text, t);
  return t.kind === 'alt' || t.kind === 'union' || t.kind === 'weighted' ? `(${printed})` : printed;
}

/** One destination on one line, as written to a dentry on its own. */
export function destinationText(what: string, text: string): string {
  return printTree(text, parseDestination(what, text));
}

/**
 * What a dentry's destination becomes at `percent`: the stable destination alone at 0, the canary
 * alone at 100, otherwise `c * canary & s * stable` with the smallest integer weights (canary first).
 */
export function weightedDestination(stable: string, canary: string, percent: number): string {
  const w = canaryWeights(percent);
  if (w.canary === 0) return destinationText('the stable destination', stable);
  if (w.stable === 0) return destinationText('the canary destination', canary);
  const c = term(canary, parseDestination('the canary destination', canary));
  const s = term(stable, parseDestination('the stable destination', stable));
  return `${w.canary} * ${c} & ${w.stable} * ${s}`;
}

/** The destination `finish` writes: the canary alone, or `canary | stable` (the stable one as the fallback). */
export function finishedDestination(stable: string, canary: string, keepStableAsFallback: boolean): string {
  if (!keepStableAsFallback) return destinationText('the canary destination', canary);
  const c = parseDestination('the canary destination', canary);
  const s = parseDestination('the stable destination', stable);
  // `|` binds loosest, so a union needs no parentheses; an alternative keeps its own group, so each
  // side stays one branch of the new `|` as written (`(a | b) | (c | d)`).
  const side = (text: string, t: TreeSyntax) => (t.kind === 'alt' ? `(${printTree(text, t)})` : printTree(text, t));
  return `${side(canary, c)} | ${side(stable, s)}`;
}
