import { createHash } from 'node:crypto';
import { Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ServiceWorkload, type ServiceWorkloadProps } from '../../../components/workload';

const probe = (path: string) => ({ path, period: Duration.seconds(5), timeout: Duration.seconds(2), failureThreshold: 3 });

function props(overrides: Partial<ServiceWorkloadProps> = {}): ServiceWorkloadProps {
  return {
    name: 'orders-service',
    namespace: 'shop-prod',
    image: 'registry.example/orders-service:1.2.3',
    labels: { instance: 'shop-prod', version: '1.2.3', component: 'core', partOf: 'shop' },
    ports: { http: 8000, grpc: 50052 },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    probes: { startup: probe('/health'), readiness: probe('/ready'), liveness: probe('/health') },
    replicas: { min: 2, max: 10, autoscaling: { cpuUtilization: 70, memoryUtilization: 80 } },
    env: [{ name: 'LOG_LEVEL', value: 'INFO' }],
    secretEnv: [{ env: 'DATABASE_URL', secret: 'database-secret', key: 'orders-db-url' }],
    config: { llm: { model_name: 'm', temperature: 0.5 } },
    environment: 'prod',
    otlpEndpoint: 'http://otel-collector.obs.svc.cluster.local:4317',
    ...overrides,
  };
}

function synth(p: ServiceWorkloadProps) {
  const chart = Testing.chart();
  new ServiceWorkload(chart, p.name, p);
  const objects = Testing.synth(chart);
  const find = (kind: string) => objects.find((o) => o.kind === kind);
  return { objects, find };
}

describe('ServiceWorkload', () => {
  it('emits ServiceAccount, ConfigMap, Deployment, Service, HPA and PDB named after the service', () => {
    const { objects } = synth(props());
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/orders-service',
      'ConfigMap/orders-service-config',
      'Deployment/orders-service',
      'Service/orders-service',
      'HorizontalPodAutoscaler/orders-service',
      'PodDisruptionBudget/orders-service',
    ]);
    expect(objects.every((o) => o.metadata.namespace === 'shop-prod')).toBe(true);
  });

  it('selects pods by stable labels only and carries the standard labels', () => {
    const { find } = synth(props());
    const deployment = find('Deployment');
    const selector = { 'app.kubernetes.io/name': 'orders-service', 'app.kubernetes.io/instance': 'shop-prod' };
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(find('Service').spec.selector).toEqual(selector);
    expect(find('PodDisruptionBudget').spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.template.metadata.labels).toEqual({
      ...selector,
      'app.kubernetes.io/version': '1.2.3',
      'app.kubernetes.io/component': 'core',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'suoke-platform',
    });
  });

  it('leaves replicas to the HPA, which scales on the app container only', () => {
    const { find } = synth(props());
    expect(find('Deployment').spec.replicas).toBeUndefined();
    const hpa = find('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(10);
    expect(hpa.spec.metrics).toEqual([
      { type: 'ContainerResource', containerResource: { container: 'orders-service', name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'ContainerResource', containerResource: { container: 'orders-service', name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it('runs a fixed single replica without HPA or PDB', () => {
    const { objects, find } = synth(props({ replicas: { min: 1, max: 1 } }));
    expect(find('Deployment').spec.replicas).toBe(1);
    expect(objects.map((o) => o.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(objects.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
  });

  it('meets the restricted Pod Security Standard', () => {
    const pod = synth(props()).find('Deployment').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('orders-service');
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'config', configMap: { name: 'orders-service-config' } },
    ]);
  });

  it('sets the catalog resources and probes explicitly, never cdk8s-plus defaults', () => {
    const container = synth(props()).find('Deployment').spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/health', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 });
  });

  it('references secrets by name and wires telemetry to the collector', () => {
    const env = synth(props()).find('Deployment').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'INFO' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'database-secret', key: 'orders-db-url' } } },
      { name: 'OTEL_SERVICE_NAME', value: 'orders-service' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.obs.svc.cluster.local:4317' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'service.namespace=shop,deployment.environment.name=prod,service.version=1.2.3' },
    ]);
  });

  it('rolls pods when config changes: the checksum follows the ConfigMap content', () => {
    const checksum = (config: Record<string, unknown>) => synth(props({ config })).find('Deployment').spec.template.metadata.annotations['checksum/config'];
    // the ConfigMap holds `a` as pretty JSON ("1\n"); the annotation is the sha256 of that data as sorted, compact JSON
    expect(checksum({ a: 1 })).toBe(createHash('sha256').update('{"a":"1\\n"}').digest('hex'));
    expect(checksum({ a: 2 })).toBe(createHash('sha256').update('{"a":"2\\n"}').digest('hex'));
  });

  it('names Service ports with the protocol Istio expects', () => {
    expect(synth(props()).find('Service').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'orders-service', 'app.kubernetes.io/instance': 'shop-prod' },
      ports: [
        { name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
        { name: 'grpc', port: 50052, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' },
      ],
    });
  });

  it('spreads over nodes and zones without required anti-affinity', () => {
    const pod = synth(props()).find('Deployment').spec.template.spec;
    expect(pod.affinity).toBeUndefined();
    expect(pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable])).toEqual([
      ['kubernetes.io/hostname', 1, 'ScheduleAnyway'],
      ['topology.kubernetes.io/zone', 1, 'ScheduleAnyway'],
    ]);
  });

  it('throws on contradictory replica bounds', () => {
    expect(() => synth(props({ replicas: { min: 5, max: 3, autoscaling: { cpuUtilization: 70, memoryUtilization: 80 } } }))).toThrow(
      'workload orders-service: replicas.min (5) must be between 1 and replicas.max (3)',
    );
    expect(() => synth(props({ replicas: { min: 2, max: 4 } }))).toThrow('workload orders-service: replicas 2..4 need autoscaling targets, or equal bounds for a fixed count');
  });

  it('matches the reviewed snapshot', () => {
    expect(synth(props()).objects).toMatchSnapshot();
  });
});
