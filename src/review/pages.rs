//! Laid-out pages as text a coordinator can read and diff: what each page
//! says in reading order, with its structure visible.
//!
//! Typst's frames are walked for text runs, images and links at their
//! places on the page. Runs on one baseline make a line, read left to
//! right; a wide gap between runs is a column of a table or a grid and is
//! shown as ` │ `; a larger step down between lines starts a new block,
//! shown as an empty line. Larger text is marked as a heading (`#`, `##`,
//! `###`), bold runs as `**…**`, images and links as `[image]` and `⟨URL⟩`.
//! Positions come from the layout, never from pixels, and are rounded
//! before they are shown, so the text is the same on every machine.

use typst::layout::{Frame, FrameItem, Point, Size, Transform};
use typst::model::Destination;
use typst::text::{FontWeight, TextItem};
use typst_layout::{Page, PagedDocument};

/// Where sections of a snapshot begin; the unified diff names the section
/// a change is in by the last such line above it.
pub const SECTION: &str = "── ";

/// Indentation is shown in steps of this many points, two spaces a step,
/// so that a shift of a point or two changes nothing.
const INDENT_STEP: f64 = 18.0;

/// The most steps shown, so that centred text does not run off the line.
const MAX_INDENT_STEPS: usize = 12;

/// A gap between runs wider than this many font sizes separates columns:
/// a word space is about a quarter of the size, a grid's gutter more than
/// half.
const COLUMN_GAP: f64 = 0.6;

/// A step between baselines wider than this many font sizes starts a new
/// block: body text in Typst steps about 1.4 sizes from line to line.
const BLOCK_STEP: f64 = 1.65;

/// Each page of `document` as text, under a heading naming it.
pub fn pages_text(document: &PagedDocument) -> String {
    let count = document.pages().len();
    let mut out = String::new();
    for (index, page) in document.pages().iter().enumerate() {
        out.push_str(&format!("{SECTION}page {} of {count} · {}\n\n", index + 1, page_size(page.frame.size())));
        out.push_str(&page_text(page));
        out.push('\n');
    }
    out
}

/// A page's text, one line per line of the page.
pub fn page_text(page: &Page) -> String {
    let mut collected = Collected::default();
    collect(&page.frame, Transform::identity(), &mut collected);
    let lines = lines(collected.pieces);
    let body = body_size(&lines);
    let left = lines.iter().map(|line| line.left()).fold(f64::INFINITY, f64::min);
    let mut out = String::new();
    let mut previous: Option<&Line> = None;
    for line in &lines {
        if let Some(previous) = previous
            && line.baseline - previous.baseline > BLOCK_STEP * previous.size().max(line.size())
        {
            out.push('\n');
        }
        let steps = (((line.left() - left) / INDENT_STEP).round().max(0.0) as usize).min(MAX_INDENT_STEPS);
        out.push_str(&"  ".repeat(steps));
        out.push_str(&line.render(body, &collected.links));
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// A page size in words: A4 and A5 by name, others in millimetres.
fn page_size(size: Size) -> String {
    let (width, height) = (size.x.to_mm().round(), size.y.to_mm().round());
    let (short, long) = (width.min(height), width.max(height));
    let orientation = if width > height { "landscape" } else { "portrait" };
    match (short as i64, long as i64) {
        (210, 297) => format!("A4 {orientation}"),
        (148, 210) => format!("A5 {orientation}"),
        _ => format!("{width} × {height} mm"),
    }
}

/// A run of text, or an image, placed on the page.
#[derive(Debug, Clone)]
struct Piece {
    x: f64,
    width: f64,
    baseline: f64,
    size: f64,
    text: String,
    bold: bool,
}

/// A link's area on the page and where it leads.
#[derive(Debug, Clone)]
struct Link {
    top_left: Point,
    size: Size,
    url: String,
}

#[derive(Debug, Default)]
struct Collected {
    pieces: Vec<Piece>,
    links: Vec<Link>,
}

/// Gathers what `frame` shows, placed by `transform` on the page.
fn collect(frame: &Frame, transform: Transform, out: &mut Collected) {
    for (position, item) in frame.items() {
        let at = Transform::translate(position.x, position.y);
        match item {
            FrameItem::Group(group) => {
                collect(&group.frame, transform.pre_concat(at).pre_concat(group.transform), out);
            }
            FrameItem::Text(text) => {
                if let Some(piece) = text_piece(text, position.transform(transform)) {
                    out.pieces.push(piece);
                }
            }
            FrameItem::Image(image, size, _) => {
                let place = position.transform(transform);
                let text = match image.alt() {
                    Some(alt) if !alt.trim().is_empty() => format!("[image: {}]", alt.trim()),
                    _ => "[image]".to_string(),
                };
                // An image stands on its line like a word whose baseline is
                // the image's bottom edge.
                let height = size.y.to_pt();
                out.pieces.push(Piece {
                    x: place.x.to_pt(),
                    width: size.x.to_pt(),
                    baseline: place.y.to_pt() + height,
                    size: height.clamp(6.0, 12.0),
                    text,
                    bold: false,
                });
            }
            FrameItem::Link(Destination::Url(url), size) => {
                out.links.push(Link { top_left: position.transform(transform), size: *size, url: url.to_string() });
            }
            FrameItem::Link(..) | FrameItem::Shape(..) | FrameItem::Tag(_) => {}
        }
    }
}

fn text_piece(text: &TextItem, origin: Point) -> Option<Piece> {
    if text.text.is_empty() {
        return None;
    }
    // Italic is left unmarked: it is rare in kub's documents and reads
    // fine as it is.
    let bold = text.font.font().info().variant.weight >= FontWeight::SEMIBOLD;
    Some(Piece {
        x: origin.x.to_pt(),
        width: text.width().to_pt(),
        baseline: origin.y.to_pt(),
        size: text.size.to_pt(),
        text: text.text.to_string(),
        bold,
    })
}

/// Runs that share a baseline, left to right.
#[derive(Debug)]
struct Line {
    baseline: f64,
    pieces: Vec<Piece>,
}

impl Line {
    fn left(&self) -> f64 {
        self.pieces.first().map_or(0.0, |piece| piece.x)
    }

    /// The size of most of the line's letters.
    fn size(&self) -> f64 {
        dominant_size(self.pieces.iter())
    }

    fn render(&self, body: f64, links: &[Link]) -> String {
        let size = self.size();
        let heading = match size / body {
            ratio if ratio >= 1.5 => "# ",
            ratio if ratio >= 1.2 => "## ",
            ratio if ratio >= 1.08 => "### ",
            _ => "",
        };
        let mut text = heading.to_string();
        let mut end: Option<f64> = None;
        let mut bold_open = false;
        for piece in &self.pieces {
            if let Some(end) = end {
                let gap = piece.x - end;
                if gap > COLUMN_GAP * piece.size.max(size) {
                    close_bold(&mut text, &mut bold_open);
                    text.truncate(text.trim_end().len());
                    text.push_str(" │ ");
                } else if gap > 0.15 * piece.size && !text.ends_with(' ') && !piece.text.starts_with(' ') {
                    close_bold(&mut text, &mut bold_open);
                    text.push(' ');
                }
            }
            let emphasised = piece.bold && heading.is_empty() && !piece.text.trim().is_empty();
            if emphasised != bold_open {
                if emphasised {
                    text.push_str("**");
                } else {
                    close_bold(&mut text, &mut bold_open);
                }
                bold_open = emphasised;
            }
            let piece_text = if text.ends_with(' ') { piece.text.trim_start() } else { &piece.text };
            text.push_str(piece_text);
            end = Some(piece.x + piece.width);
        }
        close_bold(&mut text, &mut bold_open);
        for url in self.links_in(links) {
            text.push_str(&format!(" ⟨{url}⟩"));
        }
        text.trim_end().to_string()
    }

    /// The addresses of the links over this line, each once.
    fn links_in<'a>(&self, links: &'a [Link]) -> Vec<&'a str> {
        let mut found: Vec<&str> = Vec::new();
        for link in links {
            let (top, bottom) = (link.top_left.y.to_pt(), (link.top_left.y + link.size.y).to_pt());
            let (left, right) = (link.top_left.x.to_pt(), (link.top_left.x + link.size.x).to_pt());
            let over = self.pieces.iter().any(|piece| {
                let middle = piece.x + piece.width / 2.0;
                let height = piece.baseline - piece.size / 3.0;
                (left..=right).contains(&middle) && (top..=bottom).contains(&height)
            });
            if over && !found.contains(&link.url.as_str()) {
                found.push(&link.url);
            }
        }
        found
    }
}

/// Ends a bold stretch where it is open, before any trailing spaces.
fn close_bold(text: &mut String, open: &mut bool) {
    if !*open {
        return;
    }
    let trimmed = text.trim_end().len();
    let spaces = text.split_off(trimmed);
    text.push_str("**");
    text.push_str(&spaces);
    *open = false;
}

/// The pieces grouped into lines, top to bottom, each left to right.
fn lines(mut pieces: Vec<Piece>) -> Vec<Line> {
    pieces.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Line> = Vec::new();
    for piece in pieces {
        match lines.last_mut() {
            Some(line) if (piece.baseline - line.baseline).abs() <= 0.3 * piece.size.max(line.size()) => {
                line.pieces.push(piece);
            }
            _ => lines.push(Line { baseline: piece.baseline, pieces: vec![piece] }),
        }
    }
    for line in &mut lines {
        line.pieces.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// The size of the page's body text: the size most letters have.
fn body_size(lines: &[Line]) -> f64 {
    dominant_size(lines.iter().flat_map(|line| &line.pieces))
}

fn dominant_size<'a>(pieces: impl Iterator<Item = &'a Piece>) -> f64 {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for piece in pieces {
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

    fn piece(x: f64, baseline: f64, text: &str) -> Piece {
        Piece { x, width: text.len() as f64 * 5.0, baseline, size: 10.0, text: text.to_string(), bold: false }
    }

    #[test]
    fn runs_on_one_baseline_make_a_line_and_wide_gaps_make_columns() {
        let lines = lines(vec![piece(200.0, 100.0, "Självständigt"), piece(50.0, 100.4, "Klippa gräs")]);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].render(10.0, &[]), "Klippa gräs │ Självständigt");
    }

    #[test]
    fn a4_is_named() {
        assert_eq!(page_size(Size::new(Abs::mm(210.0), Abs::mm(297.0))), "A4 portrait");
        assert_eq!(page_size(Size::new(Abs::mm(297.0), Abs::mm(210.0))), "A4 landscape");
        assert_eq!(page_size(Size::new(Abs::mm(100.0), Abs::mm(50.0))), "100 × 50 mm");
    }
}
