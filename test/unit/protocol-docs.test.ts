// Every request and notification of the protocol (declared once in protocol/messages.ts) is
// documented in docs/lsp-extensions.md, as a `method` in a table row.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as messages from '../../protocol/messages.js';

describe('docs/lsp-extensions.md', () => {
  it("documents each of the protocol's own messages", () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'lsp-extensions.md'), 'utf8');
    const methods = Object.values(messages)
      .filter((v): v is { method: string } => typeof v === 'object' && v !== null && typeof (v as { method?: unknown }).method === 'string')
      .map((v) => v.method)
      .sort();
    assert.ok(methods.length >= 23, `found only ${methods.length} messages`);
    assert.deepEqual(
      methods.filter((m) => !doc.includes(`| \`${m}\` |`) && !doc.includes(`## \`${m}\``)),
      [],
    );
  });
});
