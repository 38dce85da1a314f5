import { CONNECTION_GROUPS, type GroupedConnection } from './connectivity/required-connections';
import { formatFindings, type PlatformConnectivity } from './connectivity';
import { MARKDOWN_HEADER } from './documents';
import { compare } from './objects';

/**
 * `<env>/CONNECTIVITY.md`: every connection the policies allow, grouped by why the platform needs
 * it, and anything the analyser found blocked, over-allowed or dead (nothing, when the tests pass).
 */
export function connectivityDocument(environment: string, { required, report }: PlatformConnectivity): string {
  const target = (c: GroupedConnection) => ('workload' in c.to ? c.to.workload : `${c.to.external.host} (external)`);
  const allowedKeys = new Set(report.allowed.map((a) => `${a.from}\u0000${a.to}\u0000${a.port}\u0000${a.protocol}`));
  const isAllowed = (c: GroupedConnection) => allowedKeys.has(`${c.from}\u0000${'workload' in c.to ? c.to.workload : c.to.external.host}\u0000${c.port}\u0000${c.protocol}`);
  const findings = formatFindings(report);
  const sections = CONNECTION_GROUPS.flatMap((group) => {
    const rows = required
      .filter((c) => c.group === group && isAllowed(c))
      .map((c) => ({ from: c.from, to: target(c), port: `${c.port}/${c.protocol}`, requests: c.http ? `${c.http.methods.join(', ')} ${c.http.paths.map(code).join(' ')}` : 'any', reason: c.reason }))
      .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.port, b.port) || compare(a.reason, b.reason));
    if (rows.length === 0) return [];
    return [`## ${group} (${rows.length})`, '', '| from | to | port | requests | why |', '| --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r.from} | ${r.to} | ${r.port} | ${r.requests} | ${r.reason} |`), ''];
  });
  return [
    MARKDOWN_HEADER,
    `# Connectivity: ${environment}`,
    '',
    'Who may reach whom, proven over the synthesized objects through every layer (NetworkPolicy at both ends, the mesh registry and egress, ' +
      'PeerAuthentication, AuthorizationPolicy) against the connections the catalog requires (`review/connectivity/required-connections.ts`).',
    '',
    `${required.length} required connections: ${required.length - report.blocked.length} open through every layer, ${report.blocked.length} blocked. ` +
      'That nothing else is open and that no rule is dead is proven by `test/review/connectivity/platform.test.ts` over the same objects.',
    '',
    ...(findings.length > 0 ? ['## Findings', '', ...findings.map((f) => `- ${f}`), ''] : []),
    ...sections,
  ].join('\n');
}

function code(text: string): string {
  return `\`${text}\``;
}
