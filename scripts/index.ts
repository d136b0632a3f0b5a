// The library API: what another program (a CI bot, a platform portal, a test of your own repository)
// calls instead of the command line, the way kubeconform's pkg/validator is embedded. Everything here is
// stable within a major version; anything imported from deeper paths is not (package.json `exports`
// names only this module). docs/library.md shows each call.
export {
  validateRepository,
  loadRepoContext,
  exitCodeOf,
  renderReport,
  DEFAULT_KUBERNETES_VERSION,
  type ValidateOptions,
  type ValidateResult,
  type LoadOptions,
  type LoadResult,
} from './validate/index.ts';
export { renderKustomization, resolveKustomize, type Kustomize, type RenderResult } from './render/index.ts';
export { argoModel, expandApplicationSet, type ArgoApplication, type ArgoModel } from './argocd/index.ts';
export { generate, planRepository, type GenerateResult, type PlannedFile } from './generate/index.ts';
export { loadConfigFile, parseConfig, loadLintConfig } from './config/index.ts';
export { defineRule, type Rule, type RuleDefinition } from './check/contract.ts';
export { builtinRules } from './check/registry.ts';
export { reportFormats } from './report/index.ts';
export { InputError, UsageError } from './errors.ts';
export { toolInfo } from './tool.ts';
export type {
  Finding,
  Report,
  ReportFormat,
  RuleMeta,
  Severity,
  LintConfig,
  LintSettings,
  RepoContext,
  App,
  Resource,
} from './types.ts';
