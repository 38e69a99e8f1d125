// What the cursor is on in a config: a key (and what it is), a `kind`/`protocol` value, or a
// place where a key can be written; and which keys or kinds fit there. From the catalogue (types)
// and key-docs.json (one-line docs and defaults), for completion and hover.

import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Span } from '../syntax/ast.js';
import { catalogue, requiredOfObject, requiredOfVariant, strictObjectsIn, variantKeys, variantNames, type ConfigKind, type TypeRef } from './catalogue.js';
export { describeType } from './scalars.js';
import keyDocsJson from './key-docs.json';

interface KeyDoc {
  doc?: string;
  default?: string;
}
interface KeyDocs {
  objects: Record<string, Record<string, KeyDoc>>;
  polymorphic: Record<string, Record<string, (Record<string, KeyDoc> & { _doc?: string }) | string>>;
}
const keyDocs = keyDocsJson as unknown as KeyDocs;

/** The keys a mapping accepts, where their docs are, and how to describe the mapping. */
export interface MapShape {
  readonly keys: Readonly<Record<string, TypeRef>>;
  readonly docs: (key: string) => KeyDoc | undefined;
  /** For a `kind`/`protocol` block: its slot, discriminator and chosen variant. */
  readonly poly?: { readonly slot: string; readonly disc: string; readonly variant: string | undefined };
  /** The keys Linkerd requires here (the validator's rule, catalogue.ts). */
  readonly required: readonly string[];
}

const NO_OBJECTS: ReadonlySet<string> = new Set();

/** Objects whose strict form (more required keys) applies to the children of a mapping of this shape. */
const strictBelow = (shape: MapShape): ReadonlySet<string> => (shape.poly?.variant ? strictObjectsIn(shape.poly.slot, shape.poly.variant) : NO_OBJECTS);

export type ConfigContext =
  | { readonly kind: 'key'; readonly shape: MapShape; readonly key: string; readonly span: Span }
  | { readonly kind: 'discriminator'; readonly shape: MapShape; readonly value: string; readonly span: Span }
  | { readonly kind: 'new-key'; readonly shape: MapShape; readonly present: readonly string[] };

function objectShape(name: string, strict: boolean): MapShape {
  return { keys: catalogue.objects[name] ?? {}, docs: (k) => keyDocs.objects[name]?.[k], required: requiredOfObject(name, strict) };
}

function polyShape(slot: string, map: Node | null | undefined): MapShape {
  const poly = catalogue.polymorphic[slot]!;
  const discPair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === poly._disc) : undefined;
  const chosen = discPair && isScalar(discPair.value) ? String(discPair.value.value) : poly._default;
  const variant = chosen && variantNames(poly).includes(chosen) ? chosen : undefined;
  const keys: Record<string, TypeRef> = { [poly._disc]: 'str', ...(variant ? variantKeys(poly, variant) : poly._base) };
  const docsOf = keyDocs.polymorphic[slot];
  const variantDocs = variant ? docsOf?.[variant] : undefined;
  return {
    keys,
    docs: (k) => (typeof variantDocs === 'object' ? variantDocs[k] : undefined),
    poly: { slot, disc: poly._disc, variant },
    required: [...(poly._default === undefined ? [poly._disc] : []), ...(variant ? requiredOfVariant(slot, variant) : [])],
  };
}

/** The shape of a mapping of type `t` (lists and single-or-list look through to their items). */
function shapeOf(t: TypeRef, node: Node | null | undefined, strict: ReadonlySet<string> = NO_OBJECTS): MapShape | undefined {
  if (typeof t === 'string') return undefined;
  if ('obj' in t) return objectShape(t.obj, strict.has(t.obj));
  if ('poly' in t) return polyShape(t.poly, node);
  if ('list' in t) return shapeOf(t.list, node, strict);
  if ('oneOrList' in t) return shapeOf(t.oneOrList, node, strict);
  return undefined;
}

function childType(shape: MapShape, key: string): TypeRef | undefined {
  return shape.keys[key];
}

/** Variants of a polymorphic slot, with their one-line docs. */
export function variantsOf(slot: string): { name: string; doc?: string }[] {
  return variantNames(catalogue.polymorphic[slot]!).map((name) => {
    const d = keyDocs.polymorphic[slot]?.[name];
    return { name, ...(typeof d === 'object' && d._doc ? { doc: d._doc } : {}) };
  });
}

const inside = (n: Node | null | undefined, o: number) => !!n?.range && n.range[0] <= o && o <= n.range[1];

/**
 * The context at `offset` (an offset in `text`, the config's own text). `lineStart` is where the
 * cursor's line starts, to tell "on a key" from "on an empty line where a key can go".
 */
export function configContext(doc: Document, text: string, kind: ConfigKind, offset: number): ConfigContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const column = before.length - before.replace(/^[ \t]*(- )?/, '').length;
  const typing = /^[ \t]*(- )?[A-Za-z0-9_.]*$/.test(before);

  // Walk down to the innermost mapping that contains the offset, carrying the type (a list's
  // items, and a `kind` block's variant, are only known once the node is reached).
  const rootType: TypeRef = { obj: catalogue.roots[kind]! };
  let node = doc.contents as Node | null;
  let type: TypeRef | undefined = rootType;
  let strict = NO_OBJECTS;
  let best: { map: Node; shape: MapShape } | undefined;
  for (let guard = 0; guard < 64 && node && type; guard++) {
    if (isSeq(node)) {
      const item = node.items.find((i) => inside(i as Node, offset)) as Node | undefined;
      if (!item) break;
      node = item;
      continue;
    }
    const shape = shapeOf(type, node, strict);
    if (!isMap(node) || !shape) break;
    best = { map: node, shape };
    strict = strictBelow(shape);
    const pair = node.items.find((p: Pair) => inside(p.key as Node, offset) || inside(p.value as Node, offset)) as Pair | undefined;
    if (!pair || !isScalar(pair.key)) break;
    const key = String(pair.key.value);
    if (inside(pair.key as Node, offset)) {
      return { kind: 'key', shape, key, span: { start: pair.key.range![0], end: pair.key.range![1] } };
    }
    if (shape.poly && key === shape.poly.disc && isScalar(pair.value)) {
      return { kind: 'discriminator', shape, value: String(pair.value.value ?? ''), span: { start: pair.value.range![0], end: pair.value.range![1] } };
    }
    type = childType(shape, key);
    node = pair.value as Node | null;
  }
  if (!typing || !best) return undefined;
  // An empty (or partly typed) line: the mapping whose keys stand at this column.
  const target = mapAtColumn(doc.contents as Node | null, rootType, text, column, offset) ?? best;
  const present = isMap(target.map) ? target.map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : [];
  return { kind: 'new-key', shape: target.shape, present };
}

/** The mapping, among those containing or just before `offset`, whose keys are at `column`. */
function mapAtColumn(root: Node | null, rootType: TypeRef, text: string, column: number, offset: number): { map: Node; shape: MapShape } | undefined {
  let found: { map: Node; shape: MapShape } | undefined;
  const col = (o: number) => o - (text.lastIndexOf('\n', o - 1) + 1);
  // Recursive, but the YAML reader cuts nesting at 100 levels (yaml.ts).
  const visit = (n: Node | null | undefined, type: TypeRef | undefined, strict: ReadonlySet<string>): void => {
    if (!n || !type || !n.range || n.range[0] > offset) return;
    if (isSeq(n)) {
      for (const i of n.items) visit(i as Node, type, strict);
      return;
    }
    const shape = shapeOf(type, n, strict);
    if (!isMap(n) || n.items.length === 0 || !shape) return;
    const firstKey = n.items[0]!.key as Node;
    if (firstKey.range && col(firstKey.range[0]) === column) found = { map: n, shape };
    for (const p of n.items) if (isScalar(p.key)) visit(p.value as Node, shape.keys[String(p.key.value)], strictBelow(shape));
  };
  visit(root, rootType, NO_OBJECTS);
  return found;
}
