// Exact values for core/ide (completion, hover, navigation, structure, dtab tests, deep
// diagnostics, formatting): whole item lists, whole Markdown, whole spans, so that a mutant of a
// bound, a word or a branch fails. Complements mutation-ide.test.ts and ide.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeDtab,
  complete,
  completionContext,
  MAX_NAMES,
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
