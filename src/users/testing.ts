// What other modules' tests use from users: a single sign-on provider of their own.
export { signInAtProvider, startTestProvider, type TestProvider } from "./oidc-test-provider.ts";
