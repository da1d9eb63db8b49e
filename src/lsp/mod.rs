//! `kub lsp`: a language server over standard input and output, so that
//! any editor shows what `kub check` finds while the file is typed, and
//! offers ids, levels and keywords.
//!
//! The server is synchronous: one loop reads a message, answers it, and
//! checks the workspace once typing pauses ([`Options::debounce`]). Edits
//! only replace a document's text; the check that follows them runs when
//! no further change has come for the debounce delay, or at once when a
//! request needs it. Every answer is computed by the library's own
//! parser, model and checks, and a fault while answering one request is
//! reported as that request's error, never ending the session.

mod analysis;
mod completion;
mod diagnostics;
mod edits;
mod names;
mod navigation;
pub mod paths;
pub mod position;
mod symbols;

use std::collections::{BTreeMap, HashMap};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::*;
use serde_json::Value;

use analysis::Analysis;
use navigation::Editor;
use position::{Encoding, LineIndex};

/// How the server behaves; the defaults suit an editor.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long typing must pause before the workspace is checked again.
    pub debounce: Duration,
    /// Whether a fault while answering is reported as that request's error
    /// and the session goes on (for editors), or ends the server (for
    /// tests that must see every fault).
    pub survive_faults: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { debounce: Duration::from_millis(100), survive_faults: true }
    }
}

/// Serves one editor over standard input and output until it says `exit`.
/// Returns whether the editor asked to shut down first, as the protocol
/// wants the exit status to tell.
pub fn run_stdio() -> Result<bool, String> {
    let (connection, threads) = Connection::stdio();
    let clean = serve(&connection, Options::default())?;
    drop(connection);
    threads.join().map_err(|error| format!("the connection to the editor failed: {error}"))?;
    Ok(clean)
}

/// Serves one editor over a connection, from `initialize` to `exit`.
/// Returns whether `shutdown` came before `exit`.
pub fn serve(connection: &Connection, options: Options) -> Result<bool, String> {
    let (id, params) = connection.initialize_start().map_err(|error| error.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate_encoding(&params);
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo { name: "kub".to_string(), version: Some(env!("CARGO_PKG_VERSION").to_string()) }),
    };
    let result = serde_json::to_value(result).map_err(|error| error.to_string())?;
    connection.initialize_finish(id, result).map_err(|error| error.to_string())?;
    let mut server = Server {
        connection,
        options,
        encoding,
        analysis: Analysis::new(root_folder(&params), options.survive_faults),
        uris: HashMap::new(),
        versions: HashMap::new(),
        published: BTreeMap::new(),
        due: None,
        shut_down: false,
    };
    if server.analysis.has_folder() {
        // The whole folder is checked at once, so that problems in files
        // not yet opened are listed from the start.
        server.due = Some(Instant::now());
    }
    Ok(server.run())
}

/// UTF-8 columns when the editor offers them, else the protocol's UTF-16.
fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|general| general.position_encodings.as_ref());
    if offered.is_some_and(|offered| offered.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// The folder the editor opened: the first workspace folder, else the root.
fn root_folder(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|folders| folders.first()).map(|folder| &folder.uri);
    #[allow(deprecated)]
    let root = folder.or(params.root_uri.as_ref());
    #[allow(deprecated)]
    let root_path = params.root_path.as_ref().map(PathBuf::from);
    root.and_then(paths::to_path).or(root_path).map(|path| diagnostics::absolute(&path))
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_string()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// An answer to a request: its result, or an error code and message.
type Answer = Result<Value, (ErrorCode, String)>;

struct Server<'c> {
    connection: &'c Connection,
    options: Options,
    encoding: Encoding,
    analysis: Analysis,
    /// The URIs open documents were opened by, to name them back the same way.
    uris: HashMap<PathBuf, Uri>,
    versions: HashMap<PathBuf, i32>,
    /// What was last published for each file, so only changes are sent.
    published: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>,
    /// When the changes waiting are to be checked and published.
    due: Option<Instant>,
    shut_down: bool,
}

impl Server<'_> {
    fn run(&mut self) -> bool {
        loop {
            let received = match self.due {
                Some(due) => match self.connection.receiver.recv_timeout(due.saturating_duration_since(Instant::now()))
                {
                    Err(error) if error.is_timeout() => {
                        self.publish();
                        continue;
                    }
                    received => received.map_err(|_| ()),
                },
                None => self.connection.receiver.recv().map_err(|_| ()),
            };
            let Ok(message) = received else { return false };
            match message {
                Message::Request(request) => self.request(request),
                Message::Notification(notification) if notification.method == "exit" => return self.shut_down,
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // The editor has gone when this fails; the loop ends at the next read.
        let _ = self.connection.sender.send(message.into());
    }

    fn request(&mut self, request: Request) {
        let answer = if self.shut_down {
            Err((ErrorCode::InvalidRequest, "the server is shutting down".to_string()))
        } else if request.method == "shutdown" {
            self.shut_down = true;
            Ok(Value::Null)
        } else {
            // An answer reads the workspace as checked with every change so
            // far; the diagnostics of that check go out first, so that the
            // editor never sees older ones after the answer.
            if request.method != "textDocument/completion" && self.due.is_some() {
                self.publish();
            }
            let method = request.method.clone();
            self.guarded(&method, |server| server.answer(&request))
                .unwrap_or_else(|| Err((ErrorCode::InternalError, format!("kub could not answer {method}"))))
        };
        let response = match answer {
            Ok(result) => Response::new_ok(request.id, result),
            Err((code, message)) => Response::new_err(request.id, code as i32, message),
        };
        self.send(response);
    }

    fn notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        self.guarded(&method, |server| server.notify(notification));
    }

    /// Runs `work`, and unless faults are to end the server, turns a panic
    /// into `None` and a line on standard error.
    fn guarded<T>(&mut self, what: &str, work: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if !self.options.survive_faults {
            return Some(work(self));
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| work(self)));
        if outcome.is_err() {
            eprintln!("kub lsp: {what} failed; the session goes on");
        }
        outcome.ok()
    }

    /// Checks the workspace after typing has paused (or at once) and sends
    /// the diagnostics of every file whose diagnostics changed.
    fn publish(&mut self) {
        self.due = None;
        let encoding = self.encoding;
        let handled = self.guarded("checking the workspace", |server| {
            let view = server.analysis.current();
            let mut files = diagnostics::by_file(view.checked.diagnostics.iter(), &view.workspace().sources, encoding);
            if let Some(broken) = server.analysis.broken_project() {
                files.extend(diagnostics::by_file([&broken.diagnostic], &broken.sources, encoding));
            }
            files.into_iter().map(|(path, found)| (diagnostics::absolute(&path), found)).collect::<BTreeMap<_, _>>()
        });
        let Some(files) = handled else { return };
        let cleared: Vec<PathBuf> = self.published.keys().filter(|path| !files.contains_key(*path)).cloned().collect();
        for path in cleared {
            self.publish_file(&path, Vec::new());
        }
        for (path, found) in files {
            if self.published.get(&path) != Some(&found) {
                self.publish_file(&path, found);
            }
        }
    }

    fn publish_file(&mut self, path: &Path, found: Vec<lsp_types::Diagnostic>) {
        let Some(uri) = self.uris.get(path).cloned().or_else(|| paths::from_path(path)) else { return };
        let params = PublishDiagnosticsParams::new(uri, found.clone(), self.versions.get(path).copied());
        self.send(Notification::new("textDocument/publishDiagnostics".to_string(), params));
        if found.is_empty() {
            self.published.remove(path);
        } else {
            self.published.insert(path.to_path_buf(), found);
        }
    }

    /// Changes wait for typing to pause before the workspace is checked.
    fn schedule(&mut self) {
        self.due = Some(Instant::now() + self.options.debounce);
    }

    fn notify(&mut self, notification: Notification) {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(notification.params) else {
                    return;
                };
                let document = params.text_document;
                let Some(path) = paths::to_path(&document.uri) else { return };
                self.versions.insert(path.clone(), document.version);
                self.uris.insert(path.clone(), document.uri);
                self.analysis.set_text(&path, document.text);
                self.schedule();
            }
            "textDocument/didChange" => {
                let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(notification.params) else {
                    return;
                };
                let Some(path) = paths::to_path(&params.text_document.uri) else { return };
                let mut text = self.analysis.open_text(&path).unwrap_or_default().to_string();
                for change in params.content_changes {
                    apply_change(&mut text, change, self.encoding);
                }
                self.versions.insert(path.clone(), params.text_document.version);
                self.analysis.set_text(&path, text);
                self.schedule();
            }
            "textDocument/didClose" => {
                let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(notification.params) else {
                    return;
                };
                let Some(path) = paths::to_path(&params.text_document.uri) else { return };
                self.versions.remove(&path);
                self.analysis.close(&path);
                self.schedule();
            }
            "workspace/didChangeWatchedFiles" => {
                let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(notification.params) else {
                    return;
                };
                for path in params.changes.iter().filter_map(|change| paths::to_path(&change.uri)) {
                    if path.file_name().is_some_and(|name| name == crate::project::PROJECT_FILE) {
                        self.analysis.project_file_changed();
                    } else {
                        self.analysis.disk_changed(&path);
                    }
                }
                self.schedule();
            }
            _ => {}
        }
    }

    fn answer(&mut self, request: &Request) -> Answer {
        let params = request.params.clone();
        match request.method.as_str() {
            "textDocument/completion" => {
                let params: CompletionParams = parse(params)?;
                self.completion(params.text_document_position)
            }
            "textDocument/hover" => {
                let params: HoverParams = parse(params)?;
                let at = params.text_document_position_params;
                self.with_editor(&at.text_document.uri, |editor, file| {
                    let hover = editor.hover(file, at.position).map(|(markdown, range)| Hover {
                        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
                        range: Some(range),
                    });
                    Ok(json(hover))
                })
            }
            "textDocument/definition" => {
                let params: GotoDefinitionParams = parse(params)?;
                let at = params.text_document_position_params;
                self.with_editor(&at.text_document.uri, |editor, file| {
                    Ok(json(editor.definition(file, at.position).map(GotoDefinitionResponse::Scalar)))
                })
            }
            "textDocument/references" => {
                let params: ReferenceParams = parse(params)?;
                let at = params.text_document_position;
                let with_definition = params.context.include_declaration;
                self.with_editor(&at.text_document.uri, |editor, file| {
                    Ok(json(editor.references(file, at.position, with_definition)))
                })
            }
            "textDocument/prepareRename" => {
                let params: TextDocumentPositionParams = parse(params)?;
                self.with_editor(&params.text_document.uri, |editor, file| {
                    let range = editor.prepare_rename(file, params.position).map_err(refused)?;
                    Ok(json(PrepareRenameResponse::Range(range)))
                })
            }
            "textDocument/rename" => {
                let params: RenameParams = parse(params)?;
                let at = params.text_document_position;
                self.with_editor(&at.text_document.uri, |editor, file| {
                    Ok(json(editor.rename(file, at.position, &params.new_name).map_err(refused)?))
                })
            }
            "textDocument/documentSymbol" => {
                let params: DocumentSymbolParams = parse(params)?;
                self.with_editor(&params.text_document.uri, |editor, file| {
                    let Some(document) = editor.view.document(file) else { return Ok(Value::Null) };
                    let outline = symbols::outline(document, &editor.lines(file));
                    Ok(json(DocumentSymbolResponse::Nested(outline)))
                })
            }
            "textDocument/formatting" => {
                let params: DocumentFormattingParams = parse(params)?;
                self.with_editor(&params.text_document.uri, |editor, file| {
                    Ok(json(edits::formatting(editor.view.text(file), &editor.lines(file))))
                })
            }
            "textDocument/codeAction" => {
                let params: CodeActionParams = parse(params)?;
                self.code_actions(params)
            }
            method => Err((ErrorCode::MethodNotFound, format!("kub lsp does not answer {method}"))),
        }
    }

    /// Runs `answer` on the up-to-date check, with the file the URI names;
    /// a file outside the workspace gets an empty answer.
    fn with_editor(&mut self, uri: &Uri, answer: impl FnOnce(&Editor, crate::source::FileId) -> Answer) -> Answer {
        let Some(path) = paths::to_path(uri) else { return Ok(Value::Null) };
        let editor = Editor { view: self.analysis.current(), encoding: self.encoding, uris: &self.uris };
        match editor.view.file(&path) {
            Some(file) => answer(&editor, file),
            None => Ok(Value::Null),
        }
    }

    /// Completion reads the document as it is now and the frameworks as
    /// last checked, so that it never waits for a check while typing.
    fn completion(&mut self, at: TextDocumentPositionParams) -> Answer {
        let Some(path) = paths::to_path(&at.text_document.uri) else { return Ok(Value::Null) };
        let open = self.analysis.open_text(&path).map(str::to_string);
        let view = self.analysis.last();
        let file = view.file(&path);
        let text = match (&open, file) {
            (Some(text), _) => text.as_str(),
            (None, Some(file)) => view.text(file),
            (None, None) => return Ok(Value::Null),
        };
        let lines = LineIndex::new(text, self.encoding);
        let items = completion::complete(&view, file, text, lines.offset(at.position), &lines);
        Ok(json(CompletionResponse::Array(items)))
    }

    fn code_actions(&mut self, params: CodeActionParams) -> Answer {
        let uri = params.text_document.uri.clone();
        let encoding = self.encoding;
        self.with_editor(&uri, |editor, file| {
            let sources = &editor.view.workspace().sources;
            let own = editor
                .view
                .checked
                .diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.location.is_some_and(|location| location.file == file));
            let shown = own.clone().map(|diagnostic| {
                let converted = diagnostics::by_file([diagnostic], sources, encoding);
                (diagnostic, converted.into_values().flatten().next().unwrap_or_default())
            });
            let lines = editor.lines(file);
            Ok(json(edits::quick_fixes(&uri, file, editor.view.text(file), &lines, params.range, shown)))
        })
    }
}

/// Applies one change the editor sent to a document's text: the whole
/// text, or a range replaced.
fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    match change.range {
        Some(range) => {
            let span = LineIndex::new(text, encoding).span(range);
            text.replace_range(span.range(), &change.text);
        }
        None => *text = change.text,
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("unexpected parameters: {error}")))
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A request kub understood but refuses, such as a rename to a taken id.
fn refused(message: String) -> (ErrorCode, String) {
    (ErrorCode::RequestFailed, message)
}
