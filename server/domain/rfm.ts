import type { Database } from '../db/database';

/**
 * RFM segments from the three scores (1 = worst fifth of customers, 5 = best). The first rule
 * that matches names the segment, so every (r, f, m) in 1..5 has exactly one:
 *
 * | segment         | recency | frequency | monetary | meaning                                  |
 * |-----------------|---------|-----------|----------|------------------------------------------|
 * | Champions       | >= 4    | >= 4      | >= 4     | buy often, lately, and spend the most    |
 * | Loyal           | >= 3    | >= 4      | any      | buy often and still come back            |
 * | Big spenders    | >= 3    | any       | 5        | spend the most, still active             |
 * | New             | >= 4    | 1         | any      | one recent order                         |
 * | Promising       | >= 4    | 2-3       | any      | recent, a few orders                     |
 * | Needs attention | 3       | <= 3      | <= 4     | middling on every count                  |
 * | Can't lose them | <= 2    | >= 4      | any      | were frequent buyers, gone quiet         |
 * | At risk         | <= 2    | 3         | any      | several orders, none lately              |
 * | Hibernating     | <= 2    | 2         | any      | a couple of orders long ago              |
 * | About to sleep  | 2       | 1         | any      | one order, a while ago                   |
 * | Lost            | 1       | 1         | any      | one order, longest ago                   |
 */
export const rfmSegments = [
  'Champions',
  'Loyal',
  'Big spenders',
  'New',
  'Promising',
  'Needs attention',
  "Can't lose them",
  'At risk',
  'Hibernating',
  'About to sleep',
  'Lost',
] as const;
export type RfmSegment = (typeof rfmSegments)[number];

const rules: { segment: RfmSegment; matches: (r: number, f: number, m: number) => boolean }[] = [
  { segment: 'Champions', matches: (r, f, m) => r >= 4 && f >= 4 && m >= 4 },
  { segment: 'Loyal', matches: (r, f) => r >= 3 && f >= 4 },
  { segment: 'Big spenders', matches: (r, _f, m) => r >= 3 && m === 5 },
  { segment: 'New', matches: (r, f) => r >= 4 && f === 1 },
  { segment: 'Promising', matches: (r) => r >= 4 },
  { segment: 'Needs attention', matches: (r) => r === 3 },
  { segment: "Can't lose them", matches: (_r, f) => f >= 4 },
  { segment: 'At risk', matches: (_r, f) => f === 3 },
  { segment: 'Hibernating', matches: (_r, f) => f === 2 },
  { segment: 'About to sleep', matches: (r) => r === 2 },
  { segment: 'Lost', matches: (r) => r === 1 },
];

/** The segment of a customer with these recency, frequency and monetary scores (each 1-5). */
export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  for (const score of [r, f, m]) {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError(`RFM scores run from 1 to 5, not ${score}`);
  }
  return rules.find((rule) => rule.matches(r, f, m))!.segment;
}

const SCORES = [1, 2, 3, 4, 5];
// Every (r, f, m) with its segment, handed to the SQL statement so the segment rules live in one place.
const segmentTable = SCORES.flatMap((r) => SCORES.flatMap((f) => SCORES.map((m) => ({ r, f, m, segment: rfmSegment(r, f, m) }))));

/** Serializes recomputations: one that starts later must also write later, or older scores would win. */
const RFM_LOCK_KEY = 727_101;

/**
 * Scores every customer with at least one counted order, relative to all such customers, in one
 * statement: score = ceil(5 * cume_dist()), so ties share a score and the best fifth gets 5.
 * Customers who no longer qualify (no counted orders, merged away) lose their scores.
 */
export async function recomputeRfmScores(db: Database, now: Date): Promise<{ scored: number; cleared: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RFM_LOCK_KEY]);
    // A statement of its own after the lock: under READ COMMITTED the UPDATE then sees every order committed before it.
    const [counts] = await tx.query<{ scored: number; cleared: number }>(
      `WITH scored AS (
         SELECT id,
                ceil(5 * cume_dist() OVER (ORDER BY last_order_at))::smallint AS recency,
                ceil(5 * cume_dist() OVER (ORDER BY order_count))::smallint AS frequency,
                ceil(5 * cume_dist() OVER (ORDER BY lifetime_value))::smallint AS monetary
           FROM customers
          WHERE order_count > 0 AND merged_into_id IS NULL
       ),
       segments AS (
         SELECT * FROM unnest($1::smallint[], $2::smallint[], $3::smallint[], $4::text[]) AS segment (recency, frequency, monetary, name)
       ),
       updated AS (
         UPDATE customers c
            SET rfm_recency = n.recency, rfm_frequency = n.frequency, rfm_monetary = n.monetary, rfm_segment = n.segment,
                rfm_computed_at = CASE WHEN n.segment IS NULL THEN NULL ELSE $5::timestamptz END
           FROM (SELECT c0.id, s.recency, s.frequency, s.monetary, g.name AS segment
                   FROM customers c0
                   LEFT JOIN scored s ON s.id = c0.id
                   LEFT JOIN segments g USING (recency, frequency, monetary)
                  WHERE s.id IS NOT NULL OR c0.rfm_segment IS NOT NULL OR c0.rfm_computed_at IS NOT NULL) n
          WHERE c.id = n.id
         RETURNING n.segment
       )
       SELECT count(segment)::int AS scored, (count(*) - count(segment))::int AS cleared FROM updated`,
      [
        segmentTable.map((row) => row.r),
        segmentTable.map((row) => row.f),
        segmentTable.map((row) => row.m),
        segmentTable.map((row) => row.segment),
        now.toISOString(),
      ],
    );
    return counts!;
  });
}
