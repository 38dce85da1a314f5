import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { resourceNameOf } from './kubernetes-resource';
import type { SecretReference } from './referenced-secrets';

export interface PlatformSecretsArgs {
  /** Every Secret the synthesized objects read. */
  readonly references: readonly SecretReference[];
  /** Secrets managed outside this stack, as `<namespace>/<name>`: referenced, not created. */
  readonly existing: readonly string[];
  /** `<secret>.<key>` of every configured value. */
  readonly configuredKeys: ReadonlySet<string>;
  /** The configured values, secret. */
  readonly values: pulumi.Output<Record<string, Record<string, string>>>;
  readonly labels: Record<string, string>;
}

/** The `pulumi config set` command that provides one secret value. */
export function configCommand(secret: string, key: string): string {
  return `pulumi config set --secret --path 'secrets.${secret}.${key}' '<value>'`;
}

/** `<namespace>/<name>` of a referenced Secret: how `existingSecrets` names it. */
export function secretIdOf(ref: SecretReference): string {
  return `${ref.namespace}/${ref.name}`;
}

/**
 * Fails the run when an `existingSecrets` entry is not `<namespace>/<name>` of a Secret the objects
 * read: a bare name would match the Secret in every namespace, and a Secret in one namespace
 * managed elsewhere says nothing about its namesake in another.
 */
export function assertExistingSecrets(references: readonly SecretReference[], existing: readonly string[]): void {
  const referenced = references.map(secretIdOf);
  const problems = existing.flatMap((entry, i) => {
    if (referenced.includes(entry)) return [];
    const sameName = referenced.filter((id) => id.endsWith(`/${entry.split('/').pop()}`));
    const allowed = sameName.length ? sameName.join(', ') : referenced.join(', ');
    return [
      entry.includes('/')
        ? `existingSecrets[${i}] "${entry}" is no Secret the objects read; use one of: ${allowed}`
        : `existingSecrets[${i}] "${entry}" must be <namespace>/<name>; use one of: ${allowed}`,
    ];
  });
  if (problems.length) throw new pulumi.RunError(problems.join('\n'));
}

/**
 * Fails the run, before anything is registered, when a referenced Secret has no configured value,
 * listing the `pulumi config set` command for each missing one.
 */
export function assertSecretValuesConfigured(references: readonly SecretReference[], existing: readonly string[], configuredKeys: ReadonlySet<string>): void {
  const missing = references
    .filter((ref) => !existing.includes(secretIdOf(ref)))
    .flatMap((ref) =>
      // a whole-Secret reference (envFrom, a volume without items) needs at least one configured key.
      ref.keys.length === 0
        ? [...configuredKeys].some((k) => k.startsWith(`${ref.name}.`)) ? [] : [{ ref, key: '<key>' }]
        : ref.keys.filter((key) => !configuredKeys.has(`${ref.name}.${key}`)).map((key) => ({ ref, key })),
    );
  if (missing.length === 0) return;
  const commands = [...new Set(missing.map(({ ref, key }) => configCommand(ref.name, key)))];
  throw new pulumi.RunError(
    `missing secret values (${missing.map(({ ref, key }) => `${ref.namespace}/${ref.name}.${key}`).join(', ')}); set them with:\n  ${commands.join('\n  ')}\nor declare Secrets managed elsewhere: pulumi config set --path 'existingSecrets[0]' <namespace>/<name>`,
  );
}

/**
 * Creates every Secret the platform's objects reference, from Pulumi config secrets, in each
 * namespace that reads it. Values never leave secret Outputs.
 */
export class PlatformSecrets extends pulumi.ComponentResource {
  public readonly secrets: readonly k8s.core.v1.Secret[];

  constructor(name: string, args: PlatformSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('suoke:platform:Secrets', name, {}, opts);
    assertExistingSecrets(args.references, args.existing);
    assertSecretValuesConfigured(args.references, args.existing, args.configuredKeys);
    const wanted = args.references.filter((ref) => !args.existing.includes(secretIdOf(ref)));
    this.secrets = wanted.map((ref) => {
      const object = { kind: 'Secret', metadata: { name: ref.name, namespace: ref.namespace } } as const;
      return new k8s.core.v1.Secret(
        resourceNameOf({ apiVersion: 'v1', ...object }),
        {
          metadata: { ...object.metadata, labels: args.labels },
          type: 'Opaque',
          stringData: pulumi.secret(
            args.values.apply((all) => Object.fromEntries((ref.keys.length ? ref.keys : Object.keys(all[ref.name]).sort()).map((key) => [key, all[ref.name][key]]))),
          ),
        },
        // like ChartResources: the component's dependsOn (namespaces, prerequisites) on every Secret.
        { parent: this, dependsOn: opts?.dependsOn },
      );
    });
    this.registerOutputs({ count: this.secrets.length });
  }
}
