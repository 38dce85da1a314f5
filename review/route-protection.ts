import { kongConfigs, type KongPlugin } from './kong-config';
import type { K8sObject } from './objects';
import { valueText } from './units';

/**
 * Rate-limiting windows, from Kong's rate-limiting plugin schema.
 * @see https://github.com/Kong/kong/blob/3.9.1/kong/plugins/rate-limiting/schema.lua
 */
const RATE_LIMIT_WINDOWS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

/**
 * Public routes whose protection was removed or loosened: a plugin gone (jwt, rate-limiting,
 * response-transformer, any other), a rate limit raised or dropped, a field the
 * response-transformer stripped now passed through. Routes that disappear entirely are not here
 * (less exposure); new routes are "new public entries".
 */
export function routeProtectionLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const after = new Map(kongConfigs(head).flatMap((c) => c.routes.map((r) => [r.id, r.plugins] as const)));
  return kongConfigs(base).flatMap((config) =>
    config.routes.flatMap((route) => {
      const now = after.get(route.id);
      if (!now) return [];
      return route.plugins.flatMap((before) => {
        const current = now.find((p) => p.name === before.name);
        if (!current) return [`! route ${route.id}: plugin ${before.name} removed`];
        return loosened(before, current).map((what) => `! route ${route.id}: ${what}`);
      });
    }),
  );
}

function loosened(before: KongPlugin, after: KongPlugin): string[] {
  switch (before.name) {
    case 'rate-limiting':
      return RATE_LIMIT_WINDOWS.flatMap((window) => {
        const [a, b] = [before.config[window], after.config[window]];
        if (typeof a !== 'number' || (typeof b === 'number' && b <= a)) return [];
        return [`rate-limiting ${window} ${a} → ${valueText(b)}`];
      });
    case 'response-transformer': {
      const kept = new Set<string>(after.config.remove?.json ?? []);
      return (before.config.remove?.json ?? []).filter((f: string) => !kept.has(f)).map((f: string) => `response-transformer no longer removes "${f}"`);
    }
    default:
      return [];
  }
}

/** Origins the CORS plugin (global or on a route) allows now that it did not before. */
export function corsOriginLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const origins = (objects: readonly K8sObject[]) =>
    new Set(
      kongConfigs(objects).flatMap((c) =>
        [...c.globalPlugins.map((p) => ({ p, where: c.source })), ...c.routes.flatMap((r) => r.plugins.map((p) => ({ p, where: `route ${r.id}` })))]
          .filter(({ p }) => p.name === 'cors')
          .flatMap(({ p, where }) => (p.config.origins ?? ['*']).map((origin: string) => `${origin}\u0000${where}`)),
      ),
    );
  const before = origins(base);
  return [...origins(head)]
    .filter((o) => !before.has(o))
    .sort()
    .map((o) => {
      const [origin, where] = o.split('\u0000');
      return `! CORS origin added: ${origin} (${where})`;
    });
}
