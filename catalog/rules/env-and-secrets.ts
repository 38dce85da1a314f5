import { effectiveSettings } from '../defaults';
import { secretValueFindings } from '../secrets/rule';
import type { DocPath } from '../source';
import { duplicates, type Rule } from './rule';

/** Variables the platform sets on every workload (telemetry wiring); the catalog cannot override them. */
export const PLATFORM_ENV_PREFIX = 'OTEL_';

/** Environment variables and secrets: no secret value in the catalog, each variable set once and none of the platform's. */
export const envAndSecretRules: readonly Rule[] = [
  {
    id: 'no-secret-values',
    check: secretValueFindings,
  },
  {
    id: 'unique-env-names',
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const plain = new Set(Object.keys(effectiveSettings(doc.defaults, s).env));
        const reserved = [
          ...Object.keys(s.env ?? {}).map((name) => ({ name, path: ['services', i, 'env', name] as DocPath })),
          ...(s.secrets ?? []).map((r, j) => ({ name: r.env, path: ['services', i, 'secrets', j, 'env'] as DocPath })),
        ].filter(({ name }) => name.startsWith(PLATFORM_ENV_PREFIX));
        return [
          ...reserved.map(({ name, path }) => ({ path, message: `"${name}" is set by the platform (telemetry wiring, ${PLATFORM_ENV_PREFIX}*); use another name` })),
          ...duplicates((s.secrets ?? []).map((r, j) => [r.env, ['services', i, 'secrets', j, 'env']] as const), (name) => `variable "${name}" is set by two secret references; keep one`),
          ...(s.secrets ?? []).flatMap((r, j) =>
            plain.has(r.env) ? [{ path: ['services', i, 'secrets', j, 'env'], message: `variable "${r.env}" is set both in env and from a secret; keep one` }] : [],
          ),
        ];
      }),
  },
];
