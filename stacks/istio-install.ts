import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { IstioHelmValues } from '../components/mesh/istio-helm-values';

export interface IstioInstallArgs {
  /** From `istioHelmValues(model.istio)`: the same typed config as dist/<env>/istio/istio-operator.yaml. */
  readonly values: IstioHelmValues;
  /** Istio's root namespace. */
  readonly namespace: string;
  /** Install the ingress gateway chart (`model.istio.ingressGateway.enabled`). */
  readonly ingressGateway: boolean;
}

/** Istio's official chart repository. */
export const ISTIO_CHART_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/**
 * Installs Istio the way upstream supports since the in-cluster operator was removed (1.24): the
 * `base` (CRDs), `cni`, `istiod` and (when the catalog turns it on) `gateway` Helm charts, in that
 * order, at the pinned version.
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 */
export class IstioInstall extends pulumi.ComponentResource {
  public readonly releases: readonly k8s.helm.v3.Release[];
  /** The ingress gateway's Service (its release name, in the root namespace), when installed. */
  public readonly gatewayService?: string;

  constructor(name: string, args: IstioInstallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('suoke:mesh:IstioInstall', name, {}, opts);
    const gatewayName = String(args.values.gateway.name);
    const release = (chart: string, releaseName: string, values: Record<string, unknown>, dependsOn: pulumi.Resource[]) =>
      new k8s.helm.v3.Release(
        `${name}-${chart}`,
        {
          chart,
          name: releaseName,
          version: args.values.version,
          repositoryOpts: { repo: ISTIO_CHART_REPOSITORY },
          namespace: args.namespace,
          createNamespace: true,
          values,
          // a failed upgrade rolls back instead of leaving the mesh half-upgraded.
          atomic: true,
        },
        { parent: this, dependsOn },
      );
    const base = release('base', 'istio-base', args.values.base, []);
    const cni = release('cni', 'istio-cni', args.values.cni, [base]);
    const istiod = release('istiod', 'istiod', args.values.istiod, [base, cni]);
    // the ingress gateway is a second public LoadBalancer: installed only when the catalog turns
    // it on (platform.istio.ingressGateway.enabled), so Kong stays the one public entry.
    const gateway = args.ingressGateway ? [release('gateway', gatewayName, args.values.gateway, [istiod])] : [];
    this.releases = [base, cni, istiod, ...gateway];
    this.gatewayService = args.ingressGateway ? `${args.namespace}/${gatewayName}` : undefined;
    this.registerOutputs({ gatewayService: this.gatewayService ?? 'not installed' });
  }
}
