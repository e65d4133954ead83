// A real OpenID Connect provider for berth's integration tests: panva/oidc-provider (the
// certified implementation behind many IdPs) on loopback, nothing faked. What a test needs and
// a person would otherwise click:
//  - dynamic client registration (POST /reg) so each test registers its own client with the
//    redirect URI, token endpoint auth method and ID token algorithm (RS256, ES256, HS256) it
//    wants;
//  - an interaction endpoint that logs in the "next" account without a form and grants the
//    requested scopes (POST /test/next-account?id=bob chooses it; alice by default);
//  - two accounts: alice (groups berth-admins, dev) and bob (group dev).
// Keys (RSA-2048 and EC P-256) are generated at every start.
//
//   node provider.mjs PORT STATE_DIR
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] || 15002);
const issuer = `http://127.0.0.1:${port}`;

function signingKey(type, options, kid, alg) {
  const jwk = generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' });
  return { ...jwk, kid, alg, use: 'sig' };
}

const accounts = {
  alice: { sub: 'alice-sub', preferred_username: 'alice', email: 'alice@example.test',
           email_verified: true, groups: ['berth-admins', 'dev'] },
  bob: { sub: 'bob-sub', preferred_username: 'bob', email: 'bob@example.test',
         email_verified: true, groups: ['dev'] },
};
let nextAccount = 'alice';

const provider = new Provider(issuer, {
  clients: [],
  jwks: {
    keys: [
      signingKey('rsa', { modulusLength: 2048 }, 'rsa-1', 'RS256'),
      signingKey('ec', { namedCurve: 'P-256' }, 'ec-1', 'ES256'),
    ],
  },
  cookies: { keys: ['berth-test-cookie-key'] },
  features: {
    registration: { enabled: true },
    devInteractions: { enabled: false },
  },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256', 'HS256'] },
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: {
    openid: ['sub'],
    profile: ['preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  // Put the scopes' claims in the ID token itself, as Authentik and Keycloak do by default.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  findAccount: async (ctx, id) =>
    accounts[id] ? { accountId: id, claims: async () => accounts[id] } : undefined,
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

provider.use(async (ctx, next) => {
  if (ctx.path === '/test/next-account' && ctx.method === 'POST') {
    if (!accounts[ctx.query.id]) ctx.throw(400, 'unknown account');
    nextAccount = ctx.query.id;
    ctx.body = { next: nextAccount };
    return;
  }
  if (ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = nextAccount;
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(ctx.req, ctx.res,
      { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening at ${issuer}`));
