import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { RedisCluster, redisMemory, type RedisClusterProps } from '../../../components/data';
import { objectsOf } from '../../support/platform';
import { CLUSTER_WORKLOADS, clusterEndpoint, componentEndpoint, PLATFORM_COMPONENTS } from '../../../catalog/endpoints';

function props(overrides: Partial<RedisClusterProps> = {}): RedisClusterProps {
  return {
    namespace: 'data',
    labels: { instance: 'demo-prod', component: 'cache', partOf: 'demo', version: '8.1.11' },
    image: 'docker.io/valkey/valkey:8.1.11',
    nodes: 6,
    replicasPerMaster: 1,
    maxmemory: '2Gi',
    maxmemoryPolicy: 'allkeys-lru',
    storage: { size: '10Gi', storageClass: 'fast' },
    resources: { requests: { cpu: '500m', memory: '3Gi' }, limits: { cpu: '2', memory: '3Gi' } },
    passwordSecret: { name: 'redis-auth', key: 'password' },
    clients: [{ principal: 'cluster.local/ns/apps/sa/auth-service', namespace: 'apps', pods: { 'app.kubernetes.io/name': 'auth-service' } }],
    clientNamespace: 'apps',
    endpoint: componentEndpoint('redis-cluster', 'data', 'demo-prod', PLATFORM_COMPONENTS.redisCluster.ports),
    prometheus: clusterEndpoint(CLUSTER_WORKLOADS.prometheus, 'monitoring'),
    ...overrides,
  };
}

function synth(p: RedisClusterProps = props()) {
  const chart = Testing.chart();
  new RedisCluster(chart, 'redis-cluster', p);
  const objects = Testing.synth(chart);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  return { objects, find };
}

describe('RedisCluster', () => {
  const { objects, find } = synth();
  const sts = find('StatefulSet', 'redis-cluster');
  const container = sts.spec.template.spec.containers[0];
  const conf: string = find('ConfigMap', 'redis-cluster-config').data['valkey.conf'];

  it('emits every object under the names the other components rely on', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/data/redis-cluster',
      'ConfigMap/data/redis-cluster-config',
      'ConfigMap/data/redis-cluster-scripts',
      'ConfigMap/apps/redis-config',
      'Service/data/redis-cluster-headless',
      'Service/data/redis-cluster',
      'StatefulSet/data/redis-cluster',
      'PodDisruptionBudget/data/redis-cluster',
      'AuthorizationPolicy/data/redis-cluster',
      'NetworkPolicy/data/redis-cluster',
    ]);
    expect(sts.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('redis-cluster');
  });

  it('runs the members in parallel behind a headless Service that publishes unready pods', () => {
    expect(sts.spec).toMatchObject({ replicas: 6, podManagementPolicy: 'Parallel', serviceName: 'redis-cluster-headless' });
    const headless = find('Service', 'redis-cluster-headless').spec;
    expect(headless).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(headless.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['tcp-redis:6379', 'tcp-redis-bus:16379']);
    const client = find('Service', 'redis-cluster').spec;
    expect(client.type).toBe('ClusterIP');
    expect(client.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['tcp-redis:6379']);
  });

  it('configures the cluster as PLATFORM.md says, with auth left to the Secret', () => {
    for (const line of [
      'cluster-enabled yes',
      'cluster-node-timeout 5000',
      'cluster-preferred-endpoint-type hostname',
      'appendonly yes',
      'appendfsync everysec',
      'save 900 1 300 10 60 10000',
      'maxmemory 2gb',
      'maxmemory-policy allkeys-lru',
      'tcp-keepalive 300',
      'protected-mode yes',
    ]) {
      expect(conf.split('\n'), line).toContain(line);
    }
    expect(conf).not.toMatch(/^(requirepass|masterauth|loadmodule)/m);
  });

  it('reads the password from the Secret only, and writes requirepass and masterauth at start', () => {
    expect(container.env).toContainEqual({ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } });
    const start: string = find('ConfigMap', 'redis-cluster-scripts').data['start.sh'];
    expect(start).toContain(`printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$REDISCLI_AUTH" "$REDISCLI_AUTH"`);
    expect(start).toContain('cluster-announce-hostname $(member "$ORDINAL")');
    expect(start).toMatch(/ensure_cluster &\nexec valkey-server/);
  });

  it('persists on PVCs of the catalog size and class, with probes and resources', () => {
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } });
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(container.readinessProbe.exec.command).toEqual(['/bin/sh', '/scripts/ready.sh']);
    expect(container.livenessProbe.exec.command).toEqual(['/bin/sh', '/scripts/alive.sh']);
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '3Gi' }, limits: { cpu: '2', memory: '3Gi' } });
    expect(sts.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(find('PodDisruptionBudget', 'redis-cluster').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  it('hands clients REDIS_URL in their own namespace', () => {
    expect(find('ConfigMap', 'redis-config').data).toEqual({
      'redis-nodes': [0, 1, 2, 3, 4, 5].map((i) => `redis-cluster-${i}.redis-cluster-headless.data.svc.cluster.local:6379`).join(','),
      'redis-url': 'redis://redis-cluster.data.svc.cluster.local:6379',
    });
  });

  it('admits clients on 6379 only and the bus only between members, at both layers', () => {
    expect(find('AuthorizationPolicy', 'redis-cluster').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/apps/sa/auth-service'] } }], to: [{ operation: { ports: ['6379'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/data/sa/redis-cluster'] } }], to: [{ operation: { ports: ['6379', '16379'] } }] },
    ]);
    const ingress = find('NetworkPolicy', 'redis-cluster').spec.ingress;
    const self = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis-cluster', 'app.kubernetes.io/instance': 'demo-prod' } } };
    expect(ingress.map((r: any) => r.ports.map((p: any) => p.port))).toEqual([[6379], [6379, 16379], [15020]]);
    expect(ingress[1].from).toEqual([self]);
    expect(ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'auth-service' } } }]);
  });

  it('throws on a size that cannot form a cluster', () => {
    expect(() => synth(props({ nodes: 4 }))).toThrow('redis cluster: nodes (4) must be a multiple of 2 giving at least 3 masters with replicasPerMaster 1');
    expect(() => synth(props({ nodes: 3, replicasPerMaster: 0 }))).not.toThrow();
  });

  it('converts binary quantities to Redis units', () => {
    expect(['2Gi', '256Mi', '1536Mi', '64Ki'].map(redisMemory)).toEqual(['2gb', '256mb', '1536mb', '64kb']);
    expect(() => redisMemory('2gb')).toThrow('maxmemory must be a binary quantity such as "2Gi", got "2gb"');
  });
});

describe('the catalog sizes the cluster per environment', () => {
  const statefulSet = (env: 'dev' | 'staging' | 'prod') => objectsOf(env).find((o) => o.object.kind === 'StatefulSet' && o.object.metadata.name === 'redis-cluster')!;
  it('6 members in prod and staging, the 3-master minimum in dev, one file per environment', () => {
    expect(statefulSet('prod').object.spec.replicas).toBe(6);
    expect(statefulSet('staging').object.spec.replicas).toBe(6);
    expect(statefulSet('dev').object.spec.replicas).toBe(3);
    expect(statefulSet('dev').file).toBe('dev/data/redis-cluster.yaml');
  });
});

/** Runs a function of cluster.sh with a fake valkey-cli and getent; returns the cli calls it made. */
function runGuard(fn: string, setup: { ordinal: number; nodes?: number; replicas?: number; known?: Record<number, number>; slots?: Record<number, number>; unresolvable?: number[]; down?: number[] }) {
  const dir = mkdtempSync(join(tmpdir(), 'redis-guard-'));
  const nodes = setup.nodes ?? 6;
  const { find } = synth(props({ nodes, replicasPerMaster: setup.replicas ?? 1 }));
  writeFileSync(join(dir, 'cluster.sh'), find('ConfigMap', 'redis-cluster-scripts').data['cluster.sh']);
  const host = (i: number) => `redis-cluster-${i}.redis-cluster-headless.data.svc.cluster.local`;
  for (const [i, n] of Object.entries(setup.known ?? {})) writeFileSync(join(dir, `known-${host(Number(i))}`), String(n));
  for (const [i, n] of Object.entries(setup.slots ?? {})) writeFileSync(join(dir, `slots-${host(Number(i))}`), String(n));
  for (const i of setup.unresolvable ?? []) writeFileSync(join(dir, `nodns-${host(i)}`), '');
  for (const i of setup.down ?? []) writeFileSync(join(dir, `down-${host(i)}`), '');
  writeFileSync(
    join(dir, 'valkey-cli'),
    `#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls"
[ "$1" = --cluster ] && exit 0
host=$2; shift 4
case "$*" in
  ping) [ -e "$FAKE_DIR/down-$host" ] && exit 1; echo PONG ;;
  "cluster info") printf 'cluster_state:fail\\r\\ncluster_known_nodes:%s\\r\\ncluster_slots_assigned:%s\\r\\n' "$(cat "$FAKE_DIR/known-$host" 2>/dev/null || echo 1)" "$(cat "$FAKE_DIR/slots-$host" 2>/dev/null || echo 0)" ;;
esac
`,
  );
  writeFileSync(
    join(dir, 'getent'),
    `#!/bin/sh
[ -e "$FAKE_DIR/nodns-$2" ] && exit 2
n=$(echo "$2" | sed -n 's/^redis-cluster-\\([0-9]*\\)\\..*/\\1/p')
echo "10.0.0.$((n + 10))  $2"
`,
  );
  chmodSync(join(dir, 'valkey-cli'), 0o755);
  chmodSync(join(dir, 'getent'), 0o755);
  writeFileSync(join(dir, 'calls'), '');
  const result = spawnSync('sh', ['-c', `. ./cluster.sh; ${fn}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, FAKE_DIR: dir, POD_NAMESPACE: 'data', ORDINAL: String(setup.ordinal), FORMATION_ATTEMPTS: '2', FORMATION_INTERVAL: '0' },
  });
  const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter((l) => l.startsWith('--cluster'));
  return { status: result.status, calls, stderr: result.stderr, stdout: result.stdout, dir };
}

describe('cluster formation guards (cluster.sh run against a fake valkey-cli)', () => {
  const endpoints = (n: number) => Array.from({ length: n }, (_, i) => `10.0.0.${i + 10}:6379`).join(' ');

  it('pod 0 forms a fresh cluster once every member resolves and answers, by IP, one replica per master', () => {
    const run = runGuard('ensure_cluster', { ordinal: 0 });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([`--cluster create ${endpoints(6)} --cluster-replicas 1 --cluster-yes`]);
  });

  it('dev: three masters without replicas', () => {
    expect(runGuard('ensure_cluster', { ordinal: 0, nodes: 3, replicas: 0 }).calls).toEqual([`--cluster create ${endpoints(3)} --cluster-replicas 0 --cluster-yes`]);
  });

  it('other pods never form it', () => {
    const run = runGuard('ensure_cluster', { ordinal: 3 });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('no cluster yet; redis-cluster-0 forms it');
  });

  it('a restarted member of a formed cluster does nothing (idempotent re-run)', () => {
    const formed = Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [i, 6]));
    for (const ordinal of [0, 4]) {
      const run = runGuard('ensure_cluster', { ordinal, known: formed, slots: { 0: 5461, 1: 5462, 2: 5461 } });
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain('already a cluster member');
    }
  });

  it('a replaced pod 0 with an empty volume joins as a replica instead of creating a second cluster', () => {
    const run = runGuard('ensure_cluster', { ordinal: 0, known: { 1: 6, 2: 6, 3: 6, 4: 6, 5: 6 } });
    expect(run.calls).toEqual(['--cluster add-node 10.0.0.10:6379 10.0.0.11:6379 --cluster-slave']);
  });

  it('does not form while a member is missing from DNS or silent, and says so', () => {
    for (const missing of [{ unresolvable: [5] }, { down: [2] }]) {
      const run = runGuard('ensure_cluster', { ordinal: 0, ...missing });
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain('not every member resolves and answers');
    }
  });

  it('rewrites stale peer IPs in nodes.conf from DNS, keeping names that do not resolve', () => {
    const { dir } = runGuard('true', { ordinal: 0, unresolvable: [4] });
    const host = (i: number) => `redis-cluster-${i}.redis-cluster-headless.data.svc.cluster.local`;
    const before = [
      `aaa 10.1.1.1:6379@16379,${host(1)} master - 0 0 1 connected 0-5460`,
      `bbb 10.1.1.2:6379@16379,${host(2)},shard-id=x myself,master - 0 0 2 connected 5461-10922`,
      'ccc 10.1.1.3:6379@16379 master - 0 0 3 connected',
      `ddd 10.1.1.4:6379@16379,${host(4)} slave aaa 0 0 1 connected`,
      'vars currentEpoch 6 lastVoteEpoch 0',
    ].join('\n');
    writeFileSync(join(dir, 'nodes.conf'), `${before}\n`);
    const result = spawnSync('sh', ['-c', '. ./cluster.sh; refresh_node_addresses < nodes.conf'], { cwd: dir, encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, FAKE_DIR: dir, POD_NAMESPACE: 'data' } });
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `aaa 10.0.0.11:6379@16379,${host(1)} master - 0 0 1 connected 0-5460`,
      `bbb 10.0.0.12:6379@16379,${host(2)},shard-id=x myself,master - 0 0 2 connected 5461-10922`,
      'ccc 10.1.1.3:6379@16379 master - 0 0 3 connected',
      `ddd 10.1.1.4:6379@16379,${host(4)} slave aaa 0 0 1 connected`,
      'vars currentEpoch 6 lastVoteEpoch 0',
    ]);
  });

  it('guards textually: only pod 0 creates, after the wait, re-checking for a formed cluster, every call bounded', () => {
    const lib: string = synth().find('ConfigMap', 'redis-cluster-scripts').data['cluster.sh'];
    const ensure = lib.slice(lib.indexOf('ensure_cluster() {'));
    const order = ['in_cluster "$self"', 'formed_peer', '[ "$ORDINAL" != 0 ]', 'retry members_up', 'formed_peer', '--cluster create'].map((s, i, all) => ensure.indexOf(s, i > 0 ? ensure.indexOf(all[i - 1]) + 1 : 0));
    expect(order.every((p, i) => p > (i > 0 ? order[i - 1] : -1))).toBe(true);
    expect(lib).toContain('timeout 5 valkey-cli');
    expect(lib).not.toMatch(/cluster reset|flushall/i);
  });

  it('every script parses as POSIX sh', () => {
    const scripts = synth().find('ConfigMap', 'redis-cluster-scripts').data;
    for (const [name, text] of Object.entries<string>(scripts)) {
      expect(spawnSync('sh', ['-n'], { input: text, encoding: 'utf8' }).status, name).toBe(0);
    }
  });
});
