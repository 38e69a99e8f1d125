// The two patch formats the stand-in accepts, as the API server applies them:
// JSON merge patch (RFC 7386, application/merge-patch+json) and JSON patch (RFC 6902,
// application/json-patch+json). Pure functions over plain JSON values.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (x: unknown): x is { [key: string]: Json } => typeof x === 'object' && x !== null && !Array.isArray(x);

export const clone = <T>(x: T): T => (x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T));

/** RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: { [key: string]: Json } = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v) as Json;
  }
  return out;
}

export class PatchError extends Error {}

/** RFC 6901 pointer to its reference tokens. */
function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: Json[], token: string, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`invalid array index ${JSON.stringify(token)}`);
  const i = Number(token);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new PatchError(`array index ${i} out of bounds`);
  return i;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(doc: Json, path: string[]): { parent: Json; key: string } {
  let cur: Json = doc;
  for (const t of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)]!;
    else if (isObject(cur) && t in cur) cur = cur[t]!;
    else throw new PatchError(`path /${path.join('/')} does not exist`);
  }
  return { parent: cur, key: path[path.length - 1]! };
}

function get(doc: Json, pointer: string): Json {
  let cur: Json = doc;
  for (const t of tokens(pointer)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, false)]!;
    else if (isObject(cur) && t in cur) cur = cur[t]!;
    else throw new PatchError(`path ${pointer} does not exist`);
  }
  return cur;
}

function remove(doc: Json, pointer: string): { doc: Json; removed: Json } {
  const path = tokens(pointer);
  if (path.length === 0) throw new PatchError('cannot remove the whole document');
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, key, false);
    return { doc, removed: parent.splice(i, 1)[0]! };
  }
  if (isObject(parent) && key in parent) {
    const removed = parent[key]!;
    delete parent[key];
    return { doc, removed };
  }
  throw new PatchError(`path ${pointer} does not exist`);
}

function add(doc: Json, pointer: string, value: Json): Json {
  const path = tokens(pointer);
  if (path.length === 0) return value;
  const { parent, key } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new PatchError(`path ${pointer} does not exist`);
  return doc;
}

const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
};

/** RFC 6902: the operations in order; any failure fails the whole patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = clone(target) as Json;
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw new PatchError(`invalid operation ${JSON.stringify(op)}`);
    const { path } = op;
    const from = typeof op.from === 'string' ? op.from : undefined;
    switch (op.op) {
      case 'add':
        if (!('value' in op)) throw new PatchError('add operation has no value');
        doc = add(doc, path, clone(op.value!));
        break;
      case 'remove':
        doc = remove(doc, path).doc;
        break;
      case 'replace':
        if (!('value' in op)) throw new PatchError('replace operation has no value');
        if (tokens(path).length === 0) doc = clone(op.value!);
        else doc = add(remove(doc, path).doc, path, clone(op.value!));
        break;
      case 'move': {
        if (from === undefined) throw new PatchError('move operation has no from');
        const r = remove(doc, from);
        doc = add(r.doc, path, r.removed);
        break;
      }
      case 'copy':
        if (from === undefined) throw new PatchError('copy operation has no from');
        doc = add(doc, path, clone(get(doc, from)));
        break;
      case 'test':
        if (!deepEqual(get(doc, path), op.value)) throw new PatchError(`testing value ${path} failed`);
        break;
      default:
        throw new PatchError(`unknown operation ${JSON.stringify(op.op)}`);
    }
  }
  return doc;
}
