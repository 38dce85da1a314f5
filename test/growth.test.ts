import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { POLICY_EXCEPTION_PREFIX } from '../components/common';
import { ENVIRONMENTS, parseCatalog } from '../catalog';
import { synthesize } from '../synth/synth';
import { ObjectIndex } from './policy/object-index';
import { SECURITY_RULES } from './policy/security-rules';
import { addService } from './support/add-service';
import { allowedTuples } from './support/mesh-graph';
import { flowchartProblems, mermaidBlocks } from './support/mermaid-flowchart';
import { describe, type SynthesizedObject } from './support/platform';
import { schemaValidator } from './support/schema-validator';

/**
 * The catalog grows: one service added to a copy exactly as README "Adding a service" says (entry,
 * caller, public route and the gateway's call), then the checks that depend on the catalog run on
 * what it synthesizes: catalog rules, schemas, SECURITY.md, the mesh grants, GRAPH.md.
 */
suite('a service added the README way passes every catalog-dependent check', () => {
  const grown = addService(readFileSync('catalog/platform.yaml', 'utf8'));
  const catalog = parseCatalog(grown.text, 'catalog/platform.yaml (copy with a new service)');
  const outputs = synthesize(catalog);
  const objects: SynthesizedObject[] = outputs.flatMap((output) =>
    output.files.flatMap((file) => file.objects.map((object) => ({ environment: output.environment, file: file.path, object }))),
  );

  it('writes the new service\'s files in every environment', () => {
    for (const env of ENVIRONMENTS) {
      const files = outputs.find((o) => o.environment === env)!.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining([`${env}/services/${grown.name}.yaml`, `${env}/mesh/${grown.name}.yaml`]));
    }
  });

  it('validates every object against its schema', () => {
    const validator = schemaValidator();
    expect(objects.flatMap((o) => validator.validate(o.object).map((e) => `${describe(o)}: ${e}`))).toEqual([]);
  });

  it('meets SECURITY.md beyond the declared exceptions', () => {
    const violations = ENVIRONMENTS.flatMap((env) => {
      const mine = objects.filter((o) => o.environment === env);
      const index = new ObjectIndex(mine);
      return mine.flatMap((o) => {
        const waived = Object.keys(o.object.metadata?.annotations ?? {}).filter((k) => k.startsWith(POLICY_EXCEPTION_PREFIX)).map((k) => k.slice(POLICY_EXCEPTION_PREFIX.length).toUpperCase());
        return SECURITY_RULES.filter((r) => !waived.includes(r.id)).flatMap((r) => r.check(o.object, index, env).map((p) => `${r.id} ${describe(o)}: ${p}`));
      });
    });
    expect(violations).toEqual([]);
  });

  it('admits exactly the new calls in the mesh: the caller and the gateway, by principal', () => {
    for (const env of ENVIRONMENTS) {
      const principal = (sa: string) => `cluster.local/ns/suoke-life-${env}/sa/${sa}`;
      const tuples = allowedTuples(objects.filter((o) => o.environment === env)).filter((t) => t.split(' ')[1] === grown.name);
      expect(tuples).toEqual([
        `${principal(grown.gateway)} ${grown.name} GET ${grown.path}`,
        `${principal(grown.gateway)} ${grown.name} GET ${grown.path}/*`,
        `${principal(grown.gateway)} ${grown.name} POST ${grown.path}`,
        `${principal(grown.gateway)} ${grown.name} POST ${grown.path}/*`,
        `${principal(grown.caller)} ${grown.name} POST ${grown.path}/*`,
      ].sort());
    }
  });

  it('draws GRAPH.md as well-formed flowcharts with the new service in its layer', () => {
    for (const output of outputs) {
      const graph = output.files.find((f) => f.path.endsWith('GRAPH.md'))!.content;
      for (const block of mermaidBlocks(graph)) expect(flowchartProblems(block)).toEqual([]);
      expect(graph).toContain(`    ${grown.name.replace(/-/g, '_')}["${grown.name}"]\n`);
    }
  });
});
