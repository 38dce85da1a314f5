/**
 * The init container's script that completes Kong's declarative config at pod start: the
 * ConfigMap's config (no credential) plus `jwt_secrets` read from the consumers' Secret files.
 * Kong cannot vault-reference a consumer credential, so this is the one place a secret enters the
 * config, and only on a memory-backed emptyDir.
 */

/** Where the ConfigMap's config is mounted. */
export const CONFIG_SOURCE_DIR = '/kong/config';
/** The memory-backed emptyDir the completed config is written to (and Kong reads). */
export const DECLARATIVE_DIR = '/kong/declarative';
/** The projected Secret volume: one file per consumer, named after the consumer. */
export const JWT_SECRETS_DIR = '/kong/jwt';
export const CONFIG_FILE = 'kong.yml';

export interface JwtCredential {
  readonly username: string;
  readonly key: string;
  readonly algorithm: string;
}

/**
 * `sh` script writing `${DECLARATIVE_DIR}/${CONFIG_FILE}`. Each HMAC secret is written base64url
 * without padding: Kong's jwt plugin, with `secret_is_base64`, decodes it with
 * `ngx.base64.decode_base64url` after padding it to a multiple of four
 * (kong/plugins/jwt/jwt_parser.lua `base64_decode`, 3.9.1), which rejects `+` and `/`: standard
 * base64 (`base64 -w0`) breaks every key whose encoding contains them. The Secret is read from a
 * file, so any byte (NUL, newline) survives; an empty or missing file stops the pod.
 */
export function composeConfigScript(credentials: readonly JwtCredential[]): string {
  const file = (c: JwtCredential) => `${JWT_SECRETS_DIR}/${c.username}`;
  return [
    'set -eu',
    'umask 077',
    ...credentials.flatMap((c, i) => [
      `[ -s '${file(c)}' ] || { echo 'jwt secret of consumer ${c.username} is missing or empty: ${file(c)}' >&2; exit 1; }`,
      `secret${i}=$(base64 -w0 < '${file(c)}' | tr '+/' '-_' | tr -d '=')`,
    ]),
    '{',
    `  cat ${CONFIG_SOURCE_DIR}/${CONFIG_FILE}`,
    "  echo 'jwt_secrets:'",
    ...credentials.map(
      (c, i) => `  printf -- "- consumer: '%s'\\n  key: '%s'\\n  algorithm: %s\\n  secret: '%s'\\n" '${c.username}' '${c.key}' '${c.algorithm}' "$secret${i}"`,
    ),
    `} > ${DECLARATIVE_DIR}/${CONFIG_FILE}`,
  ].join('\n');
}
