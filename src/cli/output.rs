//! Printing that outlives its reader. `println!` panics when the other end
//! of a pipe has gone, as in `kub diff old new | head`; a command-line tool
//! stops talking instead and still finishes its work, so that every file it
//! writes is written whole.
//!
//! Its macros take the names of the standard ones and, declared with
//! `#[macro_use]` before every command's module, stand in for them in all
//! of `cli`.

use std::fmt::Arguments;
use std::io::{ErrorKind, Write};

/// Prints to standard output; a reader that has gone is no error.
pub(super) fn to_stdout(text: Arguments<'_>) {
    let _ = write_unless_gone(&mut std::io::stdout().lock(), text);
}

/// Prints to standard error; a reader that has gone is no error.
pub(super) fn to_stderr(text: Arguments<'_>) {
    let _ = write_unless_gone(&mut std::io::stderr().lock(), text);
}

/// Writes `text`; says whether the reader is still there. Any other
/// failure to print has nowhere to be told either.
fn write_unless_gone(out: &mut impl Write, text: Arguments<'_>) -> bool {
    !matches!(out.write_fmt(text).and_then(|()| out.flush()), Err(error) if error.kind() == ErrorKind::BrokenPipe)
}

/// `print!` that stops quietly when the reader has gone.
macro_rules! print {
    ($($arg:tt)*) => { $crate::cli::output::to_stdout(format_args!($($arg)*)) };
}

/// `println!` that stops quietly when the reader has gone.
macro_rules! println {
    () => { $crate::cli::output::to_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::output::to_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that stops quietly when the reader has gone.
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::cli::output::to_stderr(format_args!($($arg)*)) };
}

/// `eprintln!` that stops quietly when the reader has gone.
macro_rules! eprintln {
    () => { $crate::cli::output::to_stderr(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::output::to_stderr(format_args!("{}\n", format_args!($($arg)*))) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pipe whose reader has gone.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_reader_that_has_gone_ends_the_printing_without_a_panic() {
        assert!(!write_unless_gone(&mut Gone, format_args!("{}", "kub")));
        let mut kept = Vec::new();
        assert!(write_unless_gone(&mut kept, format_args!("{}-{}", "a", 1)));
        assert_eq!(kept, b"a-1");
    }
}
