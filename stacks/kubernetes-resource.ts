import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** A synthesized Kubernetes object, as it appears in dist/. */
export type KubernetesObject = Record<string, any> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
};

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** API groups → the @pulumi/kubernetes module that holds their typed classes. */
const GROUP_MODULES: Readonly<Record<string, string>> = {
  '': 'core',
  apps: 'apps',
  autoscaling: 'autoscaling',
  batch: 'batch',
  policy: 'policy',
  'networking.k8s.io': 'networking',
  'rbac.authorization.k8s.io': 'rbac',
  'storage.k8s.io': 'storage',
  'scheduling.k8s.io': 'scheduling',
  'apiextensions.k8s.io': 'apiextensions',
  'admissionregistration.k8s.io': 'admissionregistration',
};

/**
 * The @pulumi/kubernetes class for an object: the typed class where the SDK has one
 * (`k8s.apps.v1.Deployment`), else `apiextensions.CustomResource` (Istio, Prometheus Operator kinds).
 */
export function resourceClassFor(apiVersion: string, kind: string): { readonly typed: boolean; readonly create: ResourceClass } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = GROUP_MODULES[group];
  const typed = module ? (k8s as any)[module]?.[version]?.[kind] : undefined;
  if (typeof typed === 'function') return { typed: true, create: typed };
  return { typed: false, create: k8s.apiextensions.CustomResource as unknown as ResourceClass };
}

/**
 * The stable Pulumi name of an object: `<Kind>/<namespace>/<name>` (or `<Kind>/<name>` when
 * cluster-scoped). Derived from what the object is, never from order, so a rename in the catalog
 * shows as a replacement in `pulumi preview` and nothing else moves.
 */
export function resourceNameOf(object: KubernetesObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${object.kind}/${namespace}/${name}` : `${object.kind}/${name}`;
}
