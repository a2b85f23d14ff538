// The one use of the field table's "shown only when" condition in the faces,
// for forms being filled in (the resident form, the gate's manual
// registration). A field with `when` is asked (shown, and sent) only while its
// yes/no field is answered yes; the core applies the same rule to stored
// records (their `display` lists only shown items) and to validation.

/**
 * The fields of the core's `fields` reply that are shown for these answers,
 * in form order. `values` maps a field key to its current answer (a yes/no
 * answer is true, false or undefined).
 * @param {Array<{key: string, when?: string}>} fields
 * @param {Record<string, unknown>} values
 */
export function shownFields(fields, values) {
  return fields.filter((f) => !f.when || values[f.when] === true);
}
