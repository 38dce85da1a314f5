import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { ConfigFiles, hardenedContainer, type NamedPort, Probe, secretEnv, type SecretKeySelector } from '../workload';
import { endpointMetadata, podIdentityEnv } from './data-client';
import { headlessServiceName, memberMounts, MemberSet, type MemberComponentProps, type MemberPaths } from './member-set';
import { endpointUrl, PLATFORM_COMPONENTS, serviceHost } from '../../catalog/endpoints';

const PATHS: MemberPaths = { config: '/consul/config', scripts: '/consul/scripts', runtime: '/consul/runtime', data: '/consul/data' };

export interface ConsulProps extends MemberComponentProps<typeof PLATFORM_COMPONENTS.consul.ports> {
  /** Pinned `hashicorp/consul` image (Alpine based: the probes use its busybox `wget`). */
  readonly image: string;
  /** Server agents, 1, 3 or 5; `bootstrap_expect` equals it. */
  readonly servers: number;
  /** Gossip encryption key (`encrypt`), in `namespace`. */
  readonly gossipKeySecret: SecretKeySelector;
  /** ACL bootstrap token (`acl.tokens.initial_management`), in `namespace`. */
  readonly bootstrapTokenSecret: SecretKeySelector;
  /**
   * The agent token (`acl.tokens.agent`), in `namespace`: what a server presents to update its own
   * node and coordinates in the catalog. Created in Consul by the KV seeding Job (node identities).
   */
  readonly agentTokenSecret: SecretKeySelector;
  /**
   * Consul datacenter name.
   * @default 'dc1'
   */
  readonly datacenter?: string;
  /** @default 100 (the consul user of the official image) */
  readonly runAsUser?: number;
}

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
  /** Each server's Consul node name (its pod name, `-node`), in ordinal order. */
  public readonly nodeNames: readonly string[];
  /** `http://<client service>:8500`, what the services get as `CONSUL_HTTP_ADDR`. */
  public readonly httpAddress: string;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** `server.json` and `start.sh`, each mounted in a directory of its own. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The StatefulSet, its Services, its disruption budget and its access rules. */
  public readonly members: MemberSet;

  constructor(scope: Construct, id: string, props: ConsulProps) {
    super(scope, id);
    if (![1, 3, 5].includes(props.servers)) throw new Error(`consul: servers must be 1, 3 or 5, got ${props.servers}`);
    this.datacenter = props.datacenter ?? 'dc1';
    this.runAsUser = props.runAsUser ?? 100;
    const { name, namespace, ports } = props.endpoint;
    const { metadata } = endpointMetadata(props.endpoint, props.labels);
    this.httpAddress = endpointUrl(props.endpoint, 'http');
    this.nodeNames = Array.from({ length: props.servers }, (_, i) => `${name}-${i}`);
    const members = this.nodeNames.map((node) => `${node}.${serviceHost(headlessServiceName(name), namespace)}`);

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const config = new ConfigFiles(this, 'Config', {
      metadata: { ...metadata, name: `${name}-config` },
      files: { 'server.json': `${JSON.stringify(serverConfig(this.datacenter, props.servers, members), null, 2)}\n`, 'start.sh': startScript(name) },
      mountPath: PATHS.config,
      items: [{ key: 'server.json', path: 'server.json' }],
    });
    this.configMap = config.configMap;
    const scripts = { name: 'scripts', configMap: { name: this.configMap.name, items: [{ key: 'start.sh', path: 'start.sh' }] } };

    const httpPort = { name: 'http', port: ports.http };
    const peerPorts = serverPeerPorts(ports);
    this.members = new MemberSet(this, 'Members', {
      component: props,
      members: props.servers,
      memberPorts: [httpPort, ...peerPorts],
      // HTTP API for the services and the KV seeding Job; ClusterIP only (SECURITY.md S2, CON-04).
      clientPort: { ...httpPort, appProtocol: 'http' },
      // raft and serf between servers.
      peerPorts,
      pod: {
        serviceAccountName: this.serviceAccount.name,
        runAsUser: this.runAsUser,
        configChecksumOf: config.files,
        // the anonymous token may read agent metrics only (policy agent-metrics-read, created by the KV seeding Job).
        metrics: { port: ports.http, path: '/v1/agent/metrics?format=prometheus' },
        containers: [serverContainer(props, [httpPort, ...peerPorts], [config.mount, { name: scripts.name, mountPath: PATHS.scripts, readOnly: true }])],
        volumes: [config.volume, scripts],
      },
    });
  }
}

/** Raft RPC, Serf LAN and WAN gossip (servers join the WAN pool of their own datacenter too); serf speaks TCP and UDP. */
function serverPeerPorts(ports: ConsulProps['endpoint']['ports']): NamedPort[] {
  return [
    { name: 'tcp-server', port: ports.server },
    { name: 'tcp-serflan', port: ports.serfLan },
    { name: 'udp-serflan', port: ports.serfLan, protocol: 'UDP' },
    { name: 'tcp-serfwan', port: ports.serfWan },
    { name: 'udp-serfwan', port: ports.serfWan, protocol: 'UDP' },
  ];
}

/** The server agent container: `start.sh` writes the secrets file and execs the agent. */
function serverContainer(props: ConsulProps, ports: readonly NamedPort[], configMounts: readonly k8s.VolumeMount[]): k8s.Container {
  const leader = `wget -qO- -T 3 http://127.0.0.1:${props.endpoint.ports.http}/v1/status/leader`;
  return hardenedContainer({
    name: 'consul',
    image: props.image,
    command: ['/bin/sh', `${PATHS.scripts}/start.sh`],
    ports,
    env: [
      ...podIdentityEnv('POD_NAME', 'POD_IP'),
      secretEnv('GOSSIP_KEY', props.gossipKeySecret),
      secretEnv('ACL_BOOTSTRAP_TOKEN', props.bootstrapTokenSecret),
      secretEnv('ACL_AGENT_TOKEN', props.agentTokenSecret),
    ],
    resources: props.resources,
    probes: {
      // /v1/status/leader answers 200 with "" while there is no leader: check the body.
      readiness: Probe.exec(['/bin/sh', '-c', `${leader} | grep -qE '".+"'`], { period: Duration.seconds(5), timeout: Duration.seconds(5) }),
      // alive while the agent serves HTTP; losing the leader is not a reason to restart.
      liveness: Probe.tcp('http', { period: Duration.seconds(10), timeout: Duration.seconds(5), failureThreshold: 6 }),
    },
    mounts: memberMounts(PATHS, configMounts),
  });
}

/** The agent configuration; the gossip key and bootstrap token are added at start from Secrets. */
function serverConfig(datacenter: string, servers: number, members: readonly string[]) {
  return {
    datacenter,
    server: true,
    bootstrap_expect: servers,
    data_dir: PATHS.data,
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

/** The entrypoint: the secrets file from the environment, then the agent. */
function startScript(name: string): string {
  return `#!/bin/sh
# Entrypoint of every ${name} pod. The gossip key and the ACL bootstrap and agent
# tokens come from Secrets through the environment into a memory-backed file only this container
# reads; none ever appears in the ConfigMap or on a command line. The agent token is set from the
# start (acl.tokens.agent): it authorizes once the KV seeding Job has created it in Consul, with no
# \`consul acl set-agent-token\` call, and a replaced server has it too.
set -eu
umask 077
printf '{"encrypt": "%s", "acl": {"tokens": {"initial_management": "%s", "agent": "%s"}}}\\n' "$GOSSIP_KEY" "$ACL_BOOTSTRAP_TOKEN" "$ACL_AGENT_TOKEN" > ${PATHS.runtime}/secrets.json
exec consul agent -config-dir=${PATHS.config} -config-file=${PATHS.runtime}/secrets.json -advertise="$POD_IP" -node="$POD_NAME"
`;
}
