/**
 * Text assembled from pieces of a source file (string fragments, decoded
 * escapes, placeholders standing for interpolated code) that remembers where
 * every piece came from, so an offset in the assembled SQL maps back to the
 * source characters a diagnostic should underline.
 */

export interface Run {
  readonly sqlStart: number;
  readonly sqlLength: number;
  readonly sourceStart: number;
  readonly sourceLength: number;
}

export interface Edit {
  readonly from: number;
  readonly to: number;
  readonly replacement: string;
}

export class MappedText {
  /** `origin`: where an empty text sits in the source (an empty string literal still has a place). */
  private constructor(readonly text: string, readonly runs: readonly Run[], private readonly origin: number) {}

  static empty(origin = 0): MappedText {
    return new MappedText('', [], origin);
  }

  /** Appends `text` taken from `sourceStart` (`sourceLength` characters of source). */
  append(text: string, sourceStart: number, sourceLength = text.length): MappedText {
    if (text.length === 0) return this;
    const run = { sqlStart: this.text.length, sqlLength: text.length, sourceStart, sourceLength };
    return new MappedText(this.text + text, [...this.runs, run], this.origin);
  }

  /** Source offset of `offset` in the text. */
  toSource(offset: number): number {
    return this.runs.length === 0 ? this.origin : toSource(this.runs, this.text.length, offset);
  }

  /** Applies non-overlapping edits (sorted or not); replaced text maps to the source of what it replaced. */
  replace(edits: readonly Edit[]): MappedText {
    const sorted = [...edits].sort((a, b) => a.from - b.from);
    let out = MappedText.empty(this.origin);
    let at = 0;
    for (const e of sorted) {
      if (e.from < at) continue;
      out = out.appendSlice(this, at, e.from);
      const start = this.toSource(e.from);
      const end = e.to > e.from ? this.toSource(e.to - 1) + 1 : start;
      out = out.append(e.replacement, start, Math.max(0, end - start));
      at = e.to;
    }
    return out.appendSlice(this, at, this.text.length);
  }

  /** Copies `[from, to)` of `other`, keeping its mapping. */
  private appendSlice(other: MappedText, from: number, to: number): MappedText {
    let out = new MappedText(this.text, this.runs, this.origin);
    for (const r of other.runs) {
      const s = Math.max(from, r.sqlStart);
      const e = Math.min(to, r.sqlStart + r.sqlLength);
      if (e <= s) continue;
      const piece = other.text.slice(s, e);
      if (r.sqlLength === r.sourceLength) out = out.append(piece, r.sourceStart + (s - r.sqlStart), piece.length);
      else out = out.append(piece, r.sourceStart, r.sourceLength);
    }
    return out;
  }

  /** The compact form stored in summaries: `[sqlStart, sourceStart, sourceLength]`. */
  toMap(): [number, number, number][] {
    if (this.runs.length === 0) return [[0, this.origin, 0]];
    return this.runs.map((r) => [r.sqlStart, r.sourceStart, r.sourceLength]);
  }
}

function toSource(runs: readonly Run[], length: number, offset: number): number {
  if (runs.length === 0) return 0;
  let lo = 0;
  let hi = runs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((runs[mid]?.sqlStart ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  const r = runs[lo];
  if (!r) return 0;
  const d = Math.max(0, Math.min(offset, length) - r.sqlStart);
  if (r.sqlLength === r.sourceLength) return r.sourceStart + d;
  return r.sourceStart + Math.min(d, r.sourceLength);
}

/** Maps an offset of stored SQL text back to the source, from the compact map form. */
export function sqlOffsetToSource(map: readonly (readonly [number, number, number])[], sqlLength: number, offset: number): number {
  const runs: Run[] = map.map(([sqlStart, sourceStart, sourceLength], i) => {
    const next = map[i + 1]?.[0] ?? sqlLength;
    return { sqlStart, sqlLength: next - sqlStart, sourceStart, sourceLength };
  });
  return toSource(runs, sqlLength, offset);
}
