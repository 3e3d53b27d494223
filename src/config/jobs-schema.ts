import { z } from 'zod';
import { duration } from './duration-schema.js';

/** `jobs:` in the config: how the processes sharing a PostgreSQL store share its work (src/jobs/). */
export const jobsSchema = z.strictObject({
  expire: duration(5_000)
    .default(2 * 60_000)
    .describe(
      'PostgreSQL store only: how long one poll or delivery may take before another watchdesk process takes it over (the one doing it died).',
    ),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(16)
    .describe('PostgreSQL store only: feeds one process polls at once.'),
});
