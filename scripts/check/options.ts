// Rule settings in gitops.yaml (`lint.rules.<id>`): the JSON schema editors and the config loader use,
// generated from the registry (schemas/gitops.schema.json `definitions.lintRules`), and the check of
// every rule's `options` against its meta.options when a run starts (plugins' rules included).
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { JsonPath, LintConfig, RuleMeta } from '../types.ts';

const require = createRequire(import.meta.url);

const SEVERITY_REF = { $ref: '#/definitions/severity' };

/** The object form of a setting, with the rule's own options schema (or none allowed). */
function settingObject(options: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      severity: {
        ...SEVERITY_REF,
        description: 'error, warning, info, or off (off needs a reason); for every environment env does not name.',
      },
      env: {
        type: 'object',
        additionalProperties: SEVERITY_REF,
        description: 'Severity per environment name; `default` for every environment not named.',
      },
      reason: { type: 'string', description: 'Why the rule is turned down or off; required for off.' },
      options: options
        ? { description: "The rule's options (gitops explain <rule> describes them).", ...options }
        : { type: 'object', additionalProperties: false, description: 'This rule takes no options.' },
    },
  };
}

/** One rule's setting: a severity, or the object form (if/then/else, so errors come from the shape used). */
function settingSchema(description: string, options?: Record<string, unknown>): Record<string, unknown> {
  return {
    description,
    if: { type: 'string' },
    then: SEVERITY_REF,
    else: settingObject(options),
  };
}

/**
 * `definitions.lintRules` of schemas/gitops.schema.json: every rule id with its options, so editors
 * complete ids and options and the config loader rejects a misspelt option at its line. Ids the
 * registry does not know (plugin rules) take the generic shape; the run checks those against the plugins.
 */
export function lintRulesSchema(metas: readonly RuleMeta[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const meta of [...metas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const description = `${meta.description} (default: ${meta.defaultSeverity})`;
    // Rules without options share one definition (ruleSetting); a rule's own options are spelled out.
    properties[meta.id] = meta.options
      ? settingSchema(description, meta.options)
      : { description, allOf: [{ $ref: '#/definitions/ruleSetting' }] };
  }
  return {
    type: 'object',
    description:
      'Per-rule settings: a severity, or { severity, env, reason, options }. Generated from the rule registry: npx gitops rules --write-config-schema.',
    properties,
    additionalProperties: settingSchema(
      'A plugin rule (lint.plugins): checked against its own options when the run loads it.',
      {
        type: 'object',
      },
    ),
  };
}

const compiled = new WeakMap<object, ValidateFunction>();

function optionsValidator(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // ajv is loaded only when a gitops.yaml sets a rule's options (most runs set none).
    const Ajv = require('ajv') as typeof import('ajv').default;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface SettingProblem {
  /** Where in gitops.yaml: ['lint', 'rules', id, 'options', ...]. */
  path: JsonPath;
  message: string;
}

/** Options set for a rule that takes none, or that do not match the rule's options schema. */
export function ruleOptionsProblems(config: LintConfig | undefined, metas: readonly RuleMeta[]): SettingProblem[] {
  const settings = config?.lint?.rules ?? {};
  const problems: SettingProblem[] = [];
  for (const meta of metas) {
    const setting = settings[meta.id];
    if (!setting || typeof setting !== 'object' || setting.options === undefined) continue;
    const at: JsonPath = ['lint', 'rules', meta.id, 'options'];
    if (!meta.options) {
      if (isEmptyObject(setting.options)) continue;
      problems.push({ path: at, message: `lint.rules.${meta.id}.options: ${meta.id} takes no options. Remove them` });
      continue;
    }
    const validate = optionsValidator(meta.options);
    if (validate(setting.options)) continue;
    for (const error of validate.errors ?? []) {
      const path: JsonPath = [...at, ...error.instancePath.split('/').slice(1)];
      if (error.keyword === 'additionalProperties') {
        const name = (error.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((meta.options.properties as Record<string, unknown> | undefined) ?? {});
        problems.push({
          path: [...path, name],
          message: `lint.rules.${meta.id}.options has no option "${name}"${known.length ? ` (${meta.id} takes ${known.join(', ')})` : ''}. Fix its spelling or remove it`,
        });
      } else {
        problems.push({
          path,
          message: `${['lint.rules', meta.id, 'options', ...path.slice(4)].join('.')} ${error.message}. Change the value`,
        });
      }
    }
  }
  return problems;
}

/** gitops.schema.json's text with `definitions.lintRules` generated and `lint.rules` pointing at it. */
export function configSchemaWithRules(schemaText: string, metas: readonly RuleMeta[]): string {
  const schema = JSON.parse(schemaText) as {
    definitions: Record<string, unknown> & { lint: { properties: Record<string, unknown> } };
  };
  schema.definitions.lint.properties.rules = {
    $ref: '#/definitions/lintRules',
    description:
      'Per-rule severity, per environment, with a reason, and options: completes every rule id (npx gitops rules lists them).',
  };
  schema.definitions.lint.properties.plugins = {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description:
      'Modules with custom rules (docs/custom-rules.md), relative to the repository root. Loading one runs its code, so validate loads them only with --allow-plugins.',
  };
  schema.definitions.lintRules = lintRulesSchema(metas);
  schema.definitions.ruleSetting = settingSchema('A severity, or { severity, env, reason }.');
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
