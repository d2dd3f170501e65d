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
