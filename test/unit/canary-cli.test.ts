// `dtab canary` end to end against the namerd and linkerd stand-ins: the state file, the dtab file
// and namerd's namespace after each command, the gate on linkerd's client counters (real traffic
// through the stand-in's router; union picks and failures deterministic), every exit status with
// its exact output. The clock is the test's: each command runs one second after the previous one.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { parseCanaryState } from '../../core/index.js';
import { request } from '../../remote/http.js';
import { fixedNamer, startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';
import { startNamerdStandin, type NamerdStandin } from '../namerd/standin.js';

const V1 = '/#/io.l5d.fs/world-v1';
const V2 = '/#/io.l5d.fs/world-v2';
const FILE = '# the world\r\n/svc => /host;\r\n/host/world\t=> /#/io.l5d.fs/world-v0 ; # shadowed\r\n/host/world => /#/io.l5d.fs/world-v1; # current\r\n/host/moon => /#/io.l5d.fs/moon\r\n';

let l5d: LinkerdStandin;
let nd: NamerdStandin;
let picks = 0;
before(async () => {
  l5d = await startLinkerdStandin({
    routers: [{ label: 'http', dtab: FILE }],
    namers: [{ prefix: '/#/io.l5d.fs', namer: fixedNamer({ 'world-v0': ['127.0.0.1:8080'], 'world-v1': ['127.0.0.1:8081'], 'world-v2': ['127.0.0.1:8082'], moon: ['127.0.0.1:8083'] }, '/#/io.l5d.fs') }],
    // Union picks spread evenly over every 10 requests: 1 * v2 & 9 * v1 sends exactly 1 of 10 to v2.
    random: () => ((picks++ % 10) + 0.5) / 10,
    requestIds: () => '0000000000000001',
  });
  nd = await startNamerdStandin({});
});
after(async () => {
  await l5d.stop();
  await nd.stop();
});

let files: Record<string, string>;
let clock: number;
beforeEach(() => {
  files = { 'world.dtab': FILE };
  clock = Date.parse('2024-05-01T12:00:00Z');
  picks = 0;
  l5d.setDtab('http', FILE);
  l5d.setClient(V2, undefined);
});

/** `dtab canary ARGS`, one second after the previous command; writes go into `files`. */
function run(args: string[]) {
  clock += 1000;
  return runCli(['canary', ...args], { files, writes: 'files', env: { NAMERCTL_BASE_URL: nd.url }, now: () => new Date(clock) });
}

/** `n` requests for Host: world through the router (which reads the dtab as it is now). */
async function traffic(n: number, dtab = files['world.dtab']!): Promise<void> {
  l5d.setDtab('http', dtab);
  for (let i = 0; i < n; i++) await request({ url: `${l5d.routerUrl('http')}/`, headers: { host: 'world' } });
}

const state = () => parseCanaryState(files['.dtab-canary.json']!);

const GATE = ['--admin', '', '--router', 'http', '--min-success-rate', '0.9', '--min-requests', '1'];
const gate = () => GATE.map((x) => (x === '' ? l5d.adminUrl : x));
const startFile = (...more: string[]) => run(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', V2, ...more]);
/** FILE with the /host/world dentry's destination replaced. */
const fileWith = (dst: string) => FILE.replace('/host/world => /#/io.l5d.fs/world-v1;', `/host/world => ${dst};`);

describe('dtab canary (file)', () => {
  it('start → step → step → abort: the file is byte-identical to before; every write in the history', async () => {
    assert.deepEqual(await startFile(...gate()), {
      code: 0,
      out: `started canary /host/world: ${V1} → ${V2} in file world.dtab\n  dentry: /host/world => ${V1}\n  steps: 10% → 25% → 50% → 100%\n  state: .dtab-canary.json\n  next: dtab canary step (→ 10%)\n`,
      err: '',
    });
    assert.equal(files['world.dtab'], FILE);
    await traffic(10);
    // Before the first step there is no canary traffic to judge: no gate, only a new baseline.
    assert.deepEqual(await run(['step']), {
      code: 0,
      out: `canary /host/world: 0% → 10% (file world.dtab)\n  wrote: /host/world => 1 * ${V2} & 9 * ${V1}\n  next: dtab canary step (→ 25%)\n`,
      err: '',
    });
    assert.equal(files['world.dtab'], fileWith(`1 * ${V2} & 9 * ${V1}`));
    await traffic(10);
    assert.deepEqual(await run(['step']), {
      code: 0,
      out: `canary /host/world: 10% → 25% (file world.dtab)\n  wrote: /host/world => 1 * ${V2} & 3 * ${V1}\n  stable ${V1}: 9 requests, 100.00% success (9 of 9)\n  canary ${V2}: 1 request, 100.00% success (1 of 1)\n  next: dtab canary step (→ 50%)\n`,
      err: '',
    });
    assert.equal(files['world.dtab'], fileWith(`1 * ${V2} & 3 * ${V1}`));
    assert.deepEqual(await run(['abort']), {
      code: 0,
      out: `aborted canary /host/world (dtab canary abort): restored /host/world => ${V1}\n  world.dtab is byte-identical to what the canary started from\n`,
      err: '',
    });
    assert.equal(files['world.dtab'], FILE);
    const s = state();
    assert.deepEqual([s.status, s.percent, s.position], ['aborted', 0, -1]);
    assert.deepEqual(
      s.history.map((h) => [h.at, h.action, h.percent, h.written]),
      [
        ['2024-05-01T12:00:01.000Z', 'start', 0, undefined],
        ['2024-05-01T12:00:02.000Z', 'step', 10, `/host/world => 1 * ${V2} & 9 * ${V1}`],
        ['2024-05-01T12:00:03.000Z', 'step', 25, `/host/world => 1 * ${V2} & 3 * ${V1}`],
        ['2024-05-01T12:00:04.000Z', 'abort', 0, `/host/world => ${V1}`],
      ],
    );
    assert.deepEqual(s.history[2]!.metrics, [
      { role: 'stable', id: V1, requests: 9, success: 9, failures: 0, successRate: 1 },
      { role: 'canary', id: V2, requests: 1, success: 1, failures: 0, successRate: 1 },
    ]);
    // Aborted: nothing more to do.
    assert.deepEqual(await run(['step']), { code: 2, out: '', err: 'dtab: the canary of /host/world in .dtab-canary.json is aborted: start a new one with `dtab canary start`\n' });
  });

  it('a run to finish: the canary alone; edits elsewhere in the file between steps are kept', async () => {
    assert.equal((await startFile('--steps', '50,100', '--state', 'c.json')).code, 0);
    assert.equal((await run(['step', '--state', 'c.json'])).code, 0);
    // Someone edits another dentry (the canary's moves: it is found again by its prefix).
    files['world.dtab'] = '/extra => /x;\n' + files['world.dtab']!.replace('/host/moon => /#/io.l5d.fs/moon', '/host/moon => /#/io.l5d.fs/moon2');
    assert.deepEqual(await run(['step', '--state', 'c.json']), {
      code: 0,
      out: `canary /host/world: 50% → 100% (file world.dtab)\n  wrote: /host/world => ${V2}\n  next: dtab canary finish\n`,
      err: '',
    });
    assert.deepEqual(await run(['step', '--state', 'c.json']), { code: 2, out: '', err: 'dtab: the canary of /host/world is at its last step (100%): `dtab canary finish` ends it\n' });
    assert.deepEqual(await run(['finish', '--state', 'c.json']), {
      code: 0,
      out: `finished canary /host/world: all traffic to ${V2} (file world.dtab)\n  wrote: /host/world => ${V2}\n`,
      err: '',
    });
    assert.equal(files['world.dtab'], '/extra => /x;\n' + fileWith(V2).replace('/host/moon => /#/io.l5d.fs/moon', '/host/moon => /#/io.l5d.fs/moon2'));
    assert.equal(parseCanaryState(files['c.json']!).status, 'finished');
    assert.deepEqual(await run(['status', '--state', 'c.json']), {
      code: 0,
      out: `canary /host/world 100% → ${V2} (from ${V1})\nstatus: finished\nsteps: 50% → [100%]\nbackend: file world.dtab\n`,
      err: '',
    });
    assert.deepEqual(await run(['abort', '--state', 'c.json']), { code: 2, out: '', err: 'dtab: the canary of /host/world in c.json is finished: start a new one with `dtab canary start`\n' });
  });

  it('finish --keep-fallback: `canary | stable`', async () => {
    assert.equal((await startFile('--steps', '100')).code, 0);
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(await run(['finish', '--keep-fallback']), {
      code: 0,
      out: `finished canary /host/world: all traffic to ${V2}, ${V1} as the fallback (file world.dtab)\n  wrote: /host/world => ${V2} | ${V1}\n`,
      err: '',
    });
    assert.equal(files['world.dtab'], fileWith(`${V2} | ${V1}`));
  });

  it('a failing canary trips the gate: exit 6, nothing written; --abort-on-gate restores the dentry', async () => {
    assert.equal((await startFile(...gate())).code, 0);
    assert.equal((await run(['step'])).code, 0);
    const at10 = files['world.dtab'];
    l5d.setClient(V2, { failureRate: 0.5 });
    await traffic(20);
    assert.deepEqual(await run(['step']), {
      code: 6,
      out: '',
      err: `dtab: the gate failed at 10%: 25% was not applied\n  the canary ${V2} succeeded 50.00% (1 of 2), below the 90.00% required\n  stable ${V1}: 18 requests, 100.00% success (18 of 18)\n  canary ${V2}: 2 requests, 50.00% success (1 of 2)\n`,
    });
    assert.equal(files['world.dtab'], at10);
    assert.deepEqual([state().status, state().percent, state().history.at(-1)!.action], ['gate-failed', 10, 'gate-failed']);
    assert.deepEqual(await run(['status']), {
      code: 0,
      out: `canary /host/world 10% → ${V2} (from ${V1})\nstatus: gate failed, step 1 of 4; 25% was not applied\nsteps: [10%] → 25% → 50% → 100%\nbackend: file world.dtab\ngate: canary success rate ≥ 90%, ≥ 1 requests (router http at ${l5d.adminUrl})\nlast metrics (2024-05-01T12:00:03.000Z, gate-failed):\n  stable ${V1}: 18 requests, 100.00% success (18 of 18)\n  canary ${V2}: 2 requests, 50.00% success (1 of 2)\n`,
      err: '',
    });
    await traffic(20);
    const r = await run(['step', '--abort-on-gate']);
    assert.equal(r.code, 6);
    assert.equal(r.err.split('\n')[0], 'dtab: the gate failed at 10%: 25% was not applied');
    assert.equal(r.out, `aborted canary /host/world (the gate failed (--abort-on-gate)): restored /host/world => ${V1}\n  world.dtab is byte-identical to what the canary started from\n`);
    assert.equal(files['world.dtab'], FILE);
    assert.equal(state().status, 'aborted');
  });

  it('no requests to the canary: --min-requests fails the gate', async () => {
    assert.equal((await startFile(...gate())).code, 0);
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(await run(['step']), {
      code: 6,
      out: '',
      err: `dtab: the gate failed at 10%: 25% was not applied\n  the canary ${V2} had 0 requests, fewer than the 1 required\n  the canary ${V2} completed no requests: its success rate is unknown (90.00% required)\n  stable ${V1}: 0 requests, no completed requests\n  canary ${V2}: 0 requests, no completed requests\n`,
    });
  });

  it('step --percent sets any share; pauses are kept (exit 6 until they pass)', async () => {
    assert.equal((await startFile('--pause', '60')).code, 0);
    assert.equal((await run(['step', '--percent', '33'])).code, 0);
    assert.equal(files['world.dtab'], fileWith(`33 * ${V2} & 67 * ${V1}`));
    assert.deepEqual([state().percent, state().position], [33, 1]);
    assert.equal((await run(['step', '--percent', '5'])).code, 0);
    assert.equal(files['world.dtab'], fileWith(`1 * ${V2} & 19 * ${V1}`));
    assert.equal(state().position, -1);
    assert.equal((await run(['step'])).code, 0); // → 10%, position 0: its pause is 60 s
    assert.deepEqual(await run(['step']), { code: 6, out: '', err: 'dtab: the canary of /host/world has been at 10% for 1 s of its 60 s pause: try again in 59 s\n' });
    clock += 60_000;
    assert.equal((await run(['step'])).code, 0);
    assert.equal(state().percent, 25);
  });
});

describe('dtab canary (namerd)', () => {
  const NS = '/svc=>/host;/host/world=>/#/io.l5d.fs/world-v1;/host/moon=>/#/io.l5d.fs/moon';
  const startNs = (ns: string, ...more: string[]) => run(['start', '--namerd', nd.url, '--ns', ns, '--name', '/host/world', '--to', V2, ...more]);

  it('start → step → abort: GET, PUT with If-Match; the namespace is as it was', async () => {
    nd.set('a', NS);
    assert.equal((await startNs('a')).out.split('\n')[0], `started canary /host/world: ${V1} → ${V2} in namerd ${nd.url} namespace a`);
    let n = nd.requests.length;
    assert.deepEqual(await run(['step']), {
      code: 0,
      out: `canary /host/world: 0% → 10% (namerd ${nd.url} namespace a)\n  wrote: /svc=>/host;/host/world=>1 * ${V2} & 9 * ${V1};/host/moon=>/#/io.l5d.fs/moon\n  next: dtab canary step (→ 25%)\n`,
      err: '',
    });
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.ifMatch]), [['GET', undefined], ['PUT', 'AAAAAAAAAAE=']]);
    // namerd keeps its own printed form of what was written.
    assert.equal(nd.get('a')!.text, `/svc=>/host;/host/world=>${V2} & 9.00*${V1};/host/moon=>/#/io.l5d.fs/moon`);
    assert.equal((await run(['step'])).code, 0);
    assert.equal(nd.get('a')!.text, `/svc=>/host;/host/world=>${V2} & 3.00*${V1};/host/moon=>/#/io.l5d.fs/moon`);
    n = nd.requests.length;
    assert.deepEqual(await run(['abort']), {
      code: 0,
      out: `aborted canary /host/world (dtab canary abort): restored /host/world=>${V1}\n  namespace a is as the canary found it\n`,
      err: '',
    });
    assert.deepEqual(nd.requests.slice(n).map((r) => [r.method, r.ifMatch]), [['GET', undefined], ['PUT', 'AAAAAAAAAAM='], ['GET', undefined]]);
    assert.equal(nd.get('a')!.text, NS);
  });

  it('a run to finish --keep-fallback', async () => {
    nd.set('f', NS);
    assert.equal((await startNs('f', '--steps', '50,100')).code, 0);
    assert.equal((await run(['step'])).code, 0);
    assert.equal((await run(['step'])).code, 0);
    assert.equal(nd.get('f')!.text, `/svc=>/host;/host/world=>${V2};/host/moon=>/#/io.l5d.fs/moon`);
    assert.equal((await run(['finish', '--keep-fallback'])).code, 0);
    assert.equal(nd.get('f')!.text, `/svc=>/host;/host/world=>${V2} | ${V1};/host/moon=>/#/io.l5d.fs/moon`);
  });

  it('412 mid-way (the namespace changed between the GET and the PUT): exit 3, nothing overwritten, the state unchanged', async () => {
    nd.set('c', NS);
    assert.equal((await startNs('c')).code, 0);
    assert.equal((await run(['step'])).code, 0);
    const before = files['.dtab-canary.json'];
    const theirs = `/svc=>/host;/host/world=>${V2} & 9.00*${V1};/host/moon=>/#/io.l5d.fs/moon;/host/sun=>/#/io.l5d.fs/sun`;
    nd.beforeWrite(({ ns }) => nd.set(ns, theirs));
    try {
      assert.deepEqual(await run(['step']), {
        code: 3,
        out: '',
        err: `dtab: the namespace changed on ${nd.url} between the canary's read and its write (412 Precondition Failed): nothing was overwritten; run the same command again to retry on the new version\n`,
      });
    } finally {
      nd.beforeWrite(undefined);
    }
    assert.equal(nd.get('c')!.text, theirs);
    assert.equal(files['.dtab-canary.json'], before);
    // Run again: their change elsewhere is kept.
    assert.equal((await run(['step'])).code, 0);
    assert.equal(nd.get('c')!.text, `/svc=>/host;/host/world=>${V2} & 3.00*${V1};/host/moon=>/#/io.l5d.fs/moon;/host/sun=>/#/io.l5d.fs/sun`);
    assert.deepEqual(await run(['abort']), {
      code: 0,
      out: `aborted canary /host/world (dtab canary abort): restored /host/world=>${V1}\n  the dentry is back as it was; namespace c has other changes made since the canary started, kept as they are\n`,
      err: '',
    });
    assert.equal(nd.get('c')!.text, `${NS};/host/sun=>/#/io.l5d.fs/sun`);
  });

  it('exit 4: no such namespace; exit 5: namerd unreachable', async () => {
    assert.deepEqual(await startNs('nope'), { code: 4, out: '', err: `dtab: namespace nope does not exist on ${nd.url} (404 Not Found): list them with \`dtab namerd ls\`, or create it\n` });
    nd.set('d', NS);
    const f = await nd.fault({ kind: 'status', code: 503, body: 'down', match: { method: 'GET' } });
    try {
      assert.deepEqual(await startNs('d'), { code: 5, out: '', err: `dtab: ${nd.url} answered 503 Service Unavailable when asked to get namespace d: down\n` });
    } finally {
      await f.clear();
    }
  });
});

describe('dtab canary: exit statuses', () => {
  it('1: the dtab has syntax errors (nothing written, no state)', async () => {
    files['world.dtab'] = '/host/world => /a;\n/b = /c\n';
    assert.deepEqual(await startFile('--from', '/a'), {
      code: 1,
      out: '',
      err: 'dtab: world.dtab has syntax errors; nothing was written\nworld.dtab:2:5: error: Expected `>` right after `=`: write `=>` with nothing between; found a space. [split-arrow]\n',
    });
    assert.equal(files['.dtab-canary.json'], undefined);
  });

  it('2: no state, a damaged state, usage errors, a canary already running', async () => {
    assert.deepEqual(await run(['step']), { code: 2, out: '', err: 'dtab: no canary state in .dtab-canary.json: start one with `dtab canary start` (or give --state FILE)\n' });
    files['.dtab-canary.json'] = '{"version":2}';
    assert.deepEqual(await run(['status']), { code: 2, out: '', err: 'dtab: .dtab-canary.json: version: 2 is not a state version this tool reads (it reads 1) (the canary state; if it is damaged, restore the dentry by hand from its history)\n' });
    delete files['.dtab-canary.json'];
    const usage = async (args: string[], first: string) => {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.equal(r.err.split('\n')[0], `dtab: ${first}`);
      assert.match(r.err, /\nusage:\n/);
    };
    await usage(['start', '--traffic-split', 'web/world', '--name', '/host/world', '--to', V2], '--name names a dentry: a TrafficSplit canary is named by --traffic-split NS/NAME');
    await usage(['start', '--deployments', 'web/v1,web/v2', '--name', '/host/world', '--to', V2], '--name names a dentry: a Deployments canary is named by --deployments NS/STABLE,NS/CANARY');
    await usage(['start', '--name', '/host/world', '--to', V2], 'canary start needs where to write: --file F, --namerd URL --ns NS, --traffic-split NS/NAME or --deployments NS/STABLE,NS/CANARY');
    await usage(['start', '--file', 'world.dtab', '--to', V2], "canary start needs --name PREFIX (the logical name's dentry, e.g. /host/world)");
    await usage(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', V2, '--steps', '10,5'], 'canary start: the plan.steps: must increase: 10 then 5');
    await usage(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', V2, '--min-requests', '3'], '--min-success-rate and --min-requests need --admin URL --router LABEL');
    await usage(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', '/srv/v2', '--admin', l5d.adminUrl, '--router', 'http'], 'the gate reads linkerd\'s client counters by bound id: give --canary-id (the bound id /srv/v2 reaches)');
    await usage(['step', '--keep-fallback'], '--keep-fallback does not go with canary step');
    await usage(['frobnicate'], 'unknown canary command: frobnicate');
    assert.equal((await startFile()).code, 0);
    assert.deepEqual(await startFile(), { code: 2, out: '', err: 'dtab: a canary of /host/world is running at 0% (.dtab-canary.json): finish or abort it first\n' });
  });

  it('3: the dentry was changed by hand since the canary wrote it (nothing written)', async () => {
    assert.equal((await startFile()).code, 0);
    assert.equal((await run(['step'])).code, 0);
    files['world.dtab'] = fileWith('/#/io.l5d.fs/world-v3');
    assert.deepEqual(await run(['step']), {
      code: 3,
      out: '',
      err: `dtab: the /host/world dentry changed since the canary wrote it: it is now "/host/world => /#/io.l5d.fs/world-v3", the canary wrote "/host/world => 1 * ${V2} & 9 * ${V1}"; nothing was changed (undo that edit, or abort the canary and start again)\n`,
    });
    assert.equal(files['world.dtab'], fileWith('/#/io.l5d.fs/world-v3'));
    // A reformatted dentry is the same dentry.
    files['world.dtab'] = fileWith(`1*${V2}   &  9 * ${V1}`);
    assert.equal((await run(['step'])).code, 0);
    assert.equal(files['world.dtab'], fileWith(`1 * ${V2} & 3 * ${V1}`));
  });

  it('4: no such dentry; the dentry does not route to --from', async () => {
    assert.deepEqual(await run(['start', '--file', 'world.dtab', '--name', '/host/mars', '--to', V2]), {
      code: 4,
      out: '',
      err: 'dtab: no dentry with the prefix /host/mars in the dtab (the canary rewrites the last `/host/mars => …` dentry; add one that routes /host/mars to the stable destination)\n',
    });
    assert.deepEqual(await startFile('--from', '/#/io.l5d.fs/world-v0'), {
      code: 4,
      out: '',
      err: `dtab: the /host/world dentry in world.dtab routes to ${V1}, not to the stable destination /#/io.l5d.fs/world-v0: nothing to shift from (give --from "${V1}", or fix the dentry first)\n`,
    });
  });

  it('5: the linkerd admin cannot be reached for the gate (nothing written)', async () => {
    assert.equal((await startFile(...gate())).code, 0);
    assert.equal((await run(['step'])).code, 0);
    const at10 = files['world.dtab'];
    const f = await l5d.fault({ kind: 'status', code: 500, body: 'boom', server: 'admin' });
    try {
      assert.deepEqual(await run(['step']), { code: 5, out: '', err: `dtab: cannot read the gate's metrics: ${l5d.adminUrl}/admin/metrics.json answered 500 Internal Server Error: boom\n` });
    } finally {
      await f.clear();
    }
    assert.equal(files['world.dtab'], at10);
  });
});
