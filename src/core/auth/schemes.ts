import type { Contract, JsonObject, OperationModel, SecurityScheme } from '../contract/model.ts';
import { escapePointerFragment, isObject, resolveLocal } from '../contract/pointer.ts';

/**
 * The document's security schemes as the auth module uses them: where the credential travels
 * (header, cookie, query and its name) and the literal text before it (`x-scheme-prefix`; `Bearer `
 * for http bearer schemes; nothing for a raw token).
 */
export function readSecuritySchemes(doc: JsonObject): Record<string, SecurityScheme> {
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const out: Record<string, SecurityScheme> = {};
  for (const [name, raw] of Object.entries(schemes)) {
    const { node } = resolveLocal(doc, raw, `#/components/securitySchemes/${escapePointerFragment(name)}`);
    if (isObject(node)) out[name] = readSecurityScheme(name, node);
  }
  return out;
}

export function readSecurityScheme(name: string, node: JsonObject): SecurityScheme {
  const type = String(node.type ?? '');
  const httpScheme = typeof node.scheme === 'string' ? node.scheme : undefined;
  const defaultPrefix = type === 'http' && httpScheme?.toLowerCase() === 'bearer' ? 'Bearer ' : '';
  return {
    name,
    type,
    in: typeof node.in === 'string' ? node.in : type === 'http' ? 'header' : undefined,
    paramName: typeof node.name === 'string' ? node.name : type === 'http' ? 'Authorization' : undefined,
    scheme: httpScheme,
    prefix: typeof node['x-scheme-prefix'] === 'string' ? node['x-scheme-prefix'] : defaultPrefix,
    tokenPattern: typeof node['x-token-pattern'] === 'string' ? node['x-token-pattern'] : undefined,
  };
}

/** `security` as alternatives of scheme names; an empty alternative means "no credential needed". */
export function readSecurityRequirements(raw: unknown): string[][] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((alt) => Object.keys(alt));
}

/**
 * Whether an operation needs a credential: it has security alternatives and none of them is empty.
 * Takes the alternatives as scheme names, so lint (raw documents) and the model ask the same question.
 */
export function isSecuredBy(security: readonly (readonly string[])[]): boolean {
  return security.length > 0 && !security.some((alt) => alt.length === 0);
}

export function isSecured(op: Pick<OperationModel, 'security'>): boolean {
  return isSecuredBy(op.security);
}

/**
 * The scheme an operation's auth contract is about: the one it names, else the first scheme of the
 * first alternative that needs a credential. Undefined when the operation takes none.
 */
export function authScheme(contract: Pick<Contract, 'securitySchemes'>, op: Pick<OperationModel, 'security' | 'authContract'>): SecurityScheme | undefined {
  const name = op.authContract?.scheme ?? op.security.find((alt) => alt.length > 0)?.[0];
  return name ? contract.securitySchemes[name] : undefined;
}
