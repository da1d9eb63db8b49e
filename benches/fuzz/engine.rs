//! The fuzzing engine shared by the `fuzz` example (long runs) and the
//! integration tests (a short run in CI): it makes inputs from the sample
//! files and from nothing, and runs each through parsing, checking and the
//! rendering of every diagnostic.
//!
//! Inputs are made by a seeded generator, so a run is repeatable: the same
//! seed gives the same inputs in the same order.

use std::path::{Path, PathBuf};

use kub::check::check;
use kub::diagnostic::render::{self, Color};
use kub::model::Workspace;

/// A small, fast, seeded generator (xorshift64*); statistical quality is
/// beside the point, repeatability is not.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `bound` (which must not be 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What inputs are made from: the sample files, and the frameworks that
/// mutated assessments are checked against.
pub struct Corpus {
    samples: Vec<Vec<u8>>,
    /// Every line of every sample, for splicing.
    lines: Vec<Vec<u8>>,
    base: Workspace,
}

/// Pieces that are likely to matter to the grammar and the checks.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "\"",
    "\\",
    "\\\"",
    "\\n",
    "#",
    "\n",
    " ",
    "\t",
    "?",
    "-",
    "@",
    "..",
    "../",
    "/",
    "framework",
    "library",
    "assessment",
    "follows",
    "extends",
    "include",
    "remove",
    "override",
    "renamed",
    "version",
    "languages",
    "scale",
    "level",
    "area",
    "task",
    "competence",
    "track",
    "milestone",
    "criterion",
    "seqf",
    "required",
    "optional",
    "evidence",
    "certificate",
    "achieved",
    "from",
    "all-required",
    "share",
    "participant",
    "workplace",
    "supervisor",
    "role",
    "period",
    "to",
    "occasion",
    "mapping",
    "follow-up",
    "final",
    "by",
    "signed",
    "goal",
    "language",
    "reached",
    "not-yet",
    "rate",
    "tasks",
    "competences",
    "with",
    "sv",
    "da",
    "en",
    "1.0",
    "2.1",
    "0",
    "999999999999999999999",
    "2026-02-30",
    "2026-05-04",
    "19900101-1234",
    "900101+1234",
    "\u{202E}",
    "\u{2066}",
    "\u{200D}",
    "\u{200C}",
    "\u{FEFF}",
    "\u{0}",
    "\u{7}",
    "\u{85}",
    "\u{2028}",
    "\u{1F600}",
    "أمل",
    "ሰላም",
    "Олена",
    "Åsa",
    "\r\n",
    "\r",
    "{{",
    "}}",
    "{%",
    "#{",
    "<script>",
    "$",
    "*",
    "_",
    "`",
    "=",
];

impl Corpus {
    /// Reads every `.kub` file under the given folders; the files under
    /// `frameworks` also make the base every input is checked beside.
    pub fn load(root: &Path, sample_dirs: &[&str], frameworks: &str) -> Corpus {
        let mut files = Vec::new();
        for dir in sample_dirs {
            collect(&root.join(dir), &mut files);
        }
        files.sort();
        let samples: Vec<Vec<u8>> = files.iter().filter_map(|file| std::fs::read(file).ok()).collect();
        let lines = samples
            .iter()
            .flat_map(|sample| sample.split_inclusive(|&byte| byte == b'\n').map(<[u8]>::to_vec))
            .collect();
        let mut base = Workspace::with_threads(1);
        base.load(&root.join(frameworks));
        Corpus { samples, lines, base }
    }

    pub fn sample_count(&self) -> usize {
        self.samples.len()
    }

    /// One input: random bytes, a sample mutated a few times, two samples
    /// spliced, or a sample cut short.
    pub fn input(&self, rng: &mut Rng) -> Vec<u8> {
        match rng.below(10) {
            0 => random_bytes(rng),
            1 => {
                let a = rng.pick(&self.samples);
                let b = rng.pick(&self.samples);
                let cut_a = rng.below(a.len() + 1);
                let cut_b = rng.below(b.len() + 1);
                [&a[..cut_a], &b[cut_b..]].concat()
            }
            2 => {
                let sample = rng.pick(&self.samples);
                sample[..rng.below(sample.len() + 1)].to_vec()
            }
            _ => {
                let mut input = rng.pick(&self.samples).clone();
                for _ in 0..1 + rng.below(6) {
                    self.mutate(&mut input, rng);
                }
                input
            }
        }
    }

    fn mutate(&self, input: &mut Vec<u8>, rng: &mut Rng) {
        let at = rng.below(input.len() + 1);
        match rng.below(8) {
            0 if !input.is_empty() => {
                let end = (at + 1 + rng.below(32)).min(input.len());
                input.drain(at.min(end)..end);
            }
            1 => {
                let token = rng.pick(TOKENS).as_bytes();
                input.splice(at..at, token.iter().copied());
            }
            2 if at < input.len() => input[at] ^= 1 << rng.below(8),
            3 => {
                let line = rng.pick(&self.lines).clone();
                input.splice(at..at, line);
            }
            4 if !input.is_empty() => {
                // Repeat a stretch, as a paste gone wrong does.
                let start = rng.below(input.len());
                let end = (start + 1 + rng.below(200)).min(input.len());
                let copy = input[start..end].to_vec();
                input.splice(at..at, copy);
            }
            5 => {
                let byte = rng.next() as u8;
                input.insert(at, byte);
            }
            6 => {
                // A long run: very long lines, ids and texts.
                let token = rng.pick(TOKENS).as_bytes();
                let run: Vec<u8> = token.iter().copied().cycle().take(token.len() * (1 + rng.below(2000))).collect();
                input.splice(at..at, run);
            }
            _ => {
                let conflict: &[u8] = b"<<<<<<< HEAD\n  task a \"A\"\n=======\n  task b \"B\"\n>>>>>>> other\n";
                input.splice(at..at, conflict.iter().copied());
            }
        }
    }

    /// Parses and checks one input beside the base frameworks, and renders
    /// every diagnostic in every format. A panic anywhere is a finding.
    pub fn run(&self, input: &[u8]) -> usize {
        let mut workspace = self.base.clone();
        // Bytes that are not UTF-8 are refused when read from disk; the
        // lossy text still exercises the parser with replacement characters.
        workspace.add_source("fuzz/input.kub", String::from_utf8_lossy(input).into_owned());
        let checked = check(workspace);
        let sources = &checked.workspace.sources;
        let human = render::human(&checked.diagnostics, sources, Color::Never);
        let short = render::short(&checked.diagnostics, sources);
        let json = render::json(&checked.diagnostics, sources);
        human.len() + short.len() + json.len()
    }
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let length = rng.below(512);
    let printable = rng.chance(2);
    (0..length).map(|_| if printable { b' ' + (rng.below(95) as u8) } else { rng.next() as u8 }).collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "kub") {
            out.push(path);
        }
    }
}
