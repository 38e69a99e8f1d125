import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDelegateTrees, decodeAddr, decodeBoundName, decodeDelegateTree, MAX_DECODED_NODES } from '../../core/delegate/decode.js';
import type { DelegateTree } from '../../core/delegate/delegate-tree.js';
import { UnknownNamerError } from '../../core/delegate/errors.js';
import { literalInetResolver, SYSTEM_NAMER_KINDS, SYSTEM_NAMERS, SystemNamer, type InetResolver } from '../../core/delegate/system-namers.js';
import { ANY } from '../../core/model/dtab.js';
import type { Addr } from '../../core/model/names.js';
import { textToElem } from '../../core/model/path.js';

// ---- system-namers.ts ---------------------------------------------------------------------

const namer = new SystemNamer();
const look = (...elems: string[]) => namer.lookup(elems);
const bound = (ip: string, port: number): Addr => ({ type: 'bound', addrs: [{ ip, port, meta: {} }], meta: {} });
const boundLeaf = (id: string[], residual: string[], addr: Addr) => ({ type: 'leaf', value: { kind: 'bound', id, residual, addr } });
const pathLeaf = (...path: string[]) => ({ type: 'leaf', value: { kind: 'path', path } });
const NEG = { type: 'neg' };
const unknown = (kind: string, shown: string) => (e: unknown) => {
  assert.ok(e instanceof UnknownNamerError);
  assert.equal(e.kind, kind);
  assert.equal(e.message, `Unknown namer: ${kind} for path: ${shown}`);
  return true;
};

describe('system-namers.ts: SYSTEM_NAMERS', () => {
  it('documents every system namer, in order, with its shape and doc', () => {
    assert.deepEqual(SYSTEM_NAMERS, [
      { kind: 'inet', shape: '/$/inet/<host>/<port>', doc: 'Binds to host:port, resolved by DNS (or `/$/inet/<port>`: this host).' },
      { kind: 'fixedinet', shape: '/$/fixedinet/<host>/<port>', doc: 'Like inet, but DNS is resolved only once.' },
      { kind: 'fail', shape: '/$/fail', doc: 'Fails the request: no fallback to other alternatives (same as `!`).' },
      { kind: 'nil', shape: '/$/nil', doc: 'Exists but has no endpoints (same as `$`): stops fallback, requests fail.' },
      { kind: 'io.buoyant.rinet', shape: '/$/io.buoyant.rinet/<port>/<host>', doc: 'Like inet with the port first: binds to host:port.' },
      { kind: 'io.buoyant.hostportPfx', shape: '/$/io.buoyant.hostportPfx/<pfx>/<host:port>', doc: 'Rewrites `host:port` to `/<pfx>/<host>/<port>`.' },
      { kind: 'io.buoyant.porthostPfx', shape: '/$/io.buoyant.porthostPfx/<pfx>/<host:port>', doc: 'Rewrites `host:port` to `/<pfx>/<port>/<host>`.' },
      { kind: 'io.buoyant.http.domainToPathPfx', shape: '/$/io.buoyant.http.domainToPathPfx/<pfx>/<host>', doc: 'Rewrites `a.b.c` to `/<pfx>/c/b/a`.' },
      { kind: 'io.buoyant.http.domainToPath', shape: '/$/io.buoyant.http.domainToPath/<host>', doc: 'Rewrites `a.b.c` to `/c/b/a`.' },
      {
        kind: 'io.buoyant.http.subdomainOfPfx',
        shape: '/$/io.buoyant.http.subdomainOfPfx/<domain>/<pfx>/<host>',
        doc: 'Rewrites `sub.<domain>[:port]` to `/<pfx>/sub`; `~` otherwise.',
      },
      { kind: 'io.buoyant.http.subdomainOf', shape: '/$/io.buoyant.http.subdomainOf/<domain>/<host>', doc: 'Rewrites `sub.<domain>` to `/sub`; `~` otherwise.' },
      { kind: 'io.buoyant.http.anyMethod', shape: '/$/io.buoyant.http.anyMethod/<METHOD>', doc: 'Drops an all-caps HTTP method element.' },
      { kind: 'io.buoyant.http.anyMethodPfx', shape: '/$/io.buoyant.http.anyMethodPfx/<pfx>/<METHOD>', doc: 'Replaces the method element with `/<pfx>`.' },
      { kind: 'io.buoyant.http.anyHost', shape: '/$/io.buoyant.http.anyHost/<host>', doc: 'Drops a host element.' },
      { kind: 'io.buoyant.http.anyHostPfx', shape: '/$/io.buoyant.http.anyHostPfx/<pfx>/<host>', doc: 'Replaces the host element with `/<pfx>`.' },
    ]);
  });

  it('SYSTEM_NAMER_KINDS holds exactly the kinds', () => {
    assert.deepEqual(
      [...SYSTEM_NAMER_KINDS],
      [
        'inet',
        'fixedinet',
        'fail',
        'nil',
        'io.buoyant.rinet',
        'io.buoyant.hostportPfx',
        'io.buoyant.porthostPfx',
        'io.buoyant.http.domainToPathPfx',
        'io.buoyant.http.domainToPath',
        'io.buoyant.http.subdomainOfPfx',
        'io.buoyant.http.subdomainOf',
        'io.buoyant.http.anyMethod',
        'io.buoyant.http.anyMethodPfx',
        'io.buoyant.http.anyHost',
        'io.buoyant.http.anyHostPfx',
      ],
    );
    assert.equal(SYSTEM_NAMER_KINDS.has('inet'), true);
    assert.equal(SYSTEM_NAMER_KINDS.has('io.l5d.k8s'), false);
  });
});

describe('system-namers.ts: literalInetResolver', () => {
  it('answers literals and localhost, and fails other hosts without DNS', () => {
    assert.equal(literalInetResolver.anyHost, '0.0.0.0');
    assert.deepEqual(literalInetResolver.resolve('localhost', 80), bound('127.0.0.1', 80));
    assert.deepEqual(literalInetResolver.resolve('127.1', 8080), bound('127.0.0.1', 8080));
    assert.deepEqual(literalInetResolver.resolve('10.1.2.3', 1), bound('10.1.2.3', 1));
    assert.deepEqual(literalInetResolver.resolve('2130706433', 2), bound('127.0.0.1', 2));
    assert.deepEqual(literalInetResolver.resolve('::1', 9), bound('::1', 9));
    assert.deepEqual(literalInetResolver.resolve('fe80::1:2', 9), bound('fe80::1:2', 9));
    assert.deepEqual(literalInetResolver.resolve('example.com', 80), { type: 'failed', cause: 'example.com was not resolved (no DNS lookups offline)' });
    assert.deepEqual(literalInetResolver.resolve('', 80), { type: 'failed', cause: ' was not resolved (no DNS lookups offline)' });
    assert.deepEqual(literalInetResolver.resolve('1.2.3.4.5', 80), { type: 'failed', cause: '1.2.3.4.5 was not resolved (no DNS lookups offline)' });
  });
});

describe('system-namers.ts: SystemNamer', () => {
  it('answers ~ for paths not under /$/ and for /$ alone', () => {
    assert.deepEqual(look(), NEG);
    assert.deepEqual(look('$'), NEG);
    assert.deepEqual(look('x', 'inet', '127.1', '80'), NEG);
    assert.deepEqual(look('#', 'fail'), NEG);
    assert.deepEqual(look('x', 'nope'), NEG);
  });

  it('binds /$/inet/<host>/<port>[/rest] and /$/fixedinet/…', () => {
    assert.deepEqual(look('$', 'inet', '127.1', '8080'), boundLeaf(['$', 'inet', '127.1', '8080'], [], bound('127.0.0.1', 8080)));
    assert.deepEqual(look('$', 'inet', '127.1', '8080', 'a', 'b'), boundLeaf(['$', 'inet', '127.1', '8080'], ['a', 'b'], bound('127.0.0.1', 8080)));
    assert.deepEqual(look('$', 'fixedinet', 'localhost', '+7', 'x'), boundLeaf(['$', 'fixedinet', 'localhost', '+7'], ['x'], bound('127.0.0.1', 7)));
    // The first shape wins: host 1234, port 5678.
    assert.deepEqual(look('$', 'inet', '1234', '5678'), boundLeaf(['$', 'inet', '1234', '5678'], [], bound('0.0.4.210', 5678)));
    assert.deepEqual(
      look('$', 'inet', 'nohost', '80'),
      boundLeaf(['$', 'inet', 'nohost', '80'], [], { type: 'failed', cause: 'nohost was not resolved (no DNS lookups offline)' }),
    );
  });

  it('binds /$/inet/<port>[/rest] to the wildcard address when the second element is not a port', () => {
    assert.deepEqual(look('$', 'inet', '1234'), boundLeaf(['$', 'inet', '1234'], [], bound('0.0.0.0', 1234)));
    assert.deepEqual(look('$', 'inet', '1234', 'foobar'), boundLeaf(['$', 'inet', '1234'], ['foobar'], bound('0.0.0.0', 1234)));
    assert.deepEqual(look('$', 'fixedinet', '1234', 'foo', 'bar'), boundLeaf(['$', 'fixedinet', '1234'], ['foo', 'bar'], bound('0.0.0.0', 1234)));
    const v6: InetResolver = { anyHost: '::', resolve: () => ({ type: 'neg' }) };
    assert.deepEqual(new SystemNamer(v6).lookup(['$', 'inet', '80']), boundLeaf(['$', 'inet', '80'], [], bound('::', 80)));
    const noAny: InetResolver = { resolve: () => ({ type: 'neg' }) };
    assert.deepEqual(new SystemNamer(noAny).lookup(['$', 'inet', '80', 'x']), boundLeaf(['$', 'inet', '80'], ['x'], bound('0.0.0.0', 80)));
    assert.deepEqual(new SystemNamer(noAny).lookup(['$', 'inet', 'h', '80']), boundLeaf(['$', 'inet', 'h', '80'], [], { type: 'neg' }));
  });

  it('fails /$/inet with no port as an unknown namer (the class `inet` is not found)', () => {
    assert.throws(() => look('$', 'inet'), unknown('inet', '/$/inet'));
    assert.throws(() => look('$', 'inet', 'host', 'http'), unknown('inet', '/$/inet/host/http'));
    assert.throws(() => look('$', 'fixedinet', 'host'), unknown('fixedinet', '/$/fixedinet/host'));
    assert.throws(() => look('$', 'inet', '99999999999'), unknown('inet', '/$/inet/99999999999'));
  });

  it('answers ! for /$/fail and $ for /$/nil, whatever follows', () => {
    assert.deepEqual(look('$', 'fail'), { type: 'fail' });
    assert.deepEqual(look('$', 'fail', '80'), { type: 'fail' });
    assert.deepEqual(look('$', 'fail', 'h', '80'), { type: 'fail' });
    assert.deepEqual(look('$', 'nil'), { type: 'empty' });
    assert.deepEqual(look('$', 'nil', '80'), { type: 'empty' });
    assert.deepEqual(look('$', 'nil', 'foo', 'bar'), { type: 'empty' });
  });

  it('binds /$/io.buoyant.rinet/<port>/<host>[/rest]', () => {
    const k = 'io.buoyant.rinet';
    assert.deepEqual(look('$', k, '12345', 'localhost', 'residual'), boundLeaf(['$', k, '12345', 'localhost'], ['residual'], bound('127.0.0.1', 12345)));
    assert.deepEqual(look('$', k, '80', '127.1'), boundLeaf(['$', k, '80', '127.1'], [], bound('127.0.0.1', 80)));
    assert.deepEqual(look('$', k, '80', '10.0.0.1', 'a', 'b'), boundLeaf(['$', k, '80', '10.0.0.1'], ['a', 'b'], bound('10.0.0.1', 80)));
    assert.deepEqual(look('$', k, '80', 'x.y'), boundLeaf(['$', k, '80', 'x.y'], [], { type: 'failed', cause: 'x.y was not resolved (no DNS lookups offline)' }));
    assert.deepEqual(look('$', k, '80'), NEG);
    assert.deepEqual(look('$', k), NEG);
    assert.deepEqual(look('$', k, 'http', 'localhost'), NEG);
    assert.deepEqual(look('$', k, 'localhost', '80'), NEG);
  });

  it('answers later when the resolver does', async () => {
    const later: InetResolver = { resolve: (host, port) => Promise.resolve(bound(`${host}!`, port)) };
    const n = new SystemNamer(later);
    const a = n.lookup(['$', 'inet', 'h', '1', 'r']);
    assert.ok(a instanceof Promise);
    assert.deepEqual(await a, boundLeaf(['$', 'inet', 'h', '1'], ['r'], bound('h!', 1)));
    const b = n.lookup(['$', 'io.buoyant.rinet', '2', 'g']);
    assert.ok(b instanceof Promise);
    assert.deepEqual(await b, boundLeaf(['$', 'io.buoyant.rinet', '2', 'g'], [], bound('g!', 2)));
  });

  it('fails other kinds with Linkerd’s "Unknown namer" message', () => {
    assert.throws(() => look('$', 'com.example.Namer', 'foo'), unknown('com.example.Namer', '/$/com.example.Namer/foo'));
    // Names of Object.prototype's members are namers like any other: unknown.
    for (const kind of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'])
      assert.throws(() => look('$', kind, 'x'), unknown(kind, `/$/${kind}/x`));
    assert.throws(() => look('$', 'nope'), unknown('nope', '/$/nope'));
    assert.throws(() => look('$', 'io.buoyant.http'), unknown('io.buoyant.http', '/$/io.buoyant.http'));
  });

  describe('rewriting namers', () => {
    const hp = 'io.buoyant.hostportPfx';
    const ph = 'io.buoyant.porthostPfx';
    const p63 = 'a'.repeat(63);
    const p64 = 'a'.repeat(64);

    it('io.buoyant.hostportPfx: /<pfx>/<host>:<port> → /<pfx>/<host>/<port>', () => {
      assert.deepEqual(look('$', hp, 'ia', '127.1:8080', 'etc'), pathLeaf('ia', '127.1', '8080', 'etc'));
      assert.deepEqual(look('$', hp, 'ia', 'google.com:http', 'etc', 'x'), pathLeaf('ia', 'google.com', 'http', 'etc', 'x'));
      assert.deepEqual(look('$', hp, 'ia', 'h:1'), pathLeaf('ia', 'h', '1'));
      assert.deepEqual(look('$', hp, 'ia', 'h:a-'), pathLeaf('ia', 'h', 'a-'));
      assert.deepEqual(look('$', hp, 'ia', 'h:a-b'), pathLeaf('ia', 'h', 'a-b'));
      assert.deepEqual(look('$', hp, 'ia', `h:${p63}`), pathLeaf('ia', 'h', p63));
      assert.deepEqual(look('$', hp, 'ia', `h:${p64}`), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'google.com:8180:abcdef', 'etc'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'google.com', 'etc'), NEG);
      assert.deepEqual(look('$', hp, 'ia', ':80', 'etc'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'h:', 'etc'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'h:HTTP'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'h:-a'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'h:a_b'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'h:a_'), NEG);
      assert.deepEqual(look('$', hp, 'ia', 'h:a.'), NEG);
      assert.deepEqual(look('$', hp, 'ia', '::1:80'), NEG);
      assert.deepEqual(look('$', hp, 'ia', '[::1]:80'), NEG);
      assert.deepEqual(look('$', hp, 'ia'), NEG);
      assert.deepEqual(look('$', hp), NEG);
    });

    it('io.buoyant.porthostPfx: /<pfx>/<host>:<port> → /<pfx>/<port>/<host>', () => {
      assert.deepEqual(look('$', ph, 'ia', '127.1:8080', 'etc'), pathLeaf('ia', '8080', '127.1', 'etc'));
      assert.deepEqual(look('$', ph, 'ia', '127.1:http', 'etc'), pathLeaf('ia', 'http', '127.1', 'etc'));
      assert.deepEqual(look('$', ph, 'k8s', 'hello:http'), pathLeaf('k8s', 'http', 'hello'));
      assert.deepEqual(look('$', ph, 'ia', `h:${p63}`), pathLeaf('ia', p63, 'h'));
      assert.deepEqual(look('$', ph, 'ia', `h:${p64}`), NEG);
      assert.deepEqual(look('$', ph, 'ia', 'a:b:c'), NEG);
      assert.deepEqual(look('$', ph, 'ia', 'hostonly', 'x'), NEG);
      assert.deepEqual(look('$', ph, 'ia', ':80'), NEG);
      assert.deepEqual(look('$', ph, 'ia', 'h:X'), NEG);
      assert.deepEqual(look('$', ph, 'ia'), NEG);
      assert.deepEqual(look('$', ph), NEG);
    });

    it('io.buoyant.http.domainToPathPfx and domainToPath: labels reversed, trailing dots dropped', () => {
      const k = 'io.buoyant.http.domainToPathPfx';
      assert.deepEqual(look('$', k, 'pfx', 'foo.buoyant.io'), pathLeaf('pfx', 'io', 'buoyant', 'foo'));
      assert.deepEqual(look('$', k, 'pfx', 'foo.buoyant.io', 'r', 's'), pathLeaf('pfx', 'io', 'buoyant', 'foo', 'r', 's'));
      assert.deepEqual(look('$', k, 'pfx', 'a.b..'), pathLeaf('pfx', 'b', 'a'));
      assert.deepEqual(look('$', k, 'pfx', 'a.'), pathLeaf('pfx', 'a'));
      assert.deepEqual(look('$', k, 'pfx', 'single'), pathLeaf('pfx', 'single'));
      assert.deepEqual(look('$', k, 'pfx', '...'), pathLeaf('pfx'));
      assert.deepEqual(look('$', k, 'pfx'), NEG);
      assert.deepEqual(look('$', k), NEG);
      const d = 'io.buoyant.http.domainToPath';
      assert.deepEqual(look('$', d, 'foo.buoyant.io'), pathLeaf('io', 'buoyant', 'foo'));
      assert.deepEqual(look('$', d, 'foo.buoyant.io', 'x'), pathLeaf('io', 'buoyant', 'foo', 'x'));
      assert.deepEqual(look('$', d, 'a.b.'), pathLeaf('b', 'a'));
      assert.deepEqual(look('$', d, '...'), NEG);
      assert.deepEqual(look('$', d, '..', 'x', 'y'), pathLeaf('x', 'y'));
      assert.deepEqual(look('$', d), NEG);
      // Elements are UTF-8 byte strings: decoded to split, encoded again.
      assert.deepEqual(look('$', d, textToElem('bücher.de')), pathLeaf('de', textToElem('bücher')));
    });

    it('io.buoyant.http.subdomainOfPfx: /<domain>/<pfx>/<sub>.<domain>[:port] → /<pfx>/<sub>', () => {
      const k = 'io.buoyant.http.subdomainOfPfx';
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'bar.a.b', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'bar.a.b:9090', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'x.y.a.b'), pathLeaf('foo', 'x.y'));
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'a.b', 'bah'), NEG);
      assert.deepEqual(look('$', k, 'a.b', 'foo', '.a.b', 'bah'), NEG);
      assert.deepEqual(look('$', k, 'a.b', 'foo', '.a.b.c'), NEG);
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'x.a.bc'), NEG);
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'xa.b'), NEG);
      assert.deepEqual(look('$', k, 'a.b', 'foo'), NEG);
      assert.deepEqual(look('$', k, 'a.b'), NEG);
      assert.deepEqual(look('$', k), NEG);
    });

    it('io.buoyant.http.subdomainOf: /<domain>/<sub>.<domain>[:port] → /<sub>', () => {
      const k = 'io.buoyant.http.subdomainOf';
      assert.deepEqual(look('$', k, 'a.b', 'foo.a.b', 'bar', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', k, 'a.b', 'foo.a.b:80'), pathLeaf('foo'));
      assert.deepEqual(look('$', k, 'a.b', 'a.b', 'x'), NEG);
      assert.deepEqual(look('$', k, 'a.b', '.a.b', 'x'), NEG);
      assert.deepEqual(look('$', k, 'a.b', 'foo.c.d', 'x'), NEG);
      assert.deepEqual(look('$', k, 'a.b'), NEG);
      assert.deepEqual(look('$', k), NEG);
    });

    it('io.buoyant.http.anyMethod and anyMethodPfx: an all-caps method element', () => {
      const k = 'io.buoyant.http.anyMethod';
      assert.deepEqual(look('$', k, 'GET', 'foo', 'bar', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', k, 'X', 'y'), pathLeaf('y'));
      assert.deepEqual(look('$', k, 'GET'), NEG);
      assert.deepEqual(look('$', k, 'A.B', 'x'), NEG);
      assert.deepEqual(look('$', k, 'get', 'x'), NEG);
      assert.deepEqual(look('$', k, 'xGET', 'x'), NEG);
      assert.deepEqual(look('$', k, 'GETx', 'x'), NEG);
      assert.deepEqual(look('$', k), NEG);
      const p = 'io.buoyant.http.anyMethodPfx';
      assert.deepEqual(look('$', p, 'foo', 'GET', 'bar', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', p, 'foo', 'P'), pathLeaf('foo'));
      assert.deepEqual(look('$', p, 'foo', 'Get', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo', 'get', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo', 'xGET', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo', 'GETx', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo'), NEG);
      assert.deepEqual(look('$', p), NEG);
    });

    it('io.buoyant.http.anyHost and anyHostPfx: a host-looking element', () => {
      const k = 'io.buoyant.http.anyHost';
      assert.deepEqual(look('$', k, 'a.b', 'foo', 'bar', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', k, 'Az09.:_-', 'x'), pathLeaf('x'));
      assert.deepEqual(look('$', k, 'h'), NEG);
      assert.deepEqual(look('$', k, 'a%b', 'x'), NEG);
      assert.deepEqual(look('$', k, 'a%', 'x'), NEG);
      assert.deepEqual(look('$', k, '%a', 'x'), NEG);
      assert.deepEqual(look('$', k), NEG);
      const p = 'io.buoyant.http.anyHostPfx';
      assert.deepEqual(look('$', p, 'foo', 'a.b:80', 'bar', 'bah'), pathLeaf('foo', 'bar', 'bah'));
      assert.deepEqual(look('$', p, 'foo', 'h'), pathLeaf('foo'));
      assert.deepEqual(look('$', p, 'foo', 'a%b', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo', 'a%', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo', '%a', 'x'), NEG);
      assert.deepEqual(look('$', p, 'foo'), NEG);
      assert.deepEqual(look('$', p), NEG);
    });
  });
});

// ---- decode.ts ----------------------------------------------------------------------------

const decodeErr = (message: string) => (e: unknown) => {
  assert.ok(e instanceof Error);
  assert.equal(e.message, message);
  return true;
};
const bad = (json: unknown) => {
  const d = decodeDelegateTree(json);
  assert.equal(d.ok, false);
  return (d as { error: string }).error;
};
const ok = (json: unknown): DelegateTree => {
  const d = decodeDelegateTree(json);
  if (!d.ok) assert.fail(d.error);
  return d.tree;
};
const negAddr = { type: 'neg' };
const leafJson = (path: string, id: string, residual = '/', addr: unknown = negAddr) => ({ type: 'leaf', path, bound: { addr, id, path: residual } });

describe('decode.ts: decodeAddr', () => {
  it('decodes each addr type exactly', () => {
    assert.deepEqual(decodeAddr({ type: 'neg' }), { type: 'neg' });
    assert.deepEqual(decodeAddr({ type: 'pending', extra: 1 }), { type: 'pending' });
    assert.deepEqual(decodeAddr({ type: 'failed', cause: 'boom' }), { type: 'failed', cause: 'boom' });
    assert.deepEqual(decodeAddr({ type: 'failed' }), { type: 'failed', cause: '' });
    assert.deepEqual(decodeAddr({ type: 'failed', cause: 3 }), { type: 'failed', cause: '' });
    assert.deepEqual(decodeAddr({ type: 'bound', addrs: [] }), { type: 'bound', addrs: [], meta: {} });
    assert.deepEqual(
      decodeAddr({
        type: 'bound',
        addrs: [
          { ip: '10.0.0.1', port: 80, meta: { nodeName: 'n1' } },
          { ip: '::1', port: 0, meta: 'x' },
          { ip: '1.2.3.4', port: -1 },
          { ip: '1.2.3.5', port: 7, meta: [1] },
        ],
        meta: { a: 1 },
      }),
      {
        type: 'bound',
        addrs: [
          { ip: '10.0.0.1', port: 80, meta: { nodeName: 'n1' } },
          { ip: '::1', port: 0, meta: {} },
          { ip: '1.2.3.4', port: -1, meta: {} },
          { ip: '1.2.3.5', port: 7, meta: {} },
        ],
        meta: { a: 1 },
      },
    );
    assert.deepEqual(decodeAddr({ type: 'bound', addrs: [], meta: null }), { type: 'bound', addrs: [], meta: {} });
    assert.deepEqual(decodeAddr({ type: 'bound', addrs: [], meta: [2] }), { type: 'bound', addrs: [], meta: {} });
  });

  it('says what is wrong, and where', () => {
    for (const v of [null, undefined, [], [{ type: 'neg' }], 'neg', 5, true]) assert.throws(() => decodeAddr(v), decodeErr('$: an addr must be an object'));
    assert.throws(() => decodeAddr(null, '$.alt[0].bound.addr'), decodeErr('$.alt[0].bound.addr: an addr must be an object'));
    assert.throws(() => decodeAddr({ type: 'bound' }), decodeErr('$: "addrs" must be an array'));
    assert.throws(() => decodeAddr({ type: 'bound', addrs: {} }, '$.x'), decodeErr('$.x: "addrs" must be an array'));
    const addrs = (a: unknown) => ({ type: 'bound', addrs: [{ ip: '1.1.1.1', port: 1 }, a] });
    assert.throws(() => decodeAddr(addrs(null)), decodeErr('$.addrs[1]: an address must be an object {"ip", "port", "meta"}'));
    assert.throws(() => decodeAddr(addrs([])), decodeErr('$.addrs[1]: an address must be an object {"ip", "port", "meta"}'));
    assert.throws(() => decodeAddr(addrs('1.1.1.1:1')), decodeErr('$.addrs[1]: an address must be an object {"ip", "port", "meta"}'));
    assert.throws(() => decodeAddr(addrs({ ip: '1.1.1.1', port: '80' }), '$.a'), decodeErr('$.a.addrs[1]: "port" must be an integer'));
    assert.throws(() => decodeAddr(addrs({ ip: '1.1.1.1', port: 1.5 })), decodeErr('$.addrs[1]: "port" must be an integer'));
    assert.throws(() => decodeAddr(addrs({ ip: '1.1.1.1' })), decodeErr('$.addrs[1]: "port" must be an integer'));
    assert.throws(() => decodeAddr(addrs({ port: 1 })), decodeErr('$.addrs[1]: "ip" must be a string'));
    assert.throws(() => decodeAddr(addrs({ ip: 1, port: 1 })), decodeErr('$.addrs[1]: "ip" must be a string'));
    assert.throws(() => decodeAddr({ type: 'what' }), decodeErr('$: unknown addr type "what"'));
    assert.throws(() => decodeAddr({}), decodeErr('$: unknown addr type undefined'));
    assert.throws(() => decodeAddr({ type: 'BOUND', addrs: [] }), decodeErr('$: unknown addr type "BOUND"'));
  });
});

describe('decode.ts: decodeBoundName', () => {
  it('decodes id, residual and addr', () => {
    assert.deepEqual(decodeBoundName({ addr: { type: 'pending' }, id: '/$/inet/127.1/80', path: '/' }), {
      kind: 'bound',
      id: ['$', 'inet', '127.1', '80'],
      residual: [],
      addr: { type: 'pending' },
    });
    assert.deepEqual(decodeBoundName({ addr: { type: 'failed', cause: 'c' }, id: '/#/io.l5d.k8s/ns/http/svc', path: '/a/b' }), {
      kind: 'bound',
      id: ['#', 'io.l5d.k8s', 'ns', 'http', 'svc'],
      residual: ['a', 'b'],
      addr: { type: 'failed', cause: 'c' },
    });
  });

  it('says what is wrong, and where', () => {
    for (const v of [null, [], 'x', 1]) assert.throws(() => decodeBoundName(v), decodeErr('$: "bound" must be an object {"addr", "id", "path"}'));
    assert.throws(() => decodeBoundName(null, '$.bound'), decodeErr('$.bound: "bound" must be an object {"addr", "id", "path"}'));
    assert.throws(() => decodeBoundName({ addr: negAddr, path: '/' }), decodeErr('$: "id" must be a string'));
    assert.throws(() => decodeBoundName({ addr: negAddr, id: '/a' }, '$.q'), decodeErr('$.q: "path" must be a string'));
    assert.throws(() => decodeBoundName({ addr: negAddr, id: 'a', path: '/' }), decodeErr("$: \"id\" is not a path ('/' expected but 'a' found at '[a]')"));
    assert.throws(() => decodeBoundName({ addr: negAddr, id: '/a', path: 'x' }), decodeErr("$: \"path\" is not a path ('/' expected but 'x' found at '[x]')"));
    assert.throws(() => decodeBoundName({ id: '/a', path: '/' }), decodeErr('$.addr: an addr must be an object'));
    assert.throws(() => decodeBoundName({ addr: { type: 'x' }, id: '/a', path: '/' }, '$.b'), decodeErr('$.b.addr: unknown addr type "x"'));
  });
});

describe('decode.ts: decodeDelegateTree', () => {
  it('a union at the root keeps its weights', () => {
    const t = ok({ type: 'union', path: '/a', union: [{ weight: 2, tree: { type: 'neg', path: '/x' } }, { weight: 3, tree: { type: 'neg', path: '/y' } }] });
    assert.deepEqual(t, {
      path: ['a'],
      dentry: undefined,
      type: 'union',
      union: [
        { weight: 2, tree: { path: ['x'], dentry: undefined, type: 'neg' } },
        { weight: 3, tree: { path: ['y'], dentry: undefined, type: 'neg' } },
      ],
    });
  });

  it('decodes every node type, from JSON text or a value', () => {
    const json = {
      type: 'delegate',
      path: '/svc/x',
      delegate: {
        type: 'alt',
        path: '/a/x',
        dentry: { prefix: '/svc', dst: '/a' },
        alt: [
          { type: 'neg', path: '~', dentry: { prefix: '/a', dst: '~' } },
          { type: 'neg', path: '/n' },
          { type: 'fail', path: '!' },
          { type: 'fail', path: '/$/fail/x' },
          { type: 'empty', path: '/$/nil/x', dentry: null },
          { type: 'exception', path: '/$/nope/x', message: 'Unknown namer: nope for path: /$/nope/x' },
          leafJson('/$/inet/127.1/80/r', '/$/inet/127.1/80', '/r', { type: 'bound', addrs: [{ ip: '127.0.0.1', port: 80, meta: {} }], meta: {} }),
          {
            type: 'union',
            path: '/u',
            union: [
              { weight: 1, tree: { type: 'neg', path: '/u1' } },
              { weight: 2.5, tree: { type: 'empty', path: '/u2' } },
            ],
          },
          {
            type: 'transformation',
            path: '/t',
            name: 'SubnetLocalTransformer',
            dentry: { prefix: '/ignored', dst: '/x' },
            bound: { addr: { type: 'pending' }, id: '/%/t/id', path: '/' },
            tree: leafJson('/t2', '/id2'),
          },
        ],
      },
    };
    const expected = {
      path: ['svc', 'x'],
      dentry: undefined,
      type: 'delegate',
      delegate: {
        path: ['a', 'x'],
        dentry: { dentry: { prefix: ['svc'], dst: { type: 'leaf', value: ['a'] } }, index: -1 },
        type: 'alt',
        alt: [
          { path: [], dentry: { dentry: { prefix: ['a'], dst: { type: 'neg' } }, index: -1 }, type: 'neg' },
          { path: ['n'], dentry: undefined, type: 'neg' },
          { path: [], dentry: undefined, type: 'fail' },
          { path: ['$', 'fail', 'x'], dentry: undefined, type: 'fail' },
          { path: ['$', 'nil', 'x'], dentry: undefined, type: 'empty' },
          { path: ['$', 'nope', 'x'], dentry: undefined, type: 'exception', message: 'Unknown namer: nope for path: /$/nope/x' },
          {
            path: ['$', 'inet', '127.1', '80', 'r'],
            dentry: undefined,
            type: 'leaf',
            bound: { kind: 'bound', id: ['$', 'inet', '127.1', '80'], residual: ['r'], addr: bound('127.0.0.1', 80) },
          },
          {
            path: ['u'],
            dentry: undefined,
            type: 'union',
            union: [
              { weight: 1, tree: { path: ['u1'], dentry: undefined, type: 'neg' } },
              { weight: 2.5, tree: { path: ['u2'], dentry: undefined, type: 'empty' } },
            ],
          },
          {
            path: ['t'],
            dentry: undefined,
            type: 'transformation',
            name: 'SubnetLocalTransformer',
            bound: { kind: 'bound', id: ['%', 't', 'id'], residual: [], addr: { type: 'pending' } },
            tree: { path: ['t2'], dentry: undefined, type: 'leaf', bound: { kind: 'bound', id: ['id2'], residual: [], addr: { type: 'neg' } } },
          },
        ],
      },
    };
    assert.deepEqual(decodeDelegateTree(json), { ok: true, tree: expected });
    assert.deepEqual(decodeDelegateTree(JSON.stringify(json)), { ok: true, tree: expected });
  });

  it('decodes dentries with wildcards, weights and fallbacks', () => {
    assert.deepEqual(ok({ type: 'neg', path: '/a', dentry: { prefix: '/x/*', dst: '1*/b & ~' } }), {
      path: ['a'],
      dentry: {
        dentry: {
          prefix: ['x', ANY],
          dst: {
            type: 'union',
            trees: [
              { weight: 1, tree: { type: 'leaf', value: ['b'] } },
              { weight: 1, tree: { type: 'neg' } },
            ],
          },
        },
        index: -1,
      },
      type: 'neg',
    });
    assert.deepEqual(ok({ type: 'empty', path: '/', dentry: { prefix: '/', dst: '/b | $' } }), {
      path: [],
      dentry: { dentry: { prefix: [], dst: { type: 'alt', trees: [{ type: 'leaf', value: ['b'] }, { type: 'empty' }] } }, index: -1 },
      type: 'empty',
    });
  });

  it('keeps children in order under nested nodes (breadth-first indices)', () => {
    const json = {
      type: 'alt',
      path: '/r',
      alt: [
        { type: 'delegate', path: '/a', delegate: { type: 'union', path: '/aa', union: [{ weight: 3, tree: { type: 'neg', path: '/aaa' } }] } },
        { type: 'delegate', path: '/b', delegate: { type: 'alt', path: '/bb', alt: [{ type: 'neg', path: '/bb1' }, { type: 'neg', path: '/bb2' }] } },
        { type: 'union', path: '/c', union: [{ weight: 4, tree: { type: 'neg', path: '/c1' } }, { weight: 5, tree: { type: 'neg', path: '/c2' } }] },
      ],
    };
    const neg = (p: string) => ({ path: [p], dentry: undefined, type: 'neg' });
    assert.deepEqual(ok(json), {
      path: ['r'],
      dentry: undefined,
      type: 'alt',
      alt: [
        { path: ['a'], dentry: undefined, type: 'delegate', delegate: { path: ['aa'], dentry: undefined, type: 'union', union: [{ weight: 3, tree: neg('aaa') }] } },
        { path: ['b'], dentry: undefined, type: 'delegate', delegate: { path: ['bb'], dentry: undefined, type: 'alt', alt: [neg('bb1'), neg('bb2')] } },
        {
          path: ['c'],
          dentry: undefined,
          type: 'union',
          union: [
            { weight: 4, tree: neg('c1') },
            { weight: 5, tree: neg('c2') },
          ],
        },
      ],
    });
    assert.deepEqual(ok({ type: 'alt', path: '/e', alt: [] }), { path: ['e'], dentry: undefined, type: 'alt', alt: [] });
    assert.deepEqual(ok({ type: 'union', path: '/e', union: [] }), { path: ['e'], dentry: undefined, type: 'union', union: [] });
  });

  it('decodes deep trees without recursion', () => {
    let json: Record<string, unknown> = { type: 'neg', path: '/end' };
    for (let i = 0; i < 10_000; i++) json = { type: 'delegate', path: '/d', delegate: json };
    let t = ok(json);
    let depth = 0;
    while (t.type === 'delegate') {
      t = t.delegate;
      depth++;
    }
    assert.equal(depth, 10_000);
    assert.deepEqual(t, { path: ['end'], dentry: undefined, type: 'neg' });
  });

  it('reports text that is not JSON, with the parser’s message', () => {
    let message = '';
    try {
      JSON.parse('{"type":');
    } catch (e) {
      message = (e as Error).message;
    }
    assert.deepEqual(decodeDelegateTree('{"type":'), { ok: false, error: `not JSON: ${message}` });
  });

  it('says what is wrong, and where', () => {
    const root = '$: a delegate tree must be a JSON object with a "type"';
    for (const v of [null, [], 5, 'null', '[]', '"neg"', '7']) assert.deepEqual(decodeDelegateTree(v), { ok: false, error: root });
    assert.equal(bad({ type: 'what', path: '/a' }), '$: unknown node type "what"');
    assert.equal(bad({ path: '/a' }), '$: unknown node type undefined');
    assert.equal(bad({ type: 'alt', path: '/a', alt: [{ type: 'neg', path: '/b' }, { type: 'x', path: '/c' }] }), '$.alt[1]: unknown node type "x"');
    assert.equal(bad({ type: 'alt', path: '/a' }), '$: "alt" must be an array');
    assert.equal(bad({ type: 'alt', path: '/a', alt: {} }), '$: "alt" must be an array');
    assert.equal(bad({ type: 'union', path: '/a', union: 'x' }), '$: "union" must be an array');
    assert.equal(bad({ type: 'union', path: '/a', union: [null] }), '$.union[0]: a union branch must be an object {"weight", "tree"}');
    assert.equal(bad({ type: 'union', path: '/a', union: [{ weight: 1, tree: { type: 'neg', path: '~' } }, []] }), '$.union[1]: a union branch must be an object {"weight", "tree"}');
    assert.equal(bad({ type: 'union', path: '/a', union: [{ weight: 1, tree: { type: 'neg', path: '~' } }, { weight: '1', tree: {} }] }), '$.union[1]: "weight" must be a number');
    assert.equal(bad({ type: 'union', path: '/a', union: [{ tree: { type: 'neg', path: '~' } }] }), '$.union[0]: "weight" must be a number');
    assert.equal(bad({ type: 'union', path: '/a', union: [{ weight: 1 }] }), '$.union[0].tree: a node must be an object with a "type"');
    assert.equal(bad({ type: 'alt', path: '/a', alt: [{ type: 'neg', path: '~' }, 'neg'] }), '$.alt[1]: a node must be an object with a "type"');
    assert.equal(bad({ type: 'alt', path: '/a', alt: [null] }), '$.alt[0]: a node must be an object with a "type"');
    assert.equal(bad({ type: 'alt', path: '/a', alt: [[]] }), '$.alt[0]: a node must be an object with a "type"');
    assert.equal(bad({ type: 'delegate', path: '/a' }), '$.delegate: a node must be an object with a "type"');
    assert.equal(bad({ type: 'transformation', path: '/a', name: 'T', bound: {} }), '$.tree: a node must be an object with a "type"');
    assert.equal(
      bad({ type: 'delegate', path: '/a', delegate: { type: 'alt', path: '/b', alt: [{ type: 'union', path: '/c', union: [{ weight: 1, tree: 3 }] }] } }),
      '$.delegate.alt[0].union[0].tree: a node must be an object with a "type"',
    );
    // Node fields.
    assert.equal(bad({ type: 'neg' }), '$: "path" must be a string');
    assert.equal(bad({ type: 'neg', path: 7 }), '$: "path" must be a string');
    assert.equal(bad({ type: 'neg', path: 'nope' }), "$: \"path\" is not a path ('/' expected but 'n' found at '[n]ope')");
    assert.equal(bad({ type: 'fail', path: '~' }), "$: \"path\" is not a path ('/' expected but '~' found at '[~]')");
    assert.equal(bad({ type: 'neg', path: '!' }), "$: \"path\" is not a path ('/' expected but '!' found at '[!]')");
    assert.equal(bad({ type: 'empty', path: '~' }), "$: \"path\" is not a path ('/' expected but '~' found at '[~]')");
    assert.equal(bad({ type: 'exception', path: '/a' }), '$: "message" must be a string');
    assert.equal(bad({ type: 'alt', path: '/a', alt: [{ type: 'exception', path: '/a', message: null }] }), '$.alt[0]: "message" must be a string');
    assert.equal(bad({ type: 'transformation', path: '/a', bound: {}, tree: { type: 'neg', path: '~' } }), '$: "name" must be a string');
    assert.equal(bad({ type: 'transformation', path: '/a', name: 'T', tree: { type: 'neg', path: '~' } }), '$.bound: "bound" must be an object {"addr", "id", "path"}');
    assert.equal(bad({ type: 'leaf', path: '/a' }), '$.bound: "bound" must be an object {"addr", "id", "path"}');
    assert.equal(bad({ type: 'alt', path: '/a', alt: [leafJson('/b', '/id', '/', 5)] }), '$.alt[0].bound.addr: an addr must be an object');
    assert.equal(bad({ type: 'delegate', path: '/a', delegate: leafJson('/b', 'id') }), "$.delegate.bound: \"id\" is not a path ('/' expected but 'i' found at '[i]d')");
    // Dentries.
    const withDentry = (dentry: unknown) => bad({ type: 'alt', path: '/a', alt: [{ type: 'neg', path: '/b', dentry }] });
    assert.equal(withDentry('/a=>/b'), '$.alt[0]: "dentry" must be an object {"prefix", "dst"}');
    assert.equal(withDentry([]), '$.alt[0]: "dentry" must be an object {"prefix", "dst"}');
    assert.equal(withDentry(0), '$.alt[0]: "dentry" must be an object {"prefix", "dst"}');
    assert.equal(withDentry({ dst: '/b' }), '$.alt[0].dentry: "prefix" must be a string');
    assert.equal(withDentry({ prefix: '/a' }), '$.alt[0].dentry: "dst" must be a string');
    assert.equal(withDentry({ prefix: 'x', dst: '/b' }), "$.alt[0].dentry: \"prefix\" does not parse ('/' expected but 'x' found at '[x]')");
    assert.equal(withDentry({ prefix: '/x', dst: '/b |' }), "$.alt[0].dentry: \"dst\" does not parse (simple expected but end of input found at '/b |[]')");
    assert.equal(bad({ type: 'neg', path: '/a', dentry: { prefix: '/x', dst: 5 } }), '$.dentry: "dst" must be a string');
  });

  it(`stops at ${MAX_DECODED_NODES} nodes`, () => {
    assert.equal(MAX_DECODED_NODES, 100_000);
    const kid = { type: 'neg', path: '~' };
    const fits = ok({ type: 'alt', path: '/a', alt: new Array(MAX_DECODED_NODES - 1).fill(kid) });
    assert.equal(fits.type === 'alt' && fits.alt.length, MAX_DECODED_NODES - 1);
    assert.deepEqual(decodeDelegateTree({ type: 'alt', path: '/a', alt: new Array(MAX_DECODED_NODES).fill(kid) }), {
      ok: false,
      error: '$: more than 100000 nodes',
    });
    // A child that is not a node is reported before the limit.
    const many: unknown[] = new Array(MAX_DECODED_NODES).fill(kid);
    many[MAX_DECODED_NODES - 1] = 1;
    assert.equal(bad({ type: 'alt', path: '/a', alt: many }), '$.alt[99999]: a node must be an object with a "type"');
  });
});

describe('decode.ts: compareDelegateTrees', () => {
  type T = DelegateTree;
  const P = (s: string) => (s === '/' ? [] : s.slice(1).split('/'));
  const neg = (path = '/'): T => ({ type: 'neg', path: P(path), dentry: undefined });
  const fail = (path = '/'): T => ({ type: 'fail', path: P(path), dentry: undefined });
  const empty = (path: string): T => ({ type: 'empty', path: P(path), dentry: undefined });
  const exc = (path: string, message: string): T => ({ type: 'exception', path: P(path), dentry: undefined, message });
  const bn = (id: string, residual = '/', addr: Addr = { type: 'neg' }) => ({ kind: 'bound' as const, id: P(id), residual: P(residual), addr });
  const lf = (path: string, id: string, residual = '/', addr: Addr = { type: 'neg' }): T => ({ type: 'leaf', path: P(path), dentry: undefined, bound: bn(id, residual, addr) });
  const alt = (path: string, ...kids: T[]): T => ({ type: 'alt', path: P(path), dentry: undefined, alt: kids });
  const del = (path: string, kid: T): T => ({ type: 'delegate', path: P(path), dentry: undefined, delegate: kid });
  const uni = (path: string, ...kids: [number, T][]): T => ({ type: 'union', path: P(path), dentry: undefined, union: kids.map(([weight, tree]) => ({ weight, tree })) });
  const tr = (path: string, name: string, b: ReturnType<typeof bn>, kid: T): T => ({ type: 'transformation', path: P(path), dentry: undefined, name, bound: b, tree: kid });
  const withDentry = (t: T, prefix: string, dst: string): T => ({ ...t, dentry: { dentry: { prefix: P(prefix), dst: { type: 'leaf', value: P(dst) } }, index: 3 } });
  const addrs = (...a: [string, number][]): Addr => ({ type: 'bound', addrs: a.map(([ip, port]) => ({ ip, port, meta: {} })), meta: {} });

  it('finds nothing between equal trees', () => {
    const t = alt('/a', del('/b', lf('/c', '/c', '/', addrs(['1.1.1.1', 1]))), uni('/u', [1, neg()], [2, fail('/$/fail/x')]), exc('/e', 'm'), empty('/$/nil'));
    assert.deepEqual(compareDelegateTrees(t, t), []);
    // The dentry index is not compared (the JSON has none).
    assert.deepEqual(compareDelegateTrees(withDentry(neg('/a'), '/a', '/b'), { ...withDentry(neg('/a'), '/a', '/b'), dentry: { ...withDentry(neg('/a'), '/a', '/b').dentry!, index: -1 } }), []);
  });

  it('reports a different type, and nothing below it', () => {
    assert.deepEqual(compareDelegateTrees(neg(), fail()), [{ where: '!', local: 'neg ~', remote: 'fail !' }]);
    assert.deepEqual(compareDelegateTrees(fail('/$/fail/x'), neg('/x')), [{ where: '/x', local: 'fail /$/fail/x', remote: 'neg /x' }]);
    assert.deepEqual(compareDelegateTrees(alt('/a', neg('/b')), del('/a', fail('/c'))), [{ where: '/a', local: 'alt /a', remote: 'delegate /a' }]);
    assert.deepEqual(compareDelegateTrees(lf('/a', '/a'), empty('/b')), [{ where: '/b', local: 'leaf /a', remote: 'empty /b' }]);
  });

  it('shows ~ for an unnamed neg and ! for a fail not under /$/fail', () => {
    const shown = (t: T) => compareDelegateTrees(empty('/e'), t)[0]!.remote;
    assert.equal(shown(neg()), 'neg ~');
    assert.equal(shown(neg('/n')), 'neg /n');
    assert.equal(shown(fail()), 'fail !');
    assert.equal(shown(fail('/$')), 'fail !');
    assert.equal(shown(fail('/$/nil/x')), 'fail !');
    assert.equal(shown(fail('/x/fail')), 'fail !');
    assert.equal(shown(fail('/$/fail')), 'fail /$/fail');
    assert.equal(shown(fail('/$/fail/a/b')), 'fail /$/fail/a/b');
    assert.equal(compareDelegateTrees(neg('/q'), empty('/'))[0]!.remote, 'empty /');
    assert.equal(shown(exc('/', 'm')), 'exception /');
  });

  it('reports paths, dentries, bound ids, residuals and addresses', () => {
    assert.deepEqual(compareDelegateTrees(neg('/a'), neg('/b')), [{ where: '/b', local: 'path /a', remote: 'path /b' }]);
    assert.deepEqual(compareDelegateTrees(fail('/$/fail/a'), fail()), [{ where: '!', local: 'path /$/fail/a', remote: 'path !' }]);
    assert.deepEqual(compareDelegateTrees(neg('/a'), withDentry(neg('/a'), '/p', '/q')), [{ where: '/a', local: 'no dentry', remote: 'dentry /p=>/q' }]);
    assert.deepEqual(compareDelegateTrees(withDentry(neg('/a'), '/p', '/q'), neg('/a')), [{ where: '/a', local: 'dentry /p=>/q', remote: 'no dentry' }]);
    assert.deepEqual(compareDelegateTrees(withDentry(neg('/a'), '/p', '/q'), withDentry(neg('/a'), '/p', '/r')), [{ where: '/a', local: 'dentry /p=>/q', remote: 'dentry /p=>/r' }]);
    assert.deepEqual(compareDelegateTrees(lf('/a', '/id1', '/r'), lf('/a', '/id2', '/s')), [
      { where: '/a', local: 'bound id /id1', remote: 'bound id /id2' },
      { where: '/a', local: 'residual /r', remote: 'residual /s' },
    ]);
    assert.deepEqual(compareDelegateTrees(lf('/a', '/i', '/'), lf('/b', '/i', '/x')), [
      { where: '/b', local: 'path /a', remote: 'path /b' },
      { where: '/b', local: 'residual /', remote: 'residual /x' },
    ]);
    const addrDiff = (l: Addr, r: Addr) => compareDelegateTrees(lf('/a', '/i', '/', l), lf('/a', '/i', '/', r));
    assert.deepEqual(addrDiff(addrs(['2.2.2.2', 2], ['1.1.1.1', 1]), addrs(['1.1.1.1', 1], ['2.2.2.2', 2])), []);
    assert.deepEqual(addrDiff(addrs(['2.2.2.2', 2], ['1.1.1.1', 1]), addrs(['1.1.1.1', 1])), [
      { where: '/a', local: 'addresses 1.1.1.1:1, 2.2.2.2:2', remote: 'addresses 1.1.1.1:1' },
    ]);
    assert.deepEqual(addrDiff(addrs(), addrs(['1.1.1.1', 80])), [{ where: '/a', local: 'addresses no addresses', remote: 'addresses 1.1.1.1:80' }]);
    assert.deepEqual(addrDiff({ type: 'neg' }, { type: 'failed', cause: 'boom' }), [{ where: '/a', local: 'addresses neg', remote: 'addresses failed (boom)' }]);
    assert.deepEqual(addrDiff({ type: 'failed', cause: 'x' }, { type: 'failed', cause: 'y' }), [{ where: '/a', local: 'addresses failed (x)', remote: 'addresses failed (y)' }]);
    assert.deepEqual(addrDiff(addrs(), { type: 'neg' }), [{ where: '/a', local: 'addresses no addresses', remote: 'addresses neg' }]);
    assert.deepEqual(addrDiff({ type: 'pending' }, addrs(['1.1.1.1', 1])), []);
    assert.deepEqual(addrDiff({ type: 'pending', unresolvedBy: 'io.l5d.k8s' }, { type: 'neg' }), []);
    assert.deepEqual(addrDiff({ type: 'neg' }, { type: 'pending' }), []);
    assert.deepEqual(addrDiff({ type: 'neg' }, { type: 'neg' }), []);
  });

  it('reports transformers, exceptions and branch counts', () => {
    const a = tr('/t', 'A', bn('/i', '/'), neg('/x'));
    assert.deepEqual(compareDelegateTrees(a, a), []);
    assert.deepEqual(compareDelegateTrees(a, tr('/t', 'B', bn('/j', '/r', addrs(['1.1.1.1', 1])), neg('/y'))), [
      { where: '/t', local: 'transformer A', remote: 'transformer B' },
      { where: '/t', local: 'bound id /i', remote: 'bound id /j' },
      { where: '/t', local: 'residual /', remote: 'residual /r' },
      { where: '/t', local: 'addresses neg', remote: 'addresses 1.1.1.1:1' },
      { where: '/t → transformed → /y', local: 'path /x', remote: 'path /y' },
    ]);
    assert.deepEqual(compareDelegateTrees(exc('/e', 'one'), exc('/e', 'two')), [{ where: '/e', local: 'error one', remote: 'error two' }]);
    assert.deepEqual(compareDelegateTrees(alt('/a', neg('/b'), neg('/c')), alt('/a', neg('/b'), neg('/x'), neg('/d'))), [
      { where: '/a', local: '2 branches', remote: '3 branches' },
      { where: '/a → alt[1] → /x', local: 'path /c', remote: 'path /x' },
    ]);
    assert.deepEqual(compareDelegateTrees(alt('/a', neg('/z'), neg('/b')), alt('/a', neg('/y'))), [
      { where: '/a', local: '2 branches', remote: '1 branches' },
      { where: '/a → alt[0] → /y', local: 'path /z', remote: 'path /y' },
    ]);
    assert.deepEqual(compareDelegateTrees(alt('/a'), alt('/a', neg())), [{ where: '/a', local: '0 branches', remote: '1 branches' }]);
  });

  it('walks depth first, naming each step by label and path', () => {
    const local = alt('/r', del('/a', alt('/b', neg('/c'))), uni('/u', [1, neg('/u0')], [2, fail()]), del('/d', neg('/e')));
    const remote = alt('/r', del('/a', alt('/b', neg('/C'))), uni('/u', [3, neg('/U0')], [2, neg()]), del('/d', neg('/E')));
    assert.deepEqual(compareDelegateTrees(local, remote), [
      { where: '/r → alt[0] → /a → /b → alt[0] → /C', local: 'path /c', remote: 'path /C' },
      { where: '/r → alt[1] → /u → union[0]', local: 'weight 1', remote: 'weight 3' },
      { where: '/r → alt[1] → /u → union[0] → /U0', local: 'path /u0', remote: 'path /U0' },
      { where: '/r → alt[1] → /u → union[1] → ~', local: 'fail !', remote: 'neg ~' },
      { where: '/r → alt[2] → /d → /E', local: 'path /e', remote: 'path /E' },
    ]);
    assert.deepEqual(compareDelegateTrees(uni('/u', [1, neg()], [2, neg()]), uni('/u', [1, neg()], [2.5, neg()])), [{ where: '/u → union[1]', local: 'weight 2', remote: 'weight 2.5' }]);
  });

  it(`compares at most ${MAX_DECODED_NODES} nodes`, () => {
    const n = MAX_DECODED_NODES;
    const kids = (last: string, at: number) => Array.from({ length: n }, (_, i) => (i === at ? neg(last) : neg('/k')));
    // The root and the first n - 1 branches are compared; the n-th is not.
    const local = alt('/a', ...kids('/k', -1));
    assert.deepEqual(compareDelegateTrees(local, alt('/a', ...kids('/z', n - 2))), [{ where: `/a → alt[${n - 2}] → /z`, local: 'path /k', remote: 'path /z' }]);
    assert.deepEqual(compareDelegateTrees(local, alt('/a', ...kids('/z', n - 1))), []);
  });
});
