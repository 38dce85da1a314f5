import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';

/** How often a probe runs, how long one attempt may take, and how many failures in a row count. */
export interface ProbeTiming {
  readonly period: Duration;
  /** @default Duration.seconds(2) */
  readonly timeout?: Duration;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/**
 * A typed container probe, in the style of cdk8s-plus's `Probe`: an HTTP GET or a TCP connect on
 * a named container port, or a command, with `Duration`s instead of bare seconds. Ports are named
 * so a probe follows its port when the number changes.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class Probe {
  /** `GET <path>` on the named port, plain HTTP (the sidecar rewrites probes under STRICT mTLS). */
  public static http(path: string, port: string, timing: ProbeTiming): Probe {
    return new Probe({ httpGet: { path, port: k8s.IntOrString.fromString(port), scheme: 'HTTP' } }, timing);
  }

  /** A TCP connect to the named port. */
  public static tcp(port: string, timing: ProbeTiming): Probe {
    return new Probe({ tcpSocket: { port: k8s.IntOrString.fromString(port) } }, timing);
  }

  /** A command run in the container; exit status 0 is healthy. */
  public static exec(command: readonly string[], timing: ProbeTiming): Probe {
    return new Probe({ exec: { command: [...command] } }, timing);
  }

  private constructor(
    private readonly action: Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'>,
    private readonly timing: ProbeTiming,
  ) {}

  /** The Kubernetes form. */
  public toKube(): k8s.Probe {
    return {
      ...this.action,
      periodSeconds: this.timing.period.toSeconds(),
      timeoutSeconds: (this.timing.timeout ?? Duration.seconds(2)).toSeconds(),
      failureThreshold: this.timing.failureThreshold ?? 3,
    };
  }
}
