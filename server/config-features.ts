// Config keys and kinds: completion, hover and quick fixes outside embedded dtabs.
// (Filled in by the key-completion step; quick fixes come from the config diagnostics.)

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type CompletionItem, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import type { ConfigAnalysis } from './config-service.js';
import { toLsp } from './dtab-service.js';

export function configActions(analysis: ConfigAnalysis, range: Range): CodeAction[] {
  const from = analysis.lines.offset(range.start);
  const to = analysis.lines.offset(range.end);
  const out: CodeAction[] = [];
  for (const d of analysis.result.diagnostics) {
    if (!d.fixes || d.span.end < from || d.span.start > to) continue;
    for (const fix of d.fixes) {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLsp(analysis, d)],
        isPreferred: d.fixes.length === 1,
        edit: { changes: { [analysis.uri]: fix.edits.map((e) => ({ range: analysis.range(e.span), newText: e.text })) } },
      });
    }
  }
  return out;
}

export function configHover(_a: ConfigAnalysis, _doc: TextDocument, _position: Position): Hover | null {
  return null;
}

export function configCompletion(_a: ConfigAnalysis, _doc: TextDocument, _position: Position): CompletionItem[] {
  return [];
}
