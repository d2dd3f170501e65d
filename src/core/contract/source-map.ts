import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { lineInSource, textSource, type SourceLocation } from './location.ts';
import { escapePointerFragment, getByPointer, isObject } from './pointer.ts';
import type { YamlPositions } from './yaml-position.ts';

/**
 * Where every pointer of a bundled document is written in the hand-written files. The bundler pulls
 * split files together (a path item from `paths/user.yaml`, a schema from `components/schemas.yaml`
 * into `#/components/schemas/…`) and keeps no record of it; this map is made by walking the bundle
 * and the original files side by side and following each `$ref` the way the bundler did. Findings of
 * every engine (runner, lint-like checks, diff, docs) ask it, so a report names the file and line
 * the reader has to open, not a pointer into a document nobody sees.
 */
export class SourceMap {
  private readonly lines = new Map<string, SourceLocation>();

  constructor(
    private readonly entries: ReadonlyMap<string, { file: string; pointer: string }>,
    private readonly texts: ReadonlyMap<string, string>,
    private readonly rootFile: string,
  ) {}

  /**
   * The file, pointer in that file, line and column of a pointer of the bundled document. A pointer
   * below the deepest mapped node (e.g. a schema keyword path from a validator) is located at that
   * node's place with the rest of the pointer appended, and its line is the deepest one the file has.
   */
  locate(bundledPointer: string): SourceLocation {
    const hit = this.lines.get(bundledPointer);
    if (hit) return hit;
    const segments = splitPointer(bundledPointer);
    let at = { file: this.rootFile, pointer: '#' };
    let rest: string[] = segments;
    for (let n = segments.length; n >= 0; n--) {
      const entry = this.entries.get(joinPointer(segments.slice(0, n)));
      if (entry) {
        at = entry;
        rest = segments.slice(n);
        break;
      }
    }
    const pointer = joinPointer([...splitPointer(at.pointer), ...rest]);
    const located = this.withLine(at.file, pointer);
    this.lines.set(bundledPointer, located);
    return located;
  }

  /** Number of bundled pointers with a known place (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private sources = new Map<string, YamlPositions>();

  private withLine(file: string, pointer: string): SourceLocation {
    const text = this.texts.get(file);
    if (text === undefined) return { file, pointer };
    let source = this.sources.get(file);
    if (!source) this.sources.set(file, (source = textSource(file, text)));
    const at = lineInSource(source, pointer);
    if (at) return { file, pointer, line: at.line, column: at.column };
    return { file, pointer };
  }
}

interface Walk {
  entries: Map<string, { file: string; pointer: string }>;
  texts: Map<string, string>;
  parsed: Map<string, unknown>;
  bundled: unknown;
  visited: Set<string>;
}

/** Builds the map of a document bundled from `rootFile` (the bundler's output, unchanged). */
export function buildSourceMap(rootFile: string, bundled: unknown): SourceMap {
  const w: Walk = { entries: new Map(), texts: new Map(), parsed: new Map(), bundled, visited: new Set() };
  const root = parseFile(w, rootFile);
  walk(w, bundled, '#', root, rootFile, '#');
  w.entries.set('#/', { file: rootFile, pointer: '#/' });
  return new SourceMap(w.entries, w.texts, rootFile);
}

function walk(w: Walk, bNode: unknown, bPtr: string, oNode: unknown, oFile: string, oPtr: string, hops = 0): void {
  // Follow the original's $ref chain to the node it stands for (another file, or elsewhere in this one).
  while (isObject(oNode) && typeof oNode.$ref === 'string' && hops < 32) {
    const target = resolveRef(w, oFile, oNode.$ref);
    if (!target) return;
    hops++;
    // Where the bundle kept a reference, the referenced component is mapped to the same target.
    if (isObject(bNode) && typeof bNode.$ref === 'string' && bNode.$ref.startsWith('#')) {
      w.entries.set(bPtr, { file: oFile, pointer: oPtr });
      const bTarget = bNode.$ref;
      if (w.visited.has(bTarget)) return;
      w.visited.add(bTarget);
      walk(w, getByPointer(w.bundled, bTarget), bTarget, target.node, target.file, target.pointer, hops);
      return;
    }
    ({ node: oNode, file: oFile, pointer: oPtr } = target);
  }
  if (!w.entries.has(bPtr) || hops > 0) w.entries.set(bPtr, { file: oFile, pointer: oPtr });
  if (isObject(bNode) && typeof bNode.$ref === 'string' && bNode.$ref.startsWith('#') && !(isObject(oNode) && '$ref' in oNode)) return;
  if (Array.isArray(bNode) && Array.isArray(oNode)) {
    bNode.forEach((item, i) => {
      if (i < oNode.length) walk(w, item, `${bPtr}/${i}`, oNode[i], oFile, `${oPtr}/${i}`);
    });
  } else if (isObject(bNode) && isObject(oNode)) {
    for (const [key, value] of Object.entries(bNode)) {
      if (!(key in oNode)) continue;
      const k = escapePointerFragment(key);
      walk(w, value, `${bPtr}/${k}`, oNode[key], oFile, `${oPtr}/${k}`);
    }
  }
}

function resolveRef(w: Walk, fromFile: string, ref: string): { node: unknown; file: string; pointer: string } | undefined {
  const hash = ref.indexOf('#');
  const filePart = hash >= 0 ? ref.slice(0, hash) : ref;
  const fragment = hash >= 0 ? ref.slice(hash + 1) : '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filePart)) return undefined; // remote refs are not ours
  const file = filePart === '' ? fromFile : path.resolve(path.dirname(fromFile), decodeURI(filePart));
  const doc = parseFile(w, file);
  if (doc === undefined) return undefined;
  const pointer = `#${fragment}`;
  return { node: getByPointer(doc, pointer), file, pointer: pointer === '#' ? '#' : pointer };
}

function parseFile(w: Walk, file: string): unknown {
  if (w.parsed.has(file)) return w.parsed.get(file);
  let doc: unknown;
  try {
    const text = fs.readFileSync(file, 'utf8');
    w.texts.set(file, text);
    // Specs share parts through YAML anchors; the bundler reads them all, so this walk must too.
    doc = YAML.parse(text, { maxAliasCount: -1 });
  } catch {
    doc = undefined; // the bundler has already reported files it could not read
  }
  w.parsed.set(file, doc);
  return doc;
}

function splitPointer(pointer: string): string[] {
  return pointer.replace(/^#\/?/, '').split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
}

function joinPointer(segments: string[]): string {
  return segments.length === 0 ? '#/' : `#/${segments.join('/')}`;
}
