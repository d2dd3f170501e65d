/**
 * The 1-based line of a nested key in a YAML text, found by reading the text itself: each key is
 * looked for inside the block of the one before. Tests compare report locations with it, so a
 * location is checked against the file a reader opens, not against the code that computed it.
 */
export function yamlLine(text: string, keys: string[]): number {
  const lines = text.split('\n');
  const indentOf = (line: string) => line.length - line.trimStart().length;
  let at = -1;
  let indent = -1;
  for (const key of keys) {
    let next = -1;
    for (let i = at + 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
      if (indentOf(line) <= indent) break; // left the block of the previous key
      if (line.trimStart().startsWith(key)) {
        next = i;
        break;
      }
    }
    if (next < 0) throw new Error(`${keys.join(' > ')}: ${key} not found`);
    at = next;
    indent = indentOf(lines[next]!);
  }
  return at + 1;
}
