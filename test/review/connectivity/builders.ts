import { analyseConnectivity, type KubeObject, type MeshSettings, type Protocol, type RequiredConnection, type Workload } from '../../../review/connectivity';

/** Small synthetic objects for the analyser's unit tests: two namespaces, a few pods, plain JSON. */
export const MESH: MeshSettings = { rootNamespace: 'istio-system', outboundTrafficPolicy: 'REGISTRY_ONLY' };

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface PodOptions {
  readonly kind?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly ports?: readonly { name?: string; containerPort: number; protocol?: string }[];
  readonly serviceAccountName?: string;
}

/** A pod-bearing object; labels default to `app: <name>`. */
export function pods(ns: string, name: string, options: PodOptions = {}): KubeObject {
  const template = {
    metadata: { labels: options.labels ?? { app: name }, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
      containers: [{ name: 'main', image: 'example:1.0.0', ports: options.ports ?? [{ name: 'http', containerPort: 8080 }] }],
    },
  };
  const kind = options.kind ?? 'Deployment';
  const spec = kind === 'CronJob' ? { schedule: '0 * * * *', jobTemplate: { spec: { template } } } : { template };
  return { apiVersion: kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata: { name, namespace: ns }, spec };
}

export function networkPolicy(ns: string, name: string, spec: KubeObject): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export function authorizationPolicy(ns: string, name: string, spec: KubeObject): KubeObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec };
}

export function peerAuthentication(ns: string, name: string, spec: KubeObject): KubeObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: ns }, spec };
}

export function service(ns: string, name: string, selector: Record<string, string>, ports: readonly KubeObject[], extra: KubeObject = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports, ...extra } };
}

export function serviceEntry(ns: string, name: string, spec: KubeObject): KubeObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name, namespace: ns }, spec };
}

/** An outside workload (Prometheus, the internet ...) as a caller would declare it. */
export function outside(ns: string, name: string, extra: Partial<Workload> = {}): Workload {
  return {
    id: `${ns}/${name}`,
    namespace: ns,
    name,
    kind: 'External',
    podLabels: { app: name },
    namespaceLabels: {},
    meshed: false,
    ports: [],
    excludedInboundPorts: [],
    ...extra,
  };
}

export function required(from: string, to: string, port: number, extra: Partial<RequiredConnection> = {}): RequiredConnection {
  return { from, to: { workload: to }, port, protocol: 'TCP' as Protocol, reason: `${from} calls ${to}`, ...extra };
}

/** The findings that block one required connection (empty when every layer allows it). */
export function blockers(objects: readonly KubeObject[], connection: RequiredConnection, outsideWorkloads: readonly Workload[] = [], mesh: MeshSettings = MESH) {
  const report = analyseConnectivity({ objects, outsideWorkloads, required: [connection], mesh });
  return report.blocked.flatMap((b) => b.findings);
}
