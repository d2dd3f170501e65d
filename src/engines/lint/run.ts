import fs from 'node:fs';
import { lint, loadConfig, type Config, type NormalizedProblem } from '@redocly/openapi-core';
import type { ApiEntry } from '../../core/contract/discover.ts';
import { formatLocation, withLine, yamlErrorLocation } from '../../core/contract/location.ts';
import { SpecError } from '../../core/errors.ts';
import { contractsPlugin } from './plugin.ts';
import { loadContract } from '../../core/contract/load.ts';
import type { Contract } from '../../core/contract/model.ts';
import { packageRoot, projectPaths, type ProjectPaths } from '../../core/paths.ts';

export interface LintFinding {
  api: string;
  severity: 'error' | 'warn';
  rule: string;
  message: string;
  file: string;
  pointer: string;
  line?: number;
  column?: number;
}

export interface LintResult {
  findings: LintFinding[];
  errors: number;
  warnings: number;
}

async function lintConfig(paths: ProjectPaths, contracts: ReadonlyMap<string, Contract>): Promise<Config> {
  // A project without its own redocly.yaml (e.g. a temporary copy of some specs) gets ours.
  const configPath = fs.existsSync(paths.lintConfig) ? paths.lintConfig : projectPaths(packageRoot).lintConfig;
  return loadConfig({ configPath, plugins: [contractsPlugin((rootFile) => contracts.get(rootFile))] });
}

/** Lints each API with Redocly's engine, our rules included, and maps every problem to file:line. */
export async function lintApis(paths: ProjectPaths, apis: ApiEntry[]): Promise<LintResult> {
  // Whole-contract rules (producers of path parameters) read the model every engine reads.
  const contracts = new Map<string, Contract>();
  for (const api of apis) {
    try {
      contracts.set(api.rootFile, await loadContract(api));
    } catch {
      // A contract that does not load is reported by Redocly's own pass below, file and line.
    }
  }
  const config = await lintConfig(paths, contracts);
  const findings: LintFinding[] = [];
  for (const api of apis) {
    let problems: NormalizedProblem[];
    try {
      problems = await lint({ ref: api.rootFile, config });
    } catch (err) {
      // The root document itself cannot be parsed: nothing can be linted, which is a spec error.
      const text = err instanceof Error ? err.message : String(err);
      const yaml = yamlErrorLocation(text);
      throw new SpecError(yaml ? `${formatLocation(yaml.location)}: ${yaml.reason}` : `${api.rootFile}: ${text}`);
    }
    for (const p of problems) {
      if (p.ignored) continue;
      findings.push(await toFinding(api.name, p));
    }
  }
  return {
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
  };
}

async function toFinding(api: string, p: NormalizedProblem): Promise<LintFinding> {
  const loc = p.location[0];
  const yaml = yamlErrorLocation(p.message);
  const file = yaml?.location.file ?? loc?.source.absoluteRef ?? '';
  const pointer = yaml?.location.pointer ?? loc?.pointer ?? '#/';
  const located = yaml ? yaml.location : loc ? await withLine({ file, pointer }) : { file, pointer };
  return {
    api,
    severity: p.severity === 'error' ? 'error' : 'warn',
    rule: p.ruleId,
    message: yaml ? yaml.reason : p.message,
    file,
    pointer,
    line: located.line,
    column: located.column,
  };
}

export function formatLintFinding(f: LintFinding, root: string): string {
  return `${formatLocation(f, root)}  ${f.severity}  ${f.rule}  ${f.message}`;
}
