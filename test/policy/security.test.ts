import { describe as suite, expect, it } from 'vitest';
import { POLICY_EXCEPTION_PREFIX } from '../../components/common';
import { allObjects, describe, ENVIRONMENTS, objectsOf } from '../support/platform';
import { ObjectIndex, type K8sObject } from './object-index';
import { SECURITY_RULES } from './security-rules';
import { expectedWaivers } from './expected-waivers';

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

  for (const environment of ENVIRONMENTS) {
    it(`${environment}: the exceptions the objects declare are exactly the reviewed list (test/policy/expected-waivers.ts)`, () => {
      const declared = objectsOf(environment)
        .flatMap((o) => [...declaredExceptions(o.object).keys()].map((id) => `${id} ${o.object.kind} ${o.object.metadata.namespace ? `${o.object.metadata.namespace}/` : ''}${o.object.metadata.name}`))
        .sort();
      expect(declared).toEqual(expectedWaivers(environment));
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
    // mesh: PERMISSIVE mTLS, an ALLOW policy selecting nothing that admits anyone, names callers by
    // serviceAccounts and grants everything, an IstioOperator without CNI; the Deployment's
    // namespace has no allow-nothing, no STRICT mTLS and no default-deny NetworkPolicy.
    const peerAuthentication = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'default' }, spec: { mtls: { mode: 'PERMISSIVE' } } };
    const allowPolicy = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'bad', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'nothing' } }, action: 'ALLOW', rules: [{}, { from: [{ source: { serviceAccounts: ['default/bad'] } }] }, { from: [{ source: { principals: ['*'] } }] }] },
    };
    const operator = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'bad', namespace: 'istio-system' }, spec: { components: { cni: { enabled: false } } } };
    const publicPolicy = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'bad', namespace: 'default' }, spec: { action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] } };
    const kongConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kong', namespace: 'default' }, data: { 'kong.yml': '_format_version: "3.0"\nplugins:\n  - name: cors\n    config: { origins: ["*"], credentials: true }\n' } };
    const kong = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kong', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'kong' } },
        template: {
          metadata: { labels: { app: 'kong' } },
          spec: {
            volumes: [{ name: 'config', configMap: { name: 'kong' } }],
            containers: [{ name: 'kong', image: 'kong:3.9.1', env: [{ name: 'KONG_ADMIN_LISTEN', value: '0.0.0.0:8001' }, { name: 'KONG_DECLARATIVE_CONFIG', value: '/kong/kong.yml' }] }],
          },
        },
      },
    };
    const redisConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad-redis', namespace: 'default' }, data: { 'redis.conf': 'cluster-enabled yes\nprotected-mode no\nrequirepass hunter2\n' } };
    const consulConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad-consul', namespace: 'default' }, data: { 'server.json': JSON.stringify({ server: true, acl: { enabled: false }, encrypt: 'c2VjcmV0' }) } };
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
    return [deployment, hpa, pdb, service, role, namespace, secret, peerAuthentication, allowPolicy, operator, publicPolicy, kongConfig, kong, redisConfig, consulConfig, collectorConfig, collector, lokiConfig, loki, lokiService].map((object) => ({ environment: 'prod' as const, file: 'prod/bad.yaml', object }));
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
    expect(rule('M1').check(objects[7].object, index, 'prod')).toEqual(['mtls mode PERMISSIVE']);
    expect(rule('M1').check(deployment, index, 'prod')).toEqual(['no STRICT PeerAuthentication covers namespace default (mesh-wide in istio-system or namespace-wide)']);
    expect(rule('M2').check(deployment, index, 'prod')).toEqual(['namespace default has no allow-nothing AuthorizationPolicy (spec: {})']);
    expect(rule('M3').check(objects[8].object, index, 'prod')).toEqual([
      'selector selects 0 workloads',
      'rules[1] grants its callers every operation; list methods and paths',
      'rules[2] principal * is not cluster.local/ns/<ns>/sa/<sa>',
      'rules[2] grants its callers every operation; list methods and paths',
    ]);
    expect(rule('M4').check(objects[8].object, index, 'prod')).toEqual(['rules[0] has no from: it admits any caller', 'rules[1].from[0] names no principals', 'rules[2].from[0] has a * principal']);
    expect(rule('M6').check(deployment, index, 'prod')).toEqual(['namespace default has no default-deny NetworkPolicy', 'namespace default allows no DNS egress']);
    expect(rule('M7').check(objects[9].object, index, 'prod')).toEqual(['components.cni.enabled is not true: injected pods would need NET_ADMIN and NET_RAW']);
    expect(rule('M8').check(objects[8].object, index, 'prod')).toEqual(['rules[1].from[0] matches callers with serviceAccounts']);
    expect(rule('M4').check(objects[10].object, index, 'prod')).toEqual(['rules[0] has no from: it admits any caller']);
    expect(rule('R2').check(objects[12].object, index, 'prod')).toEqual([
      'KONG_DATABASE is not off',
      'KONG_ADMIN_LISTEN is 0.0.0.0:8001, not off or loopback',
      'KONG_ADMIN_GUI_LISTEN is unset (Kong listens by default), not off or loopback',
      'KONG_PLUGINS is unset (bundled), not exactly the plugins the config uses (cors)',
      'cors origins ["*"] are not an explicit list',
    ]);
    expect(rule('R1').check(objects[13].object, index, 'prod')).toEqual(['redis.conf: protected-mode is not yes', 'redis.conf: a password is written in the ConfigMap; read it from a Secret']);
    expect(rule('R3').check(objects[14].object, index, 'prod')).toEqual([
      'server.json: acl.enabled is not true',
      'server.json: acl.default_policy is not deny',
      'server.json: the gossip key is written in the ConfigMap; read it from a Secret',
    ]);
    expect(rule('R4').check(objects[15].object, index, 'prod')).toEqual([
      'pipeline traces: memory_limiter is not first',
      'pipeline traces: no batch after memory_limiter',
      'receiver "endpoint":"0.0.0.0:4317" is not bound to ${env:MY_POD_IP}',
      'extension zpages is on',
      'Deployment bad-collector container otel: GOMEMLIMIT unset is not about 80 % of the memory limit',
    ]);
    expect(rule('R5').check(objects[17].object, index, 'prod')).toEqual(['limits_config.retention_period is not set', 'compactor.retention_enabled is not true']);
    expect(rule('R5').check(objects[18].object, index, 'prod')).toEqual(['no PersistentVolumeClaim for its data']);
    expect(rule('R5').check(objects[19].object, index, 'prod')).toEqual(['Service is LoadBalancer']);
  });
});

suite('R1 and R3 apply to the real data components', () => {
  const objects = objectsOf('prod');
  const index = new ObjectIndex(objects);
  const rule = (id: string) => SECURITY_RULES.find((r) => r.id === id)!;
  const real = (kind: string, name: string) => objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)!.object;

  it('R1 sees the Redis StatefulSet, its bus policy and its client Service', () => {
    const sts = structuredClone(real('StatefulSet', 'redis-cluster'));
    delete sts.spec.volumeClaimTemplates;
    // every container: the exporter reads the same password Secret as the server.
    for (const container of sts.spec.template.spec.containers) container.env = [];
    expect(rule('R1').check(sts, index, 'prod')).toEqual(['data is not on a PersistentVolumeClaim', 'no password from a Secret (secretKeyRef)']);
    const policy = structuredClone(real('NetworkPolicy', 'redis-cluster'));
    policy.spec.ingress[0].ports.push({ port: 16379, protocol: 'TCP' });
    expect(rule('R1').check(policy, index, 'prod')).toEqual(['ingress[0] opens the cluster bus to peers other than the Redis pods']);
    const service = structuredClone(real('Service', 'redis-cluster'));
    service.spec.ports.push({ name: 'tcp-redis-bus', port: 16379 });
    expect(rule('R1').check(service, index, 'prod')).toEqual(['exposes the cluster bus 16379 on a non-headless Service']);
  });

  it('R3 sees the Consul StatefulSet: servers in prod and the PDB', () => {
    const sts = structuredClone(real('StatefulSet', 'consul-server'));
    sts.spec.replicas = 2;
    sts.spec.template.metadata.labels = { 'app.kubernetes.io/name': 'other' };
    expect(rule('R3').check(sts, index, 'prod')).toEqual(['2 servers in prod; run 3 or 5', 'no PodDisruptionBudget selects the servers']);
  });
});

suite('a canary is another track of one workload, never a second workload', () => {
  const rule = (id: string) => SECURITY_RULES.find((r) => r.id === id)!;
  const deployment = (name: string, app: string, instance: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps' },
    spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': instance } }, spec: { serviceAccountName: app, containers: [] } } },
  });
  const service = (selector: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'apps' }, spec: { selector } });
  const policy = (selector: Record<string, string>) => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'svc', namespace: 'apps' },
    spec: { selector: { matchLabels: selector }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/apps/sa/caller'] } }], to: [{ operation: { methods: ['GET'] } }] }] },
  });
  const index = (...objects: K8sObject[]) => new ObjectIndex(objects.map((object) => ({ environment: 'dev' as const, file: 'dev/x.yaml', object })));
  const serviceAccount = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'apps' } });

  it('S4 and M3 accept a selector over the stable and canary tracks of one app, P14 their shared identity', () => {
    const stable = deployment('knowledge', 'knowledge', 'demo');
    const canary = deployment('knowledge-canary', 'knowledge', 'demo-canary');
    const objects = index(stable, canary, serviceAccount('knowledge'));
    expect(rule('S4').check(service({ 'app.kubernetes.io/name': 'knowledge' }), objects, 'dev')).toEqual([]);
    expect(rule('M3').check(policy({ 'app.kubernetes.io/name': 'knowledge' }), objects, 'dev')).toEqual([]);
    expect(rule('P14').check(canary, objects, 'dev')).toEqual([]);
  });

  it('still fail a selector over two apps, and two apps sharing a ServiceAccount', () => {
    const a = deployment('a', 'a', 'demo');
    const b = { ...deployment('b', 'b', 'demo'), spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'b', 'app.kubernetes.io/instance': 'demo' } }, spec: { serviceAccountName: 'a', containers: [] } } } };
    const objects = index(a, b, serviceAccount('a'));
    expect(rule('S4').check(service({ 'app.kubernetes.io/instance': 'demo' }), objects, 'dev')).toEqual(['selects 2 workloads']);
    expect(rule('M3').check(policy({ 'app.kubernetes.io/instance': 'demo' }), objects, 'dev')).toEqual(['selector selects 2 workloads']);
    expect(rule('P14').check(b, objects, 'dev')).toEqual(['ServiceAccount a is shared with a']);
  });
});
