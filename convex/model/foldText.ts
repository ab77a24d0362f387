// The one normalisation blocked terms and the text they are looked for in both go through, so that
// spellings a reader sees as the same word compare equal: compatibility forms (fullwidth, ligatures,
// mathematical and circled letters) mapped by NFKC, case folded, diacritics and other combining marks
// dropped, invisible format characters (zero-width spaces and joiners, soft hyphens, bidi controls,
// variation selectors, tag characters) removed, and common look-alike letters from other scripts
// (Cyrillic, Greek, small capitals, IPA) mapped to the Latin letter they imitate. Linear in the text.

// Default-ignorable code points cover the invisible characters; Cf adds the visible format ones
// (the Arabic number sign), which only ever hide words. Combining marks go with them.
const REMOVED = /[\p{M}\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;

/** Look-alikes after case folding and mark removal; each maps to the Latin letter it is mistaken for. */
const LOOK_ALIKES: Record<string, string> = {
  // Cyrillic
  а: "a", в: "b", е: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ј: "j", ѕ: "s", ԁ: "d", һ: "h", ӏ: "l", ԛ: "q", ԝ: "w", ѡ: "w", ү: "y",
  // Greek
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w",
  // Latin letters without a decomposition, IPA and small capitals
  ı: "i", ȷ: "j", ɡ: "g", ł: "l", ø: "o", đ: "d", ħ: "h", ŧ: "t", ƀ: "b", ɑ: "a", ɩ: "i", ɪ: "i", ʟ: "l", ɴ: "n", ʀ: "r", ʏ: "y",
  ʙ: "b", ɢ: "g", ʜ: "h", ᴀ: "a", ᴄ: "c", ᴅ: "d", ᴇ: "e", ᴊ: "j", ᴋ: "k", ᴍ: "m", ᴏ: "o", ᴘ: "p", ᴛ: "t", ᴜ: "u",
  ᴠ: "v", ᴡ: "w", ᴢ: "z", ꜱ: "s",
};
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join("")}]`, "gu");

export function foldText(text: string): string {
  return (
    text
      .normalize("NFKC")
      // Upper then lower folds what lowercasing alone does not: "ß" to "ss", "ſ" to "s", "ς" to "σ".
      .toUpperCase()
      .toLowerCase()
      .normalize("NFKD")
      .replace(REMOVED, "")
      .replace(LOOK_ALIKE, (letter) => LOOK_ALIKES[letter]!)
  );
}
