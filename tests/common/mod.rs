//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

/// Rewrites one member of an xlsx (a zip), keeping the others as they are.
pub fn rewrite(path: &Path, member: &str, edit: impl Fn(String) -> Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == member {
            data = edit(String::from_utf8(data).unwrap());
        }
        let level = zip::write::SimpleFileOptions::default().compression_level(Some(9));
        out.start_file(name, level).unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

/// A one-sheet xlsx written by rust_xlsxwriter, whose sheet XML is then
/// replaced by `sheet_xml` (and its shared strings by `strings`, if given):
/// a way to build the forged files a hostile sender could.
pub fn forged_xlsx(path: &Path, sheet_xml: impl Fn() -> Vec<u8>, strings: Option<Vec<u8>>) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet();
    s.write(0, 0, "label").unwrap();
    wb.save(path).unwrap();
    rewrite(path, "xl/worksheets/sheet1.xml", |_| sheet_xml());
    if let Some(st) = strings {
        rewrite(path, "xl/sharedStrings.xml", |_| st.clone());
    }
}

/// The start and end of a sheet's XML, around `<sheetData>` rows.
pub const SHEET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
pub const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// A model's table by name; the test fails when the model has none.
pub fn table(m: &costshare::model::Model, name: &str) -> costshare::base::table::Table {
    costshare::tables::table(m, name)
        .unwrap()
        .unwrap_or_else(|| panic!("{} has no {name}", m.file))
}

/// The exact figure at a row key and column.
pub fn fig(t: &costshare::base::table::Table, row: &str, col: &str) -> rust_decimal::Decimal {
    t.find(row, col)
        .unwrap_or_else(|| panic!("{}: no {row:?}/{col:?}", t.name))
        .value
        .figure()
        .unwrap_or_else(|| panic!("{}: {row:?}/{col:?} has no figure", t.name))
}
