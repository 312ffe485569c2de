//! `costshare init DIR`: a new partnership folder that runs at once.

use crate::Exit;
use crate::args::emit;
use std::io::Write;
use std::path::PathBuf;

/// Create a new partnership folder: project file, annual-report workbook, a model and its scenarios
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to create, or an existing one (no file in it is overwritten)
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// A path as a shell word to paste: quoted when it holds anything but
/// letters, digits and `/._-` (a space would split `cd` in two).
fn shell_word(s: &str) -> String {
    // A word starting with a dash is read as an option: `cd ./-dash`.
    if s.starts_with('-') {
        return shell_word(&format!("./{s}"));
    }
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c));
    match plain {
        true => s.to_string(),
        false => format!("'{}'", s.replace('\'', "'\\''")),
    }
}

pub fn run(args: &Args, out: &mut dyn Write) -> costshare::Result<Exit> {
    for p in costshare::output::template::write(&args.dir)? {
        emit(out, &format!("wrote {}\n", p.display()))?;
    }
    let cd = if args.dir.as_os_str() == "." {
        String::new()
    } else {
        format!("cd {} && ", shell_word(&args.dir.display().to_string()))
    };
    emit(
        out,
        &format!(
            "\nNext: replace the example figures, then\n  {cd}costshare report          # the report pack, in reports/\n  {cd}costshare check           # published figures that do not add up\n  {cd}costshare scenario models/example-case.toml\n"
        ),
    )?;
    Ok(Exit::Success)
}
