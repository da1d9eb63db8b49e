//! Reading in pieces gives what reading whole gives: the same tree, comments,
//! partial tree and diagnostics, on every file of the repository and on
//! generated frameworks with mistakes put in.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::super::{Parsed, parse_with};
use crate::source::FileId;

/// The file read whole on one thread, and read in `pieces` pieces however
/// small it is, on one thread and on two; panics when a result differs.
fn assert_same_both_ways(name: &str, text: &str, pieces: usize) {
    let whole = parse_with(FileId::default(), text, 1, 1);
    for threads in [1, 2] {
        assert_same_as_whole(name, text, &whole, pieces, threads);
    }
}

fn assert_same_as_whole(name: &str, text: &str, whole: &Parsed, pieces: usize, threads: usize) {
    let cut = parse_with(FileId::default(), text, pieces, threads);
    let show = |parsed: &Parsed| {
        format!("{:#?}\n{:#?}\n{:#?}\n{:#?}", parsed.document, parsed.partial, parsed.comments, parsed.diagnostics)
    };
    let same = whole.document == cut.document
        && whole.partial == cut.partial
        && whole.comments == cut.comments
        && whole.diagnostics == cut.diagnostics;
    if !same {
        let (whole, cut) = (show(whole), show(&cut));
        let first = whole.lines().zip(cut.lines()).position(|(a, b)| a != b).unwrap_or(0);
        let around = |shown: &str| shown.lines().skip(first.saturating_sub(5)).take(12).collect::<Vec<_>>().join("\n");
        panic!(
            "{name} in {pieces} pieces on {threads} threads differs from whole:\n--- whole\n{}\n--- in pieces\n{}",
            around(&whole),
            around(&cut)
        );
    }
}

/// Whether the file is read by the piece path, rather than falling back.
fn read_in_pieces(text: &str, pieces: usize) -> bool {
    super::parse(FileId::default(), text, pieces, 2).is_some()
}

fn kub_files(folder: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            kub_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "kub") {
            found.push(path);
        }
    }
}

#[test]
fn every_file_of_the_repository_reads_the_same_in_pieces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for folder in ["tests/fixtures", "tests/projects", "frameworks", "examples", "docs"] {
        kub_files(&root.join(folder), &mut files);
    }
    assert!(files.len() > 150, "the repository's files are found: {}", files.len());
    let mut cut = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        for pieces in [2, 3, 7] {
            assert_same_both_ways(&path.display().to_string(), &text, pieces);
        }
        cut += usize::from(read_in_pieces(&text, 3));
    }
    assert!(cut >= 10, "only {cut} files were read in pieces");
}

/// A framework with what makes cutting hard: texts and long texts holding
/// braces, quotes, `#` and top-level keywords at the start of a line,
/// comments holding braces and quotes, escapes, texts in two languages,
/// and blocks of every kind.
fn framework(areas: usize, line_end: &str) -> String {
    let mut out =
        String::from("\u{FEFF}# Ramverk { \" \n\nframework prov \"Prov\" en \"Test\"\nversion 1.0\nlanguages sv en\n");
    out.push_str("rate tasks with kub\nscale kub \"KUB\" {\n  level lag \"Låg\"\n  level hog \"Hög\" { description \"Hög\" }\n}\n");
    for area in 0..areas {
        let _ = writeln!(out, "area a{area} \"Område {{ {area}\" en \"Area \\\" {area}\" {{ # {{ \"");
        let _ = write!(out, "  description \"\"\"\n  Text {{ med\narea x {{ \" #\n  \"\"\"\n");
        for task in 0..6 {
            let _ = write!(
                out,
                "  task t{area}-{task} \"Uppgift \\\\ {task}\" {{\n    criterion \"Gör {{ det\" en \"Does }} it\"\n    seqf {} skills\n    required\n  }}\n",
                task % 4 + 1
            );
        }
        out.push_str("  task bara \"Bara\"\n}\n");
        if area % 3 == 0 {
            let _ = write!(out, "competence c{area} \"Samarbete\" {{\n  level lag \"Lite\"\n}}\n# mellan block\n\n");
        }
        if area % 4 == 1 {
            let _ = write!(
                out,
                "track t{area} \"Spår\" {{\n  skill reading\n  milestone m \"M\" {{ cefr A1 sfi B }}\n}}\nscale s{area} {{ level x }}\n"
            );
        }
    }
    out.push_str("certificate {\n  achieved kub from hog\n  seqf all-required\n}\n");
    out.replace('\n', line_end)
}

/// A small generator of positions, the same on every run.
struct Positions(u64);

impl Positions {
    fn below(&mut self, limit: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % limit.max(1)
    }

    /// The start of a line in the file's second half, where later pieces are.
    fn line_start(&mut self, text: &str) -> usize {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .filter(|start| *start >= text.len() / 2 && *start < text.len())
            .collect();
        starts[self.below(starts.len())]
    }

    /// The start of a top-level `area` line in the file's second half.
    fn area_line(&mut self, text: &str) -> usize {
        let starts: Vec<usize> = text
            .match_indices("\narea ")
            .map(|(index, _)| index + 1)
            .filter(|start| *start >= text.len() / 2)
            .collect();
        starts[self.below(starts.len())]
    }
}

/// The file with one kind of mistake put in, picked by `kind`.
fn with_mistake(text: &str, kind: usize, positions: &mut Positions) -> String {
    let mut text = text.to_string();
    match kind {
        0 => {
            let closes: Vec<usize> = text.match_indices("\n}").map(|(index, _)| index + 1).collect();
            let at = closes[positions.below(closes.len())];
            text.remove(at);
        }
        1 => text.insert(positions.line_start(&text), '"'),
        2 => text.insert_str(positions.line_start(&text), "  description \"\"\"\n"),
        3 => {
            let at = positions.area_line(&text);
            let end = text[at..].find("\n  task").map_or(text.len(), |offset| at + offset + 1);
            text.insert_str(end, "=======\n  task annan \"Annan\"\n>>>>>>> other\n");
            text.insert_str(at, "<<<<<<< HEAD\n");
        }
        4 => text.insert_str(positions.area_line(&text), "%%% skräp { \"\n"),
        5 => text.insert_str(positions.area_line(&text), "remove\narea borta\n"),
        6 => text.insert_str(positions.area_line(&text), "}\n"),
        7 => text.insert_str(positions.area_line(&text), "area öppen \"Ö\" {\n  task x \"X\"\n"),
        8 => {
            // Not mistakes in the grammar: problems found while lowering texts and comments.
            let at = positions.line_start(&text);
            let quote = at + text[at..].find('"').unwrap_or(0);
            text.insert_str(quote + 1, "\u{200B}med \\q ");
            let at = positions.area_line(&text);
            text.insert_str(at, "# en kommentar med \u{7}\n");
        }
        _ => {
            let long = "ord ".repeat(200);
            text.insert_str(positions.area_line(&text), &format!("competence lang \"{long}\"\n"));
        }
    }
    text
}

#[test]
fn a_generated_framework_is_read_in_pieces_as_it_is_read_whole() {
    for line_end in ["\n", "\r\n"] {
        let text = framework(24, line_end);
        for pieces in [2, 3, 5, 40] {
            assert!(read_in_pieces(&text, pieces), "a framework that parses is read in {pieces} pieces");
            assert_same_both_ways("the generated framework", &text, pieces);
        }
    }
}

#[test]
fn mistakes_anywhere_are_reported_as_when_read_whole() {
    let text = framework(16, "\n");
    let mut positions = Positions(11);
    for round in 0..40 {
        let kind = round % 10;
        let broken = with_mistake(&text, kind, &mut positions);
        assert_same_both_ways(&format!("mistake {kind} (round {round})"), &broken, 2 + round % 3);
    }
}

#[test]
fn cuts_fall_before_top_level_blocks_only() {
    let text = framework(8, "\n");
    let cuts = super::cuts(&text, 40);
    assert!(cuts.len() > 8, "{cuts:?}");
    for cut in cuts {
        let line = &text[cut..text[cut..].find('\n').map_or(text.len(), |end| cut + end)];
        assert!(
            ["area a", "competence c", "track t", "scale s", "certificate {"]
                .iter()
                .any(|start| line.starts_with(start)),
            "cut before `{line}`"
        );
    }
}
