import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Which source folder may import which: the layering of the program, as data. Every folder's
 * imports of another folder's modules must be listed here; a folder imports its own freely.
 * `components/common` (labels, pod hardening, the one L1 import seam) imports nothing of ours, so
 * the catalog can decide selectors with the same labels the objects carry.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'components/common': [],
  catalog: ['components/common'],
  components: ['catalog', 'components/common'],
  // charts emit objects: catalog in, components composed, nothing about rendering or review
  charts: ['catalog', 'components', 'components/common'],
  // review reads objects (plain JSON) and the catalog's model; it never builds or renders them
  review: ['catalog', 'components', 'components/common'],
  // the pipeline: load, resolve, build charts, render, review documents, write; and its commands
  synth: ['catalog', 'components', 'components/common', 'charts', 'review'],
  stacks: ['catalog', 'components', 'components/common', 'charts', 'synth'],
  scripts: ['catalog', 'synth'],
};

const FOLDERS = Object.keys(MAY_IMPORT);

/** The folder a repository path belongs to: the longest listed prefix, or undefined outside them. */
function folderOf(path: string): string | undefined {
  return FOLDERS.filter((f) => path === f || path.startsWith(`${f}/`)).sort((a, b) => b.length - a.length)[0];
}

function sourceFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every import between two folders (static, `export … from`, `import()`, `require()`), as `from → to` with the importing file. */
function folderImports(root: string): { from: string; to: string; file: string }[] {
  const files = [...new Set(FOLDERS.map((f) => f.split('/')[0]))].flatMap((top) => sourceFiles(root, top));
  return files.flatMap((file) => {
    const from = folderOf(file)!;
    return ts
      .preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
      .importedFiles.map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(root, join(dirname(join(root, file)), name)))
      // a path outside every listed folder stays a path, which no layer allows
      .map((target) => folderOf(target) ?? target)
      .filter((to) => to !== from)
      .map((to) => ({ from, to, file }));
  });
}

/** The cycles of a directed graph, each as the path that closes it (`a → b → a`). */
function cycles(edges: readonly { from: string; to: string }[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const found = new Set<string>();
  const walk = (path: readonly string[]) => {
    for (const to of [...(next.get(path[path.length - 1]) ?? [])].sort()) {
      const start = path.indexOf(to);
      if (start >= 0) {
        const cycle = path.slice(start);
        const first = cycle.indexOf([...cycle].sort()[0]);
        found.add([...cycle.slice(first), ...cycle.slice(0, first), cycle[first]].join(' → '));
      } else walk([...path, to]);
    }
  };
  for (const folder of [...next.keys()].sort()) walk([folder]);
  return [...found].sort();
}

describe('layering: which folder imports which', () => {
  const imports = folderImports('.');

  it('finds imports between folders (the check can fail)', () => {
    expect(imports.some((i) => i.from === 'charts' && i.to === 'components')).toBe(true);
    expect(cycles([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'b' }])).toEqual(['b → c → b']);
  });

  it('every folder with TypeScript sources outside test/ has a row', () => {
    const tracked = execFileSync('git', ['ls-files', '*.ts'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const folders = new Set(tracked.filter((f) => f.includes('/') && !f.startsWith('test/')).map((f) => f.split('/')[0]));
    expect([...folders].filter((f) => !(f in MAY_IMPORT)).sort()).toEqual([]);
  });

  it('no folder imports one its layer does not allow', () => {
    const forbidden = imports.filter((i) => !MAY_IMPORT[i.from].includes(i.to)).map((i) => `${i.file} imports ${i.to}`);
    expect([...new Set(forbidden)].sort()).toEqual([]);
  });

  it('no import cycle between folders', () => {
    expect(cycles(imports)).toEqual([]);
  });

  it('synth is the only folder that imports both the charts and the review', () => {
    const both = FOLDERS.filter((f) => ['charts', 'review'].every((to) => imports.some((i) => i.from === f && i.to === to)));
    expect(both).toEqual(['synth']);
  });
});
