// The "Test this override" page: every string that came from the network is escaped, the page runs
// no script, and its CSP allows nothing but its own nonce'd style.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, pageHtml } from '../../client/response-html.js';
import type { ResponseView, TestOverrideResult } from '../../protocol/messages.js';

const HOSTILE = `"><img src=x onerror=alert(1)></script><script>alert(2)</script>'javascript:alert(3)`;

function view(over: Partial<ResponseView> = {}): ResponseView {
  return {
    status: 200,
    statusText: 'OK',
    timeMs: 12.5,
    bytes: 7,
    truncated: false,
    headers: [{ name: 'l5d-dst-client', value: '/$/inet/127.1/7777', meaning: 'the bound id' }],
    body: '{"a":1}',
    sent: { method: 'GET', url: 'http://127.0.0.1:4140/', headers: [['Host', 'world']] },
    ...over,
  };
}

describe('the Test this override page', () => {
  it('escapes &, <, >, quotes', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('has a CSP with no script source and its style nonce, and no script element', () => {
    const html = pageHtml({ ok: true, override: '/a=>/b', withOverride: view() }, { url: 'http://127.0.0.1:4140', headers: { Host: 'world' } }, 'N0nce');
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-N0nce';">`));
    assert.ok(html.includes('<style nonce="N0nce">'));
    assert.doesNotMatch(html, /<script/i);
    assert.ok(html.includes('<h1>GET http://127.0.0.1:4140/ (Host: world)</h1>'));
    assert.ok(html.includes('<p class="status ok"><span class="code">200</span> OK · 12.5 ms · 7 bytes</p>'));
    assert.ok(html.includes('<tr><th>l5d-dst-client</th><td><code>/$/inet/127.1/7777</code><div class="meaning">the bound id</div></td></tr>'));
  });

  it('links the request id to its trace when Zipkin is configured (and only a hex id)', () => {
    const withId = view({ headers: [{ name: 'l5d-reqid', value: '0123456789abcdef' }] });
    const html = pageHtml({ ok: true, override: '/a=>/b', withOverride: withId }, { url: 'http://x' }, 'n', true);
    assert.ok(html.includes(' · <a href="command:linkerdDtab.showTraces?%5B%220123456789abcdef%22%5D" title="Open this request\'s trace from Zipkin">Open trace 0123456789abcdef</a></p>'), html);
    assert.doesNotMatch(pageHtml({ ok: true, override: '/a=>/b', withOverride: withId }, { url: 'http://x' }, 'n', false), /Open trace/);
    const bad = view({ headers: [{ name: 'l5d-reqid', value: '"><script>' }] });
    assert.doesNotMatch(pageHtml({ ok: true, override: '/a=>/b', withOverride: bad }, { url: 'http://x' }, 'n', true), /Open trace|<script>/);
  });

  it('escapes hostile data everywhere it comes from the network or the settings', () => {
    const result: TestOverrideResult = {
      ok: true,
      override: HOSTILE,
      withOverride: view({ statusText: HOSTILE, body: HOSTILE, headers: [{ name: HOSTILE, value: HOSTILE, meaning: HOSTILE }], sent: { method: HOSTILE, url: HOSTILE, headers: [[HOSTILE, HOSTILE]] } }),
      without: { error: HOSTILE },
    };
    const html = pageHtml(result, { url: HOSTILE, path: HOSTILE, headers: { Host: HOSTILE } }, 'n');
    const escaped = escapeHtml(HOSTILE);
    assert.equal(escaped, '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&#39;javascript:alert(3)');
    assert.doesNotMatch(html, /<script|<img|onerror=alert\(1\)>/i);
    // Every occurrence is the escaped text (statusText, body, header name/value/meaning, sent, error, title).
    assert.ok(html.split(escaped).length - 1 >= 10, html);
    const failed = pageHtml({ ok: false, kind: 'network', message: HOSTILE }, { url: 'http://x' }, 'n');
    assert.ok(failed.includes(`<p class="error">${escaped}</p>`));
    assert.doesNotMatch(failed, /<img/);
  });
});
