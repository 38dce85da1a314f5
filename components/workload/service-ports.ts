import { k8s } from '../common/k8s';
import type { NamedPort } from './container';

/** A Service port: the protocol Istio should assume, when its name does not say it. */
export interface ServicePortSpec extends NamedPort {
  /** @default - none (Istio reads the protocol from the name prefix) */
  readonly appProtocol?: 'http' | 'https' | 'grpc' | 'tcp';
  /**
   * The container port's name, when the Service names its port otherwise (a public `https` in
   * front of a container's `proxy-tls`).
   * @default - the container port of the same name
   */
  readonly targetPort?: string;
}

/** Service ports that target container ports by name (by default the same name), so a port number lives in one place. */
export function servicePorts(ports: readonly ServicePortSpec[]): k8s.ServicePort[] {
  return ports.map((p) => ({
    name: p.name,
    port: p.port,
    targetPort: k8s.IntOrString.fromString(p.targetPort ?? p.name),
    protocol: p.protocol ?? 'TCP',
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }));
}
