// GraphiQL from the bundled assets: the schema explorer works without internet
// (strawberry's own page loads React and GraphiQL from a CDN).
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import { createRoot } from "react-dom/client";
import { authHeaders, graphqlUrl, websocketUrl } from "./api";

const fetcher = createGraphiQLFetcher({
  url: graphqlUrl,
  subscriptionUrl: websocketUrl(),
  headers: authHeaders(),
});

createRoot(document.getElementById("graphiql")!).render(<GraphiQL fetcher={fetcher} />);
