import { Duration } from 'cdk8s';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import type { Construct } from 'constructs';
import { TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { declarePolicyException } from '../common/policy-exception';
import { contentChecksum } from '../common/checksum';
import { hardenedContainer, Probe } from '../workload';
import { AGENT_CHECKPOINT_DIR, agentCollectorConfig, COLLECTOR_PORTS, goMemLimit, POD_LOG_DIR } from './collector-config';
import { TelemetryComponent } from './telemetry-component';
import { POD_IP_ENV, type TelemetryComponentProps } from './telemetry-pod';

export interface OtelAgentProps extends TelemetryComponentProps {
  /** The agent's own namespace (Pod Security `privileged`: the restricted and baseline levels forbid hostPath). */
  readonly namespace: string;
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
export class OtelAgent extends TelemetryComponent {
  public static readonly sourceFile = __filename;
  /** The node directory holding the filelog checkpoints: `/var/lib/otelcol/<namespace>`. */
  public readonly checkpointHostPath: string;
  public readonly config: ReturnType<typeof agentCollectorConfig>;
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly daemonSet: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: OtelAgentProps) {
    // k8sattributes calls the Kubernetes API with its ServiceAccount's token; uid 0 reads the
    // kubelet's root-owned log files (the P13, P1 and P2 exceptions below).
    super(scope, id, PLATFORM_COMPONENTS.agent.name, props, { apiToken: true, runAsUser: 0 });
    const { namespace } = props;
    this.checkpointHostPath = `/var/lib/otelcol/${namespace}`;
    const { labels, selector, metadata } = this;

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
    const config = this.configFile(this.config, '/conf');

    const health = (period: number) => Probe.http('/', 'health', { period: Duration.seconds(period) });
    const container = hardenedContainer({
      name: this.name,
      image: props.image,
      args: ['--config=/conf/config.yaml'],
      ports: [{ name: 'health', port: COLLECTOR_PORTS.health }],
      env: [
        POD_IP_ENV,
        { name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) },
      ],
      resources: props.resources,
      probes: { readiness: health(5), liveness: health(10) },
      mounts: [TMP_MOUNT, config.mount, { name: 'varlogpods', mountPath: POD_LOG_DIR, readOnly: true }, { name: 'checkpoints', mountPath: AGENT_CHECKPOINT_DIR }],
    });
    // the one pod outside the restricted profile, so not hardenedPodTemplate: the declared
    // exceptions below are the API token for k8sattributes (P13) and uid 0 (P1/P2).
    this.daemonSet = new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata,
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels, annotations: { 'checksum/config': contentChecksum(config.files) } },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            // logs of every node, control-plane nodes included.
            tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{ ...container, securityContext: { ...container.securityContext, runAsNonRoot: false, runAsUser: this.runAsUser, runAsGroup: this.runAsUser } }],
            volumes: [
              TMP_VOLUME,
              config.volume,
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
