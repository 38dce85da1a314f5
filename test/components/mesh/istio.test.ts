import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve, type IstioConfig } from '../../../catalog';
import { IstioOperator, istioHelmValues, meshConfig } from '../../../components/mesh';

const config: IstioConfig = resolve(loadCatalog(), 'prod').istio;

describe('the typed Istio config from the catalog', () => {
  it('pins the version and carries PLATFORM.md "Mesh" values, with trace sampling per environment', () => {
    expect(config).toEqual({
      version: '1.30.1',
      rootNamespace: 'istio-system',
      meshId: 'suoke-mesh',
      network: 'suoke-network',
      pilot: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }, env: [{ name: 'EXTERNAL_ISTIOD', value: 'false' }] },
      // off: Kong is the one public entry (issue 13); the catalog turns it on with enabled: true.
      ingressGateway: {
        enabled: false,
        name: 'istio-ingressgateway',
        serviceType: 'LoadBalancer',
        ports: [
          { name: 'http2', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
      },
      tracing: { provider: 'otel-tracing', service: 'otel-collector.suoke-observability-prod.svc.cluster.local', port: 4317, sampling: 1 },
    });
    expect(resolve(loadCatalog(), 'dev').istio.tracing).toEqual({ provider: 'otel-tracing', service: 'otel-collector.suoke-observability-dev.svc.cluster.local', port: 4317, sampling: 100 });
  });
});

/** Prod's mesh-wide settings, written out from PLATFORM.md "Mesh" and the catalog. */
const PROD_MESH_CONFIG = {
  accessLogFile: '/dev/stdout',
  accessLogEncoding: 'JSON',
  enablePrometheusMerge: true,
  outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
  pathNormalization: { normalization: 'DECODE_AND_MERGE_SLASHES' },
  defaultConfig: { tracing: { sampling: 1 } },
  extensionProviders: [{ name: 'otel-tracing', opentelemetry: { service: 'otel-collector.suoke-observability-prod.svc.cluster.local', port: 4317 } }],
  defaultProviders: { tracing: ['otel-tracing'] },
};

describe('meshConfig', () => {
  it('logs to stdout, traces over OTLP to the collector by default, allows only known hosts, normalizes paths', () => {
    expect(meshConfig(config)).toEqual(PROD_MESH_CONFIG);
  });
});

describe('IstioOperator', () => {
  const chart = Testing.chart();
  const operator = new IstioOperator(chart, 'iop', { name: 'suoke-life-istio', config });
  const [object] = Testing.synth(chart);

  it('enables the ingress gateway exactly when the typed config does', () => {
    const on = Testing.chart();
    new IstioOperator(on, 'iop', { name: 'x', config: { ...config, ingressGateway: { ...config.ingressGateway, enabled: true } } });
    expect(Testing.synth(on)[0].spec.components.ingressGateways.map((g: { enabled: boolean }) => g.enabled)).toEqual([true]);
  });

  it('is istioctl input in the root namespace, pinned to the catalog version', () => {
    expect(operator.profile).toBe('default');
    expect(object.apiVersion).toBe('install.istio.io/v1alpha1');
    expect(object.metadata).toEqual({ name: 'suoke-life-istio', namespace: 'istio-system' });
    expect(object.spec.tag).toBe('1.30.1');
    expect(object.spec.values).toEqual({ global: { istioNamespace: 'istio-system', meshID: 'suoke-mesh', network: 'suoke-network' } });
    expect(object.spec.meshConfig).toEqual(PROD_MESH_CONFIG);
  });

  it('enables the CNI component (M7), sets pilot resources and env, and the ingress gateway Service only when the catalog turns it on', () => {
    expect(object.spec.components.cni).toEqual({ enabled: true });
    expect(object.spec.components.pilot).toEqual({
      enabled: true,
      k8s: { resources: config.pilot.resources, env: [{ name: 'EXTERNAL_ISTIOD', value: 'false' }] },
    });
    expect(object.spec.components.ingressGateways).toEqual([
      {
        name: 'istio-ingressgateway',
        enabled: false,
        k8s: {
          service: {
            type: 'LoadBalancer',
            ports: [
              { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
              { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
              { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
            ],
          },
        },
      },
    ]);
  });
});

describe('istioHelmValues', () => {
  const values = istioHelmValues(config);

  it('installs every chart at the pinned version', () => {
    expect(values.version).toBe('1.30.1');
    expect(Object.keys(values).sort()).toEqual(['base', 'cni', 'gateway', 'istiod', 'version']);
    expect(values.base).toEqual({ global: { istioNamespace: 'istio-system' } });
    expect(values.cni).toEqual({ global: { istioNamespace: 'istio-system' } });
  });

  it('gives istiod the same mesh as the IstioOperator, with the CNI on so no istio-init is injected', () => {
    expect(values.istiod).toEqual({
      global: { istioNamespace: 'istio-system', meshID: 'suoke-mesh', network: 'suoke-network' },
      meshConfig: meshConfig(config),
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      env: { EXTERNAL_ISTIOD: 'false' },
      cni: { enabled: true },
    });
  });

  it('gives the gateway chart the IstioOperator gateway ports and Service type', () => {
    const chart = Testing.chart();
    new IstioOperator(chart, 'iop', { name: 'x', config });
    const iopGateway = Testing.synth(chart)[0].spec.components.ingressGateways[0];
    expect(values.gateway).toEqual({
      name: 'istio-ingressgateway',
      labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      service: { type: iopGateway.k8s.service.type, ports: iopGateway.k8s.service.ports },
    });
  });

  it('follows the config: another environment, another sampling rate and gateway type', () => {
    const dev = istioHelmValues({ ...config, tracing: { ...config.tracing, sampling: 100 }, ingressGateway: { ...config.ingressGateway, serviceType: 'ClusterIP' } });
    expect((dev.istiod.meshConfig as { defaultConfig: unknown }).defaultConfig).toEqual({ tracing: { sampling: 100 } });
    expect((dev.gateway.service as { type: string }).type).toBe('ClusterIP');
  });
});
