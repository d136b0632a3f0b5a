// Where a run's time goes, stage by stage (`gitops validate --timing`): the coarse view beside the
// per-rule table, so a person (or the next engineer) sees whether loading, the rules, the findings'
// sorting and filtering or writing the report is what a repository pays for, without a profiler.

export interface StageTiming {
  stage: string;
  /** Wall time of the stage in milliseconds (child processes it waited on included). */
  ms: number;
}

/** Time from one mark to the next is the stage the mark names; marks of one name add up. */
export class StageClock {
  readonly stages: StageTiming[] = [];
  private last = performance.now();

  /** Ends the stage that ran since the previous mark (or since the clock was made). */
  mark(stage: string): void {
    const now = performance.now();
    addStage(this.stages, stage, now - this.last);
    this.last = now;
  }

  /** Adds stages timed elsewhere (a called stage's own clock) that ran since the previous mark. */
  record(stages: readonly StageTiming[]): void {
    for (const { stage, ms } of stages) addStage(this.stages, stage, ms);
    this.last = performance.now();
  }
}

/** `into` with `stage` added: a stage already there gains the time, a new one goes last. */
export function addStage(into: StageTiming[], stage: string, ms: number): void {
  const known = into.find((timing) => timing.stage === stage);
  if (known) known.ms += ms;
  else into.push({ stage, ms });
}

/** Several runs' stages (one per folder or file group of a command line) summed by stage, in first-seen order. */
export function sumStages(runs: readonly (readonly StageTiming[])[]): StageTiming[] {
  const out: StageTiming[] = [];
  for (const stages of runs) for (const { stage, ms } of stages) addStage(out, stage, ms);
  return out;
}
