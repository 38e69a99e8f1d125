// The one namer catalogue (core/config/namers.ts): every namer kind of the key catalogue, with its
// default prefix, path shape and doc; hover and completion of `/#/…` paths read it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogue, CONFIGURED_NAMERS, NAMER_KINDS, namerDoc, namerKind, namerPrefix } from '../../core/index.js';

describe('namer catalogue', () => {
  it('has every namer kind of the key catalogue, with default prefixes and experimental gates', () => {
    const kinds = Object.keys(catalogue.polymorphic.namer!).filter((k) => !k.startsWith('_'));
    assert.equal(kinds.length, 13);
    assert.deepEqual(NAMER_KINDS.map((n) => n.kind), kinds);
    assert.deepEqual(
      NAMER_KINDS.map((n) => [n.kind, n.defaultPrefix, n.experimental]),
      [
        ['io.l5d.fs', '/#/io.l5d.fs', false],
        ['io.l5d.serversets', '/#/io.l5d.serversets', false],
        ['io.l5d.consul', '/#/io.l5d.consul', false],
        ['io.l5d.k8s', '/#/io.l5d.k8s', false],
        ['io.l5d.k8s.external', '/#/io.l5d.k8s.external', true],
        ['io.l5d.k8s.ns', '/#/io.l5d.k8s.ns', false],
        ['io.l5d.k8s.istio', '/#/io.l5d.k8s.istio', true],
        ['io.l5d.marathon', '/#/io.l5d.marathon', false],
        ['io.l5d.zkLeader', '/#/io.l5d.zkLeader', false],
        ['io.l5d.curator', '/#/io.l5d.curator', true],
        ['io.l5d.dnssrv', '/#/io.l5d.dnssrv', true],
        ['io.l5d.rancher', '/#/io.l5d.rancher', true],
        ['io.l5d.rewrite', undefined, false],
      ],
    );
    for (const n of NAMER_KINDS) assert.ok(n.shape.startsWith(n.defaultPrefix ?? '/#/<prefix>'), n.kind);
    assert.equal(namerKind('io.l5d.k8s')?.shape, '/#/io.l5d.k8s/<namespace>/<port>/<service>');
  });

  it('CONFIGURED_NAMERS: the kinds with a default prefix, for hover and completion', () => {
    assert.deepEqual(
      CONFIGURED_NAMERS.map((n) => n.kind),
      NAMER_KINDS.filter((n) => n.kind !== 'io.l5d.rewrite').map((n) => n.kind),
    );
    assert.deepEqual(namerDoc(['#', 'io.l5d.rancher', '4140', 'stack', 'svc']), {
      shape: '/#/io.l5d.rancher/<port>/<stack>/<service>',
      doc: 'The Rancher metadata service (needs `experimental: true`).',
      system: false,
    });
    assert.equal(namerDoc(['#', 'io.l5d.rewrite', 'x']), undefined, 'the rewrite namer answers only under its own prefix');
    assert.equal(namerDoc(['$', 'inet', '127.1', '80'])?.system, true);
  });

  it('a namer answers under `/#` + its prefix (Linkerd\'s NamerConfig), else its kind\'s default', () => {
    assert.equal(namerPrefix('io.l5d.k8s', undefined), '/#/io.l5d.k8s');
    assert.equal(namerPrefix('io.l5d.k8s', '/k8s'), '/#/k8s');
    assert.equal(namerPrefix('io.l5d.fs', '/#/io.l5d.fs'), '/#/#/io.l5d.fs');
    assert.equal(namerPrefix('io.l5d.fs', '/'), '/#/');
    assert.equal(namerPrefix('io.l5d.rewrite', undefined), undefined);
    assert.equal(namerPrefix('com.example.namer', undefined), '/#/com.example.namer');
    assert.equal(namerPrefix(undefined, undefined), undefined);
  });
});
