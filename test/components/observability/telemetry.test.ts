import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BURN_RATE_WINDOWS, errorBudget, gatewayCollectorConfig, agentCollectorConfig, seedAlertRules, sloRules, memoryLimiterFor, goMemLimit, lokiConfig, jaegerConfig } from '../../../components/observability';
import { loadCatalog } from '../../../catalog';
import { objectsOf } from '../../support/platform';

const find = (env: 'dev' | 'staging' | 'prod', kind: string, name: string, namespace?: string) =>
  objectsOf(env).find((o) => o.object.kind === kind && o.object.metadata.name === name && (!namespace || o.object.metadata.namespace === namespace))!.object;

describe('gateway collector pipelines', () => {
  const config = parseYaml(find('prod', 'ConfigMap', 'otel-collector').data['config.yaml']);

  it('runs memory_limiter first, resource, then batch last, in every pipeline', () => {
    for (const name of ['traces', 'metrics', 'logs']) expect(config.service.pipelines[name].processors).toEqual(['memory_limiter', 'resource', 'batch']);
  });

  it('wires traces to Jaeger over OTLP, metrics to the Prometheus exporter, logs to Loki /otlp with the tenant', () => {
    expect(config.service.pipelines.traces.exporters).toEqual(['otlp/jaeger']);
    expect(config.exporters['otlp/jaeger'].endpoint).toBe('jaeger.suoke-observability-prod.svc.cluster.local:4317');
    expect(config.service.pipelines.metrics.exporters).toEqual(['prometheus']);
    expect(config.exporters.prometheus).toMatchObject({ endpoint: '0.0.0.0:8889', namespace: 'suoke_life', const_labels: { environment: 'prod' } });
    expect(config.service.pipelines.logs.exporters).toEqual(['otlphttp/loki']);
    expect(config.exporters['otlphttp/loki']).toMatchObject({ endpoint: 'http://loki.suoke-observability-prod.svc.cluster.local:3100/otlp', headers: { 'X-Scope-OrgID': 'suoke-life' } });
    expect(Object.keys(config.exporters)).not.toContain('jaeger');
    expect(Object.keys(config.exporters)).not.toContain('loki');
  });

  it('binds receivers to the pod IP and sets the resource attributes', () => {
    expect(config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '${env:MY_POD_IP}:4317' }, http: { endpoint: '${env:MY_POD_IP}:4318' } });
    expect(config.processors.resource.attributes.map((a: { key: string; value: string }) => `${a.key}=${a.value}`)).toEqual([
      'service.namespace=suoke-life',
      'deployment.environment=prod',
      'deployment.environment.name=prod',
    ]);
  });

  it('derives the memory limiter and GOMEMLIMIT from the container memory limit', () => {
    expect(memoryLimiterFor('1Gi')).toEqual({ limit_mib: 819, spike_limit_mib: 204 });
    expect(goMemLimit('512Mi')).toBe('409MiB');
    const deployment = find('prod', 'Deployment', 'otel-collector');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.resources.limits.memory).toBe('1Gi');
    expect(container.env.find((e: { name: string }) => e.name === 'GOMEMLIMIT').value).toBe('819MiB');
    expect(config.processors.memory_limiter).toEqual({ check_interval: '1s', limit_mib: 819, spike_limit_mib: 204 });
  });

  it('is the Service the services send to: otel-collector on 4317 (grpc) and 4318, in the observability namespace', () => {
    const service = find('prod', 'Service', 'otel-collector', 'suoke-observability-prod');
    expect(service.spec.ports.map((p: { name: string; port: number; appProtocol: string }) => `${p.name}:${p.port}:${p.appProtocol}`)).toEqual(['grpc-otlp:4317:grpc', 'http-otlp:4318:http', 'http-metrics:8889:http']);
    const app = find('prod', 'Deployment', 'xiaoai-service');
    const endpoint = app.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT').value;
    expect(endpoint).toBe(`http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local:4317`);
  });

  it('is a pure function: same input, same output', () => {
    const props = { environment: 'dev', serviceNamespace: 's', memoryLimit: '512Mi', jaegerOtlpEndpoint: 'j:4317', lokiOtlpEndpoint: 'http://l:3100/otlp', lokiTenant: 't', metricNamespace: 's' };
    expect(gatewayCollectorConfig(props)).toEqual(gatewayCollectorConfig(props));
  });
});

describe('log agent', () => {
  it('reads container logs with filelog, enriches with k8sattributes, forwards to the gateway', () => {
    const config = agentCollectorConfig({ memoryLimit: '256Mi', gatewayEndpoint: 'otel-collector.obs.svc.cluster.local:4317', ownNamespace: 'obs-agent' });
    expect(config.service.pipelines).toEqual({ logs: { receivers: ['filelog'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlp'] } });
    expect(config.receivers.filelog.exclude).toEqual(['/var/log/pods/obs-agent_*/*/*.log']);
    expect(config.exporters.otlp.endpoint).toBe('otel-collector.obs.svc.cluster.local:4317');
  });

  it('has a ClusterRole with only get/list/watch on pods, namespaces and replicasets', () => {
    const role = find('prod', 'ClusterRole', 'suoke-observability-agent-prod-otel-agent');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  it('mounts /var/log/pods read-only and declares its exceptions', () => {
    const ds = find('prod', 'DaemonSet', 'otel-agent');
    expect(ds.spec.template.spec.volumes.find((v: { name: string }) => v.name === 'varlogpods').hostPath).toEqual({ path: '/var/log/pods', type: 'Directory' });
    expect(ds.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'varlogpods').readOnly).toBe(true);
    expect(Object.keys(ds.metadata.annotations).sort()).toEqual(['p1', 'p13', 'p2', 'p9'].map((r) => `policy.suoke.life/exception-${r}`));
  });
});

describe('Jaeger and Loki', () => {
  it('Jaeger keeps spans in Badger with a TTL in dev and staging, and in Elasticsearch with Secret credentials in prod', () => {
    const dev = parseYaml(find('dev', 'ConfigMap', 'jaeger').data['config.yaml']);
    expect(dev.extensions.jaeger_storage.backends.traces.badger.ttl).toEqual({ spans: '168h' });
    const prod = parseYaml(find('prod', 'ConfigMap', 'jaeger').data['config.yaml']);
    expect(prod.extensions.jaeger_storage.backends.traces.elasticsearch.server_urls).toEqual(['https://elasticsearch.suoke.life:9200']);
    const env = find('prod', 'StatefulSet', 'jaeger').spec.template.spec.containers[0].env;
    expect(env.filter((e: { valueFrom?: unknown }) => e.valueFrom && JSON.stringify(e.valueFrom).includes('secretKeyRef'))).toEqual([
      { name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: 'jaeger-elasticsearch', key: 'username' } } },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'jaeger-elasticsearch', key: 'password' } } },
    ]);
    expect(jaegerConfig({ storage: { backend: 'memory' }, retentionHours: 1, memoryLimit: '512Mi' }).service.pipelines.traces.processors).toEqual(['memory_limiter', 'batch']);
  });

  it('Loki: tsdb v13 on the filesystem, replication 1, retention, auth enabled', () => {
    const config = parseYaml(find('prod', 'ConfigMap', 'loki').data['config.yaml']);
    expect(config.auth_enabled).toBe(true);
    expect(config.common.replication_factor).toBe(1);
    expect(config.schema_config.configs[0]).toMatchObject({ store: 'tsdb', schema: 'v13', object_store: 'filesystem' });
    expect(config.limits_config.retention_period).toBe('744h');
    expect(config.compactor.retention_enabled).toBe(true);
    expect(() => lokiConfig({ retentionHours: 36 })).toThrow('loki retention must be a whole number of days (multiple of 24h), got 36h');
  });

  it('Jaeger and Loki Services are ClusterIP', () => {
    for (const name of ['jaeger', 'loki']) expect(find('prod', 'Service', name).spec.type).toBe('ClusterIP');
  });
});

describe('Prometheus rules', () => {
  it('holds the four seed alert rules verbatim', () => {
    const rules = seedAlertRules().rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, severity: r.labels?.severity }));
    expect(rules).toEqual([
      { alert: 'ServiceDown', expr: 'up == 0', for: '1m', severity: 'critical' },
      { alert: 'HighResponseTime', expr: 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m])) > 1', for: '2m', severity: 'warning' },
      { alert: 'AIAgentHighErrorRate', expr: 'rate(ai_agent_requests_failed_total[5m]) / rate(ai_agent_requests_total[5m]) > 0.1', for: '3m', severity: 'warning' },
      { alert: 'DatabaseConnectionHigh', expr: 'pg_stat_activity_count > 80', for: '2m', severity: 'warning' },
    ]);
  });

  it('generates burn-rate alerts whose thresholds come from the SLO (99.9 % → 14.4 × 0.001 and 6 × 0.001)', () => {
    expect(errorBudget(99.9)).toBe(0.001);
    const group = sloRules('orders-service', { availability: 99.9, latencyP95Ms: 200 });
    const alerts = group.rules.filter((r) => r.alert);
    expect(alerts.map((a) => `${a.alert} ${a.labels!.severity}: ${a.expr}`)).toEqual([
      'ErrorBudgetBurn critical: slo:sli_error:ratio_rate1h{service="orders-service"} > 0.0144 and slo:sli_error:ratio_rate5m{service="orders-service"} > 0.0144',
      'LatencyBudgetBurn critical: slo:sli_slow:ratio_rate1h{service="orders-service"} > 0.72 and slo:sli_slow:ratio_rate5m{service="orders-service"} > 0.72',
      'ErrorBudgetBurn warning: slo:sli_error:ratio_rate6h{service="orders-service"} > 0.006 and slo:sli_error:ratio_rate30m{service="orders-service"} > 0.006',
      'LatencyBudgetBurn warning: slo:sli_slow:ratio_rate6h{service="orders-service"} > 0.3 and slo:sli_slow:ratio_rate30m{service="orders-service"} > 0.3',
    ]);
    expect(BURN_RATE_WINDOWS.map((w) => `${w.long}/${w.short}@${w.factor}`)).toEqual(['1h/5m@14.4', '6h/30m@6']);
    const records = group.rules.filter((r) => r.record).map((r) => r.record);
    expect(records).toEqual(['5m', '30m', '1h', '6h'].flatMap((w) => [`slo:sli_error:ratio_rate${w}`, `slo:sli_slow:ratio_rate${w}`]));
    expect(group.rules.find((r) => r.record === 'slo:sli_slow:ratio_rate5m')!.expr).toContain('le="0.2"');
    expect(sloRules('x', { availability: 99.5, latencyP95Ms: 2000 }).rules.find((r) => r.alert === 'ErrorBudgetBurn')!.expr).toContain('> 0.072');
  });

  it('uses the catalog SLO of each service (xiaoai-service: 2000 ms) and defaults for the rest', () => {
    const rule = find('prod', 'PrometheusRule', 'suoke-life-alerts');
    const group = (name: string) => rule.spec.groups.find((g: { name: string }) => g.name === name);
    expect(group('slo-xiaoai-service').rules.find((r: { record?: string }) => r.record === 'slo:sli_slow:ratio_rate5m').expr).toContain('le="2"');
    expect(group('slo-auth-service').rules.find((r: { record?: string }) => r.record === 'slo:sli_slow:ratio_rate5m').expr).toContain('le="0.2"');
    expect(rule.metadata.labels.prometheus).toBe('k8s');
  });
});

describe('Grafana', () => {
  /** Metrics the platform exports: the services' prometheus client histograms, Kong, the Redis exporter, Prometheus' `up`, and our recording rules. */
  const EXPORTED = new Set([
    'up',
    'http_request_duration_seconds_bucket',
    'http_request_duration_seconds_count',
    'kong_request_latency_ms_bucket',
    'kong_http_requests_total',
    'redis_connected_clients',
    'redis_commands_processed_total',
    'slo:sli_error:ratio_rate5m',
  ]);

  it('dashboard JSON parses and references only exported metrics', () => {
    const cm = find('prod', 'ConfigMap', 'suoke-dashboards');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    const dashboard = JSON.parse(cm.data['suoke-platform.json']);
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(8);
    const metrics = new Set(exprs.flatMap((e) => [...e.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)].map((m) => m[1])));
    expect([...metrics].filter((m) => !EXPORTED.has(m))).toEqual([]);
    expect(dashboard.panels.filter((p: { type: string }) => p.type === 'row').map((p: { title: string }) => p.title)).toEqual([
      'API gateway (Kong)',
      'AI agents',
      'Databases (Redis)',
      'Layer: core',
      'Layer: agents',
      'Layer: diagnosis',
      'Layer: support',
    ]);
  });

  it('provisions Prometheus, Jaeger and Loki with trace-to-logs links', () => {
    const ds = JSON.parse(find('prod', 'ConfigMap', 'suoke-datasources').data['datasources.yaml']);
    expect(ds.datasources.map((d: { type: string }) => d.type)).toEqual(['prometheus', 'jaeger', 'loki']);
    expect(ds.datasources[1].jsonData.tracesToLogsV2.datasourceUid).toBe('loki');
    expect(ds.datasources[2].jsonData.derivedFields[0].datasourceUid).toBe('jaeger');
  });
});

describe('access to the observability namespace', () => {
  it('admits every catalog service (api-gateway included) and the agent to the collector, by principal', () => {
    const policy = find('prod', 'AuthorizationPolicy', 'otel-collector');
    const principals: string[] = policy.spec.rules[0].from[0].source.principals;
    expect(principals).toContain('cluster.local/ns/suoke-life-prod/sa/api-gateway');
    expect(principals).toContain('cluster.local/ns/suoke-observability-agent-prod/sa/otel-agent');
    const services = loadCatalog().document.services.map((s) => `cluster.local/ns/suoke-life-prod/sa/${s.name}`);
    expect([...principals].sort()).toEqual([...services, 'cluster.local/ns/suoke-observability-agent-prod/sa/otel-agent'].sort());
    expect(policy.spec.rules[1].from[0].source.principals).toEqual(['cluster.local/ns/monitoring/sa/prometheus-k8s']);
  });

  it('lets only the collector push to Jaeger and Loki', () => {
    expect(find('prod', 'AuthorizationPolicy', 'jaeger').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/suoke-observability-prod/sa/otel-collector']);
    expect(find('prod', 'AuthorizationPolicy', 'loki').spec.rules[0]).toMatchObject({ from: [{ source: { principals: ['cluster.local/ns/suoke-observability-prod/sa/otel-collector'] } }], to: [{ operation: { paths: ['/otlp/*'] } }] });
  });

  it('denies by default in both observability namespaces', () => {
    for (const ns of ['suoke-observability-prod', 'suoke-observability-agent-prod']) {
      expect(find('prod', 'AuthorizationPolicy', 'allow-nothing', ns).spec).toEqual({});
      expect(find('prod', 'NetworkPolicy', 'default-deny', ns).spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
  });

  it('scrapes pods through Istio merged metrics (15020 /stats/prometheus), services every 10 s', () => {
    const monitor = find('prod', 'PodMonitor', 'suoke-services');
    expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({ portNumber: 15020, path: '/stats/prometheus', interval: '10s' });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['suoke-life-prod'] });
    // Redis and Consul monitors appear once a service declares `uses: [redis]` / `[consul]` (the data branch).
    const uses = new Set(objectsOf('prod').filter((o) => o.object.kind === 'PodMonitor').map((o) => o.object.metadata.name));
    expect([...uses].sort()).toEqual(expect.arrayContaining(['api-gateway', 'suoke-services', 'telemetry']));
  });
});
