//! A fast hash of short byte strings (keys and cell texts read from a
//! council's own files, not from an adversary racing a server).

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// One word into hash `h`.
#[inline]
pub fn step(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(K)
}

/// FxHash over 8-byte words, continuing from `h`; the length is mixed in
/// last, so ("AB", "C") and ("A", "BC") differ when chained.
pub fn words(mut h: u64, b: &[u8]) -> u64 {
    let mut chunks = b.chunks_exact(8);
    for w in &mut chunks {
        h = step(h, u64::from_le_bytes(w.try_into().unwrap_or_default()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = step(h, tail(rest));
    }
    step(h, b.len() as u64)
}

/// Up to 7 bytes as one word, read where they lie (copying them into a
/// word first costs a stall as the processor reads back what it wrote).
fn tail(r: &[u8]) -> u64 {
    let n = r.len();
    let u32_at = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]) as u64;
    if n >= 4 {
        u32_at(0) | (u32_at(n - 4) << 32)
    } else {
        r[0] as u64 | (r[n / 2] as u64) << 8 | (r[n - 1] as u64) << 16
    }
}

/// The top `bits` of `h`, the well-mixed ones (a multiplicative hash's low
/// bits follow only the first bytes hashed): a table index.
pub fn top(h: u64, bits: u32) -> usize {
    if bits == 0 {
        0
    } else {
        (h >> (64 - bits)) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chained_fields_keep_their_boundary() {
        assert_ne!(words(words(0, b"AB"), b"C"), words(words(0, b"A"), b"BC"));
        assert_ne!(words(0, b"abc"), words(0, b"abd"));
        assert_ne!(words(0, b"abcdefgh1"), words(0, b"abcdefgh2"));
    }
}
