import type { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { standardLabels } from '../components/common';
import { IstioOperator } from '../components/mesh';
import { PlatformChart } from './platform-chart';

/**
 * The Istio installation as `istioctl` input: `dist/<env>/istio/istio-operator.yaml`. Not applied:
 * the cluster has no IstioOperator CRD; the Pulumi program installs Istio from its Helm charts with
 * `istioHelmValues(model.istio)`, the same typed config.
 */
export class IstioChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'istio', model, { applied: false });
    const name = `${model.platform.name}-istio`;
    new IstioOperator(this, 'istio-operator', {
      name,
      config: model.istio,
      labels: standardLabels({ name, instance: this.instance, component: 'mesh', partOf: model.platform.name, version: model.istio.version }),
    });
  }
}
