//! What a person reads: tables rendered as CSV, Markdown and JSON, charts,
//! and the report pack (files, workbook, Markdown).

pub mod cells;
pub mod chart;
pub mod docx;
pub mod draft;
pub mod pack;
pub mod render;
pub mod svgtext;
pub mod template;
