import type { Duration } from 'cdk8s';
import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import { firstRepeated } from '../common/first-repeated';
import type { NamespacedObjectProps } from '../common/namespaced-object';
import { formatDurationMs } from '../../catalog/duration';

/** One caller's requests and how its sidecar treats them (`spec.http[]`). */
export interface CallerRoute {
  /** The route's name, unique in the VirtualService (shown in Envoy stats and access logs). */
  readonly name: string;
  /** The caller's pod labels: the route applies only in that caller's sidecar (`match[].sourceLabels`). */
  readonly sourceLabels: Record<string, string>;
  readonly methods: readonly string[];
  /** Istio path patterns: exact (`/api/v1/auth/verify`) or a prefix ending in `*` (`/api/v1/rag/*`). */
  readonly paths: readonly string[];
  /** The whole request, retries included (`timeout`). */
  readonly timeout: Duration;
  /**
   * Retries (`retries`); `attempts: 0` turns off Istio's default retry policy for the route.
   */
  readonly retries: { readonly attempts: 0 } | { readonly attempts: number; readonly perTryTimeout: Duration; readonly retryOn: readonly string[] };
}

/** A share of the traffic for one subset of the host (`route[].weight`). */
export interface WeightedSubset {
  readonly subset: string;
  /** Percent; the weights of a route add up to 100. */
  readonly weight: number;
}

export interface VirtualServiceProps extends NamespacedObjectProps {
  /** The Service's FQDN. */
  readonly host: string;
  /** The port the routes match and send to (the service's http port). */
  readonly port: number;
  /** One entry per caller (or per caller and retry class); at least one. */
  readonly routes: readonly CallerRoute[];
  /**
   * Weighted subsets every route sends to (a canary), declared in the host's DestinationRule.
   * @default - the whole host, no subsets
   */
  readonly split?: readonly WeightedSubset[];
}

/**
 * An Istio `networking.istio.io/v1` VirtualService for calls inside the mesh: one HTTP route per
 * caller, matched by the caller's pod labels (`sourceLabels`, evaluated in the caller's sidecar),
 * method and path, with that edge's timeout and retries. Requests no route matches get Envoy's 404:
 * the AuthorizationPolicy would deny them anyway.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends CustomResource {
  public static readonly sourceFile = __filename;
  public readonly routes: readonly CallerRoute[];

  constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    const { routes } = props;
    if (routes.length === 0) throw new Error(`virtual service ${props.name}: has no routes; a service nobody calls needs no VirtualService`);
    const repeated = firstRepeated(routes.map((r) => r.name));
    if (repeated) throw new Error(`virtual service ${props.name}: route "${repeated}" is listed twice; route names must be unique`);
    if (props.split) {
      const total = props.split.reduce((sum, s) => sum + s.weight, 0);
      if (total !== 100) throw new Error(`virtual service ${props.name}: split weights add up to ${total}; allowed: exactly 100`);
    }
    const destination = (subset?: string) => ({ host: props.host, ...(subset ? { subset } : {}), port: { number: props.port } });
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }, props, {
      hosts: [props.host],
      http: routes.map((route) => ({
        name: route.name,
        match: route.paths.map((path) => ({
          sourceLabels: { ...route.sourceLabels },
          port: props.port,
          method: route.methods.length === 1 ? { exact: route.methods[0] } : { regex: route.methods.join('|') },
          uri: path.endsWith('*') ? { prefix: path.slice(0, -1) } : { exact: path },
        })),
        route: props.split ? props.split.map((s) => ({ destination: destination(s.subset), weight: s.weight })) : [{ destination: destination() }],
        timeout: formatDurationMs(route.timeout.toMilliseconds()),
        retries:
          route.retries.attempts === 0
            ? { attempts: 0 }
            : {
                attempts: route.retries.attempts,
                perTryTimeout: formatDurationMs((route.retries as { perTryTimeout: Duration }).perTryTimeout.toMilliseconds()),
                retryOn: (route.retries as { retryOn: readonly string[] }).retryOn.join(','),
              },
      })),
    });
    this.routes = routes;
  }
}
