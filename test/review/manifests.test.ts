import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitIn, objectsAtRef, parseManifests, type GitRunner } from '../../review/manifests';

const repo = mkdtempSync(join(tmpdir(), 'suoke-manifests-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

function commit(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'dist'], { cwd: repo });
}

execFileSync('git', ['init', '-q'], { cwd: repo });
commit({
  // multi-byte text: files are cut from the stream by byte sizes
  'dist/prod/services/a.yaml': 'kind: ConfigMap\nmetadata: { name: a }\ndata: { text: 索克生活 → 健康 }\n---\nkind: Service\nmetadata: { name: a }\n',
  'dist/prod/data/b.yaml': 'kind: StatefulSet\nmetadata: { name: b }\n',
  'dist/prod/GRAPH.md': '# not a manifest\n',
  // longer than ustar's 100-byte name field: git archive writes its path in a pax header
  [`dist/prod/observability/${'long-'.repeat(20)}name.yaml`]: 'kind: PodMonitor\nmetadata: { name: long }\n',
  'dist/dev/services/a.yaml': 'kind: ConfigMap\nmetadata: { name: dev-a }\n',
});
commit({ 'dist/prod/data/b.yaml': 'kind: StatefulSet\nmetadata: { name: b-changed }\n' });

/** git in the repository, counting the processes it starts. */
function counting(): { git: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  const git = gitIn(repo);
  return { calls, git: (args, input) => (calls.push([...args]), git(args, input)) };
}

describe('objectsAtRef', () => {
  it("reads every manifest of an environment's dist/ at the ref, in path order, with one git process whatever the number of files", () => {
    const { git, calls } = counting();
    expect(objectsAtRef('HEAD~1', 'prod', git)).toEqual([
      { kind: 'StatefulSet', metadata: { name: 'b' } },
      { kind: 'PodMonitor', metadata: { name: 'long' } },
      { kind: 'ConfigMap', metadata: { name: 'a' }, data: { text: '索克生活 → 健康' } },
      { kind: 'Service', metadata: { name: 'a' } },
    ]);
    expect(calls.map((args) => args[0])).toEqual(['archive']);
    expect(objectsAtRef('HEAD', 'prod', git)[0].metadata.name).toBe('b-changed');
    expect(objectsAtRef('HEAD', 'dev', git)).toEqual([{ kind: 'ConfigMap', metadata: { name: 'dev-a' } }]);
    expect(objectsAtRef('HEAD', 'staging', git)).toEqual([]);
  });

  it('names an unknown ref and what to pass instead', () => {
    expect(() => objectsAtRef('no-such-ref', 'prod', gitIn(repo))).toThrow('unknown git ref "no-such-ref"; pass --base <branch, tag or commit>');
  });
});

describe('parseManifests', () => {
  it('skips empty documents and names the file of invalid YAML', () => {
    expect(parseManifests('---\nkind: A\n---\n---\nkind: B\n')).toEqual([{ kind: 'A' }, { kind: 'B' }]);
    expect(() => parseManifests('kind: [A\n', 'dist/prod/x.yaml')).toThrow(/^dist\/prod\/x\.yaml: invalid YAML: /);
  });
});
