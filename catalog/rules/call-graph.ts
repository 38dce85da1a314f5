import { didYouMean } from '../diagnostics';
import type { CatalogDocument } from '../schema';
import type { DocPath } from '../source';
import { duplicates, type Rule } from './rule';

/**
 * The call graph: every service has its own name, every call names another service of the catalog
 * once with each method and path once, and every `uses` names a component the platform defines.
 */
export const callGraphRules: readonly Rule[] = [
  {
    id: 'unique-service-names',
    check: (doc) => duplicates(doc.services.map((s, i) => [s.name, ['services', i, 'name']] as const), (name) =>
      `duplicate service name "${name}"; every service needs its own name`),
  },
  {
    id: 'known-callees',
    check: (doc) => {
      const names = new Set(doc.services.map((s) => s.name));
      return eachCall(doc).flatMap(({ call, path }) =>
        names.has(call.service) ? [] : [{ path: [...path, 'service'], message: `unknown service "${call.service}"${didYouMean(call.service, names) || '; it must be the name of a service in this catalog'}` }],
      );
    },
  },
  {
    id: 'no-self-calls',
    check: (doc) =>
      eachCall(doc).flatMap(({ caller, call, path }) =>
        call.service === caller ? [{ path: [...path, 'service'], message: `"${caller}" calls itself; a service does not need a mesh permission to reach itself, remove this entry` }] : [],
      ),
  },
  {
    id: 'unique-edges',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        duplicates((s.calls ?? []).map((c, j) => [c.service, ['services', i, 'calls', j, 'service']] as const), (callee) =>
          `"${s.name}" lists "${callee}" twice; merge the methods and paths into one entry`),
      ),
  },
  {
    id: 'unique-call-methods-and-paths',
    check: (doc) =>
      eachCall(doc).flatMap(({ call, path }) => [
        ...duplicates(call.methods.map((m, k) => [m, [...path, 'methods', k]] as const), (m) => `method ${m} is listed twice; remove one`),
        ...duplicates(call.paths.map((p, k) => [p, [...path, 'paths', k]] as const), (p) => `path "${p}" is listed twice; remove one`),
      ]),
  },
  {
    id: 'uses-names-a-component',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        (s.uses ?? []).flatMap((dependency, j) =>
          doc.platform[dependency] === undefined
            ? [{ path: ['services', i, 'uses', j], message: `"${s.name}" uses ${dependency}, but the catalog defines no platform.${dependency}; add platform.${dependency} or remove this entry` }]
            : [],
        ),
      ),
  },
];

function eachCall(doc: CatalogDocument) {
  return doc.services.flatMap((s, i) => (s.calls ?? []).map((call, j) => ({ caller: s.name, call, path: ['services', i, 'calls', j] as DocPath })));
}
