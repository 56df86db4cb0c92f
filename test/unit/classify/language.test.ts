import { detectLanguage } from '../../../workers/classify/language';

describe('detectLanguage', () => {
  it.each([
    ['I want to cancel my order', 'en'],
    ['WHERE IS MY ORDER', 'en'],
    ['我想取消订单，怎么操作？', 'zh'],
    ['我的order还没到', 'zh'],
    ['パスワードを忘れました', 'ja'],
    ['注文をキャンセルしたい', 'ja'],
    ['비밀번호를 잊어버렸어요', 'ko'],
    ['Где мой заказ?', 'ru'],
    ['أين طلبي؟', 'ar'],
    ['Quiero cancelar mi pedido, por favor', 'es'],
    ['¿Dónde está mi pedido?', 'es'],
    ['Où est ma commande ? Merci', 'fr'],
    ['Wo ist meine Bestellung?', 'de'],
  ])('%s -> %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it.each(['', '12345 !!!', 'ok', 'asdf qwer zxcv'])('is und when unsure: %j', (text) => {
    expect(detectLanguage(text)).toBe('und');
  });
});
