import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installed } from '../../support/installed';
import { objectsOf } from '../../support/platform';

/**
 * Runs file-log's `custom_fields_by_lua` chunks, as dist/ holds them, in LuaJIT (what Kong's
 * OpenResty runs), on a request that carries a token in the query string and cookies both ways.
 * The harness transcribes what Kong 3.9.1 does with them: file-log/handler.lua runs each chunk in
 * the sandbox (environment `kong`, `ngx`, plus the sandbox's base library: `string`, ...) and passes
 * the result to kong.log.set_serialize_value; serialize() (kong/pdk/log.lua) builds the record,
 * `Authorization` already `REDACTED`, then `edit_result` applies each value along its dotted key.
 */
const hasLuajit = installed('luajit', ['-v']);

// CI installs luajit and sets REQUIRE_LUAJIT, so there the check runs or fails, never skips.
const required = process.env.REQUIRE_LUAJIT === '1';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln';
const HARNESS = String.raw`
local fields = ...
local get_path = function() return "/api/v1/users/42" end
local kong = { request = { get_path = get_path } }
local ngx = { var = { upstream_uri = "/api/v1/users/42?jwt=${TOKEN}&page=2" } }
-- serialize(): the record a request with ?jwt=<token>, a session cookie and a Set-Cookie produces.
local root = {
  request = {
    uri = "/api/v1/users/42?jwt=${TOKEN}&page=2",
    url = "https://api.suoke.life:8443/api/v1/users/42?jwt=${TOKEN}&page=2",
    querystring = { jwt = "${TOKEN}", page = "2" },
    method = "GET",
    headers = { authorization = "REDACTED", cookie = "session=${TOKEN}", host = "api.suoke.life" },
  },
  upstream_uri = "/api/v1/users/42?jwt=${TOKEN}&page=2",
  response = { status = 200, headers = { ["set-cookie"] = "session=${TOKEN}; Secure", ["content-type"] = "application/json" } },
}
local keys = {}
for key in pairs(fields) do keys[#keys + 1] = key end
table.sort(keys)
for _, key in ipairs(keys) do
  -- the sandbox: the base library, and kong and ngx from file-log's sandbox_opts.
  local chunk = assert(loadstring(fields[key]))
  setfenv(chunk, { kong = kong, ngx = ngx, string = string, type = type, tostring = tostring })
  local value = chunk()
  -- edit_result, mode "set": walk the dotted key, creating tables, set the last part.
  local node, start = root, 1
  for i = 2, #key do
    if key:byte(i) == 46 then
      local sub = key:sub(start, i - 1)
      start = i + 1
      if node[sub] == nil then node[sub] = {} end
      node = node[sub]
    end
  end
  node[key:sub(start)] = value
end
local lines = {}
local function walk(prefix, t)
  for k, v in pairs(t) do
    if type(v) == "table" then walk(prefix .. k .. ".", v) else lines[#lines + 1] = prefix .. k .. "=" .. tostring(v) end
  end
end
walk("", root)
table.sort(lines)
io.write(table.concat(lines, "\n"))
`;

function runHarness(fields: Record<string, string>): string[] {
  const table = Object.entries(fields)
    .map(([key, lua]) => `[${JSON.stringify(key)}] = [==[${lua}]==]`)
    .join(', ');
  const source = `local f = loadstring([=====[${HARNESS}]=====]); return f({ ${table} })`;
  return execFileSync('luajit', ['-e', source], { encoding: 'utf8' }).split('\n');
}

describe('luajit is where CI promised it', () => {
  it.runIf(required)("is installed (.ci/run installs Debian's luajit package)", () => {
    expect(hasLuajit).toBe(true);
  });
});

describe.skipIf(!hasLuajit)('the request log holds no credential (file-log custom_fields_by_lua in LuaJIT; skipped: apt-get install luajit)', () => {
  for (const environment of ['dev', 'staging', 'prod'] as const) {
    it(`${environment}: the logged record keeps the path and drops the token, cookies and query string`, () => {
      const configMap = objectsOf(environment).find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'api-gateway-config')!.object;
      const fileLog = parse(configMap.data['kong.yml']).plugins.find((p: any) => p.name === 'file-log');
      const record = runHarness(fileLog.config.custom_fields_by_lua);
      expect(record.filter((line) => line.includes(TOKEN) || line.includes('jwt='))).toEqual([]);
      expect(record).toEqual([
        'request.headers.authorization=REDACTED',
        'request.headers.host=api.suoke.life',
        'request.method=GET',
        'request.uri=/api/v1/users/42',
        'response.headers.content-type=application/json',
        'response.status=200',
        'upstream_uri=/api/v1/users/42',
      ]);
    });
  }

  it('the harness sees what Kong would log without the redactions: the token in six fields', () => {
    const record = runHarness({});
    expect(record.filter((line) => line.includes(TOKEN)).length).toBe(6);
  });
});
