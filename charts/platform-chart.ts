import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';

export interface PlatformChartProps {
  /**
   * Whether the cluster receives these objects. The IstioOperator, for one, is `istioctl` input
   * that is written to dist/ but never applied.
   * @default true
   */
  readonly applied?: boolean;
}

/**
 * A chart of one concern. Its id is its folder under `dist/<env>/`; every construct directly under
 * it becomes one file, named after the construct's id (a service or component name).
 */
export abstract class PlatformChart extends Chart {
  public readonly applied: boolean;
  /** Labels every object of the environment carries besides its own. */
  protected readonly instance: string;

  constructor(scope: Construct, id: string, protected readonly model: PlatformModel, props: PlatformChartProps = {}) {
    // readable names are set explicitly on every object, so cdk8s never hashes one.
    super(scope, id, { disableResourceNameHashes: true });
    this.applied = props.applied ?? true;
    this.instance = `${model.platform.name}-${model.environment}`;
  }
}
