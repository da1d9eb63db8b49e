// Folding on braces: every block that spans lines folds, whatever its
// indentation, and braces in texts and comments are not counted.

/** A foldable range of lines, counted from 0: the line with `{` to the line before `}`. */
export interface LineRange {
  start: number;
  end: number;
}

/** The blocks of a kub file that span more than one line. */
export function braceFoldingRanges(text: string): LineRange[] {
  const ranges: LineRange[] = [];
  const open: number[] = [];
  let line = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '\n') {
      line += 1;
    } else if (char === '#') {
      index = lineEnd(text, index) - 1;
    } else if (text.startsWith('"""', index)) {
      const close = text.indexOf('"""', index + 3);
      const stop = close < 0 ? text.length : close + 3;
      line += countLines(text, index, stop);
      index = stop - 1;
    } else if (char === '"') {
      index = quotedTextEnd(text, index) - 1;
    } else if (char === '{') {
      open.push(line);
    } else if (char === '}') {
      const start = open.pop();
      // The closing line stays visible, as in other languages with braces.
      if (start !== undefined && line - 1 > start) {
        ranges.push({ start, end: line - 1 });
      }
    }
    index += 1;
  }
  return ranges;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** Where a one-line quoted text ends: after its closing quote, or at the end of its line. */
function quotedTextEnd(text: string, from: number): number {
  let index = from + 1;
  while (index < text.length && text[index] !== '\n') {
    if (text[index] === '\\' && text[index + 1] !== '\n') {
      index += 2;
      continue;
    }
    if (text[index] === '"') {
      return index + 1;
    }
    index += 1;
  }
  return Math.min(index, text.length);
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let index = from; index < to; index += 1) {
    if (text[index] === '\n') lines += 1;
  }
  return lines;
}
