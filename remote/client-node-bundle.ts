// What the project uses of @kubernetes/client-node: the entry point of dist/client-node.js (only
// these and what they need are bundled), and the type of remote/client-node.ts's clientNode().
export { ApisApi, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, ListWatch, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
