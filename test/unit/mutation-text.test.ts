import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeDtabs } from '../../core/index.js';

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
