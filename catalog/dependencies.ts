import { endpointAddress, PLATFORM_COMPONENTS, type Endpoint } from './endpoints';
import type { PlatformModel, SecretKey, ServiceModel } from './model';
import type { PlatformDependency } from './schema';

/** What a client container of a platform dependency gets. */
export interface DependencyClientEnv {
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secretEnv: readonly { readonly env: string; readonly secret: string; readonly key: string }[];
  readonly configMapEnv: readonly { readonly env: string; readonly configMap: string; readonly key: string }[];
}

/** One shared component a catalog service may list in `uses`. */
export interface PlatformDependencyRegistration {
  /** The endpoint and port clients connect to; undefined when the catalog has no such component. */
  target(model: PlatformModel): { readonly endpoint: Endpoint; readonly port: number } | undefined;
  /** What a client's container gets to find and authenticate to it. */
  clientEnv(model: PlatformModel, service: Pick<ServiceModel, 'name'>): DependencyClientEnv;
}

/**
 * The registry of `uses:` dependencies, the one place a dependency is declared: the mesh opens its
 * path from the catalog's clients, the services chart gives them its env, telemetry scrapes it (a PodMonitor named after the endpoint).
 * Keyed by every `PlatformDependency`, so adding one to the schema fails to compile until it is here.
 */
export const PLATFORM_DEPENDENCIES: { readonly [D in PlatformDependency]: PlatformDependencyRegistration } = {
  redis: {
    target: (model) => (model.endpoints.redisCluster ? { endpoint: model.endpoints.redisCluster, port: model.endpoints.redisCluster.ports.client } : undefined),
    clientEnv: (model) => ({
      env: [],
      // the cluster's URL and every member's stable name, from the ConfigMap the cluster writes into the apps namespace.
      configMapEnv: [{ env: 'REDIS_URL', configMap: PLATFORM_COMPONENTS.redisCluster.clientConfigMap, key: 'redis-url' }],
      secretEnv: model.redis ? [{ env: 'REDIS_PASSWORD', secret: model.redis.passwordSecret.name, key: model.redis.passwordSecret.key }] : [],
    }),
  },
  consul: {
    target: (model) => (model.endpoints.consul ? { endpoint: model.endpoints.consul, port: model.endpoints.consul.ports.http } : undefined),
    clientEnv: (model, service) => ({
      env: model.endpoints.consul ? [{ name: 'CONSUL_HTTP_ADDR', value: `http://${endpointAddress(model.endpoints.consul, 'http')}` }] : [],
      configMapEnv: [],
      // ACLs default to deny: the service's own token registers only itself and reads only services/<service>/.
      secretEnv: model.consul?.clientTokenSecrets[service.name] ? [{ env: 'CONSUL_HTTP_TOKEN', ...secretRef(model.consul.clientTokenSecrets[service.name]) }] : [],
    }),
  },
};

/** The dependencies a service uses that exist in this environment, with their registrations. */
export function usedDependencies(model: PlatformModel, uses: readonly PlatformDependency[]) {
  // in the registry's order, so a service's env keeps its order whatever the catalog lists first.
  return (Object.keys(PLATFORM_DEPENDENCIES) as PlatformDependency[]).filter((d) => uses.includes(d)).flatMap((dependency) => {
    const target = PLATFORM_DEPENDENCIES[dependency].target(model);
    return target ? [{ dependency, registration: PLATFORM_DEPENDENCIES[dependency], ...target }] : [];
  });
}

const secretRef = (secret: SecretKey) => ({ secret: secret.name, key: secret.key });
