//! Snappy's raw format, decoded as it is read.
//!
//! A Parquet writer may put a whole column chunk in one page (DuckDB writes
//! 30 million values to a page), and decompressing such a page at once
//! holds it twice, compressed and not. Snappy copies only from the last
//! 64 KB it wrote (its compressor works in blocks of 64 KB), so this
//! decoder keeps that much behind what it has handed on. A copy from
//! further back (legal, never seen) is `FarBack`: the caller then
//! decompresses the page whole.

use std::io::{self, Read};

/// Bytes kept behind the last handed on, for copies to refer to.
const HISTORY: usize = 64 << 10;

/// A copy reached further back than `HISTORY` (the page is then read whole).
#[derive(Debug)]
pub(super) struct FarBack;

impl std::fmt::Display for FarBack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a snappy copy reaches past the bytes kept")
    }
}

impl std::error::Error for FarBack {}

fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "damaged snappy data")
}

pub(super) struct Snappy<R> {
    src: io::BufReader<R>,
    /// Decoded bytes: history, then those not yet handed on from `handed`.
    out: Vec<u8>,
    handed: usize,
    /// Bytes dropped from the front of `out`, and still to be decoded.
    dropped: usize,
    left: Option<usize>,
    /// Literal bytes still to copy from the input.
    literal: usize,
    history: usize,
}

impl<R: Read> Snappy<R> {
    pub(super) fn new(src: R) -> Self {
        Self::with_history(src, HISTORY)
    }

    fn with_history(src: R, history: usize) -> Self {
        Snappy {
            src: io::BufReader::with_capacity(64 << 10, src),
            out: Vec::new(),
            handed: 0,
            dropped: 0,
            left: None,
            literal: 0,
            history,
        }
    }

    fn byte(&mut self) -> io::Result<u8> {
        let mut b = [0u8];
        self.src.read_exact(&mut b).map_err(|_| damaged())?;
        Ok(b[0])
    }

    fn le(&mut self, n: usize) -> io::Result<usize> {
        let mut v = 0usize;
        for i in 0..n {
            v |= (self.byte()? as usize) << (8 * i);
        }
        Ok(v)
    }

    /// The stream's length, written first as a varint.
    fn length(&mut self) -> io::Result<usize> {
        let mut v = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return usize::try_from(v).map_err(|_| damaged());
            }
        }
        Err(damaged())
    }

    /// Decodes one element (or up to 64 KB of a long literal).
    fn step(&mut self, left: usize) -> io::Result<usize> {
        if self.literal > 0 {
            let n = self.literal.min(64 << 10);
            let at = self.out.len();
            self.out.resize(at + n, 0);
            self.src
                .read_exact(&mut self.out[at..])
                .map_err(|_| damaged())?;
            self.literal -= n;
            return Ok(n);
        }
        let tag = self.byte()?;
        let (len, offset) = match tag & 3 {
            0 => {
                let len = match tag >> 2 {
                    n @ 0..=59 => n as usize,
                    n => self.le(n as usize - 59)?,
                } + 1;
                if len > left {
                    return Err(damaged());
                }
                self.literal = len;
                return Ok(0);
            }
            1 => (
                ((tag >> 2) & 7) as usize + 4,
                ((tag as usize >> 5) << 8) | self.le(1)?,
            ),
            2 => ((tag >> 2) as usize + 1, self.le(2)?),
            _ => ((tag >> 2) as usize + 1, self.le(4)?),
        };
        if len > left || offset == 0 || offset > self.dropped + self.out.len() {
            return Err(damaged());
        }
        if offset > self.out.len() {
            return Err(io::Error::other(FarBack));
        }
        // Byte by byte: a copy may overlap what it writes.
        let from = self.out.len() - offset;
        for i in 0..len {
            let b = self.out[from + i];
            self.out.push(b);
        }
        Ok(len)
    }
}

impl<R: Read> Read for Snappy<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut left = match self.left {
            Some(l) => l,
            None => self.length()?,
        };
        while self.handed == self.out.len() && (left > 0 || self.literal > 0) {
            if self.handed > 2 * self.history {
                let cut = self.handed - self.history;
                self.out.drain(..cut);
                (self.handed, self.dropped) = (self.handed - cut, self.dropped + cut);
            }
            let made = self.step(left)?;
            left -= made.min(left);
        }
        self.left = Some(left);
        let n = buf.len().min(self.out.len() - self.handed);
        buf[..n].copy_from_slice(&self.out[self.handed..self.handed + n]);
        self.handed += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_all(r: &mut impl Read, chunk: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            match r.read(&mut buf)? {
                0 => return Ok(out),
                n => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    proptest! {
        /// Whatever snap compresses (runs, repeats far apart, noise) is
        /// decoded byte for byte, read in pieces of any size.
        #[test]
        fn decodes_what_snap_encodes(
            parts in proptest::collection::vec((0u8..4, 1usize..70_000, any::<u8>()), 0..8),
            chunk in 1usize..100_000,
        ) {
            let mut data = Vec::new();
            for (kind, len, seed) in parts {
                match kind {
                    0 => data.extend(std::iter::repeat_n(seed, len)),
                    1 => data.extend((0..len).map(|i| (i as u8).wrapping_mul(seed) ^ (i >> 9) as u8)),
                    2 if !data.is_empty() => {
                        let from = (seed as usize * 977) % data.len();
                        let end = (from + len).min(data.len());
                        data.extend_from_within(from..end);
                    }
                    _ => data.extend(format!("{seed}:{len},").bytes().cycle().take(len)),
                }
            }
            let packed = snap::raw::Encoder::new().compress_vec(&data).unwrap();
            let got = read_all(&mut Snappy::new(&packed[..]), chunk).unwrap();
            prop_assert!(got == data, "{} bytes decoded, {} written", got.len(), data.len());
        }
    }

    /// Twelve bytes: eight literal ones ("abcdefgh"), then four copied from
    /// `offset` back (a copy with a 2-byte offset).
    fn copy_back(offset: u8) -> Vec<u8> {
        let mut s = vec![12, 7 << 2];
        s.extend_from_slice(b"abcdefgh");
        s.extend_from_slice(&[(3 << 2) | 2, offset, 0]);
        s
    }

    /// A copy from further back than the history kept is FarBack, not a
    /// wrong byte; damaged input is an error, never a panic.
    #[test]
    fn far_copies_and_damage_are_errors() {
        let stream = copy_back(8);
        let mut ok = Snappy::with_history(&stream[..], 16);
        assert_eq!(read_all(&mut ok, 3).unwrap(), b"abcdefghabcd");
        let mut far = Snappy::with_history(&stream[..], 2);
        let e = read_all(&mut far, 1).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<FarBack>()), "{e}");
        for cut in 0..stream.len() {
            let mut r = Snappy::new(&stream[..cut]);
            assert!(read_all(&mut r, 5).is_err(), "{cut}");
        }
        // An offset of zero, and one before the start.
        for offset in [0, 9] {
            assert!(read_all(&mut Snappy::new(&copy_back(offset)[..]), 5).is_err());
        }
    }
}
