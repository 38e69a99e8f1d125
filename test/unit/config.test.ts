import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkConfigText, LineIndex, updateConfigText } from '../../core/index.js';

/** Diagnostics as [line, col, endCol, code] (1-based line and column) plus messages. */
function check(text: string) {
  const r = checkConfigText(text);
  const li = new LineIndex(text);
  return {
    r,
    at: r.diagnostics.map((d) => {
      const s = li.position(d.span.start);
      const e = li.position(d.span.end);
      return [s.line + 1, s.character + 1, e.character + 1, d.code, text.slice(d.span.start, d.span.end)];
    }),
    messages: r.diagnostics.map((d) => d.message),
  };
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'linkerd');

describe('real configs and manifests', () => {
  it('all 68 fixture configs and every manifest validate with no errors or warnings', () => {
    let configs = 0;
    for (const dir of ['configs', 'manifests']) {
      for (const f of readdirSync(join(FIXTURES, dir))) {
        const r = checkConfigText(readFileSync(join(FIXTURES, dir, f), 'utf8'));
        configs += r.configs.length;
        // Errors and warnings only (a deprecated key is a hint); namerd's etcd example omits the storage gate.
        const problems = r.diagnostics.filter((d) => d.severity !== 'information' && !(d.code === 'experimental-required' && d.severity === 'warning'));
        assert.deepEqual(problems.map((d) => `${f}: ${d.code} ${d.message}`), []);
      }
    }
    assert.equal(configs, 77, '68 configs and 9 inside manifests');
  });

  it('leaves unrelated YAML alone', () => {
    assert.deepEqual(checkConfigText('apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n').configs, []);
    assert.deepEqual(checkConfigText('foo: [1, 2\n').diagnostics, [], 'not a config: not our business, even when broken');
  });
});

describe('what Linkerd rejects: unknown, removed and renamed keys and kinds, wrong types, experimental gates', () => {
  it('unknown keys, with did-you-mean and a fix', () => {
    const { at, messages, r } = check('routers:\n- protocol: http\n  lable: x\n  servers:\n  - port: 4140\n');
    assert.deepEqual(at, [[3, 3, 8, 'unknown-key', 'lable']]);
    assert.equal(messages[0], 'Unknown key `lable` in a `http` router: Linkerd rejects the whole config. Did you mean `label`?');
    assert.deepEqual(r.diagnostics[0]!.fixes![0]!.edits[0]!.text, 'label');
  });

  it('the docs\' `retryBaseSecs` on a thrift interface, `enabled` in server TLS, `host` on tracelog', () => {
    const namerd = check('storage:\n  kind: io.l5d.inMemory\ninterfaces:\n- kind: io.l5d.thriftNameInterpreter\n  retryBaseSecs: 600\n');
    assert.deepEqual(namerd.at, [[5, 3, 16, 'unknown-key', 'retryBaseSecs']]);
    const tls = check('routers:\n- protocol: http\n  servers:\n  - port: 4140\n    tls:\n      enabled: true\n      certPath: /c\n      keyPath: /k\n');
    assert.deepEqual(tls.at, [[6, 7, 14, 'unknown-key', 'enabled']]);
    const tracelog = check('routers:\n- protocol: http\ntelemetry:\n- kind: io.l5d.tracelog\n  host: x\n');
    assert.deepEqual(tracelog.at, [[5, 3, 7, 'unknown-key', 'host']]);
  });

  it('the docs\' h2 `maxHeaderListByts` typo', () => {
    const { at, messages } = check('routers:\n- protocol: h2\n  servers:\n  - port: 4142\n    maxHeaderListByts: 1\n');
    assert.equal(at[0]![3], 'unknown-key');
    assert.match(messages[0]!, /Did you mean `maxHeaderListBytes`\?/);
  });

  it('removed and renamed keys (baseDtab), with a rename fix', () => {
    const { at, messages, r } = check('routers:\n- protocol: http\n  baseDtab: /svc => /$/inet/127.1/1\n');
    assert.deepEqual(at, [[3, 3, 11, 'removed-key', 'baseDtab']]);
    assert.equal(messages[0], '`baseDtab` was renamed `dtab` in Linkerd 0.9.0; Linkerd 1.7.5 rejects it.');
    assert.equal(r.diagnostics[0]!.fixes![0]!.edits[0]!.text, 'dtab');
  });

  it('duplicate keys', () => {
    const { at, messages } = check('routers:\n- protocol: http\n  label: a\n  label: b\n');
    assert.deepEqual(at, [[4, 3, 8, 'duplicate-key', 'label']]);
    assert.equal(messages[0], 'Duplicate key `label` (first on line 3): Linkerd rejects duplicate keys.');
  });

  it('missing required keys and a router without protocol', () => {
    assert.deepEqual(check('admin:\n  port: 9990\n').r.configs, [], 'no routers: not recognised as a config');
    const { at, messages } = check('routers:\n- label: x\n');
    assert.deepEqual(at, [[2, 3, 8, 'missing-kind', 'label']]);
    assert.match(messages[0]!, /^This router needs `protocol` \(one of `http`, `h2`, `thrift`, `thriftmux`, `mux`\)\.$/);
    const fs = check('routers:\n- protocol: http\nnamers:\n- kind: io.l5d.fs\n');
    assert.deepEqual(fs.at, [[4, 3, 7, 'missing-key', 'kind']]);
    assert.equal(fs.messages[0], 'The `io.l5d.fs` namer needs `rootDir`.');
  });

  it('wrong types: quoted ports, host names for ip, strings for booleans', () => {
    const { at, messages } = check('admin:\n  ip: localhost\n  port: "9990"\nrouters:\n- protocol: http\n  originator: yes-please\n');
    assert.deepEqual(at.map((a) => a[3]), ['wrong-type', 'wrong-type', 'wrong-type']);
    assert.deepEqual(at.map((a) => a[4]), ['localhost', '"9990"', 'yes-please']);
    assert.match(messages[0]!, /must be an IP address literal.*use `127\.0\.0\.1` for `localhost`/);
    assert.equal(messages[1], '`admin.port` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found `"9990"`.');
  });

  it('unknown kinds, kinds of another protocol, and renamed kinds', () => {
    const { at, messages } = check('routers:\n- protocol: http\n  identifier:\n    kind: io.l5d.header.path\nnamers:\n- kind: io.l5d.k8z\n');
    assert.deepEqual(at.map((a) => [a[0], a[3], a[4]]), [
      [4, 'unknown-kind', 'io.l5d.header.path'],
      [6, 'unknown-kind', 'io.l5d.k8z'],
    ]);
    assert.match(messages[1]!, /Did you mean `io\.l5d\.k8s`\?/);
    const renamed = check('routers:\n- protocol: http\n  identifier:\n    kind: io.l5d.headerToken\n');
    assert.deepEqual(renamed.at.map((a) => a[3]), ['removed-kind']);
    assert.equal(renamed.messages[0], '`io.l5d.headerToken` was renamed `io.l5d.header.token` in Linkerd 1.0.0; Linkerd 1.7.5 rejects it.');
  });

  it('the docs\' client example: `tls.kind` and `caCertPath` on a global client', () => {
    const { at } = check('routers:\n- protocol: http\n  client:\n    tls:\n      kind: io.l5d.noValidation\n      caCertPath: /x\n');
    assert.deepEqual(at.map((a) => [a[3], a[4]]), [
      ['unknown-key', 'kind'],
      ['unknown-key', 'caCertPath'],
    ]);
  });

  it('experimental kinds without `experimental: true`, with a fix', () => {
    const text = 'routers:\n- protocol: thriftmux\n  servers:\n  - port: 4144\n';
    const { at, messages, r } = check(text);
    assert.deepEqual(at, [[2, 13, 22, 'experimental-required', 'thriftmux']]);
    assert.equal(messages[0], '`thriftmux` is experimental: Linkerd refuses to start unless this block has `experimental: true`.');
    const fix = r.diagnostics[0]!.fixes![0]!.edits[0]!;
    const fixed = text.slice(0, fix.span.start) + fix.text + text.slice(fix.span.end);
    assert.deepEqual(checkConfigText(fixed).diagnostics, [], fixed);
  });
});

describe('cross-field checks: ports, router labels, namer references', () => {
  it('port clashes between servers and the admin server, with protocol default ports', () => {
    const { at, messages } = check('admin:\n  port: 4140\nrouters:\n- protocol: http\n  servers:\n  - ip: 0.0.0.0\n');
    assert.deepEqual(at.map((a) => [a[0], a[3]]), [[6, 'port-clash']]);
    assert.match(messages[0]!, /listens on 0\.0\.0\.0:4140, like the admin server/);
  });

  it('router labels must be unique (the label defaults to the protocol)', () => {
    const { at } = check('routers:\n- protocol: http\n  servers:\n  - port: 1\n- protocol: http\n  servers:\n  - port: 2\n');
    assert.deepEqual(at.map((a) => [a[0], a[3]]), [[5, 'duplicate-router-label']]);
  });

  it('`/#/` namers in a dtab must be configured (default interpreter only)', () => {
    const text = 'namers:\n- kind: io.l5d.fs\n  rootDir: disco\nrouters:\n- protocol: http\n  dtab: |\n    /svc => /#/io.l5d.fs | /#/io.l5d.k8s/default/http;\n';
    const { at, messages } = check(text);
    assert.deepEqual(at, [[7, 28, 41, 'unknown-namer-prefix', '/#/io.l5d.k8s']]);
    assert.match(messages[0]!, /No namer in this config answers for `\/#\/io\.l5d\.k8s` \(configured: `\/#\/io\.l5d\.fs`\)/);
    const viaNamerd = 'routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/127.1/4100\n  dtab: /svc => /#/io.l5d.k8s/default/http\n';
    assert.deepEqual(check(viaNamerd).at, [], 'with a namerd interpreter, namerd\'s namers answer');
  });
});

describe('more cross-field checks: conflicting keys, ranges, namer prefixes', () => {
  it('conflicting and out-of-range values, overlapping namer prefixes', () => {
    const text = [
      'namers:',
      '- kind: io.l5d.fs',
      '  rootDir: /a',
      '- kind: io.l5d.fs',
      '  prefix: /io.l5d.fs/more',
      '  rootDir: /b',
      'telemetry:',
      '- kind: io.l5d.recentRequests',
      '  sampleRate: 2',
      'routers:',
      '- protocol: http',
      '  streamingEnabled: false',
      '  streamAfterContentLengthKB: 5',
      '  interpreter:',
      '    kind: io.l5d.mesh',
      '    dst: /$/inet/127.1/4321',
      '    root: /a/b',
      '  client:',
      '    tls:',
      '      trustCerts: [/ca.pem]',
      '      trustCertsBundle: /bundle.pem',
      '',
    ].join('\n');
    const { at } = check(text);
    assert.deepEqual(
      at.map((a) => [a[0], a[3], a[4]]),
      [
        [5, 'namer-prefix-overlap', '/io.l5d.fs/more'],
        [9, 'wrong-value', '2'],
        [13, 'conflicting-keys', 'streamAfterContentLengthKB'],
        [17, 'wrong-value', '/a/b'],
        [20, 'missing-key', 'trustCerts'],
        [20, 'deprecated-key', 'trustCerts'],
        [21, 'conflicting-keys', 'trustCertsBundle'],
      ],
    );
  });
});

describe('embedded dtabs: every diagnostic at its exact place in the YAML', () => {
  const broken = (dtab: string) => `routers:\n- protocol: http\n  dtab: ${dtab}\n`;

  it('in a literal block', () => {
    const { at, r } = check(broken('|\n    /svc => /host ;\n    /host = /srv ;'));
    assert.deepEqual(at, [[5, 12, 13, 'split-arrow', ' ']]);
    assert.match(r.diagnostics[0]!.finagleMessage!, /^'>' expected but ' ' found at '/);
  });

  it('in a folded block (>-), through the folding', () => {
    const { at } = check(broken('>-\n    /svc => /host ;\n    /host => /srv/ ;'));
    assert.deepEqual(at, [[5, 19, 20, 'expected-label', ' ']]);
  });

  it('in plain and quoted scalars, escapes undone', () => {
    assert.deepEqual(check(broken('/svc => /a /b')).at, [[3, 20, 21, 'expected-end', '/']]);
    assert.deepEqual(check(broken("'/svc => /it''s'")).at, [[3, 21, 23, 'expected-end', "''"]]);
    assert.deepEqual(check(broken('"/svc => /\\u00e9"')).at, [[3, 19, 25, 'expected-end', '\\u00e9']]);
  });

  it('inside a ConfigMap string, two levels deep', () => {
    const manifest = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: l5d-config',
      'data:',
      '  config.yaml: |-',
      '    admin:',
      '      port: 9990',
      '    routers:',
      '    - protocol: http',
      '      lable: oops',
      '      dtab: |',
      '        /srv => /#/io.l5d.k8s/default/http ;',
      '        /svc => 0.5 * /srv',
      '',
    ].join('\n');
    const { at, r } = check(manifest);
    assert.deepEqual(r.configs.map((c) => [c.kind, c.inConfigMap]), [['linkerd', 'l5d-config/config.yaml']]);
    assert.deepEqual(at, [
      [11, 7, 12, 'unknown-key', 'lable'],
      [13, 17, 30, 'unknown-namer-prefix', '/#/io.l5d.k8s'],
      [14, 17, 22, 'weight-outside-union', '0.5 *'],
    ]);
  });

  it('namerd in-memory namespaces are dtabs too', () => {
    const { at } = check('storage:\n  kind: io.l5d.inMemory\n  namespaces:\n    default: /svc => /a;;\ninterfaces:\n- kind: io.l5d.httpController\n');
    assert.deepEqual(at, [[4, 25, 26, 'expected-slash', ';']]);
  });
});

describe('line endings, chomping and JSON (found in review)', () => {
  it('CRLF files get the same positions as LF ones, in every scalar style', () => {
    const lf = [
      'routers:',
      '- protocol: http',
      '  dtab: |',
      '    /a => /b ;',
      '    /c => /d &',
      '- protocol: h2',
      '  dtab: /a => /b;',
      '    /c => /d &',
      '- protocol: thrift',
      '  dtab: "/a => /b;',
      '    /c => /d &"',
      '',
    ].join('\n');
    const crlf = lf.replace(/\n/g, '\r\n');
    const positions = (t: string) => {
      const li = new LineIndex(t);
      return checkConfigText(t).diagnostics.map((d) => [d.code, li.position(d.span.start)]);
    };
    assert.equal(positions(lf).length, 3);
    assert.deepEqual(positions(crlf), positions(lf));
    assert.ok(checkConfigText(crlf).dtabs.every((d, i) => i > 0 || d.literal), 'a CRLF literal block is still literal (formatting, fast path)');
  });

  it('an error at the very end of a dtab in a `|-` ConfigMap string points at its end', () => {
    const text = 'kind: ConfigMap\nmetadata: {name: l5d}\ndata:\n  config.yaml: |-\n    routers:\n    - protocol: h2\n      dtab: |\n        /a => /b;\n        /c =>\n';
    const { at } = check(text);
    assert.deepEqual(at, [[9, 14, 14, 'expected-term', '']]);
  });

  it('a config that starts with `{` must be valid JSON, as Linkerd reads it', () => {
    const { at, messages } = check('{routers: [{protocol: http, dtab: "/a => /b"}]}\n');
    assert.deepEqual(at.map((a) => a[3]), ['json-syntax']);
    assert.match(messages[0]!, /^This config starts with `\{`, so Linkerd reads it as JSON, and it is not valid JSON: /);
    assert.deepEqual(check('{"routers": [{"protocol": "http", "dtab": "/a => /b"}]}\n').at, []);
  });
});

describe('editing: the fast path for typing in an embedded dtab', () => {
  const files = [
    // A ConfigMap whose string is a `|-` block (no final newline) with a dtab at its end.
    'kind: ConfigMap\nmetadata: {name: l5d}\ndata:\n  config.yaml: |-\n    routers:\n    - protocol: h2\n      dtab: |\n        /a => /b;\n        /c => /d\n',
    readFileSync(join(FIXTURES, 'configs', 'k8s-daemonset-linkerd.yaml'), 'utf8').replace(/\n/g, '\r\n'),
    join(FIXTURES, 'configs', 'k8s-daemonset-linkerd.yaml'),
    join(FIXTURES, 'configs', 'upstream-namerd-basic.yaml'),
    join(FIXTURES, 'manifests', 'k8s-daemonset-linkerd.yml'),
    join(FIXTURES, 'manifests', 'k8s-daemonset-namerd.yml'),
    join(FIXTURES, 'configs', 'mesos-marathon-linkerd.yaml'),
  ]
    .map((f) => (f.startsWith('/') ? readFileSync(f, 'utf8') : f))
    .filter((t) => checkConfigText(t).dtabs.length > 0);
  const plain = (r: ReturnType<typeof checkConfigText>) => ({
    diagnostics: r.diagnostics.map((d) => [d.span.start, d.span.end, d.code, d.severity, d.message, JSON.stringify(d.fixes ?? [])]),
    dtabs: r.dtabs.map((d) => [d.where, d.syntax.text, d.span.start, d.span.end, d.literal, Array.from(d.fileAt).join(','), Array.from(d.fileEnd).join(',')]),
  });

  it('gives exactly what a full check gives, for random one-character edits', () => {
    assert.ok(files.length >= 4, 'configs, namerd in-memory namespaces, manifests, a folded dtab');
    let fast = 0;
    fc.assert(
      fc.property(fc.nat(files.length - 1), fc.nat(), fc.constantFrom('x', '/', '=', '>', ' ', ';', '#', '|', '&', '*', '~', '', '\u00a0'), (f, pos, ch) => {
        const oldText = files[f]!;
        const prev = checkConfigText(oldText);
        // An edit inside one of the dtabs (insert a character, or delete one with '').
        const d = prev.dtabs[pos % prev.dtabs.length]!;
        const at = d.span.start + (pos % Math.max(1, d.span.end - d.span.start));
        const newText = ch === '' ? oldText.slice(0, at) + oldText.slice(at + 1) : oldText.slice(0, at) + ch + oldText.slice(at);
        const updated = updateConfigText(prev, oldText, newText);
        if (!updated) return; // not a dtab edit: the caller checks the whole file
        fast++;
        assert.deepEqual(plain(updated), plain(checkConfigText(newText)));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300), seed: 42 },
    );
    assert.ok(fast > 50, `the fast path was taken ${fast} times`);
  });

  it('declines edits that change the YAML around a dtab', () => {
    const text = 'routers:\n- protocol: http\n  dtab: |\n    /a => /b ;\n  label: x\n';
    const prev = checkConfigText(text);
    assert.equal(updateConfigText(prev, text, text.replace('    /a', '   /a')), undefined, 'indentation');
    assert.equal(updateConfigText(prev, text, text.replace('/b ;', '/b ;\n    /c => /d ;')), undefined, 'a new line');
    assert.equal(updateConfigText(prev, text, text.replace('label: x', 'label: y')), undefined, 'outside any dtab');
    assert.ok(updateConfigText(prev, text, text.replace('/b ;', '/bc ;')));
  });
});
