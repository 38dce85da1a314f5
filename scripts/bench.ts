/**
 * `npm run bench`: wall time and peak memory of a full synth (all three environments, Node start-up
 * included, output written) for the real catalog and for generated catalogs of 100, 500 and 1000
 * services. Each figure is the median of several runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'suoke-bench-'));

interface Measurement {
  readonly wallMs: number;
  readonly peakMiB: number;
  readonly objects: number;
}

function synthOnce(catalog: string): Measurement {
  const out = join(work, 'dist');
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'synth/main.ts', '--catalog', catalog, '--out', out], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`synth of ${catalog} failed:\n${result.stderr}`);
  const peak = /peak memory (\d+) MiB/.exec(result.stdout);
  const objects = [...result.stdout.matchAll(/(\d+) objects/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { wallMs, peakMiB: Number(peak?.[1]), objects };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The real catalog with its services replaced by `count` generated ones, each calling two others. */
function generatedCatalog(count: number): string {
  const real = parse(readFileSync('catalog/platform.yaml', 'utf8'));
  const layers = ['core', 'agents', 'diagnosis', 'support'];
  const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;
  const services = Array.from({ length: count }, (_, i) => ({
    name: name(i),
    layer: layers[i % layers.length],
    description: `generated service ${i}`,
    image: { name: name(i), tag: '1.0.0' },
    ports: i % 3 === 0 ? { http: 8000, grpc: 50052 } : { http: 8000 },
    secrets: [{ env: 'DATABASE_URL', secret: 'database-secret', key: `${name(i)}-db-url` }],
    config: { feature: { enabled: true, level: i % 5 } },
    calls: [1, 2].map((step) => ({ service: name((i + step) % count), methods: ['GET', 'POST'], paths: [`/api/v1/${name((i + step) % count)}/*`] })),
    // calls form a ring, whose timeouts cannot shrink hop by hop: every call gets the same budget.
    resilience: { calls: { timeout: '10s', retries: { attempts: 2, perTryTimeout: '3s' } } },
    ...(i % 10 === 0 ? { route: { path: `/api/v1/${name(i)}`, methods: ['GET', 'POST'] } } : {}),
  }));
  // Kong is the api-gateway and must call every routed service with its route's methods and paths.
  const gateway = {
    name: 'api-gateway',
    layer: 'core',
    description: 'Kong',
    implementation: 'kong',
    ports: { http: 8000 },
    calls: services.filter((s) => s.route).map((s) => ({ service: s.name, methods: ['GET', 'POST'], paths: [s.route!.path, `${s.route!.path}/*`] })),
  };
  services.push(gateway as unknown as (typeof services)[number]);
  const file = join(work, `catalog-${count}.yaml`);
  writeFileSync(file, stringify({ ...real, environments: { ...real.environments, dev: { ...real.environments.dev, imageTags: {}, canaries: {} } }, services }));
  return file;
}

const cases: { label: string; services: number; catalog: string }[] = [
  { label: 'real catalog', services: parse(readFileSync('catalog/platform.yaml', 'utf8')).services.length, catalog: 'catalog/platform.yaml' },
  ...[100, 500, 1000].map((n) => ({ label: `generated ${n}`, services: n, catalog: generatedCatalog(n) })),
];

console.log(`synth of all three environments, median of ${RUNS} runs (node ${process.version}, ${cpus().length} cores)`);
console.log('catalog          services  objects   wall ms   ms/service  peak MiB');
for (const c of cases) {
  const runs = Array.from({ length: RUNS }, () => synthOnce(c.catalog));
  const wall = median(runs.map((r) => r.wallMs));
  console.log(
    `${c.label.padEnd(16)} ${String(c.services).padStart(8)} ${String(runs[0].objects).padStart(8)} ${wall.toFixed(0).padStart(9)} ${(wall / c.services).toFixed(1).padStart(12)} ${String(median(runs.map((r) => r.peakMiB))).padStart(9)}`,
  );
}
rmSync(work, { recursive: true, force: true });
