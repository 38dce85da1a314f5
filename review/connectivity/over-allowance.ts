import { compare } from '../objects';
import { admittedRequests } from './authorization-policy';
import { patternCovers, valueSet } from './istio-match';
import type { Layers } from './layers';
import type { Flow } from './target';
import type { RequiredConnection } from './types';

/**
 * Requests an explained HTTP allowance admits beyond those its required connections make: a method or
 * path pattern of a matching ALLOW rule that no required method × path covers (`/a/*` is covered by a
 * required `/a/*` or `/*`, not by `/a/b/*`). A required connection without `http` needs the whole port.
 * Undefined when nothing is wider than needed.
 */
export function requestOverAllowance(layers: Layers, flow: Flow, required: readonly RequiredConnection[]): { requests: string[]; openedBy: string[] } | undefined {
  if (!('workload' in flow.target) || required.length === 0 || required.some((r) => !r.http)) return undefined;
  const destination = flow.target.workload;
  if (flow.protocol !== 'TCP' || layers.services.protocolOf(destination, flow.port, flow.protocol) !== 'HTTP') return undefined;
  const plaintext = !flow.source.meshed || layers.peerAuthentication.modeFor(destination, flow.port).mode === 'DISABLE';
  const wide = admittedRequests(layers.authorization, flow, plaintext).filter(
    (a) => !required.some((r) => r.http!.methods.some((m) => patternCovers(m, valueSet(a.method))) && r.http!.paths.some((p) => patternCovers(p, valueSet(a.path)))),
  );
  if (wide.length === 0) return undefined;
  return {
    requests: [...new Set(wide.map((a) => `${a.method} ${a.path}`))].sort(compare),
    openedBy: [...new Set(wide.map((a) => a.rule))].sort(compare),
  };
}
