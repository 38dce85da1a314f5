import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, type Problem } from '../../catalog';

/** Issue 15's guardrails: one catalog per mistake, each a copy of test/fixtures/catalog/valid.yaml with that mistake. */
const FIXTURES = 'test/fixtures/guardrails';

function problemsOf(fixture: string): Problem[] {
  try {
    loadCatalog(join(FIXTURES, `${fixture}.yaml`));
  } catch (error) {
    if (error instanceof CatalogError) return [...error.problems];
    throw error;
  }
  return [];
}

/** The secret scan's message for a value at `path` (the allow-list names services by name). */
const secret = (at: string, path: string, what: string, allowPath: string, variable = path.split('.').pop()!) =>
  `${at}  ${path}: looks like a credential: ${what}; a value here is committed under dist/ (and config is seeded into Consul), ` +
  `so move it to a Secret and reference it under secrets: [{ env: ${variable}, secret: <secret-name>, key: <key> }]; ` +
  `if it is not a secret, add { path: "${allowPath}", reason: <why> } to platform.secretScan.allow`;

const CASES: Record<string, string[]> = {
  'secret-api-key-in-env': [secret('34:29', 'services[1].env.PAYMENT_GATEWAY', 'a random-looking token (high entropy)', 'services.orders-service.env.PAYMENT_GATEWAY')],
  'secret-token-in-env': [secret('34:34', 'services[1].env.RELEASE_NOTES_SOURCE', 'GITHUB_TOKEN (secretlint github)', 'services.orders-service.env.RELEASE_NOTES_SOURCE')],
  'secret-database-url': [secret('34:26', 'services[1].env.DATABASE_URL', 'PostgreSQLConnection (secretlint database-connection-string)', 'services.orders-service.env.DATABASE_URL')],
  'secret-in-config': [
    secret('35:39', 'services[1].config.llm.api_key', 'a value under "api_key"', 'services.orders-service.config.llm.api_key', '<VARIABLE>'),
    secret('36:46', 'services[1].config.db.password', 'a value under "password"', 'services.orders-service.config.db.password', '<VARIABLE>'),
  ],
  'secret-dsn-in-defaults': [secret('9:22', 'defaults.env.SENTRY_DSN', 'a random-looking token (high entropy)', 'defaults.env.SENTRY_DSN')],
  'secret-in-overlay': [
    '20:74  environments.prod.gateway.corsOrigins[0]: "https://admin:S3cretPw@app.demo.example" is not an origin; use scheme://host[:port] with no path or trailing "/", e.g. "https://app.suoke.life"',
    secret('20:74', 'environments.prod.gateway.corsOrigins[0]', 'BasicAuth (secretlint basicauth)', 'environments.prod.gateway.corsOrigins[0]', '<VARIABLE>'),
  ],
  'secret-allowed': [],
  'secret-stale-allow': [
    '9:17  platform.secretScan.allow[0].path: allow-list entry "services.orders-service.env.BUILD_ID" matches no value the secret scan reports; remove it (the allow-list holds reviewed exceptions only)',
  ],
};

describe('guardrail mistakes (issue 15)', () => {
  it('has a test for every fixture file', () => {
    expect(readdirSync(FIXTURES).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [fixture, expected] of Object.entries(CASES)) {
    it(`${fixture.replace(/-/g, ' ')}: ${expected.length === 0 ? 'loads' : 'fails naming file, line, field and fix'}`, () => {
      const problems = problemsOf(fixture);
      expect(problems.every((p) => p.file === `${FIXTURES}/${fixture}.yaml`)).toBe(true);
      expect(problems.map((p) => `${p.line}:${p.column}  ${p.path ? `${p.path}: ` : ''}${p.message}`)).toEqual(expected);
    });
  }
});
