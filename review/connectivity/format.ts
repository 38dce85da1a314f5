import type { ConnectivityReport } from './types';

/** Human-readable lines for a test failure or CLI, each naming connection, layer, policy and fix. */
export function formatFindings(report: ConnectivityReport): string[] {
  const blocked = report.blocked.flatMap(({ connection, findings }) => {
    const to = 'workload' in connection.to ? connection.to.workload : `${connection.to.external.host} (external)`;
    const head = `blocked: ${connection.from} -> ${to} port ${connection.port}/${connection.protocol} (${connection.reason})`;
    return findings.map((f) => `${head}: [${f.layer}]${f.policy ? ` ${f.policy}` : ''}: ${f.message}; fix: ${f.fix}`);
  });
  const unexplained = report.unexplained.map((u) =>
    u.requests
      ? `unexplained: ${u.from} -> ${u.to} port ${u.port}/${u.protocol} admits requests no required connection makes: ${u.requests.join(', ')}; opened by ${u.openedBy.join(', ')}; fix: narrow the methods and paths of those rules to the required ones`
      : `unexplained: ${u.from} -> ${u.to} port ${u.port}/${u.protocol} is allowed but no required connection needs it; opened by ${u.openedBy.join(', ') || '(nothing isolates it)'}; fix: narrow those rules, or declare the connection if the platform needs it`,
  );
  const dead = report.deadRules.map((d) => `dead rule: ${d.policy} ${d.path}: ${d.message}; fix: correct the selector or remove the rule`);
  return [...blocked, ...unexplained, ...dead];
}
