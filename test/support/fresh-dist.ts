// The LSP and CLI-bin tests run the bundles in dist/, not the sources: started on their own
// (`npx tsx test/run-suites.ts lsp`, `node --test …`) rather than through `npm test`, which builds
// first, they would test whatever an earlier build left there. This builds dist/ first when a
// source it bundles is newer than the bundle (or the bundle is missing), once per process, and
// fails loudly if the build fails. DTAB_TEST_NO_BUILD=1 makes a stale bundle an error instead.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
/** What the bundles are built from. */
const SOURCES = ['core', 'server', 'cli', 'remote', 'protocol', 'client', 'build.mjs', 'package.json'];

function newestSource(path: string): { file: string; mtimeMs: number } {
  const st = statSync(path);
  if (!st.isDirectory()) return { file: path, mtimeMs: st.mtimeMs };
  let newest = { file: path, mtimeMs: 0 };
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const n = newestSource(join(path, name));
    if (n.mtimeMs > newest.mtimeMs) newest = n;
  }
  return newest;
}

/** Why `bundle` (a dist/ file name) is stale, or undefined when it is up to date. */
export function staleness(bundle: string): string | undefined {
  const out = join(root, 'dist', bundle);
  if (!existsSync(out)) return `dist/${bundle} is missing`;
  const built = statSync(out).mtimeMs;
  let newest = { file: '', mtimeMs: 0 };
  for (const s of SOURCES) {
    const p = join(root, s);
    if (!existsSync(p)) continue;
    const n = newestSource(p);
    if (n.mtimeMs > newest.mtimeMs) newest = n;
  }
  return newest.mtimeMs > built ? `${newest.file.slice(root.length + 1)} is newer than dist/${bundle}` : undefined;
}

let built = false;

/** The path of dist/<bundle>, built first if it is older than its sources. */
export function freshDist(bundle: string): string {
  const out = join(root, 'dist', bundle);
  const why = built ? undefined : staleness(bundle);
  if (why === undefined) return out;
  if (process.env.DTAB_TEST_NO_BUILD === '1') throw new Error(`${why}: run \`npm run build\` (or npm test, which builds first)`);
  process.stderr.write(`# ${why}: building (node build.mjs)\n`);
  const r = spawnSync(process.execPath, ['build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${why}, and \`node build.mjs\` failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  built = true;
  return out;
}
