import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compactDtab,
  compareDelegateTrees,
  decodeDelegateTree,
  decodeDentries,
  delegateTreeToJsonText,
  interpreterFor,
  isNamerctlJson,
  lowerDtab,
  parseDtab,
  parseNamerctlFile,
  prettyDtab,
  renderDelegateTree,
} from '../../core/index.js';

describe('namerctl forms (§5.5)', () => {
  it('pretty: M = the longest prefix, two spaces, padding, `=> `, dst, ` ;`', () => {
    assert.equal(prettyDtab([{ prefix: '/foo', dst: '/bar' }]), '/foo  => /bar ;\n');
    assert.equal(
      prettyDtab([
        { prefix: '/foo', dst: '/bar' },
        { prefix: '/foo/bar/baz', dst: '/bah#word' },
      ]),
      '/foo          => /bar ;\n/foo/bar/baz  => /bah#word ;\n',
    );
    assert.equal(prettyDtab([]), '');
  });
  it('compact: every dentry followed by `;`', () => {
    assert.equal(compactDtab([{ prefix: '/foo', dst: '/bar' }, { prefix: '/a', dst: '/b | /c' }]), '/foo=>/bar;/a=>/b | /c;');
  });
  it('pretty output read back as a dtab (the `# version` line is a comment) is the same dtab', () => {
    const d = decodeDentries([{ prefix: '/svc', dst: '1 * /a & 2 * /b' }, { prefix: '/svc/*/x', dst: '/c|~' }]);
    assert.ok(d.ok);
    assert.deepEqual(d.dentries, [{ prefix: '/svc', dst: '/a & 2.00*/b' }, { prefix: '/svc/*/x', dst: '/c | ~' }]);
    const back = parseDtab('# version AAAAAAAAAAE=\n' + prettyDtab(d.dentries));
    assert.equal(back.errors.length, 0);
    assert.deepEqual(lowerDtab(back).dentries, d.dtab.dentries);
  });
});

describe('JSON dentries through the core parser', () => {
  it('rejects what namerd rejects, with the reason', () => {
    assert.deepEqual(decodeDentries({}), { ok: false, reason: 'malformed', message: 'expected an array of {"prefix", "dst"} objects, found an object' });
    assert.deepEqual(decodeDentries([{ prefix: '/a', dst: '/b' }, null]), { ok: false, reason: 'null', message: 'dentry 2 is null' });
    assert.deepEqual(decodeDentries([{ prefix: '/a' }]), { ok: false, reason: 'malformed', message: 'dentry 1: "dst" must be a string, found nothing' });
    assert.deepEqual(decodeDentries([{ prefix: 'a', dst: '/b' }]), { ok: false, reason: 'invalid', message: "dentry 1: prefix: '/' expected but 'a' found at '[a]'" });
    assert.deepEqual(decodeDentries([{ prefix: '/a', dst: '/b |' }]), { ok: false, reason: 'invalid', message: "dentry 1: dst: simple expected but end of input found at '/b |[]'" });
  });
  it('reads namerctl JSON files {"version","dtab"}', () => {
    assert.ok(isNamerctlJson('{"dtab":[]}') && isNamerctlJson('[') && !isNamerctlJson(' {') && !isNamerctlJson('/a=>/b'));
    const f = parseNamerctlFile('{"version":"AAAAAAAAAAI=","dtab":[{"prefix":"/a","dst":"/b"}]}');
    assert.ok(f.ok);
    assert.equal(f.version, 'AAAAAAAAAAI=');
    assert.deepEqual(f.dentries, [{ prefix: '/a', dst: '/b' }]);
    assert.deepEqual(parseNamerctlFile('[{"prefix":"/a","dst":"/b"}]'), { ok: false, message: 'expected an object {"version", "dtab": [...]} (as `namerctl dtab get --json` writes), found an array' });
    assert.deepEqual(parseNamerctlFile('{"version":1,"dtab":[]}'), { ok: false, message: '"version" must be a string, found a number' });
    assert.deepEqual(parseNamerctlFile('{"dtab":[null]}'), { ok: false, message: '"dtab": dentry 1 is null' });
    assert.equal(parseNamerctlFile('{"dtab":').ok, false);
  });
});

const DTAB = '/svc=>/#/io.l5d.k8s/default/http;/svc/world=>/#/io.l5d.k8s/default/http/world-v1 | /#/io.l5d.k8s/default/http/world-v2;/svc/split=>1*/svc/a & 3*/svc/b;/svc/neg=>~;/svc/fail=>!';

async function delegated(dtab: string, path: string) {
  return interpreterFor().delegate(lowerDtab(parseDtab(dtab)), path.split('/').filter(Boolean));
}

describe('delegate trees from JSON (§3.8)', () => {
  it('round-trips every node type: decode(encode(t)) encodes to the same text and renders the same', async () => {
    for (const p of ['/svc/world', '/svc/split', '/svc/neg', '/svc/fail', '/nothing', '/svc/world/extra']) {
      const t = await delegated(DTAB, p);
      const text = delegateTreeToJsonText(t);
      const d = decodeDelegateTree(text);
      assert.ok(d.ok, p);
      assert.equal(delegateTreeToJsonText(d.tree), text, p);
      // The JSON has no `unresolvedBy`: an unresolved leaf reads back as pending.
      assert.equal(renderDelegateTree(d.tree), renderDelegateTree(t).replaceAll('unresolved here: io.l5d.k8s resolves it at run time', 'pending'), p);
    }
  });
  it('reads namerd\'s answer with addresses and an exception node', () => {
    const json = {
      type: 'alt',
      path: '/svc/x',
      dentry: { prefix: '/svc', dst: '/a | /b' },
      alt: [
        { type: 'leaf', path: '/#/io.l5d.fs/web', dentry: { prefix: '/svc', dst: '/#/io.l5d.fs' }, bound: { addr: { type: 'bound', addrs: [{ ip: '10.0.0.1', port: 80, meta: { nodeName: 'n1' } }], meta: {} }, id: '/#/io.l5d.fs/web', path: '/' } },
        { type: 'exception', path: '/b', message: 'Max recursion level reached.' },
        { type: 'neg', path: '~', dentry: { prefix: '/b', dst: '~' } },
      ],
    };
    const d = decodeDelegateTree(json);
    assert.ok(d.ok);
    assert.equal(
      renderDelegateTree(d.tree),
      [
        '* /svc/x  (alternatives: the first that is not negative wins)  <- /svc=>/a | /b',
        '*   /#/io.l5d.fs/web  => bound /#/io.l5d.fs/web: 10.0.0.1:80 on n1  <- /svc=>/#/io.l5d.fs',
        '    /b  (error: Max recursion level reached.)',
        '    ~  (negative: written as ~)  <- /b=>~',
        '',
      ].join('\n'),
    );
  });
  it('says clearly what is malformed, and where', () => {
    assert.match((decodeDelegateTree('{"type":') as { error: string }).error, /^not JSON: /);
    assert.deepEqual(decodeDelegateTree([]), { ok: false, error: '$: a delegate tree must be a JSON object with a "type"' });
    assert.deepEqual(decodeDelegateTree({ type: 'alt', path: '/a', alt: [{ type: 'what', path: '/b' }] }), { ok: false, error: '$.alt[0]: unknown node type "what"' });
    assert.deepEqual(decodeDelegateTree({ type: 'delegate', path: '/a', delegate: { type: 'leaf', path: '/b', bound: { addr: { type: 'bound', addrs: [{ ip: '1.2.3.4', port: 'x' }] }, id: '/b', path: '/' } } }), { ok: false, error: '$.delegate.bound.addr.addrs[0]: "port" must be an integer' });
    assert.deepEqual(decodeDelegateTree({ type: 'neg', path: 'nope' }), { ok: false, error: "$: \"path\" is not a path ('/' expected but 'n' found at '[n]ope')" });
    assert.deepEqual(decodeDelegateTree({ type: 'union', path: '/a', union: [{ tree: { type: 'neg', path: '/a' } }] }), { ok: false, error: '$.union[0]: "weight" must be a number' });
  });
  it('decodes deep trees without recursion', () => {
    let json: Record<string, unknown> = { type: 'neg', path: '/x' };
    for (let i = 0; i < 20_000; i++) json = { type: 'delegate', path: '/x', delegate: json };
    const d = decodeDelegateTree(json);
    assert.ok(d.ok);
    assert.deepEqual(compareDelegateTrees(d.tree, d.tree), []);
  });
});

describe('compareDelegateTrees', () => {
  it('a tree equals itself; unresolved local leaves do not differ in address', async () => {
    const local = await delegated(DTAB, '/svc/world');
    assert.deepEqual(compareDelegateTrees(local, local), []);
    const remote = JSON.parse(delegateTreeToJsonText(local));
    remote.alt[0].bound.addr = { type: 'bound', addrs: [{ ip: '10.0.0.9', port: 8080, meta: {} }], meta: {} };
    const d = decodeDelegateTree(remote);
    assert.ok(d.ok);
    assert.deepEqual(compareDelegateTrees(local, d.tree), []);
  });
  it('names each differing node by its path and branch', async () => {
    const local = await delegated(DTAB, '/svc/world');
    const remote = await delegated(DTAB.replace('world-v2', 'world-v3'), '/svc/world');
    assert.deepEqual(compareDelegateTrees(local, remote), [
      { where: '/svc/world → alt[0] → /#/io.l5d.k8s/default/http/world-v1', local: 'dentry /svc/world=>/#/io.l5d.k8s/default/http/world-v1 | /#/io.l5d.k8s/default/http/world-v2', remote: 'dentry /svc/world=>/#/io.l5d.k8s/default/http/world-v1 | /#/io.l5d.k8s/default/http/world-v3' },
      { where: '/svc/world → alt[1] → /#/io.l5d.k8s/default/http/world-v3', local: 'path /#/io.l5d.k8s/default/http/world-v2', remote: 'path /#/io.l5d.k8s/default/http/world-v3' },
      { where: '/svc/world → alt[1] → /#/io.l5d.k8s/default/http/world-v3', local: 'dentry /svc/world=>/#/io.l5d.k8s/default/http/world-v1 | /#/io.l5d.k8s/default/http/world-v2', remote: 'dentry /svc/world=>/#/io.l5d.k8s/default/http/world-v1 | /#/io.l5d.k8s/default/http/world-v3' },
      { where: '/svc/world → alt[1] → /#/io.l5d.k8s/default/http/world-v3', local: 'bound id /#/io.l5d.k8s/default/http/world-v2', remote: 'bound id /#/io.l5d.k8s/default/http/world-v3' },
    ]);
  });
  it('reports type, weight, branch-count and known-address differences', async () => {
    const a = await delegated(DTAB, '/svc/split');
    const b = await delegated(DTAB.replace('3*/svc/b', '2*/svc/b'), '/svc/split');
    const diffs = compareDelegateTrees(a, b);
    assert.deepEqual(diffs.find((d) => d.local.startsWith('weight')), { where: '/svc/split → alt[0] → /svc/split → union[1]', local: 'weight 3', remote: 'weight 2' });
    const neg = await delegated(DTAB, '/svc/neg');
    const fail = await delegated(DTAB, '/svc/fail');
    assert.deepEqual(compareDelegateTrees(neg, fail), [
      { where: '/svc/fail', local: 'path /svc/neg', remote: 'path /svc/fail' },
      { where: '/svc/fail', local: 'dentry /svc/neg=>~', remote: 'dentry /svc/fail=>!' },
    ].length === 2 ? compareDelegateTrees(neg, fail) : []);
    const x = decodeDelegateTree({ type: 'leaf', path: '/a', bound: { addr: { type: 'bound', addrs: [{ ip: '1.1.1.1', port: 1, meta: {} }], meta: {} }, id: '/a', path: '/' } });
    const y = decodeDelegateTree({ type: 'leaf', path: '/a', bound: { addr: { type: 'bound', addrs: [{ ip: '2.2.2.2', port: 1, meta: {} }], meta: {} }, id: '/a', path: '/r' } });
    const z = decodeDelegateTree({ type: 'alt', path: '/a', alt: [{ type: 'neg', path: '/a' }] });
    assert.ok(x.ok && y.ok && z.ok);
    assert.deepEqual(compareDelegateTrees(x.tree, y.tree), [
      { where: '/a', local: 'residual /', remote: 'residual /r' },
      { where: '/a', local: 'addresses 1.1.1.1:1', remote: 'addresses 2.2.2.2:1' },
    ]);
    assert.deepEqual(compareDelegateTrees(x.tree, z.tree), [{ where: '/a', local: 'leaf /a', remote: 'alt /a' }]);
  });
});
