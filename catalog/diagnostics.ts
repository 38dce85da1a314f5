/** One problem found in a catalog, located in its source file. */
export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Path in the document, e.g. `services[3].calls[0].service`. */
  readonly path: string;
  /** What is wrong and how to fix it, e.g. `unknown service "xiaoai"; did you mean "xiaoai-service"?`. */
  readonly message: string;
}

/** Formats one problem the way compilers do, so editors and CI logs link to the line. */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path ? `${where}  ${problem.path}: ${problem.message}` : `${where}  ${problem.message}`;
}

/** Thrown when a catalog has problems; carries every problem, not just the first. */
export class CatalogError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`catalog has ${count}:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'CatalogError';
  }
}

/** Renders a document path as `services[3].calls[0].service`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** `; did you mean "x"?` when a known name is close to the given one, else an empty string. */
export function didYouMean(given: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(given, candidate);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return '';
  const close = bestDistance <= Math.max(2, Math.floor(best.length / 3)) || best.startsWith(given) || given.startsWith(best);
  return close ? `; did you mean "${best}"?` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
