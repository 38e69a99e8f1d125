// Validation of one linkerd or namerd config document, the way Linkerd 1.7.5 reads it: YAML syntax,
// then the schema walker (walker.ts, driven by catalogue.json), then the cross-field checks
// (cross.ts). Embedded dtabs are collected on the way (embedded.ts), and what the config sets up is
// read into a model (model.ts).

import { isMap, isScalar, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../check/check.js';
import type { Span } from '../syntax/ast.js';
import { catalogue, type ConfigKind } from './catalogue.js';
import { crossChecks } from './cross.js';
import { diag, type Ctx } from './diag.js';
import type { EmbeddedDtab } from './embedded.js';
import { readModel, type ConfigModel } from './model.js';
import { mapSpan, type ScalarMap } from './scalar-map.js';
import { checkRoot } from './walker.js';

export { catalogue, type Catalogue, type ConfigKind, type Keys, type Poly, type TypeRef } from './catalogue.js';
export { fileMapped, namerRefDiagnostics, type EmbeddedDtab } from './embedded.js';
export { didYouMean } from './words.js';

export interface ConfigResult extends ConfigModel {
  readonly kind: ConfigKind;
  readonly diagnostics: Diagnostic[];
  readonly dtabs: EmbeddedDtab[];
}

/** Which config a YAML document is: linkerd (top-level `routers`) or namerd (`storage` + `interfaces`). */
export function detectConfig(doc: Document): ConfigKind | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const keys = new Set(root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  if (keys.has('routers')) return 'linkerd';
  if (keys.has('storage') && keys.has('interfaces')) return 'namerd';
  return undefined;
}

/** Validates one linkerd or namerd config document. `outer` maps its text into the file (a ConfigMap string). */
export function validateConfig(doc: Document, text: string, kind: ConfigKind, outer?: ScalarMap, literal = true): ConfigResult {
  const toFile = outer ? (s: Span) => mapSpan(outer, s.start, s.end) : (s: Span) => s;
  const ctx: Ctx = { text, out: [], dtabs: [], toFile, literal, outer };
  for (const e of doc.errors) {
    // At least one character, within the text (an error at its very end is reported past it).
    const start = Math.min(e.pos[0], text.length);
    const span = toFile({ start, end: Math.min(Math.max(e.pos[1], start + 1), text.length) });
    ctx.out.push({ span, severity: 'error', code: 'yaml-syntax', message: yamlMessage(e.message) });
  }
  const root = doc.contents as Node | null;
  if (root) {
    if (!isMap(root)) diag(ctx, root, 'error', 'wrong-type', `A ${kind} config is a mapping of keys.`);
    else checkRoot(ctx, root, catalogue.roots[kind]!, `the ${kind} config (top level)`);
  }
  const model = readModel(ctx, root, kind);
  crossChecks(ctx, root, kind, model);
  ctx.out.sort((a, b) => a.span.start - b.span.start);
  return { kind, diagnostics: ctx.out, dtabs: ctx.dtabs, namers: model.namers, routers: model.routers };
}

/**
 * The YAML library's message without its code frame and position ("… at line 2, column 1:"), which
 * counts from the start of a ConfigMap string rather than the file: the span says where.
 */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
  return /[.!?:]$/.test(first) ? first : `${first}.`;
}
