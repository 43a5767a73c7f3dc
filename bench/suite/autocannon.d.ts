/**
 * The part of autocannon's programmatic API (v9) the bench suite uses; the package ships no types
 * and @types/autocannon lags behind it.
 */
declare module "autocannon" {
  namespace autocannon {
    interface RawRequest {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
    interface Request<C> extends RawRequest {
      /** Returns the request to send; a falsy value restarts the sequence. */
      setupRequest?: (request: RawRequest, context: C) => RawRequest | undefined;
      onResponse?: (status: number, body: string, context: C, headers: Record<string, string | string[]>) => void;
    }
    interface Histogram {
      average: number;
      mean: number;
      p50: number;
      p90: number;
      p99: number;
      max: number;
      total: number;
    }
    interface Options<C> {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      pipelining?: number;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      requests?: Request<C>[];
      initialContext?: C;
      timeout?: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      errors: number;
      timeouts: number;
      non2xx: number;
      duration: number;
      start: Date;
      finish: Date;
    }
  }
  function autocannon<C = Record<string, unknown>>(options: autocannon.Options<C>): Promise<autocannon.Result>;
  export default autocannon;
}
