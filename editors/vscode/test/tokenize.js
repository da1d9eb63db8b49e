#!/usr/bin/env node
// Prints the tokens of kub files (and of the ```kub blocks of Markdown files) as VS Code's own TextMate engine
// (vscode-textmate with the Oniguruma regular expressions) reads them with
// syntaxes/kub.tmLanguage.json: a JSON array with one entry per file, each
// line a list of tokens with their text and scopes. tests/editor_grammar.rs
// runs it on the sample files and checks the scopes.
'use strict';

const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const syntaxes = path.resolve(__dirname, '..', 'syntaxes');
const grammarFiles = {
  'source.kub': path.join(syntaxes, 'kub.tmLanguage.json'),
  'markdown.kub.codeblock': path.join(syntaxes, 'kub.markdown.tmLanguage.json'),
};
// Markdown files are read with an empty stand-in for VS Code's Markdown
// grammar, so that only the ```kub blocks the injection adds are coloured.
const markdownHost = { scopeName: 'text.html.markdown', patterns: [] };

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName === markdownHost.scopeName) return markdownHost;
      const file = grammarFiles[scopeName];
      return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (scopeName === markdownHost.scopeName ? ['markdown.kub.codeblock'] : undefined),
  });
  return { kub: await registry.loadGrammar('source.kub'), markdown: await registry.loadGrammar('text.html.markdown') };
}

function tokenize(grammar, text) {
  let state = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    // No time limit: a line the engine gives up on is a failure to report.
    const result = grammar.tokenizeLine(line, state, 0);
    if (result.stoppedEarly) throw new Error(`tokenising stopped early on the line: ${line}`);
    state = result.ruleStack;
    return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
  });
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node test/tokenize.js FILE.kub|FILE.md...');
    process.exit(2);
  }
  const grammars = await loadGrammar();
  const tokenised = files.map((file) => {
    const grammar = file.endsWith('.md') ? grammars.markdown : grammars.kub;
    return { file, lines: tokenize(grammar, fs.readFileSync(file, 'utf8')) };
  });
  process.stdout.write(JSON.stringify(tokenised));
}

main().catch((error) => {
  console.error(`tokenize: ${error.message}`);
  process.exit(1);
});
