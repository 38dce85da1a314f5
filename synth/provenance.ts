import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { constructSource } from '../components/common/construct-source';

/**
 * Where a rendered object comes from, as the comment before its YAML document:
 * `construct: data/redis-cluster/StatefulSet  (RedisCluster, components/data/redis-cluster.ts)`.
 * The construct path is the object's path in its environment's app; the class is the nearest
 * enclosing construct that is not a building block (an L1 `ApiObject`, `k8s.Kube*`, or a plain
 * `Construct` grouping), and the file is the module that defines it.
 */
export function provenanceComment(object: ApiObject): string {
  const builder = [...object.node.scopes].reverse().find((scope) => !isBuildingBlock(scope))!;
  const source = constructSource(builder.constructor);
  if (source === undefined) {
    throw new Error(
      `construct class ${builder.constructor.name} (at ${builder.node.path || 'the app'}) builds ${object.node.path} but does not name its module; ` +
        'add `public static readonly sourceFile = __filename;` to the class',
    );
  }
  return `construct: ${object.node.path}  (${builder.constructor.name}, ${source})`;
}

function isBuildingBlock(scope: IConstruct): boolean {
  return ApiObject.isApiObject(scope) || scope.constructor === Construct;
}
