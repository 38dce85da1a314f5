import { Duration } from 'cdk8s';
import type { Construct } from 'constructs';
import { retriedMethods, type CallEdge, type PlatformModel, type ServiceModel } from '../catalog';
import { serviceHost } from '../catalog/endpoints';
import { appSelector, standardLabels } from '../components/common';
import { DestinationRule, VirtualService, type CallerRoute, type Subset, type WeightedSubset } from '../components/mesh';

/** Subset names of a service with a canary; the DestinationRule declares them, the VirtualService weighs them. */
export const STABLE_SUBSET = 'stable';
export const CANARY_SUBSET = 'canary';

/** The `app.kubernetes.io/instance` of a canary's pods: another instance of the same app, so the stable selector never matches them. */
export function canaryInstance(instance: string): string {
  return `${instance}-canary`;
}

/**
 * How callers reach one service: its DestinationRule (connection pool, outlier detection, mTLS,
 * subsets when it runs a canary) and, when anyone calls it, its VirtualService (each caller's
 * timeout and retries, and the canary's weight).
 */
export function serviceTraffic(scope: Construct, model: PlatformModel, service: ServiceModel, instance: string): void {
  const labels = standardLabels({ name: service.name, instance, version: service.version, component: service.layer, partOf: model.platform.name });
  const host = serviceHost(service.name, service.namespace);
  const subsets: Subset[] = service.canary
    ? [
        { name: STABLE_SUBSET, labels: { 'app.kubernetes.io/instance': instance } },
        { name: CANARY_SUBSET, labels: { 'app.kubernetes.io/instance': canaryInstance(instance) } },
      ]
    : [];
  const { connectionPool, outlierDetection } = service.resilience;
  new DestinationRule(scope, 'DestinationRule', {
    name: service.name,
    namespace: service.namespace,
    labels,
    host,
    connectionPool,
    outlierDetection: {
      consecutive5xxErrors: outlierDetection.consecutive5xxErrors,
      interval: Duration.millis(outlierDetection.intervalMs),
      baseEjectionTime: Duration.millis(outlierDetection.baseEjectionTimeMs),
      maxEjectionPercent: outlierDetection.maxEjectionPercent,
    },
    subsets,
  });
  if (service.callers.length === 0 || service.ports.http === undefined) return;
  const split: WeightedSubset[] | undefined = service.canary
    ? [
        { subset: STABLE_SUBSET, weight: 100 - service.canary.weight },
        { subset: CANARY_SUBSET, weight: service.canary.weight },
      ]
    : undefined;
  new VirtualService(scope, 'VirtualService', {
    name: service.name,
    namespace: service.namespace,
    labels,
    host,
    port: service.ports.http,
    routes: service.callers.flatMap((edge) => callerRoutes(edge)),
    split,
  });
}

/**
 * One route for a caller whose methods are all retried or all not; two when they differ (GET
 * retried, POST not), so a non-idempotent request is never sent twice by the sidecar.
 */
function callerRoutes(edge: CallEdge): CallerRoute[] {
  const retried = retriedMethods(edge.methods, edge.policy);
  const once = edge.methods.filter((m) => !retried.includes(m));
  // the caller's app name only: its canary track (another instance) gets the same policy.
  const sourceLabels = appSelector(edge.caller);
  const timeout = Duration.millis(edge.policy.timeoutMs);
  const split = retried.length > 0 && once.length > 0;
  return [
    ...(retried.length > 0
      ? [{
          name: split ? `${edge.caller}-retried` : edge.caller,
          sourceLabels,
          methods: retried,
          paths: edge.paths,
          timeout,
          retries: { attempts: edge.policy.retries.attempts, perTryTimeout: Duration.millis(edge.policy.retries.perTryTimeoutMs), retryOn: edge.policy.retries.retryOn },
        }]
      : []),
    ...(once.length > 0 ? [{ name: split ? `${edge.caller}-not-retried` : edge.caller, sourceLabels, methods: once, paths: edge.paths, timeout, retries: { attempts: 0 as const } }] : []),
  ];
}
