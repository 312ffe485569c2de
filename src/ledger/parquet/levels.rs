//! The definition levels of a Parquet data page, checked before polars
//! decodes them: polars sizes a validity bitmap from each run's claimed
//! length, and a forged run of 2^61 values aborts the process (found by the
//! fuzzer). Every run must claim no more values than its page has.

/// What a column's levels need: how deep its definition and repetition
/// levels go (0: none written), from the schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Levels {
    pub max_def: u32,
    pub max_rep: u32,
}

/// Bits one level takes, as the RLE/bit-packed hybrid encodes it.
fn bit_width(max: u32) -> u32 {
    32 - max.leading_zeros()
}

/// Walks an RLE/bit-packed hybrid run list: no run may claim more than
/// `values` (a bit-packed run may pad its last group of eight).
pub(super) fn check_runs(b: &[u8], max: u32, values: i64) -> Result<(), &'static str> {
    let width = bit_width(max) as u64;
    let values = values.max(0) as u64;
    let mut pos = 0usize;
    while pos < b.len() {
        let mut header = 0u64;
        let mut shift = 0;
        loop {
            let Some(&byte) = b.get(pos) else {
                return Ok(()); // truncated: polars reports it
            };
            pos += 1;
            header |= ((byte & 0x7F) as u64)
                .checked_shl(shift)
                .unwrap_or(u64::MAX);
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err("a page's level run is damaged");
            }
        }
        let (count, bytes) = if header & 1 == 0 {
            (header >> 1, width.div_ceil(8))
        } else {
            let groups = header >> 1;
            (groups.saturating_mul(8), groups.saturating_mul(width))
        };
        let slack = if header & 1 == 0 { 0 } else { 7 };
        if count > values + slack {
            return Err("a page's levels claim more values than the page has (damaged or forged)");
        }
        pos = pos.saturating_add(bytes as usize);
    }
    Ok(())
}

/// A v1 data page's levels, once the page is decompressed: repetition
/// levels first, then definition levels, each after its 4-byte length.
pub(super) fn check_v1(page: &[u8], l: Levels, values: i64) -> Result<(), &'static str> {
    let mut rest = page;
    for max in [l.max_rep, l.max_def] {
        if max == 0 {
            continue;
        }
        let Some((len, tail)) = rest.split_first_chunk::<4>() else {
            return Ok(());
        };
        let len = (u32::from_le_bytes(*len) as usize).min(tail.len());
        check_runs(&tail[..len], max, values)?;
        rest = &tail[len..];
    }
    Ok(())
}

/// A page's bytes as written, decompressed by its column's codec, when the
/// codec is one this check reads (others are left to polars).
pub(super) fn decompress(codec: i64, data: &[u8], size: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let bounded = |r: &mut dyn Read| -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(size.min(1 << 20));
        r.take(size as u64 + 1).read_to_end(&mut out).ok()?;
        (out.len() <= size).then_some(out)
    };
    match codec {
        0 => Some(data.to_vec()),
        1 => {
            let n = snap::raw::decompress_len(data).ok()?;
            if n > size {
                return None;
            }
            snap::raw::Decoder::new().decompress_vec(data).ok()
        }
        2 => bounded(&mut flate2::read::MultiGzDecoder::new(data)),
        4 => bounded(&mut brotli::Decompressor::new(data, 4096)),
        6 => zstd::bulk::decompress(data, size).ok(),
        7 => lz4::block::decompress(data, Some(i32::try_from(size).ok()?)).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_longer_than_its_page_is_refused() {
        // RLE run of 3 ones (header 3 << 1 = 6, one byte of value).
        assert!(check_runs(&[6, 1], 1, 3).is_ok());
        assert!(check_runs(&[6, 1], 1, 2).is_err());
        // 2^61 values: the fuzzer's page.
        let mut forged = Vec::new();
        let mut h: u64 = (1 << 61) << 1;
        while h >= 0x80 {
            forged.push((h as u8) | 0x80);
            h >>= 7;
        }
        forged.push(h as u8);
        forged.push(1);
        assert!(check_runs(&forged, 1, 1000).is_err());
        // One bit-packed group of eight for five values: padding allowed.
        assert!(check_runs(&[3, 0b11111], 1, 5).is_ok());
        assert_eq!(bit_width(1), 1);
        assert_eq!(bit_width(3), 2);
    }
}
