import { z } from 'zod';
import { catalogSchema } from './schema';

/** The catalog's JSON Schema as committed in `platform.schema.json` (editors validate against it). */
export function catalogJsonSchema(): string {
  const schema = z.toJSONSchema(catalogSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Suoke platform catalog', $comment: 'generated from catalog/schema.ts by `npm run schema`; do not edit' }, null, 2)}\n`;
}
