import { z } from 'zod';

/** The sender's id for a message, used to store it once however often it is sent. */
export const clientIdSchema = z.string().trim().min(1).max(100);
/** Emptiness and length are checked by normalizeBody, so every channel reports them the same way. */
export const bodySchema = z.string({ error: 'body must be a string' });
export const idSchema = z.string().min(1).max(100);
