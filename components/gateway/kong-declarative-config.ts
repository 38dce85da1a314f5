import { stringify } from 'yaml';
import type { GatewayModel, RateLimitPolicy, RouteEntry } from '../../catalog';
import { parseDuration } from '../../catalog/duration';

/**
 * Kong's declarative configuration (format 3.0), generated from the catalog's routes: a pure
 * function of its input, so the same catalog always yields the same bytes.
 *
 * Plugin field names follow Kong 3.9's plugin schemas (`kong/plugins/<name>/schema.lua`).
 * @see https://developer.konghq.com/gateway/declarative-configuration/
 */

/** One routed catalog service. */
export interface RoutedService {
  readonly name: string;
  readonly namespace: string;
  readonly port: number;
  readonly route: RouteEntry;
}

export interface DeclarativeConfigInput {
  /** The API hostname routes match, e.g. `api.suoke.life`. */
  readonly host: string;
  /** Routed services; output follows this order, so pass them sorted by name. */
  readonly services: readonly RoutedService[];
  readonly cors: GatewayModel['cors'];
  /** JWT consumers (their credentials are added at pod start, never here). */
  readonly consumers: readonly { readonly username: string }[];
  /** The environment's policy for routes that do not name one. */
  readonly defaultRateLimitPolicy: RateLimitPolicy;
  /**
   * Where `redis`-policy counters live; the password is a vault reference resolved from the pod's env.
   * @default - no `redis` policy allowed
   */
  readonly redis?: { readonly host: string; readonly port: number; readonly password: string };
  /**
   * Upstream timeout for routes that set none.
   * @default 60 seconds (Kong's own default, written out so the config says it)
   */
  readonly defaultTimeoutSeconds?: number;
  /**
   * `Strict-Transport-Security: max-age` added to every response, in seconds.
   * @default - no HSTS header
   */
  readonly hstsMaxAgeSeconds?: number;
}

export interface KongPlugin {
  readonly name: string;
  readonly config: Record<string, unknown>;
}

export interface KongRoute {
  readonly name: string;
  readonly hosts: string[];
  readonly paths: string[];
  readonly methods: string[];
  readonly protocols: string[];
  /** What a plain-HTTP request gets when `protocols` is `https` only (routes.lua: 426, 301, 302, 307, 308). */
  readonly https_redirect_status_code: number;
  readonly strip_path: boolean;
  readonly preserve_host: boolean;
  readonly plugins?: KongPlugin[];
}

export interface KongService {
  readonly name: string;
  readonly url: string;
  readonly connect_timeout: number;
  readonly read_timeout: number;
  readonly write_timeout: number;
  readonly routes: KongRoute[];
}

export interface KongDeclarativeConfig {
  readonly _format_version: '3.0';
  readonly services: KongService[];
  readonly consumers?: { readonly username: string }[];
  readonly plugins: KongPlugin[];
}

/** Where Kong writes request logs (JSON, one line per request): the container's stdout. */
export const REQUEST_LOG_PATH = '/dev/stdout';

/** The route's key claim: the token's issuer selects the consumer's credential. */
const JWT_KEY_CLAIM = 'iss';

/**
 * A plain-HTTP request is redirected to HTTPS with 308, which (unlike 301/302) keeps the method
 * and body, so a POST is not silently turned into a GET. The route accepts `https` only.
 * @see https://github.com/Kong/kong/blob/3.9.1/kong/db/schema/entities/routes.lua (https_redirect_status_code)
 */
export const HTTPS_REDIRECT_STATUS = 308;

/**
 * What the request log must never hold, and how: kong.log.serialize() (kong/pdk/log.lua at 3.9.1)
 * already writes `REDACTED` for Authorization and Proxy-Authorization, but keeps the query string
 * (in `request.querystring`, `request.uri`, `request.url`, `upstream_uri`), cookies and
 * Set-Cookie. file-log's `custom_fields_by_lua` sets each field through
 * `kong.log.set_serialize_value`, where `nil` deletes it; the chunks run in Kong's sandbox with
 * `kong` and `ngx` in scope (kong/plugins/file-log/handler.lua).
 */
export const REQUEST_LOG_REDACTIONS: Readonly<Record<string, string>> = {
  'request.querystring': 'return nil',
  'request.url': 'return nil',
  'request.uri': 'return kong.request.get_path()',
  'request.headers.cookie': 'return nil',
  'response.headers.set-cookie': 'return nil',
  'upstream_uri': 'return (string.gsub(ngx.var.upstream_uri or "", "%?.*$", ""))',
};

export function kongDeclarativeConfig(input: DeclarativeConfigInput): KongDeclarativeConfig {
  const timeout = (seconds: number | undefined) => (seconds ?? input.defaultTimeoutSeconds ?? 60) * 1000;
  const services = input.services.map((s): KongService => {
    const ms = timeout(s.route.timeout ? parseDuration(s.route.timeout) : undefined);
    const plugins = routePlugins(s, input);
    return {
      name: s.name,
      url: `http://${s.name}.${s.namespace}.svc.cluster.local:${s.port}`,
      connect_timeout: ms,
      read_timeout: ms,
      write_timeout: ms,
      routes: [
        {
          name: s.name,
          hosts: [input.host],
          // the exact path and everything under it, the same two patterns the mesh admits
          // (`/api/v1/x`, `/api/v1/x/*`); a bare prefix would also match `/api/v1/xyz`.
          paths: [`~${escapeRegex(s.route.path)}$`, `${s.route.path.replace(/\/$/, '')}/`],
          // OPTIONS too: a CORS preflight must match a route for the cors plugin to answer it;
          // Kong answers it itself, so it never reaches the service.
          methods: [...new Set([...s.route.methods, ...(input.cors.origins.length > 0 ? ['OPTIONS'] : [])])].sort(),
          // HTTPS only: plain HTTP is answered with a redirect and never reaches a plugin or upstream.
          protocols: ['https'],
          https_redirect_status_code: HTTPS_REDIRECT_STATUS,
          // the upstream and its mesh AuthorizationPolicy see the public path `/api/v1/...`.
          strip_path: false,
          // the Host is the upstream's own name, which the sidecar routes on.
          preserve_host: false,
          ...(plugins.length > 0 ? { plugins } : {}),
        },
      ],
    };
  });
  return {
    _format_version: '3.0',
    services,
    ...(input.consumers.length > 0 ? { consumers: input.consumers.map((c) => ({ username: c.username })) } : {}),
    plugins: globalPlugins(input),
  };
}

function routePlugins(s: RoutedService, input: DeclarativeConfigInput): KongPlugin[] {
  const plugins: KongPlugin[] = [];
  const catalog = s.route.plugins ?? {};
  if (catalog.jwt) {
    plugins.push({
      name: 'jwt',
      config: {
        claims_to_verify: ['exp'],
        key_claim_name: JWT_KEY_CLAIM,
        // a CORS preflight carries no token; without this the jwt plugin would answer it 401.
        run_on_preflight: false,
        // credentials are written base64url-encoded at pod start (kong-gateway.ts), which is what
        // jwt_parser.lua's base64_decode reads (pads, then decode_base64url), so any byte is safe.
        secret_is_base64: true,
        // the Authorization header only: a token in `?jwt=` or a cookie ends up in URLs, logs and
        // caches (the schema's defaults are uri_param_names ["jwt"], cookie_names []).
        uri_param_names: [],
        cookie_names: [],
        header_names: ['authorization'],
      },
    });
  }
  const limits = catalog['rate-limiting'];
  if (limits) {
    const policy = limits.policy ?? input.defaultRateLimitPolicy;
    if (policy === 'redis' && !input.redis) throw new Error(`route of ${s.name}: rate-limiting policy "redis" needs the rate-limit Redis; pass redis or use policy "local"`);
    plugins.push({
      name: 'rate-limiting',
      config: {
        ...(limits.minute !== undefined ? { minute: limits.minute } : {}),
        ...(limits.hour !== undefined ? { hour: limits.hour } : {}),
        policy,
        // per client address: the catalog's consumers are applications, so limiting by consumer
        // would make every user of the app share one budget.
        limit_by: 'ip',
        // if the counter store is unreachable, serve rather than fail every request.
        fault_tolerant: true,
        ...(policy === 'redis' ? { redis: { host: input.redis!.host, port: input.redis!.port, password: input.redis!.password, timeout: 2000, database: 0 } } : {}),
      },
    });
  }
  const transformer = catalog['response-transformer'];
  if (transformer) {
    // a route-level plugin replaces the global one of the same name, so it repeats the HSTS header.
    plugins.push({ name: 'response-transformer', config: { remove: { json: [...transformer.removeJsonFields] }, ...hstsHeader(input) } });
    // response-transformer edits only bodies it can parse: a gzip body passes through unchanged
    // (kong/plugins/response-transformer/handler.lua, body_filter). Without Accept-Encoding the
    // upstream answers uncompressed, so the filter always sees the JSON it must edit.
    plugins.push({ name: 'request-transformer', config: { remove: { headers: [...TRANSFORMED_ROUTE_REMOVED_HEADERS] } } });
  }
  return plugins.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Request headers removed on the way up on routes whose response bodies are transformed. */
export const TRANSFORMED_ROUTE_REMOVED_HEADERS = ['Accept-Encoding'] as const;

/** response-transformer's `add.headers` entry for HSTS (`name:value`), or nothing. */
function hstsHeader(input: DeclarativeConfigInput): { add?: { headers: string[] } } {
  return input.hstsMaxAgeSeconds === undefined ? {} : { add: { headers: [`Strict-Transport-Security:max-age=${input.hstsMaxAgeSeconds}`] } };
}

function globalPlugins(input: DeclarativeConfigInput): KongPlugin[] {
  const { cors } = input;
  return [
    ...(cors.origins.length > 0
      ? [
          {
            name: 'cors',
            config: {
              origins: [...cors.origins],
              methods: [...cors.methods],
              headers: [...cors.headers],
              exposed_headers: [...cors.exposedHeaders],
              credentials: cors.credentials,
              max_age: cors.maxAgeSeconds,
              preflight_continue: false,
            },
          },
        ]
      : []),
    // one JSON object per request on stdout, which the log collector reads; no credential in it.
    { name: 'file-log', config: { path: REQUEST_LOG_PATH, reopen: false, custom_fields_by_lua: { ...REQUEST_LOG_REDACTIONS } } },
    // serves /metrics on the status listener for Prometheus.
    { name: 'prometheus', config: { status_code_metrics: true, latency_metrics: true, bandwidth_metrics: true, upstream_health_metrics: true } },
    // every response tells browsers to use HTTPS only (routes with their own transformer repeat it).
    ...(input.hstsMaxAgeSeconds !== undefined ? [{ name: 'response-transformer', config: hstsHeader(input) }] : []),
  ];
}

/** Every plugin name the config uses, sorted: what KONG_PLUGINS loads, and nothing else. */
export function pluginNames(config: KongDeclarativeConfig): string[] {
  const names = [...config.plugins, ...config.services.flatMap((s) => s.routes.flatMap((r) => r.plugins ?? []))].map((p) => p.name);
  return [...new Set(names)].sort();
}

/** The config as YAML: insertion order kept, no line folding, so the bytes are stable. */
export function renderDeclarativeConfig(config: KongDeclarativeConfig): string {
  return stringify(config, { lineWidth: 0 });
}

function escapeRegex(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
