import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { constructSource } from '../../../components/common/construct-source';

/** Every module of components/ but the folders' re-exporting index.ts, as repository paths. */
const MODULES = readdirSync('components', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('index.ts'))
  .map((f) => join('components', f).split('\\').join('/'))
  .sort();

describe('every construct class of components/ names its own module', () => {
  it('each exported Construct subclass has its own `sourceFile`, the module that declares it', async () => {
    const found: string[] = [];
    const wrong: string[] = [];
    for (const module of MODULES) {
      const exports: Record<string, unknown> = await import(`../../../${module}`);
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Construct)) continue;
        found.push(name);
        const source = constructSource(value);
        if (source !== module) wrong.push(`${name} in ${module}: sourceFile is ${source ?? 'not set (add `public static readonly sourceFile = __filename;`)'}`);
      }
    }
    expect(found.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('a class without its own `sourceFile` has none, even when its parent has one', () => {
    class Parent extends Construct {
      public static readonly sourceFile = __filename;
    }
    class Child extends Parent {}
    expect(constructSource(Parent)).toBe('test/components/common/construct-source.test.ts');
    expect(constructSource(Child)).toBeUndefined();
    expect(constructSource(Construct)).toBeUndefined();
  });
});
