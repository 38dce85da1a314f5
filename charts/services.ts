import { Construct } from 'constructs';
import type { PlatformModel, ServiceModel } from '../catalog';
import { endpointUrl } from '../catalog/endpoints';
import { usedDependencies } from '../catalog/dependencies';
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
        otlpEndpoint: endpointUrl(model.endpoints.collector, 'otlpGrpc'),
        ...(service.canary ? { serviceSelector: appSelector(service.name) } : {}),
      });
      if (service.canary) {
        new CanaryDeployment(scope, 'Canary', { stable: workload.deployment, image: service.canary.image, version: service.canary.version, instance: canaryInstance(this.instance) });
      }
      serviceTraffic(scope, model, service, this.instance);
    }
  }
}

/** What the shared components a service `uses` give its container (catalog/dependencies.ts). */
function dataEnv(model: PlatformModel, service: ServiceModel) {
  const envs = usedDependencies(model, service.uses).map((d) => d.registration.clientEnv(model, service));
  return {
    env: envs.flatMap((e) => e.env),
    secretEnv: envs.flatMap((e) => e.secretEnv),
    configMapEnv: envs.flatMap((e) => e.configMapEnv),
  };
}
