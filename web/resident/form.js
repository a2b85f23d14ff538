// The registration form, built from the core's `fields` reply: labels,
// choices, required flags and conditions are the core's, defined once in C++
// (src/core/Fields.cpp). This file only turns them into native inputs and
// reads them back; it judges nothing.
import { shownFields } from '../shared/fields.js';

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children);
  return node;
};

export class PersonForm {
  /**
   * @param root  element the fields go into
   * @param fieldsReply  the core's `fields` reply ({fields: [...]})
   * @param onBlur  called with a field key when the user leaves a field
   * @param onSuggest  called with a suggestion {field, about, value} the user accepted
   */
  constructor(root, fieldsReply, { onBlur, onChange, onSuggest } = {}) {
    this.root = root;
    // {key, item, zh, en, kind, required, when?, choices?, max_chars?, hint_zh, hint_en, copied_in_household?}
    this.specs = fieldsReply.fields;
    this.byKey = new Map(this.specs.map((s) => [s.key, s]));
    this.lang = 'zh';
    this.words = null;
    this.errors = new Map(); // key → message {zh, en}
    this.suggestions = []; // the core's {field, about, value, zh, en}, shown under the message they answer
    this.copied = new Set(); // keys whose value was copied from another household member and not changed since
    this.copiedFrom = '';
    this.onSuggest = onSuggest;
    this.parts = new Map(); // key → {wrap, label, hint, error, offers, copiedNote, inputs[]}
    this.build(onBlur, onChange);
  }

  build(onBlur, onChange) {
    this.root.textContent = '';
    for (const s of this.specs) {
      const id = `in-${s.key}`;
      const hintId = `hint-${s.key}`;
      const errId = `err-${s.key}`;
      const wrap = el('div', { class: `field kind-${s.kind}`, id: `field-${s.key}`, 'data-key': s.key });
      const hint = el('p', { class: 'hint', id: hintId });
      const error = el('p', { class: 'error', id: errId, hidden: true });
      const offers = el('div', { class: 'offers', hidden: true });
      const copiedNote = el('p', { class: 'copied-note', id: `copied-${s.key}`, hidden: true });
      const label = el('span', { class: 'label-text' });
      const marker = el('span', { class: 'req', 'aria-hidden': 'true' });
      let inputs;
      if (s.kind === 'yes_no') {
        // Two large radio buttons in a fieldset; the legend is the question.
        const legend = el('legend', {}, label, marker);
        const options = [['false', 'no'], ['true', 'yes']].map(([value, word]) => {
          const input = el('input', { type: 'radio', name: s.key, value, id: `${id}-${value}`, 'aria-describedby': `${hintId} ${errId}` });
          const text = el('span', { 'data-word': word });
          return { input, label: el('label', { class: 'choice', for: `${id}-${value}` }, input, text) };
        });
        const group = el('div', { class: 'choices', role: 'radiogroup', 'aria-required': s.required ? 'true' : false });
        group.append(...options.map((o) => o.label));
        const fs = el('fieldset', { 'aria-describedby': `${hintId} ${errId} copied-${s.key}` }, legend, hint, copiedNote, group, error, offers);
        wrap.append(fs);
        inputs = options.map((o) => o.input);
      } else {
        const lab = el('label', { for: id }, label, marker);
        let input;
        const common = { id, name: s.key, 'aria-describedby': `${hintId} ${errId} copied-${s.key}`, 'aria-required': s.required ? 'true' : false };
        if (s.kind === 'choice') {
          input = el('select', common);
          input.append(el('option', { value: '' }));
          for (const c of s.choices) input.append(el('option', { value: c.value }));
        } else if (s.kind === 'date') {
          input = el('input', { ...common, type: 'date' });
        } else if (s.kind === 'phone') {
          input = el('input', { ...common, type: 'tel', inputmode: 'tel', autocomplete: 'tel' });
        } else if (s.kind === 'doc_number') {
          // Not inputmode=numeric: an ID number may end in X, which numeric pads lack.
          input = el('input', { ...common, type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
        } else {
          input = el('input', {
            ...common,
            type: 'text',
            autocomplete: s.kind === 'name' ? 'name' : s.key === 'address' ? 'street-address' : s.key === 'employer' ? 'organization' : 'off',
          });
        }
        if (s.max_chars > 0 && input.tagName === 'INPUT' && input.type === 'text') {
          // Characters, not UTF-16 units, are what the core counts; allow room for astral ones.
          input.setAttribute('maxlength', String(s.max_chars * 2));
        }
        wrap.append(lab, hint, copiedNote, input, error, offers);
        inputs = [input];
      }
      for (const input of inputs) {
        // A copied answer that is changed is this person's own from then on.
        input.addEventListener('input', () => this.unmarkCopied(s.key));
        input.addEventListener('change', () => {
          this.unmarkCopied(s.key);
          this.applyConditions();
          onChange?.(s.key);
        });
        input.addEventListener('blur', () => onBlur?.(s.key));
      }
      this.parts.set(s.key, { wrap, label, marker, hint, error, offers, copiedNote, inputs });
      this.root.append(wrap);
    }
    this.applyConditions();
  }

  /** Relabels everything in `lang` ('zh' | 'en'); `words` are the page's own strings. */
  setLanguage(lang, words) {
    this.lang = lang;
    this.words = words;
    for (const s of this.specs) {
      const p = this.parts.get(s.key);
      p.label.textContent = s[lang] || s.zh;
      p.marker.textContent = s.required ? ' *' : '';
      const hintText = lang === 'en' ? s.hint_en : s.hint_zh;
      p.hint.textContent = hintText;
      p.hint.hidden = !hintText;
      if (s.kind === 'choice') {
        const [blank, ...opts] = p.inputs[0].options;
        blank.textContent = words.choose;
        opts.forEach((o, i) => (o.textContent = s.choices[i][lang] || s.choices[i].zh));
      }
      for (const span of p.wrap.querySelectorAll('[data-word]')) span.textContent = words[span.dataset.word];
    }
    this.renderCopied();
    this.renderErrors();
  }

  /** A conditional field is shown (and sent) only when its yes/no field is yes (shared/fields.js). */
  applyConditions() {
    const answers = Object.fromEntries(this.specs.filter((s) => s.kind === 'yes_no').map((s) => [s.key, this.valueOf(s.key)]));
    const shown = new Set(shownFields(this.specs, answers).map((s) => s.key));
    for (const s of this.specs) {
      const p = this.parts.get(s.key);
      p.wrap.hidden = !shown.has(s.key);
      for (const input of p.inputs) input.disabled = !shown.has(s.key);
    }
  }

  visible(key) {
    return !this.parts.get(key).wrap.hidden;
  }

  valueOf(key) {
    const s = this.byKey.get(key);
    const p = this.parts.get(key);
    if (s.kind === 'yes_no') {
      const checked = p.inputs.find((i) => i.checked);
      return checked ? checked.value === 'true' : undefined;
    }
    const v = p.inputs[0].value;
    if (s.kind === 'choice' || s.kind === 'date') return v === '' ? undefined : v;
    return v;
  }

  /** The person as the user entered it: unanswered items and hidden parts are left out. */
  read() {
    const person = {};
    for (const s of this.specs) {
      if (!this.visible(s.key)) continue;
      const v = this.valueOf(s.key);
      if (v !== undefined) person[s.key] = v;
    }
    return person;
  }

  /**
   * Starts a new household member with the answers of `source` (a stored
   * person) that the core marks copied_in_household, each shown as copied
   * from `fromName` until it is changed; everything else starts empty.
   */
  fillCopied(source, fromName) {
    const copy = {};
    for (const s of this.specs) if (s.copied_in_household && source[s.key] !== undefined) copy[s.key] = source[s.key];
    this.fill(copy);
    this.copied = new Set(Object.keys(copy));
    this.copiedFrom = fromName;
    this.renderCopied();
  }

  unmarkCopied(key) {
    if (!this.copied.delete(key)) return;
    this.renderCopied();
  }

  renderCopied() {
    for (const s of this.specs) {
      const p = this.parts.get(s.key);
      const copied = this.copied.has(s.key);
      p.wrap.classList.toggle('copied', copied);
      p.copiedNote.hidden = !copied;
      p.copiedNote.textContent = copied && this.words ? this.words.copiedFrom(this.copiedFrom) : '';
    }
  }

  /** Sets one field's value as the user would (a suggestion they accepted). */
  setValue(key, value) {
    const s = this.byKey.get(key);
    const p = this.parts.get(key);
    if (s.kind === 'yes_no') for (const i of p.inputs) i.checked = String(!!value) === i.value;
    else p.inputs[0].value = String(value);
    this.unmarkCopied(key);
    this.applyConditions();
  }

  /** Fills the form from a stored person (an edit), or clears it. */
  fill(person = {}) {
    this.copied = new Set();
    for (const s of this.specs) {
      const p = this.parts.get(s.key);
      const v = person[s.key];
      if (s.kind === 'yes_no') {
        for (const i of p.inputs) i.checked = v !== undefined && v !== null && String(!!v) === i.value;
      } else {
        p.inputs[0].value = v === undefined || v === null ? '' : String(v);
      }
    }
    this.applyConditions();
    this.setErrors([]);
    this.renderCopied();
  }

  /**
   * Shows the core's field-level messages. `only`, when given, limits the
   * change to those keys (validation while typing touches one field at a time).
   */
  setErrors(list, only, suggestions = []) {
    this.suggestions = suggestions;
    if (only) {
      for (const k of only) this.errors.delete(k);
      for (const e of list) if (only.has(e.field) && !this.errors.has(e.field)) this.errors.set(e.field, e);
    } else {
      this.errors = new Map();
      for (const e of list) if (e.field && this.byKey.has(e.field) && !this.errors.has(e.field)) this.errors.set(e.field, e);
    }
    this.renderErrors();
  }

  renderErrors() {
    for (const s of this.specs) {
      const p = this.parts.get(s.key);
      const e = this.errors.get(s.key);
      p.error.textContent = e ? e[this.lang] || e.zh : '';
      p.error.hidden = !e;
      // The core's offers for this message: a button each, nothing changes until pressed.
      p.offers.textContent = '';
      for (const sg of e ? this.suggestions.filter((x) => x.about === s.key && this.byKey.has(x.field)) : []) {
        const b = el('button', { type: 'button', class: 'offer', 'data-field': sg.field, 'data-value': sg.value }, sg[this.lang] || sg.zh);
        b.addEventListener('click', () => {
          this.setValue(sg.field, sg.value);
          this.onSuggest?.(sg);
        });
        p.offers.append(b);
      }
      p.offers.hidden = !p.offers.childElementCount;
      p.wrap.classList.toggle('invalid', !!e);
      for (const input of p.inputs) {
        if (e) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
    }
  }

  /** Keys with a message, in form order. */
  errorKeys() {
    return this.specs.map((s) => s.key).filter((k) => this.errors.has(k));
  }

  focus(key) {
    const p = this.parts.get(key);
    const target = p.inputs.find((i) => i.checked) ?? p.inputs[0];
    target.focus();
    p.wrap.scrollIntoView({ block: 'center' });
  }
}
