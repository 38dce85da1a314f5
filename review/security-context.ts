import { containersOf, podSpecOf, type K8sObject } from './objects';
import { valueText } from './units';

/** A setting, where to read it and whether a value is the hardened one. */
interface Setting {
  readonly field: string;
  readonly read: (container: K8sObject, pod: K8sObject) => unknown;
  readonly hardened: (value: any) => boolean;
}

const CONTAINER_SETTINGS: readonly Setting[] = [
  { field: 'allowPrivilegeEscalation', read: (c) => c.securityContext?.allowPrivilegeEscalation, hardened: (v) => v === false },
  { field: 'privileged', read: (c) => c.securityContext?.privileged, hardened: (v) => v !== true },
  { field: 'readOnlyRootFilesystem', read: (c) => c.securityContext?.readOnlyRootFilesystem, hardened: (v) => v === true },
  { field: 'runAsNonRoot', read: (c, p) => c.securityContext?.runAsNonRoot ?? p.securityContext?.runAsNonRoot, hardened: (v) => v === true },
  { field: 'runAsUser', read: (c, p) => c.securityContext?.runAsUser ?? p.securityContext?.runAsUser, hardened: (v) => v !== 0 },
  {
    field: 'seccompProfile',
    read: (c, p) => (c.securityContext?.seccompProfile ?? p.securityContext?.seccompProfile)?.type,
    hardened: (v) => v === 'RuntimeDefault' || v === 'Localhost',
  },
  { field: 'capabilities.drop', read: (c) => c.securityContext?.capabilities?.drop, hardened: (v) => Array.isArray(v) && v.includes('ALL') },
  { field: 'capabilities.add', read: (c) => c.securityContext?.capabilities?.add, hardened: (v) => !v || v.every((x: string) => x === 'NET_BIND_SERVICE') },
];

const POD_SETTINGS: readonly Setting[] = [
  { field: 'hostNetwork', read: (_, p) => p.hostNetwork, hardened: (v) => v !== true },
  { field: 'hostPID', read: (_, p) => p.hostPID, hardened: (v) => v !== true },
  { field: 'hostIPC', read: (_, p) => p.hostIPC, hardened: (v) => v !== true },
  { field: 'automountServiceAccountToken', read: (_, p) => p.automountServiceAccountToken, hardened: (v) => v === false },
  {
    field: 'hostPath volumes',
    read: (_, p) => (p.volumes ?? []).filter((v: K8sObject) => v.hostPath).map((v: K8sObject) => v.name),
    hardened: (v) => v.length === 0,
  },
];

/**
 * Settings of a pod-bearing object that were hardened before and are not after (SECURITY.md P1–P9,
 * P13), one line each: `! securityContext relaxed: Deployment x container y allowPrivilegeEscalation false → true`.
 * Containers are matched by name; a new container's settings are the policy suite's business.
 */
export function securityRelaxations(before: K8sObject, after: K8sObject): string[] {
  const oldPod = podSpecOf(before);
  const newPod = podSpecOf(after);
  if (!oldPod || !newPod) return [];
  const label = `${after.kind} ${after.metadata?.name}`;
  const lines = POD_SETTINGS.flatMap((s) => relaxed(s, {}, oldPod, {}, newPod, label));
  const old = new Map(containersOf(oldPod).map(({ container }) => [container.name, container]));
  for (const { container } of containersOf(newPod)) {
    const previous = old.get(container.name);
    if (previous) lines.push(...CONTAINER_SETTINGS.flatMap((s) => relaxed(s, previous, oldPod, container, newPod, `${label} container ${container.name}`)));
  }
  return lines;
}

function relaxed(setting: Setting, oldContainer: K8sObject, oldPod: K8sObject, newContainer: K8sObject, newPod: K8sObject, label: string): string[] {
  const was = setting.read(oldContainer, oldPod);
  const is = setting.read(newContainer, newPod);
  if (!setting.hardened(was) || setting.hardened(is)) return [];
  return [`! securityContext relaxed: ${label} ${setting.field} ${valueText(was)} → ${valueText(is)}`];
}
