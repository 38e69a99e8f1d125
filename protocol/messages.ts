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
  readonly dentry?: { readonly text: string; readonly line?: number; readonly range?: Range };
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

// ---- namerd, linkerd and test requests (network features: off in untrusted workspaces) ----

/** A request that reached no answer it could use: why, for people, and what kind of trouble. */
export interface Failure {
  readonly ok: false;
  /**
   * `untrusted`: network features are off in this workspace; `not-configured`: the URL is not in the
   * settings; `invalid`: the dtab has errors (nothing was sent); the rest as the server answered.
   */
  readonly kind: 'untrusted' | 'not-configured' | 'invalid' | 'not-found' | 'conflict' | 'exists' | 'unauthorized' | 'forbidden' | 'server' | 'network' | 'protocol';
  readonly message: string;
}

/** A namerd server from the settings (`linkerdDtab.namerd.servers`), and its credential if any. */
export interface NamerdRef {
  /** The base URL exactly as configured. */
  readonly url: string;
  /** `Bearer …` or `Basic …`, from the client's SecretStorage; never stored by the server. */
  readonly authorization?: string;
}

export const NamerdList = request<{ readonly server: NamerdRef }, { readonly ok: true; readonly namespaces: readonly string[] } | Failure>('linkerdDtab/namerd/list');

/** A namespace's dtab: its version (the ETag) and the text in namerctl's pretty form. */
export interface NamespaceDtab {
  readonly ok: true;
  readonly version?: string;
  readonly text: string;
}

export const NamerdGet = request<{ readonly server: NamerdRef; readonly ns: string }, NamespaceDtab | Failure>('linkerdDtab/namerd/get');

export interface NamerdPushParams {
  readonly server: NamerdRef;
  readonly ns: string;
  readonly text: string;
  /** The version the edit was based on, sent as If-Match; absent only for `create`. */
  readonly baseVersion?: string;
  /** POST (create only: 409 when it exists) instead of PUT. */
  readonly create?: boolean;
}

/**
 * After a push: the namespace as namerd now has it (`changedSince`: it is not what was pushed, someone
 * changed it again right after); on a 412, what is there now ("theirs").
 */
export type NamerdPushResult = (NamespaceDtab & { readonly changedSince?: true }) | (Failure & { readonly theirs?: { readonly version?: string; readonly text: string } });

export const NamerdPush = request<NamerdPushParams, NamerdPushResult>('linkerdDtab/namerd/push');
export const NamerdDelete = request<{ readonly server: NamerdRef; readonly ns: string }, { readonly ok: true } | Failure>('linkerdDtab/namerd/delete');

/** Start (or stop) following a server's namespaces, or one namespace, with namerd's watch streams. */
export interface NamerdWatchParams {
  readonly server: NamerdRef;
  /** Absent: the list of namespaces. */
  readonly ns?: string;
  readonly stop?: boolean;
}
export const NamerdWatch = request<NamerdWatchParams, { readonly ok: true } | Failure>('linkerdDtab/namerd/watch');

/** Server → client: something followed with NamerdWatch changed (or the watch ended, with `error`). */
export interface NamerdChange {
  readonly url: string;
  readonly ns?: string;
  readonly namespaces?: readonly string[];
  /** The namespace's new text in pretty form, and its version; `deleted` when it is gone. */
  readonly text?: string;
  readonly version?: string;
  readonly deleted?: boolean;
  readonly error?: string;
}
export const NamerdChanged = notification<NamerdChange>('linkerdDtab/namerd/changed');

/** One logical name whose routing changes. */
export interface ImpactRow {
  readonly name: string;
  /** The bound trees in NameTree.show form (`~` when it does not bind). */
  readonly before: string;
  readonly after: string;
  /** Weight moves in people's words: `world-v1 100% → world-v1 90%, world-v2 10%`. */
  readonly shift?: string;
}

export interface ImpactParams {
  readonly before: string;
  readonly after: string;
  /** Extra logical names to compare (`/svc/world`). */
  readonly names?: readonly string[];
  /** The document whose namers and cluster data bind the names (a lone dtab's otherwise). */
  readonly uri?: string;
}
export type ImpactResult =
  | { readonly ok: true; readonly rows: readonly ImpactRow[]; readonly lines: readonly string[]; readonly considered: number; readonly cut: boolean }
  | Failure;
/** The routing impact of going from one dtab text to another. */
export const Impact = request<ImpactParams, ImpactResult>('linkerdDtab/impact');

/** Three-way merge of dtab texts, dentry by dentry; conflicts get git-style markers. */
export const Merge = request<{ readonly base: string; readonly theirs: string; readonly yours: string }, { readonly text: string; readonly conflicts: number }>('linkerdDtab/merge');

/** Where to ask for a server-side delegation: a namerd namespace or a linkerd router's delegator. */
export type DelegationTarget =
  | { readonly kind: 'namerd'; readonly server: NamerdRef; readonly ns: string }
  | { readonly kind: 'linkerd'; readonly admin: NamerdRef; readonly router: string };

export interface ServerDelegateParams {
  readonly target: DelegationTarget;
  readonly path: string;
  /** The open document whose dtab is sent (linkerd) or added (namerd), and compared with the local engine. */
  readonly uri?: string;
  readonly position?: Position;
}
export interface Difference {
  readonly where: string;
  readonly local: string;
  readonly remote: string;
}
export type ServerDelegateResult =
  | { readonly ok: true; readonly root: DelegationNode; readonly source: string; readonly differences: readonly Difference[] }
  | Failure;
export const ServerDelegate = request<ServerDelegateParams, ServerDelegateResult>('linkerdDtab/serverDelegate');

/** A request to send through a linkerd router or ingress (`linkerdDtab.testRequests`). */
export interface TestRequest {
  readonly name?: string;
  /** The router's (or ingress's) base URL, e.g. `http://127.0.0.1:4140`. */
  readonly url: string;
  readonly method?: string;
  readonly path?: string;
  /** `Host` decides the logical name (`/svc/<host>`) with Linkerd's default identifier. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TestOverrideParams {
  /** The document and line of the dentry to send as `l5d-dtab` (the override), or the override itself. */
  readonly uri?: string;
  readonly line?: number;
  readonly override?: string;
  readonly request: TestRequest;
  /** Send the same request without the override too. */
  readonly compare?: boolean;
  /** Add `l5d-sample: 1.0` (trace this request). */
  readonly sample?: boolean;
  readonly authorization?: string;
}

/** A response as the panel shows it: everything escaped by the client. */
export interface ResponseView {
  readonly status: number;
  readonly statusText: string;
  readonly timeMs: number;
  readonly bytes: number;
  readonly truncated: boolean;
  readonly headers: readonly { readonly name: string; readonly value: string; readonly meaning?: string }[];
  /** Pretty JSON when the body is JSON. */
  readonly body: string;
  /** The request as sent: method, URL, headers. */
  readonly sent: { readonly method: string; readonly url: string; readonly headers: readonly (readonly [string, string])[] };
}

export type TestOverrideResult =
  | { readonly ok: true; readonly override: string; readonly withOverride: ResponseView; readonly without?: ResponseView | { readonly error: string } }
  | Failure;
export const TestOverride = request<TestOverrideParams, TestOverrideResult>('linkerdDtab/testOverride');

// ---- canary shifts (the same engine as `dtab canary`, the same state file) ----

/** Where a canary writes. */
export type CanaryTarget =
  | { readonly kind: 'file'; readonly uri: string }
  | { readonly kind: 'namerd'; readonly server: NamerdRef; readonly ns: string }
  | { readonly kind: 'traffic-split'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'deployments'; readonly stable: string; readonly canary: string };

/**
 * What `dtab canary start` takes: a dtab canary (file, namerd) needs `name` and `to` (`from` defaults
 * to the dentry's destination); a TrafficSplit needs `from` and `to` (its stable and canary backend
 * services) and no `name`; Deployments need none of the three (the target names both).
 */
export interface CanaryStartParams {
  readonly target: CanaryTarget;
  /** The logical name's dentry prefix (`/host/world`). */
  readonly name?: string;
  /** Where it goes now (a dtab canary: default the dentry's destination; a TrafficSplit: the stable service). */
  readonly from?: string;
  /** The canary destination (a TrafficSplit: the canary service). */
  readonly to?: string;
  readonly steps?: readonly number[];
  readonly pauseSeconds?: readonly number[];
  /** linkerd's admin (from linkerdDtab.linkerd.admins) and router, for the per-branch metrics and the gate. */
  readonly metrics?: { readonly admin: NamerdRef; readonly router: string; readonly stableId?: string; readonly canaryId?: string };
  readonly gate?: { readonly minSuccessRate?: number; readonly minRequests?: number };
  readonly abortOnGate?: boolean;
}

export interface CanaryActionParams {
  readonly action: 'step' | 'abort' | 'finish' | 'pause' | 'resume' | 'status';
  /** `step`: this percent instead of the next step's. */
  readonly percent?: number;
  /** `finish`: write `new | old`. */
  readonly keepFallback?: boolean;
  /** The open document's text when the canary writes a dtab file (what is written is its edit). */
  readonly files?: Readonly<Record<string, string>>;
  /** A canary in namerd: the Authorization for its server (the client's stored credentials), as at start. */
  readonly authorization?: string;
}

/** A canary after a command: what the engine said (exactly what `dtab canary` prints), its state, and the edits to make. */
export interface CanaryResult {
  /** `dtab canary`'s exit status: 0 ok, 1 the dtab has errors, 2 usage, 3 conflict, 4 not found, 5 network, 6 the gate failed. */
  readonly code: number;
  readonly output: string;
  /** The state file's content (core/canary CanaryState as JSON), when there is one. */
  readonly state?: unknown;
  /** One line for a status bar: `canary /host/world 10% → world-v2`. */
  readonly summary?: string;
  /** For a dtab file in the workspace: the edit that writes the canary's dentry (applied and saved by the client). */
  readonly edits?: readonly { readonly uri: string; readonly range: Range; readonly newText: string }[];
}

export const CanaryStart = request<CanaryStartParams & { readonly files?: Readonly<Record<string, string>> }, CanaryResult>('linkerdDtab/canary/start');
export const CanaryAction = request<CanaryActionParams, CanaryResult>('linkerdDtab/canary/action');
// ---- Zipkin traces of Linkerd routers (network features: off in untrusted workspaces) ----

/** The Zipkin of the settings (`linkerdDtab.zipkin.url`), and its credential if any. */
export interface ZipkinRef {
  /** The base URL exactly as configured (the query API is under `/api/v2`). */
  readonly url: string;
  readonly authorization?: string;
}

/** What Linkerd recorded on a span (its tags read back; `failure` in words). */
export interface LinkerdTagsView {
  readonly router?: string;
  readonly service?: string;
  readonly client?: string;
  readonly residual?: string;
  readonly dtabBase?: string;
  readonly dtabLocal?: string;
  readonly status?: number;
  readonly success?: number;
  readonly failure?: string;
}

/** A trace in a list: its root span, when, how long, whether a span failed. */
export interface TraceSummaryView {
  readonly traceId: string;
  readonly spans: number;
  readonly root?: { readonly name?: string; readonly service?: string };
  /** Epoch µs of the earliest span. */
  readonly startUs?: number;
  readonly durationUs?: number;
  readonly errors: number;
  readonly error?: string;
}

/** One span of a waterfall, in depth-first order (flat: any depth crosses JSON-RPC). */
export interface TraceRowView {
  readonly depth: number;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly service?: string;
  readonly kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  readonly shared?: boolean;
  /** A root though it has a parent: `orphan` (the parent is not in the trace) or `cycle` (parent links loop). */
  readonly detached?: 'orphan' | 'cycle';
  /** µs from the trace's start (absent: no timestamp). */
  readonly offsetUs?: number;
  readonly durationUs?: number;
  readonly failure?: string;
  readonly linkerd: LinkerdTagsView;
  /** Every tag, sorted by key (values cut to 500 characters, at most 100 tags). */
  readonly tags: readonly (readonly [string, string])[];
}

/** A whole trace for the waterfall (at most 2,000 rows; `cut` says how many spans were left out). */
export interface TraceView {
  readonly traceId: string;
  readonly spans: number;
  readonly startUs?: number;
  readonly durationUs: number;
  readonly errors: number;
  readonly rows: readonly TraceRowView[];
  readonly cut: number;
}

/** Zipkin's service names (`GET /api/v2/services`). */
export const ZipkinServices = request<{ readonly server: ZipkinRef }, { readonly ok: true; readonly services: readonly string[] } | Failure>('linkerdDtab/zipkin/services');

export interface ZipkinTracesParams {
  readonly server: ZipkinRef;
  /** A router's server spans: `0.0.0.0/4140`; its client spans: the bound id without the leading `/`. */
  readonly serviceName?: string;
  readonly spanName?: string;
  readonly annotationQuery?: string;
  readonly minDurationUs?: number;
  readonly lookbackMs?: number;
  readonly limit?: number;
}
/** Recent traces matching a query (`GET /api/v2/traces`), summarized. */
export const ZipkinTraces = request<ZipkinTracesParams, { readonly ok: true; readonly traces: readonly TraceSummaryView[] } | Failure>('linkerdDtab/zipkin/traces');

/** One trace by id (an `l5d-reqid`: 16 or 32 hex characters), as waterfall rows. */
export const ZipkinTrace = request<{ readonly server: ZipkinRef; readonly traceId: string }, { readonly ok: true; readonly trace: TraceView } | Failure>('linkerdDtab/zipkin/trace');
// ---- routing assertions (.dtab-test files), for the Test Explorer ----

/** One step routing took (the delegation's primary path), with the dentry that made it. */
export interface TestStep {
  readonly text: string;
  /** The dentry in the tested dtab (a .dtab file or a config). */
  readonly location?: { readonly uri: string; readonly range: Range };
}

export interface TestAssertionResult {
  /** 0-based line of the assertion in the test file. */
  readonly line: number;
  /** The assertion as written. */
  readonly range: Range;
  /** Path.show of the asserted path. */
  readonly path: string;
  /** NameTree.show of EXPECTED (and ` @ addresses`). */
  readonly expected: string;
  /** The actual result the same way, or `fails: …`; absent when the assertion did not run. */
  readonly actual?: string;
  /** `skipped`: the file could not run (see `problem` of the result). */
  readonly state: 'passed' | 'failed' | 'skipped';
  /** For people: why it failed (or was skipped). */
  readonly message?: string;
  /** Why the addresses were not compared. */
  readonly note?: string;
  /** The steps that led to the actual result, in order. */
  readonly steps?: readonly TestStep[];
}

export type TestRunResult =
  | {
      readonly ok: true;
      readonly uri: string;
      readonly version?: number;
      /** The files the result was computed from (tested dtab or config, snapshot): re-run when one is saved. */
      readonly dependencies: readonly string[];
      /** Why no assertion ran (no dtab named, unreadable, a broken dtab). */
      readonly problem?: string;
      /** The file's own errors (syntax of an assertion line, a header). */
      readonly problems: readonly { readonly range: Range; readonly message: string }[];
      readonly assertions: readonly TestAssertionResult[];
    }
  | { readonly ok: false; readonly message: string };

/** Runs the assertions of a test file (open, or read from disk). */
export const RunTests = request<{ readonly uri: string }, TestRunResult>('linkerdDtab/runTests');
