// Config checks on hostile input (the defects a 100,000-config fuzz run found), each to the exact
// behaviour: huge numbers of findings, many routers, spans at the end of the text, messages,
// aliases, tags, invisible characters, deep nesting, and the incremental path.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfigText, updateConfigText, type ConfigFileResult } from '../../core/index.js';

describe('config checks: size', () => {
  it('more findings than a spread can take (130,000 unknown namers in one dtab)', () => {
    const n = 130_000;
    const text = `routers:\n- protocol: http\n  dtab: /a => ${Array.from({ length: n }, (_, i) => `/#/n${i}`).join(' | ')};\n`;
    const r = checkConfigText(text);
    assert.equal(r.diagnostics.length, n);
    assert.ok(r.diagnostics.every((d) => d.code === 'unknown-namer-prefix'));
    assert.equal(r.diagnostics[n - 1]!.message, `No namer in this config answers for \`/#/n${n - 1}\` (no namers are configured): this path always resolves to \`~\`.`);
  });

  it('12,000 routers, namers and servers on one port: linear, not quadratic', () => {
    const n = 12_000;
    const parts = ['namers:\n'];
    for (let i = 0; i < n; i++) parts.push(`- kind: io.l5d.fs\n  prefix: /fs${i}\n  rootDir: /d\n`);
    parts.push('- kind: io.l5d.fs\n  prefix: /fs7/x\n  rootDir: /d\nrouters:\n');
    for (let i = 0; i < n; i++)
      parts.push(`- protocol: http\n  label: r${i}\n  dtab: /svc => /#/fs${i}/x | /#/nope${i};\n  servers:\n  - port: 4140\n    ip: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\n`);
    parts.push('- protocol: http\n  label: last\n  servers:\n  - port: 4140\n    ip: 0.0.0.0\n');
    const text = parts.join('');
    // Quadratic, this took minutes (10,000 routers: 30 s); it must finish (no clock is asserted:
    // `npm run bench` times it, tests only count).
    const r = checkConfigText(text);
    const count = (code: string) => r.diagnostics.filter((d) => d.code === code).length;
    assert.equal(count('unknown-namer-prefix'), n);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code !== 'unknown-namer-prefix').map((d) => [d.code, d.message]),
      [
        ['namer-prefix-overlap', "This namer's prefix `/fs7/x` overlaps `/fs7`: give each namer its own `prefix`."],
        ['port-clash', 'A server of router `last` listens on 0.0.0.0:4140, like a server of router `r0`: Linkerd cannot bind the same port twice.'],
      ],
    );
    assert.equal(
      r.diagnostics.find((d) => d.code === 'unknown-namer-prefix')!.message,
      'No namer in this config answers for `/#/nope0` (configured: `/#/fs0`, `/#/fs1`, `/#/fs2`, `/#/fs3`, `/#/fs4` and 11996 more): this path always resolves to `~`.',
    );
  });
});

/** [start, end, code, message] of each diagnostic. */
const diags = (text: string) => checkConfigText(text).diagnostics.map((d) => [d.span.start, d.span.end, d.code, d.message]);

describe('config checks: every span inside the text', () => {
  it('a YAML error at the very end of the text points at its end, not past it', () => {
    assert.deepEqual(diags('routers: ['), [[10, 10, 'yaml-syntax', 'Flow sequence in block collection must be sufficiently indented and end with a ].']]);
    assert.deepEqual(diags('routers:\n- protocol: http\n  dtab: "/a => /b'), [[43, 43, 'yaml-syntax', 'Missing closing "quote.']]);
    // In a ConfigMap string too; and no "line 1, column 11" counted from the string's start.
    assert.deepEqual(diags('kind: ConfigMap\ndata:\n  config.yaml: "routers: ["'), [[48, 48, 'yaml-syntax', 'Flow sequence in block collection must be sufficiently indented and end with a ].']]);
  });
});

describe('config checks: messages', () => {
  it('never say `undefined`: an interface without `kind` on the admin port', () => {
    assert.deepEqual(diags('storage:\n  kind: io.l5d.inMemory\ninterfaces:\n- port: 9991\n'), [
      [47, 51, 'missing-kind', 'This interface needs `kind` (one of `io.l5d.thriftNameInterpreter`, `io.l5d.httpController`, `io.l5d.mesh`, `io.l5d.destination`).'],
      [53, 57, 'port-clash', 'An interface without `kind` listens on 127.0.0.1:9991, like the admin server: Linkerd cannot bind the same port twice.'],
    ]);
  });

  it('a key that is not a plain name, at the top level', () => {
    assert.deepEqual(diags('routers:\n- protocol: http\n[a]: 1\n'), [[26, 29, 'wrong-type', 'Keys in the top level must be plain names.']]);
  });
});

describe('config checks: YAML aliases and tags', () => {
  it('an alias where Linkerd reads a value is reported as one, never expanded', () => {
    const alias = (where: string, name: string, thing = 'value') =>
      `${where} is the YAML alias \`*${name}\`: Linkerd's YAML reader does not expand aliases. Write the ${thing} out here.`;
    assert.deepEqual(diags('routers:\n- &r\n  protocol: http\n- *r\n'), [[33, 35, 'yaml-alias', alias('`routers[1]`', 'r')]]);
    // Was "Unknown protocol ``" and "must be a dtab, not a mapping".
    assert.deepEqual(diags('routers:\n- protocol: &p http\n  dtab: *p\n- protocol: *p\n  label: b\n'), [
      [37, 39, 'yaml-alias', alias('`routers[0].dtab`', 'p')],
      [52, 54, 'yaml-alias', alias('`routers[1].protocol`', 'p')],
    ]);
    assert.deepEqual(diags('routers:\n- protocol: http\n  &k label: a\n- protocol: http\n  *k : b\n'), [[59, 61, 'yaml-alias', alias('This key', 'k', 'key')]]);
    assert.deepEqual(diags('routers:\n- protocol: http\n  <<: {label: a}\n'), [
      [28, 30, 'unknown-key', "`<<` (a YAML merge key) is not merged by Linkerd's YAML reader: it is an unknown key in a `http` router, and Linkerd rejects the whole config. Write the keys out."],
    ]);
    assert.deepEqual(diags('routers:\n- &r\n  protocol: http\n  label: &l a\n'), [], 'anchors alone are fine');
  });

  it('`!!omap` and other YAML 1.1 tags: read as Linkerd reads them (the tag ignored), problems at their place', () => {
    assert.deepEqual(diags('routers: !!omap\n- protocol: http\n'), []);
    assert.deepEqual(diags('routers: !!omap\n- protocol: http\n- protocol: h2\n  foo: 1\n'), [[50, 53, 'unknown-key', 'Unknown key `foo` in a `h2` router: Linkerd rejects the whole config.']]);
    assert.deepEqual(diags('routers: !!pairs\n- protocol: http\n  label: !!binary aGk=\n'), []);
  });
});

describe('config checks: invisible and lookalike characters in names', () => {
  it('a NUL in a protocol: named, and no "Did you mean `http`" for a `http` that shows the same', () => {
    const expected = 'Unknown protocol `ht\\u0000tp` for this router: expected one of `http`, `h2`, `thrift`, `thriftmux`, `mux`. It contains the character U+0000 (NUL): without it, it is `http`.';
    const r = checkConfigText('routers:\n- protocol: ht\u0000tp\n');
    assert.deepEqual(r.diagnostics.map((d) => [d.span, d.code, d.message]), [[{ start: 21, end: 26 }, 'unknown-kind', expected]]);
    assert.deepEqual(r.diagnostics[0]!.fixes, [{ title: 'Change to `http`', edits: [{ span: { start: 21, end: 26 }, text: 'http' }] }]);
  });

  it('zero-width and non-ASCII characters in keys and kinds', () => {
    assert.deepEqual(diags('routers:\n- protocol: http\n  lab\u200bel: x\n'), [
      [28, 34, 'unknown-key', 'Unknown key `lab\\u200bel` in a `http` router: Linkerd rejects the whole config. It contains the character zero-width space (U+200B): without it, it is `label`.'],
    ]);
    assert.deepEqual(diags('routers:\n- protocol: htt\u0440\n'), [
      [21, 25, 'unknown-kind', 'Unknown protocol `httр` for this router: expected one of `http`, `h2`, `thrift`, `thriftmux`, `mux`. It contains the character `р` (U+0440); the closest known name is `http`.'],
    ]);
    assert.deepEqual(diags('routers:\n- protocol: "\\x01\\x02"\n'), [
      [21, 31, 'unknown-kind', 'Unknown protocol `\\u0001\\u0002` for this router: expected one of `http`, `h2`, `thrift`, `thriftmux`, `mux`. It contains the characters U+0001 (SOH) and U+0002 (STX).'],
    ]);
  });
});

describe('config checks: deep nesting', () => {
  const TOO_DEEP = 'This YAML is nested more than 100 levels deep, too deep for this checker: what is inside is not checked (a Linkerd config nests about 10 levels).';
  const UNREADABLE = 'This YAML nests too deep (or chains too many anchors or tags) for this checker to read it: nothing in it is checked.';

  it('collections nested deeper than 100 levels are cut and reported where the cut is (was: no diagnostics at all)', () => {
    for (const n of [1000, 100_000]) {
      const text = `routers:\n- protocol: http\n  client: ${'['.repeat(n)}${']'.repeat(n)}\n`;
      // The top level (1), routers (2), the router (3), then `[` number 98 is the 101st level.
      assert.deepEqual(diags(text), [
        [36, 36 + 2 * n, 'wrong-type', '`routers[0].client` must be a mapping.'],
        [36 + 97, 36 + 98, 'yaml-too-deep', TOO_DEEP],
      ]);
    }
    let block = 'routers:\n- protocol: http\n  client:\n';
    for (let i = 0; i < 1500; i++) block += `${' '.repeat(4 + i)}a:\n`;
    const r = checkConfigText(block);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, block.slice(d.span.start, d.span.end)]), [
      ['unknown-key', 'a'],
      ['yaml-too-deep', 'a'],
    ]);
    assert.equal(r.diagnostics[1]!.span.start, block.indexOf(`\n${' '.repeat(4 + 97)}a:`) + 1 + 4 + 97);
  });

  it('what the YAML library cannot even read (thousands of `- ` or anchors in a row): one error there', () => {
    const dashes = `routers:\n- protocol: http\n  label: ${'- '.repeat(20_000)}a\n`;
    assert.deepEqual(diags(dashes), [[35, dashes.length - 1, 'yaml-too-deep', UNREADABLE]]);
    const anchors = `routers:\n- protocol: http\n  label: ${'&a '.repeat(20_000)}x\n`;
    assert.deepEqual(diags(anchors), [[35, anchors.length - 1, 'yaml-too-deep', UNREADABLE]]);
    // Not a config: not our business.
    assert.deepEqual(diags(`foo: ${'- '.repeat(20_000)}\n`), []);
    assert.deepEqual(diags(`foo: ${'['.repeat(5000)}${']'.repeat(5000)}\n`), []);
  });

  it('in a ConfigMap string, at the place in the file', () => {
    const text = `kind: ConfigMap\nmetadata: {name: x}\ndata:\n  config.yaml: |\n    routers:\n    - protocol: http\n      client: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
    const r = checkConfigText(text);
    assert.deepEqual(r.diagnostics.map((d) => [d.span.start, d.code]), [
      [107, 'wrong-type'],
      [107 + 97, 'yaml-too-deep'],
    ]);
  });

  it('a dtab nesting parentheses too deep gets the parser\'s own error, at the `(` in the file', () => {
    const text = `routers:\n- protocol: http\n  dtab: /a => ${'('.repeat(20_000)}/b${')'.repeat(20_000)}\n`;
    const r = checkConfigText(text);
    // The 101st `(`: the dtab starts at offset 34, `/a => ` is 6 characters.
    assert.deepEqual(
      r.diagnostics.map((d) => [d.span, d.code]),
      [[{ start: 34 + 6 + 100, end: 34 + 6 + 101 }, 'nesting-too-deep']],
    );
    assert.equal(r.dtabs.length, 1);
    assert.deepEqual(diags(`routers:\n- protocol: http\n  dtab: /a => ${'('.repeat(100)}/b${')'.repeat(100)}\n`), []);
  });

  it('every code an embedded dtab can give is known to the incremental path', async () => {
    const { DTAB_CHECK_CODES, checkDtabText } = await import('../../core/index.js');
    const inputs = ['/a => 1.001 * /b & /c', `/a => ${'9'.repeat(400)} * /b & /c`, '/a => 0.5 * /b', '/a => /b; /a => /b', '/a => /$/nope', '/a => /#/io.l5d.k8s/http/x/y', '/a\u2192/b', ';'.repeat(1200), `/a => ${'('.repeat(200)}`];
    const seen = new Set<string>();
    for (const t of inputs) for (const d of checkDtabText(t).diagnostics) seen.add(d.code);
    for (const code of seen) assert.ok(DTAB_CHECK_CODES.has(code), code);
    assert.ok(seen.size >= 9, [...seen].join(', '));
  });
});

describe('config checks: the incremental path equals a full check, or declines', () => {
  /** Everything a result says, positions included. */
  const plain = (r: ConfigFileResult) => ({
    diagnostics: r.diagnostics.map((d) => [d.span, d.code, d.severity, d.message, d.fixes ?? [], d.related ?? []]),
    dtabs: r.dtabs.map((d) => [d.where, d.syntax.text, d.span, d.literal, [...d.fileAt], [...d.fileEnd], d.owner, d.namers, d.namersWhere]),
    configs: r.configs.map((c) => [c.kind, c.span, c.namers, c.routers.map((x) => [x.label, x.span, x.dtab?.where, x.dtab?.span])]),
  });
  /** Types `ch` where `|` is in `marker` (its last occurrence); whether the fast path took it. */
  const typing = (text: string, marker: string, ch: string) => {
    const at = text.lastIndexOf(marker.replace('|', '')) + marker.indexOf('|');
    const next = text.slice(0, at) + ch + text.slice(at);
    const fast = updateConfigText(checkConfigText(text), text, next);
    if (fast) assert.deepEqual(plain(fast), plain(checkConfigText(next)), `${JSON.stringify(text)} + ${JSON.stringify(ch)} at ${at}`);
    return fast !== undefined;
  };

  it('`dtab: |` then a line starting with a tab (YAML errors: the library\'s recovery decides): a full check', () => {
    assert.equal(typing('routers:\n- protocol: http\n  dtab: |\n\t/a => /b;\n', '\t|/a', 'x'), false);
    assert.equal(typing('routers:\n- protocol: http\n  dtab: |\n    \t/a => /b;\n   x: 1\n', '\t|/a', 'x'), false);
  });

  it('an error at the very end of the dtab (past its value\'s span) is replaced, not kept twice', () => {
    assert.equal(typing('routers:\n- protocol: http\n  dtab: |\n    /a => /b;\n    / #c\n', '/a| =>', 'x'), true);
  });

  it('typing at the end of a dtab moves the end of its router and config', () => {
    assert.equal(typing('routers:\n- protocol: http\n  dtab: |-\n    /a => /b;\n    /c => /d', '/d|', 'x'), true);
    assert.equal(typing('routers:\n- protocol: http\n  dtab: |\n    /a => /b;\n    /c => /d\n', '/d|\n', ' '), true);
    assert.equal(typing('routers:\r\n- protocol: http\r\n  dtab: |\r\n    /a => /b;\r\n    /c => /d\r\n', '/d|\r', '@'), true);
  });

  it('not past the last character of a `|` block whose line break the chomping added (end of the file)', () => {
    assert.equal(typing('routers:\n- protocol: http\n  dtab: |\n    /a => /b;\n    /c => /d', '/d|', 'x'), false);
  });

  it('a file starting with `{` (read as JSON too): a full check', () => {
    assert.equal(typing('{"routers": [{"protocol": "http"}]}\n---\nrouters:\n- protocol: h2\n  dtab: |\n    /a => /b\n', '/a| =>', 'x'), false);
  });
});

describe('config checks: long values in messages', () => {
  it('a 100,000-character key or value is cut in the middle of the message', () => {
    const x = 'x'.repeat(100_000);
    const [m] = checkConfigText(`routers:\n- protocol: ${x}\n`).diagnostics.map((d) => d.message);
    assert.equal(m, `Unknown protocol \`${'x'.repeat(70)}…${'x'.repeat(29)}\` for this router: expected one of \`http\`, \`h2\`, \`thrift\`, \`thriftmux\`, \`mux\`.`);
  });

  it('huge namer prefixes listed in unknown-namer-prefix are cut short (found by the second long fuzz run)', () => {
    const prefix = '/' + 'p'.repeat(70_000);
    const text = `namers:\n- kind: io.l5d.fs\n  prefix: ${prefix}\n  rootDir: /d\nrouters:\n- protocol: http\n  dtab: /svc => /#/nope ;\n  servers:\n  - port: 4140\n`;
    const d = checkConfigText(text).diagnostics.find((x) => x.code === 'unknown-namer-prefix');
    assert.ok(d);
    assert.equal(d.message, `No namer in this config answers for \`/#/nope\` (configured: \`/#/${'p'.repeat(39)}…${'p'.repeat(17)}\`): this path always resolves to \`~\`.`);
  });

  it('a huge key named in where a problem is (found by the long fuzz run: a 500 KB message)', () => {
    const key = '/svc => /$/inet/web/8080; '.repeat(20_000);
    const text = `storage:
  kind: io.l5d.inMemory
  namespaces:
    ${JSON.stringify(key)}: 7
interfaces:
- kind: io.l5d.httpController
`;
    const ds = checkConfigText(text).diagnostics;
    assert.ok(ds.length > 0);
    for (const d of ds) assert.ok(d.message.length < 400, `${d.code}: ${d.message.length} characters`);
  });
});
