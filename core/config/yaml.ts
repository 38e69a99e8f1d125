// Reading YAML without stack overflows. The `yaml` library composes documents recursively and
// overflows the stack around 1,000 levels of nesting (its lexer, on a few thousand `- `, `? `,
// anchors or tags in a row): a swallowed overflow would read as "no config, no problems". So the
// syntax tree is parsed first, collections nested deeper than MAX_DEPTH are cut out of it (each
// becomes an empty value) before it is composed, and each cut is reported by the caller. Nothing
// the checks walk afterwards nests deeper than MAX_DEPTH.

import { Composer, Parser, YAMLParseError, type CST, type Document } from 'yaml';

/** Deeper collections are cut. A Linkerd config nests about 10 levels; the library overflows near 1,000. */
export const MAX_DEPTH = 100;

export interface ParsedYaml {
  readonly docs: Document[];
  /** Offsets of the collections cut for being nested deeper than MAX_DEPTH, in text order. */
  readonly cuts: readonly number[];
  /** When the text could not be read at all (the lexer overflowed): where the run that overflowed it starts. */
  readonly failed?: number;
}

type Holder = { key?: CST.Token | null; value?: CST.Token };

const isCollection = (t: CST.Token | null | undefined): t is CST.BlockMap | CST.BlockSequence | CST.FlowCollection =>
  !!t && (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection');

/** Replaces every collection deeper than MAX_DEPTH by an empty plain scalar; returns their offsets. */
function cutDeep(tokens: CST.Token[]): number[] {
  const cuts: number[] = [];
  // Slots holding a token (`value` of a document or an item, `key` of an item), and the depth of
  // the collection that holds them (0 for a document).
  const stack: { holder: Holder; field: 'key' | 'value'; depth: number }[] = [];
  for (const t of tokens) if (t.type === 'document' && t.value) stack.push({ holder: t as Holder, field: 'value', depth: 0 });
  while (stack.length > 0) {
    const { holder, field, depth } = stack.pop()!;
    const tok = holder[field];
    if (!isCollection(tok)) continue;
    if (depth + 1 > MAX_DEPTH) {
      cuts.push(tok.offset);
      holder[field] = { type: 'scalar', offset: tok.offset, indent: tok.indent, source: '' } satisfies CST.FlowScalar;
      continue;
    }
    for (const item of tok.items as Holder[]) {
      if (item.key) stack.push({ holder: item, field: 'key', depth: depth + 1 });
      if (item.value) stack.push({ holder: item, field: 'value', depth: depth + 1 });
    }
  }
  return cuts.sort((a, b) => a - b);
}

/** Where the lexer most likely overflowed: the longest run of `-`, `?`, `:`, anchors or tags on one line. */
function longestRun(text: string): number {
  const word = /\S+/g;
  let best = 0;
  let bestAt = 0;
  let run = 0;
  let runAt = 0;
  let lineEnd = -1;
  for (let m = word.exec(text); m; m = word.exec(text)) {
    if (m.index > lineEnd) {
      run = 0; // a new line
      const nl = text.indexOf('\n', m.index);
      lineEnd = nl < 0 ? text.length : nl;
    }
    if (!/^(?:[-?:]|[&!].*)$/.test(m[0])) {
      run = 0;
      continue;
    }
    if (run++ === 0) runAt = m.index;
    if (run > best) {
      best = run;
      bestAt = runAt;
    }
  }
  return bestAt;
}

function tokensOf(text: string): CST.Token[] | number {
  try {
    return Array.from(new Parser().parse(text));
  } catch (e) {
    if (e instanceof RangeError) return longestRun(text);
    throw e;
  }
}

/** All documents of a text (as `parseAllDocuments`), with collections deeper than MAX_DEPTH cut. */
export function parseYamlDocuments(text: string, options: ConstructorParameters<typeof Composer>[0]): ParsedYaml {
  const tokens = tokensOf(text);
  if (typeof tokens === 'number') return { docs: [], cuts: [], failed: tokens };
  const cuts = cutDeep(tokens);
  return { docs: Array.from(new Composer(options).compose(tokens)) as Document[], cuts };
}

/** The first document of a text (as `parseDocument`), with collections deeper than MAX_DEPTH cut. */
export function parseYamlDocument(text: string, options: ConstructorParameters<typeof Composer>[0]): { doc: Document | undefined; cuts: readonly number[]; failed?: number } {
  const tokens = tokensOf(text);
  if (typeof tokens === 'number') return { doc: undefined, cuts: [], failed: tokens };
  const cuts = cutDeep(tokens);
  let doc: Document | undefined;
  for (const d of new Composer(options).compose(tokens, true, text.length)) {
    if (!doc) doc = d as Document;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return { doc, cuts };
}
