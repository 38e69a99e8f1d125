// Completion: prefixes already used in the file, `/#/` and `/$/` namers with placeholder
// snippets, and `=>`, `|`, `&`, `;` where they fit.

import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { CONFIGURED_NAMERS, SYSTEM_NAMERS, leaves } from '../core/index.js';
import type { Analysis } from './dtab-service.js';

type Context = { kind: 'prefix'; token: number } | { kind: 'arrow' } | { kind: 'term'; token: number } | { kind: 'operator' };

const PATH_CHAR = /[A-Za-z0-9_:.#$%\-*\\/]/;

/** Where the current dentry starts: after the last `;` before `offset` that is not in a comment. */
function statementStart(text: string, offset: number): number {
  for (let i = text.lastIndexOf(';', offset - 1); i >= 0; i = text.lastIndexOf(';', i - 1)) {
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    if (!/(^|[\s;|&()])#/.test(text.slice(lineStart, i))) return i + 1;
  }
  return 0;
}

/** Where the cursor is in the dentry being written, from the text before it (scanned backwards only). */
function context(text: string, offset: number): Context {
  const start = statementStart(text, offset);
  const before = text.slice(start, offset).replace(/(^|\s)#[^\n]*/g, '$1');
  let token = offset;
  while (token > start && PATH_CHAR.test(text[token - 1]!)) token--;
  const arrow = before.lastIndexOf('=>');
  if (arrow < 0) {
    const head = before.slice(0, before.length - (offset - token)).trim();
    if (head === '') return { kind: 'prefix', token };
    return /\s$/.test(before) ? { kind: 'arrow' } : { kind: 'prefix', token };
  }
  const dst = before.slice(arrow + 2);
  const typed = dst.slice(0, dst.length - (offset - token)).trimEnd();
  if (typed === '' || /[|&(*]$/.test(typed)) return { kind: 'term', token };
  return token < offset ? { kind: 'term', token } : { kind: 'operator' };
}

function snippetOf(shape: string): string {
  let n = 0;
  return shape.replace(/<([^>]+)>/g, (_, name: string) => `\${${++n}:${name.replace(/[}$\\]/g, '')}}`).replace(/…/g, '');
}

export function complete(a: Analysis, position: Position): CompletionItem[] {
  const text = a.syntax.text;
  const offset = a.offset(position);
  const ctx = context(text, offset);
  const replace = (from: number): Range => a.range({ start: from, end: offset });
  switch (ctx.kind) {
    case 'arrow':
      return [{ label: '=>', kind: CompletionItemKind.Operator, detail: 'rewrite to', insertText: '=> ', sortText: '0' }];
    case 'operator':
      return [
        { label: '|', kind: CompletionItemKind.Operator, detail: 'alternative: fall back if the left side is negative', insertText: '| ' },
        { label: '&', kind: CompletionItemKind.Operator, detail: 'union: split traffic by weight', insertText: '& ' },
        { label: ';', kind: CompletionItemKind.Operator, detail: 'end of the dentry', insertText: ';' },
      ];
    case 'prefix':
      return prefixItems(a, replace(ctx.token), false, text.slice(ctx.token, offset));
    case 'term': {
      const typed = text.slice(ctx.token, offset);
      const range = replace(ctx.token);
      const items: CompletionItem[] = [];
      if (typed === '' || '/#/'.startsWith(typed) || typed.startsWith('/#')) {
        for (const n of CONFIGURED_NAMERS) {
          items.push({
            label: `/#/${n.kind}`,
            kind: CompletionItemKind.Module,
            detail: n.shape,
            documentation: { kind: 'markdown', value: n.doc },
            textEdit: { range, newText: snippetOf(n.shape) },
            insertTextFormat: InsertTextFormat.Snippet,
            filterText: `/#/${n.kind}`,
            sortText: `2${n.kind}`,
          });
        }
      }
      if (typed === '' || '/$/'.startsWith(typed) || typed.startsWith('/$')) {
        for (const n of SYSTEM_NAMERS) {
          items.push({
            label: `/$/${n.kind}`,
            kind: CompletionItemKind.Function,
            detail: n.shape,
            documentation: { kind: 'markdown', value: n.doc },
            textEdit: { range, newText: snippetOf(n.shape) },
            insertTextFormat: InsertTextFormat.Snippet,
            filterText: `/$/${n.kind}`,
            sortText: `3${n.kind}`,
          });
        }
      }
      if (!typed.startsWith('/#') && !typed.startsWith('/$')) items.push(...prefixItems(a, range, true, typed));
      if (typed === '') {
        items.push(
          { label: '~', kind: CompletionItemKind.Constant, detail: 'negative: not handled here, fall back', sortText: '4~' },
          { label: '!', kind: CompletionItemKind.Constant, detail: 'fail: the request fails, no fallback', sortText: '4!' },
          { label: '$', kind: CompletionItemKind.Constant, detail: 'empty: exists, but no endpoints', sortText: '4$' },
          {
            label: 'weight * path',
            kind: CompletionItemKind.Snippet,
            detail: 'a weighted union branch',
            insertText: '${1:1} * ${2:/path}',
            insertTextFormat: InsertTextFormat.Snippet,
            sortText: '5',
          },
        );
      }
      return items;
    }
  }
}

/** At most this many names are offered at once; typing more narrows them (the list is incomplete). */
export const MAX_NAMES = 200;

/** The prefixes written in this file (and, as destinations, the paths its destinations use), starting with `typed`. */
function prefixItems(a: Analysis, range: Range, asDestination: boolean, typed: string): CompletionItem[] {
  const src = a.syntax.text;
  const seen = new Map<string, string>();
  const consider = (p: string, detail: string) => {
    if (seen.size < MAX_NAMES && p.startsWith(typed) && !seen.has(p)) seen.set(p, detail);
  };
  for (const d of a.dentries) {
    const p = src.slice(d.prefix.start, d.prefix.end);
    if (asDestination && p.includes('*')) continue;
    consider(p, `prefix of line ${a.lines.position(d.start).line + 1}`);
  }
  if (!asDestination) {
    for (const d of a.dentries)
      for (const leaf of leaves(d.dst)) {
        const p = src.slice(leaf.start, leaf.end);
        if (!p.startsWith('/#/') && !p.startsWith('/$/')) consider(p, 'used as a destination');
      }
  }
  return [...seen].map(([p, detail]) => ({ label: p, kind: CompletionItemKind.Reference, detail, textEdit: { range, newText: p }, sortText: `1${p}` }));
}
