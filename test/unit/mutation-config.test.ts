// Exact values for core/config: every diagnostic of the config checks (walker, cross checks, the
// file-level checks of config.ts) with its code, severity, span, message and fixes; the YAML reading
// (yaml.ts: depth cuts, unreadable texts, chunked re-reading), the scalar maps, the editing fast path,
// completion and hover contexts, the catalogue rules and the small helpers. Written so that mutants of
// core/config fail a test (npm run mutation).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScalar, parseDocument, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { catalogue, kindWord, requiredOfObject, requiredOfVariant, requiredRules, isGated, strictObjectsIn, variantKeys, variantNames, type Catalogue } from '../../core/config/catalogue.js';
import { checkConfigText, mayHoldConfig, updateConfigText, type ConfigFileResult } from '../../core/config/config.js';
import { configContext, describeType, variantsOf, type ConfigContext } from '../../core/config/context.js';
import { capitalize, keyOrMap, lineOf, spanOf, sub, type Ctx } from '../../core/config/diag.js';
import { fileMapped, namerRefDiagnostics, type EmbeddedDtab } from '../../core/config/embedded.js';
import { plainJson, routerNamers, str } from '../../core/config/model.js';
import { NAMER_KINDS, namerKind, namerPrefix } from '../../core/config/namers.js';
import { pickConfigDtab } from '../../core/config/pick.js';
import { mapSpan, scalarMap } from '../../core/config/scalar-map.js';
import { SCALAR_TYPES, scalarTypes, typePhrase } from '../../core/config/scalars.js';
import { detectConfig, validateConfig } from '../../core/config/validate.js';
import { didYouMean, shorten, unknownWord, visible } from '../../core/config/words.js';
import { MAX_DEPTH, parseYamlDocument, parseYamlDocuments, YamlChunks } from '../../core/config/yaml.js';
import { parseDtab } from '../../core/syntax/parser.js';

type Span = { start: number; end: number };
type D = {
  code: string;
  severity: string;
  span: Span;
  message: string;
  fixes?: readonly { title: string; edits: readonly { span: Span; text: string }[] }[];
  related?: readonly { span: Span; message: string }[];
};

/** [code, severity, start, end, message] and, when the diagnostic has fixes or related places, [title, ...[start, end, text]] per fix, and [start, end, message] per related place. */
const shape = (d: D): unknown[] => {
  const row: unknown[] = [d.code, d.severity, d.span.start, d.span.end, d.message];
  if (d.fixes || d.related) row.push((d.fixes ?? []).map((f) => [f.title, ...f.edits.map((e) => [e.span.start, e.span.end, e.text])]));
  if (d.related) row.push(d.related.map((r) => [r.span.start, r.span.end, r.message]));
  return row;
};
const diags = (text: string) => checkConfigText(text).diagnostics.map((d) => shape(d));

const YAML_OPTIONS = { keepSourceTokens: true, uniqueKeys: false, resolveKnownTags: false } as const;

type Row = [string, unknown[][]];
/** Each config and every diagnostic it gets. */
const DIAGS: Row[] = [
  // A \U escape of a character outside the BMP is two UTF-16 units of the value: later spans stay exact.
  ["routers:\n- protocol: http\n  dtab: \"/\\U0001F600 => /b ; /a => /b ; /a => /b\"\n", [
    ["expected-arrow","error",36,46,"Expected `=>` after the prefix `/`, found `\u{1f600}` (U+1F600). Labels are ASCII: write other characters as their UTF-8 bytes (\\xf0\\x9f\\x98\\x80)."],
    ["duplicate-dentry","warning",66,74,"This dentry repeats an earlier one exactly: the earlier one is only tried if this one fails, with the same result.",[["Remove the duplicate dentry",[65,74,""]]],[[55,63,"the earlier dentry"]]],
  ]],
  ["admin:\n  port: [1]\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",15,18,"`admin.port` must be a port number (0-65535), not a list."],
  ]],
  ["admin:\n  port: {a: 1}\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",15,21,"`admin.port` must be a port number (0-65535), not a mapping."],
  ]],
  ["admin:\n  port: -1\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",15,17,"`admin.port` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found `-1`."],
  ]],
  ["admin:\n  port: 65536\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",15,20,"`admin.port` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found `65536`."],
  ]],
  ["admin:\n  port: 65535\nrouters:\n- protocol: http\n", [
  ]],
  ["admin:\n  port: 0\nrouters:\n- protocol: http\n", [
  ]],
  ["admin:\n  port: 1.5\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",15,18,"`admin.port` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found `1.5`."],
  ]],
  ["admin:\n  ip: localhost\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",13,22,"`admin.ip` must be an IP address literal such as `0.0.0.0` or `127.0.0.1`; Linkerd does not resolve host names here (use `127.0.0.1` for `localhost`).",[["Use 127.0.0.1",[13,22,"127.0.0.1"]]]],
  ]],
  ["admin:\n  ip: 10.0.0.256\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",13,23,"`admin.ip` must be an IP address literal such as `0.0.0.0` or `127.0.0.1`; Linkerd does not resolve host names here."],
  ]],
  ["admin:\n  ip: 1\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",13,14,"`admin.ip` must be an IP address literal such as `0.0.0.0` or `127.0.0.1`; Linkerd does not resolve host names here."],
  ]],
  ["admin:\n  ip: \"::1\"\nrouters:\n- protocol: http\n", [
  ]],
  ["routers:\n- protocol: http\n  bindingTimeoutMs: 1.5\n", [
    ["wrong-type","error",46,49,"`routers[0].bindingTimeoutMs` must be an integer; found `1.5`."],
  ]],
  ["routers:\n- protocol: http\n  bindingTimeoutMs: x\n", [
    ["wrong-type","error",46,47,"`routers[0].bindingTimeoutMs` must be an integer; found `x`."],
  ]],
  ["routers:\n- protocol: http\n  bindingTimeoutMs:\n", [
    ["wrong-type","error",45,45,"`routers[0].bindingTimeoutMs` must be an integer; found nothing."],
  ]],
  ["routers:\n- protocol: http\n  bindingTimeoutMs: 10\n", [
  ]],
  ["routers:\n- protocol: http\n  originator: 1\n", [
    ["wrong-type","error",40,41,"`routers[0].originator` must be `true` or `false`; found `1`."],
  ]],
  ["routers:\n- protocol: http\n  originator: true\n", [
  ]],
  ["routers:\n- protocol: http\n  label: [a]\n", [
    ["wrong-type","error",35,38,"`routers[0].label` must be a string, not a list."],
  ]],
  ["routers:\n- protocol: http\n  label:\n", [
    ["wrong-type","error",34,34,"`routers[0].label` must be a string; found nothing."],
  ]],
  ["routers:\n- protocol: http\n  label: 1\n", [
  ]],
  ["routers:\n- protocol: http\n  dtab: 1\n", [
    ["wrong-type","error",34,35,"`routers[0].dtab` must be a dtab; found `1`."],
  ]],
  ["routers:\n- protocol: http\n  dtab: [a]\n", [
    ["wrong-type","error",34,37,"`routers[0].dtab` must be a dtab, not a list."],
  ]],
  ["routers:\n- protocol: http\ntelemetry:\n- kind: io.l5d.tracelog\n  sampleRate: x\n  level: VERBOSE\n", [
    ["wrong-type","error",75,76,"`telemetry[0].sampleRate` must be a number; found `x`."],
    ["wrong-value","error",86,93,"`telemetry[0].level` must be one of ALL, CRITICAL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARNING."],
  ]],
  ["routers:\n- protocol: http\ntelemetry:\n- kind: io.l5d.tracelog\n  sampleRate: 0.5\n  level: debug\n", [
  ]],
  ["routers:\n- protocol: http\ntelemetry:\n- kind: io.l5d.tracelog\n  level: 3\n", [
    ["wrong-value","error",70,71,"`telemetry[0].level` must be one of ALL, CRITICAL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARNING."],
  ]],
  ["routers:\n- protocol: thrift\n  thriftProtocol: json\n", [
    ["wrong-value","error",46,50,"`routers[0].thriftProtocol` must be `binary` or `compact`."],
  ]],
  ["routers:\n- protocol: thrift\n  thriftProtocol: Binary\n", [
    ["wrong-value","error",46,52,"`routers[0].thriftProtocol` must be `binary` or `compact`."],
  ]],
  ["routers:\n- protocol: thrift\n  thriftProtocol: compact\n", [
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: x\n", [
    ["invalid-path","error",74,75,"`routers[0].interpreter.dst` is not a valid path: A path starts with `/`; found `x`."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: 1\n", [
    ["wrong-type","error",74,75,"`routers[0].interpreter.dst` must be a path; found `1`."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /a b\n", [
    ["invalid-path","error",77,78,"`routers[0].interpreter.dst` is not a valid path: Expected the end of the path, found `b`."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/127.1/4100\n", [
  ]],
  ["routers:\n- protocol: http\n  client:\n    kind: io.l5d.static\n    configs:\n    - prefix: x\n    - prefix: 1\n    - prefix: /svc/*\n", [
    ["invalid-path","error",87,88,"`routers[0].client.configs[0].prefix` must be a path pattern starting with `/`."],
    ["wrong-type","error",103,104,"`routers[0].client.configs[1].prefix` must be a path pattern; found `1`."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.fs\n    dtabFile:\n", [
    ["wrong-type","error",74,74,"`routers[0].interpreter.dtabFile` must be a file path; found nothing."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.fs\n  rootDir: {a: 1}\n", [
    ["wrong-type","error",63,69,"`namers[0].rootDir` must be a directory path, not a mapping."],
  ]],
  ["routers:\n- protocol: http\n  label: {? x}\n", [
    ["wrong-type","error",35,40,"`routers[0].label` must be a string, not a mapping."],
  ]],
  ["routers:\n- protocol: http\n  label: &a x\n- protocol: h2\n  label: *a\n", [
    ["yaml-alias","error",64,66,"`routers[1].label` is the YAML alias `*a`: Linkerd's YAML reader does not expand aliases. Write the value out here."],
  ]],
  ["x: &p http\nrouters:\n- protocol: *p\n", [
    ["unknown-key","error",0,1,"Unknown key `x` in the linkerd config (top level): Linkerd rejects the whole config."],
    ["yaml-alias","error",32,34,"`routers[0].protocol` is the YAML alias `*p`: Linkerd's YAML reader does not expand aliases. Write the value out here."],
  ]],
  ["routers: x\n", [
    ["wrong-type","error",9,10,"`routers` must be a list (items start with `- `)."],
  ]],
  ["routers:\n- protocol: http\n- x\n", [
    ["wrong-type","error",28,29,"`routers[1]` must be a mapping."],
  ]],
  ["storage:\n  kind: io.l5d.inMemory\n  namespaces: x\ninterfaces:\n- kind: io.l5d.httpController\n", [
    ["wrong-type","error",47,48,"`storage.namespaces` must be a mapping."],
  ]],
  ["storage:\n  kind: io.l5d.inMemory\n  namespaces:\n    [a]: /a => /b\n    b: 1\ninterfaces:\n- kind: io.l5d.httpController\n", [
    ["wrong-type","error",72,73,"`storage.namespaces.b` must be a dtab; found `1`."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.rancher\n  experimental: true\n  portMappings: {a: x}\n", [
    ["wrong-type","error",98,99,"`namers[0].portMappings.a` must be an integer; found `x`."],
  ]],
  ["routers:\n- protocol: http\n  identifier:\n    kind: io.l5d.path\n    segments: x\n", [
    ["wrong-type","error",76,77,"`routers[0].identifier.segments` must be an integer; found `x`."],
  ]],
  ["routers:\n- protocol: http\n  identifier:\n  - kind: io.l5d.path\n  - kind: io.l5d.header\n    header: 1\n    x: 2\n", [
    ["unknown-key","error",104,105,"Unknown key `x` in the `io.l5d.header` `httpIdentifier` block: Linkerd rejects the whole config."],
  ]],
  ["a: &k admin\n*k : 1\nrouters:\n- protocol: http\n", [
    ["unknown-key","error",0,1,"Unknown key `a` in the linkerd config (top level): Linkerd rejects the whole config."],
    ["yaml-alias","error",12,14,"This key is the YAML alias `*k`: Linkerd's YAML reader does not expand aliases. Write the key out here."],
  ]],
  ["[a]: 1\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",0,3,"Keys in the top level must be plain names."],
  ]],
  ["routers:\n- protocol: http\n  label: a\n  label: b\n  label: c\n", [
    ["duplicate-key","error",39,44,"Duplicate key `label` (first on line 3): Linkerd rejects duplicate keys."],
    ["duplicate-key","error",50,55,"Duplicate key `label` (first on line 3): Linkerd rejects duplicate keys."],
  ]],
  ["routers:\n- protocol: http\n  baseDtab: /a => /b\n", [
    ["removed-key","error",28,36,"`baseDtab` was renamed `dtab` in Linkerd 0.9.0; Linkerd 1.7.5 rejects it.",[["Rename to `dtab`",[28,36,"dtab"]]]],
  ]],
  ["baseDtab: /a => /b\nrouters:\n- protocol: http\n", [
    ["removed-key","error",0,8,"`baseDtab` was renamed `dtab` in Linkerd 0.9.0; Linkerd 1.7.5 rejects it."],
  ]],
  ["routers:\n- protocol: http\n  tracers: x\n", [
    ["removed-key","error",28,35,"`tracers` was removed in Linkerd 0.9.0: use the `io.l5d.zipkin` or `io.l5d.tracelog` telemeters; Linkerd 1.7.5 rejects it."],
  ]],
  ["routers:\n- protocol: h2\n  maxRequestKB: 1\n", [
    ["removed-key","error",26,38,"`maxRequestKB` was removed in Linkerd 1.7.0 in favour of `streamAfterContentLengthKB`; Linkerd 1.7.5 rejects it."],
  ]],
  ["routers:\n- protocol: http\n  maxResponseKB: 1\n", [
    ["removed-key","error",28,41,"`maxResponseKB` was removed in Linkerd 1.7.0 in favour of `streamAfterContentLengthKB`; Linkerd 1.7.5 rejects it.",[["Rename to `streamAfterContentLengthKB`",[28,41,"streamAfterContentLengthKB"]]]],
  ]],
  ["routers:\n- protocol: http\n  <<: {label: x}\n", [
    ["unknown-key","error",28,30,"`<<` (a YAML merge key) is not merged by Linkerd's YAML reader: it is an unknown key in a `http` router, and Linkerd rejects the whole config. Write the keys out."],
  ]],
  ["routers:\n- protocol: http\n  zzzzzz: 1\n", [
    ["unknown-key","error",28,34,"Unknown key `zzzzzz` in a `http` router: Linkerd rejects the whole config."],
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - port: 4140\n    tls: {}\n", [
    ["missing-key","error",61,63,"`routers[0].servers[0].tls` needs `certPath`."],
    ["missing-key","error",61,63,"`routers[0].servers[0].tls` needs `keyPath`."],
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - port: 4140\n    tls:\n      certPath: /c\n", [
    ["missing-key","error",67,75,"`routers[0].servers[0].tls` needs `keyPath`."],
  ]],
  ["admin: x\nrouters:\n- protocol: http\n", [
    ["wrong-type","error",7,8,"`admin` must be a mapping."],
  ]],
  ["routers:\n- label: x\n", [
    ["missing-kind","error",11,16,"This router needs `protocol` (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`)."],
  ]],
  ["routers:\n- {}\n", [
    ["missing-kind","error",11,13,"This router needs `protocol` (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`)."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    failFast: x\n", [
    ["wrong-type","error",50,51,"`routers[0].client.failFast` must be `true` or `false`; found `x`."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    kind: io.l5d.static\n", [
    ["missing-key","error",40,44,"The `io.l5d.static` `client` block needs `configs`."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    kind: io.l5d.globl\n", [
    ["unknown-kind","error",46,58,"Unknown kind `io.l5d.globl` for this `client` block: expected one of `io.l5d.global`, `io.l5d.static`. Did you mean `io.l5d.global`?",[["Change to `io.l5d.global`",[46,58,"io.l5d.global"]]]],
  ]],
  ["routers:\n- protocol: htp\n", [
    ["unknown-kind","error",21,24,"Unknown protocol `htp` for this router: expected one of `http`, `h2`, `thrift`, `thriftmux`, `mux`. Did you mean `http`?",[["Change to `http`",[21,24,"http"]]]],
  ]],
  ["routers:\n- protocol: zzzzzz\n", [
    ["unknown-kind","error",21,27,"Unknown protocol `zzzzzz` for this router: expected one of `http`, `h2`, `thrift`, `thriftmux`, `mux`."],
  ]],
  ["routers:\n- ? protocol\n", [
    ["missing-kind","error",13,21,"`routers[0].protocol` has no value: this router needs one of `http`, `h2`, `thrift`, `thriftmux`, `mux`."],
  ]],
  ["routers:\n- protocol: [http]\n", [
    ["wrong-type","error",21,27,"`routers[0].protocol` must be a name (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`), not a list."],
  ]],
  ["routers:\n- protocol: {a: 1}\n", [
    ["wrong-type","error",21,27,"`routers[0].protocol` must be a name (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`), not a mapping."],
  ]],
  // Nothing after the discriminator: said at its key.
  ["routers:\n- protocol:\n", [
    ["missing-kind","error",11,19,"`routers[0].protocol` has no value: this router needs one of `http`, `h2`, `thrift`, `thriftmux`, `mux`."],
  ]],
  ["routers:\n- protocol: ~\n", [
    ["missing-kind","error",11,19,"`routers[0].protocol` has no value: this router needs one of `http`, `h2`, `thrift`, `thriftmux`, `mux`."],
  ]],
  // A key with no value node at all (flow style): said at the key.
  ["routers: [{protocol: http, label}]", [
    ["wrong-type","error",27,32,"`routers[0].label` has no value."],
  ]],
  // Client TLS is known by any of its own keys; it needs commonName unless validation is off.
  ["routers:\n- protocol: http\n  client:\n    tls:\n      trustCertsBundle: /b\n", [
    ["missing-key","error",51,67,"Client TLS needs `commonName` unless `disableValidation: true`."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      clientAuth:\n        certPath: /a\n        keyPath: /b\n", [
    ["missing-key","error",51,61,"Client TLS needs `commonName` unless `disableValidation: true`."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      commonName: x\n      clientAuth:\n        certPath: /a\n        keyPath: /b\n", [
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - tls:\n      certPath: /a\n      keyPath: /b\n", [
  ]],
  ["routers:\n- protocol: http\ntelemetry:\n- kind: io.l5d.commonMetrics\n- kind: io.l5d.adminMetricsExport\n", [
    ["removed-kind","error",45,65,"`io.l5d.commonMetrics` was removed in Linkerd 0.9.0; use `io.l5d.prometheus`; Linkerd 1.7.5 rejects it.",[["Change to `io.l5d.prometheus`",[45,65,"io.l5d.prometheus"]]]],
    ["removed-kind","error",74,99,"`io.l5d.adminMetricsExport` was removed in Linkerd 0.9.0 (admin metrics are always on); Linkerd 1.7.5 rejects it."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.headerToken\n", [
    ["removed-kind","error",42,60,"`io.l5d.headerToken` was renamed `io.l5d.header.token` in Linkerd 1.0.0; Linkerd 1.7.5 rejects it."],
  ]],
  ["routers:\n- protocol: http\n  identifier:\n    kind: io.l5d.headerToken\n", [
    ["removed-kind","error",50,68,"`io.l5d.headerToken` was renamed `io.l5d.header.token` in Linkerd 1.0.0; Linkerd 1.7.5 rejects it.",[["Change to `io.l5d.header.token`",[50,68,"io.l5d.header.token"]]]],
  ]],
  ["routers:\n- protocol: thriftmux\n", [
    ["experimental-required","error",21,30,"`thriftmux` is experimental: Linkerd refuses to start unless this block has `experimental: true`.",[["Add `experimental: true`",[30,30,"\n  experimental: true"]]]],
  ]],
  ["routers:\n- protocol: thriftmux\n  experimental: false\n", [
    ["experimental-required","error",21,30,"`thriftmux` is experimental: Linkerd refuses to start unless this block has `experimental: true`.",[["Add `experimental: true`",[30,30,"\n  experimental: true"]]]],
  ]],
  ["routers:\n- protocol: thriftmux\n  experimental: true\n", [
  ]],
  ["routers:\n- protocol: http\nnamers:\n  - kind: io.l5d.dnssrv\n", [
    ["experimental-required","error",44,57,"`io.l5d.dnssrv` is experimental: Linkerd refuses to start unless this block has `experimental: true`.",[["Add `experimental: true`",[57,57,"\n    experimental: true"]]]],
  ]],
  ["storage:\n  kind: io.l5d.etcd\ninterfaces:\n- kind: io.l5d.httpController\n", [
    ["experimental-required","warning",17,28,"`io.l5d.etcd` storage is experimental: namerd refuses to start it unless this block has `experimental: true` (the config itself parses).",[["Add `experimental: true`",[28,28,"\n  experimental: true"]]]],
  ]],
  ["routers:\n- protocol: http\n  client:\n    loadBalancer:\n      kind: p2cc\n", [
    ["unknown-kind","error",66,70,"Unknown kind `p2cc` for this `loadBalancer` block: expected one of `p2c`, `ewma`, `aperture`, `heap`, `roundRobin`. Did you mean `p2c`?",[["Change to `p2c`",[66,70,"p2c"]]]],
  ]],
  ["routers:\n- protocol: http\n  client:\n    loadBalancer: {}\n", [
    ["missing-kind","error",54,56,"This `loadBalancer` block needs `kind` (one of `p2c`, `ewma`, `aperture`, `heap`, `roundRobin`)."],
  ]],
  ["namers:\n- prefix: /x\nrouters:\n- protocol: http\n", [
    ["missing-kind","error",10,16,"This namer needs `kind` (one of `io.l5d.fs`, `io.l5d.serversets`, `io.l5d.consul`, `io.l5d.k8s`, `io.l5d.k8s.external`, `io.l5d.k8s.ns`, `io.l5d.k8s.istio`, `io.l5d.marathon`, `io.l5d.zkLeader`, `io.l5d.curator`, `io.l5d.dnssrv`, `io.l5d.rancher`, `io.l5d.rewrite`)."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.zkLeader\n  zkAddrs:\n  - host: zk\n- kind: io.l5d.serversets\n  zkAddrs:\n  - host: zk\n", [
    ["missing-key","error",73,77,"`namers[0].zkAddrs[0]` needs `port`."],
  ]],
  ["routers:\n- {protocol: http, [a]: 1}\n", [
    ["wrong-type","error",28,31,"Keys in `routers[0]` must be plain names."],
  ]],
  ["routers:\n- protocol: http\n  streamingEnabled: false\n  streamAfterContentLengthKB: 5\n", [
    ["conflicting-keys","error",54,80,"`streamAfterContentLengthKB` has no effect with `streamingEnabled: false`: Linkerd rejects the combination."],
  ]],
  ["routers:\n- protocol: http\n  streamingEnabled: true\n  streamAfterContentLengthKB: 5\n", [
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      disableValidation: true\n      clientAuth:\n        certPath: /c\n        keyPath: /k\n", [
    ["conflicting-keys","error",81,91,"`clientAuth` cannot be used with `disableValidation: true`."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      disableValidation: false\n      commonName: x\n      clientAuth:\n        certPath: /c\n        keyPath: /k\n", [
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      commonName: x\n      trustCerts: [/a]\n      trustCertsBundle: /b\n", [
    ["deprecated-key","information",71,81,"`trustCerts` is deprecated: use `trustCertsBundle`."],
    ["conflicting-keys","error",94,110,"Give `trustCerts` or `trustCertsBundle`, not both."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      disableValidation: true\n      trustCertsBundle: /b\n", [
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      commonName: x\n", [
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      disableValidation: true\n      trustCerts: [/a]\n", [
    ["deprecated-key","information",81,91,"`trustCerts` is deprecated: use `trustCertsBundle`."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    tlz:\n      trustCerts: [/a]\n", [
    ["unknown-key","error",40,43,"Unknown key `tlz` in the `io.l5d.global` `client` block: Linkerd rejects the whole config. Did you mean `tls`?",[["Change to `tls`",[40,43,"tls"]]]],
  ]],
  ["storage:\n  kind: io.l5d.inMemory\ninterfaces:\n- kind: io.l5d.thriftNameInterpreter\n  retryBaseSecs: 1\n", [
    ["unknown-key","error",84,97,"Unknown key `retryBaseSecs` in the `io.l5d.thriftNameInterpreter` interface: Linkerd rejects the whole config."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/h/1\n    retry:\n      baseSeconds: 0\n      maxSeconds: 10\n", [
    ["wrong-value","error",116,117,"`baseSeconds` must be greater than 0."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/h/1\n    retry:\n      baseSeconds: 11\n      maxSeconds: 10\n", [
    ["wrong-value","error",137,139,"`maxSeconds` must be at least `baseSeconds`."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/h/1\n    retry:\n      baseSeconds: 10\n      maxSeconds: 10\n", [
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/h/1\n    retry:\n      baseSeconds: -1\n", [
    ["missing-key","error",103,114,"`routers[0].interpreter.retry` needs `maxSeconds`."],
    ["wrong-value","error",116,118,"`baseSeconds` must be greater than 0."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.mesh\n    dst: /$/inet/h/1\n    root: /a/b\n", [
    ["wrong-value","error",94,98,"`root` of the `io.l5d.mesh` interpreter must be a single-segment path such as `/default`."],
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.mesh\n    dst: /$/inet/h/1\n    root: /default\n", [
  ]],
  ["routers:\n- protocol: http\n  interpreter:\n    kind: io.l5d.mesh\n    dst: /$/inet/h/1\n    root: /\n", [
    ["wrong-value","error",94,95,"`root` of the `io.l5d.mesh` interpreter must be a single-segment path such as `/default`."],
  ]],
  ["routers:\n- protocol: h2\n  identifier:\n    kind: io.l5d.header.path\n    segments: 0\n", [
    ["wrong-value","error",81,82,"`segments` must be at least 1."],
  ]],
  ["routers:\n- protocol: h2\n  identifier:\n    kind: io.l5d.header.path\n    segments: 1\n", [
  ]],
  ["routers:\n- protocol: http\ntelemetry:\n- kind: io.l5d.recentRequests\n  sampleRate: -0.1\n- kind: io.l5d.recentRequests\n  sampleRate: 1.1\n- kind: io.l5d.recentRequests\n  sampleRate: 0\n- kind: io.l5d.recentRequests\n  sampleRate: 1\n", [
    ["wrong-value","error",81,85,"`sampleRate` is a fraction from 0 to 1."],
    ["wrong-value","error",130,133,"`sampleRate` is a fraction from 0 to 1."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.serversets\n  zkAddrs: [{host: h}]\n  acls:\n  - {scheme: world, id: anyone, perms: crwda}\n  - {scheme: world, id: anyone, perms: cc}\n  - {scheme: world, id: anyone, perms: x}\n  - {id: anyone, perms: x}\n", [
    ["unknown-key","error",85,89,"Unknown key `acls` in the `io.l5d.serversets` namer: Linkerd rejects the whole config."],
    ["wrong-value","error",176,178,"`perms` takes the letters c, r, w, d and a, each at most once."],
    ["wrong-value","error",219,220,"`perms` takes the letters c, r, w, d and a, each at most once."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.fs\n  rootDir: d\n- kind: io.l5d.fs\n  rootDir: e\n", [
    ["namer-prefix-overlap","error",73,82,"This namer's prefix `/io.l5d.fs` overlaps `/io.l5d.fs`: give each namer its own `prefix`."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.fs\n  prefix: /a\n  rootDir: d\n- kind: io.l5d.fs\n  prefix: /a/b\n  rootDir: e\n- kind: io.l5d.fs\n  prefix: /ab\n  rootDir: e\n", [
    ["namer-prefix-overlap","error",106,110,"This namer's prefix `/a/b` overlaps `/a`: give each namer its own `prefix`."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- kind: io.l5d.fs\n  prefix: /a/b/c\n  rootDir: d\n- kind: io.l5d.fs\n  prefix: /a\n  rootDir: e\n", [
    ["namer-prefix-overlap","error",110,112,"This namer's prefix `/a` overlaps `/a/b/c`: give each namer its own `prefix`."],
  ]],
  ["routers:\n- protocol: http\nnamers:\n- {prefix: /q}\n- {prefix: /q}\n- x\n- {rootDir: z}\n", [
    ["missing-kind","error",37,43,"This namer needs `kind` (one of `io.l5d.fs`, `io.l5d.serversets`, `io.l5d.consul`, `io.l5d.k8s`, `io.l5d.k8s.external`, `io.l5d.k8s.ns`, `io.l5d.k8s.istio`, `io.l5d.marathon`, `io.l5d.zkLeader`, `io.l5d.curator`, `io.l5d.dnssrv`, `io.l5d.rancher`, `io.l5d.rewrite`)."],
    ["missing-kind","error",52,58,"This namer needs `kind` (one of `io.l5d.fs`, `io.l5d.serversets`, `io.l5d.consul`, `io.l5d.k8s`, `io.l5d.k8s.external`, `io.l5d.k8s.ns`, `io.l5d.k8s.istio`, `io.l5d.marathon`, `io.l5d.zkLeader`, `io.l5d.curator`, `io.l5d.dnssrv`, `io.l5d.rancher`, `io.l5d.rewrite`)."],
    ["namer-prefix-overlap","error",60,62,"This namer's prefix `/q` overlaps `/q`: give each namer its own `prefix`."],
    ["wrong-type","error",66,67,"`namers[2]` must be a mapping."],
    ["missing-kind","error",71,78,"This namer needs `kind` (one of `io.l5d.fs`, `io.l5d.serversets`, `io.l5d.consul`, `io.l5d.k8s`, `io.l5d.k8s.external`, `io.l5d.k8s.ns`, `io.l5d.k8s.istio`, `io.l5d.marathon`, `io.l5d.zkLeader`, `io.l5d.curator`, `io.l5d.dnssrv`, `io.l5d.rancher`, `io.l5d.rewrite`)."],
  ]],
  ["routers:\n- protocol: http\n  client:\n    tls:\n      trustCerts: [/a]\n", [
    ["missing-key","error",51,61,"Client TLS needs `commonName` unless `disableValidation: true`."],
    ["deprecated-key","information",51,61,"`trustCerts` is deprecated: use `trustCertsBundle`."],
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - port: 9990\n", [
    ["port-clash","error",47,51,"A server of router `http` listens on 127.0.0.1:9990, like the admin server: Linkerd cannot bind the same port twice."],
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - {}\n- protocol: h2\n  servers:\n  - {}\n- protocol: http\n  label: b\n  servers:\n  - {}\n", [
    ["port-clash","error",120,122,"A server of router `b` listens on 127.0.0.1:4140, like a server of router `http`: Linkerd cannot bind the same port twice."],
  ]],
  ["routers:\n- protocol: http\n  label: a\n  servers:\n  - port: 0\n  - port: 0\n", [
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - port: 80\n    ip: 10.0.0.1\n  - port: 80\n    ip: 10.0.0.2\n  - port: 80\n    ip: 0.0.0.0\n  - port: 80\n    ip: 10.0.0.2\n", [
    ["port-clash","error",107,109,"A server of router `http` listens on 0.0.0.0:80, like a server of router `http`: Linkerd cannot bind the same port twice."],
    ["port-clash","error",136,138,"A server of router `http` listens on 10.0.0.2:80, like a server of router `http`: Linkerd cannot bind the same port twice."],
  ]],
  ["routers:\n- protocol: http\n  servers:\n  - port: 80\n    ip: 0.0.0.0\n  - port: 80\n    ip: 10.0.0.1\n  - port: 80\n    ip: 0.0.0.0\n", [
    ["port-clash","error",76,78,"A server of router `http` listens on 10.0.0.1:80, like a server of router `http`: Linkerd cannot bind the same port twice."],
    ["port-clash","error",106,108,"A server of router `http` listens on 0.0.0.0:80, like a server of router `http`: Linkerd cannot bind the same port twice."],
  ]],
  ["admin:\n  ip: 0.0.0.0\n  port: 4140\nrouters:\n- protocol: http\n  servers:\n  - ip: 10.1.1.1\n", [
    ["port-clash","error",75,88,"A server of router `http` listens on 10.1.1.1:4140, like the admin server: Linkerd cannot bind the same port twice."],
  ]],
  ["admin:\n  port: \"x\"\nrouters:\n- protocol: http\n  servers:\n  - port: 9990\n", [
    ["wrong-type","error",15,18,"`admin.port` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found `\"x\"`."],
    ["port-clash","error",66,70,"A server of router `http` listens on 127.0.0.1:9990, like the admin server: Linkerd cannot bind the same port twice."],
  ]],
  ["admin: {}\nrouters:\n- protocol: http\n  servers:\n  - port: 9990\n", [
    ["port-clash","error",57,61,"A server of router `http` listens on 127.0.0.1:9990, like the admin server: Linkerd cannot bind the same port twice."],
  ]],
  ["routers:\n- protocol: http\n- protocol: http\n- protocol: h2\n  label: http\n- {label: x}\n- {label: x}\n", [
    ["duplicate-router-label","error",38,42,"Two routers are labelled `http` (a router without `label` is labelled by its protocol): Linkerd requires unique labels."],
    ["duplicate-router-label","error",67,71,"Two routers are labelled `http`: Linkerd requires unique labels."],
    ["missing-kind","error",75,80,"This router needs `protocol` (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`)."],
    ["missing-kind","error",88,93,"This router needs `protocol` (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`)."],
    ["duplicate-router-label","error",95,96,"Two routers are labelled `x`: Linkerd requires unique labels."],
  ]],
  ["routers:\n- protocol: mux\n  servers:\n  - port: 9990\n- protocol: thrift\n  servers: [{port: 4114}]\n- protocol: thrift\n  label: t2\n", [
    ["port-clash","error",46,50,"A server of router `mux` listens on 127.0.0.1:9990, like the admin server: Linkerd cannot bind the same port twice."],
  ]],
  ["routers:\n- servers: [{port: 1}, {port: 1}]\n", [
    ["missing-kind","error",11,18,"This router needs `protocol` (one of `http`, `h2`, `thrift`, `thriftmux`, `mux`)."],
    ["port-clash","error",39,40,"A server of router `0` listens on 127.0.0.1:1, like a server of router `0`: Linkerd cannot bind the same port twice."],
  ]],
  ["routers:\n- x\n- protocol: http\n  dtab: /a => /#/io.l5d.fs/x\n", [
    ["wrong-type","error",11,12,"`routers[0]` must be a mapping."],
    ["unknown-namer-prefix","warning",44,56,"No namer in this config answers for `/#/io.l5d.fs` (no namers are configured): this path always resolves to `~`."],
  ]],
  ["routers:\n- protocol: http\n  dtab: /a => /#/io.l5d.fs/x\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/h/1\n", [
  ]],
  ["routers:\n- protocol: http\n  dtab: /a => /#/io.l5d.fs/x\n  interpreter:\n    kind: io.l5d.fs\n    dtabFile: f\n", [
    ["unknown-namer-prefix","warning",40,52,"No namer in this config answers for `/#/io.l5d.fs` (no namers are configured): this path always resolves to `~`."],
  ]],
  ["routers:\n- protocol: http\n  dtab: /a => /#/io.l5d.fs/x | /#/p1/y | /#/p1/y | /#/q | /#/pp/z | /#/q\nnamers:\n- {kind: io.l5d.fs, rootDir: d, prefix: /p1}\n- {kind: io.l5d.fs, rootDir: d, prefix: /p2}\n- {kind: io.l5d.fs, rootDir: d, prefix: /p3}\n- {kind: io.l5d.fs, rootDir: d, prefix: /p4}\n- {kind: io.l5d.fs, rootDir: d, prefix: /p5}\n- {kind: io.l5d.fs, rootDir: d, prefix: /p6}\n", [
    ["unknown-namer-prefix","warning",40,52,"No namer in this config answers for `/#/io.l5d.fs` (configured: `/#/p1`, `/#/p2`, `/#/p3`, `/#/p4`, `/#/p5` and 1 more): this path always resolves to `~`."],
    ["unknown-namer-prefix","warning",77,81,"No namer in this config answers for `/#/q` (configured: `/#/p1`, `/#/p2`, `/#/p3`, `/#/p4`, `/#/p5` and 1 more): this path always resolves to `~`."],
    ["unknown-namer-prefix","warning",84,89,"No namer in this config answers for `/#/pp` (configured: `/#/p1`, `/#/p2`, `/#/p3`, `/#/p4`, `/#/p5` and 1 more): this path always resolves to `~`."],
  ]],
  ["routers:\n- protocol: http\n  dtab: /a => /#/io.l5d.fs/x ; /# => /b\n", [
  ]],
  ["routers:\n- protocol: http\n  dtab: /a => /#/x\nnamers:\n- {kind: io.l5d.fs, rootDir: d, prefix: /}\n", [
  ]],
  ["storage:\n  kind: io.l5d.inMemory\ninterfaces:\n- kind: io.l5d.thriftNameInterpreter\n- kind: io.l5d.mesh\n- kind: io.l5d.destination\n- kind: io.l5d.httpController\n", [
  ]],
  ["storage:\n  kind: io.l5d.inMemory\ninterfaces:\n- kind: io.l5d.httpController\n- port: 9991\n- kind: io.l5d.mesh\n  port: 4180\n  ip: 0.0.0.0\n", [
    ["missing-kind","error",77,81,"This interface needs `kind` (one of `io.l5d.thriftNameInterpreter`, `io.l5d.httpController`, `io.l5d.mesh`, `io.l5d.destination`)."],
    ["port-clash","error",83,87,"An interface without `kind` listens on 127.0.0.1:9991, like the admin server: Linkerd cannot bind the same port twice."],
    ["port-clash","error",116,120,"The `io.l5d.mesh` interface listens on 0.0.0.0:4180, like the `io.l5d.httpController` interface: Linkerd cannot bind the same port twice."],
  ]],
  ["storage:\n  kind: io.l5d.inMemory\ninterfaces: []\n", [
    ["missing-key","error",45,47,"namerd needs at least one interface."],
  ]],
  ["storage:\n  kind: io.l5d.inMemory\n  namespaces:\n    default: /a => /#/io.l5d.k8s/x\n    b: /c => /d\ninterfaces:\n- kind: io.l5d.httpController\nnamers:\n- kind: io.l5d.fs\n  rootDir: d\n", [
    ["unknown-namer-prefix","warning",66,79,"No namer in namerd's `namers` answers for `/#/io.l5d.k8s` (configured: `/#/io.l5d.fs`): this path always resolves to `~`."],
  ]],
  ["storage:\n  kind: io.l5d.inMemory\n  namespaces:\n    default: /a => /#/io.l5d.k8s/x\ninterfaces:\n- kind: io.l5d.httpController\n", [
    ["unknown-namer-prefix","warning",66,79,"No namer in namerd's `namers` answers for `/#/io.l5d.k8s` (no namers are configured): this path always resolves to `~`."],
  ]],
];

describe('config diagnostics, exactly', () => {
  for (const [text, expected] of DIAGS) {
    it(JSON.stringify(text).slice(0, 150), () => {
      assert.deepEqual(diags(text), expected);
    });
  }
});

/** The message JSON.parse gives for a text (it differs between Node versions). */
const jsonError = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('valid JSON');
};
const JSON_LEAD = 'This config starts with `{`, so Linkerd reads it as JSON, and it is not valid JSON: ';
const TOO_DEEP = `This YAML is nested more than ${MAX_DEPTH} levels deep, too deep for this checker: what is inside is not checked (a Linkerd config nests about 10 levels).`;
const UNREADABLE = 'This YAML nests too deep (or chains too many anchors or tags) for this checker to read it: nothing in it is checked.';

describe('checkConfigText: the file level', () => {
  it('a config read as JSON: the error at the position JSON.parse names, clamped into the text', () => {
    for (const [text, at] of [
      ['{routers: [{protocol: http}]}\n', 1],
      ['{"routers": [{"protocol": "http"}],}', 35],
      ['  {"routers": [{"protocol": "http"}]} x', 38],
    ] as const) {
      const ds = diags(text).filter((d) => d[0] === 'json-syntax');
      assert.deepEqual(ds, [['json-syntax', 'error', at, at + 1, `${JSON_LEAD}${jsonError(text)}.`]]);
    }
    // JSON.parse says where (position 14) past the last character: the last character.
    const open = '{"routers": []';
    assert.match(jsonError(open), /position 14/);
    assert.deepEqual(diags(open).filter((d) => d[0] === 'json-syntax'), [['json-syntax', 'error', 13, 14, `${JSON_LEAD}${jsonError(open)}.`]]);
    // No position in the message: the start of the text.
    const cut = '{"routers": ';
    assert.doesNotMatch(jsonError(cut), /position/);
    assert.deepEqual(diags(cut).filter((d) => d[0] === 'json-syntax'), [['json-syntax', 'error', 0, 1, `${JSON_LEAD}${jsonError(cut)}.`]]);
    assert.deepEqual(diags('{"routers": [{"protocol": "http"}]}'), []);
    assert.deepEqual(diags('\n {"routers": [{"protocol": "http"}]}'), []);
    // Not a config: no JSON check. A config not starting with `{`: none either.
    assert.deepEqual(diags('{"a": 1,}'), []);
    assert.deepEqual(diags('routers: [{protocol: http}]\n'), []);
    assert.deepEqual(diags('routers: [{protocol: http}] # {x\n'), []);
  });

  it('a text the YAML library cannot read: one error from the longest run of `-`, `?`, `:`, anchors or tags (a new line starts a new run) to the end of its line', () => {
    // The YAML library's stack overflow costs seconds: one text (in a ConfigMap string, mapped into the file).
    const cm = `kind: ConfigMap\ndata:\n  c: |-\n    routers: &a !t ? : x - - -\n    ${'- '.repeat(6000)}\n`;
    const start = cm.indexOf('- - - - - ');
    assert.deepEqual(diags(cm), [['yaml-too-deep', 'error', start, cm.length - 1, UNREADABLE]]);
    assert.deepEqual(checkConfigText(cm).configs, []);
  });

  it('collections cut for depth: reported in a config, not in other documents', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    // The top level (1), routers (2), the router (3): the 98th `[` is the 101st level.
    const text = `routers:\n- protocol: http\n  client: ${deep(97)}\n`;
    assert.deepEqual(diags(text), [['wrong-type', 'error', 36, 36 + 194, '`routers[0].client` must be a mapping.']]);
    const over = `routers:\n- protocol: http\n  client: ${deep(98)}\n`;
    assert.deepEqual(diags(over), [
      ['wrong-type', 'error', 36, 36 + 196, '`routers[0].client` must be a mapping.'],
      ['yaml-too-deep', 'error', 133, 134, TOO_DEEP],
    ]);
    // A cut in another document of the file is not this config's.
    const two = `a: ${deep(120)}\n---\nrouters:\n- protocol: http\n`;
    assert.deepEqual(diags(two), []);
    const twoAfter = `routers:\n- protocol: http\n---\na: ${deep(120)}\n`;
    assert.deepEqual(diags(twoAfter), []);
    // At the very end of the document: still its own.
    const end = `routers:\n- protocol: http\n  client:\n    x: ${deep(101)}`;
    assert.deepEqual(
      diags(end).map((d) => [d[0], d[2], d[3]]),
      [
        ['unknown-key', 40, 41],
        ['yaml-too-deep', 43 + 96, 43 + 97],
      ],
    );
  });

  it('ConfigMaps: each string value that is a config, named by the ConfigMap and key, positions in the file', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: l5d\ndata:\n  config.yaml: |-\n    routers:\n    - protocol: http\n      dtab: /a => /#/x\n    namers: []\n  other: 1\n  x.yaml: "plain"\n';
    const r = checkConfigText(text);
    assert.deepEqual(r.diagnostics.map((d) => shape(d)), [
      ['unknown-namer-prefix', 'warning', 129, 133, 'No namer in this config answers for `/#/x` (no namers are configured): this path always resolves to `~`.'],
    ]);
    assert.equal(text.slice(129, 133), '/#/x');
    assert.equal(r.configs.length, 1);
    const c = r.configs[0]!;
    assert.deepEqual([c.kind, c.span, c.inConfigMap, c.text], ['linkerd', { start: 74, end: 149 }, 'l5d/config.yaml', 'routers:\n- protocol: http\n  dtab: /a => /#/x\nnamers: []']);
    // From file offsets to the string's: before it 0, at each of its characters its index, after it its length.
    const inner = (o: number) => c.fromFile(o);
    assert.deepEqual([0, 73, 80, 81, 82, 85, 86, 94, 98, 99, 100, 101, 147, 148, 149, 1000].map(inner), [0, 0, 0, 0, 1, 4, 5, 9, 13, 14, 15, 16, 54, 55, 55, 55]);
    assert.equal(text[81], c.text[0]);
    assert.equal(text[94], c.text[9]);
    assert.equal(text[101], c.text[16]);
    assert.deepEqual(c.namers, []);
    assert.deepEqual(c.routers.map((x) => [x.label, x.protocol, x.interpreter, x.transformers, x.span, x.dtab === r.dtabs[0]]), [['http', 'http', undefined, [], { start: 96, end: 133 }, true]]);
    assert.deepEqual(
      r.dtabs.map((d) => [d.where, d.syntax.text, d.span, d.literal, d.namers, d.namersWhere, d.owner]),
      [['routers[0].dtab', '/a => /#/x', { start: 123, end: 133 }, false, [], 'this config', { kind: 'router', label: 'http', protocol: 'http', interpreter: undefined }]],
    );
    // Without a name, a key that is not a plain scalar, a string that is no config, a data that is no mapping.
    const anon = checkConfigText('kind: ConfigMap\ndata:\n  c: "routers:\\n- protocol: htp\\n"\n');
    assert.deepEqual(anon.configs.map((x) => [x.inConfigMap, x.span, x.text]), [['?/c', { start: 27, end: 56 }, 'routers:\n- protocol: htp\n']]);
    assert.deepEqual(anon.diagnostics.map((d) => shape(d)), [
      ['unknown-kind', 'error', 50, 53, 'Unknown protocol `htp` for this router: expected one of `http`, `h2`, `thrift`, `thriftmux`, `mux`. Did you mean `http`?', [['Change to `http`', [50, 53, 'http']]]],
    ]);
    assert.deepEqual(checkConfigText('kind: ConfigMap\nmetadata: {name: 7}\ndata:\n  ? [k]\n  : "routers: []"\n').configs.map((x) => x.inConfigMap), ['7/?']);
    assert.deepEqual(checkConfigText('kind: ConfigMap\nmetadata: x\ndata:\n  c: "a: 1"\n  d: "routers: []"\n').configs.map((x) => [x.inConfigMap, x.span]), [['?/d', { start: 51, end: 64 }]]);
    for (const t of ['kind: ConfigMap\ndata: x\n', 'kind: Service\ndata:\n  c: "routers: []"\n', 'kind: [ConfigMap]\ndata:\n  c: "routers: []"\n', '- kind: ConfigMap\n', 'kind: ConfigMap\ndata:\n  c: 7\n  d: [routers]\n'])
      assert.deepEqual(checkConfigText(t), { configs: [], diagnostics: [], dtabs: [] }, t);
  });

  it('a ConfigMap string with YAML errors, and a literal block: the dtab is literal only through `|`', () => {
    const folded = checkConfigText('kind: ConfigMap\ndata:\n  c: >\n    routers: [{protocol: http, dtab: "/a=>/b;/a=>/b"}]\n');
    assert.deepEqual(folded.diagnostics.map((d) => shape(d)), [
      [
        'duplicate-dentry',
        'warning',
        74,
        80,
        'This dentry repeats an earlier one exactly: the earlier one is only tried if this one fails, with the same result.',
        [['Remove the duplicate dentry', [74, 80, '']]],
        [[67, 73, 'the earlier dentry']],
      ],
    ]);
    const lit = (t: string) => checkConfigText(t).dtabs.map((d) => d.literal);
    assert.deepEqual(lit('kind: ConfigMap\ndata:\n  c: |\n    routers:\n    - protocol: http\n      dtab: |\n        /a => /b\n'), [true]);
    assert.deepEqual(lit('kind: ConfigMap\ndata:\n  c: >\n    routers:\n\n    - protocol: http\n\n      dtab: |\n\n        /a => /b\n'), [false]);
    assert.deepEqual(lit('routers:\n- protocol: http\n  dtab: |\n    /a => /b\n'), [true]);
    assert.deepEqual(lit('routers:\n- protocol: http\n  dtab: >\n    /a => /b\n'), [false]);
    assert.deepEqual(diags('kind: ConfigMap\ndata:\n  c: "routers: [\\n"\n'), [['yaml-syntax', 'error', 40, 40, 'Flow sequence in block collection must be sufficiently indented and end with a ].']]);
  });

  it('diagnostics sorted by position across documents, every span inside the text', () => {
    const text = 'routers:\n- protocol: htp\n---\nrouters:\n- protocol: h3\n';
    assert.deepEqual(diags(text).map((d) => [d[0], d[2], d[3]]), [
      ['unknown-kind', 21, 24],
      ['unknown-kind', 50, 52],
    ]);
    assert.deepEqual(checkConfigText(text).configs.map((c) => [c.kind, c.span]), [
      ['linkerd', { start: 0, end: 25 }],
      ['linkerd', { start: 29, end: 53 }],
    ]);
    assert.deepEqual(
      checkConfigText('storage:\n  kind: io.l5d.inMemory\ninterfaces: []\n').configs.map((c) => [c.kind, c.span, c.fromFile(7)]),
      [['namerd', { start: 0, end: 48 }, 7]],
    );
    assert.deepEqual(diags('routers: ['), [['yaml-syntax', 'error', 10, 10, 'Flow sequence in block collection must be sufficiently indented and end with a ].']]);
  });

  it('mayHoldConfig: the top-level keys, a JSON `routers`, a ConfigMap', () => {
    const yes = ['routers:', '  routers :', 'storage:', '\tinterfaces\t:', 'a: 1\nrouters: x', '{"routers" : []}', 'kind: ConfigMap', 'kind:\tConfigMap', 'x: 1\nkind:ConfigMap\n'];
    const no = ['', 'routers', 'xrouters:', 'routers-x:', '- routers:', '"routers" x:', 'routers_:', 'kind: ConfigMaps', 'kind: ConfigMapX', 'skind: xConfigMap', 'kind: Config Map', 'storage\n:', 'admin:', '\n\n\n'];
    assert.deepEqual(yes.map(mayHoldConfig), yes.map(() => true));
    assert.deepEqual(no.map(mayHoldConfig), no.map(() => false));
  });
});

/** Everything a result says, in plain values (offset tables and owners included; documents left out). */
const plain = (r: ConfigFileResult) => ({
  diagnostics: r.diagnostics.map((d) => shape(d)),
  dtabs: r.dtabs.map((d) => [d.where, d.syntax.text, d.span, d.literal, d.namers, d.namersWhere, d.owner, Array.from(d.fileAt), Array.from(d.fileEnd), d.toFile({ start: 0, end: 2 }), d.toFile({ start: 1, end: 1 })]),
  configs: r.configs.map((c) => [c.kind, c.span, c.inConfigMap, c.namers.map((n) => [n.kind, n.prefix, n.span]), c.routers.map((x) => [x.label, x.span, x.dtab?.syntax.text, x.dtab === undefined || r.dtabs.includes(x.dtab)])]),
});

describe('updateConfigText: typing inside an embedded dtab', () => {
  const base = 'routers:\n- protocol: http\n  dtab: |\n    /a => /b ;\n    /c => /#/x ;\n  label: r\n- protocol: h2\n  dtab: |\n    /d => /e ;\n  label: htp\n  zz: 1\nnamers:\n- kind: io.l5d.fs\n  rootDir: d\n';
  const same = (oldText: string, newText: string) => {
    const inc = updateConfigText(checkConfigText(oldText), oldText, newText);
    assert.ok(inc, JSON.stringify(newText));
    assert.equal(inc.stale, true);
    assert.deepEqual(plain(inc), plain(checkConfigText(newText)), JSON.stringify(newText));
    return inc;
  };

  it('no change: the previous result, marked stale', () => {
    const prev = checkConfigText(base);
    const r = updateConfigText(prev, base, base)!;
    assert.equal(r.stale, true);
    assert.equal(r.diagnostics, prev.diagnostics);
    assert.equal(r.dtabs, prev.dtabs);
    assert.equal(r.configs, prev.configs);
  });

  it('insertions, deletions and replacements inside a line of a dtab: the same as a full check', () => {
    const edits = [
      base.replace('/a => /b ;', '/a => /bb ;'),
      base.replace('/a => /b ;', '/a => / ;'),
      base.replace('/a => /b ;', '/a => /b'),
      base.replace('/a => /b ;', '/a => /b ; /a => /b ;'),
      base.replace('/#/x', '/#/io.l5d.fs/x'),
      base.replace('/#/x ;', '/#/x ;;'),
      base.replace('/c => /#/x ;', '/c => /#/x'),
      base.replace('/c => /#/x ;', '/c =>'),
      base.replace('/c => /#/x ;', '/c'),
      base.replace('/d => /e ;', '/d => /#/y ;'),
      base.replace('/d => /e ;', '/d => /e ; /d => /e'),
      base.replace('/a => /b ;', '/a =>/b ;'),
      base.replace('/a => /b ;', '/a => /b ; '),
    ];
    for (const e of edits) same(base, e);
  });

  it('the spans around the edit: what holds the dtab grows, what follows moves, what precedes stays', () => {
    const longer = base.replace('/a => /b ;', '/a => /bbb ;');
    const r = same(base, longer);
    assert.deepEqual(r.configs[0]!.span, { start: 0, end: base.length + 2 });
    assert.deepEqual(r.configs[0]!.routers.map((x) => x.span), [
      { start: 11, end: 80 },
      { start: 83, end: 141 },
    ]);
    assert.deepEqual(r.configs[0]!.namers.map((n) => n.span), [{ start: 152, end: 180 }]);
    const shorter = base.replace('/#/x ;', ';');
    const s = same(base, shorter);
    assert.deepEqual(s.configs[0]!.routers[0]!.span, { start: 11, end: 73 });
    // At the very end of a dtab's text: its router and config end moves with it.
    const end = 'routers:\n- protocol: http\n  dtab: |\n    /a => /b';
    same(`${end}\n`, `${end}c\n`);
    same(`${end}\n`, `${end.slice(0, -1)}\n`);
    same(`${end} ;\n`, `${end} ; /x => /y\n`);
    same(`${end}\n  label: x\n`, `${end}c\n  label: x\n`);
    // Past a line break that the chomping added (the file ends without one): declined.
    assert.equal(updateConfigText(checkConfigText(end), end, `${end}c`), undefined);
  });

  it('in a ConfigMap `|` string, two levels of literal blocks', () => {
    const cm = 'kind: ConfigMap\nmetadata: {name: l5d}\ndata:\n  config.yaml: |-\n    routers:\n    - protocol: h2\n      dtab: |\n        /a => /b;\n        /c => /d\n    - protocol: http\n      dtab: |\n        /e => /f\n';
    same(cm, cm.replace('/a => /b;', '/a => /bx;'));
    same(cm, cm.replace('/c => /d', '/c => /d;/c => /d'));
    same(cm, cm.replace('/e => /f', '/e => /#/f'));
  });

  it('declines what may change the YAML: line breaks, the indentation, another value, YAML errors, JSON', () => {
    const no = (oldText: string, newText: string) => assert.equal(updateConfigText(checkConfigText(oldText), oldText, newText), undefined, JSON.stringify(newText));
    no(base, base.replace('/a => /b ;\n', '/a => /b ;\n\n')); // a line break typed
    no(base, base.replace('/a => /b ;\n    /c', '/a => /b ; /c')); // a line break removed
    no(base, base.replace('/a => /b ;', '/a => /b\r;')); // a carriage return typed
    no(base, base.replace('    /a', '     /a')); // in the indentation
    no(base, base.replace('    /a', '   /a'));
    no(base, base.replace('    /c', '    x/c')); // at the start of a line
    no(base, base.replace('label: r', 'label: rr')); // outside every dtab
    no(base, base.replace('dtab: |\n    /a', 'dtab: |-\n    /a')); // the block's header
    no(base, base.replace('zz: 1', 'zz: 12'));
    const plainDtab = 'routers:\n- protocol: http\n  dtab: /a => /b\n';
    no(plainDtab, plainDtab.replace('/b', '/bc')); // not in a literal block
    const folded = 'routers:\n- protocol: http\n  dtab: >\n    /a => /b\n';
    no(folded, folded.replace('/b', '/bc'));
    const broken = `${base}x: [\n`;
    no(broken, broken.replace('/a => /b ;', '/a => /bb ;')); // with a YAML error
    const deep = `${base}y: ${'['.repeat(120)}${']'.repeat(120)}\n`;
    no(deep, deep.replace('/a => /b ;', '/a => /bb ;')); // with a depth cut
    const json = '{"routers": [{"protocol": "http", "dtab": "/a => /b"}]}\n';
    no(json, json.replace('/b', '/bc'));
    const spaced = '  \n{"routers": [{"protocol": "http", "dtab": "/a => /b"}]}\n';
    no(spaced, spaced.replace('/b', '/bc'));
  });

  it('the end of a dtab, just past its last character: replaced, not kept twice', () => {
    const text = 'routers:\n- protocol: http\n  dtab: |\n    /a => /b ;\n    /c =>\n';
    const r = same(text, text.replace('/c =>\n', '/c =>x\n'));
    assert.equal(r.diagnostics.length, checkConfigText(text.replace('/c =>\n', '/c =>x\n')).diagnostics.length);
    same(text, text.replace('/c =>\n', '/c => /d\n'));
  });
});

/** Every node's range (and each scalar's source token offset) in document order, the root's included. */
function ranges(doc: Document): unknown[] {
  const out: unknown[] = [doc.range];
  const visit = (n: unknown): void => {
    if (n === null || n === undefined) return;
    const node = n as Node & { items?: unknown[]; srcToken?: { offset: number } };
    if ('key' in (n as object) && 'value' in (n as object) && !('range' in (n as object))) {
      visit((n as { key: unknown }).key);
      visit((n as { value: unknown }).value);
      return;
    }
    out.push(node.range, isScalar(node) ? (node.srcToken?.offset ?? null) : null);
    if (node.items) for (const i of node.items) visit(i);
  };
  visit(doc.contents);
  return out;
}

describe('yaml.ts: reading YAML with depth cuts', () => {
  it('cuts collections past MAX_DEPTH, keys too, in every document; reports their offsets in order', () => {
    assert.equal(MAX_DEPTH, 100);
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    assert.deepEqual(parseYamlDocuments(`a: ${deep(99)}`, YAML_OPTIONS).cuts, []);
    assert.deepEqual(parseYamlDocuments(`a: ${deep(100)}`, YAML_OPTIONS).cuts, [102]);
    const two = parseYamlDocuments(`a: ${deep(102)}\n---\nb: ${deep(101)}`, YAML_OPTIONS);
    assert.deepEqual([two.cuts, two.docs.length, two.failed], [[102, 314], 2, undefined]);
    assert.deepEqual(parseYamlDocuments(`? ${deep(101)}\n: 1`, YAML_OPTIONS).cuts, [101]);
    // Later siblings are cut too (the cuts sorted by offset), the cut becomes an empty scalar.
    const sib = parseYamlDocuments(`a: [${deep(99)}, ${deep(99)}]`, YAML_OPTIONS);
    assert.deepEqual(sib.cuts, [102, 302]);
    assert.deepEqual(parseYamlDocuments('', YAML_OPTIONS), { docs: [], cuts: [] });
  });

  it('parseYamlDocument: the first document, an error for a second one (once)', () => {
    const one = parseYamlDocument('a: 1\n---\nb: 2\n---\nc: 3\n', YAML_OPTIONS);
    assert.deepEqual(one.doc!.errors.map((e) => [e.code, e.pos, e.message]), [['MULTIPLE_DOCS', [5, 14], 'Source contains multiple documents; please use YAML.parseAllDocuments()']]);
    assert.deepEqual(one.doc!.toJSON(), { a: 1 });
    assert.deepEqual([one.cuts, one.failed], [[], undefined]);
    const cut = parseYamlDocument(`a: ${'['.repeat(100)}${']'.repeat(100)}`, YAML_OPTIONS);
    assert.deepEqual([cut.cuts, cut.doc!.errors.length], [[102], 0]);
    const empty = parseYamlDocument('', YAML_OPTIONS);
    assert.deepEqual([empty.doc!.contents, empty.doc!.errors.length, empty.cuts], [null, 0, []]);
  });
});

describe('YamlChunks: re-reading only the top-level blocks that changed', () => {
  const text = 'routers:\n- protocol: http\n  label: a\n- protocol: h2\nadmin:\n  port: 9990\n# a comment\nnamers: []\n';

  it('the same document as a whole parse, ranges and source offsets included', () => {
    for (const t of [text, 'a: 1\nb:\n  c: 2\n', 'a:\n- x\n-\n- y\nb: 2\n', 'a: 1\r\nb: 2\r\n', 'a: 1\n\nb: 2\n  # x\n', 'a: 1\nb: 2']) {
      const chunked = new YamlChunks().parse(t, YAML_OPTIONS)!;
      assert.ok(chunked, JSON.stringify(t));
      const whole = parseYamlDocuments(t, YAML_OPTIONS);
      assert.equal(chunked.docs.length, 1);
      assert.deepEqual(chunked.cuts, []);
      assert.equal(chunked.failed, undefined);
      assert.deepEqual(chunked.docs[0]!.toJSON(), whole.docs[0]!.toJSON(), t);
      assert.deepEqual(ranges(chunked.docs[0]!).slice(1), ranges(whole.docs[0]!).slice(1), t);
      assert.deepEqual(chunked.docs[0]!.range, [0, (chunked.docs[0]!.contents as YAMLMap).range![1], t.length]);
    }
  });

  it('keeps the nodes of unchanged blocks (moved to their new place), reads changed ones again', () => {
    const c = new YamlChunks();
    const first = c.parse(text, YAML_OPTIONS)!;
    const pairs = (r: { docs: Document[] }) => (r.docs[0]!.contents as YAMLMap).items.map((p) => p.value);
    const edited = text.replace('label: a', 'label: abc');
    const second = c.parse(edited, YAML_OPTIONS)!;
    const [r1, a1, n1] = pairs(first);
    const [r2, a2, n2] = pairs(second);
    assert.notEqual(r2, r1, 'the routers were edited');
    assert.equal(a2, a1, 'admin kept');
    assert.equal(n2, n1, 'namers kept');
    assert.deepEqual(ranges(second.docs[0]!).slice(1), ranges(parseYamlDocuments(edited, YAML_OPTIONS).docs[0]!).slice(1));
    // The kept nodes moved with the text (by the 2 characters typed).
    assert.deepEqual((a2 as YAMLMap).range, [63, 74, 74]);
    // Two identical blocks: each kept one used once.
    const twice = 'a: 1\nb: 2\na: 1\n';
    const t1 = c.parse(twice, YAML_OPTIONS)!;
    const t2 = c.parse(twice, YAML_OPTIONS)!;
    const [x1, , z1] = pairs(t1);
    const [x2, , z2] = pairs(t2);
    assert.notEqual(x1, z1);
    assert.deepEqual([x2 === x1 || x2 === z1, z2 === x1 || z2 === z1, x2 !== z2], [true, true, true]);
    // After a text it cannot read in blocks, nothing is kept.
    assert.equal(c.parse('\ta: 1\nb: 2\n', YAML_OPTIONS), undefined);
    const again = c.parse(twice, YAML_OPTIONS)!;
    assert.deepEqual(pairs(again).map((v) => v === x1 || v === z1 || v === x2 || v === z2), [false, false, false]);
    // An item block is not taken for a key block of the same text.
    assert.ok(c.parse('a:\n- b\nc: 1\n', YAML_OPTIONS));
  });

  it('leaves to a whole parse what it cannot read in blocks', () => {
    for (const t of [
      'routers: []\n', // one block
      '',
      'a: 1\n\tb: 2\n', // a tab at the margin
      'a:\n# c\n  b: 2\n', // a comment at the margin inside a block
      'a:\n  x: 1\n# c\n  b: 2\nc: 3\n',
      '- a\nb: 1\n', // an item first
      'a: 1\n"b": 2\n', // a quoted key
      'a: 1\n[b]: 2\n',
      'a: 1\n---\nb: 2\n', // documents
      '%YAML 1.2\n---\na: 1\nb: 2\n',
      'a: &x 1\nb: *x\n', // anchors and aliases
      'a: 1\nb: [*x]\n',
      'a: [\nb: 1\n', // a block with errors
      'a: 1\n- x\n', // items after a key with a value
      'a: !t\n- x\n',
      'a: &n\n- x\n',
      'a: ""\n- x\n',
      "a: ''\n- x\n",
      `a: 1\nb: ${'['.repeat(100)}${']'.repeat(100)}\n`, // a depth cut
      'a: 1\nb:c\n', // not a key
      'a: 1\n-x\n',
    ])
      assert.equal(new YamlChunks().parse(t, YAML_OPTIONS), undefined, JSON.stringify(t));
    // Comments at the margin between blocks, and comment lines after one: fine.
    for (const t of ['a: 1\n# c\nb: 2\n', 'a:\n  x: 1\n# c\n  # d\nb: 2\n', 'a: 1\n# c\n\nb: 2\n', 'a:\n-\n', 'a:\n- \n- x\nb: 1\n', 'a:\n-\r\n- x\r\nb: 1\r\n', 'a_1.b-c: 1\nB9: 2\n']) {
      const r = new YamlChunks().parse(t, YAML_OPTIONS);
      assert.ok(r, JSON.stringify(t));
      assert.deepEqual(r.docs[0]!.toJSON(), parseYamlDocuments(t, YAML_OPTIONS).docs[0]!.toJSON(), JSON.stringify(t));
    }
  });

  it('checkConfigText with chunks gives the result of a whole read', () => {
    const c = new YamlChunks();
    const t1 = 'routers:\n- protocol: htp\n  dtab: /a => /#/x\nnamers:\n- kind: io.l5d.fs\n  rootDir: d\n';
    const t2 = t1.replace('htp', 'http');
    for (const t of [t1, t2, t1]) assert.deepEqual(plain(checkConfigText(t, c)), plain(checkConfigText(t)));
  });
});

describe('scalarMap: where each character of a YAML string stands', () => {
  const at = (t: string) => {
    const doc = parseDocument(t, { keepSourceTokens: true });
    const n = (doc.contents as YAMLMap).items[0]!.value as Scalar;
    const m = scalarMap(n, t);
    return [m.value, Array.from(m.map), Array.from(m.ends), m.exact];
  };
  const ROWS: [string, string, number[], number[], boolean][] = [
    ['v: plain  text\n', 'plain  text', [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], true],
    ['v: a\n  b\n\n  c\n', 'a b\nc', [3, 4, 7, 9, 12, 13], [4, 5, 8, 10, 13], true],
    ["v: 'it''s'\n", "it's", [4, 5, 6, 8, 9], [5, 6, 8, 9], true],
    ["v: 'a\n  b'\n", 'a b', [4, 5, 8, 9], [5, 6, 9], true],
    ['v: "a\\tb\\x41\\u00e9\\\\\\"\\/\\0"\n', 'a\tbAé\\"/\0', [4, 5, 7, 8, 12, 18, 20, 22, 24, 26], [5, 7, 8, 12, 18, 20, 22, 24, 26], true],
    ['v: "a \\\n  b"\n', 'a b', [4, 5, 10, 11], [5, 6, 11], true],
    ['v: "a  \n  b"\n', 'a b', [4, 7, 10, 11], [5, 8, 11], true],
    ['v: "a\\\n  b"\n', 'ab', [4, 9, 10], [5, 10], true],
    ['v: "a\n\n  b"\n', 'a\nb', [4, 6, 9, 10], [5, 7, 10], true],
    ['v: |\n  x\n   y\n\n', 'x\n y\n', [7, 8, 11, 12, 13, 14], [8, 9, 12, 13, 14], true],
    ['v: |-\n  x\n  y\n', 'x\ny', [8, 9, 12, 13], [9, 10, 13], true],
    ['v: |+\n  x\n\n', 'x\n\n', [8, 9, 10, 11], [9, 10, 11], true],
    ['v: |2\n   x\n  y\n', ' x\ny\n', [8, 9, 10, 13, 14, 15], [9, 10, 11, 14, 15], true],
    ['v: >\n  a\n  b\n\n  c\n   d\n  e\n', 'a b\nc\n d\ne\n', [7, 8, 11, 13, 16, 17, 20, 21, 22, 25, 26, 27], [8, 9, 12, 14, 17, 18, 21, 22, 23, 26, 27], true],
    ['v: >-\n  a\n\n\n  b\n', 'a\n\nb', [8, 10, 11, 14, 15], [9, 11, 12, 15], true],
    ['v: >\n\n  a\n', '\na\n', [5, 8, 9, 10], [6, 9, 10], true],
    ['v: >\n  a\n\n', 'a\n', [7, 8, 9], [8, 9], true],
    ['v: >\n  a\n   b\n  c\n', 'a\n b\nc\n', [7, 8, 11, 12, 13, 16, 17, 18], [8, 9, 12, 13, 14, 17, 18], true],
    ['v: >\n  a\n\n   b\n  c\n', 'a\n\n b\nc\n', [7, 8, 9, 12, 13, 14, 17, 18, 19], [8, 9, 10, 13, 14, 15, 18, 19], true],
    ['v: !t |\n  x\n', 'x\n', [10, 11, 12], [11, 12], true],
    ['v: &a |\n  x\n', 'x\n', [10, 11, 12], [11, 12], true],
    ['v: ""\n', '', [3], [], true],
    ['v: |\n', '', [3], [], true],
    ['v: "\\q"\n', '\\q', [3, 3, 3], [4, 4], false],
    ['v: "a\r\n  b"\r\n', 'a b', [4, 5, 9, 10], [5, 7, 10], true],
    ['v: |\r\n  x\r\n  y\r\n', 'x\ny\n', [8, 9, 13, 14, 16], [9, 11, 14, 16], true],
    ['v: \n', 'null', [3, 3, 3, 3, 3], [4, 4, 4, 4], false],
    ['v: "\\N\\_\\L\\P\\a\\b\\v\\f\\r\\e\\ "\n', '\u0085\u00a0\u2028\u2029\x07\b\v\f\r\x1b ', [4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26], [6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26], true],
  ];
  for (const [t, value, map, ends, exact] of ROWS) it(JSON.stringify(t), () => assert.deepEqual(at(t), [value, map, ends, exact]));

  it('mapSpan: a span of the value to the file, clamped', () => {
    const doc = parseDocument('v: "a\\tb"\n', { keepSourceTokens: true });
    const m = scalarMap((doc.contents as YAMLMap).items[0]!.value as Scalar, 'v: "a\\tb"\n');
    assert.deepEqual([mapSpan(m, 0, 1), mapSpan(m, 1, 2), mapSpan(m, 0, 3), mapSpan(m, 2, 2), mapSpan(m, 2, 1), mapSpan(m, 3, 3), mapSpan(m, 9, 9), mapSpan(m, 1, 9)], [
      { start: 4, end: 5 },
      { start: 5, end: 7 },
      { start: 4, end: 8 },
      { start: 7, end: 7 },
      { start: 7, end: 7 },
      { start: 8, end: 8 },
      { start: 8, end: 8 },
      { start: 5, end: 8 },
    ]);
  });
});

describe('configContext: what the cursor is on, for completion and hover', () => {
  /** The context at the `|` in the text (removed). */
  const at = (marked: string): unknown => {
    const offset = marked.indexOf('|');
    const text = marked.slice(0, offset) + marked.slice(offset + 1);
    const c = checkConfigText(text).configs[0]!;
    const r: ConfigContext | undefined = configContext(c.doc, c.text, c.kind, offset);
    if (!r) return undefined;
    const s = r.shape;
    const common = { keys: Object.keys(s.keys), poly: s.poly, required: s.required };
    if (r.kind === 'key') return { kind: r.kind, key: r.key, span: r.span, ...common };
    if (r.kind === 'discriminator') return { kind: r.kind, value: r.value, span: r.span, ...common };
    return { kind: r.kind, present: r.present, ...common };
  };
  const ROOT = ['admin', 'routers', 'namers', 'telemetry', 'usage'];
  const HTTP = Object.keys(variantKeys(catalogue.polymorphic.router!, 'http'));
  const R = 'routers:\n- protocol: http\n';
  const http = { keys: ['protocol', ...HTTP.filter((k) => k !== 'protocol')], poly: { slot: 'router', disc: 'protocol', variant: 'http' }, required: ['protocol'] };

  it('on a key, at its start, inside and at its end', () => {
    for (const m of ['|routers:\n- protocol: http\n', 'rou|ters:\n- protocol: http\n', 'routers|:\n- protocol: http\n'])
      assert.deepEqual(at(m), { kind: 'key', key: 'routers', span: { start: 0, end: 7 }, keys: ROOT, poly: undefined, required: ['routers'] });
    assert.deepEqual(at('routers:\n- |protocol: http\n'), { kind: 'key', key: 'protocol', span: { start: 11, end: 19 }, ...http });
    assert.deepEqual(at(`${R}  lab|el: x\n`), { kind: 'key', key: 'label', span: { start: 28, end: 33 }, ...http });
  });

  it('on a `kind` or `protocol` value; an unknown one has no variant', () => {
    for (const m of ['routers:\n- protocol: |http\n', 'routers:\n- protocol: ht|tp\n', 'routers:\n- protocol: http|\n'])
      assert.deepEqual(at(m), { kind: 'discriminator', value: 'http', span: { start: 21, end: 25 }, ...http });
    assert.deepEqual(at(`${R}  identifier:\n    kind: zz|z\n`), {
      kind: 'discriminator',
      value: 'zzz',
      span: { start: 50, end: 53 },
      keys: ['kind'],
      poly: { slot: 'httpIdentifier', disc: 'kind', variant: undefined },
      required: ['kind'],
    });
    assert.deepEqual(at(`${R}  identifier:\n    kind: |\n`), {
      kind: 'discriminator',
      value: '',
      span: { start: 50, end: 50 },
      keys: ['kind'],
      poly: { slot: 'httpIdentifier', disc: 'kind', variant: undefined },
      required: ['kind'],
    });
    // A `kind` value in a block without variants is just a value.
    assert.equal(at(`${R}  label: x|\n`), undefined);
  });

  it('on an empty line: the mapping whose keys stand at that column', () => {
    assert.deepEqual(at(`${R}  |\n`), { kind: 'new-key', present: ['protocol'], ...http });
    // A word typed alone on the line is read as a key.
    assert.deepEqual(at(`${R}  la|\n`), { kind: 'key', key: 'la', span: { start: 28, end: 30 }, ...http });
    assert.deepEqual(at(`${R}|\n`), { kind: 'new-key', present: ['routers'], keys: ROOT, poly: undefined, required: ['routers'] });
    // After `- `, the column of the item's keys.
    assert.deepEqual(at(`${R}- |\n`), { kind: 'new-key', present: ['protocol'], ...http });
    // A static client's config entry (its keys at column 6), and the client block above it (column 4).
    const client = `${R}  client:\n    kind: io.l5d.static\n    configs:\n    - prefix: /x\n      tls: {}\n      |\n`;
    assert.deepEqual(at(client), {
      kind: 'new-key',
      present: ['prefix', 'tls'],
      keys: Object.keys(catalogue.objects.ClientPrefix_http!),
      poly: undefined,
      required: ['prefix'],
    });
    assert.deepEqual(at(client.replace('      |', '    |')), {
      kind: 'new-key',
      present: ['kind', 'configs'],
      keys: ['kind', 'configs'],
      poly: { slot: 'client_http', disc: 'kind', variant: 'io.l5d.static' },
      required: ['configs'],
    });
    // HostAndPort in the zkLeader namer is in its strict form (port required); in serversets it is not.
    const zk = (kind: string) => at(`namers:\n- kind: ${kind}\n  zkAddrs:\n  - host: h\n    |\nrouters: []\n`);
    assert.deepEqual(zk('io.l5d.zkLeader'), { kind: 'new-key', present: ['host'], keys: ['host', 'port'], poly: undefined, required: ['host', 'port'] });
    assert.deepEqual(zk('io.l5d.serversets'), { kind: 'new-key', present: ['host'], keys: ['host', 'port'], poly: undefined, required: [] });
    // namerd's root.
    assert.deepEqual(at('storage:\n  kind: io.l5d.inMemory\n|\ninterfaces: []\n'), {
      kind: 'new-key',
      present: ['storage', 'interfaces'],
      keys: ['admin', 'storage', 'namers', 'interfaces', 'telemetry'],
      poly: undefined,
      required: ['storage', 'interfaces'],
    });
  });

  it('nothing where no key can be typed, or in a mapping the catalogue does not describe', () => {
    assert.equal(at('routers:|\n- protocol: http\n'), undefined);
    assert.equal(at(`${R}  label: x y|\n`), undefined);
    assert.equal(at(`${R}  x: {a|: 1}\n`), undefined);
    assert.equal(at(`${R}  label: "a|"\n`), undefined);
    assert.equal(at(`${R}  servers:\n  - port: 1|\n`), undefined);
  });

  it('keys of a block chosen by its `kind` (or the default one), with their docs', () => {
    const text = `${R}  client:\n    failFast: true\n`;
    const c = checkConfigText(text).configs[0]!;
    const r = configContext(c.doc, c.text, c.kind, text.indexOf('failFast') + 1)!;
    assert.equal(r.kind, 'key');
    assert.deepEqual(r.shape.poly, { slot: 'client_http', disc: 'kind', variant: 'io.l5d.global' });
    assert.deepEqual(r.shape.required, []);
    assert.equal(r.shape.keys.kind, 'str');
    assert.deepEqual(r.shape.docs('failFast'), { doc: 'Marks an endpoint unavailable as soon as connecting to it fails.', default: 'false' });
    const root = configContext(c.doc, c.text, c.kind, 1)!;
    assert.deepEqual(root.shape.docs('admin'), { doc: 'Admin HTTP server and dashboard.', default: '`127.0.0.1:9990`' });
    assert.equal(root.shape.docs('nope'), undefined);
    const unknown = at(`${R}  identifier:\n    kind: zzz\n    |\n`) as { keys: string[] };
    assert.deepEqual(unknown.keys, ['kind']);
  });

  it('variantsOf and describeType', () => {
    assert.deepEqual(variantsOf('router').map((v) => v.name), ['http', 'h2', 'thrift', 'thriftmux', 'mux']);
    assert.deepEqual(variantsOf('router')[0], { name: 'http', doc: 'HTTP/1.1 router (default server port 4140).' });
    assert.deepEqual(variantsOf('client_http'), [
      { name: 'io.l5d.global', doc: 'One set of client parameters for every destination; the default when `kind` is omitted.' },
      { name: 'io.l5d.static', doc: 'Client parameters per client-name prefix; accepts only `kind` and `configs`.' },
    ]);
    assert.deepEqual(
      ['port', 'loglevel', 'thriftproto', 'nope', { obj: 'Admin' }, { poly: 'client_http' }, { poly: 'router' }, { poly: 'nope' }, { list: 'int' }, { map: { list: 'str' } }, { oneOrList: { poly: 'httpIdentifier' } }].map((t) => describeType(t as never)),
      ['port', 'log level', '`binary` | `compact`', 'nope', 'mapping', 'client (by `kind`)', 'router (by `protocol`)', 'nope (by `kind`)', 'list of integer', 'mapping of name to list of string', 'httpIdentifier (by `kind`) or a list of them'],
    );
  });
});

describe('catalogue rules', () => {
  const cat = (over: Partial<Catalogue>): Catalogue => ({
    _types: {},
    roots: {},
    objects: { A: { x: 'str', y: 'int' }, B_1: { p: 'str' }, B_2: { p: 'str' } },
    polymorphic: {
      s: { _disc: 'kind', _base: { kind: 'str', experimental: 'bool' }, one: { a: 'str' }, two: { b: 'str' } },
      t: { _disc: 'protocol', _base: { q: 'str' }, u: {}, v: { experimental: 'bool' } },
      namer: { _disc: 'kind', _base: {}, 'io.l5d.zkLeader': {} },
    },
    required: {},
    experimental_required: {},
    ...over,
  });
  it('reads required keys of objects, globs, variants and contexts; gates', () => {
    const r = requiredRules(cat({ required: { A: ['x'], 'B_*': ['p'], 's.*': ['kind'], 's.one': ['a'], 'A(zkLeader)': ['y'] }, experimental_required: { s: ['two'], protocol: ['v'] } }));
    assert.deepEqual([...r.objRequired], [['A', ['x']], ['B_1', ['p']], ['B_2', ['p']]]);
    assert.deepEqual([...r.variantRequired], [[`s\0one`, ['kind', 'a']], [`s\0two`, ['kind']]]);
    assert.deepEqual([...r.strict], [['A', ['y']]]);
    assert.deepEqual([...r.gated].map(([k, v]) => [k, [...v]]), [['s', ['two']], ['t', ['v']]]);
    assert.deepEqual([...r.strictIn].map(([k, v]) => [k, [...v]]), [[`namer\0io.l5d.zkLeader`, ['A']]]);
    const twice = requiredRules(cat({ required: { A: ['x'], 'A*': ['x', 'y'] } }));
    assert.deepEqual([...twice.objRequired], [['A', ['x', 'y']]]);
  });
  it('throws for rules naming what the catalogue does not have', () => {
    const bad: [Partial<Catalogue>, string][] = [
      [{ required: { A: ['z'] } }, "catalogue required 'A': 'z' is not a key there"],
      [{ required: { 'C*': ['x'] } }, "catalogue required 'C*': matches no object"],
      [{ required: { 's.three': ['a'] } }, "catalogue required 's.three': matches no variant"],
      [{ required: { 's.one': ['b'] } }, "catalogue required 's.one': 'b' is not a key there"],
      [{ required: { 'Z(zkLeader)': ['y'] } }, "catalogue required 'Z(zkLeader)': no object 'Z'"],
      [{ required: { 'A(zkLeader)': ['q'] } }, "catalogue required 'A(zkLeader)': 'q' is not a key there"],
      [{ required: { 'A(nowhere)': ['y'] } }, "catalogue required 'A(nowhere)': unknown context 'nowhere' (extend CONTEXT_LABELS)"],
      [{ required: { 'A(announcer)': ['y'] } }, "catalogue required 'A(announcer)': context 'announcer' matches no variant"],
      [{ experimental_required: { nope: ['x'] } }, "catalogue experimental_required 'nope': no such slot or discriminator"],
      [{ experimental_required: { s: ['three'] } }, "catalogue experimental_required: 's' has no variant 'three'"],
      [{ experimental_required: { t: ['u'] } }, "catalogue experimental_required: 't.u' does not accept 'experimental'"],
    ];
    for (const [over, message] of bad) assert.throws(() => requiredRules(cat(over)), { message });
  });
  it('the real catalogue: required keys, strict forms, gates, words', () => {
    assert.deepEqual(requiredOfObject('HostAndPort'), []);
    assert.deepEqual(requiredOfObject('HostAndPort', true), ['host', 'port']);
    assert.deepEqual(requiredOfObject('TlsServer', true), ['certPath', 'keyPath']);
    assert.deepEqual(requiredOfObject('Nope', true), []);
    assert.deepEqual(requiredOfVariant('router', 'http'), []);
    assert.deepEqual(requiredOfVariant('namer', 'io.l5d.rewrite'), ['prefix', 'pattern', 'name']);
    assert.deepEqual(requiredOfVariant('nope', 'x'), []);
    assert.deepEqual([...strictObjectsIn('namer', 'io.l5d.zkLeader')], ['HostAndPort']);
    assert.deepEqual([...strictObjectsIn('namer', 'io.l5d.fs')], []);
    assert.deepEqual([isGated('router', 'thriftmux'), isGated('router', 'http'), isGated('nope', 'x'), isGated('storage', 'io.l5d.etcd')], [true, false, false, true]);
    assert.deepEqual(['router', 'namer', 'interpreter', 'transformer', 'telemeter', 'storage', 'interface', 'announcer', 'client_http', 'httpIdentifier'].map(kindWord), [
      'router', 'namer', 'interpreter', 'transformer', 'telemeter', 'storage', 'interface', 'announcer', '`client` block', '`httpIdentifier` block',
    ]);
    assert.deepEqual(variantNames(catalogue.polymorphic.storage!), ['io.l5d.inMemory', 'io.l5d.k8s', 'io.l5d.zk', 'io.l5d.etcd', 'io.l5d.consul']);
  });
});

describe('scalar types', () => {
  it('phrases, nouns and schemas of enumerations, read from the descriptions', () => {
    const t = scalarTypes({ ...catalogue._types, ab: 'a|B (case-insensitive)', cd: 'c|d|e' });
    assert.deepEqual(t.ab, { phrase: '`a` or `B`', noun: '`a` | `B`', values: ['a', 'B'], caseInsensitive: true, schema: { type: 'string', anyOf: [{ enum: ['a', 'B'] }, { pattern: '^(?:[Aa]|[Bb])$' }] } });
    assert.deepEqual(t.cd, { phrase: '`c`, `d` or `e`', noun: '`c` | `d` | `e`', values: ['c', 'd', 'e'], schema: { type: 'string', enum: ['c', 'd', 'e'] } });
    assert.deepEqual(SCALAR_TYPES.loglevel!.phrase, 'a log level');
    assert.deepEqual(SCALAR_TYPES.loglevel!.schema, {
      type: 'string',
      anyOf: [{ enum: ['ALL', 'CRITICAL', 'DEBUG', 'ERROR', 'FATAL', 'INFO', 'OFF', 'TRACE', 'WARNING'] }, { pattern: '^(?:[Aa][Ll][Ll]|[Cc][Rr][Ii][Tt][Ii][Cc][Aa][Ll]|[Dd][Ee][Bb][Uu][Gg]|[Ee][Rr][Rr][Oo][Rr]|[Ff][Aa][Tt][Aa][Ll]|[Ii][Nn][Ff][Oo]|[Oo][Ff][Ff]|[Tt][Rr][Aa][Cc][Ee]|[Ww][Aa][Rr][Nn][Ii][Nn][Gg])$' }],
    });
    assert.equal(scalarTypes({ ...catalogue._types, '{x}': 'anything' })['{x}'], undefined);
    assert.throws(() => scalarTypes({ ...catalogue._types, bad: 'free text' }), { message: "catalogue _types: no description of scalar type 'bad' (free text)" });
    assert.throws(() => scalarTypes({ ...catalogue._types, one: 'a' }), { message: "catalogue _types: no description of scalar type 'one' (a)" });
    const { port: _port, ...noPort } = catalogue._types;
    assert.throws(() => scalarTypes(noPort), { message: "catalogue _types: scalar type 'port' missing" });
  });
  it('typePhrase', () => {
    assert.deepEqual(['int', 'nope', { list: 'int' }, { map: 'int' }, { obj: 'A' }, { poly: 'router' }, { oneOrList: 'int' }].map((x) => typePhrase(x as never)), [
      'an integer', 'nope', 'a list', 'a mapping', 'a mapping', 'a mapping', 'a value or a list',
    ]);
    assert.deepEqual(Object.fromEntries(Object.entries(SCALAR_TYPES).map(([k, v]) => [k, [v.phrase, v.noun]])), {
      str: ['a string', 'string'], int: ['an integer', 'integer'], num: ['a number', 'number'], bool: ['`true` or `false`', 'boolean'], port: ['a port number (0-65535)', 'port'],
      ip: ['an IP address', 'IP address'], path: ['a path', 'path'], dtab: ['a dtab', 'dtab'], pathmatcher: ['a path pattern', 'path pattern'], file: ['a file path', 'file path'],
      dir: ['a directory path', 'directory path'], loglevel: ['a log level', 'log level'], thriftproto: ['`binary` or `compact`', '`binary` | `compact`'],
      consistency: ['`default`, `stale` or `consistent`', '`default` | `stale` | `consistent`'], healthstatus: ['`passing`, `warning`, `critical` or `maintenance`', '`passing` | `warning` | `critical` | `maintenance`'],
    });
  });
});

describe('words: suggestions, invisible characters, shortening', () => {
  it('didYouMean', () => {
    const known = ['label', 'protocol', 'dtab', 'experimental'];
    assert.deepEqual(['LABEL', 'lable', 'labxyz', 'dtb', 'xx', 'experimentl', 'expermntal', 'a'.repeat(65), ''].map((w) => didYouMean(w, known)), ['label', 'label', undefined, 'dtab', undefined, 'experimental', 'experimental', undefined, undefined]);
    assert.equal(didYouMean('ab', ['abcd', 'abc']), 'abc');
    assert.equal(didYouMean('abcd', []), undefined);
  });
  it('unknownWord names odd characters', () => {
    assert.deepEqual(unknownWord('lable', ['label']), { guess: 'label', hint: ' Did you mean `label`?' });
    assert.deepEqual(unknownWord('zzz', ['label']), { guess: undefined, hint: '' });
    assert.deepEqual(unknownWord('la\u200bbel', ['label']), { guess: 'label', hint: ' It contains the character zero-width space (U+200B): without it, it is `label`.' });
    assert.deepEqual(unknownWord('la\u2060bel', ['label']), { guess: 'label', hint: ' It contains the character U+2060 (word joiner): without it, it is `label`.' });
    assert.deepEqual(unknownWord('h\0t\ttp', ['http']), { guess: 'http', hint: ' It contains the characters U+0000 (NUL) and U+0009 (tab): without them, it is `http`.' });
    assert.deepEqual(unknownWord('a\u2010b', ['a-b']), { guess: 'a-b', hint: ' It contains the character hyphen (U+2010); in plain ASCII, it is `a-b`.' });
    assert.deepEqual(unknownWord('l\u0430bel', ['label']), { guess: 'label', hint: ' It contains the character `\u0430` (U+0430); the closest known name is `label`.' });
    assert.deepEqual(unknownWord('lxbel\u00e9', ['label']), { guess: 'label', hint: ' It contains the character `é` (U+00E9); the closest known name is `label`.' });
    assert.deepEqual(unknownWord('\u200b', ['label']), { guess: undefined, hint: ' It contains the character zero-width space (U+200B).' });
    assert.deepEqual(unknownWord('\u2060x', []), { guess: undefined, hint: ' It contains the character U+2060 (word joiner).' });
    assert.deepEqual(unknownWord('a\u00e9\u00e8\u00ea\u00eb', ['x']), { guess: undefined, hint: ' It contains the characters `é` (U+00E9), `è` (U+00E8) and `ê` (U+00EA) (and 1 more).' });
    assert.deepEqual(unknownWord('a\u00e9\u00e9', ['x']).hint, ' It contains the character `é` (U+00E9).');
    assert.deepEqual(unknownWord('a b', ['ab']), { guess: 'ab', hint: ' It contains the character ` ` (U+0020); the closest known name is `ab`.' });
    assert.deepEqual(unknownWord('\x7f\u0085\u00ad\u00a0\ud800', []).hint, ' It contains the characters U+007F (DEL), U+0085 (next line) and U+00AD (soft hyphen) (and 2 more).');
    assert.deepEqual(unknownWord('\u00a0\ud800', []).hint, ' It contains the characters no-break space (U+00A0) and U+D800.');
  });
  it('visible and shorten', () => {
    assert.equal(visible('a\nb\tc\rd\0e\u200bf'), 'a\\nb\\tc\\rd\\u0000e\\u200bf');
    assert.equal(visible('plain é'), 'plain é');
    assert.equal(shorten('abc', 3), 'abc');
    assert.equal(shorten('abcd', 3), 'ab…');
    assert.equal(shorten('0123456789', 5), '012…9');
    assert.equal(shorten('x'.repeat(100)), 'x'.repeat(100));
    assert.equal(shorten('x'.repeat(101)), `${'x'.repeat(70)}…${'x'.repeat(29)}`);
  });
});

describe('diag helpers, the model, namers, embedded dtabs, picking a dtab', () => {
  it('spanOf, sub, capitalize, keyOrMap, lineOf', () => {
    const doc = parseDocument('a: 1\nb: !!omap\n  - x: 2\n', { keepSourceTokens: true });
    const map = doc.contents as YAMLMap;
    assert.deepEqual(spanOf(map.items[0]!.key as Node), { start: 0, end: 1 });
    assert.deepEqual(spanOf(null), { start: 0, end: 0 });
    assert.deepEqual(spanOf(map.items[0]!), { start: 0, end: 4 });
    assert.deepEqual(spanOf({ key: null, value: null } as never), { start: 0, end: 0 });
    assert.deepEqual(spanOf({ range: undefined } as never), { start: 0, end: 0 });
    assert.deepEqual([sub('', 'k'), sub('a.b', 'k'), sub('a', 'k'.repeat(61))], ['k', 'a.b.k', `a.${'k'.repeat(42)}…${'k'.repeat(17)}`]);
    assert.deepEqual([capitalize('abc'), capitalize(''), capitalize('Ab')], ['Abc', '', 'Ab']);
    assert.equal(keyOrMap(map), map.items[0]!.key);
    const empty = parseDocument('{}').contents as YAMLMap;
    assert.equal(keyOrMap(empty), empty);
    const ctx = { text: 'a\nb\n\nc' } as Ctx;
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((o) => lineOf(ctx, o)), [1, 1, 2, 2, 3, 4]);
  });

  it('plainJson: the YAML as JSON, aliases as `*name`, odd values as their source', () => {
    const text = 'a: &x 1\nb: *x\nc: .inf\nd: [1, "s", true, null, ~]\ne: {k: 1, k: 2}\n*x : 3\n[q]: 4\nf: !!binary aGk=\ng: 2001-12-14\n? !!omap\n: 5\n';
    const doc = parseDocument(text, YAML_OPTIONS);
    assert.deepEqual(plainJson(doc.contents, text), { a: 1, b: '*x', c: '.inf', d: [1, 's', true, null, null], e: { k: 1 }, '*x': 3, '[q]': 4, f: 'aGk=', g: '2001-12-14', '': 5 });
    assert.equal(plainJson(undefined, ''), null);
    assert.equal(plainJson(doc.contents, text, 201), null);
    assert.deepEqual(plainJson(doc.contents, text, 200), { a: null, b: null, c: null, d: null, e: null, '*x': null, '[q]': null, f: null, g: null, '': null });
    const pairs = parseDocument('x: !!pairs\n  - a: 1\n', YAML_OPTIONS);
    assert.deepEqual(plainJson(pairs.contents, 'x: !!pairs\n  - a: 1\n'), { x: [{ a: 1 }] });
    assert.equal(plainJson({}, ''), null);
    const big = parseDocument('n: 12345678901234567890\n', { ...YAML_OPTIONS, intAsBigInt: true });
    assert.deepEqual(plainJson(big.contents, ''), { n: 12345678901234567000 });
  });

  it('routerNamers and str', () => {
    assert.deepEqual([undefined, 'default', 'io.l5d.fs', 'io.l5d.k8s.configMap', 'io.l5d.consul.interpreter', 'io.l5d.namerd', 'io.l5d.namerd.http', 'io.l5d.mesh', 'io.l5d.k8s.istio'].map(routerNamers), [
      'config', 'config', 'config', 'config', 'config', 'namerd', 'namerd', 'namerd', 'other',
    ]);
    const doc = parseDocument('a: 1\nb:\nc: [x]\nd: x\n');
    const m = doc.contents as YAMLMap;
    assert.deepEqual(m.items.map((p) => str(p.value as Node)), ['1', undefined, undefined, 'x']);
  });

  it('namers: prefixes, shapes and docs of every kind', () => {
    assert.deepEqual([namerPrefix('x', 'k'), namerPrefix(undefined, '/p'), namerPrefix('io.l5d.k8s', undefined), namerPrefix('io.l5d.rewrite', undefined)], ['/#/k', '/#/p', '/#/io.l5d.k8s', undefined]);
    assert.equal(namerKind('nope'), undefined);
    for (const n of NAMER_KINDS) {
      assert.ok(n.shape.startsWith('/#/') && n.shape.length > 4, n.kind);
      assert.ok(n.doc.length > 10, n.kind);
    }
    assert.deepEqual(NAMER_KINDS.map((n) => n.shape), [
      '/#/io.l5d.fs/<file>', '/#/io.l5d.serversets/<zk path…>', '/#/io.l5d.consul/<datacenter>/<service>', '/#/io.l5d.k8s/<namespace>/<port>/<service>',
      '/#/io.l5d.k8s.external/<namespace>/<port>/<service>', '/#/io.l5d.k8s.ns/<port>/<service>', '/#/io.l5d.k8s.istio/<cluster>/<labels>/<port-name>',
      '/#/io.l5d.marathon/<app id…>', '/#/io.l5d.zkLeader/<zk path…>', '/#/io.l5d.curator/<service>', '/#/io.l5d.dnssrv/<srv record>',
      '/#/io.l5d.rancher/<port>/<stack>/<service>', '/#/<prefix>/…',
    ]);
  });

  it('fileMapped and namerRefDiagnostics', () => {
    const toFile = fileMapped(Int32Array.from([10, 11, 15, 16]), Int32Array.from([11, 14, 16]));
    assert.deepEqual([toFile({ start: 0, end: 1 }), toFile({ start: 1, end: 2 }), toFile({ start: 0, end: 3 }), toFile({ start: 2, end: 2 }), toFile({ start: 2, end: 1 }), toFile({ start: 9, end: 9 }), toFile({ start: 0, end: 9 })], [
      { start: 10, end: 11 }, { start: 11, end: 14 }, { start: 10, end: 16 }, { start: 15, end: 15 }, { start: 15, end: 15 }, { start: 16, end: 16 }, { start: 10, end: 16 },
    ]);
    const dtab = (text: string): EmbeddedDtab => {
      const fileAt = Int32Array.from({ length: text.length + 1 }, (_, i) => i + 100);
      const fileEnd = Int32Array.from({ length: text.length }, (_, i) => i + 101);
      return { where: 'w', syntax: parseDtab(text), span: { start: 100, end: 100 + text.length }, namers: undefined, toFile: fileMapped(fileAt, fileEnd), fileAt, fileEnd, literal: false };
    };
    const d = dtab('/a => /#/x/y | /#/x/y | /#/ab/c & /#/a | /#/a/b/c ;');
    assert.deepEqual(namerRefDiagnostics(d, ['/#/a', '/#/a/b'], 'W').map((x) => shape(x)), [
      ['unknown-namer-prefix', 'warning', 106, 110, 'No namer in W answers for `/#/x` (configured: `/#/a`, `/#/a/b`): this path always resolves to `~`.'],
      ['unknown-namer-prefix', 'warning', 124, 129, 'No namer in W answers for `/#/ab` (configured: `/#/a`, `/#/a/b`): this path always resolves to `~`.'],
    ]);
    assert.deepEqual(namerRefDiagnostics(d, ['/#/'], 'W'), []);
    assert.deepEqual(namerRefDiagnostics(dtab('/a => /#/x ; /#/x => /b ;'), [], 'W'), []);
    assert.deepEqual(namerRefDiagnostics(dtab('/a => /#/x ; /$/x => /b ; /x => /y ;'), [], 'W').map((x) => x.message), ['No namer in W answers for `/#/x` (no namers are configured): this path always resolves to `~`.']);
    assert.deepEqual(namerRefDiagnostics(dtab('/a => /#/abcdef ;'), ['/#/abc'], 'W').length, 1);
    assert.deepEqual(namerRefDiagnostics(dtab('/a => /#/abc/d ;'), ['/#/abc'], 'W').length, 0);
    assert.deepEqual(namerRefDiagnostics(dtab('/a => /#/ab/c/d ;'), ['/#/ab/c'], 'W').length, 0);
    assert.deepEqual(namerRefDiagnostics(dtab('/a => /#/ab ;'), ['/#/ab/c'], 'W').length, 1);
  });

  it('validateConfig and detectConfig on their own', () => {
    const doc = (t: string) => parseDocument(t, YAML_OPTIONS);
    assert.deepEqual(['routers: []', 'storage: {}\ninterfaces: []', 'storage: {}', 'interfaces: []', '[routers]', 'x: 1', '', '? [routers]\n: 1\nstorage: 1'].map((t) => detectConfig(doc(t))), ['linkerd', 'namerd', undefined, undefined, undefined, undefined, undefined, undefined]);
    const r = validateConfig(doc('routers: [1'), 'routers: [1', 'linkerd');
    assert.deepEqual(r.diagnostics.map((x) => shape(x)).filter((x) => x[0] === 'yaml-syntax'), [['yaml-syntax', 'error', 11, 11, 'Flow sequence in block collection must be sufficiently indented and end with a ].']]);
    assert.deepEqual(validateConfig(doc('- a'), '- a', 'namerd').diagnostics.map((x) => shape(x)), [['wrong-type', 'error', 0, 3, 'A namerd config is a mapping of keys.']]);
    assert.deepEqual(validateConfig(doc('7'), '7', 'linkerd').diagnostics.map((x) => shape(x)), [['wrong-type', 'error', 0, 1, 'A linkerd config is a mapping of keys.']]);
    const empty = validateConfig(doc(''), '', 'linkerd');
    assert.deepEqual([empty.kind, empty.diagnostics, empty.dtabs, empty.namers, empty.routers], ['linkerd', [], [], [], []]);
    const syntax = (t: string) => validateConfig(doc(t), t, 'linkerd').diagnostics.map((x) => shape(x)).filter((x) => x[0] === 'yaml-syntax');
    assert.deepEqual(syntax('a: "x'), [['yaml-syntax', 'error', 5, 5, 'Missing closing "quote.']]);
    assert.deepEqual(syntax('a: b: c'), [['yaml-syntax', 'error', 3, 4, 'Nested mappings are not allowed in compact mappings.']]);
  });

  it('pickConfigDtab: by label, the only one, or why not', () => {
    const two = checkConfigText('routers:\n- protocol: http\n  label: out\n  dtab: /a => /b\n- protocol: h2\n  dtab: /c => /d\n  interpreter:\n    kind: io.l5d.namerd\n    dst: /$/inet/h/1\n    transformers:\n    - kind: io.l5d.localhost\n- protocol: mux\nnamers:\n- kind: io.l5d.fs\n  rootDir: d\n');
    assert.deepEqual(pickConfigDtab(two), { ok: false, message: 'it has 2 dtabs: say which with --router (out, h2)' });
    assert.deepEqual(pickConfigDtab(two, 'nope'), { ok: false, message: 'no router or namespace labelled nope has a dtab (there are: out, h2)' });
    const out = pickConfigDtab(two, 'out');
    assert.ok(out.ok);
    assert.deepEqual([out.name, out.dtab === two.dtabs[0], out.config === two.configs[0], out.namers, out.transformers], ['router out', true, true, two.configs[0]!.namers, []]);
    const h2 = pickConfigDtab(two, 'h2');
    assert.ok(h2.ok);
    assert.deepEqual([h2.name, h2.namers, h2.transformers], ['router h2', undefined, [{ kind: 'io.l5d.localhost', params: { kind: 'io.l5d.localhost' } }]]);
    assert.deepEqual(pickConfigDtab(checkConfigText('a: 1\n')), { ok: false, message: 'no linkerd or namerd config found in it' });
    const none = checkConfigText('routers:\n- protocol: http\n');
    assert.deepEqual(pickConfigDtab(none), { ok: false, message: 'no router or namespace in it has a dtab' });
    assert.deepEqual(pickConfigDtab(none, 'x'), { ok: false, message: 'no router or namespace labelled x has a dtab (none has a dtab)' });
    const ns = checkConfigText('storage:\n  kind: io.l5d.inMemory\n  namespaces:\n    default: /a => /b\ninterfaces:\n- kind: io.l5d.httpController\n');
    const picked = pickConfigDtab(ns);
    assert.ok(picked.ok);
    assert.deepEqual([picked.name, picked.namers, picked.transformers], ['namespace default', [], []]);
    assert.deepEqual(pickConfigDtab(ns, 'default').ok, true);
    // A dtab without an owner (a namerd dtab outside the namespaces), and dtabs of another document.
    const docs = checkConfigText('routers:\n- protocol: http\n  dtab: /a => /b\n---\nrouters:\n- protocol: h2\n  dtab: /c => /d\n');
    assert.deepEqual(pickConfigDtab(docs), { ok: false, message: 'it has 2 dtabs: say which with --router (http, h2)' });
    const second = pickConfigDtab(docs, 'h2');
    assert.ok(second.ok);
    assert.equal(second.config, docs.configs[1]);
    const owner = { ...ns, dtabs: ns.dtabs.map((d) => ({ ...d, owner: undefined })) };
    const anon = pickConfigDtab(owner);
    assert.ok(anon.ok);
    assert.deepEqual([anon.name, anon.namers], ['the dtab', []]);
    assert.deepEqual(pickConfigDtab(owner, 'default'), { ok: false, message: 'no router or namespace labelled default has a dtab (none has a dtab)' });
  });
});
