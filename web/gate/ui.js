// Shared pieces of the console's screens: sizes, colours, big buttons, the
// decision panel, and the record of where each item was drawn (the test API
// and the camera <video> placement read it).
import { ImGui, ImVec2, ImVec4, ImGuiCol } from '../vendor/jsimgui/mod.js';
import { app, say } from './state.js';

export const BASE = 22; // body text, px (CSS)
export const BIG = 34;
export const HUGE = 56;
export const BTN_H = 64;

/// id → {x, y, w, h}: where each tracked item was drawn in the last frame.
export let rects = new Map();
let nextRects = new Map();
/// Call at the start and end of each frame: item positions are those of the last whole frame.
export function beginItems() { nextRects = new Map(); nextCaret = null; }
export function endItems() { rects = nextRects; caret = nextCaret; }

export const rgba = (r, g, b, a = 1) => new ImVec4(r / 255, g / 255, b / 255, a);
export const WHITE = new ImVec4(1, 1, 1, 1);
export const u32 = (r, g, b, a = 255) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
export const COLORS = {
  allow: [46, 125, 50], refer: [239, 160, 0], deny: [198, 40, 40], error: [121, 85, 72], retry: [239, 160, 0],
  idle: [55, 71, 79], verify: [21, 101, 192], done: [46, 125, 50],
};

export function setupStyle() {
  const style = ImGui.GetStyle();
  style.FontSizeBase = BASE;
  style.ScaleAllSizes(1.6);
  style.FrameRounding = 8;
  style.ChildRounding = 8;
  style.ScrollbarSize = 24;
}

export function track(id) {
  const a = ImGui.GetItemRectMin();
  const b = ImGui.GetItemRectMax();
  nextRects.set(id, { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y });
}

export function withFont(size, fn) {
  ImGui.PushFontFloat(null, size);
  try { fn(); } finally { ImGui.PopFont(); }
}

export function button(label, id, w = 0, h = BTN_H, color = null) {
  if (color) {
    ImGui.PushStyleColorImVec4(ImGuiCol.Button, rgba(...color));
    ImGui.PushStyleColorImVec4(ImGuiCol.ButtonHovered, rgba(...color.map((c) => Math.min(255, c + 25))));
    ImGui.PushStyleColorImVec4(ImGuiCol.ButtonActive, rgba(...color.map((c) => Math.max(0, c - 25))));
  }
  const dark = color === COLORS.refer;
  if (dark) ImGui.PushStyleColorImVec4(ImGuiCol.Text, new ImVec4(0.08, 0.08, 0.08, 1));
  const clicked = ImGui.Button(`${label}##${id}`, new ImVec2(w, h));
  if (color) ImGui.PopStyleColor(dark ? 4 : 3);
  track(id);
  return clicked;
}

/// A coloured block with text on it: the decision panel (a big centred
/// title, bullet lines) or, with `banner`, a notice (one wrapped line of body
/// text). Text goes through ImGui.Text on top of the block (the draw list's
/// font-size AddText is not usable from JS).
export function panel(id, color, title, lines = [], { banner = false } = {}) {
  const w = ImGui.GetContentRegionAvail().x;
  const p = ImGui.GetCursorScreenPos();
  const dl = ImGui.GetWindowDrawList();
  // Amber is light: dark text on it; white on the others.
  const light = color[0] > 200 && color[1] > 150;
  const ink = light ? new ImVec4(0.08, 0.08, 0.08, 1) : WHITE;
  dl.ChannelsSplit(2);
  dl.ChannelsSetCurrent(1);
  if (banner) {
    ImGui.SetCursorScreenPos(new ImVec2(p.x + 14, p.y + 10));
    ImGui.PushTextWrapPos(ImGui.GetCursorPosX() + w - 28);
    withFont(BASE + 2, () => ImGui.TextColored(ink, title));
    ImGui.PopTextWrapPos();
  } else {
    let titleSize = lines.length ? HUGE : BIG + 6;
    // Too wide for the panel (long English titles): a size that fits, measured as drawn.
    while (titleSize > BASE && textWidth(title, titleSize) > w - 24) titleSize -= 6;
    const tw = textWidth(title, titleSize);
    ImGui.SetCursorScreenPos(new ImVec2(p.x + Math.max(12, (w - tw) / 2), p.y + 16));
    withFont(titleSize, () => { ImGui.TextColored(ink, title); rememberWidth(title, titleSize); });
    ImGui.PushStyleColorImVec4(ImGuiCol.Text, ink);
    withFont(BASE + 4, () => {
      // The bullet hangs apart from its text: wrapped as one string, a reason
      // without spaces (Chinese) left the bullet alone on its line, as ImGui
      // wraps at spaces first. Wrapped lines of a text item start at its x.
      for (const line of lines) {
        ImGui.SetCursorScreenPos(new ImVec2(p.x + 24, ImGui.GetCursorScreenPos().y + 4));
        const right = ImGui.GetCursorPosX() + w - 48; // window-local x of the panel's inner edge
        ImGui.Text('•');
        ImGui.SameLine();
        ImGui.PushTextWrapPos(right);
        ImGui.Text(line);
        ImGui.PopTextWrapPos();
      }
    });
    ImGui.PopStyleColor(1);
  }
  const bottom = ImGui.GetCursorScreenPos().y + (banner ? 6 : 16);
  dl.ChannelsSetCurrent(0);
  dl.AddRectFilled(p, new ImVec2(p.x + w, bottom), u32(...color), banner ? 8 : 14);
  dl.ChannelsMerge();
  ImGui.SetCursorScreenPos(p);
  ImGui.Dummy(new ImVec2(w, bottom - p.y));
  track(id);
}

// jsimgui's CalcTextSize measures nothing (its text_end argument is never
// null), so text is measured as drawn and centred from the next frame on.
const widths = new Map();
function textWidth(text, size) {
  return widths.get(`${size}|${text}`) ?? 0;
}
function rememberWidth(text, size) {
  if (widths.size > 200) widths.clear();
  widths.set(`${size}|${text}`, ImGui.GetItemRectSize().x);
}

/// Where the IME candidate window should appear: under the active text field
/// of the last frame (null when none is active).
export let caret = null;
let nextCaret = null;
export function caretFromItem() {
  if (ImGui.IsItemActive()) {
    const a = ImGui.GetItemRectMin();
    const b = ImGui.GetItemRectMax();
    nextCaret = { x: a.x + 8, y: b.y };
  }
}

/// A text field of a form: `ref` is the ImGui by-reference value; tracked as
/// `id`, with the IME caret under it.
export function field(label, ref, maxLen, id, width, flags = 0) {
  ImGui.SetNextItemWidth(width);
  ImGui.InputText(label, ref, maxLen, flags);
  caretFromItem();
  track(id);
}

/// The submit button of a form that waits on the core: disabled, saying
/// `busyLabel`, while `busy`. True when pressed.
export function submitButton(busy, label, busyLabel, id) {
  if (!busy) return button(label, id, 200, 56, COLORS.verify);
  ImGui.BeginDisabled(true);
  button(busyLabel, id, 320, 56);
  ImGui.EndDisabled();
  return false;
}

/// The core's message in the console's language, in red, wrapped at
/// `wrapWidth` from here (0: the window's edge); tracked as `id`.
export function errorLine(message, id, wrapWidth = 0) {
  ImGui.PushTextWrapPos(wrapWidth ? ImGui.GetCursorPosX() + wrapWidth : 0);
  ImGui.TextColored(rgba(239, 83, 80), say(message));
  ImGui.PopTextWrapPos();
  track(id);
}
