import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve } from '../../catalog';
import { outsideWorkloads, requiredConnections } from '../../review/connectivity/required-connections';
import { connectivityChanges } from '../../review/connectivity-diff';
import { meshSettings } from '../../review/connectivity/platform';
import { objectsOf } from '../support/platform';

type Obj = Record<string, any>;
const model = resolve(loadCatalog(), 'prod');
const context = { outside: outsideWorkloads(model), required: requiredConnections(model), mesh: meshSettings(model) };
const prod = (): Obj[] => objectsOf('prod').map((o) => structuredClone(o.object));

describe('connections opened and closed by a change (npm run diff risk lines)', () => {
  it('reports nothing for an unchanged platform', () => {
    expect(connectivityChanges(prod(), prod(), context)).toEqual([]);
  });

  it('a removed ServiceEntry closes Jaeger → Elasticsearch', () => {
    const head = prod().filter((o) => o.kind !== 'ServiceEntry');
    expect(connectivityChanges(prod(), head, context)).toEqual(['- connection suoke-observability-prod/jaeger → elasticsearch.suoke.life 9200/TCP']);
  });

  it('a caller admitted on a second port at every layer opens exactly that connection', () => {
    const head = prod();
    const named = (kind: string, name: string) => head.find((o) => o.kind === kind && o.metadata.namespace === 'suoke-life-prod' && o.metadata.name === name)!;
    named('NetworkPolicy', 'auth-service').spec.ingress.find((r: Obj) => r.from[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'user-service').ports.push({ port: 50052, protocol: 'TCP' });
    named('NetworkPolicy', 'user-service').spec.egress.find((r: Obj) => r.to[0].podSelector?.matchLabels['app.kubernetes.io/name'] === 'auth-service').ports.push({ port: 50052, protocol: 'TCP' });
    named('AuthorizationPolicy', 'auth-service').spec.rules.find((r: Obj) => r.from[0].source.principals[0].endsWith('/sa/user-service')).to[0].operation.ports.push('50052');
    expect(connectivityChanges(prod(), head, context)).toEqual(['+ connection suoke-life-prod/user-service → suoke-life-prod/auth-service 50052/TCP']);
  });
});
