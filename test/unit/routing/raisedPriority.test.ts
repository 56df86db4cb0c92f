import { NEGATIVE_SENTIMENT, raisedPriority } from '../../../server/domain/routing';

const plain = { vip: false, sentiment: null, urgent: false };

describe('raisedPriority', () => {
  it('leaves an ordinary conversation as it is', () => {
    expect(raisedPriority({ ...plain, priority: 'normal' })).toBe('normal');
    expect(raisedPriority({ ...plain, priority: 'low' })).toBe('low');
  });

  it('raises a VIP to high', () => {
    expect(raisedPriority({ ...plain, priority: 'normal', vip: true })).toBe('high');
    expect(raisedPriority({ ...plain, priority: 'low', vip: true })).toBe('high');
  });

  it('raises an unhappy customer to high, but not a merely neutral one', () => {
    expect(raisedPriority({ ...plain, priority: 'normal', sentiment: -0.6 })).toBe('high');
    expect(raisedPriority({ ...plain, priority: 'normal', sentiment: NEGATIVE_SENTIMENT })).toBe('normal');
    expect(raisedPriority({ ...plain, priority: 'normal', sentiment: 0 })).toBe('normal');
  });

  it('makes an urgent message urgent', () => {
    expect(raisedPriority({ ...plain, priority: 'normal', urgent: true })).toBe('urgent');
    expect(raisedPriority({ ...plain, priority: 'high', vip: true, urgent: true })).toBe('urgent');
  });

  it('never lowers a priority', () => {
    expect(raisedPriority({ ...plain, priority: 'urgent', vip: true })).toBe('urgent');
    expect(raisedPriority({ ...plain, priority: 'high', sentiment: 0.9 })).toBe('high');
  });
});
