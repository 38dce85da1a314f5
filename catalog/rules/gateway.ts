import { budgetRules } from '../budgets';
import { canaryRules } from '../canary-rules';
import { effectiveConsul, effectiveRedis, effectiveSettings } from '../defaults';
import { didYouMean } from '../diagnostics';
import { parseDuration } from '../duration';
import { parseCpu, parseMemory } from '../quantity';
import { effectiveLokiLimits } from '../telemetry';
import { replicaBoundFindings, resourceBoundFindings } from '../limits';
import { secretValueFindings } from '../secrets/rule';
import type { CatalogDocument, EnvironmentName } from '../schema';
import { ENVIRONMENTS } from '../schema';
import type { DocPath } from '../source';

/** A violation found by a rule: where, and what is wrong and how to fix it. */
export interface Finding {
  readonly path: DocPath;
  readonly message: string;
}

/** A cross-reference rule over a structurally valid catalog. Rules are data: add one to the list. */
export interface Rule {
  readonly id: string;
  readonly check: (doc: CatalogDocument) => Finding[];
}

/** Ports the Istio sidecar listens on inside every pod; a service port there breaks the proxy. */
const ISTIO_RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

/** Variables the platform sets on every workload (telemetry wiring); the catalog cannot override them. */
export const PLATFORM_ENV_PREFIX = 'OTEL_';

export const rules: readonly Rule[] = [
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
    id: 'replica-bounds',
    // a service that sets neither bound inherits the defaults' problem, reported once at defaults.
    check: (doc) =>
      [
        { path: ['defaults', 'autoscaling'] as DocPath, own: doc.defaults.autoscaling as object | undefined, bounds: doc.defaults.autoscaling },
        ...doc.services.map((s, i) => ({ path: ['services', i, 'autoscaling'] as DocPath, own: s.autoscaling, bounds: effectiveSettings(doc.defaults, s).autoscaling })),
      ].flatMap(({ path, own, bounds: { minReplicas, maxReplicas } }) =>
        own && minReplicas > maxReplicas
          ? [{ path: [...path, 'minReplicas' in own ? 'minReplicas' : 'maxReplicas'], message: `minReplicas (${minReplicas}) is greater than maxReplicas (${maxReplicas}); lower minReplicas or raise maxReplicas` }]
          : [],
      ),
  },
  {
    id: 'prod-high-availability',
    check: (doc) => {
      const cap = doc.environments.prod.maxReplicas ?? Infinity;
      if (cap < 2) {
        return [{ path: ['environments', 'prod', 'maxReplicas'], message: `prod is capped at ${cap} replica; production needs at least 2 per service so a node drain or a crash leaves one serving` }];
      }
      const low = (min: number) => `would run ${min} replica in prod; production needs at least 2 so a node drain or a crash leaves one serving`;
      return [
        ...(doc.defaults.autoscaling.minReplicas < 2 && doc.services.some((s) => s.autoscaling?.minReplicas === undefined)
          ? [{ path: ['defaults', 'autoscaling', 'minReplicas'] as DocPath, message: `services without their own minReplicas ${low(doc.defaults.autoscaling.minReplicas)}` }]
          : []),
        ...doc.services.flatMap((s, i) =>
          s.autoscaling?.minReplicas !== undefined && s.autoscaling.minReplicas < 2
            ? [{ path: ['services', i, 'autoscaling', 'minReplicas'] as DocPath, message: `"${s.name}" ${low(s.autoscaling.minReplicas)}` }]
            : [],
        ),
      ];
    },
  },
  {
    id: 'requests-within-limits',
    check: (doc) =>
      [
        { path: ['defaults'] as DocPath, own: doc.defaults.resources as object | undefined, resources: doc.defaults.resources },
        ...doc.services.map((s, i) => ({ path: ['services', i] as DocPath, own: s.resources, resources: effectiveSettings(doc.defaults, s).resources })),
      ].flatMap(({ path, own, resources }) =>
        (['cpu', 'memory'] as const).flatMap((kind) => {
          const parse = kind === 'cpu' ? parseCpu : parseMemory;
          const request = parse(resources.requests[kind]);
          const limit = parse(resources.limits[kind]);
          if (!own || request === undefined || limit === undefined || request <= limit) return [];
          return [{ path: [...path, 'resources', 'requests', kind], message: `${kind} request (${resources.requests[kind]}) exceeds the limit (${resources.limits[kind]}); raise the limit or lower the request` }];
        }),
      ),
  },
  {
    id: 'port-clashes',
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const findings: Finding[] = [];
        const { http, grpc } = s.ports;
        if (http !== undefined && http === grpc) {
          findings.push({ path: ['services', i, 'ports', 'grpc'], message: `grpc port ${grpc} is also the http port; give each protocol its own port` });
        }
        for (const [name, value] of Object.entries(s.ports)) {
          if (value !== undefined && ISTIO_RESERVED_PORTS.includes(value)) {
            findings.push({ path: ['services', i, 'ports', name], message: `port ${value} is reserved by the Istio sidecar (${ISTIO_RESERVED_PORTS.join(', ')}); pick another port` });
          }
        }
        return findings;
      }),
  },
  {
    id: 'services-serve-http',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        !s.implementation && s.ports.http === undefined
          ? [{ path: ['services', i, 'ports'], message: `"${s.name}" has no http port; every service serves its probes (/health, /ready) and /metrics over http, add ports.http` }]
          : [],
      ),
  },
  {
    id: 'route-needs-http',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        s.route && s.ports.http === undefined ? [{ path: ['services', i, 'route'], message: `"${s.name}" has a public route but no http port; add ports.http or remove the route` }] : [],
      ),
  },
  {
    id: 'unique-routes',
    check: (doc) => {
      const routes = doc.services.flatMap((s, i) => (s.route ? [{ service: s.name, path: s.route.path, at: ['services', i, 'route', 'path'] as DocPath }] : []));
      return routes.flatMap((a, ai) =>
        routes.slice(0, ai).flatMap((b) => {
          if (a.path === b.path) return [{ path: a.at, message: `route path "${a.path}" is already used by "${b.service}"; every public path belongs to one service` }];
          const [outer, inner] = a.path.length < b.path.length ? [a, b] : [b, a];
          if (inner.path.startsWith(`${outer.path.replace(/\/$/, '')}/`)) {
            return [{ path: a.at, message: `route path "${inner.path}" (${inner.service}) lies under "${outer.path}" (${outer.service}); the gateway would send one service's traffic to the other, use disjoint prefixes` }];
          }
          return [];
        }),
      );
    },
  },
  {
    id: 'images',
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        if (s.implementation && s.image) return [{ path: ['services', i, 'image'], message: `"${s.name}" is implemented by ${s.implementation}, whose image is pinned by the platform; remove this image` }];
        if (!s.implementation && !s.image) return [{ path: ['services', i], message: `"${s.name}" has no image; add image: { name: ..., tag: ... } with a pinned version` }];
        return [];
      }),
  },
  {
    id: 'image-tag-overrides-name-services',
    check: (doc) => {
      const names = new Set(doc.services.filter((s) => !s.implementation).map((s) => s.name));
      return ENVIRONMENTS.flatMap((env: EnvironmentName) =>
        Object.keys(doc.environments[env].imageTags ?? {}).flatMap((name) =>
          names.has(name) ? [] : [{ path: ['environments', env, 'imageTags', name], message: `unknown service "${name}"${didYouMean(name, names) || '; keys are names of services with an image'}` }],
        ),
      );
    },
  },
  { id: 'resources-fit-a-node', check: resourceBoundFindings },
  { id: 'replica-ceiling', check: replicaBoundFindings },
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
  {
    id: 'istio-gateway-ports',
    // two Service ports on one number are rejected by the API server only at install time;
    // a target port on one of Envoy's own ports (15021 status, 15090 metrics) breaks the gateway.
    check: (doc) => {
      const ports = doc.platform.istio?.ingressGateway?.ports ?? [];
      const at = (j: number, field: string): DocPath => ['platform', 'istio', 'ingressGateway', 'ports', j, field];
      return [
        ...duplicates(ports.map((p, j) => [String(p.port), at(j, 'port')] as const), (port) => `ingress gateway port ${port} is listed twice; each Service port needs its own number`),
        ...duplicates(ports.map((p, j) => [p.name, at(j, 'name')] as const), (name) => `ingress gateway port name "${name}" is listed twice; each Service port needs its own name`),
        ...ports.flatMap((p, j) =>
          ISTIO_RESERVED_PORTS.includes(p.targetPort)
            ? [{ path: at(j, 'targetPort'), message: `target port ${p.targetPort} is reserved by the gateway's Envoy (${ISTIO_RESERVED_PORTS.join(', ')}); use 8080 or 8443` }]
            : [],
        ),
      ];
    },
  },
  {
    id: 'one-public-entry',
    // Kong is the edge (README "One public entry"). An Istio ingress gateway is a second public
    // LoadBalancer, and the platform generates no Gateway or VirtualService for it: it would route
    // nothing, yet need a load-balancer controller and a review of its own.
    check: (doc) =>
      doc.platform.istio?.ingressGateway?.enabled === true
        ? [{ path: ['platform', 'istio', 'ingressGateway', 'enabled'], message: 'the Istio ingress gateway would be a second public entry that routes nothing (the catalog cannot give it a Gateway or VirtualService yet); set enabled: false, Kong is the public entry' }]
        : [],
  },
  {
    id: 'rate-limit-periods',
    // Kong's own schema rejects both (rate-limiting/schema.lua: at_least_one_of, validate_periods_order).
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const limits = s.route?.plugins?.['rate-limiting'];
        if (!limits) return [];
        const at: DocPath = ['services', i, 'route', 'plugins', 'rate-limiting'];
        if (limits.minute === undefined && limits.hour === undefined) return [{ path: at, message: 'rate-limiting sets no limit; add minute, hour or both' }];
        if (limits.minute !== undefined && limits.hour !== undefined && limits.hour < limits.minute) {
          return [{ path: [...at, 'hour'], message: `hour limit (${limits.hour}) is below the minute limit (${limits.minute}); an hour holds sixty minutes, raise hour to at least ${limits.minute}` }];
        }
        if (Number.isInteger(limits.minute) && limits.minute !== undefined && limits.hour !== undefined && limits.hour > limits.minute * 60) {
          return [{ path: [...at, 'hour'], message: `hour limit (${limits.hour}) can never be reached: sixty minutes of ${limits.minute} allow only ${limits.minute * 60}; lower hour to at most ${limits.minute * 60} or raise minute` }];
        }
        return [];
      }),
  },
  {
    id: 'route-timeout-within-kong',
    // Kong 3.9 kong/db/schema/typedefs.lua `typedefs.timeout`: an integer of milliseconds between
    // 0 and 2^31-2; a larger value stops Kong from loading its config. 0 would mean no wait at all.
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const timeout = s.route?.timeout;
        const seconds = timeout === undefined ? undefined : parseDuration(timeout);
        if (seconds === undefined || (seconds >= 1 && seconds * 1000 <= KONG_TIMEOUT_MAX_MS)) return [];
        const max = Math.floor(KONG_TIMEOUT_MAX_MS / 1000);
        return [{ path: ['services', i, 'route', 'timeout'], message: `timeout "${timeout}" is outside what Kong accepts (1s to ${max}s, about ${Math.floor(max / 3600)}h: at most 2^31-2 ms); use e.g. "60s"` }];
      }),
  },
  {
    id: 'route-path-normalized',
    // Kong 3.9 typedefs.router_path: "must not have empty segments" (`//`), and a prefix path must be
    // in normalized form (no `.` or `..` segment); the mesh also merges slashes before matching.
    check: (doc) =>
      doc.services.flatMap((s, i) => {
        const path = s.route?.path;
        if (path === undefined) return [];
        const at: DocPath = ['services', i, 'route', 'path'];
        if (path.includes('//')) return [{ path: at, message: `route path "${path}" has an empty segment ("//"), which Kong rejects; use "${path.replace(/\/{2,}/g, '/')}"` }];
        if (path.split('/').some((segment) => segment === '.' || segment === '..')) {
          return [{ path: at, message: `route path "${path}" has a "." or ".." segment, which Kong rejects (not normalized) and clients never send after normalizing; write the path without it` }];
        }
        return [];
      }),
  },
  {
    id: 'public-tls',
    // every public host gets a real certificate, and prod tells browsers to use nothing but HTTPS.
    check: (doc) => {
      if (!doc.services.some((s) => s.route)) return [];
      return ENVIRONMENTS.flatMap((env: EnvironmentName): Finding[] => {
        const tls = doc.environments[env].tls;
        const host = doc.environments[env].hostnames.api;
        if (!tls) {
          return [{ path: ['environments', env, 'hostnames', 'api'], message: `${env}: the public host "${host}" has no certificate, so Kong would serve its self-signed one; add tls: { issuer: { kind: ClusterIssuer, name: <issuer> } } or tls: { secret: <existing TLS Secret> } to environments.${env}` }];
        }
        const findings: Finding[] = [];
        if ((tls.issuer === undefined) === (tls.secret === undefined)) {
          findings.push({ path: ['environments', env, 'tls'], message: `${env}: tls needs exactly one source: issuer (cert-manager issues the certificate) or secret (an existing TLS Secret), not ${tls.issuer ? 'both' : 'neither'}` });
        }
        if (env === 'prod' && tls.hstsMaxAge === undefined) {
          findings.push({ path: ['environments', env, 'tls'], message: 'prod: no hstsMaxAge; browsers must be told to use HTTPS only, add hstsMaxAge: 8760h (one year)' });
        }
        const hsts = tls.hstsMaxAge === undefined ? undefined : parseDuration(tls.hstsMaxAge);
        if (hsts !== undefined && hsts < 1) findings.push({ path: ['environments', env, 'tls', 'hstsMaxAge'], message: `${env}: hstsMaxAge "${tls.hstsMaxAge}" of zero tells browsers to forget HTTPS-only; use e.g. 8760h` });
        return findings;
      });
    },
  },
  {
    id: 'cors-origins',
    check: (doc) => {
      const credentials = doc.platform.kong?.cors?.credentials ?? true;
      return ENVIRONMENTS.flatMap((env: EnvironmentName) =>
        (doc.environments[env].gateway?.corsOrigins ?? []).flatMap((origin, k) => {
          const path: DocPath = ['environments', env, 'gateway', 'corsOrigins', k];
          if (origin === '*') {
            return [{
              path,
              message: credentials
                ? 'origin "*" with credentials is rejected by browsers (the CORS spec forbids a wildcard with credentials); list each origin, e.g. "https://app.suoke.life"'
                : 'origin "*" lets every site call the API; list each origin, e.g. "https://app.suoke.life" (SECURITY.md R2)',
            }];
          }
          return ORIGIN.test(origin) ? [] : [{ path, message: `"${origin}" is not an origin; use scheme://host[:port] with no path or trailing "/", e.g. "https://app.suoke.life"` }];
        }),
      );
    },
  },
  {
    id: 'routes-called-by-gateway',
    // the mesh admits the gateway exactly where the catalog's calls say; a route without the
    // matching call would be public at Kong and denied by the callee's AuthorizationPolicy.
    check: (doc) => {
      const gatewayIndex = doc.services.findIndex((s) => s.implementation === 'kong');
      const gateway = doc.services[gatewayIndex];
      const routed = doc.services.flatMap((s, i) => (s.route ? [{ s, i, route: s.route }] : []));
      if (!gateway) {
        return routed.slice(0, 1).map(({ i }) => ({ path: ['services', i, 'route'] as DocPath, message: 'routes need the gateway: add a service with implementation: kong (api-gateway)' }));
      }
      const calls = gateway.calls ?? [];
      const findings: Finding[] = routed.flatMap(({ s, i, route }) => {
        const call = calls.find((c) => c.service === s.name);
        const paths = [route.path, `${route.path.replace(/\/$/, '')}/*`];
        const expected = `{ service: ${s.name}, methods: [${route.methods.join(', ')}], paths: [${paths.join(', ')}] }`;
        if (!call) return [{ path: ['services', i, 'route'] as DocPath, message: `"${s.name}" has a route but "${gateway.name}" does not call it; add ${expected} to ${gateway.name}'s calls` }];
        const sameMethods = [...call.methods].sort().join() === [...route.methods].sort().join();
        const samePaths = [...call.paths].sort().join() === [...paths].sort().join();
        return sameMethods && samePaths ? [] : [{ path: ['services', gatewayIndex, 'calls', calls.indexOf(call)] as DocPath, message: `the call to "${s.name}" must match its route: ${expected}` }];
      });
      calls.forEach((call, j) => {
        const callees = doc.services.filter((s) => s.name === call.service);
        if (callees.length > 0 && callees.every((s) => !s.route)) {
          findings.push({ path: ['services', gatewayIndex, 'calls', j, 'service'], message: `"${gateway.name}" calls "${call.service}", which has no route; add a route to ${call.service} or remove this call` });
        }
      });
      return findings;
    },
  },
  {
    id: 'jwt-needs-consumer',
    check: (doc) => {
      if ((doc.platform.kong?.consumers ?? []).length > 0) return [];
      return doc.services.flatMap((s, i) =>
        s.route?.plugins?.jwt ? [{ path: ['services', i, 'route', 'plugins', 'jwt'] as DocPath, message: 'jwt rejects every token when no consumer has a credential; add platform.kong.consumers: [{ username: ..., jwt: { key: <iss>, secret: { name: <secret>, key: <key> } } }]' }] : [],
      );
    },
  },
  {
    id: 'unique-consumers',
    check: (doc) =>
      duplicates((doc.platform.kong?.consumers ?? []).map((c, k) => [c.username, ['platform', 'kong', 'consumers', k, 'username']] as const), (name) => `consumer "${name}" is listed twice; keep one`).concat(
        duplicates((doc.platform.kong?.consumers ?? []).map((c, k) => [c.jwt.key, ['platform', 'kong', 'consumers', k, 'jwt', 'key']] as const), (key) => `jwt key "${key}" is used by two consumers; Kong finds the credential by this key, keep it unique`),
      ),
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
  {
    id: 'redis-cluster-size',
    check: (doc) =>
      unique(
        eachEnvironment(doc, 'redis').flatMap(({ env, overlay }) => {
          const { nodes, replicasPerMaster } = effectiveRedis(doc, env);
          const at = (field: string): DocPath => (overlay && field in overlay ? ['environments', env, 'redis', field] : ['platform', 'redis', field]);
          const group = 1 + replicasPerMaster;
          if (nodes % group !== 0) {
            return [{ path: at('nodes'), message: `${env}: ${nodes} nodes cannot be split into masters with ${replicasPerMaster} replica(s) each; use a multiple of ${group}` }];
          }
          if (nodes / group < REDIS_MIN_MASTERS) {
            return [{ path: at('nodes'), message: `${env}: ${nodes} nodes give ${nodes / group} master(s); a Redis cluster needs at least ${REDIS_MIN_MASTERS} masters, so at least ${REDIS_MIN_MASTERS * group} nodes with ${replicasPerMaster} replica(s) per master` }];
          }
          return [];
        }),
      ),
  },
  {
    id: 'redis-maxmemory-within-limit',
    check: (doc) =>
      unique(
        eachEnvironment(doc, 'redis').flatMap(({ env, overlay }) => {
          const { maxmemory, resources } = effectiveRedis(doc, env);
          const max = parseMemory(maxmemory);
          const limit = parseMemory(resources.limits.memory);
          if (max === undefined || limit === undefined || max <= limit * REDIS_MAXMEMORY_SHARE) return [];
          const path: DocPath =
            overlay && 'maxmemory' in overlay ? ['environments', env, 'redis', 'maxmemory'] : overlay && 'resources' in overlay ? ['environments', env, 'redis', 'resources'] : ['platform', 'redis', 'maxmemory'];
          return [{ path, message: `${env}: maxmemory ${maxmemory} is above ${REDIS_MAXMEMORY_SHARE * 100} % of the memory limit (${resources.limits.memory}); replication buffers and the fork for AOF rewrites need the rest, raise the limit or lower maxmemory` }];
        }),
      ),
  },
  {
    id: 'consul-server-count',
    check: (doc) =>
      unique(
        eachEnvironment(doc, 'consul').flatMap(({ env, overlay }) => {
          const { servers } = effectiveConsul(doc, env);
          const path: DocPath = overlay && 'servers' in overlay ? ['environments', env, 'consul', 'servers'] : ['platform', 'consul', 'servers'];
          if (!CONSUL_SERVER_COUNTS.includes(servers)) {
            return [{ path, message: `${env}: ${servers} Consul servers; use ${CONSUL_SERVER_COUNTS.join(', ')} (an even count tolerates no more failures than the odd count below it)` }];
          }
          if (env === 'prod' && servers < 3) return [{ path, message: `prod: ${servers} Consul server cannot lose one without losing quorum; use 3 or 5` }];
          return [];
        }),
      ),
  },
  {
    id: 'telemetry-retention',
    // Loki deletes whole index periods (24h), and a retention under a day would drop logs before anyone reads them.
    check: (doc) => {
      const places: { logs: string | undefined; path: DocPath }[] = [
        { logs: doc.platform.telemetry?.retention.logs, path: ['platform', 'telemetry', 'retention', 'logs'] },
        ...ENVIRONMENTS.map((env) => ({ logs: doc.environments[env].telemetry?.retention?.logs, path: ['environments', env, 'telemetry', 'retention', 'logs'] as DocPath })),
      ];
      return places.flatMap(({ logs, path }) => {
        const seconds = logs === undefined ? undefined : parseDuration(logs);
        if (seconds === undefined || (seconds >= 86400 && seconds % 86400 === 0)) return [];
        return [{ path, message: `log retention "${logs}" must be a whole number of days of at least 24h (Loki's index period is 24h), e.g. "168h" or "744h"` }];
      });
    },
  },
  {
    id: 'loki-limits',
    // Loki takes a burst below its rate silently, and then rejects what the rate allows; one stream
    // can never use more than its tenant, so a per-stream rate above the tenant's is a typo.
    check: (doc) => {
      const findings = new Map<string, Finding>();
      for (const env of ENVIRONMENTS) {
        const limits = effectiveLokiLimits(doc, env);
        const overlay = doc.environments[env].telemetry?.lokiLimits;
        const platform = doc.platform.telemetry?.lokiLimits;
        type Field = keyof typeof limits;
        // the field that set the offending value: the environment's first, then the platform's.
        const where = (...fields: Field[]): DocPath => {
          const own = fields.find((f) => overlay?.[f] !== undefined);
          if (own) return ['environments', env, 'telemetry', 'lokiLimits', own];
          const shared = fields.find((f) => platform?.[f] !== undefined);
          return shared ? ['platform', 'telemetry', 'lokiLimits', shared] : ['environments', env, 'telemetry'];
        };
        // a platform-level value is reported once, not once per environment that inherits it.
        const add = (path: DocPath, message: string) => {
          if (!findings.has(path.join('.'))) findings.set(path.join('.'), { path, message: path[0] === 'environments' ? message.replace(';', ` in ${env};`) : message });
        };
        if (limits.ingestionBurstSizeMb < limits.ingestionRateMb) {
          add(where('ingestionBurstSizeMb', 'ingestionRateMb'), `ingestionBurstSizeMb ${limits.ingestionBurstSizeMb} is below ingestionRateMb ${limits.ingestionRateMb}; a burst must be at least its rate, e.g. twice it`);
        }
        if (limits.perStreamRateLimitBurstMb < limits.perStreamRateLimitMb) {
          add(where('perStreamRateLimitBurstMb', 'perStreamRateLimitMb'), `perStreamRateLimitBurstMb ${limits.perStreamRateLimitBurstMb} is below perStreamRateLimitMb ${limits.perStreamRateLimitMb}; a burst must be at least its rate (Loki's defaults: 3 and 15)`);
        }
        if (limits.perStreamRateLimitMb > limits.ingestionRateMb) {
          add(where('perStreamRateLimitMb', 'ingestionRateMb'), `perStreamRateLimitMb ${limits.perStreamRateLimitMb} is above ingestionRateMb ${limits.ingestionRateMb}; one stream cannot use more than the whole tenant: lower it or raise ingestionRateMb`);
        }
      }
      return [...findings.values()];
    },
  },
  ...canaryRules,
  // timeouts and retries along every call chain (catalog/budgets.ts).
  ...budgetRules,
];

/** Kong 3.9 typedefs.timeout: at most 2^31-2 milliseconds. */
export const KONG_TIMEOUT_MAX_MS = 2 ** 31 - 2;
/** A browser origin: scheme, host and optional port, nothing else (RFC 6454). */
const ORIGIN = /^https?:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?(:\d{1,5})?$/;
/** `redis-cli --cluster create` refuses fewer than three masters. */
export const REDIS_MIN_MASTERS = 3;
/** The share of the memory limit `maxmemory` may take. */
const REDIS_MAXMEMORY_SHARE = 0.75;
/** Raft quorum sizes that make sense. */
const CONSUL_SERVER_COUNTS = [1, 3, 5];

/** Each environment, with its overlay for `component`, when the catalog defines the component. */
function eachEnvironment(doc: CatalogDocument, component: 'redis' | 'consul') {
  if (!doc.platform[component]) return [];
  return ENVIRONMENTS.map((env) => ({ env, overlay: doc.environments[env][component] as object | undefined }));
}

/**
 * Findings with the same path and message once: a base value (`platform.*`) wrong in every
 * environment is reported once, without the environment prefix.
 */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings
    .map((f) => (f.path[0] === 'platform' ? { ...f, message: f.message.replace(/^\w+: /, '') } : f))
    .filter((f) => {
      const key = `${f.path.join('.')}\u0000${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function eachCall(doc: CatalogDocument) {
  return doc.services.flatMap((s, i) => (s.calls ?? []).map((call, j) => ({ caller: s.name, call, path: ['services', i, 'calls', j] as DocPath })));
}

/** One finding for every repeat of a key, at the repeat (the first occurrence is the one kept). */
function duplicates(entries: readonly (readonly [string, DocPath])[], message: (key: string) => string): Finding[] {
  const seen = new Set<string>();
  return entries.flatMap(([key, path]) => {
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [{ path, message: message(key) }];
  });
}
