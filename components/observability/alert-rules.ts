import type { SloModel } from '../../catalog/model';

/**
 * Prometheus rule groups as pure functions: the four alerts of the seed (003) verbatim, and SLO
 * recording rules plus multi-window, multi-burn-rate alerts generated from each service's `slo`.
 *
 * @see https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Rule
 */
export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** The four alert rules of PLATFORM.md "Telemetry" (seed 003), expressions, `for` and severities unchanged. */
export function seedAlertRules(): RuleGroup {
  return {
    name: 'suoke_life_alerts',
    rules: [
      { alert: 'ServiceDown', expr: 'up == 0', for: '1m', labels: { severity: 'critical' }, annotations: { summary: 'Service {{ $labels.instance }} is down', description: '{{ $labels.instance }} has been down for more than 1 minute.' } },
      {
        alert: 'HighResponseTime',
        expr: 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m])) > 1',
        for: '2m',
        labels: { severity: 'warning' },
        annotations: { summary: '{{ $labels.instance }} responds slowly', description: 'p95 response time above 1 s; current value {{ $value }} s.' },
      },
      {
        alert: 'AIAgentHighErrorRate',
        expr: 'rate(ai_agent_requests_failed_total[5m]) / rate(ai_agent_requests_total[5m]) > 0.1',
        for: '3m',
        labels: { severity: 'warning' },
        annotations: { summary: 'AI agent {{ $labels.agent_name }} error rate too high', description: 'Error rate {{ $value | humanizePercentage }}.' },
      },
      // inert until a PostgreSQL exporter is scraped: kept verbatim from the seed (see README "Telemetry").
      { alert: 'DatabaseConnectionHigh', expr: 'pg_stat_activity_count > 80', for: '2m', labels: { severity: 'warning' }, annotations: { summary: 'Too many database connections', description: 'Current connections: {{ $value }}.' } },
    ],
  };
}

/** Warn when Redis holds more than this share of `maxmemory`: past it, writes start evicting keys. */
export const REDIS_MEMORY_WARNING_RATIO = 0.9;

export interface RedisAlertProps {
  /** The Redis cluster's `service` label (its `app.kubernetes.io/name`); absent when the platform runs none. */
  readonly clusterService?: string;
}

/**
 * Alerts on the redis_exporter metrics of every Redis the platform runs. Names from
 * oliver006/redis_exporter v1.88.0: `redis_up` (`exporter/exporter.go`), `redis_cluster_state`
 * (CLUSTER INFO's `cluster_state`, `ok` → 1, `fail` → 0: `exporter/metrics.go`
 * parseAndRegisterConstMetric), `redis_memory_used_bytes` and `redis_memory_max_bytes` (INFO
 * `used_memory` and `maxmemory`, `metricMapGauges` in `exporter/exporter.go`).
 */
export function redisAlertRules(props: RedisAlertProps): RuleGroup {
  const cluster = props.clusterService;
  return {
    name: 'redis',
    rules: [
      {
        alert: 'RedisDown',
        expr: 'redis_up == 0',
        for: '2m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Redis {{ $labels.pod }} does not answer its exporter',
          description:
            'redis_exporter in {{ $labels.namespace }}/{{ $labels.pod }} cannot reach or authenticate to the Redis server in its pod for 2 minutes. Check the server container\'s logs and restarts, and that the password Secret both containers read is unchanged.',
        },
      },
      ...(cluster
        ? [
            {
              alert: 'RedisClusterStateNotOk',
              expr: `redis_cluster_state{${SERVICE_LABEL}="${cluster}"} == 0`,
              for: '2m',
              labels: { severity: 'critical', [SERVICE_LABEL]: cluster },
              annotations: {
                summary: 'Redis cluster member {{ $labels.pod }} reports cluster_state:fail',
                description:
                  'For 2 minutes {{ $labels.pod }} has seen slots uncovered or lost its majority of masters, so it refuses commands for some or all keys. Run `valkey-cli --cluster check` from a member, look for members that are NotReady or in `fail` state in CLUSTER NODES, and follow README "Data and discovery: Redis and Consul" → "Operations".',
              },
            },
          ]
        : []),
      {
        alert: 'RedisMemoryNearMaxmemory',
        expr: `redis_memory_used_bytes / redis_memory_max_bytes > ${REDIS_MEMORY_WARNING_RATIO} and redis_memory_max_bytes > 0`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Redis {{ $labels.pod }} uses {{ $value | humanizePercentage }} of maxmemory',
          description:
            'Above maxmemory Redis evicts keys by its maxmemory-policy (sessions and counters disappear early). Check for keys without a TTL, then raise maxmemory and the memory limit together in catalog/platform.yaml (maxmemory stays at most 75 % of the limit).',
        },
      },
    ],
  };
}

/** The label the PodMonitors give every service's series (from `app.kubernetes.io/name`). */
export const SERVICE_LABEL = 'service';
/** The label of the HTTP status code on the services' request metrics (prometheus-client convention of the seeds). */
export const STATUS_LABEL = 'status';

/** The SRE workbook's page and ticket conditions: long and short window, burn-rate factor. */
export const BURN_RATE_WINDOWS = [
  { severity: 'critical', long: '1h', short: '5m', factor: 14.4, for: '2m' },
  { severity: 'warning', long: '6h', short: '30m', factor: 6, for: '15m' },
] as const;
const WINDOWS = ['5m', '30m', '1h', '6h'] as const;

/** A number without float noise (`0.0144`, not `0.014400000000000001`), the same on every run. */
export function clean(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/** The error budget as a ratio: 99.9 % availability → 0.001. */
export function errorBudget(availability: number): number {
  return Number(((100 - availability) / 100).toPrecision(10));
}

/** Latency objective: 95 % of requests within the threshold, so the budget of slow requests is 5 %. */
export const LATENCY_BUDGET = 0.05;

/** Seconds of a millisecond threshold, as the `le` label of a histogram bucket (`0.2`). */
export function bucketBound(latencyMs: number): string {
  return clean(latencyMs / 1000);
}

/** Recording rules and burn-rate alerts for one service. */
export function sloRules(service: string, slo: SloModel): RuleGroup {
  const sel = `${SERVICE_LABEL}="${service}"`;
  const le = bucketBound(slo.latencyP95Ms);
  const budget = errorBudget(slo.availability);
  const records: Rule[] = WINDOWS.flatMap((w) => [
    {
      record: `slo:sli_error:ratio_rate${w}`,
      expr: `sum(rate(http_request_duration_seconds_count{${sel},${STATUS_LABEL}=~"5.."}[${w}])) / sum(rate(http_request_duration_seconds_count{${sel}}[${w}]))`,
      labels: { [SERVICE_LABEL]: service, slo: 'availability' },
    },
    {
      record: `slo:sli_slow:ratio_rate${w}`,
      expr: `1 - (sum(rate(http_request_duration_seconds_bucket{${sel},le="${le}"}[${w}])) / sum(rate(http_request_duration_seconds_count{${sel}}[${w}])))`,
      labels: { [SERVICE_LABEL]: service, slo: 'latency' },
    },
  ]);
  const alerts: Rule[] = BURN_RATE_WINDOWS.flatMap((w) => [
    burnAlert(service, 'ErrorBudgetBurn', 'sli_error', budget, w, `availability ${slo.availability}%`),
    burnAlert(service, 'LatencyBudgetBurn', 'sli_slow', LATENCY_BUDGET, w, `95% of requests within ${slo.latencyP95Ms} ms`),
  ]);
  return { name: `slo-${service}`, rules: [...records, ...alerts] };
}

function burnAlert(service: string, alert: string, sli: string, budget: number, w: (typeof BURN_RATE_WINDOWS)[number], objective: string): Rule {
  const threshold = clean(w.factor * budget);
  const sel = `{${SERVICE_LABEL}="${service}"}`;
  return {
    alert,
    expr: `slo:${sli}:ratio_rate${w.long}${sel} > ${threshold} and slo:${sli}:ratio_rate${w.short}${sel} > ${threshold}`,
    for: w.for,
    labels: { severity: w.severity, [SERVICE_LABEL]: service, window: w.long },
    annotations: {
      summary: `${service} is burning its error budget ${w.factor}x too fast (${w.long}/${w.short})`,
      description: `Objective: ${objective}. At this rate the 30-day budget is gone in ${clean(720 / w.factor)} h.`,
    },
  };
}
