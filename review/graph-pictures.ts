import { LAYERS } from '../catalog/schema';
import { ANY_CALLER, type AuthorizationEdge } from './authorization';
import type { CallGraph, GraphNode } from './graph';
import { compare } from './objects';

/**
 * The call graph as two Mermaid flowcharts that read at pull-request width (about 1000 px):
 *
 * 1. **service calls**: the catalog's services in their layers (and the public entry), one
 *    unlabelled arrow per caller → callee; what each call may do is in the table under it;
 * 2. **platform dependencies and telemetry**: each service layer as one box, one arrow per layer
 *    → component labelled with how many of its services call it, plus the components' own calls.
 *
 * A member calling its own kind (the Redis cluster bus, Consul servers) is in the table only.
 */
export interface GraphPictures {
  readonly services: string;
  readonly platform: string;
}

const SERVICE_LAYERS: readonly string[] = LAYERS;
const PUBLIC = 'public';

export function graphPictures(graph: CallGraph): GraphPictures {
  const pairs = uniquePairs(graph.edges);
  const inServiceLayer = (name: string) => SERVICE_LAYERS.includes(layerOf(graph, name) ?? '');
  // the entries: what the public reaches, and a component that calls services (the API gateway)
  const entries = new Set([
    ...pairs.filter(([from]) => from === PUBLIC).map(([, to]) => to),
    ...pairs.filter(([from, to]) => layerOf(graph, from) !== undefined && !inServiceLayer(from) && inServiceLayer(to)).map(([from]) => from),
  ]);
  const core = (name: string) => name === PUBLIC || entries.has(name) || inServiceLayer(name);
  // a caller without a workload here (another namespace's, a fixture's) sits with the services it calls
  const unplaced = new Set(pairs.filter(([from, to]) => layerOf(graph, from) === undefined && !core(from) && core(to)).map(([from]) => from));
  const isService = (name: string) => core(name) || unplaced.has(name);
  return {
    services: servicePicture(graph, pairs.filter(([from, to]) => isService(from) && isService(to)), isService),
    platform: platformPicture(graph, pairs.filter(([from, to]) => !isService(to) || !isService(from)), isService),
  };
}

function servicePicture(graph: CallGraph, pairs: readonly (readonly [string, string])[], isService: (name: string) => boolean): string {
  const lines = ['flowchart LR'];
  const nodes = graph.nodes.filter((n) => isService(n.name));
  lines.push(...subgraphs(nodes, (n) => `${id(n.name)}["${n.name}"]`));
  if (pairs.some(([from]) => from === PUBLIC)) lines.push(`  ${id(PUBLIC)}(("public"))`);
  lines.push(...pairs.filter(([from, to]) => from !== to).map(([from, to]) => `  ${id(from)} --> ${id(to)}`));
  return lines.join('\n');
}

function platformPicture(graph: CallGraph, pairs: readonly (readonly [string, string])[], isService: (name: string) => boolean): string {
  const lines = ['flowchart LR'];
  // callers from the service side collapse into their layer's box
  const box = (name: string) => (isService(name) ? `services ${layerOf(graph, name) ?? 'entry'}` : name);
  const callers = new Map<string, Set<string>>();
  for (const [from, to] of pairs) {
    if (from === to) continue;
    const key = `${box(from)}\u0000${to}`;
    callers.set(key, new Set([...(callers.get(key) ?? []), from]));
  }
  const boxes = [...new Set([...callers.keys()].map((k) => k.split('\u0000')[0]).filter((b) => b.startsWith('services ')))].sort(compare);
  for (const b of boxes) {
    const members = graph.nodes.filter((n) => isService(n.name) && box(n.name) === b).length;
    lines.push(`  ${id(b)}[["${b.slice('services '.length)}: ${members} service${members === 1 ? '' : 's'}"]]`);
  }
  const components = graph.nodes.filter((n) => !isService(n.name) && [...callers.keys()].some((k) => k.split('\u0000').includes(n.name)));
  lines.push(...subgraphs(components, (n) => `${id(n.name)}["${n.name}"]`));
  for (const [key, from] of [...callers].sort(([a], [b]) => compare(a, b))) {
    const [source, target] = key.split('\u0000');
    lines.push(source.startsWith('services ') ? `  ${id(source)} -->|"${from.size}"| ${id(target)}` : `  ${id(source)} --> ${id(target)}`);
  }
  return lines.join('\n');
}

/** Nodes with a layer inside one subgraph per layer, the rest (callers outside the cluster) after them. */
function subgraphs(nodes: readonly GraphNode[], node: (n: GraphNode) => string): string[] {
  const lines: string[] = [];
  const layers = [...new Set(nodes.map((n) => n.layer).filter((l): l is string => l !== undefined))].sort(compare);
  for (const layer of layers) {
    lines.push(`  subgraph ${id(`layer ${layer}`)}["${layer}"]`);
    for (const n of nodes.filter((x) => x.layer === layer)) lines.push(`    ${node(n)}`);
    lines.push('  end');
  }
  for (const n of nodes.filter((x) => x.layer === undefined)) lines.push(`  ${node(n)}`);
  return lines;
}

/** Caller → callee pairs, once each, sorted; the public caller named `public`, namespace-wide callees `all in <ns>`. */
function uniquePairs(edges: readonly AuthorizationEdge[]): (readonly [string, string])[] {
  const seen = new Map<string, readonly [string, string]>();
  for (const e of edges) {
    const pair = [e.caller === ANY_CALLER ? PUBLIC : e.caller, e.callee === ANY_CALLER ? `all in ${e.namespace}` : e.callee] as const;
    seen.set(pair.join('\u0000'), pair);
  }
  return [...seen].sort(([a], [b]) => compare(a, b)).map(([, pair]) => pair);
}

function layerOf(graph: CallGraph, name: string): string | undefined {
  return graph.nodes.find((n) => n.name === name)?.layer;
}

function id(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}
