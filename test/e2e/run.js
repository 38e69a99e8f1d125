#!/usr/bin/env node
// The integration tests in a real VS Code (code-server + headless Chromium), in one command:
//   node test/e2e/run.js [--verbose] [--timeout=SECONDS] [--vsix=FILE] ...   (passed to run-tests.js)
// 1. test/e2e/host/setup.sh: installs what is missing (Debian packages, code-server, driver);
// 2. test/e2e/host/run-tests.js with this repository as the extension under development, the suite
//    test/e2e/suite/index.js, the workspace test/e2e/workspace and screenshots in test/.out/screenshots.
// Builds nothing: dist/ must be built (`node build.mjs`). Ends with `N passed, N failed`; the exit
// code is run-tests.js's (0 pass, 1 failures, 2 timeout / no result).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const e2e = path.join(root, 'test', 'e2e');

function fail(message) {
  console.log(`e2e: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

for (const f of ['dist/client.js', 'dist/server.js']) {
  if (!fs.existsSync(path.join(root, f))) fail(`${f} is missing: build first (node build.mjs)`);
}

const setup = spawnSync('bash', [path.join(e2e, 'host', 'setup.sh')], { cwd: root, stdio: 'inherit' });
if (setup.status !== 0) fail(`setup failed (setup.sh exit ${setup.status ?? setup.signal})`);

// The cluster: the Kubernetes API stand-in on 127.0.0.1, reached through a kubeconfig it writes.
function startCluster() {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dtab-e2e-k8s-'));
  const proc = spawn(tsx, [path.join(root, 'test', 'k8s', 'standin.ts'), '--port', '0', '--objects', path.join(e2e, 'cluster.yaml'), '--kubeconfig', dir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.on('exit', (code) => reject(new Error(`the Kubernetes stand-in exited (${code}) before it was up: ${out}`)));
    proc.stdout.on('data', (c) => {
      out += c.toString();
      const url = /^(http\S+)$/m.exec(out);
      const kubeconfig = /^kubeconfig: (.+)$/m.exec(out);
      if (url && kubeconfig) resolve({ proc, url: url[1], kubeconfig: kubeconfig[1].trim() });
    });
  });
}

/** A stand-in started with tsx; resolves once every pattern matched its output (the captures). */
function startStandin(name, script, args, patterns) {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const proc = spawn(tsx, [path.join(root, script), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.on('exit', (code) => reject(new Error(`the ${name} stand-in exited (${code}) before it was up: ${out}`)));
    proc.stdout.on('data', (c) => {
      out += c.toString();
      const found = patterns.map((p) => p.exec(out));
      if (found.every(Boolean)) resolve({ proc, values: found.map((m) => m[1].trim()) });
    });
  });
}

async function runAll() {
const cluster = await startCluster().catch((e) => fail(e.message));
// namerd and linkerd: their stand-ins, reached through the settings the tests write (as a user would).
const namerd = await startStandin('namerd', 'test/namerd/standin.ts', ['--port', '0'], [/^namerd stand-in on (\S+)$/m]).catch((e) => fail(e.message));
const linkerd = await startStandin('linkerd', 'test/linkerd/standin.ts', ['--router', 'http=/svc=>/$/inet/127.1'], [/^admin: (\S+)$/m, /^router http: (\S+)$/m]).catch((e) => fail(e.message));
const zipkin = await startStandin('zipkin', 'test/zipkin/standin.ts', ['--port', '0'], [/^zipkin: (\S+)/m]).catch((e) => fail(e.message));
process.env.DTAB_E2E_ZIPKIN_URL = zipkin.values[0];
process.env.DTAB_E2E_NAMERD_URL = namerd.values[0];
process.env.DTAB_E2E_ADMIN_URL = linkerd.values[0];
process.env.DTAB_E2E_ROUTER_URL = linkerd.values[1];
// The extension host inherits this environment: the kubeconfig, and where tests change objects.
process.env.KUBECONFIG = cluster.kubeconfig;
process.env.DTAB_E2E_K8S_URL = cluster.url;

const args = [
  path.join(e2e, 'host', 'run-tests.js'),
  `--extensionDevelopmentPath=${root}`,
  `--extensionTestsPath=${path.join(e2e, 'suite', 'index.js')}`,
  `--workspace=${path.join(e2e, 'workspace')}`,
  `--screenshot-dir=${path.join(root, 'test', '.out', 'screenshots')}`,
  ...process.argv.slice(2), // later options win
];
const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => child.kill(sig)); // the driver tears down and prints its last line
}
child.on('exit', (code, signal) => {
  for (const p of [cluster.proc, namerd.proc, linkerd.proc, zipkin.proc]) {
    p.removeAllListeners('exit');
    p.kill();
  }
  process.exit(code ?? (signal ? 1 : 2));
});
}

void runAll();
