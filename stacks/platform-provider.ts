import * as k8s from '@pulumi/kubernetes';
import type { CommonSettings } from './stack-settings';

/**
 * The Kubernetes provider every resource of a stack uses. Option names and defaults are those of
 * @pulumi/kubernetes 4.34 (`node_modules/@pulumi/kubernetes/provider.d.ts`):
 * - `enableServerSideApply`: fields another controller owns (an HPA's replica count) are never fought over;
 * - `enableConfigMapMutable`, `enableSecretMutable`: still opt-in ("BETA", disabled by default) in
 *   4.x (pulumi/pulumi-kubernetes#1926, #3164; making them the default is #3179, for v5). Without
 *   them a change to a ConfigMap's or Secret's data deletes and recreates it, and pods starting in
 *   that window fail; with them it is an update in place, and the pods roll through the
 *   `checksum/*` annotations of their templates;
 * - `upsertExistingObjects` (+ `enablePatchForce`): only when adopting, see {@link CommonSettings.adoptExistingObjects}.
 *   Since 4.x a create fails on an object that exists; upsert applies over it instead, and patch
 *   force takes the fields over from the previous field manager (kubectl's client-side apply).
 */
export function platformProvider(settings: CommonSettings): k8s.Provider {
  return new k8s.Provider('kubernetes', {
    kubeconfig: settings.kubeconfig,
    context: settings.context,
    renderYamlToDirectory: settings.renderYamlToDirectory,
    enableServerSideApply: true,
    enableConfigMapMutable: true,
    enableSecretMutable: true,
    ...(settings.adoptExistingObjects ? { upsertExistingObjects: true, enablePatchForce: true } : {}),
  });
}
