import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { z } from 'zod';
import { CatalogError, didYouMean, type Problem } from './diagnostics';
import { rules } from './rules';
import { catalogSchema, type CatalogDocument } from './schema';
import { CatalogSource, type DocPath } from './source';

/** The default catalog, relative to the project root. */
export const CATALOG_FILE = 'catalog/platform.yaml';

/** A catalog that passed every check; deeply frozen, so nothing downstream can change it. */
export interface Catalog {
  /** The file it was read from, as shown in messages. */
  readonly file: string;
  readonly document: CatalogDocument;
}

/**
 * Reads and checks a catalog file. Throws a {@link CatalogError} listing every problem, each with
 * file, line, column, document path, what is wrong and how to fix it.
 */
export function loadCatalog(path: string = CATALOG_FILE): Catalog {
  const file = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogError([{ file, line: 1, column: 1, path: '', message: `cannot read the catalog: ${(error as Error).message}` }]);
  }
  return parseCatalog(text, file);
}

/** Checks catalog text; `file` is only used in messages. */
export function parseCatalog(text: string, file: string): Catalog {
  const source = new CatalogSource(file, text);
  // the first syntax error is the real one; the parser's later complaints are its consequences.
  if (source.syntaxProblems.length > 0) throw new CatalogError(source.syntaxProblems.slice(0, 1));

  const parsed = catalogSchema.safeParse(source.data);
  const structural = parsed.success ? [] : parsed.error.issues.flatMap((issue) => describeIssue(source, issue));
  // cross-reference rules also run on a document with structural problems, so one run reports
  // everything; a rule that trips over a malformed part is skipped, and findings inside a part
  // already reported are dropped rather than reported twice.
  const document = (parsed.success ? parsed.data : source.data) as CatalogDocument;
  const reported = structural.map((p) => p.path);
  const crossReference = rules
    .flatMap((rule) => {
      try {
        return rule.check(document);
      } catch (error) {
        if (parsed.success) throw error;
        return [];
      }
    })
    .map((finding) => source.problem(finding.path, finding.message))
    .filter((problem) => !reported.some((path) => overlaps(path, problem.path)));
  const problems = [...structural, ...crossReference];
  if (!parsed.success || problems.length > 0) throw new CatalogError(sortProblems(problems));
  return { file, document: deepFreeze(parsed.data) };
}

function describeIssue(source: CatalogSource, issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path as DocPath;
  const value = valueAt(source.data, path);
  if (value === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
    return [source.problem(path, `missing required field "${String(path[path.length - 1])}"; add it`)];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(path);
      return issue.keys.map((key) =>
        source.problem([...path, key], `unknown field "${key}"${didYouMean(key, known) || `; allowed here: ${known.join(', ')}`}`),
      );
    }
    case 'invalid_type':
      // a fraction where a whole number belongs: the schema's own message carries the hint, if any.
      if (issue.expected === 'int' && typeof value === 'number') {
        return [source.problem(path, issue.message.startsWith('Invalid input') ? `expected a whole number, got ${show(value)}` : `${issue.message} (got ${show(value)})`)];
      }
      return [source.problem(path, `expected ${article(issue.expected)}, got ${show(value)}`)];
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      return [source.problem(path, `${show(value)} is not allowed${didYouMean(String(value), allowed) || `; use one of ${allowed.join(', ')}`}`)];
    }
    case 'invalid_key':
      return [source.problem(path, `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`)];
    default:
      return [source.problem(path, `${issue.message}${value !== undefined && typeof value !== 'object' ? ` (got ${show(value)})` : ''}`)];
  }
}

/** Field names the schema allows for the object at `path`, for "did you mean" hints. */
function knownKeys(path: DocPath): string[] {
  let schema: z.core.$ZodType = catalogSchema;
  const unwrap = () => {
    while (['optional', 'default', 'nullable'].includes(schema._zod.def.type)) {
      schema = (schema._zod.def as unknown as { innerType: z.core.$ZodType }).innerType;
    }
  };
  for (const key of path) {
    unwrap();
    const def = schema._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    const next = def.type === 'object' ? def.shape?.[String(key)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    if (!next) return [];
    schema = next;
  }
  unwrap();
  const def = schema._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function valueAt(data: unknown, path: DocPath): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), data);
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function article(type: string): string {
  const noun = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** True when one document path is the other or lies inside it (`a.b` and `a.b[0].c`). */
function overlaps(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
