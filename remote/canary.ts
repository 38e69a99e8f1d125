// Where a canary writes: one interface, a backend per place. Here the two dtab backends: a dtab
// FILE (only the canary's dentry is written; the rest of the file stays as it is on disk, also
// when others edited it meanwhile) and a namerd NAMESPACE (GET with its version, rewrite, PUT with
// If-Match: a 412 is a NamerdError 'conflict' and nothing is overwritten). The Kubernetes backends
// (an SMI TrafficSplit's weights, two Deployments' replica ratio) plug into the same interface
// from remote/k8s-canary.ts; their refs and originals are already in the state (core/canary).

import { createHash } from 'node:crypto';
import {
  CanaryError,
  finishDentry,
  locateDentry,
  restoreDentry,
  rewriteDentry,
  sameDestination,
  type CanaryBackendRef,
  type CanaryCurrent,
  type CanaryOriginal,
  type CanaryPlan,
  type DentryEdit,
} from '../core/index.js';
import type { NamerdClient } from './namerd.js';

/** What a write did. */
export interface CanaryWrite {
  /** Exactly what was written: the dentry (file), the whole dtab sent (namerd), the weights/replicas as JSON (Kubernetes). */
  readonly written: string;
  /** A sentence for the user, when there is something to say (e.g. whether an abort left the file byte-identical). */
  readonly note?: string;
}

/** What the backend needs of a canary that another process started. */
export interface CanaryResume {
  readonly plan: CanaryPlan;
  readonly original: CanaryOriginal;
  readonly current?: CanaryCurrent;
}

export interface CanaryBackend {
  readonly ref: CanaryBackendRef;
  /** `file world.dtab`, `namerd http://… namespace prod`. */
  describe(): string;
  /** Reads what is there now and checks the plan can start from it (the stable destination is where the name goes); writes nothing. */
  start(plan: CanaryPlan): Promise<CanaryOriginal>;
  /** Continues a canary started earlier (by this or another process). */
  resume(state: CanaryResume): void;
  /** Shifts `percent` of the traffic to the canary. */
  apply(percent: number): Promise<CanaryWrite>;
  /** Puts back exactly what `start` found (the dentry; others' edits elsewhere stay). */
  abort(original: CanaryOriginal): Promise<CanaryWrite>;
  /** All traffic to the canary; `keepStableAsFallback`: `canary | stable`. */
  finish(opts: { keepStableAsFallback?: boolean }): Promise<CanaryWrite>;
  /** What it last wrote, to keep in the state. */
  current(): CanaryCurrent | undefined;
  /** dtab backends: where the name's dentry routes now (one line), for a plan without a stable destination. */
  destinationOf?(name: string): Promise<string>;
}

/** The file system as the backend sees it (the CLI passes its Io, tests an in-memory map). */
export interface FileAccess {
  read(file: string): string;
  write(file: string, text: string): void;
}

/** A file that could not be read or written. */
export class CanaryFileError extends Error {}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The stable destination must be where the dentry routes now. */
function checkStable(where: string, plan: CanaryPlan, destination: string): void {
  if (!sameDestination(destination, plan.stable)) {
    throw new CanaryError('not-found', `the ${plan.name} dentry in ${where} routes to ${destination}, not to the stable destination ${plan.stable}: nothing to shift from (give --from ${JSON.stringify(destination)}, or fix the dentry first)`);
  }
  if (sameDestination(plan.canary, plan.stable)) throw new CanaryError('invalid', `the canary destination ${plan.canary} is the stable one: nothing to shift`);
}

/** Shared by the dtab backends: the plan and what was last written. */
abstract class DtabBackend implements CanaryBackend {
  protected plan: CanaryPlan | undefined;
  protected last: CanaryCurrent | undefined;
  abstract readonly ref: CanaryBackendRef;
  abstract describe(): string;
  abstract start(plan: CanaryPlan): Promise<CanaryOriginal>;
  abstract abort(original: CanaryOriginal): Promise<CanaryWrite>;
  protected abstract text(): Promise<string>;
  protected abstract write(edit: (text: string) => DentryEdit): Promise<CanaryWrite>;

  resume(state: CanaryResume): void {
    this.plan = state.plan;
    this.last = state.current ?? (state.original.dentryText !== undefined && state.original.range ? { dentryText: state.original.dentryText, range: state.original.range } : undefined);
  }

  current(): CanaryCurrent | undefined {
    return this.last;
  }

  async destinationOf(name: string): Promise<string> {
    return locateDentry(await this.text(), name).destination;
  }

  protected started(): { plan: CanaryPlan; last: { dentryText: string; range: { start: number; end: number } } } {
    if (!this.plan || this.last?.dentryText === undefined || !this.last.range) throw new CanaryError('invalid', 'the canary has not been started');
    return { plan: this.plan, last: { dentryText: this.last.dentryText, range: this.last.range } };
  }

  apply(percent: number): Promise<CanaryWrite> {
    const { plan, last } = this.started();
    return this.write((text) => rewriteDentry(text, { prefix: plan.name, stable: plan.stable, canary: plan.canary, percent, expect: last.dentryText }));
  }

  finish(opts: { keepStableAsFallback?: boolean }): Promise<CanaryWrite> {
    const { plan, last } = this.started();
    return this.write((text) => finishDentry(text, { prefix: plan.name, stable: plan.stable, canary: plan.canary, expect: last.dentryText, keepStableAsFallback: opts.keepStableAsFallback ?? false }));
  }

  protected restoreEdit(text: string, original: CanaryOriginal): DentryEdit {
    const { plan, last } = this.started();
    if (original.dentryText === undefined) throw new CanaryError('invalid', 'the state has no original dentry to put back');
    return restoreDentry(text, { prefix: plan.name, original: original.dentryText, written: last.dentryText, range: last.range });
  }
}

/** A dtab file: only the canary's dentry is ever written. */
export class FileCanaryBackend extends DtabBackend {
  readonly ref: CanaryBackendRef;

  constructor(
    readonly file: string,
    private readonly fs: FileAccess,
  ) {
    super();
    this.ref = { kind: 'file', file };
  }

  describe(): string {
    return `file ${this.file}`;
  }

  private read(): string {
    try {
      return this.fs.read(this.file);
    } catch (e) {
      throw new CanaryFileError(`cannot read ${this.file}: ${(e as Error).message}`);
    }
  }

  protected async text(): Promise<string> {
    return this.read();
  }

  private put(text: string): void {
    try {
      this.fs.write(this.file, text);
    } catch (e) {
      throw new CanaryFileError(`cannot write ${this.file}: ${(e as Error).message}`);
    }
  }

  async start(plan: CanaryPlan): Promise<CanaryOriginal> {
    const text = this.read();
    const found = locateDentry(text, plan.name);
    checkStable(this.file, plan, found.destination);
    this.plan = plan;
    this.last = { dentryText: found.dentryText, range: found.range };
    return { dentryText: found.dentryText, range: found.range, fileHash: sha256(text) };
  }

  protected async write(edit: (text: string) => DentryEdit): Promise<CanaryWrite> {
    const e = edit(this.read());
    this.put(e.text);
    this.last = { dentryText: e.dentryText, range: e.range };
    return { written: e.dentryText };
  }

  async abort(original: CanaryOriginal): Promise<CanaryWrite> {
    const text = this.read();
    const e = this.restoreEdit(text, original);
    if (e.text !== text) this.put(e.text);
    this.last = { dentryText: e.dentryText, range: e.range };
    const same = original.fileHash !== undefined && sha256(e.text) === original.fileHash;
    return { written: e.dentryText, note: same ? `${this.file} is byte-identical to what the canary started from` : `the dentry is back as it was; ${this.file} has other changes made since the canary started, kept as they are` };
  }
}

/** A namerd namespace: every write is a PUT with If-Match of the version just read. */
export class NamerdCanaryBackend extends DtabBackend {
  readonly ref: CanaryBackendRef;

  constructor(
    private readonly client: NamerdClient,
    readonly ns: string,
  ) {
    super();
    this.ref = { kind: 'namerd', url: client.base.href, ns };
  }

  describe(): string {
    return `namerd ${this.client.server} namespace ${this.ns}`;
  }

  private async read(): Promise<{ version: string; text: string }> {
    const r = await this.client.getText(this.ns);
    if (r.version === undefined) throw new CanaryError('invalid', `${this.client.server} sent namespace ${this.ns} without a version (ETag): the canary only writes with If-Match, so it will not write`);
    return { version: r.version, text: r.text };
  }

  protected async text(): Promise<string> {
    return (await this.read()).text;
  }

  async start(plan: CanaryPlan): Promise<CanaryOriginal> {
    const { version, text } = await this.read();
    const found = locateDentry(text, plan.name);
    checkStable(`namespace ${this.ns}`, plan, found.destination);
    this.plan = plan;
    this.last = { dentryText: found.dentryText, range: found.range };
    return { dentryText: found.dentryText, range: found.range, namerdText: text, namerdVersion: version };
  }

  protected async write(edit: (text: string) => DentryEdit): Promise<CanaryWrite> {
    const { version, text } = await this.read();
    const e = edit(text);
    await this.client.update(this.ns, e.text, { version });
    this.last = { dentryText: e.dentryText, range: e.range };
    return { written: e.text };
  }

  async abort(original: CanaryOriginal): Promise<CanaryWrite> {
    const { version, text } = await this.read();
    const e = this.restoreEdit(text, original);
    if (e.text !== text) await this.client.update(this.ns, e.text, { version });
    this.last = { dentryText: e.dentryText, range: e.range };
    const after = e.text === text ? text : (await this.read().catch(() => undefined))?.text;
    const same = original.namerdText !== undefined && after === original.namerdText;
    return { written: e.text, note: same ? `namespace ${this.ns} is as the canary found it` : `the dentry is back as it was; namespace ${this.ns} has other changes made since the canary started, kept as they are` };
  }
}
