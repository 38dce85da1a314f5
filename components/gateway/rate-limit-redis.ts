import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { contentChecksum } from '../common/checksum';
import { standardLabels, type LabelIdentity } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpVolume } from '../common/pod-hardening';
import { AuthorizationPolicy } from '../mesh/authorization-policy';
import { endpointPeer, NetworkAccess } from '../mesh/network-access';
import type { Endpoint, PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { redisExporterAnnotations, redisExporterContainer } from '../data/redis-exporter';

export interface RateLimitRedisProps {
  /** Its endpoint: name, namespace, selector, client port. */
  readonly endpoint: Endpoint<typeof PLATFORM_COMPONENTS.rateLimitRedis.ports>;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** Pinned Redis image, e.g. `docker.io/library/redis:7.2.7`. */
  readonly image: string;
  /** The Secret holding the password (`requirepass`); never a value. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
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
  public readonly host: string;
  public readonly port: number;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly allowClient: AuthorizationPolicy;
  public readonly ingress: NetworkAccess;
  public readonly clientEgress: NetworkAccess;

  constructor(scope: Construct, id: string, props: RateLimitRedisProps) {
    super(scope, id);
    this.name = props.endpoint.name;
    this.port = props.endpoint.ports.client;
    const RATE_LIMIT_REDIS_PORT = this.port;
    this.maxMemory = props.maxMemory ?? '64mb';
    this.runAsUser = props.runAsUser ?? 999;
    const { name, maxMemory } = this;
    const { namespace } = props.endpoint;
    this.host = props.endpoint.host;
    const identity = { ...props.labels, name };
    const labels = standardLabels(identity);
    const selector = { ...props.endpoint.selector };
    const metadata = { name, namespace, labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });

    const config = [
      `port ${RATE_LIMIT_REDIS_PORT}`,
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
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata: { ...metadata, name: `${name}-config` }, data: { 'redis.conf': config } });

    const secretEnv = (env: string) => ({ name: env, valueFrom: { secretKeyRef: { name: props.passwordSecret.name, key: props.passwordSecret.key } } });
    // the password goes into a file on a memory emptyDir, not onto the command line, where
    // every process in the pod could read it from /proc.
    const start = `umask 077 && printf 'requirepass "%s"\\n' "$REDIS_PASSWORD" > ${AUTH_DIR}/auth.conf && exec redis-server /etc/redis/redis.conf`;
    const tmp = tmpVolume();
    const cliProbe = (period: number): k8s.Probe => ({ exec: { command: ['redis-cli', 'ping'] }, periodSeconds: period, timeoutSeconds: 2, failureThreshold: 3 });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        // one pod; counters cannot be shared between two Redis instances anyway.
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels, annotations: { 'checksum/config': contentChecksum({ config, start }), ...redisExporterAnnotations() } },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            containers: [
              {
                name: 'redis',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', '-c', start],
                ports: [{ name: 'redis', containerPort: RATE_LIMIT_REDIS_PORT, protocol: 'TCP' }],
                // REDISCLI_AUTH lets the probe's redis-cli authenticate without the password on its command line.
                env: [secretEnv('REDIS_PASSWORD'), secretEnv('REDISCLI_AUTH')],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('96Mi') },
                  limits: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('128Mi') },
                },
                readinessProbe: cliProbe(5),
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('redis') }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  tmp.mount,
                  { name: 'config', mountPath: '/etc/redis', readOnly: true },
                  { name: 'auth', mountPath: AUTH_DIR },
                ],
              },
              // CONFIG is renamed away above, so the exporter skips its config metrics.
              redisExporterContainer({ redisPort: RATE_LIMIT_REDIS_PORT, passwordSecret: props.passwordSecret, skipConfigCommand: true }),
            ],
            volumes: [
              tmp.volume,
              { name: 'config', configMap: { name: this.configMap.name } },
              { name: 'auth', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
            ],
          },
        },
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'tcp-redis', port: RATE_LIMIT_REDIS_PORT, targetPort: k8s.IntOrString.fromString('redis'), protocol: 'TCP', appProtocol: 'redis' }],
      },
    });

    this.allowClient = new AuthorizationPolicy(this, 'AllowClient', {
      name,
      namespace,
      labels,
      selector,
      rules: [{ principals: [props.client.principal], to: [{ ports: [String(RATE_LIMIT_REDIS_PORT)] }] }],
    });
    this.ingress = new NetworkAccess(this, 'Ingress', {
      name: `${name}-ingress`,
      namespace,
      labels,
      podSelector: selector,
      ingress: [{ peers: [endpointPeer(props.client, namespace)], ports: [{ port: RATE_LIMIT_REDIS_PORT }] }],
    });
    this.clientEgress = new NetworkAccess(this, 'ClientEgress', {
      name: `${props.client.name}-to-${name}`,
      namespace,
      labels,
      podSelector: { ...props.client.selector },
      egress: [{ peers: [{ pods: selector }], ports: [{ port: RATE_LIMIT_REDIS_PORT }] }],
    });
  }
}
