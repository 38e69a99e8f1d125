// The one error the canary core throws: a kind the hosts map to exit statuses or messages, and a
// message a person can act on.

import type { DtabSyntax } from '../syntax/ast.js';

export type CanaryErrorKind =
  /** The dtab text (or a destination given) does not parse. */
  | 'syntax'
  /** No dentry with that prefix. */
  | 'not-found'
  /** The dentry is not what the canary last wrote: someone else changed it. */
  | 'conflict'
  /** A plan, a percent or a state that cannot be used. */
  | 'invalid';

export class CanaryError extends Error {
  constructor(
    readonly kind: CanaryErrorKind,
    message: string,
    /** For 'syntax' errors in a dtab: the parsed text, so a host can print every diagnostic. */
    readonly syntax?: DtabSyntax,
  ) {
    super(message);
    this.name = 'CanaryError';
  }
}
