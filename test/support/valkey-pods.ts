/**
 * A small model of a Kubernetes node running the generated `redis-cluster` StatefulSet against real
 * `valkey-server` processes, for the real-process tests (`test/components/data/redis-cluster.real.test.ts`).
 *
 * - Network: one network namespace per pod, a veth onto a bridge that lives in its own namespace,
 *   addresses from 198.18.12.0/24 (RFC 2544 benchmarking range) that exist only inside them.
 * - DNS: `ip netns exec` bind-mounts `/etc/netns/<ns>/hosts` over `/etc/hosts`, so `getent`,
 *   `valkey-cli -h <name>` and everything else resolve `redis-cluster-N.<headless>...` through a
 *   hosts file this model keeps current (a scheduled pod is published at once, like
 *   `publishNotReadyAddresses`); nothing in the scripts changes.
 * - The sidecar's inbound path: iptables REDIRECTs inbound 6379/16379 to `inbound-proxy.mjs`, which
 *   re-connects to the pod IP from 127.0.0.6 as Envoy's inbound passthrough does.
 * - The kubelet: runs the container's command with its env, the startup, readiness and liveness
 *   probes at the periods and thresholds the StatefulSet declares, restarts the container when
 *   liveness fails or the command exits, keeps `emptyDir` across container restarts and wipes it
 *   (and optionally the PVC) when the pod is replaced.
 *
 * The scripts and config are read from the synthesized manifest unchanged except the mount paths.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface RedisManifest {
  readonly namespace: string;
  readonly statefulSet: Record<string, any>;
  /** ConfigMap data by ConfigMap name. */
  readonly configMaps: Record<string, Record<string, string>>;
}

/** The redis-cluster objects of `dist/<env>/data/redis-cluster.yaml`. */
export function readManifest(file: string): RedisManifest {
  const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  const statefulSet = objects.find((o) => o.kind === 'StatefulSet');
  const configMaps = Object.fromEntries(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.data]));
  return { namespace: statefulSet.metadata.namespace, statefulSet, configMaps };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion; never throws. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // a command that exits before reading its stdin must not fail the suite with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out, err });
    });
    child.stdin.end(opts.input ?? '');
  });
}

function must(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

interface Probe {
  readonly command: string[];
  readonly period: number;
  readonly timeout: number;
  readonly failureThreshold: number;
}

interface Container {
  readonly generation: number;
  readonly process: ChildProcess;
  exited: boolean;
}

export class Pod {
  ip?: string;
  ready = false;
  restarts = 0;
  readonly events: string[] = [];
  container?: Container;
  generation = 0;
  constructor(
    readonly ordinal: number,
    readonly name: string,
    readonly netns: string,
    readonly dir: string,
  ) {}
  get log(): string {
    return existsSync(join(this.dir, 'log')) ? readFileSync(join(this.dir, 'log'), 'utf8') : '';
  }
}

export interface ValkeyPodsOptions {
  readonly manifest: RedisManifest;
  /** Short unique tag for namespace and interface names (at most 6 characters). */
  readonly tag: string;
  readonly workDir: string;
  readonly password: string;
  /** Extra environment for the container and its probes (short test timings). */
  readonly env?: Record<string, string>;
  /** `inbound-proxy.mjs`, the sidecar stand-in. */
  readonly proxyScript: string;
  /** Puts the sidecar stand-in in the inbound path; off only to study behaviour without the mesh. @default true */
  readonly sidecar?: boolean;
}

export class ValkeyPods {
  readonly pods: Pod[];
  private readonly sts: Record<string, any>;
  private readonly container: Record<string, any>;
  private readonly mounts: [string, string][];
  private readonly switchNs: string;
  private readonly proxies = new Map<Pod, ChildProcess>();
  private nextIp = 10;
  private stopped = false;

  constructor(private readonly o: ValkeyPodsOptions) {
    this.sts = o.manifest.statefulSet;
    this.container = this.sts.spec.template.spec.containers.find((c: any) => c.name === 'valkey');
    this.switchNs = `${o.tag}-sw`;
    const name = this.sts.metadata.name;
    this.pods = Array.from({ length: this.sts.spec.replicas }, (_, i) => new Pod(i, `${name}-${i}`, `${o.tag}-p${i}`, join(o.workDir, `${name}-${i}`)));
    this.mounts = this.container.volumeMounts.map((m: any) => [m.mountPath, m.name]);
  }

  hostname(pod: Pod): string {
    return `${pod.name}.${this.sts.spec.serviceName}.${this.o.manifest.namespace}.svc.cluster.local`;
  }

  /** The bridge every pod's veth plugs into, in its own namespace. */
  setup(): void {
    must('ip', ['netns', 'add', this.switchNs]);
    must('ip', ['-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
    must('ip', ['-n', this.switchNs, 'link', 'set', 'br0', 'up']);
    for (const pod of this.pods) {
      mkdirSync(`/etc/netns/${pod.netns}`, { recursive: true });
      writeFileSync(`/etc/netns/${pod.netns}/hosts`, '127.0.0.1 localhost\n');
      // no nameserver answers: names outside the hosts file fail at once, as NXDOMAIN would.
      writeFileSync(`/etc/netns/${pod.netns}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    }
  }

  /** A pod's sandbox, new for every pod (as a new pod gets a new veth): namespace, veth, iptables, the sidecar stand-in. */
  private createSandbox(pod: Pod, ip: string): void {
    must('ip', ['netns', 'add', pod.netns]);
    must('ip', ['-n', this.switchNs, 'link', 'add', `v${pod.ordinal}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.netns]);
    must('ip', ['-n', this.switchNs, 'link', 'set', `v${pod.ordinal}`, 'master', 'br0', 'up']);
    must('ip', ['-n', pod.netns, 'link', 'set', 'lo', 'up']);
    must('ip', ['-n', pod.netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    must('ip', ['-n', pod.netns, 'link', 'set', 'eth0', 'up']);
    if (this.o.sidecar !== false) {
      // istio-iptables: inbound TCP to the pod goes to Envoy's inbound listener.
      for (const [port, to] of [['6379', '15006'], ['16379', '15007']]) {
        must('ip', ['netns', 'exec', pod.netns, 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-i', 'eth0', '-p', 'tcp', '--dport', port, '-j', 'REDIRECT', '--to-ports', to]);
      }
      this.proxies.set(pod, spawn('ip', ['netns', 'exec', pod.netns, process.execPath, this.o.proxyScript, '15006=6379', '15007=16379'], { stdio: 'ignore' }));
    }
  }

  private deleteSandbox(pod: Pod): void {
    this.proxies.get(pod)?.kill('SIGKILL');
    this.proxies.delete(pod);
    // the veth goes at once; the namespace itself lives on until its last process has exited.
    spawnSync('ip', ['-n', this.switchNs, 'link', 'del', `v${pod.ordinal}`]);
    spawnSync('ip', ['netns', 'del', pod.netns]);
  }

  /** The DNS stand-in: every scheduled pod's name and IP, written in place (the bind mounts keep the inode). */
  private publishDns(): void {
    const lines = ['127.0.0.1 localhost', ...this.pods.filter((p) => p.ip).map((p) => `${p.ip} ${this.hostname(p)}`), ''];
    for (const pod of this.pods) writeFileSync(`/etc/netns/${pod.netns}/hosts`, lines.join('\n'));
  }

  /** One pass over every mount path, longest first, so a rewritten path is never rewritten again. */
  private rewritePaths(text: string, pod: Pod): string {
    const byPath = new Map(this.mounts);
    const alternatives = [...byPath.keys()].sort((a, b) => b.length - a.length).map((p) => p.replace(/[/.]/g, '\\$&'));
    return text.replace(new RegExp(`(?<![\w/.-])(${alternatives.join('|')})(?=[/\\s"';]|$)`, 'gm'), (path) => join(pod.dir, byPath.get(path)!));
  }

  /** Writes the ConfigMap volumes into the pod's folders, paths rewritten. */
  private materialize(pod: Pod): void {
    for (const volume of this.sts.spec.template.spec.volumes) {
      const dir = join(pod.dir, volume.name);
      mkdirSync(dir, { recursive: true });
      if (volume.configMap) {
        for (const [file, text] of Object.entries(this.o.manifest.configMaps[volume.configMap.name])) writeFileSync(join(dir, file), this.rewritePaths(text, pod));
      }
    }
    mkdirSync(join(pod.dir, 'data'), { recursive: true });
  }

  private env(pod: Pod): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent', ...this.o.env };
    const fields: Record<string, string | undefined> = { 'metadata.name': pod.name, 'metadata.namespace': this.o.manifest.namespace, 'status.podIP': pod.ip };
    for (const e of this.container.env ?? []) {
      if (e.value !== undefined) env[e.name] = e.value;
      else if (e.valueFrom?.fieldRef) env[e.name] = fields[e.valueFrom.fieldRef.fieldPath];
      else if (e.valueFrom?.secretKeyRef) env[e.name] = this.o.password;
    }
    return env;
  }

  private probe(kind: 'startupProbe' | 'readinessProbe' | 'livenessProbe', pod: Pod): Probe {
    const p = this.container[kind];
    return { command: p.exec.command.map((a: string) => this.rewritePaths(a, pod)), period: p.periodSeconds, timeout: p.timeoutSeconds, failureThreshold: p.failureThreshold };
  }

  private async runProbe(pod: Pod, probe: Probe): Promise<boolean> {
    const r = await run('ip', ['netns', 'exec', pod.netns, ...probe.command], { env: this.env(pod), timeoutMs: probe.timeout * 1000 });
    return r.code === 0;
  }

  /** Starts the container's command, then its probes; restarts it as the kubelet would. */
  private startContainer(pod: Pod): void {
    pod.generation += 1;
    const generation = pod.generation;
    const log = openSync(join(pod.dir, 'log'), 'a');
    const command: string[] = this.container.command.map((a: string) => this.rewritePaths(a, pod));
    const child = spawn('ip', ['netns', 'exec', pod.netns, ...command], { env: this.env(pod), detached: true, stdio: ['ignore', log, log] });
    const container: Container = { generation, process: child, exited: false };
    pod.container = container;
    pod.ready = false;
    child.on('exit', (code, signal) => {
      container.exited = true;
      pod.events.push(`container exited (${code ?? signal})`);
      // restartPolicy Always: the kubelet starts it again (after a back-off).
      if (pod.generation !== generation || this.stopped) return;
      const backoff = Math.min(10_000, 1000 * 2 ** Math.min(pod.restarts, 4));
      pod.restarts += 1;
      setTimeout(() => pod.generation === generation && !this.stopped && this.startContainer(pod), backoff);
    });
    void this.probeLoop(pod, generation);
  }

  private alive(pod: Pod, generation: number): boolean {
    return !this.stopped && pod.generation === generation && !pod.container?.exited;
  }

  private async probeLoop(pod: Pod, generation: number): Promise<void> {
    const startup = this.probe('startupProbe', pod);
    let failures = 0;
    for (;;) {
      await sleep(startup.period * 1000);
      if (!this.alive(pod, generation)) return;
      if (await this.runProbe(pod, startup)) break;
      if (++failures >= startup.failureThreshold) return this.restart(pod, generation, 'startup probe failed');
    }
    const readiness = this.probe('readinessProbe', pod);
    const liveness = this.probe('livenessProbe', pod);
    const readinessLoop = async () => {
      let failed = 0;
      for (let first = true; this.alive(pod, generation); first = false) {
        if (!first) await sleep(readiness.period * 1000);
        if (!this.alive(pod, generation)) return;
        if (await this.runProbe(pod, readiness)) {
          failed = 0;
          pod.ready = true;
        } else if (++failed >= readiness.failureThreshold || !pod.ready) pod.ready = false;
      }
    };
    const livenessLoop = async () => {
      let failed = 0;
      for (let first = true; this.alive(pod, generation); first = false) {
        if (!first) await sleep(liveness.period * 1000);
        if (!this.alive(pod, generation)) return;
        if (await this.runProbe(pod, liveness)) failed = 0;
        else if (++failed >= liveness.failureThreshold) return this.restart(pod, generation, 'liveness probe failed');
      }
    };
    await Promise.all([readinessLoop(), livenessLoop()]);
  }

  private async restart(pod: Pod, generation: number, reason: string): Promise<void> {
    if (!this.alive(pod, generation)) return;
    pod.events.push(`restart: ${reason}`);
    appendFileSync(join(pod.dir, 'log'), `--- kubelet: ${reason}, restarting the container ---\n`);
    pod.restarts += 1;
    await this.stopContainer(pod, 'graceful');
    this.startContainer(pod);
  }

  /** SIGTERM to the command (PID 1), SIGKILL to everything left after the grace period. */
  private async stopContainer(pod: Pod, how: 'graceful' | 'kill'): Promise<void> {
    const c = pod.container;
    pod.generation += 1;
    pod.ready = false;
    if (!c || c.exited) return;
    const pid = c.process.pid!;
    if (how === 'graceful') {
      try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
      const deadline = Date.now() + this.sts.spec.template.spec.terminationGracePeriodSeconds * 1000;
      while (!c.exited && Date.now() < deadline) await sleep(100);
    }
    // the container's cgroup dies whole: every process of its session, whatever its process group.
    for (let members = this.running(pid); members.length > 0; members = this.running(pid)) {
      for (const m of members) try { process.kill(m.pid, 'SIGKILL'); } catch { /* gone */ }
      await sleep(50);
    }
  }

  private running(sid: number) {
    return this.sessionMembers(sid).filter((m) => m.state !== 'Z');
  }

  /** Processes in the container (its session), with their state letter. */
  sessionMembers(sid: number): { pid: number; state: string; comm: string }[] {
    const members = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(rest[3]) === sid) members.push({ pid: Number(entry), state: rest[0], comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
      } catch { /* exited meanwhile */ }
    }
    return members;
  }

  /** Schedules a pod: a new IP, published in DNS, then its container. `blank` wipes its volume (a new PVC). */
  schedule(pod: Pod, opts: { blank?: boolean; ip?: string } = {}): void {
    if (opts.blank) rmSync(join(pod.dir, 'data'), { recursive: true, force: true });
    rmSync(join(pod.dir, 'runtime'), { recursive: true, force: true });
    this.materialize(pod);
    pod.ip = opts.ip ?? `198.18.12.${this.nextIp++}`;
    this.createSandbox(pod, pod.ip);
    this.publishDns();
    pod.events.push(`scheduled at ${pod.ip}${opts.blank ? ' (blank volume)' : ''}`);
    this.startContainer(pod);
  }

  /** Deletes a pod: `graceful` as `kubectl delete pod`, `kill` as a lost node. Its IP and DNS name go. */
  async remove(pod: Pod, how: 'graceful' | 'kill'): Promise<void> {
    await this.stopContainer(pod, how);
    this.deleteSandbox(pod);
    pod.ip = undefined;
    this.publishDns();
    pod.events.push(`removed (${how})`);
  }

  /** `valkey-cli` inside a pod's namespace, against its own server. */
  async cli(pod: Pod, ...args: string[]): Promise<string> {
    const r = await run('ip', ['netns', 'exec', pod.netns, 'valkey-cli', '-h', pod.ip ?? '127.0.0.1', '-p', '6379', ...args], { env: { PATH: process.env.PATH, REDISCLI_AUTH: this.o.password }, timeoutMs: 5000 });
    return r.out.replace(/\r/g, '') + r.err;
  }

  /** Polls until `check` returns true; throws with the pods' state and logs after `seconds`. */
  async waitFor(what: string, seconds: number, check: () => Promise<boolean>): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < seconds * 1000) {
      if (await check()) return (Date.now() - start) / 1000;
      await sleep(500);
    }
    throw new Error(`not within ${seconds} s: ${what}\n${await this.describe()}`);
  }

  async describe(): Promise<string> {
    const parts = [];
    for (const pod of this.pods) {
      const nodes = pod.ip ? await this.cli(pod, 'cluster', 'nodes') : '(not scheduled)';
      parts.push(`== ${pod.name} ip=${pod.ip} ready=${pod.ready} restarts=${pod.restarts} events=${pod.events.join('; ')}\n${nodes}\n-- log tail:\n${pod.log.split('\n').slice(-12).join('\n')}`);
    }
    return parts.join('\n');
  }

  /** Stops every container and proxy, deletes the namespaces and the hosts files. Safe to call twice. */
  teardown(): void {
    this.stopped = true;
    for (const pod of this.pods) {
      const pid = pod.container?.process.pid;
      if (pid) for (const m of this.sessionMembers(pid)) try { process.kill(m.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const pod of this.pods) this.deleteSandbox(pod);
    for (const ns of [...this.pods.map((p) => p.netns), this.switchNs]) {
      spawnSync('ip', ['netns', 'del', ns]);
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
    rmSync(this.o.workDir, { recursive: true, force: true });
  }
}
