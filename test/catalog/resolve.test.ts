import { describe, expect, it } from 'vitest';
import { loadCatalog, parseCatalog, resolve } from '../../catalog';
import { readFileSync } from 'node:fs';

const catalog = loadCatalog();

describe('resolve(catalog, env)', () => {
  it('holds the eighteen services of PLATFORM.md in their layers, and every other catalog service in its own', () => {
    const byLayer = (layer: string) => resolve(catalog, 'prod').services.filter((s) => s.layer === layer).map((s) => s.name);
    // the seeds stay; a service added the README's way joins its layer without breaking this test
    expect(byLayer('core')).toEqual(expect.arrayContaining(['api-gateway', 'auth-service', 'blockchain-service', 'health-data-service', 'message-bus', 'user-service']));
    expect(byLayer('agents')).toEqual(expect.arrayContaining(['laoke-service', 'soer-service', 'xiaoai-service', 'xiaoke-service']));
    expect(byLayer('diagnosis')).toEqual(expect.arrayContaining(['inquiry-service', 'listen-service', 'look-service', 'palpation-service']));
    expect(byLayer('support')).toEqual(expect.arrayContaining(['accessibility-service', 'corn-maze-service', 'med-knowledge', 'rag-service']));
    const fromCatalog = catalog.document.services.map((s) => `${s.layer} ${s.name}`).sort();
    expect(resolve(catalog, 'prod').services.map((s) => `${s.layer} ${s.name}`).sort()).toEqual(fromCatalog);
  });

  it('puts each environment in its own namespaces', () => {
    expect(resolve(catalog, 'dev').namespaces).toEqual({ apps: 'suoke-life-dev', data: 'suoke-data-dev', observability: 'suoke-observability-dev', istioRoot: 'istio-system', monitoring: 'monitoring' });
    expect(resolve(catalog, 'prod').hostnames.api).toBe('api.suoke.life');
    expect(resolve(catalog, 'dev').hostnames.api).toBe('dev-api.suoke.life');
  });

  it('keeps the seed values in prod: HPA 2..10 at CPU 70 % and memory 80 %, 250m/256Mi to 500m/512Mi', () => {
    const auth = resolve(catalog, 'prod').services.find((s) => s.name === 'auth-service')!;
    expect(auth.replicas).toEqual({ min: 2, max: 10, autoscaling: { cpuUtilization: 70, memoryUtilization: 80 } });
    expect(auth.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(auth.ports).toEqual({ http: 8000, grpc: 50052 });
    expect(auth.secrets).toEqual([
      { env: 'DATABASE_URL', secret: 'database-secret', key: 'auth-db-url' },
      { env: 'JWT_SIGNING_KEY', secret: 'jwt-secret', key: 'signing-key' },
    ]);
  });

  it('applies the dev overlay: one replica without autoscaling, half the resources, image override', () => {
    const dev = resolve(catalog, 'dev');
    const xiaoai = dev.services.find((s) => s.name === 'xiaoai-service')!;
    expect(xiaoai.replicas).toEqual({ min: 1, max: 1 });
    expect(xiaoai.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(xiaoai.image).toBe('registry.suoke.life/suoke/xiaoai-service:1.4.0-rc.2');
    expect(resolve(catalog, 'prod').services.find((s) => s.name === 'xiaoai-service')!.image).toBe('registry.suoke.life/suoke/xiaoai-service:1.3.5');
  });

  it('caps staging at three replicas', () => {
    expect(resolve(catalog, 'staging').services.every((s) => s.replicas.max <= 3 && s.replicas.min === 2)).toBe(true);
  });

  it('derives callers and principals from calls', () => {
    const prod = resolve(catalog, 'prod');
    const look = prod.services.find((s) => s.name === 'look-service')!;
    expect(look.callers).toEqual([
      {
        caller: 'xiaoai-service',
        callerPrincipal: 'cluster.local/ns/suoke-life-prod/sa/xiaoai-service',
        callee: 'look-service',
        methods: ['POST'],
        paths: ['/api/v1/diagnosis/*'],
        // defaults.resilience.layers.diagnosis
        policy: { timeoutMs: 20_000, retries: { attempts: 1, perTryTimeoutMs: 9_000, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', '503'] }, idempotent: false },
      },
    ]);
    const routed = prod.services.filter((s) => s.route).map((s) => s.name);
    const gatewayCallees = prod.services.find((s) => s.name === 'api-gateway')!.calls.map((e) => e.callee);
    expect(gatewayCallees).toEqual(routed);
    expect(prod.edges.length).toBe(prod.services.reduce((n, s) => n + s.calls.length, 0));
  });

  it('does not depend on the order of services or keys in the file', () => {
    const text = readFileSync('catalog/platform.yaml', 'utf8');
    const [head, services] = text.split('\nservices:\n');
    const entries = services.split(/\n(?=  - name: )/);
    const shuffled = parseCatalog(`${head}\nservices:\n${entries.reverse().join('\n')}\n`, 'shuffled.yaml');
    expect(JSON.stringify(resolve(shuffled, 'prod'))).toBe(JSON.stringify(resolve(catalog, 'prod')));
  });

  it('hands out a frozen catalog', () => {
    expect(Object.isFrozen(catalog.document.services[0])).toBe(true);
  });
});
