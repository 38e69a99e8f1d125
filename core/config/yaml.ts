// Reading YAML without stack overflows. The `yaml` library composes documents recursively and
// overflows the stack around 1,000 levels of nesting (its lexer, on a few thousand `- `, `? `,
// anchors or tags in a row): a swallowed overflow would read as "no config, no problems". So the
// syntax tree is parsed first, collections nested deeper than MAX_DEPTH are cut out of it (each
// becomes an empty value) before it is composed, and each cut is reported by the caller. Nothing
// the checks walk afterwards nests deeper than MAX_DEPTH.

import { Composer, Document, isMap, isNode, isPair, isScalar, isSeq, Pair, Parser, YAMLMap, YAMLParseError, YAMLSeq, type CST, type Node } from 'yaml';

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

// ---- re-reading only the top-level blocks an edit changed ---------------------------------------

type Opts = ConstructorParameters<typeof Composer>[0];

/** A top-level block's own parse: its node, with offsets counted from `base`. */
interface Chunk {
  readonly text: string;
  readonly item: boolean;
  /** The block's node: a one-pair map (`key: …`) or a one-item sequence (`- …`). */
  readonly node: YAMLMap | YAMLSeq;
  base: number;
}

/** A top-level key at the start of a line (`name:` then a space or the end of the line). */
const TOP_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*:(?:[ \t]|\r?$)/;
/** Anchors and aliases tie blocks together: such texts are read whole. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,])[&*][^\s]/;

/**
 * The YAML of a linkerd or namerd config as `parseYamlDocuments` reads it, re-reading only the
 * top-level blocks whose text changed since the last text: a top-level key with what is indented
 * under it, or one `- ` item of a top-level list (routers, namers) written at the left margin.
 * Anything else (several documents, directives, flow or quoted keys, anchors, a block with YAML
 * errors or warnings, nesting near the depth cut) is left to a whole parse: `parse` says undefined.
 *
 * The nodes of a kept block are moved to its new place, so a document made here describes its text
 * until the next call (like the dtab's incremental analysis).
 */
export class YamlChunks {
  private kept = new Map<string, Chunk[]>();

  parse(text: string, options: Opts): ParsedYaml | undefined {
    const bounds = blockStarts(text);
    if (!bounds || bounds.length < 2) {
      this.kept.clear();
      return undefined;
    }
    const next = new Map<string, Chunk[]>();
    const chunks: Chunk[] = [];
    for (let i = 0; i < bounds.length; i++) {
      const start = i === 0 ? 0 : bounds[i]!.at;
      const end = i + 1 < bounds.length ? bounds[i + 1]!.at : text.length;
      const piece = text.slice(start, end);
      let chunk = this.take(piece, bounds[i]!.item);
      if (!chunk) {
        const made = readChunk(piece, bounds[i]!.item, options);
        if (!made) {
          this.kept.clear();
          return undefined;
        }
        chunk = made;
      }
      if (chunk.base !== start) {
        moveNode(chunk.node, start - chunk.base);
        chunk.base = start;
      }
      chunks.push(chunk);
      const list = next.get(piece);
      if (list) list.push(chunk);
      else next.set(piece, [chunk]);
    }
    this.kept = next;
    return assemble(chunks, text, options);
  }

  /** A kept chunk of this text, not yet used for the text being read. */
  private take(piece: string, item: boolean): Chunk | undefined {
    const list = this.kept.get(piece);
    if (!list) return undefined;
    const at = list.findIndex((c) => c.item === item);
    if (at < 0) return undefined;
    const [chunk] = list.splice(at, 1);
    return chunk;
  }
}

/** The lines that start top-level blocks; undefined when the text is not made of such blocks. */
function blockStarts(text: string): { at: number; item: boolean }[] | undefined {
  const out: { at: number; item: boolean }[] = [];
  // A comment at the margin inside a block, with more of the block after it, changes how the YAML
  // library reads the next lines (a value can run on into the next block): read such texts whole.
  let marginComment = false;
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const c = text.charCodeAt(at);
    // Tabs where indentation goes are errors whose reading depends on what comes before.
    if (c === 0x09) return undefined;
    if (c === 0x23) marginComment = out.length > 0;
    else if (marginComment && c === 0x20 && /\S/.test(text.slice(at, end)) && !/^[ \t]*#/.test(text.slice(at, end))) return undefined;
    // Blank, indented and comment lines belong to the block above.
    if (end > at && c !== 0x20 && c !== 0x23 && c !== 0x0d) {
      marginComment = false;
      const line = text.slice(at, Math.min(end, at + 300));
      const item = c === 0x2d && (end === at + 1 || line[1] === ' ' || line[1] === '\r');
      if (!item && !TOP_KEY.test(line)) return undefined;
      if (out.length === 0 && item) return undefined;
      out.push({ at, item });
    }
    at = end + 1;
  }
  return out;
}

/** One block's parse, or undefined when it does not read cleanly on its own. */
function readChunk(piece: string, item: boolean, options: Opts): Chunk | undefined {
  if (ANCHOR_OR_ALIAS.test(piece)) return undefined;
  const tokens = tokensOf(piece);
  if (typeof tokens === 'number') return undefined;
  if (cutDeep(tokens).length > 0) return undefined;
  const docs = Array.from(new Composer(options).compose(tokens)) as Document[];
  if (docs.length !== 1) return undefined;
  const doc = docs[0]!;
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const node = doc.contents;
  if (item ? !isSeq(node) : !isMap(node)) return undefined;
  if ((node as YAMLMap | YAMLSeq).items.length !== 1) return undefined;
  return { text: piece, item, node: node as YAMLMap | YAMLSeq, base: 0 };
}

/** The document the blocks make: their pairs in one map, items after a key become its list. */
function assemble(chunks: readonly Chunk[], text: string, options: Opts): ParsedYaml | undefined {
  const doc = new Document(undefined, options);
  const map = new YAMLMap(doc.schema);
  let open: { pair: Pair; seq: YAMLSeq } | undefined;
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    if (!c.item) {
      const pair = (c.node as YAMLMap).items[0]! as Pair;
      // A copy of the pair: the kept one must stay as its block reads alone.
      const own = new Pair(pair.key, pair.value);
      map.items.push(own);
      open = undefined;
      if (i + 1 < chunks.length && chunks[i + 1]!.item) {
        const v = pair.value;
        // Only a key with nothing after it (`routers:`) takes the list that follows.
        if (!isScalar(v) || v.value !== null || v.source !== '' || v.tag !== undefined || v.anchor !== undefined) return undefined;
        const seq = new YAMLSeq(doc.schema);
        own.value = seq;
        open = { pair: own, seq };
      }
      continue;
    }
    if (!open) return undefined;
    const s = c.node as YAMLSeq;
    open.seq.items.push(s.items[0]);
    const r = s.range!;
    open.seq.range = open.seq.items.length === 1 ? [r[0], r[1], r[2]] : [open.seq.range![0], r[1], r[2]];
  }
  const first = chunks[0]!.node.range!;
  const last = chunks[chunks.length - 1]!.node.range!;
  map.range = [first[0], last[1], last[1]];
  doc.contents = map;
  doc.range = [first[0], last[1], text.length];
  return { docs: [doc], cuts: [] };
}

/** Moves a node and everything in it (ranges and source tokens) by `delta`, without recursion. */
function moveNode(root: Node, delta: number): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isPair(n)) {
      stack.push(n.key, n.value);
      continue;
    }
    if (!isNode(n)) continue;
    if (n.range) n.range = [n.range[0] + delta, n.range[1] + delta, n.range[2] + delta];
    if (isScalar(n)) {
      const tok = n.srcToken as { offset: number; props?: { offset: number }[] } | undefined;
      if (tok) {
        tok.offset += delta;
        for (const p of tok.props ?? []) p.offset += delta;
      }
    } else if (isMap(n) || isSeq(n)) for (const item of n.items) stack.push(item);
  }
}
