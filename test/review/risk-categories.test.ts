import { describe, expect, it } from 'vitest';
import { POLICY_EXCEPTION_PREFIX } from '../../components/common/policy-exception';
import type { K8sObject } from '../../review/objects';
import { assessChange, FINDING_CATEGORIES } from '../../review/risk';
import { find, NS, prodObjects } from './fixtures';

/**
 * A Kong DB-less config in a ConfigMap, the way components/gateway writes it: the public
 * health-data route with jwt, rate limits and a response-transformer, and global CORS.
 */
function kong(change: (config: K8sObject) => void = () => {}): K8sObject {
  const config: K8sObject = {
    _format_version: '3.0',
    services: [
      {
        name: 'health-data-service',
        url: `http://health-data-service.${NS}.svc.cluster.local:8000`,
        routes: [
          {
            name: 'health-data-service',
            hosts: ['api.suoke.life'],
            paths: ['~/api/v1/health$', '/api/v1/health/'],
            methods: ['GET', 'POST'],
            plugins: [
              { name: 'jwt', config: { claims_to_verify: ['exp'], key_claim_name: 'iss' } },
              { name: 'rate-limiting', config: { minute: 50, hour: 500, policy: 'redis' } },
              { name: 'response-transformer', config: { remove: { json: ['sensitive_data', 'personal_info'] } } },
            ],
          },
        ],
      },
    ],
    plugins: [{ name: 'cors', config: { origins: ['https://app.suoke.life', 'https://suoke.life'], credentials: true } }],
  };
  change(config);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-gateway-config', namespace: NS }, data: { 'kong.yml': JSON.stringify(config, null, 2) } };
}

const route = (c: K8sObject) => c.services[0].routes[0];
const ROUTE = `health-data-service (ConfigMap ${NS}/api-gateway-config)`;

describe('risk categories over fixture pairs', () => {
  it('is a list of data: id, title, severity, detector', () => {
    expect(FINDING_CATEGORIES.map((c) => `${c.severity} ${c.id}`)).toEqual([
      'risk call-graph',
      'risk mesh-security',
      'risk public-entries',
      'risk renamed',
      'risk security-context',
      'risk route-protection',
      'risk cors-origins',
      'risk security-waivers',
      'risk secret-references',
      'risk resilience',
      'risk selectors',
      'information public-entries-removed',
      'information images',
      'information replicas',
      'information resources',
      'information capacity',
    ]);
  });

  it('jwt removed from the public health-data route is a risk', () => {
    const head = kong((c) => route(c).plugins.splice(0, 1));
    expect(assessChange([kong()], [head])).toEqual({ risks: [`! route ${ROUTE}: plugin jwt removed`], information: [] });
  });

  it('rate limits raised or dropped are a risk; lowered are not', () => {
    const raised = kong((c) => Object.assign(route(c).plugins[1].config, { minute: 5000, hour: 400 }));
    expect(assessChange([kong()], [raised]).risks).toEqual([`! route ${ROUTE}: rate-limiting minute 50 → 5000`]);
    const dropped = kong((c) => delete route(c).plugins[1].config.hour);
    expect(assessChange([kong()], [dropped]).risks).toEqual([`! route ${ROUTE}: rate-limiting hour 500 → (unset)`]);
    const lowered = kong((c) => Object.assign(route(c).plugins[1].config, { minute: 10 }));
    expect(assessChange([kong()], [lowered]).risks).toEqual([]);
  });

  it('a response-transformer removed, or a field it stripped now passed through, is a risk', () => {
    const removed = kong((c) => route(c).plugins.splice(2, 1));
    expect(assessChange([kong()], [removed]).risks).toEqual([`! route ${ROUTE}: plugin response-transformer removed`]);
    const fewer = kong((c) => (route(c).plugins[2].config.remove.json = ['personal_info']));
    expect(assessChange([kong()], [fewer]).risks).toEqual([`! route ${ROUTE}: response-transformer no longer removes "sensitive_data"`]);
  });

  it('a CORS origin added is a risk; one removed is not', () => {
    const added = kong((c) => c.plugins[0].config.origins.push('https://attacker.example'));
    expect(assessChange([kong()], [added]).risks).toEqual([`! CORS origin added: https://attacker.example (ConfigMap ${NS}/api-gateway-config kong.yml)`]);
    const removed = kong((c) => c.plugins[0].config.origins.pop());
    expect(assessChange([kong()], [removed]).risks).toEqual([]);
  });

  it('a new public entry is a risk; a removed one is information', () => {
    const head = [...prodObjects()];
    find(head, 'Service', 'user-service').spec.type = 'LoadBalancer';
    expect(assessChange(prodObjects(), head).risks).toEqual([`+ public Service ${NS}/user-service LoadBalancer ports http:8000 TLS: none`]);
    expect(assessChange(head, prodObjects())).toEqual({ risks: [], information: [`- public Service ${NS}/user-service LoadBalancer ports http:8000 TLS: none`] });
  });

  it('a security waiver added or re-reasoned is a risk', () => {
    const head = prodObjects();
    find(head, 'Deployment', 'auth-service').metadata.annotations = { [`${POLICY_EXCEPTION_PREFIX}p7`]: 'writes its cache to the root filesystem' };
    expect(assessChange(prodObjects(), head).risks).toEqual([`! security waiver added: Deployment ${NS}/auth-service P7: writes its cache to the root filesystem`]);
    const again = prodObjects();
    find(again, 'Deployment', 'auth-service').metadata.annotations = { [`${POLICY_EXCEPTION_PREFIX}p7`]: 'another reason entirely' };
    expect(assessChange(head, again).risks).toEqual([`! security waiver changed: Deployment ${NS}/auth-service P7: another reason entirely`]);
  });

  it('a secret reference changed is a risk', () => {
    const head = prodObjects();
    const env = find(head, 'Deployment', 'auth-service').spec.template.spec.containers[0].env.find((e: K8sObject) => e.name === 'DATABASE_URL');
    env.valueFrom.secretKeyRef = { name: 'other-secret', key: 'url' };
    expect(assessChange(prodObjects(), head).risks).toEqual([
      `! secret reference Deployment ${NS}/auth-service container auth-service env DATABASE_URL: database-secret/auth-db-url → other-secret/url`,
    ]);
  });

  it('an image bump is information, not risk', () => {
    const head = prodObjects();
    find(head, 'Deployment', 'rag-service').spec.template.spec.containers[0].image = 'registry.suoke.life/suoke/rag-service:2.1.0';
    expect(assessChange(prodObjects(), head)).toEqual({
      risks: [],
      information: [`~ image Deployment ${NS}/rag-service container rag-service: registry.suoke.life/suoke/rag-service:2.0.1 → registry.suoke.life/suoke/rag-service:2.1.0`],
    });
  });
});
