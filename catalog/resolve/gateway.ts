import { parseDuration } from '../duration';
import { imageReference, versionLabel } from '../image-tag';
import type { GatewayModel, PublicTls, ServiceModel } from '../model';
import type { CatalogDocument, EnvironmentName } from '../schema';
import { sortBy } from './sorted';

/** Kong 3.9.1: the newest open-source Kong image (Kong/docker-kong#738); 3.10+ are Enterprise-only. */
export const DEFAULT_KONG_IMAGE = { repository: 'docker.io/library/kong', tag: '3.9.1' };
/** Redis 7.2: the last BSD-licensed line; holds only the gateway's rate-limit counters. */
export const DEFAULT_RATE_LIMIT_REDIS_IMAGE = { repository: 'docker.io/library/redis', tag: '7.2.7' };

/** The seed's CORS settings (PLATFORM.md "API gateway"), except the origins, which are explicit per environment. */
const DEFAULT_CORS = {
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'] as const,
  headers: ['Accept', 'Accept-Version', 'Content-Length', 'Content-MD5', 'Content-Type', 'Date', 'X-Auth-Token'],
  exposedHeaders: ['X-Auth-Token'],
  maxAge: '3600s',
};

/** The Secret cert-manager writes the public host's certificate into (apps namespace). */
export const PUBLIC_TLS_SECRET = 'api-gateway-tls';

function publicTls(doc: CatalogDocument, environment: EnvironmentName): PublicTls | undefined {
  const tls = doc.environments[environment].tls;
  if (!tls) return undefined;
  const hsts = tls.hstsMaxAge ? { hstsMaxAgeSeconds: parseDuration(tls.hstsMaxAge)! } : {};
  if (tls.secret) return { source: 'secret', secretName: tls.secret, ...hsts };
  // the loader requires exactly one of issuer and secret (catalog/rules/gateway.ts, public-tls).
  return { source: 'certificate', secretName: PUBLIC_TLS_SECRET, issuer: { ...tls.issuer! }, ...hsts };
}

/** Kong's settings of one environment: `platform.kong` over the defaults, with the environment's `gateway` and `tls`. */
export function gateway(doc: CatalogDocument, environment: EnvironmentName, services: readonly ServiceModel[]): GatewayModel {
  const kong = doc.platform.kong ?? {};
  const overlay = doc.environments[environment].gateway ?? {};
  const defaultRateLimitPolicy = overlay.rateLimitPolicy ?? 'redis';
  const tls = publicTls(doc, environment);
  const usesRateLimitRedis = services.some((s) => {
    const limits = s.route && s.ports.http !== undefined ? s.route.plugins?.['rate-limiting'] : undefined;
    return limits !== undefined && (limits.policy ?? defaultRateLimitPolicy) === 'redis';
  });
  const image = kong.image ?? DEFAULT_KONG_IMAGE;
  const redisImage = kong.rateLimitRedis?.image ?? DEFAULT_RATE_LIMIT_REDIS_IMAGE;
  return {
    image: imageReference(image.repository, image.tag),
    version: versionLabel(image.tag),
    servicePorts: { http: kong.ports?.http ?? 80, https: kong.ports?.https ?? 443 },
    cors: {
      origins: [...(overlay.corsOrigins ?? [])].sort(),
      methods: [...(kong.cors?.methods ?? DEFAULT_CORS.methods)],
      headers: [...(kong.cors?.headers ?? DEFAULT_CORS.headers)],
      exposedHeaders: [...(kong.cors?.exposedHeaders ?? DEFAULT_CORS.exposedHeaders)],
      credentials: kong.cors?.credentials ?? true,
      maxAgeSeconds: parseDuration(kong.cors?.maxAge ?? DEFAULT_CORS.maxAge)!,
    },
    consumers: sortBy(kong.consumers ?? [], (c) => c.username).map((c) => ({
      username: c.username,
      jwt: { key: c.jwt.key, algorithm: c.jwt.algorithm ?? 'HS256', secret: { ...c.jwt.secret } },
    })),
    ...(tls ? { tls } : {}),
    defaultRateLimitPolicy,
    usesRateLimitRedis,
    rateLimitRedis: {
      image: imageReference(redisImage.repository, redisImage.tag),
      version: versionLabel(redisImage.tag),
      passwordSecret: { ...(kong.rateLimitRedis?.passwordSecret ?? { name: 'kong-rate-limit-redis', key: 'password' }) },
    },
  };
}
