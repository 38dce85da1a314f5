import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** The props every construct that emits one namespaced object starts with. */
export interface NamespacedObjectProps {
  /** `metadata.name`. */
  readonly name: string;
  readonly namespace: string;
  /** @default - no labels */
  readonly labels?: Record<string, string>;
}

/** The object's `metadata`: `labels` only when given, so no empty map is emitted. */
export function objectMetadata(props: NamespacedObjectProps): { name: string; namespace: string; labels?: Record<string, string> } {
  return { name: props.name, namespace: props.namespace, ...(props.labels ? { labels: props.labels } : {}) };
}

/** The type of a custom resource: its API group version and kind. */
export interface ResourceType {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * A custom resource (Istio's, cert-manager's: CRDs without typed L1 classes here) as the
 * `Resource` child of the construct that emits it, with that construct's name, namespace and labels.
 */
export function customResource(scope: Construct, type: ResourceType, metadata: NamespacedObjectProps, spec: Record<string, unknown>): ApiObject {
  return new ApiObject(scope, 'Resource', { apiVersion: type.apiVersion, kind: type.kind, metadata: objectMetadata(metadata), spec });
}
