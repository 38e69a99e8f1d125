// Hostile inputs found by the fuzz run (test/fuzz/, `npm run fuzz`): one test per reproducer, each
// asserting what the fixed code must do (never throw, stay bounded, exit codes and messages).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';
import { checkConfigText, formatDtab, lowerDtab, parseDtab, showDtab, type Span } from '../../core/index.js';
import * as parser from '../../core/syntax/parser.js';

const root = join(__dirname, '..', '..');

/**
 * The parser's nesting limit: MAX_NESTING from core/syntax/parser.ts. Read through the namespace
 * so that this file compiles before the constant exists; until then the limit is assumed to be 100.
 */
const MAX_NESTING: number = (parser as unknown as { MAX_NESTING?: number }).MAX_NESTING ?? 100;

/** Runs the CLI with a fake io: stdin/files from `files`, output kept up to `cap` characters. */
async function run(args: string[], files: Record<string, string>, options: { writeFile?: (f: string, t: string) => void; cap?: number } = {}) {
  const cap = options.cap ?? Infinity;
  let out = '';
  let outLength = 0;
  let err = '';
  const code = await main(args, {
    out: (s) => {
      outLength += s.length;
      if (out.length < cap) out += s;
    },
    err: (s) => (err += s),
    readFile: (f) => {
      if (!(f in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${f}'`), { code: 'ENOENT' });
      return files[f]!;
    },
    writeFile: options.writeFile ?? (() => {}),
  });
  return { code, out, outLength, err };
}

function inBounds(what: string, s: Span, length: number): void {
  assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= length, `${what}: span ${JSON.stringify(s)} outside 0..${length}`);
}

describe('hostile inputs (reproducers from the fuzz run)', () => {
  const DEEP = '/a=>' + '('.repeat(2000) + '/b' + ')'.repeat(2000);

  it(`parseDtab: nesting past the limit (${MAX_NESTING}) is one error at the first \`(\` beyond it, not a stack overflow`, () => {
    const s = parseDtab(DEEP);
    assert.equal(s.errors.length, 1, s.errors.map((e) => e.plain).join('\n'));
    assert.equal(s.errors[0]!.span.start, '/a=>'.length + MAX_NESTING);
  });

  it('formatDtab and showDtab of that dtab never throw', () => {
    const s = parseDtab(DEEP);
    assert.doesNotThrow(() => formatDtab(s));
    assert.doesNotThrow(() => showDtab(lowerDtab(s)));
  });

  it('dtab check on 128 KB of broken lines completes, and its output is O(errors × a line)', async () => {
    const lines = (128 * 1024) / '/a => x\n'.length;
    const input = '/a => x\n'.repeat(lines);
    const bound = 200 * lines;
    const text = await run(['check', '-'], { '-': input }, { cap: bound });
    assert.equal(text.code, 1);
    assert.ok(text.outLength < bound, `text output: ${text.outLength} characters for ${lines} lines (bound ${bound})`);
    const json = await run(['check', '--format', 'json', '-'], { '-': input }, { cap: bound });
    assert.equal(json.code, 1);
    assert.ok(json.outLength < bound, `JSON output: ${json.outLength} characters for ${lines} lines (bound ${bound})`);
    assert.ok(Array.isArray(JSON.parse(json.out)));
  });

  it('a config with `routers: [` has every span in bounds', () => {
    const text = 'routers: [';
    const r = checkConfigText(text);
    for (const d of r.diagnostics) {
      inBounds(`[${d.code}] ${d.message}`, d.span, text.length);
      for (const f of d.fixes ?? []) for (const e of f.edits) inBounds(`fix of [${d.code}]`, e.span, text.length);
      for (const rel of d.related ?? []) inBounds(`related of [${d.code}]`, rel.span, text.length);
    }
    for (const c of r.configs) inBounds('config', c.span, text.length);
    for (const d of r.dtabs) inBounds('dtab', d.span, text.length);
  });

  it('dtab fmt --write on a file it cannot write exits 2 with a clear message', async () => {
    const r = await run(['fmt', '--write', 'x.dtab'], { 'x.dtab': '/a=>/b' }, {
      writeFile: (f) => {
        throw Object.assign(new Error(`EACCES: permission denied, open '${f}'`), { code: 'EACCES', errno: -13, syscall: 'open', path: f });
      },
    });
    assert.equal(r.code, 2);
    assert.match(r.err, /x\.dtab/);
    assert.match(r.err, /permission denied/i);
  });

  it('input over the size cap (DTAB_MAX_INPUT_BYTES) exits 2 with a message naming the cap', () => {
    // 2000 bytes of a valid dtab: without the cap, `check` exits 0.
    const input = '/a => /b ;\n#' + 'x'.repeat(2000 - 13) + '\n';
    assert.equal(Buffer.byteLength(input), 2000);
    const dir = mkdtempSync(join(tmpdir(), 'dtab-cap-'));
    writeFileSync(join(dir, 'big.dtab'), input);
    const env = { ...process.env, DTAB_MAX_INPUT_BYTES: '1000' };
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const cli = join(root, 'cli', 'main.ts');
    for (const args of [['check', '-'], ['check', join(dir, 'big.dtab')]]) {
      const r = spawnSync(tsx, [cli, ...args], { input, env, encoding: 'utf8' });
      assert.equal(r.status, 2, `dtab ${args.join(' ')}: exit ${r.status}, stderr: ${r.stderr}`);
      assert.match(r.stderr, /1000/, `dtab ${args.join(' ')}: the message names the cap: ${r.stderr}`);
    }
  });
});

describe('found by the long fuzz run', () => {
  it('dtab show on standard input of ~480k blank CRLF lines answers at once (no quadratic config sniffing)', async () => {
    const { mayHoldConfig } = await import('../../core/index.js');
    // Linear: the config sniff scans each blank line once (was: every line start rescanned the rest).
    const text = '\r\n'.repeat(478_592) + '/b';
    assert.equal(mayHoldConfig(text), false);
    assert.equal(mayHoldConfig(`${'\n'.repeat(1000)}  routers:\n- protocol: http\n`), true);
  });
});
