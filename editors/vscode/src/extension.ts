// The kub extension: starts `kub lsp` for .kub files and folds their blocks.
//
// Everything that needs to understand kub (diagnostics, completion, hover,
// definitions, rename, formatting) is the language server's; the extension
// only finds the `kub` program, starts it and restarts it when asked.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { braceFoldingRanges } from './folding';

let client: LanguageClient | undefined;

// Starting and stopping happen one after the other, so that a setting
// changed twice in quick succession never leaves two servers running.
let lifecycle: Promise<void> = Promise.resolve();

function inTurn(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('kub');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('kub.restartServer', () => restart(output)),
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration('kub.path')) {
        void restart(output);
      }
    }),
    vscode.languages.registerFoldingRangeProvider(
      { language: 'kub' },
      { provideFoldingRanges: (document) => braceFoldingRanges(document.getText()).map(toFoldingRange) },
    ),
  );
  await inTurn(() => start(output));
}

export function deactivate(): Promise<void> {
  return inTurn(stop);
}

function toFoldingRange(range: { start: number; end: number }): vscode.FoldingRange {
  return new vscode.FoldingRange(range.start, range.end);
}

/**
 * The `kub` program from the `kub.path` setting: a bare name is looked up on
 * the PATH when it starts; `~` is the home folder and a relative path is
 * taken from the first workspace folder, as users write it in settings.
 */
function kubProgram(): string {
  const setting = vscode.workspace.getConfiguration('kub').get<string>('path', 'kub').trim() || 'kub';
  if (setting === '~' || setting.startsWith('~/')) {
    return path.join(os.homedir(), setting.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder && !path.isAbsolute(setting) && /[\\/]/.test(setting)) {
    return path.resolve(folder, setting);
  }
  return setting;
}

async function start(output: vscode.OutputChannel): Promise<void> {
  const command = kubProgram();
  if (!findProgram(command)) {
    void explainMissingProgram(command);
    return;
  }
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverOptions: ServerOptions = { command, args: ['lsp'], options: cwd ? { cwd } : {} };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'kub' },
      { scheme: 'untitled', language: 'kub' },
    ],
    // A framework changed outside the editor (a `git pull`, `kub migrate`)
    // changes what the open assessments that follow it say.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.kub,kub.toml}') },
    outputChannel: output,
  };
  const starting = new LanguageClient('kub', 'kub language server', serverOptions, clientOptions);
  try {
    await starting.start();
    client = starting;
  } catch {
    // The client has shown why (a kub without `kub lsp`, a crash) and where
    // to read more; what is left is to let go of it.
    await starting.dispose().catch(() => undefined);
  }
}

/**
 * Whether the program can be started: a path must name a file, a bare name
 * must be found on the PATH (with Windows' extensions), so that a missing
 * kub gets one plain message instead of the client's connection errors.
 */
function findProgram(command: string): boolean {
  const extensions = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD').split(';')] : [''];
  const isProgram = (file: string) => extensions.some((extension) => isFile(file + extension));
  if (path.isAbsolute(command) || /[\\/]/.test(command)) {
    return isProgram(command);
  }
  const folders = (process.env.PATH ?? '').split(path.delimiter).filter((folder) => folder !== '');
  return folders.some((folder) => isProgram(path.join(folder, command)));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch(() => undefined);
  }
}

function restart(output: vscode.OutputChannel): Promise<void> {
  return inTurn(async () => {
    await stop();
    await start(output);
  });
}

/** Says in plain words that kub was not found, and where to fix it. */
async function explainMissingProgram(command: string): Promise<void> {
  const openSettings = 'Set kub.path';
  const choice = await vscode.window.showErrorMessage(
    `kub: the program \`${command}\` was not found, so there are no diagnostics or completion. ` +
      'Install kub, or set `kub.path` to the kub program (such as ~/.cargo/bin/kub). ' +
      'Colours and folding work without it.',
    openSettings,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'kub.path');
  }
}
