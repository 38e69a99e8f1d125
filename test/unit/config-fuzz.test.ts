// Property tests of the config checks on hostile configs (bounded runs; PROPERTY_RUNS raises them):
// mutated real configs, deep nesting, aliases and tags, invisible characters, long lists. Whatever
// the input: no throw, every span inside the text, no message saying `undefined`, and the
// incremental path (typing in an embedded dtab) equal to a full check whenever it answers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkConfigText, updateConfigText, type ConfigFileResult } from '../../core/index.js';

const numRuns = Number(process.env.PROPERTY_RUNS ?? 100);
const FIXTURES = join(__dirname, '..', 'fixtures', 'linkerd');

const fixtures: string[] = [];
for (const dir of ['configs', 'manifests']) for (const f of readdirSync(join(FIXTURES, dir)).sort()) fixtures.push(readFileSync(join(FIXTURES, dir, f), 'utf8'));

const small = [
  'routers:\n- protocol: http\n  dtab: |\n    /svc => /#/io.l5d.fs;\n    /a => /b\nnamers:\n- kind: io.l5d.fs\n  rootDir: /d\n',
  'routers:\n- protocol: h2\n  experimental: true\n  dtab: |-\n    /svc => /$/inet/127.1/80\n  servers:\n  - port: 4142\n',
  'storage:\n  kind: io.l5d.inMemory\n  namespaces:\n    a: |\n      /a => /#/x;\n    b: /b => /c\ninterfaces:\n- kind: io.l5d.httpController\nnamers:\n- kind: io.l5d.fs\n  prefix: /x\n  rootDir: /d\n',
  'kind: ConfigMap\nmetadata: {name: l5d}\ndata:\n  config.yaml: |\n    routers:\n    - protocol: http\n      dtab: |\n        /a => /b;\n        /c => /d\n',
  'routers:\r\n- protocol: http\r\n  dtab: |\r\n    /a => /b;\r\n    /c => /d\r\n',
];
const bases = [...small, ...fixtures];

/** Snippets that break YAML and configs in the ways the fuzz run found. */
const snippet = fc.oneof(
  fc.constantFrom(
    '\0', '\t', '\r', '\n', '\n  ', '\n- ', '- ', ': ', '? ', '#', ' #', '"', "'", '|', '|-', '>', '[', ']', '{', '}', ',', '&a ', '*a', '*a\n',
    '!!omap ', '!!set ', '!!binary ', '!foo ', '<<: *a\n', '---\n', '...\n', '%YAML 1.2\n', '\u200b', '\u00a0', '\ufeff', 'é', '\ud83d', '\u2028',
    'kind: ', 'protocol: ', 'prefix: /#/', 'port: 4140', 'ip: 0.0.0.0', 'label: x', 'dtab: ', '/#/io.l5d.k8s/', '/$/inet/', ' => ', '(', ')',
  ),
  fc.integer({ min: 90, max: 400 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 90, max: 400 }).map((n) => '{a: '.repeat(n) + '}'.repeat(n)),
  fc.integer({ min: 90, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => `\n${' '.repeat(i + 1)}k:`).join('')),
  fc.integer({ min: 50, max: 300 }).map((n) => '(' .repeat(n) + '/x' + ')'.repeat(n)),
);

/** An edit: insert a snippet, delete a range, or repeat a slice many times (long lists). */
const edit = fc.oneof(
  fc.tuple(fc.constant('insert' as const), fc.nat(), snippet),
  fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 40 })),
  fc.tuple(fc.constant('repeat' as const), fc.nat(), fc.integer({ min: 2, max: 200 })),
);

function apply(text: string, [op, pos, arg]: [string, number, unknown]): string {
  const at = text.length === 0 ? 0 : pos % (text.length + 1);
  if (op === 'insert') return text.slice(0, at) + (arg as string) + text.slice(at);
  if (op === 'delete') return text.slice(0, at) + text.slice(at + (arg as number));
  // Repeat the line at `at` (a list item, a key) many times.
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end < 0 ? text.length : end + 1);
  return line.length * (arg as number) > MAX_GROWTH ? text : text.slice(0, start) + line.repeat(arg as number) + text.slice(start);
}

/** A repeat adds at most this much text (the size tests are in config-reliability.test.ts). */
const MAX_GROWTH = 20_000;

const hostile = fc.tuple(fc.nat(bases.length - 1), fc.array(edit, { maxLength: 3 })).map(([b, edits]) => edits.reduce(apply, bases[b]!));

/** Every span of every diagnostic inside the text; messages that never say `undefined`. */
function sane(text: string, r: ConfigFileResult): void {
  const inside = (s: { start: number; end: number }, what: string) =>
    assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length, `${what} ${JSON.stringify(s)} in a text of ${text.length}`);
  for (const d of r.diagnostics) {
    inside(d.span, d.code);
    for (const f of d.fixes ?? []) for (const e of f.edits) inside(e.span, `${d.code} fix`);
    for (const x of d.related ?? []) inside(x.span, `${d.code} related`);
    assert.ok(d.message.length > 0, d.code);
    if (!text.includes('undefined')) assert.ok(!d.message.includes('undefined'), d.message);
  }
  for (const c of r.configs) {
    inside(c.span, 'config');
    for (const n of c.namers) inside(n.span, 'namer');
    for (const x of c.routers) inside(x.span, 'router');
  }
}

const plain = (r: ConfigFileResult) => ({
  diagnostics: r.diagnostics.map((d) => [d.span, d.code, d.severity, d.message, d.fixes ?? [], d.related ?? []]),
  dtabs: r.dtabs.map((d) => [d.where, d.syntax.text, d.span, d.literal, [...d.fileAt], [...d.fileEnd], d.owner, d.namers, d.namersWhere]),
  configs: r.configs.map((c) => [c.kind, c.span, c.namers, c.routers.map((x) => [x.label, x.span, x.dtab?.where, x.dtab?.span])]),
});

describe('config checks on hostile configs (properties)', () => {
  it('no throw, spans inside the text, no `undefined` in messages', () => {
    fc.assert(
      fc.property(hostile, (text) => sane(text, checkConfigText(text))),
      { numRuns, seed: 8 },
    );
  });

  it('typing in an embedded dtab: the incremental result equals a full check (or it declines)', () => {
    let fast = 0;
    fc.assert(
      fc.property(hostile, fc.nat(), fc.oneof(snippet.filter((s) => s.length < 8), fc.constant('')), (text, pos, ch) => {
        const prev = checkConfigText(text);
        if (prev.dtabs.length === 0) return;
        const d = prev.dtabs[pos % prev.dtabs.length]!;
        const at = d.span.start + (pos % (d.span.end - d.span.start + 1));
        const next = ch === '' ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + ch + text.slice(at);
        const updated = updateConfigText(prev, text, next);
        if (!updated) return;
        fast++;
        const full = checkConfigText(next);
        sane(next, updated);
        assert.deepEqual(plain(updated), plain(full));
      }),
      { numRuns, seed: 9 },
    );
    assert.ok(fast > numRuns / 10, `the fast path was taken ${fast} times`);
  });
});
