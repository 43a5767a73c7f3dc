/**
 * One sample of the overview metrics as an episode's events journal keeps it: every reading of the
 * sample in two flat arrays instead of one ServiceMetric message per reading.
 *
 * Why: an episode samples its overview (a dozen or two readings) each time its world advances and
 * keeps every sample in its events journal until it ends, so after a dozen steps a third of its
 * objects were these messages and the boxed doubles of their values. They live as long as the
 * episode, so V8's scavenger copies each of them once or twice before it dies: fewer objects per
 * episode is less garbage-collector work per reset and per step. The journal holds the sample once
 * per reading (its entries are numbered, one event per reading); `reading(seq)` makes the
 * ServiceMetric message of one of them when a stream reads it, with the same fields and bytes.
 */
import type { ServiceMetric } from "../../gen/incident/v1/telemetry_pb.js";
import { leanServiceMetric } from "./lean-messages.js";

/** Per reading: service, metric, unit in `names`; value, threshold, anomalous (1 or 0) in `numbers`. */
const NAMES_PER_READING = 3;
const NUMBERS_PER_READING = 3;

export class MetricSample {
  /** The events journal's number of the sample's first reading; reading i is firstSeq + i. */
  firstSeq = 0;

  private constructor(
    private readonly names: readonly string[],
    private readonly numbers: readonly number[],
  ) {}

  /**
   * The sample of these readings, in their order. The overview usually shows the same services
   * from one sample to the next: then the sample shares the names of `previous`.
   */
  static of(metrics: readonly ServiceMetric[], previous?: MetricSample): MetricSample {
    const numbers = new Array<number>(metrics.length * NUMBERS_PER_READING);
    metrics.forEach((m, i) => {
      numbers[i * NUMBERS_PER_READING] = m.value;
      numbers[i * NUMBERS_PER_READING + 1] = m.threshold;
      numbers[i * NUMBERS_PER_READING + 2] = m.isAnomalous ? 1 : 0;
    });
    if (previous !== undefined && sameNames(previous.names, metrics)) return new MetricSample(previous.names, numbers);
    const names = new Array<string>(metrics.length * NAMES_PER_READING);
    metrics.forEach((m, i) => {
      names[i * NAMES_PER_READING] = m.serviceName;
      names[i * NAMES_PER_READING + 1] = m.metricName;
      names[i * NAMES_PER_READING + 2] = m.unit;
    });
    return new MetricSample(names, numbers);
  }

  get size(): number {
    return this.names.length / NAMES_PER_READING;
  }

  /** The ServiceMetric message of the reading the journal numbered `seq`. */
  reading(seq: number): ServiceMetric {
    const i = seq - this.firstSeq;
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`event ${seq} is not a reading of this sample`);
    const n = i * NAMES_PER_READING;
    const k = i * NUMBERS_PER_READING;
    return leanServiceMetric(
      this.names[n] as string,
      this.names[n + 1] as string,
      this.numbers[k] as number,
      this.names[n + 2] as string,
      this.numbers[k + 1] as number,
      this.numbers[k + 2] === 1,
    );
  }
}

function sameNames(names: readonly string[], metrics: readonly ServiceMetric[]): boolean {
  if (names.length !== metrics.length * NAMES_PER_READING) return false;
  return metrics.every(
    (m, i) =>
      names[i * NAMES_PER_READING] === m.serviceName &&
      names[i * NAMES_PER_READING + 1] === m.metricName &&
      names[i * NAMES_PER_READING + 2] === m.unit,
  );
}
