// For `npm run typecheck` only, which has no generated types: there the client
// programs in this folder see 'newsroom-cms-openapi' as untyped (`any`), and only
// their syntax and their own annotations are checked. test/generated-client.test.ts
// generates the real types from openapi/openapi.json, maps this name to them
// (tsconfig `paths`), leaves this file out, and checks the programs strictly.
declare module 'newsroom-cms-openapi' {
  export type paths = any // eslint-disable-line @typescript-eslint/no-explicit-any
}
