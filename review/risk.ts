import { authorizationEdges, denyAllNamespaces, edgeKey } from './authorization';
import { capacityTotals, workloadCapacities, type PodSize } from './capacity';
import { publicEndpoints } from './exposure';
import { containerImages } from './images';
import { compare, containersOf, objectKey, podSpecOf, type K8sObject } from './objects';
import { resilienceRisks } from './resilience';
import { corsOriginLines, routeProtectionLines } from './route-protection';
import { secretReferenceLines } from './secret-references';
import { securityRelaxations } from './security-context';
import { selectorChanges } from './workload-selectors';
import { diffObjects, diffValues, type ObjectDiff } from './semantic-diff';
import { cpuText, memoryText, signed, valueText } from './units';
import { securityWaiverLines } from './waivers';

/** What a detector reads: both object sets and their diff. */
export interface ChangeInput {
  readonly base: readonly K8sObject[];
  readonly head: readonly K8sObject[];
  readonly diff: ObjectDiff;
}

/**
 * One kind of finding. `risk` findings are what a reviewer must accept explicitly (and what
 * `npm run diff -- --fail-on risk` fails on); `information` is printed but never fails a check.
 * Each line starts with a marker: `+` allowed or exposed that was not, `-` no longer allowed,
 * `!` a weakening, `~` a change of image, replicas or resources, `=` capacity totals.
 */
export interface FindingCategory {
  readonly id: string;
  readonly title: string;
  readonly severity: 'risk' | 'information';
  readonly detect: (input: ChangeInput) => string[];
}

/**
 * The reviewer's worries, in report order. Adding a category is one entry. The connections a
 * change opens or closes need the catalog's model, so `reviewEnvironment` adds them (environment-review.ts).
 */
export const FINDING_CATEGORIES: readonly FindingCategory[] = [
  { id: 'call-graph', title: 'calls the mesh allows', severity: 'risk', detect: ({ base, head }) => edgeLines(base, head) },
  { id: 'mesh-security', title: 'mTLS and default deny', severity: 'risk', detect: ({ base, head, diff }) => meshLines(base, head, diff) },
  { id: 'public-entries', title: 'new public entries', severity: 'risk', detect: ({ base, head }) => exposureLines(base, head, '+') },
  { id: 'renamed', title: 'objects replaced under another name', severity: 'risk', detect: ({ diff }) => diff.renamed.map((r) => `! renamed (a replace: the old object is deleted): ${r.from} → ${r.to}`) },
  { id: 'security-context', title: 'pod security relaxed', severity: 'risk', detect: ({ diff }) => diff.changed.flatMap((c) => securityRelaxations(c.before, c.after)) },
  { id: 'route-protection', title: 'public-route authentication or plugins removed or loosened', severity: 'risk', detect: ({ base, head }) => routeProtectionLines(base, head) },
  { id: 'cors-origins', title: 'CORS origins added', severity: 'risk', detect: ({ base, head }) => corsOriginLines(base, head) },
  { id: 'security-waivers', title: 'security waivers added', severity: 'risk', detect: ({ base, head }) => securityWaiverLines(base, head) },
  { id: 'secret-references', title: 'secret references changed', severity: 'risk', detect: ({ base, head }) => secretReferenceLines(base, head) },
  { id: 'resilience', title: 'resilience settings loosened or removed', severity: 'risk', detect: ({ base, head }) => resilienceRisks(base, head) },
  { id: 'selectors', title: 'workload selectors changed (immutable: a replace)', severity: 'risk', detect: ({ diff }) => selectorChanges(diff) },
  { id: 'public-entries-removed', title: 'public entries removed', severity: 'information', detect: ({ base, head }) => exposureLines(base, head, '-') },
  { id: 'images', title: 'image versions', severity: 'information', detect: ({ base, head }) => imageLines(base, head) },
  { id: 'replicas', title: 'replica bounds', severity: 'information', detect: ({ diff }) => replicaLines(diff) },
  { id: 'resources', title: 'container resources', severity: 'information', detect: ({ diff }) => resourceLines(diff) },
  { id: 'capacity', title: 'capacity totals', severity: 'information', detect: ({ base, head }) => totalLines(base, head) },
];

/** The findings of a change, split by severity, each list in category order. */
export interface ChangeAssessment {
  readonly risks: readonly string[];
  readonly information: readonly string[];
}

export function assessChange(base: readonly K8sObject[], head: readonly K8sObject[], diff: ObjectDiff = diffObjects(base, head)): ChangeAssessment {
  const found = FINDING_CATEGORIES.map((category) => ({ category, lines: category.detect({ base, head, diff }) }));
  const of = (severity: FindingCategory['severity']) => found.filter((f) => f.category.severity === severity).flatMap((f) => f.lines);
  return { risks: of('risk'), information: of('information') };
}

/** Every finding, risks first, one line each; empty when nothing changed that a reviewer reads. */
export function riskSummary(base: readonly K8sObject[], head: readonly K8sObject[], diff: ObjectDiff = diffObjects(base, head)): string[] {
  const { risks, information } = assessChange(base, head, diff);
  return [...risks, ...information];
}

function edgeLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = new Set(authorizationEdges(base).map(edgeKey));
  const after = new Set(authorizationEdges(head).map(edgeKey));
  return [
    ...[...after].filter((e) => !before.has(e)).map((e) => `+ edge ${e}`),
    ...[...before].filter((e) => !after.has(e)).map((e) => `- edge ${e}`),
  ].sort(byText);
}

function meshLines(base: readonly K8sObject[], head: readonly K8sObject[], diff: ObjectDiff): string[] {
  const isPeerAuthentication = (o: K8sObject) => o.kind === 'PeerAuthentication';
  const lines = [
    ...diff.added.filter(isPeerAuthentication).map((o) => `+ mTLS ${objectKey(o)} ${mtlsText(o)}`),
    ...diff.removed.filter(isPeerAuthentication).map((o) => `! mTLS ${objectKey(o)} removed (was ${mtlsText(o)})`),
    ...diff.changed
      .filter((c) => isPeerAuthentication(c.after))
      .flatMap((c) => c.changes.filter((f) => f.path.startsWith('spec')).map((f) => `! mTLS ${c.key} ${f.path} ${valueText(f.before)} → ${valueText(f.after)}`)),
  ];
  const denyBefore = new Set(denyAllNamespaces(base));
  const denyAfter = new Set(denyAllNamespaces(head));
  lines.push(...[...denyBefore].filter((p) => !denyAfter.has(p)).map((p) => `! default deny removed: AuthorizationPolicy ${p}`));
  lines.push(...[...denyAfter].filter((p) => !denyBefore.has(p)).map((p) => `+ default deny: AuthorizationPolicy ${p}`));
  return lines.sort(byText);
}

function mtlsText(o: K8sObject): string {
  const ports = Object.entries<K8sObject>(o.spec?.portLevelMtls ?? {}).map(([port, m]) => ` port ${port} ${m.mode}`);
  return `${o.spec?.mtls?.mode ?? 'UNSET'}${ports.join('')}`;
}

function exposureLines(base: readonly K8sObject[], head: readonly K8sObject[], marker: '+' | '-'): string[] {
  const before = new Map(publicEndpoints(base).map((e) => [e.id, e.text]));
  const after = new Map(publicEndpoints(head).map((e) => [e.id, e.text]));
  const [from, to] = marker === '+' ? [before, after] : [after, before];
  return [...to].filter(([id, text]) => from.get(id) !== text).map(([, text]) => `${marker} public ${text}`).sort(byText);
}

function imageLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = new Map(containerImages(base).map((c) => [`${c.workload} container ${c.container}`, c.image]));
  return containerImages(head)
    .map((c) => ({ id: `${c.workload} container ${c.container}`, image: c.image }))
    .filter(({ id, image }) => before.has(id) && before.get(id) !== image)
    .map(({ id, image }) => `~ image ${id}: ${before.get(id)} → ${image}`);
}

function replicaLines(diff: ObjectDiff): string[] {
  return diff.changed.flatMap((c) => {
    const paths = c.after.kind === 'HorizontalPodAutoscaler' ? ['spec.minReplicas', 'spec.maxReplicas'] : podSpecOf(c.after) ? ['spec.replicas'] : [];
    const changes = c.changes.filter((f) => paths.includes(f.path));
    if (changes.length === 0) return [];
    return [`~ replicas ${c.key}: ${changes.map((f) => `${f.path.slice('spec.'.length)} ${valueText(f.before)} → ${valueText(f.after)}`).join(', ')}`];
  });
}

function resourceLines(diff: ObjectDiff): string[] {
  return diff.changed.flatMap((c) => {
    const before = podSpecOf(c.before);
    const after = podSpecOf(c.after);
    if (!before || !after) return [];
    const old = new Map(containersOf(before).map(({ container }) => [container.name, container]));
    return containersOf(after).flatMap(({ container }) => {
      if (!old.has(container.name)) return [];
      const changes = diffValues(old.get(container.name)?.resources ?? {}, container.resources ?? {});
      if (changes.length === 0) return [];
      return [`~ resources ${c.key} container ${container.name}: ${changes.map((f) => `${f.path} ${valueText(f.before)} → ${valueText(f.after)}`).join(', ')}`];
    });
  });
}

function totalLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = capacityTotals(workloadCapacities(base));
  const after = capacityTotals(workloadCapacities(head));
  const line = (label: string, a: PodSize, b: PodSize) => {
    if (a.requests.cpu === b.requests.cpu && a.requests.memory === b.requests.memory) return [];
    return [
      `= requests ${label}: cpu ${cpuText(a.requests.cpu)} → ${cpuText(b.requests.cpu)} (${signed(b.requests.cpu - a.requests.cpu, cpuText)}), ` +
        `memory ${memoryText(a.requests.memory)} → ${memoryText(b.requests.memory)} (${signed(b.requests.memory - a.requests.memory, memoryText)})`,
    ];
  };
  return [...line('at min replicas', before.atMin, after.atMin), ...line('at max replicas', before.atMax, after.atMax), ...line('per node', before.perNode, after.perNode)];
}

function byText(a: string, b: string): number {
  return compare(a.slice(2), b.slice(2)) || compare(a, b);
}
