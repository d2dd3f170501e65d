import type { ParameterModel } from './model.ts';

/**
 * Query parameters as OpenAPI's form style writes them, shared by the runner (which writes them)
 * and the stateful mocks (which read them), so both agree with the contract on list values.
 */

/** The `name=value` pairs of one query parameter: a list repeated when exploded, else comma-joined. */
export function queryPairs(param: ParameterModel, value: unknown): Array<[string, string]> {
  const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  if (!Array.isArray(value)) return [[param.name, text(value)]];
  if (!param.explode) return [[param.name, value.map(text).join(',')]];
  return value.map((v) => [param.name, text(v)]);
}

/** Whether the parameter takes a list that arrives as one comma-separated value. */
export function isDelimitedList(param: ParameterModel): boolean {
  return param.in === 'query' && !param.explode && param.schema?.type === 'array';
}

/** A comma-separated list value split into its items (repeated parameters are split one by one). */
export function splitDelimited(raw: unknown): unknown {
  if (typeof raw === 'string') return raw.split(',');
  if (Array.isArray(raw)) return raw.flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  return raw;
}
