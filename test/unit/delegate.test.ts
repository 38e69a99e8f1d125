import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  delegateTreeToJsonText,
  Interpreter,
  leaf,
  NEG,
  renderDelegateTree,
  reprBound,
  boundName,
  boundAddr,
  showPathTree,
  type ConfiguredNamer,
  type Namer,
} from '../../core/index.js';
import { conformanceInterpreter } from '../conformance/world.js';
import { dtab, path } from '../support/dtab.js';

describe('delegator', () => {
  it('writes the exact /delegator.json text of Linkerd (E1, weights as Java doubles)', () => {
    const d = dtab('/beh => /#/error ; /bah/humbug => /$/inet/127.1/8080 ; /foo => /bah | /beh | /$/fail ; /foo => /bar ; /boo => /foo ; /meh => /heh ; /neg => ~ ;');
    const tree = conformanceInterpreter().delegateSync(d, path('/boo/humbug'));
    assert.equal(
      delegateTreeToJsonText(tree),
      '{"type":"delegate","path":"/boo/humbug","delegate":{"type":"alt","path":"/foo/humbug","dentry":{"prefix":"/boo","dst":"/foo"},"alt":[' +
        '{"type":"neg","path":"/bar/humbug","dentry":{"prefix":"/foo","dst":"/bar"}},' +
        '{"type":"delegate","path":"/bah/humbug","dentry":{"prefix":"/foo","dst":"/bah | /beh | /$/fail"},"delegate":{"type":"leaf","path":"/$/inet/127.1/8080","dentry":{"prefix":"/bah/humbug","dst":"/$/inet/127.1/8080"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}},"id":"/$/inet/127.1/8080","path":"/"}}},' +
        '{"type":"delegate","path":"/beh/humbug","dentry":{"prefix":"/foo","dst":"/bah | /beh | /$/fail"},"delegate":{"type":"exception","path":"/#/error/humbug","dentry":{"prefix":"/beh","dst":"/#/error"},"message":"error naming /#/error/humbug"}},' +
        '{"type":"fail","path":"/$/fail/humbug","dentry":{"prefix":"/foo","dst":"/bah | /beh | /$/fail"}}]}}',
    );
    const union = conformanceInterpreter().delegateSync(dtab('/s => 3 * /$/inet/1 & /$/inet/2'), path('/s'));
    assert.match(delegateTreeToJsonText(union), /"weight":3\.0,.*"weight":1\.0,/);
  });

  it('marks the primary path and names the dentry of each step', () => {
    const d = dtab('/srv => /#/io.l5d.k8s/default/http; /host => /srv; /svc => /host; /host/world => /srv/world-v1');
    const text = renderDelegateTree(conformanceInterpreter().delegateSync(d, path('/svc/world')), { locate: (i) => `line ${i + 1}` });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], '* /svc/world');
    assert.match(lines[2]!, /^\* {5}\/srv\/world-v1 {2}<- \/host\/world=>\/srv\/world-v1 \(line 4\)$/);
    assert.match(lines[3]!, /^\* .*bound \/#\/io\.l5d\.k8s\/default\/http\/world-v1: 10\.1\.2\.1:7778/);
    assert.match(lines[4]!, /^ {6}\/srv\/world {2}<- \/host=>\/srv \(line 2\)$/);
  });

  it('tells a `~` written in a dentry from a path nothing matches (the root `/` included)', () => {
    const interp = conformanceInterpreter();
    assert.equal(renderDelegateTree(interp.delegateSync(dtab(''), path('/'))), '* /  (negative: nothing matches)\n');
    assert.match(renderDelegateTree(interp.delegateSync(dtab('/a=>~'), path('/a'))), /~ {2}\(negative: written as ~\) {2}<- \/a=>~/);
  });

  it('stops a plain cycle with Linkerd\'s messages', () => {
    const interp = conformanceInterpreter();
    assert.throws(() => interp.delegateSync(dtab('/a=>/b;/b=>/a'), path('/a')), /^DelegateDepthError: Max recursion level reached\.$/);
    assert.throws(() => interp.bindSync(dtab('/a=>/b;/b=>/a'), path('/a')), /Max recursion level: 100 reached in Namer lookup/);
  });

  it('stops an exponential fan-out within the step budget', () => {
    const d = dtab('/srv => 3 * /srv & 0.5 * /srv');
    const meter = { work: 0 };
    assert.throws(() => conformanceInterpreter().delegateSync(d, path('/srv/x'), meter), /stopped after 50000 steps/);
    // Bounded by work, not by time: two matches and a three-node tree a step.
    assert.ok(meter.work > 50_000 && meter.work <= 250_000, `work ${meter.work}`);
  });

  it('bounds the work inside each step, not only the steps (1,000 dentries with one prefix)', () => {
    const d = dtab(Array.from({ length: 1000 }, () => '/a => /a').join(';'));
    const meter = { work: 0 };
    assert.throws(() => conformanceInterpreter().delegateSync(d, path('/a'), meter), /^DelegationBudgetError: The delegation stopped after 250000 units of work/);
    assert.ok(meter.work <= 250_000 + 1001, `work ${meter.work}`);
  });

  it('stops trees that nest too deeply for the engine, with a clear message', () => {
    // With Linkerd's depth limit lifted, only the engine's own guard stops the recursion.
    const interp = new Interpreter([], undefined, { maxDelegateDepth: 100_000, maxBindDepth: 100_000 });
    assert.throws(() => interp.delegateSync(dtab('/a => /a'), path('/a')), /^DelegationBudgetError: The delegation stopped: its trees nest more than 1000 levels deep/);
    assert.throws(() => interp.bindSync(dtab('/a => /a'), path('/a')), /^DelegationBudgetError: The binding stopped: its trees nest more than 1000 levels deep/);
  });
});

describe('bind', () => {
  it('falls through a lone `~` dentry to the namers, unlike the delegator', () => {
    const interp = conformanceInterpreter();
    const d = dtab('/#/io.l5d.k8s=>~');
    const p = path('/#/io.l5d.k8s/default/http/hello');
    assert.equal(reprBound(interp.bindSync(d, p)), '/#/io.l5d.k8s/default/http/hello');
    assert.equal(delegateTreeToJsonText(interp.delegateSync(d, p)).includes('"type":"neg","path":"~"'), true);
  });

  it('drops negative union branches and keeps union weights in the leaf metadata', () => {
    const d = dtab('/svc => 3 * /#/io.l5d.k8s/default/http/world-v1 & 1 * /#/io.l5d.k8s/default/http/nothere');
    assert.equal(reprBound(conformanceInterpreter().bindSync(d, path('/svc'))), '/#/io.l5d.k8s/default/http/world-v1{w=3.0}');
  });
});

describe('namers that answer later', () => {
  const slow: Namer = {
    lookup(p) {
      return new Promise((resolve) =>
        setTimeout(() => resolve(p.length ? leaf(boundName(['#', 'slow', ...p.slice(0, 1)], p.slice(1), boundAddr([{ ip: '10.0.0.9', port: 80, meta: {} }]))) : NEG), 20),
      );
    },
  };
  const namers: ConfiguredNamer[] = [{ prefix: ['#', 'slow'], namer: slow }];

  it('waits for the answers and gives the settled tree', async () => {
    const interp = new Interpreter(namers);
    const d = dtab('/svc => /#/slow | /$/inet/127.1/1');
    const tree = await interp.delegate(d, path('/svc/a/b'));
    assert.match(delegateTreeToJsonText(tree), /"id":"\/#\/slow\/a","path":"\/b"/);
    assert.equal(reprBound(await interp.bind(d, path('/svc/a/b'))), '/#/slow/a[residual /b]');
  });

  it('gives up after the timeout with a clear message', async () => {
    const never: Namer = { lookup: () => new Promise(() => undefined) };
    const interp = new Interpreter([{ prefix: ['#', 'never'], namer: never }], undefined, { timeoutMs: 50 });
    const tree = await interp.delegate(dtab('/svc => /#/never'), path('/svc/x'));
    assert.match(delegateTreeToJsonText(tree), /"type":"exception".*No answer from the namer for \/#\/never\/x within 50 ms/);
    await assert.rejects(interp.bind(dtab('/svc => /#/never'), path('/svc/x')), /No answer from the namer/);
  });
});

describe('Dtab.lookup', () => {
  it('matches whole elements, wildcards, and puts later dentries first', () => {
    const d = dtab('/a/b=>/x; /a=>/y; /a/*/c=>/z; /ab=>/w');
    assert.equal(showPathTree(d.lookup(path('/a/b/c'))), '/z | /y/b/c | /x/c');
    assert.equal(showPathTree(d.lookup(path('/abc'))), '~');
  });
});
