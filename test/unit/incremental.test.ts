// Incremental analysis (core/ide/incremental.ts) gives exactly what a full analysis gives, after
// every edit: the property below applies random edits to random dtabs and compares each time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeDtab, combineChanges, CycleMemo, deepDiagnosticsSync, DtabAnalysis, IncrementalDtab, textChange } from '../../core/index.js';
import { assertSameAsFull, checkEdits, incrementalProperty } from '../support/incremental.js';

const numRuns = Number(process.env.PROPERTY_RUNS ?? 300);

describe('incremental analysis', () => {
  it('after random edits, the same syntax, diagnostics, dtab and prefix index as a full analysis', () => {
    fc.assert(incrementalProperty, { numRuns });
  });

  it('merging and splitting dentries, comments that swallow a `;`, a `(` whose line moves', () => {
    const start = '/a => /b;\n/c => /d;\n# note\n/e => (/f\n/g => /h;\n';
    checkEdits(start, [
      { at: 8 / start.length, remove: 1, insert: '', hint: true, lower: true }, // `;` removed: two dentries merge
      { at: 8 / start.length, remove: 0, insert: ';', hint: true, lower: true }, // and split again
      { at: 0, remove: 0, insert: '# ', hint: true, lower: true }, // the first dentry becomes a comment
      { at: 0, remove: 0, insert: '\n\n', hint: false, lower: true }, // lines move: "the `(` on line N"
      { at: 1, remove: 1000, insert: '', hint: true, lower: true }, // all gone
      { at: 0, remove: 0, insert: start, hint: true, lower: true },
    ]);
  });

  it('a large dtab: a one-character edit re-reads a few dentries, and later nodes move with it', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `/svc/s${i} => /#/io.l5d.k8s/ns/http/s${i} ;`);
    const text = lines.join('\n') + '\n';
    const engine = new IncrementalDtab(text);
    const before = engine.latest.syntax.entries;
    const at = text.indexOf('/svc/s1000 ') + 5;
    const next = text.slice(0, at) + 'x' + text.slice(at);
    engine.update(next, { start: at, oldEnd: at, newEnd: at + 1 });
    const after = engine.latest.syntax.entries;
    const reused = after.filter((e) => before.includes(e)).length;
    assert.ok(reused >= 1995, `only ${reused} of 2000 dentries kept`);
    assertSameAsFull(engine, next, true);
  });

  it('deep checks keep the cycle answers an edit cannot change, and stop at the same bound as from scratch', () => {
    // Each /p prefix costs 6,835 units of work; a third of the dentries share one prefix (its work
    // counts once), and the document's bound (5,000,000) is reached before the last of them.
    const fan = Array.from({ length: 1000 }, (_, k) => `/w/${k}`).join(' & ');
    const lines = [`/big => ${fan} ;`, '/w => /v ;', '/v => /u ;'];
    for (let i = 0; i < 1200; i++) lines.push(`/p/${i % 3 === 0 ? 'dup' : i} => /big ;`);
    lines.push('/loop/a => /loop/b ;', '/loop/b => /loop/a ;');
    const text = lines.join('\n') + '\n';
    const engine = new IncrementalDtab(text);
    const memo = new CycleMemo();
    const deep = () => deepDiagnosticsSync(new DtabAnalysis(engine.latest.syntax, { incremental: engine.latest }), memo);
    const first = deep();
    const stopped = [
      'deep-checks-stopped',
      'Cycle checks stopped here: checking the dentries above took 5000000 units of work (the bound), so the dentries from line 1099 on were not checked for cycles.',
    ];
    assert.deepEqual(first.filter((d) => d.code !== 'delegation-too-complex').map((d) => [d.code, d.message]), [stopped]);
    // `/big`, `/w`, `/v` and the 731 distinct /p prefixes before the bound.
    assert.equal(memo.checked, 734);
    // An edit of one /p dentry: only the dentries read again are checked again.
    const at = text.indexOf('/p/500 ') + 3;
    const next = text.slice(0, at) + '9' + text.slice(at);
    engine.update(next, { start: at, oldEnd: at, newEnd: at + 1 });
    const again = deep();
    assert.ok(memo.checked - 734 <= 3, `${memo.checked - 734} prefixes checked again`);
    assert.deepEqual(again, deepDiagnosticsSync(analyzeDtab(next)));
    assert.deepEqual(again.filter((d) => d.code !== 'delegation-too-complex').map((d) => [d.code, d.message]), [stopped]);
    // An edit the /w fan goes through changes every /p answer: they are all checked again.
    const v = next.indexOf('/v => /u') + 7;
    const third = next.slice(0, v) + 't' + next.slice(v + 1);
    const before = memo.checked;
    engine.update(third, { start: v, oldEnd: v + 1, newEnd: v + 1 });
    assert.deepEqual(deep(), deepDiagnosticsSync(analyzeDtab(third)));
    assert.equal(memo.checked - before, 734);
  });

  it('textChange and combineChanges', () => {
    assert.deepEqual(textChange('abcdef', 'abXdef'), { start: 2, oldEnd: 3, newEnd: 3 });
    assert.deepEqual(textChange('aaa', 'aaaa'), { start: 3, oldEnd: 3, newEnd: 4 });
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.nat(), fc.nat(5), fc.string({ maxLength: 4 }), fc.nat(), fc.nat(5), fc.string({ maxLength: 4 }), (t0, a1, r1, i1, a2, r2, i2) => {
        const s1 = a1 % (t0.length + 1);
        const e1 = Math.min(t0.length, s1 + r1);
        const t1 = t0.slice(0, s1) + i1 + t0.slice(e1);
        const s2 = a2 % (t1.length + 1);
        const e2 = Math.min(t1.length, s2 + r2);
        const t2 = t1.slice(0, s2) + i2 + t1.slice(e2);
        const c = combineChanges({ start: s1, oldEnd: e1, newEnd: s1 + i1.length }, { start: s2, oldEnd: e2, newEnd: s2 + i2.length });
        assert.equal(t0.slice(0, c.start) + t2.slice(c.start, c.newEnd) + t0.slice(c.oldEnd), t2);
      }),
    );
  });
});
