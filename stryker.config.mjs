import { readdirSync } from 'node:fs';

// Mutation testing (StrykerJS): `npm run mutation`; see "Mutation testing" in the README.
// Each test file is one Stryker "test": the tap runner runs it as `node --import tsx <file>` and
// records which mutants it reaches, so a mutant only runs the files that reach it, in the order
// listed below (the fast exact-value files first: the first failing file ends a mutant's run).
//
// A full run over every scope is long on a 2-core machine, so it is split by scope:
//   MUTATION_SCOPE=syntax npm run mutation        (scopes: see SCOPES below; comma-separated)
// Each scope set keeps its own incremental file, so a re-run after a small change only runs the
// mutants whose code or covering tests changed.

/**
 * The .ts files of a folder but `except`, listed (a `!` pattern would also drop them from the other
 * scopes of a combined run).
 */
const filesIn = (dir, except) => readdirSync(dir).filter((f) => f.endsWith('.ts') && !except.includes(f)).map((f) => `${dir}/${f}`);

/** What each scope mutates, and the test files that can kill its mutants (fastest first). */
const SCOPES = {
  syntax: {
    mutate: ['core/syntax/**/*.ts'],
    // hostile-syntax.test.ts is left out: its megabyte inputs make most parser mutants time out slowly.
    tests: ['test/unit/mutation-chars.test.ts', 'test/unit/mutation-syntax.test.ts', 'test/unit/parser.test.ts', 'test/unit/check.test.ts', 'test/unit/mutation-ide.test.ts'],
  },
  check: {
    mutate: ['core/check/**/*.ts'],
    tests: ['test/unit/mutation-check2.test.ts', 'test/unit/mutation-syntax.test.ts', 'test/unit/mutation-check.test.ts', 'test/unit/check.test.ts', 'test/unit/ide.test.ts'],
  },
  ide: {
    // incremental.ts is held to a full analysis by the random-edit property (incremental.test.ts,
    // about 30 s a run): too slow to run per mutant, so it is left out of this scope.
    mutate: ['core/ide/**/*.ts', '!core/ide/incremental.ts'],
    tests: ['test/unit/mutation-ide2.test.ts', 'test/unit/mutation-cluster.test.ts', 'test/unit/mutation-ide.test.ts', 'test/unit/ide.test.ts', 'test/unit/check.test.ts', 'test/unit/snippets.test.ts', 'test/unit/dtab-test-core.test.ts'],
  },
  cli: {
    mutate: ['cli/main.ts'],
    tests: ['test/unit/mutation-cli.test.ts', 'test/unit/cli.test.ts', 'test/unit/cli-diff.test.ts', 'test/unit/fs-namer.test.ts'],
  },
  // Every command, run in memory (test/support/cli.ts) against the stand-ins.
  'cli-all': {
    mutate: filesIn('cli', ['main.ts']),
    tests: ['test/unit/mutation-cli.test.ts', 'test/unit/namerd-cli.test.ts', 'test/unit/canary-cli.test.ts', 'test/unit/zipkin-cli.test.ts', 'test/unit/linkerd-cli.test.ts', 'test/unit/dtab-test-cli.test.ts', 'test/unit/canary-k8s-cli.test.ts', 'test/unit/cli-diff.test.ts'],
  },
  server: {
    mutate: ['server/lsp.ts'],
    tests: ['test/unit/mutation-lsp.test.ts'],
  },
  // The rest of the server, through the LSP suites with the server in-process (LSP_SERVER=in-process,
  // set below): its mutants are in the sources, which a spawned dist/server.js would not run.
  'server-all': {
    mutate: filesIn('server', ['lsp.ts', 'main.ts']),
    // The services directly first (fast, exact), then the LSP suites through the wiring (server.ts).
    tests: [
      'test/unit/mutation-server.test.ts',
      'test/unit/mutation-lsp.test.ts',
      'test/unit/server-offsets.test.ts',
      'test/unit/mutation-network.test.ts',
      'test/unit/mutation-server-tests.test.ts',
      'test/unit/mutation-server-infra.test.ts',
      'test/unit/server-canary-k8s.test.ts',
      'test/lsp/server.test.ts',
      'test/lsp/config.test.ts',
      'test/lsp/dtab-test.test.ts',
      'test/lsp/protocol.test.ts',
      'test/lsp/cluster.test.ts',
      'test/lsp/network.test.ts',
      'test/lsp/zipkin.test.ts',
    ],
    env: { LSP_SERVER: 'in-process' },
  },
  // The model and Finagle's printed forms.
  model: {
    mutate: ['core/model/**/*.ts', 'core/print/**/*.ts'],
    tests: ['test/unit/mutation-model.test.ts', 'test/unit/print.test.ts', 'test/unit/delegate.test.ts', 'test/unit/mutation-syntax.test.ts', 'test/unit/parser.test.ts', 'test/unit/check.test.ts', 'test/unit/ide.test.ts'],
  },
  // Delegation, its rendering and the plain-language explanation.
  delegate: {
    mutate: ['core/delegate/**/*.ts', 'core/explain.ts'],
    tests: ['test/unit/mutation-delegate.test.ts', 'test/unit/mutation-render.test.ts', 'test/unit/mutation-interpreter.test.ts', 'test/unit/mutation-status.test.ts', 'test/unit/delegate.test.ts', 'test/unit/namerd-core.test.ts', 'test/unit/dtab-test-core.test.ts', 'test/unit/ide.test.ts', 'test/unit/mutation-ide.test.ts', 'test/unit/deep-trees.test.ts', 'test/unit/impact.test.ts', 'test/unit/k8s-namers.test.ts'],
  },
  // Text utilities, routing impact, namerd and linkerd formats.
  text: {
    mutate: ['core/text/**/*.ts', 'core/impact/**/*.ts', 'core/namerd/**/*.ts', 'core/linkerd/**/*.ts'],
    tests: ['test/unit/mutation-text.test.ts', 'test/unit/diff-merge.test.ts', 'test/unit/impact.test.ts', 'test/unit/namerd-core.test.ts', 'test/unit/linkerd-headers.test.ts', 'test/unit/move-diagnostics.test.ts', 'test/unit/ide.test.ts'],
  },
  // Routing assertions (.dtab-test) and Zipkin traces.
  assert: {
    mutate: ['core/assert/**/*.ts', 'core/trace/**/*.ts'],
    tests: ['test/unit/mutation-assert.test.ts', 'test/unit/dtab-test-core.test.ts', 'test/unit/dtab-test-deep.test.ts', 'test/unit/trace-render.test.ts', 'test/unit/trace-tree.test.ts', 'test/unit/trace-html.test.ts'],
  },
  // Linkerd and namerd configs.
  config: {
    mutate: ['core/config/**/*.ts'],
    tests: ['test/unit/mutation-config.test.ts', 'test/unit/config-model.test.ts', 'test/unit/config-namers.test.ts', 'test/unit/config.test.ts', 'test/unit/config-catalogue.test.ts', 'test/unit/schemas.test.ts', 'test/unit/config-incremental.test.ts'],
  },
  // Kubernetes paths, namers and snapshots; the namer registry.
  k8s: {
    mutate: ['core/k8s/**/*.ts', 'core/namers/**/*.ts'],
    tests: ['test/unit/mutation-k8s.test.ts', 'test/unit/k8s-paths.test.ts', 'test/unit/k8s-namers.test.ts', 'test/unit/k8s-snapshot.test.ts', 'test/unit/config-namers.test.ts'],
  },
  // Canary shifts: weights, rewrites, state, gates.
  canary: {
    mutate: ['core/canary/**/*.ts'],
    tests: ['test/unit/mutation-canary.test.ts', 'test/unit/canary-core.test.ts', 'test/unit/k8s-canary.test.ts'],
  },
};

const asked = (process.env.MUTATION_SCOPE ?? Object.keys(SCOPES).join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const s of asked) if (!(s in SCOPES)) throw new Error(`MUTATION_SCOPE: unknown scope ${s}; known: ${Object.keys(SCOPES).join(', ')}`);
const chosen = asked.map((s) => SCOPES[s]);
// The test processes inherit this process's environment.
for (const s of chosen) Object.assign(process.env, s.env ?? {});
const unique = (xs) => [...new Set(xs)];
const name = asked.join('+');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: unique(chosen.flatMap((s) => s.tests)),
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  mutate: unique(chosen.flatMap((s) => s.mutate)),
  // The results of the last run of these scopes, so that the next one only runs the mutants whose
  // code or tests changed. Kept out of git (test/.out/ is ignored); delete it, or pass --force,
  // for a full run.
  incremental: true,
  incrementalFile: `test/.out/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `test/.out/mutation/${name}.html` },
  jsonReporter: { fileName: `test/.out/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  // The sandboxes (copies of the project with the mutants in); ignored by git and eslint.
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.vscode-test', 'test/.out', 'bench/results', 'docs', 'media', '*.vsix', 'test/e2e'],
  concurrency: 2,
  // A mutant that makes a loop endless is a timeout (it counts as detected); do not wait long for it.
  timeoutMS: 4000,
  thresholds: { high: 85, low: 75, break: null },
};
