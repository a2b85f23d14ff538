// Names as the console's font can draw them. Dear ImGui as jsimgui builds it
// keeps characters in 16 bits, so a character beyond the BMP (CJK Extension B
// on, e.g. 𠮷 in 𠮷田) would reach it as U+FFFD and show as '?'. The second
// font (build-scripts/make-font) also maps each such glyph from a code in the
// BMP Private Use Area; gate-cjk-more.json lists them in that order. fontText()
// rewrites a person's text to those codes for drawing only: what is stored,
// searched, printed or sent keeps the real characters.

let codes = null; // code point beyond the BMP -> its Private Use Area character

/// Takes the list made with the font, once the font is merged.
export function useFontCodes({ pua_start: start, code_points: list }) {
  codes = new Map(list.map((cp, i) => [cp, String.fromCharCode(start + i)]));
}

/// `text` with each character beyond the BMP the font has replaced by its
/// code; unchanged (fast) when it has none or before the font is in.
export function fontText(text) {
  if (!codes || !text || !/[\uD800-\uDBFF]/.test(text)) return text;
  let out = '';
  for (const ch of text) out += codes.get(ch.codePointAt(0)) ?? ch;
  return out;
}
