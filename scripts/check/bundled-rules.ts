// The rule modules of a bundle. Sources, the compiled tree the tests load and dist/'s modules find the
// rules by scanning the rules folders at run time (scripts/check/registry.ts: adding a rule is adding its
// file). A bundle has no folders to scan: bin/checkout-build.js puts a generated module in place of
// this one, with a static import of each file the same scan finds at build time (`bundledRulesPlugin`).

/** A rule file as the build found it: its path relative to scripts/ (`rules/api/x.ts`) and what it exports. */
export interface BundledRuleModule {
  where: string;
  module: { default?: unknown };
}

/** Per rules folder (registry.ts's RULE_FOLDERS), its modules sorted by path; undefined outside a bundle. */
export const bundledRuleModules: ReadonlyMap<string, readonly BundledRuleModule[]> | undefined = undefined;
