import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import type { NamespacedObjectProps } from '../common/namespaced-object';

export interface PublicCertificateProps extends NamespacedObjectProps {
  /** The Certificate's name; also what the review tools show as the TLS source. */
  readonly name: string;
  /** The namespace of the workload that mounts the Secret (a Secret is read in its own namespace). */
  readonly namespace: string;
  /** Public DNS names the certificate covers, e.g. `api.suoke.life`. */
  readonly dnsNames: readonly string[];
  /** The Secret cert-manager writes (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly secretName: string;
  /** An Issuer in `namespace` or a ClusterIssuer, created outside this platform (README "TLS at the edge"). */
  readonly issuer: { readonly kind: 'ClusterIssuer' | 'Issuer'; readonly name: string };
}

/** cert-manager's API group (`cert-manager.io/v1`), which `issuerRef.group` names too. */
export const CERT_MANAGER_GROUP = 'cert-manager.io';

/**
 * A cert-manager `Certificate` for the public host: cert-manager obtains it from the issuer the
 * catalog names, keeps it renewed and writes it to `secretName`. Field names are cert-manager's
 * (`deploy/crds/cert-manager.io_certificates.yaml`, copied to test/schemas/crds/cert-manager.io/).
 *
 * @see https://cert-manager.io/docs/usage/certificate/
 */
export class PublicCertificate extends CustomResource {
  public static readonly sourceFile = __filename;
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: PublicCertificateProps) {
    if (props.dnsNames.length === 0) throw new Error(`certificate ${props.name}: dnsNames is empty; list the public host names it must cover`);
    super(scope, id, { apiVersion: `${CERT_MANAGER_GROUP}/v1`, kind: 'Certificate' }, props, {
      secretName: props.secretName,
      dnsNames: [...props.dnsNames],
      issuerRef: { group: CERT_MANAGER_GROUP, kind: props.issuer.kind, name: props.issuer.name },
      // a fresh key at every renewal: a leaked key is useless after the next renewal.
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      // the Secret carries the platform's labels, so it is found and reviewed like its Certificate.
      ...(props.labels ? { secretTemplate: { labels: props.labels } } : {}),
    });
    this.secretName = props.secretName;
  }
}
