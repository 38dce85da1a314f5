import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import type { NamespacedObjectProps } from '../common/namespaced-object';

export interface ServiceEntryPort {
  readonly number: number;
  /** Istio's protocol of the port; `TLS` when the client itself speaks TLS to the host (routed by SNI). */
  readonly protocol: 'TLS' | 'HTTPS' | 'TCP' | 'HTTP';
  readonly name: string;
}

export interface ServiceEntryProps extends NamespacedObjectProps {
  /** DNS names of the external service. */
  readonly hosts: readonly string[];
  readonly ports: readonly ServiceEntryPort[];
  /**
   * Namespaces whose sidecars see the entry.
   * @default ['.'] - only the entry's own namespace
   */
  readonly exportTo?: readonly string[];
}

/**
 * Declares a host outside the mesh (`MESH_EXTERNAL`, resolved by DNS) so that sidecars under
 * `outboundTrafficPolicy: REGISTRY_ONLY` route to it; without it, connections to the host end in
 * the BlackHole cluster. Exported only to its own namespace: other namespaces still cannot reach it.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
 */
export class ServiceEntry extends CustomResource {
  public static readonly sourceFile = __filename;
  constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    if (props.hosts.length === 0 || props.ports.length === 0) throw new Error(`service entry ${props.name}: needs at least one host and one port`);
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry' }, props, {
      hosts: [...props.hosts],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: props.ports.map((p) => ({ number: p.number, name: p.name, protocol: p.protocol })),
      exportTo: [...(props.exportTo ?? ['.'])],
    });
  }
}
