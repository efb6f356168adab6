/**
 * Dense-head training: `classes` x `perClass` examples of `dim` numbers for `epochs` epochs, timed, with the
 * longest main-thread stall meanwhile (what the user would feel as the live view freezing).
 */
import { mulberry32 } from '../../scripts/eval/sampling';
import { progress } from '../../scripts/eval/setup';
import { DENSE_NOTE, DENSE_TRAINER } from './plug-ins';
import { longestStall, summarise } from './timing';

export interface DenseJob {
  readonly classes: number;
  readonly perClass: number;
  readonly dim: number;
  readonly epochs: number;
  readonly runs: number;
}

export interface DenseResult {
  readonly train_ms: number;
  /** The worst stall of any run. */
  readonly max_stall_ms: number;
  /** The longest stall of each run, in order (the first run also pays for first use of the training kernels). */
  readonly stalls_ms: readonly number[];
  readonly classes: number;
  readonly per_class: number;
  /** Epochs each run trained (the job's, unless the head stopped early). */
  readonly epochs: number;
  readonly runs: number;
  readonly api: string;
}

export async function runDense(job: DenseJob): Promise<DenseResult | { note: string }> {
  const trainer = DENSE_TRAINER;
  if (!trainer) return { note: DENSE_NOTE };
  progress(`dense head: ${job.classes} classes x ${job.perClass} x ${job.epochs} epochs, ${job.runs} runs`);
  const random = mulberry32(7);
  // Each class clusters around its own centre, so training has something to learn.
  const vectors = Array.from({ length: job.classes }, () => {
    const centre = Float32Array.from({ length: job.dim }, () => random());
    const rows = new Float32Array(job.perClass * job.dim);
    for (let i = 0; i < rows.length; i++) rows[i] = centre[i % job.dim] + 0.3 * random();
    return rows;
  });
  const times: number[] = [];
  const stalls: number[] = [];
  let epochs = 0;
  for (let run = 0; run < job.runs; run++) {
    const { result, ms, maxStallMs } = await longestStall(() => trainer.train(vectors, job.dim, job.epochs));
    times.push(ms);
    stalls.push(maxStallMs);
    epochs = result;
  }
  return {
    train_ms: summarise(times).median_ms,
    max_stall_ms: Math.max(...stalls),
    stalls_ms: stalls,
    classes: job.classes,
    per_class: job.perClass,
    epochs,
    runs: job.runs,
    api: trainer.api,
  };
}
