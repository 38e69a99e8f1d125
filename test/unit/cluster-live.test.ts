// The live cluster, end to end on the wire: remote/k8s.ts and `dtab delegate` against the
// Kubernetes API stand-in (test/k8s), reached through an ordinary kubeconfig file or a namer's
// host/port, as users' real clusters are. Waits are for positive signals, bounded by counts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interpreterFor, lowerDtab, parseDtab, describeBound } from '../../core/index.js';
import { ClusterSource } from '../../remote/k8s.js';
import { Sources } from '../../remote/sources.js';
import { main } from '../../cli/main.js';
import { endpoints, service } from '../k8s/fixtures.js';
import { startK8sStandin, type K8sStandin } from '../k8s/standin.js';
import { path } from '../support/dtab.js';
import { freshDist } from '../support/fresh-dist.js';

const DTAB = '/srv => /#/io.l5d.k8s/default/http ;\n/svc => /srv ;\n';

function objects() {
  return [
    service('default', 'world', [{ name: 'http', port: 80, targetPort: 8080 }], { clusterIP: '10.96.0.20' }),
    endpoints('default', 'world', ['10.0.0.1', '10.0.0.2'], [{ name: 'http', port: 8080 }]),
  ];
}

/** Runs the CLI in-process; output as text. */
async function cli(args: string[], files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    out: (s: string) => void (out += s),
    err: (s: string) => void (err += s),
    readFile: (f: string) => {
      if (f in files) return files[f]!;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
    writeFile: () => undefined,
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** Resolves when `check` holds, re-checking on each change notification (at most `max` of them). */
function until(subscribe: (f: () => void) => void, check: () => boolean, max = 200): Promise<void> {
  return new Promise((resolve, reject) => {
    let n = 0;
    if (check()) return resolve();
    subscribe(() => {
      if (check()) resolve();
      else if (++n > max) reject(new Error('condition never held'));
    });
  });
}

describe('the live cluster (stand-in API)', () => {
  let k8s: K8sStandin;
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'dtab-live-'));
  before(async () => {
    k8s = await startK8sStandin({ objects: objects() });
    kubeconfig = k8s.writeKubeconfig(dir, { context: 'standin' });
  });
  after(() => k8s.stop());

  it('dtab delegate --kubeconfig binds /#/io.l5d.k8s leaves exactly as /delegator.json', async () => {
    const r = await cli(['delegate', '--kubeconfig', kubeconfig, '--dtab', 'd.dtab', '--json', '/svc/world'], { 'd.dtab': DTAB });
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      '{"type":"delegate","path":"/svc/world","delegate":{"type":"delegate","path":"/srv/world","dentry":{"prefix":"/svc","dst":"/srv"},"delegate":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/world","dentry":{"prefix":"/srv","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"10.0.0.1","port":8080,"meta":{}},{"ip":"10.0.0.2","port":8080,"meta":{}}],"meta":{}},"id":"/#/io.l5d.k8s/default/http/world","path":"/"}}}}\n',
    );
    // Only the namespace the dtab reaches is watched.
    assert.ok(k8s.requests.every((q) => q.namespace === undefined || q.namespace === 'default'));
  });

  it('--config: a namer block with host/port is reached there over plain HTTP (as linkerd reaches kubectl proxy)', async () => {
    const port = new URL(k8s.url).port;
    const config = `namers:\n- kind: io.l5d.k8s\n  host: 127.0.0.1\n  port: ${port}\nrouters:\n- protocol: http\n  label: out\n  dtab: |\n    /srv => /#/io.l5d.k8s/default/http ;\n    /svc => /srv ;\n  servers:\n  - port: 4140\n`;
    k8s.clearRequests();
    const r = await cli(['delegate', '--config', 'linkerd.yaml', '--router', 'out', '/svc/world'], { 'linkerd.yaml': config });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /routes to:\n {2}100% → \/#\/io\.l5d\.k8s\/default\/http\/world \(10\.0\.0\.1:8080, 10\.0\.0\.2:8080\)\n/);
    assert.ok(k8s.requests.some((q) => q.path === '/api/v1/namespaces/default/endpoints'), k8s.requests.map((q) => q.path).join(' '));
    const missing = await cli(['delegate', '--config', 'linkerd.yaml', '--router', 'nope', '/svc/world'], { 'linkerd.yaml': config });
    assert.deepEqual([missing.code, missing.err], [4, 'dtab: linkerd.yaml: no router or namespace labelled nope has a dtab (there are: out)\n']);
  });

  it('exit 5 with the API named when it cannot be reached, or refuses', async () => {
    const down = await k8s.fault({ kind: 'down' });
    const r = await cli(['delegate', '--kubeconfig', kubeconfig, '--dtab', 'd.dtab', '/svc/world'], { 'd.dtab': DTAB });
    await down.clear();
    assert.equal(r.code, 5);
    assert.ok(r.err.includes(`cannot reach the Kubernetes API at ${k8s.url}: connection refused`), r.err);
    const denied = await k8s.fault({ kind: 'status', code: 403 });
    const f = await cli(['delegate', '--kubeconfig', kubeconfig, '--dtab', 'd.dtab', '/svc/world'], { 'd.dtab': DTAB });
    await denied.clear();
    assert.equal(f.code, 5);
    assert.match(f.err, /forbidden: endpoints is forbidden: User "[^"]+" cannot list resource "endpoints" in API group "" in the namespace "default"/);
  });

  it('the cache follows changes, turns stale when the watch is cut, and is live again after', async () => {
    let listener = () => undefined as void;
    const src = new ClusterSource({ kubeconfig, onChange: () => listener(), backoff: { initialMs: 20, maxMs: 200 } });
    try {
      const first = await src.endpoints('default', 'world');
      await src.service('default', 'world');
      assert.deepEqual(first?.subsets?.[0]?.addresses?.map((a) => a.ip), ['10.0.0.1', '10.0.0.2']);
      assert.equal(src.status('default').state, 'live');
      const changes = (f: () => void) => (listener = f);
      k8s.setEndpoints('default', 'world', '10.0.0.9:8080');
      await until(changes, () => (src.endpoints('default', 'world') as { subsets?: { addresses?: { ip: string }[] }[] } | undefined)?.subsets?.[0]?.addresses?.[0]?.ip === '10.0.0.9');
      // Cut the watches while the API is down: the cache is stale (never shown as live).
      const down = await k8s.fault({ kind: 'down' });
      try {
        await until(changes, () => src.status('default').state === 'stale');
        const stale = src.status('default');
        assert.ok(stale.since !== undefined, JSON.stringify(stale));
        assert.match(stale.message ?? '', new RegExp(`^(the Kubernetes API at ${k8s.url} dropped the connection \\(ECONNRESET\\)|cannot reach the Kubernetes API at ${k8s.url}: connection refused)$`));
      } finally {
        await down.clear();
      }
      await until(changes, () => src.status('default').state === 'live');
      // A 410 Gone on the next watch: the informer lists again and goes on.
      const gone = await k8s.fault({ kind: 'gone' });
      await k8s.fault({ kind: 'cut-watches', mode: 'end' });
      k8s.setEndpoints('default', 'world', '10.0.0.7:8080');
      await until(changes, () => (src.endpoints('default', 'world') as { subsets?: { addresses?: { ip: string }[] }[] } | undefined)?.subsets?.[0]?.addresses?.[0]?.ip === '10.0.0.7');
      await gone.clear();
    } finally {
      src.close();
    }
  });

  it('a deleted and re-created service: negative, then bound again', async () => {
    let listener = () => undefined as void;
    const sources = new Sources({ live: true, kubeconfig, onChange: () => listener() });
    const changes = (f: () => void) => (listener = f);
    try {
      const interp = interpreterFor({ registry: sources.registry() });
      const d = lowerDtab(parseDtab(DTAB));
      const routes = async () => describeBound(await interp.bind(d, path('/svc/world')))[0];
      k8s.setEndpoints('default', 'world', '10.0.0.1:8080', '10.0.0.2:8080');
      assert.equal(await routes(), '100% → /#/io.l5d.k8s/default/http/world (10.0.0.1:8080, 10.0.0.2:8080)');
      // Each step waits for the cache's change notifications (a positive signal), never for time.
      const settled = (want: string) =>
        new Promise<void>((resolve, reject) => {
          let n = 0;
          const check = async () => {
            if ((await routes()) === want) return resolve();
            if (++n > 200) reject(new Error(`never saw ${want}`));
          };
          changes(() => void check());
          void check();
        });
      k8s.delete('endpoints', 'default', 'world');
      await settled('100% → ~ (negative: no route, requests fail)');
      k8s.apply(endpoints('default', 'world', ['10.0.0.3'], [{ name: 'http', port: 8080 }]));
      await settled('100% → /#/io.l5d.k8s/default/http/world (10.0.0.3:8080)');
    } finally {
      sources.close();
    }
  });

  it('watches only the namespaces asked for, or every one with watchAll', async () => {
    k8s.clearRequests();
    const some = new ClusterSource({ kubeconfig });
    try {
      await some.probe();
      assert.deepEqual(some.namespaces(), ['default']);
      assert.equal(k8s.requests.filter((q) => q.resource === 'endpoints').length, 0, 'no namespace watched until a dtab reaches it');
    } finally {
      some.close();
    }
    let listener = () => undefined as void;
    const all = new ClusterSource({ kubeconfig, watchAll: true, onChange: () => listener() });
    try {
      await all.probe();
      await until((f) => (listener = f), () => all.status('default').state === 'live');
      assert.deepEqual(all.services('default'), ['world']);
    } finally {
      all.close();
    }
  });

  it('dtab delegate --watch prints a document each time the result changes', async () => {
    k8s.setEndpoints('default', 'world', '10.0.0.1:8080');
    const file = join(dir, 'w.dtab');
    writeFileSync(file, DTAB);
    const child = spawn(process.execPath, [freshDist('cli.js'), 'delegate', '--kubeconfig', kubeconfig, '--dtab', file, '--json', '--watch', '/svc/world'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    const next = () =>
      new Promise<string>((resolve, reject) => {
        const take = () => {
          const nl = buf.indexOf('\n');
          if (nl < 0) return false;
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          lines.push(line);
          resolve(line);
          return true;
        };
        if (take()) return;
        const on = (c: Buffer) => {
          buf += c.toString();
          if (take()) child.stdout.off('data', on);
        };
        child.stdout.on('data', on);
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
    try {
      assert.match(await next(), /"addrs":\[\{"ip":"10\.0\.0\.1","port":8080,"meta":\{\}\}\]/);
      k8s.setEndpoints('default', 'world', '10.0.0.5:8080');
      assert.match(await next(), /"addrs":\[\{"ip":"10\.0\.0\.5","port":8080,"meta":\{\}\}\]/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    assert.equal(lines.length, 2);
  });
});

describe('interpreter transformers (stand-in API)', () => {
  it('io.l5d.k8s.daemonset: the delegator shows the transformation to the node-local linkerd', async () => {
    const k8s = await startK8sStandin({
      objects: [
        ...objects(),
        service('default', 'l5d', [{ name: 'incoming', port: 4141 }], { clusterIP: '10.96.0.30' }),
        endpoints('default', 'l5d', ['10.0.0.50', '10.9.9.9'], [{ name: 'incoming', port: 4141 }]),
      ],
    });
    try {
      const port = new URL(k8s.url).port;
      const config = [
        'namers:',
        '- kind: io.l5d.k8s',
        '  host: 127.0.0.1',
        `  port: ${port}`,
        'routers:',
        '- protocol: http',
        '  label: outgoing',
        '  dtab: /srv => /#/io.l5d.k8s/default/http ; /svc => /srv ;',
        '  interpreter:',
        '    kind: default',
        '    transformers:',
        '    - kind: io.l5d.k8s.daemonset',
        '      namespace: default',
        '      port: incoming',
        '      service: l5d',
        '      k8sHost: 127.0.0.1',
        `      k8sPort: ${port}`,
        '  servers:',
        '  - port: 4140',
        '',
      ].join('\n');
      const r = await cli(['delegate', '--config', 'linkerd.yaml', '--json', '/svc/world'], { 'linkerd.yaml': config });
      assert.equal(r.code, 0, r.err);
      assert.equal(
        r.out,
        '{"type":"delegate","path":"/svc/world","delegate":{"type":"delegate","path":"/srv/world","dentry":{"prefix":"/svc","dst":"/srv"},"delegate":{"type":"transformation","path":"/#/io.l5d.k8s/default/http/world","name":"DaemonSetTransformer",' +
          '"bound":{"addr":{"type":"bound","addrs":[{"ip":"10.0.0.50","port":4141,"meta":{}}],"meta":{}},"id":"/%/io.l5d.k8s.daemonset/default/incoming/l5d/#/io.l5d.k8s/default/http/world","path":"/"},' +
          '"tree":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/world","dentry":{"prefix":"/srv","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"10.0.0.1","port":8080,"meta":{}},{"ip":"10.0.0.2","port":8080,"meta":{}}],"meta":{}},"id":"/#/io.l5d.k8s/default/http/world","path":"/"}}}}}\n',
      );
      const text = await cli(['delegate', '--config', 'linkerd.yaml', '/svc/world'], { 'linkerd.yaml': config });
      assert.match(text.out, /routes to:\n {2}100% → \/%\/io\.l5d\.k8s\.daemonset\/default\/incoming\/l5d\/#\/io\.l5d\.k8s\/default\/http\/world \(10\.0\.0\.50:4141\)\n/);
    } finally {
      await k8s.stop();
    }
  });
});

describe('the CLI process against a live cluster', () => {
  it('dtab delegate prints, closes its watches and exits by itself', async () => {
    const k8s = await startK8sStandin({ objects: objects() });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'dtab-exit-'));
      const kubeconfig = k8s.writeKubeconfig(dir);
      const file = join(dir, 'x.dtab');
      writeFileSync(file, DTAB);
      const child = spawn(process.execPath, [freshDist('cli.js'), 'delegate', '--kubeconfig', kubeconfig, '--dtab', file, '/svc/world'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      // The exit itself is the signal; a process that hangs is killed by the test runner's timeout.
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0);
      assert.match(out, /routes to:\n {2}100% → \/#\/io\.l5d\.k8s\/default\/http\/world \(10\.0\.0\.1:8080, 10\.0\.0\.2:8080\)\n\ncluster: context \S+ \(http:\/\/127\.0\.0\.1:\d+\): (read just now|live \(watching the namespaces the dtabs reach\))\n$/);
    } finally {
      await k8s.stop();
    }
  });
});
