import type { operations } from '../../generated/defguard.ts';
import { alphanumericToken } from '../kit/credentials.ts';
import type { Handlers } from '../kit/types.ts';

const authorizationCode = alphanumericToken('', 14);

/** The OAuth consent form (POST /api/v1/oauth/authorize): always a redirect back to the client. */
export function oauthHandlers(): Handlers<operations> {
  return {
    submitOauthConsent: ({ query, body }) => {
      let target: URL;
      try {
        target = new URL(query.redirect_uri);
      } catch {
        return { status: 400, body: { msg: 'invalid redirect_uri' } };
      }
      if (body?.allow === 'true') target.searchParams.set('code', authorizationCode());
      else target.searchParams.set('error', 'access_denied');
      if (query.state) target.searchParams.set('state', query.state);
      return { status: 302, body: undefined, headers: { location: target.toString() } };
    },
  };
}
