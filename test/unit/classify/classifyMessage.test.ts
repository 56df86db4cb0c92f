import { SHIPPED_INTENT_MODEL } from '../../../server/domain/intents';
import { classifyMessage } from '../../../workers/classify/classifyMessage';
import { readIntentModel } from '../../../workers/classify/modelFile';

const model = readIntentModel(SHIPPED_INTENT_MODEL);
const classify = (text: string, threshold = 0.5) => classifyMessage(model, text, { threshold });

describe('classifyMessage with the shipped model', () => {
  it('tells intent, language, sentiment and urgency of an English message', () => {
    const result = classify('I want to cancel my order, it is urgent!!');
    expect(result).toMatchObject({ intent: 'cancel_order', language: 'en', urgent: true });
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.sentiment).toBeLessThanOrEqual(0);
  });

  it('classifies a Chinese message as well', () => {
    expect(classify('我想取消订单，怎么操作？')).toMatchObject({ intent: 'cancel_order', language: 'zh', urgent: false });
    expect(classify('我忘记密码了，登录不了')).toMatchObject({ intent: 'recover_password', language: 'zh' });
    expect(classify('退款什么时候能到账？')).toMatchObject({ intent: 'track_refund', language: 'zh' });
  });

  it.each(['asdf qwerty zxcv', '12345', '…'])('says unknown for %j, with a low confidence', (text) => {
    const result = classify(text);
    expect(result.intent).toBe('unknown');
    expect(result.confidence).toBeLessThan(0.5);
  });

  it('says unknown below the threshold, however likely the best intent', () => {
    const sure = classify('Where is my package? I want to track my order');
    expect(sure.intent).toBe('track_order');
    expect(classify('Where is my package? I want to track my order', 1.01).intent).toBe('unknown');
    expect(sure.confidence).toBeLessThanOrEqual(1);
  });
});
