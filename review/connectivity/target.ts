import type { ExternalHost, Protocol, Workload } from './types';

/** Where a connection goes: a workload's pods, or a host outside the cluster. */
export type Target = { readonly workload: Workload } | { readonly external: ExternalHost };

/** One attempted connection: source pods, destination, the destination's port and protocol. */
export interface Flow {
  readonly source: Workload;
  readonly target: Target;
  readonly port: number;
  readonly protocol: Protocol;
}

/** What one layer decides about a flow. */
export interface Verdict {
  readonly allowed: boolean;
  /** The policies (or missing isolation) that let it through. */
  readonly openedBy: readonly string[];
  /** Why it is refused, with the fix. */
  readonly findings: readonly import('./types').Finding[];
}

export function targetName(target: Target): string {
  return 'workload' in target ? target.workload.id : target.external.host;
}

export function describeFlow(flow: Flow): string {
  return `${flow.source.id} -> ${targetName(flow.target)}:${flow.port}/${flow.protocol}`;
}
