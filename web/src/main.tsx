// The app: a page per hash route, each loaded when first opened; a token asked for when
// the API wants one; posting buttons only for the roles allowed to post.
import { createContext, lazy, StrictMode, Suspense, useContext, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { request, setToken, token } from "./api";
import { graphql } from "./gql";
import "./style.css";
import { useLoad } from "./ui";

const pages = {
  "post-cost": lazy(() => import("./pages/PostCost")),
  journal: lazy(() => import("./pages/Journal")),
  entries: lazy(() => import("./pages/Entries")),
  navigate: lazy(() => import("./pages/Navigate")),
  items: lazy(() => import("./pages/Items")),
  balances: lazy(() => import("./pages/Balances")),
};
type PageName = keyof typeof pages;

const MENU: [PageName, string][] = [
  ["post-cost", "Post Inventory Cost to G/L"],
  ["journal", "Item journal"],
  ["entries", "Entries"],
  ["navigate", "Navigate"],
  ["items", "Items"],
  ["balances", "Trial balance"],
];

const MyRole = graphql(`
  query MyRole {
    myRole
  }
`);

/** "viewer", "poster" or "admin"; pages hide what the role may not do (the API refuses it anyway). */
export const RoleContext = createContext<string>("viewer");

export function useCanPost(): boolean {
  const role = useContext(RoleContext);
  return role === "poster" || role === "admin";
}

function route(): { page: PageName; args: string[] } {
  const [name, ...args] = location.hash.replace(/^#\/?/, "").split("/");
  return { page: (name in pages ? name : "post-cost") as PageName, args: args.map(decodeURIComponent) };
}

function TokenForm({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState("");
  return (
    <form
      className="token"
      onSubmit={(event) => {
        event.preventDefault();
        setToken(value.trim() || null);
        onDone();
      }}
    >
      <p>This ledger asks for a token. Paste the one you were given.</p>
      <label className="field">
        <span>Token</span>
        <input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
      </label>
      <button type="submit">Sign in</button>
    </form>
  );
}

function App() {
  const [where, setWhere] = useState(route);
  const [asking, setAsking] = useState(false);
  const role = useLoad(() => request(MyRole).then((data) => data.myRole), [asking]);
  useEffect(() => {
    const moved = () => setWhere(route());
    const ask = () => setAsking(true);
    window.addEventListener("hashchange", moved);
    window.addEventListener("ledger-auth-needed", ask);
    return () => {
      window.removeEventListener("hashchange", moved);
      window.removeEventListener("ledger-auth-needed", ask);
    };
  }, []);
  const Current = pages[where.page];
  return (
    <RoleContext.Provider value={role.data ?? "viewer"}>
      <header>
        <a className="brand" href="#/post-cost">
          ledger
        </a>
        <nav aria-label="Pages">
          {MENU.map(([name, title]) => (
            <a key={name} href={`#/${name}`} aria-current={where.page === name ? "page" : undefined}>
              {title}
            </a>
          ))}
          <a href="/graphiql">GraphiQL</a>
        </nav>
        <span className="who">
          {role.data ?? ""}
          {token() && (
            <button type="button" className="link" onClick={() => (setToken(null), setAsking(true))}>
              sign out
            </button>
          )}
        </span>
      </header>
      <main>
        {asking ? (
          <TokenForm onDone={() => setAsking(false)} />
        ) : (
          <Suspense fallback={<p className="loading">Loading...</p>}>
            <Current key={`${where.page}/${where.args.join("/")}`} args={where.args} />
          </Suspense>
        )}
      </main>
    </RoleContext.Provider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
