/**
 * The one import seam for the typed Kubernetes L1 bindings (`KubeDeployment`, `Quantity`, …).
 * Every construct imports `k8s` from here, so moving to newer bindings (a newer cdk8s-plus, or
 * `cdk8s import k8s@<version>` output) is a change to this line alone.
 */
export { k8s } from 'cdk8s-plus-28';
