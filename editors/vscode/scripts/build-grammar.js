#!/usr/bin/env node
// Writes syntaxes/kub.tmLanguage.json, the TextMate grammar of kub.
//
// The grammar is generated rather than written by hand for two reasons: the
// same few patterns (an id, the start of the next statement) recur in dozens
// of rules, and the keywords come straight from kub's own keyword table
// (src/syntax/keywords.rs), so that a keyword added to the language cannot be
// forgotten here. `node scripts/build-grammar.js --check` fails, instead of
// writing, when the committed grammar differs from what this script makes.
'use strict';

const fs = require('fs');
const path = require('path');

const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
const keywordTable = path.join(repositoryRoot, 'src', 'syntax', 'keywords.rs');
const grammarFile = path.resolve(__dirname, '..', 'syntaxes', 'kub.tmLanguage.json');

// How each keyword is coloured. `keyword.control` is for the words that say
// what a file is and how it relates to other files (themes give them the
// strongest colour); `keyword.other` for the words of ordinary statements.
const KEYWORD_SCOPES = {
  'keyword.control.file.kub': ['framework', 'library', 'assessment'],
  'keyword.control.import.kub': ['include', 'extends', 'follows'],
  'keyword.control.tailoring.kub': ['remove', 'override', 'renamed'],
  'keyword.other.definition.kub': [
    'scale', 'level', 'area', 'task', 'competence', 'track', 'milestone', 'certificate',
    'participant', 'occasion',
  ],
  'keyword.other.property.kub': [
    'version', 'occupation', 'organisation', 'languages', 'description', 'esco', 'rate',
    'criterion', 'seqf', 'required', 'optional', 'evidence', 'skill', 'cefr', 'sfi',
    'achieved', 'reference', 'language', 'personal-number', 'workplace', 'supervisor',
    'period', 'goal', 'signed',
  ],
  'keyword.other.connective.kub': ['with', 'from', 'to', 'by', 'role', 'latin'],
};

// The kinds of item that `remove` and `renamed` name.
const ITEM_KINDS = ['task', 'area', 'competence', 'track', 'milestone'];

/** The keywords of kub's keyword table and its reserved words, in order. */
function readKeywordTable() {
  const source = fs.readFileSync(keywordTable, 'utf8');
  const keywords = [...source.matchAll(/\(Rule::k_\w+, "`([a-z-]+)`"\)/g)].map((match) => match[1]);
  const reservedList = source.match(/static RESERVED: &\[&str\] = &\[([^\]]*)\]/);
  if (keywords.length === 0 || !reservedList) {
    throw new Error(`${keywordTable}: the keyword table or the reserved words were not found`);
  }
  const reserved = [...reservedList[1].matchAll(/"([a-z-]+)"/g)].map((match) => match[1]);
  return { keywords, reserved };
}

/** The scope of each keyword; every keyword of the table needs exactly one. */
function keywordScopes(keywords) {
  const scopeOf = new Map();
  for (const [scope, words] of Object.entries(KEYWORD_SCOPES)) {
    for (const word of words) {
      if (!keywords.includes(word)) {
        throw new Error(`\`${word}\` is coloured as a keyword but is not in ${keywordTable}`);
      }
      scopeOf.set(word, scope);
    }
  }
  const missing = keywords.filter((word) => !scopeOf.has(word));
  if (missing.length > 0) {
    throw new Error(`give the keywords ${missing.map((w) => `\`${w}\``).join(', ')} a scope in KEYWORD_SCOPES`);
  }
  return scopeOf;
}

function buildGrammar({ keywords, reserved }) {
  const scopeOf = keywordScopes(keywords);

  // Ids hold ASCII letters, digits, `-` and `_`, so `\b` would see a word end
  // inside `med-stod`; these lookarounds mark the ends of a whole word.
  const start = '(?<![\\w-])';
  const end = '(?![\\w-])';
  const word = (w) => `${start}${w}${end}`;
  const reservedWord = `${start}(?:${reserved.join('|')})${end}`;
  // An id as kub reads it: never a reserved word. Letters beyond ASCII are
  // coloured as part of the id; `kub check` explains how to spell it.
  const ID = `${start}(?!(?:${reserved.join('|')})${end})[A-Za-z][\\w-]*${end}`;
  const VERSION = `${start}\\d+(?:\\.\\d+)*${end}`;
  const INTEGER = `${start}\\d+${end}`;
  const CODE = `${start}[A-Za-z0-9]+${end}`;
  // A statement ends where the next one starts: at a reserved word or at the
  // brace that closes the block around it.
  const nextStatement = `(?=\\}|${reservedWord})`;
  // A statement with a block ends after its block; without one, where the
  // next statement starts.
  const statementEnd = `(?<=\\})|${nextStatement}`;

  const kw = (w) => ({ re: word(w), scope: scopeOf.get(w) });
  const id = (scope) => ({ re: ID, scope });

  // The parts of a statement on its first line, in order: `required` parts
  // must all be there for the rule to match, the rest may stop early (a
  // statement being typed is coloured as far as it goes). A part is
  // {re, scope} or {either: [part, ...]}.
  function sequence(parts, required = 1) {
    let index = 0;
    const captures = {};
    const group = (part) => {
      if (part.either) return `(?:${part.either.map(group).join('|')})`;
      index += 1;
      captures[index] = { name: part.scope };
      return `(${part.re})`;
    };
    const pieces = parts.map(group);
    let regex = pieces[pieces.length - 1];
    for (let i = pieces.length - 2; i >= 0; i -= 1) {
      const next = i + 1 < required ? `\\s+${regex}` : `(?:\\s+${regex})?`;
      regex = pieces[i] + next;
    }
    return { regex, captures };
  }

  const statement = (parts, required) => {
    const { regex, captures } = sequence(parts, required);
    return { match: regex, captures };
  };

  // A rule from an opening mark to a closing one, both scoped as punctuation.
  const between = (name, open, close, punctuation, patterns) => ({
    name,
    begin: open,
    beginCaptures: { 0: { name: `${punctuation}.begin.kub` } },
    end: close,
    endCaptures: { 0: { name: `${punctuation}.end.kub` } },
    ...(patterns ? { patterns } : {}),
  });
  const braces = (name, include) => between(name, '\\{', '\\}', 'punctuation.section.block', [{ include }]);

  // A statement that may open a block: the block holds `items`, and text
  // (titles in several languages) may stand between the head and the block.
  const withBlock = (meta, parts, items, required) => {
    const { regex, captures } = sequence(parts, required);
    return {
      name: `meta.${meta}.kub`,
      begin: regex,
      beginCaptures: captures,
      end: statementEnd,
      patterns: [{ include: '#base' }, braces(`meta.block.${meta}.kub`, items), { include: '#anything' }],
    };
  };

  // A whole file of one kind: what follows its first word is read as that
  // kind until the end of the file.
  const file = (meta, parts, body) => {
    const { regex, captures } = sequence(parts);
    return { name: `meta.${meta}.kub`, begin: regex, beginCaptures: captures, end: '(?!)', patterns: [{ include: body }] };
  };

  const items = (...names) => ({ patterns: [...names.map((n) => ({ include: n })), { include: '#anything' }] });

  const repository = {
    base: { patterns: [{ include: '#comment' }, { include: '#conflict-marker' }] },
    comment: {
      name: 'comment.line.number-sign.kub',
      match: '(#).*$',
      captures: { 1: { name: 'punctuation.definition.comment.kub' } },
    },
    'conflict-marker': {
      name: 'invalid.illegal.conflict-marker.kub',
      match: '^(?:<{7,}|\\|{7,}|={7,}|>{7,})(?:\\s.*)?$',
    },
    keywords: {
      patterns: Object.entries(KEYWORD_SCOPES).map(([scope, words]) => ({
        name: scope,
        match: `${start}(?:${words.join('|')})${end}`,
      })),
    },
    'long-text': between('string.quoted.triple.kub', '"""', '"""', 'punctuation.definition.string'),
    // A quoted text stays on its line; an unclosed one ends there.
    text: between('string.quoted.double.kub', '"', '"|$', 'punctuation.definition.string', [
      { name: 'constant.character.escape.kub', match: '\\\\["\\\\nt]' },
      { name: 'invalid.illegal.unknown-escape.kub', match: '\\\\.' },
    ]),
    'language-code': { name: 'support.constant.language-code.kub', match: `${start}[a-z]{2}${end}` },
    date: { name: 'constant.numeric.date.kub', match: `${start}\\d{4}-\\d{2}-\\d{2}${end}` },
    version: { name: 'constant.numeric.version.kub', match: `${start}\\d+(?:\\.\\d+)+${end}` },
    integer: { name: 'constant.numeric.integer.kub', match: INTEGER },
    unrated: { name: 'constant.language.unrated.kub', match: '\\?' },
    block: braces('meta.block.kub', '#anything'),
    'unmatched-brace': { name: 'punctuation.section.block.end.kub', match: '\\}' },
    // A word in no place the grammar knows, such as an id on the line after
    // its keyword: still an id to kub.
    word: { name: 'variable.other.kub', match: `${start}[\\w][\\w-]*` },
    'stray-character': { name: 'invalid.illegal.character.kub', match: '[^\\s]' },
    // Whatever may stand anywhere, in the order ties are broken: a keyword
    // before a language code (`to`), a date before a number.
    anything: {
      patterns: [
        '#base', '#keywords', '#long-text', '#text', '#date', '#version', '#integer',
        '#language-code', '#unrated', '#block', '#unmatched-brace', '#word', '#stray-character',
      ].map((include) => ({ include })),
    },

    // ------------------------------------------------ frameworks and libraries
    'framework-file': file('framework', [kw('framework'), id('entity.name.type.framework.kub')], '#framework-items'),
    'library-file': file('library', [kw('library'), id('entity.name.type.library.kub')], '#framework-items'),
    'framework-items': items(
      '#base', '#version', '#extends', '#rate', '#scale-definition', '#area-definition',
      '#competence-definition', '#track-definition', '#certificate', '#override-task',
      '#override-area', '#override-competence', '#remove', '#renamed',
    ),
    version: statement([kw('version'), { re: VERSION, scope: 'constant.numeric.version.kub' }]),
    extends: statement([
      kw('extends'),
      id('variable.other.framework.kub'),
      { re: VERSION, scope: 'constant.numeric.version.kub' },
    ]),
    rate: statement([
      kw('rate'),
      // Any word, as kub reads it, so that `kub check` can suggest `tasks` for `task`.
      { re: word('[A-Za-z][\\w-]*'), scope: 'support.constant.rate-target.kub' },
      kw('with'),
      id('variable.other.scale.kub'),
    ]),
    'scale-definition': withBlock('scale', [kw('scale'), id('entity.name.type.scale.kub')], '#scale-items'),
    'scale-items': items('#base', '#level-definition'),
    'level-definition': withBlock('level', [kw('level'), id('entity.name.variable.level.kub')], '#anything'),
    'scale-reference': statement([kw('scale'), id('variable.other.scale.kub')]),
    'area-definition': withBlock('area', [kw('area'), id('entity.name.namespace.area.kub')], '#area-items'),
    'area-items': items('#base', '#scale-reference', '#task-definition'),
    'task-definition': withBlock('task', [kw('task'), id('entity.name.function.task.kub')], '#task-items'),
    'task-items': items('#base', '#scale-reference', '#seqf-level', '#evidence'),
    'seqf-level': statement([
      kw('seqf'),
      { re: INTEGER, scope: 'constant.numeric.integer.kub' },
      // `competence` is a keyword elsewhere, and a dimension here.
      { re: word('(?:knowledge|skills|competence)'), scope: 'support.constant.seqf-dimension.kub' },
    ]),
    evidence: statement([kw('evidence'), id('support.constant.evidence.kub')]),
    'competence-definition': withBlock(
      'competence',
      [kw('competence'), id('entity.name.function.competence.kub')],
      '#competence-items',
    ),
    'competence-items': items('#base', '#scale-reference', '#level-descriptor'),
    'level-descriptor': statement([kw('level'), id('variable.other.constant.level.kub')]),
    'track-definition': withBlock('track', [kw('track'), id('entity.name.namespace.track.kub')], '#track-items'),
    'track-items': items('#base', '#skill', '#milestone-definition'),
    skill: statement([kw('skill'), id('support.constant.skill.kub')]),
    'milestone-definition': withBlock(
      'milestone',
      [kw('milestone'), id('entity.name.function.milestone.kub')],
      '#milestone-items',
    ),
    'milestone-items': items('#base', '#cefr', '#sfi'),
    cefr: statement([kw('cefr'), { re: CODE, scope: 'support.constant.cefr.kub' }]),
    sfi: statement([kw('sfi'), { re: CODE, scope: 'support.constant.sfi.kub' }]),
    certificate: withBlock('certificate', [kw('certificate')], '#certificate-items'),
    'certificate-items': items('#base', '#achieved', '#seqf-rule'),
    achieved: statement([
      kw('achieved'),
      id('variable.other.scale.kub'),
      kw('from'),
      id('variable.other.constant.level.kub'),
    ]),
    'seqf-rule': statement([
      kw('seqf'),
      id('support.constant.seqf-rule.kub'),
      { re: INTEGER, scope: 'constant.numeric.integer.kub' },
    ]),
    'override-task': withBlock(
      'override',
      [kw('override'), kw('task'), id('variable.other.task.kub')],
      '#task-items',
      2,
    ),
    'override-area': withBlock(
      'override',
      [kw('override'), kw('area'), id('variable.other.area.kub')],
      '#area-items',
      2,
    ),
    'override-competence': withBlock(
      'override',
      [kw('override'), kw('competence'), id('variable.other.competence.kub')],
      '#competence-items',
      2,
    ),
    remove: {
      patterns: ITEM_KINDS.map((kind) => statement([kw('remove'), kw(kind), id(`variable.other.${kind}.kub`)], 2)),
    },
    renamed: {
      patterns: ITEM_KINDS.map((kind) =>
        statement(
          [kw('renamed'), kw(kind), id(`variable.other.${kind}.kub`), kw('to'), id(`variable.other.${kind}.kub`)],
          2,
        ),
      ),
    },

    // ------------------------------------------------ assessments
    'assessment-file': file(
      'assessment',
      [
        kw('assessment'),
        kw('follows'),
        id('variable.other.framework.kub'),
        { re: VERSION, scope: 'constant.numeric.version.kub' },
      ],
      '#assessment-items',
    ),
    'assessment-items': items('#base', '#occasion', '#goal'),
    occasion: withBlock('occasion', [kw('occasion'), id('support.constant.occasion-kind.kub')], '#ratings'),
    ratings: items('#base', '#rating'),
    rating: {
      patterns: [
        ['task', 'variable.other.constant.level.kub'],
        ['competence', 'variable.other.constant.level.kub'],
        ['milestone', 'support.constant.milestone-value.kub'],
      ].map(([kind, valueScope]) =>
        statement([
          kw(kind),
          id(`variable.other.${kind}.kub`),
          { either: [{ re: '\\?', scope: 'constant.language.unrated.kub' }, id(valueScope)] },
        ]),
      ),
    },
    goal: statement([kw('goal'), kw('task'), id('variable.other.task.kub')], 2),
  };

  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'kub',
    scopeName: 'source.kub',
    fileTypes: ['kub'],
    comment: 'Generated by editors/vscode/scripts/build-grammar.js from src/syntax/keywords.rs; edit the script, not this file.',
    // A file that does not start with its kind yet (a new file, a fragment)
    // is read as a framework, which has the most statements.
    patterns: [
      { include: '#base' },
      { include: '#framework-file' },
      { include: '#library-file' },
      { include: '#assessment-file' },
      { include: '#framework-items' },
    ],
    repository,
  };
}

function main() {
  const grammar = `${JSON.stringify(buildGrammar(readKeywordTable()), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    const written = fs.existsSync(grammarFile) ? fs.readFileSync(grammarFile, 'utf8') : '';
    if (written !== grammar) {
      console.error(`${path.relative(process.cwd(), grammarFile)} is stale: run \`npm run grammar\` in editors/vscode`);
      process.exit(1);
    }
    return;
  }
  fs.mkdirSync(path.dirname(grammarFile), { recursive: true });
  fs.writeFileSync(grammarFile, grammar);
}

try {
  main();
} catch (error) {
  console.error(`build-grammar: ${error.message}`);
  process.exit(1);
}
