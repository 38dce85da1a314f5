import { Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CanaryDeployment, ServiceWorkload, type ServiceWorkloadProps } from '../../../components/workload';

const probe = (path: string) => ({ path, period: Duration.seconds(5), timeout: Duration.seconds(2), failureThreshold: 3 });
const props: ServiceWorkloadProps = {
  name: 'orders-service',
  namespace: 'shop-dev',
  image: 'registry.example/orders-service:1.2.3',
  labels: { instance: 'shop-dev', version: '1.2.3', component: 'core', partOf: 'shop' },
  ports: { http: 8000 },
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  probes: { startup: probe('/health'), readiness: probe('/ready'), liveness: probe('/health') },
  replicas: { min: 2, max: 10, autoscaling: { cpuUtilization: 70, memoryUtilization: 80 } },
  environment: 'dev',
  otlpEndpoint: 'http://otel-collector.obs.svc.cluster.local:4317',
  serviceSelector: { 'app.kubernetes.io/name': 'orders-service' },
};

describe('CanaryDeployment', () => {
  it('copies the stable pod with the canary image, version and instance, one replica, its own selector', () => {
    const chart = Testing.chart();
    const stable = new ServiceWorkload(chart, 'stable', props);
    new CanaryDeployment(chart, 'canary', { stable: stable.deployment, image: 'registry.example/orders-service:1.3.0-rc.1', version: '1.3.0-rc.1', instance: 'shop-dev-canary' });
    const objects = Testing.synth(chart);
    const [stableDeployment, canary] = objects.filter((o) => o.kind === 'Deployment');
    const service = objects.find((o) => o.kind === 'Service')!;
    expect(canary.metadata.name).toBe('orders-service-canary');
    expect(canary.spec.replicas).toBe(1);
    expect(canary.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders-service', 'app.kubernetes.io/instance': 'shop-dev-canary' } });
    expect(stableDeployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders-service', 'app.kubernetes.io/instance': 'shop-dev' } });
    expect(canary.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'shop-dev-canary', 'app.kubernetes.io/version': '1.3.0-rc.1' });
    expect(canary.spec.template.spec.topologySpreadConstraints.map((t: any) => t.labelSelector.matchLabels)).toEqual([canary.spec.selector.matchLabels, canary.spec.selector.matchLabels]);
    const container = canary.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example/orders-service:1.3.0-rc.1');
    expect(container.env.find((e: any) => e.name === 'OTEL_RESOURCE_ATTRIBUTES').value).toBe('service.namespace=shop,deployment.environment.name=dev,service.version=1.3.0-rc.1');
    // everything else is the stable pod: identity, hardening, probes.
    expect(canary.spec.template.spec.serviceAccountName).toBe('orders-service');
    expect({ ...container, image: undefined, env: undefined }).toEqual({ ...stableDeployment.spec.template.spec.containers[0], image: undefined, env: undefined });
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders-service' });
  });

  it("refuses the stable pods' instance, which would let the stable selector take the canary's pods", () => {
    const chart = Testing.chart();
    const stable = new ServiceWorkload(chart, 'stable', props);
    expect(() => new CanaryDeployment(chart, 'canary', { stable: stable.deployment, image: 'x:2', version: '2', instance: 'shop-dev' })).toThrow(
      'canary of orders-service: instance "shop-dev" must differ from the stable selector\'s app.kubernetes.io/instance ("shop-dev"), or the stable Deployment would select the canary\'s pods',
    );
  });
});
