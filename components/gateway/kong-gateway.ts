import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { contentChecksum } from '../common/checksum';
import { selectorLabels, standardLabels, type LabelIdentity } from '../common/labels';
import { declarePolicyException } from '../common/policy-exception';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadAcrossNodesAndZones, tmpVolume } from '../common/pod-hardening';
import { NetworkAccess } from '../mesh/network-access';
import { DisruptionBudget } from '../workload/disruption-budget';
import { HorizontalAutoscaler } from '../workload/horizontal-autoscaler';
import { pluginNames, renderDeclarativeConfig, type KongDeclarativeConfig } from './kong-declarative-config';
import { rolloutSpec } from '../workload/rollout';
import { composeConfigScript, CONFIG_FILE, CONFIG_SOURCE_DIR, DECLARATIVE_DIR, JWT_SECRETS_DIR } from './compose-config-script';

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
  readonly jwtCredentials?: readonly { readonly username: string; readonly key: string; readonly algorithm: string; readonly secret: { readonly name: string; readonly key: string } }[];
  /**
   * The rate-limit Redis password; the config refers to it as `{vault://env/rate-limit-redis-password}`.
   * @default - no Redis password in the pod
   */
  readonly rateLimitRedisPassword?: { readonly name: string; readonly key: string };
  /**
   * The TLS Secret (`tls.crt`, `tls.key`) Kong serves on the TLS proxy port (kong.conf
   * `ssl_cert`/`ssl_cert_key`), written by cert-manager or existing.
   * @default - Kong's self-signed certificate (the catalog requires one wherever there are routes)
   */
  readonly tlsSecret?: string;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly replicas: {
    readonly min: number;
    readonly max: number;
    readonly autoscaling?: { readonly cpuUtilization: number; readonly memoryUtilization: number };
  };
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

/** Kong's listeners: the public proxy, and the status API (probes, /metrics), never the admin API. */
export const KONG_PORTS = PLATFORM_COMPONENTS.kong.ports;
/** The env vault reference (`{vault://env/<name>}` reads the variable `<NAME>` with `-` as `_`). */
export const RATE_LIMIT_REDIS_PASSWORD_ENV = 'RATE_LIMIT_REDIS_PASSWORD';
export const RATE_LIMIT_REDIS_PASSWORD_REFERENCE = '{vault://env/rate-limit-redis-password}';

const PREFIX_DIR = '/kong_prefix';
/** Where the TLS Secret is mounted; Kong reads it at start (kong.conf.default, 3.9.1: ssl_cert). */
export const TLS_DIR = '/kong/tls';
/** Secret files readable by the pod's fsGroup (Kong's user), by nobody else. */
const SECRET_FILE_MODE = 0o440;

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
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly ingress: NetworkAccess;
  public readonly autoscaler?: HorizontalAutoscaler;
  public readonly disruptionBudget?: DisruptionBudget;
  /** Pod labels selectors use. */
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: KongGatewayProps) {
    super(scope, id);
    const { name, namespace } = props;
    this.workerProcesses = props.workerProcesses ?? 2;
    this.runAsUser = props.runAsUser ?? 1000;
    this.terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);
    const credentials = props.jwtCredentials ?? [];
    const usesJwt = pluginNames(props.config).includes('jwt');
    if (usesJwt && credentials.length === 0) throw new Error(`kong gateway ${name}: routes use jwt but no consumer has a credential; every token would be rejected`);
    const usesRedis = JSON.stringify(props.config).includes(RATE_LIMIT_REDIS_PASSWORD_REFERENCE);
    if (usesRedis && !props.rateLimitRedisPassword) throw new Error(`kong gateway ${name}: the config uses the rate-limit Redis but rateLimitRedisPassword is not set`);

    const identity = { ...props.labels, name };
    const labels = standardLabels(identity);
    this.selector = selectorLabels(identity);
    const metadata = { name, namespace, labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata,
      // DB-less Kong without the ingress controller never calls the Kubernetes API (SECURITY.md P13).
      automountServiceAccountToken: false,
    });

    const configData = { [CONFIG_FILE]: renderDeclarativeConfig(props.config) };
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata: { ...metadata, name: `${name}-config` }, data: configData });

    // the declarative config cannot refer to a consumer credential (jwt_secrets are not
    // vault-referenceable), so an init container appends them from Secrets into a memory-backed
    // emptyDir at start: the ConfigMap and dist/ never hold a credential.
    const compose = credentials.length > 0;
    const configPath = compose ? `${DECLARATIVE_DIR}/${CONFIG_FILE}` : `${CONFIG_SOURCE_DIR}/${CONFIG_FILE}`;
    const tmp = tmpVolume();
    const volumes: k8s.Volume[] = [
      tmp.volume,
      { name: 'prefix', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
      { name: 'config', configMap: { name: this.configMap.name } },
      ...(compose
        ? [
            { name: 'declarative', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('16Mi') } },
            {
              name: 'jwt-secrets',
              projected: {
                defaultMode: SECRET_FILE_MODE,
                sources: credentials.map((c) => ({ secret: { name: c.secret.name, items: [{ key: c.secret.key, path: c.username }] } })),
              },
            },
          ]
        : []),
      ...(props.tlsSecret
        ? [{ name: 'tls', secret: { secretName: props.tlsSecret, defaultMode: SECRET_FILE_MODE, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } }]
        : []),
    ];
    const configMount = { name: 'config', mountPath: CONFIG_SOURCE_DIR, readOnly: true };
    const mounts: k8s.VolumeMount[] = [
      tmp.mount,
      { name: 'prefix', mountPath: PREFIX_DIR },
      ...(compose ? [{ name: 'declarative', mountPath: DECLARATIVE_DIR, readOnly: true }] : [configMount]),
      ...(props.tlsSecret ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
    ];
    const resources = (r: KongGatewayProps['resources']): k8s.ResourceRequirements => ({
      requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
      limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
    });
    const composeScript = composeConfigScript(credentials.map((c) => ({ username: c.username, key: c.key, algorithm: c.algorithm })));

    const env: k8s.EnvVar[] = [
      { name: 'KONG_DATABASE', value: 'off' },
      { name: 'KONG_DECLARATIVE_CONFIG', value: configPath },
      { name: 'KONG_PREFIX', value: PREFIX_DIR },
      { name: 'KONG_PROXY_LISTEN', value: `0.0.0.0:${KONG_PORTS.proxy} reuseport backlog=16384, 0.0.0.0:${KONG_PORTS.proxyTls} http2 ssl reuseport backlog=16384` },
      // no admin API and no Kong Manager: DB-less config only changes by rolling the pods.
      { name: 'KONG_ADMIN_LISTEN', value: 'off' },
      { name: 'KONG_ADMIN_GUI_LISTEN', value: 'off' },
      ...(props.tlsSecret
        ? [
            { name: 'KONG_SSL_CERT', value: `${TLS_DIR}/tls.crt` },
            { name: 'KONG_SSL_CERT_KEY', value: `${TLS_DIR}/tls.key` },
          ]
        : []),
      // pod IP, not loopback: the kubelet probes it and the sidecar scrapes /metrics from it.
      { name: 'KONG_STATUS_LISTEN', value: `0.0.0.0:${KONG_PORTS.status}` },
      // request logs come from the file-log plugin as JSON on stdout; nginx's own lines would duplicate them.
      { name: 'KONG_PROXY_ACCESS_LOG', value: 'off' },
      { name: 'KONG_STATUS_ACCESS_LOG', value: 'off' },
      { name: 'KONG_PROXY_ERROR_LOG', value: '/dev/stderr' },
      { name: 'KONG_STATUS_ERROR_LOG', value: '/dev/stderr' },
      { name: 'KONG_LOG_LEVEL', value: 'notice' },
      // exactly the plugins the config uses (SECURITY.md R2).
      { name: 'KONG_PLUGINS', value: pluginNames(props.config).join(',') },
      // `~` regex route paths (kong-declarative-config.ts) as this router reads them.
      { name: 'KONG_ROUTER_FLAVOR', value: 'traditional_compatible' },
      { name: 'KONG_NGINX_WORKER_PROCESSES', value: String(this.workerProcesses) },
      { name: 'KONG_ANONYMOUS_REPORTS', value: 'off' },
      ...(props.rateLimitRedisPassword
        ? [{ name: RATE_LIMIT_REDIS_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: props.rateLimitRedisPassword.name, key: props.rateLimitRedisPassword.key } } }]
        : []),
    ];

    const autoscaled = props.replicas.autoscaling !== undefined;
    const statusProbe = (path: string, period: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromString('status'), scheme: 'HTTP' },
      periodSeconds: period,
      timeoutSeconds: 2,
      failureThreshold,
    });
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec(props.replicas, autoscaled),
        selector: { matchLabels: this.selector },
        template: {
          metadata: {
            labels,
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(KONG_PORTS.status),
              'prometheus.io/path': '/metrics',
              // a config change rolls the pods: DB-less Kong reads its config only at start.
              'checksum/config': contentChecksum({ configData, composeScript }),
              // clients outside the mesh reach the proxy through the LoadBalancer; with STRICT mTLS
              // (no PERMISSIVE anywhere, SECURITY.md M1) the sidecar must not capture those ports.
              // Kong's calls to the services still leave through the sidecar, with its identity.
              'traffic.sidecar.istio.io/excludeInboundPorts': `${KONG_PORTS.proxy},${KONG_PORTS.proxyTls}`,
              // Kong resolves and calls upstreams as soon as it starts; wait for the sidecar.
              'proxy.istio.io/config': '{ "holdApplicationUntilProxyStarts": true }',
            },
          },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: this.terminationGracePeriod.toSeconds(),
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            topologySpreadConstraints: spreadAcrossNodesAndZones(this.selector),
            ...(compose
              ? {
                  initContainers: [
                    {
                      name: 'compose-config',
                      image: props.image,
                      imagePullPolicy: 'IfNotPresent',
                      command: ['/bin/sh', '-c', composeScript],
                      // no env: the Secrets are files, so every byte of a key survives (env cannot hold NUL).
                      resources: resources({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } }),
                      securityContext: restrictedContainerSecurityContext(),
                      volumeMounts: [configMount, { name: 'declarative', mountPath: DECLARATIVE_DIR }, { name: 'jwt-secrets', mountPath: JWT_SECRETS_DIR, readOnly: true }],
                    },
                  ],
                }
              : {}),
            containers: [
              {
                name: 'kong',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: 'proxy', containerPort: KONG_PORTS.proxy, protocol: 'TCP' },
                  { name: 'proxy-tls', containerPort: KONG_PORTS.proxyTls, protocol: 'TCP' },
                  { name: 'status', containerPort: KONG_PORTS.status, protocol: 'TCP' },
                ],
                env,
                resources: resources(props.resources),
                // Kong's status API: /status/ready once the config is loaded (Kong/charts values.yaml).
                startupProbe: statusProbe('/status', 2, 30),
                readinessProbe: statusProbe('/status/ready', 5, 3),
                livenessProbe: statusProbe('/status', 10, 3),
                // finish in-flight requests before the pod goes (Kong/charts: `kong quit --wait=15`).
                lifecycle: { preStop: { exec: { command: ['kong', 'quit', '--wait=15'] } } },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
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
        ports: [
          { name: 'http', port: props.servicePorts.http, targetPort: k8s.IntOrString.fromString('proxy'), protocol: 'TCP', appProtocol: 'http' },
          { name: 'https', port: props.servicePorts.https, targetPort: k8s.IntOrString.fromString('proxy-tls'), protocol: 'TCP', appProtocol: 'https' },
        ],
      },
    });
    declarePolicyException(this.service, 'S1', 'public entry point: the Kong proxy, the one LoadBalancer besides the Istio ingress gateway');

    // No AuthorizationPolicy opens the proxy: its ports bypass the sidecar (excludeInboundPorts,
    // internet clients have no mesh identity), so only this NetworkPolicy decides who reaches them.
    this.ingress = new NetworkAccess(this, 'Ingress', {
      name: `${name}-ingress`,
      namespace,
      labels,
      podSelector: this.selector,
      ingress: [
        // no peers: from anywhere (the LoadBalancer's clients), proxy ports only.
        { peers: [], ports: [{ port: KONG_PORTS.proxy }, { port: KONG_PORTS.proxyTls }] },
      ],
    });

    if (props.replicas.autoscaling) {
      this.autoscaler = new HorizontalAutoscaler(this, 'Autoscaler', {
        name,
        namespace,
        labels,
        target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name },
        container: 'kong',
        minReplicas: props.replicas.min,
        maxReplicas: props.replicas.max,
        cpuUtilization: props.replicas.autoscaling.cpuUtilization,
        memoryUtilization: props.replicas.autoscaling.memoryUtilization,
      });
    }
    if (props.replicas.max > 1) {
      this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { name, namespace, labels, selector: this.selector });
    }
  }
}
