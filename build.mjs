// Builds the bundles with esbuild: the VS Code client (vscode external, kept small), the language
// server and the CLI (both self-contained Node programs). @kubernetes/client-node is a bundle of
// its own (dist/client-node.js), which the server and the CLI load the first time they use a cluster
// (remote/client-node.ts): reading and compiling it at start-up delayed every editor's first diagnostics.
// Source maps only with --sourcemap or --watch (development): the .vsix does not ship maps (4 MB,
// unused by VS Code and Node unless debugging), so the bundles it ships name none.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const sourcemap = watch || process.argv.includes('--sourcemap');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap, logLevel: 'warning' };
/** `@kubernetes/client-node` from the server and the CLI: their neighbour dist/client-node.js. */
const clientNodeApart = {
  name: 'client-node-apart',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './client-node.js', external: true }));
  },
};
// Maps of an earlier development build would not match the new bundles.
if (!sourcemap && existsSync('dist')) for (const f of readdirSync('dist').filter((n) => n.endsWith('.js.map'))) rmSync(`dist/${f}`);

await Promise.all([
  build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'], minify: !watch }),
  // The language client library, loaded by the client after activation (see client/language-client.ts).
  build({ ...common, entryPoints: ['client/language-client.ts'], outfile: 'dist/language-client.js', external: ['vscode'], minify: !watch }),
  build({ ...common, entryPoints: ['server/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' }, plugins: [clientNodeApart] }),
  build({ ...common, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [clientNodeApart] }),
  build({ ...common, entryPoints: ['remote/client-node-bundle.ts'], outfile: 'dist/client-node.js' }),
]);
if (process.argv.includes('--bench')) {
  // Benchmarks measure the code as it ships: bundled, not through a TypeScript loader.
  await build({ ...common, entryPoints: ['bench/run.ts'], outfile: 'dist/bench.js' });
}
chmodSync('dist/server.js', 0o755);
chmodSync('dist/cli.js', 0o755);
console.log('built dist/client.js, dist/language-client.js, dist/server.js, dist/cli.js, dist/client-node.js');
