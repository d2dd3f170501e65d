import fs from 'node:fs';
import path from 'node:path';
import { YamlPositions } from './yaml-position.ts';

/** Where something is in the hand-written spec files: file, JSON pointer in that file, and line. */
export interface SourceLocation {
  file: string;
  pointer: string;
  line?: number;
  column?: number;
}

const sources = new Map<string, Promise<YamlPositions | undefined>>();

async function loadSource(file: string): Promise<YamlPositions | undefined> {
  const absolute = path.resolve(file);
  let pending = sources.get(absolute);
  if (!pending) {
    pending = fs.promises.readFile(absolute, 'utf8').then(
      (text) => new YamlPositions(text),
      () => undefined,
    );
    sources.set(absolute, pending);
  }
  return pending;
}

/** Adds line and column to a file + pointer (the line of the key the pointer names). */
export async function withLine(loc: SourceLocation): Promise<SourceLocation> {
  const positions = await loadSource(loc.file);
  if (!positions) return loc;
  const start = positions.locate(loc.pointer, true);
  return { ...loc, line: start.line, column: start.col };
}

/** A YAML or JSON text to locate pointers in (a spec file, a config file); the file names it in messages. */
export function textSource(_file: string, text: string): YamlPositions {
  return new YamlPositions(text);
}

/**
 * Line and column of a JSON pointer (`#/a/b`) in a text, at the key that introduces it. A pointer
 * below what the text writes (a validator's schema path ending in keywords such as `/allOf/0`, a
 * missing property) is located at its deepest ancestor the text does write.
 */
export function lineInSource(source: YamlPositions, pointer: string): { line: number; column: number } | undefined {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
  for (let n = parts.length; n >= 0; n--) {
    const start = source.locate(n === 0 ? '#/' : `#/${parts.slice(0, n).join('/')}`, n > 0);
    if (start.line > 0) return { line: start.line, column: start.col };
  }
  return undefined;
}

export function formatLocation(loc: SourceLocation, relativeTo?: string): string {
  const file = relativeTo ? path.relative(relativeTo, loc.file) || loc.file : loc.file;
  const line = loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : '';
  return `${file}${line} ${loc.pointer}`;
}

const YAML_ERROR = /^(?:Failed to parse: )?(.*?) in "([^"]+)" \((\d+):(\d+)\)/;

/**
 * YAML parse errors carry their real position only in the message text (`... in "file" (4:1)`);
 * returns that position and the bare reason, or undefined for other messages.
 */
export function yamlErrorLocation(message: string): { location: SourceLocation; reason: string } | undefined {
  // "Can't resolve $ref: ..." is reported at the $ref, which is the more useful place; keep it.
  if (message.startsWith("Can't resolve")) return undefined;
  const m = YAML_ERROR.exec(message);
  if (!m) return undefined;
  return {
    location: { file: m[2]!, pointer: '#/', line: Number(m[3]), column: Number(m[4]) },
    reason: `YAML syntax error: ${m[1]}`,
  };
}
