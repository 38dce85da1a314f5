import { CatalogError, loadCatalog, type Problem } from '../../catalog';

/** The located problems the loader reports for a catalog file; empty when it loads. */
export function catalogProblems(file: string): Problem[] {
  try {
    loadCatalog(file);
  } catch (error) {
    if (error instanceof CatalogError) return [...error.problems];
    throw error;
  }
  return [];
}
