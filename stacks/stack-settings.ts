import * as pulumi from '@pulumi/pulumi';
import { ENVIRONMENTS, type EnvironmentName } from '../catalog';

/** What one stack is configured with (`Pulumi.<env>.yaml` and `pulumi config set`). */
export interface StackSettings {
  /** The environment this stack deploys: the stack's name (`dev`, `staging`, `prod`). */
  readonly environment: EnvironmentName;
  /** @default - the provider's ambient kubeconfig ($KUBECONFIG or ~/.kube/config) */
  readonly kubeconfig?: string;
  /** @default - the kubeconfig's current context */
  readonly context?: string;
  /**
   * Render the objects as YAML into this folder instead of applying them (Secrets in plain text!).
   * @default - apply to the cluster
   */
  readonly renderYamlToDirectory?: string;
  /**
   * Install Istio (base, istiod, gateway Helm charts) with values from the catalog; turn off where
   * Istio is managed elsewhere.
   * @default true
   */
  readonly installIstio: boolean;
  /**
   * Secrets that already exist in the cluster (created by another system); the stack references
   * them and does not create them.
   * @default []
   */
  readonly existingSecrets: readonly string[];
  /** Names of the secret values configured, `<secret>.<key>`, for the missing-secret check. */
  readonly configuredSecretKeys: ReadonlySet<string>;
  /** The configured secret values, kept secret: `{ <secret>: { <key>: value } }`. */
  readonly secretValues: pulumi.Output<Record<string, Record<string, string>>>;
}

/** Reads the current stack's settings; the stack name must be an environment of the catalog. */
export function readStackSettings(config = new pulumi.Config()): StackSettings {
  const stack = pulumi.getStack();
  if (!(ENVIRONMENTS as readonly string[]).includes(stack)) {
    throw new pulumi.RunError(`stack "${stack}" is not an environment of the catalog; use one of ${ENVIRONMENTS.join(', ')} (pulumi stack select prod)`);
  }
  // the structure (which secrets and keys are set) is not secret; the values stay in secretValues.
  const structure = config.getObject<Record<string, Record<string, unknown>>>('secrets') ?? {};
  return {
    environment: stack as EnvironmentName,
    kubeconfig: config.get('kubeconfig'),
    context: config.get('context'),
    renderYamlToDirectory: config.get('renderYamlToDirectory'),
    installIstio: config.getBoolean('installIstio') ?? true,
    existingSecrets: config.getObject<string[]>('existingSecrets') ?? [],
    configuredSecretKeys: new Set(Object.entries(structure).flatMap(([name, keys]) => Object.keys(keys ?? {}).map((key) => `${name}.${key}`))),
    secretValues: config.getSecretObject<Record<string, Record<string, string>>>('secrets') ?? pulumi.secret<Record<string, Record<string, string>>>({}),
  };
}
