import { effectiveConsul, effectiveRedis } from '../defaults';
import { parseMemory } from '../quantity';
import { ENVIRONMENTS, type CatalogDocument } from '../schema';
import type { DocPath } from '../source';
import type { Finding, Rule } from './rule';

/** The Redis cluster and the Consul servers, in every environment: a cluster Redis can form, memory headroom, a quorum. */
export const dataComponentRules: readonly Rule[] = [
  {
    id: 'redis-cluster-size',
    check: (doc) =>
      unique(
        eachEnvironment(doc, 'redis').flatMap(({ env, overlay }) => {
          const { nodes, replicasPerMaster } = effectiveRedis(doc, env);
          const at = (field: string): DocPath => (overlay && field in overlay ? ['environments', env, 'redis', field] : ['platform', 'redis', field]);
          const group = 1 + replicasPerMaster;
          if (nodes % group !== 0) {
            return [{ path: at('nodes'), message: `${env}: ${nodes} nodes cannot be split into masters with ${replicasPerMaster} replica(s) each; use a multiple of ${group}` }];
          }
          if (nodes / group < REDIS_MIN_MASTERS) {
            return [{ path: at('nodes'), message: `${env}: ${nodes} nodes give ${nodes / group} master(s); a Redis cluster needs at least ${REDIS_MIN_MASTERS} masters, so at least ${REDIS_MIN_MASTERS * group} nodes with ${replicasPerMaster} replica(s) per master` }];
          }
          return [];
        }),
      ),
  },
  {
    id: 'redis-maxmemory-within-limit',
    check: (doc) =>
      unique(
        eachEnvironment(doc, 'redis').flatMap(({ env, overlay }) => {
          const { maxmemory, resources } = effectiveRedis(doc, env);
          const max = parseMemory(maxmemory);
          const limit = parseMemory(resources.limits.memory);
          if (max === undefined || limit === undefined || max <= limit * REDIS_MAXMEMORY_SHARE) return [];
          const path: DocPath =
            overlay && 'maxmemory' in overlay ? ['environments', env, 'redis', 'maxmemory'] : overlay && 'resources' in overlay ? ['environments', env, 'redis', 'resources'] : ['platform', 'redis', 'maxmemory'];
          return [{ path, message: `${env}: maxmemory ${maxmemory} is above ${REDIS_MAXMEMORY_SHARE * 100} % of the memory limit (${resources.limits.memory}); replication buffers and the fork for AOF rewrites need the rest, raise the limit or lower maxmemory` }];
        }),
      ),
  },
  {
    id: 'consul-server-count',
    check: (doc) =>
      unique(
        eachEnvironment(doc, 'consul').flatMap(({ env, overlay }) => {
          const { servers } = effectiveConsul(doc, env);
          const path: DocPath = overlay && 'servers' in overlay ? ['environments', env, 'consul', 'servers'] : ['platform', 'consul', 'servers'];
          if (!CONSUL_SERVER_COUNTS.includes(servers)) {
            return [{ path, message: `${env}: ${servers} Consul servers; use ${CONSUL_SERVER_COUNTS.join(', ')} (an even count tolerates no more failures than the odd count below it)` }];
          }
          if (env === 'prod' && servers < 3) return [{ path, message: `prod: ${servers} Consul server cannot lose one without losing quorum; use 3 or 5` }];
          return [];
        }),
      ),
  },
];

/** `redis-cli --cluster create` refuses fewer than three masters. */
export const REDIS_MIN_MASTERS = 3;
/** The share of the memory limit `maxmemory` may take. */
const REDIS_MAXMEMORY_SHARE = 0.75;
/** Raft quorum sizes that make sense. */
const CONSUL_SERVER_COUNTS = [1, 3, 5];

/** Each environment, with its overlay for `component`, when the catalog defines the component. */
function eachEnvironment(doc: CatalogDocument, component: 'redis' | 'consul') {
  if (!doc.platform[component]) return [];
  return ENVIRONMENTS.map((env) => ({ env, overlay: doc.environments[env][component] as object | undefined }));
}

/**
 * Findings with the same path and message once: a base value (`platform.*`) wrong in every
 * environment is reported once, without the environment prefix.
 */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .map((f) => (f.path[0] === 'platform' ? { ...f, message: f.message.replace(/^\w+: /, '') } : f))
    .filter((f) => {
      const key = `${f.path.join('.')}\u0000${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
