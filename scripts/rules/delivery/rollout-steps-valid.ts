import type { JsonPath } from '../../types.ts';
import { array, get, int, isRecord, record } from '../../kube/values.ts';
import { isRollout, rolloutStrategy } from '../../kube/rollouts.ts';
import { defineRule } from '../../check/contract.ts';

/** The step types a canary step may hold exactly one of (the controller's hasMultipleStepsType counts the first four). */
const STEP_TYPES = ['setWeight', 'pause', 'experiment', 'analysis'];
const OTHER_STEP_TYPES = ['setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'];

/** Go's time.ParseDuration grammar ("90s", "1h30m", "1.5h"), which Argo Rollouts falls back to after a plain integer. */
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$|^[-+]?0$/;

/**
 * Does the controller read this pause duration as zero or more seconds (RolloutPause.DurationSeconds:
 * an integer, a string of digits, else Go's ParseDuration; what fails is -1, which validation rejects)?
 */
export function pauseDurationReadable(duration: unknown): boolean {
  if (typeof duration === 'number') return Number.isInteger(duration) && duration >= 0;
  if (typeof duration !== 'string') return false;
  if (/^[-+]?\d+$/.test(duration)) return Number(duration) >= 0;
  return GO_DURATION.test(duration) && !duration.startsWith('-');
}

export default defineRule({
  meta: {
    id: 'rollout-steps-valid',
    description:
      "An Argo Rollouts canary's steps are ones the controller accepts: one action per step, weights within 0 to the maximum and never lowered, pauses it can read.",
    defaultSeverity: 'error',
    category: 'delivery',
    scope: 'resource',
    kinds: ['Rollout'],
    reach: 'scope',
    docs: {
      why: `Argo Rollouts validates a Rollout's steps before it starts an update; a step it rejects marks the
Rollout \`InvalidSpec\` and nothing is rolled out, while Argo CD shows the sync as successful. The
controller rejects (pkg/apis/rollouts/validation): a \`setWeight\` below 0 or above 100 (or above
\`trafficRouting.maxTrafficWeight\`), a step with two actions (\`setWeight\` and \`pause\` in one item) or
none, a \`pause.duration\` it cannot read ("5 min"; it takes seconds or Go durations such as \`5m\`), and
\`setCanaryScale\`, \`scaleDownDelaySeconds\` or \`dynamicStableScale\` without \`trafficRouting\`.

Weights must also go up: a step that lowers the canary's weight sends traffic back to the stable
version in the middle of an update, which is what an abort is for. After the last step the controller
promotes the canary to full weight by itself, so the steps need not end at 100.`,
      fix: `Give each step one action, keep weights ascending between 0 and 100, and write durations as
seconds or Go durations (\`30s\`, \`5m\`, \`1h\`).`,
    },
    examples: {
      bad: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    canary:
      steps:
        - setWeight: 40
        - pause: {duration: 5 min}
        - setWeight: 20
        - setWeight: 120`,
      good: `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: ghcr.io/acme/web:1.4.2}
  strategy:
    canary:
      steps:
        - setWeight: 20
        - pause: {duration: 5m}
        - setWeight: 40
        - pause: {duration: 300}`,
    },
  },
  check({ resource, report }) {
    if (!isRollout(resource.object)) return;
    const strategy = rolloutStrategy(resource.object);
    if (strategy?.kind !== 'canary') return;
    const name = resource.object.metadata?.name ?? '?';
    const canary = strategy.spec;
    const routed = isRecord(canary.trafficRouting);
    const maxWeight = (routed && int(get(canary, 'trafficRouting', 'maxTrafficWeight'))) || 100;
    const problem = (path: JsonPath, message: string) =>
      report({ resource, path: [...strategy.path, ...path], message: `Rollout "${name}": ${message}` });

    if (!routed) {
      for (const key of ['scaleDownDelaySeconds', 'dynamicStableScale'])
        if (canary[key] !== undefined && canary[key] !== false)
          problem([key], `${key} needs trafficRouting; the controller rejects the Rollout.`);
    }
    let highest: { weight: number; index: number } | undefined;
    array(canary.steps).forEach((step, index) => {
      const at: JsonPath = ['steps', index];
      const actions = [...STEP_TYPES, ...OTHER_STEP_TYPES].filter((key) => record(step)[key] != null);
      if (STEP_TYPES.filter((key) => actions.includes(key)).length > 1 || actions.length === 0) {
        problem(
          at,
          actions.length === 0
            ? `step ${index + 1} has no action (setWeight, pause, analysis, experiment...); the controller rejects the Rollout.`
            : `step ${index + 1} holds ${actions.join(' and ')}; a step takes one action, so the controller rejects the Rollout.`,
        );
        return;
      }
      const weight = get(step, 'setWeight');
      if (weight !== undefined) {
        const value = int(weight);
        if (value === undefined || value < 0 || value > maxWeight) {
          problem(
            [...at, 'setWeight'],
            `setWeight ${String(weight)} is outside 0-${maxWeight}; the controller rejects the Rollout.`,
          );
        } else if (highest && value < highest.weight) {
          problem(
            [...at, 'setWeight'],
            `step ${index + 1} lowers the canary's weight from ${highest.weight} (step ${highest.index + 1}) to ${value}; weights must go up (an abort is what sends traffic back).`,
          );
        } else highest = { weight: value, index };
      }
      const pause = get(step, 'pause');
      if (
        isRecord(pause) &&
        pause.duration !== undefined &&
        pause.duration !== null &&
        !pauseDurationReadable(pause.duration)
      )
        problem(
          [...at, 'pause', 'duration'],
          `pause duration "${String(pause.duration)}" is not seconds or a Go duration (30s, 5m, 1h); the controller rejects the Rollout.`,
        );
      if (record(step).setCanaryScale != null && !routed)
        problem([...at, 'setCanaryScale'], `setCanaryScale needs trafficRouting; the controller rejects the Rollout.`);
    });
    return;
  },
});
