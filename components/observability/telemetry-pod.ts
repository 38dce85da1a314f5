import { k8s } from '../common/k8s';
import { stringify } from 'yaml';

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The Kubernetes form of ContainerResources. */
export function resourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** `MY_POD_IP` from the downward API: what the receivers bind to (SECURITY.md R4). */
export const POD_IP_ENV: k8s.EnvVar = { name: 'MY_POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } };

/** An HTTP probe on a named container port. */
export function httpGetProbe(path: string, port: string, periodSeconds: number, failureThreshold = 3): k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromString(port), scheme: 'HTTP' }, periodSeconds, timeoutSeconds: 2, failureThreshold };
}

/**
 * Config files as ConfigMap text: YAML in construction order, no line folding, so the same input
 * always gives the same bytes (and the same checksum annotation).
 */
export function configYaml(config: unknown): string {
  return stringify(config, { lineWidth: 0 });
}

/** The annotations that let Istio merge a component's own metrics into the sidecar's 15020 endpoint. */
export function mergedMetricsAnnotations(port: number, path = '/metrics'): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': path };
}
