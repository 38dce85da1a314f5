import { z } from 'zod';
import { defaultsSection } from './schema/defaults';
import { environmentsSection } from './schema/environments';
import { platformSection } from './schema/platform';
import { servicesSection } from './schema/services';

export { consul, consulOverlay, redis, redisOverlay } from './schema/data-components';
export { ENVIRONMENTS, environment, type EnvironmentName } from './schema/environments';
export { dnsLabel, HTTP_METHODS, LAYERS, secretKeyRef, type HttpMethod, type Layer } from './schema/fields';
export { gatewayOverlay, kong, publicTls, RATE_LIMIT_POLICIES, route, type KongEntry, type RateLimitPolicy, type RouteEntry } from './schema/gateway';
export { istio, type IstioEntry } from './schema/mesh';
export { limits, secretScan } from './schema/platform';
export { RETRY_CONDITIONS, resilienceDefaults, resilienceSettings, type ResilienceDefaultsEntry, type ResilienceSettingsEntry } from './schema/resilience';
export { PLATFORM_DEPENDENCIES, service, slo, type PlatformDependency, type SloEntry } from './schema/services';
export { environmentTelemetry, jaegerStorage, lokiLimits, telemetry, type JaegerStorageEntry, type TelemetryEntry } from './schema/telemetry';
export { autoscaling, externalImage, image, probes, resources } from './schema/workload';

/**
 * The shape of `catalog/platform.yaml`. Types, the JSON Schema editors use (`platform.schema.json`,
 * written by `npm run schema`) and the loader's structural checks all come from this one definition.
 * Checks that span fields or entries (unknown callees, min > max, port clashes, ...) live in
 * `rules.ts`, because a schema cannot name the other entry involved. One module per catalog
 * section in `catalog/schema/` (platform, defaults, environments, services), beside the parts
 * they share: field types, workload, resilience, gateway, mesh, data components, telemetry.
 */

export const catalogSchema = z.strictObject({
  platform: platformSection,
  defaults: defaultsSection,
  environments: environmentsSection,
  services: servicesSection,
});

export type CatalogDocument = z.infer<typeof catalogSchema>;
export type ServiceEntry = CatalogDocument['services'][number];
export type CallEntry = NonNullable<ServiceEntry['calls']>[number];
