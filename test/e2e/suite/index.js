// Mocha entry of the integration suite, loaded by VS Code inside the extension host: exports
// `run(): Promise<void>` (the @vscode/test-electron contract, so the same suite runs under
// test/e2e/host/run-tests.js and under test-electron). Runs every test/e2e/suite/*.test.js (in name order: 1-smoke first, as it checks activation) with the
// spec reporter, then prints `__MOCHA_RESULT__ {"passed":N,"failed":N}` (the driver's result marker)
// and writes the same JSON to $EXT_TEST_RESULT_FILE when set (the driver's fallback).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

// Mocha comes from the harness's own install (test/e2e/host/setup.sh), not from the extension's
// node_modules; DTAB_E2E_CACHE points elsewhere when the cache is shared between clones.
const CACHE = process.env.DTAB_E2E_CACHE || path.resolve(__dirname, '..', '..', '..', '.vscode-test');
const Mocha = require(path.join(CACHE, 'driver', 'node_modules', 'mocha'));

function run() {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 60000, // a 2-core machine under load: the language server's first answer can be slow
    slow: 5000,
  });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run((failures) => {
        const stats = runner.stats || {};
        const counts = { passed: stats.passes || 0, failed: stats.failures || failures || 0 };
        if (files.length === 0) counts.failed++; // a suite that ran nothing is not green
        const json = JSON.stringify(counts);
        console.log(`__MOCHA_RESULT__ ${json}`);
        if (process.env.EXT_TEST_RESULT_FILE) {
          try {
            fs.writeFileSync(process.env.EXT_TEST_RESULT_FILE, json);
          } catch (e) {
            console.error(`cannot write EXT_TEST_RESULT_FILE: ${e.message}`);
          }
        }
        if (counts.failed > 0) reject(new Error(`${counts.failed} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      console.error(e);
      reject(e);
    }
  });
}

module.exports = { run };
