//! Money, years, traces, tables, errors and atomic writes: what every other
//! layer is built from. No file formats here.

pub mod atomic;
pub mod bounded;
pub mod chart;
pub mod date;
pub mod error;
pub mod fastdec;
pub mod hash;
pub mod money;
pub mod published;
pub mod rng;
pub mod table;
pub mod text;
pub mod trace;
pub mod year;

/// The cores to work on (1 when the system will not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
