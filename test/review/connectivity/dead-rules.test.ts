import { describe, expect, it } from 'vitest';
import { analyseConnectivity, formatFindings, type KubeObject, type RequiredConnection } from '../../../review/connectivity';
import { MESH, authorizationPolicy, namespace, networkPolicy, outside, pods, serviceEntry } from './builders';

const BASE: KubeObject[] = [namespace('m', { 'istio-injection': 'enabled' }), namespace('empty'), pods('m', 'api', { serviceAccountName: 'api' })];
const dead = (objects: KubeObject[], required: RequiredConnection[] = [], out = [outside('monitoring', 'prometheus')]) =>
  analyseConnectivity({ objects: [...BASE, ...objects], outsideWorkloads: out, required, mesh: MESH }).deadRules;

describe('dead rules', () => {
  it('flags a NetworkPolicy podSelector that selects nothing, an empty one in a namespace without workloads included', () => {
    expect(dead([networkPolicy('m', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [] })])).toEqual([]);
    expect(dead([networkPolicy('m', 'typo', { podSelector: { matchLabels: { app: 'apj' } } }), networkPolicy('empty', 'default-deny', { podSelector: {} })])).toEqual([
      { policy: 'NetworkPolicy/empty/default-deny', path: 'spec.podSelector', message: 'selects no workload in namespace empty' },
      { policy: 'NetworkPolicy/m/typo', path: 'spec.podSelector', message: 'selects no workload in namespace m' },
    ]);
  });

  it('flags each non-ipBlock peer that selects no workload, outside workloads counting', () => {
    const policy = networkPolicy('m', 'api', {
      podSelector: {},
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'grafana' } } },
            { ipBlock: { cidr: '10.0.0.0/8' } },
          ],
        },
      ],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }, { podSelector: { matchLabels: { app: 'redis' } } }] }],
    });
    expect(dead([policy])).toEqual([
      { policy: 'NetworkPolicy/m/api', path: 'spec.egress[0].to[1]', message: 'peer {"podSelector":{"matchLabels":{"app":"redis"}}} selects no workload' },
      {
        policy: 'NetworkPolicy/m/api',
        path: 'spec.ingress[0].from[1]',
        message: 'peer {"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}},"podSelector":{"matchLabels":{"app":"grafana"}}} selects no workload',
      },
    ]);
  });

  it('flags an AuthorizationPolicy selector applying to no meshed workload', () => {
    expect(dead([authorizationPolicy('m', 'api', { selector: { matchLabels: { app: 'api' } } }), authorizationPolicy('istio-system', 'mesh', {})])).toEqual([]);
    expect(dead([authorizationPolicy('m', 'gone', { selector: { matchLabels: { app: 'gone' } } }), authorizationPolicy('empty', 'allow-nothing', {})])).toEqual([
      { policy: 'AuthorizationPolicy/empty/allow-nothing', path: 'spec.selector', message: 'applies to no meshed workload in namespace empty' },
      { policy: 'AuthorizationPolicy/m/gone', path: 'spec.selector', message: 'applies to no meshed workload in namespace m' },
    ]);
  });

  it('flags a principal in an ALLOW or DENY rule that belongs to no workload', () => {
    const rules = [{ from: [{ source: { principals: ['cluster.local/ns/m/sa/api', 'cluster.local/ns/m/sa/ghost', 'cluster.local/ns/m/*'] } }] }];
    expect(dead([authorizationPolicy('m', 'api', { selector: { matchLabels: { app: 'api' } }, rules }), authorizationPolicy('m', 'deny', { action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['cluster.local/ns/x/sa/y'] } }] }] })])).toEqual([
      { policy: 'AuthorizationPolicy/m/api', path: 'spec.rules[0].from[0].source.principals[1]', message: 'principal cluster.local/ns/m/sa/ghost belongs to no workload' },
      { policy: 'AuthorizationPolicy/m/deny', path: 'spec.rules[0].from[0].source.notPrincipals[0]', message: 'principal cluster.local/ns/x/sa/y belongs to no workload' },
    ]);
  });

  it('flags a ServiceEntry no required connection uses', () => {
    const entry = serviceEntry('m', 'es', { hosts: ['es.example.com'], ports: [{ number: 9200, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' });
    const uses: RequiredConnection = { from: 'm/api', to: { external: { host: 'es.example.com', port: 9200, protocol: 'TCP', cidrs: [] } }, port: 9200, protocol: 'TCP', reason: 'api stores' };
    expect(dead([entry], [uses])).toEqual([]);
    expect(dead([entry])).toEqual([{ policy: 'ServiceEntry/m/es', path: 'spec.hosts', message: 'serves no required connection (hosts ["es.example.com"])' }]);
    const report = analyseConnectivity({ objects: [...BASE, entry], outsideWorkloads: [], required: [], mesh: MESH });
    expect(formatFindings(report)).toEqual(['dead rule: ServiceEntry/m/es spec.hosts: serves no required connection (hosts ["es.example.com"]); fix: correct the selector or remove the rule']);
  });
});
