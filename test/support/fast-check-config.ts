/**
 * One fast-check configuration for every property test of the suite, loaded by mocha before any test file
 * (`.mocharc.json` → `require`). A failing property prints its seed and counterexample path; to replay it, run
 * that test alone with them:
 *
 *   FC_SEED=<seed> FC_PATH=<path> npx mocha --grep '<test title>'
 *
 * `FC_SEED` fixes the seed of every property (that alone replays a failure, shrinking included), `FC_PATH` (with
 * it) jumps straight to the shrunk counterexample, `FC_RUNS` overrides the number of runs of properties that do not
 * set their own. fast-check's types leave `path` out of the global parameters because a path belongs to one
 * property; its runner honours a global one all the same (tested), which is why FC_PATH goes with `--grep`.
 */
import fc from 'fast-check';

export interface FastCheckEnvironment {
  FC_SEED?: string | undefined;
  FC_PATH?: string | undefined;
  FC_RUNS?: string | undefined;
}

export type FastCheckParameters = fc.GlobalParameters & { path?: string };

/** The global fast-check parameters that the environment asks for; refuses values that are not numbers. */
export function fastCheckParameters(env: FastCheckEnvironment): FastCheckParameters {
  const parameters: FastCheckParameters = {};
  if (env.FC_SEED !== undefined && env.FC_SEED !== '') parameters.seed = integer('FC_SEED', env.FC_SEED);
  if (env.FC_PATH !== undefined && env.FC_PATH !== '') {
    if (parameters.seed === undefined) throw new Error('FC_PATH replays a counterexample of one seed: set FC_SEED too');
    if (!/^\d+(:\d+)*$/.test(env.FC_PATH)) throw new Error(`FC_PATH must look like 12:0:3, got ${env.FC_PATH}`);
    parameters.path = env.FC_PATH;
  }
  if (env.FC_RUNS !== undefined && env.FC_RUNS !== '') parameters.numRuns = integer('FC_RUNS', env.FC_RUNS);
  return parameters;
}

function integer(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${text}`);
  return value;
}

fc.configureGlobal({ ...fc.readConfigureGlobal(), ...fastCheckParameters(process.env) } as fc.GlobalParameters);
