import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { parseMemory } from '../../catalog/quantity';
import { ConfigFiles, hardenedContainer, type NamedPort, Probe, secretEnv, type SecretKeySelector } from '../workload';
import { endpointMetadata, podIdentityEnv } from './data-client';
import { headlessServiceName, memberMounts, MemberSet, type MemberComponentProps, type MemberPaths } from './member-set';
import { clusterLibrary, livenessScript, readinessScript, startScript, type RedisClusterScriptProps } from './redis-cluster-scripts';
import { endpointUrl, PLATFORM_COMPONENTS, serviceHost } from '../../catalog/endpoints';
import { REDIS_EXPORTER_METRICS, redisExporterContainer } from './redis-exporter';

const PATHS: MemberPaths = { config: '/etc/valkey', scripts: '/scripts', runtime: '/run/valkey', data: '/data' };

export interface RedisClusterProps extends MemberComponentProps<typeof PLATFORM_COMPONENTS.redisCluster.ports> {
  /** Pinned Valkey (or Redis 7+) image; the scripts call `valkey-cli` and `valkey-server`. */
  readonly image: string;
  /** Cluster members; `nodes / (1 + replicasPerMaster)` masters, at least 3. */
  readonly nodes: number;
  readonly replicasPerMaster: number;
  /** `maxmemory` as a binary quantity (`2Gi`). */
  readonly maxmemory: string;
  /** @see https://valkey.io/topics/lru-cache/ */
  readonly maxmemoryPolicy: string;
  /** The Secret with the password (`requirepass` and `masterauth`), in `namespace`. */
  readonly passwordSecret: SecretKeySelector;
  /** Where the clients run: the `redis-config` ConfigMap with `redis-url` goes there. */
  readonly clientNamespace: string;
  /** @default 999 (the valkey user of the official image) */
  readonly runAsUser?: number;
  /**
   * Liveness fails once a member has not been part of a healthy cluster (`cluster_state:ok`) for
   * this long, so the kubelet restarts a pod stuck outside the cluster.
   * @default Duration.minutes(5)
   */
  readonly unhealthyRestartAfter?: Duration;
}

/**
 * A Redis Cluster (Valkey) as a StatefulSet: `nodes` members with stable DNS names through a
 * headless Service, a client Service on 6379, configuration in a ConfigMap, the password from a
 * Secret, persistence on PVCs, a PodDisruptionBudget, and its own access rules: an Istio ALLOW
 * policy and a NetworkPolicy admitting clients on 6379 only and the bus (16379) only between
 * members.
 *
 * The cluster forms in-pod (see `redis-cluster-scripts.ts`), so no Job waits on readiness and
 * `pulumi up`'s StatefulSet await cannot deadlock: pods turn Ready once `cluster_state:ok`, and
 * formation needs only DNS (`publishNotReadyAddresses`) and PING from the peers.
 *
 * @see https://valkey.io/topics/cluster-tutorial/
 * @see https://github.com/bitnami/charts/tree/main/bitnami/redis-cluster
 */
export class RedisCluster extends Construct {
  public static readonly sourceFile = __filename;
  public readonly runAsUser: number;
  public readonly unhealthyRestartAfter: Duration;
  /** `redis://<client service>:6379`, what the services get as `REDIS_URL`. */
  public readonly url: string;
  /** Every member's stable `host:port`, for cluster clients that want seed nodes. */
  public readonly memberEndpoints: readonly string[];
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly scripts: k8s.KubeConfigMap;
  /** `redis-config` in the clients' namespace: `redis-url` and `redis-nodes`. */
  public readonly clientConfigMap: k8s.KubeConfigMap;
  /** The StatefulSet, its Services, its disruption budget and its access rules. */
  public readonly members: MemberSet;

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const group = 1 + props.replicasPerMaster;
    if (props.nodes % group !== 0 || props.nodes / group < 3) {
      throw new Error(`redis cluster: nodes (${props.nodes}) must be a multiple of ${group} giving at least 3 masters with replicasPerMaster ${props.replicasPerMaster}`);
    }
    this.runAsUser = props.runAsUser ?? 999;
    this.unhealthyRestartAfter = props.unhealthyRestartAfter ?? Duration.minutes(5);
    const { name, namespace, ports: { client: REDIS_PORT, bus: REDIS_BUS_PORT } } = props.endpoint;
    const { labels, metadata } = endpointMetadata(props.endpoint, props.labels);
    this.url = endpointUrl(props.endpoint, 'client', 'redis');
    this.memberEndpoints = Array.from({ length: props.nodes }, (_, i) => `${name}-${i}.${serviceHost(headlessServiceName(name), namespace)}:${REDIS_PORT}`);

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const config = new ConfigFiles(this, 'Config', {
      metadata: { ...metadata, name: `${name}-config` },
      files: { 'valkey.conf': serverConfig(props, REDIS_PORT) },
      mountPath: PATHS.config,
    });
    const scripts = new ConfigFiles(this, 'Scripts', {
      metadata: { ...metadata, name: `${name}-scripts` },
      files: memberScripts(props, this.unhealthyRestartAfter),
      mountPath: PATHS.scripts,
      volumeName: 'scripts',
    });
    this.configMap = config.configMap;
    this.scripts = scripts.configMap;
    // services read this one, so it lives in their namespace (PLATFORM.md: redis-config / redis-url).
    this.clientConfigMap = new k8s.KubeConfigMap(this, 'ClientConfig', {
      metadata: { name: PLATFORM_COMPONENTS.redisCluster.clientConfigMap, namespace: props.clientNamespace, labels },
      data: { 'redis-nodes': this.memberEndpoints.join(','), 'redis-url': this.url },
    });

    // both ports with tcp- names, so Istio builds per-pod listeners for the bus too.
    const ports = [
      { name: 'tcp-redis', port: REDIS_PORT },
      { name: 'tcp-redis-bus', port: REDIS_BUS_PORT },
    ];
    this.members = new MemberSet(this, 'Members', {
      component: props,
      members: props.nodes,
      memberPorts: ports,
      // the client entry point; the bus is never on it (SECURITY.md R1).
      clientPort: ports[0],
      // members replicate and gossip with each other; formation runs in the members too.
      peerPorts: ports,
      pod: {
        serviceAccountName: this.serviceAccount.name,
        runAsUser: this.runAsUser,
        configChecksumOf: { config: config.files, scripts: scripts.files },
        metrics: REDIS_EXPORTER_METRICS,
        containers: [
          valkeyContainer(props, ports, [config.mount, scripts.mount]),
          redisExporterContainer({ redisPort: REDIS_PORT, passwordSecret: props.passwordSecret }),
        ],
        volumes: [config.volume, scripts.volume],
      },
    });
  }
}

/** The scripts every member runs: start, probes, and the cluster library they share. */
function memberScripts(props: RedisClusterProps, unhealthyRestartAfter: Duration): Record<string, string> {
  const { name, ports } = props.endpoint;
  const scriptProps: RedisClusterScriptProps = {
    statefulSet: name,
    headlessService: headlessServiceName(name),
    nodes: props.nodes,
    replicasPerMaster: props.replicasPerMaster,
    port: ports.client,
    configFile: `${PATHS.config}/valkey.conf`,
    runtimeConfigFile: `${PATHS.runtime}/valkey.conf`,
    healthFile: `${PATHS.runtime}/healthy`,
    unhealthySeconds: unhealthyRestartAfter.toSeconds(),
    nodesFile: `${PATHS.data}/nodes.conf`,
    scriptsDir: PATHS.scripts,
  };
  return {
    'alive.sh': livenessScript(scriptProps),
    'cluster.sh': clusterLibrary(scriptProps),
    'ready.sh': readinessScript(scriptProps),
    'start.sh': startScript(scriptProps),
  };
}

/** The Valkey server container: started, probed and joined to the cluster by the member scripts. */
function valkeyContainer(props: RedisClusterProps, ports: readonly NamedPort[], configMounts: readonly k8s.VolumeMount[]): k8s.Container {
  const script = (file: string) => ['/bin/sh', `${PATHS.scripts}/${file}`];
  const check = (file: string, period: number, failureThreshold: number) =>
    Probe.exec(script(file), { period: Duration.seconds(period), timeout: Duration.seconds(5), failureThreshold });
  return hardenedContainer({
    name: 'valkey',
    image: props.image,
    command: script('start.sh'),
    ports,
    env: [
      // POD_IP: announced to peers and to the master (cluster-announce-ip, replica-announce-ip).
      ...podIdentityEnv('POD_NAME', 'POD_NAMESPACE', 'POD_IP'),
      // valkey-cli reads REDISCLI_AUTH, so no password ever appears in a command line.
      secretEnv('REDISCLI_AUTH', props.passwordSecret),
    ],
    resources: props.resources,
    // loading a large AOF can take minutes; liveness starts only once the server answers,
    // and fails once the member has been outside a healthy cluster for unhealthyRestartAfter.
    probes: { startup: check('alive.sh', 5, 60), readiness: check('ready.sh', 5, 3), liveness: check('alive.sh', 10, 6) },
    mounts: memberMounts(PATHS, configMounts),
  });
}

/** The server configuration shared by every member; per-pod and secret settings are added at start. */
function serverConfig(props: RedisClusterProps, port: number): string {
  return [
    '# Generated from catalog/platform.yaml (platform.redis). start.sh includes this file and adds',
    '# requirepass/masterauth (from the Secret), cluster-announce-ip, replica-announce-ip and',
    '# cluster-announce-hostname (per pod).',
    `port ${port}`,
    // every interface: Istio forwards inbound traffic to the pod IP, not to localhost.
    'bind * -::*',
    // with a password set, protected mode admits authenticated remote clients; it stays on.
    'protected-mode yes',
    `dir ${PATHS.data}`,
    'cluster-enabled yes',
    `cluster-config-file ${PATHS.data}/nodes.conf`,
    'cluster-node-timeout 5000',
    // a replica fails over however long it was cut from its primary: after a full restart a replica
    // may not have re-synced yet, and the default (10 × node timeout) then leaves the slots down
    // until a human acts (seen in redis-cluster.real.test.ts). This cluster is a cache: availability
    // first. valkey.conf, "cluster-replica-validity-factor": 0 = always try to fail over.
    'cluster-replica-validity-factor 0',
    // MOVED/ASK and CLUSTER SHARDS name members by their stable DNS name, not their pod IP.
    'cluster-preferred-endpoint-type hostname',
    'appendonly yes',
    'appendfsync everysec',
    'save 900 1 300 10 60 10000',
    `maxmemory ${redisMemory(props.maxmemory)}`,
    `maxmemory-policy ${props.maxmemoryPolicy}`,
    'tcp-keepalive 300',
    'loglevel notice',
    '',
  ].join('\n');
}

/** A binary quantity in Redis units: `2Gi` → `2gb` (Redis's `gb` is 1024^3 bytes, `g` is 10^9). */
export function redisMemory(quantity: string): string {
  const bytes = parseMemory(quantity);
  if (bytes === undefined) throw new Error(`redis cluster: maxmemory must be a binary quantity such as "2Gi", got "${quantity}"`);
  for (const [unit, factor] of [['gb', 1024 ** 3], ['mb', 1024 ** 2], ['kb', 1024]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}
