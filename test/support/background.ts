import type { Queryable } from '../../server/db/database';

/**
 * Waits until the classify worker has handled the conversation's first message, so a test that
 * compares the conversation before and after something sees no background change between.
 */
export async function untilClassified(db: Queryable, conversationId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.query<{ classified_at: Date | null }>('SELECT classified_at FROM conversations WHERE id = $1', [conversationId]);
    if (row?.classified_at) return;
    if (Date.now() > deadline) throw new Error(`conversation ${conversationId} was not classified within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
