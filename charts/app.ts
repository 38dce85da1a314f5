import { App } from 'cdk8s';
import type { PlatformModel } from '../catalog';
import { DataChart } from './data';
import { GatewayChart } from './gateway';
import { IstioChart } from './istio';
import { MeshChart } from './mesh';
import { NamespacesChart } from './namespaces';
import { ObservabilityChart } from './observability';
import type { PlatformChart } from './platform-chart';
import { ServicesChart } from './services';

/** The cdk8s App of one environment, and its charts in the order they are applied. */
export interface PlatformApp {
  readonly app: App;
  readonly charts: readonly PlatformChart[];
}

/**
 * Builds every chart of one environment. Both outputs use this: `npm run synth` renders it to
 * dist/, the Pulumi program registers its objects.
 */
export function buildPlatformApp(model: PlatformModel): PlatformApp {
  // outdir is never written by cdk8s itself: synth/render.ts lays out dist/.
  const app = new App({ outdir: 'dist' });
  const namespaces = new NamespacesChart(app, model);
  const charts: PlatformChart[] = [
    namespaces,
    new GatewayChart(app, model),
    new ServicesChart(app, model),
    new DataChart(app, model),
    new ObservabilityChart(app, model),
  ];
  // mesh policy after the workloads it selects; the IstioOperator is istioctl input, not applied.
  charts.push(new MeshChart(app, model), new IstioChart(app, model));
  for (const chart of charts) {
    if (chart !== namespaces) chart.addDependency(namespaces);
  }
  return { app, charts };
}
