// `npm start`: VS Code with the extension loaded on the examples/ workspace.
// Uses the desktop `code` when it is on the PATH; otherwise code-server on 127.0.0.1 (installed by
// the same setup as the integration tests), printing the URL to open. Ctrl+C stops it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const examples = join(root, 'examples');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['build.mjs']);

const hasCode = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0;
if (hasCode && !process.env.DTAB_START_CODE_SERVER) {
  console.log('Opening examples/ in VS Code with the extension loaded (development mode).');
  run('code', [`--extensionDevelopmentPath=${root}`, '--new-window', examples]);
  process.exit(0);
}

run('bash', [join(root, 'test', 'e2e', 'host', 'setup.sh')]);
const port = Number(process.env.PORT) || (await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
}));
const data = join(tmpdir(), `linkerd-dtab-start-${process.pid}`);
mkdirSync(join(data, 'user', 'User'), { recursive: true });
mkdirSync(join(data, 'extensions'), { recursive: true });
writeFileSync(
  join(data, 'user', 'User', 'settings.json'),
  JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'security.workspace.trust.enabled': false }, null, 2),
);
const entry = join(root, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const server = spawn(
  process.execPath,
  [entry, '--config', '/dev/null', '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', join(data, 'user'), '--extensions-dir', join(data, 'extensions')],
  { stdio: 'inherit', env: { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}', VSCODE_CLI: '1' } },
);
const authority = `127.0.0.1:${port}`;
// code-server loads a development extension only through the workbench URL's payload.
const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${root}`], ['skipWelcome', 'true']];
const url = `http://${authority}/?folder=${encodeURIComponent(examples)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
setTimeout(() => console.log(`\nVS Code (code-server) with the dtab extension on examples/:\n\n  ${url}\n\nCtrl+C to stop.`), 1500);
const stop = () => {
  server.kill('SIGTERM');
  try {
    execFileSync('rm', ['-rf', data]);
  } catch {
    // best effort
  }
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
