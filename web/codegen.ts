// Every GraphQL document in the pages is typed from the API's schema.graphql: a schema
// change that breaks a page fails `npm run build` (and so `make setup` and `make test`).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.tsx", "src/**/*.ts", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Decimal: "string", Date: "string", DateTime: "string", JSON: "unknown" },
      },
    },
  },
};

export default config;
