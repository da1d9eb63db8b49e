#!/usr/bin/env node
// Prints the tokens of kub files as VS Code's own TextMate engine
// (vscode-textmate with the Oniguruma regular expressions) reads them with
// syntaxes/kub.tmLanguage.json: a JSON array with one entry per file, each
// line a list of tokens with their text and scopes. tests/editor_grammar.rs
// runs it on the sample files and checks the scopes.
'use strict';

const fs = require('fs');
const path = require('path');
const textmate = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarFile = path.resolve(__dirname, '..', 'syntaxes', 'kub.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.kub' ? textmate.parseRawGrammar(fs.readFileSync(grammarFile, 'utf8'), grammarFile) : null,
  });
  return registry.loadGrammar('source.kub');
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
    console.error('usage: node test/tokenize.js FILE.kub...');
    process.exit(2);
  }
  const grammar = await loadGrammar();
  const tokenised = files.map((file) => ({ file, lines: tokenize(grammar, fs.readFileSync(file, 'utf8')) }));
  process.stdout.write(JSON.stringify(tokenised));
}

main().catch((error) => {
  console.error(`tokenize: ${error.message}`);
  process.exit(1);
});
