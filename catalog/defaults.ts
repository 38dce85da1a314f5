import type { CatalogDocument, EnvironmentName, ServiceEntry } from './schema';

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

/** `platform.redis` with the environment's `redis` overlay applied field by field. */
export function effectiveRedis(doc: CatalogDocument, environment: EnvironmentName) {
  const base = doc.platform.redis!;
  const overlay = doc.environments[environment].redis ?? {};
  return { ...base, ...overlay, storage: { ...base.storage, ...overlay.storage }, resources: overlay.resources ?? base.resources };
}

/** `platform.consul` with the environment's `consul` overlay applied field by field. */
export function effectiveConsul(doc: CatalogDocument, environment: EnvironmentName) {
  const base = doc.platform.consul!;
  const overlay = doc.environments[environment].consul ?? {};
  return { ...base, ...overlay, storage: { ...base.storage, ...overlay.storage }, resources: overlay.resources ?? base.resources };
}
