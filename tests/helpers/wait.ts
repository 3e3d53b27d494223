/**
 * Polls `cond` until it holds or `timeoutMs` passes; returns its last value so a test can assert on
 * it. For state the test cannot be notified of (the store, a child's output); the fake platforms
 * have their own notifying waitFor.
 */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5_000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return true;
}
