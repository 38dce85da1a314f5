import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Problem } from '../../catalog';
import { runSynth } from '../../synth/synth-command';
import { catalogProblems } from '../support/catalog-problems';

const FIXTURES = 'test/fixtures/catalog';

function problemsOf(fixture: string): Problem[] {
  const problems = catalogProblems(join(FIXTURES, `${fixture}.yaml`));
  if (problems.length === 0) throw new Error(`${fixture} loaded without problems`);
  return problems;
}

const MOVING_TAG = 'must be a version such as "1.4.2", "v1.2" or "8.1.11-alpine", or a digest "sha256:<64 hex>"; a name such as "latest", "stable" or "main" moves';

/** Each kind of mistake DESIGN.md "Rules" names: fixture, then every problem as `line  path: message`. */
const CASES: Record<string, string[]> = {
  'yaml-syntax': ['38:3  invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  'unknown-callee': ['34:20  services[1].calls[0].service: unknown service "stock"; did you mean "stock-service"?'],
  'duplicate-service': [
    '34:20  services[1].calls[0].service: unknown service "stock-service"; it must be the name of a service in this catalog',
    '38:11  services[2].name: duplicate service name "orders-service"; every service needs its own name',
  ],
  'not-dns-label': [
    '34:20  services[1].calls[0].service: unknown service "stock-service"; did you mean "Stock_Service"?',
    '38:11  services[2].name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit (got "Stock_Service")',
  ],
  'min-greater-than-max': ['43:33  services[2].autoscaling.minReplicas: minReplicas (6) is greater than maxReplicas (4); lower minReplicas or raise maxReplicas'],
  'utilisation-out-of-range': ['15:66  defaults.autoscaling.cpuUtilization: must be a percentage from 1 to 100 (got 150)'],
  'malformed-quantity': ['10:34  defaults.resources.limits.memory: must be a memory quantity in binary units such as "256Mi" or "2Gi" (got "256M")'],
  'port-clash': ['32:32  services[1].ports.grpc: grpc port 8000 is also the http port; give each protocol its own port'],
  'reserved-port': ['42:20  services[2].ports.http: port 15020 is reserved by the Istio sidecar (15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090); pick another port'],
  'route-without-http': [
    '32:5  services[1].ports: "orders-service" has no http port; every service serves its probes (/health, /ready) and /metrics over http, add ports.http',
    '35:5  services[1].route: "orders-service" has a public route but no http port; add ports.http or remove the route',
  ],
  'duplicate-route': [
    '43:5  services[2].route: "stock-service" has a route but "api-gateway" does not call it; add { service: stock-service, methods: [GET], paths: [/api/v1/orders, /api/v1/orders/*] } to api-gateway\'s calls','43:20  services[2].route.path: route path "/api/v1/orders" is already used by "orders-service"; every public path belongs to one service'],
  'nested-route': [
    '43:5  services[2].route: "stock-service" has a route but "api-gateway" does not call it; add { service: stock-service, methods: [GET], paths: [/api/v1/orders/stock, /api/v1/orders/stock/*] } to api-gateway\'s calls',
    '43:20  services[2].route.path: route path "/api/v1/orders/stock" (stock-service) lies under "/api/v1/orders" (orders-service); the gateway would send one service\'s traffic to the other, use disjoint prefixes',
  ],
  'unknown-field': ['40:5  services[2].autoscalling: unknown field "autoscalling"; did you mean "autoscaling"?'],
  'missing-field': ['38:5  services[2].layer: missing required field "layer"; add it'],
  'unknown-layer': ['39:12  services[2].layer: "suport" is not allowed; did you mean "support"?'],
  'self-call': ['34:20  services[1].calls[0].service: "orders-service" calls itself; a service does not need a mesh permission to reach itself, remove this entry'],
  'duplicate-edge': ['35:20  services[1].calls[1].service: "orders-service" lists "stock-service" twice; merge the methods and paths into one entry'],
  'unknown-method': ['34:45  services[1].calls[0].methods[0]: "FETCH" is not allowed; did you mean "PATCH"?'],
  'relative-path': ['34:59  services[1].calls[0].paths[0]: must start with "/" and may end with "*" (e.g. "/api/v1/diagnosis/*") (got "api/v1/stock/*")'],
  'latest-tag': [`41:40  services[2].image.tag: ${MOVING_TAG} (got "latest")`],
  'literal-secret': [
    '43:25  services[2].env.DB_PASSWORD: looks like a credential: a value under "DB_PASSWORD"; a value here is committed under dist/ (and config is seeded into Consul), ' +
      'so move it to a Secret and reference it under secrets: [{ env: DB_PASSWORD, secret: <secret-name>, key: <key> }]; ' +
      'if it is not a secret, add { path: "services.stock-service.env.DB_PASSWORD", reason: <why> } to platform.secretScan.allow',
  ],
  'requests-above-limits': ['9:22  defaults.resources.requests.cpu: cpu request (300m) exceeds the limit (200m); raise the limit or lower the request'],
  'single-replica-prod': ['15:31  defaults.autoscaling.minReplicas: services without their own minReplicas would run 1 replica in prod; production needs at least 2 so a node drain or a crash leaves one serving'],
  'unknown-image-override': ['17:95  environments.dev.imageTags.stock-servce: unknown service "stock-servce"; did you mean "stock-service"?'],
  'missing-image': ['38:5  services[2]: "stock-service" has no image; add image: { name: ..., tag: ... } with a pinned version'],
  'hour-below-minute': ['39:45  services[1].route.plugins.rate-limiting.hour: hour limit (50) is below the minute limit (100); an hour holds sixty minutes, raise hour to at least 100'],
  'unknown-rate-limit-policy': ['39:46  services[1].route.plugins.rate-limiting.policy: "cluster" is not allowed; use one of local, redis'],
  'cors-wildcard': ['19:102  environments.prod.gateway.corsOrigins[1]: origin "*" with credentials is rejected by browsers (the CORS spec forbids a wildcard with credentials); list each origin, e.g. "https://app.suoke.life"'],
  'cors-not-origin': ['19:74  environments.prod.gateway.corsOrigins[0]: "https://app.demo.example/" is not an origin; use scheme://host[:port] with no path or trailing "/", e.g. "https://app.suoke.life"'],
  'route-call-mismatch': ['27:9  services[0].calls[0]: the call to "orders-service" must match its route: { service: orders-service, methods: [GET, POST], paths: [/api/v1/orders, /api/v1/orders/*] }'],
  'jwt-without-consumer': ['39:9  services[1].route.plugins.jwt: jwt rejects every token when no consumer has a credential; add platform.kong.consumers: [{ username: ..., jwt: { key: <iss>, secret: { name: <secret>, key: <key> } } }]'],
  'unknown-dependency': ['33:12  services[1].uses[0]: "redus" is not allowed; did you mean "redis"?'],
  'uses-without-component': ['33:12  services[1].uses[0]: "orders-service" uses redis, but the catalog defines no platform.redis; add platform.redis or remove this entry'],
  'redis-too-few-nodes': ['9:12  platform.redis.nodes: 4 nodes give 2 master(s); a Redis cluster needs at least 3 masters, so at least 6 nodes with 1 replica(s) per master'],
  'redis-malformed-maxmemory': ['11:16  platform.redis.maxmemory: must be a memory quantity in binary units such as "256Mi" or "2Gi" (got "256mb")'],
  'redis-maxmemory-above-limit': ['11:16  platform.redis.maxmemory: maxmemory 512Mi is above 75 % of the memory limit (512Mi); replication buffers and the fork for AOF rewrites need the rest, raise the limit or lower maxmemory'],
  'consul-even-servers': ['27:87  environments.dev.consul.servers: dev: 2 Consul servers; use 1, 3, 5 (an even count tolerates no more failures than the odd count below it)'],
  'slo-out-of-range': ['43:26  services[2].slo.availability: must be a percentage strictly between 0 and 100, such as 99.9 (got 100)'],
  'slo-latency-not-positive': ['43:46  services[2].slo.latencyP95Ms: must be a positive number of milliseconds such as 200 (got 0)'],
  'loki-burst-below-rate': ['16:61  platform.telemetry.lokiLimits.ingestionBurstSizeMb: ingestionBurstSizeMb 4 is below ingestionRateMb 8; a burst must be at least its rate, e.g. twice it'],
  'loki-stream-above-tenant': [
    '29:98  environments.prod.telemetry.lokiLimits.perStreamRateLimitMb: perStreamRateLimitMb 12 is above ingestionRateMb 8 in prod; one stream cannot use more than the whole tenant: lower it or raise ingestionRateMb',
  ],
  'loki-limit-not-positive': [
    '16:36  platform.telemetry.lokiLimits.ingestionRateMb: must be a positive number of megabytes such as 8 (got 0)',
    '16:86  platform.telemetry.lokiLimits.perStreamRateLimitMb: perStreamRateLimitMb 3 is above ingestionRateMb 0; one stream cannot use more than the whole tenant: lower it or raise ingestionRateMb',
  ],
  'environment-log-retention-not-whole-days': [
    '26:100  environments.dev.telemetry.retention.logs: log retention "36h" must be a whole number of days of at least 24h (Loki\'s index period is 24h), e.g. "168h" or "744h"',
  ],
  'log-retention-not-whole-days': ['12:37  platform.telemetry.retention.logs: log retention "36h" must be a whole number of days of at least 24h (Loki\'s index period is 24h), e.g. "168h" or "744h"'],
  'several-mistakes': [
    '15:66  defaults.autoscaling.cpuUtilization: must be a percentage from 1 to 100 (got 150)',
    '34:20  services[1].calls[0].service: unknown service "stock"; did you mean "stock-service"?',
    `41:40  services[2].image.tag: ${MOVING_TAG} (got "latest")`,
  ],
  // Kong's limits at the catalog edge (issue 13): each is what Kong 3.9 would refuse at start.
  'route-timeout-too-long': ['39:16  services[1].route.timeout: timeout "999h" is outside what Kong accepts (1s to 2147483s, about 596h: at most 2^31-2 ms); use e.g. "60s"'],
  'route-path-empty-segment': ['37:13  services[1].route.path: route path "/api//orders" has an empty segment ("//"), which Kong rejects; use "/api/orders"'],
  'route-path-dot-segment': ['37:13  services[1].route.path: route path "/api/v1/../orders" has a "." or ".." segment, which Kong rejects (not normalized) and clients never send after normalizing; write the path without it'],
  'rate-limit-not-whole': ['40:34  services[1].route.plugins.rate-limiting.minute: must be a whole number of requests such as 100 (got 1.5)'],
  'rate-limit-hour-unreachable': ['40:44  services[1].route.plugins.rate-limiting.hour: hour limit (5000) can never be reached: sixty minutes of 10 allow only 600; lower hour to at most 600 or raise minute'],
  // the public host's certificate and HSTS.
  'public-host-without-tls': ['19:32  environments.staging.hostnames.api: staging: the public host "staging-api.demo.example" has no certificate, so Kong would serve its self-signed one; add tls: { issuer: { kind: ClusterIssuer, name: <issuer> } } or tls: { secret: <existing TLS Secret> } to environments.staging'],
  'tls-two-sources': ['19:60  environments.staging.tls: staging: tls needs exactly one source: issuer (cert-manager issues the certificate) or secret (an existing TLS Secret), not both'],
  'prod-without-hsts': ['20:49  environments.prod.tls: prod: no hstsMaxAge; browsers must be told to use HTTPS only, add hstsMaxAge: 8760h (one year)'],
  'ingress-gateway-without-routes': ['7:56  platform.istio.ingressGateway.enabled: the Istio ingress gateway would be a second public entry that routes nothing (the catalog cannot give it a Gateway or VirtualService yet); set enabled: false, Kong is the public entry'],
  'gateway-port-clash': ['7:121  platform.istio.ingressGateway.ports[1].port: ingress gateway port 80 is listed twice; each Service port needs its own number'],
  'gateway-reserved-port': [
    '7:92  platform.istio.ingressGateway.ports[0].targetPort: target port 15021 is reserved by the gateway\'s Envoy (15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090); use 8080 or 8443',
  ],
  // resilience budgets (catalog/budgets.ts): one fixture per rule
  'retry-not-idempotent': [
    "35:104  services[1].calls[0].retries.attempts: orders-service → stock-service: 1 retry would resend POST, which is not idempotent; set idempotent: true on this call if stock-service deduplicates them (an idempotency key), or remove the retries",
  ],
  'retries-exceed-timeout': [
    "35:9  services[1].calls[0]: dev, staging, prod: orders-service → stock-service: 3 tries × 3s + 2 backoffs × 0.25s = 9.5s do not fit in its 5s timeout; Envoy would cut the last tries, lower attempts or perTryTimeout, or raise timeout",
  ],
  'hop-exceeds-caller-timeout': [
    "35:9  services[1].calls[0]: dev, staging, prod: chain api-gateway → orders-service → stock-service: hop orders-service → stock-service can take 20s (its timeout), more than the 10s timeout orders-service is called with; lower this call's timeout or retries, or raise the timeout of api-gateway → orders-service",
  ],
  'chain-exceeds-route-timeout': [
    "28:9  services[0].calls[0]: dev, staging, prod: chain api-gateway → orders-service: hop api-gateway → orders-service can take 10s (its timeout; POST not retried), more than the 5s Kong route timeout of orders-service, which bounds the whole chain; lower this call's timeout or retries, or raise route.timeout",
    "35:9  services[1].calls[0]: dev, staging, prod: chain api-gateway → orders-service → stock-service: hop orders-service → stock-service can take 3 tries × 3s + 2 backoffs × 0.25s = 9.5s, more than the 5s Kong route timeout of orders-service, which bounds the whole chain; lower this call's timeout or retries, or raise route.timeout",
  ],
  'unknown-canary': [
    "18:80  environments.dev.canaries.stock-servce: unknown service \"stock-servce\"; did you mean \"stock-service\"?",
  ],
  'canary-same-tag': [
    "18:102  environments.dev.canaries.stock-service.tag: canary tag 2.1.0 is the stable tag of \"stock-service\" in dev; a canary runs another version, use the new tag",
  ],
};

describe('catalog mistakes', () => {
  it('the base fixture is valid, so each fixture differs from it by its one mistake', () => {
    expect(loadCatalog(join(FIXTURES, 'valid.yaml')).document.services).toHaveLength(3);
  });

  it('has a test for every fixture file', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f !== 'valid.yaml').map((f) => f.replace(/\.yaml$/, ''));
    expect(fixtures.sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [fixture, expected] of Object.entries(CASES)) {
    it(`fails on ${fixture.replace(/-/g, ' ')}, naming file, line, field and fix`, () => {
      const problems = problemsOf(fixture);
      expect(problems.every((p) => p.file === `${FIXTURES}/${fixture}.yaml`)).toBe(true);
      expect(problems.map((p) => `${p.line}:${p.column}  ${p.path ? `${p.path}: ` : ''}${p.message}`)).toEqual(expected);
    });
  }

  it('formats problems as file:line:column  path: message', () => {
    let message = '';
    try {
      loadCatalog(join(FIXTURES, 'unknown-callee.yaml'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'catalog has 1 problem:\ntest/fixtures/catalog/unknown-callee.yaml:34:20  services[1].calls[0].service: unknown service "stock"; did you mean "stock-service"?',
    );
  });
});

describe('a failed synth leaves the output untouched', () => {
  for (const fixture of ['yaml-syntax', 'unknown-callee', 'several-mistakes']) {
    it(`${fixture}: exit status 1, every problem printed, output folder unchanged`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'suoke-dist-')), 'dist');
      mkdirSync(join(out, 'prod'), { recursive: true });
      writeFileSync(join(out, 'prod', 'previous.yaml'), 'kind: Previous\n');
      const errors: string[] = [];
      const status = await runSynth({ catalog: join(FIXTURES, `${fixture}.yaml`), out }, { log: () => {}, error: (line) => errors.push(line) });
      expect(status).toBe(1);
      expect(errors.join('\n')).toContain(`${FIXTURES}/${fixture}.yaml:`);
      expect(errors.join('\n')).toContain('nothing was written');
      expect(readdirSync(out, { recursive: true }).sort()).toEqual(['prod', join('prod', 'previous.yaml')]);
      expect(readFileSync(join(out, 'prod', 'previous.yaml'), 'utf8')).toBe('kind: Previous\n');
      expect(readdirSync(join(out, '..'))).toEqual(['dist']);
    });
  }

  it('a successful synth replaces the folder whole, so nothing stale survives', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'suoke-dist-')), 'dist');
    mkdirSync(join(out, 'prod', 'services'), { recursive: true });
    writeFileSync(join(out, 'prod', 'services', 'removed-service.yaml'), 'kind: Stale\n');
    expect(await runSynth({ catalog: join(FIXTURES, 'valid.yaml'), out }, { log: () => {}, error: () => {} })).toBe(0);
    const files = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).not.toContain(join('prod', 'services', 'removed-service.yaml'));
    expect(files).toContain(join('prod', 'services', 'orders-service.yaml'));
    expect(readdirSync(join(out, '..'))).toEqual(['dist']);
  });
});
