import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, parseCatalog, resolve, retriedMethods, type PlatformModel } from '../../catalog';
import { formatDurationMs } from '../../catalog/duration';
import { selects, type K8sObject } from '../policy/object-index';
import { ENVIRONMENTS, objectsOf } from '../support/platform';

const catalog = loadCatalog();
const generic = (model: PlatformModel) => model.services.filter((s) => !s.implementation);
const inFile = (env: string, file: string, kind: string) => objectsOf(env as never).filter((o) => o.file === file && o.object.kind === kind).map((o) => o.object);

describe.each(ENVIRONMENTS)('%s: resilience in every service file', (env) => {
  const model = resolve(catalog, env);

  it('every service has its DestinationRule with the catalog pool, ejection and ISTIO_MUTUAL', () => {
    for (const service of generic(model)) {
      const [rule, ...more] = inFile(env, `${env}/services/${service.name}.yaml`, 'DestinationRule');
      expect(more).toEqual([]);
      expect(rule.metadata).toMatchObject({ name: service.name, namespace: service.namespace });
      const { connectionPool: pool, outlierDetection: ejection } = service.resilience;
      expect(rule.spec.host).toBe(`${service.name}.${service.namespace}.svc.cluster.local`);
      expect(rule.spec.trafficPolicy).toEqual({
        connectionPool: { tcp: { maxConnections: pool.maxConnections }, http: { http1MaxPendingRequests: pool.http1MaxPendingRequests, http2MaxRequests: pool.http2MaxRequests } },
        outlierDetection: {
          consecutive5xxErrors: ejection.consecutive5xxErrors,
          interval: formatDurationMs(ejection.intervalMs),
          baseEjectionTime: formatDurationMs(ejection.baseEjectionTimeMs),
          maxEjectionPercent: ejection.maxEjectionPercent,
        },
        tls: { mode: 'ISTIO_MUTUAL' },
      });
    }
  });

  it("every called service has a VirtualService whose routes are exactly its callers' methods and paths, with each edge's timeout and retries", () => {
    for (const service of generic(model)) {
      const services = inFile(env, `${env}/services/${service.name}.yaml`, 'VirtualService');
      expect(services.length).toBe(service.callers.length > 0 ? 1 : 0);
      if (services.length === 0) continue;
      const routes = services[0].spec.http as K8sObject[];
      // read from the object: caller, method, path, timeout, retries per matched request.
      const emitted = routes.flatMap((route) =>
        route.match.flatMap((m: K8sObject) =>
          (m.method.exact ? [m.method.exact] : m.method.regex.split('|')).map(
            (method: string) =>
              `${m.sourceLabels['app.kubernetes.io/name']} ${method} ${m.uri.exact ?? `${m.uri.prefix}*`} port ${m.port} timeout ${route.timeout} ${route.retries.attempts === 0 ? 'no retries' : `${route.retries.attempts}x${route.retries.perTryTimeout} on ${route.retries.retryOn}`}`,
          ),
        ),
      );
      const expected = service.callers.flatMap((edge) => {
        const retried = retriedMethods(edge.methods, edge.policy);
        const { attempts, perTryTimeoutMs, retryOn } = edge.policy.retries;
        return edge.methods.flatMap((method) =>
          edge.paths.map(
            (path) =>
              `${edge.caller} ${method} ${path} port ${service.ports.http} timeout ${formatDurationMs(edge.policy.timeoutMs)} ${retried.includes(method) ? `${attempts}x${formatDurationMs(perTryTimeoutMs)} on ${retryOn.join(',')}` : 'no retries'}`,
          ),
        );
      });
      expect(emitted.sort()).toEqual(expected.sort());
    }
  });

  it('never retries POST or PATCH on an edge the catalog does not declare idempotent', () => {
    const idempotent = new Set(model.edges.filter((e) => e.policy.idempotent).map((e) => `${e.caller} ${e.callee}`));
    const retriedUnsafe = objectsOf(env)
      .filter((o) => o.object.kind === 'VirtualService')
      .flatMap((o) =>
        (o.object.spec.http as K8sObject[]).flatMap((route) =>
          route.retries.attempts > 0
            ? route.match
                .filter((m: K8sObject) => /POST|PATCH/.test(m.method.exact ?? m.method.regex) && !idempotent.has(`${m.sourceLabels['app.kubernetes.io/name']} ${o.object.metadata.name}`))
                .map(() => `${o.object.metadata.name} ${route.name}`)
            : [],
        ),
      );
    expect(retriedUnsafe).toEqual([]);
  });
});

describe('the dev canary (environments.dev.canaries)', () => {
  const dev = resolve(catalog, 'dev');
  const canaried = dev.services.filter((s) => s.canary);
  const deployments = objectsOf('dev').filter((o) => o.object.kind === 'Deployment').map((o) => o.object);

  it('exists in dev and nowhere else', () => {
    expect(canaried.length).toBeGreaterThan(0);
    for (const env of ['staging', 'prod'] as const) {
      expect(objectsOf(env).filter((o) => o.object.metadata.name.endsWith('-canary')).map((o) => o.object.metadata.name)).toEqual([]);
    }
  });

  for (const service of canaried) {
    it(`${service.name}: a canary Deployment whose selector never overlaps the unchanged stable one`, () => {
      const stable = deployments.find((d) => d.metadata.name === service.name)!;
      const canary = deployments.find((d) => d.metadata.name === `${service.name}-canary`)!;
      // the stable selector keeps the form it had before canaries existed (selectors are immutable).
      expect(stable.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/instance': 'suoke-life-dev' } });
      expect(selects(stable.spec.selector.matchLabels, canary.spec.template.metadata.labels)).toBe(false);
      expect(selects(canary.spec.selector.matchLabels, stable.spec.template.metadata.labels)).toBe(false);
      expect(selects(canary.spec.selector.matchLabels, canary.spec.template.metadata.labels)).toBe(true);
      expect(canary.spec.template.spec.containers[0].image).toBe(service.canary!.image);
      expect(canary.spec.template.metadata.labels['app.kubernetes.io/version']).toBe(service.canary!.version);
      expect(canary.spec.template.spec.serviceAccountName).toBe(stable.spec.template.spec.serviceAccountName);
      expect(canary.spec.replicas).toBe(1);
    });

    it(`${service.name}: the Service and the mesh policies cover both tracks, the subsets one each, the routes carry the catalog weight`, () => {
      const file = `dev/services/${service.name}.yaml`;
      const [svc] = inFile('dev', file, 'Service');
      const tracks = deployments.filter((d) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === service.name);
      expect(tracks.map((d) => d.metadata.name).sort()).toEqual([service.name, `${service.name}-canary`]);
      expect(tracks.every((d) => selects(svc.spec.selector, d.spec.template.metadata.labels))).toBe(true);
      const policies = objectsOf('dev').filter((o) => o.file === `dev/mesh/${service.name}.yaml`).map((o) => o.object);
      const selectors = policies.map((p) => p.spec.selector?.matchLabels ?? p.spec.podSelector?.matchLabels);
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) expect(tracks.every((d) => selects(selector, d.spec.template.metadata.labels))).toBe(true);
      const [rule] = inFile('dev', file, 'DestinationRule');
      for (const subset of rule.spec.subsets) {
        expect(tracks.filter((d) => selects({ ...svc.spec.selector, ...subset.labels }, d.spec.template.metadata.labels)).map((d) => d.metadata.name)).toEqual([
          subset.name === 'canary' ? `${service.name}-canary` : service.name,
        ]);
      }
      const [vs] = inFile('dev', file, 'VirtualService');
      for (const route of vs.spec.http) {
        expect(route.route.map((r: K8sObject) => [r.destination.subset, r.weight])).toEqual([
          ['stable', 100 - service.canary!.weight],
          ['canary', service.canary!.weight],
        ]);
      }
    });
  }
});

describe("the issue's chain: Kong 60 s → xiaoai-service → the diagnosis services → med-knowledge", () => {
  it('fits today, and a diagnosis timeout above what xiaoai-service is given is refused with the chain and the numbers', () => {
    const text = readFileSync('catalog/platform.yaml', 'utf8');
    const slower = text.replace('calls: { timeout: 20s, retries: { attempts: 1, perTryTimeout: 9s } }', 'calls: { timeout: 58s, retries: { attempts: 1, perTryTimeout: 9s } }');
    expect(slower).not.toBe(text);
    let problems: string[] = [];
    try {
      parseCatalog(slower, 'catalog/platform.yaml');
    } catch (error) {
      problems = (error as CatalogError).problems.map((p) => p.message);
    }
    expect(problems).toContain(
      'dev, staging, prod: chain api-gateway → xiaoai-service → look-service: hop xiaoai-service → look-service can take 58s (its timeout), more than the 55s timeout xiaoai-service is called with; lower this call\'s timeout or retries, or raise the timeout of api-gateway → xiaoai-service',
    );
  });
});
