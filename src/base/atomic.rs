//! Writes that are whole or absent: a file is written to a temporary name
//! in the same folder and renamed over the final name only once it is
//! complete, so a kill, a full disk or a crash never leaves a half-written
//! workbook or chart under the name a reader opens.

use crate::base::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `path` through `fill`, atomically.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let err = |source| Error::Write {
        path: path.display().to_string(),
        source,
    };
    let tmp = temp_name(path);
    let result = (|| {
        let f = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Writes `bytes` to `path`, atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_with(path, |w| w.write_all(bytes))
}

/// A file being written: `commit` renames it into place; dropped without
/// `commit`, it is removed and the final name is untouched.
pub struct Pending {
    path: PathBuf,
    tmp: PathBuf,
    w: Option<std::io::BufWriter<std::fs::File>>,
}

impl Pending {
    pub fn create(path: &Path) -> Result<Pending> {
        let tmp = temp_name(path);
        let f = std::fs::File::create(&tmp).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Pending {
            path: path.to_path_buf(),
            tmp,
            w: Some(std::io::BufWriter::with_capacity(1 << 20, f)),
        })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        self.w.as_mut().expect("writer present until commit")
    }

    pub fn commit(mut self) -> Result<()> {
        let err = |source| Error::Write {
            path: self.path.display().to_string(),
            source,
        };
        let w = self.w.take().expect("writer present until commit");
        let f = w.into_inner().map_err(|e| err(e.into_error()))?;
        f.sync_all().map_err(err)?;
        std::fs::rename(&self.tmp, &self.path).map_err(err)
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

/// A temporary name beside `path` that keeps its extension (chart writers
/// choose the format by it): `.name.1234.tmp.png`.
pub fn temp_keeping_extension(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{stem}.{}.tmp{ext}", std::process::id()))
}

/// Whether a file name is one of this module's temporary names
/// (`.name.1234.tmp` or `.name.1234.tmp.png`).
fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('.').collect();
    parts.iter().enumerate().any(|(i, p)| {
        *p == "tmp"
            && i >= 2
            && i + 2 >= parts.len()
            && !parts[i - 1].is_empty()
            && parts[i - 1].bytes().all(|b| b.is_ascii_digit())
    })
}

/// Whether a run that named its temporary file `name` may still be
/// writing it: this run, or (where /proc tells) a process still alive.
/// Without /proc, none is taken to be.
fn maybe_running(name: &str) -> bool {
    let pid = name
        .split('.')
        .rev()
        .find(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let Some(pid) = pid else { return false };
    if pid == std::process::id().to_string() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid).exists()
}

/// Removes temporary files a killed or interrupted run left in `dir` (a
/// process killed, or stopped by Ctrl-C, does not tidy up after itself);
/// those of a run still writing are left.
pub fn sweep(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().is_ok_and(|t| t.is_file()) && is_temp_name(&name) && !maybe_running(&name)
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Moves a finished temporary file into place, or removes it.
pub fn finish(tmp: &Path, path: &Path, ok: bool) -> Result<()> {
    if !ok {
        let _ = std::fs::remove_file(tmp);
        return Ok(());
    }
    std::fs::rename(tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(tmp);
        Error::Write {
            path: path.display().to_string(),
            source,
        }
    })
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.w.is_some() {
            self.w = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        assert!(is_temp_name(".npv.2173.tmp.png"));
        assert!(is_temp_name(".report.md.99.tmp"));
        assert!(!is_temp_name(".gitignore"));
        assert!(!is_temp_name("npv.2173.tmp.png"));
        assert!(!is_temp_name(".notes.tmp"));
    }

    /// A run's own temporary files, and (on Linux) a live process's, are
    /// not swept; one whose process is gone is (no pid reaches 10^9).
    #[test]
    fn sweep_leaves_a_running_writer_alone() {
        let dir = std::env::temp_dir().join(format!("costshare-sweep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let me = format!(".ledger.csv.{}.tmp", std::process::id());
        let gone = ".ledger.csv.999999999.tmp";
        for n in [me.as_str(), gone, "keep.csv"] {
            std::fs::write(dir.join(n), b"x").unwrap();
        }
        sweep(&dir);
        assert!(dir.join(&me).exists() && dir.join("keep.csv").exists());
        assert!(!dir.join(gone).exists());
        if Path::new("/proc/1").exists() {
            std::fs::write(dir.join(".a.png.1.tmp"), b"x").unwrap();
            sweep(&dir);
            assert!(dir.join(".a.png.1.tmp").exists(), "pid 1 is alive");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = std::env::temp_dir().join(format!("costshare-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt");
        write(&p, b"good").unwrap();
        let r = write_with(&p, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"good");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        let mut pending = Pending::create(&p).unwrap();
        pending.writer().write_all(b"new").unwrap();
        drop(pending);
        assert_eq!(std::fs::read(&p).unwrap(), b"good");
        let mut pending = Pending::create(&p).unwrap();
        pending.writer().write_all(b"new").unwrap();
        pending.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
