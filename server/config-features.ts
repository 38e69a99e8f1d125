// Config keys and kinds: completion and hover outside embedded dtabs, and the quick fixes of
// config diagnostics. What fits where comes from the core (catalogue and key docs).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, type CodeAction, type CompletionItem, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { configContext, describeType, variantsOf, type ConfigContext } from '../core/index.js';
import type { ConfigAnalysis } from './config-service.js';
import { quickFixes } from './lsp.js';

export function configActions(analysis: ConfigAnalysis, range: Range): CodeAction[] {
  return quickFixes(analysis, analysis.result.diagnostics, analysis.lines.offset(range.start), analysis.lines.offset(range.end));
}

/** The config context at a position, with a way to map its spans back to the file. */
function contextAt(a: ConfigAnalysis, position: Position): { ctx: ConfigContext; range: (s: { start: number; end: number }) => Range } | undefined {
  const offset = a.lines.offset(position);
  const found = a.configAt(offset);
  if (!found) return undefined;
  const ctx = configContext(found.doc, found.text, found.kind, found.fromFile(offset));
  if (!ctx) return undefined;
  // Spans in the config's own text: for one inside a ConfigMap, map through the file offsets.
  const toFile = (o: number) => {
    if (!found.inConfigMap) return o;
    let lo = found.span.start;
    let hi = found.span.end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (found.fromFile(mid) < o) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { ctx, range: (s) => a.range({ start: toFile(s.start), end: toFile(s.end) }) };
}

function keyDocMarkdown(key: string, type: string, doc?: { doc?: string; default?: string }): string {
  return [`**\`${key}\`**: ${type}`, doc?.doc, doc?.default ? `Default: ${doc.default}` : undefined].filter(Boolean).join('\n\n');
}

export function configHover(a: ConfigAnalysis, _doc: TextDocument, position: Position): Hover | null {
  const at = contextAt(a, position);
  if (!at) return null;
  const { ctx } = at;
  if (ctx.kind === 'key') {
    const t = ctx.shape.keys[ctx.key];
    if (!t) return null;
    return { contents: { kind: 'markdown', value: keyDocMarkdown(ctx.key, describeType(t), ctx.shape.docs(ctx.key)) }, range: at.range(ctx.span) };
  }
  if (ctx.kind === 'discriminator' && ctx.shape.poly) {
    const v = variantsOf(ctx.shape.poly.slot).find((x) => x.name === ctx.value);
    if (!v) return null;
    return { contents: { kind: 'markdown', value: [`**\`${v.name}\`**`, v.doc].filter(Boolean).join('\n\n') }, range: at.range(ctx.span) };
  }
  return null;
}

export function configCompletion(a: ConfigAnalysis, _doc: TextDocument, position: Position): CompletionItem[] {
  const at = contextAt(a, position);
  if (!at) return [];
  const { ctx } = at;
  if (ctx.kind === 'discriminator' && ctx.shape.poly) {
    const range = at.range(ctx.span);
    return variantsOf(ctx.shape.poly.slot).map((v) => ({
      label: v.name,
      kind: CompletionItemKind.EnumMember,
      ...(v.doc ? { documentation: { kind: 'markdown', value: v.doc } } : {}),
      textEdit: { range, newText: v.name },
    }));
  }
  const present = ctx.kind === 'new-key' ? ctx.present : [];
  const shape = ctx.shape;
  const needsDisc = shape.poly && shape.poly.variant === undefined;
  return Object.entries(shape.keys)
    .filter(([k]) => !present.includes(k))
    .map(([k, t]) => ({
      label: k,
      kind: CompletionItemKind.Property,
      detail: describeType(t),
      documentation: { kind: 'markdown', value: keyDocMarkdown(k, describeType(t), shape.docs(k)) },
      insertText: `${k}: `,
      // The discriminator first when the block has none yet.
      sortText: `${needsDisc && k === shape.poly!.disc ? '0' : '1'}${k}`,
      ...(ctx.kind === 'key' ? { textEdit: { range: at.range(ctx.span), newText: k } } : {}),
    }));
}
