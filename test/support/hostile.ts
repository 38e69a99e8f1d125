// Hostile inputs for the fuzz run (test/fuzz/): dtabs, configs and editor sessions built to break
// parsers, printers, the delegator and the language server. Big inputs are described by small
// "recipes" (`'('` 100000 times, a fixture with three edits) that fast-check generates and shrinks;
// render() turns a recipe into its text. A recipe is plain JSON: a failure prints it as the short
// reproducer, and `npm run fuzz -- --only P --recipe '<json>'` runs it again.

import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dtab as validDtab, noisyDtab } from './arbitraries.js';

export const ROOT = join(__dirname, '..', '..');

/** The largest input: 1 MiB of UTF-16 code units (1–3 MB as UTF-8). */
export const MAX_INPUT = 1 << 20;

// ---- characters ----------------------------------------------------------------------------------

/** Characters that look like dtab or YAML syntax but are not it. */
export const LOOKALIKES = [
  '\u2215', // ∕ division slash
  '\u2044', // ⁄ fraction slash
  '\uff0f', // ／ fullwidth solidus
  '\u29f8', // ⧸ big solidus
  '\u037e', // ; Greek question mark
  '\uff1b', // ； fullwidth semicolon
  '\u21d2', // ⇒
  '\u2192', // →
  '\uff1d', // ＝
  '\uff1e', // ＞
  '\u2010', // ‐ hyphen
  '\u2212', // − minus
  '\u0430', // Cyrillic a
  '\u0455', // Cyrillic s
  '\u01c0', // ǀ dental click (a pipe)
  '\uff5c', // ｜
  '\uff06', // ＆
  '\u2217', // ∗ asterisk operator
  '\uff08', // （
  '\uff09', // ）
  '\u00ad', // soft hyphen
  '\uff1a', // ： fullwidth colon
];

/** Blank-looking and control characters. */
export const INVISIBLES = ['\u00a0', '\u0000', '\u200b', '\u200d', '\ufeff', '\u2028', '\u2029', '\u3000', '\u2003', '\u0085', '\r', '\r\n', '\t', '\u000b', '\u000c', '\u001c', '\u007f', '\u202e'];

/** Lone surrogates and astral characters (two UTF-16 units). */
export const SURROGATES = ['\ud800', '\udfff', '\udc00', '\ud83d', '\ud83d\ude00', '\u{1f5ff}', '\u{10ffff}'];

/** Pieces of dtab syntax, whole and broken. */
export const DTAB_TOKENS = ['/', '=>', '=', '>', ';', '|', '&', '*', '(', ')', '!', '~', '$', '#', '\\', '\\x', '\\x4', '\\x41', '\\xZZ', '.', '0.5', '1e3', '-1', '1.', '..', ' ', '\n', '/#/io.l5d.k8s', '/$/inet/127.1/80', '/$/nil', '/svc', '/a', 'a', '/*', ' => ', ' ; '];

/** Pieces of YAML and of linkerd configs. */
export const YAML_TOKENS = [':', ': ', '- ', '  ', '\n', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!!binary ', '!<tag:x> ', '|', '|-', '|+2', '>', '"', "'", '? ', '---\n', '...\n', '%YAML 1.2\n', '<<: ', '#', 'routers:', 'dtab: |', 'dtab: ', 'namers:', 'kind: ConfigMap', 'data:', 'config.yaml: |', 'protocol: http', 'storage:', 'interfaces:', 'kind: io.l5d.k8s', 'label: ', 'servers:', 'port: ', '"routers": ', 'null', '~', '0x1F', '1e309', '.nan'];

export const SOUP = [...LOOKALIKES, ...INVISIBLES, ...SURROGATES, ...DTAB_TOKENS];
export const YAML_SOUP = [...YAML_TOKENS, ...LOOKALIKES, ...INVISIBLES, ...SURROGATES, ...DTAB_TOKENS];

// ---- recipes ---------------------------------------------------------------------------------

export type Edit =
  | { readonly op: 'ins'; readonly at: number; readonly s: string; readonly times: number }
  | { readonly op: 'del'; readonly at: number; readonly n: number }
  /** Copies `n` characters from `at` and inserts them `times` times (huge lists of real content). */
  | { readonly op: 'dup'; readonly at: number; readonly n: number; readonly times: number }
  | { readonly op: 'cut'; readonly at: number };

export type Recipe =
  | { readonly t: 'text'; readonly s: string }
  /** head + unit × n + tail */
  | { readonly t: 'rep'; readonly head: string; readonly unit: string; readonly n: number; readonly tail: string }
  /** head + open × n + mid + close × closed (fewer closes than opens leaves them open) */
  | { readonly t: 'nest'; readonly head: string; readonly open: string; readonly n: number; readonly mid: string; readonly close: string; readonly closed: number }
  /** key:\n, each line indented one more than the last, n lines */
  | { readonly t: 'ladder'; readonly head: string; readonly key: string; readonly n: number }
  /** a YAML alias bomb: `depth` levels of `width` aliases to the level below */
  | { readonly t: 'bomb'; readonly depth: number; readonly width: number; readonly use: 'routers' | 'dtab' | 'label' | 'merge' }
  /** A file of test/fixtures/linkerd or examples, with edits. */
  | { readonly t: 'file'; readonly path: string; readonly edits: readonly Edit[] }
  | { readonly t: 'cat'; readonly parts: readonly Recipe[] }
  /** Every line of a recipe's text indented (to put a dtab in a YAML block scalar). */
  | { readonly t: 'indent'; readonly by: string; readonly r: Recipe };

/** `s` repeated `n` times, or as many whole times as fit in `room`. */
function repeat(s: string, n: number, room: number): string {
  if (s.length === 0 || n <= 0 || room <= 0) return '';
  return s.repeat(Math.min(n, Math.floor(room / s.length)));
}

function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.op) {
    case 'ins':
      return text.slice(0, at) + repeat(e.s, e.times, MAX_INPUT - text.length) + text.slice(at);
    case 'del':
      return text.slice(0, at) + text.slice(at + e.n);
    case 'dup': {
      const piece = text.slice(at, at + e.n);
      return text.slice(0, at) + repeat(piece, e.times, MAX_INPUT - text.length) + text.slice(at);
    }
    case 'cut':
      return text.slice(0, at);
  }
}

const fileCache = new Map<string, string>();

export function fixtureText(path: string): string {
  let s = fileCache.get(path);
  if (s === undefined) {
    s = readFileSync(join(ROOT, path), 'utf8');
    fileCache.set(path, s);
  }
  return s;
}

/** The text of a recipe, at most MAX_INPUT characters. */
export function render(r: Recipe, room = MAX_INPUT): string {
  switch (r.t) {
    case 'text':
      return r.s.slice(0, room);
    case 'rep':
      return (r.head + repeat(r.unit, r.n, room - r.head.length - r.tail.length) + r.tail).slice(0, room);
    case 'nest': {
      const opens = repeat(r.open, r.n, room);
      const closes = repeat(r.close, Math.min(r.closed, r.n), room - r.head.length - opens.length - r.mid.length);
      return (r.head + opens + r.mid + closes).slice(0, room);
    }
    case 'ladder': {
      const lines: string[] = [r.head];
      let size = r.head.length;
      for (let i = 0; i < r.n && size < room; i++) {
        const line = ' '.repeat(i) + r.key + ':\n';
        lines.push(line);
        size += line.length;
      }
      return lines.join('').slice(0, room);
    }
    case 'bomb': {
      const lines = [`a0: &a0 [${Array.from({ length: r.width }, () => '"lol"').join(', ')}]`];
      for (let d = 1; d <= r.depth; d++) lines.push(`a${d}: &a${d} [${Array.from({ length: r.width }, () => `*a${d - 1}`).join(', ')}]`);
      const top = `*a${r.depth}`;
      const tail =
        r.use === 'routers'
          ? `routers: ${top}`
          : r.use === 'dtab'
            ? `routers:\n- protocol: http\n  dtab: ${top}`
            : r.use === 'label'
              ? `routers:\n- protocol: http\n  label: ${top}\n  dtab: /a => /b`
              : `base: &base {protocol: http, dtab: /a=>/b, x: ${top}}\nrouters:\n- <<: *base\n  label: r`;
      return (lines.join('\n') + '\n' + tail + '\n').slice(0, room);
    }
    case 'file': {
      let text = fixtureText(r.path);
      for (const e of r.edits) text = applyEdit(text, e);
      return text.slice(0, room);
    }
    case 'cat': {
      let out = '';
      for (const p of r.parts) {
        if (out.length >= room) break;
        out += render(p, room - out.length);
      }
      return out;
    }
    case 'indent':
      return render(r.r, room)
        .split('\n')
        .map((l) => r.by + l)
        .join('\n')
        .slice(0, room);
  }
}

/** A recipe in a line, for reports: long strings shortened. */
export function describeRecipe(r: unknown, max = 400): string {
  const json = JSON.stringify(r, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 60)}…(${v.length} chars)` : v));
  return json.length > max ? json.slice(0, max) + '…' : json;
}

/** A string for a report: escaped, and its middle left out when long. */
export function preview(text: string, max = 160): string {
  const show = (s: string) => JSON.stringify(s).slice(1, -1);
  if (text.length <= max) return `"${show(text)}"`;
  return `"${show(text.slice(0, max / 2))}" … "${show(text.slice(-max / 4))}" (${text.length} chars)`;
}

// ---- fixtures --------------------------------------------------------------------------------

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(relative(ROOT, join(ROOT, p)));
  }
  return out.sort();
}

const ALL_FIXTURES = [...listFiles('test/fixtures/linkerd'), ...listFiles('examples')];
export const DTAB_FILES = ALL_FIXTURES.filter((f) => f.endsWith('.dtab'));
export const YAML_FILES = ALL_FIXTURES.filter((f) => /\.(ya?ml)$/.test(f));

// ---- arbitraries -----------------------------------------------------------------------------

/** How big generated inputs get: mostly small, sometimes up to `max` (MAX_INPUT by default). */
export function sizeArb(max = MAX_INPUT): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: Math.min(max, 4096) }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: Math.min(max, 100_000) }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max }) },
  );
}

const soupText = (tokens: readonly string[], maxLength: number) => fc.array(fc.constantFrom(...tokens), { maxLength }).map((a) => a.join(''));

export function editArb(tokens: readonly string[], max: number): fc.Arbitrary<Edit> {
  const at = fc.nat({ max: 1 << 20 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('ins' as const), at, s: soupText(tokens, 4), times: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: sizeArb(max) }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('del' as const), at, n: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('dup' as const), at, n: fc.integer({ min: 1, max: 200 }), times: sizeArb(Math.max(1, max >> 6)) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cut' as const), at }) },
  );
}

/** Mutated copies of real files. */
export function mutatedFile(files: readonly string[], tokens: readonly string[], max: number): fc.Arbitrary<Recipe> {
  return fc.record({ t: fc.constant('file' as const), path: fc.constantFrom(...files), edits: fc.array(editArb(tokens, max), { maxLength: 6 }) });
}

/** Text for the dtab parser, printer, CLI and server: anything from noise to 1 MB of nesting. */
export function hostileDtab(max = MAX_INPUT): fc.Arbitrary<Recipe> {
  const n = sizeArb(max);
  return fc.oneof(
    { weight: 3, arbitrary: soupText(SOUP, 200).map((s): Recipe => ({ t: 'text', s })) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s): Recipe => ({ t: 'text', s })) },
    { weight: 2, arbitrary: noisyDtab.map((s): Recipe => ({ t: 'text', s })) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('rep' as const),
        head: fc.constantFrom('', '/a=>', '/a => /', '/a=>/b|', '/a=>1*/b&', '# ', '/', '/a=>/b;'),
        unit: fc.constantFrom(';', '/a=>/b;', '/a => x\n', '/a=>/b\n', '/', 'a', '|/b', '&/b', '&1*/b', '1*', '\\x41', ' ', '\n', '#\n', '\u00a0', '\ud800', '=>', '(', ')', '/*', '~|', '0.', '\r\n', '\u2215'),
        n,
        tail: fc.constantFrom('', '/b', ';', ')', '\n', '=>'),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('nest' as const),
        head: fc.constantFrom('/a=>', '/a => /b | ', '/a=>1*', '', '/a=>/b;/c=>'),
        open: fc.constantFrom('(', '( ', '(/b|', '(1*/b&', '(#\n'),
        n,
        mid: fc.constantFrom('/b', '', '~', '/b;', '!'),
        close: fc.constantFrom(')', ' )', ')|/c'),
        closed: fc.oneof(n, fc.constant(MAX_INPUT)),
      }),
    },
    { weight: 2, arbitrary: mutatedFile(DTAB_FILES, SOUP, max) },
  );
}

/** Text for the config checker: YAML bombs, deep nesting, huge lists, broken real configs. */
export function hostileYaml(max = MAX_INPUT): fc.Arbitrary<Recipe> {
  const n = sizeArb(max);
  const configWith = (dtab: fc.Arbitrary<Recipe>) =>
    dtab.map((d): Recipe => ({ t: 'cat', parts: [{ t: 'text', s: 'routers:\n- protocol: http\n  dtab: |\n' }, { t: 'indent', by: '    ', r: d }, { t: 'text', s: '\n  servers:\n  - port: 4140\n' }] }));
  return fc.oneof(
    { weight: 4, arbitrary: mutatedFile(YAML_FILES, YAML_SOUP, max) },
    { weight: 2, arbitrary: soupText(YAML_SOUP, 120).map((s): Recipe => ({ t: 'text', s })) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('bomb' as const),
        depth: fc.integer({ min: 1, max: 12 }),
        width: fc.integer({ min: 1, max: 12 }),
        use: fc.constantFrom('routers' as const, 'dtab' as const, 'label' as const, 'merge' as const),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('nest' as const),
        head: fc.constantFrom('routers: ', 'routers:\n- protocol: http\n  dtab: ', '', 'namers: ', 'routers:\n- '),
        open: fc.constantFrom('[', '{a: ', '- ', '[{', '{"routers": ', '? '),
        n,
        mid: fc.constantFrom('x', '', '"/a=>/b"', '*a'),
        close: fc.constantFrom(']', '}', '}]', ''),
        closed: fc.oneof(n, fc.constant(MAX_INPUT)),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('rep' as const),
        head: fc.constantFrom('routers:\n', 'routers: [', 'namers:\n', 'routers:\n- protocol: http\n  servers:\n', 'routers:\n- protocol: http\n  dtab: |\n', '{"routers": ['),
        unit: fc.constantFrom('- protocol: http\n  dtab: /a=>/b\n', '{protocol: http},', '  - port: 1\n', '    /a => /b ;\n', '- kind: io.l5d.k8s\n', '{"protocol": "http"},', '    ;\n', '#\n', '\n', '- \n'),
        n,
        tail: fc.constantFrom('', ']', '\n'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('ladder' as const), head: fc.constantFrom('routers:\n', '', 'routers:\n- protocol: http\n  '), key: fc.constantFrom('a', 'dtab', 'routers', '- a'), n: fc.integer({ min: 0, max: 2000 }) }) },
    { weight: 2, arbitrary: configWith(hostileDtab(Math.min(max, 1 << 16))) },
  );
}

// ---- delegation scenarios ------------------------------------------------------------------------

export type Scenario =
  /** Dentries as written, and a path of labels. */
  | { readonly t: 'dtab'; readonly dentries: readonly (readonly [string, string])[]; readonly path: readonly string[] }
  /** /p0 => /p1 ; /p1 => /p2 ; … n long, each destination `fan` copies joined by `op`, maybe closed into a cycle. */
  | { readonly t: 'chain'; readonly n: number; readonly fan: number; readonly op: '&' | '|'; readonly cycle: boolean }
  /** n dentries on /svc/s<i>/…, and a path of `depth` labels. */
  | { readonly t: 'wide'; readonly n: number; readonly depth: number; readonly wildcard: boolean };

const LABELS = ['a', 'b', 'c', 'svc', 'host', '#', '$', 'inet', 'nil', 'fail', 'io.l5d.k8s', '127.1', '80', 'x'];
const label = fc.constantFrom(...LABELS);
const pathText = fc.array(label, { maxLength: 4 }).map((ls) => '/' + ls.join('/'));
const prefixText = fc.array(fc.oneof({ weight: 5, arbitrary: label }, { weight: 1, arbitrary: fc.constant('*') }), { maxLength: 3 }).map((ls) => '/' + ls.join('/'));

const treeText = fc.letrec((tie) => ({
  leaf: fc.oneof(
    { weight: 6, arbitrary: pathText },
    { weight: 1, arbitrary: fc.constantFrom('!', '~', '$', '/$/inet/127.1/80', '/$/nil', '/$/fail', '/$/unknown/x', '/#/io.l5d.k8s/a') },
    { weight: 1, arbitrary: tie('tree').map((t) => `(${t as string})`) },
  ),
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('leaf') as fc.Arbitrary<string>, { minLength: 2, maxLength: 3 }).map((ts) => ts.join(' | ')),
    fc.array(fc.tuple(fc.constantFrom('1', '2', '0', '0.5'), tie('leaf') as fc.Arbitrary<string>), { minLength: 2, maxLength: 3 }).map((ts) => ts.map(([w, t]) => `${w} * ${t}`).join(' & ')),
  ),
})).tree as fc.Arbitrary<string>;

export function scenarioArb(max = 10_000): fc.Arbitrary<Scenario> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ t: fc.constant('dtab' as const), dentries: fc.array(fc.tuple(prefixText, treeText), { maxLength: 12 }), path: fc.array(label, { maxLength: 5 }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('chain' as const), n: fc.integer({ min: 1, max: Math.min(max, 400) }), fan: fc.integer({ min: 1, max: 4 }), op: fc.constantFrom('&' as const, '|' as const), cycle: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('wide' as const), n: fc.integer({ min: 1, max }), depth: fc.integer({ min: 1, max: 1000 }), wildcard: fc.boolean() }) },
  );
}

/** The dtab text and the path (labels) of a scenario. */
export function renderScenario(s: Scenario): { dtab: string; path: string[] } {
  switch (s.t) {
    case 'dtab':
      return { dtab: s.dentries.map(([p, t]) => `${p} => ${t};`).join('\n'), path: [...s.path] };
    case 'chain': {
      const lines: string[] = [];
      for (let i = 0; i < s.n; i++) {
        const next = s.cycle && i === s.n - 1 ? '/p0' : `/p${i + 1}`;
        lines.push(`/p${i} => ${Array.from({ length: s.fan }, () => next).join(` ${s.op} `)};`);
      }
      return { dtab: lines.join('\n'), path: ['p0', 'x'] };
    }
    case 'wide': {
      const lines: string[] = [];
      for (let i = 0; i < s.n; i++) lines.push(`/svc/s${i}${s.wildcard ? '/*' : ''} => /host/h${i} | /svc/s${(i * 7 + 1) % s.n};`);
      lines.push('/host => /$/inet/127.1/80;');
      const path = ['svc', `s${s.n >> 1}`];
      for (let i = path.length; i < s.depth; i++) path.push(`l${i}`);
      return { dtab: lines.join('\n'), path };
    }
  }
}

// ---- editor sessions ---------------------------------------------------------------------------

/** A position as a client might send it: ordinary, out of range, negative or fractional. */
export const lspPosition = fc.record({
  line: fc.oneof({ weight: 6, arbitrary: fc.nat(60) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 2.7, 1e9, 2 ** 31 - 1, 2 ** 53) }),
  character: fc.oneof({ weight: 6, arbitrary: fc.nat(120) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, 3.7, 1e9, 2 ** 31 - 1, 2 ** 53) }),
});

export const LSP_REQUESTS = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/documentSymbol',
  'textDocument/formatting',
  'textDocument/rangeFormatting',
  'textDocument/foldingRange',
  'textDocument/selectionRange',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/codeAction',
  'linkerdDtab/delegate',
  'linkerdDtab/suggestPaths',
] as const;

export type LspRequestName = (typeof LSP_REQUESTS)[number];

export interface LspSession {
  readonly lang: 'dtab' | 'yaml';
  readonly doc: Recipe;
  readonly before: readonly { readonly m: LspRequestName; readonly at: { line: number; character: number }; readonly to: { line: number; character: number } }[];
  /** An incremental change (a range, possibly out of range), or the whole text when range is null. */
  readonly change: { readonly range: { start: { line: number; character: number }; end: { line: number; character: number } } | null; readonly text: Recipe };
  readonly after: readonly { readonly m: LspRequestName; readonly at: { line: number; character: number }; readonly to: { line: number; character: number } }[];
}

export function lspSessionArb(max = MAX_INPUT): fc.Arbitrary<LspSession> {
  const request = fc.record({ m: fc.constantFrom(...LSP_REQUESTS), at: lspPosition, to: lspPosition });
  return fc.constantFrom('dtab' as const, 'yaml' as const).chain((lang) =>
    fc.record({
      lang: fc.constant(lang),
      doc: lang === 'dtab' ? hostileDtab(max) : hostileYaml(max),
      before: fc.array(request, { minLength: 1, maxLength: 4 }),
      change: fc.record({
        range: fc.option(fc.record({ start: lspPosition, end: lspPosition }), { freq: 3 }),
        text: fc.oneof({ weight: 3, arbitrary: soupText(lang === 'dtab' ? SOUP : YAML_SOUP, 12).map((s): Recipe => ({ t: 'text', s })) }, { weight: 1, arbitrary: lang === 'dtab' ? hostileDtab(max) : hostileYaml(max) }),
      }),
      after: fc.array(request, { minLength: 1, maxLength: 4 }),
    }),
  );
}

/** Valid dtabs, big ones included (many dentries, long alternations, nesting below `maxNesting`). */
export function bigValidDtab(maxNesting: number, max = MAX_INPUT): fc.Arbitrary<Recipe> {
  return fc.oneof(
    { weight: 6, arbitrary: validDtab.map((s): Recipe => ({ t: 'text', s })) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('rep' as const), head: fc.constantFrom('', '# big\n'), unit: fc.constantFrom('/a => /b ;\n', '/svc/*/x=>/$/inet/127.1/80;', '/a=>/b|/c&2*/d;\n'), n: sizeArb(max >> 4), tail: fc.constant('') }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('rep' as const), head: fc.constant('/a => /b'), unit: fc.constantFrom(' | /c', ' & 2 * /c', '|~', '&/x/y'), n: sizeArb(max >> 4), tail: fc.constant(' ;\n') }) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: Math.max(1, maxNesting - 1) }).map((k): Recipe => ({ t: 'nest', head: '/a => ', open: '(', n: k, mid: '/b | /c', close: ')', closed: k })),
    },
  );
}
