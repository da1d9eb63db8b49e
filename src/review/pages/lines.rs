//! Text runs placed on a page, made into lines of a snapshot: runs on one
//! baseline are one line read left to right, a wide gap between them is a
//! column (` │ `), bold runs are `**…**`, larger text is a heading, and the
//! links over a line follow it as `⟨URL⟩`.

use typst::layout::{Point, Size};

/// A gap between runs wider than this many font sizes separates columns:
/// a word space is about a quarter of the size, a grid's gutter more than
/// half.
const COLUMN_GAP: f64 = 0.6;

/// A run of text, or an image, placed on the page.
#[derive(Debug, Clone)]
pub struct Piece {
    x: f64,
    width: f64,
    baseline: f64,
    /// The font size, in points.
    pub size: f64,
    text: String,
    bold: bool,
}

impl Piece {
    /// A run of text whose baseline starts at `origin`.
    pub fn text(origin: Point, width: f64, size: f64, text: String, bold: bool) -> Piece {
        Piece { x: origin.x.to_pt(), width, baseline: origin.y.to_pt(), size, text, bold }
    }

    /// An image with its top left corner at `top_left`, standing on its
    /// line like a word whose baseline is the image's bottom edge.
    pub fn image(top_left: Point, size: Size, text: String) -> Piece {
        let height = size.y.to_pt();
        Piece {
            x: top_left.x.to_pt(),
            width: size.x.to_pt(),
            baseline: top_left.y.to_pt() + height,
            size: height.clamp(6.0, 12.0),
            text,
            bold: false,
        }
    }

    /// A drawn mark written as `symbol`, standing on its line at `bottom_left`.
    pub fn mark(bottom_left: Point, width: f64, symbol: &str) -> Piece {
        // Size zero: a mark never decides what size the text around it is.
        Piece {
            x: bottom_left.x.to_pt(),
            width,
            baseline: bottom_left.y.to_pt(),
            size: 0.0,
            text: symbol.into(),
            bold: false,
        }
    }

    /// The piece's baseline, in points from the top of the page.
    pub fn baseline(&self) -> f64 {
        self.baseline
    }
}

/// A link's area on the page and where it leads.
#[derive(Debug, Clone)]
pub struct Link {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
    url: String,
}

impl Link {
    /// A link over the area at `top_left` of `size`, to `url`.
    pub fn new(top_left: Point, size: Size, url: String) -> Link {
        let (left, top) = (top_left.x.to_pt(), top_left.y.to_pt());
        Link { left, top, right: left + size.x.to_pt(), bottom: top + size.y.to_pt(), url }
    }

    fn covers(&self, piece: &Piece) -> bool {
        let middle = piece.x + piece.width / 2.0;
        let height = piece.baseline - piece.size / 3.0;
        (self.left..=self.right).contains(&middle) && (self.top..=self.bottom).contains(&height)
    }
}

/// A line of the snapshot, with the baselines it spans on the page.
#[derive(Debug, Clone)]
pub struct Run {
    /// What the line says.
    pub text: String,
    /// Its first baseline.
    pub first: f64,
    /// Its last baseline.
    pub last: f64,
    /// The size of most of its letters.
    pub size: f64,
}

impl Run {
    /// The pieces as one line, their lines joined by `separator`, marked as
    /// a heading when their text is larger than `body`; `None` for no text.
    /// `gap` is written where a wide gap parts two runs on one baseline.
    pub fn joined<'a>(
        pieces: impl Iterator<Item = &'a Piece>,
        (separator, gap): (&str, &str),
        body: f64,
        links: &[Link],
    ) -> Option<Run> {
        let pieces: Vec<&Piece> = pieces.collect();
        let size = dominant_size(pieces.iter().copied());
        let lines = baseline_lines(pieces.clone());
        let texts: Vec<String> =
            lines.iter().map(|line| line_text(line, gap)).filter(|text| !text.is_empty()).collect();
        if texts.is_empty() {
            return None;
        }
        // A bold stretch that wraps is one stretch.
        let joined = texts.join(separator).replace(&format!("**{separator}**"), separator);
        let mark = heading_mark(size, body);
        // A heading says it is one; its bold need not be marked as well.
        let joined = match joined.strip_prefix("**").and_then(|rest| rest.strip_suffix("**")) {
            Some(inner) if !mark.is_empty() && !inner.contains("**") => inner.to_string(),
            _ => joined,
        };
        let mut text = format!("{mark}{joined}");
        append_links(&mut text, &pieces, links);
        let first = pieces.iter().map(|piece| piece.baseline).fold(f64::INFINITY, f64::min);
        let last = pieces.iter().map(|piece| piece.baseline).fold(f64::NEG_INFINITY, f64::max);
        Some(Run { text, first, last, size })
    }

    /// The cells of a row as one line; an empty cell (`None`) stays as an
    /// empty column.
    pub fn row(cells: Vec<Option<Run>>) -> Option<Run> {
        let filled = || cells.iter().flatten();
        let first = filled().map(|cell| cell.first).fold(f64::INFINITY, f64::min);
        let last = filled().map(|cell| cell.last).fold(f64::NEG_INFINITY, f64::max);
        let size = filled().map(|cell| cell.size).fold(0.0, f64::max);
        // A table's header is its first row, not a heading of its own.
        let texts: Vec<&str> = cells
            .iter()
            .map(|cell| cell.as_ref().map_or("", |cell| cell.text.trim_start_matches('#').trim_start()))
            .collect();
        let text = texts.join(COLUMN).trim_end_matches([' ', '│']).to_string();
        (filled().next().is_some()).then_some(Run { text, first, last, size })
    }
}

/// Pieces not in any paragraph or cell, one run for each line they make.
pub fn by_baseline<'a>(pieces: impl IntoIterator<Item = &'a Piece>, body: f64, links: &[Link]) -> Vec<Run> {
    baseline_lines(pieces.into_iter().collect())
        .into_iter()
        .filter_map(|line| Run::joined(line.into_iter(), (" ", COLUMN), body, links))
        .collect()
}

/// The pieces grouped by baseline, top to bottom, each line left to right.
fn baseline_lines(mut pieces: Vec<&Piece>) -> Vec<Vec<&Piece>> {
    pieces.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<&Piece>> = Vec::new();
    for piece in pieces {
        match lines.last_mut() {
            Some(line) if line.first().is_some_and(|first| same_baseline(first, piece)) => line.push(piece),
            _ => lines.push(vec![piece]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        // A line in a right-to-left script is read from the right.
        let text: String = line.iter().map(|piece| piece.text.as_str()).collect();
        if crate::script::is_mostly_right_to_left(&text) {
            line.reverse();
        }
    }
    lines
}

fn same_baseline(a: &Piece, b: &Piece) -> bool {
    (a.baseline - b.baseline).abs() <= 0.3 * a.size.max(b.size).max(6.0)
}

/// What parts columns on a line.
pub const COLUMN: &str = " │ ";

/// One line's pieces as text: runs a wide gap apart parted by `gap`, bold marked.
fn line_text(line: &[&Piece], gap_text: &str) -> String {
    let mut text = String::new();
    let mut end: Option<f64> = None;
    let mut bold_open = false;
    let line_size = line.iter().map(|piece| piece.size).fold(0.0, f64::max);
    for piece in line {
        let size = if piece.size > 0.0 { piece.size } else { line_size };
        if let Some(end) = end {
            let gap = piece.x - end;
            if gap > COLUMN_GAP * size {
                close_bold(&mut text, &mut bold_open);
                text.truncate(text.trim_end().len());
                text.push_str(gap_text);
            } else if gap > 0.15 * size && !text.ends_with(' ') && !piece.text.starts_with(' ') {
                close_bold(&mut text, &mut bold_open);
                text.push(' ');
            }
        }
        let emphasised = piece.bold && !piece.text.trim().is_empty();
        if emphasised && !bold_open {
            text.push_str("**");
            bold_open = true;
        } else if !emphasised && bold_open && !piece.text.trim().is_empty() {
            close_bold(&mut text, &mut bold_open);
        }
        text.push_str(if text.ends_with(' ') || text.is_empty() { piece.text.trim_start() } else { &piece.text });
        end = Some(piece.x + piece.width);
    }
    close_bold(&mut text, &mut bold_open);
    text.trim_end().to_string()
}

/// Ends a bold stretch where it is open, before any trailing spaces.
fn close_bold(text: &mut String, open: &mut bool) {
    if !*open {
        return;
    }
    let spaces = text.split_off(text.trim_end().len());
    text.push_str("**");
    text.push_str(&spaces);
    *open = false;
}

/// `#`, `##` or `###` for text this much larger than the body text.
fn heading_mark(size: f64, body: f64) -> &'static str {
    match size / body {
        ratio if ratio >= 1.6 => "# ",
        ratio if ratio >= 1.3 => "## ",
        ratio if ratio >= 1.15 => "### ",
        _ => "",
    }
}

/// Adds the address of each link over the pieces, once.
fn append_links(text: &mut String, pieces: &[&Piece], links: &[Link]) {
    let mut shown: Vec<&str> = Vec::new();
    for link in links {
        if pieces.iter().any(|piece| link.covers(piece)) && !shown.contains(&link.url.as_str()) {
            text.push_str(&format!(" ⟨{}⟩", link.url));
            shown.push(&link.url);
        }
    }
}

/// The size most letters have.
pub fn dominant_size<'a>(pieces: impl Iterator<Item = &'a Piece>) -> f64 {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for piece in pieces.filter(|piece| piece.size > 0.0) {
        let letters = piece.text.chars().filter(|c| !c.is_whitespace()).count();
        let size = (piece.size * 10.0).round() / 10.0;
        match counts.iter_mut().find(|(known, _)| *known == size) {
            Some((_, count)) => *count += letters,
            None => counts.push((size, letters)),
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0))).map_or(10.0, |(size, _)| size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::layout::Abs;

    fn piece(x: f64, baseline: f64, text: &str, bold: bool) -> Piece {
        let origin = Point::new(Abs::pt(x), Abs::pt(baseline));
        Piece::text(origin, text.chars().count() as f64 * 5.0, 10.0, text.to_string(), bold)
    }

    #[test]
    fn runs_on_one_baseline_make_a_line_and_wide_gaps_make_columns() {
        let pieces = [piece(200.0, 100.0, "Självständigt", false), piece(50.0, 100.4, "Klippa gräs ", true)];
        let runs = by_baseline(&pieces, 10.0, &[]);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].text, "**Klippa gräs** │ Självständigt");
    }

    #[test]
    fn a_wrapped_paragraph_is_one_line_and_larger_text_a_heading() {
        let pieces = [piece(0.0, 10.0, "Intyg om ", false), piece(0.0, 24.0, "kompetens", false)];
        let run = Run::joined(pieces.iter(), (" ", COLUMN), 6.0, &[]).unwrap();
        assert_eq!(run.text, "# Intyg om kompetens");
        assert_eq!((run.first, run.last), (10.0, 24.0));
    }
}
