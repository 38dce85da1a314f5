import { describe, expect, it } from 'vitest';
import { diffObjects, diffValues } from '../../review/semantic-diff';
import { find, prodObjects } from './fixtures';

describe('diffObjects', () => {
  it('finds nothing between identical object sets', () => {
    expect(diffObjects(prodObjects(), prodObjects())).toEqual({ added: [], removed: [], renamed: [], changed: [] });
  });

  it('matches containers and env by name: an inserted variable is one change, not a shift', () => {
    const head = prodObjects();
    const container = find(head, 'Deployment', 'xiaoai-service').spec.template.spec.containers[0];
    container.env.unshift({ name: 'FEATURE_X', value: 'on' });
    container.image = 'registry.suoke.life/suoke/xiaoai-service:1.3.6';
    const diff = diffObjects(prodObjects(), head);
    expect(diff.changed.map((c) => c.key)).toEqual(['Deployment suoke-life-prod/xiaoai-service']);
    expect(diff.changed[0].changes).toEqual([
      { path: 'spec.template.spec.containers[name=xiaoai-service].env[name=FEATURE_X]', before: undefined, after: { name: 'FEATURE_X', value: 'on' } },
      { path: 'spec.template.spec.containers[name=xiaoai-service].image', before: 'registry.suoke.life/suoke/xiaoai-service:1.3.5', after: 'registry.suoke.life/suoke/xiaoai-service:1.3.6' },
    ]);
  });

  it('reports added and removed objects by key, and quotes label keys in paths', () => {
    const head = prodObjects().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'rag-service'));
    find(head, 'Deployment', 'rag-service').metadata.labels['app.kubernetes.io/version'] = '2.0.2';
    head.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'suoke-life-prod' }, data: {} });
    const diff = diffObjects(prodObjects(), head);
    expect(diff.added.map((o) => o.metadata.name)).toEqual(['extra']);
    expect(diff.removed.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['Service rag-service']);
    expect(diff.changed[0].changes.map((c) => c.path)).toEqual(['metadata.labels["app.kubernetes.io/version"]']);
  });

  it('pairs a removed and an added object with the same content under another name as a rename', () => {
    const head = prodObjects();
    const account = find(head, 'ServiceAccount', 'look-service');
    account.metadata.name = 'look-service-v2';
    account.metadata.labels['app.kubernetes.io/name'] = 'look-service-v2';
    const diff = diffObjects(prodObjects(), head);
    expect(diff.renamed.map((r) => `${r.from} → ${r.to}`)).toEqual(['ServiceAccount suoke-life-prod/look-service → ServiceAccount suoke-life-prod/look-service-v2']);
    expect([diff.added, diff.removed, diff.changed]).toEqual([[], [], []]);
  });
});

describe('diffValues', () => {
  it('compares lists of scalars whole, and unnamed object lists by content, never by position', () => {
    expect(diffValues({ a: ['x', 'y'] }, { a: ['y', 'x'] })).toEqual([{ path: 'a', before: ['x', 'y'], after: ['y', 'x'] }]);
    // one item replaced by one: that item changed, wherever it stands
    expect(diffValues([{ p: 1 }, { p: 2 }], [{ p: 3 }, { p: 1 }])).toEqual([{ path: '[*].p', before: 2, after: 3 }]);
    expect(diffValues([{ p: 1 }, { p: 2 }], [{ p: 3 }, { p: 4 }])).toEqual([
      { path: '[-]', before: { p: 1 }, after: undefined },
      { path: '[-]', before: { p: 2 }, after: undefined },
      { path: '[+]', before: undefined, after: { p: 3 } },
      { path: '[+]', before: undefined, after: { p: 4 } },
    ]);
    expect(diffValues({ principals: ['a', 'b', 'c'] }, { principals: ['a', 'b', 'c', 'd'] })).toEqual([{ path: 'principals[+]', before: undefined, after: ['d'] }]);
    expect(diffValues([{ p: 1 }, { p: 2 }], [{ p: 0 }, { p: 1 }, { p: 2 }])).toEqual([{ path: '[+]', before: undefined, after: { p: 0 } }]);
  });

  it('matches NetworkPolicy rules by peer: a new egress rule is one addition, not a shift of the rules after it', () => {
    const rule = (name: string, port: number) => ({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } }], ports: [{ port, protocol: 'TCP' }] });
    const before = { spec: { egress: [rule('consul-server', 8500), rule('redis-cluster', 6379)] } };
    const after = { spec: { egress: [rule('sleep-coach-service', 8000), rule('consul-server', 8500), rule('redis-cluster', 6380)] } };
    expect(diffValues(before, after)).toEqual([
      { path: 'spec.egress[to=redis-cluster].ports[*].port', before: 6379, after: 6380 },
      { path: 'spec.egress[to=sleep-coach-service]', before: undefined, after: rule('sleep-coach-service', 8000) },
    ]);
  });

  it('reports a reordering of a named list once', () => {
    expect(diffValues({ c: [{ name: 'a' }, { name: 'b' }] }, { c: [{ name: 'b' }, { name: 'a' }] })).toEqual([{ path: 'c', before: ['a', 'b'], after: ['b', 'a'] }]);
  });
});
