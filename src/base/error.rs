//! Every error names the file, and the sheet and cell or the CSV line, and
//! says what was expected. The CLI prints them and exits 2.

use crate::base::trace::Origin;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: cannot write the file: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: not a readable {expected} workbook: {message}")]
    Workbook {
        path: String,
        expected: &'static str,
        message: String,
    },

    #[error(
        "{path}: no sheet named {sheet:?}; the workbook has {}",
        list(available)
    )]
    UnknownSheet {
        path: String,
        sheet: String,
        available: Vec<String>,
    },

    #[error("{origin}: expected {expected}, found {found}")]
    Cell {
        origin: Origin,
        expected: String,
        found: String,
    },

    #[error("{path}, line {line}: {message}")]
    CsvLine {
        path: String,
        line: u64,
        message: String,
    },

    #[error(
        "{place}: missing column {column:?}{hint}; the header row has {}",
        list(found)
    )]
    MissingColumn {
        place: String,
        column: String,
        /// What the column is for and how to name it, after the name.
        hint: String,
        found: Vec<String>,
    },

    #[error("{place}: {message}")]
    Table { place: String, message: String },

    #[error("{file}, {}key {key}: {message}{}", on_line(*line), at(origin))]
    Model {
        file: String,
        /// The key's line in the file (0: not known).
        line: u32,
        key: String,
        message: String,
        /// Boxed: a Result's error should be small (clippy result_large_err).
        origin: Option<Box<Origin>>,
    },

    #[error("{0}")]
    Usage(String),
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn on_line(line: u32) -> String {
    match line {
        0 => String::new(),
        n => format!("line {n}, "),
    }
}

fn at(origin: &Option<Box<Origin>>) -> String {
    match origin {
        Some(o) => format!(" (value from {o})"),
        None => String::new(),
    }
}

impl Error {
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }

    pub fn model(file: &str, key: &str, message: impl Into<String>) -> Self {
        Error::Model {
            file: file.to_string(),
            line: 0,
            key: key.to_string(),
            message: message.into(),
            origin: None,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
