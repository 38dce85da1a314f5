import type { Layer } from '../../catalog/schema';

/**
 * The platform dashboard (PLATFORM.md: gateway p95 latency and QPS, agent up/down, database
 * connections and QPS) plus one row per service layer, as Grafana dashboard JSON, and the
 * datasource provisioning for Prometheus, Jaeger and Loki with trace-to-logs links. Pure functions.
 *
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 */

/** Datasource uids the dashboard and the links refer to. */
export const DATASOURCE_UIDS = { prometheus: 'prometheus', jaeger: 'jaeger', loki: 'loki' } as const;

export interface DashboardProps {
  readonly title: string;
  readonly uid: string;
  /** Services by layer, each list sorted. */
  readonly layers: ReadonlyMap<Layer, readonly string[]>;
  /** The agent services (up/down panel). */
  readonly agents: readonly string[];
  /**
   * The Redis cluster's `service` label (its `app.kubernetes.io/name`), plotted from its exporter.
   * @default - no Redis row
   */
  readonly redisService?: string;
}

interface Panel {
  readonly title: string;
  readonly type: 'timeseries' | 'stat';
  readonly unit: string;
  readonly exprs: readonly { readonly expr: string; readonly legend: string }[];
}

function servicesRegex(services: readonly string[]): string {
  return services.join('|');
}

/**
 * The Redis cluster from redis_exporter v1.88.0 (`exporter/exporter.go`: INFO `connected_clients`,
 * `total_commands_processed` → `redis_commands_processed_total`, `used_memory` →
 * `redis_memory_used_bytes`, `maxmemory` → `redis_memory_max_bytes`; CLUSTER INFO `cluster_state`
 * → `redis_cluster_state`, 1 when ok).
 */
function redisRow(service: string): { title: string; panels: Panel[] } {
  const sel = `{service="${service}"}`;
  return {
    title: 'Databases (Redis)',
    panels: [
      { title: 'Connections', type: 'timeseries', unit: 'short', exprs: [{ expr: `sum by (pod) (redis_connected_clients${sel})`, legend: '{{pod}}' }] },
      { title: 'Commands per second', type: 'timeseries', unit: 'ops', exprs: [{ expr: `sum(rate(redis_commands_processed_total${sel}[1m]))`, legend: 'commands/s' }] },
      { title: 'Memory used / maxmemory', type: 'timeseries', unit: 'percentunit', exprs: [{ expr: `max by (pod) (redis_memory_used_bytes${sel} / redis_memory_max_bytes${sel})`, legend: '{{pod}}' }] },
      { title: 'Members with cluster_state ok', type: 'stat', unit: 'none', exprs: [{ expr: `sum(redis_cluster_state${sel})`, legend: 'ok' }] },
    ],
  };
}

export function platformDashboard(props: DashboardProps) {
  const rows: { title: string; panels: Panel[] }[] = [
    {
      title: 'API gateway (Kong)',
      panels: [
        { title: 'Gateway p95 latency', type: 'timeseries', unit: 'ms', exprs: [{ expr: 'histogram_quantile(0.95, sum by (le) (rate(kong_request_latency_ms_bucket[5m])))', legend: 'p95' }] },
        { title: 'Gateway QPS', type: 'timeseries', unit: 'reqps', exprs: [{ expr: 'sum(rate(kong_http_requests_total[1m]))', legend: 'requests/s' }] },
      ],
    },
    {
      title: 'AI agents',
      panels: [{ title: 'Agents up', type: 'stat', unit: 'none', exprs: [{ expr: `max by (service) (up{service=~"${servicesRegex(props.agents)}"})`, legend: '{{service}}' }] }],
    },
    ...(props.redisService ? [redisRow(props.redisService)] : []),
    ...[...props.layers.entries()].map(([layer, services]) => ({
      title: `Layer: ${layer}`,
      panels: [
        {
          title: `${layer}: p95 latency`,
          type: 'timeseries' as const,
          unit: 's',
          exprs: [{ expr: `histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{service=~"${servicesRegex(services)}"}[5m])))`, legend: '{{service}}' }],
        },
        {
          title: `${layer}: requests per second`,
          type: 'timeseries' as const,
          unit: 'reqps',
          exprs: [{ expr: `sum by (service) (rate(http_request_duration_seconds_count{service=~"${servicesRegex(services)}"}[1m]))`, legend: '{{service}}' }],
        },
        {
          title: `${layer}: error ratio (5m)`,
          type: 'timeseries' as const,
          unit: 'percentunit',
          exprs: [{ expr: `max by (service) (slo:sli_error:ratio_rate5m{service=~"${servicesRegex(services)}"})`, legend: '{{service}}' }],
        },
      ],
    })),
  ];

  let id = 0;
  let y = 0;
  const panels: unknown[] = [];
  for (const row of rows) {
    panels.push({ id: ++id, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
    const width = Math.floor(24 / row.panels.length);
    row.panels.forEach((p, i) => {
      panels.push({
        id: ++id,
        type: p.type,
        title: p.title,
        datasource: { type: 'prometheus', uid: DATASOURCE_UIDS.prometheus },
        fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
        gridPos: { h: 8, w: width, x: i * width, y },
        targets: p.exprs.map((e, j) => ({ refId: String.fromCharCode(65 + j), datasource: { type: 'prometheus', uid: DATASOURCE_UIDS.prometheus }, expr: e.expr, legendFormat: e.legend })),
      });
    });
    y += 8;
  }
  return {
    uid: props.uid,
    title: props.title,
    tags: ['suoke-life', 'platform'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [] },
    annotations: { list: [] },
    panels,
  };
}

export interface DatasourcesProps {
  readonly prometheusUrl: string;
  readonly jaegerUrl: string;
  readonly lokiUrl: string;
  /** Loki tenant sent as `X-Scope-OrgID` (a tenant name, not a credential). */
  readonly lokiTenant: string;
}

/** Grafana datasource provisioning: Prometheus (default), Jaeger with trace-to-logs, Loki with log-to-trace. */
export function grafanaDatasources(props: DatasourcesProps) {
  return {
    apiVersion: 1,
    datasources: [
      { name: 'Prometheus', uid: DATASOURCE_UIDS.prometheus, type: 'prometheus', access: 'proxy', url: props.prometheusUrl, isDefault: true, editable: false },
      {
        name: 'Jaeger',
        uid: DATASOURCE_UIDS.jaeger,
        type: 'jaeger',
        access: 'proxy',
        url: props.jaegerUrl,
        editable: false,
        jsonData: {
          tracesToLogsV2: { datasourceUid: DATASOURCE_UIDS.loki, spanStartTimeShift: '-5m', spanEndTimeShift: '5m', filterByTraceID: true, filterBySpanID: false, tags: [{ key: 'service.name', value: 'service_name' }] },
        },
      },
      {
        name: 'Loki',
        uid: DATASOURCE_UIDS.loki,
        type: 'loki',
        access: 'proxy',
        url: props.lokiUrl,
        editable: false,
        jsonData: {
          httpHeaderName1: 'X-Scope-OrgID',
          // `$$` escapes Grafana's environment expansion in provisioning files.
          derivedFields: [{ name: 'TraceID', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: DATASOURCE_UIDS.jaeger, url: '$${__value.raw}' }],
        },
        secureJsonData: { httpHeaderValue1: props.lokiTenant },
      },
    ],
  };
}
