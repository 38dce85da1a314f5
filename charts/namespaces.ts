import type { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { PlatformNamespace, standardLabels } from '../components/common';
import { PlatformChart } from './platform-chart';

/** The platform's namespaces; every other chart depends on this one, so they exist first. */
export class NamespacesChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'namespaces', model);
    const { apps, data, observability } = model.namespaces;
    for (const name of [apps, data, observability].sort()) {
      new PlatformNamespace(this, name, {
        name,
        labels: standardLabels({ name, instance: this.instance, component: 'namespace', partOf: model.platform.name }),
      });
    }
  }
}
