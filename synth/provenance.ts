import { ApiObject, Chart } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { constructSource } from '../components/common/construct-source';

/**
 * Where a rendered object comes from, as the comment before its YAML document:
 * `construct: mesh/xiaoai-service/AuthorizationPolicy/Resource  (AuthorizationPolicy, components/mesh/authorization-policy.ts; in ServiceAccess, components/mesh/service-access.ts)`.
 * The construct path is the object's path in its environment's app. The class is the nearest
 * enclosing construct that is not a building block (an L1 `ApiObject`, `k8s.Kube*`, or a plain
 * `Construct` grouping), and the file is the module that defines it; when the component the chart
 * instantiated is another class (the one that decided the object's rules or settings), it follows
 * after `in`.
 */
export function provenanceComment(object: ApiObject): string {
  const builders = object.node.scopes.filter((scope) => !isBuildingBlock(scope) && !Chart.isChart(scope) && scope.node.scope !== undefined);
  const [component, builder] = [builders[0], builders[builders.length - 1]];
  const named = (scope: IConstruct) => `${scope.constructor.name}, ${sourceOf(scope, object)}`;
  return `construct: ${object.node.path}  (${named(builder)}${component === builder ? '' : `; in ${named(component)}`})`;
}

function sourceOf(scope: IConstruct, object: ApiObject): string {
  const source = constructSource(scope.constructor);
  if (source === undefined) {
    throw new Error(
      `construct class ${scope.constructor.name} (at ${scope.node.path || 'the app'}) builds ${object.node.path} but does not name its module; ` +
        'add `public static readonly sourceFile = __filename;` to the class',
    );
  }
  return source;
}

function isBuildingBlock(scope: IConstruct): boolean {
  return ApiObject.isApiObject(scope) || scope.constructor === Construct;
}
