import type { EnvironmentName } from '../../catalog';

/**
 * Every SECURITY.md exception the platform is expected to declare, reviewed here and not by the
 * code under test: an exception an object grants itself that is not on this list fails the suite
 * (test/policy/security.test.ts), and so does an entry here that no object declares.
 */
export interface ExpectedWaiver {
  readonly rule: string;
  /** `Kind namespace/name` (`Kind name` when cluster-scoped) of the object in an environment. */
  readonly object: (environment: EnvironmentName) => string;
  /** Only in these environments (the object or its reason exists only there). */
  readonly environments?: readonly EnvironmentName[];
  readonly why: string;
}

const apps = (env: EnvironmentName) => `suoke-life-${env}`;
const agent = (env: EnvironmentName) => `suoke-observability-agent-${env}`;

export const EXPECTED_WAIVERS: readonly ExpectedWaiver[] = [
  { rule: 'S1', object: (env) => `Service ${apps(env)}/api-gateway`, why: 'the one public entry: Kong\'s proxy is a LoadBalancer' },
  { rule: 'M5', object: (env) => `Namespace ${agent(env)}`, why: 'the log agent\'s namespace is privileged: its hostPath mounts are refused by restricted and baseline' },
  { rule: 'P1', object: (env) => `DaemonSet ${agent(env)}/otel-agent`, why: 'reads root-owned container log files' },
  { rule: 'P2', object: (env) => `DaemonSet ${agent(env)}/otel-agent`, why: 'runs as uid 0 to read them' },
  { rule: 'P9', object: (env) => `DaemonSet ${agent(env)}/otel-agent`, why: 'read-only hostPath of /var/log/pods, and its read positions on the node' },
  { rule: 'P13', object: (env) => `DaemonSet ${agent(env)}/otel-agent`, why: 'k8sattributes reads pod metadata from the API with its token' },
  { rule: 'R5', object: (env) => `StatefulSet suoke-observability-${env}/jaeger`, environments: ['prod'], why: 'prod traces live in the external Elasticsearch, not on a PVC' },
];

/** `rule kind namespace/name` of each expected waiver in one environment. */
export function expectedWaivers(environment: EnvironmentName): string[] {
  return EXPECTED_WAIVERS.filter((w) => !w.environments || w.environments.includes(environment))
    .map((w) => `${w.rule} ${w.object(environment)}`)
    .sort();
}
