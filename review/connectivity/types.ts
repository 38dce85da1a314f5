import type { K8sObject } from '../objects';

/** A Kubernetes object as `npm run synth` renders it (plain JSON). */
export type KubeObject = K8sObject;

// The connections the platform requires are derived from the catalog (required-connections.ts);
// the analyser takes them as they are.
export type { ExternalHost, HttpRequests, Protocol, RequiredConnection } from './required-connections';
import type { Protocol, RequiredConnection } from './required-connections';

export interface WorkloadPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A set of pods that talk: from a Deployment/StatefulSet/DaemonSet/Job/CronJob pod template, or declared outside. */
export interface Workload {
  /** `<namespace>/<name>`; name = the object's metadata.name. */
  readonly id: string;
  /** Empty for something outside the cluster (the internet, the API server): label selectors never match it. */
  readonly namespace: string;
  readonly name: string;
  /** Deployment | StatefulSet | DaemonSet | Job | CronJob | External. */
  readonly kind: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** From the Namespace object if synthesized, else given; always includes kubernetes.io/metadata.name. */
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  /** `cluster.local/ns/<ns>/sa/<sa>` when meshed. */
  readonly principal?: string;
  /** Has an Istio sidecar. */
  readonly meshed: boolean;
  /** Container ports, plus the sidecar's status port 15020 for meshed pods. */
  readonly ports: readonly WorkloadPort[];
  /** Inbound ports the sidecar does not capture: the excludeInboundPorts annotation plus 15020/15021/15090. */
  readonly excludedInboundPorts: readonly number[];
  /** IPs, for ipBlock matching (outside workloads such as the API server). */
  readonly addresses?: readonly string[];
}


export interface MeshSettings {
  readonly rootNamespace: string;
  readonly outboundTrafficPolicy: 'REGISTRY_ONLY' | 'ALLOW_ANY';
}

export interface AnalysisInput {
  /** Every synthesized object of one environment. */
  readonly objects: readonly KubeObject[];
  /** Prometheus, Grafana, kube-dns, istiod, API server, "internet" ... */
  readonly outsideWorkloads: readonly Workload[];
  readonly required: readonly RequiredConnection[];
  readonly mesh: MeshSettings;
  /**
   * Whether to enumerate every (source, destination, port) for allowances nothing explains, and to
   * look for dead rules. Quadratic in the workloads: the synth's CONNECTIVITY.md checks only the
   * required connections, the test suite runs the whole proof.
   * @default true
   */
  readonly leastPrivilege?: boolean;
  /**
   * The layers to enforce; the others let everything through. With one layer alone, `unexplained` shows
   * what that layer opens beyond the required connections even where another layer still holds it.
   * @default - every layer (ALL_LAYERS)
   */
  readonly layers?: readonly Layer[];
}

export type Layer =
  | 'NetworkPolicy(egress)'
  | 'NetworkPolicy(ingress)'
  | 'PeerAuthentication'
  | 'AuthorizationPolicy'
  | 'MeshEgress'
  | 'MeshRegistry';

export interface Finding {
  readonly layer: Layer;
  /** `kind/namespace/name`. */
  readonly policy?: string;
  readonly message: string;
  readonly fix: string;
}

export interface Allowance {
  readonly from: string;
  /** A workload id, or the host of an ExternalHost. */
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Reasons of the required connections with the same from/to/port/protocol. */
  readonly explainedBy: readonly string[];
}

export interface Unexplained {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Policies (and policy rules) that open it, or the missing isolation that leaves it open. */
  readonly openedBy: readonly string[];
  /**
   * Set when the connection itself is required but admits more requests than required: the method × path
   * patterns (`DELETE /api/*`) no required connection makes.
   */
  readonly requests?: readonly string[];
}

export interface DeadRule {
  readonly policy: string;
  /** E.g. `spec.ingress[0].from[1]`. */
  readonly path: string;
  readonly message: string;
}

export interface ConnectivityReport {
  readonly workloads: readonly Workload[];
  readonly allowed: readonly Allowance[];
  readonly blocked: readonly { readonly connection: RequiredConnection; readonly findings: readonly Finding[] }[];
  readonly unexplained: readonly Unexplained[];
  readonly deadRules: readonly DeadRule[];
}

/** `Kind/namespace/name`, how findings and dead rules name a policy. */
export function policyName(object: KubeObject): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}
