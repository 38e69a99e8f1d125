// The custom requests between the VS Code client and the language server, typed in one place.
// Only plain JSON crosses: the client renders what the server computed and knows no dtab rules.
// (Type-only imports: the client's UI bundle uses these without pulling in the protocol library.)

/** A position in a document: 0-based line, UTF-16 character (as LSP counts). */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A node of a delegation, ready to show in a tree view. */
export interface DelegationNode {
  /** The name resolved at this step, e.g. `/host/world`. */
  readonly path: string;
  readonly type: 'delegate' | 'alt' | 'union' | 'leaf' | 'neg' | 'fail' | 'empty' | 'exception' | 'transformation';
  /** Whether routing uses this node (Linkerd's "primary" path). */
  readonly primary: boolean;
  /**
   * As Linkerd's delegator UI reads a node; `unresolved` is a leaf bound by a configured namer that
   * the editor is not connected to (it routes; its addresses are known only at run time).
   */
  readonly status: 'neg' | 'fail' | 'success' | 'unresolved';
  /** One line for people: what happened at this step. */
  readonly description: string;
  /** The dentry that produced this step (as written), with where it is in the document. */
  readonly dentry?: { readonly text: string; readonly line: number; readonly range?: Range };
  /** For union branches: the weight and its share of the traffic. */
  readonly weight?: { readonly value: number; readonly percent: number };
  readonly children: readonly DelegationNode[];
}

/** A typed request: its method name, and (as phantom types) its params and result. */
export interface Request<P, R> {
  readonly method: string;
  readonly _types?: [P, R];
}

function request<P, R>(method: string): Request<P, R> {
  return { method };
}

export interface DelegateParams {
  readonly uri: string;
  /** The path to delegate, as text (`/svc/world`). */
  readonly path: string;
  /** In a YAML config: where the cursor is, to pick the dtab (the first one otherwise). */
  readonly position?: Position;
}

export type DelegateResult =
  | {
      readonly ok: true;
      readonly root: DelegationNode;
      /** Where requests go once bound, one line a share: `90% → /#/io.l5d.k8s/default/http/world-v1 (…)`. */
      readonly routes: readonly string[];
      readonly version: number;
      /** Whether a configured (`/#/`) namer bound a leaf. */
      readonly boundByNamer?: boolean;
      /** Where the cluster data came from and how fresh it is, when `/#/` leaves were bound from it. */
      readonly cluster?: ClusterStatus;
    }
  | { readonly ok: false; readonly message: string };

/** Delegates a path through the dtab of an open document. */
export const Delegate = request<DelegateParams, DelegateResult>('linkerdDtab/delegate');

/** Paths worth delegating in a document: its prefixes, then the paths its destinations name. */
export interface SuggestPathsParams {
  readonly uri: string;
  readonly position?: Position;
}

export const SuggestPaths = request<SuggestPathsParams, string[]>(
  'linkerdDtab/suggestPaths',
);

/** Where cluster data comes from and how fresh it is, for the status bar. */
export interface ClusterStatus {
  /** `none`: no cluster data (unresolved `/#/` leaves); `error`: the kubeconfig could not be used. */
  readonly state: 'none' | 'error' | 'live' | 'connecting' | 'stale' | 'unauthorized' | 'forbidden' | 'unreachable' | 'snapshot';
  /** `context kind-dev (https://…)`, `snapshot examples/cluster.k8s-snapshot.yaml`, `no cluster`. */
  readonly source: string;
  /** One line for people: what the state means, with the API's own words when it failed. */
  readonly detail: string;
  /** Epoch ms: since when stale. */
  readonly since?: number;
}

/** Server → client: the cluster status changed. */
export const ClusterStatusNotification = notification<ClusterStatus>('linkerdDtab/clusterStatus');

/** Server → client: cluster data changed (an Endpoints object, a watch state): refresh live views. */
export const ClusterChanged = notification<Record<string, never>>('linkerdDtab/clusterChanged');

/** Client → server: the workspace's trust changed (cluster access is off while untrusted). */
export const TrustNotification = notification<{ readonly trusted: boolean }>('linkerdDtab/trust');

/** The kube contexts of the kubeconfig in use, and the current one. */
export const Contexts = request<Record<string, never>, { readonly current?: string; readonly contexts: readonly string[] }>('linkerdDtab/contexts');

/** The live cluster cache as a snapshot file (kubectl's List YAML); undefined when there is nothing live. */
export const SaveSnapshot = request<Record<string, never>, { readonly text: string; readonly objects: number } | null>('linkerdDtab/saveSnapshot');

/** A typed notification: its method name, and (as a phantom type) its params. */
export interface Notification<P> {
  readonly method: string;
  readonly _types?: [P];
}

function notification<P>(method: string): Notification<P> {
  return { method };
}

/** The smallest client surface the UI needs (vscode-languageclient's LanguageClient has it). */
export interface RequestSender {
  sendRequest(method: string, params: unknown): Promise<unknown>;
}

export function send<P, R>(client: RequestSender, req: Request<P, R>, params: P): Promise<R> {
  return client.sendRequest(req.method, params) as Promise<R>;
}
