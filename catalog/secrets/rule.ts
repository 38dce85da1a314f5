import { formatPath } from '../diagnostics';
import type { CatalogDocument } from '../schema';
import type { DocPath } from '../source';
import { catalogValues, findSecrets } from './scan';

/** Where the reviewed allow-list lives; its own entries are not scanned. */
export const ALLOW_LIST_PATH: DocPath = ['platform', 'secretScan', 'allow'];

/**
 * A value's path as the allow-list names it: services by name instead of position
 * (`services.xiaoai-service.env.SENTRY_DSN`), so adding a service does not invalidate entries.
 */
export function allowListPath(doc: CatalogDocument, path: DocPath): string {
  if (path[0] === 'services' && typeof path[1] === 'number') {
    const name = doc.services?.[path[1]]?.name ?? String(path[1]);
    const rest = formatPath(path.slice(2));
    return `services.${name}${rest === '' ? '' : rest.startsWith('[') ? rest : `.${rest}`}`;
  }
  return formatPath(path);
}

/**
 * Secret scanning of every catalog value (env, config, defaults, overlays, platform settings):
 * everything here reaches committed YAML under dist/ and, for `config`, the Consul KV seed.
 */
export function secretValueFindings(doc: CatalogDocument): { path: DocPath; message: string }[] {
  const allow = doc.platform?.secretScan?.allow ?? [];
  const { secretScan: _allowList, ...platform } = doc.platform ?? ({} as CatalogDocument['platform']);
  const values = catalogValues({ ...doc, platform }).filter((v) => v.path[0] !== 'platform' || v.path[1] !== 'secretScan');
  const findings = findSecrets(values).map((f) => ({ ...f, key: allowListPath(doc, f.path) }));
  const allowed = new Set(allow.map((a) => a.path));
  const flagged = new Set(findings.map((f) => f.key));
  return [
    ...findings
      .filter((f) => !allowed.has(f.key))
      .map((f) => ({
        path: f.path,
        message:
          `looks like a credential: ${f.what}; a value here is committed under dist/ (and config is seeded into Consul), ` +
          `so move it to a Secret and reference it under secrets: [{ env: ${variableOf(f.path)}, secret: <secret-name>, key: <key> }]; ` +
          `if it is not a secret, add { path: "${f.key}", reason: <why> } to platform.secretScan.allow`,
      })),
    ...allow.flatMap((a, k) =>
      flagged.has(a.path) ? [] : [{ path: [...ALLOW_LIST_PATH, k, 'path'], message: `allow-list entry "${a.path}" matches no value the secret scan reports; remove it (the allow-list holds reviewed exceptions only)` }],
    ),
  ];
}

/** The environment variable a value sets (`services[1].env.DB_URL` → `DB_URL`), or a placeholder. */
function variableOf(path: DocPath): string {
  return path[path.length - 2] === 'env' ? String(path[path.length - 1]) : '<VARIABLE>';
}
