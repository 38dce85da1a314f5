import type { Construct } from 'constructs';
import type { PlatformModel, ServiceModel } from '../catalog';
import { CONSUL_HTTP_PORT, CONSUL_SERVER_NAME, REDIS_CLIENT_CONFIG_MAP } from '../components/data';
import { ServiceWorkload } from '../components/workload';
import { PlatformChart } from './platform-chart';

/** One ServiceWorkload per catalog service that the generic workload runs (not Kong's api-gateway). */
export class ServicesChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'services', model);
    for (const service of model.services) {
      if (service.implementation || !service.image || service.ports.http === undefined) continue;
      new ServiceWorkload(this, service.name, {
        name: service.name,
        namespace: service.namespace,
        image: service.image,
        labels: { instance: this.instance, version: service.version, component: service.layer, partOf: model.platform.name },
        ports: { http: service.ports.http, grpc: service.ports.grpc },
        resources: service.resources,
        probes: service.probes,
        replicas: service.replicas,
        env: [...service.env, ...dataEnv(model, service).env],
        secretEnv: [...service.secrets, ...dataEnv(model, service).secretEnv],
        configMapEnv: dataEnv(model, service).configMapEnv,
        config: service.config,
        environment: model.environment,
        otlpEndpoint: model.telemetry.otlpEndpoint,
      });
    }
  }
}

/**
 * What a service that `uses` Redis or Consul needs to reach it: the cluster's URL from the
 * `redis-config` ConfigMap, the Consul address, and the credentials from Secrets of the same
 * names in the service's namespace (the Pulumi program creates them from its config).
 */
function dataEnv(model: PlatformModel, service: ServiceModel) {
  const env: { name: string; value: string }[] = [];
  const secretEnv: { env: string; secret: string; key: string }[] = [];
  const configMapEnv: { env: string; configMap: string; key: string }[] = [];
  if (service.uses.includes('redis') && model.redis) {
    configMapEnv.push({ env: 'REDIS_URL', configMap: REDIS_CLIENT_CONFIG_MAP, key: 'redis-url' });
    secretEnv.push({ env: 'REDIS_PASSWORD', secret: model.redis.passwordSecret.name, key: model.redis.passwordSecret.key });
  }
  if (service.uses.includes('consul') && model.consul) {
    env.push({ name: 'CONSUL_HTTP_ADDR', value: `http://${CONSUL_SERVER_NAME}.${model.namespaces.data}.svc.cluster.local:${CONSUL_HTTP_PORT}` });
    // ACLs default to deny: the service's own token registers only itself and reads only services/<service>/.
    const token = model.consul.clientTokenSecrets[service.name];
    secretEnv.push({ env: 'CONSUL_HTTP_TOKEN', secret: token.name, key: token.key });
  }
  return { env, secretEnv, configMapEnv };
}
