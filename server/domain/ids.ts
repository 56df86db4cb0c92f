import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

export type IdPrefix =
  | 'cus' | 'idn' | 'cnv' | 'msg' | 'evt' | 'agt' | 'team' | 'att'
  | 'mrg' | 'era' | 'note' | 'frm' | 'fsub' | 'ord' | 'iex' | 'cnd'
  | 'seg' | 'cmp' | 'aut';

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A prefixed id whose first characters encode the time. Within one process ids are strictly
 * increasing, even within one millisecond, so rows written together keep their order.
 */
export function newId(prefix: IdPrefix): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    lastRandom = [...randomBytes(RANDOM_CHARS)].map((byte) => byte % 32);
  } else {
    increment(lastRandom);
  }
  let time = lastTime;
  let timePart = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    timePart = ALPHABET[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return `${prefix}_${timePart}${lastRandom.map((digit) => ALPHABET[digit]).join('')}`;
}

function increment(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]! += 1;
      return;
    }
    digits[i] = 0;
  }
}
