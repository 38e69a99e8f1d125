// core/canary, value for value: every result and every error message of the weights, the
// Kubernetes weights and replica counts, the gate, the dentry rewrites and the plan/state checks,
// at each boundary, so that a one-token change anywhere in core/canary/*.ts fails a test here.
// (canary-core.test.ts and k8s-canary.test.ts cover the main paths; this file the rest.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CanaryError, type CanaryErrorKind } from '../../core/canary/errors.js';
import { canaryWeights, destinationText, finishedDestination, parseDestination, weightedDestination } from '../../core/canary/weights.js';
import { basisPoints, microQuantity, parseQuantity, percentOf, replicasForPercent, weightStyleOf, weightValue, weightsForPercent, type Weight } from '../../core/canary/k8s-weights.js';
import { clientScope, describeBranch, evaluateGate, formatRate, gateMetrics, type BranchStats } from '../../core/canary/gate.js';
import { findDentry, finishDentry, locateDentry, restoreDentry, rewriteDentry, sameDentry, sameDestination } from '../../core/canary/rewrite.js';
import {
  CANARY_STATE_VERSION,
  DEFAULT_STEPS,
  describeStatus,
  isActive,
  newCanaryState,
  nextStep,
  parseCanaryState,
  positionOf,
  serializeCanaryState,
  validatePlan,
  type CanaryHistoryEntry,
  type CanaryState,
  type CanaryStatus,
} from '../../core/canary/state.js';
import { parseDtab, parseTree } from '../../core/syntax/parser.js';

type Obj = Record<string, unknown>;

/** Throws a CanaryError of exactly this kind and message. */
function throwsCanary(f: () => unknown, kind: CanaryErrorKind, message: string): void {
  assert.throws(f, CanaryError);
  assert.throws(f, { name: 'CanaryError', kind, message });
}

/** Throws a RangeError with exactly this message. */
function throwsRange(f: () => unknown, message: string): void {
  assert.throws(f, RangeError);
  assert.throws(f, { name: 'RangeError', message });
}

const PREFIX_H = 'A prefix starts with `/`; found `h`.';

describe('errors.ts: CanaryError', () => {
  it('an Error named CanaryError, with its kind, message and (for syntax errors) the parsed text', () => {
    const syntax = parseDtab('/a => /b');
    const e = new CanaryError('syntax', 'the text', syntax);
    assert.ok(e instanceof Error);
    assert.deepEqual([e.name, e.kind, e.message, e.syntax], ['CanaryError', 'syntax', 'the text', syntax]);
    const f = new CanaryError('conflict', 'c');
    assert.deepEqual([f.name, f.kind, f.message, f.syntax], ['CanaryError', 'conflict', 'c', undefined]);
    assert.equal(String(f), 'CanaryError: c');
  });
});

describe('weights.ts', () => {
  it('canaryWeights: the smallest integer weights, at 0, 100 and every scale', () => {
    const table: [number, number, number][] = [
      [0, 0, 1],
      [100, 1, 0],
      [0.01, 1, 9999],
      [99.99, 9999, 1],
      [0.07, 7, 9993],
      [12.34, 617, 4383],
      [20, 1, 4],
      [40, 2, 3],
      [75, 3, 1],
      [60, 3, 2],
      [37.5, 3, 5],
      [1, 1, 99],
    ];
    for (const [p, canary, stable] of table) assert.deepEqual(canaryWeights(p), { canary, stable }, `${p}%`);
  });

  it('canaryWeights: each refusal, with its message', () => {
    throwsCanary(() => canaryWeights(-0.01), 'invalid', 'a canary percent is a number from 0 to 100, not -0.01');
    throwsCanary(() => canaryWeights(100.01), 'invalid', 'a canary percent is a number from 0 to 100, not 100.01');
    throwsCanary(() => canaryWeights(Infinity), 'invalid', 'a canary percent is a number from 0 to 100, not Infinity');
    throwsCanary(() => canaryWeights(-Infinity), 'invalid', 'a canary percent is a number from 0 to 100, not -Infinity');
    throwsCanary(() => canaryWeights('50' as unknown as number), 'invalid', 'a canary percent is a number from 0 to 100, not 50');
    throwsCanary(() => canaryWeights(0.005), 'invalid', 'a canary percent has at most two decimals, not 0.005');
    throwsCanary(() => canaryWeights(33.333), 'invalid', 'a canary percent has at most two decimals, not 33.333');
    throwsCanary(() => canaryWeights(99.999), 'invalid', 'a canary percent has at most two decimals, not 99.999');
  });

  it('parseDestination and destinationText', () => {
    assert.deepEqual(parseDestination('x', ' /a | /b '), (parseTree(' /a | /b ') as { ok: true; value: unknown }).value);
    throwsCanary(() => parseDestination('the thing', '/a &'), 'syntax', 'the thing "/a &" is not a destination: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.');
    assert.equal(destinationText('x', '  /a |  # c\n /b  '), '/a | /b');
    assert.equal(destinationText('x', '1 * /a &2*/b'), '1 * /a & 2 * /b');
    throwsCanary(() => destinationText('what', '/a &'), 'syntax', 'what "/a &" is not a destination: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.');
  });

  it('weightedDestination: parentheses exactly around alternatives, unions and weighted terms', () => {
    assert.equal(weightedDestination('/s', '/c', 50), '1 * /c & 1 * /s');
    assert.equal(weightedDestination('/s', '/a | /b', 10), '1 * (/a | /b) & 9 * /s');
    assert.equal(weightedDestination('/s', '/a & /b', 10), '1 * (/a & /b) & 9 * /s');
    assert.equal(weightedDestination('/s', '2 * /a', 10), '1 * (2 * /a) & 9 * /s');
    assert.equal(weightedDestination('/a | /b', '/c', 10), '1 * /c & 9 * (/a | /b)');
    assert.equal(weightedDestination('/a & /b', '/c', 10), '1 * /c & 9 * (/a & /b)');
    assert.equal(weightedDestination('2 * /a', '/c', 10), '1 * /c & 9 * (2 * /a)');
    assert.equal(weightedDestination('(/a)', '~', 20), '1 * ~ & 4 * (/a)');
    assert.equal(weightedDestination('!', '$', 75), '3 * $ & 1 * !');
    assert.equal(weightedDestination('/s', '/c', 0.01), '1 * /c & 9999 * /s');
    assert.equal(weightedDestination('/s', '/c', 99.99), '9999 * /c & 1 * /s');
  });

  it('weightedDestination: each destination named in its error', () => {
    const end = 'Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.';
    throwsCanary(() => weightedDestination('/a &', '/c', 0), 'syntax', `the stable destination "/a &" is not a destination: ${end}`);
    throwsCanary(() => weightedDestination('/s', '/a &', 100), 'syntax', `the canary destination "/a &" is not a destination: ${end}`);
    throwsCanary(() => weightedDestination('/s', '/a &', 50), 'syntax', `the canary destination "/a &" is not a destination: ${end}`);
    throwsCanary(() => weightedDestination('/a &', '/c', 50), 'syntax', `the stable destination "/a &" is not a destination: ${end}`);
    throwsCanary(() => weightedDestination('/s', '/c', 101), 'invalid', 'a canary percent is a number from 0 to 100, not 101');
  });

  it('finishedDestination: the canary alone, or `canary | stable` with only alternatives grouped', () => {
    assert.equal(finishedDestination('/s', '  /a &  /b ', false), '/a & /b');
    assert.equal(finishedDestination('/s', '/c', true), '/c | /s');
    assert.equal(finishedDestination('/a & /b', '2 * /c', true), '2 * /c | /a & /b');
    assert.equal(finishedDestination('/a | /b', '/c & /d', true), '/c & /d | (/a | /b)');
    assert.equal(finishedDestination('/s', '/a|/b', true), '(/a | /b) | /s');
    const end = 'Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.';
    throwsCanary(() => finishedDestination('/s', '/a |', false), 'syntax', `the canary destination "/a |" is not a destination: ${end}`);
    throwsCanary(() => finishedDestination('/s', '/a |', true), 'syntax', `the canary destination "/a |" is not a destination: ${end}`);
    throwsCanary(() => finishedDestination('/a |', '/c', true), 'syntax', `the stable destination "/a |" is not a destination: ${end}`);
  });
});

describe('k8s-weights.ts', () => {
  it('basisPoints: exact at two decimals; each refusal with its message', () => {
    assert.deepEqual([0, 100, 0.01, 0.07, 12.34, 99.99, 50].map(basisPoints), [0, 10000, 1, 7, 1234, 9999, 5000]);
    throwsRange(() => basisPoints(-0.01), 'a percentage is from 0 to 100 (got -0.01)');
    throwsRange(() => basisPoints(100.01), 'a percentage is from 0 to 100 (got 100.01)');
    throwsRange(() => basisPoints(Infinity), 'a percentage is a number from 0 to 100 (got Infinity)');
    throwsRange(() => basisPoints(-Infinity), 'a percentage is a number from 0 to 100 (got -Infinity)');
    throwsRange(() => basisPoints('5' as unknown as number), 'a percentage is a number from 0 to 100 (got 5)');
    throwsRange(() => basisPoints(0.001), 'a percentage has at most two decimals (got 0.001)');
    throwsRange(() => basisPoints(0.005), 'a percentage has at most two decimals (got 0.005)');
    throwsRange(() => basisPoints(99.999), 'a percentage has at most two decimals (got 99.999)');
  });

  it('weightsForPercent: the denominator each scale takes; quantities', () => {
    const table: [number, 'integer' | 'quantity', Record<string, Weight>][] = [
      [0.1, 'integer', { s: 999, c: 1 }],
      [99.9, 'integer', { s: 1, c: 999 }],
      [0.01, 'integer', { s: 9999, c: 1 }],
      [99.99, 'integer', { s: 1, c: 9999 }],
      [1, 'integer', { s: 99, c: 1 }],
      [37.5, 'integer', { s: 625, c: 375 }],
      [0.01, 'quantity', { s: '999900u', c: '100u' }],
      [0.1, 'quantity', { s: '999m', c: '1m' }],
      [99.99, 'quantity', { s: '100u', c: '999900u' }],
      [1, 'quantity', { s: '990m', c: '10m' }],
    ];
    for (const [p, style, want] of table) assert.deepEqual(weightsForPercent(p, 's', 'c', style), want, `${p}% ${style}`);
    assert.deepEqual(Object.keys(weightsForPercent(10, 'b', 'a')), ['b', 'a']);
    throwsRange(() => weightsForPercent(10, 'x', 'x', 'quantity'), 'the stable and the canary backend are both x');
    throwsRange(() => weightsForPercent(0.001, 's', 'c', 'quantity'), 'a percentage has at most two decimals (got 0.001)');
  });

  it('microQuantity: whole units, milli, micro; refusals', () => {
    const table: [number, string][] = [
      [0, '0'],
      [1_000_000, '1'],
      [3_000_000, '3'],
      [500_000, '500m'],
      [1_500_000, '1500m'],
      [1000, '1m'],
      [1, '1u'],
      [1001, '1001u'],
      [1_000_500, '1000500u'],
    ];
    for (const [micro, want] of table) assert.equal(microQuantity(micro), want, String(micro));
    throwsRange(() => microQuantity(-1), 'not a whole number of millionths: -1');
    throwsRange(() => microQuantity(-1_000_000), 'not a whole number of millionths: -1000000');
    throwsRange(() => microQuantity(1.5), 'not a whole number of millionths: 1.5');
    throwsRange(() => microQuantity(NaN), 'not a whole number of millionths: NaN');
    throwsRange(() => microQuantity(2 ** 53), 'not a whole number of millionths: 9007199254740992');
  });

  it('parseQuantity: every suffix, the exponent, the number grammar', () => {
    const table: [string, number | undefined][] = [
      ['1n', 1e-9],
      ['2u', 0.000002],
      ['100u', 0.0001],
      ['3m', 0.003],
      ['4', 4],
      ['5k', 5000],
      ['6M', 6e6],
      ['7G', 7e9],
      ['8T', 8e12],
      ['9P', 9e15],
      ['1E', 1e18],
      ['1Ki', 1024],
      ['3Mi', 3 * 2 ** 20],
      ['1Gi', 2 ** 30],
      ['1Ti', 2 ** 40],
      ['1Pi', 2 ** 50],
      ['1Ei', 2 ** 60],
      ['1.5Ki', 1536],
      ['1e3', 1000],
      ['1E3', 1000],
      ['1e+3', 1000],
      ['1e-3', 0.001],
      ['25e-1', 2.5],
      ['1e12', 1e12],
      ['12', 12],
      ['-1', -1],
      ['+1', 1],
      ['-.5', -0.5],
      ['1.', 1],
      ['1.25', 1.25],
      ['.25', 0.25],
      ['0', 0],
      ['1e', undefined],
      ['1e3x', undefined],
      ['1xe3', undefined],
      ['1e+-3', undefined],
      ['1e1.5', undefined],
      ['1Kix', undefined],
      ['1ki', undefined],
      ['1K', undefined],
      ['x1', undefined],
      ['1\n', undefined],
      ['.', undefined],
      ['-', undefined],
      ['+-1', undefined],
      ['', undefined],
      // Suffixes are the grammar's own, not properties every object inherits.
      ['1constructor', undefined],
      ['1toString', undefined],
      ['1__proto__', undefined],
      ['5valueOf', undefined],
      ['1hasOwnProperty', undefined],
    ];
    for (const [s, v] of table) assert.equal(parseQuantity(s), v, JSON.stringify(s));
  });

  it('weightValue: a finite number as it is, a quantity parsed, anything else undefined', () => {
    assert.deepEqual(
      [5, 0, -2, Infinity, NaN, '500m', 'lots', [5], null, true, '1e400', '1constructor', '1e308'].map((w) => weightValue(w as Weight)),
      [5, 0, -2, undefined, undefined, 0.5, undefined, undefined, undefined, undefined, undefined, undefined, 1e308],
    );
  });

  it('weightStyleOf: any string weight, or v1alpha1, is quantities', () => {
    const table: [string, Weight[], string][] = [
      ['split.smi-spec.io/v1alpha2', [1, '500m'], 'quantity'],
      ['split.smi-spec.io/v1alpha2', ['1', '0'], 'quantity'],
      ['split.smi-spec.io/v1alpha2', [], 'integer'],
      ['split.smi-spec.io/v1alpha2', [900, 100], 'integer'],
      ['split.smi-spec.io/v1alpha1', [], 'quantity'],
      ['v1alpha1', [1], 'quantity'],
      ['', [1], 'integer'],
      ['xv1alpha1', [1], 'integer'],
      ['/v1alpha1/x', [1], 'integer'],
      ['split.smi-spec.io/v1alpha10', [1], 'integer'],
      ['v1alpha1/split.smi-spec.io', [1], 'integer'],
    ];
    for (const [v, w, want] of table) assert.equal(weightStyleOf(v, w), want, `${v} ${JSON.stringify(w)}`);
  });

  it('percentOf: the share of one backend; undefined for a bad weight, a missing backend or all zero', () => {
    const b = (...ws: [string, Weight][]) => ws.map(([service, weight]) => ({ service, weight }));
    assert.equal(percentOf(b(['a', 1], ['b', 3]), 'a'), 25);
    assert.equal(percentOf(b(['a', 1], ['b', 3]), 'b'), 75);
    assert.equal(percentOf(b(['a', 0], ['b', 1]), 'a'), 0);
    assert.equal(percentOf(b(['a', 0], ['b', 1]), 'b'), 100);
    assert.equal(percentOf(b(['a', '1'], ['b', 3]), 'a'), 25);
    assert.equal(percentOf(b(['a', 2], ['b', 1], ['c', 1]), 'c'), 25);
    assert.equal(percentOf(b(['a', -1], ['b', 2]), 'b'), undefined);
    assert.equal(percentOf(b(['a', 'x'], ['b', 1]), 'b'), undefined);
    assert.equal(percentOf(b(['a', 0], ['b', 0]), 'a'), undefined);
    assert.equal(percentOf(b(['a', 1]), 'b'), undefined);
    assert.equal(percentOf([], 'a'), undefined);
  });

  it('replicasForPercent: 0 and 100 % at any total, half up in between, one of each kept', () => {
    const table: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [0, 3, 3, 0],
      [100, 0, 0, 0],
      [100, 3, 0, 3],
      [1, 2, 1, 1],
      [99, 2, 1, 1],
      [50, 10, 5, 5],
      [35, 10, 6, 4],
      [34.99, 10, 7, 3],
      [25, 10, 7, 3],
      [24.99, 10, 8, 2],
      [99, 10, 1, 9],
      [95, 10, 0 + 1, 9],
      [94.99, 10, 1, 9],
      [0.01, 2, 1, 1],
      [60, 5, 2, 3],
      [33.33, 3, 2, 1],
      [66.67, 3, 1, 2],
    ];
    for (const [p, total, stable, canary] of table) assert.deepEqual(replicasForPercent(p, total), { stable, canary }, `${p}% of ${total}`);
    throwsRange(() => replicasForPercent(50, -1), 'a replica total is a whole number ≥ 0 (got -1)');
    throwsRange(() => replicasForPercent(0, -1), 'a replica total is a whole number ≥ 0 (got -1)');
    throwsRange(() => replicasForPercent(50, NaN), 'a replica total is a whole number ≥ 0 (got NaN)');
    throwsRange(() => replicasForPercent(50, 2 ** 53), 'a replica total is a whole number ≥ 0 (got 9007199254740992)');
    throwsRange(() => replicasForPercent(101, 4), 'a percentage is from 0 to 100 (got 101)');
    throwsRange(() => replicasForPercent(0.01, 0), '0.01% needs at least 2 replicas in all (one stable, one canary); there are 0');
    throwsRange(() => replicasForPercent(99.99, 1), '99.99% needs at least 2 replicas in all (one stable, one canary); there are 1');
  });
});

describe('gate.ts', () => {
  const ids = { router: 'r', stable: '/s', canary: '/c' };
  const S = 'rt/r/client/s';
  const C = 'rt/r/client/c';

  it('clientScope: the id without one leading /', () => {
    assert.deepEqual(
      [clientScope('http', '/#/io.l5d.fs/v1'), clientScope('r', '#/x'), clientScope('r', 'a/'), clientScope('r', '//x'), clientScope('r', '')],
      ['rt/http/client/#/io.l5d.fs/v1', 'rt/r/client/#/x', 'rt/r/client/a/', 'rt/r/client//x', 'rt/r/client/'],
    );
  });

  it('gateMetrics: the six counters when they are finite numbers, nothing else', () => {
    const snap = {
      [`${S}/requests`]: 1,
      [`${S}/success`]: 2,
      [`${S}/failures`]: 3,
      [`${C}/requests`]: 4,
      [`${C}/success`]: NaN,
      [`${C}/failures`]: Infinity,
      [`${C}/pending`]: 7,
      'rt/r/client/x/requests': 8,
    };
    const got = gateMetrics(snap, ids);
    assert.deepEqual(got, { [`${S}/requests`]: 1, [`${S}/success`]: 2, [`${S}/failures`]: 3, [`${C}/requests`]: 4 });
    assert.deepEqual(Object.keys(got), [`${S}/requests`, `${S}/success`, `${S}/failures`, `${C}/requests`]);
    assert.deepEqual(gateMetrics({ [`${C}/failures`]: '5' as unknown as number, [`${C}/success`]: 0 }, ids), { [`${C}/success`]: 0 });
    assert.deepEqual(gateMetrics({}, ids), {});
  });

  it('formatRate: a percent with two decimals', () => {
    assert.deepEqual([formatRate(0.9917), formatRate(1), formatRate(0), formatRate(0.5)], ['99.17%', '100.00%', '0.00%', '50.00%']);
  });

  it('evaluateGate: deltas from non-zero counters; both branches', () => {
    const before = { [`${S}/requests`]: 10, [`${S}/success`]: 8, [`${S}/failures`]: 2, [`${C}/requests`]: 5, [`${C}/success`]: 4, [`${C}/failures`]: 1 };
    const after = { [`${S}/requests`]: 30, [`${S}/success`]: 25, [`${S}/failures`]: 5, [`${C}/requests`]: 9, [`${C}/success`]: 7, [`${C}/failures`]: 2 };
    assert.deepEqual(evaluateGate({ minSuccessRate: 0.75, minRequests: 4 }, before, after, ids), {
      ok: true,
      reasons: [],
      perBranch: [
        { role: 'stable', id: '/s', requests: 20, success: 17, failures: 3, successRate: 17 / 20 },
        { role: 'canary', id: '/c', requests: 4, success: 3, failures: 1, successRate: 0.75 },
      ],
    });
    assert.deepEqual(evaluateGate({ minSuccessRate: 0.76, minRequests: 5 }, before, after, ids).reasons, [
      'the canary /c had 4 requests, fewer than the 5 required',
      'the canary /c succeeded 75.00% (3 of 4), below the 76.00% required',
    ]);
  });

  it('evaluateGate: unchanged counters did not go down; nothing completed is an unknown rate', () => {
    const same = { [`${S}/requests`]: 3, [`${S}/success`]: 3, [`${S}/failures`]: 0, [`${C}/requests`]: 2, [`${C}/success`]: 1, [`${C}/failures`]: 1 };
    assert.deepEqual(evaluateGate({ minSuccessRate: 0.99, minRequests: 1 }, same, same, ids), {
      ok: false,
      reasons: ['the canary /c had 0 requests, fewer than the 1 required', 'the canary /c completed no requests: its success rate is unknown (99.00% required)'],
      perBranch: [
        { role: 'stable', id: '/s', requests: 0, success: 0, failures: 0, successRate: null },
        { role: 'canary', id: '/c', requests: 0, success: 0, failures: 0, successRate: null },
      ],
    });
    assert.deepEqual(evaluateGate({ minRequests: 0 }, same, same, ids), {
      ok: true,
      reasons: [],
      perBranch: [
        { role: 'stable', id: '/s', requests: 0, success: 0, failures: 0, successRate: null },
        { role: 'canary', id: '/c', requests: 0, success: 0, failures: 0, successRate: null },
      ],
    });
  });

  it('evaluateGate: one request is singular; a rate of 0; the stable branch going down', () => {
    const after = { [`${C}/requests`]: 1, [`${C}/failures`]: 1 };
    assert.deepEqual(evaluateGate({ minRequests: 2, minSuccessRate: 0 }, {}, after, ids), {
      ok: false,
      reasons: ['the canary /c had 1 request, fewer than the 2 required'],
      perBranch: [
        { role: 'stable', id: '/s', requests: 0, success: 0, failures: 0, successRate: null },
        { role: 'canary', id: '/c', requests: 1, success: 0, failures: 1, successRate: 0 },
      ],
    });
    assert.deepEqual(evaluateGate({ minSuccessRate: 0.01 }, {}, after, ids).reasons, ['the canary /c succeeded 0.00% (0 of 1), below the 1.00% required']);
    const down = evaluateGate({}, { [`${S}/failures`]: 4 }, { [`${C}/requests`]: 1 }, ids);
    assert.deepEqual(down, {
      ok: false,
      reasons: ['the stable /s: counters went down between the snapshots (did Linkerd restart?), so the window cannot be judged'],
      perBranch: [
        { role: 'stable', id: '/s', requests: 0, success: 0, failures: -4, successRate: null },
        { role: 'canary', id: '/c', requests: 1, success: 0, failures: 0, successRate: null },
      ],
    });
    const both = evaluateGate({}, { [`${S}/success`]: 2, [`${C}/success`]: 2 }, { [`${S}/success`]: 1, [`${C}/success`]: 1 }, ids);
    assert.deepEqual(both.reasons, [
      'the stable /s: counters went down between the snapshots (did Linkerd restart?), so the window cannot be judged',
      'the canary /c: counters went down between the snapshots (did Linkerd restart?), so the window cannot be judged',
    ]);
  });

  it('describeBranch: singular and plural, a rate with its counts, no completed requests', () => {
    const b = (role: 'stable' | 'canary', requests: number, success: number, failures: number, successRate: number | null): BranchStats => ({ role, id: '/x', requests, success, failures, successRate });
    assert.deepEqual(
      [describeBranch(b('stable', 1, 1, 0, 1)), describeBranch(b('canary', 5, 3, 2, 0.6)), describeBranch(b('canary', 0, 0, 0, null)), describeBranch(b('stable', 2, 0, 0, null))],
      ['stable /x: 1 request, 100.00% success (1 of 1)', 'canary /x: 5 requests, 60.00% success (3 of 5)', 'canary /x: 0 requests, no completed requests', 'stable /x: 2 requests, no completed requests'],
    );
  });
});

describe('rewrite.ts', () => {
  const OPTS = { prefix: '/p', stable: '/s', canary: '/c' };

  it('findDentry: the last dentry whose prefix is exactly the prefix (not a longer or shorter one)', () => {
    const text = '/p => /a;/p/q => /b;/p => /c;/q => /d';
    const s = parseDtab(text);
    assert.equal(findDentry(s, '/p'), s.entries[2]);
    assert.equal(findDentry(s, '/p/q'), s.entries[1]);
    assert.equal(findDentry(s, '/q'), s.entries[3]);
    assert.equal(findDentry(s, '/r'), undefined);
    assert.equal(findDentry(parseDtab('/p/q => /b'), '/p'), undefined);
    assert.equal(findDentry(parseDtab('/p => /b'), '/p/q'), undefined);
    assert.equal(findDentry(parseDtab(''), '/p'), undefined);
    const one = parseDtab('/p => /a');
    assert.equal(findDentry(one, '/p'), one.entries[0]);
    // A broken dentry with the prefix is no dentry.
    const broken = parseDtab('/p => /a;/p = /b');
    assert.equal(broken.entries.length, 2);
    assert.equal(findDentry(broken, '/p'), broken.entries[0]);
    throwsCanary(() => findDentry(one, 'p'), 'invalid', `"p" is not a dentry prefix: A prefix starts with \`/\`; found \`p\`.`);
  });

  it('sameDentry: equal bytes, or the same printed form; never two texts that do not parse', () => {
    assert.equal(sameDentry('/p => /a', '/p => /a'), true);
    assert.equal(sameDentry('/p=>/a|/b', ' /p  =>  /a | /b '), true);
    assert.equal(sameDentry('/p => /a', '/p => /b'), false);
    assert.equal(sameDentry('/p => /a', '/q => /a'), false);
    assert.equal(sameDentry('/p = /a', '/p =  /a'), false);
    assert.equal(sameDentry('/p => /a', '/p = /a'), false);
    assert.equal(sameDentry('/p = /a', '/p => /a'), false);
    assert.equal(sameDentry('/p = /a', '/p = /a'), true);
  });

  it('sameDestination: the same tree however written; never a text that does not parse', () => {
    assert.equal(sameDestination('/a|/b', ' /a | ( /b ) '), true);
    assert.equal(sameDestination('/a | /b', '/b | /a'), false);
    assert.equal(sameDestination('/a &', '/a &'), false);
    assert.equal(sameDestination('/a', '/a &'), false);
    assert.equal(sameDestination('/a &', '/a'), false);
  });

  it('rewriteDentry: the edit, its range and what it replaced', () => {
    const text = '# c\n/q => /x;\n/p  =>  /s ; # keep\n';
    assert.deepEqual(rewriteDentry(text, { ...OPTS, percent: 20 }), {
      text: '# c\n/q => /x;\n/p  =>  1 * /c & 4 * /s ; # keep\n',
      range: { start: 14, end: 37 },
      dentryText: '/p  =>  1 * /c & 4 * /s',
      replaced: '/p  =>  /s',
    });
    assert.deepEqual(rewriteDentry('/p=>/s', { ...OPTS, percent: 0 }), { text: '/p=>/s', range: { start: 0, end: 6 }, dentryText: '/p=>/s', replaced: '/p=>/s' });
    // Without `expect`, whatever the dentry holds is replaced.
    assert.equal(rewriteDentry('/p => /other', { ...OPTS, percent: 100 }).text, '/p => /c');
    // With it, the same bytes.
    assert.equal(rewriteDentry('/p => 1 * /c & 9 * /s', { ...OPTS, percent: 100, expect: '/p => 1 * /c & 9 * /s' }).text, '/p => /c');
  });

  it('rewriteDentry: the errors name the prefix as Finagle prints it, and the line and column of a syntax error', () => {
    throwsCanary(() => rewriteDentry('/q => /x', { ...OPTS, prefix: '/\\x70', percent: 10 }), 'not-found', 'no dentry with the prefix /p in the dtab (the canary rewrites the last `/p => …` dentry; add one that routes /p to the stable destination)');
    throwsCanary(
      () => rewriteDentry('/\\x70 => /x', { ...OPTS, percent: 10, expect: '/p => /s' }),
      'conflict',
      'the /p dentry changed since the canary wrote it: it is now "/\\\\x70 => /x", the canary wrote "/p => /s"; nothing was changed (undo that edit, or abort the canary and start again)',
    );
    const bad = '/p => /s;\r\n# x\n  /c = /d';
    throwsCanary(() => rewriteDentry(bad, { ...OPTS, percent: 10 }), 'syntax', 'the dtab has syntax errors (nothing is changed in a dtab that does not parse): 3:7: Expected `>` right after `=`: write `=>` with nothing between; found a space.');
    throwsCanary(() => rewriteDentry('/c = /d;/p => /s', { ...OPTS, percent: 10 }), 'syntax', 'the dtab has syntax errors (nothing is changed in a dtab that does not parse): 1:5: Expected `>` right after `=`: write `=>` with nothing between; found a space.');
    assert.throws(
      () => rewriteDentry(bad, { ...OPTS, percent: 10 }),
      (e: unknown) => e instanceof CanaryError && e.syntax !== undefined && e.syntax.text === bad && e.syntax.errors.length === 1,
    );
    // The percent is checked first.
    throwsCanary(() => rewriteDentry(bad, { ...OPTS, percent: 0.001 }), 'invalid', 'a canary percent has at most two decimals, not 0.001');
  });

  it('finishDentry: with and without the fallback; `expect` checked', () => {
    assert.deepEqual(finishDentry('/p => /s;', { ...OPTS, keepStableAsFallback: false }), { text: '/p => /c;', range: { start: 0, end: 8 }, dentryText: '/p => /c', replaced: '/p => /s' });
    assert.deepEqual(finishDentry('/p => /s;', { ...OPTS, keepStableAsFallback: true }), { text: '/p => /c | /s;', range: { start: 0, end: 13 }, dentryText: '/p => /c | /s', replaced: '/p => /s' });
    throwsCanary(() => finishDentry('/p => /x', { ...OPTS, expect: '/p => /s' }), 'conflict', 'the /p dentry changed since the canary wrote it: it is now "/p => /x", the canary wrote "/p => /s"; nothing was changed (undo that edit, or abort the canary and start again)');
    throwsCanary(() => finishDentry('/q => /x', OPTS), 'not-found', 'no dentry with the prefix /p in the dtab (the canary rewrites the last `/p => …` dentry; add one that routes /p to the stable destination)');
  });

  it('locateDentry: the text, range and one-line destination of the last one', () => {
    assert.deepEqual(locateDentry('/p => /a;\n/p =>\t/b &\n  /c # x\n;', '/p'), { dentryText: '/p =>\t/b &\n  /c', range: { start: 10, end: 25 }, destination: '/b & /c' });
    assert.deepEqual(locateDentry('/p=>/a', '/p'), { dentryText: '/p=>/a', range: { start: 0, end: 6 }, destination: '/a' });
    throwsCanary(() => locateDentry('/p=>/a', '/q'), 'not-found', 'no dentry with the prefix /q in the dtab (the canary rewrites the last `/q => …` dentry; add one that routes /q to the stable destination)');
  });

  describe('restoreDentry', () => {
    const W = '/p => 1 * /c & 9 * /s';
    it('the recorded range is used when it holds what was written, as a whole dentry (even at 0 and at the end of the text)', () => {
      // Two dentries written alike: the range says which one (the fallback would take the last).
      const text = `${W};${W}`;
      assert.deepEqual(restoreDentry(text, { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 21 } }), {
        text: `/p => /s;${W}`,
        range: { start: 0, end: 8 },
        dentryText: '/p => /s',
        replaced: W,
      });
      // A prefix that no longer matches anything: only the recorded range can find it.
      assert.deepEqual(restoreDentry(`/a => /b;${W}`, { prefix: '/nowhere', original: '/p => /s', written: W, range: { start: 9, end: 30 } }), {
        text: '/a => /b;/p => /s',
        range: { start: 9, end: 17 },
        dentryText: '/p => /s',
        replaced: W,
      });
    });

    it('the range is not used when it is out of the text, holds other text, or only part of a dentry', () => {
      const text = `/a => /b;${W}`;
      const r = (range: { start: number; end: number }, written = W) => () => restoreDentry(text, { prefix: '/nowhere', original: '/p => /s', written, range });
      const notFound = 'no dentry with the prefix /nowhere in the dtab any more: nothing to restore; the dentry as the canary found it was "/p => /s"';
      throwsCanary(r({ start: 9, end: 31 }), 'not-found', notFound);
      throwsCanary(r({ start: -1, end: 30 }), 'not-found', notFound);
      throwsCanary(r({ start: 0, end: 8 }), 'not-found', notFound);
      throwsCanary(r({ start: 9, end: 19 }, '/p => 1 * '), 'not-found', notFound);
      throwsCanary(r({ start: 0, end: 2 }, '/a'), 'not-found', notFound);
      throwsCanary(r({ start: 10, end: 30 }, W.slice(1)), 'not-found', notFound);
      // Falls back to the last dentry with the prefix.
      assert.deepEqual(restoreDentry(`/x => /y;${text}`, { prefix: '/p', original: '/p => /s', written: W, range: { start: 9, end: 30 } }), {
        text: '/x => /y;/a => /b;/p => /s',
        range: { start: 18, end: 26 },
        dentryText: '/p => /s',
        replaced: W,
      });
    });

    it('a broken dentry at the recorded range is not the canary\'s; the fallback skips it too', () => {
      const text = `${W};/p = /x`;
      const broken = parseDtab(text).entries[1]!;
      assert.deepEqual([broken.kind, broken.start, broken.end], ['broken', 22, 29]);
      throwsCanary(
        () => restoreDentry(text, { prefix: '/p', original: '/p => /s', written: '/p = /x', range: { start: 22, end: 29 } }),
        'conflict',
        'the /p dentry changed since the canary wrote it: it is now "/p => 1 * /c & 9 * /s", the canary wrote "/p = /x"; nothing was changed. The dentry as the canary found it: "/p => /s"',
      );
      assert.deepEqual(restoreDentry(text, { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 5 } }).text, `/p => /s;/p = /x`);
    });

    it('errors: syntax errors and no dentry; gone; changed (also in printed form: a match)', () => {
      throwsCanary(
        () => restoreDentry('# a\n/q = /x', { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 21 } }),
        'syntax',
        'cannot find the /p dentry to restore: the dtab has syntax errors: 2:5: Expected `>` right after `=`: write `=>` with nothing between; found a space.',
      );
      assert.throws(
        () => restoreDentry('/q = /x', { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 21 } }),
        (e: unknown) => e instanceof CanaryError && e.syntax?.text === '/q = /x',
      );
      throwsCanary(
        () => restoreDentry('/q => /x', { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 21 } }),
        'not-found',
        'no dentry with the prefix /p in the dtab any more: nothing to restore; the dentry as the canary found it was "/p => /s"',
      );
      throwsCanary(
        () => restoreDentry('/p => /z', { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 21 } }),
        'conflict',
        'the /p dentry changed since the canary wrote it: it is now "/p => /z", the canary wrote "/p => 1 * /c & 9 * /s"; nothing was changed. The dentry as the canary found it: "/p => /s"',
      );
      assert.deepEqual(restoreDentry('/p=>1*/c&9*/s', { prefix: '/p', original: '/p => /s', written: W, range: { start: 0, end: 21 } }), {
        text: '/p => /s',
        range: { start: 0, end: 8 },
        dentryText: '/p => /s',
        replaced: '/p=>1*/c&9*/s',
      });
    });
  });
});

// ---- state.ts ---------------------------------------------------------------------------------

const FILE_PLAN = { name: '/host/world', stable: '/srv/v1', canary: '/srv/v2', steps: [10, 50, 100] };

function fileState(): Obj {
  return {
    version: 1,
    backend: { kind: 'file', file: 'w.dtab' },
    plan: { ...FILE_PLAN, steps: [...FILE_PLAN.steps] },
    position: -1,
    percent: 0,
    status: 'running',
    original: { dentryText: '/host/world => /srv/v1', range: { start: 0, end: 22 } },
    history: [{ at: 't0', action: 'start', percent: 0 }],
  };
}

function tsState(): Obj {
  return {
    version: 1,
    backend: { kind: 'traffic-split', namespace: 'shop', name: 'split' },
    plan: { name: 'shop/split', stable: 'web-v1', canary: 'web-v2', steps: [50, 100] },
    position: -1,
    percent: 0,
    status: 'running',
    original: { weights: { 'web-v1': 1, 'web-v2': '0' }, trafficSplit: { apiVersion: 'split.smi-spec.io/v1alpha1', resourceVersion: '3', spec: { service: 'web' } } },
    history: [],
  };
}

function depState(): Obj {
  return {
    version: 1,
    backend: { kind: 'deployments', stable: { namespace: 'shop', name: 'a' }, canary: { namespace: 'shop', name: 'b' } },
    plan: { name: 'shop/a,shop/b', stable: 'shop/a', canary: 'shop/b', steps: [50] },
    position: -1,
    percent: 0,
    status: 'running',
    original: { replicas: { stable: 2, canary: 0 } },
    history: [],
  };
}

/** `base()` changed by `mutate` must be refused with `s.json: ` and this message. */
function refused(base: () => Obj, mutate: (o: Obj) => void, message: string): void {
  const o = base();
  mutate(o);
  throwsCanary(() => parseCanaryState(o, 's.json'), 'invalid', `s.json: ${message}`);
}

const sub = (o: Obj, k: string): Obj => o[k] as Obj;

describe('state.ts: constants, newCanaryState, serializeCanaryState', () => {
  it('the version and the default steps', () => {
    assert.equal(CANARY_STATE_VERSION, 1);
    assert.deepEqual(DEFAULT_STEPS, [10, 25, 50, 100]);
  });

  it('a new state at -1 and 0 %, running, its start in the history; indented JSON with a newline', () => {
    const s = newCanaryState({ kind: 'file', file: 'f' }, FILE_PLAN, { dentryText: 'd', range: { start: 0, end: 1 } }, 'T');
    assert.deepEqual(s, {
      version: 1,
      backend: { kind: 'file', file: 'f' },
      plan: FILE_PLAN,
      position: -1,
      percent: 0,
      status: 'running',
      original: { dentryText: 'd', range: { start: 0, end: 1 } },
      history: [{ at: 'T', action: 'start', percent: 0 }],
    });
    const small = { ...s, plan: { name: '/p', stable: '/s', canary: '/c', steps: [100] }, original: {}, history: [] };
    assert.equal(
      serializeCanaryState(small),
      '{\n  "version": 1,\n  "backend": {\n    "kind": "file",\n    "file": "f"\n  },\n  "plan": {\n    "name": "/p",\n    "stable": "/s",\n    "canary": "/c",\n    "steps": [\n      100\n    ]\n  },\n  "position": -1,\n  "percent": 0,\n  "status": "running",\n  "original": {},\n  "history": []\n}\n',
    );
  });
});

describe('state.ts: nextStep, positionOf, isActive', () => {
  it('nextStep: the step after the position; undefined after the last', () => {
    const plan = { ...FILE_PLAN };
    assert.deepEqual([-1, 0, 1, 2].map((position) => nextStep({ plan, position })), [10, 50, 100, undefined]);
  });
  it('positionOf: the last step at or below the percent', () => {
    const plan = { steps: [10, 25, 50] };
    assert.deepEqual([0, 9.99, 10, 24, 25, 49.99, 50, 100].map((p) => positionOf(plan, p)), [-1, -1, 0, 0, 1, 1, 2, 2]);
    assert.equal(positionOf({ steps: [] }, 50), -1);
  });
  it('isActive: running, paused and gate-failed are; aborted and finished are not', () => {
    const all: CanaryStatus[] = ['running', 'paused', 'gate-failed', 'aborted', 'finished'];
    assert.deepEqual(all.map((status) => isActive({ status })), [true, true, true, false, false]);
  });
});

describe('state.ts: validatePlan', () => {
  const K = 'kubernetes' as const;
  const plan = (o: Obj = {}): Obj => ({ ...FILE_PLAN, ...o });
  const kplan = (o: Obj = {}): Obj => ({ name: 'shop/split', stable: 'web-v1', canary: 'web-v2', steps: [50, 100], ...o });
  const refusedPlan = (p: unknown, message: string, kind: 'dtab' | 'kubernetes' = 'dtab') => throwsCanary(() => validatePlan(p, 'f', 'p', kind), 'invalid', `f: ${message}`);

  it('defaults: where and path are `plan`, the kind dtab', () => {
    throwsCanary(() => validatePlan(null), 'invalid', 'plan: plan: must be an object');
    throwsCanary(() => validatePlan({}), 'invalid', 'plan: plan.name: must be a string');
    throwsCanary(() => validatePlan(kplan()), 'invalid', 'plan: plan.name: "shop/split" is not a dentry prefix: A prefix starts with `/`; found `s`.');
  });

  it('only the known fields, and only the optional ones given', () => {
    assert.deepEqual(validatePlan({ ...plan(), extra: 1, stage: undefined, gate: undefined }), FILE_PLAN);
    assert.deepEqual(validatePlan(kplan(), 'f', 'p', K), { name: 'shop/split', stable: 'web-v1', canary: 'web-v2', steps: [50, 100] });
    const full = plan({
      pauseSeconds: [0, 60, 1.5],
      gate: { minSuccessRate: 1, minRequests: 0, other: 1 },
      stage: { request: { url: 'http://r', path: '/x', method: 'HEAD', headers: [['Host', 'h'], ['A', 'b']], x: 1 }, y: 2 },
      metrics: { admin: 'http://a', router: 'r', stableId: '/s', canaryId: '/c', z: 3 },
    });
    assert.deepEqual(validatePlan(full), {
      ...FILE_PLAN,
      pauseSeconds: [0, 60, 1.5],
      gate: { minSuccessRate: 1, minRequests: 0 },
      stage: { request: { url: 'http://r', path: '/x', method: 'HEAD', headers: [['Host', 'h'], ['A', 'b']] } },
      metrics: { admin: 'http://a', router: 'r', stableId: '/s', canaryId: '/c' },
    });
    assert.deepEqual(validatePlan(plan({ gate: {}, stage: { request: { url: 'u', path: 'p' } } })), { ...FILE_PLAN, gate: {}, stage: { request: { url: 'u', path: 'p' } } });
    assert.deepEqual(validatePlan(plan({ gate: { minSuccessRate: 0 } })), { ...FILE_PLAN, gate: { minSuccessRate: 0 } });
    assert.deepEqual(validatePlan(plan({ gate: { minRequests: 3 } })), { ...FILE_PLAN, gate: { minRequests: 3 } });
    assert.deepEqual(validatePlan(plan({ stage: { request: { url: 'u', path: 'p', headers: [] } } })), { ...FILE_PLAN, stage: { request: { url: 'u', path: 'p', headers: [] } } });
    assert.deepEqual(validatePlan(plan({ pauseSeconds: [] })), { ...FILE_PLAN, pauseSeconds: [] });
    // A dtab plan may route stable and canary alike (the weights still apply); its destinations are any trees.
    assert.deepEqual(validatePlan(plan({ stable: '/a | ~', canary: '/a | ~' })), plan({ stable: '/a | ~', canary: '/a | ~' }));
  });

  it('the name: a prefix (dtab), not blank (kubernetes)', () => {
    refusedPlan(plan({ name: 5 }), 'p.name: must be a string');
    refusedPlan(plan({ name: 'host' }), `p.name: "host" is not a dentry prefix: ${PREFIX_H}`);
    refusedPlan(kplan({ name: '' }), 'p.name: must not be empty', K);
    refusedPlan(kplan({ name: ' \t' }), 'p.name: must not be empty', K);
    assert.equal(validatePlan(kplan({ name: ' x ' }), 'f', 'p', K).name, ' x ');
    assert.equal(validatePlan(kplan({ name: '/host/world' }), 'f', 'p', K).name, '/host/world');
  });

  it('destinations: trees (dtab), Kubernetes names (kubernetes), never the same name twice', () => {
    refusedPlan(plan({ stable: 1 }), 'p.stable: must be a string');
    refusedPlan(plan({ canary: undefined }), 'p.canary: must be a string');
    refusedPlan(plan({ stable: '/a |' }), 'p.stable: "/a |" is not a destination: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.');
    refusedPlan(kplan({ stable: 1 }), 'p.stable: must be a string', K);
    const good = ['a', 'ab', '1', 'a1', '1a', 'api-stable', 'a.b-c', 'a--b', 'a..b', 'ns/a', 'n/a', 'my-ns/x', 'a-b-c/d.e', '0/0'];
    for (const name of good) assert.equal(validatePlan(kplan({ canary: name }), 'f', 'p', K).canary, name, name);
    const bad = ['', 'A', 'Ab', 'aB', '-a', 'a-', '.a', 'a.', 'ns/', '/a', 'a/b/c', 'a_b', 'ns-/a', '-ns/a', 'n.s/a', 'ns/-a', 'ns/a-', 'a b', 'a\n', 'é'];
    for (const name of bad) refusedPlan(kplan({ canary: name }), `p.canary: ${JSON.stringify(name)} is not a Kubernetes name (lower-case letters, digits, '-' and '.'; NAME or NAMESPACE/NAME)`, K);
    refusedPlan(kplan({ stable: 'Web' }), `p.stable: "Web" is not a Kubernetes name (lower-case letters, digits, '-' and '.'; NAME or NAMESPACE/NAME)`, K);
    refusedPlan(kplan({ canary: 'web-v1' }), 'p.canary: is the stable one too (web-v1): nothing to shift', K);
  });

  it('steps: an array of at most 1000, each above 0 and at most 100, increasing, exact for its kind', () => {
    refusedPlan(plan({ steps: 10 }), 'p.steps: must be an array');
    refusedPlan(plan({ steps: [] }), 'p.steps: must have at least one step');
    refusedPlan(plan({ steps: ['10'] }), 'p.steps[0]: must be a number');
    refusedPlan(plan({ steps: [10, NaN] }), 'p.steps[1]: must be a number');
    refusedPlan(plan({ steps: [-1] }), 'p.steps[0]: must be from 0 to 100, not -1');
    refusedPlan(plan({ steps: [100.5] }), 'p.steps[0]: must be from 0 to 100, not 100.5');
    refusedPlan(plan({ steps: [10, 0] }), 'p.steps[1]: must be more than 0 (0% is where the canary starts)');
    refusedPlan(plan({ steps: [50, 10] }), 'p.steps: must increase: 50 then 10');
    refusedPlan(plan({ steps: [10, 20, 20] }), 'p.steps: must increase: 20 then 20');
    refusedPlan(plan({ steps: [12.345] }), 'p.steps[0]: a canary percent has at most two decimals, not 12.345');
    refusedPlan(kplan({ steps: [10, 12.345] }), 'p.steps[1]: a percentage has at most two decimals (got 12.345)', K);
    const thousand = Array.from({ length: 1000 }, (_, i) => (i + 1) / 10);
    assert.equal(validatePlan(plan({ steps: thousand })).steps.length, 1000);
    refusedPlan(plan({ steps: [...thousand, 100.1] }), 'p.steps: has 1001 elements; at most 1000');
    assert.deepEqual(validatePlan(plan({ steps: [0.01, 100] })).steps, [0.01, 100]);
    assert.deepEqual(validatePlan(kplan({ steps: [0.01, 99.99] }), 'f', 'p', K).steps, [0.01, 99.99]);
  });

  it('pauses, gate, stage and metrics: each field named', () => {
    refusedPlan(plan({ pauseSeconds: 5 }), 'p.pauseSeconds: must be an array');
    refusedPlan(plan({ pauseSeconds: [1, -1] }), 'p.pauseSeconds[1]: must be from 0 to Infinity, not -1');
    refusedPlan(plan({ pauseSeconds: [1, 'x'] }), 'p.pauseSeconds[1]: must be a number');
    refusedPlan(plan({ pauseSeconds: [1, 2, 3, 4] }), 'p.pauseSeconds: has 4 pauses for 3 steps');
    refusedPlan(plan({ pauseSeconds: Array.from({ length: 1001 }, () => 1) }), 'p.pauseSeconds: has 1001 elements; at most 1000');
    refusedPlan(plan({ gate: [] }), 'p.gate: must be an object');
    refusedPlan(plan({ gate: { minSuccessRate: -0.1 } }), 'p.gate.minSuccessRate: must be from 0 to 1, not -0.1');
    refusedPlan(plan({ gate: { minSuccessRate: '1' } }), 'p.gate.minSuccessRate: must be a number');
    refusedPlan(plan({ gate: { minRequests: -1 } }), 'p.gate.minRequests: must be from 0 to 9007199254740991, not -1');
    refusedPlan(plan({ gate: { minRequests: Infinity } }), 'p.gate.minRequests: must be a number');
    refusedPlan(kplan({ stage: { request: { url: 'u', path: 'p' } } }), 'p.stage: a stage request sends the canary as an l5d-dtab override, so it is only for dtab canaries (file, namerd)', K);
    refusedPlan(plan({ stage: null }), 'p.stage: must be an object');
    refusedPlan(plan({ stage: {} }), 'p.stage.request: must be an object');
    refusedPlan(plan({ stage: { request: { path: '/' } } }), 'p.stage.request.url: must be a string');
    refusedPlan(plan({ stage: { request: { url: 'u' } } }), 'p.stage.request.path: must be a string');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', method: 1 } } }), 'p.stage.request.method: must be a string');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: {} } } }), 'p.stage.request.headers: must be an array');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: ['Host: h'] } } }), 'p.stage.request.headers[0]: must be an array');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: [['a', 'b'], ['Host']] } } }), 'p.stage.request.headers[1]: must be [name, value]');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: [[]] } } }), 'p.stage.request.headers[0]: must be [name, value]');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: [['a', 'b', 'c']] } } }), 'p.stage.request.headers[0]: has 3 elements; at most 2');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: [[1, 'b']] } } }), 'p.stage.request.headers[0][0]: must be a string');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: [['a', 2]] } } }), 'p.stage.request.headers[0][1]: must be a string');
    refusedPlan(plan({ stage: { request: { url: 'u', path: '/', headers: Array.from({ length: 1001 }, () => ['a', 'b']) } } }), 'p.stage.request.headers: has 1001 elements; at most 1000');
    refusedPlan(plan({ metrics: 'm' }), 'p.metrics: must be an object');
    const m = { admin: 'a', router: 'r', stableId: 's', canaryId: 'c' };
    for (const k of ['admin', 'router', 'stableId', 'canaryId']) refusedPlan(plan({ metrics: { ...m, [k]: undefined } }), `p.metrics.${k}: must be a string`);
  });
});

describe('state.ts: parseCanaryState', () => {
  it('reads JSON text or a value; the default name is `canary state`; unknown fields are dropped', () => {
    const s = fileState();
    assert.deepEqual(parseCanaryState(JSON.stringify(s)), s);
    assert.deepEqual(parseCanaryState({ ...s, extra: 1, original: { ...sub(s, 'original'), x: 1 }, history: [{ at: 't0', action: 'start', percent: 0, y: 2 }] }), s);
    throwsCanary(() => parseCanaryState('null'), 'invalid', 'canary state: (top): must be an object');
    throwsCanary(() => parseCanaryState('"x"', 'f'), 'invalid', 'f: (top): must be an object');
    throwsCanary(() => parseCanaryState(5, 'f'), 'invalid', 'f: (top): must be an object');
    throwsCanary(() => parseCanaryState(null, 'f'), 'invalid', 'f: (top): must be an object');
    let jsonError = '';
    try {
      JSON.parse('{"a":');
    } catch (e) {
      jsonError = (e as Error).message;
    }
    throwsCanary(() => parseCanaryState('{"a":'), 'invalid', `canary state: not JSON (${jsonError})`);
  });

  it('every optional field read back exactly, absent ones absent', () => {
    const metrics: BranchStats[] = [
      { role: 'stable', id: '/s', requests: 2, success: 1, failures: 1, successRate: 0.5 },
      { role: 'canary', id: '/c', requests: 0, success: 0, failures: 0, successRate: null },
    ];
    const s = {
      ...fileState(),
      backend: { kind: 'namerd', url: 'http://n:4180', ns: 'default' },
      position: 2,
      percent: 100,
      status: 'finished',
      original: { dentryText: 'd', range: { start: 3, end: 3 }, fileHash: 'h', namerdText: 't', namerdVersion: 'v' },
      current: { dentryText: 'e', range: { start: 0, end: 9 }, written: 'w', weights: { a: 1, b: '2' }, replicas: { stable: 0, canary: 0 } },
      history: [
        { at: 't0', action: 'start', percent: 0 },
        { at: 't1', action: 'stage-failed', message: 'm' },
        { at: 't2', action: 'step', percent: 100, written: 'w', metrics },
        { at: 't3', action: 'finish' },
      ],
      lastMetrics: { at: 't2', values: { a: 1, b: -2.5 } },
    };
    assert.deepEqual(parseCanaryState(s), s);
    assert.deepEqual(parseCanaryState({ ...fileState(), current: {} }), { ...fileState(), current: {} });
    const ts = tsState();
    assert.deepEqual(parseCanaryState(ts), ts);
    const dep = { ...depState(), backend: { ...sub(depState(), 'backend'), kubeconfig: '/k', context: 'dev' } };
    assert.deepEqual(parseCanaryState(dep), dep);
    const tsk = { ...tsState(), backend: { ...sub(tsState(), 'backend'), kubeconfig: '/k' } };
    assert.deepEqual(parseCanaryState(tsk), tsk);
    const tsc = { ...tsState(), backend: { ...sub(tsState(), 'backend'), context: 'c' } };
    assert.deepEqual(parseCanaryState(tsc), tsc);
    // Every status and every action is accepted.
    for (const status of ['running', 'paused', 'aborted', 'finished', 'gate-failed']) assert.equal(parseCanaryState({ ...fileState(), status }).status, status);
    const actions = ['start', 'stage', 'stage-failed', 'step', 'gate-failed', 'abort', 'finish'];
    assert.deepEqual(parseCanaryState({ ...fileState(), history: actions.map((action) => ({ at: 't', action })) }).history, actions.map((action) => ({ at: 't', action })));
  });

  it('version, backend, position, percent, status: each refusal', () => {
    refused(fileState, (o) => delete o.version, 'version: missing: is this a canary state? (expected version 1)');
    refused(fileState, (o) => (o.version = '1'), 'version: "1" is not a state version this tool reads (it reads 1)');
    refused(fileState, (o) => (o.version = null), 'version: null is not a state version this tool reads (it reads 1)');
    refused(fileState, (o) => delete o.backend, 'backend: must be an object');
    refused(fileState, (o) => (o.backend = { file: 'f' }), 'backend.kind: must be one of "file", "namerd", "traffic-split", "deployments"');
    refused(fileState, (o) => (o.backend = { kind: 1 }), 'backend.kind: must be one of "file", "namerd", "traffic-split", "deployments"');
    refused(fileState, (o) => (o.backend = { kind: 'file' }), 'backend.file: must be a string');
    refused(fileState, (o) => (o.backend = { kind: 'namerd', ns: 'x' }), 'backend.url: must be a string');
    refused(tsState, (o) => (o.backend = { kind: 'traffic-split', name: 'x' }), 'backend.namespace: must be a string');
    refused(tsState, (o) => (o.backend = { kind: 'traffic-split', namespace: 'x' }), 'backend.name: must be a string');
    refused(tsState, (o) => (sub(o, 'backend').kubeconfig = 1), 'backend.kubeconfig: must be a string');
    refused(tsState, (o) => (sub(o, 'backend').context = 1), 'backend.context: must be a string');
    refused(depState, (o) => (sub(o, 'backend').context = null), 'backend.context: must be a string');
    refused(depState, (o) => (sub(o, 'backend').canary = []), 'backend.canary: must be an object');
    refused(depState, (o) => (sub(o, 'backend').stable = { name: 'a' }), 'backend.stable.namespace: must be a string');
    refused(depState, (o) => (sub(o, 'backend').stable = { namespace: 'a' }), 'backend.stable.name: must be a string');
    refused(depState, (o) => (sub(o, 'backend').canary = { name: 'a' }), 'backend.canary.namespace: must be a string');
    refused(depState, (o) => (sub(o, 'backend').canary = { namespace: 'a' }), 'backend.canary.name: must be a string');
    refused(fileState, (o) => (o.position = 1.5), 'position: must be a whole number, not 1.5');
    refused(fileState, (o) => (o.position = -2), 'position: must be from -1 to 2, not -2');
    refused(fileState, (o) => (o.position = 3), 'position: must be from -1 to 2, not 3');
    refused(fileState, (o) => (o.position = '0'), 'position: must be a number');
    refused(fileState, (o) => (o.percent = 100.01), 'percent: must be from 0 to 100, not 100.01');
    refused(fileState, (o) => (o.percent = -0.01), 'percent: must be from 0 to 100, not -0.01');
    refused(fileState, (o) => delete o.percent, 'percent: must be a number');
    refused(fileState, (o) => (o.status = 1), 'status: must be one of "running", "paused", "aborted", "finished", "gate-failed"');
  });

  it('the plan is checked as a dtab plan for file and namerd, a Kubernetes plan for the others', () => {
    refused(fileState, (o) => (sub(o, 'plan').name = 'shop/x'), 'plan.name: "shop/x" is not a dentry prefix: A prefix starts with `/`; found `s`.');
    refused(
      fileState,
      (o) => {
        o.backend = { kind: 'namerd', url: 'u', ns: 'n' };
        sub(o, 'plan').name = 'shop/x';
      },
      'plan.name: "shop/x" is not a dentry prefix: A prefix starts with `/`; found `s`.',
    );
    refused(tsState, (o) => (sub(o, 'plan').stable = '/srv/v1'), `plan.stable: "/srv/v1" is not a Kubernetes name (lower-case letters, digits, '-' and '.'; NAME or NAMESPACE/NAME)`);
    refused(depState, (o) => (sub(o, 'plan').stable = '/srv/v1'), `plan.stable: "/srv/v1" is not a Kubernetes name (lower-case letters, digits, '-' and '.'; NAME or NAMESPACE/NAME)`);
    refused(fileState, (o) => delete o.plan, 'plan: must be an object');
  });

  it('original: each field, and what each backend needs', () => {
    refused(fileState, (o) => delete o.original, 'original: must be an object');
    for (const k of ['dentryText', 'fileHash', 'namerdText', 'namerdVersion']) refused(fileState, (o) => (sub(o, 'original')[k] = 1), `original.${k}: must be a string`);
    refused(fileState, (o) => (sub(o, 'original').range = [0, 1]), 'original.range: must be an object');
    refused(fileState, (o) => (sub(o, 'original').range = { start: -1, end: 1 }), 'original.range.start: must be from 0 to 9007199254740991, not -1');
    refused(fileState, (o) => (sub(o, 'original').range = { start: 0.5, end: 1 }), 'original.range.start: must be a whole number, not 0.5');
    refused(fileState, (o) => (sub(o, 'original').range = { start: 0 }), 'original.range.end: must be a number');
    refused(fileState, (o) => delete sub(o, 'original').dentryText, 'original: a file canary needs original.dentryText and original.range (what abort puts back)');
    refused(fileState, (o) => delete sub(o, 'original').range, 'original: a file canary needs original.dentryText and original.range (what abort puts back)');
    refused(
      fileState,
      (o) => {
        o.backend = { kind: 'namerd', url: 'u', ns: 'n' };
        delete sub(o, 'original').range;
      },
      'original: a namerd canary needs original.dentryText and original.range (what abort puts back)',
    );
    refused(tsState, (o) => (sub(o, 'original').weights = 1), 'original.weights: must be an object');
    refused(tsState, (o) => (sub(o, 'original').weights = { 'web-v1': Infinity }), 'original.weights["web-v1"]: must be a number');
    refused(tsState, (o) => (sub(o, 'original').trafficSplit = 'x'), 'original.trafficSplit: must be an object');
    refused(tsState, (o) => delete sub(sub(o, 'original'), 'trafficSplit').apiVersion, 'original.trafficSplit.apiVersion: must be a string');
    refused(tsState, (o) => (sub(sub(o, 'original'), 'trafficSplit').resourceVersion = 3), 'original.trafficSplit.resourceVersion: must be a string');
    refused(tsState, (o) => (sub(sub(o, 'original'), 'trafficSplit').spec = null), 'original.trafficSplit.spec: must be an object');
    refused(tsState, (o) => delete sub(o, 'original').weights, 'original: a traffic-split canary needs original.weights and original.trafficSplit (what abort puts back)');
    refused(tsState, (o) => delete sub(o, 'original').trafficSplit, 'original: a traffic-split canary needs original.weights and original.trafficSplit (what abort puts back)');
    refused(depState, (o) => (o.original = {}), 'original: a deployments canary needs original.replicas (what abort puts back)');
    refused(depState, (o) => (sub(o, 'original').replicas = 2), 'original.replicas: must be an object');
    refused(depState, (o) => (sub(o, 'original').replicas = { stable: 1.5, canary: 0 }), 'original.replicas.stable: must be a whole number, not 1.5');
    refused(depState, (o) => (sub(o, 'original').replicas = { stable: 1, canary: -1 }), 'original.replicas.canary: must be from 0 to 9007199254740991, not -1');
    // Each backend needs only its own fields.
    assert.deepEqual(parseCanaryState({ ...depState(), original: { replicas: { stable: 0, canary: 0 } } }).original, { replicas: { stable: 0, canary: 0 } });
    assert.deepEqual(parseCanaryState({ ...tsState(), original: { ...sub(tsState(), 'original'), dentryText: 'x' } }).original, { ...sub(tsState(), 'original'), dentryText: 'x' });
  });

  it('current, history and lastMetrics: each field named', () => {
    refused(fileState, (o) => (o.current = 'x'), 'current: must be an object');
    refused(fileState, (o) => (o.current = { dentryText: 1 }), 'current.dentryText: must be a string');
    refused(fileState, (o) => (o.current = { range: { start: 2, end: 1 } }), 'current.range.end: must be from 2 to 9007199254740991, not 1');
    refused(fileState, (o) => (o.current = { written: false }), 'current.written: must be a string');
    refused(fileState, (o) => (o.current = { weights: { a: null } }), 'current.weights["a"]: must be a number');
    refused(fileState, (o) => (o.current = { replicas: {} }), 'current.replicas.stable: must be a number');
    refused(fileState, (o) => (o.history = {}), 'history: must be an array');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'start' }, 'x']), 'history[1]: must be an object');
    refused(fileState, (o) => (o.history = [{ action: 'start' }]), 'history[0].at: must be a string');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'start', percent: 101 }]), 'history[0].percent: must be from 0 to 100, not 101');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'start', written: 1 }]), 'history[0].written: must be a string');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'start', message: 1 }]), 'history[0].message: must be a string');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: {} }]), 'history[0].metrics: must be an array');
    const br = { role: 'canary', id: '/c', requests: 1, success: 1, failures: 0, successRate: 1 };
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [br, br, br] }]), 'history[0].metrics: has 3 elements; at most 2');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [br, 1] }]), 'history[0].metrics[1]: must be an object');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, role: 'x' }] }]), 'history[0].metrics[0].role: must be one of "stable", "canary"');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, id: 1 }] }]), 'history[0].metrics[0].id: must be a string');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, requests: '1' }] }]), 'history[0].metrics[0].requests: must be a number');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, success: '1' }] }]), 'history[0].metrics[0].success: must be a number');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, failures: '1' }] }]), 'history[0].metrics[0].failures: must be a number');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, successRate: 1.01 }] }]), 'history[0].metrics[0].successRate: must be from 0 to 1, not 1.01');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, successRate: -0.01 }] }]), 'history[0].metrics[0].successRate: must be from 0 to 1, not -0.01');
    refused(fileState, (o) => (o.history = [{ at: 't', action: 'step', metrics: [{ ...br, successRate: undefined }] }]), 'history[0].metrics[0].successRate: must be a number');
    refused(fileState, (o) => (o.lastMetrics = []), 'lastMetrics: must be an object');
    refused(fileState, (o) => (o.lastMetrics = { values: {} }), 'lastMetrics.at: must be a string');
    refused(fileState, (o) => (o.lastMetrics = { at: 't' }), 'lastMetrics.values: must be an object');
    refused(fileState, (o) => (o.lastMetrics = { at: 't', values: { 'rt/x': 'y' } }), 'lastMetrics.values["rt/x"]: must be a number');
  });
});

describe('state.ts: describeStatus', () => {
  const file = (o: Partial<CanaryState> = {}): CanaryState => ({ ...(parseCanaryState(fileState()) as CanaryState), ...o });
  const status = (s: CanaryState) => describeStatus(s)[1];

  it('each status, before the first step, at a step and at the last', () => {
    assert.deepEqual(describeStatus(file()), ['canary /host/world 0% → /srv/v2 (from /srv/v1)', 'status: running, not yet at the first step; next: 10%', 'steps: 10% → 50% → 100%', 'backend: file w.dtab']);
    assert.deepEqual(describeStatus(file({ position: 0, percent: 10 })).slice(0, 3), ['canary /host/world 10% → /srv/v2 (from /srv/v1)', 'status: running, step 1 of 3; next: 50%', 'steps: [10%] → 50% → 100%']);
    assert.equal(status(file({ position: 2, percent: 100 })), 'status: running, step 3 of 3; next: finish');
    assert.equal(status(file({ status: 'paused' })), 'status: paused, not yet at the first step; next: 10%');
    assert.equal(status(file({ status: 'paused', position: 1 })), 'status: paused, step 2 of 3; next: 100%');
    assert.equal(status(file({ status: 'paused', position: 2 })), 'status: paused, step 3 of 3');
    assert.equal(status(file({ status: 'gate-failed', position: 0 })), 'status: gate failed, step 1 of 3; 50% was not applied');
    assert.equal(status(file({ status: 'gate-failed', position: 2 })), 'status: gate failed, step 3 of 3; finish was not applied');
    assert.equal(status(file({ status: 'finished', position: 2 })), 'status: finished');
  });

  it('aborted: what was put back, by backend, or that the stage failed first', () => {
    const aborted = (o: Obj, history: CanaryHistoryEntry[]) => status({ ...(parseCanaryState({ ...o, status: 'aborted' }) as CanaryState), history });
    const h = (...actions: CanaryHistoryEntry['action'][]) => actions.map((action) => ({ at: 't', action }));
    assert.equal(aborted(fileState(), []), 'status: aborted: the dentry is back as it was');
    assert.equal(aborted(fileState(), h('start', 'abort')), 'status: aborted: the dentry is back as it was');
    assert.equal(aborted({ ...fileState(), backend: { kind: 'namerd', url: 'u', ns: 'n' } }, h('abort')), 'status: aborted: the dentry is back as it was');
    assert.equal(aborted(tsState(), h('abort')), 'status: aborted: the TrafficSplit is back as it was');
    assert.equal(aborted(depState(), h('abort')), 'status: aborted: the replica counts are back as they were');
    assert.equal(aborted(depState(), h('start', 'stage-failed')), 'status: aborted: the stage request failed before anything was written');
    assert.equal(aborted(fileState(), h('stage-failed', 'abort')), 'status: aborted: the dentry is back as it was');
    assert.equal(aborted(fileState(), h('start', 'stage-failed', 'abort')), 'status: aborted: the dentry is back as it was');
    assert.equal(aborted(fileState(), h('start', 'stage', 'step', 'stage-failed')), 'status: aborted: the stage request failed before anything was written');
  });

  it('backends: namerd, TrafficSplit and Deployments with their Kubernetes context', () => {
    const backend = (o: Obj) => describeStatus(parseCanaryState(o)).find((l) => l.startsWith('backend: '));
    assert.equal(backend({ ...fileState(), backend: { kind: 'namerd', url: 'http://n:4180', ns: 'default' } }), 'backend: namerd http://n:4180 namespace default');
    const ts = sub(tsState(), 'backend');
    assert.equal(backend(tsState()), 'backend: TrafficSplit shop/split');
    assert.equal(backend({ ...tsState(), backend: { ...ts, kubeconfig: '/k' } }), 'backend: TrafficSplit shop/split (kubeconfig /k)');
    assert.equal(backend({ ...tsState(), backend: { ...ts, kubeconfig: '/k', context: 'dev' } }), 'backend: TrafficSplit shop/split (context dev, kubeconfig /k)');
    const dep = sub(depState(), 'backend');
    assert.equal(backend(depState()), 'backend: Deployments shop/a (stable), shop/b (canary)');
    assert.equal(backend({ ...depState(), backend: { ...dep, context: '' } }), 'backend: Deployments shop/a (stable), shop/b (canary) (context )');
    assert.equal(backend({ ...depState(), backend: { ...dep, stable: { namespace: 'x', name: 'y' }, kubeconfig: '' } }), 'backend: Deployments x/y (stable), shop/b (canary) (kubeconfig )');
  });

  it('what a Kubernetes canary had and last wrote; a dtab canary says neither', () => {
    const ts = parseCanaryState({ ...tsState(), current: { written: '{"web-v1":1}' } });
    assert.deepEqual(describeStatus(ts).slice(3), ['backend: TrafficSplit shop/split', 'weights before the canary: {"web-v1":1,"web-v2":"0"}', 'last written: {"web-v1":1}']);
    assert.deepEqual(describeStatus(parseCanaryState(tsState())).slice(3), ['backend: TrafficSplit shop/split', 'weights before the canary: {"web-v1":1,"web-v2":"0"}']);
    const dep = parseCanaryState({ ...depState(), current: { written: '{"shop/a":1}', replicas: { stable: 1, canary: 1 } } });
    assert.deepEqual(describeStatus(dep).slice(3), ['backend: Deployments shop/a (stable), shop/b (canary)', 'replicas before the canary: {"stable":2,"canary":0}', 'last written: {"shop/a":1}']);
    assert.deepEqual(describeStatus(parseCanaryState({ ...depState(), current: {} })).slice(3), ['backend: Deployments shop/a (stable), shop/b (canary)', 'replicas before the canary: {"stable":2,"canary":0}']);
    // A state built by a host without what it had: no line for it.
    const bare = (o: Obj): CanaryState => ({ ...(parseCanaryState(o) as CanaryState), original: {} });
    assert.deepEqual(describeStatus(bare(tsState())).slice(3), ['backend: TrafficSplit shop/split']);
    assert.deepEqual(describeStatus(bare(depState())).slice(3), ['backend: Deployments shop/a (stable), shop/b (canary)']);
    // Fields another backend would have are not shown.
    const f = parseCanaryState({ ...fileState(), original: { ...sub(fileState(), 'original'), weights: { a: 1 }, replicas: { stable: 1, canary: 1 } }, current: { written: 'w' } });
    assert.deepEqual(describeStatus(f).slice(3), ['backend: file w.dtab']);
    const d2 = parseCanaryState({ ...depState(), original: { ...sub(depState(), 'original'), weights: { a: 1 } } });
    assert.deepEqual(describeStatus(d2).slice(3), ['backend: Deployments shop/a (stable), shop/b (canary)', 'replicas before the canary: {"stable":2,"canary":0}']);
    const t2 = parseCanaryState({ ...tsState(), original: { ...sub(tsState(), 'original'), replicas: { stable: 1, canary: 1 } } });
    assert.deepEqual(describeStatus(t2).slice(3), ['backend: TrafficSplit shop/split', 'weights before the canary: {"web-v1":1,"web-v2":"0"}']);
  });

  it('the last stage, passed or failed, with its message when there is one', () => {
    const stage = (history: CanaryHistoryEntry[]) => describeStatus(file({ history })).slice(4);
    assert.deepEqual(stage([]), []);
    assert.deepEqual(stage([{ at: 't0', action: 'start' }, { at: 't1', action: 'step' }]), []);
    assert.deepEqual(stage([{ at: 't1', action: 'stage' }]), ['stage: passed (t1)']);
    assert.deepEqual(stage([{ at: 't1', action: 'stage-failed', message: 'HTTP 502' }]), ['stage: failed (t1): HTTP 502']);
    assert.deepEqual(stage([{ at: 't1', action: 'stage-failed', message: 'x' }, { at: 't2', action: 'stage', message: 'ok' }, { at: 't3', action: 'step' }]), ['stage: passed (t2): ok']);
    assert.deepEqual(stage([{ at: 't1', action: 'stage' }, { at: 't2', action: 'stage-failed' }]), ['stage: failed (t2)']);
  });

  it('the gate: either bound, both, neither; the metrics source when there is one', () => {
    const gate = (plan: Obj) => describeStatus(file({ plan: validatePlan({ ...FILE_PLAN, ...plan }) })).slice(4);
    assert.deepEqual(gate({}), []);
    assert.deepEqual(gate({ gate: {} }), []);
    assert.deepEqual(gate({ gate: {}, metrics: { admin: 'a', router: 'r', stableId: 's', canaryId: 'c' } }), []);
    assert.deepEqual(gate({ gate: { minRequests: 0 } }), ['gate: canary ≥ 0 requests']);
    assert.deepEqual(gate({ gate: { minSuccessRate: 0 } }), ['gate: canary success rate ≥ 0%']);
    assert.deepEqual(gate({ gate: { minSuccessRate: 0.12345 } }), ['gate: canary success rate ≥ 12.35%']);
    assert.deepEqual(gate({ gate: { minSuccessRate: 0.995, minRequests: 20 }, metrics: { admin: 'http://l:9990', router: 'in', stableId: 's', canaryId: 'c' } }), [
      'gate: canary success rate ≥ 99.5%, ≥ 20 requests (router in at http://l:9990)',
    ]);
  });

  it('the last metrics in the history, each branch on a line', () => {
    const m = (id: string): BranchStats[] => [
      { role: 'stable', id: '/s', requests: 1, success: 1, failures: 0, successRate: 1 },
      { role: 'canary', id, requests: 2, success: 1, failures: 1, successRate: 0.5 },
    ];
    const s = file({
      history: [
        { at: 't1', action: 'step', metrics: m('/old') },
        { at: 't2', action: 'gate-failed', metrics: m('/new') },
        { at: 't3', action: 'abort' },
      ],
    });
    assert.deepEqual(describeStatus(s).slice(4), ['last metrics (t2, gate-failed):', '  stable /s: 1 request, 100.00% success (1 of 1)', '  canary /new: 2 requests, 50.00% success (1 of 2)']);
    assert.deepEqual(describeStatus(file({ history: [{ at: 't', action: 'step', metrics: [] }] })).slice(4), ['last metrics (t, step):']);
  });
});
