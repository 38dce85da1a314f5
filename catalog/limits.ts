import { formatCpu, formatMemory, parseCpu, parseMemory } from './quantity';
import type { CatalogDocument } from './schema';
import type { DocPath } from './source';

/** The bounds a catalog value must fit, after `platform.limits` overrides. */
export interface Limits {
  /** Largest CPU request or limit of one container, in millicores: what one node can give a pod. */
  readonly podCpuMillis: number;
  /** Largest memory request or limit of one container, in bytes. */
  readonly podMemoryBytes: number;
  /** Highest replica count any autoscaler or environment cap may name. */
  readonly maxReplicas: number;
}

/**
 * Defaults sized for a general-purpose node of 8 vCPU and 32 GiB (the allocatable share is less,
 * so a pod at the bound already owns a node) and a ceiling of 50 replicas per workload, twice the
 * largest autoscaler in the seeds. A catalog for bigger nodes says so in `platform.limits`.
 */
export const DEFAULT_LIMITS = { pod: { cpu: '8', memory: '32Gi' }, maxReplicas: 50 } as const;

export function effectiveLimits(doc: CatalogDocument): Limits {
  const own = doc.platform?.limits;
  return {
    podCpuMillis: parseCpu(String(own?.pod?.cpu ?? DEFAULT_LIMITS.pod.cpu)) ?? Infinity,
    podMemoryBytes: parseMemory(String(own?.pod?.memory ?? DEFAULT_LIMITS.pod.memory)) ?? Infinity,
    maxReplicas: own?.maxReplicas ?? DEFAULT_LIMITS.maxReplicas,
  };
}

type Finding = { path: DocPath; message: string };

/** Every container request and limit within the pod bound, wherever the catalog sizes one (services, defaults, Redis, Consul, istiod). */
export function resourceBoundFindings(doc: CatalogDocument): Finding[] {
  const limits = effectiveLimits(doc);
  const bound = { cpu: formatCpu(limits.podCpuMillis), memory: formatMemory(limits.podMemoryBytes) };
  // services' sizes are multiplied per environment (environments.<env>.resourceScale): check the largest
  const scaled = Object.entries(doc.environments ?? {})
    .map(([env, overlay]) => ({ env, scale: typeof overlay?.resourceScale === 'number' ? overlay.resourceScale : 1 }))
    .reduce((a, b) => (b.scale > a.scale ? b : a), { env: '', scale: 1 });
  return resourceBlocks(doc).flatMap(({ path, block }) =>
    (['requests', 'limits'] as const).flatMap((kind) =>
      (['cpu', 'memory'] as const).flatMap((resource) => {
        const text = block[kind]?.[resource];
        if (text === undefined) return [];
        const value = resource === 'cpu' ? parseCpu(String(text)) : parseMemory(String(text));
        const max = resource === 'cpu' ? limits.podCpuMillis : limits.podMemoryBytes;
        const scale = path[0] === 'services' || path[0] === 'defaults' ? scaled.scale : 1;
        if (value === undefined || value * scale <= max) return [];
        const how = scale === 1 ? '' : ` (× resourceScale ${scale} in ${scaled.env})`;
        return [{
          path: [...path, kind, resource],
          message: `${resource} ${kind === 'requests' ? 'request' : 'limit'} ${text}${how} is more than one node can give a pod (platform.limits.pod.${resource}: ${bound[resource]}); lower it, or raise platform.limits.pod.${resource} if the cluster's nodes are that large`,
        }];
      }),
    ),
  );
}

/** Every replica count (autoscalers, environment caps) within `platform.limits.maxReplicas`. */
export function replicaBoundFindings(doc: CatalogDocument): Finding[] {
  const { maxReplicas } = effectiveLimits(doc);
  const counts: { path: DocPath; value: unknown }[] = [
    { path: ['defaults', 'autoscaling', 'maxReplicas'], value: doc.defaults?.autoscaling?.maxReplicas },
    { path: ['defaults', 'autoscaling', 'minReplicas'], value: doc.defaults?.autoscaling?.minReplicas },
    ...Object.entries(doc.environments ?? {}).map(([env, overlay]) => ({ path: ['environments', env, 'maxReplicas'] as DocPath, value: overlay?.maxReplicas })),
    ...(doc.services ?? []).flatMap((s, i) => [
      { path: ['services', i, 'autoscaling', 'maxReplicas'] as DocPath, value: s?.autoscaling?.maxReplicas },
      { path: ['services', i, 'autoscaling', 'minReplicas'] as DocPath, value: s?.autoscaling?.minReplicas },
    ]),
  ];
  return counts.flatMap(({ path, value }) =>
    typeof value === 'number' && value > maxReplicas
      ? [{ path, message: `${value} replicas is above the ceiling of ${maxReplicas} (platform.limits.maxReplicas); lower it, or raise platform.limits.maxReplicas after checking the cluster has room` }]
      : [],
  );
}

type ResourceBlock = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };

/** Every `resources: { requests, limits }` block in the catalog, with its path. */
function resourceBlocks(node: unknown, path: DocPath = []): { path: DocPath; block: ResourceBlock }[] {
  if (node === null || typeof node !== 'object') return [];
  const here = path[path.length - 1] === 'resources' && !Array.isArray(node) ? [{ path, block: node as ResourceBlock }] : [];
  const children = Array.isArray(node)
    ? node.flatMap((item, i) => resourceBlocks(item, [...path, i]))
    : Object.entries(node).flatMap(([key, value]) => (path.length === 0 && key === 'platform' ? resourceBlocks(withoutLimits(value), [key]) : resourceBlocks(value, [...path, key])));
  return [...here, ...children];
}

function withoutLimits(platform: unknown): unknown {
  if (platform === null || typeof platform !== 'object') return platform;
  const { limits: _limits, ...rest } = platform as Record<string, unknown>;
  return rest;
}
