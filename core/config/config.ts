// A YAML file that may hold linkerd or namerd configs: the config itself, or Kubernetes manifests
// whose ConfigMaps carry a config as a string (`data: config.yaml: |-`), any number of documents.
// Every position, two levels deep included, is a position in the file.

import { isMap, isScalar, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../check/check.js';
import type { Span } from '../syntax/ast.js';
import { mapSpan, scalarMap } from './scalar-map.js';
import { detectConfig, validateConfig, type ConfigKind, type EmbeddedDtab } from './validate.js';

export interface FoundConfig {
  readonly kind: ConfigKind;
  /** Where the config is: the whole document, or a ConfigMap value. */
  readonly span: Span;
  /** For a config inside a ConfigMap: `<ConfigMap name>/<data key>`. */
  readonly inConfigMap?: string;
  /** The config's own YAML document and text (a ConfigMap value's text, for one inside a manifest). */
  readonly doc: Document;
  readonly text: string;
  /** From a file offset to an offset in `text`. */
  readonly fromFile: (offset: number) => number;
}

export interface ConfigFileResult {
  readonly configs: readonly FoundConfig[];
  readonly diagnostics: readonly Diagnostic[];
  readonly dtabs: readonly EmbeddedDtab[];
}

const PARSE = { keepSourceTokens: true, uniqueKeys: false } as const;

function get(map: Node | null | undefined, key: string): Node | null | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | null | undefined;
}

/** Finds and checks every linkerd/namerd config in a YAML (or JSON) file; none in unrelated files. */
export function checkConfigText(text: string): ConfigFileResult {
  const configs: FoundConfig[] = [];
  const diagnostics: Diagnostic[] = [];
  const dtabs: EmbeddedDtab[] = [];
  let docs: Document[];
  try {
    docs = parseAllDocuments(text, PARSE) as Document[];
    if (!Array.isArray(docs)) docs = [];
  } catch {
    return { configs, diagnostics, dtabs };
  }
  for (const doc of docs) {
    const kind = detectConfig(doc);
    const root = doc.contents as Node | null;
    if (kind) {
      const r = validateConfig(doc, text, kind);
      configs.push({ kind, span: { start: root?.range?.[0] ?? 0, end: root?.range?.[2] ?? text.length }, doc, text, fromFile: (o) => o });
      diagnostics.push(...r.diagnostics);
      dtabs.push(...r.dtabs);
      continue;
    }
    // A Kubernetes ConfigMap whose data values are configs.
    if (!isMap(root) || !isScalar(get(root, 'kind')) || (get(root, 'kind') as { value: unknown }).value !== 'ConfigMap') continue;
    const data = get(root, 'data');
    if (!isMap(data)) continue;
    const name = (get(get(root, 'metadata'), 'name') as { value?: unknown } | undefined)?.value;
    for (const pair of data.items) {
      const value = pair.value as Node | null;
      if (!isScalar(value) || typeof value.value !== 'string') continue;
      const inner = scalarMap(value, text);
      let innerDoc: Document;
      try {
        innerDoc = parseDocument(inner.value, PARSE) as Document;
      } catch {
        continue;
      }
      const innerKind = detectConfig(innerDoc);
      if (!innerKind) continue;
      const toFile = (s: Span) => mapSpan(inner, s.start, s.end);
      const r = validateConfig(innerDoc, inner.value, innerKind, toFile);
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const fromFile = (o: number) => {
        // The value's characters stand at increasing offsets: binary search the map.
        let lo = 0;
        let hi = inner.value.length;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (inner.map[mid]! <= o) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      };
      configs.push({ kind: innerKind, span: { start: value.range![0], end: value.range![1] }, inConfigMap: `${String(name ?? '?')}/${key}`, doc: innerDoc, text: inner.value, fromFile });
      diagnostics.push(...r.diagnostics);
      dtabs.push(...r.dtabs);
    }
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { configs, diagnostics, dtabs };
}

/** Whether a file name or its text looks like it could hold linkerd/namerd configs (cheap test). */
export function mayHoldConfig(text: string): boolean {
  return /^\s*(routers|storage|interfaces)\s*:/m.test(text) || /"routers"\s*:/.test(text) || /\bkind:\s*ConfigMap\b/.test(text);
}
