import type { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { KongGateway, kongDeclarativeConfig, PublicCertificate, RATE_LIMIT_REDIS_PASSWORD_REFERENCE, RateLimitRedis } from '../components/gateway';
import { standardLabels } from '../components/common';
import { DEFAULT_ROUTE_TIMEOUT } from '../catalog/budgets';
import { parseDuration } from '../catalog/duration';
import { PlatformChart } from './platform-chart';

/**
 * The API gateway: Kong (the catalog's `implementation: kong` service, api-gateway) with the
 * declarative config generated from every service's `route`, and, when a route keeps its
 * rate-limit counters in Redis, the small Redis that holds them.
 */
export class GatewayChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'gateway', model);
    const gateway = model.services.find((s) => s.implementation === 'kong');
    if (!gateway) return;
    const labels = { instance: this.instance, version: model.gateway.version, component: 'gateway', partOf: model.platform.name };
    const routed = model.services.flatMap((s) => (s.route && s.ports.http !== undefined ? [{ name: s.name, namespace: s.namespace, port: s.ports.http, route: s.route }] : []));
    const { gateway: endpoint, rateLimitRedis } = model.endpoints;
    if (!endpoint) return;

    const redis = rateLimitRedis
      ? new RateLimitRedis(this, rateLimitRedis.name, {
          endpoint: rateLimitRedis,
          labels: { ...labels, version: model.gateway.rateLimitRedis.version },
          image: model.gateway.rateLimitRedis.image,
          passwordSecret: model.gateway.rateLimitRedis.passwordSecret,
          client: endpoint,
        })
      : undefined;

    const config = kongDeclarativeConfig({
      host: model.hostnames.api,
      services: routed,
      cors: model.gateway.cors,
      consumers: model.gateway.consumers,
      defaultRateLimitPolicy: model.gateway.defaultRateLimitPolicy,
      ...(model.gateway.tls?.hstsMaxAgeSeconds !== undefined ? { hstsMaxAgeSeconds: model.gateway.tls.hstsMaxAgeSeconds } : {}),
      // the same default the loader's chain budgets assume (catalog/budgets.ts).
      defaultTimeoutSeconds: parseDuration(DEFAULT_ROUTE_TIMEOUT)!,
      ...(redis ? { redis: { host: redis.host, port: redis.port, password: RATE_LIMIT_REDIS_PASSWORD_REFERENCE } } : {}),
    });

    const tls = model.gateway.tls;
    // cert-manager writes the Secret Kong mounts; an existing Secret is mounted as it is.
    if (tls?.source === 'certificate') {
      new PublicCertificate(this, 'public-certificate', {
        name: gateway.name,
        namespace: gateway.namespace,
        labels: standardLabels({ ...labels, name: gateway.name }),
        dnsNames: [model.hostnames.api],
        secretName: tls.secretName,
        issuer: tls.issuer,
      });
    }

    new KongGateway(this, gateway.name, {
      name: gateway.name,
      namespace: gateway.namespace,
      labels,
      image: model.gateway.image,
      config,
      jwtCredentials: model.gateway.consumers.map((c) => ({ username: c.username, ...c.jwt })),
      ...(redis ? { rateLimitRedisPassword: model.gateway.rateLimitRedis.passwordSecret } : {}),
      ...(tls ? { tlsSecret: tls.secretName } : {}),
      resources: gateway.resources,
      replicas: gateway.replicas,
      servicePorts: model.gateway.servicePorts,
    });
  }
}
