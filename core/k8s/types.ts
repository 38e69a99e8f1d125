// Kubernetes objects as the API serves them (the fields the namers read), and the interface the
// namers read them through. The core never talks to a cluster: a source is given to it, live
// (remote/k8s.ts: informers on a real API) or offline (a snapshot file).

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly labels?: Readonly<Record<string, string>> | null;
}

export interface EndpointAddress {
  readonly ip: string;
  readonly nodeName?: string | null;
  readonly hostname?: string | null;
}

export interface EndpointPort {
  readonly name?: string | null;
  readonly port: number;
  readonly protocol?: string | null;
}

export interface EndpointSubset {
  readonly addresses?: readonly EndpointAddress[] | null;
  readonly notReadyAddresses?: readonly EndpointAddress[] | null;
  readonly ports?: readonly EndpointPort[] | null;
}

export interface Endpoints {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata?: ObjectMeta | null;
  readonly subsets?: readonly EndpointSubset[] | null;
}

export interface ServicePort {
  readonly name?: string | null;
  readonly port: number;
  /** A number or a port name; absent means the same as `port`. */
  readonly targetPort?: number | string | null;
  readonly protocol?: string | null;
}

export interface Service {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly metadata?: ObjectMeta | null;
  readonly spec?: { readonly ports?: readonly ServicePort[] | null; readonly type?: string; readonly clusterIP?: string } | null;
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string | null; readonly hostname?: string | null }[] | null } | null } | null;
}

/** Where cluster data comes from, and how far it can be trusted right now. */
export interface SourceStatus {
  /** For people: `context kind-dev`, `snapshot examples/cluster.k8s-snapshot.yaml`, `http://127.0.0.1:8001`. */
  readonly source: string;
  /**
   * live: watching, up to date; connecting: the first list is under way; stale: the watch is down
   * (addresses are as of `since`); unauthorized/forbidden: the API said 401/403; unreachable: no
   * answer at all; snapshot: a file, as of when it was taken.
   */
  readonly state: 'live' | 'connecting' | 'stale' | 'unauthorized' | 'forbidden' | 'unreachable' | 'snapshot';
  /** Epoch ms: since when it is stale (or when the snapshot was read). */
  readonly since?: number;
  /** What happened, e.g. "forbidden: cannot watch endpoints in namespace prod". */
  readonly message?: string;
}

/**
 * Cluster objects, by namespace and name: at once when known, a promise while they are being
 * fetched (the delegation engine waits for it, bounded), undefined when the object does not exist.
 */
export interface K8sSource {
  endpoints(namespace: string, name: string): Endpoints | undefined | Promise<Endpoints | undefined>;
  service(namespace: string, name: string): Service | undefined | Promise<Service | undefined>;
  /** Known names, for completion and "does not exist" warnings (what has been listed so far). */
  namespaces(): readonly string[];
  services(namespace: string): readonly string[];
  /** The state of the source (for one namespace, when watches are per namespace). */
  status(namespace?: string): SourceStatus;
}
