import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { LabelIdentity } from '../common/labels';
import { DisruptionBudget } from '../workload/disruption-budget';
import { dataClaimTemplate, hardenedPodTemplate, RETAIN_CLAIMS, servicePorts, type HardenedPodProps, type ServicePortSpec, type StorageProps } from '../workload';

export interface MemberSetProps {
  /** The set's, the client Service's and the budget's metadata. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** The identity the claims' labels come from. */
  readonly identity: LabelIdentity;
  readonly selector: Record<string, string>;
  /** The headless Service that gives each member its stable DNS name. */
  readonly headlessServiceName: string;
  readonly members: number;
  /** Every port a member serves, all on the headless Service so peers reach each member by name. */
  readonly memberPorts: readonly ServicePortSpec[];
  /** The ports clients reach through the ClusterIP Service. */
  readonly clientPorts: readonly ServicePortSpec[];
  /** The members' pod; labels and placement come from the set. */
  readonly pod: Omit<HardenedPodProps, 'labels' | 'placement'>;
  /** The `data` claim of each member, mounted by the containers under the volume name `data`. */
  readonly storage: StorageProps;
}

/**
 * The members of a data component that forms a cluster among its own pods (Consul servers, Redis
 * Cluster nodes): a StatefulSet whose members start together on distinct nodes where possible,
 * keep their claims, find each other through a headless Service before they are Ready, and are
 * drained one at a time; clients use a ClusterIP Service.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export class MemberSet extends Construct {
  public readonly headlessService: k8s.KubeService;
  public readonly service: k8s.KubeService;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly disruptionBudget: DisruptionBudget;

  constructor(scope: Construct, id: string, props: MemberSetProps) {
    super(scope, id);
    const { metadata, selector } = props;
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { ...metadata, name: props.headlessServiceName },
      spec: {
        clusterIp: 'None',
        // members must find each other before they are Ready: readiness waits on the cluster they form.
        publishNotReadyAddresses: true,
        selector,
        ports: servicePorts(props.memberPorts),
      },
    });
    this.service = new k8s.KubeService(this, 'Service', { metadata, spec: { type: 'ClusterIP', selector, ports: servicePorts(props.clientPorts) } });

    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        serviceName: props.headlessServiceName,
        replicas: props.members,
        // all members start together: forming the cluster waits for every one, OrderedReady would deadlock.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
        selector: { matchLabels: selector },
        template: hardenedPodTemplate({ ...props.pod, labels: metadata.labels, placement: { distinctNodes: selector } }),
        // the claims were created with the selector labels; a claim template never changes.
        volumeClaimTemplates: [dataClaimTemplate(props.storage, props.identity, 'selector')],
      },
    });

    // maxUnavailable 1 even with one member: 0 would block every node drain.
    this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { ...metadata, selector });
  }
}
