import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Problem } from './diagnostics';
import { formatPath } from './diagnostics';

export type DocPath = readonly (string | number)[];

/** A parsed YAML file that can still say where each value came from. */
export class CatalogSource {
  readonly data: unknown;
  readonly syntaxProblems: readonly Problem[];
  private readonly document: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    /** The file name used in messages, relative to the working directory. */
    readonly file: string,
    text: string,
  ) {
    // yaml 1.2 core schema: `no`/`on` stay strings, so a typo cannot silently become a boolean.
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.syntaxProblems = this.document.errors.map((error) => {
      const offset = error.pos[0];
      const { line, col } = this.lines.linePos(offset);
      return { file, line, column: col, path: '', message: `invalid YAML: ${firstLine(error.message)}` };
    });
    this.data = this.syntaxProblems.length === 0 ? this.document.toJS({ maxAliasCount: 100 }) : undefined;
  }

  /** A problem at `path`, located at the deepest node of the path the document has. */
  problem(path: DocPath, message: string): Problem {
    const { line, column } = this.locate(path);
    return { file: this.file, line, column, path: formatPath(path), message };
  }

  /** Line and column (1-based) of the value at `path`, or of its nearest existing ancestor. */
  locate(path: DocPath): { line: number; column: number } {
    let node: unknown = this.document.contents;
    // the key that introduced `node`: for collections it reads better than the first nested line.
    let keyNode: Node | undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (!pair) break;
        keyNode = pair.key as Node;
        if (pair.value === null || pair.value === undefined) return this.position(keyNode);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key] != null) {
        keyNode = undefined;
        node = node.items[key];
      } else {
        break;
      }
    }
    return this.position(!isScalar(node) && keyNode ? keyNode : (node as Node | null));
  }

  private position(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '');
}
