// Offline cluster snapshots: the output of `kubectl get endpoints,services -A -o yaml` (or
// `-o json`) read into a K8sSource, and a live cache written back in the same form.
//
// Accepted: a `List` (kubectl), an `EndpointsList`/`ServiceList` (the API), several YAML
// documents, or single objects. Objects of other kinds are skipped (and counted in the status).
// Only the fields the namers read are kept, checked for their types: anything else malformed is
// a SnapshotError with the reason and, where the text allows, the offset. Hostile input is
// bounded before the YAML parser sees it (nesting depth, alias expansion, size).

import { isDocument, parseAllDocuments, stringify, type Document, type Node } from 'yaml';
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectMeta, Service, ServicePort, K8sSource, SourceStatus } from './types.js';

export class SnapshotError extends Error {
  constructor(
    /** What is wrong, for people. */
    readonly reason: string,
    /** Where in the text, when known (UTF-16 offset). */
    readonly offset?: number,
    /** The snapshot's name. */
    readonly snapshot?: string,
  ) {
    super(`${snapshot !== undefined ? `Snapshot ${snapshot}: ` : ''}${reason}${offset !== undefined ? ` (at offset ${offset})` : ''}`);
    this.name = 'SnapshotError';
  }
}

/** Deeper than any Kubernetes object (~10 levels); the YAML parser recurses on nesting. */
const MAX_NESTING = 64;
/** Aliases expand at most this many nodes (Kubernetes output has none). */
const MAX_ALIAS_COUNT = 50;
/** 256 MiB of text. */
const MAX_LENGTH = 256 * 1024 * 1024;

export interface SnapshotObjects {
  readonly endpoints: readonly Endpoints[];
  readonly services: readonly Service[];
}

export interface SnapshotOptions {
  /** Epoch ms when the snapshot was read (the status's `since`). */
  readonly readAt?: number;
}

/** A source read from a file: every object is known at once. */
export interface SnapshotK8sSource extends K8sSource {
  /** The objects read (one per namespace and name), to write back with snapshotText. */
  readonly objects: SnapshotObjects;
  endpoints(namespace: string, name: string): Endpoints | undefined;
  service(namespace: string, name: string): Service | undefined;
}

/** Reads a snapshot; throws SnapshotError when the text is not one. */
export function snapshotSource(text: string, name: string, options: SnapshotOptions = {}): SnapshotK8sSource {
  const parsed = parseSnapshot(text, name);
  return new SnapshotSource(parsed, name, options);
}

interface Parsed extends SnapshotObjects {
  /** Objects of other kinds skipped, by kind. */
  readonly skipped: ReadonlyMap<string, number>;
}

class SnapshotSource implements SnapshotK8sSource {
  private readonly eps = new Map<string, Endpoints>();
  private readonly svcs = new Map<string, Service>();
  private readonly names = new Map<string, Set<string>>();
  readonly objects: SnapshotObjects;
  private readonly statusValue: SourceStatus;

  constructor(parsed: Parsed, name: string, options: SnapshotOptions) {
    // A later object of the same namespace and name replaces an earlier one.
    for (const e of parsed.endpoints) this.add(this.eps, e);
    for (const s of parsed.services) this.add(this.svcs, s);
    this.objects = { endpoints: [...this.eps.values()], services: [...this.svcs.values()] };
    const skipped = [...parsed.skipped].map(([k, n]) => `${n} ${k}`).join(', ');
    this.statusValue = {
      source: `snapshot ${name}`,
      state: 'snapshot',
      ...(options.readAt !== undefined ? { since: options.readAt } : {}),
      ...(skipped ? { message: `skipped objects that are neither Endpoints nor Service: ${skipped}` } : {}),
    };
  }

  private add<T extends Endpoints | Service>(map: Map<string, T>, obj: T): void {
    const ns = obj.metadata!.namespace!;
    const n = obj.metadata!.name!;
    map.set(`${ns}/${n}`, obj);
    let set = this.names.get(ns);
    if (!set) this.names.set(ns, (set = new Set()));
    set.add(n);
  }

  endpoints(namespace: string, name: string): Endpoints | undefined {
    return this.eps.get(`${namespace}/${name}`);
  }

  service(namespace: string, name: string): Service | undefined {
    return this.svcs.get(`${namespace}/${name}`);
  }

  namespaces(): readonly string[] {
    return [...this.names.keys()].sort();
  }

  /** Services and Endpoints (the namer reads Endpoints named like their service), sorted. */
  services(namespace: string): readonly string[] {
    return [...(this.names.get(namespace) ?? [])].sort();
  }

  status(): SourceStatus {
    return this.statusValue;
  }
}

// ---- parsing --------------------------------------------------------------------------------------

/** Reads the objects of a snapshot text (no source around them). */
export function parseSnapshot(text: string, name?: string): Parsed {
  if (text.length > MAX_LENGTH) throw new SnapshotError(`the file is too large (${text.length} characters; at most ${MAX_LENGTH})`, undefined, name);
  if (text.trim() === '') throw new SnapshotError('the file is empty: expected the output of `kubectl get endpoints,services -A -o yaml`', undefined, name);
  const deep = nestingOverflow(text);
  if (deep !== undefined) throw new SnapshotError(`nesting deeper than ${MAX_NESTING} levels`, deep, name);

  let roots: { value: unknown; doc: number }[];
  let docs: Document[] | undefined;
  const json = /^\s*[[{]/.test(text) ? tryJson(text) : undefined;
  if (json !== undefined) roots = [{ value: json.value, doc: 0 }];
  else {
    docs = parseYaml(text, name);
    roots = docs.map((d, i) => ({ value: toJs(d, text, name), doc: i })).filter((r) => r.value !== null && r.value !== undefined);
    if (roots.length === 0) throw new SnapshotError('no Kubernetes objects: expected a List or Endpoints/Service objects', undefined, name);
  }
  const where = (doc: number, path: readonly (string | number)[]): number | undefined => {
    docs ??= safeParseYaml(text);
    return docs ? offsetOf(docs[doc], path) : undefined;
  };
  const out = { endpoints: [] as Endpoints[], services: [] as Service[], skipped: new Map<string, number>() };
  for (const root of roots) readRoot(root.value, root.doc, out, (path, reason): never => {
    throw new SnapshotError(`${path.length > 0 ? `${showPath(path)}: ` : ''}${reason}`, where(root.doc, path), name);
  });
  return out;
}

type Fail = (path: readonly (string | number)[], reason: string) => never;

function showPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

function tryJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // Not strict JSON: YAML (a superset) reads it, and says where it is wrong.
    return undefined;
  }
}

const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: false } as const;

function parseYaml(text: string, name: string | undefined): Document[] {
  let docs: Document[];
  try {
    const r = parseAllDocuments(text, PARSE_OPTIONS) as unknown;
    docs = Array.isArray(r) ? (r as Document[]) : [];
  } catch (e) {
    throw new SnapshotError(`not YAML or JSON: ${describe(e)}`, undefined, name);
  }
  for (const d of docs) {
    const err = d.errors[0];
    if (err) throw new SnapshotError(`not YAML or JSON: ${firstLine(err.message)}`, err.pos[0], name);
  }
  return docs;
}

function safeParseYaml(text: string): Document[] | undefined {
  try {
    const r = parseAllDocuments(text, PARSE_OPTIONS) as unknown;
    return Array.isArray(r) ? (r as Document[]) : undefined;
  } catch {
    return undefined;
  }
}

function toJs(doc: Document, text: string, name: string | undefined): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const m = describe(e);
    const offset = /alias/i.test(m) ? aliasOffset(text) : undefined;
    // The yaml library's alias-bomb error; another alias error (an unresolved one) is just bad YAML.
    const bomb = /excessive alias count/i.test(m);
    throw new SnapshotError(bomb ? `YAML aliases expand too far (${firstLine(m)})` : `not YAML or JSON: ${firstLine(m)}`, offset, name);
  }
}

function aliasOffset(text: string): number | undefined {
  const i = text.search(/(^|[\s[{,:-])\*[^\s]/);
  return i < 0 ? undefined : i + (text[i] === '*' ? 0 : 1);
}

function describe(e: unknown): string {
  return e instanceof RangeError ? 'nested too deeply' : e instanceof Error ? e.message : String(e);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** The offset of the node at `path` in a YAML document (undefined when it is not there). */
function offsetOf(doc: Document | undefined, path: readonly (string | number)[]): number | undefined {
  if (!doc || !isDocument(doc)) return undefined;
  for (let n = path.length; n >= 0; n--) {
    try {
      const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n), true) as Node | undefined);
      const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (r) return r[0];
    } catch {
      // A path through a scalar: try a shorter one.
    }
  }
  return undefined;
}

/**
 * The first offset where brackets or block indentation nest deeper than MAX_NESTING, or
 * undefined. An over-estimate (quoted text is skipped only roughly), which is fine: real
 * Kubernetes objects are about ten levels deep.
 */
function nestingOverflow(text: string): number | undefined {
  let flow = 0;
  const indents: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line: its indentation, counting `- ` sequence markers as levels.
    let col = 0;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) {
      i++;
      col++;
    }
    let dashes = 0;
    while (i < n && text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      dashes++;
      i += 2;
      col += 2;
      while (i < n && text[i] === ' ') {
        i++;
        col++;
      }
    }
    const blank = i >= n || text[i] === '\n' || text[i] === '\r' || text[i] === '#';
    if (!blank && flow === 0) {
      const base = col - 2 * dashes;
      while (indents.length > 0 && indents[indents.length - 1]! >= base) indents.pop();
      indents.push(base);
      if (indents.length + dashes > MAX_NESTING) return i;
    }
    // The rest of the line: flow brackets outside quotes.
    let quote: string | undefined;
    while (i < n && text[i] !== '\n') {
      const c = text[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
        while (i < n && text[i] !== '\n') i++;
        break;
      } else if (c === '[' || c === '{') {
        if (++flow + indents.length > MAX_NESTING) return i;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      i++;
    }
    i++;
  }
  return undefined;
}

// ---- objects ---------------------------------------------------------------------------------------

type Out = { endpoints: Endpoints[]; services: Service[]; skipped: Map<string, number> };
type Path = readonly (string | number)[];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const LIST_ITEM_KIND: Record<string, string> = { EndpointsList: 'Endpoints', ServiceList: 'Service' };

function readRoot(v: unknown, _doc: number, out: Out, fail: Fail): void {
  if (!isObj(v)) fail([], `expected a Kubernetes List or object, not ${typeName(v)}`);
  const kind = v['kind'];
  if (kind === 'List' || (typeof kind === 'string' && kind.endsWith('List')) || (kind === undefined && Array.isArray(v['items']))) {
    const items = v['items'];
    if (items === null || items === undefined) return;
    if (!Array.isArray(items)) fail(['items'], `expected a list, not ${typeName(items)}`);
    // The API's lists (EndpointsList, ServiceList, PodList…) leave `kind` off their items.
    const itemKind = typeof kind === 'string' && kind !== 'List' ? (LIST_ITEM_KIND[kind] ?? kind.slice(0, -'List'.length)) : undefined;
    items.forEach((item, i) => readObject(item, ['items', i], itemKind, out, fail));
    return;
  }
  readObject(v, [], undefined, out, fail);
}

function readObject(v: unknown, at: Path, listItemKind: string | undefined, out: Out, fail: Fail): void {
  if (!isObj(v)) fail(at, `expected a Kubernetes object, not ${typeName(v)}`);
  const k = v['kind'] ?? listItemKind;
  if (k === undefined) fail(at, 'the object has no `kind`');
  if (typeof k !== 'string') fail([...at, 'kind'], `expected a string, not ${typeName(k)}`);
  if (k !== 'Endpoints' && k !== 'Service') {
    out.skipped.set(k, (out.skipped.get(k) ?? 0) + 1);
    return;
  }
  const apiVersion = optString(v, 'apiVersion', at, fail) ?? 'v1';
  const metadata = readMeta(v['metadata'], [...at, 'metadata'], k, fail);
  if (k === 'Endpoints') {
    const subsets = optList(v, 'subsets', at, fail, readSubset);
    out.endpoints.push({ kind: 'Endpoints', apiVersion, metadata, ...(subsets !== undefined ? { subsets } : {}) });
  } else {
    out.services.push(readService(v, at, apiVersion, metadata, fail));
  }
}

function readMeta(v: unknown, at: Path, kind: string, fail: Fail): ObjectMeta {
  if (!isObj(v)) fail(at, `the ${kind} has no metadata`);
  const name = v['name'];
  const namespace = v['namespace'];
  if (typeof name !== 'string' || name === '') fail([...at, 'name'], `the ${kind} has no name`);
  if (typeof namespace !== 'string' || namespace === '') fail([...at, 'namespace'], `the ${kind} ${name} has no namespace (take the snapshot with \`-A\` or \`-n <namespace>\` and -o yaml)`);
  const resourceVersion = optString(v, 'resourceVersion', at, fail);
  let labels: Record<string, string> | undefined;
  const l = v['labels'];
  if (l !== undefined && l !== null) {
    if (!isObj(l)) fail([...at, 'labels'], `expected a mapping, not ${typeName(l)}`);
    const entries: [string, string][] = [];
    for (const [key, value] of Object.entries(l)) {
      if (typeof value !== 'string') fail([...at, 'labels', key], `expected a string, not ${typeName(value)}`);
      entries.push([key, value]);
    }
    // Own properties only, whatever the keys (`__proto__` included).
    labels = Object.fromEntries(entries);
  }
  return { name, namespace, ...(resourceVersion !== undefined ? { resourceVersion } : {}), ...(labels ? { labels } : {}) };
}

function readSubset(v: unknown, at: Path, fail: Fail): EndpointSubset {
  if (!isObj(v)) fail(at, `expected a mapping, not ${typeName(v)}`);
  const addresses = optList(v, 'addresses', at, fail, readAddress);
  const notReadyAddresses = optList(v, 'notReadyAddresses', at, fail, readAddress);
  const ports = optList(v, 'ports', at, fail, readEndpointPort);
  return {
    ...(addresses !== undefined ? { addresses } : {}),
    ...(notReadyAddresses !== undefined ? { notReadyAddresses } : {}),
    ...(ports !== undefined ? { ports } : {}),
  };
}

function readAddress(v: unknown, at: Path, fail: Fail): EndpointAddress {
  if (!isObj(v)) fail(at, `expected a mapping, not ${typeName(v)}`);
  const ip = v['ip'];
  if (typeof ip !== 'string' || ip === '') fail([...at, 'ip'], 'an endpoint address needs an `ip` (a string)');
  const nodeName = optString(v, 'nodeName', at, fail);
  const hostname = optString(v, 'hostname', at, fail);
  return { ip, ...(nodeName !== undefined ? { nodeName } : {}), ...(hostname !== undefined ? { hostname } : {}) };
}

function readEndpointPort(v: unknown, at: Path, fail: Fail): EndpointPort {
  if (!isObj(v)) fail(at, `expected a mapping, not ${typeName(v)}`);
  const port = readPortNumber(v['port'], [...at, 'port'], fail);
  const name = optString(v, 'name', at, fail);
  const protocol = optString(v, 'protocol', at, fail);
  return { ...(name !== undefined ? { name } : {}), port, ...(protocol !== undefined ? { protocol } : {}) };
}

function readService(v: Record<string, unknown>, at: Path, apiVersion: string, metadata: ObjectMeta, fail: Fail): Service {
  let spec: Service['spec'];
  const s = v['spec'];
  if (s !== undefined && s !== null) {
    if (!isObj(s)) fail([...at, 'spec'], `expected a mapping, not ${typeName(s)}`);
    const ports = optList(s, 'ports', [...at, 'spec'], fail, readServicePort);
    const type = optString(s, 'type', [...at, 'spec'], fail);
    const clusterIP = optString(s, 'clusterIP', [...at, 'spec'], fail);
    spec = { ...(ports !== undefined ? { ports } : {}), ...(type !== undefined ? { type } : {}), ...(clusterIP !== undefined ? { clusterIP } : {}) };
  }
  let status: Service['status'];
  const st = v['status'];
  if (st !== undefined && st !== null) {
    if (!isObj(st)) fail([...at, 'status'], `expected a mapping, not ${typeName(st)}`);
    const lb = st['loadBalancer'];
    if (lb === undefined || lb === null) status = {};
    else {
      const lbAt = [...at, 'status', 'loadBalancer'];
      if (!isObj(lb)) fail(lbAt, `expected a mapping, not ${typeName(lb)}`);
      const ingress = optList(lb, 'ingress', lbAt, fail, (x: unknown, a: Path, f: Fail) => {
        if (!isObj(x)) f(a, `expected a mapping, not ${typeName(x)}`);
        const ip = optString(x, 'ip', a, f);
        const hostname = optString(x, 'hostname', a, f);
        return { ...(ip !== undefined ? { ip } : {}), ...(hostname !== undefined ? { hostname } : {}) };
      });
      status = { loadBalancer: ingress !== undefined ? { ingress } : {} };
    }
  }
  return { kind: 'Service', apiVersion, metadata, ...(spec !== undefined ? { spec } : {}), ...(status !== undefined ? { status } : {}) };
}

function readServicePort(v: unknown, at: Path, fail: Fail): ServicePort {
  if (!isObj(v)) fail(at, `expected a mapping, not ${typeName(v)}`);
  const port = readPortNumber(v['port'], [...at, 'port'], fail);
  const name = optString(v, 'name', at, fail);
  const protocol = optString(v, 'protocol', at, fail);
  const t = v['targetPort'];
  let targetPort: number | string | undefined;
  if (t !== undefined && t !== null) {
    if (typeof t === 'string') targetPort = t;
    else targetPort = readPortNumber(t, [...at, 'targetPort'], fail);
  }
  return { ...(name !== undefined ? { name } : {}), port, ...(targetPort !== undefined ? { targetPort } : {}), ...(protocol !== undefined ? { protocol } : {}) };
}

function readPortNumber(v: unknown, at: Path, fail: Fail): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) fail(at, `expected a port number (0-65535), not ${typeName(v)}`);
  return v;
}

function optString(v: Record<string, unknown>, key: string, at: Path, fail: Fail): string | undefined {
  const x = v[key];
  if (x === undefined || x === null) return undefined;
  if (typeof x !== 'string') fail([...at, key], `expected a string, not ${typeName(x)}`);
  return x;
}

function optList<T>(v: Record<string, unknown>, key: string, at: Path, fail: Fail, read: (x: unknown, at: Path, fail: Fail) => T): T[] | undefined {
  const x = v[key];
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x)) fail([...at, key], `expected a list, not ${typeName(x)}`);
  return x.map((item, i) => read(item, [...at, key, i], fail));
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'number' ? 'the number' : 'the value'} ${String(v)}`;
}

// ---- writing -----------------------------------------------------------------------------------------

const byKey = (a: Endpoints | Service, b: Endpoints | Service) => {
  const ka = `${a.metadata?.namespace ?? ''}\u0000${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}\u0000${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/**
 * A snapshot text, as `kubectl get endpoints,services -A -o yaml` writes it: a `List` (apiVersion
 * v1) of the Endpoints then the Services, each sorted by namespace and name, with `kind` and
 * `apiVersion` on every item and keys in kubectl's (alphabetical) order. snapshotSource reads it back.
 */
export function snapshotText(objects: SnapshotObjects): string {
  const items = [
    ...[...objects.endpoints].sort(byKey).map((e) => ({ ...plain(e), apiVersion: e.apiVersion ?? 'v1', kind: 'Endpoints' })),
    ...[...objects.services].sort(byKey).map((s) => ({ ...plain(s), apiVersion: s.apiVersion ?? 'v1', kind: 'Service' })),
  ];
  const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
  return stringify(list, { sortMapEntries: true, aliasDuplicateObjects: false, lineWidth: 0 });
}

/** A copy without undefined fields (the YAML writer would print them as null). */
function plain(v: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}
