import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDtabText, explainDentry, findCycle, findShadowed } from '../../core/index.js';
import { dtab } from '../support/dtab.js';

const codes = (text: string) => checkDtabText(text).diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end)]);

describe('checker warnings', () => {
  it('flags an exact duplicate dentry (not the same prefix with another destination)', () => {
    assert.deepEqual(codes('/a=>/b;\n/a=>/c;\n/a => /b ;'), [['duplicate-dentry', '/a => /b']]);
  });

  it('flags a weight outside a union, with a fix that removes it', () => {
    const { diagnostics } = checkDtabText('/a => 0.5 * /b');
    assert.equal(diagnostics[0]!.code, 'weight-outside-union');
    assert.deepEqual(diagnostics[0]!.fixes![0]!.edits, [{ span: { start: 6, end: 12 }, text: '' }]);
  });

  it('flags a zero union weight, unless every weight is zero', () => {
    assert.deepEqual(codes('/a => 0 * /b & 1 * /c'), [['zero-weight', '0']]);
    assert.deepEqual(codes('/a => 0 * /b & 0 * /c'), []);
  });

  it('flags unknown /$/ namers but not the ones Linkerd ships', () => {
    assert.deepEqual(codes('/a => /$/inet/127.1/80 | /$/io.buoyant.rinet/80/h | /$/nope/x'), [['unknown-system-namer', 'nope']]);
  });

  it('flags k8s paths of the wrong shape', () => {
    assert.deepEqual(codes('/a => /#/io.l5d.k8s/http/default/svc'), [['k8s-path-shape', 'http']]);
    assert.deepEqual(codes('/a => /#/io.l5d.k8s/default/http/My_Svc'), [['k8s-path-shape', 'My_Svc']]);
    assert.deepEqual(codes('/a => /#/io.l5d.k8s/Default/HTTP/Hello-World/rest;/b=>/#/io.l5d.k8s/default/8080'), []);
  });

  it('offers a fix for look-alike characters, on the syntax error they cause', () => {
    const { diagnostics } = checkDtabText('/a\u00a0=> /b');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'expected-arrow');
    assert.deepEqual(diagnostics[0]!.fixes![0]!.edits, [{ span: { start: 2, end: 3 }, text: ' ' }]);
    // In a comment it is harmless.
    assert.deepEqual(codes('# a\u00a0note\n/a => /b'), []);
  });
});

describe('deep checks', () => {
  it('finds dentries that a later, more general one always answers for', () => {
    const d = dtab('/svc/a => /x ; /svc/* => /y ; /svc => /$/inet/127.1/80 ; /other => /z');
    assert.deepEqual(findShadowed(d), [
      { index: 0, by: 2 },
      { index: 1, by: 2 },
    ]);
    assert.deepEqual(findShadowed(dtab('/svc/a => /x ; /svc => /srv')), [], 'a destination that can be negative does not shadow');
  });

  it('finds delegation cycles and shows the loop', () => {
    const d = dtab('/a => /b ; /b => /a ; /c => /$/inet/1');
    assert.deepEqual(findCycle(d, 0)?.loop, ['/a', '/b', '/a']);
    assert.equal(findCycle(d, 2), undefined);
    assert.ok(findCycle(dtab('/s => /s/x | /t'), 0), 'a cycle through one branch of an alternative');
  });
});

describe('explanations', () => {
  it('says what a dentry does and which dentries it overrides', () => {
    const d = dtab('/host => /srv ; /host/world => /srv/world-v1 | /srv/world ; /host/* => !');
    const e = explainDentry(d, 1);
    assert.equal(e.summary, 'Requests for `/host/world/…` are sent to `/srv/world-v1/…`; if that is negative (`~`), they go to `/srv/world/…`.');
    assert.deepEqual(e.overrides, [0]);
    assert.deepEqual(e.overriddenBy, [2]);
    assert.equal(explainDentry(d, 2).summary, 'Requests for `/host/<any>/…` fail at once (`!`): no other dentry is tried.');
  });
});
