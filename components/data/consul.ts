import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { contentChecksum } from '../common/checksum';
import { standardLabels, type LabelIdentity } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpVolume } from '../common/pod-hardening';
import { AuthorizationPolicy } from '../mesh/authorization-policy';
import { NetworkAccess, type PeerPort } from '../mesh/network-access';
import { DisruptionBudget } from '../workload/disruption-budget';
import { clientAccess, containerResources, dataClaimTemplate, podIdentityEnv, preferDistinctNodes, type DataClient, type SecretKeySelector, type StorageProps } from './data-client';
import { prometheusScrapeRule } from '../mesh/prometheus-scrape';
import { endpointUrl, PLATFORM_COMPONENTS, serviceHost, type Endpoint } from '../../catalog/endpoints';

export interface ConsulProps {
  /** The data namespace the servers run in. */
  readonly namespace: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** Pinned `hashicorp/consul` image (Alpine based: the probes use its busybox `wget`). */
  readonly image: string;
  /** Server agents, 1, 3 or 5; `bootstrap_expect` equals it. */
  readonly servers: number;
  readonly storage: StorageProps;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  /** Gossip encryption key (`encrypt`), in `namespace`. */
  readonly gossipKeySecret: SecretKeySelector;
  /** ACL bootstrap token (`acl.tokens.initial_management`), in `namespace`. */
  readonly bootstrapTokenSecret: SecretKeySelector;
  /** The servers as the platform reaches them: name, selector, principal, HTTP and peer ports. */
  readonly endpoint: Endpoint<ConsulPorts>;
  /**
   * The agent token (`acl.tokens.agent`), in `namespace`: what a server presents to update its own
   * node and coordinates in the catalog. Created in Consul by the KV seeding Job (node identities).
   */
  readonly agentTokenSecret: SecretKeySelector;
  /** Workloads that may call the HTTP API. */
  readonly clients: readonly DataClient[];
  /** Prometheus, admitted on the sidecar's merged metrics port. */
  readonly prometheus: Endpoint;
  /**
   * Consul datacenter name.
   * @default 'dc1'
   */
  readonly datacenter?: string;
  /** @default 100 (the consul user of the official image) */
  readonly runAsUser?: number;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

type ConsulPorts = typeof PLATFORM_COMPONENTS.consul.ports;
const CONFIG_DIR = '/consul/config';
const SCRIPTS_DIR = '/consul/scripts';
const RUNTIME_DIR = '/consul/runtime';
const DATA_DIR = '/consul/data';

/**
 * Consul servers for discovery and the configuration centre: a StatefulSet of `servers` agents
 * (`bootstrap_expect`, `retry_join` by DNS, `leave_on_terminate`), a headless Service for raft and
 * serf with `publishNotReadyAddresses`, a ClusterIP Service for HTTP 8500, gossip encryption and
 * the ACL bootstrap token from Secrets, ACLs on with default policy deny, Prometheus telemetry,
 * persistence, a PodDisruptionBudget (`maxUnavailable: 1`), and its own access rules.
 * Consul's service mesh (Connect) stays off: Istio is the mesh.
 *
 * Nothing relies on the Helm chart's hook Jobs (gossip key, ACL init): cdk8s and Pulumi never run
 * them; the Secrets are created by the Pulumi program from its config.
 *
 * @see https://developer.hashicorp.com/consul/docs/agent/config/config-files
 * @see https://github.com/hashicorp/consul-k8s/tree/main/charts/consul
 */
export class Consul extends Construct {
  public static readonly sourceFile = __filename;
  public readonly datacenter: string;
  public readonly runAsUser: number;
  public readonly terminationGracePeriod: Duration;
  public readonly headlessServiceName: string;
  /** Each server's Consul node name (its pod name, `-node`), in ordinal order. */
  public readonly nodeNames: readonly string[];
  /** `http://<client service>:8500`, what the services get as `CONSUL_HTTP_ADDR`. */
  public readonly httpAddress: string;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly headlessService: k8s.KubeService;
  public readonly service: k8s.KubeService;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly disruptionBudget: DisruptionBudget;
  public readonly authorizationPolicy: AuthorizationPolicy;
  public readonly networkAccess: NetworkAccess;

  constructor(scope: Construct, id: string, props: ConsulProps) {
    super(scope, id);
    if (![1, 3, 5].includes(props.servers)) throw new Error(`consul: servers must be 1, 3 or 5, got ${props.servers}`);
    this.datacenter = props.datacenter ?? 'dc1';
    this.runAsUser = props.runAsUser ?? 100;
    this.terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);
    const { name, namespace, ports } = props.endpoint;
    // Raft RPC, Serf LAN gossip, Serf WAN gossip (servers join the WAN pool of their own datacenter too).
    const CONSUL_SERVER_PORTS = { server: ports.server, serfLan: ports.serfLan, serfWan: ports.serfWan };
    this.headlessServiceName = `${name}-headless`;
    const identity = { ...props.labels, name };
    const labels = standardLabels(identity);
    const selector = { ...props.endpoint.selector };
    const metadata = { name, namespace, labels };
    this.httpAddress = endpointUrl(props.endpoint, 'http');
    this.nodeNames = Array.from({ length: props.servers }, (_, i) => `${name}-${i}`);
    const members = this.nodeNames.map((node) => `${node}.${serviceHost(this.headlessServiceName, namespace)}`);

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });

    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { ...metadata, name: `${name}-config` },
      data: {
        'server.json': `${JSON.stringify(serverConfig(this.datacenter, props.servers, members), null, 2)}\n`,
        'start.sh': startScript(name),
      },
    });

    const tcp = (portName: string, port: number) => ({ name: portName, port, protocol: 'TCP' as const });
    const udp = (portName: string, port: number) => ({ name: portName, port, protocol: 'UDP' as const });
    const peerPorts = [
      tcp('tcp-server', CONSUL_SERVER_PORTS.server),
      tcp('tcp-serflan', CONSUL_SERVER_PORTS.serfLan),
      udp('udp-serflan', CONSUL_SERVER_PORTS.serfLan),
      tcp('tcp-serfwan', CONSUL_SERVER_PORTS.serfWan),
      udp('udp-serfwan', CONSUL_SERVER_PORTS.serfWan),
    ];
    const httpPort = { name: 'http', port: ports.http, protocol: 'TCP' as const };
    const servicePort = (p: { name: string; port: number; protocol: 'TCP' | 'UDP' }): k8s.ServicePort => ({ ...p, targetPort: k8s.IntOrString.fromString(p.name) });
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { ...metadata, name: this.headlessServiceName },
      spec: {
        clusterIp: 'None',
        // servers must find each other before they are Ready: readiness waits on an elected leader.
        publishNotReadyAddresses: true,
        selector,
        ports: [httpPort, ...peerPorts].map(servicePort),
      },
    });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      // HTTP API for the services and the KV seeding Job; ClusterIP only (SECURITY.md S2, CON-04).
      spec: { type: 'ClusterIP', selector, ports: [{ ...servicePort(httpPort), appProtocol: 'http' }] },
    });

    const tmp = tmpVolume();
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        serviceName: this.headlessServiceName,
        replicas: props.servers,
        // all servers start together: bootstrap_expect waits for every one of them.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            annotations: {
              'checksum/config': contentChecksum(this.configMap.toJson().data),
              // Istio merges these into its scrape endpoint (15020); the anonymous token may read
              // agent metrics only (policy agent-metrics-read, created by the KV seeding Job).
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(ports.http),
              'prometheus.io/path': '/v1/agent/metrics?format=prometheus',
            },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: this.terminationGracePeriod.toSeconds(),
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            affinity: preferDistinctNodes(selector),
            containers: [
              {
                name: 'consul',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', `${SCRIPTS_DIR}/start.sh`],
                ports: [
                  { name: 'http', containerPort: ports.http, protocol: 'TCP' },
                  ...peerPorts.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
                ],
                env: [
                  ...podIdentityEnv('POD_NAME', 'POD_IP'),
                  { name: 'GOSSIP_KEY', valueFrom: { secretKeyRef: { name: props.gossipKeySecret.name, key: props.gossipKeySecret.key } } },
                  { name: 'ACL_BOOTSTRAP_TOKEN', valueFrom: { secretKeyRef: { name: props.bootstrapTokenSecret.name, key: props.bootstrapTokenSecret.key } } },
                  { name: 'ACL_AGENT_TOKEN', valueFrom: { secretKeyRef: { name: props.agentTokenSecret.name, key: props.agentTokenSecret.key } } },
                ],
                resources: containerResources(props.resources),
                readinessProbe: {
                  // /v1/status/leader answers 200 with "" while there is no leader: check the body.
                  exec: { command: ['/bin/sh', '-c', `wget -qO- -T 3 http://127.0.0.1:${ports.http}/v1/status/leader | grep -qE '".+"'`] },
                  periodSeconds: 5,
                  timeoutSeconds: 5,
                  failureThreshold: 3,
                },
                // alive while the agent serves HTTP; losing the leader is not a reason to restart.
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'data', mountPath: DATA_DIR },
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
                  { name: 'runtime', mountPath: RUNTIME_DIR },
                  tmp.mount,
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: this.configMap.name, items: [{ key: 'server.json', path: 'server.json' }] } },
              { name: 'scripts', configMap: { name: this.configMap.name, items: [{ key: 'start.sh', path: 'start.sh' }] } },
              // the secrets file: memory-backed, never on the node's disk.
              { name: 'runtime', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
              tmp.volume,
            ],
          },
        },
        volumeClaimTemplates: [dataClaimTemplate(props.storage, selector)],
      },
    });

    // maxUnavailable 1 even with one server: 0 would block every node drain.
    this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { name, namespace, labels, selector });

    const self = props.endpoint.principal;
    const clients = clientAccess(props.clients, ports.http);
    const peerTcp = Object.values(CONSUL_SERVER_PORTS).map(String);
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      name,
      namespace,
      labels,
      selector,
      rules: [
        ...clients.authorization,
        // raft and serf between servers (serf's UDP half bypasses the sidecar; the NetworkPolicy covers it).
        { principals: [self], to: [{ ports: peerTcp }] },
      ],
    });
    const peerNetworkPorts: PeerPort[] = peerPorts.map((p) => ({ port: p.port, protocol: p.protocol }));
    this.networkAccess = new NetworkAccess(this, 'NetworkAccess', {
      name,
      namespace,
      labels,
      podSelector: selector,
      ingress: [
        ...clients.network,
        { peers: [{ pods: selector }], ports: peerNetworkPorts },
        prometheusScrapeRule(props.prometheus),
      ],
      egress: [{ peers: [{ pods: selector }], ports: peerNetworkPorts }],
    });
  }
}

/** The agent configuration; the gossip key and bootstrap token are added at start from Secrets. */
function serverConfig(datacenter: string, servers: number, members: readonly string[]) {
  return {
    datacenter,
    server: true,
    bootstrap_expect: servers,
    data_dir: DATA_DIR,
    bind_addr: '0.0.0.0',
    client_addr: '0.0.0.0',
    retry_join: members,
    // a server that is shut down leaves the raft peer set, so rolling restarts keep quorum.
    leave_on_terminate: true,
    ...(servers > 1 ? { autopilot: { min_quorum: Math.floor(servers / 2) + 1, cleanup_dead_servers: true } } : {}),
    acl: { enabled: true, default_policy: 'deny', down_policy: 'extend-cache', enable_token_persistence: true },
    encrypt_verify_incoming: true,
    encrypt_verify_outgoing: true,
    // Istio is the mesh; Consul's own would inject a second proxy.
    connect: { enabled: false },
    ui_config: { enabled: false },
    ports: { dns: -1, grpc: -1, grpc_tls: -1 },
    enable_script_checks: false,
    disable_remote_exec: true,
    disable_update_check: true,
    telemetry: { prometheus_retention_time: '60s', disable_hostname: true },
    log_level: 'INFO',
  };
}

function startScript(name: string): string {
  return `#!/bin/sh
# Entrypoint of every ${name} pod. The gossip key and the ACL bootstrap and agent
# tokens come from Secrets through the environment into a memory-backed file only this container
# reads; none ever appears in the ConfigMap or on a command line. The agent token is set from the
# start (acl.tokens.agent): it authorizes once the KV seeding Job has created it in Consul, with no
# \`consul acl set-agent-token\` call, and a replaced server has it too.
set -eu
umask 077
printf '{"encrypt": "%s", "acl": {"tokens": {"initial_management": "%s", "agent": "%s"}}}\\n' "$GOSSIP_KEY" "$ACL_BOOTSTRAP_TOKEN" "$ACL_AGENT_TOKEN" > ${RUNTIME_DIR}/secrets.json
exec consul agent -config-dir=${CONFIG_DIR} -config-file=${RUNTIME_DIR}/secrets.json -advertise="$POD_IP" -node="$POD_NAME"
`;
}
