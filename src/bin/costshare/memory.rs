//! How the C allocator hands memory back, on Linux with glibc.
//!
//! Readers decode a Parquet row group (or a CSV block) at a time: tens of
//! megabytes allocated and freed again and again. By default glibc gives
//! such blocks back to the system on every free and the next row group
//! faults the same pages in afresh, zeroed: a fifth of a 30-million-row
//! read went on that. Keeping freed memory for reuse costs little in peak
//! memory (the same blocks are reused; 5% more on a file of one huge row
//! group) and takes that time away.

/// Keep freed blocks up to 64 MB for reuse (the process's memory stays
/// bounded by its largest working set, as before).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn keep_freed_memory() {
    const KEEP: libc::c_int = 64 << 20;
    // SAFETY: mallopt only changes glibc's allocation thresholds; it is
    // called once, before any other thread is started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, KEEP);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 4 * KEEP);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn keep_freed_memory() {}
