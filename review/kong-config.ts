import { parseAllDocuments } from 'yaml';
import { compare, objectKey, type K8sObject } from './objects';

/** A plugin as Kong's declarative config (format 3.0) lists it: name and config. */
export interface KongPlugin {
  readonly name: string;
  readonly config: Record<string, any>;
}

/** A route of a Kong declarative config with the plugins that apply to it (its own and its service's). */
export interface KongRoute {
  /** `<route name> (<ConfigMap key>)`: stable across unrelated changes. */
  readonly id: string;
  readonly plugins: readonly KongPlugin[];
}

/** Every Kong declarative config (DB-less) held in a ConfigMap: its routes and its global plugins. */
export interface KongConfig {
  /** `ConfigMap ns/name key`. */
  readonly source: string;
  readonly routes: readonly KongRoute[];
  readonly globalPlugins: readonly KongPlugin[];
}

/**
 * The Kong declarative configs among `objects`: any ConfigMap value that is YAML with
 * `_format_version` (what `components/gateway/kong-declarative-config.ts` writes, and any other).
 * @see https://docs.konghq.com/gateway/3.9.x/production/deployment-topologies/db-less-and-declarative-config/
 */
export function kongConfigs(objects: readonly K8sObject[]): KongConfig[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) =>
      Object.entries<string>(o.data ?? {}).flatMap(([key, text]) => {
        const config = parseKong(text);
        if (!config) return [];
        const source = `${objectKey(o)} ${key}`;
        const routes = (config.services ?? []).flatMap((service: K8sObject) =>
          (service.routes ?? []).map((route: K8sObject) => ({
            id: `${route.name ?? `${service.name} ${(route.paths ?? []).join(',')}`} (${objectKey(o)})`,
            plugins: [...plugins(service.plugins), ...plugins(route.plugins)],
          })),
        );
        return [{ source, routes: routes.sort((a: KongRoute, b: KongRoute) => compare(a.id, b.id)), globalPlugins: plugins(config.plugins) }];
      }),
    );
}

function parseKong(text: unknown): K8sObject | undefined {
  if (typeof text !== 'string' || !text.includes('_format_version')) return undefined;
  try {
    const documents = parseAllDocuments(text).map((d) => d.toJS());
    return documents.find((d) => d && typeof d === 'object' && '_format_version' in d);
  } catch {
    return undefined;
  }
}

function plugins(list: unknown): KongPlugin[] {
  if (!Array.isArray(list)) return [];
  return list.filter((p) => p && typeof p.name === 'string' && p.enabled !== false).map((p) => ({ name: p.name, config: p.config ?? {} }));
}
