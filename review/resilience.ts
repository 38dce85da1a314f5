import { parseDurationMs } from '../catalog/duration';
import { compare, objectKey, type K8sObject } from './objects';
import { valueText } from './units';

/** One caller's route to a service, read from a VirtualService. */
export interface CallResilience {
  /** `Kind namespace/name` of the VirtualService and the route's name. */
  readonly id: string;
  readonly caller: string;
  readonly callee: string;
  readonly methods: readonly string[];
  readonly timeout?: string;
  readonly attempts?: number;
  readonly perTryTimeout?: string;
  readonly retryOn?: string;
  /** `stable 80, canary 20` when the route splits traffic. */
  readonly split?: string;
}

/** One service's circuit breakers, read from its DestinationRule. */
export interface ServiceBreakers {
  readonly id: string;
  readonly service: string;
  readonly settings: Readonly<Record<string, number | string | undefined>>;
}

/**
 * The DestinationRule fields a change can loosen, and which way is looser: more errors before an
 * ejection, a slower sweep, shorter ejections, fewer pods ejected, larger pools.
 */
const BREAKER_FIELDS: readonly { readonly path: string; readonly looser: 'higher' | 'lower' }[] = [
  { path: 'outlierDetection.consecutive5xxErrors', looser: 'higher' },
  { path: 'outlierDetection.interval', looser: 'higher' },
  { path: 'outlierDetection.baseEjectionTime', looser: 'lower' },
  { path: 'outlierDetection.maxEjectionPercent', looser: 'lower' },
  { path: 'connectionPool.tcp.maxConnections', looser: 'higher' },
  { path: 'connectionPool.http.http1MaxPendingRequests', looser: 'higher' },
  { path: 'connectionPool.http.http2MaxRequests', looser: 'higher' },
  { path: 'tls.mode', looser: 'higher' },
];

/** Every route of every VirtualService inside the mesh, one per caller (and retry class), sorted. */
export function callResilience(objects: readonly K8sObject[]): CallResilience[] {
  return objects
    .filter((o) => o.kind === 'VirtualService')
    .flatMap((vs) =>
      (vs.spec?.http ?? []).map((route: K8sObject): CallResilience => {
        const match: K8sObject[] = route.match ?? [];
        const methods = [...new Set(match.flatMap((m) => (m.method?.exact ? [m.method.exact] : (m.method?.regex?.split('|') ?? []))))] as string[];
        const destinations: K8sObject[] = route.route ?? [];
        return {
          id: `${objectKey(vs)} route ${route.name}`,
          caller: match[0]?.sourceLabels?.['app.kubernetes.io/name'] ?? 'any',
          callee: vs.metadata.name,
          methods,
          timeout: route.timeout,
          attempts: route.retries?.attempts,
          perTryTimeout: route.retries?.perTryTimeout,
          retryOn: route.retries?.retryOn,
          ...(destinations.some((d) => d.destination?.subset) ? { split: destinations.map((d) => `${d.destination.subset} ${d.weight ?? 100}`).join(', ') } : {}),
        };
      }),
    )
    .sort((a, b) => compare(a.id, b.id));
}

/** Every DestinationRule's circuit breakers, sorted. */
export function serviceBreakers(objects: readonly K8sObject[]): ServiceBreakers[] {
  return objects
    .filter((o) => o.kind === 'DestinationRule')
    .map((dr) => ({
      id: objectKey(dr),
      service: dr.metadata.name,
      settings: Object.fromEntries(BREAKER_FIELDS.map((f) => [f.path, f.path.split('.').reduce<any>((node, key) => node?.[key], dr.spec?.trafficPolicy)])),
    }))
    .sort((a, b) => compare(a.id, b.id));
}

/**
 * `! resilience loosened` and `! resilience removed` risk lines: a longer timeout, more or longer
 * retries, retries turned on, a laxer circuit breaker or ejection, and any route or DestinationRule
 * (or one of its settings) that disappears. Tightening is not a risk and is not listed.
 */
export function resilienceRisks(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const lines: string[] = [];
  const headCalls = new Map(callResilience(head).map((c) => [c.id, c]));
  for (const before of callResilience(base)) {
    const after = headCalls.get(before.id);
    if (!after) {
      lines.push(`! resilience removed: ${before.id} (${before.caller} → ${before.callee} timeout ${valueText(before.timeout)}, ${retriesText(before)})`);
      continue;
    }
    const changes = [
      ...durationChange('timeout', before.timeout, after.timeout),
      ...(looserNumber(before.attempts, after.attempts) ? [`retries.attempts ${valueText(before.attempts)} → ${valueText(after.attempts)}`] : []),
      ...durationChange('retries.perTryTimeout', before.perTryTimeout, after.perTryTimeout),
      ...(before.retryOn !== undefined && after.retryOn !== before.retryOn && !(after.retryOn ?? '').split(',').every((c) => before.retryOn!.split(',').includes(c))
        ? [`retries.retryOn ${before.retryOn} → ${valueText(after.retryOn)}`]
        : []),
    ];
    if (changes.length > 0) lines.push(`! resilience loosened: ${before.id} (${before.caller} → ${before.callee}): ${changes.join(', ')}`);
  }
  const headBreakers = new Map(serviceBreakers(head).map((b) => [b.id, b]));
  for (const before of serviceBreakers(base)) {
    const after = headBreakers.get(before.id);
    if (!after) {
      lines.push(`! resilience removed: ${before.id} (connection pool and outlier detection of ${before.service})`);
      continue;
    }
    const changes = BREAKER_FIELDS.flatMap(({ path, looser }) => {
      const [a, b] = [before.settings[path], after.settings[path]];
      if (a === b || a === undefined) return [];
      const loosened = b === undefined || (path === 'tls.mode' ? true : looser === 'higher' ? amount(b) > amount(a) : amount(b) < amount(a));
      return loosened ? [`${path} ${valueText(a)} → ${valueText(b)}`] : [];
    });
    if (changes.length > 0) lines.push(`! resilience loosened: ${before.id}: ${changes.join(', ')}`);
  }
  return lines;
}

/** The SUMMARY.md section: each service's ejection and pool, then each call's timeout and retries. */
export function resilienceSection(objects: readonly K8sObject[]): string[] {
  const breakers = serviceBreakers(objects);
  const calls = callResilience(objects);
  if (breakers.length === 0 && calls.length === 0) return [];
  const s = (b: ServiceBreakers, path: string) => valueText(b.settings[path]);
  return [
    '## Resilience',
    '',
    'Read from the DestinationRules and VirtualServices. Ejection: a pod answering `5xx` that many times in a row leaves the pool for the base ejection time (longer each time), at most the given share of pods at once. Pool: connections, queued requests and requests in flight per calling sidecar.',
    '',
    '| service | 5xx in a row | sweep | base ejection | max ejected | connections | queued | in flight | mTLS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...breakers.map(
      (b) =>
        `| ${b.service} | ${s(b, 'outlierDetection.consecutive5xxErrors')} | ${s(b, 'outlierDetection.interval')} | ${s(b, 'outlierDetection.baseEjectionTime')} | ${s(b, 'outlierDetection.maxEjectionPercent')} % | ` +
        `${s(b, 'connectionPool.tcp.maxConnections')} | ${s(b, 'connectionPool.http.http1MaxPendingRequests')} | ${s(b, 'connectionPool.http.http2MaxRequests')} | ${s(b, 'tls.mode')} |`,
    ),
    '',
    'Each caller\'s requests, as its sidecar sends them: the whole call\'s timeout, and the retries (tries after the first, each with its own timeout).',
    '',
    '| caller | callee | methods | timeout | retries | split |',
    '| --- | --- | --- | ---: | --- | --- |',
    ...calls.map((c) => `| ${c.caller} | ${c.callee} | ${c.methods.join(', ')} | ${valueText(c.timeout)} | ${retriesText(c)} | ${c.split ?? ''} |`),
    '',
  ];
}

function retriesText(c: CallResilience): string {
  if (c.attempts === undefined) return 'Istio default';
  return c.attempts === 0 ? 'none' : `${c.attempts} × ${c.perTryTimeout ?? 'timeout'} on ${c.retryOn ?? 'Istio default'}`;
}

function durationChange(field: string, before: string | undefined, after: string | undefined): string[] {
  if (before === after || before === undefined) return [];
  // no timeout at all (unset) is the loosest there is.
  return after === undefined || (parseDurationMs(after) ?? Infinity) > (parseDurationMs(before) ?? Infinity) ? [`${field} ${before} → ${valueText(after)}`] : [];
}

function looserNumber(before: number | undefined, after: number | undefined): boolean {
  if (before === after || before === undefined) return false;
  // unset attempts fall back to Istio's default retry policy, which retries.
  return after === undefined || after > before;
}

function amount(value: number | string | undefined): number {
  return typeof value === 'number' ? value : (parseDurationMs(String(value)) ?? NaN);
}
