// Generates JSON Schemas (draft-07) for Linkerd 1.7.5 and namerd config files from the key catalogue
// (core/config/catalogue.json) and the key documentation (core/config/key-docs.json):
//   schemas/linkerd.schema.json, schemas/namerd.schema.json
// Usable by Red Hat's YAML extension (`# yaml-language-server: $schema=...` or the `yaml.schemas` setting).
//
//   npx tsx tools/gen-config-schemas.ts          writes both files, prints a summary
//   npx tsx tools/gen-config-schemas.ts --check  writes nothing, exits 1 if a file is out of date
//
// Shape of the output:
// - every object is closed (`additionalProperties: false`): unknown keys are errors in Linkerd;
// - an object type X of the catalogue is `#/definitions/X`; a polymorphic slot S is `#/definitions/S`, which
//   lists the discriminator values and dispatches with `if`/`then` on the discriminator (`kind`, or
//   `protocol` for routers) to one closed schema per variant V, `#/definitions/S.V` (discriminator + the
//   slot's `_base` keys + V's keys). A slot with `_default` lets the discriminator be omitted;
// - kinds listed in `experimental_required` require `experimental: true` (`const: true`);
// - descriptions and defaults come from key-docs.json; a schema `default` is only emitted when the
//   documented default is a literal of the key's type.
// The output is deterministic: definitions follow catalogue order, properties follow catalogue key order.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

// ---- input shapes ---------------------------------------------------------------------------------

// The catalogue's shapes, its required-key rules and its scalar types are the core's: the validator
// (core/config/walker.ts) reads the same rules and descriptions.
import { requiredRules, variantKey as vkey, variantNames as variantsOf, type Catalogue, type Keys, type Poly as PolySlot, type RequiredRules as Rules, type TypeRef } from '../core/config/catalogue.js';
import { IP_PATTERN, PATH_PATTERN, scalarTypes, type JsonSchema } from '../core/config/scalars.js';
export type { Catalogue, JsonSchema, TypeRef };
export { IP_PATTERN, PATH_PATTERN };

export interface KeyDoc {
  doc: string;
  default?: string;
}

export interface KeyDocs {
  objects: Record<string, Record<string, KeyDoc>>;
  polymorphic: Record<string, { _doc: string } & Record<string, unknown>>;
}

type VariantDocs = { _doc: string } & Record<string, KeyDoc | string>;

// ---- catalogue helpers ------------------------------------------------------------------------------

const variantKeys = (slot: PolySlot, variant: string): Keys => slot[variant] as Keys;
const isScalar = (t: TypeRef): t is string => typeof t === 'string';

/** Scalar type name -> schema (enumerations are read from the catalogue's `_types` descriptions). */
function scalarSchemas(types: Record<string, string>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, t] of Object.entries(scalarTypes(types))) out[name] = t.schema;
  return out;
}

/** Every documented object, key, slot and variant must exist in the catalogue. */
function checkKeyDocs(cat: Catalogue, docs: KeyDocs): void {
  for (const [obj, keys] of Object.entries(docs.objects)) {
    const have = cat.objects[obj];
    if (!have) throw new Error(`key-docs: object '${obj}' is not in the catalogue`);
    for (const k of Object.keys(keys)) if (!(k in have)) throw new Error(`key-docs: '${obj}.${k}' is not in the catalogue`);
  }
  for (const [slot, variants] of Object.entries(docs.polymorphic)) {
    const def = cat.polymorphic[slot];
    if (!def) throw new Error(`key-docs: slot '${slot}' is not in the catalogue`);
    for (const [v, keys] of Object.entries(variants)) {
      if (v === '_doc') continue;
      if (!variantsOf(def).includes(v)) throw new Error(`key-docs: '${slot}.${v}' is not in the catalogue`);
      const have = { ...def._base, ...variantKeys(def, v) };
      for (const k of Object.keys(keys as object)) {
        if (k !== '_doc' && !(k in have)) throw new Error(`key-docs: '${slot}.${v}.${k}' is not in the catalogue`);
      }
    }
  }
}

// ---- documentation ----------------------------------------------------------------------------------

const plain = (md: string) => md.replace(/`([^`]*)`/g, '$1');

function describe(doc: string | undefined, def?: string): JsonSchema {
  if (doc === undefined) return {};
  return {
    description: plain(doc) + (def !== undefined ? ` Default: ${plain(def)}.` : ''),
    markdownDescription: doc + (def !== undefined ? `\n\nDefault: ${def}` : ''),
  };
}

/** A scalar check good enough for defaults: type, enum, pattern, bounds, anyOf. */
function accepts(schema: JsonSchema, value: unknown): boolean {
  const type = schema.type as string | undefined;
  if (type === 'string' && typeof value !== 'string') return false;
  if (type === 'boolean' && typeof value !== 'boolean') return false;
  if (type === 'number' && typeof value !== 'number') return false;
  if (type === 'integer' && !Number.isInteger(value)) return false;
  if (type === 'array') return Array.isArray(value) && value.every((v) => accepts(schema.items as JsonSchema, v));
  if (type === 'object' || type === undefined) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value as string)) return false;
  if (typeof schema.minimum === 'number' && (value as number) < schema.minimum) return false;
  if (typeof schema.maximum === 'number' && (value as number) > schema.maximum) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s: JsonSchema) => accepts({ type, ...s }, value))) return false;
  return true;
}

/**
 * The documented default (key-docs.json) as a value of the key's type, or undefined when the text is prose
 * (`none`, `forever`, `-1 (keep all)`, ...). String-valued keys need a literal in backticks (`/svc`);
 * other scalars may also be bare (10000, true); lists need backticks (`[passing]`).
 */
function typedDefault(text: string, schema: JsonSchema): unknown {
  const quoted = /^`([^`]*)`$/.exec(text)?.[1];
  let value: unknown;
  if (schema.type === 'string') {
    if (quoted === undefined || /<[^>]+>/.test(quoted)) return undefined; // `/$/inet/<host>/<port>` is a template
    value = quoted === '""' ? '' : quoted;
  } else if (schema.type === 'array') {
    if (quoted === undefined) return undefined;
    try {
      value = parseYaml(quoted);
    } catch {
      return undefined;
    }
  } else {
    const lit = quoted ?? text;
    if (schema.type === 'boolean') value = lit === 'true' ? true : lit === 'false' ? false : undefined;
    else if (/^-?\d+(\.\d+)?$/.test(lit)) value = Number(lit);
  }
  return value !== undefined && accepts(schema, value) ? value : undefined;
}

// ---- schema construction ----------------------------------------------------------------------------

const DRAFT = 'http://json-schema.org/draft-07/schema#';
const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const strictName = (obj: string) => `${obj}.strict`;

class Builder {
  private readonly scalars: Record<string, JsonSchema>;
  private readonly rules: Rules;
  private readonly wanted: string[] = [];
  readonly definitions = new Map<string, JsonSchema>();

  constructor(
    private readonly cat: Catalogue,
    private readonly docs: KeyDocs,
  ) {
    this.scalars = scalarSchemas(cat._types);
    this.rules = requiredRules(cat);
    checkKeyDocs(cat, docs);
    const names = new Set<string>();
    const claim = (n: string) => {
      if (names.has(n)) throw new Error(`definition name clash: '${n}'`);
      names.add(n);
    };
    for (const o of Object.keys(cat.objects)) claim(o);
    for (const o of this.rules.strict.keys()) claim(strictName(o));
    for (const [s, def] of Object.entries(cat.polymorphic)) {
      claim(s);
      for (const v of variantsOf(def)) claim(`${s}.${v}`);
    }
  }

  private need(name: string): JsonSchema {
    if (!this.wanted.includes(name)) this.wanted.push(name);
    return ref(name);
  }

  /** Schema of a type; `strict` = objects to reference in their `.strict` form. */
  typeSchema(t: TypeRef, strict: ReadonlySet<string> = new Set(), used: Set<string> = new Set()): JsonSchema {
    if (isScalar(t)) {
      const s = this.scalars[t];
      if (!s) throw new Error(`catalogue: unknown scalar type '${t}'`);
      return structuredClone(s);
    }
    if ('obj' in t) {
      if (!this.cat.objects[t.obj]) throw new Error(`catalogue: unknown object '${t.obj}'`);
      if (strict.has(t.obj)) {
        used.add(t.obj);
        return this.need(strictName(t.obj));
      }
      return this.need(t.obj);
    }
    if ('poly' in t) {
      if (!this.cat.polymorphic[t.poly]) throw new Error(`catalogue: unknown slot '${t.poly}'`);
      return this.need(t.poly);
    }
    if ('list' in t) return { type: 'array', items: this.typeSchema(t.list, strict, used) };
    if ('map' in t) return { type: 'object', additionalProperties: this.typeSchema(t.map, strict, used) };
    if ('oneOrList' in t) {
      const one = this.typeSchema(t.oneOrList, strict, used);
      return { anyOf: [one, { type: 'array', items: structuredClone(one) }] };
    }
    throw new Error(`catalogue: bad type ${JSON.stringify(t)}`);
  }

  /** A property: its type plus description and default; `$ref`s are wrapped (draft-07 ignores $ref siblings). */
  property(t: TypeRef, doc: KeyDoc | undefined, strict?: ReadonlySet<string>, used?: Set<string>): JsonSchema {
    const type = this.typeSchema(t, strict, used);
    const out: JsonSchema = '$ref' in type ? { allOf: [type] } : type;
    Object.assign(out, describe(doc?.doc, doc?.default));
    if (doc?.default !== undefined) {
      const value = typedDefault(doc.default, type);
      if (value !== undefined) out.default = value;
    }
    return out;
  }

  objectSchema(name: string, requiredKeys?: readonly string[]): JsonSchema {
    const keys = this.cat.objects[name]!;
    const docs = this.docs.objects[name] ?? {};
    const properties: Record<string, JsonSchema> = {};
    for (const [k, t] of Object.entries(keys)) properties[k] = this.property(t, docs[k]);
    const required = requiredKeys ?? this.rules.objRequired.get(name) ?? [];
    return { type: 'object', properties, ...(required.length ? { required: [...required] } : {}), additionalProperties: false };
  }

  private slotDocs(slot: string): KeyDocs['polymorphic'][string] | undefined {
    return this.docs.polymorphic[slot];
  }

  private variantDocs(slot: string, v: string): VariantDocs | undefined {
    return this.slotDocs(slot)?.[v] as VariantDocs | undefined;
  }

  slotSchema(slot: string): JsonSchema {
    const def = this.cat.polymorphic[slot]!;
    const disc = def._disc;
    const variants = variantsOf(def);
    const vdoc = variants.map((v) => this.variantDocs(slot, v)?._doc ?? '');
    const discProp: JsonSchema = {
      type: 'string',
      enum: variants,
      ...describe(this.slotDocs(slot)?._doc),
      enumDescriptions: vdoc.map(plain),
      markdownEnumDescriptions: vdoc,
    };
    if (def._default !== undefined) discProp.default = def._default;
    const allOf = variants.map((v) => {
      const cond: JsonSchema = { properties: { [disc]: { const: v } } };
      if (v !== def._default) cond.required = [disc];
      return { if: cond, then: this.need(`${slot}.${v}`) };
    });
    return {
      type: 'object',
      ...describe(this.slotDocs(slot)?._doc),
      properties: { [disc]: discProp },
      ...(def._default === undefined ? { required: [disc] } : {}),
      allOf,
    };
  }

  variantSchema(slot: string, v: string): JsonSchema {
    const def = this.cat.polymorphic[slot]!;
    const disc = def._disc;
    const docs = this.variantDocs(slot, v);
    const gated = this.rules.gated.get(slot)?.has(v) ?? false;
    const strict = this.rules.strictIn.get(vkey(slot, v)) ?? new Set<string>();
    const used = new Set<string>();
    const properties: Record<string, JsonSchema> = { [disc]: { const: v, ...describe(docs?._doc) } };
    const keys: Keys = { ...def._base, ...variantKeys(def, v) };
    for (const [k, t] of Object.entries(keys)) {
      if (k === disc) continue;
      const doc = docs?.[k] as KeyDoc | undefined;
      properties[k] = k === 'experimental' && gated ? { const: true, ...describe(doc?.doc) } : this.property(t, doc, strict, used);
    }
    for (const o of strict) if (!used.has(o)) throw new Error(`catalogue required: '${o}' is not used directly by '${slot}.${v}'`);
    const required = [...(v === def._default ? [] : [disc]), ...(this.rules.variantRequired.get(vkey(slot, v)) ?? []), ...(gated ? ['experimental'] : [])];
    return {
      type: 'object',
      ...describe(docs?._doc),
      properties,
      ...(required.length ? { required: [...new Set(required)] } : {}),
      additionalProperties: false,
    };
  }

  /** Builds the definitions reachable from the root; returns them in catalogue order. */
  rootSchema(root: string, title: string, description: string): JsonSchema {
    const top = this.objectSchema(root);
    for (let i = 0; i < this.wanted.length; i++) {
      const name = this.wanted[i]!;
      if (this.cat.objects[name]) this.definitions.set(name, this.objectSchema(name));
      else if (name.endsWith('.strict') && this.cat.objects[name.slice(0, -'.strict'.length)]) {
        const obj = name.slice(0, -'.strict'.length);
        this.definitions.set(name, this.objectSchema(obj, this.rules.strict.get(obj)));
      } else if (this.cat.polymorphic[name]) this.definitions.set(name, this.slotSchema(name));
      else {
        const dot = name.indexOf('.');
        this.definitions.set(name, this.variantSchema(name.slice(0, dot), name.slice(dot + 1)));
      }
    }
    const order: string[] = [];
    for (const o of Object.keys(this.cat.objects)) order.push(o, strictName(o));
    for (const [s, def] of Object.entries(this.cat.polymorphic)) order.push(s, ...variantsOf(def).map((v) => `${s}.${v}`));
    const definitions: Record<string, JsonSchema> = {};
    for (const n of order) if (this.definitions.has(n)) definitions[n] = this.definitions.get(n)!;
    if (Object.keys(definitions).length !== this.definitions.size) throw new Error('internal: definition outside the catalogue order');
    return { $schema: DRAFT, title, description, ...top, definitions };
  }
}

const TITLES: Record<string, [title: string, description: string]> = {
  linkerd: [
    'Linkerd 1.7.5 configuration',
    'Configuration file of Linkerd 1.x (1.7.5): admin, routers, namers, telemetry, usage. Generated from core/config/catalogue.json by tools/gen-config-schemas.ts.',
  ],
  namerd: [
    'namerd 1.7.5 configuration',
    'Configuration file of namerd (Linkerd 1.7.5): admin, storage, namers, interfaces, telemetry. Generated from core/config/catalogue.json by tools/gen-config-schemas.ts.',
  ],
};

export function buildSchemas(cat: Catalogue, docs: KeyDocs): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, root] of Object.entries(cat.roots)) {
    const [title, description] = TITLES[name] ?? [`${name} configuration`, `Generated from core/config/catalogue.json by tools/gen-config-schemas.ts.`];
    out[name] = new Builder(cat, docs).rootSchema(root, title, description);
  }
  return out;
}

const repo = join(__dirname, '..');

export function loadInputs(root = repo): { catalogue: Catalogue; keyDocs: KeyDocs } {
  return {
    catalogue: JSON.parse(readFileSync(join(root, 'core', 'config', 'catalogue.json'), 'utf8')) as Catalogue,
    keyDocs: JSON.parse(readFileSync(join(root, 'core', 'config', 'key-docs.json'), 'utf8')) as KeyDocs,
  };
}

/** The generated files: path relative to the repository root -> exact file text. */
export function generate(root = repo): Record<string, string> {
  const { catalogue, keyDocs } = loadInputs(root);
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(buildSchemas(catalogue, keyDocs))) {
    files[`schemas/${name}.schema.json`] = JSON.stringify(schema, null, 2) + '\n';
  }
  return files;
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of Object.entries(generate())) {
    const path = join(repo, file);
    const same = existsSync(path) && readFileSync(path, 'utf8') === text;
    const defs = Object.keys((JSON.parse(text) as { definitions: object }).definitions).length;
    if (!same && !check) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    }
    if (!same) stale++;
    console.log(`${file}: ${defs} definitions, ${Buffer.byteLength(text)} bytes, ${same ? 'unchanged' : check ? 'OUT OF DATE' : 'written'}`);
  }
  if (check && stale) process.exitCode = 1;
}
