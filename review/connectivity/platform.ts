import { outsideWorkloads, requiredConnections, type GroupedConnection } from './required-connections';
import type { PlatformModel } from '../../catalog/model';
import { meshConfig } from '../../components/mesh/mesh-config';
import { analyseConnectivity } from './analyse';
import type { ConnectivityReport, KubeObject, MeshSettings } from './types';

/** The platform's connectivity in one environment: its required connections checked against its objects. */
export interface PlatformConnectivity {
  readonly required: readonly GroupedConnection[];
  readonly report: ConnectivityReport;
}

/**
 * Analyses one environment's synthesized objects against the connections its model requires;
 * `leastPrivilege: false` checks only that each required connection is open (linear, for the synth).
 */
export function platformConnectivity(model: PlatformModel, objects: readonly KubeObject[], options: { readonly leastPrivilege?: boolean } = {}): PlatformConnectivity {
  const required = requiredConnections(model);
  const report = analyseConnectivity({ objects, outsideWorkloads: outsideWorkloads(model), required, mesh: meshSettings(model), ...options });
  return { required, report };
}

/** The mesh settings the analyser needs, from the same typed config the IstioOperator is built from. */
export function meshSettings(model: PlatformModel): MeshSettings {
  const mesh = meshConfig(model.istio) as { outboundTrafficPolicy: { mode: MeshSettings['outboundTrafficPolicy'] } };
  return { rootNamespace: model.namespaces.istioRoot, outboundTrafficPolicy: mesh.outboundTrafficPolicy.mode };
}
