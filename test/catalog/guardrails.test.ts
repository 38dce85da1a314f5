import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve, type Problem } from '../../catalog';
import { imageReference, imageTagProblem, versionLabel } from '../../catalog/image-tag';
import { catalogProblems } from '../support/catalog-problems';

/** Issue 15's guardrails: one catalog per mistake, each a copy of test/fixtures/catalog/valid.yaml with that mistake. */
const FIXTURES = 'test/fixtures/guardrails';

const problemsOf = (fixture: string): Problem[] => catalogProblems(join(FIXTURES, `${fixture}.yaml`));

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
  'cpu-above-node': ['36:22  services[1].resources.limits.cpu: cpu limit 5000 is more than one node can give a pod (platform.limits.pod.cpu: 8); lower it, or raise platform.limits.pod.cpu if the cluster\'s nodes are that large'],
  'cpu-above-node-when-scaled': ['36:22  services[1].resources.limits.cpu: cpu limit 6 (× resourceScale 2 in prod) is more than one node can give a pod (platform.limits.pod.cpu: 8); lower it, or raise platform.limits.pod.cpu if the cluster\'s nodes are that large'],
  'memory-above-node': ['36:36  services[1].resources.limits.memory: memory limit 4Ti is more than one node can give a pod (platform.limits.pod.memory: 32Gi); lower it, or raise platform.limits.pod.memory if the cluster\'s nodes are that large'],
  'replicas-above-ceiling': ['34:33  services[1].autoscaling.maxReplicas: 100000 replicas is above the ceiling of 50 (platform.limits.maxReplicas); lower it, or raise platform.limits.maxReplicas after checking the cluster has room'],
  'limits-raised': [],
  'cpu-as-number': [],
  'cpu-number-too-fine': ['35:24  services[1].resources.requests.cpu: must be a whole number of millicores (at most 3 decimals of a core) above zero, such as 0.25 or "250m" (got 0.0001)'],
  'tag-stable': ['32:41  services[1].image.tag: must be a version such as "1.4.2", "v1.2" or "8.1.11-alpine", or a digest "sha256:<64 hex>"; a name such as "latest", "stable" or "main" moves (got "stable")'],
  'tag-main': ['42:40  services[2].image.tag: must be a version such as "1.4.2", "v1.2" or "8.1.11-alpine", or a digest "sha256:<64 hex>"; a name such as "latest", "stable" or "main" moves (got "main")'],
  'tag-latest-capitalised': ['19:88  environments.staging.imageTags.stock-service: must be a version such as "1.4.2", "v1.2" or "8.1.11-alpine", or a digest "sha256:<64 hex>"; a name such as "latest", "stable" or "main" moves (got "Latest")'],
  'tag-bad-digest': ['42:40  services[2].image.tag: must end in a digest "sha256:" and 64 lowercase hex digits after "@" (got "2.1.0@sha256:abc")'],
  'tag-versions-and-digests': [],
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

describe('bounds and quantities', () => {
  it('reads CPU numbers as Kubernetes does and writes the canonical text', () => {
    const orders = resolve(loadCatalog(join(FIXTURES, 'cpu-as-number.yaml')), 'prod').services.find((s) => s.name === 'orders-service')!;
    expect(orders.resources).toEqual({ requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '2', memory: '256Mi' } });
  });

  it('lets platform.limits raise the bounds for bigger nodes', () => {
    const orders = resolve(loadCatalog(join(FIXTURES, 'limits-raised.yaml')), 'prod').services.find((s) => s.name === 'orders-service')!;
    expect(orders.resources.limits).toEqual({ cpu: '48', memory: '192Gi' });
    expect(orders.replicas.max).toBe(150);
  });
});

describe('image tags: versions or digests', () => {
  const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

  it('accepts versions and digests', () => {
    for (const tag of ['1.2.3', 'v1.2', '8.1.11-alpine', '1.2.3-rc.1', '2024.01.05', '3', digest, `1.2.3@${digest}`]) expect(imageTagProblem(tag), tag).toBeUndefined();
  });

  it('rejects moving names', () => {
    for (const tag of ['latest', 'Latest', 'stable', 'main', 'edge', 'alpine', 'v', 'release-1.2', `main@${digest}`]) expect(imageTagProblem(tag), tag).toBeDefined();
  });

  it('renders digests with "@" and keeps label values valid', () => {
    expect(imageReference('r/x', digest)).toBe(`r/x@${digest}`);
    expect(imageReference('r/x', `1.2.3@${digest}`)).toBe(`r/x:1.2.3@${digest}`);
    expect(versionLabel(digest)).toBe('sha256-0123456789ab');
    expect(versionLabel(`1.2.3@${digest}`)).toBe('1.2.3');
    const prod = resolve(loadCatalog(join(FIXTURES, 'tag-versions-and-digests.yaml')), 'prod').services;
    expect(prod.filter((s) => s.image).map((s) => [s.image, s.version])).toEqual([
      [`registry.demo.example/demo/orders-service@${digest}`, 'sha256-0123456789ab'],
      [`registry.demo.example/demo/stock-service:2.1.0@sha256:${'fedcba9876543210'.repeat(4)}`, '2.1.0'],
    ]);
  });
});
