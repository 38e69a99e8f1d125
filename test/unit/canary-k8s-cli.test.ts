// `dtab canary` end to end on Kubernetes, against the Kubernetes API stand-in (through the
// kubeconfig it writes): an SMI TrafficSplit's weights (v1alpha1 quantities, v1alpha2+ integers)
// and two Deployments' replica ratio, each command in its own run with the state file between;
// abort leaves the object's spec JSON-equal to what start read; a change by someone else between
// steps is exit 3 with nothing overwritten. And the stage request (a dtab canary's first request
// through the linkerd stand-in's router with the canary as l5d-dtab), passing and failing.
// The clock is the test's: each command runs one second after the previous one.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { parseCanaryState } from '../../core/index.js';
import { CREATED, clock as k8sClock, deployment } from '../k8s/fixtures.js';
import type { Obj } from '../k8s/resources.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';
import { fixedNamer, startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';

const split = (version: string, name: string, backends: [string, number | string][]): Obj => ({
  apiVersion: `split.smi-spec.io/${version}`,
  kind: 'TrafficSplit',
  metadata: { name, namespace: 'shop', creationTimestamp: CREATED, uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { service: 'web', backends: backends.map(([service, weight]) => ({ service, weight })) },
});

const objects = (): Obj[] => [
  // Quantities (v1alpha1), and a third backend at weight 0, kept as it is.
  split('v1alpha1', 'api-split', [
    ['api-stable', '1'],
    ['api-canary', '0'],
    ['api-old', '0m'],
  ]),
  split('v1alpha2', 'web-split', [
    ['web-stable', 900],
    ['web-canary', 100],
  ]),
  split('v1alpha2', 'three-split', [
    ['a', 1],
    ['b', 0],
    ['c', 1],
  ]),
  deployment('shop', 'web-stable', 4),
  deployment('shop', 'web-canary', 0),
];

let k8s: K8sStandin;
let kubeconfig: string;
let files: Record<string, string>;
let clock: number;
let env: Record<string, string>;

before(async () => {
  k8s = await startK8sStandin({ objects: objects(), clock: k8sClock, token: 'canary-token' });
  kubeconfig = k8s.writeKubeconfig(mkdtempSync(join(tmpdir(), 'canary-k8s-cli-')), { context: 'shop-dev' });
});
after(() => k8s.stop());
beforeEach(async () => {
  await k8s.clearFaults();
  for (const o of objects()) k8s.apply(o);
  files = {};
  env = {};
  clock = Date.parse('2024-05-01T12:00:00Z');
});

/** `dtab canary ARGS`, one second after the previous command; writes go into `files`. */
function run(args: string[]) {
  clock += 1000;
  return runCli(['canary', ...args], { files, writes: 'files', env, now: () => new Date(clock) });
}

const state = () => parseCanaryState(files['.dtab-canary.json']!);
const stored = (kind: string, name: string) => k8s.get(kind, 'shop', name)!;
const spec = (name: string) => stored('trafficsplit', name).spec as Obj;
const rv = (kind: string, name: string) => String((stored(kind, name).metadata as Obj).resourceVersion);
const replicas = () => [(stored('deployment', 'web-stable').spec as Obj).replicas, (stored('deployment', 'web-canary').spec as Obj).replicas];
/** Polls (10 ms) until `cond` holds: waiting for something to happen, bounded. */
async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ts = (name: string, from: string, to: string, ...more: string[]) => run(['start', '--traffic-split', `shop/${name}`, '--from', from, '--to', to, '--kubeconfig', kubeconfig, ...more]);

describe('dtab canary --traffic-split', () => {
  it('v1alpha1 quantities: start → step → step → abort; the spec JSON-equal to before, quantities and all', async () => {
    const before = spec('api-split');
    const beforeMeta = stored('trafficsplit', 'api-split').metadata as Obj;
    assert.deepEqual(await ts('api-split', 'api-stable', 'api-canary'), {
      code: 0,
      out: 'started canary shop/api-split: api-stable → api-canary in TrafficSplit shop/api-split (context shop-dev)\n  weights: {"api-stable":"1","api-canary":"0","api-old":"0m"}\n  steps: 10% → 25% → 50% → 100%\n  state: .dtab-canary.json\n  next: dtab canary step (→ 10%)\n',
      err: '',
    });
    assert.deepEqual(spec('api-split'), before, 'start writes nothing');
    assert.deepEqual(await run(['step']), {
      code: 0,
      out: 'canary shop/api-split: 0% → 10% (TrafficSplit shop/api-split (context shop-dev))\n  wrote: {"api-stable":"900m","api-canary":"100m"}\n  next: dtab canary step (→ 25%)\n',
      err: '',
    });
    assert.deepEqual(spec('api-split'), { service: 'web', backends: [{ service: 'api-stable', weight: '900m' }, { service: 'api-canary', weight: '100m' }, { service: 'api-old', weight: '0m' }] });
    k8s.clearRequests();
    assert.deepEqual(await run(['step']), {
      code: 0,
      out: 'canary shop/api-split: 10% → 25% (TrafficSplit shop/api-split (context shop-dev))\n  wrote: {"api-stable":"750m","api-canary":"250m"}\n  next: dtab canary step (→ 50%)\n',
      err: '',
    });
    // Read and written through v1alpha1 (the only version that takes quantities), the patch on condition of the version just read.
    const ops = k8s.requests.filter((r) => r.resource === 'trafficsplits').map((r) => [r.verb, r.path]);
    assert.deepEqual(ops, [
      ['get', '/apis/split.smi-spec.io/v1alpha1/namespaces/shop/trafficsplits/api-split'],
      ['get', '/apis/split.smi-spec.io/v1alpha1/namespaces/shop/trafficsplits/api-split'],
      ['patch', '/apis/split.smi-spec.io/v1alpha1/namespaces/shop/trafficsplits/api-split'],
    ]);
    assert.deepEqual(await run(['abort']), {
      code: 0,
      out: 'aborted canary shop/api-split (dtab canary abort): restored {"api-stable":"1","api-canary":"0","api-old":"0m"}\n  the spec of TrafficSplit shop/api-split is as the canary found it\n',
      err: '',
    });
    assert.deepEqual(spec('api-split'), before);
    assert.deepEqual((stored('trafficsplit', 'api-split').metadata as Obj).labels, beforeMeta.labels);
    const s = state();
    assert.deepEqual([s.status, s.percent, s.position], ['aborted', 0, -1]);
    assert.deepEqual(s.backend, { kind: 'traffic-split', namespace: 'shop', name: 'api-split', kubeconfig, context: 'shop-dev' });
    assert.deepEqual(s.original.weights, { 'api-stable': '1', 'api-canary': '0', 'api-old': '0m' });
    assert.deepEqual(s.original.trafficSplit, { apiVersion: 'split.smi-spec.io/v1alpha1', resourceVersion: beforeMeta.resourceVersion, spec: before });
    assert.deepEqual(
      s.history.map((h) => [h.at, h.action, h.percent, h.written]),
      [
        ['2024-05-01T12:00:01.000Z', 'start', 0, undefined],
        ['2024-05-01T12:00:02.000Z', 'step', 10, '{"api-stable":"900m","api-canary":"100m"}'],
        ['2024-05-01T12:00:03.000Z', 'step', 25, '{"api-stable":"750m","api-canary":"250m"}'],
        ['2024-05-01T12:00:04.000Z', 'abort', 0, '{"api-stable":"1","api-canary":"0","api-old":"0m"}'],
      ],
    );
    assert.deepEqual(await run(['status']), {
      code: 0,
      out: `canary shop/api-split 0% → api-canary (from api-stable)\nstatus: aborted: the TrafficSplit is back as it was\nsteps: 10% → 25% → 50% → 100%\nbackend: TrafficSplit shop/api-split (context shop-dev, kubeconfig ${kubeconfig})\nweights before the canary: {"api-stable":"1","api-canary":"0","api-old":"0m"}\nlast written: {"api-stable":"1","api-canary":"0","api-old":"0m"}\n`,
      err: '',
    });
  });

  it('v1alpha2+ integers, a run to finish (KUBECONFIG from the environment); --keep-fallback is a usage error', async () => {
    env = { KUBECONFIG: kubeconfig };
    const r = await run(['start', '--traffic-split', 'shop/web-split', '--from', 'web-stable', '--to', 'web-canary', '--steps', '50,100']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n')[1], '  weights: {"web-stable":900,"web-canary":100}');
    assert.deepEqual(state().backend, { kind: 'traffic-split', namespace: 'shop', name: 'web-split', kubeconfig, context: 'shop-dev' });
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(spec('web-split'), { service: 'web', backends: [{ service: 'web-stable', weight: 50 }, { service: 'web-canary', weight: 50 }] });
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(await run(['status']), {
      code: 0,
      out: `canary shop/web-split 100% → web-canary (from web-stable)\nstatus: running, step 2 of 2; next: finish\nsteps: 50% → [100%]\nbackend: TrafficSplit shop/web-split (context shop-dev, kubeconfig ${kubeconfig})\nweights before the canary: {"web-stable":900,"web-canary":100}\nlast written: {"web-stable":0,"web-canary":100}\n`,
      err: '',
    });
    const kept = await run(['finish', '--keep-fallback']);
    assert.equal(kept.code, 2);
    assert.equal(kept.err.split('\n')[0], 'dtab: --keep-fallback: a TrafficSplit has no fallback (no `canary | stable` as a dtab has); finish without it sends all traffic to the canary (its weight all, the stable 0)');
    assert.equal(state().status, 'running');
    assert.deepEqual(await run(['finish']), {
      code: 0,
      out: 'finished canary shop/web-split: all traffic to web-canary (TrafficSplit shop/web-split (context shop-dev))\n  wrote: {"web-stable":0,"web-canary":100}\n',
      err: '',
    });
    assert.deepEqual(spec('web-split'), { service: 'web', backends: [{ service: 'web-stable', weight: 0 }, { service: 'web-canary', weight: 100 }] });
    assert.equal(state().status, 'finished');
  });

  it('a change by someone else between steps: exit 3, nothing overwritten, the state unchanged; put back, it goes on', async () => {
    assert.equal((await ts('web-split', 'web-stable', 'web-canary')).code, 0);
    assert.equal((await run(['step'])).code, 0);
    const saved = files['.dtab-canary.json'];
    const mine = stored('trafficsplit', 'web-split');
    const theirs = { service: 'web', backends: [{ service: 'web-stable', weight: 1 }, { service: 'web-canary', weight: 1 }] };
    k8s.apply({ ...mine, spec: theirs });
    const theirRv = rv('trafficsplit', 'web-split');
    k8s.clearRequests();
    assert.deepEqual(await run(['step']), {
      code: 3,
      out: '',
      err: 'dtab: TrafficSplit shop/web-split changed since the canary last wrote it: its weights are now {"web-stable":1,"web-canary":1}, the canary left {"web-stable":90,"web-canary":10}; nothing was written (put back what the canary left to go on, or restore it by hand: the spec as the canary found it is original.trafficSplit.spec in the state)\n',
    });
    assert.deepEqual(k8s.requests.filter((r) => r.verb !== 'get' && r.verb !== 'list').map((r) => r.verb), [], 'no write was sent');
    assert.deepEqual([spec('web-split'), rv('trafficsplit', 'web-split')], [theirs, theirRv]);
    assert.equal(files['.dtab-canary.json'], saved);
    // abort is refused the same way: their weights are not overwritten.
    assert.equal((await run(['abort'])).code, 3);
    assert.deepEqual(spec('web-split'), theirs);
    // A change of labels only is no conflict; with the weights back, the canary goes on.
    k8s.apply({ ...mine, metadata: { ...(mine.metadata as Obj), labels: { app: 'web', touched: 'yes' } } });
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(spec('web-split'), { service: 'web', backends: [{ service: 'web-stable', weight: 75 }, { service: 'web-canary', weight: 25 }] });
    assert.equal((await run(['abort'])).code, 0);
    assert.deepEqual(spec('web-split'), objects()[1]!.spec);
  });

  it('a change between the canary\'s read and its patch: the API\'s 409 → exit 3, theirs kept', async () => {
    assert.equal((await ts('web-split', 'web-stable', 'web-canary')).code, 0);
    const saved = files['.dtab-canary.json'];
    const stall = await k8s.fault({ kind: 'stall', match: { verb: 'patch', resource: 'trafficsplits' } });
    const pending = run(['step']);
    await until('the patch is held', () => stall.hits === 1);
    const theirs = { service: 'web', backends: [{ service: 'web-stable', weight: 2 }, { service: 'web-canary', weight: 2 }] };
    k8s.apply({ ...stored('trafficsplit', 'web-split'), spec: theirs });
    await stall.clear();
    assert.deepEqual(await pending, {
      code: 3,
      out: '',
      err: `dtab: trafficsplits.split.smi-spec.io "web-split" in namespace shop on context shop-dev (${k8s.url}) was changed by someone else since it was read (Operation cannot be fulfilled on trafficsplits.split.smi-spec.io "web-split": the object has been modified; please apply your changes to the latest version and try again): nothing was written; read it again and decide again\n`,
    });
    assert.deepEqual(spec('web-split'), theirs);
    assert.equal(files['.dtab-canary.json'], saved);
  });

  it('exit 4: no such split, or --from/--to not its backends; exit 2: a third backend with traffic, usage errors', async () => {
    assert.deepEqual(await ts('nope', 'a', 'b'), {
      code: 4,
      out: '',
      err: `dtab: trafficsplits.split.smi-spec.io "nope" in namespace shop not found on context shop-dev (${k8s.url}): check the name, the namespace and the context (kubectl get trafficsplits.split.smi-spec.io -n shop)\n`,
    });
    assert.deepEqual(await ts('web-split', 'web-stable', 'web-v3'), { code: 4, out: '', err: 'dtab: TrafficSplit shop/web-split has no backend web-v3 (--to); its backends: web-stable, web-canary\n' });
    assert.deepEqual(await ts('three-split', 'a', 'b'), {
      code: 2,
      out: '',
      err: 'dtab: TrafficSplit shop/three-split also sends traffic to c (weight 1): the canary\'s percent would not be its share; set their weights to 0 first, or split between two backends only\n',
    });
    assert.equal(files['.dtab-canary.json'], undefined);
    const usage = async (args: string[], first: string) => {
      const r = await run(args);
      assert.deepEqual([r.code, r.out, r.err.split('\n')[0]], [2, '', `dtab: ${first}`]);
      assert.match(r.err, /\nusage:\n/);
    };
    await usage(['start', '--traffic-split', 'shop/web-split', '--to', 'web-canary'], '--traffic-split needs --from SERVICE and --to SERVICE (the stable and the canary backend of the split)');
    await usage(['start', '--traffic-split', 'web-split', '--from', 'a', '--to', 'b'], '--traffic-split takes NS/NAME, not "web-split"');
    await usage(['start', '--traffic-split', 'shop/web-split', '--name', '/host/world', '--from', 'a', '--to', 'b'], '--name names a dentry: a TrafficSplit canary is named by --traffic-split NS/NAME');
    await usage(['start', '--traffic-split', 'shop/web-split', '--from', 'a', '--to', 'b', '--stage-url', 'http://127.0.0.1:1'], '--stage-url sends the canary as an l5d-dtab override, which concerns dtabs: it goes with --file or --namerd, not --traffic-split');
    await usage(['start', '--traffic-split', 'shop/web-split', '--from', 'a', '--to', 'a', '--kubeconfig', kubeconfig], 'canary start: the plan.canary: is the stable one too (a): nothing to shift');
    await usage(['start', '--file', 'w.dtab', '--name', '/a', '--to', '/b', '--context', 'x'], '--kubeconfig and --context go with --traffic-split or --deployments');
    assert.deepEqual(await ts('web-split', 'web-stable', 'web-canary', '--context', 'prod'), { code: 2, out: '', err: `dtab: cannot load the kubeconfig ${kubeconfig}: no context named prod in the kubeconfig (contexts: shop-dev)\n` });
  });
});

describe('dtab canary --deployments', () => {
  const dep = (...more: string[]) => run(['start', '--deployments', 'shop/web-stable,shop/web-canary', '--kubeconfig', kubeconfig, ...more]);

  it('start → step 50 → abort: the replica counts exactly as before', async () => {
    assert.deepEqual(await dep(), {
      code: 0,
      out: 'started canary shop/web-stable,shop/web-canary: shop/web-stable → shop/web-canary in Deployments shop/web-stable (stable), shop/web-canary (canary) (context shop-dev)\n  replicas: {"shop/web-stable":4,"shop/web-canary":0}\n  steps: 10% → 25% → 50% → 100%\n  state: .dtab-canary.json\n  next: dtab canary step (→ 10%)\n',
      err: '',
    });
    assert.deepEqual(await run(['step', '--percent', '50']), {
      code: 0,
      out: 'canary shop/web-stable,shop/web-canary: 0% → 50% (Deployments shop/web-stable (stable), shop/web-canary (canary) (context shop-dev))\n  wrote: {"shop/web-stable":2,"shop/web-canary":2}\n  next: dtab canary step (→ 100%)\n',
      err: '',
    });
    assert.deepEqual(replicas(), [2, 2]);
    assert.deepEqual(await run(['abort']), {
      code: 0,
      out: 'aborted canary shop/web-stable,shop/web-canary (dtab canary abort): restored {"shop/web-stable":4,"shop/web-canary":0}\n  the replica counts are as the canary found them\n',
      err: '',
    });
    assert.deepEqual(replicas(), [4, 0]);
    assert.deepEqual(state().original.replicas, { stable: 4, canary: 0 });
    assert.equal((await run(['status'])).out.split('\n')[1], 'status: aborted: the replica counts are back as they were');
  });

  it('a run to finish: all replicas to the canary; --keep-fallback refused', async () => {
    assert.equal((await dep('--steps', '25,100')).code, 0);
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(replicas(), [3, 1]);
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(replicas(), [0, 4]);
    assert.equal((await run(['finish', '--keep-fallback'])).code, 2);
    assert.deepEqual(await run(['finish']), {
      code: 0,
      out: 'finished canary shop/web-stable,shop/web-canary: all traffic to shop/web-canary (Deployments shop/web-stable (stable), shop/web-canary (canary) (context shop-dev))\n  wrote: {"shop/web-stable":0,"shop/web-canary":4}\n',
      err: '',
    });
  });

  it('scaled by someone else between steps: exit 3, nothing written', async () => {
    assert.equal((await dep()).code, 0);
    assert.equal((await run(['step'])).code, 0);
    assert.deepEqual(replicas(), [3, 1]);
    const d = stored('deployment', 'web-stable');
    k8s.apply({ ...d, spec: { ...(d.spec as Obj), replicas: 6 } });
    const rvs = [rv('deployment', 'web-stable'), rv('deployment', 'web-canary')];
    assert.deepEqual(await run(['step']), {
      code: 3,
      out: '',
      err: `dtab: the replicas changed on context shop-dev (${k8s.url}) since the canary last wrote them (shop/web-stable has 6, the canary left 3): someone else (or an autoscaler) scaled; nothing was written\n`,
    });
    assert.deepEqual([replicas(), rv('deployment', 'web-stable'), rv('deployment', 'web-canary')], [[6, 1], ...rvs]);
    assert.equal(state().percent, 10);
  });

  it('too few replicas for the steps, usage errors', async () => {
    const d = stored('deployment', 'web-stable');
    k8s.apply({ ...d, spec: { ...(d.spec as Obj), replicas: 1 } });
    assert.deepEqual(await dep(), { code: 2, out: '', err: 'dtab: 10% needs at least 2 replicas in all (one stable, one canary); there are 1: nothing was written\n' });
    const usage = async (args: string[], first: string) => {
      const r = await run(args);
      assert.deepEqual([r.code, r.err.split('\n')[0]], [2, `dtab: ${first}`]);
    };
    await usage(['start', '--deployments', 'shop/a'], '--deployments takes NS/STABLE,NS/CANARY (two Deployments), not "shop/a"');
    await usage(['start', '--deployments', 'shop/a,shop/a'], '--deployments names shop/a twice: name the stable and the canary Deployment');
    await usage(['start', '--deployments', 'shop/a,shop/b', '--to', 'x'], '--deployments NS/STABLE,NS/CANARY names the stable and the canary: --from and --to go with --file, --namerd or --traffic-split');
    await usage(['start', '--deployments', 'shop/a,shop/b', '--admin', 'http://127.0.0.1:1', '--router', 'http'], 'the gate reads linkerd\'s client counters by bound id: give --stable-id (the bound id shop/a reaches, e.g. /#/io.l5d.fs/world-v1)');
  });
});

describe('dtab canary start --stage-url (the linkerd stand-in)', () => {
  const V1 = '/#/io.l5d.fs/world-v1';
  const V2 = '/#/io.l5d.fs/world-v2';
  const FILE = '/svc => /host;\n/host/world => /#/io.l5d.fs/world-v1;\n';
  let l5d: LinkerdStandin;
  before(async () => {
    l5d = await startLinkerdStandin({
      routers: [{ label: 'http', dtab: FILE }],
      namers: [{ prefix: '/#/io.l5d.fs', namer: fixedNamer({ 'world-v1': ['127.0.0.1:8081'], 'world-v2': ['127.0.0.1:8082'] }, '/#/io.l5d.fs') }],
      requestIds: () => '0000000000000001',
    });
  });
  after(() => l5d.stop());
  beforeEach(() => l5d.setClient(V2, undefined));
  const startStaged = (...more: string[]) => run(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', V2, '--stage-url', l5d.routerUrl('http'), '--stage-header', 'Host: world', ...more]);

  it('passes: the canary answered through the router with the override; recorded; nothing written before the first step', async () => {
    files['world.dtab'] = FILE;
    const n = l5d.requests.length;
    assert.deepEqual(await startStaged('--stage-path', '/ping?x=1'), {
      code: 0,
      out: `started canary /host/world: ${V1} → ${V2} in file world.dtab\n  dentry: /host/world => ${V1}\n  stage: GET ${l5d.routerUrl('http')}/ping?x=1 with l5d-dtab /host/world=>${V2}: 200 OK from ${V2}\n  steps: 10% → 25% → 50% → 100%\n  state: .dtab-canary.json\n  next: dtab canary step (→ 10%)\n`,
      err: '',
    });
    const sent = l5d.requests.slice(n);
    assert.deepEqual(sent.map((r) => [r.method, r.url, r.dtabHeaders]), [['GET', '/ping?x=1', [`/host/world=>${V2}`]]]);
    assert.equal(files['world.dtab'], FILE);
    const s = state();
    assert.deepEqual(s.plan.stage, { request: { url: l5d.routerUrl('http'), path: '/ping?x=1', headers: [['Host', 'world']] } });
    assert.deepEqual(s.history.map((h) => [h.at, h.action, h.message]), [
      ['2024-05-01T12:00:01.000Z', 'start', undefined],
      ['2024-05-01T12:00:01.000Z', 'stage', `GET ${l5d.routerUrl('http')}/ping?x=1 with l5d-dtab /host/world=>${V2}: 200 OK from ${V2}`],
    ]);
    assert.equal((await run(['status'])).out.split('\n').at(-2), `stage: passed (2024-05-01T12:00:01.000Z): GET ${l5d.routerUrl('http')}/ping?x=1 with l5d-dtab /host/world=>${V2}: 200 OK from ${V2}`);
  });

  it('fails (the canary answers 500): exit 6, the answer explained, nothing written, the canary not started', async () => {
    files['world.dtab'] = FILE;
    l5d.setClient(V2, { status: 500 });
    assert.deepEqual(await startStaged(), {
      code: 6,
      out: '',
      err:
        `dtab: the stage request through the canary failed: the answer is 500 Internal Server Error from ${V2}; nothing was written, the canary did not start\n` +
        `  > GET ${l5d.routerUrl('http')}/\n  > Host: world\n  > l5d-dtab: /host/world=>${V2}\n  < 500 Internal Server Error\n` +
        `  < l5d-dst-client: ${V2}\n      the bound id (the client Linkerd sent the request to after delegation): ${V2}\n` +
        '  | {"error":"failed by the stand-in"}\n',
    });
    assert.equal(files['world.dtab'], FILE);
    const s = state();
    assert.deepEqual([s.status, s.history.map((h) => h.action)], ['aborted', ['start', 'stage-failed']]);
    assert.equal((await run(['status'])).out.split('\n')[1], 'status: aborted: the stage request failed before anything was written');
    // Not active: a new start may follow.
    l5d.setClient(V2, undefined);
    assert.equal((await startStaged()).code, 0);
  });

  it('fails: an override that binds to nothing falls back to the stable (Finagle) — caught by l5d-dst-client; Linkerd\'s own error (l5d-err)', async () => {
    files['world.dtab'] = FILE;
    const staged = (to: string, ...more: string[]) => run(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', to, '--stage-url', l5d.routerUrl('http'), '--stage-header', 'Host: world', ...more]);
    const fell = await staged('/#/io.l5d.fs/world-v9');
    assert.equal(fell.code, 6);
    assert.equal(fell.err.split('\n')[0], `dtab: the stage request through the canary failed: Linkerd sent it to ${V1}, not to the canary /#/io.l5d.fs/world-v9; nothing was written, the canary did not start`);
    delete files['.dtab-canary.json'];
    const failed = await staged('!', '--from', V1);
    assert.equal(failed.code, 6);
    assert.equal(failed.err.split('\n')[0], 'dtab: the stage request through the canary failed: Linkerd answered 502 Bad Gateway with an error of its own (l5d-err): Unable to route request!; nothing was written, the canary did not start');
    delete files['.dtab-canary.json'];
    // The canary id given for the gate is the one expected.
    const other = await staged(V2, '--admin', l5d.adminUrl, '--router', 'http', '--canary-id', '/#/io.l5d.fs/world-v3');
    assert.equal(other.code, 6);
    assert.equal(other.err.split('\n')[0], `dtab: the stage request through the canary failed: Linkerd sent it to ${V2}, not to the canary /#/io.l5d.fs/world-v3; nothing was written, the canary did not start`);
    assert.equal(files['world.dtab'], FILE);
  });

  it('no answer: exit 5; usage: --stage-header without --stage-url, a bad header or path', async () => {
    files['world.dtab'] = FILE;
    const f = await l5d.fault({ kind: 'refuse', server: 'http' });
    try {
      const r = await startStaged();
      assert.equal(r.code, 5);
      assert.match(r.err, /^dtab: the stage request got no answer: .*; nothing was written, the canary did not start\n$/);
    } finally {
      await f.clear();
    }
    assert.equal(files['.dtab-canary.json'], undefined);
    for (const [args, first] of [
      [['--stage-header', 'Host: world'], '--stage-header and --stage-path go with --stage-url'],
      [['--stage-url', 'http://127.0.0.1:1', '--stage-header', 'Host'], '--stage-header takes \'Name: value\', not "Host"'],
      [['--stage-url', 'http://127.0.0.1:1', '--stage-path', 'ping'], '--stage-path starts with /, not "ping"'],
    ] as const) {
      const r = await run(['start', '--file', 'world.dtab', '--name', '/host/world', '--to', V2, ...args]);
      assert.deepEqual([r.code, r.err.split('\n')[0]], [2, `dtab: ${first}`]);
    }
  });
});
