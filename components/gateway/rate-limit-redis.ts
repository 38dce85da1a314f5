import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { LabelIdentity } from '../common/labels';
import { memoryVolume, TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { AuthorizationPolicy } from '../mesh/authorization-policy';
import { endpointPeer, NetworkAccess } from '../mesh/network-access';
import type { Endpoint, PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { ConfigFiles, hardenedContainer, hardenedPodTemplate, Probe, rolloutSpec, secretEnv, type SecretKeySelector } from '../workload';
import { endpointMetadata } from '../data/data-client';
import { REDIS_EXPORTER_METRICS, redisExporterContainer } from '../data/redis-exporter';

export interface RateLimitRedisProps {
  /** Its endpoint: name, namespace, selector, client port. */
  readonly endpoint: Endpoint<typeof PLATFORM_COMPONENTS.rateLimitRedis.ports>;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** Pinned Redis image, e.g. `docker.io/library/redis:7.2.7`. */
  readonly image: string;
  /** The Secret holding the password (`requirepass`); never a value. */
  readonly passwordSecret: SecretKeySelector;
  /** The only client: Kong's pods and mesh identity. */
  readonly client: Pick<Endpoint, 'name' | 'namespace' | 'selector' | 'principal'>;
  /**
   * Memory Redis may use for counters before evicting the ones closest to expiry.
   * @default "64mb"
   */
  readonly maxMemory?: string;
  /** @default 999 (the `redis` user of the official image) */
  readonly runAsUser?: number;
}

const AUTH_DIR = '/run/redis';
// the password goes into a file on a memory emptyDir, not onto the command line, where
// every process in the pod could read it from /proc.
const START = `umask 077 && printf 'requirepass "%s"\\n' "$REDIS_PASSWORD" > ${AUTH_DIR}/auth.conf && exec redis-server /etc/redis/redis.conf`;

/**
 * A single-pod Redis that holds Kong's `redis`-policy rate-limit counters, so limits hold across
 * Kong replicas. Open-source Kong's Redis client cannot talk to a Redis *Cluster* (only
 * host/port/password: `kong/tools/redis/schema.lua`), and DB-less Kong rejects `policy: cluster`,
 * hence this small dedicated instance rather than the platform's Redis cluster.
 *
 * Counters are short-lived (an hour at most), so nothing is persisted: a restart resets the
 * windows, and Kong's `fault_tolerant` keeps serving meanwhile. Only Kong reaches it, at both the
 * mesh (ALLOW for Kong's principal) and the network layer, and Kong's egress to it lives here too.
 *
 * @see https://developer.konghq.com/plugins/rate-limiting/
 */
export class RateLimitRedis extends Construct {
  public static readonly sourceFile = __filename;
  public readonly name: string;
  public readonly maxMemory: string;
  public readonly runAsUser: number;
  /** The Service's cluster DNS name and port, what Kong's plugin config names. */
  public readonly host: string;
  public readonly port: number;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: RateLimitRedisProps) {
    super(scope, id);
    this.name = props.endpoint.name;
    this.port = props.endpoint.ports.client;
    this.maxMemory = props.maxMemory ?? '64mb';
    this.runAsUser = props.runAsUser ?? 999;
    this.host = props.endpoint.host;
    const { name, port } = this;
    const { namespace } = props.endpoint;
    const { labels, selector, metadata } = endpointMetadata(props.endpoint, props.labels);

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const config = new ConfigFiles(this, 'ConfigMap', {
      metadata: { ...metadata, name: `${name}-config` },
      files: { 'redis.conf': serverConfig(port, this.maxMemory) },
      mountPath: '/etc/redis',
    });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec({ min: 1, max: 1 }),
        // one pod, replaced rather than rolled: counters cannot be shared between two Redis instances anyway.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: hardenedPodTemplate({
          labels,
          serviceAccountName: serviceAccount.name,
          runAsUser: this.runAsUser,
          configChecksumOf: { config: config.files['redis.conf'], start: START },
          metrics: REDIS_EXPORTER_METRICS,
          containers: [
            redisContainer(props, port, [TMP_MOUNT, config.mount, { name: 'auth', mountPath: AUTH_DIR }]),
            // CONFIG is renamed away above, so the exporter skips its config metrics.
            redisExporterContainer({ redisPort: port, passwordSecret: props.passwordSecret, skipConfigCommand: true }),
          ],
          volumes: [TMP_VOLUME, config.volume, memoryVolume('auth')],
        }),
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        // the one Service port whose container port has another name (`redis`), so not servicePorts().
        ports: [{ name: 'tcp-redis', port, targetPort: k8s.IntOrString.fromString('redis'), protocol: 'TCP', appProtocol: 'redis' }],
      },
    });

    const rules = { name, namespace, labels };
    new AuthorizationPolicy(this, 'AllowClient', { ...rules, selector, rules: [{ principals: [props.client.principal], to: [{ ports: [String(port)] }] }] });
    new NetworkAccess(this, 'Ingress', {
      ...rules,
      name: `${name}-ingress`,
      podSelector: selector,
      ingress: [{ peers: [endpointPeer(props.client, namespace)], ports: [{ port }] }],
    });
    new NetworkAccess(this, 'ClientEgress', {
      ...rules,
      name: `${props.client.name}-to-${name}`,
      podSelector: { ...props.client.selector },
      egress: [{ peers: [{ pods: selector }], ports: [{ port }] }],
    });
  }
}

/** Counters only, evicted closest to expiry first, with the administrative commands out of reach. */
function serverConfig(port: number, maxMemory: string): string {
  return [
    `port ${port}`,
    'bind 0.0.0.0',
    // a password is always set (auth.conf below); protected mode stays on as a second guard.
    'protected-mode yes',
    // counters only: no snapshots, no append-only file.
    'save ""',
    'appendonly no',
    `maxmemory ${maxMemory}`,
    'maxmemory-policy volatile-ttl',
    // Kong only needs INCRBY, EXPIRE, GET: keep the administrative commands out of reach.
    'rename-command CONFIG ""',
    'rename-command DEBUG ""',
    'rename-command FLUSHALL ""',
    'rename-command FLUSHDB ""',
    'dir /tmp',
    `include ${AUTH_DIR}/auth.conf`,
    '',
  ].join('\n');
}

/** The Redis server, started by START with the password file it writes. */
function redisContainer(props: RateLimitRedisProps, port: number, mounts: readonly k8s.VolumeMount[]): k8s.Container {
  return hardenedContainer({
    name: 'redis',
    image: props.image,
    command: ['/bin/sh', '-c', START],
    ports: [{ name: 'redis', port }],
    // REDISCLI_AUTH lets the probe's redis-cli authenticate without the password on its command line.
    env: [secretEnv('REDIS_PASSWORD', props.passwordSecret), secretEnv('REDISCLI_AUTH', props.passwordSecret)],
    resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
    probes: { readiness: Probe.exec(['redis-cli', 'ping'], { period: Duration.seconds(5) }), liveness: Probe.tcp('redis', { period: Duration.seconds(10) }) },
    mounts,
  });
}
