// Issuer identification number (IIN) prefixes and lengths of the card networks people paste into
// chats. A Luhn-valid number outside these ranges is far more often an order or tracking number.

interface IssuerRange {
  /** Inclusive range over the number's first `prefixLength` digits. */
  low: number;
  high: number;
  prefixLength: number;
  minLength: number;
  maxLength: number;
}

const ISSUER_RANGES: IssuerRange[] = [
  { low: 4, high: 4, prefixLength: 1, minLength: 13, maxLength: 19 }, // Visa
  { low: 51, high: 55, prefixLength: 2, minLength: 16, maxLength: 16 }, // Mastercard
  { low: 2221, high: 2720, prefixLength: 4, minLength: 16, maxLength: 16 }, // Mastercard 2-series
  { low: 34, high: 34, prefixLength: 2, minLength: 15, maxLength: 15 }, // American Express
  { low: 37, high: 37, prefixLength: 2, minLength: 15, maxLength: 15 }, // American Express
  { low: 300, high: 305, prefixLength: 3, minLength: 14, maxLength: 19 }, // Diners Club
  { low: 36, high: 36, prefixLength: 2, minLength: 14, maxLength: 19 }, // Diners Club
  { low: 38, high: 39, prefixLength: 2, minLength: 14, maxLength: 19 }, // Diners Club
  { low: 6011, high: 6011, prefixLength: 4, minLength: 16, maxLength: 19 }, // Discover
  { low: 644, high: 649, prefixLength: 3, minLength: 16, maxLength: 19 }, // Discover
  { low: 65, high: 65, prefixLength: 2, minLength: 16, maxLength: 19 }, // Discover
  { low: 3528, high: 3589, prefixLength: 4, minLength: 16, maxLength: 19 }, // JCB
  { low: 62, high: 62, prefixLength: 2, minLength: 16, maxLength: 19 }, // UnionPay
  { low: 50, high: 50, prefixLength: 2, minLength: 12, maxLength: 19 }, // Maestro
  { low: 56, high: 58, prefixLength: 2, minLength: 12, maxLength: 19 }, // Maestro
  { low: 67, high: 67, prefixLength: 2, minLength: 12, maxLength: 19 }, // Maestro
  { low: 6304, high: 6304, prefixLength: 4, minLength: 12, maxLength: 19 }, // Maestro
  { low: 2200, high: 2204, prefixLength: 4, minLength: 16, maxLength: 19 }, // Mir
];

/** `firstFourDigits` is the number's first four digits read as one integer (4111 for 4111...). */
export function hasKnownIssuer(firstFourDigits: number, length: number): boolean {
  return ISSUER_RANGES.some((range) => {
    const prefix = Math.floor(firstFourDigits / 10 ** (4 - range.prefixLength));
    return length >= range.minLength && length <= range.maxLength && prefix >= range.low && prefix <= range.high;
  });
}
