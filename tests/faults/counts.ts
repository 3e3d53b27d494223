import { appendFileSync } from 'node:fs';

/**
 * The fault suite's tally. `npm test` runs the short version; `npm run faults` sets
 * WATCHDESK_FAULTS_LONG (more seeds, more kills) and WATCHDESK_FAULTS_COUNTS (a file each test
 * appends its counts to, one JSON line per record) and prints the table from that file.
 */
export const LONG = process.env.WATCHDESK_FAULTS_LONG === '1';

/** Scales a figure for the long run. */
export function scaled(short: number, long: number): number {
  return LONG ? long : short;
}

export interface FaultCounts {
  /** Hostile inputs, fuzz cases, outages or kills the code under test was handed. */
  inputs?: number;
  /** Unexpected throws, hangs or process deaths we did not cause. */
  crashes?: number;
  /** Items or digest parts that should have arrived and did not. */
  lost?: number;
  /** Digest parts that reached a channel more than once. */
  duplicates?: number;
  /** Attacks (SSRF forms, forged signatures, non-admin commands, injected markup) refused or made inert. */
  refused?: number;
}

export function recordCounts(area: string, counts: FaultCounts): void {
  const file = process.env.WATCHDESK_FAULTS_COUNTS;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ area, ...counts })}\n`);
}
