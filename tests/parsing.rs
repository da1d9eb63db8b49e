//! What parsing, resolving and checking report where their quick paths
//! end: a text of plain ASCII skips the search for refused characters, a
//! common letter's glyph is looked up once, and a task's title is lowered
//! once. Each mistake must still be found, at its place, exactly once.

use crate::support::kub_in;

const HEADER: &str = "framework snabb \"Snabb\" en \"Quick\"
version 1.0
languages sv en
scale enkel \"Enkel\" en \"Simple\" {
  level nej \"Nej\" en \"No\"
  level ja \"Ja\" en \"Yes\"
}
rate tasks with enkel
";

const FOOTER: &str = "certificate {
  achieved enkel from ja
  seqf all-required
}
";

/// `kub check` of a framework with these areas, its exit code and output.
fn check(areas: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("snabb.kub"), format!("{HEADER}{areas}{FOOTER}")).unwrap();
    let run = kub_in(dir.path(), &["check", "snabb.kub"]);
    (run.code, format!("{}{}", run.stdout, run.stderr))
}

/// The places `code` is reported at, as `line:column`.
fn places(output: &str, code: &str) -> Vec<String> {
    let mut places = Vec::new();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(&format!("error[{code}]")) || line.starts_with(&format!("warning[{code}]")) {
            let at = lines.next().and_then(|line| line.split("snabb.kub:").nth(1)).unwrap_or_default();
            places.push(at.to_string());
        }
    }
    places
}

#[test]
fn a_mistake_in_a_task_title_is_reported_once_at_its_place() {
    let (code, output) = check(
        "area golv \"Golv\" en \"Floors\" {
  task moppa \"Moppa\" xx \"Mop\" {
    criterion \"Moppar\" en \"Mops\"
    seqf 1
  }
}
",
    );
    assert_eq!(code, 1, "{output}");
    assert_eq!(places(&output, "K0204"), ["10:22"], "{output}");
}

#[test]
fn refused_characters_are_found_after_plain_text_and_between_letters() {
    let (code, output) = check(
        "area golv \"Golv\" en \"Floors\" {
  task moppa \"Moppa golvet\" en \"Mop the floor\u{7f}\" {
    criterion \"Gör det\u{202e} säkert\" en \"Does it safely\"
    criterion \"Gör det i tid\" en \"Does it\ton time\"
    seqf 1
  }
}
",
    );
    assert_eq!(code, 1, "{output}");
    assert_eq!(places(&output, "K0103"), ["10:46", "11:23"], "{output}");
}

#[test]
fn every_text_with_a_letter_no_font_has_is_refused() {
    // Hebrew letters sit among the letters whose glyphs are looked up once.
    let (code, output) = check(
        "area golv \"Golv\" en \"Floors\" {
  task moppa \"Moppa\" en \"Mop \u{5e9}\u{5dc}\u{5d5}\u{5dd}\" {
    criterion \"Moppar \u{5e9}\u{5dc}\u{5d5}\u{5dd}\" en \"Mops\"
    seqf 1
  }
}
",
    );
    assert_eq!(code, 1, "{output}");
    assert_eq!(places(&output, "K0501"), ["10:25", "11:15"], "{output}");
}
