// The dtabs in examples/ (the demo workspace `npm start` opens) are formatted: what a new user
// sees first passes `dtab fmt --check`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatDtab, parseDtab } from '../../core/index.js';

const examples = join(__dirname, '..', '..', 'examples');

function dtabFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? dtabFiles(join(dir, e.name)) : e.name.endsWith('.dtab') ? [join(dir, e.name)] : [],
  );
}

describe('examples/', () => {
  const files = dtabFiles(examples);

  it('has the example dtabs', () => {
    assert.ok(files.length >= 5, `${files.length} .dtab files`);
  });

  for (const file of files) {
    const name = relative(examples, file);
    it(`${name} parses and is formatted (dtab fmt --check)`, () => {
      const text = readFileSync(file, 'utf8');
      const syntax = parseDtab(text);
      assert.deepEqual(syntax.errors, [], `${name} has no syntax errors`);
      assert.equal(formatDtab(syntax), text, `${name} is formatted`);
    });
  }
});
