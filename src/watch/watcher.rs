//! The file watcher: notify's events gathered into one batch of changed
//! paths per rebuild.
//!
//! Folders are watched, never single files: editors save by renaming and
//! deleting, which kills a watch on the file itself. A batch opens at the
//! first relevant event and stays open while more keep arriving within
//! [`Timing::quiet`], up to [`Timing::cap`], so that a `git checkout` of
//! fifty files gives one rebuild and a storm cannot put a rebuild off for
//! ever. That window is the whole debouncing: a batch is a set of paths,
//! each read again from disk, so the two halves of a rename need no
//! stitching and repeated events of one file count once. Events are taken
//! as notify delivers them, with no polling thread: nothing runs while
//! nothing is saved, and a save waits only for the window to close.
//!
//! While a rebuild runs, [`Watcher::saved_since`] looks at what has come
//! in without waiting, so that the rebuild can drop the documents a newer
//! save makes stale; what it saw stays held for the next batch.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long to wait, and for what.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// A batch closes once no relevant event has come for this long.
    pub quiet: Duration,
    /// ... or once it has been open this long, whatever still comes.
    pub cap: Duration,
    /// How much longer a batch stays open when one of its paths is
    /// missing: the file may be in the middle of an editor's save.
    pub missing_grace: Duration,
}

/// An editor's save (vim's rename, write and delete included) takes well
/// under a millisecond, and `git checkout` writes its files back to back, so
/// a batch that closes 5 ms after the last event sees either whole. A
/// checkout that pauses longer gives a second rebuild, and the first drops
/// what the second makes stale.
impl Default for Timing {
    fn default() -> Self {
        Timing {
            quiet: Duration::from_millis(5),
            cap: Duration::from_millis(500),
            missing_grace: Duration::from_millis(50),
        }
    }
}

/// What woke the watcher.
enum Wake {
    Files(notify::Result<Event>),
    Stop,
}

/// What happened while waiting.
#[derive(Debug)]
pub enum Batch {
    /// These paths changed, were added or were removed; what each one is
    /// now is for the caller to see on disk.
    Changed {
        /// The paths, each once.
        paths: BTreeSet<PathBuf>,
        /// The system dropped events, so anything may have changed.
        rescan: bool,
    },
    /// The file system watcher reported a problem (such as running out of
    /// inotify watches); watching goes on.
    Problem(String),
    /// Ctrl-C or a termination signal.
    Stop,
}

/// Asks a waiting or rebuilding watch to stop; cheap to clone, and safe to
/// call from a signal handler's thread.
#[derive(Clone)]
pub struct StopHandle {
    sender: Sender<Wake>,
    stopping: Arc<AtomicBool>,
}

impl StopHandle {
    /// Asks the watch to stop: a wait ends with [`Batch::Stop`], and a rebuild stops between documents.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        let _ = self.sender.send(Wake::Stop);
    }
}

/// What has been saved since a rebuild began, as far as it matters.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Newer {
    /// The relevant paths changed since.
    pub paths: BTreeSet<PathBuf>,
    /// The system dropped events, so anything may have changed.
    pub rescan: bool,
}

impl Newer {
    /// Nothing relevant has come in.
    pub fn is_nothing(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }
}

/// Tells a rebuild, between groups of documents, what has been saved since
/// it began. [`Watcher`] is the real one.
pub trait SavedSince {
    /// The paths for which `relevant` says yes that changed since the last
    /// batch was handed out.
    fn saved_since(&self, relevant: &dyn Fn(&Path) -> bool) -> Newer;
}

/// The system would not let kub watch files, such as when it has no
/// inotify instances left.
#[derive(Debug)]
pub struct CannotWatch(notify::Error);

impl std::fmt::Display for CannotWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot watch files: {}", self.0)
    }
}

impl std::error::Error for CannotWatch {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Watches folders and hands out batches of changed paths.
pub struct Watcher {
    watcher: RecommendedWatcher,
    sender: Sender<Wake>,
    receiver: Receiver<Wake>,
    /// What [`Watcher::saved_since`] took in, for the next batch.
    held: RefCell<VecDeque<Wake>>,
    stopping: Arc<AtomicBool>,
    watched: BTreeMap<PathBuf, RecursiveMode>,
    timing: Timing,
}

impl Watcher {
    /// A watcher watching nothing yet, or why the system would not let it watch.
    pub fn new(timing: Timing) -> Result<Watcher, CannotWatch> {
        let (sender, receiver) = channel();
        let events = sender.clone();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = events.send(Wake::Files(event));
        })
        .map_err(CannotWatch)?;
        Ok(Watcher {
            watcher,
            sender,
            receiver,
            held: RefCell::new(VecDeque::new()),
            stopping: Arc::new(AtomicBool::new(false)),
            watched: BTreeMap::new(),
            timing,
        })
    }

    /// A handle that stops this watcher from another thread.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle { sender: self.sender.clone(), stopping: self.stopping.clone() }
    }

    /// Set once a stop has been asked for; long rebuilds look at it between
    /// documents.
    pub fn stopping(&self) -> &AtomicBool {
        &self.stopping
    }

    /// Watches exactly these folders from now on. Folders inside a folder
    /// watched recursively are left to it, since two watches on one folder
    /// would share one inotify watch. Returns the folders that could not be
    /// watched, with why.
    pub fn watch(&mut self, folders: &[(PathBuf, RecursiveMode)]) -> Vec<String> {
        let wanted = minimal_folders(folders);
        let mut problems = Vec::new();
        let gone: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|(path, mode)| wanted.get(*path) != Some(mode))
            .map(|(path, _)| path.clone())
            .collect();
        for path in gone {
            // A folder that was deleted has lost its watch already.
            let _ = self.watcher.unwatch(&path);
            self.watched.remove(&path);
        }
        for (path, mode) in wanted {
            if self.watched.contains_key(&path) {
                continue;
            }
            match self.watcher.watch(&path, mode) {
                Ok(()) => {
                    self.watched.insert(path, mode);
                }
                Err(error) => problems.push(format!("cannot watch {}: {error}", path.display())),
            }
        }
        problems
    }

    /// Waits for the next batch of paths for which `relevant` says yes.
    pub fn next(&self, relevant: &dyn Fn(&Path) -> bool) -> Batch {
        let mut paths = BTreeSet::new();
        let mut rescan = false;
        let mut opened: Option<Instant> = None;
        let mut last = Instant::now();
        let mut quiet = self.timing.quiet;
        loop {
            let held = self.held.borrow_mut().pop_front();
            let wake = match (held, opened) {
                (Some(wake), _) => wake,
                (None, None) => match self.receiver.recv() {
                    Ok(wake) => wake,
                    Err(_) => return Batch::Stop,
                },
                (None, Some(start)) => {
                    let deadline = (last + quiet).min(start + self.timing.cap);
                    match self.receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                        Ok(wake) => wake,
                        Err(RecvTimeoutError::Timeout) => {
                            let missing = paths.iter().any(|path: &PathBuf| path.symlink_metadata().is_err());
                            if missing && quiet < self.timing.missing_grace {
                                // Wait out an editor that removed a file and
                                // is about to write it anew.
                                quiet = self.timing.missing_grace;
                                last = Instant::now();
                                continue;
                            }
                            break;
                        }
                        Err(RecvTimeoutError::Disconnected) => return Batch::Stop,
                    }
                }
            };
            let event = match wake {
                Wake::Stop => return Batch::Stop,
                Wake::Files(Err(error)) => {
                    if opened.is_none() {
                        return Batch::Problem(error.to_string());
                    }
                    continue;
                }
                Wake::Files(Ok(event)) => event,
            };
            if take_in(&event, relevant, &mut paths, &mut rescan) {
                last = Instant::now();
                opened.get_or_insert(last);
            }
        }
        Batch::Changed { paths, rescan }
    }
}

impl SavedSince for Watcher {
    /// Takes in, without waiting, what notify has handed over, and holds it
    /// for the next [`Watcher::next`].
    fn saved_since(&self, relevant: &dyn Fn(&Path) -> bool) -> Newer {
        let mut held = self.held.borrow_mut();
        while let Ok(wake) = self.receiver.try_recv() {
            held.push_back(wake);
        }
        let mut newer = Newer::default();
        for wake in held.iter() {
            if let Wake::Files(Ok(event)) = wake {
                take_in(event, relevant, &mut newer.paths, &mut newer.rescan);
            }
        }
        newer
    }
}

/// Adds the relevant paths of `event` to `paths`; says whether it counted.
fn take_in(event: &Event, relevant: &dyn Fn(&Path) -> bool, paths: &mut BTreeSet<PathBuf>, rescan: &mut bool) -> bool {
    if event.need_rescan() {
        *rescan = true;
        return true;
    }
    if !matters(&event.kind) {
        return false;
    }
    let mut any = false;
    for path in &event.paths {
        if relevant(path) {
            paths.insert(path.clone());
            any = true;
        }
    }
    any
}

/// Whether an event can change what a file holds or whether it is there.
/// Reading a file (kub's own reads included) and changing its permissions
/// or times cannot.
fn matters(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

/// The folders to watch, without those that a recursively watched folder
/// already covers, and each once (recursively if asked so at all).
fn minimal_folders(folders: &[(PathBuf, RecursiveMode)]) -> BTreeMap<PathBuf, RecursiveMode> {
    let mut merged: BTreeMap<PathBuf, RecursiveMode> = BTreeMap::new();
    for (path, mode) in folders {
        let entry = merged.entry(path.clone()).or_insert(*mode);
        if *mode == RecursiveMode::Recursive {
            *entry = RecursiveMode::Recursive;
        }
    }
    let recursive: Vec<PathBuf> =
        merged.iter().filter(|(_, mode)| **mode == RecursiveMode::Recursive).map(|(p, _)| p.clone()).collect();
    merged.retain(|path, _| !recursive.iter().any(|root| root != path && path.starts_with(root)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_inside_a_recursive_watch_are_left_to_it() {
        let folders = [
            (PathBuf::from("/p"), RecursiveMode::NonRecursive),
            (PathBuf::from("/p/examples"), RecursiveMode::Recursive),
            (PathBuf::from("/p/examples/a"), RecursiveMode::NonRecursive),
            (PathBuf::from("/p/examples/b"), RecursiveMode::Recursive),
            (PathBuf::from("/lib"), RecursiveMode::NonRecursive),
            (PathBuf::from("/lib"), RecursiveMode::Recursive),
        ];
        let minimal: Vec<(PathBuf, RecursiveMode)> = minimal_folders(&folders).into_iter().collect();
        assert_eq!(
            minimal,
            vec![
                (PathBuf::from("/lib"), RecursiveMode::Recursive),
                (PathBuf::from("/p"), RecursiveMode::NonRecursive),
                (PathBuf::from("/p/examples"), RecursiveMode::Recursive),
            ]
        );
    }
}
