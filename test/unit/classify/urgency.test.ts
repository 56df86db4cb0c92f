import { isUrgent } from '../../../workers/classify/urgency';

describe('isUrgent', () => {
  it.each([
    'This is urgent',
    'Please fix it ASAP',
    'I need it immediately',
    'Call me right now',
    '请尽快处理',
    '紧急！订单出错了',
    '马上给我退款',
    '立刻回复我',
    'Where is my order!!!',
    '为什么还没发货！！！',
    'WHERE IS MY ORDER',
  ])('%s', (text) => expect(isUrgent(text)).toBe(true));

  it.each([
    'Where is my order?',
    'Thanks a lot!',
    'Wow!!',
    'I need the PDF invoice for my company in the USA',
    '我想取消订单，怎么操作？',
    'OK',
  ])('not: %s', (text) => expect(isUrgent(text)).toBe(false));
});
