// The long property run: `npm run fuzz [-- --runs N] [--seconds S]`. Each property runs until
// N cases or S seconds; a failure prints the shrunk counterexample and exits 1.
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { properties } from '../support/properties.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200000' }, seconds: { type: 'string', default: '60' } } });
let failed = 0;
for (const p of properties) {
  const started = Date.now();
  const r = fc.check(p.property, { numRuns: Number(values.runs), interruptAfterTimeLimit: Number(values.seconds) * 1000, markInterruptAsFailure: false });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.failed) {
    failed++;
    console.log(`FAIL ${p.name}\n${fc.defaultReportMessage(r)}`);
  } else console.log(`ok   ${p.name}: ${r.numRuns} cases in ${secs} s`);
}
console.log(`${properties.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
