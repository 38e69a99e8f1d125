// The `dtab` command line run in memory, for tests: `main(args, io)` with files from a record,
// output collected, and what differs between suites as options.
//
//   const r = await runCli(['diff', 'old.dtab', 'new.dtab'], { files: FILES, writes: { fail: 'diff writes nothing' } });
//   assert.deepEqual(r, { code: 0, out: '…', err: '' });

import assert from 'node:assert/strict';
import { main } from '../../cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  /** What readFile sees: a name not in it is ENOENT (default: no files). */
  readonly files?: Record<string, string>;
  /**
   * What writeFile does: `ignore` (default) drops the text; `files` stores it into `files` (the
   * same object, so the test sees it and the next run reads it); `{ fail }` fails the test.
   */
  readonly writes?: 'ignore' | 'files' | { readonly fail: string };
  /** The environment the command sees (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where relative lookups start (default: process.cwd()). */
  readonly cwd?: string;
  /** The command's clock (default: new Date()). */
  readonly now?: () => Date;
  /** Rewrites the standard output before it is returned (e.g. measured times). */
  readonly normaliseOut?: (out: string) => string;
}

export async function runCli(args: string[], o: CliOptions = {}): Promise<CliResult> {
  const files = o.files ?? {};
  const writes = o.writes ?? 'ignore';
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: (f) => {
      if (!(f in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[f]!;
    },
    writeFile: (f, text) => {
      if (writes === 'files') files[f] = text;
      else if (writes !== 'ignore') assert.fail(writes.fail);
    },
    ...(o.env !== undefined ? { env: o.env } : {}),
    ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
    ...(o.now !== undefined ? { now: o.now } : {}),
  });
  return { code, out: o.normaliseOut ? o.normaliseOut(out) : out, err };
}
