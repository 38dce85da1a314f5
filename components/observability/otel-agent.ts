import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { contentChecksum } from '../common/checksum';
import { selectorLabels, standardLabels } from '../common/labels';
import { restrictedContainerSecurityContext, tmpVolume } from '../common/pod-hardening';
import { declarePolicyException } from '../common/policy-exception';
import { AGENT_CHECKPOINT_DIR, agentCollectorConfig, COLLECTOR_PORTS, goMemLimit, POD_LOG_DIR } from './collector-config';
import { configYaml, httpGetProbe, POD_IP_ENV, resourceRequirements, type ContainerResources } from './telemetry-pod';

export interface OtelAgentProps {
  /** @default PLATFORM_COMPONENTS.agent.name (catalog/endpoints.ts) */
  readonly name?: string;
  /** The agent's own namespace (Pod Security `privileged`: the restricted and baseline levels forbid hostPath). */
  readonly namespace: string;
  readonly instance: string;
  readonly partOf: string;
  readonly image: string;
  readonly version: string;
  readonly resources: ContainerResources;
  /** The gateway collector's OTLP gRPC endpoint, `host:port`. */
  readonly gatewayEndpoint: string;
}

/**
 * The log-collecting agent: a DaemonSet of collector-contrib reading every container's log files
 * from the node (filelog), adding pod metadata (k8sattributes, which reads pods, namespaces and
 * replicasets from the API) and forwarding to the gateway collector. Replaces Promtail (end of life).
 *
 * Its declared exceptions, each on the object: P9 (read-only hostPath of /var/log/pods, and its own
 * read/write checkpoint directory so read positions survive restarts), P1/P2 (it
 * runs as uid 0 because the kubelet writes log files root-owned 0640; with every capability dropped
 * it can read files root owns and nothing else), P13 (k8sattributes needs its token).
 *
 * @see https://opentelemetry.io/docs/platforms/kubernetes/collector/components/#filelog-receiver
 */
export class OtelAgent extends Construct {
  public static readonly sourceFile = __filename;
  public readonly name: string;
  /** The node directory holding the filelog checkpoints: `/var/lib/otelcol/<namespace>`. */
  public readonly checkpointHostPath: string;
  public readonly selector: Record<string, string>;
  public readonly config: ReturnType<typeof agentCollectorConfig>;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: OtelAgentProps) {
    super(scope, id);
    this.name = props.name ?? PLATFORM_COMPONENTS.agent.name;
    const { namespace } = props;
    this.checkpointHostPath = `/var/lib/otelcol/${namespace}`;
    const identity = { name: this.name, instance: props.instance, component: 'telemetry', partOf: props.partOf, version: props.version };
    const labels = standardLabels(identity);
    this.selector = selectorLabels(identity);
    const metadata = { name: this.name, namespace, labels };

    // k8sattributes calls the Kubernetes API with this account's token.
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: true });
    // cluster-scoped: pods of every namespace run on the node. Read-only, and no Secrets.
    const clusterName = `${namespace}-${this.name}`;
    this.clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: clusterName, labels },
      rules: [
        { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace }],
    });

    this.config = agentCollectorConfig({ memoryLimit: props.resources.limits.memory, gatewayEndpoint: props.gatewayEndpoint, ownNamespace: namespace });
    const data = { 'config.yaml': configYaml(this.config) };
    const configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata, data });

    const tmp = tmpVolume();
    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata,
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels, annotations: { 'checksum/config': contentChecksum(data) } },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            // logs of every node, control-plane nodes included.
            tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: this.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['--config=/conf/config.yaml'],
                ports: [{ name: 'health', containerPort: COLLECTOR_PORTS.health, protocol: 'TCP' }],
                env: [
                  POD_IP_ENV,
                  { name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
                  { name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) },
                ],
                resources: resourceRequirements(props.resources),
                readinessProbe: httpGetProbe('/', 'health', 5),
                livenessProbe: httpGetProbe('/', 'health', 10),
                securityContext: { ...restrictedContainerSecurityContext(), runAsNonRoot: false, runAsUser: 0, runAsGroup: 0 },
                volumeMounts: [
                  tmp.mount,
                  { name: 'config', mountPath: '/conf', readOnly: true },
                  { name: 'varlogpods', mountPath: POD_LOG_DIR, readOnly: true },
                  { name: 'checkpoints', mountPath: AGENT_CHECKPOINT_DIR },
                ],
              },
            ],
            volumes: [
              tmp.volume,
              { name: 'config', configMap: { name: configMap.name } },
              { name: 'varlogpods', hostPath: { path: POD_LOG_DIR, type: 'Directory' } },
              // one directory per agent namespace, so two environments on one node never share positions.
              { name: 'checkpoints', hostPath: { path: this.checkpointHostPath, type: 'DirectoryOrCreate' } },
            ],
          },
        },
      },
    });
    declarePolicyException(
      this.daemonSet,
      'P9',
      `reads container log files from the node: /var/log/pods mounted read-only, the one hostPath SECURITY.md allows; and keeps its read positions in ${this.checkpointHostPath} on the node (read/write, its own directory, nothing else), so a restart neither loses nor repeats log lines`,
    );
    declarePolicyException(this.daemonSet, 'P1', 'the kubelet writes log files root-owned with mode 0640; the agent runs as uid 0 with every capability dropped, so it reads what root owns and nothing more');
    declarePolicyException(this.daemonSet, 'P2', 'runs as uid/gid 0 to read root-owned 0640 log files (see P1); no capabilities, no privilege escalation, read-only root filesystem');
    declarePolicyException(this.daemonSet, 'P13', 'the k8sattributes processor reads pods, namespaces and replicasets from the Kubernetes API with this token (read-only ClusterRole)');
  }
}
