// `npm run bench`: the performance targets of the project, measured as ratios against a baseline
// taken in the same run (so the figures mean the same on a slow or a busy machine).
//   1. parse + check a 10,000-dentry dtab  vs  JSON.parse of the same dentries as JSON  (target <= 3x)
//   2. delegate one path through a 10,000-dentry dtab  vs  through a 100-dentry one     (target <= 3x)

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDtab, Interpreter, lowerDtab, parseDtab, parsePath, lowerPath } from '../core/index.js';

/** Median of `samples` timings of `f`, in milliseconds, after `warmup` untimed calls. */
function measure(f: () => unknown, samples = 31, warmup = 10): { median: number; p95: number } {
  for (let i = 0; i < warmup; i++) f();
  const t: number[] = [];
  for (let i = 0; i < samples; i++) {
    const s = process.hrtime.bigint();
    f();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)]!, p95: t[Math.floor(t.length * 0.95)]! };
}

/** Realistic dentries: per-service routes, canary splits, fallbacks, comments now and then. */
function dentries(n: number): { text: string; json: string } {
  const lines: string[] = [];
  const objs: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const svc = `service-${i}`;
    const ns = `team-${i % 37}`;
    if (i % 50 === 0) lines.push(`# ${ns} services`);
    if (i % 10 === 3) {
      lines.push(`/svc/${svc}  => 9 * /#/io.l5d.k8s/${ns}/http/${svc}-v1 & 1 * /#/io.l5d.k8s/${ns}/http/${svc}-v2 ;`);
      objs.push({ prefix: ['svc', svc], dst: { union: [{ weight: 9, tree: { leaf: ['#', 'io.l5d.k8s', ns, 'http', `${svc}-v1`] } }, { weight: 1, tree: { leaf: ['#', 'io.l5d.k8s', ns, 'http', `${svc}-v2`] } }] } });
    } else if (i % 10 === 7) {
      lines.push(`/svc/${svc}  => /#/io.l5d.k8s/${ns}/http/${svc} | /$/inet/127.1/${4000 + (i % 1000)} ;`);
      objs.push({ prefix: ['svc', svc], dst: { alt: [{ leaf: ['#', 'io.l5d.k8s', ns, 'http', svc] }, { leaf: ['$', 'inet', '127.1', String(4000 + (i % 1000))] }] } });
    } else {
      lines.push(`/svc/${svc}  => /#/io.l5d.k8s/${ns}/http/${svc} ;`);
      objs.push({ prefix: ['svc', svc], dst: { leaf: ['#', 'io.l5d.k8s', ns, 'http', svc] } });
    }
  }
  return { text: lines.join('\n') + '\n', json: JSON.stringify(objs) };
}

const results: Record<string, unknown> = {};
const report: string[] = [];

// 1. Parse + check vs JSON.parse
{
  const { text, json } = dentries(10_000);
  const parse = measure(() => checkDtab(parseDtab(text)));
  const base = measure(() => JSON.parse(json));
  const ratio = parse.median / base.median;
  results.parseCheck = { dentries: 10_000, textBytes: text.length, jsonBytes: json.length, parseCheckMs: parse, jsonParseMs: base, ratio, target: 3 };
  report.push(
    `parse+check 10,000 dentries: ${parse.median.toFixed(2)} ms (median), JSON.parse of the same dentries: ${base.median.toFixed(2)} ms` +
      ` -> ${ratio.toFixed(2)}x (target <= 3x) ${ratio <= 3 ? 'MET' : 'MISSED'}`,
  );
}

// 2. Delegation cost vs dtab size
{
  const interp = new Interpreter();
  // Every dentry's destination falls back to /$/inet so the path binds without a cluster.
  const make = (n: number) => lowerDtab(parseDtab(dentries(n).text + '/#/io.l5d.k8s => /$/inet/127.1/4140 ;'));
  const small = make(100);
  const large = make(10_000);
  const path = lowerPath((parsePath('/svc/service-43/api') as { ok: true; value: Parameters<typeof lowerPath>[0] }).value);
  const indexLarge = measure(() => new (large.constructor as typeof import('../core/index.js').Dtab)(large.dentries).lookup(path), 11, 2);
  const reps = 200;
  const s = measure(() => {
    for (let i = 0; i < reps; i++) interp.delegateSync(small, path);
  });
  const l = measure(() => {
    for (let i = 0; i < reps; i++) interp.delegateSync(large, path);
  });
  const ratio = l.median / s.median;
  results.delegate = { smallMsPerDelegation: s.median / reps, largeMsPerDelegation: l.median / reps, ratio, target: 3, indexBuildMs10k: indexLarge.median };
  report.push(
    `delegate /svc/service-43/api: ${((1000 * s.median) / reps).toFixed(1)} us through 100 dentries, ${((1000 * l.median) / reps).toFixed(1)} us through 10,000` +
      ` -> ${ratio.toFixed(2)}x (target <= 3x) ${ratio <= 3 ? 'MET' : 'MISSED'}; index build for 10,000 dentries (once per dtab version): ${indexLarge.median.toFixed(2)} ms`,
  );
}

console.log(report.join('\n'));
const resultsDir = join(process.cwd(), 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
