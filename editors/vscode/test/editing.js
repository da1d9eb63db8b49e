#!/usr/bin/env node
// What the extension does while editing, without VS Code: folding on braces
// (src/folding.ts, compiled to out/) and the patterns of
// language-configuration.json. Run by `npm test`.
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

// Indentation: a line that opens a block indents the next one, a line
// starting with `}` goes back; braces in texts and comments do not count.
const configuration = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'language-configuration.json'), 'utf8'));
const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
for (const line of ['area skotsel "Skötsel" {', '  task a "A {" en "B" {  # a comment {', '{', 'certificate {']) {
  assert.ok(increase.test(line), `a new line after \`${line}\` is indented`);
}
for (const line of ['task a "A {"', '  }', 'task a { seqf 2 }', '# {', 'task a # {']) {
  assert.ok(!increase.test(line), `a new line after \`${line}\` is not indented`);
}
assert.ok(decrease.test('  }') && !decrease.test('  task a'));

// Words: an id with hyphens, a date and a version are one word each, for
// double clicks and for the word completion replaces.
const word = new RegExp(configuration.wordPattern, 'g');
assert.deepStrictEqual('task med-stod 2026-05-04 2.1 beskärning'.match(word), [
  'task',
  'med-stod',
  '2026-05-04',
  '2.1',
  'beskärning',
]);

console.log('editing: ok');
