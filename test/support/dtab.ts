// Small helpers for tests: parse or fail loudly.

import { lowerDtab, lowerPath, parseDtab, parsePath, type Dtab, type Path } from '../../core/index.js';

export function dtab(text: string): Dtab {
  const s = parseDtab(text);
  if (s.errors.length > 0) throw new Error(`test dtab does not parse: ${s.errors[0]!.finagleMessage}`);
  return lowerDtab(s);
}

export function path(text: string): Path {
  const r = parsePath(text);
  if (!r.ok) throw new Error(`test path does not parse: ${r.error.finagleMessage}`);
  return lowerPath(r.value);
}
