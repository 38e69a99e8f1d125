// What the config checks share: the state of one validation (text, diagnostics, embedded dtabs,
// the map into the file) and small helpers over YAML nodes.

import { isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic, Fix } from '../check/check.js';
import type { Span } from '../syntax/ast.js';
import { LineIndex } from '../text/lines.js';
import type { EmbeddedDtab } from './embedded.js';
import type { ScalarMap } from './scalar-map.js';
import { shorten, visible } from './words.js';

export interface Ctx {
  readonly text: string;
  readonly out: Diagnostic[];
  readonly dtabs: EmbeddedDtab[];
  /** Maps a span of this document's text to the file (identity, or through a ConfigMap string). */
  readonly toFile: (s: Span) => Span;
  /** Whether the text being validated sits in a literal block (a ConfigMap `|` value) or is the file. */
  readonly literal: boolean;
  /** For a config inside a ConfigMap string: that string's map into the file. */
  readonly outer: ScalarMap | undefined;
  /** Line numbers of the text, built on first use. */
  lines?: LineIndex;
}

/** The 1-based line of an offset of the text. */
export function lineOf(ctx: Ctx, offset: number): number {
  ctx.lines ??= new LineIndex(ctx.text);
  return ctx.lines.position(offset).line + 1;
}

/** A node's span in the text; a pair (an `!!omap` or `!!pairs` item) spans its key and value. */
export function spanOf(n: Node | Pair | null | undefined): Span {
  if (!n) return { start: 0, end: 0 };
  if (isPair(n)) {
    const k = n.key as Node | null;
    const v = n.value as Node | null;
    const start = k?.range?.[0] ?? v?.range?.[0];
    const end = v?.range?.[1] ?? k?.range?.[1];
    return start !== undefined && end !== undefined ? { start, end: Math.max(start, end) } : { start: 0, end: 0 };
  }
  return n.range ? { start: n.range[0], end: n.range[1] } : { start: 0, end: 0 };
}

/** Reports a problem at a node; invisible characters in the message are written as escapes. */
export function diag(ctx: Ctx, node: Node | Pair | null | undefined, severity: Diagnostic['severity'], code: string, message: string, fixes?: Fix[]): void {
  const span = ctx.toFile(spanOf(node));
  ctx.out.push({ span, severity, code, message: visible(message), ...(fixes ? { fixes: fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: ctx.toFile(e.span) })) })) } : {}) });
}

/** `routers[0]` + `dtab` -> `routers[0].dtab`; the root has no name. */
/** Where a key is, for messages (`routers.client.tls`); a key as long as a paragraph is cut short. */
export function sub(where: string, key: string): string {
  const k = shorten(key, 60);
  return where ? `${where}.${k}` : k;
}

export function keyName(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

/** Where to point for a whole mapping: its first key (a mapping's range can span many lines). */
export function keyOrMap(map: YAMLMap): Node {
  const first = map.items[0]?.key as Node | undefined;
  return first ?? map;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
