// The config model (core/config/model.ts): the configured namers, the routers and the owner of each
// embedded dtab, on real configs and manifests, to the exact value.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkConfigText, routerNamers, updateConfigText } from '../../core/index.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'linkerd');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

describe('config model: namers, routers, dtab owners', () => {
  it('a linkerd config (k8s daemonset): its namer and two routers with their dtabs', () => {
    const text = read('configs/k8s-daemonset-linkerd.yaml');
    const r = checkConfigText(text);
    const [c] = r.configs;
    assert.deepEqual(c!.namers, [{ kind: 'io.l5d.k8s', prefix: '/#/io.l5d.k8s', params: { kind: 'io.l5d.k8s', host: 'localhost', port: 8001 }, span: { start: 45, end: 92 } }]);
    assert.equal(text.slice(45, 92), 'kind: io.l5d.k8s\n  host: localhost\n  port: 8001');
    assert.deepEqual(
      c!.routers.map((x) => ({ ...x, dtab: x.dtab?.where })),
      [
        {
          label: 'outgoing',
          protocol: 'http',
          interpreter: 'default',
          transformers: [{ kind: 'io.l5d.k8s.daemonset', params: { kind: 'io.l5d.k8s.daemonset', namespace: 'default', port: 'incoming', service: 'l5d' } }],
          span: { start: 236, end: 677 },
          dtab: 'routers[0].dtab',
        },
        {
          label: 'incoming',
          protocol: 'http',
          interpreter: 'default',
          transformers: [{ kind: 'io.l5d.k8s.localnode', params: { kind: 'io.l5d.k8s.localnode' } }],
          span: { start: 681, end: 981 },
          dtab: 'routers[1].dtab',
        },
      ],
    );
    assert.ok(text.slice(236, 677).startsWith('protocol: http\n  label: outgoing') && text.slice(236, 677).endsWith('io.l5d.http.retryableRead5XX'));
    assert.ok(text.slice(681, 981).endsWith('ip: 0.0.0.0'));
    // The routers' dtabs are the result's embedded dtabs, with their owners and namers.
    assert.equal(c!.routers[0]!.dtab, r.dtabs[0]);
    assert.equal(c!.routers[1]!.dtab, r.dtabs[1]);
    assert.deepEqual(
      r.dtabs.map((d) => [d.where, d.owner, d.namers]),
      [
        ['routers[0].dtab', { kind: 'router', label: 'outgoing', protocol: 'http', interpreter: 'default' }, ['/#/io.l5d.k8s']],
        ['routers[1].dtab', { kind: 'router', label: 'incoming', protocol: 'http', interpreter: 'default' }, ['/#/io.l5d.k8s']],
      ],
    );
  });

  it('routers whose interpreter is namerd\'s: their namers are in namerd', () => {
    const r = checkConfigText(read('configs/upstream-linkerd-namerd.yaml'));
    const [c] = r.configs;
    assert.deepEqual(c!.namers, []);
    assert.deepEqual(
      c!.routers.map((x) => [x.label, x.protocol, x.interpreter, x.dtab, routerNamers(x.interpreter)]),
      [
        ['named-thrift', 'http', 'io.l5d.namerd', undefined, 'namerd'],
        ['named-http', 'http', 'io.l5d.namerd.http', undefined, 'namerd'],
        ['named-grpc', 'http', 'io.l5d.mesh', undefined, 'namerd'],
      ],
    );
    assert.equal(routerNamers(undefined), 'config');
    assert.equal(routerNamers('io.l5d.fs'), 'config');
    assert.equal(routerNamers('io.l5d.k8s.istio'), 'other');
  });

  it('namerd: its namers, no routers, and in-memory namespaces own their dtabs', () => {
    const text = read('configs/upstream-namerd-basic.yaml');
    const r = checkConfigText(text);
    const [c] = r.configs;
    assert.deepEqual(c!.namers, [{ kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs', params: { kind: 'io.l5d.fs', rootDir: 'namerd/examples/disco' }, span: { start: 120, end: 168 } }]);
    assert.equal(text.slice(120, 168), 'kind: io.l5d.fs\n  rootDir: namerd/examples/disco');
    assert.deepEqual(c!.routers, []);
    assert.deepEqual(
      r.dtabs.map((d) => [d.where, d.owner, d.namers, d.namersWhere]),
      [['storage.namespaces.default', { kind: 'namespace', name: 'default' }, ['/#/io.l5d.fs'], "namerd's `namers`"]],
    );
  });

  it('a config in a ConfigMap: spans are file offsets', () => {
    const text = read('manifests/k8s-daemonset-linkerd.yml');
    const r = checkConfigText(text);
    const [c] = r.configs;
    assert.equal(c!.inConfigMap, 'l5d-config/config.yaml');
    assert.deepEqual(c!.namers.map((n) => [n.prefix, n.span]), [['/#/io.l5d.k8s', { start: 1646, end: 1701 }]]);
    assert.equal(text.slice(1646, 1701), 'kind: io.l5d.k8s\n      host: localhost\n      port: 8001');
    assert.deepEqual(
      c!.routers.map((x) => [x.label, x.span]),
      [
        ['outgoing', { start: 1877, end: 2394 }],
        ['incoming', { start: 2402, end: 2754 }],
      ],
    );
    assert.ok(text.slice(1877, 2394).startsWith('protocol: http\n      label: outgoing'));
    assert.ok(text.slice(2402, 2754).endsWith('ip: 0.0.0.0'));
  });

  it('prefixes, defaults, aliases and incomplete blocks', () => {
    const text = [
      'namers:',
      '- kind: io.l5d.fs', //          default prefix
      '  rootDir: &d disco',
      '- kind: io.l5d.k8s', //         `prefix: /x` answers `/#/x`
      '  prefix: /k8s',
      '  host: *d', //                 an alias is not expanded
      '- kind: io.l5d.rewrite', //     no prefix, no default: left out
      '  pattern: /a',
      '  name: /b',
      '- prefix: /nokind', //          no kind: left out
      '- kind: com.example.custom', // an unknown kind: /#/<kind>
      'routers:',
      '- protocol: h2',
      '  experimental: true',
      '  dtab: /svc => /#/k8s',
      '- label: second',
      '  protocol: http',
      '  interpreter:',
      '    kind: io.l5d.namerd',
      '    dst: /$/inet/127.1/4100',
      '  dtab: /svc => /#/io.l5d.fs',
      '  servers: [{port: 4141}]',
      '',
    ].join('\n');
    const r = checkConfigText(text);
    const [c] = r.configs;
    assert.deepEqual(
      c!.namers.map((n) => [n.kind, n.prefix, n.params]),
      [
        ['io.l5d.fs', '/#/io.l5d.fs', { kind: 'io.l5d.fs', rootDir: 'disco' }],
        ['io.l5d.k8s', '/#/k8s', { kind: 'io.l5d.k8s', prefix: '/k8s', host: '*d' }],
        ['com.example.custom', '/#/com.example.custom', { kind: 'com.example.custom' }],
      ],
    );
    assert.deepEqual(
      c!.routers.map((x) => [x.label, x.protocol, x.interpreter, x.dtab?.owner, x.dtab?.namers]),
      [
        ['h2', 'h2', undefined, { kind: 'router', label: 'h2', protocol: 'h2', interpreter: undefined }, ['/#/io.l5d.fs', '/#/k8s', '/#/com.example.custom']],
        ['second', 'http', 'io.l5d.namerd', { kind: 'router', label: 'second', protocol: 'http', interpreter: 'io.l5d.namerd' }, undefined],
      ],
    );
  });

  it('typing in a dtab: the model moves with the text, and routers keep their (new) dtabs', () => {
    const text = read('configs/k8s-daemonset-linkerd.yaml');
    const prev = checkConfigText(text);
    const at = text.indexOf('/svc        => /host;') + 4;
    const next = text.slice(0, at) + 'x' + text.slice(at);
    const fast = updateConfigText(prev, text, next)!;
    assert.ok(fast, 'the fast path');
    const full = checkConfigText(next);
    const plain = (r: typeof full) => r.configs.map((c) => ({ namers: c.namers, routers: c.routers.map((x) => ({ ...x, dtab: x.dtab && [x.dtab.where, x.dtab.syntax.text, x.dtab.span] })) }));
    assert.deepEqual(plain(fast), plain(full));
    assert.equal(fast.configs[0]!.routers[0]!.dtab, fast.dtabs[0]);
    assert.equal(fast.configs[0]!.routers[1]!.dtab, fast.dtabs[1]);
  });
});
