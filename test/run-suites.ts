// Runs the test suites and ends with one line `N passed, N failed` for all of them.
//   tsx test/run-suites.ts [all | lint typecheck unit conformance ...]
// Each suite reports its own counts; lint and type-check count as one check each.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const root = join(__dirname, '..');

interface Counts {
  passed: number;
  failed: number;
}

/** Runs a command with inherited output; the result is its exit status and everything it printed. */
function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/** A suite whose runner prints `N passed, N failed` as its last such line. */
async function counted(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Counts> {
  const { code, output } = await sh(cmd, args, env);
  const m = [...output.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  if (!m) return { passed: 0, failed: 1 };
  const counts = { passed: Number(m[1]), failed: Number(m[2]) };
  // A runner that crashed after printing counts still fails.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

async function check(cmd: string, args: string[]): Promise<Counts> {
  const { code } = await sh(cmd, args);
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

async function nodeTests(dir: string): Promise<Counts> {
  const files = readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(root, dir, f));
  const counts = { passed: 0, failed: 0 };
  const stream = run({ files, concurrency: 1 });
  stream.on('test:pass', (e: { details: { type?: string } }) => {
    if (e.details.type !== 'suite') counts.passed++;
  });
  stream.on('test:fail', (e: { details: { type?: string } }) => {
    if (e.details.type !== 'suite') counts.failed++;
  });
  const report = stream.compose(new spec());
  const done = new Promise<void>((resolve) => report.on('end', resolve));
  report.on('data', (chunk: Buffer | string) => process.stdout.write(chunk));
  await done;
  if (files.length === 0) counts.failed++;
  return counts;
}

const suites: Record<string, () => Promise<Counts>> = {
  lint: () => check(bin('eslint'), ['.']),
  typecheck: () => check(bin('tsc'), ['-p', '.', '--noEmit']),
  unit: () => nodeTests('test/unit'),
  lsp: () => nodeTests('test/lsp'),
  conformance: () => counted(bin('tsx'), ['test/conformance/run.ts']),
  // The short deterministic fuzz run (seed 1, fixed case counts; dist/server.js for the LSP part).
  fuzz: () => counted(bin('tsx'), ['test/fuzz/run.ts', '--quick']),
  // In a real VS Code (code-server + Chromium), installed on first use by test/e2e/host/setup.sh.
  e2e: () => counted(process.execPath, ['test/e2e/run.js']),
  // The same suite against the packaged .vsix, installed as users install it.
  'e2e-vsix': async () => {
    const pack = await sh(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', 'dist/linkerd-dtab.vsix']);
    if (pack.code !== 0) return { passed: 0, failed: 1 };
    return counted(process.execPath, ['test/e2e/run.js', '--vsix=dist/linkerd-dtab.vsix']);
  },
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const names = asked.length === 0 || asked.includes('all') ? Object.keys(suites) : asked;
  const total = { passed: 0, failed: 0 };
  const lines: string[] = [];
  for (const name of names) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown suite ${name}; known: ${Object.keys(suites).join(', ')}`);
    console.log(`\n=== ${name}`);
    const started = Date.now();
    const c = await suite();
    total.passed += c.passed;
    total.failed += c.failed;
    lines.push(`${name}: ${c.passed} passed, ${c.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  console.log('\n' + lines.join('\n'));
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exitCode = total.failed > 0 ? 1 : 0;
}

void main();
