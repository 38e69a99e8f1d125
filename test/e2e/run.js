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
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 2)));
