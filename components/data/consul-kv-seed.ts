import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { LabelIdentity } from '../common/labels';
import { endpointPeer, NetworkAccess } from '../mesh/network-access';
import { endpointUrl, type Endpoint, type PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { ConfigFiles, hardenedContainer, hardenedPodTemplate, secretEnv, type SecretKeySelector } from '../workload';
import { endpointMetadata } from './data-client';

export interface ConsulKvSeedProps {
  readonly namespace: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** The Consul image (its CLI writes the keys). */
  readonly image: string;
  /** The Job's own endpoint: its name, selector and principal. */
  readonly endpoint: Endpoint;
  /** The Consul servers it writes to. */
  readonly consul: Endpoint<typeof PLATFORM_COMPONENTS.consul.ports>;
  /** Each service's config entries, keyed by service then key; written as JSON to `services/<service>/<key>`. */
  readonly entries: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** A management token (the ACL bootstrap token) in `namespace`. */
  readonly tokenSecret: SecretKeySelector;
  /**
   * Each client service's own token Secret (in `namespace`; the service reads a Secret of the same
   * name in its own), by service name. Registered in Consul with the service's own policy.
   */
  readonly serviceTokenSecrets: Readonly<Record<string, SecretKeySelector>>;
  /** The servers' agent token: created with a node identity per server. */
  readonly agent: {
    readonly tokenSecret: SecretKeySelector;
    /** The servers' node names (`-node`). */
    readonly nodeNames: readonly string[];
    readonly datacenter: string;
  };
  /** @default 100 */
  readonly runAsUser?: number;
}

/** The anonymous token's fixed accessor id in every Consul cluster. */
const ANONYMOUS_TOKEN_ID = '00000000-0000-0000-0000-000000000002';
/** The policy that lets the anonymous token (Prometheus) read agent metrics. */
const AGENT_METRICS_POLICY = 'agent-metrics-read';
/** The policy every service shared before each got its own: removed by the Job. */
const RETIRED_SHARED_POLICY = 'service-config-read';

/** A service's policy name in Consul. */
export function consulServicePolicyName(service: string): string {
  return `service-${service}`;
}

/**
 * A service's ACL rules: register (and deregister) only itself, read only its own KV prefix, and
 * discover the others (read every service and node). Exact `service` rules win over
 * `service_prefix` ones, so the read grant never widens the write.
 *
 * @see https://developer.hashicorp.com/consul/docs/reference/acl/rule
 */
export function consulServicePolicy(service: string): string {
  return [
    `service "${service}" {`,
    '  policy = "write"',
    '}',
    `key_prefix "services/${service}/" {`,
    '  policy = "read"',
    '}',
    'service_prefix "" {',
    '  policy = "read"',
    '}',
    'node_prefix "" {',
    '  policy = "read"',
    '}',
    '',
  ].join('\n');
}

/** The seed container's variable holding one service's token: `xiaoai-service` → `TOKEN_XIAOAI_SERVICE`. */
function tokenEnv(service: string): string {
  return `TOKEN_${service.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The Job that writes the catalog's service config to Consul KV (`services/<service>/<key>`, JSON
 * values), after Consul has a leader, authenticated with a token from a Secret. It also registers
 * the services' token (read `services/`, register services) and lets the anonymous token read
 * agent metrics for Prometheus. Every step checks first or overwrites with the same value, so
 * re-running it is safe.
 *
 * The pod template carries the checksum of the entries: a config change changes the template,
 * which is immutable on a Job, so `pulumi up` replaces the Job (delete before create, the name is
 * fixed) and the new one runs. The name stays readable (DESIGN.md "no hash suffixes").
 *
 * @see https://developer.hashicorp.com/consul/commands/kv/put
 * @see https://developer.hashicorp.com/consul/commands/acl/token/create
 */
export class ConsulKvSeed extends Construct {
  public static readonly sourceFile = __filename;
  public readonly runAsUser: number;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly job: k8s.KubeJob;
  public readonly networkAccess: NetworkAccess;
  /** `services/<service>/<key>` → JSON text, in key order. */
  public readonly keys: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ConsulKvSeedProps) {
    super(scope, id);
    this.runAsUser = props.runAsUser ?? 100;
    const { name, namespace } = props.endpoint;
    const { labels, selector, metadata } = endpointMetadata(props.endpoint, props.labels);
    const services = Object.keys(props.serviceTokenSecrets).sort();
    const items = kvItems(props.entries);
    this.keys = Object.fromEntries(items.map((i) => [i.path, i.value]));
    const policies = [AGENT_METRICS_POLICY, ...services.map(consulServicePolicyName)];

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const config = new ConfigFiles(this, 'ConfigMap', {
      metadata,
      files: {
        ...Object.fromEntries(items.map((i) => [i.key, i.value])),
        [`${AGENT_METRICS_POLICY}.hcl`]: 'agent_prefix "" {\n  policy = "read"\n}\n',
        ...Object.fromEntries(services.map((s) => [`${consulServicePolicyName(s)}.hcl`, consulServicePolicy(s)])),
        'seed.sh': seedScript(services, props.agent),
      },
      mountPath: '/seed',
      volumeName: 'seed',
      // the flat ConfigMap keys as the tree the script walks: policies/<name>.hcl and kv/services/<service>/<key>.
      items: [
        { key: 'seed.sh', path: 'seed.sh' },
        ...policies.map((p) => ({ key: `${p}.hcl`, path: `policies/${p}.hcl` })),
        ...items.map((i) => ({ key: i.key, path: `kv/${i.path}` })),
      ],
    });
    this.configMap = config.configMap;

    this.job = new k8s.KubeJob(this, 'Job', {
      metadata,
      spec: {
        backoffLimit: 6,
        // bounds the wait for a leader; pulumi up reports the Job failed instead of hanging.
        activeDeadlineSeconds: 900,
        template: hardenedPodTemplate({
          labels,
          serviceAccountName: this.serviceAccount.name,
          runAsUser: this.runAsUser,
          restartPolicy: 'Never',
          configChecksumOf: config.files,
          // the sidecar starts before and stops after the seeding container, so the Job completes.
          annotations: { 'sidecar.istio.io/nativeSidecar': 'true', 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts": true}' },
          containers: [
            hardenedContainer({
              name: 'seed',
              image: props.image,
              command: ['/bin/sh', '/seed/seed.sh'],
              env: [
                { name: 'CONSUL_HTTP_ADDR', value: endpointUrl(props.consul, 'http') },
                secretEnv('CONSUL_HTTP_TOKEN', props.tokenSecret),
                secretEnv('AGENT_TOKEN', props.agent.tokenSecret),
                ...services.map((s) => secretEnv(tokenEnv(s), props.serviceTokenSecrets[s])),
              ],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
              mounts: [config.mount],
            }),
          ],
          volumes: [config.volume],
        }),
      },
    });

    this.networkAccess = new NetworkAccess(this, 'NetworkAccess', {
      name,
      namespace,
      labels,
      podSelector: selector,
      egress: [{ peers: [endpointPeer(props.consul, namespace)], ports: [{ port: props.consul.ports.http }] }],
    });
  }
}

/** Each entry as a ConfigMap key (`<service>.<key>`), its KV path and its JSON value, in key order. */
function kvItems(entries: ConsulKvSeedProps['entries']): { key: string; path: string; value: string }[] {
  return Object.keys(entries)
    .sort()
    .flatMap((service) =>
      Object.keys(entries[service])
        .sort()
        // service names hold no dot, so "<service>.<key>" is unique and a valid ConfigMap key.
        .map((key) => ({ key: `${service}.${key}`, path: `services/${service}/${key}`, value: `${JSON.stringify(entries[service][key])}\n` })),
    );
}

function seedScript(services: readonly string[], agent: ConsulKvSeedProps['agent']): string {
  const serviceLines = services
    .map((s) => `ensure_policy ${consulServicePolicyName(s)}\nensure_token "$${tokenEnv(s)}" "${s}: register itself, read services/${s}/" -policy-name ${consulServicePolicyName(s)}`)
    .join('\n');
  const nodeIdentities = agent.nodeNames.map((node) => `-node-identity ${node}:${agent.datacenter}`).join(' ');
  return `#!/bin/sh
# Seeds Consul from the catalog. Idempotent: policies are created or rewritten from their files,
# tokens are created with the SecretID from their Secret or re-linked to what they should hold,
# KV puts overwrite with the same value, so any re-run converges to the same state.
set -eu
# stop the Istio sidecar however this ends, in case native sidecars are off in the cluster.
trap 'wget -qO- --post-data= http://127.0.0.1:15020/quitquitquit >/dev/null 2>&1 || true' EXIT

leader() { wget -qO- -T 5 "$CONSUL_HTTP_ADDR/v1/status/leader" 2>/dev/null | tr -d '"'; }
# the servers may still be starting or electing; activeDeadlineSeconds bounds the wait.
until [ -n "$(leader)" ]; do echo "consul-kv-seed: waiting for a Consul leader"; sleep 5; done

# ensure_policy <name>: create it, or overwrite its rules (update merges, and -rules replaces them).
ensure_policy() {
  if consul acl policy read -name "$1" >/dev/null 2>&1; then
    consul acl policy update -name "$1" -rules "@/seed/policies/$1.hcl" >/dev/null
  else
    consul acl policy create -name "$1" -rules "@/seed/policies/$1.hcl" >/dev/null
  fi
}
# accessor <secret>: the AccessorID of the token with that SecretID, empty when Consul has none.
accessor() {
  CONSUL_HTTP_TOKEN="$1" consul acl token read -self -format json 2>/dev/null | sed -n 's/^ *"AccessorID": "\\([^"]*\\)".*/\\1/p'
}
# ensure_token <secret> <description> <links...>: create it with that SecretID, or overwrite the
# existing token's links (policies, node identities) with exactly these.
ensure_token() {
  secret="$1" description="$2"
  shift 2
  id="$(accessor "$secret")"
  if [ -n "$id" ]; then
    consul acl token update -accessor-id "$id" -description "$description" "$@" >/dev/null
  else
    consul acl token create -secret "$secret" -description "$description" "$@" >/dev/null
  fi
}

# the servers' agent token (acl.tokens.agent in their config): node:write for their own nodes,
# service:read, through one node identity per server.
ensure_token "$AGENT_TOKEN" "consul servers: agent token" ${nodeIdentities}
echo "consul-kv-seed: agent token holds ${agent.nodeNames.length} node identities"

# one policy and one token per service: it registers only itself and reads only services/<service>/.
${serviceLines}
# the shared policy of earlier versions let any service deregister any other: gone.
consul acl policy delete -name ${RETIRED_SHARED_POLICY} >/dev/null 2>&1 || true

ensure_policy ${AGENT_METRICS_POLICY}
# Prometheus scrapes /v1/agent/metrics without a token.
consul acl token update -accessor-id ${ANONYMOUS_TOKEN_ID} -policy-name ${AGENT_METRICS_POLICY} -description "Anonymous Token" >/dev/null

# no service has config: nothing to write.
cd /seed/kv 2>/dev/null || exit 0
find -L services -type f | sort | while IFS= read -r key; do
  consul kv put "$key" "@$key" >/dev/null
  echo "consul-kv-seed: wrote $key"
done
`;
}
