import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Contract, OperationModel } from '../../src/core/contract/model.ts';
import { formatPreferences, parsePrefer } from '../../src/core/prefer.ts';
import { readDelay, wait } from './faults.ts';
import { chooseDeclared, declaredReply, sendReply, type DeclaredChoice } from './replies.ts';

/** The preferences the stateful mock honours; others are ignored, as RFC 7240 asks of servers. */
const HONOURED = ['code', 'example', 'delay'] as const;

/**
 * Scenarios for frontends: a request asks, in its `Prefer` header as for Prism, for one declared
 * status (`code=404`) and/or named example (`example=serverError`) of its operation, and for a delay
 * (`delay=800`). A scenario is answered by the contract's declared response, built by `declaredReply`
 * like every answer the mock makes up, and the handler does not run: the state stays as it was. A
 * delay alone holds the request and then lets it through to its handler as usual. Either way the
 * answer says what was applied in `Preference-Applied` (RFC 7240).
 *
 * This runs as the last gate, after auth: a scenario never answers a request whose credential the
 * mock refuses. What the operation does not declare, or a delay out of bounds, is a 400 that names
 * what may be asked for: never another answer in its place.
 *
 * A request without the header costs one header lookup.
 */
export function preferenceGate(contract: Contract) {
  return (req: FastifyRequest, reply: FastifyReply, op: OperationModel): Promise<void> | undefined => {
    const header = req.headers.prefer;
    if (header === undefined) return undefined;
    return applyPreferences(contract, reply, op, parsePrefer(header));
  };
}

async function applyPreferences(contract: Contract, reply: FastifyReply, op: OperationModel, prefs: Map<string, string>): Promise<void> {
  if (!HONOURED.some((name) => prefs.has(name))) return;
  // A mistake in the scenario, not a request the API refuses: the contract's 400 would hide it.
  const refuse = (body: Record<string, unknown>) => {
    reply.code(400).type('application/json').header('x-mock-reason', 'unusable Prefer header').send(body);
  };

  let delay: number | undefined;
  if (prefs.has('delay')) {
    const read = readDelay(prefs.get('delay'));
    if (typeof read !== 'number') return refuse({ error: `Prefer: delay: ${read.problem}` });
    delay = read;
  }
  let choice: DeclaredChoice | undefined;
  if (prefs.has('code') || prefs.has('example')) {
    const code = prefs.get('code');
    if (code !== undefined && !/^[1-5]\d\d$/.test(code)) return refuse({ error: `Prefer: code must be an HTTP status such as 404; got '${code}'` });
    const example = prefs.get('example');
    if (example === '') return refuse({ error: 'Prefer: example needs the name of one of the operation\'s examples' });
    const chosen = chooseDeclared(op, { status: code === undefined ? undefined : Number(code), example });
    if ('problem' in chosen) return refuse({ error: `Prefer: ${chosen.problem}`, declaredCodes: chosen.declaredCodes, examples: chosen.examples });
    choice = chosen;
  }

  const applied = HONOURED.filter((name) => prefs.has(name)).map((name) => [name, prefs.get(name)!] as const);
  if (delay) await wait(delay);
  if (!choice) {
    reply.header('preference-applied', formatPreferences(applied));
    return;
  }
  sendReply(reply, op, declaredReply(contract, op, choice, undefined, { 'preference-applied': formatPreferences(applied) }));
}
