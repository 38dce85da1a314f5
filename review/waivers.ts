import { POLICY_EXCEPTION_PREFIX } from '../components/common/policy-exception';
import { compare, objectKey, type K8sObject } from './objects';

/** Every declared exception to a SECURITY.md rule (`policy.suoke.life/exception-<rule>`), keyed by object and rule. */
export function securityWaivers(objects: readonly K8sObject[]): Map<string, string> {
  const waivers = new Map<string, string>();
  for (const o of objects) {
    for (const [annotation, reason] of Object.entries<string>(o.metadata?.annotations ?? {})) {
      if (annotation.startsWith(POLICY_EXCEPTION_PREFIX)) waivers.set(`${objectKey(o)} ${annotation.slice(POLICY_EXCEPTION_PREFIX.length).toUpperCase()}`, reason);
    }
  }
  return waivers;
}

/** Security waivers added, or given another reason: each one weakens a rule reviewers rely on. */
export function securityWaiverLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = securityWaivers(base);
  return [...securityWaivers(head)]
    .filter(([key, reason]) => before.get(key) !== reason)
    .sort(([a], [b]) => compare(a, b))
    .map(([key, reason]) => `! security waiver ${before.has(key) ? 'changed' : 'added'}: ${key}: ${reason}`);
}
