import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogJsonSchema } from './json-schema';

/** `npm run schema`: rewrites catalog/platform.schema.json from the zod schema. */
const target = join(__dirname, 'platform.schema.json');
writeFileSync(target, catalogJsonSchema());
console.log(`wrote ${target}`);
