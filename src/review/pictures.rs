//! Pictures of the pages that changed: the approved page on the left and
//! today's on the right, drawn in process by Typst's own rasteriser, with
//! the area that differs framed in red on both.

use tiny_skia as sk;
use typst::utils::Scalar;
use typst_layout::Page;
use typst_render::RenderOptions;

/// About 108 dots per inch: enough to read a certificate's small print.
const PIXELS_PER_POINT: f64 = 1.5;

/// Pixels between the two pages.
const GAP: u32 = 24;

/// The approved page beside today's as a PNG, or `None` when they look
/// the same to the pixel. A page that one side lacks is left blank.
pub fn side_by_side(approved: Option<&Page>, today: Option<&Page>) -> Option<Vec<u8>> {
    let options = RenderOptions { pixel_per_pt: Scalar::new(PIXELS_PER_POINT), render_bleed: false };
    let approved = approved.map(|page| typst_render::render(page, &options));
    let today = today.map(|page| typst_render::render(page, &options));
    if same(approved.as_ref(), today.as_ref()) {
        return None;
    }
    let size = |pixmap: &Option<sk::Pixmap>| pixmap.as_ref().map_or((0, 0), |p| (p.width(), p.height()));
    let ((left_width, left_height), (right_width, right_height)) = (size(&approved), size(&today));
    let half = left_width.max(right_width);
    let mut canvas = sk::Pixmap::new(2 * half + 3 * GAP, left_height.max(right_height) + 2 * GAP)?;
    canvas.fill(sk::Color::from_rgba8(200, 200, 200, 255));
    let changed = match (&approved, &today) {
        (Some(left), Some(right)) => changed_area(left, right),
        _ => None,
    };
    for (pixmap, x) in [(&approved, GAP), (&today, 2 * GAP + half)] {
        let Some(pixmap) = pixmap else { continue };
        let (x, y) = (i32::try_from(x).ok()?, i32::try_from(GAP).ok()?);
        canvas.draw_pixmap(x, y, pixmap.as_ref(), &sk::PixmapPaint::default(), sk::Transform::identity(), None);
        if let Some(area) = changed {
            frame(&mut canvas, area, x as f32, y as f32);
        }
    }
    canvas.encode_png().ok()
}

fn same(approved: Option<&sk::Pixmap>, today: Option<&sk::Pixmap>) -> bool {
    match (approved, today) {
        (Some(a), Some(b)) => a.width() == b.width() && a.height() == b.height() && a.data() == b.data(),
        (None, None) => true,
        _ => false,
    }
}

/// The smallest rectangle holding every pixel that differs, for pages of
/// one size; pages of different sizes differ everywhere, so none is drawn.
fn changed_area(a: &sk::Pixmap, b: &sk::Pixmap) -> Option<sk::Rect> {
    if a.width() != b.width() || a.height() != b.height() {
        return None;
    }
    let width = a.width() as usize;
    let (mut left, mut top, mut right, mut bottom) = (usize::MAX, usize::MAX, 0, 0);
    for (index, (p, q)) in a.pixels().iter().zip(b.pixels()).enumerate() {
        if p != q {
            let (x, y) = (index % width, index / width);
            (left, top, right, bottom) = (left.min(x), top.min(y), right.max(x), bottom.max(y));
        }
    }
    if left > right {
        return None;
    }
    let margin = 4.0;
    sk::Rect::from_ltrb(left as f32 - margin, top as f32 - margin, right as f32 + margin, bottom as f32 + margin)
}

/// Frames `area` of a page drawn at (`x`, `y`) in red.
fn frame(canvas: &mut sk::Pixmap, area: sk::Rect, x: f32, y: f32) {
    let Some(moved) = area.transform(sk::Transform::from_translate(x, y)) else { return };
    let path = sk::PathBuilder::from_rect(moved);
    let mut paint = sk::Paint::default();
    paint.set_color_rgba8(220, 30, 30, 255);
    paint.anti_alias = true;
    let stroke = sk::Stroke { width: 3.0, ..sk::Stroke::default() };
    canvas.stroke_path(&path, &paint, &stroke, sk::Transform::identity(), None);
}
