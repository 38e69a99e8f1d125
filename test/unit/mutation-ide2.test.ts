// Exact values for core/ide (completion, hover, navigation, structure, dtab tests, deep
// diagnostics, formatting): whole item lists, whole Markdown, whole spans, so that a mutant of a
// bound, a word or a branch fails. Complements mutation-ide.test.ts and ide.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acceptEdits,
  analyzeDtab,
  assertionAt,
  complete,
  completeDtabTest,
  completionContext,
  completionPath,
  deepDiagnostics,
  deepDiagnosticsSync,
  definition,
  dtabTestDiagnostics,
  folding,
  formatRangeEdits,
  hover,
  interpreterFor,
  lowerDtab,
  MAX_NAMES,
  parseDtab,
  parseDtabTestFile,
  prepareRename,
  references,
  rename,
  RenameError,
  runAssertionsSync,
  selectionSpans,
  suggestPaths,
  symbols,
  MAX_SUGGESTIONS,
  type Completion,
  type CompletionContext,
} from '../../core/index.js';

/** A completion item with its Markdown documentation reduced to its type (the texts live in explain.ts). */
function norm(i: Completion): Record<string, unknown> {
  const o: Record<string, unknown> = { ...i };
  if ('documentation' in o) o['documentation'] = typeof o['documentation'];
  return o;
}

const NAMERS = (start: number, end: number): Record<string, unknown>[] => [
  {"label": "/#/io.l5d.fs", "kind": "namer", "detail": "/#/io.l5d.fs/<file>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.fs/${1:file}"}, "snippet": true, "filterText": "/#/io.l5d.fs", "sortText": "2io.l5d.fs"},
  {"label": "/#/io.l5d.serversets", "kind": "namer", "detail": "/#/io.l5d.serversets/<zk path…>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.serversets/${1:zk path}"}, "snippet": true, "filterText": "/#/io.l5d.serversets", "sortText": "2io.l5d.serversets"},
  {"label": "/#/io.l5d.consul", "kind": "namer", "detail": "/#/io.l5d.consul/<datacenter>/<service>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.consul/${1:datacenter}/${2:service}"}, "snippet": true, "filterText": "/#/io.l5d.consul", "sortText": "2io.l5d.consul"},
  {"label": "/#/io.l5d.k8s", "kind": "namer", "detail": "/#/io.l5d.k8s/<namespace>/<port>/<service>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.k8s/${1:namespace}/${2:port}/${3:service}"}, "snippet": true, "filterText": "/#/io.l5d.k8s", "sortText": "2io.l5d.k8s"},
  {"label": "/#/io.l5d.k8s.external", "kind": "namer", "detail": "/#/io.l5d.k8s.external/<namespace>/<port>/<service>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.k8s.external/${1:namespace}/${2:port}/${3:service}"}, "snippet": true, "filterText": "/#/io.l5d.k8s.external", "sortText": "2io.l5d.k8s.external"},
  {"label": "/#/io.l5d.k8s.ns", "kind": "namer", "detail": "/#/io.l5d.k8s.ns/<port>/<service>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.k8s.ns/${1:port}/${2:service}"}, "snippet": true, "filterText": "/#/io.l5d.k8s.ns", "sortText": "2io.l5d.k8s.ns"},
  {"label": "/#/io.l5d.k8s.istio", "kind": "namer", "detail": "/#/io.l5d.k8s.istio/<cluster>/<labels>/<port-name>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.k8s.istio/${1:cluster}/${2:labels}/${3:port-name}"}, "snippet": true, "filterText": "/#/io.l5d.k8s.istio", "sortText": "2io.l5d.k8s.istio"},
  {"label": "/#/io.l5d.marathon", "kind": "namer", "detail": "/#/io.l5d.marathon/<app id…>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.marathon/${1:app id}"}, "snippet": true, "filterText": "/#/io.l5d.marathon", "sortText": "2io.l5d.marathon"},
  {"label": "/#/io.l5d.zkLeader", "kind": "namer", "detail": "/#/io.l5d.zkLeader/<zk path…>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.zkLeader/${1:zk path}"}, "snippet": true, "filterText": "/#/io.l5d.zkLeader", "sortText": "2io.l5d.zkLeader"},
  {"label": "/#/io.l5d.curator", "kind": "namer", "detail": "/#/io.l5d.curator/<service>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.curator/${1:service}"}, "snippet": true, "filterText": "/#/io.l5d.curator", "sortText": "2io.l5d.curator"},
  {"label": "/#/io.l5d.dnssrv", "kind": "namer", "detail": "/#/io.l5d.dnssrv/<srv record>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.dnssrv/${1:srv record}"}, "snippet": true, "filterText": "/#/io.l5d.dnssrv", "sortText": "2io.l5d.dnssrv"},
  {"label": "/#/io.l5d.rancher", "kind": "namer", "detail": "/#/io.l5d.rancher/<port>/<stack>/<service>", "documentation": "string", "edit": {"span": { start, end }, "text": "/#/io.l5d.rancher/${1:port}/${2:stack}/${3:service}"}, "snippet": true, "filterText": "/#/io.l5d.rancher", "sortText": "2io.l5d.rancher"},
];

const SYSTEM = (start: number, end: number): Record<string, unknown>[] => [
  {"label": "/$/inet", "kind": "system-namer", "detail": "/$/inet/<host>/<port>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/inet/${1:host}/${2:port}"}, "snippet": true, "filterText": "/$/inet", "sortText": "3inet"},
  {"label": "/$/fixedinet", "kind": "system-namer", "detail": "/$/fixedinet/<host>/<port>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/fixedinet/${1:host}/${2:port}"}, "snippet": true, "filterText": "/$/fixedinet", "sortText": "3fixedinet"},
  {"label": "/$/fail", "kind": "system-namer", "detail": "/$/fail", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/fail"}, "snippet": true, "filterText": "/$/fail", "sortText": "3fail"},
  {"label": "/$/nil", "kind": "system-namer", "detail": "/$/nil", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/nil"}, "snippet": true, "filterText": "/$/nil", "sortText": "3nil"},
  {"label": "/$/io.buoyant.rinet", "kind": "system-namer", "detail": "/$/io.buoyant.rinet/<port>/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.rinet/${1:port}/${2:host}"}, "snippet": true, "filterText": "/$/io.buoyant.rinet", "sortText": "3io.buoyant.rinet"},
  {"label": "/$/io.buoyant.hostportPfx", "kind": "system-namer", "detail": "/$/io.buoyant.hostportPfx/<pfx>/<host:port>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.hostportPfx/${1:pfx}/${2:host:port}"}, "snippet": true, "filterText": "/$/io.buoyant.hostportPfx", "sortText": "3io.buoyant.hostportPfx"},
  {"label": "/$/io.buoyant.porthostPfx", "kind": "system-namer", "detail": "/$/io.buoyant.porthostPfx/<pfx>/<host:port>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.porthostPfx/${1:pfx}/${2:host:port}"}, "snippet": true, "filterText": "/$/io.buoyant.porthostPfx", "sortText": "3io.buoyant.porthostPfx"},
  {"label": "/$/io.buoyant.http.domainToPathPfx", "kind": "system-namer", "detail": "/$/io.buoyant.http.domainToPathPfx/<pfx>/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.domainToPathPfx/${1:pfx}/${2:host}"}, "snippet": true, "filterText": "/$/io.buoyant.http.domainToPathPfx", "sortText": "3io.buoyant.http.domainToPathPfx"},
  {"label": "/$/io.buoyant.http.domainToPath", "kind": "system-namer", "detail": "/$/io.buoyant.http.domainToPath/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.domainToPath/${1:host}"}, "snippet": true, "filterText": "/$/io.buoyant.http.domainToPath", "sortText": "3io.buoyant.http.domainToPath"},
  {"label": "/$/io.buoyant.http.subdomainOfPfx", "kind": "system-namer", "detail": "/$/io.buoyant.http.subdomainOfPfx/<domain>/<pfx>/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.subdomainOfPfx/${1:domain}/${2:pfx}/${3:host}"}, "snippet": true, "filterText": "/$/io.buoyant.http.subdomainOfPfx", "sortText": "3io.buoyant.http.subdomainOfPfx"},
  {"label": "/$/io.buoyant.http.subdomainOf", "kind": "system-namer", "detail": "/$/io.buoyant.http.subdomainOf/<domain>/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.subdomainOf/${1:domain}/${2:host}"}, "snippet": true, "filterText": "/$/io.buoyant.http.subdomainOf", "sortText": "3io.buoyant.http.subdomainOf"},
  {"label": "/$/io.buoyant.http.anyMethod", "kind": "system-namer", "detail": "/$/io.buoyant.http.anyMethod/<METHOD>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.anyMethod/${1:METHOD}"}, "snippet": true, "filterText": "/$/io.buoyant.http.anyMethod", "sortText": "3io.buoyant.http.anyMethod"},
  {"label": "/$/io.buoyant.http.anyMethodPfx", "kind": "system-namer", "detail": "/$/io.buoyant.http.anyMethodPfx/<pfx>/<METHOD>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.anyMethodPfx/${1:pfx}/${2:METHOD}"}, "snippet": true, "filterText": "/$/io.buoyant.http.anyMethodPfx", "sortText": "3io.buoyant.http.anyMethodPfx"},
  {"label": "/$/io.buoyant.http.anyHost", "kind": "system-namer", "detail": "/$/io.buoyant.http.anyHost/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.anyHost/${1:host}"}, "snippet": true, "filterText": "/$/io.buoyant.http.anyHost", "sortText": "3io.buoyant.http.anyHost"},
  {"label": "/$/io.buoyant.http.anyHostPfx", "kind": "system-namer", "detail": "/$/io.buoyant.http.anyHostPfx/<pfx>/<host>", "documentation": "string", "edit": {"span": { start, end }, "text": "/$/io.buoyant.http.anyHostPfx/${1:pfx}/${2:host}"}, "snippet": true, "filterText": "/$/io.buoyant.http.anyHostPfx", "sortText": "3io.buoyant.http.anyHostPfx"},
];

const TOKENS: Record<string, unknown>[] = [
  {"label": "~", "kind": "token", "detail": "negative: not handled here, fall back", "sortText": "4~"},
  {"label": "!", "kind": "token", "detail": "fail: the request fails, no fallback", "sortText": "4!"},
  {"label": "$", "kind": "token", "detail": "empty: exists, but no endpoints", "sortText": "4$"},
  {"label": "weight * path", "kind": "snippet", "detail": "a weighted union branch", "insertText": "${1:1} * ${2:/path}", "snippet": true, "sortText": "5"},
];

/** [text, offset, context, every item]. */
const COMPLETIONS: [string, number, CompletionContext, Record<string, unknown>[]][] = [
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 2, {"kind":"none"}, []],
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 8, {"kind":"none"}, []],
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 14, {"kind":"none"}, []],
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 15, {"kind":"prefix","token":15}, [{"label":"/a","kind":"path","detail":"prefix of line 4","edit":{"span":{"start":15,"end":15},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":15,"end":15},"text":"/b"},"sortText":"1/b"}]],
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 4, {"kind":"none"}, []],
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 5, {"kind":"prefix","token":5}, [{"label":"/a","kind":"path","detail":"prefix of line 4","edit":{"span":{"start":5,"end":5},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":5,"end":5},"text":"/b"},"sortText":"1/b"}]],
  ["# ab\n# cd\n# ef\n/a => /b ;\n", 0, {"kind":"prefix","token":0}, [{"label":"/a","kind":"path","detail":"prefix of line 4","edit":{"span":{"start":0,"end":0},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":0,"end":0},"text":"/b"},"sortText":"1/b"}]],
  ["/a ", 3, {"kind":"arrow"}, [{"label":"=>","kind":"operator","detail":"rewrite to","insertText":"=> ","sortText":"0"}]],
  ["/a => /b ; # c\n", 11, {"kind":"prefix","token":11}, [{"label":"/a","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":11,"end":11},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":11,"end":11},"text":"/b"},"sortText":"1/b"}]],
  ["/a => /b ; # c\n", 12, {"kind":"none"}, []],
  ["/a => /b ; # c\n# d\n", 16, {"kind":"none"}, []],
  ["/svc => \n/svc/x => /s", 21, {"kind":"term","token":19}, [{"label":"/svc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":19,"end":21},"text":"/svc"},"sortText":"1/svc"}]],
  ["/svc => \n  /svc/x => /s", 23, {"kind":"term","token":21}, [{"label":"/svc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":21,"end":23},"text":"/svc"},"sortText":"1/svc"}]],
  ["/svc => \n\t/svc/x => /s", 23, {"kind":"term","token":20}, [{"label":"/svc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":20,"end":23},"text":"/svc"},"sortText":"1/svc"}]],
  ["/a => /#", 8, {"kind":"term","token":6}, [...NAMERS(6, 8)]],
  ["/a => /$", 8, {"kind":"term","token":6}, [...SYSTEM(6, 8)]],
  ["/a => /h", 8, {"kind":"term","token":6}, []],
  ["/a/*/b => /x ;\n/hh => /y ;\n/c => /", 34, {"kind":"term","token":33}, [...NAMERS(33, 34), ...SYSTEM(33, 34), {"label":"/hh","kind":"path","detail":"prefix of line 2","edit":{"span":{"start":33,"end":34},"text":"/hh"},"sortText":"1/hh"}]],
  ["/a => /b ;", 9, {"kind":"operator"}, [{"label":"|","kind":"operator","detail":"alternative: fall back if the left side is negative","insertText":"| "}, {"label":"&","kind":"operator","detail":"union: split traffic by weight","insertText":"& "}, {"label":";","kind":"operator","detail":"end of the dentry","insertText":";"}]],
  ["/a => /b ;", 10, {"kind":"prefix","token":10}, [{"label":"/a","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":10,"end":10},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":10,"end":10},"text":"/b"},"sortText":"1/b"}]],
  ["/a => /b ;/c => /d ;", 10, {"kind":"prefix","token":10}, [{"label":"/a","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":10,"end":10},"text":"/a"},"sortText":"1/a"}, {"label":"/c","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":10,"end":10},"text":"/c"},"sortText":"1/c"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":10,"end":10},"text":"/b"},"sortText":"1/b"}, {"label":"/d","kind":"path","detail":"used as a destination","edit":{"span":{"start":10,"end":10},"text":"/d"},"sortText":"1/d"}]],
  ["/a => /b ;\n/c", 13, {"kind":"prefix","token":11}, []],
  ["/a => /b ;\n/c", 11, {"kind":"prefix","token":11}, [{"label":"/a","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":11,"end":11},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"used as a destination","edit":{"span":{"start":11,"end":11},"text":"/b"},"sortText":"1/b"}]],
  ["/a => /b | /c ;", 8, {"kind":"term","token":6}, []],
  ["/a => /b | /c ;", 9, {"kind":"operator"}, [{"label":"|","kind":"operator","detail":"alternative: fall back if the left side is negative","insertText":"| "}, {"label":"&","kind":"operator","detail":"union: split traffic by weight","insertText":"& "}, {"label":";","kind":"operator","detail":"end of the dentry","insertText":";"}]],
  ["/a => /b | /c ;", 11, {"kind":"term","token":11}, [...NAMERS(11, 11), ...SYSTEM(11, 11), ...TOKENS]],
  ["/a => /b | /c ;", 13, {"kind":"term","token":11}, []],
  ["/ab", 3, {"kind":"prefix","token":0}, []],
  ["/ab", 1, {"kind":"prefix","token":0}, []],
  ["/a/b", 2, {"kind":"prefix","token":0}, []],
  ["/ab =", 3, {"kind":"prefix","token":0}, []],
  ["/a => /b/ /c ;", 9, {"kind":"term","token":6}, []],
  ["/a => /b /c ;", 12, {"kind":"arrow"}, [{"label":"=>","kind":"operator","detail":"rewrite to","insertText":"=> ","sortText":"0"}]],
  ["/a => /b ) ;", 10, {"kind":"none"}, []],
  ["/a => 1 *", 9, {"kind":"term","token":9}, [...NAMERS(9, 9), ...SYSTEM(9, 9), ...TOKENS]],
  ["/a => ", 6, {"kind":"term","token":6}, [...NAMERS(6, 6), ...SYSTEM(6, 6), ...TOKENS]],
  ["/svc => /x ;\n/a => /s", 21, {"kind":"term","token":19}, [{"label":"/svc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":19,"end":21},"text":"/svc"},"sortText":"1/svc"}]],
  ["/svc => /x ;\n/s", 15, {"kind":"prefix","token":13}, [{"label":"/svc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":13,"end":15},"text":"/svc"},"sortText":"1/svc"}]],
  ["/s => /svc ;\n/t", 15, {"kind":"prefix","token":13}, []],
  ["/a => /#/io.l5d.fs ;\n/b => /$/inet/1/2 ;\n/c => /d ;\n/", 53, {"kind":"prefix","token":52}, [{"label":"/a","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":52,"end":53},"text":"/a"},"sortText":"1/a"}, {"label":"/b","kind":"path","detail":"prefix of line 2","edit":{"span":{"start":52,"end":53},"text":"/b"},"sortText":"1/b"}, {"label":"/c","kind":"path","detail":"prefix of line 3","edit":{"span":{"start":52,"end":53},"text":"/c"},"sortText":"1/c"}, {"label":"/d","kind":"path","detail":"used as a destination","edit":{"span":{"start":52,"end":53},"text":"/d"},"sortText":"1/d"}]],
  ["/x/*/y => /z ;\n/w => /x", 23, {"kind":"term","token":21}, []],
  ["/x/*/y => /z ;\n/", 16, {"kind":"prefix","token":15}, [{"label":"/x/*/y","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":15,"end":16},"text":"/x/*/y"},"sortText":"1/x/*/y"}, {"label":"/z","kind":"path","detail":"used as a destination","edit":{"span":{"start":15,"end":16},"text":"/z"},"sortText":"1/z"}]],
  ["/abc => /q ;\n/ab => /a", 22, {"kind":"term","token":20}, [{"label":"/abc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":20,"end":22},"text":"/abc"},"sortText":"1/abc"}]],
  ["/a => /b ;\n/b => /c ;\n/a => /", 29, {"kind":"term","token":28}, [...NAMERS(28, 29), ...SYSTEM(28, 29), {"label":"/b","kind":"path","detail":"prefix of line 2","edit":{"span":{"start":28,"end":29},"text":"/b"},"sortText":"1/b"}]],
  ["/a => /#/x", 10, {"kind":"term","token":6}, [...NAMERS(6, 10)]],
  ["/a => /$/x", 10, {"kind":"term","token":6}, [...SYSTEM(6, 10)]],
  ["/a => /", 7, {"kind":"term","token":6}, [...NAMERS(6, 7), ...SYSTEM(6, 7)]],
  ["/svc => /a |\n  /b", 17, {"kind":"term","token":15}, []],
  ["/svc => /a |\n  /b", 15, {"kind":"term","token":15}, [...NAMERS(15, 15), ...SYSTEM(15, 15), ...TOKENS]],
  ["/svc => /a\n/svc/x => /", 22, {"kind":"term","token":21}, [...NAMERS(21, 22), ...SYSTEM(21, 22), {"label":"/svc","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":21,"end":22},"text":"/svc"},"sortText":"1/svc"}]],
  ["/q => /r ;\n/svc => /a |\n  /svc/y => /", 37, {"kind":"term","token":36}, [...NAMERS(36, 37), ...SYSTEM(36, 37), {"label":"/q","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":36,"end":37},"text":"/q"},"sortText":"1/q"}, {"label":"/svc","kind":"path","detail":"prefix of line 2","edit":{"span":{"start":36,"end":37},"text":"/svc"},"sortText":"1/svc"}]],
  ["/p => /#/x/y | /$/inet/a/b | /pp ;\n/", 36, {"kind":"prefix","token":35}, [{"label":"/p","kind":"path","detail":"prefix of line 1","edit":{"span":{"start":35,"end":36},"text":"/p"},"sortText":"1/p"}, {"label":"/pp","kind":"path","detail":"used as a destination","edit":{"span":{"start":35,"end":36},"text":"/pp"},"sortText":"1/pp"}]],
];

describe('completion, every item', () => {
  for (const [text, offset, ctx, items] of COMPLETIONS) {
    it(`${JSON.stringify(text)} at ${offset}`, () => {
      const a = analyzeDtab(text);
      assert.deepEqual(completionContext(a, offset), ctx);
      assert.deepEqual(complete(a, offset).map(norm), items);
      assert.deepEqual(complete(a, offset, ctx).map(norm), items);
    });
  }
});

describe('completion stops at MAX_NAMES names', () => {
  const labels = (text: string) => complete(analyzeDtab(text), text.length).filter((i) => i.kind === 'path').map((i) => i.label);
  const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

  it('is 200', () => assert.equal(MAX_NAMES, 200));
  it('prefixes only, when there are more than 200', () => {
    const text = range(205, (i) => `/p${i} => /d${i} ;\n`).join('') + '/';
    assert.deepEqual(labels(text), range(200, (i) => `/p${i}`));
  });
  it('prefixes, then destinations up to 200', () => {
    const text = range(150, (i) => `/p${i} => /d${i} ;\n`).join('') + '/';
    assert.deepEqual(labels(text), [...range(150, (i) => `/p${i}`), ...range(50, (i) => `/d${i}`)]);
  });
  it('stops inside the destinations of one dentry', () => {
    const text = range(199, (i) => `/p${i} => /d${i}a | /d${i}b ;\n`).join('') + '/';
    assert.deepEqual(labels(text), [...range(199, (i) => `/p${i}`), '/d0a']);
  });
  it('as a destination: 200 prefixes after the namers', () => {
    const text = range(205, (i) => `/p${i} => /d${i} ;\n`).join('') + '/a => /';
    const items = complete(analyzeDtab(text), text.length);
    assert.deepEqual(items.filter((i) => i.kind === 'path').map((i) => i.label), range(200, (i) => `/p${i}`));
    assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['/#/io.l5d.fs', '/#/io.l5d.serversets']);
  });
});

/** A transformer that appends `x` to the bound id, as a router's `interpreter.transformers` would. */
const TX = interpreterFor({ options: { transformers: [{ name: 'tx', apply: (b) => ({ ...b, id: [...b.id, 'x'] }) }] } });

/** [text, offset, with the transformer, markdown (undefined: no hover), span start, span end]. */
const HOVERS2: [string, number, boolean, string | undefined, number, number][] = [
  ["/a => /b ;\n/a => /c ;\n/a => /d ;\n", 1, false, "**`/a => /b`**\n\nRequests for `/a/…` are sent to `/b/…`.\n\nline 2 (`/a => /c`), line 3 (`/a => /d`) come later and are tried before this one.", 0, 2],
  ["/a => /b ;\n/a => /c ;\n/a => /d ;\n", 12, false, "**`/a => /c`**\n\nRequests for `/a/…` are sent to `/c/…`.\n\nLater dentries are tried first: for these requests this one is tried before line 1 (`/a => /b`), which is only used if this one is negative.\n\nline 3 (`/a => /d`) comes later and is tried before this one.", 11, 13],
  ["/a => /b ;\n/a => /c ;\n/a => /d ;\n", 23, false, "**`/a => /d`**\n\nRequests for `/a/…` are sent to `/d/…`.\n\nLater dentries are tried first: for these requests this one is tried before line 1 (`/a => /b`), line 2 (`/a => /c`), which are only used if this one is negative.", 22, 24],
  ["/a => /b ;\n/a/x => /c ;\n", 1, false, "**`/a => /b`**\n\nRequests for `/a/…` are sent to `/b/…`.", 0, 2],
  ["/x => /y | /$/fail | /$/nil ;\n/q => /x ;\n", 37, false, "**`/x`** in this dtab\n\n```text\n→ /x: the first that is not negative\n    /y: negative, nothing matches   (line 1)\n→   else /$/fail: fails   (line 1)\n    else /$/nil: no endpoints   (line 1)\n```\n\n**Routes to**\n\n- 100% → \\! (fail: requests fail)", 36, 38],
  ["/x => 1 * /y & 3 * /$/nil ;\n/q => /x ;\n", 35, false, "**`/x`** in this dtab\n\n```text\n→ /x: split by weight\n→   25% /y: negative, nothing matches   (line 1)\n→   75% /$/nil: no endpoints   (line 1)\n```\n\n**Routes to**\n\n- 100% → $ (empty: no endpoints, requests fail)", 34, 36],
  ["/x => /#/io.l5d.k8s/a/b | /#/skip/c ;\n/q => /x ;\n", 45, false, "**`/x`** in this dtab\n\n```text\n→ /x: the first that is not negative\n    /#/io.l5d.k8s/a/b: negative, why #/io.l5d.k8s/a/b   (line 1)\n    else /#/skip/c: negative, no namer has this name   (line 1)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 44, 46],
  ["/x => 1 * /#/io.l5d.k8s/a/b & 1 * /#/n/c ;\n/q => /x ;\n", 50, false, "**`/x`** in this dtab\n\n```text\n→ /x: split by weight\n→   50% /#/io.l5d.k8s/a/b: negative, why #/io.l5d.k8s/a/b   (line 1)\n→   50% /#/n/c: negative, why #/n/c   (line 1)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 49, 51],
  ["/x => /#/io.l5d.k8s/a/b ;\n/y => /x ;\n/q => /y ;\n", 44, false, "**`/y`** in this dtab\n\n```text\n→ /y\n→   /x   (line 2)\n→     /#/io.l5d.k8s/a/b: negative, why #/io.l5d.k8s/a/b   (line 1)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 43, 45],
  ["/q => /$/io.buoyant.rinet/80/host ;\n", 7, false, "**`/$/io.buoyant.rinet/80/host`** in this dtab (system namer `/$/io.buoyant.rinet/<port>/<host>`)\n\n```text\n→ /$/io.buoyant.rinet/80/host: failed (host was not resolved (no DNS lookups offline))\n```\n\n**Routes to**\n\n- 100% → /$/io.buoyant.rinet/80/host (failed (host was not resolved (no DNS lookups offline)))", 6, 33],
  ["/q => /$/inet/a ;\n", 7, false, "**`/$/inet/a`** in this dtab (system namer `/$/inet/<host>/<port>`)\n\n```text\n→ /$/inet/a: error: Unknown namer: inet for path: /$/inet/a\n```\n\n**Routes to**\n\n- fails: Unknown namer: inet for path: /$/inet/a", 6, 15],
  ["/q => /$/inet/a/b/c ;\n", 7, false, "**`/$/inet/a/b/c`** in this dtab (system namer `/$/inet/<host>/<port>`)\n\n```text\n→ /$/inet/a/b/c: error: Unknown namer: inet for path: /$/inet/a/b/c\n```\n\n**Routes to**\n\n- fails: Unknown namer: inet for path: /$/inet/a/b/c", 6, 19],
  ["/q => /$/io.buoyant.porthostPfx/x/a:80 ;\n", 7, false, "**`/$/io.buoyant.porthostPfx/x/a:80`** in this dtab (system namer `/$/io.buoyant.porthostPfx/<pfx>/<host:port>`)\n\n```text\n→ /x/80/a: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 38],
  ["/q => /$/io.buoyant.porthostPfx/x ;\n", 7, false, "**`/$/io.buoyant.porthostPfx/x`** in this dtab (system namer `/$/io.buoyant.porthostPfx/<pfx>/<host:port>`)\n\n```text\n→ /$/io.buoyant.porthostPfx/x: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 33],
  ["/q => ~ ;\n/r => /q ;\n", 17, false, "**`/q`** in this dtab\n\n```text\n→ /q\n→   ~ (negative)   (line 1)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 16, 18],
  ["/q => ! ;\n/r => /q ;\n", 17, false, "**`/q`** in this dtab\n\n```text\n→ /q\n→   !: fails   (line 1)\n```\n\n**Routes to**\n\n- 100% → \\! (fail: requests fail)", 16, 18],
  ["/q => $ ;\n/r => /q ;\n", 17, false, "**`/q`** in this dtab\n\n```text\n→ /q\n→   /q: no endpoints   (line 1)\n```\n\n**Routes to**\n\n- 100% → $ (empty: no endpoints, requests fail)", 16, 18],
  ["/q => /$/fail ;\n/r => /q ;\n", 23, false, "**`/q`** in this dtab\n\n```text\n→ /q\n→   /$/fail: fails   (line 1)\n```\n\n**Routes to**\n\n- 100% → \\! (fail: requests fail)", 22, 24],
  ["/q => /$/fail/x ;\n", 7, false, "**`/$/fail/x`** in this dtab (system namer `/$/fail`)\n\n```text\n→ /$/fail/x: fails\n```\n\n**Routes to**\n\n- 100% → \\! (fail: requests fail)", 6, 15],
  ["/q => /$/nil/x ;\n", 7, false, "**`/$/nil/x`** in this dtab (system namer `/$/nil`)\n\n```text\n→ /$/nil/x: no endpoints\n```\n\n**Routes to**\n\n- 100% → $ (empty: no endpoints, requests fail)", 6, 14],
  ["/q => /$/ ;\n", 7, false, undefined, 0, 0],
  ["/q => /# ;\n", 7, false, "**`/#`** in this dtab\n\n```text\n→ /#: negative, why #\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 8],
  ["/q => /#/io.l5d.fs ;\n", 7, false, "**Namer** `/#/io.l5d.fs/<file>`\n\nA file in the configured `rootDir`: one `host port` per line.\n\nAnswers only if a namer of this kind is configured in linkerd (or namerd).", 6, 18],
  ["/q => /#/io.l5d.fs/x/y ;\n", 7, false, "**`/#/io.l5d.fs/x/y`** in this dtab (namer `/#/io.l5d.fs/<file>`)\n\n```text\n→ /#/io.l5d.fs/x/y: unresolved here: io.l5d.fs resolves it at run time\n```\n\n**Routes to**\n\n- 100% → /#/io.l5d.fs/x/y (unresolved here: io.l5d.fs resolves it at run time)\n\nCluster: snap", 6, 22],
  ["/a => /b /c ;\n", 9, false, "**Syntax error**\n\nMissing `;` between dentries: dentries are separated by `;`, not by new lines.\n\nFinagle: `end of input expected but '/' found at '/a => /b [/]c ;\n'`", 9, 10],
  ["/a => /b /c ;\n", 8, false, "**`/b`** in this dtab\n\n```text\n→ /b: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 8],
  ["/a => /b /c ;\n", 7, false, "**`/b`** in this dtab\n\n```text\n→ /b: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 8],
  ["/a => /b /c ;\n", 10, false, "**Syntax error**\n\nMissing `;` between dentries: dentries are separated by `;`, not by new lines.\n\nFinagle: `end of input expected but '/' found at '/a => /b [/]c ;\n'`", 9, 10],
  ["/a => /b /c ;\n", 11, false, undefined, 0, 0],
  ["/a => /b /c ;\n", 12, false, undefined, 0, 0],
  ["/a => /b ;\n", 3, false, "**`/a => /b`**\n\nRequests for `/a/…` are sent to `/b/…`.", 0, 2],
  ["/a => /b ;\n", 6, false, "**`/b`** in this dtab\n\n```text\n→ /b: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 8],
  ["/a => /b ;\n", 9, false, undefined, 0, 0],
  ["/a => /b | /c ;\n", 9, false, "**Alternatives (`|`)**: tried left to right; the first that is not negative (`~`) is used.\n\nA `!` stops the search (the request fails); so does `$` (no endpoints). Errors are not fallen back from either.", 6, 13],
  ["/a => /b & /c ;\n", 9, false, "**Union (`&`)**: each request goes to one branch, chosen at random by weight.\n\n| share | weight | branch |\n| ---: | ---: | --- |\n| 50% | 1 (default) | `/b` |\n| 50% | 1 (default) | `/c` |\n\nA branch that resolves to `~` or `!` is dropped and the others share its traffic; a `$` branch keeps its share and those requests fail.", 6, 13],
  ["/a => (/b) ;\n", 6, false, "**`/a => (/b)`**\n\nRequests for `/a/…` are sent to `/b/…`.", 6, 10],
  ["/a => /b ;\n", 0, false, "**`/a => /b`**\n\nRequests for `/a/…` are sent to `/b/…`.", 0, 2],
  ["/a => /b ; ", 2, false, "**`/a => /b`**\n\nRequests for `/a/…` are sent to `/b/…`.", 0, 2],
  ["/a => /b` ;\n", 7, false, "**`/b`** in this dtab\n\n```text\n→ /b: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 8],
  ["/a => /b <c> ;\n", 9, false, "**Syntax error**\n\nExpected `;` or the end of the text after the dentry, found `<`.\n\nFinagle: `end of input expected but '<' found at '/a => /b [<]c> ;\n'`", 9, 10],
  ["/a => ;\n", 3, false, undefined, 0, 0],
  ["/a => ;\n", 4, false, undefined, 0, 0],
  ["/a => ;\n", 5, false, "**Syntax error**\n\nExpected a destination before `;`.\n\nFinagle: `simple expected but ';' found at '/a => [;]\n'`", 6, 7],
  ["/a => ;\n", 7, false, undefined, 0, 0],
  ["/a => ;\n", 8, false, undefined, 0, 0],
  ["/a =>\n", 0, false, undefined, 0, 0],
  ["/a =>\n", 1, false, undefined, 0, 0],
  ["/a =>\n", 2, false, undefined, 0, 0],
  ["/a =>\n", 3, false, undefined, 0, 0],
  ["/a => /$/inet/127.1/80 ;\n/b => /a ;\n", 26, true, "**`/b => /a`**\n\nRequests for `/b/…` are sent to `/a/…`.", 25, 27],
  ["/b => /$/inet/127.1/80 | /$/inet/127.1/81 ;\n/c => /b ;\n", 51, true, "**`/b`** in this dtab\n\n```text\n→ /b: the first that is not negative\n→   /$/inet/127.1/80/x: 127.0.0.1:80 (tx)\n→     before: /$/inet/127.1/80: 127.0.0.1:80   (line 1)\n    else /$/inet/127.1/81/x: 127.0.0.1:81 (tx)\n      before: /$/inet/127.1/81: 127.0.0.1:81   (line 1)\n```\n\n**Routes to**\n\n- 100% → /$/inet/127.1/80/x (127.0.0.1:80)", 50, 52],
  ["/q => /p0 ;\n/p0 => /p1 ;\n/p1 => /p2 ;\n/p2 => /p3 ;\n/p3 => /p4 ;\n/p4 => /p5 ;\n/p5 => /p6 ;\n/p6 => /p7 ;\n/p7 => /p8 ;\n/p8 => /p9 ;\n/p9 => /p10 ;\n/p10 => /p11 ;\n/p11 => /p12 ;\n/p12 => /p13 ;\n/p13 => /p14 ;\n/p14 => /p15 ;\n/p15 => /p16 ;\n/p16 => /p17 ;\n/p17 => /p18 ;\n/p18 => /p19 ;\n/p19 => /p20 ;\n/p20 => /p21 ;\n/p21 => /p22 ;\n/p22 => /p23 ;\n/p23 => /p24 ;\n/p24 => /p25 ;\n/p25 => /p26 ;\n/p26 => /p27 ;\n", 7, false, "**`/p0`** in this dtab\n\n```text\n→ /p0\n→   /p1   (line 2)\n→     /p2   (line 3)\n→       /p3   (line 4)\n→         /p4   (line 5)\n→           /p5   (line 6)\n→             /p6   (line 7)\n→               /p7   (line 8)\n→                 /p8   (line 9)\n→                   /p9   (line 10)\n→                     /p10   (line 11)\n→                       /p11   (line 12)\n→                         /p12   (line 13)\n→                           /p13   (line 14)\n→                             /p14   (line 15)\n→                               /p15   (line 16)\n→                                 /p16   (line 17)\n→                                   /p17   (line 18)\n→                                     /p18   (line 19)\n→                                       /p19   (line 20)\n→                                         /p20   (line 21)\n→                                           /p21   (line 22)\n→                                             /p22   (line 23)\n→                                               /p23   (line 24)\n→                                                 /p24   (line 25)\n→                                                   /p25   (line 26)\n→                                                     /p26   (line 27)\n→                                                       /p27: negative, nothing matches   (line 28)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 9],
  ["/q => /p0 ;\n/p0 => /p1 ;\n/p1 => /p2 ;\n/p2 => /p3 ;\n/p3 => /p4 ;\n/p4 => /p5 ;\n/p5 => /p6 ;\n/p6 => /p7 ;\n/p7 => /p8 ;\n/p8 => /p9 ;\n/p9 => /p10 ;\n/p10 => /p11 ;\n/p11 => /p12 ;\n/p12 => /p13 ;\n/p13 => /p14 ;\n/p14 => /p15 ;\n/p15 => /p16 ;\n/p16 => /p17 ;\n/p17 => /p18 ;\n/p18 => /p19 ;\n/p19 => /p20 ;\n/p20 => /p21 ;\n/p21 => /p22 ;\n/p22 => /p23 ;\n/p23 => /p24 ;\n/p24 => /p25 ;\n/p25 => /p26 ;\n/p26 => /p27 ;\n/p27 => /p28 ;\n", 7, false, "**`/p0`** in this dtab\n\n```text\n→ /p0\n→   /p1   (line 2)\n→     /p2   (line 3)\n→       /p3   (line 4)\n→         /p4   (line 5)\n→           /p5   (line 6)\n→             /p6   (line 7)\n→               /p7   (line 8)\n→                 /p8   (line 9)\n→                   /p9   (line 10)\n→                     /p10   (line 11)\n→                       /p11   (line 12)\n→                         /p12   (line 13)\n→                           /p13   (line 14)\n→                             /p14   (line 15)\n→                               /p15   (line 16)\n→                                 /p16   (line 17)\n→                                   /p17   (line 18)\n→                                     /p18   (line 19)\n→                                       /p19   (line 20)\n→                                         /p20   (line 21)\n→                                           /p21   (line 22)\n→                                             /p22   (line 23)\n→                                               /p23   (line 24)\n→                                                 /p24   (line 25)\n→                                                   /p25   (line 26)\n→                                                     /p26   (line 27)\n→                                                       /p27   (line 28)\n→                                                         /p28: negative, nothing matches   (line 29)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 9],
  ["/q => /p0 ;\n/p0 => /p1 ;\n/p1 => /p2 ;\n/p2 => /p3 ;\n/p3 => /p4 ;\n/p4 => /p5 ;\n/p5 => /p6 ;\n/p6 => /p7 ;\n/p7 => /p8 ;\n/p8 => /p9 ;\n/p9 => /p10 ;\n/p10 => /p11 ;\n/p11 => /p12 ;\n/p12 => /p13 ;\n/p13 => /p14 ;\n/p14 => /p15 ;\n/p15 => /p16 ;\n/p16 => /p17 ;\n/p17 => /p18 ;\n/p18 => /p19 ;\n/p19 => /p20 ;\n/p20 => /p21 ;\n/p21 => /p22 ;\n/p22 => /p23 ;\n/p23 => /p24 ;\n/p24 => /p25 ;\n/p25 => /p26 ;\n/p26 => /p27 ;\n/p27 => /p28 ;\n/p28 => /p29 ;\n", 7, false, "**`/p0`** in this dtab\n\n```text\n→ /p0\n→   /p1   (line 2)\n→     /p2   (line 3)\n→       /p3   (line 4)\n→         /p4   (line 5)\n→           /p5   (line 6)\n→             /p6   (line 7)\n→               /p7   (line 8)\n→                 /p8   (line 9)\n→                   /p9   (line 10)\n→                     /p10   (line 11)\n→                       /p11   (line 12)\n→                         /p12   (line 13)\n→                           /p13   (line 14)\n→                             /p14   (line 15)\n→                               /p15   (line 16)\n→                                 /p16   (line 17)\n→                                   /p17   (line 18)\n→                                     /p18   (line 19)\n→                                       /p19   (line 20)\n→                                         /p20   (line 21)\n→                                           /p21   (line 22)\n→                                             /p22   (line 23)\n→                                               /p23   (line 24)\n→                                                 /p24   (line 25)\n→                                                   /p25   (line 26)\n→                                                     /p26   (line 27)\n→                                                       /p27   (line 28)\n→                                                         /p28   (line 29)\n→                                                           /p29: negative, nothing matches   (line 30)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 9],
  ["/q => /p0 ;\n/p0 => /p1 ;\n/p1 => /p2 ;\n/p2 => /p3 ;\n/p3 => /p4 ;\n/p4 => /p5 ;\n/p5 => /p6 ;\n/p6 => /p7 ;\n/p7 => /p8 ;\n/p8 => /p9 ;\n/p9 => /p10 ;\n/p10 => /p11 ;\n/p11 => /p12 ;\n/p12 => /p13 ;\n/p13 => /p14 ;\n/p14 => /p15 ;\n/p15 => /p16 ;\n/p16 => /p17 ;\n/p17 => /p18 ;\n/p18 => /p19 ;\n/p19 => /p20 ;\n/p20 => /p21 ;\n/p21 => /p22 ;\n/p22 => /p23 ;\n/p23 => /p24 ;\n/p24 => /p25 ;\n/p25 => /p26 ;\n/p26 => /p27 ;\n/p27 => /p28 ;\n/p28 => /p29 ;\n/p29 => /p30 ;\n", 7, false, "**`/p0`** in this dtab\n\n```text\n→ /p0\n→   /p1   (line 2)\n→     /p2   (line 3)\n→       /p3   (line 4)\n→         /p4   (line 5)\n→           /p5   (line 6)\n→             /p6   (line 7)\n→               /p7   (line 8)\n→                 /p8   (line 9)\n→                   /p9   (line 10)\n→                     /p10   (line 11)\n→                       /p11   (line 12)\n→                         /p12   (line 13)\n→                           /p13   (line 14)\n→                             /p14   (line 15)\n→                               /p15   (line 16)\n→                                 /p16   (line 17)\n→                                   /p17   (line 18)\n→                                     /p18   (line 19)\n→                                       /p19   (line 20)\n→                                         /p20   (line 21)\n→                                           /p21   (line 22)\n→                                             /p22   (line 23)\n→                                               /p23   (line 24)\n→                                                 /p24   (line 25)\n→                                                   /p25   (line 26)\n→                                                     /p26   (line 27)\n→                                                       /p27   (line 28)\n→                                                         /p28   (line 29)\n→                                                           /p29   (line 30)\n  … (more steps: use \"Dtab: Delegate path…\" for the whole tree)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 6, 9],
  ["/q => /#/n0/x | /#/n1/x | /#/n2/x | /#/n3/x | /#/n4/x | /#/n5/x | /#/n6/x | /#/n7/x | /#/n8/x | /#/n9/x | /#/n10/x | /#/n11/x | /#/n12/x | /#/n13/x | /#/n14/x | /#/n15/x | /#/n16/x | /#/n17/x | /#/n18/x | /#/n19/x | /#/n20/x | /#/n21/x | /#/n22/x | /#/n23/x | /#/n24/x | /#/n25/x | /#/n26/x | /#/n27/x | /#/n28/x | /#/n29/x | /#/n30/x ;\n/r => /q ;\n", 344, false, "**`/q`** in this dtab\n\n```text\n→ /q: the first that is not negative\n    /#/n0/x: negative, no namer has this name   (line 1)\n    else /#/n1/x: negative, why #/n1/x   (line 1)\n    else /#/n2/x: negative, why #/n2/x   (line 1)\n    else /#/n3/x: negative, why #/n3/x   (line 1)\n    else /#/n4/x: negative, why #/n4/x   (line 1)\n    else /#/n5/x: negative, why #/n5/x   (line 1)\n    else /#/n6/x: negative, why #/n6/x   (line 1)\n    else /#/n7/x: negative, why #/n7/x   (line 1)\n    else /#/n8/x: negative, why #/n8/x   (line 1)\n    else /#/n9/x: negative, why #/n9/x   (line 1)\n    else /#/n10/x: negative, why #/n10/x   (line 1)\n    else /#/n11/x: negative, why #/n11/x   (line 1)\n    else /#/n12/x: negative, why #/n12/x   (line 1)\n    else /#/n13/x: negative, why #/n13/x   (line 1)\n    else /#/n14/x: negative, why #/n14/x   (line 1)\n    else /#/n15/x: negative, why #/n15/x   (line 1)\n    else /#/n16/x: negative, why #/n16/x   (line 1)\n    else /#/n17/x: negative, why #/n17/x   (line 1)\n    else /#/n18/x: negative, why #/n18/x   (line 1)\n    else /#/n19/x: negative, why #/n19/x   (line 1)\n    else /#/n20/x: negative, why #/n20/x   (line 1)\n    else /#/n21/x: negative, why #/n21/x   (line 1)\n    else /#/n22/x: negative, why #/n22/x   (line 1)\n    else /#/n23/x: negative, why #/n23/x   (line 1)\n    else /#/n24/x: negative, why #/n24/x   (line 1)\n    else /#/n25/x: negative, why #/n25/x   (line 1)\n    else /#/n26/x: negative, why #/n26/x   (line 1)\n    else /#/n27/x: negative, why #/n27/x   (line 1)\n    else /#/n28/x: negative, why #/n28/x   (line 1)\n  … (more steps: use \"Dtab: Delegate path…\" for the whole tree)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 343, 345],
  ["/q => 1 * /#/n0/x & 1 * /#/n1/x & 1 * /#/n2/x & 1 * /#/n3/x & 1 * /#/n4/x & 1 * /#/n5/x & 1 * /#/n6/x & 1 * /#/n7/x & 1 * /#/n8/x & 1 * /#/n9/x & 1 * /#/n10/x & 1 * /#/n11/x & 1 * /#/n12/x & 1 * /#/n13/x & 1 * /#/n14/x & 1 * /#/n15/x & 1 * /#/n16/x & 1 * /#/n17/x & 1 * /#/n18/x & 1 * /#/n19/x & 1 * /#/n20/x & 1 * /#/n21/x & 1 * /#/n22/x & 1 * /#/n23/x & 1 * /#/n24/x & 1 * /#/n25/x & 1 * /#/n26/x & 1 * /#/n27/x & 1 * /#/n28/x & 1 * /#/n29/x & 1 * /#/n30/x ;\n/r => /q ;\n", 468, false, "**`/q`** in this dtab\n\n```text\n→ /q: split by weight\n→   3.2% /#/n0/x: negative, no namer has this name   (line 1)\n→   3.2% /#/n1/x: negative, why #/n1/x   (line 1)\n→   3.2% /#/n2/x: negative, why #/n2/x   (line 1)\n→   3.2% /#/n3/x: negative, why #/n3/x   (line 1)\n→   3.2% /#/n4/x: negative, why #/n4/x   (line 1)\n→   3.2% /#/n5/x: negative, why #/n5/x   (line 1)\n→   3.2% /#/n6/x: negative, why #/n6/x   (line 1)\n→   3.2% /#/n7/x: negative, why #/n7/x   (line 1)\n→   3.2% /#/n8/x: negative, why #/n8/x   (line 1)\n→   3.2% /#/n9/x: negative, why #/n9/x   (line 1)\n→   3.2% /#/n10/x: negative, why #/n10/x   (line 1)\n→   3.2% /#/n11/x: negative, why #/n11/x   (line 1)\n→   3.2% /#/n12/x: negative, why #/n12/x   (line 1)\n→   3.2% /#/n13/x: negative, why #/n13/x   (line 1)\n→   3.2% /#/n14/x: negative, why #/n14/x   (line 1)\n→   3.2% /#/n15/x: negative, why #/n15/x   (line 1)\n→   3.2% /#/n16/x: negative, why #/n16/x   (line 1)\n→   3.2% /#/n17/x: negative, why #/n17/x   (line 1)\n→   3.2% /#/n18/x: negative, why #/n18/x   (line 1)\n→   3.2% /#/n19/x: negative, why #/n19/x   (line 1)\n→   3.2% /#/n20/x: negative, why #/n20/x   (line 1)\n→   3.2% /#/n21/x: negative, why #/n21/x   (line 1)\n→   3.2% /#/n22/x: negative, why #/n22/x   (line 1)\n→   3.2% /#/n23/x: negative, why #/n23/x   (line 1)\n→   3.2% /#/n24/x: negative, why #/n24/x   (line 1)\n→   3.2% /#/n25/x: negative, why #/n25/x   (line 1)\n→   3.2% /#/n26/x: negative, why #/n26/x   (line 1)\n→   3.2% /#/n27/x: negative, why #/n27/x   (line 1)\n→   3.2% /#/n28/x: negative, why #/n28/x   (line 1)\n  … (more steps: use \"Dtab: Delegate path…\" for the whole tree)\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)", 467, 469],
  // A backtick found is named, not quoted: three backticks would read as a Markdown fence.
  ["/a => `b ;", 6, false, "**Syntax error**\n\nExpected a destination here (a path, `~`, `!`, `$` or `(`), found a backtick (U+0060).\n\nFinagle: `simple expected but ''' found at '/a => [']b ;'`", 6, 7],
  // A missing `;` is reported where the next entry starts: the next entry's hover shows it.
  ["/a => /b\n/c", 9, false, "**Syntax error**\n\nMissing `;` between dentries: dentries are separated by `;`, not by new lines.\n\nFinagle: `end of input expected but '/' found at '/a => /b\n[/]c'`", 9, 10],
  ["/a => /b\n/c => /d ;", 9, false, "**Syntax error**\n\nMissing `;` between dentries: dentries are separated by `;`, not by new lines.\n\nFinagle: `end of input expected but '/' found at '/a => /b\n[/]c => /d ;'`", 9, 10],
  ["/a => /b\n/c => /d ;", 11, false, "**`/c => /d`**\n\nRequests for `/c/…` are sent to `/d/…`.", 9, 11],
  ["/a => /b\n/c", 11, false, "**Syntax error**\n\nExpected `=>` after the prefix `/c`, found the end of the text.\n\nFinagle: `'=' expected but end of input found at '/a => /b\n/c[]'`", 11, 11],
  ["/a => 1.5.5 * /b ;", 7, false, undefined, 0, 0],
  ["/a => 1.5.5 * /b ;", 8, false, "**Syntax error**\n\nA weight has at most one `.`.\n\nFinagle: `number char expected but '.' found at '/a => 1.5[.]5 * /b ;'`", 9, 10],
  ["/a => 1.5.5 * /b ;", 10, false, "**Syntax error**\n\nA weight has at most one `.`.\n\nFinagle: `number char expected but '.' found at '/a => 1.5[.]5 * /b ;'`", 9, 10],
  ["/a => 1.5.5 * /b ;", 11, false, undefined, 0, 0],
  ["/a => /b & ;", 10, false, "**Syntax error**\n\nExpected a destination before `;`.\n\nFinagle: `simple expected but ';' found at '/a => /b & [;]'`", 11, 12],
  ["/q => /$/inet/127.1/80 ;\n/r => /q ;\n", 31, true, "**`/q`** in this dtab\n\n```text\n→ /q\n→   /$/inet/127.1/80/x: 127.0.0.1:80 (tx)\n→     before: /$/inet/127.1/80: 127.0.0.1:80   (line 1)\n```\n\n**Routes to**\n\n- 100% → /$/inet/127.1/80/x (127.0.0.1:80)", 31, 33],
];

describe('hover, every word', () => {
  for (const [text, offset, tx, markdown, start, end] of HOVERS2) {
    it(`${JSON.stringify(text.slice(0, 60))} at ${offset}`, async () => {
      const h = await hover(analyzeDtab(text), offset, tx ? TX : interpreterFor(), 'snap', async (p) => (p.includes('skip') ? undefined : `why ${p.join('/')}`));
      assert.deepEqual(h, markdown === undefined ? undefined : { markdown, span: { start, end } });
    });
  }
  it('no cluster note without a clusterNote', async () => {
    const h = await hover(analyzeDtab('/q => /#/io.l5d.fs/x/y ;\n'), 7, interpreterFor());
    assert.equal(h?.markdown, '**`/#/io.l5d.fs/x/y`** in this dtab (namer `/#/io.l5d.fs/<file>`)\n\n```text\n→ /#/io.l5d.fs/x/y: unresolved here: io.l5d.fs resolves it at run time\n```\n\n**Routes to**\n\n- 100% → /#/io.l5d.fs/x/y (unresolved here: io.l5d.fs resolves it at run time)');
  });
});

/** Spans as `start-end,…`; `-` for undefined. */
const spans = (ss: readonly { start: number; end: number }[] | undefined): string => (ss === undefined ? '-' : ss.map((x) => `${x.start}-${x.end}`).join(','));

/** For each text, at every offset: `definition references(with) references(without) prepareRename rename(Z)`. */
const NAVIGATION: [string, string[]][] = [
  ["/a/b => /c ;\n/a => /d/e | /a ;\n/a/*/x => /a/b/c ;\n/d => /a/b ;\n/x => /a/z ;\n", [
    " 0-4,26-28,41-47,56-60 26-28,41-47,56-60 - -", // 0
    " 0-4,26-28,41-47,56-60 26-28,41-47,56-60 1-2:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 1
    " 0-4,26-28,41-47,56-60 26-28,41-47,56-60 1-2:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 2
    " 0-4,26-28,41-47,56-60 26-28,41-47,56-60 3-4:b 3-4,44-45,59-60", // 3
    " 0-4,26-28,41-47,56-60 26-28,41-47,56-60 3-4:b 3-4,44-45,59-60", // 4
    "   - -", // 5
    "   - -", // 6
    "   - -", // 7
    "   - -", // 8
    "   9-10:c 9-10", // 9
    "   9-10:c 9-10", // 10
    "   - -", // 11
    "   - -", // 12
    " 13-15,26-28,41-47,56-60,69-73 26-28,41-47,56-60,69-73 - -", // 13
    " 13-15,26-28,41-47,56-60,69-73 26-28,41-47,56-60,69-73 14-15:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 14
    " 13-15,26-28,41-47,56-60,69-73 26-28,41-47,56-60,69-73 14-15:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 15
    "   - -", // 16
    "   - -", // 17
    "   - -", // 18
    "50-52   - -", // 19
    "50-52   20-21:d 20-21,51-52", // 20
    "50-52   20-21:d 20-21,51-52", // 21
    "50-52   22-23:e 22-23", // 22
    "50-52   22-23:e 22-23", // 23
    "   - -", // 24
    "   - -", // 25
    "13-15,31-37,0-4   - -", // 26
    "13-15,31-37,0-4   27-28:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 27
    "13-15,31-37,0-4   27-28:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 28
    "   - -", // 29
    "   - -", // 30
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 - -", // 31
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 32-33:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 32
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 32-33:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 33
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 - -", // 34
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 - -", // 35
    // After a wildcard: the wildcard stands for any label (no `/a/<label>/x` path here but its own).
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 36-37:x 36-37", // 36
    " 31-37,26-28,56-60,69-73 26-28,56-60,69-73 36-37:x 36-37", // 37
    "   - -", // 38
    "   - -", // 39
    "   - -", // 40
    "13-15,0-4   - -", // 41
    "13-15,31-37,0-4   42-43:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 42
    "13-15,31-37,0-4   42-43:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 43
    "13-15,0-4,31-37   44-45:b 3-4,44-45,59-60", // 44
    "13-15,0-4,31-37   44-45:b 3-4,44-45,59-60", // 45
    "13-15,0-4   46-47:c 46-47", // 46
    "13-15,0-4   46-47:c 46-47", // 47
    "   - -", // 48
    "   - -", // 49
    " 50-52,19-23 19-23 - -", // 50
    " 50-52,19-23 19-23 51-52:d 20-21,51-52", // 51
    " 50-52,19-23 19-23 51-52:d 20-21,51-52", // 52
    "   - -", // 53
    "   - -", // 54
    "   - -", // 55
    "13-15,0-4,31-37   - -", // 56
    "13-15,31-37,0-4   57-58:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 57
    "13-15,31-37,0-4   57-58:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 58
    "13-15,0-4,31-37   59-60:b 3-4,44-45,59-60", // 59
    "13-15,0-4,31-37   59-60:b 3-4,44-45,59-60", // 60
    "   - -", // 61
    "   - -", // 62
    " 63-65  - -", // 63
    " 63-65  64-65:x 64-65", // 64
    " 63-65  64-65:x 64-65", // 65
    "   - -", // 66
    "   - -", // 67
    "   - -", // 68
    "13-15,31-37   - -", // 69
    "13-15,31-37,0-4   70-71:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 70
    "13-15,31-37,0-4   70-71:a 1-2,14-15,27-28,32-33,42-43,57-58,70-71", // 71
    "13-15,31-37   72-73:z 72-73", // 72
    "13-15,31-37   72-73:z 72-73", // 73
    "   - -", // 74
    "   - -", // 75
    "   - -", // 76
  ]],
  ["/a/b => /c ;\n/a/b /q\n/z => /a/b | /a ;\n/y => /a/c ;\n", [
    " 0-4,27-31,34-36 27-31,34-36 - -", // 0
    " 0-4,27-31,34-36 27-31,34-36 1-2:a 1-2,14-15,28-29,35-36,46-47", // 1
    " 0-4,27-31,34-36 27-31,34-36 1-2:a 1-2,14-15,28-29,35-36,46-47", // 2
    " 0-4,27-31,34-36 27-31,34-36 3-4:b 3-4,16-17,30-31", // 3
    " 0-4,27-31,34-36 27-31,34-36 3-4:b 3-4,16-17,30-31", // 4
    "   - -", // 5
    "   - -", // 6
    "   - -", // 7
    "   - -", // 8
    "   9-10:c 9-10", // 9
    "   9-10:c 9-10", // 10
    "   - -", // 11
    "   - -", // 12
    "   - -", // 13
    "   14-15:a 1-2,14-15,28-29,35-36,46-47", // 14
    "   14-15:a 1-2,14-15,28-29,35-36,46-47", // 15
    "   16-17:b 3-4,16-17,30-31", // 16
    "   16-17:b 3-4,16-17,30-31", // 17
    "   - -", // 18
    "   - -", // 19
    "   - -", // 20
    " 21-23  - -", // 21
    " 21-23  22-23:z 22-23", // 22
    " 21-23  22-23:z 22-23", // 23
    "   - -", // 24
    "   - -", // 25
    "   - -", // 26
    "0-4   - -", // 27
    "0-4   28-29:a 1-2,14-15,28-29,35-36,46-47", // 28
    "0-4   28-29:a 1-2,14-15,28-29,35-36,46-47", // 29
    "0-4   30-31:b 3-4,16-17,30-31", // 30
    "0-4   30-31:b 3-4,16-17,30-31", // 31
    "   - -", // 32
    "   - -", // 33
    "0-4   - -", // 34
    "0-4   35-36:a 1-2,14-15,28-29,35-36,46-47", // 35
    "0-4   35-36:a 1-2,14-15,28-29,35-36,46-47", // 36
    "   - -", // 37
    "   - -", // 38
    " 39-41  - -", // 39
    " 39-41  40-41:y 40-41", // 40
    " 39-41  40-41:y 40-41", // 41
    "   - -", // 42
    "   - -", // 43
    "   - -", // 44
    "   - -", // 45
    "0-4   46-47:a 1-2,14-15,28-29,35-36,46-47", // 46
    "0-4   46-47:a 1-2,14-15,28-29,35-36,46-47", // 47
    "   48-49:c 48-49", // 48
    "   48-49:c 48-49", // 49
    "   - -", // 50
    "   - -", // 51
    "   - -", // 52
  ]],
];

describe('navigation at every offset', () => {
  for (const [text, rows] of NAVIGATION) {
    it(JSON.stringify(text), () => {
      const a = analyzeDtab(text);
      const got: string[] = [];
      for (let o = 0; o <= text.length; o++) {
        const pr = prepareRename(a, o);
        const rn = rename(a, o, 'Z');
        assert.ok(rn === undefined || rn.every((e) => e.text === 'Z'));
        const renamed = rn ? spans(rn.map((e) => e.span)) : '-';
        got.push([spans(definition(a, o)), spans(references(a, o, true)), spans(references(a, o, false)), pr ? `${pr.span.start}-${pr.span.end}:${pr.placeholder}` : '-', renamed].join(' '));
      }
      assert.deepEqual(got, rows);
    });
  }
  it('rename after a wildcard: every label the wildcard stands for, never the wildcard from a concrete path', () => {
    const text = "/a/*/x => /b ;\n/c => /a/q/x | /a/q/x/y | /a/x ;\n/a/r/x => /d ;\n/a/*/*/x => /e ;\n";
    const at = (rn: { span: { start: number; end: number } }[] | undefined) => (rn ?? []).map((e) => text.slice(0, e.span.end).split('\n').length + ':' + text.slice(e.span.start - 4, e.span.end));
    assert.deepEqual(at(rename(analyzeDtab(text), 5, 'y')), ['1:a/*/x', '2:a/q/x', '2:a/q/x', '3:a/r/x']);
    // From `/a/q/x` only paths through `q`: renaming the wildcard dentry would move other paths too.
    assert.deepEqual(at(rename(analyzeDtab(text), 26, 'y')), ['2:a/q/x', '2:a/q/x']);
    assert.deepEqual(at(rename(analyzeDtab(text), 70, 'y')), ['4:*/*/x']);
  });
  it('RenameError is named', () => {
    const e = new RenameError('m');
    assert.equal(e.name, 'RenameError');
    assert.equal(String(e), 'RenameError: m');
  });
});

const TESTED = analyzeDtab('/svc => /$/inet/127.1/1;\n/svc/x => /b;\n/a/*/c => /d;\n/svc => /c;\n');
const testItem = (c: Completion): string => [c.label, c.kind, c.detail ?? '', c.edit ? `${c.edit.span.start}-${c.edit.span.end}:${c.edit.text}` : '', c.insertText ?? '', c.sortText ?? '', c.filterText ?? ''].join('|');
const isNamer = (c: Completion): boolean => c.kind === 'namer' || c.kind === 'system-namer';

/**
 * For each .dtab-test text, at every offset: the assertion's path, completionPath, how many namer
 * items (and their spans), then every other item of completeDtabTest (with the tested dtab at odd
 * offsets, and an actual result `/ACT` at offsets divisible by 3).
 */
const DTAB_TEST_COMPLETION: [string, string[]][] = [
  ["/svc/q => ~\r\n/s\r\n/svc/x => /b | /c\r\n/t => /$/inet/127.1/1 @ 127.0.0.1:1\n", [
    "/svc/q - 0x /svc/x|path|asserted on line 3|0-0:/svc/x||100000| ; /t|path|asserted on line 4|0-0:/t||100001|", // 0
    "/svc/q - 0x /svc|path|a prefix of the tested dtab|0-1:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|0-1:/svc/x||100001| ; /t|path|asserted on line 4|0-1:/t||100002|", // 1
    "/svc/q - 0x /svc/x|path|asserted on line 3|0-2:/svc/x||100000|", // 2
    "/svc/q - 0x /svc|path|a prefix of the tested dtab|0-3:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|0-3:/svc/x||100001|", // 3
    "/svc/q - 0x /svc/x|path|asserted on line 3|0-4:/svc/x||100000|", // 4
    "/svc/q - 0x /svc/x|path|a prefix of the tested dtab|0-5:/svc/x||100000|", // 5
    "/svc/q - 0x ", // 6
    "/svc/q [\"svc\",\"q\"] 0x =>|operator|rewrite to||=> |0|", // 7
    "/svc/q [\"svc\",\"q\"] 0x ", // 8
    "/svc/q [\"svc\",\"q\"] 27x9-9 /ACT|path|what this path routes to now|9-9:/ACT||0|/ACT ; ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 9
    "/svc/q [\"svc\",\"q\"] 27x10-10 ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 10
    "/svc/q [\"svc\",\"q\"] 0x ||operator|alternative: fall back if the left side is negative||| || ; &|operator|union: split traffic by weight||& || ; @|operator|the addresses the result resolves to (with cluster data)||@ ||", // 11
    "/svc/q [\"svc\",\"q\"] 0x ||operator|alternative: fall back if the left side is negative||| || ; &|operator|union: split traffic by weight||& || ; @|operator|the addresses the result resolves to (with cluster data)||@ ||", // 12
    "- - 0x /svc|path|a prefix of the tested dtab|13-13:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|13-13:/svc/x||100001| ; /svc/q|path|asserted on line 1|13-13:/svc/q||100002| ; /t|path|asserted on line 4|13-13:/t||100003|", // 13
    "- - 0x /svc/q|path|asserted on line 1|13-14:/svc/q||100000| ; /svc/x|path|asserted on line 3|13-14:/svc/x||100001| ; /t|path|asserted on line 4|13-14:/t||100002|", // 14
    "- - 0x /svc|path|a prefix of the tested dtab|13-15:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|13-15:/svc/x||100001| ; /svc/q|path|asserted on line 1|13-15:/svc/q||100002|", // 15
    "- - 0x ", // 16
    "/svc/x - 0x /svc|path|a prefix of the tested dtab|17-17:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|17-17:/svc/x||100001| ; /svc/q|path|asserted on line 1|17-17:/svc/q||100002| ; /t|path|asserted on line 4|17-17:/t||100003|", // 17
    "/svc/x - 0x /svc/q|path|asserted on line 1|17-18:/svc/q||100000| ; /t|path|asserted on line 4|17-18:/t||100001|", // 18
    "/svc/x - 0x /svc|path|a prefix of the tested dtab|17-19:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|17-19:/svc/x||100001| ; /svc/q|path|asserted on line 1|17-19:/svc/q||100002|", // 19
    "/svc/x - 0x /svc/q|path|asserted on line 1|17-20:/svc/q||100000|", // 20
    "/svc/x - 0x /svc|path|a prefix of the tested dtab|17-21:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|17-21:/svc/x||100001| ; /svc/q|path|asserted on line 1|17-21:/svc/q||100002|", // 21
    "/svc/x - 0x /svc/q|path|asserted on line 1|17-22:/svc/q||100000|", // 22
    "/svc/x - 0x /svc/x|path|a prefix of the tested dtab|17-23:/svc/x||100000|", // 23
    "/svc/x [\"svc\",\"x\"] 0x =>|operator|rewrite to||=> |0|", // 24
    "/svc/x [\"svc\",\"x\"] 0x ", // 25
    "/svc/x [\"svc\",\"x\"] 27x26-26 ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 26
    "/svc/x [\"svc\",\"x\"] 27x27-27 /ACT|path|what this path routes to now|27-27:/ACT||0|/ACT ; ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 27
    "/svc/x [\"svc\",\"x\"] 27x27-28 ", // 28
    "/svc/x [\"svc\",\"x\"] 0x ", // 29
    "/svc/x [\"svc\",\"x\"] 0x ||operator|alternative: fall back if the left side is negative||| || ; &|operator|union: split traffic by weight||& || ; @|operator|the addresses the result resolves to (with cluster data)||@ ||", // 30
    "/svc/x [\"svc\",\"x\"] 27x31-31 ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 31
    "/svc/x [\"svc\",\"x\"] 27x32-32 ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 32
    "/svc/x [\"svc\",\"x\"] 27x32-33 /ACT|path|what this path routes to now|32-33:/ACT||0|/", // 33
    "/svc/x [\"svc\",\"x\"] 0x ", // 34
    "/svc/x [\"svc\",\"x\"] 0x ", // 35
    "/t - 0x /svc/q|path|asserted on line 1|36-36:/svc/q||100000| ; /svc/x|path|asserted on line 3|36-36:/svc/x||100001|", // 36
    "/t - 0x /svc|path|a prefix of the tested dtab|36-37:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|36-37:/svc/x||100001| ; /svc/q|path|asserted on line 1|36-37:/svc/q||100002|", // 37
    "/t - 0x ", // 38
    "/t [\"t\"] 0x =>|operator|rewrite to||=> |0|", // 39
    "/t [\"t\"] 0x ", // 40
    "/t [\"t\"] 27x41-41 ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 41
    "/t [\"t\"] 27x42-42 /ACT|path|what this path routes to now|42-42:/ACT||0|/ACT ; ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 42
    "/t [\"t\"] 27x42-43 ", // 43
    "/t [\"t\"] 15x42-44 ", // 44
    "/t [\"t\"] 15x42-45 /ACT|path|what this path routes to now|42-45:/ACT||0|/$/", // 45
    "/t [\"t\"] 15x42-46 ", // 46
    "/t [\"t\"] 15x42-47 ", // 47
    "/t [\"t\"] 15x42-48 /ACT|path|what this path routes to now|42-48:/ACT||0|/$/ine", // 48
    "/t [\"t\"] 15x42-49 ", // 49
    "/t [\"t\"] 15x42-50 ", // 50
    "/t [\"t\"] 15x42-51 /ACT|path|what this path routes to now|42-51:/ACT||0|/$/inet/1", // 51
    "/t [\"t\"] 15x42-52 ", // 52
    "/t [\"t\"] 15x42-53 ", // 53
    "/t [\"t\"] 15x42-54 /ACT|path|what this path routes to now|42-54:/ACT||0|/$/inet/127.", // 54
    "/t [\"t\"] 15x42-55 ", // 55
    "/t [\"t\"] 15x42-56 ", // 56
    "/t [\"t\"] 15x42-57 /ACT|path|what this path routes to now|42-57:/ACT||0|/$/inet/127.1/1", // 57
    "/t [\"t\"] 0x ||operator|alternative: fall back if the left side is negative||| || ; &|operator|union: split traffic by weight||& || ; @|operator|the addresses the result resolves to (with cluster data)||@ ||", // 58
    "/t [\"t\"] 0x ", // 59
    "/t [\"t\"] 0x ", // 60
    "/t [\"t\"] 0x ", // 61
    "/t [\"t\"] 0x ", // 62
    "/t [\"t\"] 0x ", // 63
    "/t [\"t\"] 0x ", // 64
    "/t [\"t\"] 0x ", // 65
    "/t [\"t\"] 0x ", // 66
    "/t [\"t\"] 0x ", // 67
    "/t [\"t\"] 0x ", // 68
    "/t [\"t\"] 0x ", // 69
    "/t [\"t\"] 0x ", // 70
    "/t [\"t\"] 0x ", // 71
    "- - 0x /svc/q|path|asserted on line 1|72-72:/svc/q||100000| ; /svc/x|path|asserted on line 3|72-72:/svc/x||100001| ; /t|path|asserted on line 4|72-72:/t||100002|", // 72
  ]],
  ["# dtab: x.dtab\n/svc/y => /$/\n/svc/q", [
    "- - 0x ", // 0
    "- - 0x ", // 1
    "- - 0x ", // 2
    "- - 0x ", // 3
    "- - 0x ", // 4
    "- - 0x ", // 5
    "- - 0x ", // 6
    "- - 0x ", // 7
    "- - 0x ", // 8
    "- - 0x ", // 9
    "- - 0x ", // 10
    "- - 0x ", // 11
    "- - 0x ", // 12
    "- - 0x ", // 13
    "- - 0x ", // 14
    "- - 0x /svc|path|a prefix of the tested dtab|15-15:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|15-15:/svc/x||100001|", // 15
    "- - 0x ", // 16
    "- - 0x /svc|path|a prefix of the tested dtab|15-17:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|15-17:/svc/x||100001|", // 17
    "- - 0x ", // 18
    "- - 0x /svc|path|a prefix of the tested dtab|15-19:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|15-19:/svc/x||100001|", // 19
    "- - 0x ", // 20
    "- - 0x ", // 21
    "- - 0x =>|operator|rewrite to||=> |0|", // 22
    "- - 0x ", // 23
    "- [\"svc\",\"y\"] 27x24-24 /ACT|path|what this path routes to now|24-24:/ACT||0|/ACT ; ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 24
    "- [\"svc\",\"y\"] 27x25-25 ~|token|negative: not handled here, fall back|||4~| ; !|token|fail: the request fails, no fallback|||4!| ; $|token|empty: exists, but no endpoints|||4$| ; weight * path|snippet|a weighted union branch||${1:1} * ${2:/path}|5|", // 25
    "- [\"svc\",\"y\"] 27x25-26 ", // 26
    "- [\"svc\",\"y\"] 15x25-27 /ACT|path|what this path routes to now|25-27:/ACT||0|/$", // 27
    "- [\"svc\",\"y\"] 15x25-28 ", // 28
    "- - 0x /svc|path|a prefix of the tested dtab|29-29:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|29-29:/svc/x||100001|", // 29
    "- - 0x ", // 30
    "- - 0x /svc|path|a prefix of the tested dtab|29-31:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|29-31:/svc/x||100001|", // 31
    "- - 0x ", // 32
    "- - 0x /svc|path|a prefix of the tested dtab|29-33:/svc||100000| ; /svc/x|path|a prefix of the tested dtab|29-33:/svc/x||100001|", // 33
    "- - 0x ", // 34
    "- - 0x ", // 35
  ]],
];

describe('dtab-test completion at every offset', () => {
  for (const [text, rows] of DTAB_TEST_COMPLETION) {
    it(JSON.stringify(text), () => {
      const f = parseDtabTestFile(text);
      const got: string[] = [];
      for (let o = 0; o <= text.length; o++) {
        const a = assertionAt(f, o);
        const p = completionPath(f, o);
        const items = completeDtabTest(f, o, o % 2 ? TESTED : undefined, o % 3 ? undefined : '/ACT').filter((c) => !isNamer(c));
        const ns = completeDtabTest(f, o, TESTED).filter(isNamer).map((c) => `${c.edit!.span.start}-${c.edit!.span.end}`);
        got.push(`${a ? a.pathText : '-'} ${p ? JSON.stringify(p) : '-'} ${ns.length}x${[...new Set(ns)].join(',')} ${items.map(testItem).join(' ; ')}`);
      }
      assert.deepEqual(got, rows);
    });
  }
});

/** [text, source problem, every diagnostic, the accept edits of every outcome]. */
const DTAB_TEST_DIAGNOSTICS: [string, string | undefined, unknown, unknown][] = [
  ["/inet => /$/inet/127.1/9 @ 127.0.0.1:10\n/svc/a => /#/io.l5d.k8s/default/http/a @ 10.0.0.1:80\n/a/* => /b\n/x => /z\n/inet => /$/inet/127.1/9 @ 127.0.0.1:9\n", "src", [{"span":{"start":0,"end":39},"severity":"error","code":"test-source","message":"src"},{"span":{"start":9,"end":39},"severity":"error","code":"assertion-failed","message":"/inet: expected /$/inet/127.1/9 @ 127.0.0.1:10, got /$/inet/127.1/9 @ 127.0.0.1:9","fix":{"title":"Accept the actual result","edits":[{"span":{"start":9,"end":24},"text":"/$/inet/127.1/9"},{"span":{"start":25,"end":39},"text":"@ 127.0.0.1:9"}]}},{"span":{"start":50,"end":92},"severity":"information","code":"addresses-unchecked","message":"addresses not checked: a name is bound by a namer with no cluster data here (give a snapshot or a cluster)"},{"span":{"start":96,"end":97},"severity":"error","code":"test-path","message":"The path of an assertion is one name: `*` is only for dentry prefixes."},{"span":{"start":110,"end":112},"severity":"error","code":"assertion-failed","message":"/x: expected /z, got ~","fix":{"title":"Accept the actual result","edits":[{"span":{"start":110,"end":112},"text":"~"}]}}], [[{"span":{"start":9,"end":24},"text":"/$/inet/127.1/9"},{"span":{"start":25,"end":39},"text":"@ 127.0.0.1:9"}],[{"span":{"start":50,"end":78},"text":"/#/io.l5d.k8s/default/http/a"},{"span":{"start":79,"end":92},"text":""}],[{"span":{"start":110,"end":112},"text":"~"}],[{"span":{"start":122,"end":137},"text":"/$/inet/127.1/9"},{"span":{"start":138,"end":151},"text":"@ 127.0.0.1:9"}]]],
  ["/x => /z", "no newline", [{"span":{"start":0,"end":8},"severity":"error","code":"test-source","message":"no newline"},{"span":{"start":6,"end":8},"severity":"error","code":"assertion-failed","message":"/x: expected /z, got ~","fix":{"title":"Accept the actual result","edits":[{"span":{"start":6,"end":8},"text":"~"}]}}], [[{"span":{"start":6,"end":8},"text":"~"}]]],
  ["\n/x => /y", "empty first line", [{"span":{"start":0,"end":0},"severity":"error","code":"test-source","message":"empty first line"},{"span":{"start":7,"end":9},"severity":"error","code":"assertion-failed","message":"/x: expected /y, got ~","fix":{"title":"Accept the actual result","edits":[{"span":{"start":7,"end":9},"text":"~"}]}}], [[{"span":{"start":7,"end":9},"text":"~"}]]],
  ["# dtab: a.dtab\n/x => /z @ 1.2.3.4:5\n", undefined, [{"span":{"start":21,"end":35},"severity":"error","code":"assertion-failed","message":"/x: expected /z @ 1.2.3.4:5, got ~","fix":{"title":"Accept the actual result","edits":[{"span":{"start":21,"end":23},"text":"~"},{"span":{"start":24,"end":35},"text":""}]}}], [[{"span":{"start":21,"end":23},"text":"~"},{"span":{"start":24,"end":35},"text":""}]]],
];

describe('dtab-test diagnostics, whole', () => {
  const i = interpreterFor({});
  const d = lowerDtab(parseDtab('/svc => /#/io.l5d.k8s/default/http; /inet => /$/inet/127.1/9; /x => /y;'));
  for (const [text, source, diagnostics, edits] of DTAB_TEST_DIAGNOSTICS) {
    it(JSON.stringify(text), () => {
      const f = parseDtabTestFile(text);
      const out = runAssertionsSync(f, (p) => i.delegateSync(d, p));
      assert.deepEqual(dtabTestDiagnostics(f, out, source), diagnostics);
      assert.deepEqual(out.map((o) => acceptEdits(o) ?? null), edits);
    });
  }
  it('without outcomes: only the file\'s problems', () => {
    const f = parseDtabTestFile('/a/* => /b\n/x => /z\n');
    assert.deepEqual(dtabTestDiagnostics(f, undefined), [{ span: { start: 3, end: 4 }, severity: 'error', code: 'test-path', message: 'The path of an assertion is one name: `*` is only for dentry prefixes.' }]);
  });
});

/** [text, symbols, folds, suggested paths, selection spans at every offset]. */
const STRUCTURE: [string, unknown, unknown, string[], string[]][] = [
  ["# try /svc/a, /svc/b. and (/x/y) \"/q\" `/r`; /z! /w?: x/y / /a//b /ok\n/svc => /host ;\n/host/world => /$/inet/1/2 | /h2 ;\n/a/*/c => /d ;\n/bad => /b /c\n", [{"name":"/svc","detail":"=> /host","span":{"start":69,"end":84},"selection":{"start":69,"end":73}},{"name":"/host/world","detail":"=> /$/inet/1/2 | /h2","span":{"start":85,"end":119},"selection":{"start":85,"end":96}},{"name":"/a/*/c","detail":"=> /d","span":{"start":120,"end":134},"selection":{"start":120,"end":126}},{"name":"/bad","detail":"=> /b","span":{"start":135,"end":145},"selection":{"start":135,"end":139}}], [], ["/svc","/host/world","/bad","/svc/world","/svc/a","/svc/b","/x/y","/q","/r","/z","/w","/ok","/host","/h2","/d","/b"], ["0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","0-149","69-73,69-84,0-149","70-73,69-73,69-84,0-149","70-73,69-73,69-84,0-149","70-73,69-73,69-84,0-149","70-73,69-73,69-84,0-149","74-76,69-84,0-149","74-76,69-84,0-149","74-76,69-84,0-149","77-82,69-84,0-149","78-82,77-82,69-84,0-149","78-82,77-82,69-84,0-149","78-82,77-82,69-84,0-149","78-82,77-82,69-84,0-149","78-82,77-82,69-84,0-149","0-149","0-149","85-96,85-119,0-149","86-90,85-96,85-119,0-149","86-90,85-96,85-119,0-149","86-90,85-96,85-119,0-149","86-90,85-96,85-119,0-149","86-90,85-96,85-119,0-149","91-96,85-96,85-119,0-149","91-96,85-96,85-119,0-149","91-96,85-96,85-119,0-149","91-96,85-96,85-119,0-149","91-96,85-96,85-119,0-149","91-96,85-96,85-119,0-149","97-99,85-119,0-149","97-99,85-119,0-149","97-99,85-119,0-149","100-111,100-117,85-119,0-149","101-102,100-111,100-117,85-119,0-149","101-102,100-111,100-117,85-119,0-149","103-107,100-111,100-117,85-119,0-149","103-107,100-111,100-117,85-119,0-149","103-107,100-111,100-117,85-119,0-149","103-107,100-111,100-117,85-119,0-149","103-107,100-111,100-117,85-119,0-149","108-109,100-111,100-117,85-119,0-149","108-109,100-111,100-117,85-119,0-149","110-111,100-111,100-117,85-119,0-149","110-111,100-111,100-117,85-119,0-149","100-117,85-119,0-149","100-117,85-119,0-149","114-117,100-117,85-119,0-149","115-117,114-117,100-117,85-119,0-149","115-117,114-117,100-117,85-119,0-149","115-117,114-117,100-117,85-119,0-149","0-149","0-149","120-126,120-134,0-149","121-122,120-126,120-134,0-149","121-122,120-126,120-134,0-149","123-124,120-126,120-134,0-149","123-124,120-126,120-134,0-149","125-126,120-126,120-134,0-149","125-126,120-126,120-134,0-149","127-129,120-134,0-149","127-129,120-134,0-149","127-129,120-134,0-149","130-132,120-134,0-149","131-132,130-132,120-134,0-149","131-132,130-132,120-134,0-149","0-149","0-149","135-139,135-145,0-149","136-139,135-139,135-145,0-149","136-139,135-139,135-145,0-149","136-139,135-139,135-145,0-149","136-139,135-139,135-145,0-149","140-142,135-145,0-149","140-142,135-145,0-149","140-142,135-145,0-149","143-145,135-145,0-149","144-145,143-145,135-145,0-149","144-145,143-145,135-145,0-149","146-148,0-149","146-148,0-149","146-148,0-149","0-149"]],
  ["# one\n/a => /b ;\n# two\n# three\n/c =>\n  /d ;\n/e => ;\n", [{"name":"/a","detail":"=> /b","span":{"start":6,"end":16},"selection":{"start":6,"end":8}},{"name":"/c","detail":"=> /d","span":{"start":31,"end":43},"selection":{"start":31,"end":33}},{"name":"/e","detail":"(syntax error)","span":{"start":44,"end":49},"selection":{"start":44,"end":46}}], [{"startLine":2,"endLine":3,"kind":"comment"},{"startLine":4,"endLine":5,"kind":"region"}], ["/a","/c","/b","/d"], ["0-52","0-52","0-52","0-52","0-52","0-52","6-8,6-16,0-52","7-8,6-8,6-16,0-52","7-8,6-8,6-16,0-52","9-11,6-16,0-52","9-11,6-16,0-52","9-11,6-16,0-52","12-14,6-16,0-52","13-14,12-14,6-16,0-52","13-14,12-14,6-16,0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","0-52","31-33,31-43,0-52","32-33,31-33,31-43,0-52","32-33,31-33,31-43,0-52","34-36,31-43,0-52","34-36,31-43,0-52","34-36,31-43,0-52","31-43,0-52","31-43,0-52","39-41,31-43,0-52","40-41,39-41,31-43,0-52","40-41,39-41,31-43,0-52","0-52","0-52","44-46,44-51,0-52","45-46,44-46,44-51,0-52","45-46,44-46,44-51,0-52","44-51,0-52","44-51,0-52","44-51,0-52","0-52","0-52","0-52"]],
  ["/a => /b ;", [{"name":"/a","detail":"=> /b","span":{"start":0,"end":10},"selection":{"start":0,"end":2}}], [], ["/a","/b"], ["0-2,0-10","1-2,0-2,0-10","1-2,0-2,0-10","3-5,0-10","3-5,0-10","3-5,0-10","6-8,0-10","7-8,6-8,0-10","7-8,6-8,0-10","0-10","0-10"]],
];

describe('outline, folding, suggestions and selection, whole', () => {
  for (const [text, syms, folds, paths, sel] of STRUCTURE) {
    it(JSON.stringify(text), () => {
      const a = analyzeDtab(text);
      assert.deepEqual(symbols(a), syms);
      assert.deepEqual(folding(a), folds);
      assert.deepEqual(suggestPaths(a), paths);
      const got: string[] = [];
      for (let o = 0; o <= text.length; o++) got.push(selectionSpans(a, o).map((x) => `${x.start}-${x.end}`).join(','));
      assert.deepEqual(got, sel);
    });
  }
  it('a comment run at the end, and single comments, fold only when longer than a line', () => {
    assert.deepEqual(folding(analyzeDtab('# a\n/a => /b ;\n# b\n/c => /d ;\n# c\n# d\n')), [{ startLine: 4, endLine: 5, kind: 'comment' }]);
    assert.deepEqual(folding(analyzeDtab('/a => /b ;\n# only\n')), []);
  });
  it('suggests at most MAX_SUGGESTIONS paths', () => {
    assert.equal(MAX_SUGGESTIONS, 200);
    const n = (k: number) => Array.from({ length: k }, (_, i) => i);
    const text = n(205).map((i) => `/p${i} => /d${i} ;\n`).join('');
    assert.deepEqual(suggestPaths(analyzeDtab(text)), n(200).map((i) => `/p${i}`));
    const text2 = '# /c1 /c2\n' + n(198).map((i) => `/p${i} => /d${i} ;\n`).join('');
    assert.deepEqual(suggestPaths(analyzeDtab(text2)), [...n(198).map((i) => `/p${i}`), '/c1', '/c2']);
  });
});

/** [text, at every offset o: `edits of [o, o] | edits of [o, o + 3]`]. */
const RANGE_FORMAT: [string, string[]][] = [
  ["/a=>/b;\n/cc  =>  /d|/e ; # c\n/f => /g # in\n| /h ;\n/i=>/j;/k=>/l;\n",["0-7:/a   => /b ; | 0-7:/a   => /b ;","0-7:/a   => /b ; | 0-7:/a   => /b ;","0-7:/a   => /b ; | 0-7:/a   => /b ;","0-7:/a   => /b ; | 0-7:/a   => /b ;","0-7:/a   => /b ; | 0-7:/a   => /b ;","0-7:/a   => /b ; | 0-7:/a   => /b ; ; 8-24:/cc  => /d | /e ;","0-7:/a   => /b ; | 0-7:/a   => /b ; ; 8-24:/cc  => /d | /e ;","0-7:/a   => /b ; | 0-7:/a   => /b ; ; 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;","8-24:/cc  => /d | /e ; | 8-24:/cc  => /d | /e ;"," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | 50-57:/i   => /j ;"," | 50-57:/i   => /j ;"," | 50-57:/i   => /j ;","50-57:/i   => /j ; | 50-57:/i   => /j ;","50-57:/i   => /j ; | 50-57:/i   => /j ;","50-57:/i   => /j ; | 50-57:/i   => /j ;","50-57:/i   => /j ; | 50-57:/i   => /j ;","50-57:/i   => /j ; | 50-57:/i   => /j ; ; 57-64:/k   => /l ;","50-57:/i   => /j ; | 50-57:/i   => /j ; ; 57-64:/k   => /l ;","50-57:/i   => /j ; | 50-57:/i   => /j ; ; 57-64:/k   => /l ;","50-57:/i   => /j ; ; 57-64:/k   => /l ; | 50-57:/i   => /j ; ; 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;","57-64:/k   => /l ; | 57-64:/k   => /l ;"," | "]],
  ["/a=>/b;\n/c => /d /e\n",[" | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "," | "]],
];

describe('range formatting at every offset', () => {
  for (const [text, rows] of RANGE_FORMAT) {
    it(JSON.stringify(text), () => {
      const a = analyzeDtab(text);
      const got: string[] = [];
      for (let o = 0; o <= text.length; o++) got.push([o, o + 3].map((to) => formatRangeEdits(a, o, to).map((e) => `${e.span.start}-${e.span.end}:${e.text}`).join(' ; ')).join(' | '));
      assert.deepEqual(got, rows);
    });
  }
});

/** [text, every deep diagnostic]. */
const DEEP: [string, unknown][] = [
  ["/x => /y ;\n/x => /$/inet/127.1/80 ;\n",[{"span":{"start":0,"end":8},"severity":"warning","code":"unreachable-dentry","unnecessary":true,"message":"Never used: line 2 (`/x => /$/inet/127.1/80`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.","related":[{"span":{"start":11,"end":33},"message":"the dentry that always answers first"}]}]],
  ["/a/b => /c ;\n/a => /$/inet/127.1/80 ;\n/q => /q ;\n",[{"span":{"start":0,"end":10},"severity":"warning","code":"unreachable-dentry","unnecessary":true,"message":"Never used: line 2 (`/a => /$/inet/127.1/80`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.","related":[{"span":{"start":13,"end":35},"message":"the dentry that always answers first"}]},{"span":{"start":38,"end":40},"severity":"warning","code":"delegation-cycle","message":"Delegation loops: `/q` → `/q` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\")."}]],
  ["/a => /b ;\n/b => /c/x ;\n/c => /a ;\n/q => /q/r ;\n",[{"span":{"start":0,"end":2},"severity":"warning","code":"delegation-cycle","message":"Delegation loops: `/a` → `/b` → `/c/x` → `/a/x` → `/b/x` → `/c/x/x` → `/a/x/x` → `/b/x/x` → `/c/x/x/x` → `/a/x/x/x` → `/b/x/x/x` → `/c/x/x/x/x` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\")."},{"span":{"start":11,"end":13},"severity":"warning","code":"delegation-cycle","message":"Delegation loops: `/b` → `/c/x` → `/a/x` → `/b/x` → `/c/x/x` → `/a/x/x` → `/b/x/x` → `/c/x/x/x` → `/a/x/x/x` → `/b/x/x/x` → `/c/x/x/x/x` → `/a/x/x/x/x` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\")."},{"span":{"start":24,"end":26},"severity":"warning","code":"delegation-cycle","message":"Delegation loops: `/c` → `/a` → `/b` → `/c/x` → `/a/x` → `/b/x` → `/c/x/x` → `/a/x/x` → `/b/x/x` → `/c/x/x/x` → `/a/x/x/x` → `/b/x/x/x` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\")."},{"span":{"start":35,"end":37},"severity":"warning","code":"delegation-cycle","message":"Delegation loops: `/q` → `/q/r` → `/q/r/r` → `/q/r/r/r` → `/q/r/r/r/r` → `/q/r/r/r/r/r` → `/q/r/r/r/r/r/r` → `/q/r/r/r/r/r/r/r` → `/q/r/r/r/r/r/r/r/r` → `/q/r/r/r/r/r/r/r/r/r` → `/q/r/r/r/r/r/r/r/r/r/r` → `/q/r/r/r/r/r/r/r/r/r/r/r` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\")."}]],
  ["/x => /y ;\n/x => /z ;\n/p => /p ;\n",[{"span":{"start":22,"end":24},"severity":"warning","code":"delegation-cycle","message":"Delegation loops: `/p` → `/p` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\")."}]],
];

describe('deep diagnostics, whole', () => {
  for (const [text, diagnostics] of DEEP) {
    it(JSON.stringify(text), async () => {
      assert.deepEqual(deepDiagnosticsSync(analyzeDtab(text)), diagnostics);
      assert.deepEqual(await deepDiagnostics(analyzeDtab(text)), diagnostics);
    });
  }
});

describe('completion context at every offset, among many comments', () => {
  it('none inside each comment, up to its end', () => {
    const text = "# 1\n/a => /b ; # 2\n# 3\n/c => /d ; # 4\n# 5\n# 6\n/e => /f ;# 7\n";
    const a = analyzeDtab(text);
    const got: string[] = [];
    for (let o = 0; o <= text.length; o++) {
      const c = completionContext(a, o);
      got.push(c.kind + ('token' in c ? String(c.token) : ''));
    }
    assert.deepEqual(got, ["prefix0","none","none","none","prefix4","prefix4","prefix4","arrow","none","term9","term10","term10","term10","operator","prefix14","prefix15","none","none","none","prefix19","none","none","none","prefix23","prefix23","prefix23","arrow","none","term28","term29","term29","term29","operator","prefix33","prefix34","none","none","none","prefix38","none","none","none","prefix42","none","none","none","prefix46","prefix46","prefix46","arrow","none","term51","term52","term52","term52","operator","prefix56","none","none","none","prefix60"]);
  });
});

describe('analysis with a line mapper', () => {
  it('lines come from lineOf', async () => {
    const a = analyzeDtab('# c\n/a => /b ;\n/a => /c ;\n', { lineOf: (o) => o * 10 });
    assert.equal(a.line(5), 50);
    assert.deepEqual([a.lineOf(0), a.lineOf(1)], [41, 151]);
    assert.deepEqual(folding(a), [
      { startLine: 40, endLine: 120, kind: 'region' },
      { startLine: 150, endLine: 230, kind: 'region' },
    ]);
    assert.equal((await hover(a, 16, interpreterFor()))?.markdown, '**`/a => /c`**\n\nRequests for `/a/…` are sent to `/c/…`.\n\nLater dentries are tried first: for these requests this one is tried before line 41 (`/a => /b`), which is only used if this one is negative.');
  });
});

describe('dtab-test: a delegation that fails has nothing to accept', () => {
  it('no fix on the diagnostic, no accept edits', () => {
    const d = lowerDtab(parseDtab('/x => /x;'));
    const f = parseDtabTestFile('/x => /y\n');
    const i = interpreterFor({});
    const out = runAssertionsSync(f, (p) => i.delegateSync(d, p));
    assert.deepEqual(dtabTestDiagnostics(f, out), [{ span: { start: 6, end: 8 }, severity: 'error', code: 'assertion-failed', message: '/x: expected /y, got fails: Max recursion level reached.' }]);
    assert.deepEqual(out.map((o) => acceptEdits(o)), [undefined]);
  });
});
