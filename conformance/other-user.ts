import { changesState, type Contract, type OperationModel, type SecurityScheme } from '../src/core/contract/model.ts';
import { valueCase, type CredentialSource } from './plan.ts';
import type { RequestCase } from './types.ts';
import type { ChosenValues, ValueStore } from './values.ts';

/**
 * The object-level authorization sweep (OWASP API1, BOLA/IDOR): objects that belong to one ordinary
 * user (the owner), discovered with the owner's own credential, are asked for with the credential
 * of another ordinary user on every operation marked `x-owned-by` — reads always, writes where the
 * run may change state (run.ts decides, as for every case). The `auth-other-user` check judges each
 * answer against the operation's `other-user` outcome.
 */

/** A credential of the sweep, by its name in the credentials file; the value is never reported. */
export interface NamedSecret {
  name: string;
  value: string;
  /** The shell variable curl reproducers name in its place. */
  variable: string;
}

/** The two ordinary users the sweep needs: whose objects, and who asks for them. */
export interface OtherUserPair {
  owner: NamedSecret;
  other: NamedSecret;
}

/** What the sweep did, for reports: `objects tried with another user's credential: N (M operations)`. */
export interface OtherUserSummary {
  /** Objects (parameter and value) asked for with the other user's credential. */
  objects: number;
  /** Operations those requests went to. */
  operations: number;
  owner?: string;
  other?: string;
  /** Why the sweep did not run, when it did not (no other-user credential). */
  notCovered?: string;
}

export const NO_OTHER_USER =
  "not covered: no other-user credential — add another ordinary user's credential to the --credentials file with `class: other-user` (and `objectsOf: <name>` when the owner is not the run's valid credential)";

/** Operations where another user's credential means something: marked `x-owned-by`, with an `other-user` outcome that applies. */
export function ownedOperations(operations: readonly OperationModel[]): OperationModel[] {
  return operations.filter((op) => op.ownedBy && op.authContract?.classes['other-user']?.applies);
}

/** The scheme the `other-user` credential is sent with: the class entry's, else the auth contract's, else the operation's first. */
export function otherUserScheme(contract: Contract, op: OperationModel): SecurityScheme | undefined {
  const auth = op.authContract;
  const name = auth?.classes['other-user']?.scheme ?? auth?.scheme ?? op.security.find((alt) => alt.length > 0)?.[0];
  return name ? contract.securitySchemes[name] : undefined;
}

/** A credential source that holds one value for one scheme (and nothing for the others). */
export function onlyFor(scheme: SecurityScheme | undefined, value: string): CredentialSource {
  return (s) => (scheme && s.name === scheme.name ? value : undefined);
}

/**
 * The sweep's cases: per owned operation, the request for an object of the owner with the other
 * user's credential (reads first, then writes, deletes last, so a service that wrongly obeys a
 * foreign delete does not hide objects from the reads), each with its twin for an id that does not
 * exist where the contract says the two answer alike. Without a pair, on a target that cannot tell
 * users apart (`unsupported`: a contract-only mock), or without a discovered object, the case is not
 * sent and says why.
 */
export function planOtherUserCases(contract: Contract, operations: readonly OperationModel[], ownerValues: ValueStore, pair: OtherUserPair | undefined, unsupported?: string): RequestCase[] {
  const order = (op: OperationModel) => (op.method === 'delete' ? 2 : changesState(op) ? 1 : 0);
  const cases: RequestCase[] = [];
  for (const op of [...ownedOperations(operations)].sort((a, b) => order(a) - order(b))) {
    const owned = op.ownedBy!;
    const expectation = op.authContract!.classes['other-user']!;
    const scheme = otherUserScheme(contract, op);
    const chosen = ownerValues.choose(op, 'read');
    const found = chosen?.origin === 'discovered' && owned.parameter in chosen.values;
    const credentials = pair && scheme ? onlyFor(scheme, pair.other.value) : () => undefined;
    const base = valueCase(contract, op, 'auth', found ? chosen : { values: {}, origin: 'example', written: false }, credentials);
    let skipReason: string | undefined;
    if (unsupported) skipReason = unsupported;
    else if (!pair) skipReason = NO_OTHER_USER;
    else if (!scheme) skipReason = `security scheme '${expectation.scheme}' is not defined`;
    else if (!found) {
      const names = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      skipReason = `no object of '${pair.owner.name}' found for ${names.join(', ')}: the owner's discovery yielded none (nothing of theirs to ask for)`;
    }
    const rc: RequestCase = { ...base, credentialClass: 'other-user', skipReason };
    if (pair && found) {
      const objectId = String(chosen.values[owned.parameter]);
      rc.otherUser = { owner: pair.owner.name, other: pair.other.name, parameter: owned.parameter, objectId };
      if (expectation.sameAsMissing === true) {
        const absent = nonexistentValue(op, owned.parameter, chosen.values[owned.parameter]);
        const twinValues: ChosenValues = { ...chosen, values: { ...chosen.values, [owned.parameter]: absent } };
        rc.otherUser.missingCase = valueCase(contract, op, 'auth', twinValues, credentials);
        rc.otherUser.missingId = String(absent);
      }
    }
    cases.push(rc);
  }
  return cases;
}

/** A value of the parameter's type that names nothing: a large id for numbers, an unlikely name for text. */
function nonexistentValue(op: OperationModel, parameter: string, near: unknown): string | number {
  const schema = op.parameters.find((p) => p.in === 'path' && p.name === parameter)?.schema;
  const type = schema?.type;
  if (type === 'integer' || type === 'number' || typeof near === 'number') return 2_000_000_000 + (Number(near) % 1000 || 7);
  return `no-such-${parameter.replace(/[^A-Za-z0-9]/g, '')}-7f3a9c`;
}
