// @kubernetes/client-node, loaded the first time a cluster is used: it is most of the server's and
// the CLI's code (about 5 MB bundled), and reading and compiling it at start-up delayed the first
// diagnostics of every editor, with or without a cluster. The bundles load it from their own file
// (dist/client-node.js, see build.mjs); from the sources (tests, tsx), this is the package itself.

import type * as ClientNode from './client-node-bundle.js';

let loaded: typeof ClientNode | undefined;

/** What the project uses of the library (client-node-bundle.ts), loaded on first use. */
export function clientNode(): typeof ClientNode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('@kubernetes/client-node') as typeof ClientNode);
}
