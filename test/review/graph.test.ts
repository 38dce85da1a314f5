import { describe, expect, it } from 'vitest';
import { authorizationEdges } from '../../review/authorization';
import { graphDocument } from '../../review/documents';
import { callGraph, mermaid } from '../../review/graph';
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

  it('draws every workload in its layer and one arrow per caller → callee', () => {
    const chart = mermaid(callGraph([...prodObjects(), ...policies()]));
    expect(chart).toContain('  subgraph layer_agents["agents"]\n    xiaoai_service["xiaoai-service"]\n  end\n');
    expect(chart).toContain('  subgraph layer_diagnosis["diagnosis"]\n    look_service["look-service"]\n  end\n');
    // no workload of the fixture runs as api-gateway or xiaoke-service: drawn outside the layers
    expect(chart).toContain('\n  api_gateway["api-gateway"]\n');
    expect(chart).toContain('\n  xiaoke_service["xiaoke-service"]\n');
    expect(chart.split('\n').filter((l) => l.includes('-->'))).toEqual([
      '  api_gateway -->|"GET,POST /api/v1/xiaoai,/api/v1/xiaoai/*"| xiaoai_service',
      '  xiaoai_service -->|"POST /api/v1/diagnosis/*"| look_service',
      '  xiaoai_service -->|"GET,POST /api/v1/search"| rag_service',
      '  xiaoke_service -->|"POST /api/v1/diagnosis/*"| look_service',
    ]);
  });

  it('GRAPH.md of every environment draws each workload once, grouped by its layer, even without edges', () => {
    for (const output of realPlatform()) {
      const objects = output.files.flatMap((f) => f.objects);
      const file = output.files.find((f) => f.path === `${output.environment}/GRAPH.md`);
      expect(file?.content).toBe(graphDocument(output.environment, objects));
      // workloads with a layer sit inside its subgraph (4 spaces), one node per app name
      const templates = objects
        .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
        .map((o) => o.spec.template.metadata.labels)
        .filter((l) => l['app.kubernetes.io/component']);
      const layers = new Set(templates.map((l) => l['app.kubernetes.io/component']));
      expect(file?.content.match(/^ {2}subgraph /gm)).toHaveLength(layers.size);
      expect(file?.content.match(/^ {4}\w+\["[a-z0-9-]+"\]$/gm)).toHaveLength(new Set(templates.map((l) => l['app.kubernetes.io/name'])).size);
      for (const layer of ['core', 'agents', 'diagnosis', 'support']) expect(file?.content).toContain(`subgraph layer_${layer}["${layer}"]`);
    }
  });
});
