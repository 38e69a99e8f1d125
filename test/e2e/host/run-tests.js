#!/usr/bin/env node
// Runs a VS Code extension's integration tests (an index.js exporting `run(): Promise<void>`, the
// @vscode/test-electron contract) in a REAL VS Code extension host: code-server 4.100.3 (VS Code
// 1.100.3 server, remote Node extension host) with its web workbench in headless Debian Chromium,
// driven by playwright-core. Recipe: shared/spec/vscode-real-host.md §3. Install first with
// test/e2e/host/setup.sh.
//
//   node run-tests.js --extensionDevelopmentPath=/abs/ext --extensionTestsPath=/abs/suite/index.js
//        [--workspace=/abs/folder] [--timeout=180] [--vsix=ext.vsix] [--screenshot-dir=DIR] [--verbose]
//
// Prints the extension host's output (mocha's spec reporter), then `N passed, N failed`.
// Exit 0 = all passed, 1 = failures, 2 = timeout / no result (then the last line is
// `0 passed, 1 failed`, so a runner that reads only that line still sees a failure).
//
// --vsix: the vsix is installed into the fresh extensions dir (code-server --install-extension) and
//   the extension under test is that installed copy. VS Code only runs extensionTestsPath when an
//   extensionDevelopmentPath is set too, so an empty placeholder extension is passed as the
//   development path (the installed extension is not under development: ExtensionMode.Production).
// Screenshots: a test prints `__SCREENSHOT__ {"id","name","waitFor"?,"settleMs"?,"timeoutMs"?}` on its
//   console (forwarded to the driver through the workbench); the driver takes page.screenshot() into
//   --screenshot-dir/<name>.png and writes $E2E_SCREENSHOT_ACK_DIR/<id>.json ({ok, path|error|skipped}),
//   which the test polls (test/e2e/suite/helpers.js: screenshot()).
// Network: code-server binds 127.0.0.1; Chromium resolves no host name but 127.0.0.1 and every
// browser request to another host is aborted.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = process.env.DTAB_E2E_CACHE || path.join(ROOT, '.vscode-test');
const CODE_SERVER_ENTRY = path.join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const PLAYWRIGHT = path.join(CACHE, 'driver', 'node_modules', 'playwright-core');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const RESULT_MARKER = '__MOCHA_RESULT__';
const SCREENSHOT_MARKER = '__SCREENSHOT__';

// ---- arguments -----------------------------------------------------------------------------------
function parseArgs(argv) {
  const known = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'workspace', 'timeout', 'vsix', 'screenshot-dir', 'verbose', 'help']);
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!m || !known.has(m[1])) usage(`unknown argument: ${argv[i]}`);
    if (m[1] === 'verbose' || m[1] === 'help') opts[m[1]] = true;
    else if (m[2] !== undefined) opts[m[1]] = m[2];
    else if (i + 1 < argv.length) opts[m[1]] = argv[++i];
    else usage(`missing value for --${m[1]}`);
  }
  if (opts.help) usage();
  if (!opts.extensionTestsPath) usage('--extensionTestsPath is required');
  if (!opts.extensionDevelopmentPath && !opts.vsix) usage('--extensionDevelopmentPath (or --vsix) is required');
  const timeout = opts.timeout === undefined ? 180 : Number(opts.timeout);
  if (!(timeout > 0)) usage(`bad --timeout: ${opts.timeout}`);
  const abs = (p) => (p === undefined ? undefined : path.resolve(p));
  return {
    extensionDevelopmentPath: abs(opts.extensionDevelopmentPath),
    extensionTestsPath: abs(opts.extensionTestsPath),
    workspace: abs(opts.workspace),
    vsix: abs(opts.vsix),
    screenshotDir: abs(opts['screenshot-dir']),
    timeoutMs: timeout * 1000,
    verbose: !!opts.verbose,
  };
}

function usage(error) {
  const text = 'usage: node run-tests.js --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--workspace=DIR]\n' +
    '                         [--timeout=SECONDS(180)] [--vsix=FILE] [--screenshot-dir=DIR] [--verbose]';
  if (error) {
    console.error(`run-tests: ${error}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---- small helpers -------------------------------------------------------------------------------
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
let verbose = false;
const info = (...a) => console.log(`[e2e ${secs()}s] ${util.format(...a)}`);
const debug = (...a) => verbose && info(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const userError = (message) => Object.assign(new Error(message), { userError: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function healthz(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** vscode-remote URI of an absolute path on the server (each segment percent-encoded). */
function remoteUri(authority, p) {
  return `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
}

function isLoopback(url) {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
    return u.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

// The workbench forwards its own log lines through the same channel as the extension host's output;
// without --verbose these well-known ones are dropped.
const WORKBENCH_NOISE = [
  /^Resolv(ing|ed) connection token \(/,
  /^Creating a socket \(renderer-/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache$/,
  /^\[Service Worker\] registered$/,
  /^ChatSessionStore: /,
];

/** Processes in process group `pgid` (from /proc): [{pid, state}], zombies included. */
function groupMembers(pgid) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
    if (Number(f[2]) === pgid) out.push({ pid: Number(name), state: f[0], ppid: Number(f[1]) });
  }
  return out;
}

/** Children of this process called `comm` (e.g. the Chromium that playwright just started). */
function childrenNamed(comm) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const c = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (c === comm && Number(f[1]) === process.pid) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * SIGKILLs what is alive in group `pgid`, then waits (up to `ms`) until no member is alive. Members
 * whose parent died become zombies of PID 1 until it reaps them: that is waited for too, but at most
 * `zombieMs` (they hold no resources).
 */
async function reapGroup(pgid, ms, zombieMs = 3000) {
  const started = Date.now();
  const deadline = started + ms;
  for (;;) {
    const members = groupMembers(pgid);
    const alive = members.filter((p) => p.state !== 'Z');
    if (alive.length === 0) {
      if (members.length === 0) {
        debug(`process group ${pgid} gone after ${Date.now() - started} ms`);
        return true;
      }
      if (Date.now() - started > zombieMs) {
        debug(`process group ${pgid}: ${members.length} zombie(s) left for PID 1 to reap`);
        return true;
      }
      await sleep(100);
      continue;
    }
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
    if (Date.now() > deadline) {
      info(`processes of group ${pgid} still alive: ${alive.map((p) => p.pid).join(' ')}`);
      return false;
    }
    await sleep(100);
  }
}

// ---- state shared with teardown ------------------------------------------------------------------
const state = { server: null, serverExited: false, launching: null, browser: null, browserPids: [], tmp: null, tornDown: false };
const serverLog = [];

function killServerGroup(signal) {
  const s = state.server;
  if (!s || state.serverExited) return;
  try {
    process.kill(-s.pid, signal); // detached: the server, its extension host and the language server
  } catch {
    /* already gone */
  }
}

async function teardown() {
  if (state.tornDown) return;
  state.tornDown = true;
  const browserDone = (async () => {
    // a Chromium being launched is waited for, then closed like any other
    if (state.launching) await Promise.race([state.launching.catch(() => {}), sleep(30000)]);
    if (state.browser) {
      const b = state.browser;
      state.browser = null;
      await Promise.race([b.close().catch(() => {}), sleep(10000)]);
    }
    // playwright starts Chromium in its own process group; its helpers (zygotes, renderers) can
    // outlive the browser process for a moment: none may survive the run.
    for (const pid of state.browserPids) await reapGroup(pid, 5000);
  })();
  const serverDone = (async () => {
    if (state.server && !state.serverExited) {
      killServerGroup('SIGTERM');
      for (let i = 0; i < 50 && !state.serverExited; i++) await sleep(100);
    }
    // Whatever is left of the group (a child that ignored SIGTERM, or the server already gone while
    // the extension host or the language server lives on) goes with SIGKILL.
    if (state.server) await reapGroup(state.server.pid, 5000);
  })();
  await Promise.all([browserDone, serverDone]);
  if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true, maxRetries: 3 });
}

let finishing = false;
async function finish(code, passed, failed) {
  if (finishing) return;
  finishing = true;
  await teardown().catch((e) => info(`teardown error: ${e && e.stack}`));
  debug(`done`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    info(`${sig}: stopping`);
    void finish(sig === 'SIGINT' ? 130 : 143, 0, 1);
  });
}
// Last resort: the server group must not outlive the driver, even on a crash.
process.on('exit', () => {
  if (state.server && !state.serverExited) killServerGroup('SIGKILL');
});

// ---- main ----------------------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  verbose = opts.verbose;
  for (const [what, p] of [['code-server', CODE_SERVER_ENTRY], ['playwright-core', PLAYWRIGHT], ['chromium', CHROMIUM]]) {
    if (!fs.existsSync(p)) throw userError(`${what} not found at ${p}: run test/e2e/host/setup.sh first`);
  }
  for (const [what, p] of [['extensionTestsPath', opts.extensionTestsPath], ['extensionDevelopmentPath', opts.extensionDevelopmentPath],
    ['workspace', opts.workspace], ['vsix', opts.vsix]]) {
    if (p !== undefined && !fs.existsSync(p) && !(what === 'extensionTestsPath' && fs.existsSync(p + '.js'))) {
      throw userError(`--${what} does not exist: ${p}`);
    }
  }
  const { chromium } = require(PLAYWRIGHT);

  // 1. fresh profile
  state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtab-e2e-'));
  const userDataDir = path.join(state.tmp, 'user-data');
  const extensionsDir = path.join(state.tmp, 'extensions');
  const ackDir = path.join(state.tmp, 'screenshot-acks');
  const resultFile = path.join(state.tmp, 'result.json');
  for (const d of [path.join(userDataDir, 'User'), extensionsDir, ackDir]) fs.mkdirSync(d, { recursive: true });
  if (opts.screenshotDir) fs.mkdirSync(opts.screenshotDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'chat.commandCenter.enabled': false,
    'window.restoreWindows': 'none',
  }, null, 2));

  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: '{"serviceUrl":""}', // no Open VSX marketplace
    VSCODE_CLI: '1', // no login-shell env probe: the extension host gets exactly this env
    EXT_TEST_RESULT_FILE: resultFile,
    E2E_SCREENSHOT_ACK_DIR: ackDir,
    E2E_SCREENSHOT_DIR: opts.screenshotDir || '',
    // what the tests should find: the development folder's extension, or the vsix installed here
    E2E_EXTENSION_SOURCE: opts.vsix ? 'vsix' : 'development',
    E2E_EXTENSION_DEVELOPMENT_PATH: opts.vsix ? '' : opts.extensionDevelopmentPath,
    E2E_EXTENSIONS_DIR: extensionsDir,
  };
  const commonArgs = ['--config', '/dev/null', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  // --vsix: install it; a placeholder development extension makes VS Code run the tests.
  let devPath = opts.extensionDevelopmentPath;
  if (opts.vsix) {
    info(`installing ${opts.vsix}`);
    const r = spawnSync(process.execPath, [CODE_SERVER_ENTRY, ...commonArgs, '--install-extension', opts.vsix],
      { env, encoding: 'utf8', timeout: 120000 });
    if (r.status !== 0) throw new Error(`--install-extension failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    debug(r.stdout.trim());
    if (opts.extensionDevelopmentPath) info('--vsix given: testing the installed extension, not --extensionDevelopmentPath');
    devPath = path.join(state.tmp, 'placeholder-extension');
    fs.mkdirSync(devPath);
    fs.writeFileSync(path.join(devPath, 'package.json'), JSON.stringify({
      name: 'e2e-test-placeholder', publisher: 'e2e', version: '0.0.0', engines: { vscode: '*' },
      description: 'Lets VS Code run extensionTestsPath against an installed extension',
    }));
  }

  // 2. code-server on 127.0.0.1:<free port> (a few tries in case the port is taken meanwhile)
  let port;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    if (state.tornDown) return;
    const args = [CODE_SERVER_ENTRY, ...commonArgs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
    if (opts.verbose) args.push('--log', 'debug');
    debug(`starting code-server: node ${args.join(' ')}`);
    const server = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    state.server = server;
    state.serverExited = false;
    server.on('exit', (code, signal) => {
      if (state.server === server) state.serverExited = true;
      debug(`code-server exited (${signal || code})`);
    });
    for (const stream of [server.stdout, server.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop();
        for (const line of lines) {
          serverLog.push(line);
          if (serverLog.length > 400) serverLog.shift();
          if (opts.verbose) console.log(`[server] ${line}`);
        }
      });
    }
    const started = Date.now();
    let up = false;
    while (!up && !state.serverExited && Date.now() - started < 60000) {
      up = await healthz(port);
      if (!up) await sleep(100);
    }
    if (up) break;
    if (!state.serverExited) killServerGroup('SIGKILL');
    const inUse = serverLog.some((l) => l.includes('EADDRINUSE'));
    if (attempt >= 3 || !inUse) throw new Error(`code-server did not come up:\n${serverLog.slice(-30).join('\n')}`);
    info(`port ${port} taken, retrying`);
  }
  info(`code-server up on 127.0.0.1:${port}`);
  const authority = `127.0.0.1:${port}`;

  // 3. Chromium, headless, loopback only
  if (state.tornDown) return; // stopped by a signal meanwhile
  state.launching = chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // signals are handled here (teardown of everything, then the result line), not by playwright
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  }).then((b) => {
    state.browser = b;
    state.browserPids = childrenNamed('chromium');
    return b;
  });
  const browser = await state.launching;
  debug(`chromium pid ${state.browserPids.join(' ')}`);
  if (state.tornDown) return; // a signal arrived while Chromium was starting
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(() => true, (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    debug(`blocked request: ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  if (opts.verbose) {
    page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  }

  // 4. results
  let result = null;
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  page.on('pageerror', (e) => debug(`page error: ${e && e.message}`));
  page.on('crash', () => resolveExit({ crash: 'the workbench page crashed' }));

  let shots = Promise.resolve();
  function screenshotRequest(json) {
    let req;
    try {
      req = JSON.parse(json);
    } catch {
      info(`bad screenshot request: ${json}`);
      return;
    }
    const id = String(req.id || '').replace(/[^\w.-]/g, '_');
    if (!id) return;
    shots = shots.then(async () => {
      let ack;
      if (!opts.screenshotDir) {
        ack = { ok: false, skipped: true };
      } else {
        const name = String(req.name || 'screenshot').replace(/[^\w.-]/g, '_');
        const file = path.join(opts.screenshotDir, `${name}.png`);
        try {
          if (req.waitFor) await page.waitForSelector(req.waitFor, { state: 'visible', timeout: req.timeoutMs || 30000 });
          if (req.settleMs) await sleep(Math.min(req.settleMs, 10000));
          await page.screenshot({ path: file });
          ack = { ok: true, path: file };
          info(`screenshot ${file}`);
        } catch (e) {
          ack = { ok: false, error: String(e && e.message) };
          info(`screenshot ${name} failed: ${ack.error}`);
        }
      }
      const target = path.join(ackDir, `${id}.json`);
      fs.writeFileSync(target + '.tmp', JSON.stringify(ack));
      fs.renameSync(target + '.tmp', target);
    }).catch((e) => info(`screenshot ack failed: ${e && e.message}`));
  }

  await page.exposeFunction('codeAutomationLog', (type, args) => {
    let text;
    try {
      text = Array.isArray(args) ? util.format(...args) : util.format(args);
    } catch {
      text = String(args);
    }
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (t.startsWith(RESULT_MARKER)) {
        try {
          result = JSON.parse(t.slice(RESULT_MARKER.length));
        } catch {
          info(`unparsable result marker: ${t}`);
        }
        if (!opts.verbose) continue;
      }
      if (t.startsWith(SCREENSHOT_MARKER)) {
        screenshotRequest(t.slice(SCREENSHOT_MARKER.length));
        if (!opts.verbose) continue;
      }
      if (!opts.verbose && WORKBENCH_NOISE.some((re) => re.test(t))) continue;
      console.log(opts.verbose ? `[${type}] ${line}` : line);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    debug(`codeAutomationExit(${code})`);
    resolveExit({ code });
  });

  // 5. the workbench, with the test payload
  const payload = [
    ['extensionDevelopmentPath', remoteUri(authority, devPath)],
    ['extensionTestsPath', remoteUri(authority, opts.extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  let url = `http://${authority}/?`;
  if (opts.workspace) url += `folder=${encodeURIComponent(opts.workspace)}&`;
  url += `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  debug(`opening ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  info('workbench loaded, running tests');

  // 6. wait for the end: the workbench's exit call, the timeout, or the server dying
  let timer;
  let poll;
  const outcome = await Promise.race([
    exited,
    new Promise((r) => (timer = setTimeout(() => r({ timeout: true }), opts.timeoutMs))),
    new Promise((r) => (poll = setInterval(() => state.serverExited && r({ crash: 'code-server exited' }), 500))),
  ]);
  clearTimeout(timer);
  clearInterval(poll);
  if (finishing) return; // stopped by a signal: teardown is under way
  await shots; // a pending screenshot finishes before the page closes

  if (!result && fs.existsSync(resultFile)) {
    try {
      result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
      debug('result read from EXT_TEST_RESULT_FILE');
    } catch (e) {
      info(`unreadable ${resultFile}: ${e.message}`);
    }
  }
  const valid = result && Number.isInteger(result.passed) && Number.isInteger(result.failed);
  if (outcome.timeout) info(`timeout after ${opts.timeoutMs / 1000} s`);
  if (outcome.crash) info(outcome.crash);
  if (!valid || outcome.timeout || outcome.crash) {
    info(`no test result${valid ? ' (run did not end cleanly)' : ''}; last server log lines:\n${serverLog.slice(-30).join('\n')}`);
    return finish(2, valid ? result.passed : 0, valid ? Math.max(result.failed, 1) : 1);
  }
  let { passed, failed } = result;
  if (outcome.code !== 0 && failed === 0) {
    info(`extension host exit code ${outcome.code} although no test failed`);
    failed = 1;
  }
  info(`extension host exited (${outcome.code})`);
  return finish(failed > 0 ? 1 : 0, passed, failed);
}

main().catch((e) => {
  if (finishing) return; // e.g. page.goto failing because a signal closed the browser
  info(`error: ${e && e.userError ? e.message : e && e.stack ? e.stack : e}`);
  void finish(2, 0, 1);
});
