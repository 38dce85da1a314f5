import type { ServiceIndex } from './services';
import { describeFlow, type Flow, type Verdict } from './target';
import { policyName, type ExternalHost, type KubeObject, type MeshSettings } from './types';

/**
 * ServiceEntry (networking.istio.io) matching for an external host: a host entry equal to it or a wildcard
 * `*.suffix` covering it; a port with its number; location MESH_EXTERNAL (the default); exported to the
 * source's namespace (exportTo absent, `*`, `.` in the source's own namespace, or the namespace by name);
 * resolution STATIC needs endpoints.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : pattern === host;
}

/** Why a ServiceEntry does not serve `host:port` to `sourceNamespace`, or undefined when it does. */
export function serviceEntryMismatch(entry: KubeObject, external: Pick<ExternalHost, 'host' | 'port'>, sourceNamespace: string): string | undefined {
  const spec = entry.spec ?? {};
  if (!((spec.hosts ?? []) as string[]).some((h) => hostMatches(h, external.host))) return `hosts do not include ${external.host}`;
  if (!((spec.ports ?? []) as KubeObject[]).some((p) => p.number === external.port)) return `ports do not include ${external.port}`;
  if ((spec.location ?? 'MESH_EXTERNAL') !== 'MESH_EXTERNAL') return `location is ${spec.location}, not MESH_EXTERNAL`;
  const exportTo: string[] | undefined = spec.exportTo;
  const ns = entry.metadata?.namespace ?? 'default';
  if (exportTo && !exportTo.some((e) => e === '*' || e === sourceNamespace || (e === '.' && ns === sourceNamespace))) return `exportTo ${JSON.stringify(exportTo)} does not include ${sourceNamespace}`;
  if (spec.resolution === 'STATIC' && (spec.endpoints ?? []).length === 0 && !spec.workloadSelector) return 'resolution STATIC without endpoints';
  return undefined;
}

/** Sidecar routing: what a meshed source needs under REGISTRY_ONLY beyond the policies. */
export class MeshEgress {
  private readonly entries: KubeObject[];

  constructor(objects: readonly KubeObject[], private readonly mesh: MeshSettings, private readonly services: ServiceIndex, private readonly synthesized: ReadonlySet<string>) {
    this.entries = objects.filter((o) => o.kind === 'ServiceEntry');
  }

  serviceEntries(): readonly KubeObject[] {
    return this.entries;
  }

  check(flow: Flow): Verdict {
    const pass: Verdict = { allowed: true, openedBy: [], findings: [] };
    // Only a sidecar's own outbound TCP capture routes by the registry; UDP and pods without sidecars are not proxied.
    if (!flow.source.meshed || flow.protocol !== 'TCP' || this.mesh.outboundTrafficPolicy !== 'REGISTRY_ONLY') return pass;
    if ('workload' in flow.target) {
      const destination = flow.target.workload;
      // Outside workloads (kube-dns, istiod, the API server) are registered by their own installs.
      if (!this.synthesized.has(destination.id) || this.services.portsFor(destination, flow.port, flow.protocol).length > 0) return pass;
      return {
        allowed: false,
        openedBy: [],
        findings: [
          {
            layer: 'MeshRegistry',
            message: `${describeFlow(flow)}: no Service selects ${destination.id} with target port ${flow.port}, so ${flow.source.id}'s sidecar sends it to the BlackHole cluster (outboundTrafficPolicy REGISTRY_ONLY)`,
            fix: `declare port ${flow.port} (targetPort ${flow.port}) on a Service selecting ${destination.id}; a headless Service is enough for pod-to-pod traffic`,
          },
        ],
      };
    }
    const external = flow.target.external;
    const reasons = this.entries.map((e) => ({ entry: e, why: serviceEntryMismatch(e, external, flow.source.namespace) }));
    const serving = reasons.filter((r) => r.why === undefined);
    if (serving.length > 0) return { allowed: true, openedBy: serving.map((r) => policyName(r.entry)), findings: [] };
    const near = reasons.filter((r) => !r.why!.startsWith('hosts'));
    return {
      allowed: false,
      openedBy: [],
      findings: [
        {
          layer: 'MeshEgress',
          ...(near.length > 0 ? { policy: policyName(near[0].entry) } : {}),
          message: `${describeFlow(flow)}: under outboundTrafficPolicy REGISTRY_ONLY no ServiceEntry serves ${external.host}:${external.port} to namespace ${flow.source.namespace}${near.map((r) => `; ${policyName(r.entry)}: ${r.why}`).join('')}`,
          fix: `add a ServiceEntry with hosts [${external.host}], ports [{ number: ${external.port}, protocol: TLS or TCP }], location MESH_EXTERNAL, resolution DNS, exported to ${flow.source.namespace}`,
        },
      ],
    };
  }
}
