import { isCreation } from '../src/core/contract/links.ts';
import { changesState, type Contract, type OperationModel } from '../src/core/contract/model.ts';
import { isLoopbackUrl } from '../src/core/net.ts';
import { validators as sharedValidators, type ValidatorCache } from '../src/core/validate/cache.ts';
import { primaryCheck } from './checks/index.ts';
import { computeCoverage, INTERRUPTED, MUTATION_NOT_SENT, NO_OBJECT_CREATED, type Coverage } from './coverage.ts';
import { cleanUp, CleanupLedger, type CleanupReport, type CreatedObject } from './cleanup.ts';
import { toCurl, type Secret } from './curl.ts';
import { findCreated, itemRoutes, lookupFor, objectPath, runTag } from './identify.ts';
import { discoverValues, exchangeOf, type DiscoveryReport } from './discover.ts';
import { judge, type UnsupportedChecks } from './judge.ts';
import { planCases, valueCase, type CredentialSource, type PlanOptions } from './plan.ts';
import { redactRequest } from './redact.ts';
import type { ShardInfo } from './shard.ts';
import { Sender, type SenderOptions } from './send.ts';
import type { CheckResult, ObservedResponse, RequestCase, RunBaseline } from './types.ts';
import { onlyFor, ownedOperations, otherUserScheme, planOtherUserCases, type OtherUserPair, type OtherUserSummary } from './other-user.ts';
import { ValueStore, type ChosenValues } from './values.ts';

export interface RunOptions extends SenderOptions, Pick<PlanOptions, 'classCredentials' | 'unsupportedClasses' | 'kinds'> {
  credentials: CredentialSource;
  /** Name of the environment variable curl reproducers use in place of the credential. */
  secretVariable: string;
  /** Further secrets the run sends (class credentials from a credentials file) and their variables. */
  extraSecrets?: Secret[];
  /** Operations to cover; all of the contract's when omitted. */
  operations?: OperationModel[];
  /**
   * Creations sent first but not reported, because `operations` change what they create (a shard
   * holding `DELETE /users/{id}` without `POST /users`: conformance/shard.ts). Only their valid
   * request is sent; what they create is removed by the clean-up like everything the run made.
   */
  supportOperations?: OperationModel[];
  concurrency?: number;
  validators?: ValidatorCache;
  /** Send state-changing requests (POST, PUT, PATCH, DELETE) even though the target is not loopback. */
  allowMutations?: boolean;
  /** Checks the target cannot be judged by (e.g. a mock with static answers), and why; reported as skipped. */
  unsupportedChecks?: UnsupportedChecks;
  /** Called after each case with (done, total so far). */
  onProgress?: (done: number, total: number) => void;
  /** Learn the target's ids with safe reads before checking (default true). */
  discover?: boolean;
  /** Stops the run: cases not sent yet are reported as interrupted, and what the run created is removed. */
  signal?: AbortSignal;
  /**
   * Two ordinary users for the object-level authorization sweep (conformance/other-user.ts): whose
   * objects, and whose credential asks for them. Without it the sweep's cases are reported as not covered.
   */
  otherUser?: OtherUserPair;
}

export interface RunResult {
  api: string;
  baseUrl: string;
  contractVersion: string;
  results: CheckResult[];
  durationMs: number;
  /**
   * Which operations had their success response judged, and why not the others (for recorded
   * traffic: which operations the recording exercised). Absent for a contract diff.
   */
  coverage?: Coverage;
  /** What the discovery phase learned before anything was checked. */
  discovery?: DiscoveryReport;
  /** Objects the run created and removed at the end, and any it could not remove. */
  cleanup?: CleanupReport;
  /** The run was stopped (Ctrl+C) before every case was sent; what was created was still cleaned up. */
  interrupted?: boolean;
  /** Set when the run is one shard of a split run (`--shard i/n`), so its report can be merged. */
  shard?: ShardInfo;
  /** Set when the run was judged against a baseline: the entries of its operations nothing matched. */
  baseline?: RunBaseline;
  /** The other-user sweep: how many objects of one user were asked for with another's credential; absent when no operation is owned. */
  otherUser?: OtherUserSummary;
}

/**
 * discover → plan → send → check → clean up. Safe reads first learn the target's real ids; then,
 * where state may change, creations run (shallow routes first) and each created object is read
 * back; then every other case; then deletes, one at a time and deepest first, each deleted object
 * read again to see it gone; finally whatever the run created and did not delete is removed, also
 * when the run is interrupted.
 */
export async function runContract(contract: Contract, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const validators = options.validators ?? sharedValidators;
  const secrets: Secret[] = [
    ...new Set(Object.values(contract.securitySchemes).map((s) => options.credentials(s)).filter((v): v is string => !!v)),
  ].map((value) => ({ value, variable: options.secretVariable }));
  secrets.push(...(options.extraSecrets ?? []));
  if (options.otherUser) secrets.push(...[options.otherUser.owner, options.otherUser.other].map(({ value, variable }) => ({ value, variable })));
  const local = isLoopbackUrl(options.baseUrl);
  const mutationsAllowed = options.allowMutations === true || local;
  const operations = options.operations ?? contract.operations;
  const signal = options.signal;
  const sender = new Sender(options);
  const store = new ValueStore(contract);
  const ledger = new CleanupLedger(contract);
  // One tag per run on the names of what it creates: a rerun neither collides with nor adopts what an earlier run left.
  const tag = runTag();
  const send = (rc: RequestCase) => sender.send(rc);
  const plan = (ops: OperationModel[], kinds = options.kinds) =>
    planCases(contract, {
      credentials: options.credentials,
      validators,
      operations: ops,
      classCredentials: options.classCredentials,
      unsupportedClasses: options.unsupportedClasses,
      kinds,
      values: (op) => store.choose(op, changesState(op) ? 'change' : 'read'),
      runTag: tag,
    });
  const supportOps = new Set(options.supportOperations ?? []);
  // Support cases feed the reported ones and report nothing themselves (no result, no follow-up read).
  const supportCases = new WeakSet<RequestCase>();
  const planSupport = (ops: OperationModel[]) => {
    const cases = ops.length > 0 ? plan(ops, ['positive']) : [];
    for (const rc of cases) supportCases.add(rc);
    return cases;
  };
  let total = 0;
  let done = 0;
  // Follow-up reads (read-back, gone) run only when the run plans those kinds (library mode's auth matrix does not).
  const followUps: RequestCase[] = [];
  const wants = (kind: RequestCase['kind']) => !options.kinds || options.kinds.includes(kind);

  const runCase = async (rc: RequestCase): Promise<CheckResult[]> => {
    if (supportCases.has(rc)) {
      if (!signal?.aborted && !rc.skipReason && mutationsAllowed) await learn(rc, await send(rc));
      options.onProgress?.(++done, total);
      return [];
    }
    const common = {
      api: contract.api,
      operationId: rc.operation.id,
      method: rc.method,
      path: rc.operation.path,
      case: rc.kind,
      mutation: rc.mutation,
      credentialClass: rc.credentialClass,
      valueOrigin: rc.values?.origin,
      request: redactRequest(rc, secrets),
      location: rc.operation.source,
      curl: toCurl(rc, options.baseUrl, secrets),
    };
    let results: CheckResult[];
    // A case that is not sent is reported once, under its primary check, with the reason.
    const notSent = (message: string): CheckResult[] => [{ ...common, check: primaryCheck(rc), status: 'skipped', message, findings: [] }];
    if (signal?.aborted) {
      results = notSent(INTERRUPTED);
    } else if (rc.skipReason) {
      results = notSent(rc.skipReason);
    } else if (!mutationsAllowed && changesState(rc.operation)) {
      // Safe against real systems: nothing that changes state is sent unless the user opted in.
      results = notSent(MUTATION_NOT_SENT);
    } else if (changesState(rc.operation) && !isCreationOf(rc) && rc.values?.origin === 'example' && (!local || store.discovered(rc.operation, rc.pathValues ?? {}))) {
      // Even then, an object the run did not create is never changed or deleted. On a local mock the
      // example values are tried (they usually name nothing, and the answer says so), unless the
      // target named that very object during discovery: then the example is one of its real objects
      // (the admin's API token 1), which a run must leave alone as on any other target.
      results = notSent(NO_OBJECT_CREATED);
    } else {
      const probe = rc.otherUser;
      if (probe?.missingCase) {
        // The id that does not exist first, so the check can compare the two answers.
        const twin = probe.missingCase;
        probe.missing = { objectId: probe.missingId ?? '', url: twin.url, response: await send(twin) };
      }
      const response = await send(rc);
      results = judge(contract, rc, response, { validators, origin: 'planned', unsupported: options.unsupportedChecks }).map((r) => ({ ...common, ...r }));
      await learn(rc, response);
    }
    options.onProgress?.(++done, total);
    return results;
  };

  /** What an answer teaches: values for later requests, objects to clean up, follow-up reads. */
  const learn = async (rc: RequestCase, response: ObservedResponse) => {
    const ok = response.status >= 200 && response.status <= 299;
    if (!ok) return;
    const op = rc.operation;
    if (isCreation(op)) {
      const added = store.harvest(op, response.status, () => exchangeOf(rc, response), 'created');
      let recorded = ledger.record(op, added);
      // The answer did not name the object, though it has routes of its own: look it up in a list.
      // An action on a collection (`POST /device/network/start_cli`) is taken to have made one of the
      // collection's objects only when it says so (201 Created) and its answer named nothing at all.
      const own = objectPath(contract, op) === op.path.replace(/\/$/, '');
      const unnamed = own ? !recorded.some((o) => o.deleteOp) : recorded.length === 0 && response.status === 201;
      if (unnamed && itemRoutes(contract, op).some((r) => r.method === 'delete')) recorded = await identifyCreated(rc);
      for (const obj of recorded) {
        if (obj.readOp && rc.kind === 'positive' && wants('read-back') && !supportCases.has(rc)) followUps.push(valueCase(contract, obj.readOp, 'read-back', createdValues(obj), options.credentials));
      }
    } else if (!changesState(op)) {
      store.harvest(op, response.status, () => exchangeOf(rc, response), 'discovered');
    } else if (op.method === 'delete' && rc.kind === 'positive' && rc.values?.origin === 'created') {
      // Only the object's own delete route removes it (`DELETE /user/{username}/email` does not).
      const obj = ledger.settle(op, rc.pathValues ?? {});
      if (!obj) return;
      store.forget(obj.values, obj.namedBy);
      const readOp = obj.readOp;
      if (readOp && wants('gone')) followUps.push(valueCase(contract, readOp, 'gone', { values: rc.pathValues ?? {}, origin: 'created', written: rc.values.written }, options.credentials));
    }
  };

  /**
   * Finds what a creation made through the list that names such objects (conformance/identify.ts),
   * and records it as if the creation's answer had named it: read back, deleted, cleaned up. What
   * cannot be found is reported as possibly left behind.
   */
  const identifyCreated = async (rc: RequestCase): Promise<CreatedObject[]> => {
    const op = rc.operation;
    const lookup = lookupFor(contract, op);
    if (!lookup) {
      ledger.unidentified(op, 'its answer does not name it, and no list read names such objects by a field the request sends');
      return [];
    }
    const sent = sentBody(rc);
    const list = valueCase(contract, lookup.producer, 'positive', { values: rc.pathValues ?? {}, origin: 'created', written: false }, options.credentials);
    const where = `${lookup.producer.method.toUpperCase()} ${lookup.producer.path}`;
    let found;
    try {
      const answer = await send(list);
      if (answer.status < 200 || answer.status > 299) found = { reason: `${where} answered ${answer.status}` };
      else found = findCreated(lookup, exchangeOf(list, answer).responseBody, sent);
      if ('answer' in found) {
        const listed = found.answer;
        const added = store.harvest(lookup.producer, answer.status, () => ({ ...exchangeOf(list, answer), responseBody: listed }), 'created');
        const recorded = ledger.record(op, added);
        if (recorded.some((o) => o.deleteOp)) return recorded;
        // Discovery had already seen that object: it is not the run's to remove.
        found = { reason: `the item of ${where} that matches (${describeValues(found.values)}) was there before the run created anything` };
      }
    } catch (err) {
      found = { reason: `${where} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    ledger.unidentified(op, found.reason);
    return [];
  };

  const runAll = async (cases: RequestCase[], limit: number): Promise<CheckResult[]> => {
    total += cases.length;
    return (await mapLimit(cases, limit, runCase)).flat();
  };
  /** Runs the reads the previous cases asked for (read-back, gone) and what they ask for in turn. */
  const runFollowUps = async (): Promise<CheckResult[]> => {
    const out: CheckResult[] = [];
    while (followUps.length > 0) out.push(...(await runAll(followUps.splice(0), 1)));
    return out;
  };

  const results: CheckResult[] = [];
  let discovery: DiscoveryReport | undefined;
  let otherUser: OtherUserSummary | undefined;
  /** The other-user sweep's results go with the rest; returns what it did for the summary. */
  const sweepOtherUser = async (): Promise<OtherUserSummary | undefined> => {
    const owned = ownedOperations(operations);
    // Library mode's matrix and runs restricted to other kinds plan no auth cases.
    if (owned.length === 0 || !wants('auth')) return undefined;
    const unsupported = options.unsupportedClasses?.classes.has('other-user') ? options.unsupportedClasses.reason : undefined;
    const pair = unsupported ? undefined : options.otherUser;
    const ownerValues = new ValueStore(contract);
    if (pair && options.discover !== false) {
      // The owner's own discovery: what they can read is what is theirs to be asked for.
      const scheme = (op: OperationModel) => otherUserScheme(contract, op);
      const schemes = new Set(owned.map(scheme));
      for (const s of schemes) {
        if (!s) continue;
        await discoverValues(contract, ownerValues, { credentials: onlyFor(s, pair.owner.value), send, signal, operations: owned.filter((op) => scheme(op) === s) });
      }
    }
    const cases = planOtherUserCases(contract, owned, ownerValues, pair, unsupported);
    const sweep = await runAll(cases, 1);
    results.push(...sweep);
    if (!pair) return { objects: 0, operations: 0, notCovered: unsupported ? `not covered: ${unsupported}` : cases[0]?.skipReason };
    const sent = cases.filter((c) => c.otherUser && sweep.some((r) => r.operationId === c.operation.id && r.status !== 'skipped'));
    return {
      objects: new Set(sent.map((c) => `${c.otherUser!.parameter}=${c.otherUser!.objectId}`)).size,
      operations: new Set(sent.map((c) => c.operation.id)).size,
      owner: pair.owner.name,
      other: pair.other.name,
    };
  };
  let cleanup: CleanupReport | undefined;
  const concurrency = options.concurrency ?? 4;
  try {
    if (options.discover !== false) // Only what will be sent needs values: on a target where state may not change, the operations that would are left out.
      discovery = await discoverValues(contract, store, { credentials: options.credentials, send, signal, operations: [...operations, ...supportOps].filter((op) => mutationsAllowed || !changesState(op)) });
    // Creations first, shallow routes before the routes under them, so what a deeper creation needs
    // (the user a token belongs to) exists; each level is planned once the previous one has run.
    const creations = mutationsAllowed ? operations.filter(isCreation) : [];
    const supporting = mutationsAllowed ? [...supportOps].filter(isCreation) : [];
    for (const level of [...new Set([...creations, ...supporting].map(depth))].sort((a, b) => a - b)) {
      const atLevel = (ops: OperationModel[]) => ops.filter((op) => depth(op) === level);
      results.push(...(await runAll([...planSupport(atLevel(supporting)), ...plan(atLevel(creations))], concurrency)));
      results.push(...(await runFollowUps()));
    }
    // Object-level authorization after the creations (which only add objects) and before the rest
    // changes or deletes existing ones: the owner's objects are discovered with the owner's
    // credential and asked for with another user's.
    otherUser = await sweepOtherUser();
    const rest = operations.filter((op) => !creations.includes(op));
    results.push(...(await runAll(plan(rest.filter((op) => op.method !== 'delete')), concurrency)));
    // Deleting runs last and one request at a time, nested resources before their parents, so a
    // stateful target keeps the objects other requests use until they are done with them. Each
    // delete's follow-up (the deleted object read again) runs right after it.
    // Objects the run created go newest first (a device before the user who owns it), then the
    // rest deepest first.
    const created = (op: OperationModel) => {
      const chosen = store.choose(op, 'change');
      return chosen?.origin === 'created' ? (chosen.seq ?? 0) : -1;
    };
    const deletes = rest.filter((op) => op.method === 'delete').sort((a, b) => created(b) - created(a) || depth(b) - depth(a));
    for (const op of deletes) {
      results.push(...(await runAll(plan([op]), 1)));
      results.push(...(await runFollowUps()));
    }
  } catch (err) {
    // The run cannot go on (the target stopped answering): still try to remove what it created,
    // and say what is left, with the requests that would remove it, in the one error line's tail.
    cleanup = await cleanUp(contract, ledger, { credentials: options.credentials, send, baseUrl: options.baseUrl, secrets });
    if (err instanceof Error && cleanup.leftovers.length > 0) {
      err.message += `\n${cleanup.leftovers.length} object(s) the run created are left:${cleanup.leftovers.map((l) => `\n  ${l.object}: ${l.curl ?? l.reason}`).join('')}`;
    }
    throw err;
  } finally {
    cleanup ??= await cleanUp(contract, ledger, { credentials: options.credentials, send, baseUrl: options.baseUrl, secrets });
    await sender.close();
  }
  return {
    api: contract.api,
    baseUrl: options.baseUrl,
    contractVersion: contract.version,
    results,
    durationMs: Math.round(performance.now() - started),
    coverage: computeCoverage(operations, results),
    discovery,
    cleanup,
    interrupted: signal?.aborted === true ? true : undefined,
    otherUser,
  };
}

/** The JSON body a case sent (a negative case's differs from the planned one). */
function sentBody(rc: RequestCase): Record<string, unknown> {
  if (rc.body === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(rc.body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function describeValues(values: Record<string, unknown>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

function createdValues(obj: CreatedObject): ChosenValues {
  return { values: obj.values, origin: 'created', written: obj.written, from: obj.createdBy };
}

/** A creation's own request: it makes a new object rather than changing one. */
function isCreationOf(rc: RequestCase): boolean {
  return isCreation(rc.operation) && rc.values?.origin !== 'example';
}

function depth(op: OperationModel): number {
  return op.path.split('/').length;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
