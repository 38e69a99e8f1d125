// The stand-in's storage: objects by resource, namespace and name, one global resourceVersion
// counter bumped by every write (as etcd's revision), and the event history that watches replay
// from (as the API server's watch cache), bounded so that old resourceVersions expire.

import { randomUUID } from 'node:crypto';
import { clone } from './patch.js';
import { asObj, asStr, meta, type AllocContext, type Obj, type ResourceDef } from './resources.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly rv: number;
  readonly type: EventType;
  readonly def: ResourceDef;
  readonly key: string;
  /** The object after the change (for DELETED: its last state, with the deletion's resourceVersion). */
  readonly object: Obj;
  /** The object before the change (MODIFIED, DELETED). */
  readonly prev?: Obj;
}

/** `ns/name` for namespaced objects, `name` otherwise: the order lists come in (etcd key order). */
export const keyOf = (def: ResourceDef, namespace: string | undefined, name: string): string => (def.namespaced ? `${namespace ?? ''}/${name}` : name);

const byKey = (a: [string, Obj], b: [string, Obj]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The parts of an object that decide whether a write changes anything. */
const content = (o: Obj) => {
  const c = clone(o);
  delete asObj(c.metadata).resourceVersion;
  return JSON.stringify(c);
};

export class Store {
  private rv: number;
  /** Writes at or below this resourceVersion are no longer in the history. */
  private compacted: number;
  private readonly objects = new Map<ResourceDef, Map<string, Obj>>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private nextIP = 10;
  private nextNodePort = 30000;

  constructor(
    readonly defs: readonly ResourceDef[],
    private readonly clock: () => Date,
    private readonly historyLimit: number,
    startRv: number,
  ) {
    this.rv = startRv;
    this.compacted = startRv;
    for (const d of defs) this.objects.set(d, new Map());
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch can start from, or a list be served at. */
  get oldest(): number {
    return this.compacted;
  }

  readonly alloc: AllocContext = {
    clusterIP: () => {
      const n = this.nextIP++;
      return `10.96.${Math.floor(n / 256)}.${n % 256}`;
    },
    nodePort: () => this.nextNodePort++,
  };

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): Obj | undefined {
    const o = this.objects.get(def)!.get(keyOf(def, namespace, name));
    return o && clone(o);
  }

  /** Current objects, in key order; within one namespace when given. */
  list(def: ResourceDef, namespace?: string): [string, Obj][] {
    const out: [string, Obj][] = [];
    for (const [k, o] of this.objects.get(def)!) {
      if (namespace !== undefined && def.namespaced && asStr(asObj(o.metadata).namespace) !== namespace) continue;
      out.push([k, o]);
    }
    return out.sort(byKey);
  }

  /**
   * The objects as they were at resourceVersion `rv` (rolled back through the history), or
   * undefined when that is older than the history.
   */
  listAt(def: ResourceDef, rv: number, namespace?: string): [string, Obj][] | undefined {
    if (rv < this.compacted) return undefined;
    const state = new Map(this.objects.get(def)!);
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i]!;
      if (e.rv <= rv) break;
      if (e.def !== def) continue;
      if (e.type === 'ADDED') state.delete(e.key);
      else state.set(e.key, e.prev!);
    }
    const out = [...state].filter(([, o]) => namespace === undefined || !def.namespaced || asStr(asObj(o.metadata).namespace) === namespace);
    return out.sort(byKey);
  }

  /** Events after `rv`, oldest first (the caller checked that `rv` is not compacted). */
  eventsAfter(rv: number): StoreEvent[] {
    return this.history.filter((e) => e.rv > rv);
  }

  /**
   * Creates or replaces an object, as the API server stores it: system metadata kept from the
   * stored object (or made anew), defaults filled in, generation counted, resourceVersion
   * bumped. A write that changes nothing is not a write (no new resourceVersion, no event).
   */
  put(def: ResourceDef, input: Obj, opts: { raw?: boolean; keepSystemFields?: boolean } = {}): { object: Obj; type: EventType | undefined } {
    const o = clone(input);
    const m = meta(o);
    const name = asStr(m.name) ?? '';
    const namespace = def.namespaced ? asStr(m.namespace) : undefined;
    if (!def.namespaced) delete m.namespace;
    const key = keyOf(def, namespace, name);
    const old = this.objects.get(def)!.get(key);
    o.apiVersion ??= def.group === '' ? def.versions[0] : `${def.group}/${def.versions[0]}`;
    o.kind ??= def.kind;
    if (old) {
      const om = asObj(old.metadata);
      m.uid = om.uid;
      m.creationTimestamp = om.creationTimestamp;
      if (om.generation !== undefined) m.generation = om.generation;
      else delete m.generation;
    } else if (!opts.keepSystemFields) {
      m.uid = randomUUID();
      m.creationTimestamp = this.clock().toISOString().replace(/\.\d+Z$/, 'Z');
      delete m.generation;
    } else {
      m.uid ??= randomUUID();
      m.creationTimestamp ??= this.clock().toISOString().replace(/\.\d+Z$/, 'Z');
    }
    if (!opts.raw) def.defaults(o, this.alloc);
    if (def.generation !== 'none') {
      if (!old) m.generation = 1;
      else {
        const part = (x: Obj) => {
          if (def.generation === 'spec') return JSON.stringify(x.spec ?? null);
          const { metadata: _m, status: _s, ...rest } = x;
          return JSON.stringify(rest);
        };
        m.generation = (typeof m.generation === 'number' ? m.generation : 1) + (part(old) === part(o) ? 0 : 1);
      }
    }
    m.resourceVersion = old ? asObj(old.metadata).resourceVersion : undefined;
    if (old && content(old) === content(o)) return { object: clone(old), type: undefined };
    m.resourceVersion = String(++this.rv);
    this.objects.get(def)!.set(key, o);
    const type: EventType = old ? 'MODIFIED' : 'ADDED';
    this.emit({ rv: this.rv, type, def, key, object: o, ...(old ? { prev: old } : {}) });
    return { object: clone(o), type };
  }

  remove(def: ResourceDef, namespace: string | undefined, name: string): Obj | undefined {
    const key = keyOf(def, namespace, name);
    const old = this.objects.get(def)!.get(key);
    if (!old) return undefined;
    this.objects.get(def)!.delete(key);
    const last = clone(old);
    asObj(last.metadata).resourceVersion = String(++this.rv);
    this.emit({ rv: this.rv, type: 'DELETED', def, key, object: last, prev: old });
    return clone(last);
  }

  /** Forgets the whole history: from now on only the current resourceVersion is served. */
  compact(): void {
    this.history = [];
    this.compacted = this.rv;
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compacted = dropped[dropped.length - 1]!.rv;
    }
    for (const l of [...this.listeners]) l(e);
  }
}

