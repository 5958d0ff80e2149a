/**
 * Offset conversions between the units the PostgreSQL parser speaks and the
 * UTF-16 code units of JavaScript strings (and so of VS Code positions).
 *
 * libpg-query reports node and statement locations in UTF-8 bytes and error
 * cursors in code points; for ASCII text all three agree, so the converters
 * take a fast path there.
 */

/** Converts UTF-8 byte offsets of `text` to UTF-16 offsets. Built once per text. */
export function utf8ToUtf16(text: string): (byteOffset: number) => number {
  if (isAscii(text)) return (byteOffset) => clamp(byteOffset, text.length);
  // byteStarts[i] = byte offset of UTF-16 index i (for the lead unit of a pair).
  const byteStarts = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    byteStarts[i] = bytes;
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes; both units start at the same byte.
      bytes += 4;
      byteStarts[++i] = bytes - 4;
    } else bytes += 3;
  }
  byteStarts[text.length] = bytes;
  return (byteOffset) => {
    if (byteOffset <= 0) return 0;
    if (byteOffset >= bytes) return text.length;
    // Binary search for the first UTF-16 index whose byte start is >= byteOffset.
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((byteStarts[mid] ?? bytes) < byteOffset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Converts a code point index in `text` to a UTF-16 offset. */
export function codePointToUtf16(text: string, codePoint: number): number {
  if (codePoint <= 0) return 0;
  let units = 0;
  let points = 0;
  while (units < text.length && points < codePoint) {
    const unit = text.charCodeAt(units);
    units += unit >= 0xd800 && unit <= 0xdbff && units + 1 < text.length ? 2 : 1;
    points++;
  }
  return units;
}

/** Converts a UTF-16 offset in `text` to a code point index (the unit PostgreSQL counts in). */
export function utf16ToCodePoint(text: string, offset: number): number {
  let points = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) i++;
    points++;
  }
  return points;
}

export function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

function clamp(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value;
}
