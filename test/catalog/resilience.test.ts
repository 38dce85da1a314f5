import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog, resolve, retriedMethods, worstCaseMs } from '../../catalog';

const VALID = readFileSync('test/fixtures/catalog/valid.yaml', 'utf8');

/** The valid fixture with text inserted after `anchor` (each case adds one level of settings). */
function withText(anchor: string, text: string): string {
  if (!VALID.includes(anchor)) throw new Error(`anchor ${anchor} not in the fixture`);
  return VALID.replace(anchor, `${anchor}${text}`);
}

const stockCall = (yaml: string, env: 'dev' | 'prod' = 'prod') => resolve(parseCatalog(yaml, 'test.yaml'), env).edges.find((e) => e.callee === 'stock-service')!.policy;
const stock = (yaml: string, env: 'dev' | 'prod' = 'prod') => resolve(parseCatalog(yaml, 'test.yaml'), env).services.find((s) => s.name === 'stock-service')!.resilience;

describe('resilience settings: code defaults, then defaults, layer, environment, service, edge', () => {
  it('fills everything from the code defaults when the catalog says nothing', () => {
    expect(stockCall(VALID)).toEqual({ timeoutMs: 10_000, retries: { attempts: 2, perTryTimeoutMs: 3_000, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', '503'] }, idempotent: false });
    expect(stock(VALID)).toEqual({
      connectionPool: { maxConnections: 100, http1MaxPendingRequests: 64, http2MaxRequests: 1000 },
      outlierDetection: { consecutive5xxErrors: 5, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 },
    });
  });

  const defaults = '\n  resilience:\n    calls: { timeout: 8s, retries: { perTryTimeout: 2s } }\n    outlierDetection: { consecutive5xxErrors: 7 }\n    layers:\n      support: { calls: { timeout: 6s, retries: { perTryTimeout: 1500ms } } }';
  const withDefaults = withText('memoryUtilization: 80 }', defaults);

  it('applies the layer of the callee over defaults.resilience, field by field', () => {
    expect(stockCall(withDefaults)).toMatchObject({ timeoutMs: 6_000, retries: { attempts: 2, perTryTimeoutMs: 1_500 } });
    expect(stock(withDefaults).outlierDetection.consecutive5xxErrors).toBe(7);
    // orders-service is core: the support layer does not reach it.
    const orders = resolve(parseCatalog(withDefaults, 't.yaml'), 'prod').edges.find((e) => e.callee === 'orders-service')!.policy;
    expect(orders.timeoutMs).toBe(8_000);
  });

  it('lets an environment override the defaults in that environment only', () => {
    const yaml = withDefaults.replace('dev: { maxReplicas: 1,', 'dev: { resilience: { layers: { support: { calls: { timeout: 4s, retries: { perTryTimeout: 1s } } } } }, maxReplicas: 1,');
    expect(stockCall(yaml, 'dev').timeoutMs).toBe(4_000);
    expect(stockCall(yaml, 'prod').timeoutMs).toBe(6_000);
  });

  it("lets a service's own settings and then the edge win", () => {
    const service = withText('ports: { http: 8000 }\n', '    resilience: { calls: { timeout: 5s, retries: { perTryTimeout: 1s } }, connectionPool: { http2MaxRequests: 50 } }\n');
    // the first `ports: { http: 8000 }` is api-gateway's; the service settings of the gateway are not stock's.
    const stockOwn = VALID.replace("tag: 2.1.0 }\n    ports: { http: 8000 }", "tag: 2.1.0 }\n    ports: { http: 8000 }\n    resilience: { calls: { timeout: 5s, retries: { perTryTimeout: 1s } }, connectionPool: { http2MaxRequests: 50 } }");
    expect(stockCall(stockOwn).timeoutMs).toBe(5_000);
    expect(stock(stockOwn).connectionPool).toEqual({ maxConnections: 100, http1MaxPendingRequests: 64, http2MaxRequests: 50 });
    expect(stockCall(service).timeoutMs).toBe(10_000);
    const edge = stockOwn.replace('paths: [/api/v1/stock/*] }', 'paths: [/api/v1/stock/*], timeout: 4s, retries: { attempts: 1 } }');
    expect(stockCall(edge)).toMatchObject({ timeoutMs: 4_000, retries: { attempts: 1, perTryTimeoutMs: 1_000 } });
  });
});

describe('which methods are retried, and the worst case of a call', () => {
  const policy = { timeoutMs: 10_000, retries: { attempts: 2, perTryTimeoutMs: 3_000, retryOn: ['503'] }, idempotent: false };

  it('retries GET, PUT and DELETE but never POST or PATCH unless the edge is idempotent', () => {
    expect(retriedMethods(['DELETE', 'GET', 'PATCH', 'POST', 'PUT'], policy)).toEqual(['DELETE', 'GET', 'PUT']);
    expect(retriedMethods(['PATCH', 'POST'], { ...policy, idempotent: true })).toEqual(['PATCH', 'POST']);
    expect(retriedMethods(['GET'], { ...policy, retries: { ...policy.retries, attempts: 0 } })).toEqual([]);
  });

  it('is every try plus the longest backoffs for retried methods, the timeout for the others', () => {
    expect(worstCaseMs(['GET'], policy)).toBe(3 * 3_000 + 2 * 250);
    expect(worstCaseMs(['POST'], policy)).toBe(10_000);
    expect(worstCaseMs(['GET'], { ...policy, retries: { ...policy.retries, perTryTimeoutMs: 5_000 } })).toBe(10_000);
  });
});

describe('chain budgets on a large catalog', () => {
  it('walk each (incoming call, hop) once: 200 services calling their next two neighbours in a ring load fast', () => {
    const services = Array.from({ length: 200 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const entries = services.map(
      (name, i) =>
        `  - name: ${name}\n    layer: core\n    description: d\n    image: { name: ${name}, tag: 1.0.0 }\n    ports: { http: 8000 }\n    calls:\n` +
        [1, 2].map((step) => `      - { service: ${services[(i + step) % services.length]}, methods: [GET], paths: [/x/*] }\n`).join('') +
        (i < 20 ? `    route: { path: /api/${name}, methods: [GET] }\n` : ''),
    );
    const gateway = `  - name: api-gateway\n    layer: core\n    description: g\n    implementation: kong\n    ports: { http: 8000 }\n    calls:\n${services
      .slice(0, 20)
      .map((name) => `      - { service: ${name}, methods: [GET], paths: [/api/${name}, /api/${name}/*] }\n`)
      .join('')}`;
    const text = `${VALID.split('\nservices:\n')[0]}\nservices:\n${gateway}${entries.join('')}`;
    const started = performance.now();
    expect(parseCatalog(text, 'ring.yaml').document.services).toHaveLength(201);
    // 2^n simple chains exist here; the walk is bounded by (incoming call, hop) pairs.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('an environment-wide setting and a layer setting', () => {
  it('the layer wins, so prod\'s larger pool does not undo a layer\'s smaller one', () => {
    const yaml = VALID.replace('memoryUtilization: 80 }', 'memoryUtilization: 80 }\n  resilience:\n    layers:\n      support: { connectionPool: { http2MaxRequests: 200 } }').replace(
      'prod: { hostnames',
      'prod: { resilience: { connectionPool: { http2MaxRequests: 2000 } }, hostnames',
    );
    const model = resolve(parseCatalog(yaml, 't.yaml'), 'prod');
    expect(model.services.find((s) => s.name === 'stock-service')!.resilience.connectionPool.http2MaxRequests).toBe(200);
    expect(model.services.find((s) => s.name === 'orders-service')!.resilience.connectionPool.http2MaxRequests).toBe(2000);
  });
});
