import Ajv from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { catalogJsonSchema } from '../../catalog/json-schema';

describe('catalog/platform.schema.json', () => {
  it('is what `npm run schema` generates from catalog/schema.ts (run it when this fails)', () => {
    expect(readFileSync('catalog/platform.schema.json', 'utf8')).toBe(catalogJsonSchema());
  });

  it('is referenced from the first line of the catalog, so editors validate it', () => {
    expect(readFileSync('catalog/platform.yaml', 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./platform.schema.json');
  });

  it('accepts the real catalog and rejects a typo, as an editor would', () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(catalogJsonSchema()));
    const catalog = parse(readFileSync('catalog/platform.yaml', 'utf8'));
    expect(validate(catalog), JSON.stringify(validate.errors)).toBe(true);
    catalog.services[0].autoscalling = {};
    expect(validate(catalog)).toBe(false);
  });
});
