import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { objectMetadata, type NamespacedObjectProps } from './namespaced-object';

/** The type of a custom resource: its API group version and kind. */
export interface ResourceType {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * The base of a construct that emits one custom resource (Istio's, cert-manager's: CRDs without
 * typed L1 classes here), as cdk8s-plus's `Resource` is of its L2 constructs: the envelope (type,
 * name, namespace, labels) is written here once, the subclass checks its props and gives the spec.
 * Subclasses check before calling `super`, so a refused construct never joins the tree.
 */
export abstract class CustomResource extends Construct {
  public static readonly sourceFile = __filename;
  /** The emitted object, the `Resource` child. */
  public readonly resource: ApiObject;

  protected constructor(scope: Construct, id: string, type: ResourceType, metadata: NamespacedObjectProps, spec: Record<string, unknown>) {
    super(scope, id);
    this.resource = new ApiObject(this, 'Resource', { apiVersion: type.apiVersion, kind: type.kind, metadata: objectMetadata(metadata), spec });
  }
}
