import { isAlias, isMap, isPair, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { pointerKeys } from './pointer.ts';

/** A 1-based line and column in a spec file. */
export interface LineCol {
  line: number;
  col: number;
}

/**
 * Where a JSON pointer is written in one YAML (or JSON) text: the line and column of the deepest node
 * the pointer reaches, or of its key when `onKey` is asked for (a finding about a property is shown
 * on the property's name). Parsed once per text. Every engine's locations come from here, so a lint
 * problem, a runner finding and a diff entry about the same node name the same line.
 */
export class YamlPositions {
  private readonly lines = new LineCounter();
  private readonly root: Node | null;

  constructor(text: string) {
    // Positions only: duplicate keys and other mistakes are the bundler's and the linter's to report.
    const doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: false, strict: false });
    this.root = doc.contents;
  }

  /** The place of `pointer` (`#/a/b`). A segment that is not written stops at its nearest written parent. */
  locate(pointer: string, onKey: boolean): LineCol {
    let node: Node | Pair | null = this.root;
    let key: Node | null = null;
    for (const segment of pointerKeys(pointer)) {
      if (isMap(node)) {
        const pair: Pair | undefined = node.items.find((p) => keyText(p.key) === segment);
        if (!pair) break;
        key = pair.key as Node | null;
        if (pair.value === null) {
          // `name:` with nothing after it: the pair itself is the place.
          node = pair;
          break;
        }
        node = pair.value as Node;
      } else if (isSeq(node)) {
        const item = node.items[Number.parseInt(segment, 10)];
        if (item === undefined || item === null) break;
        node = item as Node;
        key = null;
      } else {
        // A scalar or an alias (`*name`) has nothing below it in this text.
        break;
      }
    }
    const at = onKey && key ? key : isPair(node) ? (node.key as Node | null) : node;
    // An alias is placed at its name, after the `*` (where the bundler's parser puts it too).
    const start = at && !isPair(at) && at.range ? at.range[0] + (isAlias(at) ? 1 : 0) : 0;
    const end = at && !isPair(at) && at.range ? at.range[1] : 0;
    if (start === end) return { line: 1, col: 1 };
    const { line, col } = this.lines.linePos(start);
    return { line, col };
  }
}

function keyText(key: unknown): string | undefined {
  if (key === null || key === undefined) return undefined;
  if (isAlias(key)) return undefined;
  const value = (key as { value?: unknown }).value;
  return value === undefined || value === null ? undefined : String(value);
}
