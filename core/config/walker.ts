// The schema walker: checks a config's YAML against the catalogue the way Linkerd 1.7.5's
// Jackson-based parser reads it: unknown and duplicate keys, missing required keys, wrong types,
// unknown `kind`/`protocol` values, removed keys and kinds, experimental gates; embedded dtabs and
// paths are parsed where the catalogue says a key holds one. Its recursion follows the catalogue's
// types (a few levels), never the input's depth: values of unexpected shapes are not entered.

import { isAlias, isMap, isScalar, isSeq, type Alias, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { parsePath } from '../syntax/parser.js';
import {
  catalogue,
  isGated,
  kindWord,
  RENAMED_KEYS,
  RENAMED_KINDS,
  requiredOfObject,
  requiredOfVariant,
  strictObjectsIn,
  variantKeys,
  variantNames,
  type Keys,
  type TypeRef,
} from './catalogue.js';
import { capitalize, diag, keyName, keyOrMap, lineOf, spanOf, sub, type Ctx } from './diag.js';
import { embedDtab } from './embedded.js';
import { IP_PATTERN, SCALAR_TYPES, typePhrase } from './scalars.js';
import { mapSpan, scalarMap } from './scalar-map.js';
import { shorten, unknownWord } from './words.js';

const IP = new RegExp(IP_PATTERN);

/** The root mapping of a config: its top-level keys. */
export function checkRoot(ctx: Ctx, root: YAMLMap, object: string, what: string): void {
  checkKeys(ctx, root, catalogue.objects[object]!, '', what, requiredOfObject(object));
}

function checkScalar(ctx: Ctx, node: Node, t: string, where: string): void {
  if (!isScalar(node)) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be ${typePhrase(t)}, not ${isSeq(node) ? 'a list' : 'a mapping'}.`);
    return;
  }
  const v = node.value;
  const raw = shorten(node.range ? ctx.text.slice(node.range[0], node.range[1]) : String(v));
  const wrong = () => diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be ${typePhrase(t)}; found ${v === null ? 'nothing' : `\`${raw}\``}.`);
  switch (t) {
    case 'str':
    case 'file':
    case 'dir':
      if (v === null || typeof v === 'object') wrong();
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) wrong();
      return;
    case 'num':
      if (typeof v !== 'number') wrong();
      return;
    case 'bool':
      if (typeof v !== 'boolean') wrong();
      return;
    case 'port':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535)
        diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found \`${raw}\`.`);
      return;
    case 'ip':
      if (typeof v !== 'string' || !IP.test(v))
        diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be an IP address literal such as \`0.0.0.0\` or \`127.0.0.1\`; Linkerd does not resolve host names here${v === 'localhost' ? ' (use `127.0.0.1` for `localhost`)' : ''}.`, v === 'localhost' ? [{ title: 'Use 127.0.0.1', edits: [{ span: spanOf(node), text: '127.0.0.1' }] }] : undefined);
      return;
    case 'path':
    case 'pathmatcher':
      if (typeof v !== 'string') return wrong();
      if (t === 'path') checkPath(ctx, node, v, where);
      else if (!v.startsWith('/')) diag(ctx, node, 'error', 'invalid-path', `\`${where}\` must be a path pattern starting with \`/\`.`);
      return;
    case 'dtab':
      if (typeof v !== 'string') return wrong();
      embedDtab(ctx, node, where);
      return;
    default: {
      const type = SCALAR_TYPES[t];
      if (!type?.values) return;
      const ok = typeof v === 'string' && (type.caseInsensitive ? type.values.some((x) => x.toLowerCase() === v.toLowerCase()) : type.values.includes(v));
      if (ok) return;
      if (type.caseInsensitive) diag(ctx, node, 'error', 'wrong-value', `\`${where}\` must be one of ${type.values.join(', ')}.`);
      else diag(ctx, node, 'error', 'wrong-value', `\`${where}\` must be ${typePhrase(t)}.`);
    }
  }
}

function checkPath(ctx: Ctx, node: Scalar, v: string, where: string): void {
  const r = parsePath(v);
  if (r.ok) return;
  const m = scalarMap(node, ctx.text);
  ctx.out.push({ span: ctx.toFile(mapSpan(m, r.error.span.start, r.error.span.end)), severity: 'error', code: 'invalid-path', message: `\`${where}\` is not a valid path: ${r.error.plain}`, finagleMessage: r.error.finagleMessage });
}

/** Checks a value of type `t`; `strict` names the objects that must be in their strict form here. */
function checkType(ctx: Ctx, node: Node | null, t: TypeRef, where: string, strict?: ReadonlySet<string>, key?: Node): void {
  if (node === null) {
    // No value node at all (`{label}`): said at its key.
    diag(ctx, key ?? node, 'error', 'wrong-type', `\`${where}\` has no value.`);
    return;
  }
  if (isAlias(node)) return aliasUsed(ctx, node, `\`${where}\``);
  if (typeof t === 'string') return checkScalar(ctx, node, t, where);
  if ('obj' in t) return checkObject(ctx, node, t.obj, where, strict?.has(t.obj) ?? false);
  if ('poly' in t) return checkPoly(ctx, node, t.poly, where);
  if ('list' in t) {
    if (!isSeq(node)) {
      diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a list (items start with \`- \`).`);
      return;
    }
    node.items.forEach((item, i) => checkType(ctx, item as Node, t.list, `${where}[${i}]`, strict));
    return;
  }
  if ('map' in t) {
    if (!isMap(node)) {
      diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a mapping.`);
      return;
    }
    for (const p of node.items) checkType(ctx, p.value as Node | null, t.map, sub(where, keyName(p) ?? '?'), strict, p.key as Node);
    return;
  }
  if (isSeq(node)) node.items.forEach((item, i) => checkType(ctx, item as Node, t.oneOrList, `${where}[${i}]`, strict));
  else checkType(ctx, node, t.oneOrList, where, strict);
}

/** Keys of a mapping: duplicates reported; returns the pairs by name. */
function keysOf(ctx: Ctx, map: YAMLMap, where: string): Map<string, Pair> {
  const seen = new Map<string, Pair>();
  for (const p of map.items) {
    const k = keyName(p);
    if (k === undefined && isAlias(p.key)) {
      aliasUsed(ctx, p.key, 'This key', 'key');
      continue;
    }
    if (k === undefined) {
      diag(ctx, p.key as Node, 'error', 'wrong-type', `Keys in ${where ? `\`${where}\`` : 'the top level'} must be plain names.`);
      continue;
    }
    const first = seen.get(k);
    if (first) {
      const line = lineOf(ctx, spanOf(first.key as Node).start);
      diag(ctx, p.key as Node, 'error', 'duplicate-key', `Duplicate key \`${k}\` (first on line ${line}): Linkerd rejects duplicate keys.`);
      continue;
    }
    seen.set(k, p);
  }
  return seen;
}

function checkKeys(ctx: Ctx, map: YAMLMap, allowed: Keys, where: string, what: string, required: readonly string[], skip: readonly string[] = [], strict?: ReadonlySet<string>): Map<string, Pair> {
  const keys = keysOf(ctx, map, where);
  for (const [k, p] of keys) {
    if (skip.includes(k)) continue;
    const t = allowed[k];
    if (t !== undefined) {
      checkType(ctx, p.value as Node | null, t, sub(where, k), strict, p.key as Node);
      continue;
    }
    const renamed = RENAMED_KEYS[k];
    if (renamed) {
      const to = renamed.to && allowed[renamed.to] !== undefined ? renamed.to : undefined;
      diag(ctx, p.key as Node, 'error', 'removed-key', `\`${k}\` ${renamed.why}; Linkerd 1.7.5 rejects it.`, to ? [{ title: `Rename to \`${to}\``, edits: [{ span: spanOf(p.key as Node), text: to }] }] : undefined);
      continue;
    }
    if (k === '<<') {
      diag(ctx, p.key as Node, 'error', 'unknown-key', `\`<<\` (a YAML merge key) is not merged by Linkerd's YAML reader: it is an unknown key in ${what}, and Linkerd rejects the whole config. Write the keys out.`);
      continue;
    }
    const { guess, hint } = unknownWord(k, Object.keys(allowed));
    diag(
      ctx,
      p.key as Node,
      'error',
      'unknown-key',
      `Unknown key \`${shorten(k)}\` in ${what}: Linkerd rejects the whole config.${hint}`,
      guess ? [{ title: `Change to \`${guess}\``, edits: [{ span: spanOf(p.key as Node), text: guess }] }] : undefined,
    );
  }
  for (const r of required) {
    if (!keys.has(r)) diag(ctx, keyOrMap(map), 'error', 'missing-key', `${capitalize(what)} needs \`${r}\`.`);
  }
  return keys;
}

function checkObject(ctx: Ctx, node: Node, name: string, where: string, strict: boolean): void {
  if (!isMap(node)) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a mapping.`);
    return;
  }
  const allowed = catalogue.objects[name] ?? {};
  checkKeys(ctx, node, allowed, where, `\`${where}\``, requiredOfObject(name, strict));
}

function checkPoly(ctx: Ctx, node: Node, slot: string, where: string): void {
  if (!isMap(node)) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a mapping.`);
    return;
  }
  const poly = catalogue.polymorphic[slot]!;
  const disc = poly._disc;
  const variants = variantNames(poly);
  const discPair = node.items.find((p) => keyName(p) === disc);
  const word = kindWord(slot);
  let variant: string | undefined;
  if (!discPair) {
    if (poly._default) variant = poly._default;
    else {
      diag(ctx, keyOrMap(node), 'error', 'missing-kind', `This ${word} needs \`${disc}\` (one of ${variants.map((v) => `\`${v}\``).join(', ')}).`);
      keysOf(ctx, node, where);
      return;
    }
  } else {
    const v = discPair.value as Node | null;
    if (isAlias(v)) {
      aliasUsed(ctx, v, `\`${sub(where, disc)}\``);
      keysOf(ctx, node, where);
      return;
    }
    const value = isScalar(v) && v.value !== null ? String(v.value) : undefined;
    if (value !== undefined && variants.includes(value)) variant = value;
    else if (value === undefined && (v === null || isScalar(v))) {
      // `protocol:` with nothing after it.
      diag(ctx, discPair.key as Node, 'error', 'missing-kind', `\`${sub(where, disc)}\` has no value: this ${word} needs one of ${variants.map((x) => `\`${x}\``).join(', ')}.`);
      keysOf(ctx, node, where);
      return;
    } else if (value === undefined) {
      diag(ctx, v, 'error', 'wrong-type', `\`${sub(where, disc)}\` must be a name (one of ${variants.map((x) => `\`${x}\``).join(', ')}), not a ${isSeq(v) ? 'list' : 'mapping'}.`);
      keysOf(ctx, node, where);
      return;
    } else {
      const renamed = value !== undefined ? RENAMED_KINDS[value] : undefined;
      if (renamed) {
        const to = renamed.to && variants.includes(renamed.to) ? renamed.to : undefined;
        diag(ctx, v, 'error', 'removed-kind', `\`${value}\` ${renamed.why}; Linkerd 1.7.5 rejects it.`, to ? [{ title: `Change to \`${to}\``, edits: [{ span: spanOf(v), text: to }] }] : undefined);
      } else {
        const { guess, hint } = value !== undefined ? unknownWord(value, variants) : { guess: undefined, hint: '' };
        diag(
          ctx,
          v ?? (discPair.key as Node),
          'error',
          'unknown-kind',
          `Unknown ${disc} \`${shorten(value ?? '')}\` for this ${word}: expected one of ${variants.map((x) => `\`${x}\``).join(', ')}.${hint}`,
          guess && v ? [{ title: `Change to \`${guess}\``, edits: [{ span: spanOf(v), text: guess }] }] : undefined,
        );
      }
      keysOf(ctx, node, where);
      return;
    }
  }
  const label = `${slot === 'router' ? `a \`${variant}\` router` : `the \`${variant}\` ${word}`}`;
  const keys = checkKeys(ctx, node, variantKeys(poly, variant), where, label, requiredOfVariant(slot, variant), [disc], strictObjectsIn(slot, variant));
  if (isGated(slot, variant)) {
    const exp = keys.get('experimental');
    const on = exp && isScalar(exp.value) && exp.value.value === true;
    if (!on) {
      const at = discPair ? (discPair.value as Node) : keyOrMap(node);
      const indent = ' '.repeat(lineIndent(ctx.text, spanOf(discPair?.key as Node).start));
      const insertAt = discPair ? spanOf(discPair.value as Node).end : spanOf(node).start;
      // namerd checks the storage gate when it starts, not when it parses the config, and its own
      // etcd example omits the flag: a warning here, so that config still validates.
      const storage = slot === 'storage';
      const message = storage
        ? `\`${variant}\` storage is experimental: namerd refuses to start it unless this block has \`experimental: true\` (the config itself parses).`
        : `\`${variant}\` is experimental: Linkerd refuses to start unless this block has \`experimental: true\`.`;
      diag(ctx, at, storage ? 'warning' : 'error', 'experimental-required', message, [
        { title: 'Add `experimental: true`', edits: [{ span: { start: insertAt, end: insertAt }, text: `\n${indent}experimental: true` }] },
      ]);
    }
  }
}

/**
 * A YAML alias (`*name`) where Linkerd reads a value: its YAML reader (Jackson) does not expand
 * aliases, so the value is not what the anchor holds. Reported at the alias; never expanded here.
 */
function aliasUsed(ctx: Ctx, alias: Alias, what: string, thing = 'value'): void {
  diag(ctx, alias, 'error', 'yaml-alias', `${what} is the YAML alias \`*${alias.source}\`: Linkerd's YAML reader does not expand aliases. Write the ${thing} out here.`);
}

function lineIndent(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let i = start;
  while (text[i] === ' ' || text[i] === '-') i++;
  return i - start;
}
