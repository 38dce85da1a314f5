import type { ApiObject } from 'cdk8s';

/**
 * Annotation prefix that records a declared exception to a SECURITY.md rule on the object itself,
 * with the reason as the value: `policy.suoke.life/exception-p9: "reads container logs ..."`.
 * The policy suite reads these; there are no silent exceptions, and a reviewer sees each one in
 * the object it concerns.
 */
export const POLICY_EXCEPTION_PREFIX = 'policy.suoke.life/exception-';

/** Declares that `object` is exempt from SECURITY.md rule `rule` (e.g. `P9`), and why. */
export function declarePolicyException(object: ApiObject, rule: string, reason: string): void {
  if (!/^[A-Z]+\d+$/.test(rule)) throw new Error(`policy rule must be a SECURITY.md id such as "P9", got "${rule}"`);
  if (reason.trim().length < 20) throw new Error(`the exception to ${rule} on ${object.name} needs a real reason, got "${reason}"`);
  object.metadata.addAnnotation(`${POLICY_EXCEPTION_PREFIX}${rule.toLowerCase()}`, reason);
}
