import { k8s } from '../common/k8s';
import { Construct } from 'constructs';

export interface ConfigFilesProps {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** File name to content, as mounted. */
  readonly files: Readonly<Record<string, string>>;
  /** Where the files appear in the container, read-only. */
  readonly mountPath: string;
  /** @default "config" */
  readonly volumeName?: string;
  /**
   * Only these files in the volume, each at its own path under `mountPath` (a tree the ConfigMap's
   * flat keys cannot hold, or a file another volume of the same ConfigMap carries elsewhere).
   * @default - every file, under its own name
   */
  readonly items?: readonly k8s.KeyToPath[];
}

/**
 * Files a container reads at start, as a ConfigMap with the volume and read-only mount that carry
 * it into the pod. Pass `files` to the pod template's `configChecksumOf`, so a change rolls the pods.
 */
export class ConfigFiles extends Construct {
  public static readonly sourceFile = __filename;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly files: Readonly<Record<string, string>>;
  public readonly volume: k8s.Volume;
  public readonly mount: k8s.VolumeMount;

  constructor(scope: Construct, id: string, props: ConfigFilesProps) {
    super(scope, id);
    const volumeName = props.volumeName ?? 'config';
    this.files = props.files;
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', { metadata: props.metadata, data: { ...props.files } });
    this.volume = { name: volumeName, configMap: { name: this.configMap.name, ...(props.items ? { items: [...props.items] } : {}) } };
    this.mount = { name: volumeName, mountPath: props.mountPath, readOnly: true };
  }
}
