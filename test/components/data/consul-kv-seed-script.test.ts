import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { objectsOf } from '../../support/platform';

/**
 * Runs the generated seed script, unchanged but for the mount path, against a stand-in `consul`
 * CLI that keeps ACL state in files (Debian ships no Consul, so no real server runs here). The
 * stand-in implements only the commands and flags the script uses, with Consul 1.21's semantics
 * for them: `token update` overwrites the links it is given, `policy update -rules` replaces the
 * rules, `token read -self` answers for the token in CONSUL_HTTP_TOKEN.
 */
const FAKE_CONSUL = `#!/bin/sh
set -eu
S="$FAKE_STATE"
echo "consul $*" >> "$S/calls"
arg() { # value of flag $1 in the remaining args
  flag="$1"; shift
  while [ $# -gt 0 ]; do [ "$1" = "$flag" ] && { echo "$2"; return; }; shift; done
}
links() { # every -policy-name / -node-identity pair, one per line
  while [ $# -gt 0 ]; do case "$1" in -policy-name|-node-identity) echo "$1 $2"; shift;; esac; shift; done
}
case "$1 $2 $3" in
  "acl policy read") [ -f "$S/policy.$(arg -name "$@")" ] ;;
  "acl policy create") n="$(arg -name "$@")"; [ ! -f "$S/policy.$n" ]; cp "$(arg -rules "$@" | sed 's/^@//')" "$S/policy.$n" ;;
  "acl policy update") n="$(arg -name "$@")"; [ -f "$S/policy.$n" ]; cp "$(arg -rules "$@" | sed 's/^@//')" "$S/policy.$n" ;;
  "acl policy delete") n="$(arg -name "$@")"; [ -f "$S/policy.$n" ]; rm "$S/policy.$n" ;;
  "acl token read") [ -f "$S/token.$CONSUL_HTTP_TOKEN" ] && printf '{\\n    "AccessorID": "acc-%s",\\n    "SecretID": "%s"\\n}\\n' "$CONSUL_HTTP_TOKEN" "$CONSUL_HTTP_TOKEN" ;;
  "acl token create") s="$(arg -secret "$@")"; [ ! -f "$S/token.$s" ]; links "$@" > "$S/token.$s" ;;
  "acl token update") a="$(arg -accessor-id "$@")"; s="\${a#acc-}"; [ -f "$S/token.$s" ]; links "$@" > "$S/token.$s" ;;
  *) case "$1 $2" in
       "kv put") mkdir -p "$S/kv/$(dirname "$3")"; cp "\${4#@}" "$S/kv/$3" ;;
       *) echo "fake consul: unsupported: $*" >&2; exit 2 ;;
     esac ;;
esac
`;
const FAKE_WGET = `#!/bin/sh
case "$*" in *"/v1/status/leader"*) echo '"10.0.0.1:8300"' ;; esac
`;

describe('the KV seeding script against a stand-in consul CLI', () => {
  const seed = objectsOf('prod').find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === 'consul-kv-seed')!.object;
  const job = objectsOf('prod').find((o) => o.object.kind === 'Job' && o.object.metadata.name === 'consul-kv-seed')!.object;
  const root = mkdtempSync(join(tmpdir(), 'consul-seed-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const mount = join(root, 'seed');
  const state = join(root, 'state');
  const bin = join(root, 'bin');
  for (const dir of [mount, state, bin]) mkdirSync(dir, { recursive: true });
  // the Job's volume: ConfigMap keys at their item paths.
  for (const item of job.spec.template.spec.volumes[0].configMap.items as { key: string; path: string }[]) {
    mkdirSync(dirname(join(mount, item.path)), { recursive: true });
    writeFileSync(join(mount, item.path), seed.data[item.key]);
  }
  writeFileSync(join(bin, 'consul'), FAKE_CONSUL);
  writeFileSync(join(bin, 'wget'), FAKE_WGET);
  chmodSync(join(bin, 'consul'), 0o755);
  chmodSync(join(bin, 'wget'), 0o755);
  const script = (seed.data['seed.sh'] as string).replaceAll('/seed/', `${mount}/`);
  // one value per token variable the Job sets from its Secrets.
  const tokens: Record<string, string> = Object.fromEntries(
    job.spec.template.spec.containers[0].env.filter((e: { name: string; valueFrom?: unknown }) => e.valueFrom && e.name !== 'CONSUL_HTTP_TOKEN').map((e: { name: string }) => [e.name, `secret-${e.name.toLowerCase()}`]),
  );
  const run = () => {
    writeFileSync(join(state, 'calls'), '');
    const result = spawnSync('sh', ['-c', script], {
      encoding: 'utf8',
      cwd: root,
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_STATE: state, CONSUL_HTTP_ADDR: 'http://consul:8500', CONSUL_HTTP_TOKEN: 'management', ...tokens },
      timeout: 20_000,
    });
    return { ...result, calls: readFileSync(join(state, 'calls'), 'utf8').trim().split('\n') };
  };
  const stateFiles = () =>
    Object.fromEntries(
      readdirSync(state, { recursive: true })
        .map(String)
        .filter((f) => f !== 'calls' && statSync(join(state, f)).isFile())
        .sort()
        .map((f) => [f, readFileSync(join(state, f), 'utf8')]),
    );

  // what every cluster has before the first run: the anonymous token, and here the shared policy
  // of earlier versions.
  writeFileSync(join(state, 'token.00000000-0000-0000-0000-000000000002'), '');
  writeFileSync(join(state, 'policy.service-config-read'), 'service_prefix "" { policy = "write" }\n');
  const first = run();
  const afterFirst = stateFiles();
  const second = run();

  it('runs to the end', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
  });

  it('creates the agent token with a node identity per server, and each service a policy and a token of its own', () => {
    expect(afterFirst[`token.${tokens.AGENT_TOKEN}`]).toBe(['consul-server-0', 'consul-server-1', 'consul-server-2'].map((n) => `-node-identity ${n}:suoke-life-prod\n`).join(''));
    const services = Object.keys(tokens).filter((t) => t.startsWith('TOKEN_'));
    expect(services.length).toBeGreaterThan(1);
    for (const env of services) {
      const service = env.slice('TOKEN_'.length).toLowerCase().replace(/_/g, '-');
      expect(afterFirst[`token.${tokens[env]}`]).toBe(`-policy-name service-${service}\n`);
      expect(afterFirst[`policy.service-${service}`]).toBe(seed.data[`service-${service}.hcl`]);
    }
    expect(afterFirst['policy.service-config-read']).toBeUndefined();
    expect(first.calls.filter((c) => c.startsWith('consul acl token create'))).toHaveLength(services.length + 1);
  });

  it('lets the anonymous token read agent metrics, by -accessor-id', () => {
    expect(first.calls).toContain('consul acl token update -accessor-id 00000000-0000-0000-0000-000000000002 -policy-name agent-metrics-read -description Anonymous Token');
  });

  it('writes every KV entry', () => {
    const kv = Object.keys(afterFirst).filter((f) => f.startsWith('kv/')).sort();
    expect(kv).toEqual(Object.keys(seed.data).filter((k) => k.includes('.') && !k.endsWith('.hcl') && !k.endsWith('.sh')).map((k) => `kv/services/${k.replace('.', '/')}`).sort());
  });

  it('converges on a re-run: updates instead of creating, same state', () => {
    expect(second.calls.filter((c) => / create /.test(c))).toEqual([]);
    expect(second.calls.filter((c) => c.startsWith('consul acl token update -accessor-id acc-'))).toHaveLength(Object.keys(tokens).length);
    expect(stateFiles()).toEqual(afterFirst);
  });
});
