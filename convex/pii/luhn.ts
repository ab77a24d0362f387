// The Luhn (mod 10) check digit test that every payment card number passes.

/**
 * Checks the digits of `text` between `start` and `end`, skipping anything else, so a card can be
 * checked where it stands in the text, separators and all, without copying it out.
 */
export function isLuhnValid(text: string, start = 0, end = text.length): boolean {
  let sum = 0;
  let digits = 0;
  for (let index = end - 1; index >= start; index--) {
    let digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) continue;
    if (digits % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    digits++;
  }
  return digits > 0 && sum % 10 === 0;
}
