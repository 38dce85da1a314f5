import { describe, expect, it } from 'vitest';
import { riskSummary } from '../../review/risk';
import { allowNothing, allowPolicy, find, kongConfig, NS, peerAuthentication, principal, prodObjects } from './fixtures';

const lookPolicy = (callers: string[]) =>
  allowPolicy('look-service', [{ principals: callers.map(principal), to: [{ methods: ['POST'], paths: ['/api/v1/diagnosis/*'] }] }]);

describe('riskSummary over fixture pairs', () => {
  it('is empty when nothing changed', () => {
    const objects = [...prodObjects(), lookPolicy(['xiaoai-service']), allowNothing(), peerAuthentication('STRICT')];
    expect(riskSummary(objects, structuredClone(objects))).toEqual([]);
  });

  it('an edge added: caller → callee with methods and paths', () => {
    const base = [...prodObjects(), allowNothing()];
    const head = [...prodObjects(), allowNothing(), allowPolicy('orders-service', [{ principals: [principal('api-gateway')], to: [{ methods: ['GET', 'POST'], paths: ['/api/v1/orders*'] }] }])];
    expect(riskSummary(base, head)).toEqual(['+ edge api-gateway → orders-service GET,POST /api/v1/orders*']);
  });

  it('an edge removed, and the default deny dropped', () => {
    const base = [...prodObjects(), allowNothing(), lookPolicy(['xiaoai-service', 'xiaoke-service'])];
    const head = [...prodObjects(), lookPolicy(['xiaoai-service'])];
    expect(riskSummary(base, head)).toEqual([
      '- edge xiaoke-service → look-service POST /api/v1/diagnosis/*',
      `! default deny removed: AuthorizationPolicy ${NS}/allow-nothing`,
    ]);
  });

  it('a public route added (Kong declarative config) and a Service made LoadBalancer', () => {
    const base = [...prodObjects(), kongConfig([{ service: 'xiaoai-service', path: '/api/v1/xiaoai', methods: ['GET', 'POST'] }])];
    const head = [...prodObjects(), kongConfig([
      { service: 'xiaoai-service', path: '/api/v1/xiaoai', methods: ['GET', 'POST'] },
      { service: 'orders-service', path: '/api/v1/orders', methods: ['POST', 'GET'] },
    ])];
    find(head, 'Service', 'user-service').spec.type = 'LoadBalancer';
    expect(riskSummary(base, head)).toEqual([
      `+ public Service ${NS}/user-service LoadBalancer ports http:8000 TLS: none`,
      `+ public route GET,POST /api/v1/orders → orders-service (ConfigMap ${NS}/kong-config)`,
    ]);
  });

  it('a security context relaxed, container and pod level', () => {
    const head = prodObjects();
    const pod = find(head, 'Deployment', 'auth-service').spec.template.spec;
    pod.containers[0].securityContext.allowPrivilegeEscalation = true;
    delete pod.containers[0].securityContext.readOnlyRootFilesystem;
    pod.containers[0].securityContext.capabilities.add = ['NET_ADMIN'];
    pod.hostNetwork = true;
    expect(riskSummary(prodObjects(), head)).toEqual([
      '! securityContext relaxed: Deployment auth-service hostNetwork (unset) → true',
      '! securityContext relaxed: Deployment auth-service container auth-service allowPrivilegeEscalation false → true',
      '! securityContext relaxed: Deployment auth-service container auth-service readOnlyRootFilesystem true → (unset)',
      '! securityContext relaxed: Deployment auth-service container auth-service capabilities.add (unset) → ["NET_ADMIN"]',
    ]);
  });

  it('a replica bump, with the capacity totals it moves', () => {
    const head = prodObjects();
    find(head, 'HorizontalPodAutoscaler', 'xiaoai-service').spec.maxReplicas = 12;
    // xiaoai-service requests 500m and 1Gi per pod: two more pods at max
    expect(riskSummary(prodObjects(), head)).toEqual([
      `~ replicas HorizontalPodAutoscaler ${NS}/xiaoai-service: maxReplicas 10 → 12`,
      '= requests at max replicas: cpu 25 → 26 (+1), memory 45Gi → 47Gi (+2Gi)',
    ]);
  });

  it('an image and a resource change', () => {
    const head = prodObjects();
    const container = find(head, 'Deployment', 'rag-service').spec.template.spec.containers[0];
    container.image = 'registry.suoke.life/suoke/rag-service:2.1.0';
    container.resources.requests.memory = '3Gi';
    expect(riskSummary(prodObjects(), head)).toEqual([
      `~ image Deployment ${NS}/rag-service container rag-service: registry.suoke.life/suoke/rag-service:2.0.1 → registry.suoke.life/suoke/rag-service:2.1.0`,
      `~ resources Deployment ${NS}/rag-service container rag-service: requests.memory 2Gi → 3Gi`,
      '= requests at min replicas: cpu 5 → 5 (±0), memory 9Gi → 11Gi (+2Gi)',
      '= requests at max replicas: cpu 25 → 25 (±0), memory 45Gi → 55Gi (+10Gi)',
    ]);
  });

  it('a renamed object: a replace reviewers must see', () => {
    const head = prodObjects();
    find(head, 'ConfigMap', 'xiaoai-service-config').metadata.name = 'xiaoai-service-settings';
    expect(riskSummary(prodObjects(), head)).toEqual([
      `! renamed (a replace: the old object is deleted): ConfigMap ${NS}/xiaoai-service-config → ConfigMap ${NS}/xiaoai-service-settings`,
    ]);
  });

  it('mTLS weakened, added and removed', () => {
    expect(riskSummary([peerAuthentication('STRICT')], [peerAuthentication('PERMISSIVE')])).toEqual([`! mTLS PeerAuthentication ${NS}/default spec.mtls.mode STRICT → PERMISSIVE`]);
    expect(riskSummary([peerAuthentication('STRICT')], [])).toEqual([`! mTLS PeerAuthentication ${NS}/default removed (was STRICT)`]);
    expect(riskSummary([], [peerAuthentication('STRICT')])).toEqual([`+ mTLS PeerAuthentication ${NS}/default STRICT`]);
  });
});
