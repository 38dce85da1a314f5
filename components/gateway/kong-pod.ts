import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { memoryVolume, TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { hardenedContainer, hardenedPodTemplate, Probe, secretEnv, type ConfigFiles, type ContainerResources, type SecretKeySelector } from '../workload';
import { pluginNames, type KongDeclarativeConfig } from './kong-declarative-config';
import { composeConfigScript, CONFIG_FILE, CONFIG_SOURCE_DIR, DECLARATIVE_DIR, JWT_SECRETS_DIR, type JwtCredential } from './compose-config-script';

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

/** A consumer's JWT credential, its secret read from a Secret at pod start. */
export interface KongJwtCredential extends JwtCredential {
  readonly secret: SecretKeySelector;
}

export interface KongPodProps {
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly serviceAccountName: string;
  readonly runAsUser: number;
  readonly terminationGracePeriod: Duration;
  readonly image: string;
  /** The declarative config, for the plugins Kong loads. */
  readonly config: KongDeclarativeConfig;
  /** The rendered config's ConfigMap, read at CONFIG_SOURCE_DIR. */
  readonly configFiles: ConfigFiles;
  /** With none, Kong reads the ConfigMap's config as it is. */
  readonly jwtCredentials: readonly KongJwtCredential[];
  /** @default - no Redis password in the pod */
  readonly rateLimitRedisPassword?: SecretKeySelector;
  /** @default - Kong's self-signed certificate */
  readonly tlsSecret?: string;
  readonly resources: ContainerResources;
  readonly workerProcesses: number;
}

/**
 * Kong's pod: the `kong` container with its listeners, status probes and graceful stop, and, when
 * consumers hold JWT credentials, the init container that completes the config with them.
 *
 * @see https://github.com/Kong/charts/blob/main/charts/kong/values.yaml (hardened defaults, probes)
 */
export function kongPodTemplate(props: KongPodProps): k8s.PodTemplateSpec {
  // the declarative config cannot refer to a consumer credential (jwt_secrets are not
  // vault-referenceable), so an init container appends them from Secrets into a memory-backed
  // emptyDir at start: the ConfigMap and dist/ never hold a credential.
  const compose = props.jwtCredentials.length > 0;
  const composeScript = composeConfigScript(props.jwtCredentials.map((c) => ({ username: c.username, key: c.key, algorithm: c.algorithm })));
  const { configFiles } = props;
  return hardenedPodTemplate({
    labels: props.labels,
    serviceAccountName: props.serviceAccountName,
    runAsUser: props.runAsUser,
    terminationGracePeriod: props.terminationGracePeriod,
    // a config change rolls the pods: DB-less Kong reads its config only at start.
    configChecksumOf: { configData: configFiles.files, composeScript },
    metrics: { port: KONG_PORTS.status },
    annotations: {
      // clients outside the mesh reach the proxy through the LoadBalancer; with STRICT mTLS
      // (no PERMISSIVE anywhere, SECURITY.md M1) the sidecar must not capture those ports.
      // Kong's calls to the services still leave through the sidecar, with its identity.
      'traffic.sidecar.istio.io/excludeInboundPorts': `${KONG_PORTS.proxy},${KONG_PORTS.proxyTls}`,
      // Kong resolves and calls upstreams as soon as it starts; wait for the sidecar.
      'proxy.istio.io/config': '{ "holdApplicationUntilProxyStarts": true }',
    },
    placement: { spread: props.selector },
    ...(compose
      ? {
          initContainers: [
            hardenedContainer({
              name: 'compose-config',
              image: props.image,
              command: ['/bin/sh', '-c', composeScript],
              // no env: the Secrets are files, so every byte of a key survives (env cannot hold NUL).
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
              mounts: [configFiles.mount, { name: 'declarative', mountPath: DECLARATIVE_DIR }, { name: 'jwt-secrets', mountPath: JWT_SECRETS_DIR, readOnly: true }],
              writableTmp: false,
            }),
          ],
        }
      : {}),
    containers: [kongContainer(props, compose)],
    volumes: kongVolumes(props, compose),
  });
}

function kongContainer(props: KongPodProps, compose: boolean): k8s.Container {
  const status = (path: string, period: Duration, failureThreshold?: number) => Probe.http(path, 'status', { period, failureThreshold });
  return hardenedContainer({
    name: 'kong',
    image: props.image,
    ports: [
      { name: 'proxy', port: KONG_PORTS.proxy },
      { name: 'proxy-tls', port: KONG_PORTS.proxyTls },
      { name: 'status', port: KONG_PORTS.status },
    ],
    env: kongEnvironment(props, compose ? `${DECLARATIVE_DIR}/${CONFIG_FILE}` : `${CONFIG_SOURCE_DIR}/${CONFIG_FILE}`),
    resources: props.resources,
    // Kong's status API: /status/ready once the config is loaded (Kong/charts values.yaml).
    probes: {
      startup: status('/status', Duration.seconds(2), 30),
      readiness: status('/status/ready', Duration.seconds(5)),
      liveness: status('/status', Duration.seconds(10)),
    },
    // finish in-flight requests before the pod goes (Kong/charts: `kong quit --wait=15`).
    lifecycle: { preStop: { exec: { command: ['kong', 'quit', '--wait=15'] } } },
    mounts: [
      TMP_MOUNT,
      { name: 'prefix', mountPath: PREFIX_DIR },
      compose ? { name: 'declarative', mountPath: DECLARATIVE_DIR, readOnly: true } : props.configFiles.mount,
      ...(props.tlsSecret ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
    ],
  });
}

function kongVolumes(props: KongPodProps, compose: boolean): k8s.Volume[] {
  const tls = (secretName: string): k8s.Volume => ({
    name: 'tls',
    secret: { secretName, defaultMode: SECRET_FILE_MODE, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] },
  });
  return [
    TMP_VOLUME,
    { name: 'prefix', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
    props.configFiles.volume,
    ...(compose
      ? [
          memoryVolume('declarative', '16Mi'),
          {
            name: 'jwt-secrets',
            projected: {
              defaultMode: SECRET_FILE_MODE,
              sources: props.jwtCredentials.map((c) => ({ secret: { name: c.secret.name, items: [{ key: c.secret.key, path: c.username }] } })),
            },
          },
        ]
      : []),
    ...(props.tlsSecret ? [tls(props.tlsSecret)] : []),
  ];
}

function kongEnvironment(props: KongPodProps, configPath: string): k8s.EnvVar[] {
  return [
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
    { name: 'KONG_NGINX_WORKER_PROCESSES', value: String(props.workerProcesses) },
    { name: 'KONG_ANONYMOUS_REPORTS', value: 'off' },
    ...(props.rateLimitRedisPassword
      ? [secretEnv(RATE_LIMIT_REDIS_PASSWORD_ENV, props.rateLimitRedisPassword)]
      : []),
  ];
}
