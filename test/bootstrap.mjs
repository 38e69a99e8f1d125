// `npm test`: installs what the tests need on a fresh machine, builds, and runs every suite.
// Ends with the orchestrator's line `N passed, N failed`. Plain JavaScript: it runs before tsx exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(what, cmd, args) {
  console.log(`> ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`${what} failed (exit ${r.status})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Dependencies: install when missing or older than the lock file.
const stamp = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  step('npm ci', npm, ['ci', '--no-audit', '--no-fund']);
}
step('build', process.execPath, ['build.mjs']);
const suites = process.argv.slice(2);
const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['test/run-suites.ts', ...suites], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
