import { ANY_CALLER, authorizationEdges, type AuthorizationEdge } from './authorization';
import { compare, podSpecOf, type K8sObject } from './objects';

/** A node of the call graph: a workload, with its layer. */
export interface GraphNode {
  readonly name: string;
  /** `app.kubernetes.io/component` of the workload; undefined for callers or callees without one. */
  readonly layer?: string;
}

export interface CallGraph {
  readonly nodes: readonly GraphNode[];
  /** Edges with callers resolved from service accounts to workload names. */
  readonly edges: readonly AuthorizationEdge[];
}

const NAME = 'app.kubernetes.io/name';
const COMPONENT = 'app.kubernetes.io/component';

/**
 * The call graph the mesh enforces: nodes are the pod-bearing workloads (named by
 * `app.kubernetes.io/name`, grouped by `app.kubernetes.io/component`), edges the AuthorizationPolicy
 * tuples with each caller's service account mapped to the workload that runs under it.
 */
export function callGraph(objects: readonly K8sObject[]): CallGraph {
  const workloads = objects.filter((o) => podSpecOf(o) && o.kind !== 'Job' && o.kind !== 'CronJob' && o.kind !== 'Pod');
  const byAccount = new Map<string, string>();
  const nodes = new Map<string, GraphNode>();
  for (const o of workloads) {
    const labels = o.spec?.template?.metadata?.labels ?? o.metadata?.labels ?? {};
    const name = labels[NAME] ?? o.metadata?.name;
    nodes.set(name, { name, ...(labels[COMPONENT] ? { layer: labels[COMPONENT] } : {}) });
    byAccount.set(`${o.metadata?.namespace}/${podSpecOf(o)?.serviceAccountName ?? 'default'}`, name);
  }
  const edges = authorizationEdges(objects).map((edge) => {
    const namespace = /\/ns\/([^/]+)\/sa\//.exec(edge.principal)?.[1];
    return { ...edge, caller: byAccount.get(`${namespace}/${edge.caller}`) ?? edge.caller };
  });
  for (const edge of edges) {
    for (const name of [edge.caller, edge.callee]) if (name !== ANY_CALLER && !nodes.has(name)) nodes.set(name, { name });
  }
  return { nodes: [...nodes.values()].sort((a, b) => compare(a.name, b.name)), edges };
}
