/** The parts of an address, lower-cased: `Support+Tok@Example.com` -> support, tok, example.com. */
export function splitAddress(address: string): { local: string; tag: string | undefined; domain: string } {
  const at = address.lastIndexOf('@');
  const localPart = address.slice(0, at).toLowerCase();
  const plus = localPart.indexOf('+');
  return {
    local: plus === -1 ? localPart : localPart.slice(0, plus),
    tag: plus === -1 ? undefined : localPart.slice(plus + 1),
    domain: address.slice(at + 1).toLowerCase(),
  };
}

/** Which support address a recipient is (plus-addressing allowed), and its reply token if tagged. */
export function matchSupportAddress(
  recipient: string,
  supportAddresses: readonly string[],
): { address: string; replyToken: string | undefined } | undefined {
  const { local, tag, domain } = splitAddress(recipient.trim());
  const address = supportAddresses.find((candidate) => {
    const support = splitAddress(candidate);
    return support.local === local && support.domain === domain;
  });
  return address ? { address, replyToken: tag || undefined } : undefined;
}

/** `support+<token>@domain`: where a customer's reply finds its conversation without headers. */
export function replyAddress(supportAddress: string, replyToken: string): string {
  const { local, domain } = splitAddress(supportAddress);
  return `${local}+${replyToken}@${domain}`;
}
