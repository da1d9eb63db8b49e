//! A framework large enough to be parsed in pieces, one a thread: what
//! `kub check`, `kub fmt` and `kub diff` report about it must not depend on
//! where it was cut, so mistakes late in the file are found at their line
//! and column, once, as in a small file.

use std::fmt::Write;

use crate::support::kub_in;

const AREAS: usize = 40;

/// A framework of `AREAS` areas of 25 tasks each, about 300 kB, with the
/// 1-based line of each area's first line.
fn framework() -> (String, Vec<usize>) {
    let mut out = String::from(
        "framework stor \"Stor\" en \"Large\"\nversion 1.0\nlanguages sv en\nrate tasks with kub\n\
         scale kub \"KUB\" en \"KUB\" {\n  level lite \"Lite\" en \"Little\"\n  level bra \"Bra\" en \"Good\"\n}\n",
    );
    let mut area_lines = Vec::new();
    for area in 0..AREAS {
        area_lines.push(out.matches('\n').count() + 1);
        let _ = writeln!(out, "area omrade-{area} \"Område {area}\" en \"Area {area}\" {{ # område {area}");
        for task in 0..25 {
            let _ = writeln!(
                out,
                "  task uppgift-{area}-{task} \"Uppgift {task} i område {area}, med en längre titel\" en \"Task {task} in area {area}, with a longer title\" {{\n    criterion \"Gör det säkert och i tid\" en \"Does it safely and on time\"\n    criterion \"Städar efter sig\" en \"Tidies up\"\n    seqf {} skills\n  }}",
                task % 4 + 1
            );
        }
        out.push_str("}\n");
    }
    out.push_str("certificate {\n  achieved kub from bra\n  seqf all-required\n}\n");
    (out, area_lines)
}

/// The places `code` is reported at in `file`, as `line:column`.
fn places(output: &str, file: &str, code: &str) -> Vec<String> {
    let mut places = Vec::new();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(&format!("error[{code}]")) || line.starts_with(&format!("warning[{code}]")) {
            let at = lines.next().and_then(|line| line.split(&format!("{file}:")).nth(1)).unwrap_or_default();
            places.push(at.to_string());
        }
    }
    places
}

fn check(text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("stor.kub"), text).unwrap();
    let run = kub_in(dir.path(), &["check", "stor.kub"]);
    (run.code, format!("{}{}", run.stdout, run.stderr))
}

#[test]
fn a_large_framework_checks_clean() {
    let (text, _) = framework();
    assert!(text.len() > 256 * 1024, "large enough to be cut: {} bytes", text.len());
    let (code, output) = check(&text);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn mistakes_late_in_a_large_framework_are_found_at_their_place_once() {
    let (text, area_lines) = framework();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A refused character in a title near the end, an unknown escape in the
    // middle, and a duplicate task id in the last area.
    // Lines are counted from 1, `lines` from 0: an area's first task is at
    // the index of the area's line number.
    let late = area_lines[AREAS - 3];
    let quote = lines[late].find('"').unwrap();
    lines[late].insert(quote + 4, '\u{7f}');
    let middle = area_lines[AREAS / 2] + 1;
    lines[middle] = lines[middle].replacen("Gör det", "Gör \\q det", 1);
    let last = area_lines[AREAS - 1];
    lines[last + 5] = lines[last + 5].replacen("uppgift-39-1 ", "uppgift-39-0 ", 1);
    let (code, output) = check(&(lines.join("\n") + "\n"));
    assert_eq!(code, 1, "{output}");
    assert_eq!(places(&output, "stor.kub", "K0103"), [format!("{}:{}", late + 1, quote + 5)], "{output}");
    assert_eq!(places(&output, "stor.kub", "K0102"), [format!("{}:20", middle + 1)], "{output}");
    assert_eq!(places(&output, "stor.kub", "K0201"), [format!("{}:8", last + 6)], "{output}");
}

#[test]
fn syntax_errors_late_in_a_large_framework_are_each_reported_once() {
    let (text, area_lines) = framework();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A block left open in one of the last areas, and a stray word between
    // two areas further up.
    let open = area_lines[AREAS - 2] + 4;
    assert_eq!(lines[open].trim(), "}", "a task's closing brace");
    lines[open].clear();
    let stray = area_lines[AREAS / 2] - 2;
    lines[stray].push_str("\nskräp");
    let (code, output) = check(&(lines.join("\n") + "\n"));
    assert_eq!(code, 1, "{output}");
    let syntax = places(&output, "stor.kub", "K0101");
    assert_eq!(syntax.len(), 2, "{output}");
    assert!(syntax[0].starts_with(&format!("{}:", stray + 2)), "the stray word: {output}");
    assert!(output.contains("missing `}`"), "the open block: {output}");
}

#[test]
fn a_large_framework_formats_and_compares_as_a_small_one() {
    let (text, _) = framework();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.kub"), &text).unwrap();
    let revised =
        text.replacen("version 1.0", "version 1.1", 1).replace("uppgift-38-24 \"Uppgift 24", "uppgift-38-24 \"Ny 24");
    std::fs::write(dir.path().join("new.kub"), &revised).unwrap();
    let fmt = kub_in(dir.path(), &["fmt", "--check", "old.kub"]);
    let formatted = kub_in(dir.path(), &["fmt", "old.kub"]);
    assert_eq!(formatted.code, 0, "{}", formatted.stderr);
    let again = kub_in(dir.path(), &["fmt", "--check", "old.kub"]);
    assert_eq!(again.code, 0, "formatting is idempotent: {}{}", again.stdout, again.stderr);
    assert!(fmt.code == 0 || fmt.code == 1, "{}", fmt.stderr);
    let diff = kub_in(dir.path(), &["diff", "old.kub", "new.kub"]);
    assert_eq!(diff.code, 1, "{}{}", diff.stdout, diff.stderr);
    assert!(diff.stdout.contains("uppgift-38-24"), "{}", diff.stdout);
    assert!(!diff.stdout.contains("uppgift-38-23"), "{}", diff.stdout);
}
