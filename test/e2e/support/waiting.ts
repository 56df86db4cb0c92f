import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './browser';

/** A screenshot under test/e2e/artifacts/ for a person to look at (not committed). */
export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

/** Resolves once `read()` gives `expected` (deep equality); fails with the last value read after the timeout. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  expect(last).toEqual(expected);
}
