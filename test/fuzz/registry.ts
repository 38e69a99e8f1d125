// The fuzz properties: what each generates, the fixed hostile corpus it always starts with, and how
// many cases it gets. What each checks is in checks.ts (run in a worker) or hosts.ts (the server).

import fc from 'fast-check';
import * as parser from '../../core/syntax/parser.js';
import {
  bigValidDtab,
  DTAB_TOKENS,
  hostileDtab,
  hostileYaml,
  LOOKALIKES,
  lspSessionArb,
  MAX_INPUT,
  mutatedFile,
  render,
  renderScenario,
  scenarioArb,
  SOUP,
  SURROGATES,
  YAML_FILES,
  type LspSession,
  type Recipe,
  type Scenario,
} from '../support/hostile.js';
import type { CliCase, DtabEditsCase, TypingCase } from './checks.js';
import { edit, startText } from '../support/incremental.js';

/** The parser's nesting limit, once it has one (core/syntax/parser.ts MAX_NESTING); 100 until then. */
export const MAX_NESTING: number = typeof (parser as unknown as Record<string, unknown>).MAX_NESTING === 'number' ? ((parser as unknown as Record<string, number>).MAX_NESTING as number) : 100;

export interface FuzzProperty {
  readonly id: string;
  readonly title: string;
  readonly where: 'worker' | 'lsp';
  /** Random cases in the short run (`--quick`, part of npm test), after the corpus. */
  readonly quick: number;
  /** Its share of `--cases` in a long run (the server's sessions are slow). */
  readonly share: number;
  /** Random inputs, at most `max` characters where a size is drawn. */
  readonly arbitrary: (max: number) => fc.Arbitrary<unknown>;
  /** Fixed hostile inputs, each run (and reported) on its own first in every run. */
  readonly corpus: readonly unknown[];
  /** The input's full text, to save a failing one. */
  readonly text: (input: unknown) => string;
}

// ---- the corpus ------------------------------------------------------------------------------

const text = (s: string): Recipe => ({ t: 'text', s });
const rep = (head: string, unit: string, n: number, tail = ''): Recipe => ({ t: 'rep', head, unit, n, tail });
const nest = (head: string, n: number, closed: number, mid = '/b', open = '(', close = ')'): Recipe => ({ t: 'nest', head, open, n, mid, close, closed });

export const CORPUS = {
  /** The reproducer: nesting far past any limit, closed. */
  deep2000: nest('/a=>', 2000, 2000),
  deep100k: nest('/a=>', 100_000, 0),
  deep100kClosed: nest('/a=>', 100_000, 100_000),
  /** 1 MB of `;`: a million empty dentries. */
  semis: rep('', ';', MAX_INPUT),
  /** 128 KB of one broken dentry a line. */
  brokenLines: rep('', '/a => x\n', 16_384),
  /** A 1 MB label on a single line. */
  longLabel: rep('/a=>/', 'b', MAX_INPUT),
  /** A 1 MB line of alternatives, and of weighted union branches. */
  longAlt: rep('/a=>/b', '|/b', MAX_INPUT),
  longUnion: rep('/a=>/b', '&2*/b', MAX_INPUT),
  soup: text(SOUP.join('')),
  lookalikes: text(`/a => /b\u00a0;\n/c\u2215d => /e ;\u0000\n/f =\u21d2 /g\u037e\n${LOOKALIKES.join(' ')}`),
  surrogates: text(`/a=>/\ud800;/b=>/\udc00x;${SURROGATES.join('/')}`),
  nulls: rep('/a=>/b;', '\u0000', 1000),
};

const YAML_CORPUS: Recipe[] = [
  text('routers: ['),
  text('{"routers": ['),
  text('routers:\n- protocol: http\n  dtab: |\n    /a=>/b;\n    /c=>'),
  text('routers: *a'),
  { t: 'bomb', depth: 12, width: 12, use: 'routers' },
  { t: 'bomb', depth: 10, width: 10, use: 'dtab' },
  { t: 'bomb', depth: 9, width: 9, use: 'merge' },
  nest('routers: ', 100_000, 0, 'x', '[', ']'),
  nest('routers:\n- protocol: http\n  dtab: ', 100_000, 100_000, '"/a=>/b"', '{a: ', '}'),
  { t: 'ladder', head: 'routers:\n', key: 'a', n: 1400 },
  rep('routers:\n', '- protocol: http\n  dtab: /a=>/b\n', MAX_INPUT),
  rep('routers: [', '{protocol: http},', MAX_INPUT, ']'),
  { t: 'cat', parts: [text('routers:\n- protocol: http\n  dtab: |\n'), { t: 'indent', by: '    ', r: CORPUS.deep2000 }, text('\n')] },
  { t: 'cat', parts: [text('routers:\n- protocol: http\n  dtab: |\n'), { t: 'indent', by: '    ', r: rep('', ';', 1 << 18) }, text('\n')] },
  text('routers:\n- protocol: http\n  dtab: /a => /b\u00a0;\n  servers:\n  - port: 4140\u0000\n'),
];

const DTAB_CLI_ARGS = [
  ['check', 'FILE'],
  ['check', '--format', 'json', 'FILE'],
  ['check', '--finagle', 'FILE'],
  ['fmt', 'FILE'],
  ['fmt', '--check', 'FILE'],
  ['fmt', '--write', 'FILE'],
  ['show', 'FILE'],
  ['delegate', '-e', 'TEXT', '/svc/a'],
  ['delegate', '--dtab', 'FILE', '/a', '--json'],
];

/** Config files whose dtabs are literal blocks (where typing takes the editor's fast path). */
const TYPING_FILES = YAML_FILES.filter((f) => /dtab: \|/.test(render({ t: 'file', path: f, edits: [] })));

const typingEdit = fc.record({
  pick: fc.nat(),
  del: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
  ins: fc.array(fc.constantFrom(...DTAB_TOKENS.filter((t) => !t.includes('\n')), ...LOOKALIKES, '\u00a0', '\ud800', '#', ' '), { maxLength: 3 }).map((a) => a.join('')),
});

/** Typing checks the whole file twice an edit: files stay below 64 K characters (size is config/spans-and-messages' business). */
function typingArb(max: number): fc.Arbitrary<TypingCase> {
  max = Math.min(max, 1 << 16);
  return fc.record({
    base: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...TYPING_FILES).map((path): Recipe => ({ t: 'file', path, edits: [] })) },
      { weight: 1, arbitrary: mutatedFile(TYPING_FILES, DTAB_TOKENS, max) },
    ),
    edits: fc.array(typingEdit, { minLength: 1, maxLength: 8 }),
  });
}

function cliArb(max: number): fc.Arbitrary<CliCase> {
  return fc.record({
    input: fc.oneof(hostileDtab(max), hostileYaml(max)),
    args: fc.constantFrom(...DTAB_CLI_ARGS),
    file: fc.constantFrom('-', 'x.dtab', 'x.yaml'),
  });
}

const recipeText = (r: unknown) => render(r as Recipe);
const scenarioText = (s: unknown) => {
  const { dtab, path } = renderScenario(s as Scenario);
  return `# path: /${path.join('/')}\n${dtab}`;
};

const session = (lang: 'dtab' | 'yaml', doc: Recipe, m: LspSession['before'][number]['m'][], at = { line: 0, character: 3 }): LspSession => ({
  lang,
  doc,
  before: m.map((x) => ({ m: x, at, to: { line: 2, character: 0.5 } })),
  change: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: text('/') },
  after: [{ m: 'textDocument/hover', at: { line: 1e9, character: -1 }, to: at }],
});

export const PROPERTIES: readonly FuzzProperty[] = [
  {
    id: 'parser/never-throws',
    title: 'parseDtab, checkDtab and parsePath/Prefix/Tree/Dentry never throw; every span in bounds; no "undefined" in messages',
    where: 'worker',
    quick: 30,
    share: 1,
    arbitrary: hostileDtab,
    corpus: [CORPUS.deep2000, CORPUS.deep100k, CORPUS.semis, CORPUS.brokenLines, CORPUS.longLabel, CORPUS.longAlt, CORPUS.soup, CORPUS.lookalikes, CORPUS.surrogates, CORPUS.nulls],
    text: recipeText,
  },
  {
    id: 'parser/loses-nothing',
    title: 'parseDtab: every non-blank character belongs to an entry, a `;` or a comment',
    where: 'worker',
    quick: 25,
    share: 1,
    arbitrary: hostileDtab,
    corpus: [CORPUS.deep2000, CORPUS.brokenLines, CORPUS.soup, CORPUS.lookalikes, CORPUS.surrogates, CORPUS.longUnion],
    text: recipeText,
  },
  {
    id: 'printer/round-trip',
    title: 'valid dtabs: show(parse(x)) and format(x) parse back to the same dtab; format and show are fixed points',
    where: 'worker',
    quick: 35,
    share: 1,
    arbitrary: (max) => bigValidDtab(MAX_NESTING, max),
    corpus: [nest('/a => ', MAX_NESTING - 1, MAX_NESTING - 1, '/b | /c'), rep('# 1 MB\n', '/svc/a => /b ;\n', MAX_INPUT), rep('/a => /b', ' | /c', MAX_INPUT, ' ;\n')],
    text: recipeText,
  },
  {
    id: 'printer/fixed-point',
    title: 'any text: formatDtab and showDtab never throw; format(format(x)) === format(x)',
    where: 'worker',
    quick: 25,
    share: 1,
    arbitrary: hostileDtab,
    corpus: [CORPUS.deep2000, CORPUS.deep100kClosed, CORPUS.semis, CORPUS.longUnion, CORPUS.soup],
    text: recipeText,
  },
  {
    id: 'delegate/bounded',
    title: `Interpreter.delegate/bind and the deep checks finish within the per-case timeout, throw only naming errors, heap growth bounded`,
    where: 'worker',
    quick: 8,
    share: 1,
    arbitrary: (max) => scenarioArb(Math.min(10_000, max)),
    corpus: [
      { t: 'chain', n: 120, fan: 2, op: '&', cycle: false },
      { t: 'chain', n: 2, fan: 3, op: '&', cycle: true },
      { t: 'chain', n: 150, fan: 2, op: '|', cycle: true },
      { t: 'wide', n: 10_000, depth: 1000, wildcard: true },
      { t: 'dtab', dentries: [['/s', '/s & /s'], ['/s', '/s | /s | /s']], path: ['s', 'x'] },
    ] satisfies Scenario[],
    text: scenarioText,
  },
  {
    id: 'delegate/lookup-index',
    title: 'Dtab.lookup through the index equals a scan of every dentry',
    where: 'worker',
    quick: 25,
    share: 1,
    arbitrary: (max) => scenarioArb(Math.min(10_000, max)),
    corpus: [{ t: 'wide', n: 10_000, depth: 50, wildcard: true }] satisfies Scenario[],
    text: scenarioText,
  },
  {
    id: 'config/spans-and-messages',
    title: 'checkConfigText never throws; spans in bounds (0 ≤ start ≤ end ≤ length); no "undefined" in messages',
    where: 'worker',
    quick: 25,
    share: 1,
    arbitrary: hostileYaml,
    corpus: YAML_CORPUS,
    text: recipeText,
  },
  {
    id: 'config/incremental',
    title: 'typing in an embedded dtab: updateConfigText equals checkConfigText of the new text',
    where: 'worker',
    quick: 25,
    share: 1,
    arbitrary: typingArb,
    corpus: TYPING_FILES.slice(0, 4).map(
      (path, i): TypingCase => ({ base: { t: 'file', path, edits: [] }, edits: [{ pick: 8 * i + 1, del: 0, ins: '/x' }, { pick: 8 * i + 9, del: 1, ins: '\u00a0' }, { pick: 8 * i + 17, del: 0, ins: ';' }] }),
    ),
    text: (c) => render((c as TypingCase).base),
  },
  {
    id: 'dtab/incremental',
    title: 'editing a dtab: IncrementalDtab equals a full parse and check of the new text after every edit',
    where: 'worker',
    quick: 25,
    share: 1,
    arbitrary: (max) =>
      fc.record({
        start: fc.oneof(startText.map((s) => text(s)), hostileDtab(Math.min(max, 20_000))),
        edits: fc.array(edit, { minLength: 1, maxLength: 8 }),
      }),
    corpus: [
      { start: text('/a => /b;\n/c => (/d\n/e => /f;\n'), edits: [{ at: 0, remove: 0, insert: '\n', hint: true, lower: true }] },
      { start: rep('', '/a => /b;\n', 2000), edits: [{ at: 0.5, remove: 1, insert: '', hint: true, lower: true }, { at: 0.5, remove: 0, insert: ';', hint: false, lower: true }] },
    ] satisfies DtabEditsCase[],
    text: (c) => render((c as DtabEditsCase).start),
  },
  {
    id: 'cli/never-throws',
    title: 'dtab check/fmt/show/delegate on hostile input: exit 0, 1 or 2 with a message, never an exception',
    where: 'worker',
    quick: 15,
    share: 0.2,
    arbitrary: cliArb,
    corpus: [
      { input: CORPUS.brokenLines, args: ['check', '--format', 'json', 'FILE'], file: '-' },
      { input: CORPUS.deep2000, args: ['fmt', 'FILE'], file: 'x.dtab' },
      { input: CORPUS.deep2000, args: ['delegate', '-e', 'TEXT', '/a'], file: '-' },
      { input: text('routers: ['), args: ['check', 'FILE'], file: 'x.yaml' },
    ] satisfies CliCase[],
    text: (c) => render((c as CliCase).input),
  },
  {
    id: 'lsp/alive',
    title: 'the language server over stdio: after hostile didOpen/didChange and requests at any positions, it is alive and answers',
    where: 'lsp',
    quick: 6,
    share: 0.01,
    arbitrary: lspSessionArb,
    corpus: [
      session('dtab', CORPUS.semis, ['textDocument/documentSymbol', 'textDocument/hover']),
      session('dtab', CORPUS.deep100k, ['textDocument/formatting', 'textDocument/documentSymbol', 'textDocument/completion']),
      session('yaml', { t: 'bomb', depth: 12, width: 12, use: 'routers' }, ['textDocument/hover', 'textDocument/completion']),
      session('yaml', text('routers: ['), ['textDocument/hover', 'textDocument/completion', 'textDocument/codeAction'], { line: 0, character: 10.5 }),
    ],
    text: (s) => render((s as LspSession).doc),
  },
];
