import * as pulumi from '@pulumi/pulumi';
import { resourceClassFor, resourceNameOf, type KubernetesObject } from './kubernetes-resource';

export interface ChartResourcesArgs {
  /** The chart's objects, in the order dist/ lists them. */
  readonly objects: readonly KubernetesObject[];
}

/**
 * One synthesized chart as Pulumi resources: one resource per object, typed where
 * @pulumi/kubernetes has the kind, so `pulumi preview` reads like the `dist/<env>/<chart>/` folder.
 */
export class ChartResources extends pulumi.ComponentResource {
  /** Each object's resource, by its Pulumi name (`<Kind>/<namespace>/<name>`). */
  public readonly resources: ReadonlyMap<string, pulumi.CustomResource>;

  constructor(name: string, args: ChartResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('suoke:platform:Chart', name, {}, opts);
    this.resources = new Map(
      args.objects.map((object) => {
        const { create } = resourceClassFor(object.apiVersion, object.kind);
        return [resourceNameOf(object), new create(resourceNameOf(object), object, { parent: this })] as const;
      }),
    );
    this.registerOutputs({ count: this.resources.size });
  }
}
