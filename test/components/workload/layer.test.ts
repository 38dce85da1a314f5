import { createHash } from 'node:crypto';
import { Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { k8s } from '../../../components/common/k8s';
import { ConfigFiles, dataClaimTemplate, hardenedContainer, hardenedPodTemplate, Probe, ReplicaScaling, servicePorts } from '../../../components/workload';

const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } };
// the objects as they reach YAML: the bindings' own serializers turn IntOrString and Quantity into plain values
const plain = (o: unknown) => JSON.parse(JSON.stringify(o));
const probe = (p: Probe) => plain(k8s.toJson_Probe(p.toKube()));
const container = (c: k8s.Container) => plain(k8s.toJson_Container(c));
const pod = (t: k8s.PodTemplateSpec) => plain(k8s.toJson_PodTemplateSpec(t));

describe('Probe', () => {
  it('http, tcp and exec with Durations, named ports, and the defaults written out', () => {
    expect(probe(Probe.http('/ready', 'http', { period: Duration.seconds(5) }))).toEqual({
      httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
      periodSeconds: 5,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
    expect(probe(Probe.tcp('redis', { period: Duration.seconds(10), timeout: Duration.seconds(5), failureThreshold: 6 }))).toEqual({
      tcpSocket: { port: 'redis' },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 6,
    });
    expect(probe(Probe.exec(['/bin/sh', '/scripts/ready.sh'], { period: Duration.minutes(1) }))).toEqual({
      exec: { command: ['/bin/sh', '/scripts/ready.sh'] },
      periodSeconds: 60,
      timeoutSeconds: 2,
      failureThreshold: 3,
    });
  });
});

describe('hardenedContainer', () => {
  it('is restricted, pulls a pinned image once, has explicit resources and a writable /tmp', () => {
    const c = container(hardenedContainer({ name: 'app', image: 'r.example/app:1.0.0', resources, ports: [{ name: 'http', port: 8080 }] }));
    expect(c).toEqual({
      name: 'app',
      image: 'r.example/app:1.0.0',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    });
  });

  it('appends /tmp after the given mounts, and keeps it where the caller placed it', () => {
    const config = { name: 'config', mountPath: '/conf', readOnly: true };
    const tmp = { name: 'tmp', mountPath: '/tmp' };
    expect(hardenedContainer({ name: 'a', image: 'i:1', resources, mounts: [config] }).volumeMounts).toEqual([config, tmp]);
    expect(hardenedContainer({ name: 'a', image: 'i:1', resources, mounts: [tmp, config] }).volumeMounts).toEqual([tmp, config]);
  });
});

describe('hardenedPodTemplate', () => {
  const app = hardenedContainer({ name: 'app', image: 'i:1', resources });

  it('runs non-root with RuntimeDefault seccomp, no API token, no service links, and a capped /tmp volume', () => {
    const t = pod(hardenedPodTemplate({ labels: { app: 'a' }, serviceAccountName: 'a', runAsUser: 1000, containers: [app] }));
    expect(t.metadata).toEqual({ labels: { app: 'a' } });
    expect(t.spec).toMatchObject({
      serviceAccountName: 'a',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    });
    expect(t.spec.terminationGracePeriodSeconds).toBeUndefined();
  });

  it('refuses uid 0', () => {
    expect(() => hardenedPodTemplate({ labels: {}, serviceAccountName: 'a', runAsUser: 0, containers: [app] })).toThrow(/uid 0/);
  });

  it('writes the scrape annotations of its metrics port and the sha256 of the config it is given', () => {
    const files = { 'z.conf': 'z', 'config.yaml': 'a: 1\n' };
    const t = pod(hardenedPodTemplate({ labels: {}, serviceAccountName: 'a', runAsUser: 1000, containers: [app], metrics: { port: 9121 }, configChecksumOf: files }));
    // the checksum covers the keys sorted, as compact JSON: computed here by hand, not with the module's function
    const expected = createHash('sha256').update('{"config.yaml":"a: 1\\n","z.conf":"z"}').digest('hex');
    expect(t.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9121', 'prometheus.io/path': '/metrics', 'checksum/config': expected });
  });

  it('spreads stateless replicas over nodes and zones without ever leaving one pending; set members prefer distinct nodes', () => {
    const spread = pod(hardenedPodTemplate({ labels: {}, serviceAccountName: 'a', runAsUser: 1000, containers: [app], placement: { spread: { app: 'a' } } }));
    expect(spread.spec.topologySpreadConstraints.map((c: { topologyKey: string; whenUnsatisfiable: string }) => `${c.topologyKey} ${c.whenUnsatisfiable}`)).toEqual([
      'kubernetes.io/hostname ScheduleAnyway',
      'topology.kubernetes.io/zone ScheduleAnyway',
    ]);
    const members = pod(hardenedPodTemplate({ labels: {}, serviceAccountName: 'a', runAsUser: 1000, containers: [app], placement: { distinctNodes: { app: 'a' } } }));
    expect(members.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(members.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector).toEqual({ matchLabels: { app: 'a' } });
  });
});

describe('ConfigFiles', () => {
  it('is a ConfigMap with its volume and a read-only mount', () => {
    const chart = Testing.chart();
    const files = new ConfigFiles(chart, 'Config', { metadata: { name: 'a-config', namespace: 'ns', labels: {} }, files: { 'a.conf': 'x' }, mountPath: '/etc/a' });
    expect(Testing.synth(chart)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a-config', namespace: 'ns' }, data: { 'a.conf': 'x' } }]);
    expect(files.volume).toEqual({ name: 'config', configMap: { name: 'a-config' } });
    expect(files.mount).toEqual({ name: 'config', mountPath: '/etc/a', readOnly: true });
  });
});

describe('servicePorts', () => {
  it('target the container port of the same name', () => {
    expect(plain(servicePorts([{ name: 'grpc-otlp', port: 4317, appProtocol: 'grpc' }, { name: 'tcp-redis', port: 6379 }]).map(k8s.toJson_ServicePort))).toEqual([
      { name: 'grpc-otlp', port: 4317, targetPort: 'grpc-otlp', protocol: 'TCP', appProtocol: 'grpc' },
      { name: 'tcp-redis', port: 6379, targetPort: 'tcp-redis', protocol: 'TCP' },
    ]);
  });
});

describe('dataClaimTemplate', () => {
  it('carries the stable labels only: no version, which would make an image bump a forbidden update', () => {
    const claim = plain(k8s.toJson_KubePersistentVolumeClaimProps(dataClaimTemplate({ size: '10Gi', storageClass: 'fast' }, { name: 'db', instance: 'p', component: 'database', partOf: 'x', version: '8.1.0' })));
    expect(claim).toEqual({
      metadata: {
        name: 'data',
        labels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'p', 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/part-of': 'x', 'app.kubernetes.io/managed-by': 'suoke-platform' },
      },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } },
    });
  });
});

describe('ReplicaScaling', () => {
  const kinds = (replicas: { min: number; max: number; autoscaling?: { cpuUtilization: number; memoryUtilization: number } }) => {
    const chart = Testing.chart();
    const target = new k8s.KubeDeployment(chart, 'D', { metadata: { name: 'a' }, spec: { selector: {}, template: {} } });
    new ReplicaScaling(chart, 'Scaling', { name: 'a', namespace: 'ns', labels: {}, selector: { app: 'a' }, target: { apiVersion: target.apiVersion, kind: target.kind, name: 'a' }, container: 'a', replicas });
    return Testing.synth(chart).map((o) => o.kind).filter((k) => k !== 'Deployment');
  };

  it('an autoscaler only with targets, a disruption budget whenever more than one replica may run', () => {
    expect(kinds({ min: 2, max: 10, autoscaling: { cpuUtilization: 70, memoryUtilization: 80 } })).toEqual(['HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    expect(kinds({ min: 2, max: 2 })).toEqual(['PodDisruptionBudget']);
    expect(kinds({ min: 1, max: 1 })).toEqual([]);
  });
});
