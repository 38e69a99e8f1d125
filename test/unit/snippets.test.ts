// The snippets in snippets/linkerd-dtab.code-snippets: each body, expanded the way VS Code inserts it
// when every placeholder keeps its default, must be a dtab without a single error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDtab } from '../../core/index.js';

const file = join(__dirname, '..', '..', 'snippets', 'linkerd-dtab.code-snippets');

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
  scope?: string;
}

// ---- VS Code snippet syntax, reduced to "what is inserted when every default is kept" -------------
// any         ::= tabstop | placeholder | choice | variable | text
// tabstop     ::= '$' int | '${' int '}'
// placeholder ::= '${' int ':' any* '}'
// choice      ::= '${' int '|' text (',' text)* '|}'
// variable    ::= '$' var | '${' var '}' | '${' var ':' any* '}'
// text: `\$`, `\}` and `\\` are escapes; a `$` that starts none of the above is literal.

type Node = { kind: 'text'; text: string } | { kind: 'tab'; index: number; children: Node[] | undefined } | { kind: 'var'; children: Node[] };

function parseSnippet(src: string): Node[] {
  let i = 0;
  function parse(inPlaceholder: boolean): Node[] {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', text });
      text = '';
    };
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\' && i + 1 < src.length && '$}\\'.includes(src[i + 1]!)) {
        text += src[i + 1];
        i += 2;
      } else if (c === '}' && inPlaceholder) {
        break;
      } else if (c === '$') {
        const m = /^\$(?:(\d+)|([_a-zA-Z]\w*)|\{(\d+)(?=[}:|])|\{([_a-zA-Z]\w*)(?=[}:]))/.exec(src.slice(i));
        if (!m) {
          text += c;
          i++;
          continue;
        }
        flush();
        i += m[0].length;
        if (m[1] !== undefined) nodes.push({ kind: 'tab', index: Number(m[1]), children: undefined });
        else if (m[2] !== undefined) nodes.push({ kind: 'var', children: [] });
        else {
          const index = m[3] !== undefined ? Number(m[3]) : undefined;
          let children: Node[] | undefined;
          if (src[i] === ':') {
            i++;
            children = parse(true);
          } else if (src[i] === '|') {
            const end = src.indexOf('|}', i);
            assert.ok(end > i, `unterminated choice in ${JSON.stringify(src)}`);
            children = [{ kind: 'text', text: src.slice(i + 1, end).split(',')[0]!.replace(/\\([,|\\])/g, '$1') }];
            i = end + 1;
          }
          assert.equal(src[i], '}', `unterminated \${...} in ${JSON.stringify(src)}`);
          i++;
          nodes.push(index === undefined ? { kind: 'var', children: children ?? [] } : { kind: 'tab', index, children });
        }
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return nodes;
  }
  const nodes = parse(false);
  assert.equal(i, src.length, `stray \`}\` at ${i} in ${JSON.stringify(src)}`);
  return nodes;
}

/** The text VS Code inserts when the user accepts every default (mirrors take their placeholder's default). */
function expandDefaults(body: string): string {
  const nodes = parseSnippet(body);
  const defaults = new Map<number, Node[]>();
  const collect = (ns: Node[]) => {
    for (const n of ns) {
      if (n.kind === 'tab' && n.children && !defaults.has(n.index)) defaults.set(n.index, n.children);
      if (n.kind !== 'text' && n.children) collect(n.children);
    }
  };
  collect(nodes);
  const render = (ns: Node[], seen: number[]): string =>
    ns
      .map((n) => {
        if (n.kind === 'text') return n.text;
        if (n.kind === 'var') return render(n.children, seen);
        if (n.index === 0 || seen.includes(n.index)) return '';
        return render(n.children ?? defaults.get(n.index) ?? [], [...seen, n.index]);
      })
      .join('');
  return render(nodes, []);
}

const snippets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Snippet>;
const bodyText = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

describe('snippet expansion (the helper itself)', () => {
  it('keeps defaults, fills mirrors from their placeholder, drops $0 and unescapes `\\$`', () => {
    assert.equal(expandDefaults('/svc/${1} => /srv/${1:name}-${2|v1,v2|} | /\\$/inet/$3 ;$0'), '/svc/name => /srv/name-v1 | /$/inet/ ;');
    assert.equal(expandDefaults('${1:a${2:b}c} $2'), 'abc b');
    assert.equal(expandDefaults('/$/inet/${TM_FILENAME:x}'), '/$/inet/x');
  });

  it('would catch a snippet whose defaults do not form a dtab', () => {
    assert.ok(parseDtab(expandDefaults('/svc/${1} => /srv/${1} ;')).errors.length > 0, 'a placeholder without a default leaves `/svc/`');
  });
});

describe('snippets/linkerd-dtab.code-snippets', () => {
  it('has the expected snippets, each with a prefix, a description and the dtab scope', () => {
    const names = Object.keys(snippets);
    for (const wanted of [/kubernetes/i, /canary/i, /fallback/i, /l5d-dtab/i, /namerd/i]) {
      assert.ok(names.some((n) => wanted.test(n)), `a snippet matching ${wanted}`);
    }
    for (const [name, s] of Object.entries(snippets)) {
      const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
      assert.ok(prefixes.length > 0 && prefixes.every((p) => /^[\w-]+$/.test(p)), `${name}: prefixes ${prefixes.join(', ')}`);
      assert.ok((s.description ?? '').length >= 40, `${name}: a clear description`);
      assert.equal(s.scope, 'linkerd-dtab', `${name}: scope`);
      assert.ok(/\$\{1:[^}]+\}/.test(bodyText(s)), `${name}: has a first placeholder with a default`);
    }
  });

  for (const [name, s] of Object.entries(snippets)) {
    it(`"${name}" expands to a valid dtab`, () => {
      const text = expandDefaults(bodyText(s));
      const parsed = parseDtab(text);
      assert.deepEqual(
        parsed.errors.map((e) => e.message),
        [],
        `expanded body:\n${text}`,
      );
      assert.ok(parsed.entries.length >= 1, `at least one dentry in:\n${text}`);
      assert.ok(parsed.entries.every((e) => e.kind === 'dentry'));
    });
  }

  it('the canary, fallback and Kubernetes snippets expand to the documented dtabs', () => {
    const byName = (re: RegExp) => expandDefaults(bodyText(Object.entries(snippets).find(([n]) => re.test(n))![1])).trim();
    assert.equal(byName(/canary/i), '/svc/name => 9 * /srv/name-v1 & 1 * /srv/name-v2 ;');
    assert.equal(byName(/fallback/i), '/svc/name => /srv/name | /$/inet/127.1/8080 ;');
    assert.equal(byName(/kubernetes/i), '/srv  => /#/io.l5d.k8s/default/http ;\n/host => /srv ;\n/svc  => /host ;');
  });
});
