import { describe as suite, expect, it } from 'vitest';
import { POLICY_EXCEPTION_PREFIX } from '../../components/common';
import { allObjects, describe, ENVIRONMENTS, objectsOf } from '../support/platform';
import { ObjectIndex, type K8sObject } from './object-index';
import { SECURITY_RULES } from './security-rules';

/** Rule ids an object declares exceptions for, with the reasons (components/common/policy-exception.ts). */
function declaredExceptions(object: K8sObject): Map<string, string> {
  return new Map(
    Object.entries<string>(object.metadata?.annotations ?? {})
      .filter(([key]) => key.startsWith(POLICY_EXCEPTION_PREFIX))
      .map(([key, reason]) => [key.slice(POLICY_EXCEPTION_PREFIX.length).toUpperCase(), reason]),
  );
}

suite('SECURITY.md over every synthesized object', () => {
  it('checks every object of every environment', () => {
    const counts = ENVIRONMENTS.map((env) => objectsOf(env).length);
    expect(counts.every((n) => n > 0)).toBe(true);
  });

  for (const environment of ENVIRONMENTS) {
    it(`${environment}: no violations beyond the declared exceptions, and no stale exception`, () => {
      const objects = objectsOf(environment);
      const index = new ObjectIndex(objects);
      const violations: string[] = [];
      const staleExceptions: string[] = [];
      for (const o of objects) {
        const exceptions = declaredExceptions(o.object);
        for (const rule of SECURITY_RULES) {
          const problems = rule.check(o.object, index, environment);
          if (exceptions.has(rule.id)) {
            if (problems.length === 0) staleExceptions.push(`${describe(o)}: declares an exception to ${rule.id} it does not need`);
            continue;
          }
          violations.push(...problems.map((p) => `${rule.id} ${describe(o)}: ${p}`));
        }
        for (const id of exceptions.keys()) {
          if (!SECURITY_RULES.some((r) => r.id === id)) staleExceptions.push(`${describe(o)}: exception to unknown rule ${id}`);
        }
      }
      expect(violations).toEqual([]);
      expect(staleExceptions).toEqual([]);
    });
  }

  it('every declared exception carries a reason', () => {
    for (const o of allObjects()) {
      for (const [id, reason] of declaredExceptions(o.object)) expect(reason.length, `${describe(o)} ${id}`).toBeGreaterThan(20);
    }
  });
});

suite('the rules catch what they guard against', () => {
  /** A Deployment that breaks every pod rule at once, in prod, with an HPA and a public Service. */
  function brokenPlatform() {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'bad' } },
        template: {
          metadata: { labels: { app: 'bad' } },
          spec: {
            hostNetwork: true,
            securityContext: { runAsUser: 0 },
            volumes: [{ name: 'root', hostPath: { path: '/' } }],
            containers: [
              {
                name: 'bad',
                image: 'nginx',
                env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
                ports: [{ containerPort: 80, hostPort: 80 }],
                securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
              },
            ],
          },
        },
      },
    };
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'bad', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'bad' }, minReplicas: 1, maxReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'other', namespace: 'default' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'other' } } } };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'nothing' }, ports: [{ port: 8001 }] } };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'bad' }, rules: [{ apiGroups: ['*'], resources: ['secrets', 'pods/exec'], verbs: ['get', 'escalate'] }] };
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bad', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad', namespace: 'default' }, stringData: { password: 'hunter2' } };
    // a collector with batch before memory_limiter, a receiver on 0.0.0.0, zpages on, no GOMEMLIMIT.
    const collectorConfig = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bad-collector', namespace: 'default' },
      data: {
        'config.yaml': 'extensions: { zpages: {} }\nreceivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" } } } }\nservice: { pipelines: { traces: { receivers: [otlp], processors: [batch, memory_limiter], exporters: [debug] } } }\n',
      },
    };
    const collector = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad-collector', namespace: 'default' },
      spec: { template: { spec: { containers: [{ name: 'otel', image: 'otel/opentelemetry-collector-contrib:0.130.0', resources: { limits: { memory: '1Gi' } } }], volumes: [{ name: 'config', configMap: { name: 'bad-collector' } }] } } },
    };
    // Loki without retention, without a PVC, behind a LoadBalancer.
    const lokiLabels = { 'app.kubernetes.io/name': 'loki' };
    const lokiConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loki', namespace: 'default', labels: lokiLabels }, data: { 'config.yaml': 'auth_enabled: false\n' } };
    const loki = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'loki', namespace: 'default', labels: lokiLabels }, spec: { template: { spec: { containers: [{ name: 'loki', image: 'grafana/loki:3.5.0' }] } } } };
    const lokiService = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'loki', namespace: 'default', labels: lokiLabels }, spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 3100 }] } };
    return [deployment, hpa, pdb, service, role, namespace, secret, collectorConfig, collector, lokiConfig, loki, lokiService].map((object) => ({ environment: 'prod' as const, file: 'prod/bad.yaml', object }));
  }

  it('every rule fires on the broken platform', () => {
    const objects = brokenPlatform();
    const index = new ObjectIndex(objects);
    const fired = new Set(SECURITY_RULES.filter((rule) => objects.some((o) => rule.check(o.object, index, 'prod').length > 0)).map((r) => r.id));
    expect([...fired].sort()).toEqual(SECURITY_RULES.map((r) => r.id).sort());
  });

  it('names the field that is wrong', () => {
    const objects = brokenPlatform();
    const index = new ObjectIndex(objects);
    const rule = (id: string) => SECURITY_RULES.find((r) => r.id === id)!;
    const deployment = objects[0].object;
    expect(rule('P5').check(deployment, index, 'prod')).toEqual(['container bad: capabilities.drop lacks ALL']);
    expect(rule('P9').check(deployment, index, 'prod')).toEqual(['volume root is hostPath']);
    expect(rule('P12').check(deployment, index, 'prod')).toEqual(['container bad: image nginx has no tag']);
    expect(rule('P16').check(deployment, index, 'prod')).toEqual(['container bad: literal value for DB_PASSWORD']);
    expect(rule('P18').check(objects[1].object, index, 'prod')).toEqual([
      'Deployment bad sets spec.replicas',
      'minReplicas 1 in prod',
      'maxReplicas 1 is not above minReplicas 1',
      'container bad has no cpu request to scale on',
    ]);
    expect(rule('S4').check(objects[3].object, index, 'prod')).toEqual(['selects 0 workloads']);
    expect(rule('R4').check(objects[7].object, index, 'prod')).toEqual([
      'pipeline traces: memory_limiter is not first',
      'pipeline traces: no batch after memory_limiter',
      'receiver "endpoint":"0.0.0.0:4317" is not bound to ${env:MY_POD_IP}',
      'extension zpages is on',
      'Deployment bad-collector container otel: GOMEMLIMIT unset is not about 80 % of the memory limit',
    ]);
    expect(rule('R5').check(objects[9].object, index, 'prod')).toEqual(['limits_config.retention_period is not set', 'compactor.retention_enabled is not true']);
    expect(rule('R5').check(objects[10].object, index, 'prod')).toEqual(['no PersistentVolumeClaim for its data']);
    expect(rule('R5').check(objects[11].object, index, 'prod')).toEqual(['Service is LoadBalancer']);
  });
});
