//! A data page's bytes, decompressed as the page reader comes to them.
//!
//! Only a window of the page is held: from the first byte a reader still
//! needs to the last it has asked for (dropped a megabyte at a time), so a
//! page of any size costs about a megabyte. Codecs without a streaming
//! decoder here (LZ4), and a snappy page that copies from further back than
//! the decoder keeps, are decompressed whole instead.

use super::levels::decompress;
use super::snappy::{FarBack, Snappy};
use std::fs::File;
use std::io::{self, Read};
use std::sync::Arc;

/// Reads `buf.len()` bytes at `pos` without moving the file's offset (one
/// call, no seek), so every stream of a file shares one handle.
pub(super) fn read_exact_at(f: &File, mut buf: &mut [u8], mut pos: u64) -> io::Result<()> {
    while !buf.is_empty() {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(f, buf, pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(f, buf, pos)?;
        #[cfg(not(any(unix, windows)))]
        let n: usize = return Err(io::ErrorKind::Unsupported.into());
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        pos += n as u64;
    }
    Ok(())
}

/// A file's bytes from `pos` to `end`, read by `read_exact_at`.
struct At {
    file: Arc<File>,
    pos: u64,
    end: u64,
}

impl Read for At {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min((self.end - self.pos) as usize);
        read_exact_at(&self.file, &mut buf[..n], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Byte ranges by absolute position, loaded as they are asked for.
pub(super) trait Bytes {
    fn bytes(&mut self, a: usize, b: usize) -> Result<&[u8], String>;
}

fn short() -> String {
    "a page holds fewer bytes than its values need (damaged)".into()
}

impl Bytes for Vec<u8> {
    fn bytes(&mut self, a: usize, b: usize) -> Result<&[u8], String> {
        self.get(a..b).ok_or_else(short)
    }
}

/// A page's bytes read and decompressed at once (None: they do not
/// decompress).
pub(super) fn read_whole(file: &File, p: PageBytes) -> io::Result<Option<Vec<u8>>> {
    let mut raw = vec![0u8; p.compressed as usize];
    read_exact_at(file, &mut raw, p.at)?;
    Ok(match p.codec {
        0 => Some(raw),
        c => decompress(c, &raw, p.uncompressed),
    })
}

/// Where a page's compressed bytes lie in the file, and what they hold.
#[derive(Debug, Clone, Copy)]
pub(super) struct PageBytes {
    pub at: u64,
    pub compressed: u64,
    pub uncompressed: usize,
    pub codec: i64,
}

pub(super) struct Window {
    file: Arc<File>,
    page: PageBytes,
    src: Box<dyn Read>,
    buf: Vec<u8>,
    /// The position in the page of `buf[0]`.
    base: usize,
}

/// Bytes decompressed at a time; and consumed before they are dropped.
const STEP: usize = 64 << 10;
const KEEP: usize = 1 << 20;

impl Window {
    pub(super) fn open(file: &Arc<File>, page: PageBytes) -> io::Result<Window> {
        let mut w = Window {
            file: file.clone(),
            page,
            src: Box::new(io::empty()),
            buf: Vec::new(),
            base: 0,
        };
        let raw = At {
            file: file.clone(),
            pos: page.at,
            end: page.at + page.compressed,
        };
        let size = page.uncompressed as u64;
        w.src = match page.codec {
            0 => Box::new(raw),
            1 => Box::new(Snappy::new(raw).take(size)),
            2 => Box::new(flate2::read::MultiGzDecoder::new(raw).take(size)),
            4 => Box::new(brotli::Decompressor::new(raw, 4096).take(size)),
            6 => Box::new(zstd::stream::read::Decoder::new(raw)?.take(size)),
            _ => {
                w.whole().map_err(io::Error::other)?;
                Box::new(io::empty())
            }
        };
        Ok(w)
    }

    /// The page decompressed at once, in place of the window.
    fn whole(&mut self) -> Result<(), String> {
        let whole = read_whole(&self.file, self.page).map_err(|e| e.to_string())?;
        self.buf = whole.ok_or("a page does not decompress (damaged)")?;
        self.base = 0;
        self.src = Box::new(io::empty());
        Ok(())
    }

    /// Loads the page up to position `b`.
    fn fill_to(&mut self, b: usize) -> Result<(), String> {
        while self.base + self.buf.len() < b {
            let want = (b - self.base - self.buf.len()).max(STEP) as u64;
            match self.src.by_ref().take(want).read_to_end(&mut self.buf) {
                Ok(0) => return Err(short()),
                Ok(_) => {}
                Err(e) if e.get_ref().is_some_and(|e| e.is::<FarBack>()) => self.whole()?,
                Err(_) => return Err("a page does not decompress (damaged)".into()),
            }
        }
        Ok(())
    }

    /// Drops what lies before position `a`, once a good deal has been read.
    pub(super) fn discard(&mut self, a: usize) {
        let cut = a.saturating_sub(self.base).min(self.buf.len());
        if cut > KEEP {
            self.buf.drain(..cut);
            self.base += cut;
        }
    }

    /// Bytes already loaded (by `bytes`), or none.
    pub(super) fn loaded(&self, a: usize, b: usize) -> &[u8] {
        let (a, b) = (a.saturating_sub(self.base), b.saturating_sub(self.base));
        self.buf.get(a..b).unwrap_or_default()
    }
}

impl Bytes for Window {
    fn bytes(&mut self, a: usize, b: usize) -> Result<&[u8], String> {
        self.fill_to(b)?;
        let (a, b) = (a.checked_sub(self.base).ok_or_else(short)?, b - self.base);
        self.buf.get(a..b).ok_or_else(short)
    }
}

/// An RLE/bit-packed hybrid run list, decoded a run at a time.
#[derive(Default)]
pub(super) struct Hybrid {
    pos: usize,
    width: u32,
    /// Values left in the current run: repeated (`rle`), or bit-packed
    /// starting at bit `bit` of the list.
    left: usize,
    rle: bool,
    value: u32,
    bit: usize,
}

impl Hybrid {
    pub(super) fn new(pos: usize, width: u32) -> Self {
        Hybrid {
            pos,
            width,
            ..Default::default()
        }
    }

    /// The first byte still to be read.
    pub(super) fn needed(&self) -> usize {
        match self.rle || self.left == 0 {
            true => self.pos,
            false => self.bit / 8,
        }
    }

    /// Decodes the next `n` values onto `out`, a run at a time.
    pub(super) fn take_into(
        &mut self,
        b: &mut impl Bytes,
        mut n: usize,
        out: &mut Vec<u32>,
    ) -> Result<(), String> {
        while n > 0 {
            if self.left == 0 {
                self.run(b)?;
            }
            let k = n.min(self.left);
            if self.rle {
                out.extend(std::iter::repeat_n(self.value, k));
            } else {
                let w = self.width as usize;
                let bytes = b.bytes(self.bit / 8, (self.bit + k * w).div_ceil(8))?;
                let mask = if w == 32 { u32::MAX } else { (1u32 << w) - 1 };
                let mut bit = self.bit % 8;
                for _ in 0..k {
                    let at = bit / 8;
                    // Up to 40 bits from `at`, little endian, past the end as zeros.
                    let v = match bytes.get(at..at + 8) {
                        Some(e) => u64::from_le_bytes(e.try_into().unwrap_or_default()),
                        None => bytes[at.min(bytes.len())..]
                            .iter()
                            .rev()
                            .fold(0u64, |acc, x| acc << 8 | u64::from(*x)),
                    };
                    out.push((v >> (bit % 8)) as u32 & mask);
                    bit += w;
                }
                self.bit += k * w;
            }
            self.left -= k;
            n -= k;
        }
        Ok(())
    }

    /// Reads the next run's header (and a repeated run's value).
    fn run(&mut self, b: &mut impl Bytes) -> Result<(), String> {
        let mut header = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = b.bytes(self.pos, self.pos + 1)?[0];
            self.pos += 1;
            header |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let damaged = || "a page's run of values is damaged".to_string();
        let count = usize::try_from(header >> 1).map_err(|_| damaged())?;
        if header & 1 == 0 {
            let bytes = self.width.div_ceil(8) as usize;
            let v = b.bytes(self.pos, self.pos + bytes)?;
            self.value = v.iter().rev().fold(0, |acc, x| acc << 8 | u32::from(*x));
            self.pos += bytes;
            (self.rle, self.left) = (true, count);
        } else {
            let bytes = count.checked_mul(self.width as usize).ok_or_else(damaged)?;
            self.bit = self.pos * 8;
            self.pos = self.pos.checked_add(bytes).ok_or_else(damaged)?;
            (self.rle, self.left) = (false, count.checked_mul(8).ok_or_else(damaged)?);
        }
        // An empty run would loop: a damaged list.
        match self.left {
            0 => Err(damaged()),
            _ => Ok(()),
        }
    }
}
