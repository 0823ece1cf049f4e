// A real OpenID Connect provider on loopback for the single sign-on tests: the certified
// `oidc-provider` package with its development login pages (any password, the login names the
// account). Accounts and their groups come from OIDC_TEST_ACCOUNTS (JSON); the one client is
// confidential and must use PKCE. Prints "ready <issuer>" once it listens.
import { Provider } from "oidc-provider";

const port = Number(process.env.OIDC_TEST_PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || "{}");

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID,
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_TEST_REDIRECT_URIS.split(","),
      post_logout_redirect_uris: (process.env.OIDC_TEST_POST_LOGOUT_URIS || "").split(",").filter(Boolean),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile", "groups"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["given_name", "family_name", "preferred_username"],
    groups: ["groups"],
  },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...account };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["test-only-cookie-key-0123456789"] },
});
provider.proxy = false;

const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
