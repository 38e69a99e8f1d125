// The trace waterfall page (client/trace-html.ts, no VS Code needed): hostile span names, services
// and tags are escaped exactly; no tag or attribute from the data survives; links go only to the
// "Delegate path…" command with the value as its JSON argument; the CSP allows no script.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traceView, type ZipkinSpan } from '../../core/index.js';
import { traceHtml } from '../../client/trace-html.js';
import { linkerdTrace } from '../zipkin/standin.js';

const T = '00000000000000ab';
const NONCE = 'bm9uY2Vub25jZQ==';

const hostile: ZipkinSpan[] = [
  {
    traceId: T,
    id: '0000000000000001',
    name: '<img src=x onerror=alert(1)>',
    kind: 'SERVER',
    timestamp: 1000,
    duration: 4000,
    localEndpoint: { serviceName: '</script><script>alert(1)</script>' },
    tags: { service: 'javascript:alert(1)', client: '/svc/"onmouseover="alert(1)', residual: "/'><svg onload=alert(1)>", 'dtab.local': '/svc/x=>/$/inet/"\'<b>', '<b onclick=x>': '"&amp;' },
  },
  { traceId: T, id: '0000000000000002', parentId: '0000000000000001', name: 'get /', kind: 'CLIENT', timestamp: 2000, duration: 1000, localEndpoint: { serviceName: '#/io.l5d.fs/dog' }, tags: { 'http.rsp.status': '503' } },
];

const ROW0 =
  '<div class="row" id="r0"><div class="label"><span class="name">&lt;img src=x onerror=alert(1)&gt;</span> <span class="service">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span> <span class="kind">SERVER</span></div>' +
  '<div class="track"><div class="bar"></div><span class="dur">4ms</span></div>' +
  '<dl class="l5d"><dt>service</dt><dd><code>javascript:alert(1)</code></dd>' +
  '<dt>client</dt><dd><a href="command:linkerdDtab.delegatePath?%5B%22%2Fsvc%2F%5C%22onmouseover%3D%5C%22alert(1)%22%5D" title="Delegate this path through the dtab in the editor"><code>/svc/&quot;onmouseover=&quot;alert(1)</code></a></dd>' +
  '<dt>residual</dt><dd><code>/&#39;&gt;&lt;svg onload=alert(1)&gt;</code></dd>' +
  '<dt>dtab.local</dt><dd><code>/svc/x=&gt;/$/inet/&quot;&#39;&lt;b&gt;</code></dd></dl>' +
  '<details><summary>5 tags</summary><table><tr><th>&lt;b onclick=x&gt;</th><td><code>&quot;&amp;amp;</code></td></tr><tr><th>client</th><td><code>/svc/&quot;onmouseover=&quot;alert(1)</code></td></tr>' +
  '<tr><th>dtab.local</th><td><code>/svc/x=&gt;/$/inet/&quot;&#39;&lt;b&gt;</code></td></tr><tr><th>residual</th><td><code>/&#39;&gt;&lt;svg onload=alert(1)&gt;</code></td></tr>' +
  '<tr><th>service</th><td><code>javascript:alert(1)</code></td></tr></table></details></div>';

const ROW1 =
  '<div class="row error" id="r1"><div class="label"><span class="name">get /</span> <span class="service">#/io.l5d.fs/dog</span> <span class="kind">CLIENT</span></div>' +
  '<div class="track"><div class="bar"></div><span class="dur">1ms</span></div><div class="failure">status 503</div>' +
  '<dl class="l5d"><dt>client</dt><dd><a href="command:linkerdDtab.delegatePath?%5B%22%2F%23%2Fio.l5d.fs%2Fdog%22%5D" title="Delegate this path through the dtab in the editor"><code>/#/io.l5d.fs/dog</code></a></dd><dt>status</dt><dd>503</dd></dl>' +
  '<details><summary>1 tag</summary><table><tr><th>http.rsp.status</th><td><code>503</code></td></tr></table></details></div>';

/** Every element and attribute name in the page. */
function markup(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const m of html.matchAll(/<\/?([a-zA-Z!][\w-]*)([^>]*)>/g)) {
    tags.add(m[1]!.toLowerCase());
    for (const a of m[2]!.matchAll(/\s([a-zA-Z-]+)(?==)/g)) attributes.add(a[1]!.toLowerCase());
  }
  return { tags, attributes };
}

describe('traceHtml', () => {
  const html = traceHtml(traceView(hostile), NONCE, 'vscode-webview://x');

  it('escapes hostile names, services and tags exactly', () => {
    assert.ok(html.includes(`\n${ROW0}\n${ROW1}\n`), html);
    assert.ok(html.includes('<title>Trace 00000000000000ab</title>'));
    assert.ok(html.includes('<p class="summary">2 spans · 4ms · 1970-01-01T00:00:00.001Z · <span class="bad">1 failed</span></p>'));
  });

  it('no element or attribute from the data survives; the CSP allows no script', () => {
    const { tags, attributes } = markup(html);
    assert.deepEqual([...tags].sort(), ['!doctype', 'a', 'body', 'code', 'dd', 'details', 'div', 'dl', 'dt', 'h1', 'head', 'html', 'meta', 'p', 'span', 'style', 'summary', 'table', 'td', 'th', 'title', 'tr']);
    assert.deepEqual([...attributes].sort(), ['charset', 'class', 'content', 'href', 'http-equiv', 'id', 'lang', 'nonce', 'title']);
    assert.doesNotMatch(html, /<(script|img|svg|b)\b/i);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${NONCE}';">`));
    assert.equal(html.match(/<style nonce="bm9uY2Vub25jZQ==">/g)?.length, 1);
  });

  it('links only to Delegate path…, only for paths, with the value as the JSON argument', () => {
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
    assert.equal(hrefs.length, 2);
    for (const h of hrefs) assert.ok(h.startsWith('command:linkerdDtab.delegatePath?'), h);
    assert.deepEqual(hrefs.map((h) => JSON.parse(decodeURIComponent(h.slice(h.indexOf('?') + 1)))), [['/svc/"onmouseover="alert(1)'], ['/#/io.l5d.fs/dog']]);
    assert.doesNotMatch(html, /href="javascript:/i);
    // A value that does not look like a path is text.
    assert.ok(html.includes('<dt>service</dt><dd><code>javascript:alert(1)</code></dd>'));
  });

  it('bars from offsets and durations, indentation by depth, as CSS in the nonce\'d style', () => {
    assert.ok(html.includes('#r0 .label{padding-left:0px}#r0 .bar{margin-left:0%;width:100%}\n#r1 .label{padding-left:12px}#r1 .bar{margin-left:25%;width:25%}\n</style>'));
    assert.doesNotMatch(html, /style="/);
  });

  it('a Linkerd trace: shared spans, cut rows, and a view with bad numbers stays well-formed', () => {
    const view = traceView(linkerdTrace({ traceId: T, startUs: 0, attempts: [{ status: 200, durationUs: 1000 }], downstream: 'dog' }) as unknown as ZipkinSpan[], 2);
    const page = traceHtml(view, NONCE, '');
    assert.ok(page.includes('<span class="kind">CLIENT</span>'));
    assert.ok(page.includes('<p class="cut">1 more spans are not shown (the first 2 are).</p>'));
    const broken = traceHtml({ ...view, durationUs: Number.NaN, rows: view.rows.map((r) => ({ ...r, offsetUs: -5, durationUs: 1e99, depth: 1e9 })) }, NONCE, '');
    assert.ok(broken.includes('#r0 .label{padding-left:480px}#r0 .bar{margin-left:0%;width:0.2%}'));
    assert.throws(() => traceHtml(view, '"><script>', ''), /the nonce must be base64/);
  });
});
