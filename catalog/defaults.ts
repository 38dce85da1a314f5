import type { CatalogDocument, ServiceEntry } from './schema';

type Defaults = CatalogDocument['defaults'];

/**
 * A service's effective autoscaling, resources and probes: the service's own fields win over
 * `defaults`, field by field, so a service can change `maxReplicas` alone.
 */
export function effectiveSettings(defaults: Defaults, service: ServiceEntry) {
  return {
    env: { ...defaults.env, ...service.env },
    autoscaling: { ...defaults.autoscaling, ...service.autoscaling },
    resources: {
      requests: { ...defaults.resources.requests, ...service.resources?.requests },
      limits: { ...defaults.resources.limits, ...service.resources?.limits },
    },
    probes: {
      startup: { ...defaults.probes.startup, ...service.probes?.startup },
      readiness: { ...defaults.probes.readiness, ...service.probes?.readiness },
      liveness: { ...defaults.probes.liveness, ...service.probes?.liveness },
    },
  };
}
