#!/usr/bin/env node
// Folding on braces (src/folding.ts, compiled to out/): run by `npm test`.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { braceFoldingRanges } = require('../out/folding.js');

// A task block in an area block: both fold, from their `{` line to the line
// before their `}`.
assert.deepStrictEqual(
  braceFoldingRanges(['area a "A" {', '  task b "B" {', '    seqf 2', '  }', '}'].join('\n')),
  [
    { start: 1, end: 2 },
    { start: 0, end: 3 },
  ],
);

// Braces in texts, long texts and comments do not count; a block on one line
// does not fold.
assert.deepStrictEqual(
  braceFoldingRanges(
    [
      'task a "}{ \\" {" {  # {',
      '  description """',
      '    } {',
      '    """',
      '  seqf 2 }',
      'task b { seqf 1 }',
    ].join('\n'),
  ),
  [{ start: 0, end: 3 }],
);

// An unclosed text ends at its line, so the rest of the file still folds.
assert.deepStrictEqual(braceFoldingRanges(['task a "unclosed {', 'area b {', '  x', '}'].join('\n')), [
  { start: 1, end: 2 },
]);

// Unbalanced braces fold what they can and never throw.
assert.deepStrictEqual(braceFoldingRanges('}\n}\n{\n'), []);

// Every sample file folds into well-formed ranges.
const root = path.resolve(__dirname, '..', '..', '..');
const framework = fs.readFileSync(path.join(root, 'frameworks', 'park-och-natur.kub'), 'utf8');
const ranges = braceFoldingRanges(framework);
assert.ok(ranges.length > 10, 'the park framework has many blocks');
for (const range of ranges) assert.ok(range.start < range.end);

console.log('folding: ok');
