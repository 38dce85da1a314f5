/**
 * Istio string matching for AuthorizationPolicy values (principals, namespaces, methods, paths): exact,
 * prefix `abc*`, suffix `*abc`, or presence `*`.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export function istioMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** A set of request values: one exact value, every value starting with a prefix, or everything. */
export type ValueSet = { readonly exact: string } | { readonly prefix: string } | { readonly all: true };

/** A required path or method: `/a/*` (or any trailing `*`) is a prefix, `*` everything, else exact. */
export function valueSet(text: string): ValueSet {
  if (text === '*') return { all: true };
  return text.endsWith('*') ? { prefix: text.slice(0, -1) } : { exact: text };
}

/** Every value of the set matches the pattern (an ALLOW must cover every request made). */
export function patternCovers(pattern: string, set: ValueSet): boolean {
  if (pattern === '*') return true;
  if ('exact' in set) return istioMatch(pattern, set.exact);
  if ('all' in set) return false;
  // A prefix set is covered only by a prefix pattern that is no longer than it: `/a/*` by `/a/*`, `/*`, `/a*`.
  return pattern.endsWith('*') && set.prefix.startsWith(pattern.slice(0, -1));
}

/** Some value of the set matches the pattern (a DENY refuses if any request made can hit it). */
export function patternOverlaps(pattern: string, set: ValueSet): boolean {
  if (pattern === '*' || 'all' in set) return true;
  if ('exact' in set) return istioMatch(pattern, set.exact);
  if (pattern.endsWith('*')) {
    const p = pattern.slice(0, -1);
    return p.startsWith(set.prefix) || set.prefix.startsWith(p);
  }
  if (pattern.startsWith('*')) return true;
  return pattern.startsWith(set.prefix);
}
