import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeDentries,
  decodeL5dErr,
  describeImpact,
  diffLines,
  encodeL5dErr,
  explainResponseHeaders,
  isJsonContentType,
  mergeDtabs,
  parseNamerctlFile,
  prettyBody,
  splitLinesKeepEnds,
} from '../../core/index.js';
import { LineIndex } from '../../core/text/lines.js';

const lines = (...l: string[]) => l.join('\n') + '\n';
const block = (yours: string[], base: string[], theirs: string[]) => ['<<<<<<< yours', ...yours, '||||||| base', ...base, '=======', ...theirs, '>>>>>>> theirs (namerd)'];

describe('merge.ts', () => {
  // Both sides change `/s => /0`: a conflict unless the two destinations are the same tree.
  const both = (theirs: string, yours: string) => mergeDtabs('/s=>/0;', `/s=>${theirs};`, `/s=>${yours};`);
  const conflict = (theirs: string, yours: string) => ({ text: lines(...block([`/s=>${yours};`], ['/s=>/0;'], [`/s=>${theirs};`])), conflicts: 1 });

  it('compares destinations by structure, paths and exact weights', () => {
    assert.deepEqual(both('/a | /b | ~', '/a/b | ~'), conflict('/a | /b | ~', '/a/b | ~'));
    assert.deepEqual(both('1*/a & 2*/b', '2*/a & 1*/b'), conflict('1*/a & 2*/b', '2*/a & 1*/b'));
    assert.deepEqual(both('/a | (/b | /c) | /d', '(/a | /b | /c) | /d'), conflict('/a | (/b | /c) | /d', '(/a | /b | /c) | /d'));
    assert.deepEqual(both('(/a & /b) & /c', '/a & (/b & /c)'), conflict('(/a & /b) & /c', '/a & (/b & /c)'));
    assert.deepEqual(both('/a | /b', '/a & /b'), conflict('/a | /b', '/a & /b'));
    assert.deepEqual(both('~ | $', '! | $'), conflict('~ | $', '! | $'));
    assert.deepEqual(both('/a & /b', '/a & /c'), conflict('/a & /b', '/a & /c'));
    assert.deepEqual(both('/a | /b', '/a | /c'), conflict('/a | /b', '/a | /c'));
  });

  it('takes the same destination written differently once (yours)', () => {
    assert.deepEqual(both('/a|/b | ~', ' /a | ( /b ) | (~)'), { text: '/s=> /a | ( /b ) | (~);', conflicts: 0 });
    assert.deepEqual(both('/a & 2*/b', '1.0 * /a & 2.00 * (/b)'), { text: '/s=>1.0 * /a & 2.00 * (/b);', conflicts: 0 });
  });

  it('tells apart the occurrences of a repeated prefix', () => {
    assert.deepEqual(mergeDtabs(lines('/s=>/x;', '/s=>/y;'), lines('/s=>/x;', '/s=>/y2;'), lines('/s=>/x2;', '/s=>/y;')), { text: lines('/s=>/x2;', '/s=>/y2;'), conflicts: 0 });
  });

  it('settles by identical texts before parsing', () => {
    assert.deepEqual(mergeDtabs('/a=>', '/a=>/x', '/a=>/x'), { text: '/a=>/x', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>', '/a=>', '/b=>/y;'), { text: '/b=>/y;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;', '/a=>/x;', '/a=>'), { text: '/a=>', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>', '/b=>/y;', '/a=>'), { text: '/b=>/y;', conflicts: 0 });
  });

  it('with a syntax error in any text, one conflict of the whole texts, each ending with a newline', () => {
    assert.deepEqual(mergeDtabs('/a=>', '/a=>/x', '/a=>/y'), { text: lines(...block(['/a=>/y'], ['/a=>'], ['/a=>/x'])), conflicts: 1 });
    assert.deepEqual(mergeDtabs('/a=>/x', '/a=>', '/a=>/y'), { text: lines(...block(['/a=>/y'], ['/a=>/x'], ['/a=>'])), conflicts: 1 });
    assert.deepEqual(mergeDtabs('/a=>/x', '/a=>/z', '/a=>'), { text: lines(...block(['/a=>'], ['/a=>/x'], ['/a=>/z'])), conflicts: 1 });
    assert.deepEqual(mergeDtabs('/a=>/x\n', '', '/a=>'), { text: lines(...block(['/a=>'], ['/a=>/x'], [])), conflicts: 1 });
  });

  it('adds `;` to a dentry without one only when a dentry is written after it', () => {
    assert.deepEqual(mergeDtabs(lines('/a=>/x;', '/b=>/y;'), lines('/a=>/x;', '/b=>/y2;'), '/a=>/x;\n/b=>/y;'), { text: '/a=>/x;\n/b=>/y2;', conflicts: 0 });
    assert.deepEqual(mergeDtabs(lines('/a=>/x;', '/b=>/y;'), '/a=>/x;\n/b=>/y2 ;', '/a=>/x2;\n/b=>/y;'), { text: '/a=>/x2;\n/b=>/y2 ;', conflicts: 0 });
    assert.deepEqual(mergeDtabs(lines('/a=>/x;', '/b=>/y;'), lines('/a=>/x;', '/b=>/y;', '/c=>/z'), '/a=>/x;\n/b=>/y2'), { text: '/a=>/x;\n/b=>/y2;\n/c=>/z;', conflicts: 0 });
    // Theirs' last dentry (no `;`) taken where yours has it first: a `;` before your next dentry,
    // none when the dentries after it are all removed.
    assert.deepEqual(mergeDtabs('/a=>/x;/c=>/z', '/a=>/x;/c=>/z2', '/c=>/z;/a=>/x2;'), { text: '/c=>/z2;/a=>/x2;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;/c=>/z', '/c=>/z2', '/c=>/z;/a=>/x;'), { text: '/c=>/z2', conflicts: 0 });
  });

  it('places theirs\' additions into a text with no dentries after it', () => {
    assert.deepEqual(mergeDtabs('', '/a=>/x;', '# only a comment'), { text: '# only a comment\n/a=>/x;\n', conflicts: 0 });
    assert.deepEqual(mergeDtabs('', '/a=>/x;', '# only a comment\n'), { text: '# only a comment\n/a=>/x;\n', conflicts: 0 });
    assert.deepEqual(mergeDtabs('# c', '/a=>/x;', ''), { text: '/a=>/x;\n', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;', '', '# mine'), { text: '# mine', conflicts: 0 });
  });

  it('places an addition with no predecessor before your first dentry, on lines of its own', () => {
    assert.deepEqual(mergeDtabs('/a=>/x;', '/n=>/q;/a=>/x;', '/a=>/x2;'), { text: '/n=>/q;\n/a=>/x2;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;', '/n=>/q;/a=>/x;', '# c\n/a=>/x2;'), { text: '# c\n/n=>/q;\n/a=>/x2;', conflicts: 0 });
    // Your first dentry keeps its indentation.
    assert.deepEqual(mergeDtabs('/a=>/x;', '/n=>/q;/a=>/x;', '# c\n  /a=>/x2;'), { text: '# c\n/n=>/q;\n  /a=>/x2;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;', '/n=>/q;/a=>/x;', '\t/a=>/x2;'), { text: '/n=>/q;\n\t/a=>/x2;', conflicts: 0 });
  });

  it('places an addition on the line after its predecessor, the comment after it staying on its line', () => {
    assert.deepEqual(mergeDtabs(lines('/a=>/x;', '/c=>/z;'), lines('/a=>/x;', '/c=>/z;', '/d=>/w;'), '/a=>/x;\n/c=>/z2; # mine'), { text: '/a=>/x;\n/c=>/z2; # mine\n/d=>/w;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;', lines('/a=>/x;', '/b=>/y;'), '/a=>/x2 # c'), { text: '/a=>/x2; # c\n/b=>/y;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;/b=>/y;', '/a=>/x;/b=>/y;/n=>/q;', '/a=>/x;/b=>/y2;# c'), { text: '/a=>/x;/b=>/y2;# c\n/n=>/q;', conflicts: 0 });
    assert.deepEqual(mergeDtabs('/a=>/x;/b=>/y;', '/a=>/x;/n=>/q;/b=>/y;', '/a=>/x; /b=>/y2;'), { text: '/a=>/x;\n/n=>/q;\n /b=>/y2;', conflicts: 0 });
    assert.deepEqual(mergeDtabs(lines('/a=>/x;'), lines('/a=>/x;', '/b=>/y;', '/c=>/z;'), lines('/a=>/x2;', '', '# end')), { text: lines('/a=>/x2;', '/b=>/y;', '/c=>/z;', '', '# end'), conflicts: 0 });
  });

  it('removes a dentry with its line only when it is alone on it', () => {
    const base = lines('/a=>/x;', '/b=>/y;', '/c=>/z;');
    const theirs = lines('/a=>/x;', '/c=>/z;');
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;', '  /b=>/y;  ', '/c=>/z2;')), { text: lines('/a=>/x;', '/c=>/z2;'), conflicts: 0 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x; /b=>/y;', '/c=>/z2;')), { text: lines('/a=>/x; ', '/c=>/z2;'), conflicts: 0 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;/b=>/y;', '/c=>/z2;')), { text: lines('/a=>/x;', '/c=>/z2;'), conflicts: 0 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;', '/b=>/y; # about b', '/c=>/z2;')), { text: lines('/a=>/x;', ' # about b', '/c=>/z2;'), conflicts: 0 });
    assert.deepEqual(mergeDtabs(base, lines('/c=>/z;'), lines('  /a=>/x;', '/c=>/z2;')), { text: lines('/c=>/z2;'), conflicts: 0 });
    assert.deepEqual(mergeDtabs(base, lines('/c=>/z;'), lines('/a=>/x;', '/c=>/z2;')), { text: lines('/c=>/z2;'), conflicts: 0 });
  });

  it('puts a conflict block on lines of its own, your comment on your side, nothing else moved into it', () => {
    const base = lines('/a=>/x;', '/b=>/y;');
    const theirs = lines('/a=>/x;', '/b=>/y3;');
    const b = (mine = '/b=>/y2;') => block([mine], ['/b=>/y;'], ['/b=>/y3;']);
    assert.deepEqual(mergeDtabs(base, theirs, '/a=>/x;  /b=>/y2;'), { text: lines('/a=>/x;', ...b()), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;', '  /b=>/y2;')), { text: lines('/a=>/x;', ...b()), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, theirs, '/a=>/x;\n/b=>/y2;'), { text: lines('/a=>/x;', ...b()), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;', '/b=>/y2;  ')), { text: lines('/a=>/x;', ...b()), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;', '/b=>/y2;  \t# mine')), { text: lines('/a=>/x;', ...b('/b=>/y2;  \t# mine')), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x;', '/b=>/y2;', '# next line')), { text: lines('/a=>/x;', ...b(), '# next line'), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, theirs, lines('/a=>/x; # a', '', '/b=>/y2;', '')), { text: lines('/a=>/x; # a', '', ...b(), ''), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, lines('/a=>/x;', '/b=>/y3;', '/n=>/q;'), '/a=>/x;\n/b=>/y2; # mine'), { text: lines('/a=>/x;', ...b('/b=>/y2; # mine'), '/n=>/q;'), conflicts: 1 });
    assert.deepEqual(mergeDtabs(base, lines('/a=>/x;'), lines('/a=>/x;', '/b=>/y2; # mine')), { text: lines('/a=>/x;', ...block(['/b=>/y2; # mine'], ['/b=>/y;'], [])), conflicts: 1 });
  });

  it('places a conflict over a dentry you removed where theirs has it', () => {
    assert.deepEqual(mergeDtabs(lines('/a=>/x;', '/b=>/y;'), lines('/a=>/x;', '/b=>/y2;'), '/a=>/x;'), { text: lines('/a=>/x;', ...block([], ['/b=>/y;'], ['/b=>/y2;'])).slice(0, -1), conflicts: 1 });
    assert.deepEqual(mergeDtabs(lines('/a=>/x;', '/b=>/y;'), lines('/a=>/x;', '/b=>/y;', '/n=>/1;'), lines('/a=>/x;', '/b=>/y;', '/n=>/2;')), { text: lines('/a=>/x;', '/b=>/y;', ...block(['/n=>/2;'], [], ['/n=>/1;'])), conflicts: 1 });
    // Several additions after the same dentry, in theirs' order.
    assert.deepEqual(mergeDtabs(lines('/a=>/x;'), lines('/a=>/x;', '/m=>/1;', '/n=>/2;'), lines('/a=>/x2;')), { text: lines('/a=>/x2;', '/m=>/1;', '/n=>/2;'), conflicts: 0 });
  });
});

describe('lines.ts', () => {
  const index = new LineIndex('ab\ncd\n\nef');

  it('maps offsets to positions, clamped to the text', () => {
    assert.deepEqual([0, 4, 6, 7, 100, -5].map((o) => index.position(o)), [
      { line: 0, character: 0 },
      { line: 1, character: 1 },
      { line: 2, character: 0 },
      { line: 3, character: 0 },
      { line: 3, character: 2 },
      { line: 0, character: 0 },
    ]);
    assert.deepEqual(index.range({ start: 1, end: 8 }), { start: { line: 0, character: 1 }, end: { line: 3, character: 1 } });
    assert.deepEqual(new LineIndex('\nx').position(1), { line: 1, character: 0 });
  });

  it('maps positions to offsets, clamped to the line and the text', () => {
    const at = (line: number, character: number) => index.offset({ line, character });
    assert.deepEqual([at(-1, 0), at(4, 0), at(5, 2), at(1, 1), at(1, 99), at(3, 99), at(0, -3), at(2, 5)], [0, 9, 9, 4, 5, 9, 0, 6]);
  });
});

describe('diff.ts', () => {
  it('splits lines keeping their ends, a leading newline its own line', () => {
    assert.deepEqual(splitLinesKeepEnds('\nab\n'), ['\n', 'ab\n']);
  });

  it('keeps the common head and tail apart from the changed middle', () => {
    assert.deepEqual(diffLines(['x', 'y'], ['x', 'y']), [
      { op: 'equal', text: 'x' },
      { op: 'equal', text: 'y' },
    ]);
    assert.deepEqual(diffLines(['a', 'b'], ['a', 'c', 'a', 'b']), [
      { op: 'equal', text: 'a' },
      { op: 'insert', text: 'c' },
      { op: 'insert', text: 'a' },
      { op: 'equal', text: 'b' },
    ]);
    assert.deepEqual(diffLines(['a', 'c', 'a', 'b'], ['a', 'b']), [
      { op: 'equal', text: 'a' },
      { op: 'delete', text: 'c' },
      { op: 'delete', text: 'a' },
      { op: 'equal', text: 'b' },
    ]);
  });
});

describe('namerd/dtab.ts', () => {
  it('says what is wrong with a malformed dentry', () => {
    assert.deepEqual(decodeDentries([5]), { ok: false, reason: 'malformed', message: 'dentry 1: expected an object, found a number' });
    assert.deepEqual(decodeDentries([{ prefix: '/a', dst: '/b' }, []]), { ok: false, reason: 'malformed', message: 'dentry 2: expected an object, found an array' });
    assert.deepEqual(decodeDentries([{ prefix: '/a', dst: '/b' }, { prefix: 1, dst: '/b' }]), { ok: false, reason: 'malformed', message: 'dentry 2: "prefix" must be a string, found a number' });
  });

  it('reads namerctl files: JSON, an object, a "dtab", a version only when a non-empty string', () => {
    let parseError = '';
    try {
      JSON.parse('{');
    } catch (e) {
      parseError = (e as Error).message;
    }
    assert.deepEqual(parseNamerctlFile('{'), { ok: false, message: `not valid JSON: ${parseError}` });
    const notObject = (found: string) => ({ ok: false, message: `expected an object {"version", "dtab": [...]} (as \`namerctl dtab get --json\` writes), found ${found}` });
    assert.deepEqual(parseNamerctlFile('null'), notObject('null'));
    assert.deepEqual(parseNamerctlFile('"x"'), notObject('a string'));
    assert.deepEqual(parseNamerctlFile('{}'), { ok: false, message: 'no "dtab" array' });
    for (const version of ['""', 'null']) {
      const f = parseNamerctlFile(`{"version":${version},"dtab":[]}`);
      assert.deepEqual(f.ok ? [f.version, f.dentries] : f, [undefined, []]);
    }
  });
});

describe('linkerd/headers.ts', () => {
  it('encodes exactly letters, digits and .-*_ as they are', () => {
    assert.equal(encodeL5dErr('azAZ09`{@[/:'), 'azAZ09%60%7B%40%5B%2F%3A');
  });

  it('encodes a surrogate pair as one `?`, a lone surrogate as one too', () => {
    assert.equal(encodeL5dErr('\uD800\uDC00|\uDBFF\uDFFF|\uD83Da|\uD83D'), '%3F%7C%3F%7C%3Fa%7C%3F');
    assert.equal(encodeL5dErr('\u00e9\uDC00x'), '%E9%3Fx');
  });

  it('decodes hex digits of either case, keeping a % without two of them', () => {
    assert.equal(decodeL5dErr('%4a%4A%4f%4F%3a'), 'JJOO:');
    assert.equal(decodeL5dErr('%G1%g1%4z%4'), '%G1%g1%4z%4');
  });

  it('explains l5d-dtab, l5d-sample, and only headers starting with l5d-ctx- as context', () => {
    assert.deepEqual(explainResponseHeaders([['l5d-dtab', '/a=>/b'], ['L5D-SAMPLE', '0.5'], ['x-l5d-ctx-a', '1']]), [
      { name: 'l5d-dtab', value: '/a=>/b', meaning: 'a dtab override (l5d-dtab): /a=>/b' },
      { name: 'L5D-SAMPLE', value: '0.5', meaning: 'the trace sample rate asked for: 0.5' },
      { name: 'x-l5d-ctx-a', value: '1' },
    ]);
  });

  it('knows a JSON Content-Type by its media type', () => {
    const types = [' Application/JSON ; charset=utf-8', 'application/vnd.x+json', 'text/x+json', 'application/xml', 'application/json+x', undefined];
    assert.deepEqual(types.map((t) => isJsonContentType(t)), [true, true, false, false, false, false]);
  });

  it('re-indents JSON token by token, strings untouched, blanks between tokens dropped', () => {
    assert.equal(prettyBody('application/json', '{"a, b" : "c: \\"d\\"" ,\t"e":[ ],\r\n"f":{ \n}}'), '{\n  "a, b": "c: \\"d\\"",\n  "e": [],\n  "f": {}\n}');
  });
});

describe('impact.ts', () => {
  const impact = (considered: number, rows: { name: string; before: string; after: string; shift?: string }[], cut = false) => describeImpact({ rows, considered, cut, candidates: 7, limit: 5 });

  it('counts names in words, one and many', () => {
    assert.deepEqual(impact(1, []), ['no logical name changes where it goes (1 name compared)']);
    assert.deepEqual(impact(0, [], true), ['no logical name changes where it goes (0 names compared)', 'only the first 5 of 7 names were bound (the limit): the others were not compared']);
    assert.deepEqual(
      impact(2, [
        { name: '/a', before: '/x', after: '/y' },
        { name: '/b', before: '/x', after: '/y', shift: 'x 100% → y 100%' },
      ]),
      ['/a: /x → /y', '/b: x 100% → y 100%', '2 logical names change where they go (2 names compared)'],
    );
  });
});
