import { effectiveConsul, effectiveRedis } from '../defaults';
import { imageReference, versionLabel } from '../image-tag';
import type { ConsulModel, RedisModel, ServiceModel } from '../model';
import type { CatalogDocument, EnvironmentName } from '../schema';

/** The Redis cluster of one environment (its overlay applied) and the services that use it. */
export function resolveRedis(doc: CatalogDocument, environment: EnvironmentName, services: readonly ServiceModel[]): RedisModel {
  const r = effectiveRedis(doc, environment);
  return {
    image: imageReference(r.image.repository, r.image.tag),
    version: versionLabel(r.image.tag),
    nodes: r.nodes,
    replicasPerMaster: r.replicasPerMaster,
    maxmemory: r.maxmemory,
    maxmemoryPolicy: r.maxmemoryPolicy,
    storage: { ...r.storage },
    resources: r.resources,
    passwordSecret: { ...r.passwordSecret },
    clients: services.filter((s) => s.uses.includes('redis')).map((s) => s.name),
  };
}

/** The Consul servers of one environment (its overlay applied), with a token Secret per client service. */
export function resolveConsul(doc: CatalogDocument, environment: EnvironmentName, services: readonly ServiceModel[]): ConsulModel {
  const c = effectiveConsul(doc, environment);
  const clients = services.filter((s) => s.uses.includes('consul')).map((s) => s.name);
  return {
    image: imageReference(c.image.repository, c.image.tag),
    version: versionLabel(c.image.tag),
    servers: c.servers,
    storage: { ...c.storage },
    resources: c.resources,
    gossipKeySecret: { ...c.gossipKeySecret },
    bootstrapTokenSecret: { ...c.bootstrapTokenSecret },
    agentTokenSecret: { ...(c.agentTokenSecret ?? DEFAULT_CONSUL_AGENT_TOKEN_SECRET) },
    clientTokenSecrets: Object.fromEntries(clients.map((service) => [service, consulServiceTokenSecret(c.clientTokenSecret, service)])),
    clients,
  };
}

export const DEFAULT_CONSUL_AGENT_TOKEN_SECRET = { name: 'consul-agent-token', key: 'token' } as const;

/**
 * A service's own Consul token Secret: `<clientTokenSecret.name>-<service>`, the same key. One
 * token per service, because Consul grants per token: a shared one would let every service
 * register (and deregister) every other.
 */
export function consulServiceTokenSecret(prefix: { readonly name: string; readonly key: string }, service: string): { name: string; key: string } {
  return { name: `${prefix.name}-${service}`, key: prefix.key };
}
