import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { Endpoint, PortMap } from '../../catalog/endpoints';
import type { LabelIdentity } from '../common/labels';
import { DisruptionBudget } from '../workload/disruption-budget';
import { dataClaimTemplate, hardenedPodTemplate, RETAIN_CLAIMS, servicePorts, type ContainerResources, type HardenedPodProps, type ServicePortSpec, type StorageProps } from '../workload';
import type { PeerPort } from '../mesh/network-access';
import { endpointMetadata, type DataClient } from './data-client';
import { memoryVolume } from '../common/pod-hardening';
import { MemberAccess } from './member-access';

const RUNTIME_VOLUME = memoryVolume('runtime');

/** Where a member's server container finds and keeps its files. */
export interface MemberPaths {
  /** The config files, read-only. */
  readonly config: string;
  /** The scripts, read-only. */
  readonly scripts: string;
  /** What the start script writes from Secrets: the set's memory-backed `runtime` volume. */
  readonly runtime: string;
  /** The member's `data` claim. */
  readonly data: string;
}

/** The server container's mounts: its claim, its config volumes, and the set's runtime volume. */
export function memberMounts(paths: MemberPaths, config: readonly k8s.VolumeMount[]): k8s.VolumeMount[] {
  return [{ name: 'data', mountPath: paths.data }, ...config, { name: RUNTIME_VOLUME.name, mountPath: paths.runtime }];
}

/** What every data component built on a MemberSet takes. */
export interface MemberComponentProps<P extends PortMap> {
  /** The data namespace the members run in. */
  readonly namespace: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** The members as the platform reaches them: name, selector, principal and ports. */
  readonly endpoint: Endpoint<P>;
  readonly storage: StorageProps;
  readonly resources: ContainerResources;
  /** Workloads that may connect on the client port. */
  readonly clients: readonly DataClient[];
  /** Prometheus, admitted on the sidecar's merged metrics port. */
  readonly prometheus: Endpoint;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

export interface MemberSetProps {
  /** The component's own props: its endpoint, labels, storage, clients, Prometheus and grace period. */
  readonly component: MemberComponentProps<PortMap>;
  readonly members: number;
  /** Every port a member serves, all on the headless Service so peers reach each member by name. */
  readonly memberPorts: readonly ServicePortSpec[];
  /** The one port clients reach, through the ClusterIP Service. */
  readonly clientPort: ServicePortSpec;
  /** What members use between themselves (replication, gossip, consensus), TCP or UDP. */
  readonly peerPorts: readonly PeerPort[];
  /** The members' pod; labels, placement, the grace period and the runtime volume come from the set. */
  readonly pod: Omit<HardenedPodProps, 'labels' | 'placement' | 'terminationGracePeriod'>;
}

/**
 * The members of a data component that forms a cluster among its own pods (Consul servers, Redis
 * Cluster nodes): a StatefulSet whose members start together on distinct nodes where possible,
 * keep their claims, find each other through a headless Service before they are Ready, and are
 * drained one at a time; clients use a ClusterIP Service; MemberAccess says who reaches them.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export class MemberSet extends Construct {
  public static readonly sourceFile = __filename;
  /** `<name>-headless`: each member is `<pod>.<headlessServiceName>.<namespace>.svc.cluster.local`. */
  public readonly headlessServiceName: string;
  public readonly terminationGracePeriod: Duration;
  public readonly headlessService: k8s.KubeService;
  public readonly service: k8s.KubeService;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly disruptionBudget: DisruptionBudget;
  public readonly access: MemberAccess;

  constructor(scope: Construct, id: string, props: MemberSetProps) {
    super(scope, id);
    const { endpoint, labels, clients, prometheus } = props.component;
    const { identity, selector, metadata } = endpointMetadata(endpoint, labels);
    this.headlessServiceName = headlessServiceName(endpoint.name);
    this.terminationGracePeriod = props.component.terminationGracePeriod ?? Duration.seconds(30);
    this.headlessService = new k8s.KubeService(this, 'HeadlessService', {
      metadata: { ...metadata, name: this.headlessServiceName },
      spec: {
        clusterIp: 'None',
        // members must find each other before they are Ready: readiness waits on the cluster they form.
        publishNotReadyAddresses: true,
        selector,
        ports: servicePorts(props.memberPorts),
      },
    });
    this.service = new k8s.KubeService(this, 'Service', { metadata, spec: { type: 'ClusterIP', selector, ports: servicePorts([props.clientPort]) } });

    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        serviceName: this.headlessServiceName,
        replicas: props.members,
        // all members start together: forming the cluster waits for every one, OrderedReady would deadlock.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
        selector: { matchLabels: selector },
        template: hardenedPodTemplate({
          ...props.pod,
          volumes: [...(props.pod.volumes ?? []), RUNTIME_VOLUME],
          labels: metadata.labels,
          placement: { distinctNodes: selector },
          terminationGracePeriod: this.terminationGracePeriod,
        }),
        // the claims were created with the selector labels; a claim template never changes.
        volumeClaimTemplates: [dataClaimTemplate(props.component.storage, identity, 'selector')],
      },
    });

    // maxUnavailable 1 even with one member: 0 would block every node drain.
    this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { ...metadata, selector });
    this.access = new MemberAccess(this, 'Access', { endpoint, labels, clients, prometheus, clientPort: props.clientPort.port, peerPorts: props.peerPorts });
  }
}

/** The headless Service of the set named `name`: what peers and member lists name before the set exists. */
export function headlessServiceName(name: string): string {
  return `${name}-headless`;
}
