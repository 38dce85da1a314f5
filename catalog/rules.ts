import { effectiveSettings } from './defaults';
import { didYouMean } from './diagnostics';
import { parseDuration } from './duration';
import { parseCpu, parseMemory } from './quantity';
import type { CatalogDocument, EnvironmentName } from './schema';
import { ENVIRONMENTS } from './schema';
import type { DocPath } from './source';

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

/** Variable names that say "this is a credential": their values must come from a Secret. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/;

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
  {
    id: 'no-literal-secrets',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        Object.keys(s.env ?? {}).filter((name) => SECRET_LIKE_NAME.test(name)).map((name) => ({
          path: ['services', i, 'env', name],
          message: `"${name}" looks like a credential; never put its value in the catalog, reference it under secrets: [{ env: ${name}, secret: <secret-name>, key: <key> }]`,
        })),
      ),
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
    id: 'telemetry-retention',
    // Loki deletes whole index periods (24h), and a retention under a day would drop logs before anyone reads them.
    check: (doc) => {
      const logs = doc.platform.telemetry?.retention.logs;
      const seconds = logs === undefined ? undefined : parseDuration(logs);
      if (seconds === undefined || (seconds >= 86400 && seconds % 86400 === 0)) return [];
      return [{ path: ['platform', 'telemetry', 'retention', 'logs'], message: `log retention "${logs}" must be a whole number of days of at least 24h (Loki's index period is 24h), e.g. "168h" or "744h"` }];
    },
  },
];

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
