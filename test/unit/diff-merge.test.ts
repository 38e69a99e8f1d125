import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffLines, mergeDtabs, unifiedDiff } from '../../core/index.js';

const seq = (n: number, f: (i: number) => string = String) => Array.from({ length: n }, (_, i) => f(i + 1) + '\n').join('');
const lines = (...l: string[]) => l.join('\n') + '\n';

// Every expected text below is what GNU diff 3.8 `diff -u` prints (its two timestamped header lines aside).
describe('unifiedDiff', () => {
  it('is empty for the same text', () => {
    assert.equal(unifiedDiff('/a=>/b;\n', '/a=>/b;\n'), '');
  });

  it('joins changes at most 6 lines apart into one hunk, with 3 lines of context', () => {
    assert.equal(
      unifiedDiff(seq(20), seq(20, (i) => (i === 3 ? 'x' : i === 10 ? 'y' : String(i)))),
      lines('--- a', '+++ b', '@@ -1,13 +1,13 @@', ' 1', ' 2', '-3', '+x', ' 4', ' 5', ' 6', ' 7', ' 8', ' 9', '-10', '+y', ' 11', ' 12', ' 13'),
    );
  });

  it('splits changes 7 lines apart into two hunks', () => {
    assert.equal(
      unifiedDiff(seq(20), seq(20, (i) => (i === 3 ? 'x' : i === 11 ? 'y' : String(i))), { fromFile: 'namerd', toFile: 'yours' }),
      lines('--- namerd', '+++ yours', '@@ -1,6 +1,6 @@', ' 1', ' 2', '-3', '+x', ' 4', ' 5', ' 6', '@@ -8,7 +8,7 @@', ' 8', ' 9', ' 10', '-11', '+y', ' 12', ' 13', ' 14'),
    );
  });

  it('writes ranges as diff -u does: `l` alone for one line, `l,0` after line l for none', () => {
    assert.equal(unifiedDiff('a\n', 'b\n'), lines('--- a', '+++ b', '@@ -1 +1 @@', '-a', '+b'));
    assert.equal(unifiedDiff('', 'a\nb\n'), lines('--- a', '+++ b', '@@ -0,0 +1,2 @@', '+a', '+b'));
    assert.equal(unifiedDiff('/a=>/b;\n/c=>/d;\n', '/a=>/b;\n/c=>/e;\n/f=>/g;\n'), lines('--- a', '+++ b', '@@ -1,2 +1,3 @@', ' /a=>/b;', '-/c=>/d;', '+/c=>/e;', '+/f=>/g;'));
  });

  it('marks a last line without a newline', () => {
    assert.equal(unifiedDiff('a\nb', 'a\nc'), lines('--- a', '+++ b', '@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+c', '\\ No newline at end of file'));
    assert.equal(unifiedDiff('a\nb\n', 'a\nb'), lines('--- a', '+++ b', '@@ -1,2 +1,2 @@', ' a', '-b', '+b', '\\ No newline at end of file'));
  });

  it('past the cap on edits, replaces the changed block whole', () => {
    const a = lines('1', '2', '3', '4', '5');
    const b = lines('1', 'x', '3', 'y', '5');
    assert.equal(unifiedDiff(a, b), lines('--- a', '+++ b', '@@ -1,5 +1,5 @@', ' 1', '-2', '+x', ' 3', '-4', '+y', ' 5'));
    assert.equal(unifiedDiff(a, b, { maxEdits: 1 }), lines('--- a', '+++ b', '@@ -1,5 +1,5 @@', ' 1', '-2', '-3', '-4', '+x', '+3', '+y', ' 5'));
    assert.equal(unifiedDiff(a, b, { maxWork: 3 }), unifiedDiff(a, b, { maxEdits: 1 }));
  });

  it('stays bounded on two large unrelated texts', () => {
    const a = seq(20_000, (i) => `a${i}`);
    const b = seq(20_000, (i) => `b${i}`);
    const started = Date.now();
    const d = unifiedDiff(a, b);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(d.split('\n').length, 3 + 40_000 + 1);
    assert.equal(diffLines(['x', 'y'], ['y', 'x']).map((l) => l.op).join(' '), 'delete equal insert');
  });
});

const BASE = lines('/a => /x;', '/b => /y;', '/c => /z;');

describe('mergeDtabs', () => {
  it('a conflict block in a CRLF text is followed by the next line, with no blank line between', () => {
    const base = '/a => /x;\r\n/b => /y;\r\n/c => /d;\r\n';
    assert.deepEqual(mergeDtabs(base, '/a => /x;\r\n/b => /t;\r\n/c => /d;\r\n', '/a => /x;\r\n/b => /u;\r\n/c => /d;\r\n'), {
      text: '/a => /x;\r\n<<<<<<< yours\n/b => /u;\n||||||| base\n/b => /y;\n=======\n/b => /t;\n>>>>>>> theirs (namerd)\r\n/c => /d;\r\n',
      conflicts: 1,
    });
  });
  it('takes your text when theirs did not change, theirs when you did not', () => {
    assert.deepEqual(mergeDtabs(BASE, BASE, '# mine\n' + BASE), { text: '# mine\n' + BASE, conflicts: 0 });
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/c=>/z', BASE), { text: '/a=>/x;/c=>/z', conflicts: 0 });
  });

  it('takes an addition of theirs after its predecessor, keeping your comments', () => {
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/n=>/q;/b=>/y;/c=>/z;/d=>/w', '# mine\n' + BASE), {
      text: lines('# mine', '/a => /x;', '/n=>/q;', '/b => /y;', '/c => /z;', '/d=>/w;'),
      conflicts: 0,
    });
    // With no predecessor: before your first dentry.
    assert.deepEqual(mergeDtabs(BASE, '/0=>/o;' + BASE, '# mine\n' + BASE), { text: lines('# mine', '/0=>/o;', '/a => /x;', '/b => /y;', '/c => /z;'), conflicts: 0 });
  });

  it('takes a change and a removal of theirs; keeps your additions, changes and removals', () => {
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x2;/c=>/z', lines('/a => /x;', '/b => /y;', '/c => /z;  # z', '/e => /new;')), {
      text: lines('/a=>/x2;', '/c => /z;  # z', '/e => /new;'),
      conflicts: 0,
    });
    assert.deepEqual(mergeDtabs(BASE, BASE.replace('/a => /x', '/a => /x2'), lines('/a => /x;', '/b => /y2;')), { text: lines('/a => /x2;', '/b => /y2;'), conflicts: 0 });
  });

  it('takes the same change made on both sides once', () => {
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/b=>(/y2);/c=>/z;/d=>/w', lines('/a => /x;', '/b => /y2;', '/c => /z;', '/d => /w;')), {
      text: lines('/a => /x;', '/b => /y2;', '/c => /z;', '/d => /w;'),
      conflicts: 0,
    });
    // Weights written differently are the same destination only when the numbers are equal.
    assert.equal(mergeDtabs('/s => /a;', '/s => 1 * /b & 1.0 * /c;', '/s=>/b & /c;').conflicts, 0);
  });

  it('marks different changes to the same dentry as a conflict, your comment on your side', () => {
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/b=>/y3;/c=>/z', lines('/a => /x;', '/b => /y2;  # changed', '/c => /z;')), {
      text: lines('/a => /x;', '<<<<<<< yours', '/b => /y2;  # changed', '||||||| base', '/b => /y;', '=======', '/b=>/y3;', '>>>>>>> theirs (namerd)', '/c => /z;'),
      conflicts: 1,
    });
  });

  it('marks a change on one side and a removal on the other as a conflict', () => {
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/c=>/z', lines('/a => /x;', '/b => /y2;', '/c => /z;')), {
      text: lines('/a => /x;', '<<<<<<< yours', '/b => /y2;', '||||||| base', '/b => /y;', '=======', '>>>>>>> theirs (namerd)', '/c => /z;'),
      conflicts: 1,
    });
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/b=>/y2;/c=>/z', lines('/a => /x;', '/c => /z;')), {
      text: lines('/a => /x;', '<<<<<<< yours', '||||||| base', '/b => /y;', '=======', '/b=>/y2;', '>>>>>>> theirs (namerd)', '/c => /z;'),
      conflicts: 1,
    });
  });

  it('marks the same prefix added with different destinations as a conflict', () => {
    assert.deepEqual(mergeDtabs(BASE, BASE + '/d=>/1;', BASE + '/d => /2;\n'), {
      text: BASE + lines('<<<<<<< yours', '/d => /2;', '||||||| base', '=======', '/d=>/1;', '>>>>>>> theirs (namerd)'),
      conflicts: 1,
    });
  });

  it('keeps your order (a reorder of yours) with their change; a reorder of theirs alone is not taken', () => {
    assert.deepEqual(mergeDtabs(BASE, '/a=>/x;/b=>/y;/c=>/z2', lines('/c => /z;', '/a => /x;', '/b => /y;')), { text: lines('/c=>/z2;', '/a => /x;', '/b => /y;'), conflicts: 0 });
    assert.deepEqual(mergeDtabs(BASE, '/c=>/z;/b=>/y;/a=>/x', '# mine\n' + BASE), { text: '# mine\n' + BASE, conflicts: 0 });
  });

  it('adds the missing `;` before a dentry taken after your last one', () => {
    assert.deepEqual(mergeDtabs(BASE, BASE + '/e=>/1', lines('/a => /x;', '/b => /y;', '/c => /z2').slice(0, -1)), { text: lines('/a => /x;', '/b => /y;', '/c => /z2;', '/e=>/1;').slice(0, -1), conflicts: 0 });
  });

  it('with syntax errors, puts the whole texts in one conflict', () => {
    assert.deepEqual(mergeDtabs('/a=>/b', '/a=>/c', '/a=>'), { text: lines('<<<<<<< yours', '/a=>', '||||||| base', '/a=>/b', '=======', '/a=>/c', '>>>>>>> theirs (namerd)'), conflicts: 1 });
  });
});
