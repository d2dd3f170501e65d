import picomatch from 'picomatch';
import type { OperationModel } from '../src/core/contract/model.ts';
import { UsageError } from '../src/core/errors.ts';

export interface SelectOptions {
  apiVersion?: string;
  include?: string[];
  exclude?: string[];
}

/**
 * A selector matches an operation by operationId, by tag, or — when it contains `/` or a glob
 * character — by path glob (`/api/v1/**`, `/v1/alerts/*`).
 */
function matcher(selector: string): (op: OperationModel) => boolean {
  if (/[/*?[]/.test(selector)) {
    const isMatch = picomatch(selector, { dot: true });
    return (op) => isMatch(op.path);
  }
  return (op) => op.id === selector || op.tags.includes(selector);
}

/** The operations a run covers: by API version, then `--include` (any), then minus `--exclude`. */
export function selectOperations(operations: OperationModel[], options: SelectOptions): OperationModel[] {
  let selected = operations;
  if (options.apiVersion) {
    const known = new Set(operations.map((o) => o.apiVersion).filter(Boolean));
    if (!known.has(options.apiVersion)) {
      throw new UsageError(`--api-version ${options.apiVersion} matches no operation (versions: ${[...known].join(', ') || 'none declared'})`);
    }
    selected = selected.filter((o) => o.apiVersion === options.apiVersion);
  }
  if (options.include?.length) {
    const includes = options.include.map(matcher);
    selected = selected.filter((o) => includes.some((m) => m(o)));
  }
  if (options.exclude?.length) {
    const excludes = options.exclude.map(matcher);
    selected = selected.filter((o) => !excludes.some((m) => m(o)));
  }
  if (selected.length === 0) throw new UsageError('the filters select no operation');
  return selected;
}
