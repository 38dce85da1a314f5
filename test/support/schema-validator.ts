import Ajv, { type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMAS = join(__dirname, '..', 'schemas');
const K8S_DEFINITIONS = join(SCHEMAS, 'k8s', '_definitions.v1.33.0.json');
const OBJECT_META = 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * Kinds no schema exists for; their components' tests assert every field they emit instead.
 * IstioOperator: its CRD is `x-kubernetes-preserve-unknown-fields` (shared/schemas/README.md).
 */
export const KINDS_WITHOUT_SCHEMA: ReadonlySet<string> = new Set(['install.istio.io/v1alpha1/IstioOperator']);

let shared: SchemaValidator | undefined;

/** One validator for every test file of a worker: compiling the schemas is most of the cost of validating. */
export function schemaValidator(): SchemaValidator {
  shared ??= new SchemaValidator();
  return shared;
}

/** Validates objects against the Kubernetes 1.33 OpenAPI schema or their CRD's schema, strictly. */
export class SchemaValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  private readonly builtIn = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction | undefined>();

  constructor() {
    const definitions = JSON.parse(readFileSync(K8S_DEFINITIONS, 'utf8'));
    strictify(definitions);
    this.ajv.addSchema(definitions, 'k8s');
    for (const [id, definition] of Object.entries<any>(definitions.definitions)) {
      for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
        this.builtIn.set(gvkKey(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind), id);
      }
    }
  }

  /** Error messages for one object; empty when it is valid. */
  validate(object: Record<string, any>): string[] {
    const key = gvkKey(object.apiVersion, object.kind);
    if (KINDS_WITHOUT_SCHEMA.has(key)) return [];
    const validate = this.validator(key);
    if (!validate) return [`no schema for ${key}: add its CRD schema under test/schemas/crds/ or list it in KINDS_WITHOUT_SCHEMA`];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`);
  }

  private validator(key: string): ValidateFunction | undefined {
    if (!this.compiled.has(key)) {
      const builtIn = this.builtIn.get(key);
      this.compiled.set(key, builtIn ? this.ajv.getSchema(`k8s#/definitions/${builtIn}`) : this.customResource(key));
    }
    return this.compiled.get(key);
  }

  /** A CRD schema from test/schemas/crds/<group>/<kind>_<version>.json, in the object envelope. */
  private customResource(key: string): ValidateFunction | undefined {
    const [group, version, kind] = key.split('/');
    const file = join(SCHEMAS, 'crds', group, `${kind.toLowerCase()}_${version}.json`);
    if (!existsSync(file)) return undefined;
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    strictify(schema);
    return this.ajv.compile({
      allOf: [
        {
          type: 'object',
          required: ['apiVersion', 'kind', 'metadata'],
          properties: { apiVersion: { const: `${group}/${version}` }, kind: { const: kind }, metadata: { $ref: OBJECT_META } },
        },
        { ...schema, properties: { ...schema.properties, apiVersion: {}, kind: {}, metadata: {} } },
      ],
    });
  }
}

/**
 * CRD patterns are Go regular expressions; the prometheus-operator ones open with the inline
 * case-insensitive flag `(?i)` (after `^`), which JavaScript lacks: turn it into the `i` flag.
 */
function goRegExp(pattern: string, flags?: string): RegExp {
  return pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags ?? ''}i`) : new RegExp(pattern, flags);
}
goRegExp.code = 'goRegExp';

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** Rejects unknown fields: `additionalProperties: false` wherever an object lists its properties. */
function strictify(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(strictify);
  } else if (node && typeof node === 'object') {
    const schema = node as Record<string, unknown>;
    if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
      schema.additionalProperties = false;
    }
    Object.values(schema).forEach(strictify);
  }
}
