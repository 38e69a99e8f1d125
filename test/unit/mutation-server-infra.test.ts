// The server's infrastructure in-process, exact values (so that a mutant of a branch fails here):
//
// - server/cluster.ts: findWorkspaceSnapshot (file names it takes, sorted and breadth-first order,
//   depth limit, hidden directories and node_modules skipped, the 2000-directory bound),
//   DEFAULT_CLUSTER_SETTINGS, and Cluster: which source each setting chooses (auto, cluster,
//   snapshot, off; an explicit snapshot file missing, not a file, too large, broken or fine; the
//   workspace's snapshot; a kubeconfig in the settings, in KUBECONFIG, or none; untrusted
//   workspaces), the ClusterStatus sent to notify.status (whole, and never the same one twice),
//   the log lines, the "changed" notifications (coalesced, cancelled by close), the registry it
//   gives the interpreters (io.l5d.fs only when trusted, io.l5d.k8s.ns's pod namespace), contexts()
//   and snapshot(). A live cluster is the Kubernetes stand-in (test/k8s) on 127.0.0.1, through a
//   kubeconfig file written here.
// - server/gate.ts: GateReader over a StreamMessageReader fed framed messages through a stream,
//   with a writer that records its answers: which messages pass in which order, the error answers
//   (code, message, id) before initialize, after shutdown and for non-object params, the dropped
//   notifications, the count of waiting didChange notifications; and transport().
//
// No machine kubeconfig is read: HOME is a temporary directory and KUBECONFIG is unset (or set by a
// test). Waits are for notifications, never for time; the change debounce runs on mocked timers.

import assert from 'node:assert/strict';
import fs, { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, afterEach, before, beforeEach, describe, it, mock } from 'node:test';
import {
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type Message,
  type MessageReader,
  type MessageWriter,
  type NotificationMessage,
} from 'vscode-languageserver/node';
import YAML from 'yaml';
import { describeBound, interpreterFor, lowerDtab, parseDtab, snapshotText, type NamerRegistry, type NamerSpec } from '../../core/index.js';
import type { ClusterStatus } from '../../protocol/messages.js';
import type { ClusterSource } from '../../remote/k8s.js';
import { Cluster, DEFAULT_CLUSTER_SETTINGS, findWorkspaceSnapshot, type ClusterSettings } from '../../server/cluster.js';
import { GateReader, transport } from '../../server/gate.js';
import { endpoints, service } from '../k8s/fixtures.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';
import { path } from '../support/dtab.js';
import { snapshotList, worldService } from '../support/snapshot.js';

// ---------------------------------------------------------------------------------------------
// Shared fixtures

/** Service world in namespace prod, port http: 10.0.0.1:8080. */
const SNAPSHOT = snapshotList(worldService('prod', '10.0.0.1'));

/** A kubeconfig: one cluster at `server`, one user, these contexts (all of that cluster and user), the current one. */
const kubeconfigText = (server: string, user: object, contexts: string[], current: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user }],
    contexts: contexts.map((name) => ({ name, context: { cluster: 'c', user: 'u' } })),
    'current-context': current,
  });

const INITIAL: ClusterStatus = { state: 'none', source: 'no cluster', detail: 'No cluster data: /#/ paths are shown unresolved.' };
const NO_CLUSTER: ClusterStatus = { state: 'none', source: 'no cluster', detail: 'No kubeconfig and no *.k8s-snapshot.yaml: /#/ paths are shown unresolved.' };
const OFF: ClusterStatus = { state: 'none', source: 'cluster data off', detail: 'linkerdDtab.kubernetes.source is off: /#/ paths are shown unresolved.' };
const UNTRUSTED: ClusterStatus = { state: 'none', source: 'no cluster (untrusted workspace)', detail: 'Cluster access is off in untrusted workspaces: /#/ paths are shown unresolved.' };
const snapshotStatus = (file: string): ClusterStatus => ({ state: 'snapshot', source: `snapshot ${file}`, detail: `snapshot ${file}: offline snapshot` });
const errorStatus = (detail: string): ClusterStatus => ({ state: 'error', source: 'cluster', detail });
const emptySnapshot = (file: string) => `Snapshot ${file}: the file is empty: expected the output of \`kubectl get endpoints,services -A -o yaml\``;

type ClusterEvent = ['status', ClusterStatus] | ['changed'] | ['log', string];

/** A Cluster whose notifications and log lines are recorded, in order, as events. */
class Recorder {
  readonly events: ClusterEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly cluster = new Cluster(
    { status: (s) => this.push(['status', s]), changed: () => this.push(['changed']) },
    (m) => this.push(['log', m]),
  );

  private push(e: ClusterEvent): void {
    this.events.push(e);
    for (const w of this.waiters.splice(0)) w();
  }

  /** The events so far, forgotten. */
  take(): ClusterEvent[] {
    return this.events.splice(0);
  }

  configure(settings: Partial<ClusterSettings>, trusted: boolean, folders: readonly string[]): ClusterEvent[] {
    this.cluster.configure({ ...DEFAULT_CLUSTER_SETTINGS, ...settings }, trusted, folders);
    return this.take();
  }

  /** Resolves once `check` holds, checked again after each notification (at most `max` of them). */
  until(check: () => boolean, max = 200): Promise<void> {
    return new Promise((resolve, reject) => {
      if (check()) return resolve();
      let n = 0;
      const waiter = () => {
        if (check()) resolve();
        else if (++n > max) reject(new Error(`condition never held; events: ${JSON.stringify(this.events)}`));
        else this.waiters.push(waiter);
      };
      this.waiters.push(waiter);
    });
  }

  statuses(): ClusterStatus[] {
    return this.events.flatMap((e) => (e[0] === 'status' ? [e[1]] : []));
  }
}

/** The namers of a config: io.l5d.fs on `disco` (relative: the first workspace folder), io.l5d.k8s, io.l5d.k8s.ns. */
const NAMERS: NamerSpec[] = [
  { kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs', params: { rootDir: 'disco' } },
  { kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: {} },
  { kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns', params: {} },
];
const DTAB = lowerDtab(parseDtab('/fs => /#/io.l5d.fs ; /abs => /#/abs ; /k => /#/io.l5d.k8s/prod/http ; /ns => /#/io.l5d.k8s.ns/http ;'));
const FS_BOUND = ['100% → /#/io.l5d.fs/world (127.0.0.1:8080)'];
const FS_UNRESOLVED = ['100% → /#/io.l5d.fs/world (unresolved here: io.l5d.fs resolves it at run time)'];
const K8S_BOUND = ['100% → /#/io.l5d.k8s/prod/http/world (10.0.0.1:8080)'];
const K8S_UNRESOLVED = ['100% → /#/io.l5d.k8s/prod/http/world (unresolved here: io.l5d.k8s resolves it at run time)'];
const NS_BOUND = ['100% → /#/io.l5d.k8s.ns/http/world (10.0.0.1:8080)'];
const NS_UNRESOLVED = ['100% → /#/io.l5d.k8s.ns/http/world (unresolved here: io.l5d.k8s.ns resolves it at run time)'];
const NS_NO_POD_NAMESPACE = 'could not find namespace for envVar POD_NAMESPACE: io.l5d.k8s.ns (/#/io.l5d.k8s.ns) reads its namespace from the environment variable POD_NAMESPACE, which is not set';

const ABS_BOUND = ['100% → /#/abs/world (127.0.0.1:8080)'];
const ABS_UNRESOLVED = ['100% → /#/abs/world (unresolved here: io.l5d.fs resolves it at run time)'];

/**
 * What /fs/world, /k/world and /ns/world route to through a registry (or the naming error's
 * message), and /abs/world: io.l5d.fs at /#/abs on `dir/disco` named by its absolute path.
 */
async function bindings(registry: NamerRegistry | undefined, dir: string): Promise<{ fs: string[] | string; abs: string[] | string; k8s: string[] | string; ns: string[] | string }> {
  assert.ok(registry, 'a registry');
  const interp = interpreterFor({ registry, namers: [...NAMERS, { kind: 'io.l5d.fs', prefix: '/#/abs', params: { rootDir: join(dir, 'disco') } }] });
  const routes = async (p: string) => {
    try {
      return describeBound(await interp.bind(DTAB, path(p)));
    } catch (e) {
      return (e as Error).message;
    }
  };
  return { fs: await routes('/fs/world'), abs: await routes('/abs/world'), k8s: await routes('/k/world'), ns: await routes('/ns/world') };
}

/** The environment the kubeconfig lookup reads: a HOME without .kube, no KUBECONFIG, no in-cluster service. */
function isolateKubeEnvironment(): void {
  const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG, KUBERNETES_SERVICE_HOST: process.env.KUBERNETES_SERVICE_HOST };
  let home = '';
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'dtab-infra-home-'));
    process.env.HOME = home;
    delete process.env.KUBECONFIG;
    delete process.env.KUBERNETES_SERVICE_HOST;
  });
  afterEach(() => {
    delete process.env.KUBECONFIG;
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
  });
}

/** A fresh temporary directory per test, removed after it. */
function tempDirs(prefix: string): { readonly dir: string } {
  const box = { dir: '' };
  beforeEach(() => {
    box.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    rmSync(box.dir, { recursive: true, force: true });
  });
  return box;
}

/** Writes `text` at `dir/...parts` (directories made as needed); returns the path. */
function put(dir: string, rel: string, text = ''): string {
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Runs `f` with fs.readdirSync replaced by `impl` (for the compiled module and ESM bindings alike). */
function withReaddir<T>(impl: (dir: string) => string[], f: () => T): { result: T; dirs: string[] } {
  const dirs: string[] = [];
  const spy = mock.method(fs, 'readdirSync', ((dir: string) => {
    dirs.push(String(dir));
    return impl(String(dir));
  }) as unknown as typeof fs.readdirSync);
  syncBuiltinESMExports();
  try {
    return { result: f(), dirs };
  } finally {
    spy.mock.restore();
    syncBuiltinESMExports();
  }
}
const realReaddir = fs.readdirSync.bind(fs) as (dir: string) => string[];

// ---------------------------------------------------------------------------------------------
// findWorkspaceSnapshot

describe('findWorkspaceSnapshot', () => {
  const t = tempDirs('dtab-infra-find-');

  it('takes *.k8s-snapshot.yaml, .yml and .json, and nothing else', () => {
    for (const name of ['a.k8s-snapshot.yaml.bak', 'aXk8s-snapshot.yaml', 'a.k8s-snapshotXyaml', 'a.k8s-snapshot.ym', 'a.k8s-snapshot.jsonx', 'a.k8s-snapshot.yamll', 'a.k8s-snapshot.', 'k8s-snapshot-yaml']) put(t.dir, join('no', name));
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'no')]), undefined);
    for (const ext of ['yaml', 'yml', 'json']) {
      const file = put(t.dir, join(ext, `prod.k8s-snapshot.${ext}`));
      assert.equal(findWorkspaceSnapshot([join(t.dir, ext)]), file);
    }
  });

  it('only a regular file (through links): a directory or a dangling link with the name is passed over', () => {
    mkdirSync(join(t.dir, 'dirs', 'a.k8s-snapshot.yaml'), { recursive: true });
    symlinkSync(join(t.dir, 'nowhere.yaml'), join(t.dir, 'dirs', 'b.k8s-snapshot.yaml'));
    const deeper = put(t.dir, join('dirs', 'sub', 'c.k8s-snapshot.yaml'));
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'dirs')]), deeper);
    const real = put(t.dir, join('linked', 'real.yaml'));
    symlinkSync(real, join(t.dir, 'linked', 'x.k8s-snapshot.yaml'));
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'linked')]), join(t.dir, 'linked', 'x.k8s-snapshot.yaml'));
  });

  it('none for no folders, or folders that cannot be read; the next folder is still searched', () => {
    assert.equal(findWorkspaceSnapshot([]), undefined);
    const file = put(t.dir, join('ok', 'x.k8s-snapshot.yaml'));
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'missing'), join(t.dir, 'ok')]), file);
  });

  it('the first name in sorted order, whatever order the file system lists them in', () => {
    put(t.dir, 'root/b.k8s-snapshot.yaml');
    put(t.dir, 'root/a.k8s-snapshot.json');
    put(t.dir, 'root/c.k8s-snapshot.yml');
    put(t.dir, 'sub/b/x.k8s-snapshot.yaml');
    put(t.dir, 'sub/a/y.k8s-snapshot.yaml');
    const reversed = (dir: string) => realReaddir(dir).sort().reverse();
    const root = withReaddir(reversed, () => findWorkspaceSnapshot([join(t.dir, 'root')]));
    assert.equal(root.result, join(t.dir, 'root', 'a.k8s-snapshot.json'));
    assert.deepEqual(root.dirs, [join(t.dir, 'root')]);
    // Directories too are visited in sorted order.
    const sub = withReaddir(reversed, () => findWorkspaceSnapshot([join(t.dir, 'sub')]));
    assert.equal(sub.result, join(t.dir, 'sub', 'a', 'y.k8s-snapshot.yaml'));
    assert.deepEqual(sub.dirs, [join(t.dir, 'sub'), join(t.dir, 'sub', 'a')]);
  });

  it('breadth first: the shallowest snapshot of any folder, a folder\'s own before the next folder\'s', () => {
    put(t.dir, 'one/a/deep/x.k8s-snapshot.yaml');
    const shallow = put(t.dir, 'one/z/y.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'one')]), shallow);
    const second = put(t.dir, 'two/w.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'one'), join(t.dir, 'two')]), second);
    const first = put(t.dir, 'one/v.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'one'), join(t.dir, 'two')]), first);
  });

  it('three levels below a folder by default, or maxDepth', () => {
    // a is the folder (depth 0): a/b/c/d is three levels below it, e/f/g/h/i four.
    const three = put(t.dir, 'a/b/c/d/x.k8s-snapshot.yaml');
    put(t.dir, 'e/f/g/h/i/x.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'a')]), three);
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'e')]), undefined);
    const one = put(t.dir, 'h/i/x.k8s-snapshot.yaml');
    put(t.dir, 'j/k/l/x.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'h')], 1), one);
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'j')], 1), undefined);
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'h')], 0), undefined);
  });

  it('skips hidden directories and node_modules, and what is not a directory', () => {
    put(t.dir, 'ws/.git/x.k8s-snapshot.yaml');
    put(t.dir, 'ws/node_modules/x.k8s-snapshot.yaml');
    put(t.dir, 'ws/plain-file');
    symlinkSync(join(t.dir, 'nowhere'), join(t.dir, 'ws', 'broken-link'));
    const visible = put(t.dir, 'ws/src/deeper/x.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'ws')]), visible);
    // A directory whose name merely contains node_modules is searched.
    const near = put(t.dir, 'ws/node_modules_not/x.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([join(t.dir, 'ws')]), near);
  });

  it('visits at most 2000 directories (a folder that cannot be read counts; a file is never visited)', () => {
    const ws = join(t.dir, 'ws');
    put(t.dir, 'ws/a-file');
    const file = put(t.dir, 'ws/zz/x.k8s-snapshot.yaml');
    const missing = (n: number) => Array.from({ length: n }, (_, i) => join(t.dir, `missing-${i}`));
    // 1998 unreadable folders, ws the 1999th, ws/zz the 2000th.
    assert.equal(findWorkspaceSnapshot([...missing(1998), ws]), file);
    assert.equal(findWorkspaceSnapshot([...missing(1999), ws]), undefined);
    // At the root: found as the 2000th, not as the 2001st.
    const root = put(t.dir, 'rooted/r.k8s-snapshot.yaml');
    assert.equal(findWorkspaceSnapshot([...missing(1999), join(t.dir, 'rooted')]), root);
    assert.equal(findWorkspaceSnapshot([...missing(2000), join(t.dir, 'rooted')]), undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// Cluster without a live cluster

describe('Cluster: settings, trust and the workspace choose the source', () => {
  isolateKubeEnvironment();
  const t = tempDirs('dtab-infra-cluster-');
  /** A fine snapshot as the workspace's, and io.l5d.fs's disco/world. */
  const workspace = () => {
    put(t.dir, 'disco/world', '127.0.0.1 8080\n');
    return put(t.dir, 'k8s/prod.k8s-snapshot.json', SNAPSHOT);
  };

  it('the default settings', () => {
    assert.deepEqual(DEFAULT_CLUSTER_SETTINGS, { source: 'auto', kubeconfig: '', context: '', snapshot: '', podNamespace: '', watchAllNamespaces: false });
  });

  it('before configure: no cluster data, no registry, nothing sent; contexts of the default kubeconfig', () => {
    const r = new Recorder();
    assert.deepEqual(r.cluster.status(), INITIAL);
    assert.equal(r.cluster.registry(), undefined);
    assert.equal(r.cluster.generation, undefined);
    assert.equal(r.cluster.current, undefined);
    assert.equal(r.cluster.snapshot(), undefined);
    // No kubeconfig anywhere: client-node's default (localhost:8080) and its context.
    assert.deepEqual(r.cluster.contexts(), { current: 'loaded-context', contexts: ['loaded-context'] });
    r.cluster.close();
    assert.deepEqual(r.take(), []);
  });

  it('off: nothing read, not even an explicit or the workspace\'s snapshot; each status sent once', async () => {
    workspace();
    const r = new Recorder();
    assert.deepEqual(r.configure({ source: 'off', snapshot: join(t.dir, 'k8s', 'prod.k8s-snapshot.json') }, true, [t.dir]), [['status', OFF]]);
    assert.deepEqual(r.cluster.status(), OFF);
    assert.equal(r.cluster.current, undefined);
    assert.equal(r.cluster.snapshot(), undefined);
    // Trusted: io.l5d.fs still reads the workspace; the Kubernetes namers have no source.
    assert.deepEqual(await bindings(r.cluster.registry(), t.dir), { fs: FS_BOUND, abs: ABS_BOUND, k8s: K8S_UNRESOLVED, ns: NS_UNRESOLVED });
    // The same status is not sent again; another one is, and then this one again.
    assert.deepEqual(r.configure({ source: 'off' }, true, [t.dir]), []);
    assert.deepEqual(r.configure({ source: 'off' }, false, [t.dir]), []);
    assert.equal(r.cluster.registry(), undefined, 'untrusted and no sources: no registry');
    assert.equal(r.cluster.generation, undefined);
    assert.deepEqual(r.configure({ source: 'cluster' }, false, [t.dir]), [['status', UNTRUSTED]]);
    assert.deepEqual(r.configure({ source: 'off' }, false, [t.dir]), [['status', OFF]]);
  });

  it('untrusted, nothing configured: cluster access off, no registry', () => {
    const r = new Recorder();
    assert.deepEqual(r.configure({}, false, [t.dir]), [['status', UNTRUSTED]]);
    assert.deepEqual(r.cluster.status(), UNTRUSTED);
    assert.equal(r.cluster.registry(), undefined);
    assert.equal(r.cluster.current, undefined);
  });

  it('trusted, nothing configured: no cluster; the registry has io.l5d.fs only', async () => {
    put(t.dir, 'disco/world', '127.0.0.1 8080\n');
    const r = new Recorder();
    assert.deepEqual(r.configure({}, true, [t.dir]), [['status', NO_CLUSTER]]);
    assert.equal(r.cluster.current, undefined);
    assert.deepEqual(await bindings(r.cluster.registry(), t.dir), { fs: FS_BOUND, abs: ABS_BOUND, k8s: K8S_UNRESOLVED, ns: NS_UNRESOLVED });
  });

  it('auto: the workspace\'s snapshot, with the pod namespace for io.l5d.k8s.ns; one registry per configuration', async () => {
    const file = workspace();
    const r = new Recorder();
    assert.deepEqual(r.configure({ podNamespace: 'prod' }, true, [t.dir]), [['status', snapshotStatus(file)]]);
    assert.deepEqual(r.cluster.status(), snapshotStatus(file));
    assert.ok(r.cluster.current);
    const generation = r.cluster.generation;
    assert.ok(generation !== undefined);
    assert.equal(r.cluster.registry(), generation);
    assert.equal(r.cluster.registry(), generation);
    assert.deepEqual(await bindings(r.cluster.registry(), t.dir), { fs: FS_BOUND, abs: ABS_BOUND, k8s: K8S_BOUND, ns: NS_BOUND });
    // No live cache: nothing to save.
    assert.equal(r.cluster.snapshot(), undefined);
    // Configured again: a new registry (the same status is not sent again); without the pod namespace.
    assert.deepEqual(r.configure({}, true, [t.dir]), []);
    assert.notEqual(r.cluster.registry(), generation);
    assert.deepEqual(await bindings(r.cluster.registry(), t.dir), { fs: FS_BOUND, abs: ABS_BOUND, k8s: K8S_BOUND, ns: NS_NO_POD_NAMESPACE });
  });

  it('untrusted: the workspace\'s snapshot still binds /#/io.l5d.k8s, but io.l5d.fs reads nothing', async () => {
    const file = workspace();
    const r = new Recorder();
    assert.deepEqual(r.configure({ podNamespace: 'prod' }, false, [t.dir]), [['status', snapshotStatus(file)]]);
    assert.deepEqual(await bindings(r.cluster.registry(), t.dir), { fs: FS_UNRESOLVED, abs: ABS_UNRESOLVED, k8s: K8S_BOUND, ns: NS_BOUND });
  });

  it('snapshot: the workspace\'s, even with a kubeconfig configured; none there is no cluster, and nothing logged', () => {
    const r = new Recorder();
    assert.deepEqual(r.configure({ source: 'snapshot', kubeconfig: join(t.dir, 'no-kubeconfig') }, true, [t.dir]), [['status', NO_CLUSTER]]);
    assert.deepEqual(r.configure({ source: 'snapshot' }, false, [t.dir]), [['status', UNTRUSTED]]);
    const file = workspace();
    assert.deepEqual(r.configure({ source: 'snapshot', kubeconfig: join(t.dir, 'no-kubeconfig') }, true, [t.dir]), [['status', snapshotStatus(file)]]);
  });

  it('cluster: never the workspace\'s snapshot (the workspace is not even listed)', () => {
    workspace();
    const r = new Recorder();
    const trusted = withReaddir(realReaddir, () => r.configure({ source: 'cluster' }, true, [t.dir]));
    assert.deepEqual(trusted, { result: [['status', NO_CLUSTER]], dirs: [] });
    const untrusted = withReaddir(realReaddir, () => r.configure({ source: 'cluster', kubeconfig: join(t.dir, 'no-kubeconfig') }, false, [t.dir]));
    assert.deepEqual(untrusted, { result: [['status', UNTRUSTED]], dirs: [] });
    // auto does list it (the check above is not vacuous).
    const auto = withReaddir(realReaddir, () => r.configure({}, true, [join(t.dir, 'k8s')]));
    assert.deepEqual(auto, { result: [['status', snapshotStatus(join(t.dir, 'k8s', 'prod.k8s-snapshot.json'))]], dirs: [join(t.dir, 'k8s')] });
  });

  it('an explicit snapshot wins over the source, the workspace\'s snapshot and a kubeconfig', () => {
    workspace();
    const mine = put(t.dir, 'mine.yaml', SNAPSHOT);
    process.env.KUBECONFIG = put(t.dir, 'kubeconfig', '{}');
    const r = new Recorder();
    assert.deepEqual(r.configure({ snapshot: mine }, true, [t.dir]), [['status', snapshotStatus(mine)]]);
    const other = put(t.dir, 'other.yaml', SNAPSHOT);
    assert.deepEqual(r.configure({ source: 'cluster', snapshot: other, context: 'dev' }, true, [t.dir]), [['status', snapshotStatus(other)]]);
    assert.deepEqual(r.configure({ source: 'snapshot', snapshot: mine }, false, [t.dir]), [['status', snapshotStatus(mine)]]);
  });

  it('an explicit snapshot that is missing, not a file, or too large: said in the log and as the status, naming the file (untrusted too)', () => {
    const missing = join(t.dir, 'missing.yaml');
    const r1 = new Recorder();
    assert.deepEqual(r1.configure({ snapshot: missing }, true, [t.dir]), [
      ['log', `cannot read the snapshot ${missing}: ENOENT: no such file or directory, stat '${missing}'`],
      ['status', errorStatus(`Cannot read the snapshot ${missing}: ENOENT: no such file or directory, stat '${missing}'`)],
    ]);
    mkdirSync(join(t.dir, 'a-dir'));
    const r2 = new Recorder();
    assert.deepEqual(r2.configure({ snapshot: join(t.dir, 'a-dir'), source: 'snapshot' }, true, [t.dir]), [
      ['log', `cannot read the snapshot ${join(t.dir, 'a-dir')}: not a regular file`],
      ['status', errorStatus(`Cannot read the snapshot ${join(t.dir, 'a-dir')}: not a regular file`)],
    ]);
    // A sparse file: its size, never its bytes, is read. Untrusted: snapshots are read there too, so the problem is said.
    const big = put(t.dir, 'big.yaml');
    truncateSync(big, 256 * 1024 * 1024 + 1);
    const r3 = new Recorder();
    assert.deepEqual(r3.configure({ snapshot: big }, false, [t.dir]), [
      ['log', `cannot read the snapshot ${big}: larger than 256 MB`],
      ['status', errorStatus(`Cannot read the snapshot ${big}: larger than 256 MB`)],
    ]);
  });

  it('a problem is of the settings that met it: new settings without one say what they lack, or their own problem', () => {
    const broken = put(t.dir, 'broken.yaml', '');
    const r = new Recorder();
    assert.deepEqual(r.configure({ snapshot: broken }, true, [t.dir]), [['log', `cluster data unavailable: ${emptySnapshot(broken)}`], ['status', errorStatus(emptySnapshot(broken))]]);
    const missing = join(t.dir, 'nope.yaml');
    assert.deepEqual(r.configure({ snapshot: missing }, true, [t.dir]), [
      ['log', `cannot read the snapshot ${missing}: ENOENT: no such file or directory, stat '${missing}'`],
      ['status', errorStatus(`Cannot read the snapshot ${missing}: ENOENT: no such file or directory, stat '${missing}'`)],
    ]);
    assert.deepEqual(r.configure({ source: 'snapshot' }, true, [join(t.dir, 'empty-ws')]), [['status', NO_CLUSTER]]);
    assert.deepEqual(r.cluster.status(), NO_CLUSTER);
    assert.deepEqual(r.configure({ snapshot: broken }, false, [t.dir]), [['log', `cluster data unavailable: ${emptySnapshot(broken)}`], ['status', errorStatus(emptySnapshot(broken))]]);
    assert.deepEqual(r.configure({}, false, [join(t.dir, 'empty-ws')]), [['status', UNTRUSTED]]);
  });

  it('a snapshot that is not one: cluster data unavailable, the error as the status', () => {
    const broken = put(t.dir, 'broken.yaml', '');
    const r = new Recorder();
    assert.deepEqual(r.configure({ snapshot: broken }, true, [t.dir]), [['log', `cluster data unavailable: ${emptySnapshot(broken)}`], ['status', errorStatus(emptySnapshot(broken))]]);
    assert.deepEqual(r.cluster.status(), errorStatus(emptySnapshot(broken)));
    assert.equal(r.cluster.current, undefined);
    // Settings that give a source replace the error.
    const fine = put(t.dir, 'fine.yaml', SNAPSHOT);
    assert.deepEqual(r.configure({ snapshot: fine }, true, [t.dir]), [['status', snapshotStatus(fine)]]);
  });

  it('the workspace\'s snapshot broken (auto and snapshot), or a dangling link', () => {
    const broken = put(t.dir, 'ws/x.k8s-snapshot.yaml', '');
    const r = new Recorder();
    assert.deepEqual(r.configure({}, true, [join(t.dir, 'ws')]), [['log', `cluster data unavailable: ${emptySnapshot(broken)}`], ['status', errorStatus(emptySnapshot(broken))]]);
    const r2 = new Recorder();
    assert.deepEqual(r2.configure({ source: 'snapshot' }, true, [join(t.dir, 'ws')]), [['log', `cluster data unavailable: ${emptySnapshot(broken)}`], ['status', errorStatus(emptySnapshot(broken))]]);
    const link = join(t.dir, 'ln', 'y.k8s-snapshot.yaml');
    mkdirSync(join(t.dir, 'ln'));
    symlinkSync(join(t.dir, 'nowhere.yaml'), link);
    // A dangling link is no snapshot: not found, nothing to say.
    const r3 = new Recorder();
    assert.deepEqual(r3.configure({}, true, [join(t.dir, 'ln')]), [['status', NO_CLUSTER]]);
  });

  it('a live cluster configured (a context, a kubeconfig, or KUBECONFIG) comes before the workspace\'s snapshot, when trusted', () => {
    workspace();
    const r = new Recorder();
    assert.deepEqual(r.configure({ context: 'dev' }, true, [t.dir]), [['status', errorStatus('cannot load the kubeconfig: no context named dev in the kubeconfig (contexts: loaded-context)')]]);
    assert.deepEqual(r.cluster.status(), errorStatus('cannot load the kubeconfig: no context named dev in the kubeconfig (contexts: loaded-context)'));
    const missing = join(t.dir, 'no-kubeconfig');
    assert.deepEqual(r.configure({ kubeconfig: missing }, true, [t.dir]), [['status', errorStatus(`cannot load the kubeconfig: ENOENT: no such file or directory, open '${missing}'`)]]);
    process.env.KUBECONFIG = put(t.dir, 'kubeconfig', '{}');
    assert.deepEqual(r.configure({}, true, [t.dir]), [['status', errorStatus('cannot load the kubeconfig: No active cluster!')]]);
    assert.equal(r.cluster.snapshot(), undefined);
    // Untrusted: none of them is read; the workspace's snapshot is used.
    assert.deepEqual(r.configure({}, false, [t.dir]), [['status', snapshotStatus(join(t.dir, 'k8s', 'prod.k8s-snapshot.json'))]]);
    assert.deepEqual(r.configure({ kubeconfig: missing, context: 'dev', source: 'cluster' }, false, [t.dir]), [['status', UNTRUSTED]]);
  });

  it('contexts: of the kubeconfig in the settings, the pinned context first; an unreadable one is logged', () => {
    const kubeconfig = put(t.dir, 'kc.json', kubeconfigText('http://127.0.0.1:9', {}, ['one', 'two'], 'two'));
    const r = new Recorder();
    // Untrusted: the cluster is never contacted, the contexts are still listed.
    r.configure({ kubeconfig }, false, [t.dir]);
    assert.deepEqual(r.cluster.contexts(), { current: 'two', contexts: ['one', 'two'] });
    r.configure({ kubeconfig, context: 'one' }, false, [t.dir]);
    assert.deepEqual(r.cluster.contexts(), { current: 'one', contexts: ['one', 'two'] });
    r.configure({ context: 'elsewhere' }, false, [t.dir]);
    assert.deepEqual(r.cluster.contexts(), { current: 'elsewhere', contexts: ['loaded-context'] });
    const missing = join(t.dir, 'missing-kc');
    r.configure({ kubeconfig: missing }, false, [t.dir]);
    r.take();
    assert.deepEqual(r.cluster.contexts(), { current: undefined, contexts: [] });
    assert.deepEqual(r.take(), [['log', `cannot read the kubeconfig: ENOENT: no such file or directory, open '${missing}'`]]);
  });

  it('changes are coalesced into one update and one "changed" 100 ms after the first; close cancels a pending one', () => {
    const file = workspace();
    const r = new Recorder();
    assert.deepEqual(r.configure({}, true, [t.dir]), [['status', snapshotStatus(file)]]);
    const onChange = r.cluster.current!.options.onChange!;
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      onChange();
      onChange();
      onChange();
      mock.timers.tick(99);
      assert.deepEqual(r.take(), []);
      mock.timers.tick(1);
      // The status is the same: not sent again.
      assert.deepEqual(r.take(), [['changed']]);
      mock.timers.tick(1000);
      assert.deepEqual(r.take(), []);
      // A later change: another update.
      onChange();
      mock.timers.tick(100);
      assert.deepEqual(r.take(), [['changed']]);
      onChange();
      r.cluster.close();
      mock.timers.tick(1000);
      assert.deepEqual(r.take(), []);
    } finally {
      mock.timers.reset();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Cluster with a live cluster (the stand-in)

describe('Cluster: a live cluster (stand-in API on 127.0.0.1)', { timeout: 30_000 }, () => {
  isolateKubeEnvironment();
  const t = tempDirs('dtab-infra-live-');
  let k8s: K8sStandin;
  before(async () => {
    k8s = await startK8sStandin({
      token: 'secret',
      objects: [service('prod', 'world', [{ name: 'http', port: 80, targetPort: 8080 }], { clusterIP: '10.96.0.20' }), endpoints('prod', 'world', ['10.0.0.1'], [{ name: 'http', port: 8080 }])],
    });
  });
  after(() => k8s.stop());

  const connecting = (name: string): ClusterStatus => ({ state: 'connecting', source: name, detail: `${name}: connecting…` });
  const live = (name: string): ClusterStatus => ({ state: 'live', source: name, detail: `${name}: live (watching the namespaces the dtabs reach)` });
  const isLive = (r: Recorder) => () => r.statuses().some((s) => s.state === 'live');

  it('a kubeconfig in the settings: connecting, then live once it answers, then "changed"; every namespace watched and saved as a snapshot', async () => {
    const kubeconfig = k8s.writeKubeconfig(t.dir, { context: 'standin' });
    const name = `context standin (${k8s.url})`;
    const r = new Recorder();
    r.cluster.configure({ ...DEFAULT_CLUSTER_SETTINGS, kubeconfig, watchAllNamespaces: true }, true, [t.dir]);
    assert.deepEqual(r.events, [['status', connecting(name)]]);
    await r.until(isLive(r));
    assert.deepEqual(r.statuses(), [connecting(name), live(name)]);
    const at = r.events.findIndex((e) => e[0] === 'status' && e[1].state === 'live');
    assert.deepEqual(r.events[at + 1], ['changed'], 'the update comes first, then "changed", in the same turn');
    assert.deepEqual(r.cluster.status(), live(name));
    // Every namespace is watched: the live caches fill and can be saved.
    await r.until(() => r.cluster.snapshot()?.objects === 2);
    const saved = r.cluster.snapshot()!;
    assert.equal(saved.text, snapshotText(r.cluster.current!.liveObjects()));
    const list = YAML.parse(saved.text) as { kind: string; items: { kind: string; metadata: { namespace: string; name: string } }[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((i) => [i.kind, i.metadata.namespace, i.metadata.name]), [['Endpoints', 'prod', 'world'], ['Service', 'prod', 'world']]);
    assert.equal(r.events.filter((e) => e[0] === 'log').length, 0);
    // close closes the live caches.
    const source = r.cluster.current!.defaultSource() as ClusterSource;
    r.cluster.close();
    assert.throws(() => source.endpoints('prod', 'world'), { message: `${name}: closed` });
  });

  it('the context in the settings, not the current one; only what the dtabs reach is watched; the worst source speaks', async () => {
    const kubeconfig = put(t.dir, 'kc.json', kubeconfigText(k8s.url, { token: 'secret' }, ['other', 'standin'], 'other'));
    const name = `context standin (${k8s.url})`;
    const r = new Recorder();
    assert.deepEqual(r.configure({ kubeconfig, context: 'standin' }, true, [t.dir]), [['status', connecting(name)]]);
    assert.deepEqual(r.cluster.contexts(), { current: 'standin', contexts: ['other', 'standin'] });
    await r.until(isLive(r));
    assert.deepEqual(r.take(), [['status', live(name)], ['changed']]);
    // No dtab reached a namespace: nothing cached, nothing to save.
    assert.equal(r.cluster.snapshot(), undefined);

    // A second cluster, named by a namer's host and port (anonymous: the stand-in wants a token).
    const sources = r.cluster.current!;
    const second = sources.forSpec({ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: { host: '127.0.0.1', port: k8s.port } }) as ClusterSource;
    sources.options.onChange!();
    await r.until(() => r.events.length > 0);
    // Live and connecting: the live one is shown (connecting is no problem).
    assert.deepEqual(r.take(), [['changed']]);
    assert.deepEqual(r.cluster.status(), live(name));
    const t0 = Date.now();
    await second.probe();
    await r.until(() => r.events.some((e) => e[0] === 'changed'));
    const t1 = Date.now();
    const events = r.take();
    const since = (events[0]?.[1] as ClusterStatus | undefined)?.since;
    assert.ok(since !== undefined && since >= t0 && since <= t1, JSON.stringify(events));
    assert.deepEqual(events, [
      ['status', { state: 'unauthorized', source: k8s.url, detail: `${k8s.url}: unauthorized: the Kubernetes API at ${k8s.url} did not accept the credentials`, since }],
      ['changed'],
    ]);

    // Configured again: the old sources are closed.
    const first = sources.defaultSource() as ClusterSource;
    assert.deepEqual(r.configure({ source: 'off' }, true, [t.dir]), [['status', OFF]]);
    assert.throws(() => first.endpoints('prod', 'world'), { message: `${name}: closed` });
    assert.throws(() => second.endpoints('prod', 'world'), { message: `${k8s.url}: closed` });
    r.cluster.close();
  });

  it('KUBECONFIG: the live cluster before the workspace\'s snapshot; a source gone from the caches is made again', async () => {
    const snapshot = put(t.dir, 'ws/w.k8s-snapshot.yaml', SNAPSHOT);
    process.env.KUBECONFIG = k8s.writeKubeconfig(t.dir, { context: 'standin' });
    const name = `context standin (${k8s.url})`;
    const r = new Recorder();
    assert.deepEqual(r.configure({}, true, [join(t.dir, 'ws')]), [['status', connecting(name)]]);
    await r.until(isLive(r));
    assert.deepEqual(r.take(), [['status', live(name)], ['changed']]);
    // The caches emptied (not through configure): the default source is made again, not yet listed.
    const sources = r.cluster.current!;
    sources.close();
    sources.options.onChange!();
    await r.until(() => r.events.some((e) => e[0] === 'changed'));
    assert.deepEqual(r.take(), [['status', connecting(name)], ['changed']]);
    // ... and with no kubeconfig left, no source at all.
    delete process.env.KUBECONFIG;
    sources.close();
    sources.options.onChange!();
    await r.until(() => r.events.some((e) => e[0] === 'changed'));
    assert.deepEqual(r.take(), [['status', { state: 'live', source: 'current context', detail: 'Watching only the namespaces the dtabs reach.' }], ['changed']]);
    r.cluster.close();
    // Untrusted, the same workspace: its snapshot.
    process.env.KUBECONFIG = join(t.dir, 'kubeconfig');
    const u = new Recorder();
    assert.deepEqual(u.configure({}, false, [join(t.dir, 'ws')]), [['status', snapshotStatus(snapshot)]]);
    u.cluster.close();
  });

  it('off with a kubeconfig available: the registry never reaches the cluster', async () => {
    process.env.KUBECONFIG = k8s.writeKubeconfig(t.dir, { context: 'standin' });
    put(t.dir, 'disco/world', '127.0.0.1 8080\n');
    const r = new Recorder();
    assert.deepEqual(r.configure({ source: 'off', podNamespace: 'prod' }, true, [t.dir]), [['status', OFF]]);
    k8s.clearRequests();
    assert.deepEqual(await bindings(r.cluster.registry(), t.dir), { fs: FS_BOUND, abs: ABS_BOUND, k8s: K8S_UNRESOLVED, ns: NS_UNRESOLVED });
    assert.deepEqual(k8s.requests, []);
    r.cluster.close();
  });
});

// ---------------------------------------------------------------------------------------------
// The gate

const req = (id: number | string, method: string, ...params: unknown[]) => ({ jsonrpc: '2.0', id, method, ...(params.length > 0 ? { params: params[0] } : {}) });
const note = (method: string, ...params: unknown[]) => ({ jsonrpc: '2.0', method, ...(params.length > 0 ? { params: params[0] } : {}) });
const change = (uri: unknown) => note('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'x' }] });
const HOVER = { textDocument: { uri: 'file:///a.dtab' }, position: { line: 0, character: 0 } };
const INIT = { processId: null, rootUri: null, capabilities: {} };

type GateEvent = ['pass', Message] | ['answer', Message];
const pass = (m: object): GateEvent => ['pass', m as Message];
const answer = (id: number | string, code: number, message: string): GateEvent => ['answer', { jsonrpc: '2.0', id, error: { code, message } } as Message];
const notInitialized = (id: number | string, method: string) => answer(id, -32002, `${method}: the server is not initialized yet (send initialize first)`);
const shuttingDown = (id: number | string, method: string) => answer(id, -32600, `${method}: the server is shutting down (only exit is accepted)`);
const badParams = (id: number | string, method: string) => answer(id, -32602, `${method}: params must be an object`);

function frame(m: object): string {
  const body = JSON.stringify(m);
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

/** A writer that records what it is given. */
function recordingWriter(events: GateEvent[]): MessageWriter {
  const none = () => ({ dispose: () => undefined });
  return {
    write: (m: Message) => {
      events.push(['answer', m]);
      return Promise.resolve();
    },
    end: () => undefined,
    dispose: () => undefined,
    onError: none,
    onClose: none,
  } as unknown as MessageWriter;
}

/** A GateReader over a StreamMessageReader on a stream; what passes and what it answers, in order. */
class Gate {
  readonly stream = new PassThrough();
  readonly events: GateEvent[] = [];
  readonly handled: string[] = [];
  readonly reader: GateReader;
  private sentinel = 0;
  private arrived: ((n: number) => void) | undefined;

  constructor() {
    this.reader = new GateReader(new StreamMessageReader(this.stream), recordingWriter(this.events));
    this.reader.onChangesHandled = (uri) => this.handled.push(uri);
    this.reader.listen((m) => {
      const s = (m as NotificationMessage).params as { sentinel?: number } | undefined;
      if ((m as NotificationMessage).method === 'exit' && typeof s?.sentinel === 'number') this.arrived?.(s.sentinel);
      else this.events.push(['pass', m]);
    });
  }

  /**
   * Sends the messages in one chunk, then an exit notification (which passes in every state), and
   * resolves when that has passed: with what the gate did with the messages.
   */
  async send(...messages: object[]): Promise<GateEvent[]> {
    const n = ++this.sentinel;
    const through = new Promise<void>((resolve, reject) => {
      this.arrived = (k) => (k === n ? resolve() : reject(new Error(`sentinel ${k}, expected ${n}`)));
    });
    this.stream.write(messages.map(frame).join('') + frame(note('exit', { sentinel: n })));
    await through;
    return this.events.splice(0);
  }

  close(): void {
    this.reader.dispose();
    this.stream.end();
  }
}

/** A gate for one test, closed after it. */
async function withGate(use: (g: Gate) => Promise<void>): Promise<void> {
  const g = new Gate();
  try {
    await use(g);
  } finally {
    g.close();
  }
}

describe('GateReader: the server lifetime', () => {
  it('before initialize: requests answered ServerNotInitialized with their id, notifications dropped but exit, responses passed', () =>
    withGate(async (g) => {
    const response = { jsonrpc: '2.0', id: 9, result: null };
    const nullId = { jsonrpc: '2.0', id: null, method: 'textDocument/hover', params: HOVER };
    assert.deepEqual(
      await g.send(req(1, 'textDocument/hover', HOVER), note('initialized', {}), note('textDocument/didOpen', { textDocument: { uri: 'file:///a.dtab', languageId: 'linkerd-dtab', version: 1, text: '' } }), req('s', 'shutdown'), req(0, 'exit'), note('$/cancelRequest', { id: 1 }), response, nullId, note('exit')),
      [notInitialized(1, 'textDocument/hover'), notInitialized('s', 'shutdown'), notInitialized(0, 'exit'), pass(response), pass(nullId), pass(note('exit'))],
    );
    // An initialize whose params are not an object is refused, and the server is still not initialized.
    assert.deepEqual(await g.send(req(2, 'initialize', [INIT]), req(3, 'textDocument/hover', HOVER)), [badParams(2, 'initialize'), notInitialized(3, 'textDocument/hover')]);
    assert.deepEqual(await g.send(req(4, 'initialize'), req(5, 'initialize', null), req(6, 'initialize', 'x')), [badParams(4, 'initialize'), badParams(5, 'initialize'), badParams(6, 'initialize')]);
    // initialize: then requests and notifications pass.
    assert.deepEqual(await g.send(req(7, 'initialize', INIT), note('initialized', {}), req(8, 'textDocument/hover', HOVER)), [pass(req(7, 'initialize', INIT)), pass(note('initialized', {})), pass(req(8, 'textDocument/hover', HOVER))]);
    }));

  it('running: InvalidParams for params that are not an object (shutdown needs none); after shutdown InvalidRequest, notifications still pass', () =>
    withGate(async (g) => {
    await g.send(req(1, 'initialize', INIT));
    assert.deepEqual(
      await g.send(req(2, 'textDocument/hover', null), req(3, 'textDocument/hover', [HOVER]), req(4, 'textDocument/hover', 'x'), req(5, 'textDocument/hover', 7), req(6, 'textDocument/hover'), req('h', 'textDocument/hover', HOVER), req(7, 'initialize', INIT)),
      [badParams(2, 'textDocument/hover'), badParams(3, 'textDocument/hover'), badParams(4, 'textDocument/hover'), badParams(5, 'textDocument/hover'), badParams(6, 'textDocument/hover'), pass(req('h', 'textDocument/hover', HOVER)), pass(req(7, 'initialize', INIT))],
    );
    assert.deepEqual(await g.send(req(8, 'shutdown', null), note('textDocument/didClose', { textDocument: { uri: 'file:///a.dtab' } })), [pass(req(8, 'shutdown', null)), pass(note('textDocument/didClose', { textDocument: { uri: 'file:///a.dtab' } }))]);
    // Shut down: every request, even with bad params, even initialize or shutdown again.
    assert.deepEqual(await g.send(req(9, 'textDocument/hover', HOVER), req(10, 'textDocument/hover', null), req(11, 'initialize', INIT), req(12, 'shutdown'), note('initialized', {}), note('exit')), [
      shuttingDown(9, 'textDocument/hover'),
      shuttingDown(10, 'textDocument/hover'),
      shuttingDown(11, 'initialize'),
      shuttingDown(12, 'shutdown'),
      pass(note('initialized', {})),
      pass(note('exit')),
    ]);
    }));

  it('a message whose id is undefined (possible only from a reader that is not JSON) is no request: never answered', () => {
    let deliver: (m: Message) => void = () => undefined;
    const inner = { listen: (cb: (m: Message) => void) => ((deliver = cb), { dispose: () => undefined }), dispose: () => undefined } as unknown as MessageReader;
    const events: GateEvent[] = [];
    const gate = new GateReader(inner, recordingWriter(events));
    gate.listen((m) => events.push(['pass', m]));
    const odd = { jsonrpc: '2.0', id: undefined, method: 'textDocument/hover', params: HOVER } as unknown as Message;
    deliver(odd);
    deliver(req(1, 'textDocument/hover', HOVER) as Message);
    assert.deepEqual(events, [['pass', odd], notInitialized(1, 'textDocument/hover')]);
  });

  it('shutdown without params passes', () =>
    withGate(async (g) => {
    await g.send(req(1, 'initialize', INIT));
    assert.deepEqual(await g.send(req(2, 'shutdown'), req(3, 'textDocument/hover', HOVER)), [pass(req(2, 'shutdown')), shuttingDown(3, 'textDocument/hover')]);
    }));
});

describe('GateReader: didChange notifications waiting to be handled', () => {
  const A = 'file:///a.dtab';
  const B = 'file:///b.dtab';

  it('counts each didChange read, and says when the last of a document has been handled (after next)', () =>
    withGate(async (g) => {
    // Dropped before initialize: not waiting.
    assert.deepEqual(await g.send(change(A)), []);
    assert.equal(g.reader.changeQueued(A), false);
    await g.send(req(1, 'initialize', INIT));
    assert.deepEqual(await g.send(change(A), change(B), change(A)), [pass(change(A)), pass(change(B)), pass(change(A))]);
    assert.deepEqual([g.reader.changeQueued(A), g.reader.changeQueued(B), g.reader.changeQueued('file:///c.dtab')], [true, true, false]);
    const order: string[] = [];
    const next = (m: Message) => order.push(`next ${(m as NotificationMessage).method}`);
    g.reader.onChangesHandled = (uri) => order.push(`handled ${uri}`);
    g.reader.handling.handleMessage(change(A) as Message, next);
    assert.deepEqual(order, ['next textDocument/didChange']);
    assert.equal(g.reader.changeQueued(A), true, 'one change of A still waits');
    g.reader.handling.handleMessage(change(A) as Message, next);
    assert.deepEqual(order, ['next textDocument/didChange', 'next textDocument/didChange', `handled ${A}`]);
    assert.equal(g.reader.changeQueued(A), false);
    assert.equal(g.reader.changeQueued(B), true);
    // A handler that throws: the change is counted out all the same, and the error goes on.
    assert.throws(
      () =>
        g.reader.handling.handleMessage(change(B) as Message, () => {
          throw new Error('handler failed');
        }),
      { message: 'handler failed' },
    );
    assert.deepEqual(order.slice(3), [`handled ${B}`]);
    assert.equal(g.reader.changeQueued(B), false);
    }));

  it('only didChange notifications with a string uri count; other messages go to next untouched', () =>
    withGate(async (g) => {
    await g.send(req(1, 'initialize', INIT));
    const open = note('textDocument/didOpen', { textDocument: { uri: A, languageId: 'linkerd-dtab', version: 1, text: '' } });
    const asRequest = req(2, 'textDocument/didChange', { textDocument: { uri: A } });
    const odd = [change(7), note('textDocument/didChange', {}), note('textDocument/didChange'), note('textDocument/didChange', { textDocument: {} })];
    assert.deepEqual(await g.send(open, asRequest, ...odd), [pass(open), pass(asRequest), ...odd.map(pass)]);
    assert.equal(g.reader.changeQueued(A), false);
    assert.equal(g.reader.changeQueued('7'), false);
    const seen: Message[] = [];
    for (const m of [open, asRequest, ...odd]) g.reader.handling.handleMessage(m as Message, (x) => seen.push(x));
    assert.deepEqual(seen, [open, asRequest, ...odd]);
    assert.deepEqual(g.handled, []);
    }));

  it('a change handled that was never counted is said handled; the default listener does nothing', () => {
    const inner = { listen: () => ({ dispose: () => undefined }), dispose: () => undefined } as unknown as MessageReader;
    const gate = new GateReader(inner, recordingWriter([]));
    const seen: Message[] = [];
    gate.handling.handleMessage(change(A) as Message, (m) => seen.push(m));
    assert.deepEqual(seen, [change(A)]);
    const heard: string[] = [];
    gate.onChangesHandled = (uri) => heard.push(uri);
    gate.handling.handleMessage(change(A) as Message, () => undefined);
    assert.deepEqual(heard, [A]);
    assert.equal(gate.changeQueued(A), false);
  });
});

describe('GateReader: the inner reader', () => {
  it('its events are the inner reader\'s; dispose disposes it', () => {
    let disposed = 0;
    const onError = () => ({ dispose: () => undefined });
    const onClose = () => ({ dispose: () => undefined });
    const onPartialMessage = () => ({ dispose: () => undefined });
    const inner = { onError, onClose, onPartialMessage, listen: () => ({ dispose: () => undefined }), dispose: () => void disposed++ } as unknown as MessageReader;
    const gate = new GateReader(inner, recordingWriter([]));
    assert.equal(gate.onError, onError);
    assert.equal(gate.onClose, onClose);
    assert.equal(gate.onPartialMessage, onPartialMessage);
    assert.equal(disposed, 0);
    gate.dispose();
    assert.equal(disposed, 1);
  });

  it('listen returns the inner subscription, and a closed stream is heard through it', async () => {
    const stream = new PassThrough();
    const gate = new GateReader(new StreamMessageReader(stream), recordingWriter([]));
    const closed = new Promise<void>((resolve) => gate.onClose(() => resolve()));
    const sub = gate.listen(() => undefined);
    assert.equal(typeof sub.dispose, 'function');
    stream.end();
    await closed;
    gate.dispose();
  });
});

describe('transport', () => {
  /** The reader's inner reader and writer (private fields, read here to check the wiring). */
  const wiring = (r: GateReader) => r as unknown as { inner: MessageReader; writer: MessageWriter };

  /** transport() with these arguments: the classes of its reader, inner reader and writer, and whether the gate answers on that writer. */
  const made = (args: string[]) => {
    const argv = process.argv;
    process.argv = args;
    try {
      const { reader, writer } = transport();
      writer.dispose();
      return [reader.constructor, wiring(reader).inner.constructor, writer.constructor, wiring(reader).writer === writer];
    } finally {
      process.argv = argv;
    }
  };

  it('stdio by default: a gate over stdin, answering on the writer it returns (stdout)', () => {
    assert.deepEqual(made(process.argv.filter((a) => a !== '--node-ipc')), [GateReader, StreamMessageReader, StreamMessageWriter, true]);
  });

  it('--node-ipc: a gate over the IPC channel', () => {
    assert.deepEqual(made([...process.argv, '--node-ipc']), [GateReader, IPCMessageReader, IPCMessageWriter, true]);
  });
});
