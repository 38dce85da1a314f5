import { ApiObject } from 'cdk8s';
import type { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { spreadAcrossNodesAndZones } from '../common/pod-hardening';

export interface CanaryDeploymentProps {
  /** The stable track's Deployment; the canary is the same pod with another image. */
  readonly stable: k8s.KubeDeployment;
  /** Fully qualified, pinned image reference of the canary. */
  readonly image: string;
  /** The canary's image tag (`app.kubernetes.io/version`). */
  readonly version: string;
  /**
   * The canary pods' `app.kubernetes.io/instance`; it must differ from the stable pods', so that
   * the stable Deployment's selector (immutable) never matches a canary pod.
   */
  readonly instance: string;
  /** @default 1 */
  readonly replicas?: number;
}

const INSTANCE = 'app.kubernetes.io/instance';

/** The canary Deployment of a service: `<name>-canary`. */
export function canaryName(name: string): string {
  return `${name}-canary`;
}
const VERSION = 'app.kubernetes.io/version';

/**
 * A second Deployment of a service, `<name>-canary`: the stable pod template (ServiceAccount, config,
 * probes, hardening) with the canary's image, version and instance labels, at a fixed replica count.
 * Its pods keep `app.kubernetes.io/name`, so the service's Service, AuthorizationPolicy and
 * NetworkPolicies (which select by name) cover both tracks, and the DestinationRule's subsets tell
 * them apart by instance. Its selector and the stable one never overlap.
 */
export class CanaryDeployment extends Construct {
  public static readonly sourceFile = __filename;
  public readonly replicas: number;
  public readonly selector: Record<string, string>;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CanaryDeploymentProps) {
    super(scope, id);
    this.replicas = props.replicas ?? 1;
    const stable = props.stable.toJson();
    const stableSelector: Record<string, string> = stable.spec.selector.matchLabels;
    if (stableSelector[INSTANCE] === undefined || stableSelector[INSTANCE] === props.instance) {
      throw new Error(`canary of ${stable.metadata.name}: instance "${props.instance}" must differ from the stable selector's ${INSTANCE} ("${stableSelector[INSTANCE]}"), or the stable Deployment would select the canary's pods`);
    }
    this.selector = { ...stableSelector, [INSTANCE]: props.instance };
    const relabel = (labels: Record<string, string>) => ({ ...labels, [INSTANCE]: props.instance, [VERSION]: props.version });
    const template = stable.spec.template;
    const name = canaryName(stable.metadata.name);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: stable.apiVersion,
      kind: stable.kind,
      metadata: { ...stable.metadata, name, labels: relabel(stable.metadata.labels) },
      spec: {
        ...stable.spec,
        replicas: this.replicas,
        selector: { matchLabels: this.selector },
        template: {
          metadata: { ...template.metadata, labels: relabel(template.metadata.labels) },
          spec: {
            ...template.spec,
            topologySpreadConstraints: spreadAcrossNodesAndZones(this.selector),
            containers: template.spec.containers.map((c: Record<string, any>, i: number) =>
              i === 0
                ? {
                    ...c,
                    image: props.image,
                    env: (c.env ?? []).map((e: { name: string; value?: string }) =>
                      e.name === 'OTEL_RESOURCE_ATTRIBUTES' && e.value ? { ...e, value: e.value.replace(/service\.version=[^,]*/, `service.version=${props.version}`) } : e,
                    ),
                  }
                : c,
            ),
          },
        },
      },
    });
  }
}
