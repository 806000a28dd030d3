/**
 * The `tune --timeout` budget: one deadline for the whole run, final fit included. Trials stop
 * early enough to leave time for the final fit, whose cost is estimated from the cross-validation
 * rounds measured so far; a trial still running then is cut at the round it reached (it completes
 * with the value of that round), and the final fit itself stops adding trees at the deadline.
 */
import type { CallbackModel, TrainingCallback } from "../models/boosting/callback";

/** Extra margin on the estimated cost of the final fit. */
const FINAL_FIT_MARGIN = 1.5;

/** A deadline shared by the trials and the final fit of one tuning run. */
export class TimeBudget {
  private cvRoundSeconds = 0;
  private cvRoundsMeasured = 0;

  /**
   * @param deadline milliseconds since the epoch when the run must be done
   * @param finalRounds boosting rounds of the final fit
   * @param finalRoundPerCvRound cost of one final-fit round relative to one cross-validation
   *   round of all folds (1 / (repeats x (splits - 1)): a CV round trains every fold on
   *   (splits - 1) / splits of the rows, the final fit trains once on all of them)
   */
  constructor(
    readonly deadline: number,
    private readonly finalRounds: number,
    private readonly finalRoundPerCvRound: number,
  ) {}

  /** When trials must stop, so that the final fit (as estimated now) ends by the deadline. */
  get trialsDeadline(): number {
    const finalSeconds = this.cvRoundSeconds * this.finalRoundPerCvRound * this.finalRounds * FINAL_FIT_MARGIN;
    return this.deadline - finalSeconds * 1000;
  }

  /** True once no new trial should start. */
  trialsOver(): boolean {
    return Date.now() >= this.trialsDeadline;
  }

  /** A `cv` callback: measures each round and stops training at the trials' deadline. */
  trialCallback(onCut: (round: number) => void): TrainingCallback {
    let last = 0;
    return {
      beforeTraining: (): void => {
        last = Date.now();
      },
      afterIteration: (_model: CallbackModel, epoch: number): boolean => {
        const now = Date.now();
        this.cvRoundsMeasured++;
        this.cvRoundSeconds += ((now - last) / 1000 - this.cvRoundSeconds) / this.cvRoundsMeasured;
        last = now;
        if (now < this.trialsDeadline) return false;
        onCut(epoch);
        return true;
      },
    };
  }

  /** A `train` callback for the final fit: stops adding trees at the deadline (one tree at least). */
  finalCallback(onCut: (round: number) => void): TrainingCallback {
    return {
      afterIteration: (_model: CallbackModel, epoch: number): boolean => {
        if (Date.now() < this.deadline) return false;
        onCut(epoch);
        return true;
      },
    };
  }
}
