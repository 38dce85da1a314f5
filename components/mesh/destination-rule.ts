import type { Duration } from 'cdk8s';
import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import { firstRepeated } from '../common/first-repeated';
import type { NamespacedObjectProps } from '../common/namespaced-object';
import { formatDurationMs } from '../../catalog/duration';

/** A named group of the host's pods, for weighted routes (`spec.subsets[]`). */
export interface Subset {
  readonly name: string;
  /** Pod labels that select the subset's pods, on top of the Service's selector. */
  readonly labels: Record<string, string>;
}

export interface DestinationRuleProps extends NamespacedObjectProps {
  /** The Service's FQDN, `<name>.<namespace>.svc.cluster.local`. */
  readonly host: string;
  /** Envoy's circuit breakers towards the host, per calling sidecar. */
  readonly connectionPool: {
    /** `tcp.maxConnections`. */
    readonly maxConnections: number;
    /** `http.http1MaxPendingRequests`. */
    readonly http1MaxPendingRequests: number;
    /** `http.http2MaxRequests`. */
    readonly http2MaxRequests: number;
  };
  /** Passive health checking: pods that keep failing are ejected from the pool for a while. */
  readonly outlierDetection: {
    readonly consecutive5xxErrors: number;
    readonly interval: Duration;
    readonly baseEjectionTime: Duration;
    /** 1..100. */
    readonly maxEjectionPercent: number;
  };
  /**
   * Subsets for weighted routing (a canary).
   * @default [] - no subsets
   */
  readonly subsets?: readonly Subset[];
}

/**
 * An Istio `networking.istio.io/v1` DestinationRule: the connection pool and outlier detection
 * every caller's sidecar applies to the host, and `tls.mode: ISTIO_MUTUAL`, so the client side
 * always speaks Istio mTLS, consistent with the STRICT PeerAuthentications (a DestinationRule with
 * a traffic policy but no `tls` would not change that today, but says it where a reader looks).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends CustomResource {
  public static readonly sourceFile = __filename;
  public readonly subsets: readonly Subset[];

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    const subsets = props.subsets ?? [];
    const { maxEjectionPercent } = props.outlierDetection;
    if (!Number.isInteger(maxEjectionPercent) || maxEjectionPercent < 1 || maxEjectionPercent > 100) {
      throw new Error(`destination rule ${props.name}: outlierDetection.maxEjectionPercent ${maxEjectionPercent} is not a percentage; allowed 1..100`);
    }
    const repeated = firstRepeated(subsets.map((s) => s.name));
    if (repeated) throw new Error(`destination rule ${props.name}: subset "${repeated}" is listed twice; subset names must be unique`);
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' }, props, {
      host: props.host,
      trafficPolicy: {
        connectionPool: {
          tcp: { maxConnections: props.connectionPool.maxConnections },
          http: { http1MaxPendingRequests: props.connectionPool.http1MaxPendingRequests, http2MaxRequests: props.connectionPool.http2MaxRequests },
        },
        outlierDetection: {
          consecutive5xxErrors: props.outlierDetection.consecutive5xxErrors,
          interval: formatDurationMs(props.outlierDetection.interval.toMilliseconds()),
          baseEjectionTime: formatDurationMs(props.outlierDetection.baseEjectionTime.toMilliseconds()),
          maxEjectionPercent,
        },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      ...(subsets.length > 0 ? { subsets: subsets.map((s) => ({ name: s.name, labels: { ...s.labels } })) } : {}),
    });
    this.subsets = subsets;
  }
}
