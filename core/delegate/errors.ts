// Errors that delegation and binding can end with, with Finagle/Linkerd's messages.

/** A namer failed to answer (Finagle: the lookup Activity failed). */
export class NamingError extends Error {
  override name = 'NamingError';
}

/** `/$/<class>` with no such namer: Linkerd says "Unknown namer: <class> for path: <path>". */
export class UnknownNamerError extends NamingError {
  constructor(
    readonly kind: string,
    pathShown: string,
  ) {
    super(`Unknown namer: ${kind} for path: ${pathShown}`);
  }
}

/** The delegator went deeper than 100 rewrites (Linkerd's DelegateTree expansion). */
export class DelegateDepthError extends Error {
  override name = 'DelegateDepthError';
  constructor() {
    super('Max recursion level reached.');
  }
}

/** Binding went deeper than namerMaxDepth (Finagle's NamerExceededMaxDepthException). */
export class BindDepthError extends Error {
  override name = 'BindDepthError';
  constructor(readonly maxDepth: number) {
    super(`Max recursion level: ${maxDepth} reached in Namer lookup`);
  }
}

/**
 * Our guard, not Finagle's: a dtab whose rewrites fan out (`/s => /s & /s`) makes a tree that
 * doubles at each of 100 levels, and a path matched by thousands of dentries costs thousands at
 * every step. Finagle would run out of time or memory; we stop with this, bounding the work.
 */
export class DelegationBudgetError extends Error {
  override name = 'DelegationBudgetError';
  constructor(
    readonly what: 'delegation' | 'binding',
    readonly budget: number,
    readonly kind: 'steps' | 'work' | 'nesting' = 'steps',
  ) {
    super(
      kind === 'nesting'
        ? `The ${what} stopped: its trees nest more than ${budget} levels deep (rewrites inside rewrites). Look for a dentry whose destination leads back to its own prefix.`
        : kind === 'work'
          ? `The ${what} stopped after ${budget} units of work (dentries matched and nodes made): this path is rewritten by so many dentries, or into such large trees, that explaining it in full would take too long.`
          : `The ${what} stopped after ${budget} steps: the dtab rewrites this path into itself more than once ` +
            `(through \`&\` or \`|\`), so the tree grows exponentially. Look for a dentry whose destination leads back to its own prefix.`,
    );
  }
}
