// Chinese input for Dear ImGui. jsimgui listens to key presses on the canvas
// only, which never carry IME text (composition, pinyin candidates, paste via
// insertText). While ImGui wants text, a hidden <input> holds the focus: its
// committed text goes to io.AddInputCharactersUTF8, and editing keys
// (Backspace, arrows, Enter, Tab, Ctrl+A …) are handed to the canvas listener
// as they were.
export function installImeBridge(canvas, io, invalidate) {
  const input = document.createElement('input');
  input.type = 'text';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.setAttribute('aria-hidden', 'true');
  input.id = 'ime-bridge';
  Object.assign(input.style, {
    position: 'fixed', left: '0px', top: '0px', width: '2px', height: '24px',
    opacity: '0', border: '0', padding: '0', fontSize: '16px', zIndex: '-1',
  });
  document.body.appendChild(input);

  let composing = false;
  const flush = () => {
    if (composing || !input.value) return;
    io.AddInputCharactersUTF8(input.value);
    input.value = '';
    invalidate();
  };
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; flush(); });
  input.addEventListener('input', (e) => { if (!e.isComposing) flush(); });

  const forward = (type, e) => {
    canvas.dispatchEvent(new KeyboardEvent(type, {
      key: e.key, code: e.code, ctrlKey: e.ctrlKey, shiftKey: e.shiftKey,
      altKey: e.altKey, metaKey: e.metaKey,
    }));
    invalidate();
  };
  input.addEventListener('keydown', (e) => {
    if (composing || e.isComposing || e.key === 'Process') return;
    // Plain characters arrive through the input event; everything else is a key.
    const plainChar = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
    if (plainChar) return;
    if (e.key === 'Tab' || e.key === 'Enter') e.preventDefault();
    forward('keydown', e);
  });
  input.addEventListener('keyup', (e) => {
    if (composing || e.isComposing) return;
    forward('keyup', e);
  });

  // Moving the focus between the canvas and the input must not look like the
  // page losing focus to ImGui (that would drop the active text field). jsimgui
  // listens for blur on the canvas; stop that one event in the capture phase.
  window.addEventListener('blur', (e) => {
    if (e.target === canvas && e.relatedTarget === input) e.stopImmediatePropagation();
  }, true);
  input.addEventListener('blur', (e) => {
    if (e.relatedTarget !== canvas) io.AddFocusEvent(false);
  });

  /// Call after each frame: follows ImGui's wish for text input.
  return function sync(caret) {
    const wants = io.WantTextInput;
    if (wants && document.activeElement !== input) {
      if (caret) {
        input.style.left = `${Math.round(caret.x)}px`;
        input.style.top = `${Math.round(caret.y)}px`;
      }
      input.focus({ preventScroll: true });
    } else if (!wants && document.activeElement === input) {
      input.value = '';
      canvas.focus({ preventScroll: true });
    }
  };
}
