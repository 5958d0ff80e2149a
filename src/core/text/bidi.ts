/**
 * Bidirectional control characters reorder the text around them when it is
 * displayed: a table name or a statement holding U+202E can show one thing
 * and be another ("Trojan Source"). Text that came from a database is shown
 * with these characters spelled out (`\u202E`), so what a user reads is what
 * is there.
 */

/**
 * The explicit directional formatting characters: embeddings and overrides
 * (U+202A–U+202E), isolates (U+2066–U+2069), and the marks that are
 * invisible themselves (U+200E, U+200F, U+061C).
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text with every bidirectional control character written as `\uXXXX`. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
