import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BURN_RATE_WINDOWS, errorBudget, redisAlertRules, gatewayCollectorConfig, agentCollectorConfig, seedAlertRules, sloRules, memoryLimiterFor, goMemLimit, lokiConfig, jaegerConfig } from '../../../components/observability';
import { objectsOf } from '../../support/platform';
import { Testing } from 'cdk8s';
import { Jaeger } from '../../../components/observability';

const find = (env: 'dev' | 'staging' | 'prod', kind: string, name: string, namespace?: string) =>
  objectsOf(env).find((o) => o.object.kind === kind && o.object.metadata.name === name && (!namespace || o.object.metadata.namespace === namespace))!.object;

describe('gateway collector pipelines', () => {
  const config = parseYaml(find('prod', 'ConfigMap', 'otel-collector').data['config.yaml']);

  it('runs memory_limiter first, the platform attributes, then batch last, in every pipeline', () => {
    for (const name of ['traces', 'metrics', 'logs']) expect(config.service.pipelines[name].processors).toEqual(['memory_limiter', 'transform/platform', 'batch']);
    expect(config.service.pipelines['metrics/self'].processors).toEqual(['memory_limiter', 'batch']);
    expect(config.processors.resource).toBeUndefined();
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

  it('binds receivers to the pod IP and inserts the platform attributes only where missing, only on the platform\'s own resources', () => {
    expect(config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: '${env:MY_POD_IP}:4317' }, http: { endpoint: '${env:MY_POD_IP}:4318' } });
    const transform = config.processors['transform/platform'];
    const statements = [
      'set(attributes["service.namespace"], "suoke-life") where attributes["service.namespace"] == nil and attributes["k8s.namespace.name"] == "suoke-life-prod"',
      'set(attributes["deployment.environment"], "prod") where attributes["deployment.environment"] == nil and attributes["service.namespace"] == "suoke-life"',
      'set(attributes["deployment.environment.name"], "prod") where attributes["deployment.environment.name"] == nil and attributes["service.namespace"] == "suoke-life"',
    ];
    for (const signal of ['trace_statements', 'metric_statements', 'log_statements']) expect(transform[signal]).toEqual([{ context: 'resource', statements }]);
    expect(transform.error_mode).toBe('ignore');
    // written out in full for each signal, never as YAML anchors and aliases.
    expect(find('prod', 'ConfigMap', 'otel-collector').data['config.yaml']).not.toMatch(/[&*]a\d/);
  });

  it('scrapes its own metrics (localhost:8888) into the exporter the pod annotation names, so Istio merges them', () => {
    expect(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus).toEqual({ host: '127.0.0.1', port: 8888 });
    expect(config.receivers['prometheus/self'].config.scrape_configs[0].static_configs).toEqual([{ targets: ['127.0.0.1:8888'] }]);
    expect(config.service.pipelines['metrics/self']).toMatchObject({ receivers: ['prometheus/self'], exporters: ['prometheus'] });
    const pod = find('prod', 'Deployment', 'otel-collector').spec.template.metadata.annotations;
    // the exporter's port (0.0.0.0:8889 above), which Istio's merged metrics read from these annotations.
    expect(Object.keys(pod).sort()).toEqual(['checksum/config', 'prometheus.io/path', 'prometheus.io/port', 'prometheus.io/scrape']);
    expect(pod).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8889', 'prometheus.io/path': '/metrics' });
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
    expect(endpoint).toBe('http://otel-collector.suoke-observability-prod.svc.cluster.local:4317');
  });

  it('derives the attribute conditions from its props', () => {
    const props = { environment: 'dev', serviceNamespace: 'shop', appsNamespace: 'shop-dev', memoryLimit: '512Mi', jaegerOtlpEndpoint: 'j:4317', lokiOtlpEndpoint: 'http://l:3100/otlp', lokiTenant: 't', metricNamespace: 'shop' };
    expect(gatewayCollectorConfig(props).processors['transform/platform'].log_statements[0].statements[0]).toBe(
      'set(attributes["service.namespace"], "shop") where attributes["service.namespace"] == nil and attributes["k8s.namespace.name"] == "shop-dev"',
    );
  });
});

describe('log agent', () => {
  it('reads container logs with filelog, enriches with k8sattributes, forwards to the gateway', () => {
    const config = agentCollectorConfig({ memoryLimit: '256Mi', gatewayEndpoint: 'otel-collector.obs.svc.cluster.local:4317', ownNamespace: 'obs-agent' });
    expect(config.service.pipelines).toEqual({ logs: { receivers: ['filelog'], processors: ['memory_limiter', 'k8sattributes', 'batch'], exporters: ['otlp'] } });
    expect(config.receivers.filelog.exclude).toEqual(['/var/log/pods/obs-agent_*/*/*.log']);
    // read positions survive restarts: checkpoints in file_storage.
    expect(config.receivers.filelog.storage).toBe('file_storage');
    expect(config.extensions.file_storage).toEqual({ directory: '/var/lib/otelcol/file_storage' });
    expect(config.service.extensions).toEqual(['health_check', 'file_storage']);
    expect(config.exporters.otlp.endpoint).toBe('otel-collector.obs.svc.cluster.local:4317');
  });

  it('has a ClusterRole with only get/list/watch on pods, namespaces and replicasets', () => {
    const role = find('prod', 'ClusterRole', 'suoke-observability-agent-prod-otel-agent');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  it('mounts /var/log/pods read-only, its checkpoint directory read/write, and declares its exceptions', () => {
    const ds = find('prod', 'DaemonSet', 'otel-agent');
    const volume = (name: string) => ds.spec.template.spec.volumes.find((v: { name: string }) => v.name === name);
    const mount = (name: string) => ds.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === name);
    expect(volume('varlogpods').hostPath).toEqual({ path: '/var/log/pods', type: 'Directory' });
    expect(mount('varlogpods').readOnly).toBe(true);
    expect(volume('checkpoints').hostPath).toEqual({ path: '/var/lib/otelcol/suoke-observability-agent-prod', type: 'DirectoryOrCreate' });
    expect(mount('checkpoints')).toEqual({ name: 'checkpoints', mountPath: '/var/lib/otelcol/file_storage' });
    expect(ds.spec.template.spec.volumes.filter((v: { hostPath?: unknown }) => v.hostPath)).toHaveLength(2);
    expect(ds.metadata.annotations['policy.suoke.life/exception-p9']).toContain('/var/lib/otelcol/suoke-observability-agent-prod on the node (read/write');
    expect(Object.keys(ds.metadata.annotations).sort()).toEqual(['p1', 'p13', 'p2', 'p9'].map((r) => `policy.suoke.life/exception-${r}`));
  });
});

describe('Jaeger and Loki', () => {
  it('Jaeger keeps spans in Badger with a TTL in dev and staging, and in Elasticsearch with Secret credentials in prod', () => {
    const dev = parseYaml(find('dev', 'ConfigMap', 'jaeger').data['config.yaml']);
    // dev keeps three days (its catalog overlay), staging the platform's week.
    expect(dev.extensions.jaeger_storage.backends.traces.badger.ttl).toEqual({ spans: '72h' });
    expect(parseYaml(find('staging', 'ConfigMap', 'jaeger').data['config.yaml']).extensions.jaeger_storage.backends.traces.badger.ttl).toEqual({ spans: '168h' });
    const prod = parseYaml(find('prod', 'ConfigMap', 'jaeger').data['config.yaml']);
    expect(prod.extensions.jaeger_storage.backends.traces.elasticsearch.server_urls).toEqual(['https://elasticsearch.suoke.life:9200']);
    const env = find('prod', 'StatefulSet', 'jaeger').spec.template.spec.containers[0].env;
    expect(env.filter((e: { valueFrom?: unknown }) => e.valueFrom && JSON.stringify(e.valueFrom).includes('secretKeyRef'))).toEqual([
      { name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: 'jaeger-elasticsearch', key: 'username' } } },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'jaeger-elasticsearch', key: 'password' } } },
    ]);
    expect(jaegerConfig({ storage: { backend: 'memory' }, retentionHours: 1, indexPrefix: 'demo-dev', memoryLimit: '512Mi' }).service.pipelines.traces.processors).toEqual(['memory_limiter', 'batch']);
  });

  it('Jaeger reads Elasticsearch back as far as the retention, verifies its certificate, and names indices after the environment', () => {
    const es = parseYaml(find('prod', 'ConfigMap', 'jaeger').data['config.yaml']).extensions.jaeger_storage.backends.traces.elasticsearch;
    // the catalog keeps traces 168h; Jaeger's default max_span_age (72h) would hide days 4 to 7.
    expect(es.max_span_age).toBe('168h');
    // Jaeger joins prefix and index with "-": suoke-life-prod-jaeger-span-<date>, never jaeger-jaeger-span-<date>.
    expect(es.indices.index_prefix).toBe('suoke-life-prod');
    // no CA named in the catalog: the image's system roots verify the certificate.
    expect(es.tls).toEqual({ insecure: false, insecure_skip_verify: false });
    const withCa = jaegerConfig({
      storage: { backend: 'elasticsearch', url: 'https://es.example:9200', credentials: { secret: 's', usernameKey: 'u', passwordKey: 'p' }, ca: { secret: 'es-ca', key: 'ca.pem' } },
      retentionHours: 24,
      indexPrefix: 'demo-prod',
      memoryLimit: '1Gi',
    }).extensions.jaeger_storage.backends.traces as Record<string, { tls: unknown; max_span_age: string }>;
    expect(withCa.elasticsearch.tls).toEqual({ insecure: false, insecure_skip_verify: false, ca_file: '/etc/jaeger/es-ca/ca.crt' });
    expect(withCa.elasticsearch.max_span_age).toBe('24h');
  });

  it('Jaeger mounts the CA the catalog names, read-only, at the file its config verifies against', () => {
    const chart = Testing.chart();
    new Jaeger(chart, 'jaeger', {
      namespace: 'obs',
      instance: 'demo-prod',
      partOf: 'demo',
      image: 'docker.io/jaegertracing/jaeger:2.8.0',
      version: '2.8.0',
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      storage: { backend: 'elasticsearch', url: 'https://es.example:9200', credentials: { secret: 's', usernameKey: 'u', passwordKey: 'p' }, ca: { secret: 'es-ca', key: 'ca.pem' } },
      retentionHours: 168,
    });
    const pod = Testing.synth(chart).find((o) => o.kind === 'StatefulSet')!.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'es-ca', secret: { secretName: 'es-ca', items: [{ key: 'ca.pem', path: 'ca.crt' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'es-ca', mountPath: '/etc/jaeger/es-ca', readOnly: true });
    const config = parseYaml(Testing.synth(chart).find((o) => o.kind === 'ConfigMap')!.data['config.yaml']);
    expect(config.extensions.jaeger_storage.backends.traces.elasticsearch.tls.ca_file).toBe('/etc/jaeger/es-ca/ca.crt');
  });

  it('Loki: tsdb v13 on the filesystem, replication 1, retention, auth enabled', () => {
    const config = parseYaml(find('prod', 'ConfigMap', 'loki').data['config.yaml']);
    expect(config.auth_enabled).toBe(true);
    expect(config.common.replication_factor).toBe(1);
    expect(config.schema_config.configs[0]).toMatchObject({ store: 'tsdb', schema: 'v13', object_store: 'filesystem' });
    expect(config.limits_config.retention_period).toBe('744h');
    // sized per environment in the catalog (platform.telemetry + environments.<env>.telemetry).
    const limits = (env: 'dev' | 'staging' | 'prod') => {
      const c = parseYaml(find(env, 'ConfigMap', 'loki').data['config.yaml']).limits_config;
      return [c.retention_period, c.ingestion_rate_mb, c.ingestion_burst_size_mb, c.per_stream_rate_limit, c.per_stream_rate_limit_burst].join(' ');
    };
    expect(limits('dev')).toBe('168h 4 8 3MB 15MB');
    expect(limits('staging')).toBe('336h 6 12 3MB 15MB');
    expect(limits('prod')).toBe('744h 10 20 5MB 20MB');
    expect(() => lokiConfig({ retentionHours: 24, limits: { ingestionRateMb: 8, ingestionBurstSizeMb: 4, perStreamRateLimitMb: 3, perStreamRateLimitBurstMb: 15 } })).toThrow(
      'loki limits: each burst must be at least its rate, got ingestion 8/4 and per stream 3/15 MB',
    );
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

  it('alerts on Redis down, cluster_state not ok and memory near maxmemory, with runbook descriptions', () => {
    const rule = find('prod', 'PrometheusRule', 'suoke-life-alerts');
    const group = rule.spec.groups.find((g: { name: string }) => g.name === 'redis');
    expect(group.rules.map((r: { alert: string; expr: string; for: string; labels: { severity: string } }) => `${r.alert} ${r.labels.severity} for ${r.for}: ${r.expr}`)).toEqual([
      'RedisDown critical for 2m: redis_up == 0',
      'RedisClusterStateNotOk critical for 2m: redis_cluster_state{service="redis-cluster"} == 0',
      'RedisMemoryNearMaxmemory warning for 15m: redis_memory_used_bytes / redis_memory_max_bytes > 0.9 and redis_memory_max_bytes > 0',
    ]);
    for (const r of group.rules) expect(r.annotations.description.length).toBeGreaterThan(80);
    // without a Redis cluster, no cluster-state alert (the rate-limit Redis is standalone).
    expect(redisAlertRules({}).rules.map((r) => r.alert)).toEqual(['RedisDown', 'RedisMemoryNearMaxmemory']);
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
  // which exporter serves each metric a panel reads: metric-exporters.test.ts.
  it('dashboard JSON parses, with a row per area and the Redis row from the exporter', () => {
    const cm = find('prod', 'ConfigMap', 'suoke-dashboards');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    const dashboard = JSON.parse(cm.data['suoke-platform.json']);
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(8);
    const redis = dashboard.panels.filter((p: { targets?: { expr: string }[] }) => p.targets?.some((t) => t.expr.includes('redis_')));
    expect(redis.map((p: { title: string; targets: { expr: string }[] }) => `${p.title}: ${p.targets[0].expr}`)).toEqual([
      'Connections: sum by (pod) (redis_connected_clients{service="redis-cluster"})',
      'Commands per second: sum(rate(redis_commands_processed_total{service="redis-cluster"}[1m]))',
      'Memory used / maxmemory: max by (pod) (redis_memory_used_bytes{service="redis-cluster"} / redis_memory_max_bytes{service="redis-cluster"})',
      'Members with cluster_state ok: sum(redis_cluster_state{service="redis-cluster"})',
    ]);
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
  it('admits every workload of the platform (its sidecar exports spans) to the collector on OTLP gRPC only, by principal', () => {
    const policy = find('prod', 'AuthorizationPolicy', 'otel-collector');
    // every pod template in the output, by the identity its sidecar presents.
    const workloads = objectsOf('prod')
      .map((o) => o.object)
      .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind))
      .map((o) => `cluster.local/ns/${o.metadata.namespace}/sa/${o.spec.template.spec.serviceAccountName}`)
      .sort();
    expect(workloads).toContain('cluster.local/ns/suoke-data-prod/sa/consul-kv-seed');
    expect(workloads).toContain('cluster.local/ns/suoke-life-prod/sa/rate-limit-redis');
    expect(policy.spec.rules).toEqual([{ from: [{ source: { principals: workloads } }], to: [{ operation: { ports: ['4317'] } }] }]);
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
