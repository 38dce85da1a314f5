import * as pulumi from '@pulumi/pulumi';
import { resourceClassFor, resourceNameOf, type KubernetesObject } from './kubernetes-resource';
import { resourceOptionsFor } from './resource-options';

export interface ChartResourcesArgs {
  /** The chart's objects, in the order dist/ lists them. */
  readonly objects: readonly KubernetesObject[];
}

/**
 * One synthesized chart as Pulumi resources: one resource per object, typed where
 * @pulumi/kubernetes has the kind, so `pulumi preview` reads like the `dist/<env>/<chart>/` folder.
 * Names are set (never auto-named), so a change to an object is an update of the same resource.
 */
export class ChartResources extends pulumi.ComponentResource {
  /** Each object's resource, by its Pulumi name (`<Kind>/<namespace>/<name>`). */
  public readonly resources: ReadonlyMap<string, pulumi.CustomResource>;

  constructor(name: string, args: ChartResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('suoke:platform:Chart', name, {}, opts);
    this.resources = new Map(
      args.objects.map((object) => {
        const { create } = resourceClassFor(object.apiVersion, object.kind);
        // retainOnDelete and customTimeouts come from the object itself (resource-options.ts).
        // the chart's dependsOn is repeated on every object: the engine records it per resource
        // (a child does not inherit its component's), so `pulumi destroy` and the graph know it.
        return [resourceNameOf(object), new create(resourceNameOf(object), object, { ...resourceOptionsFor(object), parent: this, dependsOn: opts?.dependsOn })] as const;
      }),
    );
    this.registerOutputs({ count: this.resources.size });
  }
}
