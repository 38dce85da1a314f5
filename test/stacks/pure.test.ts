import { describe, expect, it } from 'vitest';
import { resourceClassFor, resourceNameOf } from '../../stacks/kubernetes-resource';
import { referencedSecrets } from '../../stacks/referenced-secrets';
import * as k8s from '@pulumi/kubernetes';
import { assertExistingSecrets } from '../../stacks/platform-secrets';
import { AWAIT_GRACE_SECONDS, resourceOptionsFor } from '../../stacks/resource-options';

describe('resourceClassFor', () => {
  it('uses the typed class where @pulumi/kubernetes has the kind', () => {
    expect(resourceClassFor('apps/v1', 'Deployment')).toEqual({ typed: true, create: k8s.apps.v1.Deployment });
    expect(resourceClassFor('v1', 'ConfigMap')).toEqual({ typed: true, create: k8s.core.v1.ConfigMap });
    expect(resourceClassFor('networking.k8s.io/v1', 'NetworkPolicy')).toEqual({ typed: true, create: k8s.networking.v1.NetworkPolicy });
    expect(resourceClassFor('autoscaling/v2', 'HorizontalPodAutoscaler')).toEqual({ typed: true, create: k8s.autoscaling.v2.HorizontalPodAutoscaler });
  });

  it('falls back to CustomResource for custom kinds', () => {
    expect(resourceClassFor('security.istio.io/v1', 'AuthorizationPolicy')).toEqual({ typed: false, create: k8s.apiextensions.CustomResource });
    expect(resourceClassFor('monitoring.coreos.com/v1', 'PrometheusRule').typed).toBe(false);
  });
});

describe('resourceNameOf', () => {
  it('is kind/namespace/name, or kind/name when cluster-scoped', () => {
    expect(resourceNameOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'ns' } })).toBe('Deployment/ns/x');
    expect(resourceNameOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } })).toBe('Namespace/ns');
  });
});

describe('referencedSecrets', () => {
  it('finds env, envFrom, volume and projected references, per namespace, sorted', () => {
    const pod = (namespace: string, spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', namespace }, spec: { template: { spec } } });
    const objects = [
      pod('b', { containers: [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }], envFrom: [{ secretRef: { name: 'whole' } }] }] }),
      pod('a', { volumes: [{ name: 'v', secret: { secretName: 'tls', items: [{ key: 'crt', path: 'c' }] } }, { name: 'p', projected: { sources: [{ secret: { name: 'proj', items: [{ key: 'k', path: 'k' }] } }] } }] }),
      pod('b', { containers: [{ env: [{ name: 'B', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }] }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' }, data: { secret: 'not a reference' } },
    ];
    expect(referencedSecrets(objects)).toEqual([
      { namespace: 'a', name: 'proj', keys: ['k'] },
      { namespace: 'a', name: 'tls', keys: ['crt'] },
      { namespace: 'b', name: 'db', keys: ['password', 'url'] },
      { namespace: 'b', name: 'whole', keys: [] },
    ]);
  });

  it('leaves out the Secret a cert-manager Certificate writes, in its namespace only; an existing TLS Secret is still derived', () => {
    const kong = (namespace: string, secretName: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kong', namespace },
      spec: { template: { spec: { volumes: [{ name: 'tls', secret: { secretName, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } }] } } },
    });
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'api', namespace: 'a' }, spec: { secretName: 'api-tls' } };
    expect(referencedSecrets([certificate, kong('a', 'api-tls'), kong('b', 'api-tls'), kong('c', 'bought-tls')])).toEqual([
      { namespace: 'b', name: 'api-tls', keys: ['tls.crt', 'tls.key'] },
      { namespace: 'c', name: 'bought-tls', keys: ['tls.crt', 'tls.key'] },
    ]);
  });
});

describe('resourceOptionsFor', () => {
  const object = (kind: string, spec: Record<string, unknown> = {}) => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'x', namespace: 'ns' }, spec });

  it("waits as long as the object's own deadline plus a grace, for Jobs and Deployments that set one", () => {
    expect(resourceOptionsFor(object('Job', { activeDeadlineSeconds: 900 }))).toEqual({ customTimeouts: { create: `${900 + AWAIT_GRACE_SECONDS}s`, update: `${900 + AWAIT_GRACE_SECONDS}s` } });
    expect(resourceOptionsFor(object('Deployment', { progressDeadlineSeconds: 300 }))).toEqual({ customTimeouts: { create: `${300 + AWAIT_GRACE_SECONDS}s`, update: `${300 + AWAIT_GRACE_SECONDS}s` } });
    expect(resourceOptionsFor(object('Deployment'))).toEqual({});
  });

  it('retains Namespaces and StatefulSets with volume claim templates only', () => {
    expect(resourceOptionsFor({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } })).toEqual({ retainOnDelete: true });
    expect(resourceOptionsFor(object('StatefulSet', { volumeClaimTemplates: [{ metadata: { name: 'data' } }] }))).toEqual({ retainOnDelete: true });
    expect(resourceOptionsFor(object('StatefulSet', { volumeClaimTemplates: [] }))).toEqual({});
    expect(resourceOptionsFor(object('Deployment'))).toEqual({});
  });
});

describe('assertExistingSecrets', () => {
  const references = [
    { namespace: 'data', name: 'redis-auth', keys: ['password'] },
    { namespace: 'apps', name: 'redis-auth', keys: ['password'] },
    { namespace: 'apps', name: 'llm-secret', keys: ['api-key'] },
  ];

  it('refuses a bare name, which would match the Secret in every namespace, naming the entries to use', () => {
    expect(() => assertExistingSecrets(references, ['redis-auth'])).toThrow('existingSecrets[0] "redis-auth" must be <namespace>/<name>; use one of: data/redis-auth, apps/redis-auth');
    expect(() => assertExistingSecrets(references, ['data/llm-secret'])).toThrow('existingSecrets[0] "data/llm-secret" is no Secret the objects read; use one of: apps/llm-secret');
    expect(() => assertExistingSecrets(references, ['data/redis-auth', 'apps/llm-secret'])).not.toThrow();
  });
});
