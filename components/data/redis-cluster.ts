import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { parseMemory } from '../../catalog/quantity';
import { contentChecksum } from '../common/checksum';
import { standardLabels, type LabelIdentity } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpVolume } from '../common/pod-hardening';
import { AuthorizationPolicy } from '../mesh/authorization-policy';
import { NetworkAccess } from '../mesh/network-access';
import { DisruptionBudget } from '../workload/disruption-budget';
import { clientAccess, containerResources, dataClaimTemplate, podIdentityEnv, preferDistinctNodes, type DataClient, type SecretKeySelector, type StorageProps } from './data-client';
import { clusterLibrary, livenessScript, readinessScript, startScript, type RedisClusterScriptProps } from './redis-cluster-scripts';
import { prometheusScrapeRule } from '../mesh/prometheus-scrape';
import { endpointUrl, PLATFORM_COMPONENTS, serviceHost, type Endpoint } from '../../catalog/endpoints';
import { redisExporterAnnotations, redisExporterContainer } from './redis-exporter';

export interface RedisClusterProps {
  /** The data namespace the cluster runs in. */
  readonly namespace: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** Pinned Valkey (or Redis 7+) image; the scripts call `valkey-cli` and `valkey-server`. */
  readonly image: string;
  /** Cluster members; `nodes / (1 + replicasPerMaster)` masters, at least 3. */
  readonly nodes: number;
  readonly replicasPerMaster: number;
  /** `maxmemory` as a binary quantity (`2Gi`). */
  readonly maxmemory: string;
  /** @see https://valkey.io/topics/lru-cache/ */
  readonly maxmemoryPolicy: string;
  readonly storage: StorageProps;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  /** The Secret with the password (`requirepass` and `masterauth`), in `namespace`. */
  readonly passwordSecret: SecretKeySelector;
  /** The cluster as the platform reaches it: name, selector, principal, client and bus ports. */
  readonly endpoint: Endpoint<RedisPorts>;
  /** Workloads that may connect on the client port. */
  readonly clients: readonly DataClient[];
  /** Where the clients run: the `redis-config` ConfigMap with `redis-url` goes there. */
  readonly clientNamespace: string;
  /** Prometheus, admitted on the sidecar's merged metrics port. */
  readonly prometheus: Endpoint;
  /** @default 999 (the valkey user of the official image) */
  readonly runAsUser?: number;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
  /**
   * Liveness fails once a member has not been part of a healthy cluster (`cluster_state:ok`) for
   * this long, so the kubelet restarts a pod stuck outside the cluster.
   * @default Duration.minutes(5)
   */
  readonly unhealthyRestartAfter?: Duration;
}

type RedisPorts = typeof PLATFORM_COMPONENTS.redisCluster.ports;
const CONFIG_DIR = '/etc/valkey';
const SCRIPTS_DIR = '/scripts';
const RUNTIME_DIR = '/run/valkey';
const DATA_DIR = '/data';

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
  public readonly terminationGracePeriod: Duration;
  public readonly unhealthyRestartAfter: Duration;
  public readonly headlessServiceName: string;
  /** `redis://<client service>:6379`, what the services get as `REDIS_URL`. */
  public readonly url: string;
  /** Every member's stable `host:port`, for cluster clients that want seed nodes. */
  public readonly memberEndpoints: readonly string[];
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly scripts: k8s.KubeConfigMap;
  public readonly clientConfigMap: k8s.KubeConfigMap;
  public readonly headlessService: k8s.KubeService;
  public readonly service: k8s.KubeService;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly disruptionBudget: DisruptionBudget;
  public readonly authorizationPolicy: AuthorizationPolicy;
  public readonly networkAccess: NetworkAccess;

  constructor(scope: Construct, id: string, props: RedisClusterProps) {
    super(scope, id);
    const group = 1 + props.replicasPerMaster;
    if (props.nodes % group !== 0 || props.nodes / group < 3) {
      throw new Error(`redis cluster: nodes (${props.nodes}) must be a multiple of ${group} giving at least 3 masters with replicasPerMaster ${props.replicasPerMaster}`);
    }
    this.runAsUser = props.runAsUser ?? 999;
    this.terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);
    this.unhealthyRestartAfter = props.unhealthyRestartAfter ?? Duration.minutes(5);
    const { name, namespace, ports: { client: REDIS_PORT, bus: REDIS_BUS_PORT } } = props.endpoint;
    this.headlessServiceName = `${name}-headless`;
    const identity = { ...props.labels, name };
    const labels = standardLabels(identity);
    const selector = { ...props.endpoint.selector };
    const metadata = { name, namespace, labels };
    this.url = endpointUrl(props.endpoint, 'client', 'redis');
    this.memberEndpoints = Array.from({ length: props.nodes }, (_, i) => `${name}-${i}.${serviceHost(this.headlessServiceName, namespace)}:${REDIS_PORT}`);

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { ...metadata, name: `${name}-config` },
      data: { 'valkey.conf': serverConfig(props, REDIS_PORT) },
    });
    const scriptProps: RedisClusterScriptProps = {
      statefulSet: name,
      headlessService: this.headlessServiceName,
      nodes: props.nodes,
      replicasPerMaster: props.replicasPerMaster,
      port: REDIS_PORT,
      configFile: `${CONFIG_DIR}/valkey.conf`,
      runtimeConfigFile: `${RUNTIME_DIR}/valkey.conf`,
      healthFile: `${RUNTIME_DIR}/healthy`,
      unhealthySeconds: this.unhealthyRestartAfter.toSeconds(),
      nodesFile: `${DATA_DIR}/nodes.conf`,
      scriptsDir: SCRIPTS_DIR,
    };
    this.scripts = new k8s.KubeConfigMap(this, 'Scripts', {
      metadata: { ...metadata, name: `${name}-scripts` },
      data: {
        'alive.sh': livenessScript(scriptProps),
        'cluster.sh': clusterLibrary(scriptProps),
        'ready.sh': readinessScript(scriptProps),
        'start.sh': startScript(scriptProps),
      },
    });
    // services read this one, so it lives in their namespace (PLATFORM.md: redis-config / redis-url).
    this.clientConfigMap = new k8s.KubeConfigMap(this, 'ClientConfig', {
      metadata: { name: PLATFORM_COMPONENTS.redisCluster.clientConfigMap, namespace: props.clientNamespace, labels },
      data: { 'redis-nodes': this.memberEndpoints.join(','), 'redis-url': this.url },
    });

    const ports = [
      { name: 'tcp-redis', port: REDIS_PORT },
      { name: 'tcp-redis-bus', port: REDIS_BUS_PORT },
    ];
    const servicePort = (p: { name: string; port: number }): k8s.ServicePort => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' });
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { ...metadata, name: this.headlessServiceName },
      spec: {
        clusterIp: 'None',
        // peers must resolve before they are Ready: readiness waits on the cluster they form.
        publishNotReadyAddresses: true,
        selector,
        // both ports with tcp- names, so Istio builds per-pod listeners for the bus too.
        ports: ports.map(servicePort),
      },
    });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      // the client entry point; the bus is never on it (SECURITY.md R1).
      spec: { type: 'ClusterIP', selector, ports: [servicePort(ports[0])] },
    });

    const tmp = tmpVolume();
    const checksum = contentChecksum({ config: this.configMap.toJson().data, scripts: this.scripts.toJson().data });
    const execProbe = (script: string, period: number, failureThreshold: number): k8s.Probe => ({
      exec: { command: ['/bin/sh', `${SCRIPTS_DIR}/${script}`] },
      periodSeconds: period,
      timeoutSeconds: 5,
      failureThreshold,
    });
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        serviceName: this.headlessServiceName,
        replicas: props.nodes,
        // all members start together: formation waits for every peer, OrderedReady would deadlock.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: { 'checksum/config': checksum, ...redisExporterAnnotations() } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: this.terminationGracePeriod.toSeconds(),
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            affinity: preferDistinctNodes(selector),
            containers: [
              {
                name: 'valkey',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', `${SCRIPTS_DIR}/start.sh`],
                ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
                env: [
                  // POD_IP: announced to peers and to the master (cluster-announce-ip, replica-announce-ip).
                  ...podIdentityEnv('POD_NAME', 'POD_NAMESPACE', 'POD_IP'),
                  // valkey-cli reads REDISCLI_AUTH, so no password ever appears in a command line.
                  { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: props.passwordSecret.name, key: props.passwordSecret.key } } },
                ],
                resources: containerResources(props.resources),
                // loading a large AOF can take minutes; liveness starts only once the server answers,
                // and fails once the member has been outside a healthy cluster for unhealthyRestartAfter.
                startupProbe: execProbe('alive.sh', 5, 60),
                readinessProbe: execProbe('ready.sh', 5, 3),
                livenessProbe: execProbe('alive.sh', 10, 6),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'data', mountPath: DATA_DIR },
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
                  { name: 'runtime', mountPath: RUNTIME_DIR },
                  tmp.mount,
                ],
              },
              redisExporterContainer({ redisPort: REDIS_PORT, passwordSecret: props.passwordSecret }),
            ],
            volumes: [
              { name: 'config', configMap: { name: this.configMap.name } },
              { name: 'scripts', configMap: { name: this.scripts.name } },
              // the per-pod config with the password: memory-backed, never on the node's disk.
              { name: 'runtime', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
              tmp.volume,
            ],
          },
        },
        volumeClaimTemplates: [dataClaimTemplate(props.storage, selector)],
      },
    });

    this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { name, namespace, labels, selector });

    const self = props.endpoint.principal;
    const clients = clientAccess(props.clients, REDIS_PORT);
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      name,
      namespace,
      labels,
      selector,
      rules: [
        ...clients.authorization,
        // members replicate and gossip with each other; formation runs in the members too.
        { principals: [self], to: [{ ports: [String(REDIS_PORT), String(REDIS_BUS_PORT)] }] },
      ],
    });
    this.networkAccess = new NetworkAccess(this, 'NetworkAccess', {
      name,
      namespace,
      labels,
      podSelector: selector,
      ingress: [
        ...clients.network,
        { peers: [{ pods: selector }], ports: [{ port: REDIS_PORT }, { port: REDIS_BUS_PORT }] },
        prometheusScrapeRule(props.prometheus),
      ],
      egress: [{ peers: [{ pods: selector }], ports: [{ port: REDIS_PORT }, { port: REDIS_BUS_PORT }] }],
    });
  }
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
    `dir ${DATA_DIR}`,
    'cluster-enabled yes',
    `cluster-config-file ${DATA_DIR}/nodes.conf`,
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
