/**
 * The generated redis-cluster scripts and config, run unchanged (except mount paths) against real
 * valkey-server processes, one per network namespace, behind a stand-in for the Istio sidecar's
 * inbound path (connections arrive from 127.0.0.6), with a model of the kubelet running the
 * StatefulSet's probes (see `test/support/valkey-pods.ts`). Needs root, `ip netns`, iptables and
 * Debian's valkey-server/valkey-tools; skips loudly without them, and fails instead under
 * REQUIRE_VALKEY=1 (set by `.ci/run`, which installs them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installed } from '../../support/installed';
import { readManifest, run, ValkeyPods, type Pod } from '../../support/valkey-pods';

const required = process.env.REQUIRE_VALKEY === '1';
const root = join(__dirname, '..', '..', '..');
const proxyScript = join(root, 'test', 'support', 'inbound-proxy.mjs');
/** Where the synthesized manifests are read from; another folder only to replay an older synth. */
const dist = process.env.VALKEY_TEST_DIST ?? join(root, 'dist');
/** The sidecar stand-in is on unless VALKEY_TEST_SIDECAR=0 (to study behaviour without the mesh). */
const sidecar = process.env.VALKEY_TEST_SIDECAR !== '0';

/** Why the suite cannot run here, or undefined. */
function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  for (const [tool, arg] of [['valkey-server', '--version'], ['valkey-cli', '--version'], ['iptables', '--version'], ['ip', '-V']]) {
    if (!installed(tool, [arg])) return `${tool} not installed (apt-get install -t bookworm-backports valkey-server valkey-tools; apt-get install iptables)`;
  }
  const probe = `vkchk${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe]);
  return add.status === 0 ? undefined : `cannot create network namespaces: ${add.stderr.trim()}`;
}
const reason = missing();
if (reason && !required) {
  console.warn(`\n!!! SKIPPED: Valkey real-process tests (test/components/data/redis-cluster.real.test.ts): ${reason}. CI sets REQUIRE_VALKEY=1 and fails here instead. !!!\n`);
}

describe('the Valkey real-process suite runs where CI promised it', () => {
  it.runIf(required)('has root, network namespaces, iptables, valkey-server and valkey-cli (.ci/run installs them)', () => {
    expect(reason).toBeUndefined();
  });
});

/** Short timings the scripts read from the environment; production keeps their defaults. */
const testEnv = { FORMATION_ATTEMPTS: '5', FORMATION_INTERVAL: '1' };
const durations: string[] = [];
const clusters: ValkeyPods[] = [];
const workDirs: string[] = [];
const cleanup = () => {
  for (const c of clusters) c.teardown();
  for (const d of workDirs) rmSync(d, { recursive: true, force: true });
};
process.once('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { cleanup(); process.exit(1); });

function cluster(env: 'dev' | 'prod', tag: string, password: string, extraEnv: Record<string, string> = {}): ValkeyPods {
  const workDir = mkdtempSync(join(tmpdir(), `valkey-${env}-`));
  workDirs.push(workDir);
  const manifest = readManifest(join(dist, env, 'data', 'redis-cluster.yaml'));
  const perMaster = 1 + Number(/^REPLICAS_PER_MASTER=(\d+)$/m.exec(manifest.configMaps['redis-cluster-scripts']['cluster.sh'])![1]);
  const pods = new ValkeyPods({ manifest, tag: `vk${process.pid % 100000}${tag}`, workDir, password, env: { ...testEnv, ...extraEnv }, proxyScript, sidecar });
  clusters.push(pods);
  shapes.set(pods, { nodes: pods.pods.length, masters: pods.pods.length / perMaster });
  pods.setup();
  return pods;
}

interface NodeLine { id: string; address: string; flags: string[]; master: string; slots: string[] }
const parseNodes = (text: string): NodeLine[] =>
  text.split('\n').filter((l) => /^[0-9a-f]{40} /.test(l)).map((l) => {
    const f = l.split(' ');
    return { id: f[0], address: f[1], flags: f[2].split(','), master: f[3], slots: f.slice(8) };
  });

/** Members and masters each manifest asks for. */
const shapes = new Map<ValkeyPods, { nodes: number; masters: number }>();
const shape = (c: ValkeyPods) => shapes.get(c)!;

/** Every scheduled pod is Ready and sees the same whole cluster: ok, every slot, the right shape, no ghosts, no 127.0.0.6. */
async function formed(c: ValkeyPods): Promise<boolean> {
  const { nodes, masters } = shape(c);
  for (const pod of c.pods) {
    if (!pod.ip || !pod.ready) return false;
    const info = await c.cli(pod, 'cluster', 'info');
    if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_assigned:16384') || !info.includes(`cluster_known_nodes:${nodes}\n`)) return false;
    const text = await c.cli(pod, 'cluster', 'nodes');
    const lines = parseNodes(text);
    if (lines.length !== nodes || text.includes('127.0.0.6') || lines.some((l) => l.flags.some((f) => ['fail', 'fail?', 'noaddr', 'handshake'].includes(f)))) return false;
    if (lines.filter((l) => l.flags.includes('master') && l.slots.length > 0).length !== masters) return false;
    if (lines.filter((l) => l.flags.includes('slave')).length !== nodes - masters) return false;
  }
  return true;
}

/** Node id, role and slots per pod. */
async function topology(c: ValkeyPods): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const pod of c.pods) {
    const self = parseNodes(await c.cli(pod, 'cluster', 'nodes')).find((l) => l.flags.includes('myself'))!;
    result[pod.name] = `${self.id} ${self.flags.includes('master') ? 'master' : 'replica'} ${self.slots.join(',')}`;
  }
  return result;
}

/** Processes left as zombies in a pod's container (sampled three times: a zombie that stays). */
async function zombies(c: ValkeyPods, pod: Pod): Promise<number[]> {
  const sid = pod.container!.process.pid!;
  const samples: Set<number>[] = [];
  for (let i = 0; i < 3; i++) {
    samples.push(new Set(c.sessionMembers(sid).filter((m) => m.state === 'Z').map((m) => m.pid)));
    await new Promise((r) => setTimeout(r, 500));
  }
  return [...samples[0]].filter((p) => samples.every((s) => s.has(p)));
}

async function timed(label: string, bound: number, c: ValkeyPods, what: string, check: () => Promise<boolean>): Promise<void> {
  const seconds = await c.waitFor(what, bound, check);
  durations.push(`${label}: ${seconds.toFixed(1)} s (bound ${bound} s)`);
}

const masterPod = async (c: ValkeyPods): Promise<{ pod: Pod; id: string }> => {
  for (const pod of c.pods) {
    const self = parseNodes(await c.cli(pod, 'cluster', 'nodes')).find((l) => l.flags.includes('myself'))!;
    if (self.flags.includes('master') && pod.ordinal !== 0) return { pod, id: self.id };
  }
  throw new Error('no master besides pod 0');
};

/** The old id is gone from every member's view and nothing is failing. */
const forgotten = (c: ValkeyPods, id: string) => async () => {
  if (!(await formed(c))) return false;
  for (const pod of c.pods) if ((await c.cli(pod, 'cluster', 'nodes')).includes(id)) return false;
  return true;
};

/**
 * Started before the other scenarios and checked last, so its minute of waiting costs no wall
 * time: two of three dev members, the third never scheduled, can never be healthy; liveness
 * (limit shortened to 30 s through UNHEALTHY_SECONDS, probes at the StatefulSet's periods) must
 * make the kubelet restart them. The limit stays above the first startup probe even on a loaded
 * machine: a startup probe that fails only restarts after its own 60 x 5 s.
 */
let stuck: { c: ValkeyPods; restarted: Promise<number> } | undefined;
beforeAll(() => {
  if (reason) return;
  const c = cluster('dev', 'd', 'plain-test-password', { UNHEALTHY_SECONDS: '30' });
  c.schedule(c.pods[0]);
  c.schedule(c.pods[1]);
  const restarted = c.waitFor('liveness restarts the members stuck outside a healthy cluster', 200, async () => c.pods[0].restarts > 0 && c.pods[1].restarts > 0);
  restarted.catch(() => undefined);
  stuck = { c, restarted };
});
afterAll(() => {
  stuck?.c.teardown();
  if (durations.length > 0) console.log(`Valkey real-process durations on this machine:\n  ${durations.join('\n  ')}`);
});

describe.skipIf(!!reason)('Valkey prod cluster, real processes (6 members, 1 replica per master)', () => {
  let c: ValkeyPods;
  beforeAll(() => {
    c = cluster('prod', 'a', 'plain-test-password');
  });
  afterAll(() => c?.teardown());

  it('forms: state ok, 16384 slots, 3 masters and 3 replicas, every peer at its own IP (never 127.0.0.6)', async () => {
    for (const pod of c.pods) c.schedule(pod);
    await timed('prod forms', 60, c, 'the cluster forms', () => formed(c));
    // the sidecar stand-in is in the path: a peer's connection arrives from 127.0.0.6.
    const seen = await run('ip', ['netns', 'exec', c.pods[1].netns, 'valkey-cli', '-h', c.pods[0].ip!, '-p', '6379', 'client', 'info'], { env: { PATH: process.env.PATH, REDISCLI_AUTH: 'plain-test-password' } });
    if (sidecar) expect(seen.out).toMatch(/addr=127\.0\.0\.6:/);
    for (const pod of c.pods) {
      expect(await c.cli(pod, 'info', 'replication')).not.toContain('127.0.0.6');
      expect(pod.log).not.toMatch(/unmatched pid/i);
      expect(await zombies(c, pod)).toEqual([]);
    }
  }, 90_000);

  it('a rerun changes nothing', async () => {
    const before = await topology(c);
    for (const pod of [c.pods[0], c.pods[c.pods.length - 1]]) {
      await c.remove(pod, 'graceful');
      c.schedule(pod, { ip: undefined });
    }
    await timed('rerun', 45, c, 'the restarted members are back', () => formed(c));
    expect(await topology(c)).toEqual(before);
  }, 60_000);

  it('a full restart with the IPs shuffled keeps every node id', async () => {
    const before = await topology(c);
    const ips = c.pods.map((p) => p.ip!);
    for (const pod of c.pods) await c.remove(pod, 'graceful');
    // each pod gets the address another member had: stale IPs now point at the wrong node.
    c.pods.forEach((pod, i) => c.schedule(pod, { ip: ips[(i + 1) % ips.length] }));
    await timed('full restart, IPs shuffled', 60, c, 'the cluster finds itself again', () => formed(c));
    const after = await topology(c);
    for (const pod of c.pods) expect(after[pod.name].split(' ')[0]).toBe(before[pod.name].split(' ')[0]);
  }, 90_000);

  it('a master replaced by a blank pod after failover rejoins, and its ghost is forgotten', async () => {
    const { pod, id } = await masterPod(c);
    await c.remove(pod, 'kill');
    const others = c.pods.filter((p) => p !== pod);
    await timed('failover', 30, c, `a replica takes over from ${id}`, async () => {
      for (const o of others) {
        if (!(await c.cli(o, 'cluster', 'info')).includes('cluster_state:ok')) return false;
        const old = parseNodes(await c.cli(o, 'cluster', 'nodes')).find((l) => l.id === id);
        if (!old || !old.flags.includes('fail') || old.slots.length > 0) return false;
      }
      return true;
    });
    c.schedule(pod, { blank: true });
    await timed('blank pod rejoins after failover, ghost forgotten', 60, c, `${pod.name} rejoins and ${id} is forgotten`, forgotten(c, id));
  }, 120_000);

  it('a master replaced by a blank pod before failover ends up joined with no human action', async () => {
    const { pod, id } = await masterPod(c);
    await c.remove(pod, 'kill');
    c.schedule(pod, { blank: true });
    await timed('blank pod replaces a master before failover', 90, c, `${pod.name} joins and ${id} is forgotten`, forgotten(c, id));
  }, 120_000);

  it('a member that starts after the formation window ends in a formed cluster', async () => {
    for (const pod of c.pods) await c.remove(pod, 'kill');
    const late = c.pods[c.pods.length - 1];
    for (const pod of c.pods) if (pod !== late) c.schedule(pod, { blank: true });
    // longer than FORMATION_ATTEMPTS x FORMATION_INTERVAL: pod 0 has given up waiting, if it ever does.
    await new Promise((r) => setTimeout(r, (Number(testEnv.FORMATION_ATTEMPTS) * Number(testEnv.FORMATION_INTERVAL) + 5) * 1000));
    c.schedule(late, { blank: true });
    await timed('late member', 60, c, 'the cluster forms once the last member is up', () => formed(c));
  }, 120_000);
});

describe.skipIf(!!reason)('Valkey dev cluster, real processes (3 masters, no replicas)', () => {
  let c: ValkeyPods;
  beforeAll(() => {
    c = cluster('dev', 'b', 'plain-test-password');
  });
  afterAll(() => c?.teardown());

  it('forms with 3 masters, and a replaced node ends in a working cluster (its data lost)', async () => {
    for (const pod of c.pods) c.schedule(pod);
    await timed('dev forms', 60, c, 'the dev cluster forms', () => formed(c));
    const { pod, id } = await masterPod(c);
    await c.remove(pod, 'kill');
    c.schedule(pod, { blank: true });
    await timed('dev node replaced', 90, c, `${pod.name} gets its slots back and ${id} is forgotten`, forgotten(c, id));
    expect(await c.cli(c.pods[0], '-c', 'set', 'after-replacement', 'yes')).toContain('OK');
    expect(await c.cli(c.pods[0], '-c', 'get', 'after-replacement')).toContain('yes');
  }, 180_000);
});

describe.skipIf(!!reason)('Valkey with a password of quotes, a backslash and a space', () => {
  const password = 'p"a\\ss w\'rd';
  let c: ValkeyPods;
  beforeAll(() => {
    c = cluster('dev', 'c', password);
  });
  afterAll(() => c?.teardown());

  it('forms and serves authenticated clients', async () => {
    for (const pod of c.pods) c.schedule(pod);
    await timed('password with quotes, backslash, space', 60, c, 'the cluster forms', () => formed(c));
    expect(await c.cli(c.pods[1], '-c', 'set', 'k', 'v')).toContain('OK');
    expect(await c.cli(c.pods[2], 'config', 'get', 'requirepass')).toContain(password);
  }, 90_000);
});

describe.skipIf(!!reason)('Valkey liveness, real processes', () => {
  it('restarts a member that has not been in a healthy cluster for UNHEALTHY_SECONDS', async () => {
    const seconds = await stuck!.restarted;
    durations.push(`liveness restart of a stuck member (limit 30 s, 6 failures 10 s apart): ${seconds.toFixed(1)} s after it started`);
    expect(stuck!.c.pods[0].events).toContain('restart: liveness probe failed');
    expect(stuck!.c.pods[0].log).toMatch(/kubelet: liveness probe failed/);
  }, 210_000);
});
