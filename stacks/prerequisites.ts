import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { resourceClassFor, resourceNameOf, type KubernetesObject } from './kubernetes-resource';

/** A CustomResourceDefinition the objects need, and what provides it. */
export interface RequiredDefinition {
  /** The CRD's name, `<plural>.<group>`, e.g. `podmonitors.monitoring.coreos.com`. */
  readonly name: string;
  /** The kinds of the output that need it, `<group>/<version> <Kind>`. */
  readonly kinds: readonly string[];
  /** What to install to get it. */
  readonly install: string;
}

/** What installs the CRDs of an API group; a group not listed is named as such in the message. */
export const CRD_PROVIDERS: Readonly<Record<string, string>> = {
  'monitoring.coreos.com': 'the Prometheus Operator CRDs (the prometheus-operator-crds Helm chart, or kube-prometheus-stack)',
  'security.istio.io': "Istio's base Helm chart: `pulumi up` on the cluster stack",
  'networking.istio.io': "Istio's base Helm chart: `pulumi up` on the cluster stack",
  'telemetry.istio.io': "Istio's base Helm chart: `pulumi up` on the cluster stack",
  'cert-manager.io': 'cert-manager (its Helm chart with crds.enabled=true)',
};

/**
 * The resource name Kubernetes derives from a kind when a CRD does not say otherwise:
 * lower case, `-s` → `-ses`, `-y` → `-ies`, else `+s` (UnsafeGuessKindToResource,
 * kubernetes/apimachinery pkg/api/meta/restmapper.go).
 */
export function pluralOf(kind: string): string {
  const singular = kind.toLowerCase();
  if (singular.endsWith('s')) return `${singular}es`;
  if (singular.endsWith('y')) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/**
 * The CRDs the objects need: one per custom kind (any kind @pulumi/kubernetes has no typed class
 * for), derived from the objects' apiVersion and kind, so a component that adds a kind (a
 * cert-manager Certificate) adds its check. Sorted by name.
 */
export function requiredDefinitions(objects: readonly KubernetesObject[]): RequiredDefinition[] {
  const found = new Map<string, { group: string; kinds: Set<string> }>();
  for (const object of objects) {
    if (resourceClassFor(object.apiVersion, object.kind).typed) continue;
    const group = object.apiVersion.split('/')[0];
    const name = `${pluralOf(object.kind)}.${group}`;
    const entry = found.get(name) ?? { group, kinds: new Set<string>() };
    entry.kinds.add(`${object.apiVersion} ${object.kind}`);
    found.set(name, entry);
  }
  return [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, { group, kinds }]) => ({ name, kinds: [...kinds].sort(), install: CRD_PROVIDERS[group] ?? `the CRDs of the API group ${group}` }));
}

/**
 * Istio's sidecar injector webhook, as the istiod chart names it without a revision
 * (istio/istio manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml):
 * `istio-sidecar-injector`, suffixed with the namespace outside `istio-system`.
 */
export function injectorWebhookName(istioNamespace: string): string {
  return istioNamespace === 'istio-system' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${istioNamespace}`;
}

export interface PrerequisitesArgs {
  /** The CRDs to look up. */
  readonly definitions: readonly RequiredDefinition[];
  /**
   * Istio's sidecar injector webhook to look up: workloads started before it exists run without a sidecar.
   * @default - not looked up
   */
  readonly injectorWebhook?: string;
}

/**
 * Looks up, in the cluster, what the stack's objects need but do not own (`get`, which reads and
 * never changes anything). A lookup runs in `pulumi preview` as in `pulumi up`, and every object
 * depends on this component, so a missing CRD fails the preview before anything is registered
 * instead of failing the update halfway.
 */
export class Prerequisites extends pulumi.ComponentResource {
  public readonly lookups: readonly pulumi.CustomResource[];

  constructor(name: string, args: PrerequisitesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('suoke:platform:Prerequisites', name, {}, opts);
    for (const definition of args.definitions) {
      pulumi.log.info(`needs CRD ${definition.name} (for ${definition.kinds.join(', ')}); if it is missing, install ${definition.install}`, this);
    }
    const crd = (definitionName: string) => resourceNameOf({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: definitionName } });
    this.lookups = [
      ...args.definitions.map((d) => k8s.apiextensions.v1.CustomResourceDefinition.get(crd(d.name), d.name, { parent: this })),
      ...(args.injectorWebhook
        ? [
            k8s.admissionregistration.v1.MutatingWebhookConfiguration.get(
              resourceNameOf({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: args.injectorWebhook } }),
              args.injectorWebhook,
              { parent: this },
            ),
          ]
        : []),
    ];
    this.registerOutputs({ checked: this.lookups.length });
  }
}
