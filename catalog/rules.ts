import { budgetRules } from './budgets';
import { callGraphRules } from './rules/call-graph';
import { canaryRules } from './rules/canaries';
import { dataComponentRules } from './rules/data-components';
import { envAndSecretRules } from './rules/env-and-secrets';
import { gatewayRules } from './rules/gateway';
import { imageRules } from './rules/images';
import { portRules } from './rules/ports';
import type { Rule } from './rules/rule';
import { routeRules } from './rules/routes';
import { sizingRules } from './rules/sizing';
import { telemetryRules } from './rules/telemetry';

export type { Finding, Rule } from './rules/rule';
export { PLATFORM_ENV_PREFIX } from './rules/env-and-secrets';
export { KONG_TIMEOUT_MAX_MS } from './rules/routes';
export { REDIS_MIN_MASTERS } from './rules/data-components';

/**
 * Every cross-reference rule the loader runs, one list per concern in `catalog/rules/`; the loader
 * sorts what they find by position in the file, so the order here is only for reading.
 */
export const rules: readonly Rule[] = [
  ...callGraphRules,
  ...sizingRules,
  ...portRules,
  ...routeRules,
  ...imageRules,
  ...envAndSecretRules,
  ...gatewayRules,
  ...dataComponentRules,
  ...telemetryRules,
  ...canaryRules,
  // timeouts and retries along every call chain (catalog/budgets.ts).
  ...budgetRules,
];
