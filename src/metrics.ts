/**
 * What the pipeline reports as it works, for /metrics. The work calls this small interface
 * through its deps object; the prom-client registry in src/http/metrics.ts implements it, and
 * commands that run once use noMetrics.
 */
export interface Metrics {
  /** One feed poll: its result kind (ok, not_modified, or an error kind such as dns) and fetch time. */
  pollFinished(result: string, seconds: number): void;
  /** One new item through classify, cluster and summarize; `newStory` when it started a story. */
  itemIngested(seconds: number, newStory: boolean): void;
  /** One message part's outcome on one platform. */
  partFinished(platform: string, outcome: 'delivered' | 'failed' | 'dead'): void;
  /** One digest's outcome, once all its parts are sent or one is dead. */
  digestFinished(platform: string, outcome: 'delivered' | 'dead'): void;
  /** One chat command answered. */
  commandFinished(command: string, seconds: number): void;
}

export const noMetrics: Metrics = {
  pollFinished: () => {},
  itemIngested: () => {},
  partFinished: () => {},
  digestFinished: () => {},
  commandFinished: () => {},
};

/** Seconds since `start` (a performance.now() reading), for the duration arguments above. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
