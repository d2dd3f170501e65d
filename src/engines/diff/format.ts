import { formatLocation, type SourceLocation } from '../../core/contract/location.ts';
import { UsageError } from '../../core/errors.ts';
import type { DiffResult } from './index.ts';
import type { Change, Severity } from './types.ts';

/** Formats written to standard output; files (json, junit, sarif, html) go through `--report`. */
export const FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof FORMATS)[number];

export function parseFormat(value: string): DiffFormat {
  if ((FORMATS as readonly string[]).includes(value)) return value as DiffFormat;
  throw new UsageError(`unknown --format '${value}'; use one of ${FORMATS.join(', ')} (junit, sarif, html and json files: --report <format>:<path>)`);
}

export interface DiffReport {
  old: string;
  new: string;
  result: DiffResult;
  failOn: Severity;
  failed: boolean;
  /** Files are named relative to this folder. */
  root: string;
}

const summaryLine = (r: DiffResult) => `${r.summary.breaking} breaking, ${r.summary['non-breaking']} non-breaking, ${r.summary.info} info`;

export function formatDiff(format: DiffFormat, report: DiffReport): string {
  if (format === 'json') return json(report);
  if (format === 'markdown') return markdown(report);
  return text(report);
}

const where = (loc: SourceLocation) => ({ file: loc.file, line: loc.line ?? null, pointer: loc.pointer });

function json(r: DiffReport): string {
  const change = (c: Change) => ({
    id: c.id,
    severity: c.severity,
    message: c.message,
    operation: c.operations[0] ?? null,
    operations: c.operations,
    oldPointer: c.oldPointer,
    newPointer: c.newPointer,
    oldLocation: where(c.oldLocation),
    newLocation: where(c.newLocation),
  });
  return JSON.stringify({ old: r.old, new: r.new, failOn: r.failOn, failed: r.failed, summary: r.result.summary, changes: r.result.changes.map(change) }, null, 2);
}

/** `specs/x/openapi.yaml:12` — the place a reader opens. */
const place = (loc: SourceLocation, root: string) => formatLocation({ ...loc, column: undefined }, root).split(' ')[0]!;

function text(r: DiffReport): string {
  const lines = [`diff ${r.old} → ${r.new}`];
  for (const c of r.result.changes) {
    const ops = c.operations.length === 0 ? '' : c.operations.length === 1 ? `  ${c.operations[0]}` : `  ${c.operations[0]} (+${c.operations.length - 1} more)`;
    lines.push(`  ${c.severity.padEnd(12)} ${c.id}${ops}`);
    lines.push(`      ${c.message}`);
    lines.push(`      old ${formatLocation(c.oldLocation, r.root)}`);
    lines.push(`      new ${formatLocation(c.newLocation, r.root)}`);
  }
  if (r.result.changes.length === 0) lines.push('  no changes');
  lines.push(`${summaryLine(r.result)}${r.failed ? ` — fails on ${r.failOn}` : ''}`);
  return lines.join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ICON: Record<Severity, string> = { breaking: '🔴 breaking', 'non-breaking': '🟢 non-breaking', info: 'ℹ️ info' };

function markdown(r: DiffReport): string {
  const lines = [`### Contract diff: \`${r.old}\` → \`${r.new}\``, '', `**${summaryLine(r.result)}**`, ''];
  if (r.result.changes.length > 0) {
    lines.push('| | rule | operation | change | old → new |', '|---|---|---|---|---|');
    for (const c of r.result.changes) {
      const ops = c.operations.length > 1 ? `${c.operations[0]} (+${c.operations.length - 1})` : (c.operations[0] ?? '');
      lines.push(`| ${ICON[c.severity]} | \`${c.id}\` | ${mdCell(ops)} | ${mdCell(c.message)} | \`${mdCell(place(c.oldLocation, r.root))}\` → \`${mdCell(place(c.newLocation, r.root))}\` |`);
    }
  }
  return lines.join('\n');
}
