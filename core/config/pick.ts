// Which dtab of a linkerd/namerd config a command means: a router by its label (or the only
// router with a dtab), or a namerd namespace by its name; with the namers that answer its `/#/` paths.

import type { ConfigFileResult, FoundConfig } from './config.js';
import type { ConfigNamer } from './model.js';
import { routerNamers } from './model.js';
import type { EmbeddedDtab } from './validate.js';

export type PickedDtab =
  | {
      readonly ok: true;
      readonly dtab: EmbeddedDtab;
      readonly config: FoundConfig;
      /** The namers of the config, or undefined when namerd's answer (a namerd-backed router): assume Linkerd's. */
      readonly namers: readonly ConfigNamer[] | undefined;
      /** `router outgoing`, `namespace default`. */
      readonly name: string;
      /** The router's `interpreter.transformers` (none for a namerd namespace). */
      readonly transformers: readonly { readonly kind: string; readonly params: Readonly<Record<string, unknown>> }[];
    }
  | { readonly ok: false; readonly message: string };

function nameOf(d: EmbeddedDtab): string | undefined {
  if (!d.owner) return undefined;
  return d.owner.kind === 'router' ? d.owner.label : d.owner.name;
}

/** The dtab named `label` (a router label or a namerd namespace), or the only one there is. */
export function pickConfigDtab(result: ConfigFileResult, label?: string): PickedDtab {
  if (result.configs.length === 0) return { ok: false, message: 'no linkerd or namerd config found in it' };
  const all: { d: EmbeddedDtab; config: FoundConfig }[] = [];
  for (const config of result.configs) for (const d of result.dtabs) if (d.span.start >= config.span.start && d.span.end <= config.span.end) all.push({ d, config });
  const names = all.map((x) => nameOf(x.d)).filter((n): n is string => n !== undefined);
  let chosen: { d: EmbeddedDtab; config: FoundConfig } | undefined;
  if (label !== undefined) {
    chosen = all.find((x) => nameOf(x.d) === label);
    if (!chosen) return { ok: false, message: `no router or namespace labelled ${label} has a dtab (${names.length ? `there are: ${names.join(', ')}` : 'none has a dtab'})` };
  } else {
    if (all.length === 0) return { ok: false, message: 'no router or namespace in it has a dtab' };
    if (all.length > 1) return { ok: false, message: `it has ${all.length} dtabs: say which with --router (${names.join(', ')})` };
    chosen = all[0]!;
  }
  const owner = chosen.d.owner;
  const own = !owner || owner.kind === 'namespace' || routerNamers(owner.interpreter) === 'config';
  const name = owner ? (owner.kind === 'router' ? `router ${owner.label}` : `namespace ${owner.name}`) : 'the dtab';
  const router = owner?.kind === 'router' ? chosen.config.routers.find((r) => r.dtab === chosen!.d) : undefined;
  return { ok: true, dtab: chosen.d, config: chosen.config, namers: own ? chosen.config.namers : undefined, name, transformers: router?.transformers ?? [] };
}
