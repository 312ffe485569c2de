//! A figure as a source document prints it, to be checked against its
//! recomputation.

use crate::base::trace::Origin;

/// A figure as printed somewhere, keyed to a cell of a computed table.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFigure {
    pub table: String,
    pub row: String,
    pub column: String,
    pub text: String,
    /// Where in the source document it is printed.
    pub source: String,
    /// Where we read it (fixture cell, model key).
    pub origin: Origin,
}
