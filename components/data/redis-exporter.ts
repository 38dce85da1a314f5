import { Duration } from 'cdk8s';
import type { k8s } from '../common/k8s';
import { hardenedContainer, type MetricsPort, Probe, secretEnv, type SecretKeySelector } from '../workload';

/**
 * The standard Redis exporter, pinned. v1.88.0 is a tag of github.com/oliver006/redis_exporter;
 * its release workflow (`.github/workflows/release.yml`, docker/metadata-action on the tag) pushes
 * `oliver006/redis_exporter:<tag>` (the scratch image, `USER 59000`, `Dockerfile`).
 */
export const REDIS_EXPORTER_IMAGE = 'docker.io/oliver006/redis_exporter:v1.88.0';
/** The exporter's default listen port (`web.listen-address` in `main.go`; PLATFORM.md "redis 9121"). */
export const REDIS_EXPORTER_PORT = 9121;
/** `/metrics` (`web.telemetry-path`) and `/health` (`exporter/exporter.go` registers both). */
export const REDIS_EXPORTER_PATHS = { metrics: '/metrics', health: '/health' } as const;
const PORT_NAME = 'http-metrics';

export interface RedisExporterProps {
  /** The Redis port in the same pod; the exporter connects over localhost. */
  readonly redisPort: number;
  /** The Secret and key holding the Redis password (the same one the server reads). */
  readonly passwordSecret: SecretKeySelector;
  /**
   * Skip `CONFIG GET *` (config metrics) where the server has renamed `CONFIG` away.
   * @default false
   */
  readonly skipConfigCommand?: boolean;
  /** @default REDIS_EXPORTER_IMAGE */
  readonly image?: string;
}

/**
 * The redis_exporter sidecar container of a Redis pod. Configured through the environment
 * variables `main.go` reads at v1.88.0 (`REDIS_ADDR`, `REDIS_PASSWORD`,
 * `REDIS_EXPORTER_WEB_LISTEN_ADDRESS`, `REDIS_EXPORTER_CONFIG_COMMAND`), so the password never
 * appears in a command line. It listens on the pod's interfaces because kubelet probes and Istio's
 * agent reach it there; nothing else can: no AuthorizationPolicy rule or NetworkPolicy admits 9121,
 * Prometheus reads it only through the sidecar's merged endpoint (`REDIS_EXPORTER_METRICS`).
 *
 * @see https://github.com/oliver006/redis_exporter/blob/v1.88.0/README.md#command-line-flags
 */
export function redisExporterContainer(props: RedisExporterProps): k8s.Container {
  // /health answers once the HTTP server runs, whether or not Redis is up (redis_up says that).
  const health = (period: Duration) => Probe.http(REDIS_EXPORTER_PATHS.health, PORT_NAME, { period });
  return hardenedContainer({
    name: 'redis-exporter',
    image: props.image ?? REDIS_EXPORTER_IMAGE,
    ports: [{ name: PORT_NAME, port: REDIS_EXPORTER_PORT }],
    env: [
      { name: 'REDIS_ADDR', value: `redis://localhost:${props.redisPort}` },
      secretEnv('REDIS_PASSWORD', props.passwordSecret),
      { name: 'REDIS_EXPORTER_WEB_LISTEN_ADDRESS', value: `:${REDIS_EXPORTER_PORT}` },
      // `-` skips config extraction (`exporter/exporter.go`: `if e.options.ConfigCommandName == "-"`).
      ...(props.skipConfigCommand ? [{ name: 'REDIS_EXPORTER_CONFIG_COMMAND', value: '-' }] : []),
    ],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    probes: { readiness: health(Duration.seconds(10)), liveness: health(Duration.seconds(20)) },
    // a static binary on a scratch image that writes no file.
    writableTmp: false,
  });
}

/** The pod's metrics port: Istio's merged endpoint (15020) serves the exporter's metrics. */
export const REDIS_EXPORTER_METRICS: MetricsPort = { port: REDIS_EXPORTER_PORT, path: REDIS_EXPORTER_PATHS.metrics };
