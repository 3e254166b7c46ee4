/** 1-based line and column (in UTF-16 code units, as editors count) of an offset in a text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Maps offsets in one text to line:column; built once per text, then O(log lines) per lookup. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}

export const START_OF_FILE: SourcePosition = { line: 1, column: 1 };
