import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, loadCatalog, resolve } from '../../catalog';
import { buildPlatformApp } from '../../charts/app';
import { renderEnvironment } from '../../synth/render';
import { graphDocument, summaryDocument } from '../../review/documents';
import { publicEndpoints, tlsSource } from '../../review/exposure';
import type { K8sObject } from '../../review/objects';
import { riskSummary } from '../../review/risk';
import { objectsOf } from '../support/platform';
import { ingressGatewayOn, runProgram, secretConfigFor, withIngressGateway, type Registered } from '../stacks/run-program';
import { clusterRun, environmentRun } from '../stacks/stack-fixtures';

const EXPOSED = ['LoadBalancer', 'NodePort'];

/**
 * What the Pulumi program opens to the outside, read from what it registers (not from the review
 * code): Services of type LoadBalancer or NodePort, and Helm releases whose values ask for one
 * (`service.type`, the Istio gateway chart's key). As `namespace/name type`.
 */
function openedEntries(registered: readonly Registered[]): string[] {
  return registered
    .flatMap((r) => {
      if (r.type === 'kubernetes:core/v1:Service' && EXPOSED.includes(r.inputs.spec?.type)) return [`${r.inputs.metadata.namespace}/${r.inputs.metadata.name} ${r.inputs.spec.type}`];
      if (r.type === 'kubernetes:helm.sh/v3:Release' && EXPOSED.includes(r.inputs.values?.service?.type)) return [`${r.inputs.namespace}/${r.inputs.name} ${r.inputs.values.service.type}`];
      return [];
    })
    .sort();
}

/** The bullet lines of one `## <title>` section of a generated Markdown document. */
function section(markdown: string, title: string): string[] {
  const body = markdown.split(`\n## ${title}\n`)[1]?.split('\n## ')[0] ?? '';
  return body.split('\n').filter((line) => line.startsWith('- '));
}

/** Every opened entry is listed, with its TLS source, in SUMMARY.md and GRAPH.md, and nothing else is listed as an entry. */
function expectListed(opened: readonly string[], summary: string, graph: string) {
  const entries = section(graph, 'Public entries');
  const endpoints = section(summary, 'Public endpoints');
  for (const entry of opened) {
    const [service, type] = entry.split(' ');
    const listed = (line: string) => line.includes(`${service} ${type} ports `) && line.includes(' TLS: ');
    expect(entries.filter(listed), `GRAPH.md lists ${entry}`).toHaveLength(1);
    expect(endpoints.filter(listed), `SUMMARY.md lists ${entry}`).toHaveLength(1);
  }
  expect(entries).toHaveLength(opened.length);
}

describe('every public entry the platform opens is in the review outputs', () => {
  for (const environment of ENVIRONMENTS) {
    it(`${environment}: exactly one entry, Kong's LoadBalancer, listed with its certificate in the committed SUMMARY.md and GRAPH.md`, async () => {
      // what the environment's stack and the cluster stack (Istio's Helm releases) register, together.
      const registered = [...(await environmentRun(environment)).registered, ...(await clusterRun(environment)).registered];
      const opened = openedEntries(registered);
      expect(opened).toEqual([`suoke-life-${environment}/api-gateway LoadBalancer`]);
      const summary = readFileSync(`dist/${environment}/SUMMARY.md`, 'utf8');
      const graph = readFileSync(`dist/${environment}/GRAPH.md`, 'utf8');
      expectListed(opened, summary, graph);
      expect(section(graph, 'Public entries')).toEqual([
        `- \`Service suoke-life-${environment}/api-gateway LoadBalancer ports http:80,https:443 TLS: Certificate suoke-life-${environment}/api-gateway from ClusterIssuer letsencrypt-dns\``,
      ]);
    });
  }

  it('an ingress gateway the catalog turns on: its Helm release is listed in SUMMARY.md, GRAPH.md and the diff', async () => {
    // the turned-on catalog is not the reviewed dist/: allowUnreviewed lets the stacks build it.
    const registered = await withIngressGateway(async () => [
      ...(await runProgram('prod', { secrets: secretConfigFor('prod'), allowUnreviewed: true })).registered,
      ...(await runProgram('cluster', { meshEnvironment: 'prod', allowUnreviewed: true })).registered,
    ]);
    const opened = openedEntries(registered);
    expect(opened).toEqual(['istio-system/istio-ingressgateway LoadBalancer', 'suoke-life-prod/api-gateway LoadBalancer']);
    const base = objectsOf('prod').map((o) => o.object as K8sObject);
    const head = renderEnvironment('prod', buildPlatformApp(resolve(ingressGatewayOn(loadCatalog()), 'prod'))).flatMap((f) => f.objects as K8sObject[]);
    expectListed(opened, summaryDocument('prod', head), graphDocument('prod', head));
    expect(riskSummary(base, head).filter((line) => line.includes('public'))).toEqual([
      '+ public IstioOperator istio-system/suoke-life-istio ingress gateway Service istio-system/istio-ingressgateway LoadBalancer ports status-port:15021,http2:80,https:443 (Helm release gateway) TLS: none, it routes nothing until a Gateway names it',
    ]);
  });
});

describe('tlsSource', () => {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'n' }, spec: { type: 'LoadBalancer', selector: { app: 'edge' } } };
  const workload = (secretName: string, items = [{ key: 'tls.crt', path: 'tls.crt' }]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'edge', namespace: 'n' },
    spec: { template: { metadata: { labels: { app: 'edge', tier: 'x' } }, spec: { volumes: [{ name: 'tls', secret: { secretName, items } }, { name: 'cfg', configMap: { name: 'c' } }] } } },
  });
  const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'edge', namespace: 'n' }, spec: { secretName: 'edge-tls', issuerRef: { kind: 'Issuer', name: 'acme' } } };

  it('names the Certificate and its issuer when cert-manager writes the mounted Secret', () => {
    expect(tlsSource(service, [service, workload('edge-tls'), certificate])).toBe('Certificate n/edge from Issuer acme');
  });

  it('names an existing Secret holding tls.crt', () => {
    expect(tlsSource(service, [service, workload('bought-tls'), certificate])).toBe('existing Secret n/bought-tls');
  });

  it('says none when the selected pods mount no certificate, or the Service selects other pods', () => {
    expect(tlsSource(service, [service, workload('db-password', [{ key: 'password', path: 'p' }])])).toBe('none');
    expect(tlsSource({ ...service, spec: { ...service.spec, selector: { app: 'other' } } }, [workload('edge-tls'), certificate])).toBe('none');
    expect(publicEndpoints([service]).map((e) => e.text)).toEqual(['Service n/edge LoadBalancer ports  TLS: none']);
  });
});
