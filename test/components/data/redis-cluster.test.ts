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
    expect(start).toContain('secret=$(config_string "$REDISCLI_AUTH")');
    expect(start).toContain(`printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$secret" "$secret"`);
    expect(start).toContain('cluster-announce-hostname $(member "$ORDINAL")');
  });

  it('announces the pod IP to peers and to the master, so the sidecar\'s 127.0.0.6 is never recorded', () => {
    expect(container.env).toContainEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    const start: string = find('ConfigMap', 'redis-cluster-scripts').data['start.sh'];
    expect(start).toContain('echo "cluster-announce-ip $POD_IP"\n  echo "replica-announce-ip $POD_IP"');
  });

  it('keeps the shell as PID 1: the server and the membership loop are its children, SIGTERM forwarded', () => {
    const start: string = find('ConfigMap', 'redis-cluster-scripts').data['start.sh'];
    expect(start).not.toContain('exec ');
    expect(start).toContain('valkey-server /run/valkey/valkey.conf &\nserver=$!\ntrap \'kill -TERM "$server" 2>/dev/null || true\' TERM INT\nmembership_loop &');
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

/** Runs a function of cluster.sh with a fake valkey-cli and getent; returns the cli calls that change the cluster. */
function runGuard(fn: string, setup: { ordinal: number; nodes?: number; replicas?: number; known?: Record<number, number>; slots?: Record<number, number>; state?: Record<number, string>; views?: Record<number, string>; myids?: Record<string, string>; unresolvable?: number[]; down?: number[] }) {
  const dir = mkdtempSync(join(tmpdir(), 'redis-guard-'));
  const nodes = setup.nodes ?? 6;
  const { find } = synth(props({ nodes, replicasPerMaster: setup.replicas ?? 1 }));
  writeFileSync(join(dir, 'cluster.sh'), find('ConfigMap', 'redis-cluster-scripts').data['cluster.sh'].replace('/run/valkey/', `${dir}/`));
  const host = (i: number) => `redis-cluster-${i}.redis-cluster-headless.data.svc.cluster.local`;
  for (const [i, n] of Object.entries(setup.known ?? {})) writeFileSync(join(dir, `known-${host(Number(i))}`), String(n));
  for (const [i, n] of Object.entries(setup.slots ?? {})) writeFileSync(join(dir, `slots-${host(Number(i))}`), String(n));
  for (const [i, v] of Object.entries(setup.state ?? {})) writeFileSync(join(dir, `state-${host(Number(i))}`), v);
  for (const [i, v] of Object.entries(setup.views ?? {})) writeFileSync(join(dir, `nodes-${host(Number(i))}`), v);
  for (const [ip, id] of Object.entries(setup.myids ?? {})) writeFileSync(join(dir, `myid-${ip}`), id);
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
  "cluster info") printf 'cluster_state:%s\\r\\ncluster_known_nodes:%s\\r\\ncluster_slots_assigned:%s\\r\\n' "$(cat "$FAKE_DIR/state-$host" 2>/dev/null || echo fail)" "$(cat "$FAKE_DIR/known-$host" 2>/dev/null || echo 1)" "$(cat "$FAKE_DIR/slots-$host" 2>/dev/null || echo 0)" ;;
  "cluster nodes") cat "$FAKE_DIR/nodes-$host" 2>/dev/null ;;
  "cluster myid") cat "$FAKE_DIR/myid-$host" 2>/dev/null ;;
  *) echo OK ;;
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
    env: { PATH: `${dir}:${process.env.PATH}`, FAKE_DIR: dir, POD_NAMESPACE: 'data', ORDINAL: String(setup.ordinal), FORMATION_INTERVAL: '0' },
  });
  const changing = /^--cluster|cluster (forget|meet|addslotsrange|bumpepoch)/;
  const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter((l) => changing.test(l));
  return { status: result.status, calls, stderr: result.stderr, stdout: result.stdout, dir };
}

const member = (i: number) => `redis-cluster-${i}.redis-cluster-headless.data.svc.cluster.local`;
/** A CLUSTER NODES line: id, address with the announced hostname, flags, master, then slots. */
const nodeLine = (id: string, i: number, flags: string, master = '-', slots = '') => `${id} 10.0.0.${i + 10}:6379@16379,${member(i)} ${flags} ${master} 0 0 1 connected${slots ? ` ${slots}` : ''}`;

describe('cluster membership guards (cluster.sh run against a fake valkey-cli)', () => {
  const endpoints = (n: number) => Array.from({ length: n }, (_, i) => `10.0.0.${i + 10}:6379`).join(' ');

  it('pod 0 forms a fresh cluster once every member resolves and answers, by IP, one replica per master', () => {
    const run = runGuard('ensure_cluster', { ordinal: 0 });
    expect(run.calls).toEqual([`--cluster create ${endpoints(6)} --cluster-replicas 1 --cluster-yes`]);
    expect(run.stderr).toContain('forming the cluster: 6 nodes, 1 replica(s) per master');
  });

  it('dev: three masters without replicas', () => {
    expect(runGuard('ensure_cluster', { ordinal: 0, nodes: 3, replicas: 0 }).calls).toEqual([`--cluster create ${endpoints(3)} --cluster-replicas 0 --cluster-yes`]);
  });

  it('other pods never form it', () => {
    const run = runGuard('ensure_cluster', { ordinal: 3 });
    expect(run.status).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('no cluster yet; redis-cluster-0 forms it');
  });

  it('a member of a healthy cluster changes nothing and marks itself alive (idempotent re-run)', () => {
    const formed = Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [i, 6]));
    const ok = Object.fromEntries([0, 1, 2, 3, 4, 5].map((i) => [i, 'ok']));
    for (const ordinal of [0, 4]) {
      const run = runGuard('ensure_cluster', { ordinal, known: formed, state: ok, slots: { 0: 5461, 1: 5462, 2: 5461 } });
      expect(run.status).toBe(0);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain('a healthy cluster member');
      expect(Number(readFileSync(join(run.dir, 'healthy'), 'utf8'))).toBeGreaterThan(Date.now() / 1000 - 60);
    }
  });

  it('a member of a failing cluster is not marked alive', () => {
    const run = runGuard('ensure_cluster', { ordinal: 4, known: { 4: 6, 0: 6 } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cluster state: fail');
    expect(() => readFileSync(join(run.dir, 'healthy'))).toThrow();
  });

  it('a replaced pod 0 with an empty volume joins as a replica instead of creating a second cluster', () => {
    const run = runGuard('ensure_cluster', { ordinal: 0, known: { 1: 6, 2: 6, 3: 6, 4: 6, 5: 6 } });
    expect(run.calls).toEqual(['--cluster add-node 10.0.0.10:6379 10.0.0.11:6379 --cluster-slave']);
  });

  it('dev: a blank node meets the cluster directly (add-node refuses while slots are uncovered)', () => {
    const run = runGuard('ensure_cluster', { ordinal: 1, nodes: 3, replicas: 0, known: { 0: 3, 2: 3 } });
    expect(run.calls).toEqual([`-h ${member(1)} -p 6379 cluster meet 10.0.0.10 6379`]);
  });

  it('does not form while a member is missing from DNS or silent, and says so', () => {
    for (const missing of [{ unresolvable: [5] }, { down: [2] }]) {
      const run = runGuard('ensure_cluster', { ordinal: 0, ...missing });
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain('not every member resolves and answers yet');
    }
  });

  it('forgets, on every member, a failed node whose pod runs as a new node once it serves no slots', () => {
    const view = [
      nodeLine('a'.repeat(40), 0, 'myself,master', '-', '0-5460'),
      nodeLine('b'.repeat(40), 1, 'master', '-', '5461-10922'),
      nodeLine('c'.repeat(40), 2, 'master', '-', '10923-16383'),
      nodeLine('d'.repeat(40), 3, 'slave', 'a'.repeat(40)),
      nodeLine('e'.repeat(40), 4, 'slave', 'b'.repeat(40)),
      nodeLine('f'.repeat(40), 5, 'slave', 'c'.repeat(40)),
      nodeLine('0'.repeat(40), 2, 'master,fail'),
      // failed with slots: its replica may still take over, it stays.
      nodeLine('1'.repeat(40), 5, 'master,fail', '-', '100'),
      // failed, but no live node has its name: the pod may come back with its volume.
      nodeLine('2'.repeat(40), 6, 'slave,fail', 'a'.repeat(40)),
    ].join('\n');
    const run = runGuard('forget_ghosts "$(member 0)"', { ordinal: 0, views: { 0: view } });
    expect(run.calls).toEqual([0, 1, 2, 3, 4, 5].map((i) => `-h ${member(i)} -p 6379 cluster forget ${'0'.repeat(40)}`));
    expect(run.stderr).toContain(`forgetting ${'0'.repeat(40)}: its pod runs now as a new node`);
  });

  it('meets a noaddr peer again at the address its name resolves to, only when that address answers with its id', () => {
    const view = [
      nodeLine('a'.repeat(40), 0, 'myself,master', '-', '0-5460'),
      `${'b'.repeat(40)} :0@0,${member(1)} master,noaddr - 0 0 2 disconnected 5461-10922`,
      `${'c'.repeat(40)} :0@0,${member(2)} master,noaddr - 0 0 3 disconnected 10923-16383`,
    ].join('\n');
    // pod 1 answers at 10.0.0.11 with its id; 10.0.0.12 answers with another id (a new node).
    const run = runGuard('heal_addresses "$(member 0)"', { ordinal: 0, views: { 0: view }, myids: { '10.0.0.11': 'b'.repeat(40), '10.0.0.12': 'd'.repeat(40) } });
    expect(run.calls).toEqual([`-h ${member(0)} -p 6379 cluster meet 10.0.0.11 6379`]);
    expect(run.stderr).toContain(`meeting ${member(1)} again at 10.0.0.11`);
  });

  it('forgets a noaddr node whose name runs as a new node, like a failed one', () => {
    const view = [nodeLine('a'.repeat(40), 0, 'myself,master', '-', '0-16383'), nodeLine('b'.repeat(40), 1, 'slave', 'a'.repeat(40)), `${'7'.repeat(40)} :0@0,${member(1)} slave,noaddr ${'a'.repeat(40)} 0 0 2 disconnected`].join('\n');
    expect(runGuard('forget_ghosts "$(member 0)"', { ordinal: 0, views: { 0: view } }).calls).toEqual([0, 1, 2, 3, 4, 5].map((i) => `-h ${member(i)} -p 6379 cluster forget ${'7'.repeat(40)}`));
  });

  it('dev: forgets a failed master with slots (no replica can take over)', () => {
    const view = [nodeLine('a'.repeat(40), 0, 'myself,master', '-', '0-5460'), nodeLine('b'.repeat(40), 1, 'master'), nodeLine('9'.repeat(40), 1, 'master,fail', '-', '5461-10922')].join('\n');
    const run = runGuard('forget_ghosts "$(member 0)"', { ordinal: 0, nodes: 3, replicas: 0, views: { 0: view } });
    expect(run.calls).toEqual([0, 1, 2].map((i) => `-h ${member(i)} -p 6379 cluster forget ${'9'.repeat(40)}`));
  });

  it('dev: a blank master claims exactly the slots neither it nor a long-standing member sees served', () => {
    const blank = [nodeLine('b'.repeat(40), 1, 'myself,master'), nodeLine('a'.repeat(40), 0, 'master', '-', '0-5460'), nodeLine('c'.repeat(40), 2, 'master')].join('\n');
    // the long-standing member knows pod 2's slots; the blank node has not heard them yet.
    const peer = [nodeLine('a'.repeat(40), 0, 'myself,master', '-', '0-5460'), nodeLine('b'.repeat(40), 1, 'master'), nodeLine('c'.repeat(40), 2, 'master', '-', '10923-16383 [5000->-x]')].join('\n');
    const run = runGuard('claim_lost_slots "$(member 1)"', { ordinal: 1, nodes: 3, replicas: 0, known: { 0: 3, 2: 3 }, views: { 1: blank, 0: peer } });
    expect(run.calls).toEqual([`-h ${member(1)} -p 6379 cluster addslotsrange 5461 10922`, `-h ${member(1)} -p 6379 cluster bumpepoch`]);
    // a node serving slots, or any node with replicas, claims nothing.
    const serving = blank.replace('myself,master - 0 0 1 connected', 'myself,master - 0 0 1 connected 5461-10922');
    expect(runGuard('claim_lost_slots "$(member 1)"', { ordinal: 1, nodes: 3, replicas: 0, known: { 0: 3 }, views: { 1: serving, 0: peer } }).calls).toEqual([]);
    expect(runGuard('claim_lost_slots "$(member 1)"', { ordinal: 1, known: { 0: 6 }, views: { 1: blank, 0: peer } }).calls).toEqual([]);
  });

  it('writes any password as \\xHH escapes, which the config parser decodes byte for byte', () => {
    const run = runGuard(`config_string 'p"a\\ss w'"'"'rd'`, { ordinal: 0 });
    expect(run.stdout).toBe('\\x70\\x22\\x61\\x5c\\x73\\x73\\x20\\x77\\x27\\x72\\x64');
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
    const order = ['in_cluster "$self"', 'formed_peer', '[ "$ORDINAL" != 0 ]', 'members_up', 'formed_peer', '--cluster create'].map((s, i, all) => ensure.indexOf(s, i > 0 ? ensure.indexOf(all[i - 1]) + 1 : 0));
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

describe('liveness (alive.sh against a fake valkey-cli)', () => {
  function alive(reply: string, healthyAgo: number | undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'redis-alive-'));
    const script: string = synth().find('ConfigMap', 'redis-cluster-scripts').data['alive.sh'];
    writeFileSync(join(dir, 'alive.sh'), script.replaceAll('/run/valkey/', `${dir}/`));
    writeFileSync(join(dir, 'valkey-cli'), `#!/bin/sh\necho '${reply}'\n`);
    chmodSync(join(dir, 'valkey-cli'), 0o755);
    if (healthyAgo !== undefined) writeFileSync(join(dir, 'healthy'), String(Math.floor(Date.now() / 1000) - healthyAgo));
    return spawnSync('sh', ['alive.sh'], { cwd: dir, encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } });
  }

  it('passes while the node answers and was a healthy member within unhealthyRestartAfter (5 minutes)', () => {
    expect(alive('PONG', 10).status).toBe(0);
    expect(alive('PONG', 299).status).toBe(0);
  });

  it('fails once the node has been outside a healthy cluster for longer, saying so', () => {
    const run = alive('PONG', 400);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^not a healthy cluster member for 40\ds \(limit 300s\)$/m);
    expect(alive('PONG', undefined).status).toBe(1);
  });

  it('passes while the node loads its data set, whatever the marker says; fails when it does not answer', () => {
    expect(alive('LOADING Valkey is loading the dataset in memory', 4000).status).toBe(0);
    expect(alive('Could not connect to Valkey at 127.0.0.1:6379: Connection refused', 1).status).toBe(1);
  });
});
