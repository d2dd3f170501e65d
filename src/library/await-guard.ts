/**
 * Fails a test in which an asynchronous `toMatchContract` was not awaited.
 *
 * Vitest runs a custom matcher's promise without tracking it: `expect(response).toMatchContract(api)`
 * without `await` lets the test end before the body is read and the contract judged, so a response
 * that breaks the contract passes (the rejection lands after the test, or after the run, unseen).
 * The guard wraps the registered assertion method: every promise it returns is tracked, marked as
 * awaited when anyone subscribes to it (`await`, `return`, `.then`, `Promise.all`), and checked
 * when the test finishes. Only imported by the vitest setup module, so the library never loads vitest.
 */
import { afterAll, chai } from 'vitest';

interface Pending {
  awaited: boolean;
  /** The call as written, for the message: `expect(actual).toMatchContract('defguard')`. */
  call: string;
  /** Where the call is, so the failure points at the line missing its `await`. */
  callStack: string;
  /** The outcome, without ever rejecting (a rejection nobody handles would be reported twice). */
  outcome: Promise<{ error?: unknown }>;
}

/** Calls made outside a test (in a `beforeAll`, at collection): checked when the file's tests end. */
const outsideTests = new Set<Pending>();
let afterAllRegistered = false;

type AssertionMethod = (this: object, ...args: unknown[]) => unknown;
type TestLike = { context?: { onTestFinished?: (fn: () => Promise<void>) => void } };

/**
 * Wraps the already registered assertion `name` (after `expect.extend`) so its promises must be awaited.
 * Throws when vitest did not register it where chai keeps assertions: the guard must not silently
 * do nothing.
 */
export function requireAwait(name: string): void {
  const proto = chai.Assertion.prototype as unknown as Record<string, AssertionMethod>;
  const registered = proto[name];
  if (typeof registered !== 'function') throw new Error(`security-api-contracts/vitest: vitest did not register ${name}; cannot guard it`);
  if (!afterAllRegistered) {
    // Registered at the top of the setup module, so it belongs to each test file's root suite.
    afterAll(async () => {
      const left = [...outsideTests];
      outsideTests.clear();
      for (const pending of left) await check(pending);
    });
    afterAllRegistered = true;
  }
  chai.util.addMethod(proto, name, function guarded(this: object, ...args: unknown[]) {
    // Keep the stack frame of this wrapper as the one chai trims assertion stacks to.
    const locked = chai.util.flag(this, 'lockSsfi');
    chai.util.flag(this, 'lockSsfi', true);
    let result: unknown;
    try {
      result = registered.apply(this, args);
    } finally {
      chai.util.flag(this, 'lockSsfi', locked);
    }
    if (!(result instanceof Promise)) return result;
    return track(result, describeCall(this, name, args), chai.util.flag(this, 'vitest-test') as TestLike | undefined);
  });
}

function track(promise: Promise<unknown>, call: string, test: TestLike | undefined): PromiseLike<unknown> {
  const pending: Pending = {
    awaited: false,
    call,
    callStack: new Error('stack').stack?.split('\n').slice(3).join('\n') ?? '',
    outcome: promise.then(
      () => ({}),
      (error: unknown) => ({ error }),
    ),
  };
  const onTestFinished = test?.context?.onTestFinished;
  if (typeof onTestFinished === 'function') onTestFinished(() => check(pending));
  else outsideTests.add(pending);
  // The failure is thrown after an `await`, from a stack without the test's frames: give it the
  // call's stack, so vitest shows the assertion's line.
  const located = promise.catch((err: unknown) => {
    if (err instanceof Error) err.stack = `${err.name}: ${err.message}\n${pending.callStack}`;
    throw err;
  });
  located.catch(() => undefined); // handled by `check` or by whoever awaits
  const subscribe = () => {
    pending.awaited = true;
    outsideTests.delete(pending);
    return located;
  };
  return {
    then: (onFulfilled, onRejected) => subscribe().then(onFulfilled, onRejected),
    catch: (onRejected: (reason: unknown) => unknown) => subscribe().catch(onRejected),
    finally: (onFinally: () => void) => subscribe().finally(onFinally),
    [Symbol.toStringTag]: 'Promise',
  } as PromiseLike<unknown> & Pick<Promise<unknown>, 'catch' | 'finally'>;
}

async function check(pending: Pending): Promise<void> {
  if (pending.awaited) return;
  const { error } = await pending.outcome;
  const verdict = error
    ? `Its verdict, which the test did not see:\n${(error as Error).message ?? String(error)}`
    : 'It passed this time, but without `await` a failure would not fail the test.';
  const err = new Error(
    `${pending.call} was not awaited: write \`await ${pending.call}\`. ` +
      'Without `await` the test ends before the response is judged, so it passes whatever the response is. ' +
      `${verdict}`,
  );
  err.name = 'UnawaitedMatcherError';
  err.stack = `${err.name}: ${err.message}\n${pending.callStack}`;
  throw err;
}

/** `expect(actual).not.toMatchContract('defguard', { method: 'POST' })`, with the arguments as given. */
function describeCall(assertion: object, name: string, args: unknown[]): string {
  const not = chai.util.flag(assertion, 'negate') ? 'not.' : '';
  const soft = chai.util.flag(assertion, 'soft') ? '.soft' : '';
  const shown = args.map((a) => (typeof a === 'string' ? `'${a}'` : a && typeof a === 'object' ? inspectOptions(a) : String(a))).join(', ');
  return `expect${soft}(actual).${not}${name}(${shown})`;
}

function inspectOptions(value: object): string {
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}
