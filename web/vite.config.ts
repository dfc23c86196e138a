// Built into the Python package (src/ledger/webapp), which `ledger serve` serves at / and
// /graphiql: nothing is loaded from outside the server.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "../src/ledger/webapp",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { app: "index.html", graphiql: "graphiql.html" } },
  },
  server: { proxy: { "/graphql": { target: "http://127.0.0.1:8000", ws: true } } },
});
