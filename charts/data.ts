import { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { appSelector, standardLabels } from '../components/common';
import { Consul, ConsulKvSeed, RedisCluster, type DataClient } from '../components/data';
import { NamespaceIsolation } from '../components/mesh';
import { PlatformChart } from './platform-chart';

/**
 * The data namespace: the Redis cluster and Consul (with its KV seeding Job), one file each, and
 * the namespace's default deny. Each component carries its own allow rules, derived from the
 * catalog's `uses`.
 */
export class DataChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'data', model);
    const namespace = model.namespaces.data;
    const partOf = model.platform.name;
    const { endpoints } = model;
    const clientsOf = (dependency: 'redis' | 'consul'): DataClient[] =>
      model.services
        .filter((s) => s.uses.includes(dependency))
        .map((s) => ({ principal: s.principal, namespace: s.namespace, pods: appSelector(s.name) })); // every track of the client

    new NamespaceIsolation(this, 'namespace-isolation', {
      namespace,
      labels: standardLabels({ name: namespace, instance: this.instance, component: 'network-policy', partOf }),
      istioNamespace: model.namespaces.istioRoot,
      collector: endpoints.collector,
    });

    if (model.redis && endpoints.redisCluster) {
      const redis = model.redis;
      new RedisCluster(this, endpoints.redisCluster.name, {
        namespace,
        labels: { instance: this.instance, version: redis.version, component: 'cache', partOf },
        image: redis.image,
        nodes: redis.nodes,
        replicasPerMaster: redis.replicasPerMaster,
        maxmemory: redis.maxmemory,
        maxmemoryPolicy: redis.maxmemoryPolicy,
        storage: redis.storage,
        resources: redis.resources,
        passwordSecret: redis.passwordSecret,
        endpoint: endpoints.redisCluster,
        clients: clientsOf('redis'),
        clientNamespace: model.namespaces.apps,
        prometheus: endpoints.prometheus,
      });
    }

    if (model.consul && endpoints.consul && endpoints.consulKvSeed) {
      const consul = model.consul;
      const seed = endpoints.consulKvSeed;
      const labels = { instance: this.instance, version: consul.version, component: 'discovery', partOf };
      // one file for the servers and the Job that seeds them.
      const scope = new Construct(this, 'consul');
      const server = new Consul(scope, 'server', {
        namespace,
        labels,
        image: consul.image,
        servers: consul.servers,
        storage: consul.storage,
        resources: consul.resources,
        gossipKeySecret: consul.gossipKeySecret,
        bootstrapTokenSecret: consul.bootstrapTokenSecret,
        endpoint: endpoints.consul,
        agentTokenSecret: consul.agentTokenSecret,
        clients: [...clientsOf('consul'), { principal: seed.principal, namespace: seed.namespace, pods: { ...seed.selector } }],
        prometheus: endpoints.prometheus,
        datacenter: this.instance,
      });
      new ConsulKvSeed(scope, 'kv-seed', {
        namespace,
        labels,
        image: consul.image,
        endpoint: seed,
        consul: endpoints.consul,
        entries: Object.fromEntries(model.services.filter((s) => Object.keys(s.config).length > 0).map((s) => [s.name, s.config])),
        tokenSecret: consul.bootstrapTokenSecret,
        serviceTokenSecrets: consul.clientTokenSecrets,
        agent: { tokenSecret: consul.agentTokenSecret, nodeNames: server.nodeNames, datacenter: server.datacenter },
      });
    }
  }
}
