//! Making documents: templates and their escaping, the Typst world that
//! turns them into PDF with the bundled fonts ([`crate::fonts`]), and writing the files.
//!
//! A document is made in three steps: [`Templates::render`] fills a template
//! with a report's values, [`PdfEngine::compile`] typesets Typst source to
//! PDF, and [`write_atomically`] puts the bytes in place.

mod excerpt;

pub mod escape;
pub mod output;
pub mod qr;
pub mod qr_scan;
pub mod sheet;
mod template_place;
pub mod templates;
mod transliterate;
pub mod typst;

pub use self::output::{safe_file_stem, write_atomically, write_output};
pub use self::templates::Templates;
pub use self::typst::{PdfEngine, TypstDocument};
/// Bytes shared without copying, as documents and their attachments are.
pub use ::typst::foundations::Bytes;
