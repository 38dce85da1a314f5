import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { vi } from 'vitest';
import type { Catalog, EnvironmentName } from '../../catalog';
import { referencedSecrets } from '../../stacks/referenced-secrets';
import type { KubernetesObject } from '../../stacks/kubernetes-resource';
import { objectsOf } from '../support/platform';

/** One resource the program registered (or looked up) with the (mocked) engine, with its options. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Record<string, any>;
  /** Set when the resource is a lookup (`Resource.get`) of this id, rather than a resource the stack owns. */
  readonly readId?: string;
  readonly custom: boolean;
  readonly retainOnDelete?: boolean;
  readonly protect: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly replaceOnChanges: readonly string[];
  readonly customTimeouts?: { readonly create: string; readonly update: string; readonly delete: string };
  /** URNs of the resources it depends on (dependsOn, expanded by the SDK to the resources of components). */
  readonly dependencies: readonly string[];
  readonly parent: string;
}

export interface ProgramRun {
  readonly registered: readonly Registered[];
  readonly outputs: Record<string, any>;
  /** What the program logged (pulumi.log), `<severity>: <message>`. */
  readonly logs: readonly string[];
}

export interface ClusterModel {
  /**
   * Ids (`Resource.get`) the cluster does not have: their lookup fails as the provider's read
   * does, with the engine's "does not exist".
   * @default - every lookup finds its object
   */
  readonly missing?: readonly string[];
  /**
   * Run as `pulumi preview` (true) or `pulumi up` (false).
   * @default true
   */
  readonly preview?: boolean;
}

/** A run that may have failed: what was registered until then, and the error. */
export interface SettledRun extends ProgramRun {
  readonly error?: Error;
}

const PROJECT = 'suoke-platform';
/** The program's entry (Pulumi.yaml `main`). */
const PROGRAM = join(__dirname, '..', '..', 'stacks', 'index.ts');

/**
 * Runs the real Pulumi program (stacks/index.ts) for one stack against Pulumi's mocks: mocks and
 * config are set and awaited first, then the program is imported, then every registration drains.
 * The mock monitor is wrapped so each registration's options (retainOnDelete, customTimeouts,
 * dependencies…) are recorded too: MockResourceArgs carries only type, name and inputs.
 */
export async function runProgram(stack: string, config: Record<string, unknown>, cluster: ClusterModel = {}): Promise<ProgramRun> {
  const run = await settleProgram(stack, config, cluster);
  if (run.error) throw run.error;
  return run;
}

/** The runs share the engine's global state (mocks, config, stack): one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** Like {@link runProgram}, but a failure is returned with what was registered before it. */
export function settleProgram(stack: string, config: Record<string, unknown>, cluster: ClusterModel = {}): Promise<SettledRun> {
  const run = queue.then(() => settle(stack, config, cluster));
  queue = run.catch(() => undefined);
  return run;
}

async function settle(stack: string, config: Record<string, unknown>, cluster: ClusterModel, secretKeys: readonly string[] = ['secrets']): Promise<SettledRun> {
  const registered: Registered[] = [];
  const logs: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.id && cluster.missing?.includes(args.id)) throw new Error(`resource '${args.id}' does not exist`);
        return { id: args.id || `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
    cluster.preview ?? true,
  );
  recordRegistrations(registered);
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, typeof value === 'string' ? value : JSON.stringify(value)])),
    secretKeys.map((key) => `${PROJECT}:${key}`),
  );
  const spies = (['debug', 'info', 'warn', 'error'] as const).map((severity) =>
    vi.spyOn(pulumi.log, severity).mockImplementation(async (message: string) => {
      logs.push(`${severity}: ${message}`);
    }),
  );
  // a failed registration or lookup surfaces as an unhandled rejection, which Pulumi's Node.js
  // language host turns into a failed run (sdk/nodejs/cmd/run/run.ts); here it is the run's error,
  // and what depends on the failed resource waits forever, so the run stops waiting.
  let fail: (reason: Error) => void = () => undefined;
  const failed = new Promise<{ failure: Error }>((resolve) => (fail = (failure) => resolve({ failure })));
  const vitestListeners = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', (reason) => fail(reason as Error));
  let outputs: Record<string, any> = {};
  let error: Error | undefined;
  // the SDK takes a stack trace for every promise and resource it creates, and under Vitest each
  // trace is source-mapped frame by frame: about half of a run's CPU time. The run needs none.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const finished = (async () => {
      // the program runs when stacks/index.ts is evaluated: a query string never used before
      // evaluates it again, while the modules it imports stay loaded.
      const entry = `${PROGRAM}?run=${process.hrtime.bigint()}`;
      const program = await import(entry);
      outputs = await resolveOutputs((program as any).default ?? program);
      // the mock monitor registers asynchronously; disconnect waits for the queue to drain, so
      // nothing of this run reaches the next run's mocks.
      await pulumi.runtime.disconnect();
      return {};
    })();
    const result = await Promise.race([finished, failed]);
    if ('failure' in result) {
      error = result.failure;
      pulumi.runtime.disconnectSync();
    }
  } catch (e) {
    error = e as Error;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    process.removeAllListeners('unhandledRejection');
    for (const listener of vitestListeners) process.on('unhandledRejection', listener);
    spies.forEach((spy) => spy.mockRestore());
  }
  return { registered, outputs, logs, error };
}

/** Wraps the mock monitor's registerResource and readResource to record every request's options. */
function recordRegistrations(registered: Registered[]): void {
  const monitor = pulumi.runtime.getMonitor() as any;
  const wrap = (method: 'registerResource' | 'readResource', describe: (req: any) => Omit<Registered, 'urn'>) => {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req: any, callback: (err: unknown, resp: any) => void) =>
      original(req, (err: unknown, resp: any) => {
        if (!err) registered.push({ ...describe(req), urn: resp.getUrn() });
        callback(err, resp);
      });
  };
  const timeouts = (req: any) => {
    const t = req.getCustomtimeouts?.();
    return t && (t.getCreate() || t.getUpdate() || t.getDelete()) ? { create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() } : undefined;
  };
  wrap('registerResource', (req) => ({
    type: req.getType(),
    name: req.getName(),
    inputs: pulumi.runtime.deserializeProperties(req.getObject()),
    custom: req.getCustom(),
    retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
    protect: req.getProtect(),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    replaceOnChanges: req.getReplaceonchangesList(),
    customTimeouts: timeouts(req),
    dependencies: req.getDependenciesList(),
    parent: req.getParent(),
  }));
  wrap('readResource', (req) => ({
    type: req.getType(),
    name: req.getName(),
    inputs: {},
    readId: req.getId(),
    custom: true,
    protect: false,
    deleteBeforeReplace: false,
    replaceOnChanges: [],
    dependencies: req.getDependenciesList(),
    parent: req.getParent(),
  }));
}

/**
 * Runs `run` with the catalog's Istio ingress gateway turned on (`platform.istio.ingressGateway.enabled`),
 * which the loader refuses in a catalog file: the program's modules are loaded afresh around a
 * mocked loader, and again afterwards.
 */
export async function withIngressGateway<T>(run: () => Promise<T>): Promise<T> {
  vi.doMock('../../catalog/load', async (importOriginal) => {
    const original = await importOriginal<typeof import('../../catalog/load')>();
    return { ...original, loadCatalog: (...args: Parameters<typeof original.loadCatalog>) => ingressGatewayOn(original.loadCatalog(...args)) };
  });
  vi.resetModules();
  try {
    return await run();
  } finally {
    vi.doUnmock('../../catalog/load');
    vi.resetModules();
  }
}

/** The catalog with `platform.istio.ingressGateway.enabled: true`. */
export function ingressGatewayOn(catalog: Catalog): Catalog {
  const { platform } = catalog.document;
  const istio = { version: '1.30.1', ...platform.istio, ingressGateway: { ...platform.istio?.ingressGateway, enabled: true } };
  return { ...catalog, document: { ...catalog.document, platform: { ...platform, istio } } };
}

/** A config `secrets` object with a distinct value for every Secret key the environment references. */
export function secretConfigFor(environment: EnvironmentName): Record<string, Record<string, string>> {
  const secrets: Record<string, Record<string, string>> = {};
  for (const ref of referencedSecrets(objectsOf(environment).map((o) => o.object as KubernetesObject))) {
    for (const key of ref.keys) (secrets[ref.name] ??= {})[key] = `s3cr3t-${ref.name}-${key}`;
  }
  return secrets;
}

async function resolveOutputs(value: unknown): Promise<any> {
  if (pulumi.Output.isInstance(value)) return resolveOutputs(await (value as any).promise());
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveOutputs(v)])));
  }
  return value;
}
