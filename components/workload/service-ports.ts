import { k8s } from '../common/k8s';
import type { NamedPort } from './container';

/** A Service port: the protocol Istio should assume, when its name does not say it. */
export interface ServicePortSpec extends NamedPort {
  /** @default - none (Istio reads the protocol from the name prefix) */
  readonly appProtocol?: 'http' | 'grpc' | 'tcp';
}

/** Service ports that target the container ports of the same name, so a port number lives in one place. */
export function servicePorts(ports: readonly ServicePortSpec[]): k8s.ServicePort[] {
  return ports.map((p) => ({
    name: p.name,
    port: p.port,
    targetPort: k8s.IntOrString.fromString(p.name),
    protocol: 'TCP',
    ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
  }));
}
