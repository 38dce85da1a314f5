import { describe, expect, it } from 'vitest';
import { metricNames } from '../../support/promql';
import { ENVIRONMENTS, objectsOf, type SynthesizedObject } from '../../support/platform';
import { EXPECTED_UNEXPORTED, METRIC_EXPORTERS } from './metric-exporters';

describe('metricNames (the PromQL reader the exporter check relies on)', () => {
  it('keeps metric names and drops functions, aggregations, keywords, labels, strings, durations and numbers', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{service=~"a|b"}[5m])))')).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('redis_memory_used_bytes / redis_memory_max_bytes > 0.9 and redis_memory_max_bytes > 0')).toEqual(['redis_memory_max_bytes', 'redis_memory_used_bytes']);
    expect(metricNames('slo:sli_error:ratio_rate1h{service="x"} > 0.0144 and slo:sli_error:ratio_rate5m{service="x"} > 1e-3')).toEqual(['slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate5m']);
    expect(metricNames('sum(rate(a_total[5m] offset 1h)) / on (pod) group_left (node) b_info unless c == bool 1')).toEqual(['a_total', 'b_info', 'c']);
    expect(metricNames('up{job="x{y}", name=\'rate(z)\'} == 0')).toEqual(['up']);
  });

  it('throws on what it cannot read', () => {
    expect(() => metricNames('up{job="x"')).toThrow('promql: unbalanced braces');
    expect(() => metricNames('up{job="x}')).toThrow('promql: unbalanced quotes');
  });
});

/** Every PromQL expression of one environment: dashboard panel targets and rule expressions, with where each comes from. */
function expressions(objects: readonly SynthesizedObject[]): { where: string; expr: string }[] {
  const panels = objects
    .filter((o) => o.object.kind === 'ConfigMap' && o.object.metadata.labels?.grafana_dashboard === '1')
    .flatMap((o) =>
      Object.entries<string>(o.object.data).flatMap(([file, json]) =>
        JSON.parse(json).panels.flatMap((p: { title: string; targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => ({ where: `${file} panel "${p.title}"`, expr: t.expr }))),
      ),
    );
  const rules = objects
    .filter((o) => o.object.kind === 'PrometheusRule')
    .flatMap((o) => o.object.spec.groups.flatMap((g: { name: string; rules: { alert?: string; record?: string; expr: string }[] }) => g.rules.map((r) => ({ where: `${o.object.metadata.name} ${g.name} ${r.alert ?? r.record}`, expr: r.expr }))));
  return [...panels, ...rules];
}

const recorded = (objects: readonly SynthesizedObject[]) =>
  new Set(objects.filter((o) => o.object.kind === 'PrometheusRule').flatMap((o) => o.object.spec.groups.flatMap((g: { rules: { record?: string }[] }) => g.rules.flatMap((r) => (r.record ? [r.record] : [])))));

describe.each(ENVIRONMENTS)('every metric a dashboard or rule reads has an exporter (%s)', (environment) => {
  const objects = objectsOf(environment);
  const exprs = expressions(objects);
  const records = recorded(objects);
  const running = METRIC_EXPORTERS.filter((e) => e.running(objects));
  const exporterOf = (metric: string) => running.find((e) => e.metrics.includes(metric) || (e.prefixes?.(objects) ?? []).some((p) => metric.startsWith(p)))?.exporter;

  it('reads dashboards and rules', () => {
    expect(exprs.some((e) => e.where.includes('panel'))).toBe(true);
    expect(exprs.some((e) => !e.where.includes('panel'))).toBe(true);
  });

  it('finds each metric in a running exporter, a recording rule, or the reviewed list of expected gaps', () => {
    const missing = exprs.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((m) => !records.has(m) && !EXPECTED_UNEXPORTED.has(m) && exporterOf(m) === undefined)
        .map((m) => `${where}: ${m} is exported by nothing the platform runs in ${environment}`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps the list of expected gaps true: each entry is used and still unexported', () => {
    const used = new Set(exprs.flatMap((e) => metricNames(e.expr)));
    for (const metric of EXPECTED_UNEXPORTED.keys()) {
      expect(used.has(metric), `${metric} is no longer used: remove it from EXPECTED_UNEXPORTED`).toBe(true);
      expect(exporterOf(metric), `${metric} is exported now: remove it from EXPECTED_UNEXPORTED`).toBeUndefined();
    }
  });

  it('runs the Redis exporter wherever a Redis runs, so the Redis panels and alerts have data', () => {
    const redisPods = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.object.kind) && o.object.spec.template.spec.containers.some((c: { image: string }) => /\/(valkey|redis):/.test(c.image)));
    expect(redisPods.length).toBeGreaterThan(0);
    for (const o of redisPods) {
      const { containers } = o.object.spec.template.spec;
      const exporter = containers.find((c: { name: string }) => c.name === 'redis-exporter');
      expect(exporter, `${o.object.metadata.name} has no redis-exporter container`).toBeDefined();
      expect(o.object.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9121', 'prometheus.io/path': '/metrics' });
      // the same Secret as the server: the server's password env and the exporter's REDIS_PASSWORD.
      const secretOf = (c: { env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }) => c.env?.find((e) => e.valueFrom?.secretKeyRef)?.valueFrom?.secretKeyRef;
      expect(exporter.env.find((e: { name: string }) => e.name === 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual(secretOf(containers[0]));
    }
  });
});
