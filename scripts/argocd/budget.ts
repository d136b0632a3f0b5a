// Bounds on the work an ApplicationSet can make the expansion do. The repository is hostile input:
// `range until 100000000`, a 1000 x 1000 matrix or a string doubled in a loop would otherwise run the
// process out of memory. Argo CD has no such limits (its controller would struggle too); the checker
// stops at a budget and says so with an error finding on the ApplicationSet, because what such a set
// deploys cannot be checked. The limits are far above any real ApplicationSet (a fleet of 3,000
// services x 3 environments is 9,000 Applications).
export const EXPANSION_LIMITS = {
  /** Parameter sets one generator may yield (a matrix counts its product). */
  paramSets: 10_000,
  /** Applications one ApplicationSet may generate. */
  applications: 10_000,
  /** Template loop iterations and list elements built by template functions, per ApplicationSet. */
  iterations: 1_000_000,
  /** Characters written by templates (output and function results), per ApplicationSet. */
  outputChars: 32 * 1024 * 1024,
  /** Characters written by templates over every ApplicationSet of a repository. */
  repositoryOutputChars: 256 * 1024 * 1024,
  /** Applications generated over every ApplicationSet of a repository. */
  repositoryApplications: 100_000,
};

export type ExpansionLimits = typeof EXPANSION_LIMITS;

export class BudgetExceeded extends Error {}

interface Counter {
  used: number;
  limit: number;
  what: string;
}

/** The work left for one ApplicationSet, and optionally for the repository it belongs to. */
export class ExpansionBudget {
  private readonly output: Counter[];
  private readonly iterations: Counter;
  private readonly apps: Counter[];

  constructor(
    readonly limits: ExpansionLimits = EXPANSION_LIMITS,
    repository?: RepositoryBudget,
  ) {
    this.output = [{ used: 0, limit: limits.outputChars, what: `${limits.outputChars} characters of template output` }];
    this.apps = [{ used: 0, limit: limits.applications, what: `${limits.applications} Applications` }];
    if (repository) {
      this.output.push(repository.output);
      this.apps.push(repository.applications);
    }
    this.iterations = { used: 0, limit: limits.iterations, what: `${limits.iterations} template iterations` };
  }

  chargeOutput(chars: number): void {
    for (const counter of this.output) charge(counter, chars);
  }

  chargeIterations(count: number): void {
    charge(this.iterations, count);
  }

  chargeApplication(): void {
    for (const counter of this.apps) charge(counter, 1);
  }

  /** Throws before a generator yields more parameter sets than allowed. */
  checkParamSets(count: number): void {
    if (count > this.limits.paramSets)
      throw new BudgetExceeded(`more than ${this.limits.paramSets} parameter sets (${count})`);
  }
}

/** Shared by every ApplicationSet of one repository. */
export class RepositoryBudget {
  readonly output: Counter;
  readonly applications: Counter;

  constructor(limits: ExpansionLimits = EXPANSION_LIMITS) {
    this.output = {
      used: 0,
      limit: limits.repositoryOutputChars,
      what: `${limits.repositoryOutputChars} characters of template output in the repository`,
    };
    this.applications = {
      used: 0,
      limit: limits.repositoryApplications,
      what: `${limits.repositoryApplications} generated Applications in the repository`,
    };
  }
}

function charge(counter: Counter, amount: number): void {
  counter.used += amount;
  if (counter.used > counter.limit) throw new BudgetExceeded(`more than ${counter.what}`);
}

/** The size a template value adds: characters of a string, elements of a list, keys of a map. */
export function valueSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 0;
}
