import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve, type Catalog } from '../../../catalog';
import { buildPlatformApp } from '../../../charts/app';
import { renderEnvironment } from '../../../synth/render';
import { summaryDocument } from '../../../review/documents';
import type { K8sObject } from '../../../review/objects';
import { referencedSecrets } from '../../../stacks/referenced-secrets';

/** The catalog with prod's certificate taken from an existing TLS Secret instead of cert-manager. */
function withExistingSecret(catalog: Catalog, secret: string): Catalog {
  const { environments } = catalog.document;
  return { ...catalog, document: { ...catalog.document, environments: { ...environments, prod: { ...environments.prod, tls: { secret, hstsMaxAge: '8760h' } } } } };
}

function prodObjects(catalog: Catalog): K8sObject[] {
  return renderEnvironment('prod', buildPlatformApp(resolve(catalog, 'prod'))).flatMap((f) => f.objects as K8sObject[]);
}

const kongVolume = (objects: K8sObject[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api-gateway')!.spec.template.spec.volumes.find((v: K8sObject) => v.name === 'tls');

describe('the public certificate, from cert-manager or from an existing Secret', () => {
  it('cert-manager: Kong mounts the Secret the Certificate writes, and the stack does not create it', () => {
    const objects = prodObjects(loadCatalog());
    expect(kongVolume(objects).secret.secretName).toBe('api-gateway-tls');
    expect(objects.filter((o) => o.kind === 'Certificate').map((o) => o.spec.secretName)).toEqual(['api-gateway-tls']);
    expect(referencedSecrets(objects as any).map((s) => `${s.namespace}/${s.name}`)).not.toContain('suoke-life-prod/api-gateway-tls');
  });

  it('existing Secret: no Certificate, Kong mounts it, the stack derives it (tls.crt, tls.key) and SUMMARY.md names it', () => {
    const objects = prodObjects(withExistingSecret(loadCatalog(), 'bought-tls'));
    expect(objects.filter((o) => o.kind === 'Certificate')).toEqual([]);
    expect(kongVolume(objects).secret.secretName).toBe('bought-tls');
    expect(referencedSecrets(objects as any)).toContainEqual({ namespace: 'suoke-life-prod', name: 'bought-tls', keys: ['tls.crt', 'tls.key'] });
    expect(summaryDocument('prod', objects)).toContain('- `Service suoke-life-prod/api-gateway LoadBalancer ports http:80,https:443 TLS: existing Secret suoke-life-prod/bought-tls`');
  });
});
