// The one way the pages talk to the API: typed documents (src/gql, made from
// schema.graphql) over fetch, subscriptions over graphql-ws, the bearer token kept in
// this browser's local storage.
import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "./gql/graphql";

export const graphqlUrl = "/graphql";
const TOKEN_KEY = "ledger-token";

export class AuthNeeded extends Error {}

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
  subscriptions?.dispose();
  subscriptions = null;
}

export function authHeaders(): Record<string, string> {
  const value = token();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

export async function request<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
): Promise<Result> {
  const response = await fetch(graphqlUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", ...authHeaders() },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  if (response.status === 401) throw new AuthNeeded("a token is needed");
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data as Result;
}

export function websocketUrl(): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${graphqlUrl}`;
}

let subscriptions: Client | null = null;

/** Each result of a subscription until the returned function is called. */
export function subscribe<Result>(
  document: TypedDocumentString<Result, Record<string, never>>,
  onResult: (result: Result) => void,
): () => void {
  subscriptions ??= createClient({ url: websocketUrl(), connectionParams: () => ({ token: token() }) });
  return subscriptions.subscribe<Result>(
    { query: document.toString() },
    { next: (message) => message.data && onResult(message.data as Result), error: () => {}, complete: () => {} },
  );
}
