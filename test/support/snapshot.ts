// Cluster snapshots for tests, in the form `kubectl get endpoints,services -A -o json` writes (a
// List), which is what a snapshot file holds.

/** An object of the List: its kind, namespace and name, resourceVersion 7, and the rest of it. */
export const listItem = (kind: string, ns: string, name: string, rest: object) => ({ apiVersion: 'v1', kind, metadata: { name, namespace: ns, resourceVersion: '7' }, ...rest });

/** A snapshot file's text: a List of these objects. */
export const snapshotList = (items: readonly object[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });

/** Service world in namespace `ns`: port http (80, to the pods' 8080) with one ready address, `ip`. */
export const worldService = (ns: string, ip: string): object[] => [
  listItem('Endpoints', ns, 'world', { subsets: [{ addresses: [{ ip }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] }),
  listItem('Service', ns, 'world', { spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] } }),
];
