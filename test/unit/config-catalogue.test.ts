// The catalogue's rules and scalar types are read in one place (core/config/catalogue.ts and
// scalars.ts) and the validator, hover/completion and the JSON Schemas agree on them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfigText, configContext, describeType } from '../../core/index.js';
import { requiredOfObject, requiredOfVariant, strictObjectsIn } from '../../core/config/catalogue.js';
import { SCALAR_TYPES, typePhrase } from '../../core/config/scalars.js';
import { generate } from '../../tools/gen-config-schemas.js';

const codes = (text: string) => checkConfigText(text).diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end), d.message]);
const schema = (name: string) => JSON.parse(generate()[`schemas/${name}.schema.json`]!) as { definitions: Record<string, { properties: Record<string, unknown>; required?: string[] }> };

describe('required keys: one reading of the catalogue', () => {
  it('`HostAndPort` needs `port` only where the catalogue says (zkLeader, zk storage, announcers)', () => {
    assert.deepEqual(requiredOfObject('HostAndPort'), []);
    assert.deepEqual(requiredOfObject('HostAndPort', true), ['host', 'port']);
    assert.deepEqual([...strictObjectsIn('namer', 'io.l5d.zkLeader')], ['HostAndPort']);
    assert.deepEqual([...strictObjectsIn('namer', 'io.l5d.serversets')], []);
    // The serversets namer's ZooKeeper port defaults to 2181: no error (it was one before).
    assert.deepEqual(codes('namers:\n- kind: io.l5d.serversets\n  zkAddrs:\n  - host: zk\nrouters:\n- protocol: http\n'), []);
    assert.deepEqual(codes('namers:\n- kind: io.l5d.zkLeader\n  zkAddrs:\n  - host: zk\nrouters:\n- protocol: http\n'), [
      ['missing-key', 'host', '`namers[0].zkAddrs[0]` needs `port`.'],
    ]);
    // The schemas say the same.
    const s = schema('linkerd');
    assert.deepEqual(s.definitions['HostAndPort.strict']!.required, ['host', 'port']);
    assert.equal(s.definitions['HostAndPort']!.required, undefined);
  });

  it('hover and completion see the same required keys (MapShape.required)', () => {
    const text = 'namers:\n- kind: io.l5d.zkLeader\n  zkAddrs:\n  - host: zk\n- kind: io.l5d.serversets\n  zkAddrs:\n  - host: zk\nrouters:\n- protocol: http\n';
    const [c] = checkConfigText(text).configs;
    const requiredAt = (needle: string, nth = 0) => {
      let at = -1;
      for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
      const ctx = configContext(c!.doc, c!.text, 'linkerd', at + 1);
      return ctx && ctx.kind !== 'new-key' ? ctx.shape.required : undefined;
    };
    assert.deepEqual(requiredAt('host', 0), ['host', 'port'], 'zkLeader: its HostAndPort is strict');
    assert.deepEqual(requiredAt('host', 1), [], 'serversets: port has a default');
    assert.deepEqual(requiredAt('protocol'), ['protocol']);
    assert.deepEqual(requiredAt('routers'), ['routers']);
    assert.deepEqual(requiredAt('kind: io.l5d.zkLeader'), ['kind', 'zkAddrs']);
  });

  it('a variant\'s required keys leave out its discriminator', () => {
    assert.deepEqual(requiredOfVariant('router', 'http'), []);
    assert.deepEqual(requiredOfVariant('namer', 'io.l5d.rewrite'), ['prefix', 'pattern', 'name']);
    assert.deepEqual(requiredOfVariant('interpreter', 'io.l5d.namerd'), ['dst']);
  });
});

describe('scalar types: one description', () => {
  it('messages, docs and schemas come from the same table', () => {
    assert.equal(typePhrase('port'), 'a port number (0-65535)');
    assert.equal(describeType('port'), 'port');
    assert.deepEqual(SCALAR_TYPES.port!.schema, { type: 'integer', minimum: 0, maximum: 65535 });
    assert.equal(typePhrase('consistency'), '`default`, `stale` or `consistent`');
    assert.equal(describeType('consistency'), '`default` | `stale` | `consistent`');
    assert.equal(describeType('dir'), 'directory path');
    assert.equal(describeType({ list: { poly: 'router' } }), 'list of router (by `protocol`)');
    assert.equal(describeType({ poly: 'namer' }), 'namer (by `kind`)');
  });

  it('an `ip` is what the schema\'s pattern accepts (Guava: no leading zeros, at most 8 IPv6 groups)', () => {
    const ip = new RegExp(SCALAR_TYPES.ip!.schema.pattern as string);
    const config = (v: string) => `admin:\n  ip: "${v}"\nrouters:\n- protocol: http\n`;
    for (const good of ['0.0.0.0', '127.0.0.1', '::1', '::ffff:1.2.3.4', 'fe80::1:2']) {
      assert.ok(ip.test(good), good);
      assert.deepEqual(codes(config(good)), [], good);
    }
    for (const bad of ['01.2.3.4', '256.1.1.1', '1::2::3', '1:2:3:4:5:6:7', 'localhost', '1.2.3']) {
      assert.ok(!ip.test(bad), bad);
      assert.deepEqual(codes(config(bad)).map((c) => c[0]), ['wrong-type'], bad);
    }
  });
});
