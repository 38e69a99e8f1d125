// Re-reading only the top-level blocks of a config that an edit changed (core/config/yaml.ts
// YamlChunks) gives exactly what reading the whole text gives: the property below makes random
// edits to the real configs in test/fixtures and compares the two after each.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkConfigText, YamlChunks, type ConfigFileResult } from '../../core/index.js';

const dir = join(__dirname, '..', 'fixtures', 'linkerd', 'configs');
const configs = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8'));
const numRuns = Number(process.env.PROPERTY_RUNS ?? 300);

/** Everything a result says, as plain data (functions and YAML documents left out). */
function data(r: ConfigFileResult): unknown {
  const span = (s: { start: number; end: number }) => [s.start, s.end];
  return {
    diagnostics: r.diagnostics.map((d) => ({ ...d, fixes: d.fixes?.map((f) => ({ ...f })), span: span(d.span) })),
    dtabs: r.dtabs.map((d) => [span(d.span), d.syntax.text, d.literal, JSON.stringify(d.owner ?? null), Array.from(d.fileAt)]),
    configs: r.configs.map((c) => [c.kind, span(c.span), c.inConfigMap ?? null, c.text, JSON.stringify(c.namers), c.routers.map((x) => JSON.stringify({ ...x, dtab: undefined }))]),
  };
}

const pieces = fc.constantFrom('', 'x', ' ', '  ', '\n', '\n- ', '- ', ':', ': ', '#', '# c\n', 'routers:\n', 'namers:\n', '- kind: io.l5d.k8s\n', '  label: r\n', 'label: ', '|\n', '&a ', '*a', '"', "'", '---\n', '\t', '/svc => /x ;', '9990', 'protocol: http\n',
  ' x\n', '[', '{', ']', '>\n', '? ', ', ', ' # c', '\r\n', '\n x\n', '%YAML 1.2\n', '...\n', '!!str ', 'a:\n', 'dtab: |\n  /a => /b;\n');
const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.oneof(fc.constant(0), fc.nat(3), fc.nat(30)), insert: fc.array(pieces, { maxLength: 3 }).map((xs) => xs.join('')) });

function checkEdits(start: string, edits: readonly { at: number; remove: number; insert: string }[]): void {
  const chunks = new YamlChunks();
  let text = start;
  assert.deepEqual(data(checkConfigText(text, chunks)), data(checkConfigText(text)));
  for (const e of edits) {
    const at = Math.floor(e.at * text.length);
    text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
    assert.deepEqual(data(checkConfigText(text, chunks)), data(checkConfigText(text)), JSON.stringify(text));
  }
}

describe('config checks re-read only the top-level blocks an edit changed', () => {
  it('after random edits of the real configs, the same diagnostics, dtabs and configs as a whole read', () => {
    fc.assert(fc.property(fc.constantFrom(...configs), fc.array(edit, { minLength: 1, maxLength: 10 }), checkEdits), { numRuns });
  });

  it('a router label typed in a large config: the same result, and only that router is read again', () => {
    const routers = Array.from({ length: 40 }, (_, r) => `- protocol: http\n  label: r${r}\n  dtab: |\n    /svc => /#/io.l5d.k8s/ns${r}/http ;\n  servers:\n  - port: ${4000 + r}\n`).join('');
    const text = `admin:\n  port: 9990\nnamers:\n- kind: io.l5d.k8s\nrouters:\n${routers}`;
    const chunks = new YamlChunks();
    const first = chunks.parse(text, { keepSourceTokens: true });
    assert.ok(first, 'a config of top-level blocks is read by blocks');
    const at = text.indexOf('label: r20') + 'label: r20'.length;
    const next = text.slice(0, at) + 'x' + text.slice(at);
    const again = chunks.parse(next, { keepSourceTokens: true })!;
    const seq = (d: typeof again) => (d.docs[0]!.contents as unknown as { items: { value: { items: unknown[] } }[] }).items[2]!.value.items;
    const before = seq(first);
    const after = seq(again);
    assert.equal(after.length, 40);
    assert.deepEqual(after.map((n, i) => n === before[i]), after.map((_, i) => i !== 20));
    assert.deepEqual(data(checkConfigText(next, chunks)), data(checkConfigText(next)));
    // Texts that are not top-level blocks are read whole.
    for (const whole of ['a: 1\n---\nb: 2\n', '- a\n- b\n', '"q": 1\nb: 2\n', 'a: &x 1\nb: *x\n', 'a: 1\n'])
      assert.equal(new YamlChunks().parse(whole, { keepSourceTokens: true }), undefined, whole);
  });
});
