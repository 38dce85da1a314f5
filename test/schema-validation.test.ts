import { describe as suite, expect, it } from 'vitest';
import { allObjects, describe } from './support/platform';
import { schemaValidator } from './support/schema-validator';

suite('every synthesized object validates against its schema', () => {
  const validator = schemaValidator();
  const objects = allObjects();

  it('covers every object of every environment', () => {
    expect(new Set(objects.map((o) => o.environment))).toEqual(new Set(['dev', 'staging', 'prod']));
    expect(objects.length).toBeGreaterThan(200);
  });

  it('has no schema errors (Kubernetes 1.33 OpenAPI, unknown fields rejected)', () => {
    const failures = objects.flatMap((o) => validator.validate(o.object).map((e) => `${describe(o)}: ${e}`));
    expect(failures).toEqual([]);
  });

  it('rejects an unknown field and a wrong type, so the check can fail', () => {
    const deployment = objects.find((o) => o.object.kind === 'Deployment')!.object;
    const typo = { ...deployment, spec: { ...deployment.spec, replica: 3 } };
    expect(validator.validate(typo)).toEqual(['/spec must NOT have additional properties: replica']);
    const wrongType = { ...deployment, spec: { ...deployment.spec, replicas: 'three' } };
    expect(validator.validate(wrongType)).toContain('/spec/replicas must be integer');
  });

  it('validates Istio kinds against their upstream CRD schema (test/schemas/crds/security.istio.io)', () => {
    const policy = objects.find((o) => o.object.kind === 'AuthorizationPolicy' && o.object.spec.rules)!.object;
    expect(validator.validate({ ...policy, spec: { ...policy.spec, rule: [] } })).toEqual(['/spec must NOT have additional properties: rule']);
    const mtls = objects.find((o) => o.object.kind === 'PeerAuthentication')!.object;
    expect(validator.validate({ ...mtls, spec: { mtls: { mode: 'STRICTER' } } })).not.toEqual([]);
  });

  it('validates cert-manager Certificates against their CRD schema (test/schemas/crds/cert-manager.io)', () => {
    const certificates = objects.filter((o) => o.object.kind === 'Certificate');
    expect(certificates.map((o) => o.object.apiVersion)).toEqual(['cert-manager.io/v1', 'cert-manager.io/v1', 'cert-manager.io/v1']);
    const certificate = certificates[0].object;
    expect(validator.validate({ ...certificate, spec: { ...certificate.spec, issuer: 'x' } })).toEqual(['/spec must NOT have additional properties: issuer']);
    expect(validator.validate({ ...certificate, spec: { ...certificate.spec, privateKey: { algorithm: 'DSA' } } })).not.toEqual([]);
  });

  it('validates DestinationRules and VirtualServices against their upstream CRD schema (test/schemas/crds/networking.istio.io)', () => {
    const rule = objects.find((o) => o.object.kind === 'DestinationRule')!.object;
    expect(validator.validate(rule)).toEqual([]);
    expect(validator.validate({ ...rule, spec: { ...rule.spec, trafficPolicy: { ...rule.spec.trafficPolicy, outlierDetection: { consecutive5xxErrors: 'five' } } } })).toContain(
      '/spec/trafficPolicy/outlierDetection/consecutive5xxErrors must be integer',
    );
    expect(validator.validate({ ...rule, spec: { ...rule.spec, trafficPolicy: { tls: { mode: 'STRICT' } } } })).toContain('/spec/trafficPolicy/tls/mode must be equal to one of the allowed values');
    const routes = objects.find((o) => o.object.kind === 'VirtualService')!.object;
    expect(validator.validate(routes)).toEqual([]);
    const [first] = routes.spec.http;
    expect(validator.validate({ ...routes, spec: { ...routes.spec, http: [{ ...first, retries: { ...first.retries, attempt: 2 } }] } })).toEqual([
      '/spec/http/0/retries must NOT have additional properties: attempt',
    ]);
  });

  it('reports a kind it has no schema for instead of passing it', () => {
    expect(validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual([
      'no schema for example.com/v1/Widget: add its CRD schema under test/schemas/crds/ or list it in KINDS_WITHOUT_SCHEMA',
    ]);
  });
});
