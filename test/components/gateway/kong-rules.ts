/**
 * The checks Kong 3.9 applies when it loads a declarative config, for the entities and plugins this
 * platform emits, written down so a test can run them offline. Each rule names its source in
 * Kong/kong (3.9 branch); a config Kong would reject at start fails here first.
 */
type Json = Record<string, any>;

export interface KongRule {
  readonly source: string;
  readonly check: (config: Json) => string[];
}

/** typedefs.timeout (kong/db/schema/typedefs.lua): between 0 and 2^31-2 ms. */
const TIMEOUT_MAX = 2 ** 31 - 2;
const ROUTE_PROTOCOLS = ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'udp', 'tls_passthrough', 'ws', 'wss'];
const CORS_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];

/** Fields each plugin's config accepts (Kong rejects unknown fields), with their checks. */
const PLUGIN_SCHEMAS: Record<string, { source: string; fields: readonly string[]; check?: (config: Json) => string[] }> = {
  'rate-limiting': {
    source: 'kong/plugins/rate-limiting/schema.lua',
    fields: ['second', 'minute', 'hour', 'day', 'month', 'year', 'limit_by', 'header_name', 'path', 'policy', 'fault_tolerant', 'redis', 'hide_client_headers', 'error_code', 'error_message', 'sync_rate'],
    check: (c) => {
      const problems: string[] = [];
      const periods = ['second', 'minute', 'hour', 'day', 'month', 'year'];
      if (!periods.some((p) => c[p] !== undefined)) problems.push('at_least_one_of second..year');
      for (const p of periods) if (c[p] !== undefined && !(typeof c[p] === 'number' && c[p] > 0)) problems.push(`${p} must be a number > 0`);
      // validate_periods_order: a longer period's limit is never below a shorter one's.
      periods.forEach((short, i) => periods.slice(i + 1).forEach((long) => {
        if (typeof c[short] === 'number' && typeof c[long] === 'number' && c[long] < c[short]) problems.push(`limit for ${long} is lower than for ${short}`);
      }));
      if (!['local', 'cluster', 'redis'].includes(c.policy ?? 'local')) problems.push(`policy ${c.policy}`);
      // DB-less: `cluster` needs a database (Kong/kong#12260).
      if (c.policy === 'cluster') problems.push('policy cluster is rejected in DB-less mode');
      if (!['consumer', 'credential', 'ip', 'service', 'header', 'path', 'consumer-group'].includes(c.limit_by ?? 'consumer')) problems.push(`limit_by ${c.limit_by}`);
      // kong/tools/redis/schema.lua: host and port mutually required; the handler needs both for policy redis.
      if (c.policy === 'redis' && (!c.redis?.host || !c.redis?.port)) problems.push('policy redis needs redis.host and redis.port');
      const redisFields = ['host', 'port', 'timeout', 'username', 'password', 'database', 'ssl', 'ssl_verify', 'server_name'];
      for (const k of Object.keys(c.redis ?? {})) if (!redisFields.includes(k)) problems.push(`unknown field redis.${k}`);
      return problems;
    },
  },
  jwt: {
    source: 'kong/plugins/jwt/schema.lua',
    fields: ['uri_param_names', 'cookie_names', 'header_names', 'key_claim_name', 'secret_is_base64', 'claims_to_verify', 'anonymous', 'run_on_preflight', 'maximum_expiration', 'realm'],
    check: (c) => (c.claims_to_verify ?? []).filter((v: string) => !['exp', 'nbf'].includes(v)).map((v: string) => `claims_to_verify ${v} not one of exp, nbf`),
  },
  'response-transformer': {
    source: 'kong/plugins/response-transformer/schema.lua',
    fields: ['remove', 'rename', 'replace', 'add', 'append'],
    check: (c) => [
      ...Object.keys(c.remove ?? {}).filter((k) => !['json', 'headers'].includes(k)).map((k) => `unknown field remove.${k}`),
      ...Object.keys(c.add ?? {}).filter((k) => !['json', 'json_types', 'headers'].includes(k)).map((k) => `unknown field add.${k}`),
      // colon_string_array: each entry `name:value`.
      ...(c.add?.headers ?? []).filter((h: string) => !/^[^:]+:.*$/.test(h)).map((h: string) => `add.headers entry ${h} is not name:value`),
    ],
  },
  'request-transformer': {
    source: 'kong/plugins/request-transformer/schema.lua',
    fields: ['http_method', 'remove', 'rename', 'replace', 'add', 'append'],
    check: (c) => [
      ...Object.keys(c.remove ?? {}).filter((k) => !['body', 'headers', 'querystring'].includes(k)).map((k) => `unknown field remove.${k}`),
      // headers_array: validate_headers, an HTTP token (kong/tools/http.lua validate_header_name).
      ...(c.remove?.headers ?? []).filter((h: string) => !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h)).map((h: string) => `remove.headers entry ${h} is not a header name`),
    ],
  },
  cors: {
    source: 'kong/plugins/cors/schema.lua',
    fields: ['origins', 'headers', 'exposed_headers', 'methods', 'max_age', 'credentials', 'private_network', 'preflight_continue', 'allow_origin_absent'],
    check: (c) => [
      ...(c.methods ?? []).filter((m: string) => !CORS_METHODS.includes(m)).map((m: string) => `method ${m} not allowed`),
      // validate_asterisk_or_regex: each origin is "*" or compiles as a regex.
      ...(c.origins ?? []).filter((o: string) => o !== '*' && !compiles(o)).map((o: string) => `origin ${o} is not a valid regex`),
    ],
  },
  'file-log': {
    source: 'kong/plugins/file-log/schema.lua',
    fields: ['path', 'reopen', 'custom_fields_by_lua'],
    check: (c) => [
      // path: required, no * & % ` characters.
      ...(typeof c.path === 'string' && /^[^*&%`]+$/.test(c.path) ? [] : ['path is required and must be a file path']),
      // typedefs.lua_code: a map of string keys to string Lua chunks.
      ...Object.entries(c.custom_fields_by_lua ?? {}).filter(([, v]) => typeof v !== 'string').map(([k]) => `custom_fields_by_lua.${k} is not a Lua chunk`),
    ],
  },
  prometheus: {
    source: 'kong/plugins/prometheus/schema.lua',
    fields: ['per_consumer', 'status_code_metrics', 'ai_metrics', 'latency_metrics', 'bandwidth_metrics', 'upstream_health_metrics'],
  },
};

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function pluginProblems(where: string, plugins: Json[] = []): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const plugin of plugins) {
    // kong/db/schema/entities/plugins.lua: a plugin is unique per (name, route, service, consumer).
    if (seen.has(plugin.name)) problems.push(`${where}: plugin ${plugin.name} twice`);
    seen.add(plugin.name);
    const schema = PLUGIN_SCHEMAS[plugin.name];
    if (!schema) {
      problems.push(`${where}: plugin ${plugin.name} has no schema here`);
      continue;
    }
    for (const key of Object.keys(plugin.config ?? {})) if (!schema.fields.includes(key)) problems.push(`${where}: ${plugin.name}: unknown field ${key} (${schema.source})`);
    problems.push(...(schema.check?.(plugin.config ?? {}) ?? []).map((p) => `${where}: ${plugin.name}: ${p} (${schema.source})`));
  }
  return problems;
}

export const KONG_RULES: readonly KongRule[] = [
  {
    source: 'kong/db/declarative/init.lua: _format_version is required, "3.0" for Kong 3.x',
    check: (c) => (c._format_version === '3.0' ? [] : [`_format_version is ${c._format_version}`]),
  },
  {
    source: 'kong/db/schema/entities/services.lua: name unique; url (or host) required, scheme http/https; timeouts integers 1..2^31-2',
    check: (c) => {
      const problems: string[] = [];
      const names = new Set<string>();
      for (const s of c.services ?? []) {
        if (names.has(s.name)) problems.push(`service ${s.name} twice`);
        names.add(s.name);
        if (!/^https?:\/\/[^/:]+(:\d+)?(\/.*)?$/.test(s.url ?? '')) problems.push(`service ${s.name}: url ${s.url}`);
        for (const t of ['connect_timeout', 'read_timeout', 'write_timeout']) {
          if (!Number.isInteger(s[t]) || s[t] < 1 || s[t] > TIMEOUT_MAX) problems.push(`service ${s.name}: ${t} ${s[t]}`);
        }
      }
      return problems;
    },
  },
  {
    source: 'kong/db/schema/entities/routes.lua: name unique; http routes need one of methods, hosts, headers, paths, snis; paths start with "/" or "~" (regex, which must compile); methods uppercase; known protocols; https_redirect_status_code one of 426, 301, 302, 307, 308',
    check: (c) => {
      const problems: string[] = [];
      const names = new Set<string>();
      for (const r of (c.services ?? []).flatMap((s: Json) => s.routes ?? [])) {
        if (names.has(r.name)) problems.push(`route ${r.name} twice`);
        names.add(r.name);
        if (![r.methods, r.hosts, r.headers, r.paths, r.snis].some((f) => f && (Array.isArray(f) ? f.length : Object.keys(f).length))) problems.push(`route ${r.name}: matches nothing`);
        for (const p of r.paths ?? []) {
          if (p.startsWith('~') ? !compiles(p.slice(1)) : !p.startsWith('/')) problems.push(`route ${r.name}: path ${p}`);
        }
        for (const m of r.methods ?? []) if (!/^[A-Z]+$/.test(m)) problems.push(`route ${r.name}: method ${m}`);
        for (const p of r.protocols ?? []) if (!ROUTE_PROTOCOLS.includes(p)) problems.push(`route ${r.name}: protocol ${p}`);
        if (r.https_redirect_status_code !== undefined && ![426, 301, 302, 307, 308].includes(r.https_redirect_status_code)) problems.push(`route ${r.name}: https_redirect_status_code ${r.https_redirect_status_code}`);
        problems.push(...pluginProblems(`route ${r.name}`, r.plugins));
      }
      return problems;
    },
  },
  {
    source: 'kong/db/schema/entities/consumers.lua: username unique',
    check: (c) => {
      const names = (c.consumers ?? []).map((x: Json) => x.username);
      return names.filter((n: string, i: number) => names.indexOf(n) !== i).map((n: string) => `consumer ${n} twice`);
    },
  },
  { source: 'kong/plugins/<name>/schema.lua: global plugins', check: (c) => pluginProblems('global', c.plugins) },
  {
    source: 'kong/db/declarative: only the entity types this platform emits (anything else is unreviewed)',
    check: (c) => Object.keys(c).filter((k) => !['_format_version', 'services', 'consumers', 'plugins'].includes(k)).map((k) => `unexpected top-level key ${k}`),
  },
];

export function kongProblems(config: Json): string[] {
  return KONG_RULES.flatMap((rule) => rule.check(config));
}
