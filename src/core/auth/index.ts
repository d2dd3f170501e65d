/**
 * The auth module of the core: how an operation is secured, what its auth contract says, which
 * credential a request presents and which class it falls in. The loader, the stateful mocks, the
 * gate in front of Prism, the runner, the traffic check, lint, docs and diff all ask it.
 */
export { authScheme, isSecured, isSecuredBy, readSecurityRequirements, readSecurityScheme, readSecuritySchemes } from './schemes.ts';
export { cookieValue, parseCookies } from './cookies.ts';
export { entryStatuses, mergeAuthContract, type AuthContractOrigin, type MergedAuthContract, type MergedClassEntry } from './contract.ts';
export { classifyCredential, presentedCredential, type CredentialCarrier, type KnownCredential, type PresentedCredential } from './classify.ts';
