// The TextMate grammars in syntaxes/, run through the real engine VS Code uses (vscode-textmate +
// vscode-oniguruma), together with the Markdown and YAML grammars VS Code 1.100 ships (taken from the
// @codingame/monaco-vscode-*-default-extension@17.0.0 packages, which repackage VS Code 1.100's
// built-in extensions unchanged). devDependencies: vscode-textmate@9.2.0 and vscode-oniguruma@1.7.0 (the
// versions VS Code 1.100 bundles), @codingame/monaco-vscode-yaml-default-extension@17.0.0 and
// @codingame/monaco-vscode-markdown-basics-default-extension@17.0.0 (exact pins: they are data).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';
import fc from 'fast-check';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { parseDtab, type Span } from '../../core/index.js';
import { dtab as validDtab } from '../support/arbitraries.js';

const root = join(__dirname, '..', '..');
const syntaxes = join(root, 'syntaxes');
// VS Code 1.100's own Markdown and YAML grammars, vendored (see test/fixtures/vscode-grammars/NOTICE.md).
const yamlDir = join(root, 'test', 'fixtures', 'vscode-grammars');
const markdownDir = yamlDir;

const grammarFiles: Record<string, string> = {
  'source.linkerd-dtab': join(syntaxes, 'linkerd-dtab.tmLanguage.json'),
  'markdown.dtab.codeblock': join(syntaxes, 'markdown-dtab.injection.tmLanguage.json'),
  'yaml.dtab.injection': join(syntaxes, 'yaml-dtab.injection.tmLanguage.json'),
  'text.html.markdown': join(markdownDir, 'markdown.tmLanguage.json'),
  'source.yaml': join(yamlDir, 'yaml.tmLanguage.json'),
  'source.yaml.1.0': join(yamlDir, 'yaml-1.0.tmLanguage.json'),
  'source.yaml.1.1': join(yamlDir, 'yaml-1.1.tmLanguage.json'),
  'source.yaml.1.2': join(yamlDir, 'yaml-1.2.tmLanguage.json'),
  'source.yaml.1.3': join(yamlDir, 'yaml-1.3.tmLanguage.json'),
  'source.yaml.embedded': join(yamlDir, 'yaml-embedded.tmLanguage.json'),
};

const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
const onigLib: Promise<vsctm.IOnigLib> = oniguruma
  .loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength))
  .then(() => ({
    createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  }));

interface Contributes {
  grammars: { language?: string; scopeName: string; path: string; injectTo?: string[]; embeddedLanguages?: Record<string, string> }[];
  snippets?: { language: string; path: string }[];
}
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
/** The grammars and snippets as package.json contributes them (what VS Code loads). */
const contributes = readJson<{ contributes: Contributes }>(join(root, 'package.json')).contributes;

/** A registry like VS Code's: the injection grammars go where `injectTo` says. */
function registry(withInjections: boolean): vsctm.Registry {
  return new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      const file = grammarFiles[scopeName];
      return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) =>
      withInjections ? contributes.grammars.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName) : undefined,
  });
}
const registries = { on: registry(true), off: registry(false) };

interface Tok {
  line: number;
  /** Offset of the token in the whole text. */
  offset: number;
  text: string;
  scopes: string[];
}

async function tokenize(scopeName: string, text: string, injections = true): Promise<Tok[]> {
  const grammar = await (injections ? registries.on : registries.off).loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  const out: Tok[] = [];
  let state = vsctm.INITIAL;
  let lineStart = 0;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end > t.startIndex) out.push({ line: i, offset: lineStart + t.startIndex, text: line.slice(t.startIndex, end), scopes: t.scopes });
    }
    lineStart += line.length + 1;
  });
  return out;
}

/** The `nth` token of line `line` whose text is exactly `text`. */
function find(toks: Tok[], line: number, text: string, nth = 0): Tok {
  const hits = toks.filter((t) => t.line === line && t.text === text);
  const hit = hits[nth];
  if (!hit) {
    const onLine = toks.filter((t) => t.line === line).map((t) => JSON.stringify(t.text)).join(' ');
    assert.fail(`no token ${JSON.stringify(text)} (#${nth}) on line ${line}; tokens there: ${onLine}`);
  }
  return hit;
}

const D = 'source.linkerd-dtab';
const DENTRY = 'meta.dentry.linkerd-dtab';
const DST = 'meta.destination.linkerd-dtab';
// Prefixes are entity.name.namespace and destination paths string.*: VS Code's default themes give
// them different colours (Light+: #267f99 / #a31515, Dark+: #4ec9b0 / #ce9178). entity.name.tag,
// used before, is #800000 in Light+: next to the #a31515 of strings the two looked the same.
const PREFIX = 'entity.name.namespace.prefix.linkerd-dtab';
const PATH = 'string.unquoted.path.linkerd-dtab';
const SEP = 'punctuation.separator.path.linkerd-dtab';
const COMMENT = 'comment.line.number-sign.linkerd-dtab';
const COMMENT_START = 'punctuation.definition.comment.linkerd-dtab';

/** Scopes of a token of a one-grammar dtab text. */
async function scopes(text: string, line: number, token: string, nth = 0): Promise<string[]> {
  return find(await tokenize(D, text), line, token, nth).scopes;
}

const isDtabScope = (s: string) => s.endsWith('.linkerd-dtab');
const lineHasDtab = (toks: Tok[], line: number) => toks.some((t) => t.line === line && t.text.trim() !== '' && t.scopes.some(isDtabScope));
const invalid = (toks: Tok[]) => toks.filter((t) => t.scopes.some((s) => s.startsWith('invalid.')));

describe('dtab grammar: comments and `#`', () => {
  it('`#` right after `/` or inside a label is a label character; after whitespace it starts a comment', async () => {
    const src = '/#foo => /b#c  # note';
    assert.deepEqual(await scopes(src, 0, '#foo'), [D, DENTRY, PREFIX]);
    assert.deepEqual(await scopes(src, 0, 'b#c'), [D, DENTRY, DST, PATH]);
    assert.deepEqual(await scopes(src, 0, '#'), [D, DENTRY, DST, COMMENT, COMMENT_START]);
    assert.deepEqual(await scopes(src, 0, ' note'), [D, DENTRY, DST, COMMENT]);
  });

  it('`/a #c` is a path and a comment; `/#/io.l5d.k8s` is a path', async () => {
    const toks = await tokenize(D, '/x => /a #c ;\n/y => /#/io.l5d.k8s ;');
    assert.deepEqual(find(toks, 0, 'a').scopes, [D, DENTRY, DST, PATH]);
    assert.deepEqual(find(toks, 0, 'c ;').scopes, [D, DENTRY, DST, COMMENT]);
    assert.ok(!toks.filter((t) => t.line === 1).some((t) => t.scopes.some((s) => s.startsWith('comment'))), 'no comment on line 2');
  });

  it('a comment line at the start, a commented-out dentry and a comment after `;`', async () => {
    const toks = await tokenize(D, '# a comment\n#/ignore=>/me;\n/a => /b ; #finalmente');
    assert.deepEqual(find(toks, 0, ' a comment').scopes, [D, COMMENT]);
    assert.deepEqual(find(toks, 1, '/ignore=>/me;').scopes, [D, COMMENT]);
    assert.deepEqual(find(toks, 2, 'finalmente').scopes, [D, COMMENT]);
    assert.deepEqual(find(toks, 2, ';').scopes, [D, DENTRY, 'punctuation.terminator.dentry.linkerd-dtab']);
  });

  it('`#` after the tokens `!` `~` `$` `)` and a weight starts a comment', async () => {
    const lines = ['/a => !#x', '| ~#y', '| $#z', '| (/b)#w', '| 2#v', '* /c ;'];
    const toks = await tokenize(D, lines.join('\n'));
    for (let i = 0; i < 5; i++) assert.deepEqual(find(toks, i, '#').scopes, [D, DENTRY, DST, COMMENT, COMMENT_START], lines[i]);
    assert.deepEqual(find(toks, 0, '!').scopes, [D, DENTRY, DST, 'constant.language.fail.linkerd-dtab']);
    assert.deepEqual(find(toks, 1, '~').scopes, [D, DENTRY, DST, 'constant.language.neg.linkerd-dtab']);
    assert.deepEqual(find(toks, 2, '$').scopes, [D, DENTRY, DST, 'constant.language.empty.linkerd-dtab']);
    assert.deepEqual(find(toks, 4, '2').scopes, [D, DENTRY, DST, 'constant.numeric.weight.linkerd-dtab']);
    assert.equal(parseDtab(lines.join('\n')).errors.length, 0);
  });
});

describe('dtab grammar: dentries', () => {
  it('prefix, `=>` and destination get their own scopes', async () => {
    const toks = await tokenize(D, '/svc/web => /srv/web ;');
    assert.deepEqual(find(toks, 0, '/').scopes, [D, DENTRY, PREFIX, SEP]);
    assert.deepEqual(find(toks, 0, 'svc').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 0, 'web').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 0, '=>').scopes, [D, DENTRY, 'keyword.operator.arrow.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'srv').scopes, [D, DENTRY, DST, PATH]);
    assert.deepEqual(find(toks, 0, '/', 2).scopes, [D, DENTRY, DST, PATH, SEP]);
    assert.deepEqual(find(toks, 0, ';').scopes, [D, DENTRY, 'punctuation.terminator.dentry.linkerd-dtab']);
  });

  it('prefix and destination paths get scopes that the default themes colour differently', async () => {
    const toks = await tokenize(D, '/svc => /srv/web ;');
    const last = (t: Tok) => t.scopes[t.scopes.length - 1]!;
    assert.ok(last(find(toks, 0, 'svc')).startsWith('entity.name.namespace.'), last(find(toks, 0, 'svc')));
    assert.ok(last(find(toks, 0, 'srv')).startsWith('string.'), last(find(toks, 0, 'srv')));
  });

  // The themes VS Code 1.100 ships (test/fixtures/vscode-themes/NOTICE.md).
  const themes = join(root, 'test', 'fixtures', 'vscode-themes');
  it('in Light+, Dark+, Light/Dark Modern and both high-contrast themes a prefix and its destination have different colours', async () => {
    type Setting = vsctm.IRawTheme['settings'][number];
    interface ThemeFile { include?: string; tokenColors?: Setting[] }
    const settings = (file: string): Setting[] => {
      const t = readJson<ThemeFile>(join(themes, file));
      return [...(t.include ? settings(t.include) : []), ...(t.tokenColors ?? [])];
    };
    const text = '/svc/web => /srv/web ;';
    for (const theme of ['light_plus.json', 'dark_plus.json', 'light_modern.json', 'dark_modern.json', 'hc_light.json', 'hc_black.json']) {
      const reg = new vsctm.Registry({
        onigLib,
        loadGrammar: async (scopeName) => (scopeName === D ? vsctm.parseRawGrammar(readFileSync(grammarFiles[D]!, 'utf8'), grammarFiles[D]) : null),
        theme: { name: theme, settings: settings(theme) },
      });
      const grammar = await reg.loadGrammar(D);
      assert.ok(grammar);
      const { tokens } = grammar.tokenizeLine2(text, vsctm.INITIAL);
      const colorMap = reg.getColorMap();
      /** The foreground of the character at `offset`. */
      const colour = (offset: number) => {
        let i = 0;
        while (i + 2 < tokens.length && tokens[i + 2]! <= offset) i += 2;
        return colorMap[(tokens[i + 1]! >>> 15) & 0x1ff]; // the foreground bits of the token's metadata
      };
      assert.notEqual(colour(text.indexOf('svc')), colour(text.indexOf('srv')), theme);
    }
  });

  it('`=>` without spaces: `/a=>/b`', async () => {
    const toks = await tokenize(D, '/a=>/b');
    assert.deepEqual(find(toks, 0, 'a').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 0, '=>').scopes, [D, DENTRY, 'keyword.operator.arrow.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'b').scopes, [D, DENTRY, DST, PATH]);
  });

  it('wildcard `*` only as a whole prefix element', async () => {
    const toks = await tokenize(D, '/svc/*/api => /host ;\n/svc/* => /h ;\n/fo*o => /a ;\n/a => /b/* ;');
    assert.deepEqual(find(toks, 0, '*').scopes, [D, DENTRY, PREFIX, 'variable.language.wildcard.linkerd-dtab']);
    assert.deepEqual(find(toks, 1, '*').scopes, [D, DENTRY, PREFIX, 'variable.language.wildcard.linkerd-dtab']);
    assert.deepEqual(find(toks, 2, '*').scopes, [D, DENTRY, PREFIX, 'invalid.illegal.wildcard.linkerd-dtab']);
    assert.deepEqual(find(toks, 3, '*').scopes, [D, DENTRY, DST, PATH, 'invalid.illegal.wildcard.linkerd-dtab']);
  });

  it('a dentry spanning several lines stays one dentry until `;`', async () => {
    const src = ['/svc =>', '  1 * /a &   # first', '  2 * (/b | /c)', ';', '/next => /d ;'].join('\n');
    const toks = await tokenize(D, src);
    assert.deepEqual(find(toks, 0, 'svc').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 1, '1').scopes, [D, DENTRY, DST, 'constant.numeric.weight.linkerd-dtab']);
    assert.deepEqual(find(toks, 1, 'a').scopes, [D, DENTRY, DST, PATH]);
    assert.deepEqual(find(toks, 1, ' first').scopes, [D, DENTRY, DST, COMMENT]);
    assert.deepEqual(find(toks, 2, 'c').scopes, [D, DENTRY, DST, PATH]);
    assert.deepEqual(find(toks, 2, ')').scopes, [D, DENTRY, DST, 'punctuation.section.parens.end.linkerd-dtab']);
    assert.deepEqual(find(toks, 3, ';').scopes, [D, DENTRY, 'punctuation.terminator.dentry.linkerd-dtab']);
    assert.deepEqual(find(toks, 4, 'next').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 4, 'd').scopes, [D, DENTRY, DST, PATH]);
  });

  it('the prefix may stand on its own line before `=>`', async () => {
    const toks = await tokenize(D, '/svc   # the prefix\n  => /srv ;');
    assert.deepEqual(find(toks, 0, 'svc').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 0, ' the prefix').scopes, [D, DENTRY, COMMENT]);
    assert.deepEqual(find(toks, 1, 'srv').scopes, [D, DENTRY, DST, PATH]);
  });

  it('a missing `;` does not turn the next line’s prefix into a destination', async () => {
    const toks = await tokenize(D, '/a => /b\n/c => /d ;');
    assert.deepEqual(find(toks, 1, 'c').scopes, [D, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 1, '=>').scopes, [D, DENTRY, 'keyword.operator.arrow.linkerd-dtab']);
  });

  it('a second `=>` in one dentry, a stray `;` and stray characters are invalid', async () => {
    const toks = await tokenize(D, '/a => /b => /c ;;\n/a = > /b ;\n/a => /b , /c');
    assert.deepEqual(find(toks, 0, '=>', 1).scopes, [D, DENTRY, DST, 'invalid.illegal.arrow.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, ';', 1).scopes, [D, 'invalid.illegal.separator.linkerd-dtab']);
    assert.deepEqual(find(toks, 1, '=').scopes, [D, DENTRY, 'invalid.illegal.unexpected.linkerd-dtab']);
    assert.deepEqual(find(toks, 1, '>').scopes, [D, DENTRY, 'invalid.illegal.unexpected.linkerd-dtab']);
    assert.deepEqual(find(toks, 2, ',').scopes, [D, DENTRY, DST, 'invalid.illegal.unexpected.linkerd-dtab']);
  });
});

describe('dtab grammar: name trees', () => {
  it('configured namer `/#/io.l5d.k8s/...`', async () => {
    const toks = await tokenize(D, '/srv => /#/io.l5d.k8s/default/http ;');
    const NAMER = 'meta.path.namer.configured.linkerd-dtab';
    assert.deepEqual(find(toks, 0, '/', 1).scopes, [D, DENTRY, DST, NAMER, SEP]);
    assert.deepEqual(find(toks, 0, '#').scopes, [D, DENTRY, DST, NAMER, 'keyword.other.namer.configured.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'io.l5d.k8s').scopes, [D, DENTRY, DST, NAMER, 'support.function.namer.configured.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'default').scopes, [D, DENTRY, DST, NAMER, PATH]);
    assert.deepEqual(find(toks, 0, 'http').scopes, [D, DENTRY, DST, NAMER, PATH]);
  });

  it('system namer `/$/inet/...` and transformer `/%/...`: `$` and `%` there are path, not constants', async () => {
    const toks = await tokenize(D, '/svc => /$/inet/127.1/8080 | /%/io.l5d.port/4141/#/io.l5d.k8s ;');
    const SYS = 'meta.path.namer.system.linkerd-dtab';
    const TR = 'meta.path.namer.transformer.linkerd-dtab';
    assert.deepEqual(find(toks, 0, '$').scopes, [D, DENTRY, DST, SYS, 'keyword.other.namer.system.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'inet').scopes, [D, DENTRY, DST, SYS, 'support.function.namer.system.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '127.1').scopes, [D, DENTRY, DST, SYS, PATH]);
    assert.deepEqual(find(toks, 0, '%').scopes, [D, DENTRY, DST, TR, 'keyword.other.namer.transformer.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'io.l5d.port').scopes, [D, DENTRY, DST, TR, 'support.function.namer.transformer.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '#').scopes, [D, DENTRY, DST, TR, PATH], '`#` deeper in the path is a label');
  });

  it('`!` `~` `$` as trees; `|` `&` and parentheses', async () => {
    const toks = await tokenize(D, '/a => ! | ~ | $ | (/b & /c) ;');
    assert.deepEqual(find(toks, 0, '!').scopes, [D, DENTRY, DST, 'constant.language.fail.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '~').scopes, [D, DENTRY, DST, 'constant.language.neg.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '$').scopes, [D, DENTRY, DST, 'constant.language.empty.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '|').scopes, [D, DENTRY, DST, 'keyword.operator.alternative.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '&').scopes, [D, DENTRY, DST, 'keyword.operator.union.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '(').scopes, [D, DENTRY, DST, 'punctuation.section.parens.begin.linkerd-dtab']);
  });

  it('weights: `0.5 *`, `.5*`, `2.*`; `0.1.2` is invalid', async () => {
    const toks = await tokenize(D, '/a => 0.5 * /b & .5*/c & 2.*/d & 0.1.2 * /e ;');
    const W = [D, DENTRY, DST, 'constant.numeric.weight.linkerd-dtab'];
    const STAR = [D, DENTRY, DST, 'keyword.operator.weight.linkerd-dtab'];
    assert.deepEqual(find(toks, 0, '0.5').scopes, W);
    assert.deepEqual(find(toks, 0, '.5').scopes, W);
    assert.deepEqual(find(toks, 0, '2.').scopes, W);
    for (let i = 0; i < 4; i++) assert.deepEqual(find(toks, 0, '*', i).scopes, STAR);
    assert.deepEqual(find(toks, 0, '0.1.2').scopes, [D, DENTRY, DST, 'invalid.illegal.weight.linkerd-dtab']);
  });

  it('`\\xHH` escapes; `\\X41`, `\\x4` and `\\q` are invalid', async () => {
    const toks = await tokenize(D, '/a\\x41 => /b\\x2a\\X41 | /c\\x4 | /d\\q ;');
    assert.deepEqual(find(toks, 0, '\\x41').scopes, [D, DENTRY, PREFIX, 'constant.character.escape.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '\\x2a').scopes, [D, DENTRY, DST, PATH, 'constant.character.escape.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '\\').scopes, [D, DENTRY, DST, PATH, 'invalid.illegal.escape.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, 'X41').scopes, [D, DENTRY, DST, PATH]);
    assert.deepEqual(find(toks, 0, '\\x4').scopes, [D, DENTRY, DST, PATH, 'invalid.illegal.escape.linkerd-dtab']);
    assert.deepEqual(find(toks, 0, '\\', 1).scopes, [D, DENTRY, DST, PATH, 'invalid.illegal.escape.linkerd-dtab']);
  });
});

/** The character offsets covered by some spans. */
function covered(spans: readonly Span[]): Set<number> {
  const s = new Set<number>();
  for (const sp of spans) for (let i = sp.start; i < sp.end; i++) s.add(i);
  return s;
}
function scoped(toks: Tok[], pred: (scope: string) => boolean): Set<number> {
  const s = new Set<number>();
  for (const t of toks) if (t.scopes.some(pred)) for (let i = 0; i < t.text.length; i++) s.add(t.offset + i);
  return s;
}

describe('dtab grammar agrees with the parser', () => {
  async function agree(text: string): Promise<void> {
    const parsed = parseDtab(text);
    assert.equal(parsed.errors.length, 0, `valid dtab: ${JSON.stringify(text)}`);
    const toks = await tokenize(D, text);
    assert.deepEqual(invalid(toks).map((t) => t.text), [], `no invalid tokens in ${JSON.stringify(text)}`);
    assert.deepEqual(scoped(toks, (s) => s.startsWith('comment.')), covered(parsed.comments), `comments of ${JSON.stringify(text)}`);
    const dentries = parsed.entries.flatMap((e) => (e.kind === 'dentry' ? [e] : []));
    assert.deepEqual(scoped(toks, (s) => s === PREFIX), covered(dentries.map((d) => d.prefix)), `prefixes of ${JSON.stringify(text)}`);
    assert.deepEqual(scoped(toks, (s) => s === 'keyword.operator.arrow.linkerd-dtab'), covered(dentries.map((d) => d.arrow)));
  }

  it('on the Finagle DtabTest comment example and tricky comment positions', async () => {
    await agree(['# a comment', '/#foo => /biz  # another comment', '| ( /bliz & # yet another comment', '/bluth ) # duh bluths', '; #finalmente', '#/ignore=>/me;'].join('\n'));
    await agree('/a=>/b#c;/s# => !#x | ~ #y\n| $#z');
  });

  it('on the fixture dtabs', async () => {
    const dir = join(root, 'test', 'fixtures', 'linkerd', 'dtabs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.dtab'));
    assert.ok(files.length >= 5);
    for (const f of files) await agree(readFileSync(join(dir, f), 'utf8'));
  });

  it('on generated valid dtabs (comments, weights, wildcards, escapes, line breaks anywhere)', async () => {
    await fc.assert(fc.asyncProperty(validDtab, agree), { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) });
  });
});

describe('Markdown: ```dtab fenced code blocks', () => {
  const md = [
    '# Routing', //                                  0
    '',
    'Text /svc => /x here.', //                      2
    '',
    '```dtab', //                                    4
    '/svc => /#/io.l5d.k8s/default/http ; # k8s', // 5
    '/a => /b', //                                   6  (no `;` before the fence)
    '```', //                                        7
    '',
    'After the block /a => /b.', //                  9
    '',
    '- item', //                                     11
    '',
    '  ~~~DTAB title="x"', //                        13
    '  /c => /d;', //                                14
    '  ~~~', //                                      15
    '',
    '```dtabx', //                                   17
    '/not => /dtab ;', //                            18
    '```', //                                        19
  ].join('\n');
  const MD = 'text.html.markdown';
  const BLOCK = 'markup.fenced_code.block.markdown';
  const EMB = 'meta.embedded.block.linkerd-dtab';

  it('the block content gets the dtab scopes inside meta.embedded.block.linkerd-dtab', async () => {
    const toks = await tokenize(MD, md);
    assert.deepEqual(find(toks, 4, '```').scopes, [MD, BLOCK, 'punctuation.definition.markdown']);
    assert.deepEqual(find(toks, 4, 'dtab').scopes, [MD, BLOCK, 'fenced_code.block.language.markdown']);
    assert.deepEqual(find(toks, 5, 'svc').scopes, [MD, BLOCK, EMB, DENTRY, PREFIX]);
    assert.deepEqual(find(toks, 5, 'io.l5d.k8s').scopes, [MD, BLOCK, EMB, DENTRY, DST, 'meta.path.namer.configured.linkerd-dtab', 'support.function.namer.configured.linkerd-dtab']);
    assert.deepEqual(find(toks, 5, ' k8s').scopes, [MD, BLOCK, EMB, COMMENT]);
    assert.deepEqual(find(toks, 6, 'b').scopes, [MD, BLOCK, EMB, DENTRY, DST, PATH]);
  });

  it('an unterminated dentry does not leak past the closing fence', async () => {
    const toks = await tokenize(MD, md);
    assert.deepEqual(find(toks, 7, '```').scopes, [MD, BLOCK, 'punctuation.definition.markdown']);
    for (const line of [0, 2, 9, 11]) assert.ok(!lineHasDtab(toks, line), `line ${line} is plain Markdown`);
  });

  it('`~~~`, upper-case info string with attributes, inside a list item', async () => {
    const toks = await tokenize(MD, md);
    assert.deepEqual(find(toks, 13, 'DTAB').scopes, [MD, 'markup.list.unnumbered.markdown', BLOCK, 'fenced_code.block.language.markdown']);
    assert.deepEqual(find(toks, 14, 'c').scopes, [MD, 'markup.list.unnumbered.markdown', BLOCK, EMB, DENTRY, PREFIX]);
  });

  it('other info strings (```dtabx) are not dtab', async () => {
    const toks = await tokenize(MD, md);
    assert.ok(!lineHasDtab(toks, 18));
  });
});

describe('YAML: `dtab:` values', () => {
  const YAML_ROOT = 'source.yaml';
  const EMB = 'meta.embedded.block.linkerd-dtab';
  /** The scopes from the embedded part on (the YAML part above it is long and version-specific). */
  const tail = (t: Tok, from: string) => {
    assert.equal(t.scopes[0], YAML_ROOT);
    const i = t.scopes.indexOf(from);
    assert.ok(i > 0, `${from} in ${t.scopes.join(' ')}`);
    return t.scopes.slice(i);
  };
  const isKey = (t: Tok) => t.scopes.includes('entity.name.tag.yaml');

  const config = [
    'routers:', //                                          0
    '- protocol: http', //                                  1
    '  label: outgoing', //                                 2
    '  dtab: |', //                                         3
    '    /srv        => /#/io.l5d.k8s/default/http;', //    4
    '    /host       => /srv;   # hosts', //                5
    '', //                                                  6
    '    /svc        => /host', //                          7  (no `;`: the block still ends)
    '  interpreter:', //                                    8
    '    kind: default', //                                 9
    '- dtab: |-', //                                        10
    '    /svc => /$/inet/127.1/8080 ;', //                  11
    '  label: after-seq', //                                12
    '- protocol: h2', //                                    13
    '  dtab: >-  # folded', //                              14
    '    /a =>', //                                         15
    '      /b ;', //                                        16
    '  servers:', //                                        17
    '  - port: 4140', //                                    18
    '    dtab: /svc => /#/io.l5d.k8s # inline', //          19
    '  client: {}', //                                      20
  ].join('\n');

  it('`dtab: |` block content gets the dtab scopes; the YAML after the block does not', async () => {
    const toks = await tokenize(YAML_ROOT, config);
    assert.ok(isKey(find(toks, 3, 'dtab')));
    assert.ok(find(toks, 3, '|').scopes.includes('keyword.control.flow.block-scalar.literal.yaml'));
    assert.deepEqual(tail(find(toks, 4, 'srv'), EMB), [EMB, DENTRY, PREFIX]);
    assert.deepEqual(tail(find(toks, 4, 'io.l5d.k8s'), EMB), [EMB, DENTRY, DST, 'meta.path.namer.configured.linkerd-dtab', 'support.function.namer.configured.linkerd-dtab']);
    assert.deepEqual(tail(find(toks, 5, ' hosts'), EMB), [EMB, COMMENT]);
    assert.deepEqual(tail(find(toks, 7, 'svc'), EMB), [EMB, DENTRY, PREFIX], 'a blank line does not end the block');
    const after = find(toks, 8, 'interpreter');
    assert.ok(isKey(after), 'the next key is a YAML key again');
    assert.ok(!after.scopes.some(isDtabScope), after.scopes.join(' '));
    for (const line of [0, 1, 2, 8, 9]) assert.ok(!lineHasDtab(toks, line), `line ${line} is plain YAML`);
  });

  it('`- dtab: |-` in a sequence ends before the sibling key, and the next item is valid YAML', async () => {
    const toks = await tokenize(YAML_ROOT, config);
    assert.ok(find(toks, 10, '-', 1).scopes.includes('storage.modifier.chomping-indicator.yaml'));
    assert.deepEqual(tail(find(toks, 11, 'inet'), EMB), [EMB, DENTRY, DST, 'meta.path.namer.system.linkerd-dtab', 'support.function.namer.system.linkerd-dtab']);
    assert.ok(isKey(find(toks, 12, 'label')) && !lineHasDtab(toks, 12));
    assert.ok(isKey(find(toks, 13, 'protocol')) && !lineHasDtab(toks, 13));
  });

  it('`dtab: >-` with a comment after the header; a multi-line dentry inside', async () => {
    const toks = await tokenize(YAML_ROOT, config);
    assert.ok(find(toks, 14, '>').scopes.includes('keyword.control.flow.block-scalar.folded.yaml'));
    assert.ok(find(toks, 14, ' folded').scopes.includes('comment.line.number-sign.yaml'));
    assert.deepEqual(tail(find(toks, 16, 'b'), EMB), [EMB, DENTRY, DST, PATH]);
    assert.ok(isKey(find(toks, 17, 'servers')) && !lineHasDtab(toks, 17));
  });

  it('one-line `dtab: /svc => ...` values', async () => {
    const toks = await tokenize(YAML_ROOT, config);
    const LINE = 'meta.embedded.line.linkerd-dtab';
    assert.ok(isKey(find(toks, 19, 'dtab')));
    assert.deepEqual(tail(find(toks, 19, 'svc'), LINE), [LINE, DENTRY, PREFIX]);
    assert.deepEqual(tail(find(toks, 19, ' inline'), LINE), [LINE, DENTRY, DST, COMMENT]);
    assert.ok(isKey(find(toks, 20, 'client')) && !lineHasDtab(toks, 20));
  });

  it('changes nothing outside the dtab values (same tokens and non-meta scopes as without the injection)', async () => {
    await sameOutsideDtab(config);
  });

  const namerd = [
    'storage:', //                                          0
    '  kind: io.l5d.inMemory', //                           1
    '  namespaces:   # name -> dtab', //                    2
    '    default: |', //                                    3
    '      /srv => /#/io.l5d.fs ;', //                      4
    '', //                                                  5
    '      /svc => /srv', //                                6  (no `;`: the block still ends)
    '    outgoing: /svc => /$/inet/127.1/4140 ;', //        7
    '    empty: ""', //                                     8
    '    folded: >-', //                                    9
    '      /a => /b ;', //                                  10
    'namers: []', //                                        11
    'interfaces:', //                                       12
    '- kind: io.l5d.httpController', //                     13
    '  default: /not => /a-dtab ;', //                      14  (not under `namespaces:`)
    '---', //                                               15
    'kind: ConfigMap', //                                   16
    'data:', //                                             17
    '  config.yml: |-', //                                  18
    '    storage:', //                                      19
    '      namespaces:', //                                 20
    '        internal: |', //                               21
    '          /svc => /#/io.l5d.k8s/default/http ;', //    22
    '      kind: io.l5d.inMemory', //                       23
  ].join('\n');

  it('namerd `namespaces:`: the dtab of each namespace (`|`, `>-` and one-line values) gets the dtab scopes', async () => {
    const toks = await tokenize(YAML_ROOT, namerd);
    const LINE = 'meta.embedded.line.linkerd-dtab';
    assert.ok(isKey(find(toks, 2, 'namespaces')) && !lineHasDtab(toks, 2));
    assert.ok(find(toks, 2, ' name -> dtab').scopes.includes('comment.line.number-sign.yaml'));
    assert.ok(isKey(find(toks, 3, 'default')) && !lineHasDtab(toks, 3));
    assert.ok(find(toks, 3, '|').scopes.includes('keyword.control.flow.block-scalar.literal.yaml'));
    assert.deepEqual(tail(find(toks, 4, 'srv'), EMB), [EMB, DENTRY, PREFIX]);
    assert.deepEqual(tail(find(toks, 4, 'io.l5d.fs'), EMB), [EMB, DENTRY, DST, 'meta.path.namer.configured.linkerd-dtab', 'support.function.namer.configured.linkerd-dtab']);
    assert.deepEqual(tail(find(toks, 6, 'svc'), EMB), [EMB, DENTRY, PREFIX], 'a blank line does not end the block');
    assert.ok(isKey(find(toks, 7, 'outgoing')), 'the next namespace is a YAML key again');
    assert.deepEqual(tail(find(toks, 7, 'svc'), LINE), [LINE, DENTRY, PREFIX]);
    assert.deepEqual(tail(find(toks, 7, 'inet'), LINE), [LINE, DENTRY, DST, 'meta.path.namer.system.linkerd-dtab', 'support.function.namer.system.linkerd-dtab']);
    assert.ok(isKey(find(toks, 8, 'empty')) && !lineHasDtab(toks, 8));
    assert.ok(find(toks, 8, '"').scopes.includes('string.quoted.double.yaml'), 'other values stay YAML');
    assert.ok(find(toks, 9, '>').scopes.includes('keyword.control.flow.block-scalar.folded.yaml'));
    assert.deepEqual(tail(find(toks, 10, 'b'), EMB), [EMB, DENTRY, DST, PATH]);
  });

  it('namerd `namespaces:` ends at the next key; keys elsewhere and ConfigMap strings', async () => {
    const toks = await tokenize(YAML_ROOT, namerd);
    for (const line of [0, 1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23]) assert.ok(!lineHasDtab(toks, line), `line ${line} is plain YAML`);
    assert.ok(isKey(find(toks, 11, 'namers')));
    assert.deepEqual(tail(find(toks, 22, 'svc'), EMB), [EMB, DENTRY, PREFIX], 'inside a ConfigMap string');
    assert.deepEqual(tail(find(toks, 22, 'io.l5d.k8s'), EMB), [EMB, DENTRY, DST, 'meta.path.namer.configured.linkerd-dtab', 'support.function.namer.configured.linkerd-dtab']);
    await sameOutsideDtab(namerd);
  });

  async function sameOutsideDtab(text: string): Promise<void> {
    const on = await tokenize(YAML_ROOT, text, true);
    const off = await tokenize(YAML_ROOT, text, false);
    const keyLines = new Set(text.split('\n').flatMap((l, i) => (/^\s*(-\s+)?(dtab|namespaces)\s*:/.test(l) ? [i] : [])));
    for (const i of namespaceKeyLines(text)) keyLines.add(i);
    const sig = (toks: Tok[], line: number) =>
      toks
        .filter((t) => t.line === line && t.text.trim() !== '')
        .map((t) => `${t.text}:${t.scopes.filter((s) => !s.startsWith('meta.')).join(' ')}`)
        .join(' | ');
    const lines = text.split('\n').length;
    for (let i = 0; i < lines; i++) {
      if (keyLines.has(i) || lineHasDtab(on, i)) continue;
      assert.equal(sig(on, i), sig(off, i), `line ${i + 1}: ${text.split('\n')[i]}`);
    }
    assert.equal(invalid(on).length, invalid(off).length, 'no new invalid tokens');
  }

  /** The lines after line `i` indented deeper than `column` (blank lines inside included): a block's body. */
  function blockBody(lines: string[], i: number, column: number): number[] {
    const body: number[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.trim() === '') continue;
      if (/^\s*/.exec(next)![0].length <= column) break;
      body.push(j);
    }
    return body;
  }

  /** The entry lines (`default: |`, `default: /svc => …`) of namerd `namespaces:` maps. */
  function namespaceKeyLines(text: string): number[] {
    const lines = text.split('\n');
    return lines.flatMap((l, i) => {
      const m = /^(\s*)namespaces:\s*(#.*)?$/.exec(l);
      if (!m) return [];
      const body = blockBody(lines, i, m[1]!.length);
      const column = Math.min(...body.map((j) => /^\s*/.exec(lines[j]!)![0].length));
      return body.filter((j) => /^\s*/.exec(lines[j]!)![0].length === column && /^\s*[\w.-]+:\s+(\/\S|[|>])/.test(lines[j]!));
    });
  }

  /** Lines that hold a dtab, found by indentation alone (the YAML rule for block scalars). */
  function dtabLines(text: string): Set<number> {
    const lines = text.split('\n');
    const out = new Set<number>();
    lines.forEach((l, i) => {
      if (/^\s*(-\s+)?dtab:\s+\/\S/.test(l)) out.add(i);
      const m = /^(\s*)(-\s+)?dtab:\s+[|>][-+0-9]*\s*(#.*)?$/.exec(l);
      if (m) for (const j of blockBody(lines, i, m[1]!.length + (m[2]?.length ?? 0))) out.add(j);
    });
    for (const i of namespaceKeyLines(text)) {
      const l = lines[i]!;
      if (/:\s+\/\S/.test(l)) out.add(i);
      else for (const j of blockBody(lines, i, /^\s*/.exec(l)![0].length)) out.add(j);
    }
    return out;
  }

  it('on every Linkerd/namerd config and Kubernetes manifest fixture: exactly the dtab lines, nothing else changed', async () => {
    const base = join(root, 'test', 'fixtures', 'linkerd');
    const dirs = ['configs', 'manifests'].map((d) => join(base, d));
    let withDtab = 0;
    let withNamespaces = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
        const text = readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n');
        const expected = dtabLines(text);
        const toks = await tokenize(YAML_ROOT, text);
        const got = new Set(text.split('\n').flatMap((_, i) => (lineHasDtab(toks, i) ? [i] : [])));
        assert.deepEqual([...got].sort((a, b) => a - b), [...expected].sort((a, b) => a - b), `dtab lines of ${f}`);
        await sameOutsideDtab(text);
        if (expected.size) withDtab++;
        if (namespaceKeyLines(text).length) withNamespaces++;
      }
    }
    assert.ok(withDtab >= 10, `fixtures with dtabs: ${withDtab}`);
    assert.ok(withNamespaces >= 6, `fixtures with namerd namespaces: ${withNamespaces}`);
  });
});

describe('grammar contributions in package.json', () => {
  it('every grammar entry points at a grammar with that scopeName; injections say where they go', () => {
    for (const g of contributes.grammars) {
      const file = join(root, g.path);
      assert.ok(existsSync(file), g.path);
      const grammar = readJson<{ scopeName: string; injectionSelector?: string }>(file);
      assert.equal(grammar.scopeName, g.scopeName);
      if (g.injectTo) {
        assert.ok(grammar.injectionSelector, `${g.path} has an injectionSelector`);
        for (const target of g.injectTo) assert.ok(grammar.injectionSelector.includes(target), `${g.path} selects ${target}`);
        const text = readFileSync(file, 'utf8');
        for (const [scope, language] of Object.entries(g.embeddedLanguages ?? {})) {
          assert.equal(language, 'linkerd-dtab');
          assert.ok(text.includes(`"${scope}"`), `${g.path} uses ${scope}`);
        }
      }
    }
    assert.deepEqual(contributes.grammars.flatMap((g) => g.injectTo ?? []).sort(), ['source.yaml', 'text.html.markdown']);
  });

  it('the snippet file is contributed for linkerd-dtab and exists', () => {
    const snippets = contributes.snippets ?? [];
    assert.ok(snippets.some((s) => s.language === 'linkerd-dtab' && s.path.endsWith('linkerd-dtab.code-snippets')));
    for (const s of snippets) assert.ok(existsSync(join(root, s.path)), s.path);
  });
});

describe('the packaged extension (what vsce puts in the .vsix)', () => {
  const packaged = async () => new Set(await listFiles({ cwd: root, packageManager: PackageManager.None }));

  it('the extension icon is a 128x128 PNG that is packaged', async () => {
    const { icon } = readJson<{ icon?: string }>(join(root, 'package.json'));
    assert.ok(icon, 'package.json has an icon');
    const png = readFileSync(join(root, icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'IHDR width and height');
    assert.ok((await packaged()).has(icon), `${icon} is packaged`);
  });

  it('every packaged bundle that names a source map ships it (node build.mjs)', { skip: !existsSync(join(root, 'dist', 'client.js')) && 'dist/ is not built (node build.mjs)' }, async () => {
    const files = await packaged();
    const bundles = [...files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    assert.deepEqual(bundles.sort(), ['dist/cli.js', 'dist/client-node.js', 'dist/client.js', 'dist/language-client.js', 'dist/server.js']);
    for (const f of bundles) {
      const text = readFileSync(join(root, f), 'utf8');
      const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text.slice(-500))?.[1];
      if (map && !map.startsWith('data:')) assert.ok(files.has(posix.join(posix.dirname(f), map)), `${f} names ${map}, which the .vsix does not have (a --sourcemap build? package after node build.mjs)`);
    }
  });
});
