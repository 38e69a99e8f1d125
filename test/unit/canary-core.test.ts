// core/canary: the weighted-union rewrite (byte-exact outside the dentry's destination), exact
// restore, the plan/state validation, the gate's arithmetic and describeStatus.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CanaryError,
  canaryWeights,
  describeStatus,
  evaluateGate,
  finishDentry,
  gateMetrics,
  locateDentry,
  newCanaryState,
  parseCanaryState,
  restoreDentry,
  rewriteDentry,
  serializeCanaryState,
  validatePlan,
  weightedDestination,
  type CanaryState,
} from '../../core/index.js';

const OPTS = { prefix: '/host/world', stable: '/srv/world-v1', canary: '/srv/world-v2' };

function throwsCanary(f: () => unknown, kind: CanaryError['kind'], message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof CanaryError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.kind, kind);
    return true;
  });
}

describe('canary weights', () => {
  it('the smallest integer weights for each percent', () => {
    const table: [number, number, number][] = [
      [1, 1, 99], [5, 1, 19], [10, 1, 9], [25, 1, 3], [33, 33, 67], [50, 1, 1], [90, 9, 1], [99, 99, 1], [100, 1, 0], [0, 0, 1], [0.5, 1, 199], [12.5, 1, 7],
    ];
    for (const [p, canary, stable] of table) assert.deepEqual(canaryWeights(p), { canary, stable }, `${p}%`);
  });
  it('as destinations: canary first; the stable alone at 0, the canary alone at 100; groups where needed', () => {
    assert.equal(weightedDestination('/v1', '/v2', 10), '1 * /v2 & 9 * /v1');
    assert.equal(weightedDestination('/v1', '/v2', 33), '33 * /v2 & 67 * /v1');
    assert.equal(weightedDestination('/v1', '/v2', 0), '/v1');
    assert.equal(weightedDestination('/v1', '/v2', 100), '/v2');
    assert.equal(weightedDestination('/a | /b', '/c & /d', 25), '1 * (/c & /d) & 3 * (/a | /b)');
    assert.equal(weightedDestination('  /a   |  # c\n /b ', '/c', 100), '/c');
    assert.equal(weightedDestination('  /a   |  # c\n /b ', '/c', 0), '/a | /b');
  });
  it('percents out of range or with more than two decimals are refused', () => {
    throwsCanary(() => canaryWeights(101), 'invalid', 'a canary percent is a number from 0 to 100, not 101');
    throwsCanary(() => canaryWeights(-1), 'invalid', 'a canary percent is a number from 0 to 100, not -1');
    throwsCanary(() => canaryWeights(NaN), 'invalid', 'a canary percent is a number from 0 to 100, not NaN');
    throwsCanary(() => canaryWeights(0.001), 'invalid', 'a canary percent has at most two decimals, not 0.001');
    throwsCanary(() => weightedDestination('/a', '/b =', 10), 'syntax', 'the canary destination "/b =" is not a destination: Expected the end of the destination, found `=`.');
  });
});

describe('rewriteDentry', () => {
  it('only the destination bytes of the LAST dentry with the prefix change (comments, CRLF, tabs kept)', () => {
    const text = '# routes\r\n/host\t=>\t/srv ;\r\n/host/world => /srv/world-v0; # first, shadowed\r\n\t/host/world   =>   /srv/world-v1   ;  # the one\r\n/host/world/x => /y\r\n# end';
    const e = rewriteDentry(text, { ...OPTS, percent: 10 });
    assert.equal(e.text, '# routes\r\n/host\t=>\t/srv ;\r\n/host/world => /srv/world-v0; # first, shadowed\r\n\t/host/world   =>   1 * /srv/world-v2 & 9 * /srv/world-v1   ;  # the one\r\n/host/world/x => /y\r\n# end');
    assert.equal(e.dentryText, '/host/world   =>   1 * /srv/world-v2 & 9 * /srv/world-v1');
    assert.equal(e.text.slice(e.range.start, e.range.end), e.dentryText);
    assert.equal(e.replaced, '/host/world   =>   /srv/world-v1');
  });
  it('a destination over several lines with comments is replaced whole; the last dentry without `;` or newline', () => {
    const text = '/a=>/b;/host/world => /srv/world-v1 | # old\n  /srv/legacy';
    const e = rewriteDentry(text, { ...OPTS, stable: '/srv/world-v1 | /srv/legacy', percent: 50 });
    assert.equal(e.text, '/a=>/b;/host/world => 1 * /srv/world-v2 & 1 * (/srv/world-v1 | /srv/legacy)');
  });
  it('prefixes compare as prefixes (escapes, wildcards), not as text', () => {
    const text = '/h\\x6fst/world => /srv/world-v1;/*/world => /w';
    assert.equal(rewriteDentry(text, { ...OPTS, percent: 100 }).text, '/h\\x6fst/world => /srv/world-v2;/*/world => /w');
    assert.equal(rewriteDentry(text, { ...OPTS, prefix: '/*/world', stable: '/w', percent: 100 }).text, '/h\\x6fst/world => /srv/world-v1;/*/world => /srv/world-v2');
  });
  it('expect: the dentry must be what the canary wrote (or the same in printed form)', () => {
    const at10 = rewriteDentry('/host/world => /srv/world-v1\n', { ...OPTS, percent: 10 });
    const reformatted = at10.text.replace('1 * /srv/world-v2 & 9 * /srv/world-v1', '/srv/world-v2&9*/srv/world-v1');
    assert.equal(rewriteDentry(reformatted, { ...OPTS, percent: 25, expect: at10.dentryText }).text, '/host/world => 1 * /srv/world-v2 & 3 * /srv/world-v1\n');
    throwsCanary(
      () => rewriteDentry(at10.text.replace('9 *', '8 *'), { ...OPTS, percent: 25, expect: at10.dentryText }),
      'conflict',
      'the /host/world dentry changed since the canary wrote it: it is now "/host/world => 1 * /srv/world-v2 & 8 * /srv/world-v1", the canary wrote "/host/world => 1 * /srv/world-v2 & 9 * /srv/world-v1"; nothing was changed (undo that edit, or abort the canary and start again)',
    );
    // A later dentry with the same prefix added by someone else is not the canary's.
    throwsCanary(() => rewriteDentry(at10.text + ';/host/world => /z', { ...OPTS, percent: 25, expect: at10.dentryText }), 'conflict', 'the /host/world dentry changed since the canary wrote it: it is now "/host/world => /z", the canary wrote "/host/world => 1 * /srv/world-v2 & 9 * /srv/world-v1"; nothing was changed (undo that edit, or abort the canary and start again)');
  });
  it('errors: no such dentry, syntax errors, a bad prefix', () => {
    throwsCanary(() => rewriteDentry('/host/moon => /m', { ...OPTS, percent: 10 }), 'not-found', 'no dentry with the prefix /host/world in the dtab (the canary rewrites the last `/host/world => …` dentry; add one that routes /host/world to the stable destination)');
    throwsCanary(() => rewriteDentry('/host/world => /srv/world-v1;\n/x = /y', { ...OPTS, percent: 10 }), 'syntax', 'the dtab has syntax errors (nothing is changed in a dtab that does not parse): 2:5: Expected `>` right after `=`: write `=>` with nothing between; found a space.');
    throwsCanary(() => rewriteDentry('/a=>/b', { ...OPTS, prefix: 'host', percent: 10 }), 'invalid', '"host" is not a dentry prefix: A prefix starts with `/`; found `h`.');
  });
  it('finishDentry: the canary alone, or `canary | stable`', () => {
    assert.equal(finishDentry('/host/world => /srv/world-v1 # c', OPTS).text, '/host/world => /srv/world-v2 # c');
    assert.equal(finishDentry('/host/world => /srv/world-v1 # c', { ...OPTS, keepStableAsFallback: true }).text, '/host/world => /srv/world-v2 | /srv/world-v1 # c');
    assert.equal(finishDentry('/host/world => /a | /b', { ...OPTS, stable: '/a | /b', canary: '/c | /d', keepStableAsFallback: true }).text, '/host/world => (/c | /d) | (/a | /b)');
  });
  it('locateDentry: the last one, its range and its destination on one line', () => {
    assert.deepEqual(locateDentry('/host/world=>/a;\n/host/world =>  /b |\n /c ;', '/host/world'), { dentryText: '/host/world =>  /b |\n /c', range: { start: 17, end: 41 }, destination: '/b | /c' });
  });
});

describe('restoreDentry', () => {
  const ORIGINAL = '# x\r\n/host/world\t=>  /srv/world-v1 ; # keep\r\n/a => /b\r\n';
  const found = locateDentry(ORIGINAL, '/host/world');
  const at10 = rewriteDentry(ORIGINAL, { ...OPTS, percent: 10 });
  const restore = { prefix: '/host/world', original: found.dentryText, written: at10.dentryText, range: at10.range };
  it('puts back exactly the original dentry text', () => {
    const r = restoreDentry(at10.text, restore);
    assert.equal(r.text, ORIGINAL);
    assert.deepEqual(r.range, found.range);
  });
  it('finds the dentry again when edits elsewhere moved it, and keeps those edits', () => {
    const edited = '/new => /one;\r\n' + at10.text.replace('/a => /b', '/a => /c');
    assert.equal(restoreDentry(edited, restore).text, '/new => /one;\r\n' + ORIGINAL.replace('/a => /b', '/a => /c'));
  });
  it('syntax errors elsewhere do not stop it (the recorded range still holds)', () => {
    const broken = at10.text + '/oops = /x';
    assert.equal(restoreDentry(broken, restore).text, ORIGINAL + '/oops = /x');
  });
  it('refuses when the dentry is no longer what the canary wrote, or is gone', () => {
    throwsCanary(() => restoreDentry(at10.text.replace('9 *', '2 *'), restore), 'conflict', 'the /host/world dentry changed since the canary wrote it: it is now "/host/world\\t=>  1 * /srv/world-v2 & 2 * /srv/world-v1", the canary wrote "/host/world\\t=>  1 * /srv/world-v2 & 9 * /srv/world-v1"; nothing was changed. The dentry as the canary found it: "/host/world\\t=>  /srv/world-v1"');
    throwsCanary(() => restoreDentry('/a => /b', restore), 'not-found', 'no dentry with the prefix /host/world in the dtab any more: nothing to restore; the dentry as the canary found it was "/host/world\\t=>  /srv/world-v1"');
  });
});

const PLAN = { name: '/host/world', stable: '/srv/world-v1', canary: '/srv/world-v2', steps: [10, 25, 50, 100] };

function aState(): CanaryState {
  const s = newCanaryState({ kind: 'file', file: 'w.dtab' }, { ...PLAN, gate: { minSuccessRate: 0.99, minRequests: 10 }, metrics: { admin: 'http://l5d:9990', router: 'http', stableId: '/#/io.l5d.fs/v1', canaryId: '/#/io.l5d.fs/v2' } }, { dentryText: '/host/world => /srv/world-v1', range: { start: 0, end: 28 }, fileHash: 'ab' }, '2024-05-01T12:00:00.000Z');
  return s;
}

describe('canary state', () => {
  it('round-trips through JSON', () => {
    const s = aState();
    s.history.push({ at: '2024-05-01T12:01:00.000Z', action: 'step', percent: 10, written: '/host/world => 1 * /srv/world-v2 & 9 * /srv/world-v1', metrics: [{ role: 'stable', id: '/#/io.l5d.fs/v1', requests: 9, success: 9, failures: 0, successRate: 1 }, { role: 'canary', id: '/#/io.l5d.fs/v2', requests: 1, success: 0, failures: 1, successRate: 0 }] });
    s.current = { dentryText: '/host/world => 1 * /srv/world-v2 & 9 * /srv/world-v1', range: { start: 0, end: 53 } };
    s.lastMetrics = { at: '2024-05-01T12:01:00.000Z', values: { 'rt/http/client/#/io.l5d.fs/v1/requests': 9 } };
    s.position = 0;
    s.percent = 10;
    assert.deepEqual(parseCanaryState(serializeCanaryState(s)), s);
  });
  it('clear errors naming the file and the field', () => {
    const bad = (mutate: (o: Record<string, unknown>) => void, message: string) => {
      const o = JSON.parse(serializeCanaryState(aState())) as Record<string, unknown>;
      mutate(o);
      throwsCanary(() => parseCanaryState(JSON.stringify(o), 's.json'), 'invalid', message);
    };
    throwsCanary(() => parseCanaryState('{', 's.json'), 'invalid', `s.json: not JSON (${(() => { try { JSON.parse('{'); } catch (e) { return (e as Error).message; } return ''; })()})`);
    throwsCanary(() => parseCanaryState('[]', 's.json'), 'invalid', 's.json: (top): must be an object');
    bad((o) => delete o.version, 's.json: version: missing: is this a canary state? (expected version 1)');
    bad((o) => (o.version = 2), 's.json: version: 2 is not a state version this tool reads (it reads 1)');
    bad((o) => (o.backend = { kind: 'ftp' }), 's.json: backend.kind: must be one of "file", "namerd", "traffic-split", "deployments"');
    bad((o) => (o.backend = { kind: 'namerd', url: 'http://n:4180' }), 's.json: backend.ns: must be a string');
    bad((o) => ((o.plan as Record<string, unknown>).steps = []), 's.json: plan.steps: must have at least one step');
    bad((o) => ((o.plan as Record<string, unknown>).steps = [10, 10]), 's.json: plan.steps: must increase: 10 then 10');
    bad((o) => ((o.plan as Record<string, unknown>).steps = [0, 10]), 's.json: plan.steps[0]: must be more than 0 (0% is where the canary starts)');
    bad((o) => ((o.plan as Record<string, unknown>).steps = [10, 150]), 's.json: plan.steps[1]: must be from 0 to 100, not 150');
    bad((o) => ((o.plan as Record<string, unknown>).name = 'host'), 's.json: plan.name: "host" is not a dentry prefix: A prefix starts with `/`; found `h`.');
    bad((o) => ((o.plan as Record<string, unknown>).canary = '/a &'), 's.json: plan.canary: "/a &" is not a destination: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.');
    bad((o) => ((o.plan as Record<string, { minSuccessRate: number }>).gate!.minSuccessRate = 99), 's.json: plan.gate.minSuccessRate: must be from 0 to 1, not 99');
    bad((o) => ((o.plan as Record<string, { minRequests: number }>).gate!.minRequests = 1.5), 's.json: plan.gate.minRequests: must be a whole number, not 1.5');
    bad((o) => (o.position = 4), 's.json: position: must be from -1 to 3, not 4');
    bad((o) => (o.status = 'done'), 's.json: status: must be one of "running", "paused", "aborted", "finished", "gate-failed"');
    bad((o) => (o.original = {}), 's.json: original: a file canary needs original.dentryText and original.range (what abort puts back)');
    bad((o) => ((o.original as Record<string, unknown>).range = { start: 5, end: 2 }), 's.json: original.range.end: must be from 5 to 9007199254740991, not 2');
    bad((o) => (o.history = [{ at: 'x', action: 'jump' }]), 's.json: history[0].action: must be one of "start", "stage", "stage-failed", "step", "gate-failed", "abort", "finish"');
  });
  it('validatePlan is the same check for a plan built by a host', () => {
    assert.deepEqual(validatePlan(PLAN), PLAN);
    throwsCanary(() => validatePlan({ ...PLAN, steps: [10, 20.005] }), 'invalid', 'plan: plan.steps[1]: a canary percent has at most two decimals, not 20.005');
    throwsCanary(() => validatePlan({ ...PLAN, pauseSeconds: [1, 2, 3, 4, 5] }), 'invalid', 'plan: plan.pauseSeconds: has 5 pauses for 4 steps');
  });
});

describe('canary state: Kubernetes backends and the stage', () => {
  const TS_PLAN = { name: 'shop/api-split', stable: 'api-stable', canary: 'api-canary', steps: [12.5, 100] };
  const tsState = (): CanaryState => {
    const s = newCanaryState(
      { kind: 'traffic-split', namespace: 'shop', name: 'api-split', context: 'dev' },
      TS_PLAN,
      { weights: { 'api-stable': '1', 'api-canary': 0 }, trafficSplit: { apiVersion: 'split.smi-spec.io/v1alpha1', resourceVersion: '7', spec: { service: 'api', backends: [{ service: 'api-stable', weight: '1' }, { service: 'api-canary', weight: 0 }] } } },
      't0',
    );
    s.current = { written: '{"api-stable":"875m","api-canary":"125m"}', weights: { 'api-stable': '875m', 'api-canary': '125m' } };
    return s;
  };
  it('round-trips a TrafficSplit state (quantity and number weights, the spec as read) and a Deployments state', () => {
    const s = tsState();
    assert.deepEqual(parseCanaryState(serializeCanaryState(s)), s);
    const d = newCanaryState({ kind: 'deployments', stable: { namespace: 'shop', name: 'a' }, canary: { namespace: 'shop', name: 'b' } }, { name: 'shop/a,shop/b', stable: 'shop/a', canary: 'shop/b', steps: [50] }, { replicas: { stable: 4, canary: 0 } }, 't0');
    d.current = { written: '{"shop/a":2,"shop/b":2}', replicas: { stable: 2, canary: 2 } };
    assert.deepEqual(parseCanaryState(serializeCanaryState(d)), d);
    assert.deepEqual(describeStatus(s), [
      'canary shop/api-split 0% → api-canary (from api-stable)',
      'status: running, not yet at the first step; next: 12.5%',
      'steps: 12.5% → 100%',
      'backend: TrafficSplit shop/api-split (context dev)',
      'weights before the canary: {"api-stable":"1","api-canary":0}',
      'last written: {"api-stable":"875m","api-canary":"125m"}',
    ]);
  });
  it('names what a Kubernetes state lacks; Kubernetes plans take names, not paths, and no stage', () => {
    const bad = (mutate: (o: Record<string, unknown>) => void, message: string) => {
      const o = JSON.parse(serializeCanaryState(tsState())) as Record<string, unknown>;
      mutate(o);
      throwsCanary(() => parseCanaryState(o, 's.json'), 'invalid', message);
    };
    bad((o) => delete (o.original as Record<string, unknown>).trafficSplit, 's.json: original: a traffic-split canary needs original.weights and original.trafficSplit (what abort puts back)');
    bad((o) => ((o.original as Record<string, unknown>).weights = { a: true }), 's.json: original.weights["a"]: must be a number');
    bad((o) => ((o.current as Record<string, unknown>).replicas = { stable: -1, canary: 0 }), 's.json: current.replicas.stable: must be from 0 to 9007199254740991, not -1');
    bad((o) => ((o.plan as Record<string, unknown>).canary = '/srv/v2'), 's.json: plan.canary: "/srv/v2" is not a Kubernetes name (lower-case letters, digits, \'-\' and \'.\'; NAME or NAMESPACE/NAME)');
    bad((o) => ((o.plan as Record<string, unknown>).steps = [12.345]), 's.json: plan.steps[0]: a percentage has at most two decimals (got 12.345)');
    bad((o) => ((o.plan as Record<string, unknown>).stage = { request: { url: 'http://r', path: '/' } }), 's.json: plan.stage: a stage request sends the canary as an l5d-dtab override, so it is only for dtab canaries (file, namerd)');
    bad((o) => ((o.backend as Record<string, unknown>).kind = 'deployments'), 's.json: backend.stable: must be an object');
    // A dtab plan with a stage request is valid.
    const withStage = { ...PLAN, stage: { request: { url: 'http://r:4140', path: '/', headers: [['Host', 'world']] } } };
    assert.deepEqual(validatePlan(withStage), withStage);
  });
});

describe('evaluateGate', () => {
  const ids = { router: 'http', stable: '/#/io.l5d.fs/v1', canary: '/#/io.l5d.fs/v2' };
  const S = 'rt/http/client/#/io.l5d.fs/v1';
  const C = 'rt/http/client/#/io.l5d.fs/v2';
  it('deltas per branch; a counter not yet there counts as 0', () => {
    const before = { [`${S}/requests`]: 100, [`${S}/success`]: 100, 'rt/http/server/x/requests': 5 };
    const after = { [`${S}/requests`]: 190, [`${S}/success`]: 189, [`${S}/failures`]: 1, [`${C}/requests`]: 10, [`${C}/success`]: 10 };
    assert.deepEqual(evaluateGate({ minSuccessRate: 0.99, minRequests: 10 }, before, after, ids), {
      ok: true,
      reasons: [],
      perBranch: [
        { role: 'stable', id: ids.stable, requests: 90, success: 89, failures: 1, successRate: 89 / 90 },
        { role: 'canary', id: ids.canary, requests: 10, success: 10, failures: 0, successRate: 1 },
      ],
    });
  });
  it('boundaries are exact: a rate equal to the minimum passes', () => {
    const after = { [`${C}/requests`]: 100, [`${C}/success`]: 29, [`${C}/failures`]: 71 };
    assert.equal(evaluateGate({ minSuccessRate: 0.29 }, {}, after, ids).ok, true);
    assert.deepEqual(evaluateGate({ minSuccessRate: 0.3 }, {}, after, ids).reasons, ['the canary /#/io.l5d.fs/v2 succeeded 29.00% (29 of 100), below the 30.00% required']);
    assert.deepEqual(evaluateGate({ minRequests: 101 }, {}, after, ids).reasons, ['the canary /#/io.l5d.fs/v2 had 100 requests, fewer than the 101 required']);
    assert.equal(evaluateGate({ minRequests: 100 }, {}, after, ids).ok, true);
    assert.equal(evaluateGate({}, {}, {}, ids).ok, true);
  });
  it('counters that went down (Linkerd restarted) give no verdict', () => {
    const r = evaluateGate({}, { [`${C}/requests`]: 50 }, { [`${C}/requests`]: 3 }, ids);
    assert.deepEqual([r.ok, r.reasons], [false, ['the canary /#/io.l5d.fs/v2: counters went down between the snapshots (did Linkerd restart?), so the window cannot be judged']]);
  });
  it('ids with or without the leading /; gateMetrics keeps only the gate\'s counters', () => {
    assert.deepEqual(gateMetrics({ [`${C}/requests`]: 1, [`${C}/status/200`]: 1, [`${S}/failures`]: 2, other: 3 }, { ...ids, canary: '#/io.l5d.fs/v2' }), { [`${S}/failures`]: 2, [`${C}/requests`]: 1 });
  });
});

describe('describeStatus', () => {
  it('the summary line, status, steps, backend, gate and last metrics', () => {
    const s = aState();
    assert.deepEqual(describeStatus(s), [
      'canary /host/world 0% → /srv/world-v2 (from /srv/world-v1)',
      'status: running, not yet at the first step; next: 10%',
      'steps: 10% → 25% → 50% → 100%',
      'backend: file w.dtab',
      'gate: canary success rate ≥ 99%, ≥ 10 requests (router http at http://l5d:9990)',
    ]);
    s.position = 3;
    s.percent = 100;
    s.history.push({ at: 't', action: 'step', percent: 100, metrics: [{ role: 'stable', id: '/v1', requests: 3, success: 2, failures: 1, successRate: 2 / 3 }, { role: 'canary', id: '/v2', requests: 0, success: 0, failures: 0, successRate: null }] });
    assert.deepEqual(describeStatus(s).slice(1), [
      'status: running, step 4 of 4; next: finish',
      'steps: 10% → 25% → 50% → [100%]',
      'backend: file w.dtab',
      'gate: canary success rate ≥ 99%, ≥ 10 requests (router http at http://l5d:9990)',
      'last metrics (t, step):',
      '  stable /v1: 3 requests, 66.67% success (2 of 3)',
      '  canary /v2: 0 requests, no completed requests',
    ]);
  });
});
