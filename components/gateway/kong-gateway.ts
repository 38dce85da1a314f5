import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { workloadMetadata, type LabelIdentity } from '../common/labels';
import { declarePolicyException } from '../common/policy-exception';
import { NetworkAccess } from '../mesh/network-access';
import { ConfigFiles, ReplicaScaling, rolloutSpec, servicePorts, type ContainerResources, type ReplicaScalingProps, type SecretKeySelector } from '../workload';
import { pluginNames, renderDeclarativeConfig, type KongDeclarativeConfig } from './kong-declarative-config';
import { CONFIG_FILE, CONFIG_SOURCE_DIR } from './compose-config-script';
import { KONG_PORTS, kongPodTemplate, RATE_LIMIT_REDIS_PASSWORD_REFERENCE, type KongJwtCredential } from './kong-pod';

export interface KongGatewayProps {
  /** Names the ServiceAccount (the mesh identity), Deployment, Service and policies: `api-gateway`. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** Pinned Kong image, e.g. `docker.io/library/kong:3.9.1`. */
  readonly image: string;
  /** The declarative config (kong-declarative-config.ts); it holds no credential. */
  readonly config: KongDeclarativeConfig;
  /**
   * JWT credentials, from Secrets in the namespace; written into the config at pod start.
   * @default - none
   */
  readonly jwtCredentials?: readonly KongJwtCredential[];
  /**
   * The rate-limit Redis password; the config refers to it as `{vault://env/rate-limit-redis-password}`.
   * @default - no Redis password in the pod
   */
  readonly rateLimitRedisPassword?: SecretKeySelector;
  /**
   * The TLS Secret (`tls.crt`, `tls.key`) Kong serves on the TLS proxy port (kong.conf
   * `ssl_cert`/`ssl_cert_key`), written by cert-manager or existing.
   * @default - Kong's self-signed certificate (the catalog requires one wherever there are routes)
   */
  readonly tlsSecret?: string;
  readonly resources: ContainerResources;
  readonly replicas: ReplicaScalingProps['replicas'];
  /** Ports of the public LoadBalancer Service (`http` → 8000, `https` → 8443). */
  readonly servicePorts: { readonly http: number; readonly https: number };
  /**
   * nginx worker processes; Kong's default (`auto`) is one per node CPU, far above the pod's limit.
   * @default 2
   */
  readonly workerProcesses?: number;
  /** @default 1000 (the `kong` user of the official image) */
  readonly runAsUser?: number;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

/**
 * Kong 3.9 in DB-less mode as the platform's `api-gateway`: a hardened Deployment reading the
 * generated declarative config, the public LoadBalancer Service (proxy ports only), HPA and PDB, and
 * its ingress NetworkPolicy (the public entry). The admin API and Kong Manager are
 * off; the status API (8100) serves probes and metrics inside the pod network only.
 *
 * @see https://developer.konghq.com/gateway/db-less-mode/
 * @see https://github.com/Kong/charts/blob/main/charts/kong/values.yaml (hardened defaults, probes)
 */
export class KongGateway extends Construct {
  public static readonly sourceFile = __filename;
  public readonly workerProcesses: number;
  public readonly runAsUser: number;
  public readonly terminationGracePeriod: Duration;
  /** Pod labels selectors use. */
  public readonly selector: Record<string, string>;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: KongGatewayProps) {
    super(scope, id);
    const { name, namespace, config, image, rateLimitRedisPassword, tlsSecret, resources } = props;
    this.workerProcesses = props.workerProcesses ?? 2;
    this.runAsUser = props.runAsUser ?? 1000;
    this.terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);
    const jwtCredentials = props.jwtCredentials ?? [];
    if (pluginNames(config).includes('jwt') && jwtCredentials.length === 0) throw new Error(`kong gateway ${name}: routes use jwt but no consumer has a credential; every token would be rejected`);
    const usesRedis = JSON.stringify(config).includes(RATE_LIMIT_REDIS_PASSWORD_REFERENCE);
    if (usesRedis && !rateLimitRedisPassword) throw new Error(`kong gateway ${name}: the config uses the rate-limit Redis but rateLimitRedisPassword is not set`);

    const { labels, selector, metadata } = workloadMetadata({ ...props.labels, name }, namespace);
    this.selector = selector;

    // DB-less Kong without the ingress controller never calls the Kubernetes API (SECURITY.md P13).
    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const files = { [CONFIG_FILE]: renderDeclarativeConfig(config) };
    const configFiles = new ConfigFiles(this, 'ConfigMap', { metadata: { ...metadata, name: `${name}-config` }, files, mountPath: CONFIG_SOURCE_DIR });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec(props.replicas),
        selector: { matchLabels: this.selector },
        template: kongPodTemplate({
          image, config, rateLimitRedisPassword, tlsSecret, resources, labels,
          selector: this.selector,
          serviceAccountName: serviceAccount.name,
          runAsUser: this.runAsUser,
          terminationGracePeriod: this.terminationGracePeriod,
          configFiles,
          jwtCredentials,
          workerProcesses: this.workerProcesses,
        }),
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'LoadBalancer',
        // keep the client address, which rate limits key on (limit_by: ip).
        externalTrafficPolicy: 'Local',
        selector: this.selector,
        // the proxy listeners only: never the admin API or the status port (SECURITY.md S2).
        ports: servicePorts([
          { name: 'http', port: props.servicePorts.http, targetPort: 'proxy', appProtocol: 'http' },
          { name: 'https', port: props.servicePorts.https, targetPort: 'proxy-tls', appProtocol: 'https' },
        ]),
      },
    });
    declarePolicyException(this.service, 'S1', 'public entry point: the Kong proxy, the one LoadBalancer besides the Istio ingress gateway');

    // No AuthorizationPolicy opens the proxy: its ports bypass the sidecar (excludeInboundPorts,
    // internet clients have no mesh identity), so only this NetworkPolicy decides who reaches them.
    new NetworkAccess(this, 'Ingress', {
      name: `${name}-ingress`,
      namespace,
      labels,
      podSelector: this.selector,
      // no peers: from anywhere (the LoadBalancer's clients), proxy ports only.
      ingress: [{ peers: [], ports: [{ port: KONG_PORTS.proxy }, { port: KONG_PORTS.proxyTls }] }],
    });

    new ReplicaScaling(this, 'Scaling', {
      name,
      namespace,
      labels,
      selector: this.selector,
      target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name },
      container: 'kong',
      replicas: props.replicas,
    });
  }
}
