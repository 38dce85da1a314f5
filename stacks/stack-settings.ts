import * as pulumi from '@pulumi/pulumi';
import { CATALOG_FILE, ENVIRONMENTS, type EnvironmentName } from '../catalog';
import { DEFAULT_OUT_DIR } from '../synth/synth-command';

/** The stack that owns what exists once per cluster: `cluster`, or `cluster-<name>` for several clusters. */
export const CLUSTER_STACK = /^cluster(-[a-z0-9-]+)?$/;

/** Settings every stack reads (`Pulumi.<stack>.yaml` and `pulumi config set`). */
export interface CommonSettings {
  /** @default - the provider's ambient kubeconfig ($KUBECONFIG or ~/.kube/config) */
  readonly kubeconfig?: string;
  /** @default - the kubeconfig's current context */
  readonly context?: string;
  /**
   * Render the objects as YAML into this folder instead of applying them (Secrets in plain text!).
   * @default - apply to the cluster
   */
  readonly renderYamlToDirectory?: string;
  /** @default "catalog/platform.yaml" (the same default as `npm run synth -- --catalog`) */
  readonly catalog: string;
  /** The reviewed output the objects must equal. @default "dist" (the same default as `npm run synth -- --out`) */
  readonly dist: string;
  /**
   * Deploy even when the objects built differ from the committed `dist/` (they are listed as a warning).
   * @default false
   */
  readonly allowUnreviewed: boolean;
  /**
   * Take over objects that already exist in the cluster (created by kubectl or a GitOps tool)
   * instead of failing with AlreadyExists; turn off again after the adopting `pulumi up`.
   * @default false
   */
  readonly adoptExistingObjects: boolean;
}

/** An environment stack (`dev`, `staging`, `prod`): owns only its namespaces and what is in them. */
export interface StackSettings extends CommonSettings {
  readonly kind: 'environment';
  /** The environment this stack deploys: the stack's name. */
  readonly environment: EnvironmentName;
  /**
   * Secrets that already exist in the cluster (created by another system), as `<namespace>/<name>`;
   * the stack references them and does not create them.
   * @default []
   */
  readonly existingSecrets: readonly string[];
  /** Names of the secret values configured, `<secret>.<key>`, for the missing-secret check. */
  readonly configuredSecretKeys: ReadonlySet<string>;
  /** The configured secret values, kept secret: `{ <secret>: { <key>: value } }`. */
  readonly secretValues: pulumi.Output<Record<string, Record<string, string>>>;
}

/** The cluster stack (`cluster`): Istio and the mesh-wide objects, once per cluster. */
export interface ClusterSettings extends CommonSettings {
  readonly kind: 'cluster';
  /** The environment whose mesh settings (Istio values, mesh-wide policy) the cluster runs. */
  readonly meshEnvironment: EnvironmentName;
  /**
   * Install Istio (base, cni, istiod, gateway Helm charts) with values from the catalog; turn off
   * where Istio is managed elsewhere.
   * @default true
   */
  readonly installIstio: boolean;
}

/** Reads the current stack's settings; the stack name must be an environment of the catalog or `cluster`. */
export function readStackSettings(config = new pulumi.Config()): StackSettings | ClusterSettings {
  const stack = pulumi.getStack();
  const common: CommonSettings = {
    kubeconfig: config.get('kubeconfig'),
    context: config.get('context'),
    renderYamlToDirectory: config.get('renderYamlToDirectory'),
    catalog: config.get('catalog') ?? CATALOG_FILE,
    dist: config.get('dist') ?? DEFAULT_OUT_DIR,
    allowUnreviewed: config.getBoolean('allowUnreviewed') ?? false,
    adoptExistingObjects: config.getBoolean('adoptExistingObjects') ?? false,
  };
  if (CLUSTER_STACK.test(stack)) {
    const meshEnvironment = config.require('meshEnvironment');
    if (!isEnvironment(meshEnvironment)) {
      throw new pulumi.RunError(`meshEnvironment "${meshEnvironment}" is not an environment of the catalog; use one of ${ENVIRONMENTS.join(', ')} (pulumi config set meshEnvironment prod)`);
    }
    return { ...common, kind: 'cluster', meshEnvironment, installIstio: config.getBoolean('installIstio') ?? true };
  }
  if (!isEnvironment(stack)) {
    throw new pulumi.RunError(`stack "${stack}" is not an environment of the catalog; use one of ${ENVIRONMENTS.join(', ')} (pulumi stack select prod), or cluster for what each cluster holds once`);
  }
  // the structure (which secrets and keys are set) is not secret; the values stay in secretValues.
  const structure = config.getObject<Record<string, Record<string, unknown>>>('secrets') ?? {};
  return {
    ...common,
    kind: 'environment',
    environment: stack,
    existingSecrets: config.getObject<string[]>('existingSecrets') ?? [],
    configuredSecretKeys: new Set(Object.entries(structure).flatMap(([name, keys]) => Object.keys(keys ?? {}).map((key) => `${name}.${key}`))),
    secretValues: config.getSecretObject<Record<string, Record<string, string>>>('secrets') ?? pulumi.secret<Record<string, Record<string, string>>>({}),
  };
}

function isEnvironment(name: string): name is EnvironmentName {
  return (ENVIRONMENTS as readonly string[]).includes(name);
}
