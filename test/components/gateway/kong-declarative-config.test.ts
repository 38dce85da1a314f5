import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENTS, loadCatalog, resolve } from '../../../catalog';
import { kongDeclarativeConfig, KongGateway, renderDeclarativeConfig, type DeclarativeConfigInput } from '../../../components/gateway';
import { objectsOf } from '../../support/platform';
import { kongProblems } from './kong-rules';

const catalog = loadCatalog();

/**
 * What the request log must drop or cut, per kong/pdk/log.lua serialize(): Authorization and
 * Proxy-Authorization are REDACTED by serialize() itself; the query string appears in
 * request.querystring, request.uri, request.url and upstream_uri; cookies in both directions.
 * What stays is the path alone: get_path() has no query; the upstream URI is cut at "?".
 */
const REDACTED_LOG_FIELDS = {
  'request.querystring': 'return nil',
  'request.url': 'return nil',
  'request.uri': 'return kong.request.get_path()',
  upstream_uri: 'return (string.gsub(ngx.var.upstream_uri or "", "%?.*$", ""))',
  'request.headers.cookie': 'return nil',
  'response.headers.set-cookie': 'return nil',
};

/** Kong's config as dist/ holds it, parsed back from the ConfigMap. */
function deployedConfig(environment: (typeof ENVIRONMENTS)[number]) {
  const configMap = objectsOf(environment).find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'api-gateway-config');
  expect(configMap?.file).toBe(`${environment}/gateway/api-gateway.yaml`);
  return parse(configMap!.object.data['kong.yml']);
}

describe('the declarative config in dist/, parsed back', () => {
  for (const environment of ENVIRONMENTS) {
    describe(environment, () => {
      const model = resolve(catalog, environment);
      const config = deployedConfig(environment);
      const routed = model.services.filter((s) => s.route);

      it('has exactly one service and one route per catalog route, and nothing else', () => {
        expect(config.services.map((s: any) => s.name)).toEqual(routed.map((s) => s.name));
        expect(config.services.map((s: any) => s.routes.length)).toEqual(routed.map(() => 1));
      });

      it('routes carry the catalog methods (plus OPTIONS for CORS preflight), the environment host and the path kept whole', () => {
        for (const s of routed) {
          const kong = config.services.find((k: any) => k.name === s.name);
          const route = kong.routes[0];
          expect(kong.url).toBe(`http://${s.name}.${model.namespaces.apps}.svc.cluster.local:${s.ports.http}`);
          expect(route.methods).toEqual([...new Set([...s.route!.methods, 'OPTIONS'])].sort());
          expect(route.hosts).toEqual([model.hostnames.api]);
          expect(route.paths).toEqual([`~${s.route!.path}$`, `${s.route!.path}/`]);
          expect(route.strip_path).toBe(false);
          // HTTPS only: plain HTTP gets a method-preserving redirect, never the upstream.
          expect([route.protocols, route.https_redirect_status_code]).toEqual([['https'], 308]);
          const seconds = s.route!.timeout ? Number(s.route!.timeout.replace('s', '')) : 60;
          expect([kong.connect_timeout, kong.read_timeout, kong.write_timeout]).toEqual([seconds, seconds, seconds].map((x) => x * 1000));
        }
        expect(model.hostnames.api).toBe({ dev: 'dev-api.suoke.life', staging: 'staging-api.suoke.life', prod: 'api.suoke.life' }[environment]);
      });

      it('route plugins are the catalog plugins, with the catalog values', () => {
        for (const s of routed) {
          const plugins = config.services.find((k: any) => k.name === s.name).routes[0].plugins ?? [];
          const catalogPlugins = s.route!.plugins ?? {};
          // a transformed route also strips Accept-Encoding on the way up (request-transformer).
          const added = catalogPlugins['response-transformer'] ? ['request-transformer'] : [];
          expect(plugins.map((p: any) => p.name)).toEqual([...Object.keys(catalogPlugins), ...added].sort());
          const byName = Object.fromEntries(plugins.map((p: any) => [p.name, p.config]));
          const limits = catalogPlugins['rate-limiting'];
          if (limits) {
            expect(byName['rate-limiting'].minute).toBe(limits.minute);
            expect(byName['rate-limiting'].hour).toBe(limits.hour);
            expect(byName['rate-limiting'].policy).toBe(limits.policy ?? model.gateway.defaultRateLimitPolicy);
          }
          // tokens from the Authorization header only (the schema defaults read ?jwt= too).
          if (catalogPlugins.jwt) {
            expect(byName.jwt).toEqual({ claims_to_verify: ['exp'], key_claim_name: 'iss', run_on_preflight: false, secret_is_base64: true, uri_param_names: [], cookie_names: [], header_names: ['authorization'] });
          }
          const transformer = catalogPlugins['response-transformer'];
          if (transformer) {
            expect(byName['response-transformer'].remove).toEqual({ json: transformer.removeJsonFields });
            expect(byName['request-transformer']).toEqual({ remove: { headers: ['Accept-Encoding'] } });
          }
        }
      });

      it('global plugins: CORS with the environment origins, JSON request logs on stdout without credentials, metrics, HSTS in prod', () => {
        expect(config.plugins.map((p: any) => p.name)).toEqual(['cors', 'file-log', 'prometheus', ...(environment === 'prod' ? ['response-transformer'] : [])]);
        expect(config.plugins[0].config.origins).toEqual([...(catalog.document.environments[environment].gateway?.corsOrigins ?? [])].sort());
        expect(config.plugins[1].config.path).toBe('/dev/stdout');
        expect(config.plugins[1].config.custom_fields_by_lua).toEqual(REDACTED_LOG_FIELDS);
        // the catalog file's consumers, by name only: their credentials are added at pod start.
        const usernames = (catalog.document.platform.kong?.consumers ?? []).map((c) => c.username).sort();
        expect(config.consumers ?? []).toEqual(usernames.map((username) => ({ username })));
      });

      it('every response of every route carries HSTS in prod, and none elsewhere', () => {
        // a route-level plugin replaces the global one of the same name (Kong's plugin iterator picks the most specific).
        const global = config.plugins.find((p: any) => p.name === 'response-transformer');
        const effective = config.services.map((k: any) => k.routes[0].plugins?.find((p: any) => p.name === 'response-transformer') ?? global);
        const hsts = effective.map((p: any) => p?.config.add?.headers ?? []);
        expect(hsts).toEqual(config.services.map(() => (environment === 'prod' ? ['Strict-Transport-Security:max-age=31536000'] : [])));
      });

      it("passes Kong's own load-time checks (test/components/gateway/kong-rules.ts)", () => {
        expect(kongProblems(config)).toEqual([]);
      });

      it('holds no credential: the Redis password is an env vault reference', () => {
        const text = JSON.stringify(config);
        expect(text).not.toMatch(/jwt_secrets|secret":"[^{]/);
        const passwords = [...text.matchAll(/"password":"([^"]*)"/g)].map((m) => m[1]);
        expect(new Set(passwords)).toEqual(new Set(passwords.length ? ['{vault://env/rate-limit-redis-password}'] : []));
      });
    });
  }

  it('dev keeps counters per replica (local) and runs no Redis; staging and prod share them in Redis', () => {
    const redisFiles = ENVIRONMENTS.map((env) => objectsOf(env).some((o) => o.file === `${env}/gateway/rate-limit-redis.yaml`));
    expect(redisFiles).toEqual([false, true, true]);
  });
});

describe('kongDeclarativeConfig', () => {
  const input: DeclarativeConfigInput = {
    host: 'api.example.test',
    services: [{ name: 'orders', namespace: 'apps', port: 8000, route: { path: '/api/v1/orders', methods: ['GET'], plugins: { 'rate-limiting': { minute: 5, policy: 'local' } } } }],
    cors: { origins: [], methods: ['GET'], headers: [], exposedHeaders: [], credentials: true, maxAgeSeconds: 60 },
    consumers: [],
    defaultRateLimitPolicy: 'redis',
  };

  it('without origins: no cors plugin and no OPTIONS on routes; local limits carry no redis block', () => {
    const config = kongDeclarativeConfig(input);
    expect(config.plugins.map((p) => p.name)).toEqual(['file-log', 'prometheus']);
    expect(config.services[0].routes[0].methods).toEqual(['GET']);
    expect(config.services[0].routes[0].plugins).toEqual([{ name: 'rate-limiting', config: { minute: 5, policy: 'local', limit_by: 'ip', fault_tolerant: true } }]);
    expect(config.plugins.find((p) => p.name === 'response-transformer')).toBeUndefined();
    expect(kongProblems(config)).toEqual([]);
  });

  it('a transformed route never receives a compressed body, and repeats the HSTS header the global plugin adds', () => {
    const filtered = { ...input.services[0], route: { path: '/api/v1/orders', methods: ['GET' as const], plugins: { 'response-transformer': { removeJsonFields: ['ssn'] } } } };
    const config = kongDeclarativeConfig({ ...input, services: [filtered], hstsMaxAgeSeconds: 600 });
    expect(config.services[0].routes[0].plugins).toEqual([
      { name: 'request-transformer', config: { remove: { headers: ['Accept-Encoding'] } } },
      { name: 'response-transformer', config: { remove: { json: ['ssn'] }, add: { headers: ['Strict-Transport-Security:max-age=600'] } } },
    ]);
    expect(config.plugins.at(-1)).toEqual({ name: 'response-transformer', config: { add: { headers: ['Strict-Transport-Security:max-age=600'] } } });
    expect(kongProblems(config)).toEqual([]);
  });

  it('escapes regex characters of the path in the exact-match pattern', () => {
    const config = kongDeclarativeConfig({ ...input, services: [{ ...input.services[0], route: { path: '/api/v1.2/x', methods: ['GET'] } }] });
    expect(config.services[0].routes[0].paths).toEqual(['~/api/v1\\.2/x$', '/api/v1.2/x/']);
  });

  it('throws when a route needs the rate-limit Redis and there is none', () => {
    const redisRoute = { ...input.services[0], route: { path: '/api/v1/orders', methods: ['GET' as const], plugins: { 'rate-limiting': { minute: 5 } } } };
    expect(() => kongDeclarativeConfig({ ...input, services: [redisRoute] })).toThrow('route of orders: rate-limiting policy "redis" needs the rate-limit Redis; pass redis or use policy "local"');
  });

  it('renders YAML that reads back as the config, keys in the order built, the format version a string, long values never folded', () => {
    const config = kongDeclarativeConfig(input);
    expect(parse(renderDeclarativeConfig(config))).toEqual(config);
    const lua = 'return (string.gsub(ngx.var.upstream_uri or "", "%?.*$", "")) -- the upstream URI without its query string';
    expect(renderDeclarativeConfig({ _format_version: '3.0', services: [], plugins: [{ name: 'file-log', config: { path: '/dev/stdout', custom_fields_by_lua: { upstream_uri: lua } } }] })).toBe(
      [
        '_format_version: "3.0"',
        'services: []',
        'plugins:',
        '  - name: file-log',
        '    config:',
        '      path: /dev/stdout',
        '      custom_fields_by_lua:',
        `        upstream_uri: ${lua}`,
        '',
      ].join('\n'),
    );
  });

  it('the offline Kong checks catch what Kong would reject', () => {
    const broken = {
      _format_version: '2.1',
      services: [{ name: 'a', url: 'ftp://a', connect_timeout: 0, read_timeout: 1, write_timeout: 1, routes: [{ name: 'r', https_redirect_status_code: 303, plugins: [{ name: 'request-transformer', config: { remove: { headers: ['Accept Encoding'] } } }, { name: 'rate-limiting', config: { minute: 10, hour: 5, policy: 'cluster' } }, { name: 'jwt', config: { claims_to_verify: ['iat'], secret: 'x' } }] }] }],
      plugins: [{ name: 'cors', config: { origins: ['(' ] } }, { name: 'key-auth', config: {} }],
      jwt_secrets: [],
    };
    expect(kongProblems(broken)).toEqual([
      '_format_version is 2.1',
      'service a: url ftp://a',
      'service a: connect_timeout 0',
      'route r: matches nothing',
      'route r: https_redirect_status_code 303',
      'route r: request-transformer: remove.headers entry Accept Encoding is not a header name (kong/plugins/request-transformer/schema.lua)',
      'route r: rate-limiting: limit for hour is lower than for minute (kong/plugins/rate-limiting/schema.lua)',
      'route r: rate-limiting: policy cluster is rejected in DB-less mode (kong/plugins/rate-limiting/schema.lua)',
      'route r: jwt: unknown field secret (kong/plugins/jwt/schema.lua)',
      'route r: jwt: claims_to_verify iat not one of exp, nbf (kong/plugins/jwt/schema.lua)',
      'global: cors: origin ( is not a valid regex (kong/plugins/cors/schema.lua)',
      'global: plugin key-auth has no schema here',
      'unexpected top-level key jwt_secrets',
    ]);
  });
});

describe('KongGateway', () => {
  const model = resolve(catalog, 'prod');
  const objects = objectsOf('prod').filter((o) => o.file === 'prod/gateway/api-gateway.yaml').map((o) => o.object);
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  const kong = deployment.spec.template.spec.containers[0];
  const env = Object.fromEntries(kong.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  it('runs DB-less with the admin API and Kong Manager off, exactly the plugins it uses', () => {
    expect(env).toMatchObject({ KONG_DATABASE: 'off', KONG_ADMIN_LISTEN: 'off', KONG_ADMIN_GUI_LISTEN: 'off', KONG_PLUGINS: 'cors,file-log,jwt,prometheus,rate-limiting,request-transformer,response-transformer' });
    expect(kong.image).toBe('docker.io/library/kong:3.9.1');
  });

  it('exposes only the proxy through the LoadBalancer, never the status or admin ports', () => {
    const service = objects.find((o) => o.kind === 'Service')!;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.ports.map((p: any) => `${p.name} ${p.port}->${p.targetPort}`)).toEqual(['http 80->proxy', 'https 443->proxy-tls']);
  });

  it('reads JWT credentials (as files, so every byte survives) and the Redis password only from Secrets', () => {
    expect(env.RATE_LIMIT_REDIS_PASSWORD).toEqual({ secretKeyRef: { name: 'kong-rate-limit-redis', key: 'password' } });
    const init = deployment.spec.template.spec.initContainers[0];
    expect(init.env).toBeUndefined();
    const volumes = Object.fromEntries(deployment.spec.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes['jwt-secrets'].projected).toEqual({ defaultMode: 0o440, sources: [{ secret: { name: 'jwt-secret', items: [{ key: 'signing-key', path: 'suoke-app' }] } }] });
    expect(init.volumeMounts).toContainEqual({ name: 'jwt-secrets', mountPath: '/kong/jwt', readOnly: true });
    expect(kong.volumeMounts.map((m: any) => m.name)).not.toContain('jwt-secrets');
    expect(volumes.declarative.emptyDir.medium).toBe('Memory');
  });

  it('serves the public certificate cert-manager writes, on the TLS proxy port', () => {
    const volumes = Object.fromEntries(deployment.spec.template.spec.volumes.map((v: any) => [v.name, v]));
    expect(volumes.tls.secret).toEqual({ secretName: 'api-gateway-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] });
    expect(kong.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/kong/tls', readOnly: true });
    expect([env.KONG_SSL_CERT, env.KONG_SSL_CERT_KEY]).toEqual(['/kong/tls/tls.crt', '/kong/tls/tls.key']);
    const certificate = objectsOf('prod').find((o) => o.object.kind === 'Certificate')!;
    expect(certificate.file).toBe('prod/gateway/public-certificate.yaml');
    expect(certificate.object.metadata).toMatchObject({ name: 'api-gateway', namespace: 'suoke-life-prod' });
    expect(certificate.object.spec).toMatchObject({
      secretName: 'api-gateway-tls',
      dnsNames: ['api.suoke.life'],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-dns' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
    });
  });

  it('an autoscaler from the catalog bounds, and a disruption budget', () => {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([model.services.find((s) => s.name === 'api-gateway')!.replicas.min, 10]);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
  });

  it('throws when routes use jwt but no consumer has a credential', () => {
    const config = kongDeclarativeConfig({
      host: 'h.example',
      services: [{ name: 'a', namespace: 'n', port: 8000, route: { path: '/a', methods: ['GET'], plugins: { jwt: {} } } }],
      cors: { origins: [], methods: [], headers: [], exposedHeaders: [], credentials: false, maxAgeSeconds: 0 },
      consumers: [],
      defaultRateLimitPolicy: 'local',
    });
    const props = { name: 'gw', namespace: 'n', labels: { instance: 'i', component: 'gateway', partOf: 'p' }, image: 'kong:3.9.1', config, resources: model.services[0].resources, replicas: { min: 1, max: 1 }, servicePorts: { http: 80, https: 443 } };
    expect(() => new KongGateway(Testing.chart(), 'gw', props)).toThrow('kong gateway gw: routes use jwt but no consumer has a credential; every token would be rejected');
  });
});
