// The custom requests between the VS Code client and the language server, typed in one place.
// Only plain JSON crosses: the client renders what the server computed and knows no dtab rules.

import { RequestType } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-protocol';

/** A node of a delegation, ready to show in a tree view. */
export interface DelegationNode {
  /** The name resolved at this step, e.g. `/host/world`. */
  readonly path: string;
  readonly type: 'delegate' | 'alt' | 'union' | 'leaf' | 'neg' | 'fail' | 'empty' | 'exception';
  /** Whether routing uses this node (Linkerd's "primary" path). */
  readonly primary: boolean;
  readonly status: 'neg' | 'fail' | 'success';
  /** One line for people: what happened at this step. */
  readonly description: string;
  /** The dentry that produced this step, with where it is in the document. */
  readonly dentry?: { readonly text: string; readonly range?: Range };
  /** For union branches: the weight and its share of the traffic. */
  readonly weight?: { readonly value: number; readonly percent: number };
  readonly children: readonly DelegationNode[];
}

export interface DelegateParams {
  readonly uri: string;
  /** The path to delegate, as text (`/svc/world`). */
  readonly path: string;
}

export type DelegateResult =
  | { readonly ok: true; readonly root: DelegationNode; readonly bound: string; readonly version: number }
  | { readonly ok: false; readonly message: string };

export const DelegateRequest = new RequestType<DelegateParams, DelegateResult, void>('linkerdDtab/delegate');

export interface SuggestPathsParams {
  readonly uri: string;
}

/** Paths worth delegating in a document: its prefixes, then the paths its destinations name. */
export const SuggestPathsRequest = new RequestType<SuggestPathsParams, string[], void>('linkerdDtab/suggestPaths');
