import { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { appSelector, selectorLabels, standardLabels } from '../components/common';
import { CONSUL_KV_SEED_NAME, CONSUL_SERVER_NAME, Consul, ConsulKvSeed, RedisCluster, type DataClient } from '../components/data';
import { NamespaceIsolation } from '../components/mesh';
import { PlatformChart } from './platform-chart';
import { meshPrincipal } from '../catalog/principal';

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
    const clientsOf = (dependency: 'redis' | 'consul'): DataClient[] =>
      model.services
        .filter((s) => s.uses.includes(dependency))
        .map((s) => ({ principal: s.principal, namespace: s.namespace, pods: appSelector(s.name) })); // every track of the client

    new NamespaceIsolation(this, 'namespace-isolation', {
      namespace,
      labels: standardLabels({ name: namespace, instance: this.instance, component: 'network-policy', partOf }),
      istioNamespace: model.namespaces.istioRoot,
    });

    if (model.redis) {
      const redis = model.redis;
      new RedisCluster(this, 'redis-cluster', {
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
        clients: clientsOf('redis'),
        clientNamespace: model.namespaces.apps,
        monitoringNamespace: model.namespaces.monitoring,
      });
    }

    if (model.consul) {
      const consul = model.consul;
      const labels = { instance: this.instance, version: consul.version, component: 'discovery', partOf };
      // one file for the servers and the Job that seeds them.
      const scope = new Construct(this, 'consul');
      const seedPods = selectorLabels({ name: CONSUL_KV_SEED_NAME, instance: this.instance });
      const server = new Consul(scope, 'server', {
        namespace,
        labels,
        image: consul.image,
        servers: consul.servers,
        storage: consul.storage,
        resources: consul.resources,
        gossipKeySecret: consul.gossipKeySecret,
        bootstrapTokenSecret: consul.bootstrapTokenSecret,
        clients: [...clientsOf('consul'), { principal: meshPrincipal(namespace, CONSUL_KV_SEED_NAME), namespace, pods: seedPods }],
        monitoringNamespace: model.namespaces.monitoring,
        datacenter: this.instance,
      });
      new ConsulKvSeed(scope, 'kv-seed', {
        namespace,
        labels,
        image: consul.image,
        consulAddress: server.httpAddress,
        consulPods: selectorLabels({ name: CONSUL_SERVER_NAME, instance: this.instance }),
        entries: Object.fromEntries(model.services.filter((s) => Object.keys(s.config).length > 0).map((s) => [s.name, s.config])),
        tokenSecret: consul.bootstrapTokenSecret,
        clientTokenSecret: consul.clientTokenSecret,
      });
    }
  }
}
