import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * README.md stays true: every repository path it names exists. A path is a backticked token or a
 * Markdown link target with a "/" in it (`catalog/rules.ts`, `dist/`), or a bare file name that
 * must then be a file somewhere in the repository (`Pulumi.yaml`). Placeholders (`<env>`, `*`),
 * URL paths (`/api/v1/...`) and URLs are not paths. Names of things that are not repository
 * files (keys inside ConfigMaps, files a reader creates) are listed here, each with why.
 */
const NOT_REPOSITORY_FILES: Record<string, string> = {
  'kong.yml': 'the key of the Kong config in ConfigMap api-gateway-config',
  'cluster.sh': 'a script in ConfigMap redis-cluster-scripts',
  'start.sh': 'a script in the Redis and Consul ConfigMaps',
  'nodes.conf': 'the Redis cluster state file on each pod volume',
  'alive.sh': 'the liveness script in ConfigMap redis-cluster-scripts',
  '.github/workflows/platform.yml': 'where to save the GitHub Actions example (the repository runs .ci/run)',
  '.gitlab-ci.yml': 'where to save the GitLab CI example',
};

const README = readFileSync('README.md', 'utf8');

const FILE = /\.(md|ya?ml|json|ts|mts|sh|conf|txt)$/;

/**
 * The repository paths a Markdown text names. A token with "/" is one when it starts at a
 * top-level entry of the repository, at a dot folder (`.ci/run`) or ends in a file extension;
 * so `checksum/config` (an annotation) or `redis-auth/password` (a Secret key) are not.
 */
function namedPaths(markdown: string, topLevel: ReadonlySet<string>): string[] {
  const tokens = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]);
  const links = [...markdown.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
  return [...new Set([...tokens, ...links])].filter((token) => {
    if (/[<>*{}$…|=]|:\/\/|^[/~]|^-|@/.test(token)) return false;
    if (token.includes('/')) return /^[.\w-]+(\/[.\w-]*)*$/.test(token) && (topLevel.has(token.split('/')[0]) || token.startsWith('.') || FILE.test(token));
    return /^[\w.-]+$/.test(token) && FILE.test(token);
  });
}

describe('README.md', () => {
  const tracked = new Set(execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter(Boolean));
  const basenames = new Set([...tracked].map((f) => basename(f)));
  const topLevel = new Set([...tracked].map((f) => f.split('/')[0]));

  it('names only paths that exist in the repository', () => {
    const missing = namedPaths(README, topLevel)
      .filter((p) => !(p in NOT_REPOSITORY_FILES))
      .filter((p) => (p.includes('/') ? !existsSync(p.replace(/\/$/, '')) : !basenames.has(p)));
    expect(missing).toEqual([]);
  });

  it('finds the paths it must check (the check can fail)', () => {
    const text = 'see `catalog/rules.ts`, [x](docs/none.md), `Pulumi.yaml`, `dist/<env>/`, `/api/v1/x`, `checksum/config`, `catalog/gone.ts`';
    expect(namedPaths(text, topLevel)).toEqual(['catalog/rules.ts', 'Pulumi.yaml', 'catalog/gone.ts', 'docs/none.md']);
  });

  it('keeps its list of non-repository names used', () => {
    const named = new Set(namedPaths(README, topLevel));
    expect(Object.keys(NOT_REPOSITORY_FILES).filter((name) => !named.has(name))).toEqual([]);
  });

  it('presents the CI examples as files to create, since the repository runs .ci/run', () => {
    expect(README).toContain('save as `.github/workflows/platform.yml`');
    expect(README).toContain('save as `.gitlab-ci.yml`');
  });

  it('cites SECURITY.md and PLATFORM.md as the design documents outside this repository, not as files in it', () => {
    expect(README).not.toMatch(/\]\((\.\/)?(SECURITY|PLATFORM)\.md\)/);
    expect(README).toMatch(/SECURITY\.md \(the hardening rules[^)]*\) and PLATFORM\.md \([^)]*\) are the project's design documents, kept outside this\s+repository/);
  });
});
