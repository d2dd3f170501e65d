import { UsageError } from '../../core/errors.ts';
import type { DiffResult } from './index.ts';
import type { Change, Severity } from './types.ts';

export const FORMATS = ['text', 'json', 'markdown', 'junit'] as const;
export type DiffFormat = (typeof FORMATS)[number];

export function parseFormat(value: string): DiffFormat {
  if ((FORMATS as readonly string[]).includes(value)) return value as DiffFormat;
  throw new UsageError(`unknown --format '${value}'; use one of ${FORMATS.join(', ')}`);
}

export interface DiffReport {
  old: string;
  new: string;
  result: DiffResult;
  failOn: Severity;
  failed: boolean;
}

const summaryLine = (r: DiffResult) => `${r.summary.breaking} breaking, ${r.summary['non-breaking']} non-breaking, ${r.summary.info} info`;

export function formatDiff(format: DiffFormat, report: DiffReport): string {
  switch (format) {
    case 'json':
      return JSON.stringify(
        { old: report.old, new: report.new, failOn: report.failOn, failed: report.failed, summary: report.result.summary, changes: report.result.changes.map(jsonChange) },
        null,
        2,
      );
    case 'markdown':
      return markdown(report);
    case 'junit':
      return junit(report);
    default:
      return text(report);
  }
}

function jsonChange(c: Change) {
  return { id: c.id, severity: c.severity, message: c.message, operation: c.operations[0] ?? null, operations: c.operations, oldPointer: c.oldPointer ?? null, newPointer: c.newPointer ?? null };
}

function text(r: DiffReport): string {
  const lines = [`diff ${r.old} → ${r.new}`];
  for (const c of r.result.changes) {
    const ops = c.operations.length === 0 ? '' : c.operations.length === 1 ? `  ${c.operations[0]}` : `  ${c.operations[0]} (+${c.operations.length - 1} more)`;
    lines.push(`  ${c.severity.padEnd(12)} ${c.id}${ops}`);
    lines.push(`      ${c.message}`);
    lines.push(`      old ${c.oldPointer ?? '-'}   new ${c.newPointer ?? '-'}`);
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
    lines.push('| | rule | operation | change | old → new pointer |', '|---|---|---|---|---|');
    for (const c of r.result.changes) {
      const ops = c.operations.length > 1 ? `${c.operations[0]} (+${c.operations.length - 1})` : (c.operations[0] ?? '');
      lines.push(`| ${ICON[c.severity]} | \`${c.id}\` | ${mdCell(ops)} | ${mdCell(c.message)} | \`${mdCell(c.oldPointer ?? '-')}\` → \`${mdCell(c.newPointer ?? '-')}\` |`);
    }
  }
  return lines.join('\n');
}

const RANK: Record<Severity, number> = { breaking: 0, 'non-breaking': 1, info: 2 };
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One <testcase> per change; those at or above --fail-on are failures. */
function junit(r: DiffReport): string {
  const failing = (c: Change) => RANK[c.severity] <= RANK[r.failOn];
  const failures = r.result.changes.filter(failing).length;
  const cases = r.result.changes.map((c) => {
    const open = `    <testcase classname="${xml(`contracts.diff.${c.id}`)}" name="${xml(`${c.operations[0] ?? 'document'}: ${c.message}`)}"`;
    const detail = `${c.severity} ${c.id}: ${c.message}\nold ${c.oldPointer ?? '-'}\nnew ${c.newPointer ?? '-'}${c.operations.length ? `\noperations: ${c.operations.join(', ')}` : ''}`;
    return failing(c) ? `${open}>\n      <failure message="${xml(c.message)}" type="${c.severity}">${xml(detail)}</failure>\n    </testcase>` : `${open}/>`;
  });
  if (cases.length === 0) cases.push('    <testcase classname="contracts.diff" name="no changes"/>');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="contracts diff" tests="${Math.max(1, r.result.changes.length)}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xml(`${r.old} → ${r.new}`)}" tests="${Math.max(1, r.result.changes.length)}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
  ].join('\n');
}
