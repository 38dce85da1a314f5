import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog';
import { authorizationEdges } from '../../review/authorization';
import { callGraph } from '../../review/graph';
import { graphPictures } from '../../review/graph-pictures';
import { flowchartProblems, mermaidBlocks } from '../support/mermaid-flowchart';
import { realPlatform } from '../support/platform';
import { allowNothing, allowPolicy, NS, principal, prodObjects } from './fixtures';

/** The call tuples a mesh chart would turn into policies: caller, callee, methods, paths. */
const TUPLES = [
  { caller: 'api-gateway', callee: 'xiaoai-service', methods: ['GET', 'POST'], paths: ['/api/v1/xiaoai', '/api/v1/xiaoai/*'] },
  { caller: 'xiaoai-service', callee: 'look-service', methods: ['POST'], paths: ['/api/v1/diagnosis/*'] },
  { caller: 'xiaoke-service', callee: 'look-service', methods: ['POST'], paths: ['/api/v1/diagnosis/*'] },
  { caller: 'xiaoai-service', callee: 'rag-service', methods: ['GET', 'POST'], paths: ['/api/v1/search'] },
];

/** One ALLOW policy per callee with one rule per caller, as SECURITY.md M3 asks. */
function policies() {
  const callees = [...new Set(TUPLES.map((t) => t.callee))];
  return callees.map((callee) =>
    allowPolicy(
      callee,
      TUPLES.filter((t) => t.callee === callee).map((t) => ({ principals: [principal(t.caller)], to: [{ methods: t.methods, paths: t.paths }] })),
    ),
  );
}

describe('call graph', () => {
  it('has exactly the policy tuples as edges, allow-nothing contributing none', () => {
    const edges = authorizationEdges([...policies(), allowNothing()]);
    const got = edges.map((e) => ({ caller: e.caller, callee: e.callee, methods: e.methods, paths: e.paths }));
    expect(new Set(got.map((e) => JSON.stringify(e)))).toEqual(new Set(TUPLES.map((t) => JSON.stringify(t))));
    expect(edges.every((e) => e.principal === principal(e.caller) && e.namespace === NS)).toBe(true);
  });

  it('reads a rule without `from` as a public entry', () => {
    const [edge] = authorizationEdges([allowPolicy('api-gateway', [{ to: [{ methods: ['GET'], paths: ['/health'] }] }])]);
    expect(edge).toMatchObject({ principal: '*', caller: '*', callee: 'api-gateway', methods: ['GET'], paths: ['/health'] });
  });

  it('draws every workload in its layer and one unlabelled arrow per caller → callee', () => {
    const { services } = graphPictures(callGraph([...prodObjects(), ...policies()]));
    expect(services).toContain('  subgraph layer_agents["agents"]\n    xiaoai_service["xiaoai-service"]\n  end\n');
    expect(services).toContain('  subgraph layer_diagnosis["diagnosis"]\n    look_service["look-service"]\n  end\n');
    // no workload of the fixture runs as api-gateway or xiaoke-service: drawn outside the layers
    expect(services).toContain('\n  api_gateway["api-gateway"]\n');
    expect(services).toContain('\n  xiaoke_service["xiaoke-service"]\n');
    expect(services.split('\n').filter((l) => l.includes('-->'))).toEqual([
      '  api_gateway --> xiaoai_service',
      '  xiaoai_service --> look_service',
      '  xiaoai_service --> rag_service',
      '  xiaoke_service --> look_service',
    ]);
    expect(flowchartProblems(services)).toEqual([]);
  });

  it('summarises platform dependencies and telemetry: one arrow per layer and component, counting its callers', () => {
    const collector = { ...allowPolicy('otel-collector', ['xiaoai-service', 'look-service', 'rag-service', 'auth-service'].map((sa) => ({ principals: [principal(sa)], to: [{ ports: ['4317'] }] }))) };
    const { services, platform } = graphPictures(callGraph([...prodObjects(), ...policies(), collector]));
    expect(services).not.toContain('otel_collector');
    expect(platform.split('\n').filter((l) => l.includes('-->'))).toEqual([
      '  services_agents -->|"1"| otel_collector',
      '  services_core -->|"1"| otel_collector',
      '  services_diagnosis -->|"1"| otel_collector',
      '  services_support -->|"1"| otel_collector',
    ]);
    expect(platform).toContain('  services_agents[["agents: 1 service"]]\n');
    expect(flowchartProblems(platform)).toEqual([]);
  });

  it('the flowchart check fails on what Mermaid rejects', () => {
    expect(flowchartProblems('graph LR\n  a["a"]')).toEqual(['line 1: expected "flowchart LR" (or TB, TD, RL, BT), got "graph LR"']);
    expect(flowchartProblems('flowchart LR\n  subgraph s["s"]\n  a["a "b""]\n  a --> c')).toEqual([
      'line 3: not a subgraph, end, node or edge statement: "a["a "b""]"',
      '1 subgraph(s) never closed with "end"',
      'line 4: edge to undeclared node "a"',
      'line 4: edge to undeclared node "c"',
    ]);
    expect(flowchartProblems('flowchart LR\n  end["x"]\n  end["x"]')).toEqual([
      'line 2: "end" is a Mermaid keyword and cannot be an id',
      'line 3: "end" is a Mermaid keyword and cannot be an id',
      'line 3: "end" is declared twice',
    ]);
  });

  it('GRAPH.md of every environment draws each workload once, grouped by its layer, even without edges, and exactly the catalog\'s calls', () => {
    // read from the catalog file, not from the policies the graph is drawn from.
    const calls = loadCatalog().document.services.flatMap((s) => (s.calls ?? []).map((call) => ({ caller: s.name, ...call })));
    const id = (name: string) => name.replace(/-/g, '_');
    for (const output of realPlatform()) {
      const objects = output.files.flatMap((f) => f.objects);
      const file = output.files.find((f) => f.path === `${output.environment}/GRAPH.md`);
      // workloads with a layer sit inside its subgraph (4 spaces), one node per app name
      const templates = objects
        .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
        .map((o) => o.spec.template.metadata.labels)
        .filter((l) => l['app.kubernetes.io/component']);
      const layers = new Set(templates.map((l) => l['app.kubernetes.io/component']));
      expect(new Set(file?.content.match(/^ {2}subgraph \w+/gm))).toEqual(new Set([...layers].map((l) => `  subgraph layer_${l}`)));
      expect(file?.content.match(/^ {4}\w+\["[a-z0-9-]+"\]$/gm)).toHaveLength(new Set(templates.map((l) => l['app.kubernetes.io/name'])).size);
      for (const layer of ['core', 'agents', 'diagnosis', 'support']) expect(file?.content).toContain(`subgraph layer_${layer}["${layer}"]`);
      // two pictures, each a well-formed flowchart; the platform one draws at most one arrow per (layer, component)
      const blocks = mermaidBlocks(file!.content);
      expect(blocks).toHaveLength(2);
      for (const block of blocks) expect(flowchartProblems(block)).toEqual([]);
      const fromLayers = blocks[1].split('\n').filter((l) => l.startsWith('  services_')).filter((l) => l.includes('-->'));
      expect(new Set(fromLayers.map((l) => l.replace(/\|"\d+"\| /, ''))).size).toBe(fromLayers.length);
      expect(blocks[0]).not.toMatch(/--> (otel_collector|redis_cluster|consul_server)$/m);
      expect(blocks[0].split('\n').filter((l) => l.includes('-->')).sort()).toEqual(calls.map((c) => `  ${id(c.caller)} --> ${id(c.service)}`).sort());
      for (const c of calls) {
        const paths = [...c.paths].sort().map((p) => `\`${p}\``).join(' ');
        expect(file?.content).toContain(`\n| ${c.caller} | ${c.service} | ${[...c.methods].sort().join(', ')} | ${paths} | `);
      }
    }
  });
});
