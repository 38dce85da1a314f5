import { Construct } from 'constructs';
import type { PlatformModel, ServiceModel } from '../catalog';
import { CONSUL_HTTP_PORT, CONSUL_SERVER_NAME, REDIS_CLIENT_CONFIG_MAP } from '../components/data';
import { CanaryDeployment, ServiceWorkload } from '../components/workload';
import { appSelector } from '../components/common';
import { PlatformChart } from './platform-chart';
import { canaryInstance, serviceTraffic } from './service-traffic';

/**
 * Per catalog service that the generic workload runs (not Kong's api-gateway), in
 * `services/<service>.yaml`: its ServiceWorkload, and how callers reach it (DestinationRule and
 * VirtualService, charts/service-traffic.ts).
 */
export class ServicesChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'services', model);
    for (const service of model.services) {
      if (service.implementation || !service.image || service.ports.http === undefined) continue;
      const scope = new Construct(this, service.name);
      const workload = new ServiceWorkload(scope, 'Workload', {
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
        ...(service.canary ? { serviceSelector: appSelector(service.name) } : {}),
      });
      if (service.canary) {
        new CanaryDeployment(scope, 'Canary', { stable: workload.deployment, image: service.canary.image, version: service.canary.version, instance: canaryInstance(this.instance) });
      }
      serviceTraffic(scope, model, service, this.instance);
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
    // ACLs default to deny: the services' token reads services/ and registers services.
    secretEnv.push({ env: 'CONSUL_HTTP_TOKEN', secret: model.consul.clientTokenSecret.name, key: model.consul.clientTokenSecret.key });
  }
  return { env, secretEnv, configMapEnv };
}
