import { z } from 'zod';
import { parseDuration } from './duration.js';

const DURATION_WORDS = 'a duration such as "30s", "15m", "2h" or "1d"';

/** A duration written as "15m", "2h", "1d", "30s" (or seconds as a number), held as milliseconds. */
export const duration = (min?: number) =>
  z
    .union([z.string().regex(/^\s*\d+(\.\d+)?\s*[smhdSMHD]?\s*$/, DURATION_WORDS), z.number().nonnegative()], {
      error: `${DURATION_WORDS}, or a number of seconds`,
    })
    .describe('A duration: "30s", "15m", "2h", "1d", or a number of seconds.')
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: DURATION_WORDS, input: value });
        return z.NEVER;
      }
      if (min !== undefined && ms < min) {
        ctx.addIssue({ code: 'custom', message: `a duration of at least ${min / 1000}s`, input: value });
        return z.NEVER;
      }
      return ms;
    });
