import { compare } from '../objects';
import { findDeadRules } from './dead-rules';
import { Layers } from './layers';
import { requestOverAllowance } from './over-allowance';
import type { Flow, Target } from './target';
import type { Allowance, AnalysisInput, ConnectivityReport, ExternalHost, Finding, Protocol, RequiredConnection, Unexplained, Workload } from './types';
import { extractWorkloads } from './workloads';

function key(from: string, to: string, port: number, protocol: Protocol): string {
  return `${from}\u0000${to}\u0000${port}\u0000${protocol}`;
}

function toName(connection: RequiredConnection): string {
  return 'workload' in connection.to ? connection.to.workload : connection.to.external.host;
}

function byConnection<T extends { from: string; to: string; port: number; protocol: Protocol }>(a: T, b: T): number {
  return compare(a.from, b.from) || compare(a.to, b.to) || a.port - b.port || compare(a.protocol, b.protocol);
}

function byRequired(a: { connection: RequiredConnection }, b: { connection: RequiredConnection }): number {
  return (
    compare(a.connection.from, b.connection.from) || compare(toName(a.connection), toName(b.connection)) || a.connection.port - b.connection.port || compare(a.connection.reason, b.connection.reason)
  );
}

/**
 * Who can reach whom in one environment, through NetworkPolicy (both ends), the mesh registry and egress,
 * PeerAuthentication and AuthorizationPolicy; which required connections are blocked; which allowances no
 * required connection explains; which rules select nothing. Pure; every list sorted.
 */
export function analyseConnectivity(input: AnalysisInput): ConnectivityReport {
  const workloads = extractWorkloads(input.objects, input.outsideWorkloads);
  const outside = new Set(input.outsideWorkloads.map((w) => w.id));
  const synthesized = new Set(workloads.filter((w) => !outside.has(w.id)).map((w) => w.id));
  const byId = new Map(workloads.map((w) => [w.id, w]));
  const layers = new Layers(input.objects, input.mesh, synthesized, input.layers);

  const targetOf = (connection: RequiredConnection): Target => {
    if ('external' in connection.to) return { external: connection.to.external };
    const workload = byId.get(connection.to.workload);
    if (!workload) throw new Error(`required connection "${connection.reason}" goes to unknown workload "${connection.to.workload}"; known: ${[...byId.keys()].join(', ')}`);
    return { workload };
  };
  const sourceOf = (connection: RequiredConnection): Workload => {
    const workload = byId.get(connection.from);
    if (!workload) throw new Error(`required connection "${connection.reason}" comes from unknown workload "${connection.from}"; known: ${[...byId.keys()].join(', ')}`);
    return workload;
  };

  const reasons = new Map<string, string[]>();
  for (const r of input.required) {
    const k = key(r.from, toName(r), r.port, r.protocol);
    reasons.set(k, [...(reasons.get(k) ?? []), r.reason]);
  }

  const blocked: { connection: RequiredConnection; findings: readonly Finding[] }[] = [];
  const allowed = new Map<string, Allowance>();
  const unexplained: Unexplained[] = [];
  const record = (flow: Flow, to: string) => {
    const k = key(flow.source.id, to, flow.port, flow.protocol);
    if (allowed.has(k)) return;
    const explainedBy = [...new Set(reasons.get(k) ?? [])].sort(compare);
    allowed.set(k, { from: flow.source.id, to, port: flow.port, protocol: flow.protocol, explainedBy });
    // Only an unexplained allowance needs every rule that opens it: evaluate it once more, completely.
    if (explainedBy.length === 0) unexplained.push({ from: flow.source.id, to, port: flow.port, protocol: flow.protocol, openedBy: layers.evaluate(flow, 'some', undefined, true).openedBy });
  };

  for (const connection of input.required) {
    const flow: Flow = { source: sourceOf(connection), target: targetOf(connection), port: connection.port, protocol: connection.protocol };
    const verdict = layers.evaluate(flow, 'every', connection.http);
    if (verdict.allowed) record(flow, toName(connection));
    else blocked.push({ connection, findings: verdict.findings });
  }

  if (input.leastPrivilege === false) {
    return { workloads, allowed: [...allowed.values()].sort(byConnection), blocked: blocked.sort(byRequired), unexplained: [], deadRules: [] };
  }

  // Enumeration: every source × every destination port (outside workloads only on the ports they declare;
  // pairs of two outside workloads are not governed by this platform's objects), plus every external host.
  const externals = new Map<string, ExternalHost>();
  for (const r of input.required) if ('external' in r.to) externals.set(`${r.to.external.host}:${r.to.external.port}/${r.to.external.protocol}`, r.to.external);
  for (const source of workloads) {
    for (const destination of workloads) {
      if (outside.has(source.id) && outside.has(destination.id)) continue;
      for (const port of destination.ports) {
        const flow: Flow = { source, target: { workload: destination }, port: port.port, protocol: port.protocol };
        const verdict = layers.evaluate(flow, 'some');
        if (verdict.allowed) record(flow, destination.id);
      }
    }
    if (outside.has(source.id)) continue;
    for (const external of [...externals.values()]) {
      const flow: Flow = { source, target: { external }, port: external.port, protocol: external.protocol };
      const verdict = layers.evaluate(flow, 'some');
      if (verdict.allowed) record(flow, external.host);
    }
  }

  // Least privilege below the port: an explained HTTP allowance must not admit methods or paths nobody needs.
  for (const allowance of allowed.values()) {
    const destination = byId.get(allowance.to);
    if (allowance.explainedBy.length === 0 || !destination || !layers.isEnabled('AuthorizationPolicy')) continue;
    const needs = input.required.filter((r) => r.from === allowance.from && toName(r) === allowance.to && r.port === allowance.port && r.protocol === allowance.protocol);
    const flow: Flow = { source: byId.get(allowance.from)!, target: { workload: destination }, port: allowance.port, protocol: allowance.protocol };
    const wide = requestOverAllowance(layers, flow, needs);
    if (wide) unexplained.push({ from: allowance.from, to: allowance.to, port: allowance.port, protocol: allowance.protocol, openedBy: wide.openedBy, requests: wide.requests });
  }

  const deadRules = findDeadRules(input.objects, workloads, input.required, input.mesh.rootNamespace).sort(
    (a, b) => compare(a.policy, b.policy) || compare(a.path, b.path),
  );
  return {
    workloads,
    allowed: [...allowed.values()].sort(byConnection),
    blocked: blocked.sort(byRequired),
    unexplained: unexplained.sort(byConnection),
    deadRules,
  };
}
