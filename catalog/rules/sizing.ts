import { effectiveSettings } from '../defaults';
import { replicaBoundFindings, resourceBoundFindings } from '../limits';
import { parseCpu, parseMemory } from '../quantity';
import type { DocPath } from '../source';
import type { Rule } from './rule';

/** Replicas and resources: bounds in order, two replicas in prod, requests within limits, sizes that fit the cluster. */
export const sizingRules: readonly Rule[] = [
  {
    id: 'replica-bounds',
    // a service that sets neither bound inherits the defaults' problem, reported once at defaults.
    check: (doc) =>
      [
        { path: ['defaults', 'autoscaling'] as DocPath, own: doc.defaults.autoscaling as object | undefined, bounds: doc.defaults.autoscaling },
        ...doc.services.map((s, i) => ({ path: ['services', i, 'autoscaling'] as DocPath, own: s.autoscaling, bounds: effectiveSettings(doc.defaults, s).autoscaling })),
      ].flatMap(({ path, own, bounds: { minReplicas, maxReplicas } }) =>
        own && minReplicas > maxReplicas
          ? [{ path: [...path, 'minReplicas' in own ? 'minReplicas' : 'maxReplicas'], message: `minReplicas (${minReplicas}) is greater than maxReplicas (${maxReplicas}); lower minReplicas or raise maxReplicas` }]
          : [],
      ),
  },
  {
    id: 'prod-high-availability',
    check: (doc) => {
      const cap = doc.environments.prod.maxReplicas ?? Infinity;
      if (cap < 2) {
        return [{ path: ['environments', 'prod', 'maxReplicas'], message: `prod is capped at ${cap} replica; production needs at least 2 per service so a node drain or a crash leaves one serving` }];
      }
      const low = (min: number) => `would run ${min} replica in prod; production needs at least 2 so a node drain or a crash leaves one serving`;
      return [
        ...(doc.defaults.autoscaling.minReplicas < 2 && doc.services.some((s) => s.autoscaling?.minReplicas === undefined)
          ? [{ path: ['defaults', 'autoscaling', 'minReplicas'] as DocPath, message: `services without their own minReplicas ${low(doc.defaults.autoscaling.minReplicas)}` }]
          : []),
        ...doc.services.flatMap((s, i) =>
          s.autoscaling?.minReplicas !== undefined && s.autoscaling.minReplicas < 2
            ? [{ path: ['services', i, 'autoscaling', 'minReplicas'] as DocPath, message: `"${s.name}" ${low(s.autoscaling.minReplicas)}` }]
            : [],
        ),
      ];
    },
  },
  {
    id: 'requests-within-limits',
    check: (doc) =>
      [
        { path: ['defaults'] as DocPath, own: doc.defaults.resources as object | undefined, resources: doc.defaults.resources },
        ...doc.services.map((s, i) => ({ path: ['services', i] as DocPath, own: s.resources, resources: effectiveSettings(doc.defaults, s).resources })),
      ].flatMap(({ path, own, resources }) =>
        (['cpu', 'memory'] as const).flatMap((kind) => {
          const parse = kind === 'cpu' ? parseCpu : parseMemory;
          const request = parse(resources.requests[kind]);
          const limit = parse(resources.limits[kind]);
          if (!own || request === undefined || limit === undefined || request <= limit) return [];
          return [{ path: [...path, 'resources', 'requests', kind], message: `${kind} request (${resources.requests[kind]}) exceeds the limit (${resources.limits[kind]}); raise the limit or lower the request` }];
        }),
      ),
  },
  { id: 'resources-fit-a-node', check: resourceBoundFindings },
  { id: 'replica-ceiling', check: replicaBoundFindings },
];
