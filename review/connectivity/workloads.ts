import { meshPrincipal } from '../../catalog/principal';
import { NAMESPACE_NAME_LABEL } from '../../components/mesh/network-access';
import { ISTIO_MERGED_METRICS } from '../../components/mesh/prometheus-scrape';
import { compare, podSpecOf } from '../objects';
import type { KubeObject, Protocol, Workload, WorkloadPort } from './types';

/** Istio's pilot-agent status port (health, merged Prometheus metrics): served in plain text, never captured. */
export const SIDECAR_STATUS_PORT = ISTIO_MERGED_METRICS.port;
/**
 * Inbound ports the sidecar never captures: the status port 15020, 15021 (health), 15090 (Envoy Prometheus).
 * @see https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio
 */
export const SIDECAR_UNCAPTURED_PORTS: readonly number[] = [SIDECAR_STATUS_PORT, 15021, 15090];

const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const INJECT = 'sidecar.istio.io/inject';
const EXCLUDE_INBOUND = 'traffic.sidecar.istio.io/excludeInboundPorts';


function templateOf(object: KubeObject): KubeObject | undefined {
  return object.kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
}

function containerPorts(spec: KubeObject): WorkloadPort[] {
  // Native sidecars (init containers with restartPolicy Always) keep running and serve their ports.
  const containers = [...(spec.initContainers ?? []).filter((c: KubeObject) => c.restartPolicy === 'Always'), ...(spec.containers ?? [])];
  return containers.flatMap((c: KubeObject) =>
    (c.ports ?? []).map((p: KubeObject) => ({ ...(p.name ? { name: p.name as string } : {}), port: p.containerPort as number, protocol: (p.protocol ?? 'TCP') as Protocol })),
  );
}

function uniquePorts(ports: readonly WorkloadPort[]): WorkloadPort[] {
  const byKey = new Map<string, WorkloadPort>();
  for (const p of ports) {
    const key = `${p.protocol}/${p.port}`;
    if (!byKey.has(key) || (!byKey.get(key)!.name && p.name)) byKey.set(key, p);
  }
  return [...byKey.values()].sort((a, b) => a.port - b.port || compare(a.protocol, b.protocol));
}

function parsePortList(text: string | undefined): number[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== '*')
    .map(Number)
    .filter((n) => Number.isInteger(n));
}

/**
 * Whether a pod gets a sidecar: the namespace label `istio-injection=enabled`, or the pod label
 * `sidecar.istio.io/inject: "true"`; the pod label or annotation `"false"` opts out.
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 */
export function isMeshed(namespaceLabels: Readonly<Record<string, string>>, podLabels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): boolean {
  if (podLabels[INJECT] === 'false' || annotations[INJECT] === 'false') return false;
  return namespaceLabels['istio-injection'] === 'enabled' || podLabels[INJECT] === 'true';
}

function withNamespaceName(namespace: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  return namespace ? { ...labels, [NAMESPACE_NAME_LABEL]: namespace } : { ...labels };
}

function fromObject(object: KubeObject, namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>): Workload {
  const namespace: string = object.metadata?.namespace ?? 'default';
  const name: string = object.metadata.name;
  const template = templateOf(object) ?? {};
  const spec = podSpecOf(object) ?? {};
  const podLabels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = template.metadata?.annotations ?? {};
  const namespaceLabels = withNamespaceName(namespace, namespaces.get(namespace) ?? {});
  const meshed = isMeshed(namespaceLabels, podLabels, annotations);
  const serviceAccount: string = spec.serviceAccountName ?? 'default';
  const ports = containerPorts(spec);
  return {
    id: `${namespace}/${name}`,
    namespace,
    name,
    kind: object.kind,
    podLabels,
    namespaceLabels,
    serviceAccount,
    ...(meshed ? { principal: meshPrincipal(namespace, serviceAccount) } : {}),
    meshed,
    ports: uniquePorts(meshed ? [...ports, { port: SIDECAR_STATUS_PORT, protocol: 'TCP' }] : ports),
    excludedInboundPorts: meshed ? [...new Set([...parsePortList(annotations[EXCLUDE_INBOUND]), ...SIDECAR_UNCAPTURED_PORTS])].sort((a, b) => a - b) : [],
  };
}

/**
 * Every workload of one environment: one per pod-bearing object, plus the declared outside ones (whose
 * namespace labels gain `kubernetes.io/metadata.name` like any namespace's). Sorted by id; ids are unique.
 */
export function extractWorkloads(objects: readonly KubeObject[], outside: readonly Workload[]): Workload[] {
  const namespaces = new Map<string, Readonly<Record<string, string>>>(
    objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name as string, (o.metadata.labels ?? {}) as Record<string, string>]),
  );
  const workloads = [
    ...objects.filter((o) => POD_KINDS.includes(o.kind)).map((o) => fromObject(o, namespaces)),
    ...outside.map((w) => ({ ...w, namespaceLabels: withNamespaceName(w.namespace, w.namespaceLabels) })),
  ];
  const seen = new Set<string>();
  for (const w of workloads) {
    if (seen.has(w.id)) throw new Error(`workload id "${w.id}" is declared twice; outside workloads must not reuse a synthesized workload's namespace/name`);
    seen.add(w.id);
  }
  return workloads.sort((a, b) => compare(a.id, b.id));
}
