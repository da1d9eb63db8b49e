//! A small editor for driving `kub lsp`: over the real process's standard
//! input and output, or in process over `lsp-server`'s in-memory
//! connection. Shared by the tests and the benchmark.

use std::io::BufReader;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

/// How long an answer may take before the test fails rather than hangs.
const PATIENCE: Duration = Duration::from_secs(60);

enum Server {
    Process { child: Child, stdin: std::process::ChildStdin },
    Memory { connection: Connection, thread: Option<JoinHandle<Result<bool, String>>> },
}

/// An editor talking to one server.
pub struct Client {
    server: Option<Server>,
    incoming: mpsc::Receiver<Message>,
    next_id: i32,
    /// Notifications that came while waiting for answers, oldest first.
    pub notifications: Vec<Notification>,
}

impl Client {
    /// Starts `kub lsp` as a process in `dir`.
    pub fn process(kub: &Path, dir: &Path) -> Client {
        let mut child = Command::new(kub)
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kub lsp starts");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(message)) = Message::read(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client { server: Some(Server::Process { child, stdin }), incoming, next_id: 0, notifications: Vec::new() }
    }

    /// Runs the server in this process, with the given options.
    pub fn in_process(options: kub::lsp::Options) -> Client {
        let (server_side, client_side) = Connection::memory();
        let thread = std::thread::spawn(move || kub::lsp::serve(&server_side, options));
        let (sender, incoming) = mpsc::channel();
        let receiver = client_side.receiver.clone();
        std::thread::spawn(move || {
            while let Ok(message) = receiver.recv() {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            server: Some(Server::Memory { connection: client_side, thread: Some(thread) }),
            incoming,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, message: Message) {
        match &mut self.server {
            Some(Server::Process { stdin, .. }) => message.write(stdin).expect("kub lsp reads its input"),
            Some(Server::Memory { connection, .. }) => connection.sender.send(message).expect("the server is running"),
            None => unreachable!("the server is running until the client waits for it"),
        }
    }

    /// Sends `initialize` for the folder `root` and `initialized`; returns the server's capabilities.
    pub fn initialize(&mut self, root: &Path, utf8: bool) -> Value {
        let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
        let params = json!({
            "processId": null,
            "rootUri": uri(root),
            "capabilities": { "general": { "positionEncodings": encodings } },
            "workspaceFolders": [{ "uri": uri(root), "name": "kub" }],
        });
        let result = self.result("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(method.to_string(), params)));
    }

    /// Sends a request and waits for its answer, keeping notifications that come meanwhile.
    pub fn request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Message::Request(Request::new(id.clone(), method.to_string(), params)));
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.next_message(deadline) {
                Message::Response(response) if response.id == id => return response,
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    /// A request's result, which must not be an error.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        match self.request(method, params).response_result {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error:?}"),
        }
    }

    fn next_message(&mut self, deadline: Instant) -> Message {
        let left = deadline.saturating_duration_since(Instant::now());
        self.incoming.recv_timeout(left).unwrap_or_else(|_| panic!("kub lsp did not answer in {PATIENCE:?}"))
    }

    /// Waits for the next diagnostics published for `uri`, dropping those
    /// already received; returns them.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.notifications.retain(|n| !(n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri));
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Message::Notification(notification) = self.next_message(deadline) {
                let found =
                    notification.method == "textDocument/publishDiagnostics" && notification.params["uri"] == uri;
                if found {
                    return notification.params["diagnostics"].as_array().cloned().unwrap_or_default();
                }
                self.notifications.push(notification);
            }
        }
    }

    /// Opens a document with its text.
    pub fn open(&mut self, uri: &str, text: &str) {
        let document = json!({ "uri": uri, "languageId": "kub", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    /// Replaces a document's whole text.
    pub fn change(&mut self, uri: &str, version: i32, text: &str) {
        let params = json!({
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "text": text }],
        });
        self.notify("textDocument/didChange", params);
    }

    /// Asks to shut down and exits; returns the exit status of the process
    /// or whether the in-process server saw `shutdown` before `exit`.
    pub fn shutdown(mut self) -> i32 {
        self.result("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Waits for the server to end.
    pub fn wait(mut self) -> i32 {
        match self.server.take() {
            Some(Server::Process { mut child, stdin }) => {
                drop(stdin);
                child.wait().expect("kub lsp ends").code().unwrap_or(-1)
            }
            Some(Server::Memory { connection, mut thread }) => {
                drop(connection);
                let clean = thread.take().and_then(|thread| thread.join().ok()).and_then(Result::ok);
                if clean == Some(true) { 0 } else { 1 }
            }
            None => -1,
        }
    }
}

impl Drop for Client {
    /// A test that fails half way leaves no server running.
    fn drop(&mut self) {
        if let Some(Server::Process { child, .. }) = &mut self.server {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The `file:` URI of a path, as an editor writes it.
pub fn uri(path: &Path) -> String {
    kub::lsp::paths::from_path(&std::path::absolute(path).unwrap()).unwrap().as_str().to_string()
}

/// The position of a byte offset in a text, in UTF-16 units or UTF-8 bytes.
pub fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_text = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let character = if utf8 { line_text.len() } else { line_text.encode_utf16().count() };
    json!({ "line": line, "character": character })
}

/// Where `needle` starts in `text`, plus `skip` bytes.
pub fn offset_of(text: &str, needle: &str, skip: usize) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("`{needle}` is in the text")) + skip
}
