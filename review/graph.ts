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

/** A Mermaid flowchart: one subgraph per layer, one arrow per caller → callee labelled with what is allowed. */
export function mermaid(graph: CallGraph): string {
  const lines = ['flowchart LR'];
  const layers = [...new Set(graph.nodes.map((n) => n.layer).filter((l): l is string => l !== undefined))].sort(compare);
  for (const layer of layers) {
    lines.push(`  subgraph ${id(`layer ${layer}`)}["${layer}"]`);
    for (const node of graph.nodes.filter((n) => n.layer === layer)) lines.push(`    ${id(node.name)}["${node.name}"]`);
    lines.push('  end');
  }
  for (const node of graph.nodes.filter((n) => n.layer === undefined)) lines.push(`  ${id(node.name)}["${node.name}"]`);
  if (graph.edges.some((e) => e.caller === ANY_CALLER)) lines.push(`  ${id('public')}(("public"))`);
  const pairs = new Map<string, AuthorizationEdge[]>();
  for (const edge of graph.edges) {
    const pair = `${edge.caller === ANY_CALLER ? 'public' : edge.caller}\u0000${edge.callee === ANY_CALLER ? `all in ${edge.namespace}` : edge.callee}`;
    pairs.set(pair, [...(pairs.get(pair) ?? []), edge]);
  }
  for (const [pair, edges] of [...pairs].sort(([a], [b]) => compare(a, b))) {
    const [from, to] = pair.split('\u0000');
    const label = edges.map(operationText).join('<br/>');
    lines.push(`  ${id(from)} -->|"${label.replace(/"/g, '#quot;')}"| ${id(to)}`);
  }
  return lines.join('\n');
}

/** `GET,POST /a,/b` or `any` for a rule without operations. */
export function operationText(edge: AuthorizationEdge): string {
  const parts = [edge.methods.join(','), edge.paths.join(','), edge.ports.length > 0 ? `port ${edge.ports.join(',')}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'any';
}

function id(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}
