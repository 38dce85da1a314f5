import * as pulumi from '@pulumi/pulumi';
import { vi } from 'vitest';
import { loadCatalog, resolve, type Catalog, type EnvironmentName } from '../../catalog';
import { buildPlatformApp } from '../../charts/app';
import { renderEnvironment } from '../../charts/render';
import { referencedSecrets } from '../../stacks/referenced-secrets';
import type { KubernetesObject } from '../../stacks/kubernetes-resource';

/** One resource the program registered with the (mocked) engine. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

export interface ProgramRun {
  readonly registered: readonly Registered[];
  readonly outputs: Record<string, any>;
}

const PROJECT = 'suoke-platform';

/**
 * Runs the real Pulumi program (stacks/index.ts) for one stack against Pulumi's mocks: mocks and
 * config are set and awaited first, then the program is imported, then every registration drains.
 */
export async function runProgram(stack: string, config: Record<string, unknown>, secretKeys: readonly string[] = ['secrets']): Promise<ProgramRun> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
    true,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, typeof value === 'string' ? value : JSON.stringify(value)])),
    secretKeys.map((key) => `${PROJECT}:${key}`),
  );
  vi.resetModules();
  try {
    const program = await import('../../stacks/index');
    const outputs = await resolveOutputs((program as any).default ?? program);
    return { registered, outputs };
  } finally {
    // the mock monitor registers asynchronously; disconnect waits for the queue to drain, so
    // nothing of this run reaches the next run's mocks.
    await pulumi.runtime.disconnect();
  }
}

/**
 * Runs `run` with the catalog's Istio ingress gateway turned on (`platform.istio.ingressGateway.enabled`),
 * for the program and anything `run` imports afresh (runProgram resets modules).
 */
export async function withIngressGateway<T>(run: () => Promise<T>): Promise<T> {
  vi.doMock('../../catalog/load', async (importOriginal) => {
    const original = await importOriginal<typeof import('../../catalog/load')>();
    return { ...original, loadCatalog: (...args: Parameters<typeof original.loadCatalog>) => ingressGatewayOn(original.loadCatalog(...args)) };
  });
  try {
    return await run();
  } finally {
    vi.doUnmock('../../catalog/load');
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
  for (const ref of referencedSecrets(appliedObjects(environment))) {
    for (const key of ref.keys) (secrets[ref.name] ??= {})[key] = `s3cr3t-${ref.name}-${key}`;
  }
  return secrets;
}

/** The objects of `dist/<env>/` that are meant to be applied (every chart but the istioctl input). */
export function appliedObjects(environment: EnvironmentName): KubernetesObject[] {
  const platform = buildPlatformApp(resolve(loadCatalog(), environment));
  const applied = new Set(platform.charts.filter((c) => c.applied).map((c) => c.node.id));
  return renderEnvironment(environment, platform)
    .filter((file) => applied.has(file.path.split('/')[1]))
    .flatMap((file) => file.objects as KubernetesObject[]);
}

async function resolveOutputs(value: unknown): Promise<any> {
  if (pulumi.Output.isInstance(value)) return resolveOutputs(await (value as any).promise());
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutputs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveOutputs(v)])));
  }
  return value;
}
