/**
 * What an image tag in the catalog may be: a version or a digest, never a moving name.
 *
 * - a **version**: an optional `v`, one to four dot-separated numbers, then optionally a suffix
 *   starting with `-`, `+`, `_` or `.` (`1.2.3`, `v1.2`, `8.1.11-alpine`, `1.2.3-rc.1`, `2024.01.05`);
 * - a **digest**: `sha256:` and 64 lowercase hex digits, alone or after a version
 *   (`1.2.3@sha256:…`, which keeps the readable version in labels while the digest pins the bytes).
 *
 * Rejected: every tag that does not start with a number (after `v`), so `latest`, `Latest`,
 * `stable`, `main`, `edge`, `alpine` name whatever was pushed last. The Docker reference grammar
 * allows them (`[\w][\w.-]{0,127}`), which is why the catalog needs its own rule.
 * @see https://github.com/distribution/reference/blob/main/regexp.go (tag and digest grammar)
 */
export const VERSION_TAG = /^v?\d+(\.\d+){0,3}([-+_.][A-Za-z0-9][A-Za-z0-9_.-]*)?$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Why `tag` is not allowed, or undefined when it is. */
export function imageTagProblem(tag: string): string | undefined {
  const at = tag.indexOf('@');
  const version = at >= 0 ? tag.slice(0, at) : tag;
  const digest = at >= 0 ? tag.slice(at + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return 'must end in a digest "sha256:" and 64 lowercase hex digits after "@"';
  if (DIGEST.test(version) && digest === undefined) return undefined;
  if (version.length > 128) return 'must be at most 128 characters (the Docker tag limit)';
  if (VERSION_TAG.test(version)) return undefined;
  return 'must be a version such as "1.4.2", "v1.2" or "8.1.11-alpine", or a digest "sha256:<64 hex>"; a name such as "latest", "stable" or "main" moves';
}

/** The image reference for `repository` at `tag`: `repo:1.2.3`, `repo@sha256:…` or `repo:1.2.3@sha256:…`. */
export function imageReference(repository: string, tag: string): string {
  return DIGEST.test(tag) ? `${repository}@${tag}` : `${repository}:${tag}`;
}

/**
 * The version as a label value (`app.kubernetes.io/version`): the tag without its digest, or for a
 * bare digest `sha256-` and its first 12 hex digits (label values allow no ":" and at most 63 characters).
 */
export function versionLabel(tag: string): string {
  if (DIGEST.test(tag)) return `sha256-${tag.slice('sha256:'.length, 'sha256:'.length + 12)}`;
  return tag.split('@')[0];
}
