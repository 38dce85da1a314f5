import type { DocPath } from '../source';
import { highEntropyToken } from './entropy';
import { secretlintSync } from './secretlint';

/** One string the catalog holds, with where it is. */
export interface CatalogValue {
  readonly path: DocPath;
  readonly text: string;
}

/** A value that looks like a credential, and why. */
export interface SecretFinding {
  readonly path: DocPath;
  /** What was found, e.g. `a URL with a password (user:password@)`; never the value itself. */
  readonly what: string;
}

/**
 * A URL whose authority carries a password: `scheme://user:password@host`. Any scheme (postgres,
 * mongodb+srv, amqp, redis, https...), any password but an empty one; stricter than secretlint's
 * basic-auth rule, which only knows http(s)/ftp and skips passwords it finds "example-like".
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1 (userinfo)
 */
const CREDENTIAL_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i;

/**
 * A key that names a credential (`password`, `db_password`, `api-key`, `token`, `secret`,
 * `credentials`), for values under `env` or `config`: there even a weak password (`hunter2`) is one.
 */
const CREDENTIAL_KEY = /(^|[_.-])(password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key|credentials?)$/i;

/** Every string (and number, which YAML may have parsed from an unquoted key) under `root`, in document order. */
export function catalogValues(root: unknown, path: DocPath = []): CatalogValue[] {
  if (typeof root === 'string') return [{ path, text: root }];
  if (typeof root === 'number' || typeof root === 'bigint') return [{ path, text: String(root) }];
  if (Array.isArray(root)) return root.flatMap((item, i) => catalogValues(item, [...path, i]));
  if (root !== null && typeof root === 'object') return Object.entries(root).flatMap(([key, value]) => catalogValues(value, [...path, key]));
  return [];
}

/**
 * The values that look like credentials: secretlint's recommended rules, credential-bearing URLs and
 * high-entropy tokens ({@link highEntropyToken}). secretlint reads one text; each value becomes its
 * own block of lines, so a finding's line leads back to the value.
 */
export function findSecrets(values: readonly CatalogValue[]): SecretFinding[] {
  const starts: number[] = [];
  let line = 1;
  const blocks = values.map((v) => {
    starts.push(line);
    line += v.text.split('\n').length;
    return v.text;
  });
  const byValue = new Map<number, string>();
  for (const message of secretlintSync(`${blocks.join('\n')}\n`)) {
    const index = lastIndexAtOrBelow(starts, message.line);
    if (index >= 0 && !byValue.has(index)) byValue.set(index, `${message.messageId} (secretlint ${message.ruleId.replace('@secretlint/secretlint-rule-', '')})`);
  }
  values.forEach((v, i) => {
    if (byValue.has(i)) return;
    if (namesCredential(v.path) && v.text.trim() !== '' && !/^\d+$/.test(v.text)) byValue.set(i, `a value under "${String(v.path[v.path.length - 1])}"`);
    else if (CREDENTIAL_URL.test(v.text)) byValue.set(i, 'a URL with a password (user:password@)');
    else if (highEntropyToken(v.text) !== undefined) byValue.set(i, 'a random-looking token (high entropy)');
  });
  return [...byValue].sort(([a], [b]) => a - b).map(([i, what]) => ({ path: values[i].path, what }));
}

/** True for a value in an `env` or `config` tree whose own key names a credential. */
function namesCredential(path: DocPath): boolean {
  const last = path[path.length - 1];
  return typeof last === 'string' && CREDENTIAL_KEY.test(last) && path.some((key) => key === 'env' || key === 'config');
}

function lastIndexAtOrBelow(starts: readonly number[], line: number): number {
  let found = -1;
  for (let i = 0; i < starts.length && starts[i] <= line; i++) found = i;
  return found;
}
