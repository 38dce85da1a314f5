import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../review/manifests';
import { callResilience, resilienceRisks, resilienceSection } from '../../review/resilience';
import { riskSummary } from '../../review/risk';

const load = (name: string) => parseManifests(readFileSync(`test/fixtures/diff/${name}.yaml`, 'utf8'), name);

/** What the resilience fixture pair loosens and removes, written out by hand. */
const FIXTURE_PAIR_RISKS = [
  '! resilience removed: VirtualService suoke-life-prod/auth-service route xiaoke-service (xiaoke-service → auth-service timeout 2s, 2 × 500ms on connect-failure,refused-stream,unavailable,cancelled,503)',
  '! resilience loosened: VirtualService suoke-life-prod/look-service route xiaoai-service (xiaoai-service → look-service): timeout 20s → 40s, retries.attempts 0 → 2',
  '! resilience removed: DestinationRule suoke-life-prod/auth-service (connection pool and outlier detection of auth-service)',
  '! resilience loosened: DestinationRule suoke-life-prod/look-service: outlierDetection.consecutive5xxErrors 5 → 20, outlierDetection.baseEjectionTime 30s → 5s',
];

describe('resilience in the review', () => {
  it('reports loosened and removed settings as risk, and nothing for tightened ones (fixture pair)', () => {
    expect(resilienceRisks(load('resilience-base'), load('resilience-head'))).toEqual(FIXTURE_PAIR_RISKS);
  });

  it('is part of the risk summary, and silent when nothing changed', () => {
    expect(riskSummary(load('resilience-base'), load('resilience-base'))).toEqual([]);
    // the fixture pair changes nothing but resilience settings: the summary is exactly their lines
    expect(riskSummary(load('resilience-base'), load('resilience-head'))).toEqual(FIXTURE_PAIR_RISKS);
  });

  it("reads each caller's route: methods, timeout, retries", () => {
    expect(callResilience(load('resilience-base')).filter((c) => c.callee === 'auth-service' && c.caller === 'api-gateway')).toEqual([
      { id: 'VirtualService suoke-life-prod/auth-service route api-gateway-not-retried', caller: 'api-gateway', callee: 'auth-service', methods: ['POST'], timeout: '10s', attempts: 0, perTryTimeout: undefined, retryOn: undefined },
      {
        id: 'VirtualService suoke-life-prod/auth-service route api-gateway-retried',
        caller: 'api-gateway',
        callee: 'auth-service',
        methods: ['DELETE', 'GET', 'PUT'],
        timeout: '10s',
        attempts: 2,
        perTryTimeout: '3s',
        retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503',
      },
    ]);
  });

  it('shows each service\'s ejection and each call\'s timeout in SUMMARY.md', () => {
    const section = resilienceSection(load('resilience-base'));
    expect(section).toContain('| look-service | 5 | 10s | 30s | 50 % | 100 | 64 | 2000 | ISTIO_MUTUAL |');
    expect(section).toContain('| xiaoai-service | look-service | POST | 20s | none |  |');
    expect(section).toContain('| api-gateway | auth-service | DELETE, GET, PUT | 10s | 2 × 3s on connect-failure,refused-stream,unavailable,cancelled,503 |  |');
  });
});

describe('workload selectors in the review', () => {
  it('a changed Deployment selector is a risk (immutable), an unchanged one is not', async () => {
    const { prodObjects, find } = await import('./fixtures');
    const head = prodObjects();
    find(head, 'Deployment', 'auth-service').spec.selector.matchLabels['app.kubernetes.io/instance'] = 'suoke-life-prod-canary';
    expect(riskSummary(prodObjects(), head).filter((l) => l.includes('selector'))).toEqual([
      '! selector changed (immutable: the update is rejected, the workload must be re-created): Deployment suoke-life-prod/auth-service {"matchLabels":{"app.kubernetes.io/instance":"suoke-life-prod","app.kubernetes.io/name":"auth-service"}} → {"matchLabels":{"app.kubernetes.io/instance":"suoke-life-prod-canary","app.kubernetes.io/name":"auth-service"}}',
    ]);
    expect(riskSummary(prodObjects(), prodObjects())).toEqual([]);
  });
});
