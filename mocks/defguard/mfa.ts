import { randomBytes } from 'node:crypto';
import type { operations } from '../../generated/defguard.ts';
import type { CredentialStore } from '../kit/credentials.ts';
import type { ControlRoute } from '../kit/define.ts';
import type { Handlers } from '../kit/types.ts';
import {
  disableMfa, isRefusal, issueRecoveryCodes, mfaOf, missingUserAgent, securityKeysOf, sessionUser, userForAdminOrSelf, verifyMfaState,
} from './accounts.ts';
import type { DefguardState, UserInfo } from './model.ts';
import { failed, lockedOut, secondFactorPassed, TOO_MANY } from './sessions.ts';
import { newSecret, totpCode } from './totp.ts';

/**
 * Second factors (crates/defguard_core/src/handlers/auth.rs): TOTP, e-mail codes, WebAuthn security
 * keys and recovery codes, both setting them up (role routes, the caller's own account) and using
 * them as the second login step (raw-session routes, sessions.ts). Confirming a factor does not
 * turn MFA on by itself: `PUT /auth/mfa` does, and so does the next login (Defguard's
 * `verify_mfa_state`); turning it on ends all the user's sessions.
 *
 * TOTP and e-mail codes are real RFC 6238 codes (totp.ts). The mock sends no mail: the last e-mail
 * code per user is at `GET /__control/mfa/email-code/<username>`.
 *
 * WebAuthn: the mock cannot check attestation or assertion signatures. It accepts a credential
 * that is structurally one (the contract's fields: id, `public-key` type, the response parts) and
 * records the key; when clientDataJSON is readable it must be of the right type and carry the
 * challenge the mock issued. A login assertion must name one of the user's keys. Any
 * authenticator, real or scripted, gets through.
 */

/** `mfa_code_timeout_seconds`, Defguard's default (migrations/…_[2.0.0]_initial.up.sql). */
const EMAIL_CODE_STEP_SECONDS = 60;
const NULL_OK = { status: 200 as const, body: null };
// Failures Defguard maps to a bare status answer with the reason phrase.
const BAD_REQUEST = { status: 400 as const, body: { msg: 'Bad Request' } };
// WebAuthn registration errors are `WebError::WebauthnRegistration`, which Defguard answers as 500.
const REGISTRATION_FAILED = { status: 500 as const, body: { msg: 'Internal server error' } };

const naiveNow = () => new Date().toISOString().replace('Z', '');
const challenge = () => randomBytes(32).toString('base64url');

/** A code made from the e-mail secret, valid in its frame and the next (`verify_email_mfa_code`). */
function emailCodeMatches(secret: string | null | undefined, code: string): boolean {
  if (!secret) return false;
  const now = Date.now();
  return code === totpCode(secret, now, EMAIL_CODE_STEP_SECONDS) || code === totpCode(secret, now - EMAIL_CODE_STEP_SECONDS * 1000, EMAIL_CODE_STEP_SECONDS);
}

const totpMatches = (secret: string | null | undefined, code: string) => Boolean(secret) && code === totpCode(secret!);

/**
 * Whether a browser credential's clientDataJSON, when it can be read, is of the given type and
 * answers the challenge. The credential's structure is the contract's (the kit checked the body);
 * a clientDataJSON that is not base64url JSON is let through, as the mock verifies no signatures
 * anyway (see the module comment).
 */
function answersChallenge(credential: { response: { clientDataJSON: string } }, type: 'webauthn.create' | 'webauthn.get', expected: string | undefined): boolean {
  let data: { type?: unknown; challenge?: unknown };
  try {
    data = JSON.parse(Buffer.from(credential.response.clientDataJSON, 'base64url').toString('utf8')) as typeof data;
  } catch {
    return true;
  }
  if (typeof data !== 'object' || data === null) return true;
  return data.type === type && (expected === undefined || data.challenge === expected);
}

/** The relying party is the host the browser talks to (Defguard: its configured URL's host). */
const rpId = (headers: Record<string, string | string[] | undefined>) => String(headers.host ?? 'localhost').replace(/:\d+$/, '');

export function mfaHandlers(state: DefguardState, store: CredentialStore): Handlers<operations> {
  /** A factor was confirmed: recovery codes if it is the first, and it becomes the preferred method if there was none. */
  function factorAdded(u: UserInfo, method: UserInfo['mfa_method']) {
    const codes = issueRecoveryCodes(state, u.username);
    if (u.mfa_method === 'None') u.mfa_method = method;
    return { status: 200 as const, body: { codes } };
  }
  /** The user behind a raw session (second-factor steps); Defguard answers 404 `Invalid user` when it is gone. */
  const rawUser = (owner: string | undefined) => (owner ? state.users.get(owner) : undefined);
  const INVALID_USER = { status: 404 as const, body: { msg: 'Invalid user' } };

  return {
    mfaEnable: ({ credential }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const u = who.user;
      if (!u.mfa_enabled) verifyMfaState(state, u);
      if (!u.mfa_enabled) return { status: 304, body: undefined };
      // Defguard logs the user out everywhere, this session included, so the next login asks for the second factor.
      for (const s of store.list(u.username, 'session')) {
        store.remove(s.id);
        state.verifiedSessions.delete(s.id);
      }
      return NULL_OK;
    },
    mfaDisable: ({ credential, headers }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      disableMfa(state, who.user);
      return NULL_OK;
    },
    disableUserMfa: ({ credential, headers, params, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      disableMfa(state, t.user);
      return NULL_OK;
    },

    totpSecret: ({ credential }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      // A new secret replaces the old one at once, even while TOTP is on (as Defguard does).
      const secret = newSecret();
      mfaOf(state, who.user.username).totpSecret = secret;
      return { status: 200, body: { secret } };
    },
    totpEnable: ({ credential, headers, body }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const u = who.user;
      if (!totpMatches(mfaOf(state, u.username).totpSecret, body.code)) return { status: 404, body: { msg: 'Invalid TOTP code' } };
      u.totp_enabled = true;
      return factorAdded(u, 'OneTimePassword');
    },
    totpDisable: ({ credential, headers, params, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      if (t.user.totp_enabled) {
        t.user.totp_enabled = false;
        mfaOf(state, t.user.username).totpSecret = null;
      }
      verifyMfaState(state, t.user);
      return NULL_OK;
    },
    totpCode: ({ credential, body }) => {
      const u = rawUser(credential?.owner);
      if (!u) return INVALID_USER;
      if (lockedOut(state.passwords, u.username)) return TOO_MANY;
      if (u.totp_enabled && totpMatches(mfaOf(state, u.username).totpSecret, body.code)) return secondFactorPassed(state, credential, u);
      failed(state.passwords, u.username, Date.now());
      return { status: 401, body: { msg: 'Invalid TOTP code' } };
    },

    emailMfaInit: ({ credential }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      // The mock behaves as if SMTP were configured; the code goes to the control API instead of a mailbox.
      const m = mfaOf(state, who.user.username);
      m.emailSecret = newSecret();
      state.lastEmailCodes.set(who.user.username, { code: totpCode(m.emailSecret, Date.now(), EMAIL_CODE_STEP_SECONDS), purpose: 'setup', issued_at: naiveNow() });
      return NULL_OK;
    },
    emailMfaEnable: ({ credential, headers, body }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const u = who.user;
      if (!emailCodeMatches(mfaOf(state, u.username).emailSecret, body.code)) return { status: 404, body: { msg: 'Invalid email code' } };
      u.email_mfa_enabled = true;
      return factorAdded(u, 'Email');
    },
    emailMfaDisable: ({ credential, headers, params, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      if (t.user.email_mfa_enabled) {
        t.user.email_mfa_enabled = false;
        mfaOf(state, t.user.username).emailSecret = null;
      }
      verifyMfaState(state, t.user);
      return NULL_OK;
    },
    requestEmailMfaCode: ({ credential }) => {
      const u = rawUser(credential?.owner);
      if (!u) return INVALID_USER;
      const secret = mfaOf(state, u.username).emailSecret;
      if (!u.email_mfa_enabled || !secret) return { status: 401, body: { msg: 'Email MFA not enabled' } };
      state.lastEmailCodes.set(u.username, { code: totpCode(secret, Date.now(), EMAIL_CODE_STEP_SECONDS), purpose: 'login', issued_at: naiveNow() });
      return NULL_OK;
    },
    emailMfaCode: ({ credential, body }) => {
      const u = rawUser(credential?.owner);
      if (!u) return INVALID_USER;
      if (lockedOut(state.passwords, u.username)) return TOO_MANY;
      if (u.email_mfa_enabled && emailCodeMatches(mfaOf(state, u.username).emailSecret, body.code)) return secondFactorPassed(state, credential, u);
      failed(state.passwords, u.username, Date.now());
      return { status: 401, body: { msg: 'Invalid email MFA code' } };
    },

    recoveryCode: ({ credential, body }) => {
      const u = rawUser(credential?.owner);
      const m = u && mfaOf(state, u.username);
      const at = m ? m.recoveryCodes.indexOf(body.code) : -1;
      if (!u || !m || at < 0) return { status: 401, body: { msg: 'Unauthorized' } };
      // Each code works once.
      m.recoveryCodes.splice(at, 1);
      return secondFactorPassed(state, credential, u);
    },

    webauthnInit: ({ credential, headers }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const u = who.user;
      const c = challenge();
      state.webauthnChallenges.set(credential!.id, { purpose: 'register', challenge: c });
      // The shape of webauthn-rs's `CreationChallengeResponse`; keys the user has are excluded.
      const publicKey = {
        rp: { name: 'Defguard', id: rpId(headers) },
        user: { id: Buffer.from(u.username).toString('base64url'), name: u.username, displayName: u.username },
        challenge: c,
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
        timeout: 300000,
        attestation: 'none',
        excludeCredentials: securityKeysOf(state, u).map((k) => ({ type: 'public-key', id: k.credential_id })),
        authenticatorSelection: { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'preferred' },
      };
      return { status: 200, body: { publicKey } };
    },
    webauthnFinish: ({ credential, headers, body }) => {
      const who = sessionUser(state, credential);
      if (isRefusal(who)) return who;
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      // Structure only (the kit checked it against the contract): attestation is not verified.
      const pending = state.webauthnChallenges.get(credential!.id);
      if (!answersChallenge(body.rpkc, 'webauthn.create', pending?.purpose === 'register' ? pending.challenge : undefined)) return REGISTRATION_FAILED;
      state.webauthnChallenges.delete(credential!.id);
      const u = who.user;
      const id = state.nextAccountIds.securityKeys++;
      state.securityKeys.set(id, { id, name: body.name, user_id: u.id, credential_id: body.rpkc.id });
      return factorAdded(u, 'Webauthn');
    },
    webauthnStart: ({ credential, headers }) => {
      const u = rawUser(credential?.owner);
      if (!credential || !u) return BAD_REQUEST;
      const keys = securityKeysOf(state, u);
      // Deviation: webauthn-rs refuses to start (400) when the user has no key; the mock issues the
      // challenge with an empty `allowCredentials`, and the login then fails at `POST /auth/webauthn`.
      const c = challenge();
      state.webauthnChallenges.set(credential.id, { purpose: 'authenticate', challenge: c });
      const publicKey = { challenge: c, timeout: 300000, rpId: rpId(headers), allowCredentials: keys.map((k) => ({ type: 'public-key', id: k.credential_id })), userVerification: 'preferred' };
      return { status: 200, body: { publicKey } };
    },
    webauthnEnd: ({ credential, body }) => {
      const u = rawUser(credential?.owner);
      if (!credential || !u) return BAD_REQUEST;
      const pending = state.webauthnChallenges.get(credential.id);
      // Structure only, and the key must be one of the user's: the signature is not verified.
      if (!securityKeysOf(state, u).some((k) => k.credential_id === body.id)) return BAD_REQUEST;
      if (!answersChallenge(body, 'webauthn.get', pending?.purpose === 'authenticate' ? pending.challenge : undefined)) return BAD_REQUEST;
      state.webauthnChallenges.delete(credential.id);
      return secondFactorPassed(state, credential, u);
    },
    deleteSecurityKey: ({ credential, headers, params, ownership }) => {
      const noAgent = missingUserAgent(headers);
      if (noAgent) return noAgent;
      const t = userForAdminOrSelf(state, { credential, ownership }, params.username);
      if (isRefusal(t)) return t;
      const key = state.securityKeys.get(Number(params.id));
      if (!key) return { status: 404, body: { msg: 'security key not found' } };
      if (key.user_id !== t.user.id) return { status: 404, body: { msg: 'wrong security key' } };
      state.securityKeys.delete(key.id);
      verifyMfaState(state, t.user);
      return NULL_OK;
    },
  };
}

/** The e-mail code the mock would have sent: what a user would read in their mailbox. */
export const mfaControlRoutes: ControlRoute<DefguardState>[] = [
  {
    method: 'GET',
    path: '/mfa/email-code/:username',
    summary: 'the last e-mail MFA code issued to a user (the mock sends no mail)',
    handle: (state, { params }) => {
      const last = state.lastEmailCodes.get(params.username!);
      return last ? { status: 200, body: { username: params.username, ...last } } : { status: 404, body: { error: `no e-mail code was issued to ${params.username}` } };
    },
  },
];
