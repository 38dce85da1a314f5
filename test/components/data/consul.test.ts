import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve } from '../../../catalog';
import { objectsOf } from '../../support/platform';

const objects = (env: 'dev' | 'staging' | 'prod') => objectsOf(env).filter((o) => o.file === `${env}/data/consul.yaml`).map((o) => o.object);
const find = (env: 'dev' | 'staging' | 'prod', kind: string, name: string) => objects(env).find((o) => o.kind === kind && o.metadata.name === name)!;

describe('Consul', () => {
  const sts = find('prod', 'StatefulSet', 'consul-server');
  const container = sts.spec.template.spec.containers[0];
  const config = JSON.parse(find('prod', 'ConfigMap', 'consul-server-config').data['server.json']);

  it('writes servers and the seeding Job to one file per environment', () => {
    expect(objects('prod').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/consul-server',
      'ConfigMap/consul-server-config',
      'Service/consul-server-headless',
      'Service/consul-server',
      'StatefulSet/consul-server',
      'PodDisruptionBudget/consul-server',
      'AuthorizationPolicy/consul-server',
      'NetworkPolicy/consul-server',
      'ServiceAccount/consul-kv-seed',
      'ConfigMap/consul-kv-seed',
      'Job/consul-kv-seed',
      'NetworkPolicy/consul-kv-seed',
    ]);
  });

  it('runs 3 servers in prod and 1 in dev, bootstrap_expect matching, joined by DNS', () => {
    expect(sts.spec).toMatchObject({ replicas: 3, podManagementPolicy: 'Parallel', serviceName: 'consul-server-headless' });
    expect(find('dev', 'StatefulSet', 'consul-server').spec.replicas).toBe(1);
    expect(config.bootstrap_expect).toBe(3);
    expect(JSON.parse(find('dev', 'ConfigMap', 'consul-server-config').data['server.json']).bootstrap_expect).toBe(1);
    expect(config.retry_join).toEqual([0, 1, 2].map((i) => `consul-server-${i}.consul-server-headless.suoke-data-prod.svc.cluster.local`));
    expect(config.leave_on_terminate).toBe(true);
  });

  it('enables ACLs with default deny, gossip encryption from a Secret, telemetry, and no Connect or UI', () => {
    expect(config.acl).toEqual({ enabled: true, default_policy: 'deny', down_policy: 'extend-cache', enable_token_persistence: true });
    expect(config).toMatchObject({ connect: { enabled: false }, ui_config: { enabled: false }, enable_script_checks: false, disable_remote_exec: true });
    expect(config.telemetry.prometheus_retention_time).toBe('60s');
    expect(config.encrypt).toBeUndefined();
    expect(container.env).toContainEqual({ name: 'GOSSIP_KEY', valueFrom: { secretKeyRef: { name: 'consul-gossip-key', key: 'key' } } });
    expect(container.env).toContainEqual({ name: 'ACL_BOOTSTRAP_TOKEN', valueFrom: { secretKeyRef: { name: 'consul-acl-bootstrap', key: 'token' } } });
    // the agent token: node and coordinate updates pass under default deny.
    expect(container.env).toContainEqual({ name: 'ACL_AGENT_TOKEN', valueFrom: { secretKeyRef: { name: 'consul-agent-token', key: 'token' } } });
    const start: string = find('prod', 'ConfigMap', 'consul-server-config').data['start.sh'];
    expect(start).toContain(`printf '{"encrypt": "%s", "acl": {"tokens": {"initial_management": "%s", "agent": "%s"}}}\\n' "$GOSSIP_KEY" "$ACL_BOOTSTRAP_TOKEN" "$ACL_AGENT_TOKEN"`);
    expect(spawnSync('sh', ['-n'], { input: start, encoding: 'utf8' }).status).toBe(0);
  });

  it('serves HTTP on a ClusterIP Service only, raft and serf on the headless one', () => {
    expect(find('prod', 'Service', 'consul-server').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 8500 }] });
    const headless = find('prod', 'Service', 'consul-server-headless').spec;
    expect(headless).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(headless.ports.map((p: any) => `${p.name}:${p.port}/${p.protocol}`)).toEqual(['http:8500/TCP', 'tcp-server:8300/TCP', 'tcp-serflan:8301/TCP', 'udp-serflan:8301/UDP', 'tcp-serfwan:8302/TCP', 'udp-serfwan:8302/UDP']);
  });

  it('is Ready only with a leader, keeps a PDB of maxUnavailable 1 even with one server', () => {
    expect(container.readinessProbe.exec.command[2]).toContain('/v1/status/leader');
    expect(find('dev', 'PodDisruptionBudget', 'consul-server').spec.maxUnavailable).toBe(1);
    expect(sts.spec.template.metadata.annotations['prometheus.io/path']).toBe('/v1/agent/metrics?format=prometheus');
  });

  it('admits the services that use Consul and the seeding Job on 8500, raft and serf between servers', () => {
    const rules = find('prod', 'AuthorizationPolicy', 'consul-server').spec.rules;
    const model = resolve(loadCatalog(), 'prod');
    expect(rules[0].from[0].source.principals).toEqual(
      [...model.consul!.clients.map((s) => `cluster.local/ns/suoke-life-prod/sa/${s}`), 'cluster.local/ns/suoke-data-prod/sa/consul-kv-seed'].sort(),
    );
    expect(rules[0].to).toEqual([{ operation: { ports: ['8500'] } }]);
    expect(rules[1]).toEqual({ from: [{ source: { principals: ['cluster.local/ns/suoke-data-prod/sa/consul-server'] } }], to: [{ operation: { ports: ['8300', '8301', '8302'] } }] });
  });
});

describe('KV seeding from the catalog', () => {
  const model = resolve(loadCatalog(), 'prod');
  const seed = find('prod', 'ConfigMap', 'consul-kv-seed');
  const job = find('prod', 'Job', 'consul-kv-seed');
  const items: { key: string; path: string }[] = job.spec.template.spec.volumes[0].configMap.items;

  it('writes every service config entry to services/<service>/<key> as JSON', () => {
    const expected = model.services.flatMap((s) => Object.entries(s.config).map(([key, value]) => ({ path: `services/${s.name}/${key}`, value })));
    expect(expected.length).toBeGreaterThan(0);
    for (const { path, value } of expected) {
      const item = items.find((i) => i.path === `kv/${path}`)!;
      expect(item, path).toBeDefined();
      expect(JSON.parse(seed.data[item.key])).toEqual(value);
    }
    expect(items.filter((i) => i.path.startsWith('kv/'))).toHaveLength(expected.length);
    expect(JSON.parse(seed.data['xiaoai-service.llm'])).toEqual({ max_tokens: 2048, model_name: 'suoke-tcm-v2', temperature: 0.3 });
  });

  it('authenticates with the token from a Secret, and re-runs when the entries change', () => {
    const env = job.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CONSUL_HTTP_TOKEN', valueFrom: { secretKeyRef: { name: 'consul-acl-bootstrap', key: 'token' } } });
    expect(env).toContainEqual({ name: 'CONSUL_HTTP_ADDR', value: 'http://consul-server.suoke-data-prod.svc.cluster.local:8500' });
    expect(job.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(job.metadata.name).toBe('consul-kv-seed');
  });

  it('is idempotent: waits for a leader, creates or rewrites policies and tokens, puts every key', () => {
    const script: string = seed.data['seed.sh'];
    expect(script).toMatch(/until \[ -n "\$\(leader\)" \]/);
    expect(script).toContain('consul acl policy update -name "$1" -rules "@/seed/policies/$1.hcl"');
    expect(script).toContain('consul acl token update -accessor-id "$id" -description "$description" "$@"');
    expect(script).toContain('consul acl token create -secret "$secret" -description "$description" "$@"');
    expect(script).toContain('consul kv put "$key" "@$key"');
    // -id is deprecated in favour of -accessor-id (command/acl/token/update/token_update.go).
    expect(script).not.toMatch(/ -id[ =]/);
    expect(script).toContain('consul acl token update -accessor-id 00000000-0000-0000-0000-000000000002 -policy-name agent-metrics-read');
    expect(spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' }).status).toBe(0);
  });

  it('creates the servers\' agent token with a node identity per server', () => {
    const script: string = seed.data['seed.sh'];
    expect(script).toContain('ensure_token "$AGENT_TOKEN" "consul servers: agent token" -node-identity consul-server-0:suoke-life-prod -node-identity consul-server-1:suoke-life-prod -node-identity consul-server-2:suoke-life-prod\n');
    const devScript: string = find('dev', 'ConfigMap', 'consul-kv-seed').data['seed.sh'];
    expect(devScript).toContain('ensure_token "$AGENT_TOKEN" "consul servers: agent token" -node-identity consul-server-0:suoke-life-dev\n');
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'AGENT_TOKEN', valueFrom: { secretKeyRef: { name: 'consul-agent-token', key: 'token' } } });
  });

  it('gives each service a policy that registers only itself and reads only its own KV prefix, and a token of its own', () => {
    const clients = model.consul!.clients;
    expect(clients.length).toBeGreaterThan(1);
    for (const service of clients) {
      expect(seed.data[`service-${service}.hcl`]).toBe(
        `service "${service}" {\n  policy = "write"\n}\nkey_prefix "services/${service}/" {\n  policy = "read"\n}\nservice_prefix "" {\n  policy = "read"\n}\nnode_prefix "" {\n  policy = "read"\n}\n`,
      );
      expect(items).toContainEqual({ key: `service-${service}.hcl`, path: `policies/service-${service}.hcl` });
      const env = `TOKEN_${service.toUpperCase().replace(/-/g, '_')}`;
      expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: env, valueFrom: { secretKeyRef: { name: `consul-client-token-${service}`, key: 'token' } } });
      expect(seed.data['seed.sh']).toContain(`ensure_policy service-${service}\nensure_token "$${env}" "${service}: register itself, read services/${service}/" -policy-name service-${service}\n`);
    }
    // no policy grants write on every service any more, and the old shared one is deleted.
    for (const [key, text] of Object.entries<string>(seed.data)) if (key.endsWith('.hcl')) expect(text, key).not.toMatch(/service_prefix "" \{\n {2}policy = "write"/);
    expect(seed.data['seed.sh']).toContain('consul acl policy delete -name service-config-read');
  });

  it('gives services that use Consul its address and their token, and services that use Redis REDIS_URL', () => {
    const xiaoai = objectsOf('prod').find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'xiaoai-service')!.object;
    const env = xiaoai.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CONSUL_HTTP_ADDR', value: 'http://consul-server.suoke-data-prod.svc.cluster.local:8500' });
    expect(env).toContainEqual({ name: 'CONSUL_HTTP_TOKEN', valueFrom: { secretKeyRef: { name: 'consul-client-token-xiaoai-service', key: 'token' } } });
    expect(env).toContainEqual({ name: 'REDIS_URL', valueFrom: { configMapKeyRef: { name: 'redis-config', key: 'redis-url' } } });
    expect(env).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } });
    const look = objectsOf('prod').find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'look-service')!.object;
    expect(look.spec.template.spec.containers[0].env.map((e: any) => e.name)).not.toContain('REDIS_URL');
  });
});
