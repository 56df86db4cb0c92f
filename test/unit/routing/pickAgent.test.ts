import { type Candidate, pickAgent } from '../../../server/domain/routingStrategies';

const agent = (id: string, load: number, capacity: number, skills: string[] = []): Candidate => ({ id, load, capacity, skills });
const team = (strategy: 'round_robin' | 'least_loaded' | 'skills', extra: { last?: string; intent?: string; language?: string } = {}) => ({
  strategy,
  last_assigned_agent_id: extra.last ?? null,
  intent: extra.intent ?? null,
  language: extra.language ?? null,
});

describe('pickAgent', () => {
  it('picks nobody when no agent is free', () => {
    for (const strategy of ['round_robin', 'least_loaded', 'skills'] as const) expect(pickAgent(team(strategy), [])).toBeUndefined();
  });

  describe('round robin', () => {
    const free = [agent('agt_a', 3, 5), agent('agt_b', 0, 5), agent('agt_c', 1, 5)];

    it('starts with the first agent by id', () => {
      expect(pickAgent(team('round_robin'), free)).toBe('agt_a');
    });

    it('goes on with the next agent by id after the last one assigned, whatever their load', () => {
      expect(pickAgent(team('round_robin', { last: 'agt_a' }), free)).toBe('agt_b');
      expect(pickAgent(team('round_robin', { last: 'agt_b' }), free)).toBe('agt_c');
    });

    it('wraps around after the last agent', () => {
      expect(pickAgent(team('round_robin', { last: 'agt_c' }), free)).toBe('agt_a');
    });

    it('skips to the next free agent when the last one assigned is no longer free', () => {
      expect(pickAgent(team('round_robin', { last: 'agt_b' }), [free[0]!, free[2]!])).toBe('agt_c');
    });
  });

  describe('least loaded', () => {
    it('compares the share of capacity in use, not the count', () => {
      // 2 of 10 (20%) is less loaded than 1 of 2 (50%).
      expect(pickAgent(team('least_loaded'), [agent('agt_a', 1, 2), agent('agt_b', 2, 10)])).toBe('agt_b');
    });

    it('breaks ties by the lowest id', () => {
      expect(pickAgent(team('least_loaded'), [agent('agt_a', 1, 4), agent('agt_b', 2, 8)])).toBe('agt_a');
    });
  });

  describe('skills', () => {
    const free = [agent('agt_a', 0, 5), agent('agt_b', 2, 5, ['get_refund']), agent('agt_c', 1, 5, ['zh']), agent('agt_d', 3, 5, ['get_refund'])];

    it('prefers agents whose skills include the intent, least loaded among them', () => {
      expect(pickAgent(team('skills', { intent: 'get_refund', language: 'en' }), free)).toBe('agt_b');
    });

    it('matches the language as well', () => {
      expect(pickAgent(team('skills', { intent: 'track_order', language: 'zh' }), free)).toBe('agt_c');
    });

    it('falls back to the least loaded agent when no skill matches', () => {
      expect(pickAgent(team('skills', { intent: 'track_order', language: 'en' }), free)).toBe('agt_a');
    });
  });
});
