import { k8s } from '../common/k8s';
import { selectorLabels, stableLabels, type LabelIdentity } from '../common/labels';

/** Persistent storage of a StatefulSet member. */
export interface StorageProps {
  /** PVC size, a binary quantity such as `10Gi`. */
  readonly size: string;
  /**
   * StorageClass of the claims.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

/**
 * The `data` volumeClaimTemplate of a StatefulSet. Its labels are the stable ones only: claim
 * templates can never change, so a version label would make every image bump a forbidden update.
 *
 * `labels: 'selector'` keeps the claims of a set created with the selector labels only (stable
 * too) as they are: any other set of labels would be a forbidden update of that set.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates
 */
export function dataClaimTemplate(storage: StorageProps, identity: LabelIdentity, labels: 'stable' | 'selector' = 'stable'): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'data', labels: labels === 'stable' ? stableLabels(identity) : selectorLabels(identity) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
      resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
    },
  };
}

/** Claims survive scale-down and deletion of the set: data is removed by a human, never by a rollout. */
export const RETAIN_CLAIMS: k8s.StatefulSetPersistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Retain' };
