import { selectsIstio } from './selectors';
import type { KubeObject, Protocol, Workload } from './types';
import { byNamespace } from './by-namespace';

/** Application protocol of a destination port, as Istio's sidecar treats it. */
export type AppProtocol = 'HTTP' | 'TCP';

/**
 * Istio's HTTP-class protocols (port name `<protocol>[-<suffix>]` or `appProtocol`); everything else
 * (tcp, tls, https, redis, mongo, mysql, ...) is proxied as opaque TCP, so HTTP attributes are unknown.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
const HTTP_PROTOCOLS = ['http', 'http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c'];

function fromName(name: string | undefined): AppProtocol | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  if (HTTP_PROTOCOLS.includes(lower)) return 'HTTP';
  // grpc-web-x must be tested before the generic prefix split, which would read "grpc".
  const prefix = lower.startsWith('grpc-web-') ? 'grpc-web' : lower.split('-')[0];
  return HTTP_PROTOCOLS.includes(prefix) ? 'HTTP' : prefix ? 'TCP' : undefined;
}

/** The Services of one environment indexed by namespace. */
export class ServiceIndex {
  private readonly byNamespace: Map<string, KubeObject[]>;
  private readonly portsCache = new Map<string, { readonly service: KubeObject; readonly servicePort: KubeObject }[]>();

  constructor(objects: readonly KubeObject[]) {
    this.byNamespace = byNamespace(objects, 'Service');
  }

  /**
   * The Service ports selecting `workload`'s pods whose targetPort (number or container port name; default:
   * the Service port) is `port`. Headless Services count: the sidecar knows their endpoints too.
   */
  portsFor(workload: Workload, port: number, protocol: Protocol): { readonly service: KubeObject; readonly servicePort: KubeObject }[] {
    if (!workload.namespace) return [];
    const key = `${workload.id} ${port}/${protocol}`;
    const cached = this.portsCache.get(key);
    if (cached) return cached;
    const found = (this.byNamespace.get(workload.namespace) ?? []).flatMap((service) => {
      const selector = service.spec?.selector;
      if (!selector || Object.keys(selector).length === 0 || !selectsIstio({ matchLabels: selector }, workload.podLabels)) return [];
      return ((service.spec?.ports ?? []) as KubeObject[])
        .filter((sp) => (sp.protocol ?? 'TCP') === protocol)
        .filter((sp) => {
          const target = sp.targetPort ?? sp.port;
          return typeof target === 'number' ? target === port : workload.ports.some((wp) => wp.name === target && wp.port === port && wp.protocol === protocol);
        })
        .map((servicePort) => ({ service, servicePort }));
    });
    this.portsCache.set(key, found);
    return found;
  }

  /**
   * HTTP or TCP: the selecting Service port's `appProtocol`, else its name prefix; else the container
   * port's name prefix; default TCP (this analyser does not assume Istio's protocol sniffing succeeds).
   */
  protocolOf(workload: Workload, port: number, protocol: Protocol): AppProtocol {
    if (protocol !== 'TCP') return 'TCP';
    for (const { servicePort } of this.portsFor(workload, port, protocol)) {
      const found = fromName(servicePort.appProtocol) ?? fromName(servicePort.name);
      if (found) return found;
    }
    return fromName(workload.ports.find((wp) => wp.port === port && wp.protocol === protocol)?.name) ?? 'TCP';
  }
}
