import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  describeImpact,
  interpreterFor,
  lowerDtab,
  NamerRegistry,
  parseDtab,
  registerK8sNamers,
  routingImpact,
  snapshotSource,
  sourceServices,
  type ImpactInput,
  type Interpreter,
  type Path,
} from '../../core/index.js';

const dtab = (text: string) => {
  const s = parseDtab(text);
  assert.deepEqual(s.errors, []);
  return lowerDtab(s);
};

function impact(before: string, after: string, extra: Partial<ImpactInput> = {}, interpreter: Interpreter = interpreterFor()) {
  const b = dtab(before);
  const a = dtab(after);
  return routingImpact({ before: b, after: a, bindBefore: (p) => interpreter.bind(b, p), bindAfter: (p) => interpreter.bind(a, p), ...extra });
}

const K8S = '/srv => /#/io.l5d.k8s/default/http;\n/svc => /srv;\n';

describe('routingImpact', () => {
  it('describes a weight shift in a union for people', async () => {
    const r = await impact(K8S + '/svc/world => /srv/world-v1;', K8S + '/svc/world => 1 * /srv/world-v2 & 9 * /srv/world-v1;');
    assert.deepEqual(r.rows, [
      {
        name: '/svc/world',
        before: '/#/io.l5d.k8s/default/http/world-v1',
        after: '/#/io.l5d.k8s/default/http/world-v2 & 9.00*/#/io.l5d.k8s/default/http/world-v1',
        shift: 'world-v1 100% → world-v1 90%, world-v2 10%',
      },
    ]);
    assert.equal(r.considered, 3);
    assert.equal(r.cut, false);
    assert.deepEqual(describeImpact(r), ['/svc/world: world-v1 100% → world-v1 90%, world-v2 10%', '1 logical name changes where it goes (3 names compared)']);
  });

  it('compares the names that reach a changed dentry through another (/svc/world by /svc => /host)', async () => {
    const base = '/srv => /$/inet/127.1;\n/host => /srv;\n/svc => /host;\n';
    const r = await impact(base + '/host/world => /srv/7001;', base + '/host/world => /srv/7002;');
    assert.deepEqual(r.rows.map((x) => [x.name, x.before, x.after]), [
      ['/host/world', '/$/inet/127.1/7001', '/$/inet/127.1/7002'],
      ['/svc/world', '/$/inet/127.1/7001', '/$/inet/127.1/7002'],
    ]);
    assert.equal(r.considered, 5);
  });

  it('reports a new prefix and a removed one', async () => {
    const one = '/svc/a => /$/inet/127.1/1;';
    const two = one + '/svc/b => /$/inet/127.1/2;';
    assert.deepEqual((await impact(one, two)).rows, [{ name: '/svc/b', before: '~', after: '/$/inet/127.1/2' }]);
    const removed = await impact(two, one);
    assert.deepEqual(removed.rows, [{ name: '/svc/b', before: '/$/inet/127.1/2', after: '~' }]);
    assert.deepEqual(describeImpact(removed), ['/svc/b: /$/inet/127.1/2 → ~', '1 logical name changes where it goes (2 names compared)']);
  });

  it('follows a change of the alternative that wins', async () => {
    const base = '/s1 => /$/inet/127.1/1;\n/s2 => /$/inet/127.1/2;\n';
    const r = await impact(base + '/svc => /nothere | /s1;', base + '/svc => /nothere | /s2 | /s1;');
    assert.deepEqual(r.rows, [{ name: '/svc', before: '/$/inet/127.1/1', after: '/$/inet/127.1/2' }]);
  });

  it('reports a name that went nowhere and now goes somewhere', async () => {
    const r = await impact('/svc/x => ~;', '/svc/x => /$/inet/127.1/1;');
    assert.deepEqual(r.rows, [{ name: '/svc/x', before: '~', after: '/$/inet/127.1/1' }]);
  });

  it('sees no change in weights written differently, or branches in another order, that route the same', async () => {
    const base = '/s1 => /$/inet/127.1/1;\n/s2 => /$/inet/127.1/2;\n';
    const r = await impact(base + '/svc => 9 * /s1 & 1 * /s2;', base + '/svc => 0.1 * /s2 & 0.9 * /s1;');
    assert.deepEqual(r.rows, []);
    assert.deepEqual(describeImpact(r), ['no logical name changes where it goes (3 names compared)']);
  });

  it('compares the names the user gives first, with their residual', async () => {
    const r = await impact('/svc => /$/inet/127.1/1;', '/svc => /$/inet/127.1/2;', { names: [['svc', 'x', 'y'] as Path] });
    assert.deepEqual(r.rows, [
      { name: '/svc/x/y', before: '/$/inet/127.1/1/x/y', after: '/$/inet/127.1/2/x/y' },
      { name: '/svc', before: '/$/inet/127.1/1', after: '/$/inet/127.1/2' },
    ]);
  });

  it('labels a shift with the full name where the last element would be ambiguous', async () => {
    const r = await impact('/svc => /$/inet/127.1/1;', '/svc => /$/inet/127.1/1 & /#/io.l5d.fs/1;');
    assert.deepEqual(r.rows, [{ name: '/svc', before: '/$/inet/127.1/1', after: '/$/inet/127.1/1 & /#/io.l5d.fs/1', shift: '127.1:1 100% → 127.1:1 50%, 1 50%' }]);
    const same = await impact('/svc => /#/io.l5d.fs/a/x;', '/svc => /#/io.l5d.k8s/default/http/x & /#/io.l5d.fs/x;');
    assert.equal(same.rows[0]!.shift, 'a 100% → /#/io.l5d.k8s/default/http/x 50%, /#/io.l5d.fs/x 50%');
  });

  it('compares failures as text', async () => {
    const r = await impact('/a => /b;\n/b => /a;', '/a => /$/inet/127.1/1;\n/b => /a;');
    assert.deepEqual(r.rows, [
      { name: '/a', before: 'fails: Max recursion level: 100 reached in Namer lookup', after: '/$/inet/127.1/1' },
      { name: '/b', before: 'fails: Max recursion level: 100 reached in Namer lookup', after: '/$/inet/127.1/1' },
    ]);
    const failing = { before: dtab('/a => /b'), after: dtab('/a => /c') };
    const thrown = await routingImpact({ ...failing, bindBefore: () => Promise.reject(new Error('boom')), bindAfter: () => Promise.reject(new Error('boom')) });
    assert.deepEqual(thrown.rows, []);
    assert.equal(thrown.considered, 1);
  });

  it('compares /svc/<service> for the services of a snapshot that either dtab reaches', async () => {
    const source = snapshotSource(readFileSync(join(__dirname, '..', '..', 'examples', 'cluster.k8s-snapshot.yaml'), 'utf8'), 'cluster.k8s-snapshot.yaml');
    const services = sourceServices(source);
    assert.deepEqual(services, ['gen', 'hello', 'web', 'word', 'world-v1', 'world-v2']);
    const interpreter = interpreterFor({ registry: registerK8sNamers(new NamerRegistry(), () => source) });
    // gen, web and word have no http port: neither dtab reaches them, so they are not compared.
    const r = await impact(K8S, '/srv => /#/io.l5d.k8s/default/http;\n/svc => /srv;\n/svc/hello => /srv/world-v2;', { services }, interpreter);
    assert.deepEqual(r.rows, [{ name: '/svc/hello', before: '/#/io.l5d.k8s/default/http/hello', after: '/#/io.l5d.k8s/default/http/world-v2' }]);
    assert.equal(r.considered, 5);
    // A service only the new dtab reaches counts too.
    const grpc = await impact(K8S, K8S + '/svc/gen => /#/io.l5d.k8s/default/grpc/gen;', { services }, interpreter);
    assert.deepEqual(grpc.rows, [{ name: '/svc/gen', before: '~', after: '/#/io.l5d.k8s/default/grpc/gen' }]);
    assert.equal(grpc.considered, 6);
  });

  it('binds at most `limit` names of a hostile dtab, and says it cut the rest', async () => {
    const many = (to: number) => Array.from({ length: 10_000 }, (_, i) => `/p${i} => /$/inet/127.1/${to};`).join('\n');
    const started = Date.now();
    const r = await impact(many(1), many(2));
    assert.ok(Date.now() - started < 20_000);
    assert.equal(r.considered, 1000);
    assert.equal(r.rows.length, 1000);
    assert.equal(r.cut, true);
    assert.equal(r.candidates, 10_000);
    const lines = describeImpact(r);
    assert.deepEqual(lines.slice(-2), [
      '1000 logical names change where they go (1000 names compared)',
      'only the first 1000 of 10000 names were bound (the limit): the others were not compared',
    ]);
    const small = await impact(many(1), many(1), { limit: 10 });
    assert.deepEqual(describeImpact(small), ['no logical name changes where it goes (10 names compared)', 'only the first 10 of 10000 names were bound (the limit): the others were not compared']);
  });
});
