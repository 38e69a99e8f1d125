// Objects for the stand-in's tests, written as a user would apply them.

import type { Obj } from './resources.js';

/** A fixed server clock: ages in tables are then exact. */
export const NOW = new Date('2025-06-01T12:00:00Z');
export const clock = () => NOW;
/** Five hours before NOW (an age of 5h; 2h would print as 120m). */
export const CREATED = '2025-06-01T07:00:00Z';

export const service = (namespace: string, name: string, ports: Obj[], extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels: { app: name }, creationTimestamp: CREATED },
  spec: { selector: { app: name }, ports, ...extra },
});

export const endpoints = (namespace: string, name: string, ips: string[], ports: Obj[]): Obj => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name, namespace, labels: { app: name }, creationTimestamp: CREATED },
  subsets: [{ addresses: ips.map((ip) => ({ ip })), ports }],
});

export const deployment = (namespace: string, name: string, replicas: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name }, creationTimestamp: CREATED },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'buoyantio/helloworld:0.1.6' }] } },
  },
});

export const trafficSplit = (namespace: string, name: string, service: string, backends: [string, number][]): Obj => ({
  apiVersion: 'split.smi-spec.io/v1alpha2',
  kind: 'TrafficSplit',
  metadata: { name, namespace, creationTimestamp: CREATED },
  spec: { service, backends: backends.map(([s, weight]) => ({ service: s, weight })) },
});

/** default/world (http 80 → 8080, two addresses), prod/hello, default/x (a Deployment), default/world-split. */
export const basicObjects = (): Obj[] => [
  service('default', 'world', [{ name: 'http', port: 80, targetPort: 8080 }], { clusterIP: '10.96.0.20' }),
  endpoints('default', 'world', ['10.0.0.1', '10.0.0.2'], [{ name: 'http', port: 8080 }]),
  service('prod', 'hello', [{ name: 'grpc', port: 9000 }], { clusterIP: '10.96.0.21' }),
  endpoints('prod', 'hello', ['10.1.0.1'], [{ name: 'grpc', port: 9000 }]),
  deployment('default', 'x', 1),
  trafficSplit('default', 'world-split', 'world', [
    ['world-v1', 900],
    ['world-v2', 100],
  ]),
];
