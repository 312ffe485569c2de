//! Writes a large ledger-like workbook for the memory benchmark (not
//! committed): `cargo run --release --example big_workbook -- /tmp/big.xlsx 400000`
//! writes 400,000 rows × 8 columns (about 50 MB of xlsx with the texts).
//! Deterministic: a fixed generator and fixed document dates.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map(String::as_str).unwrap_or("/tmp/big.xlsx");
    let rows: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(400_000);
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2013, 6, 12)?),
    );
    let ws = wb.add_worksheet();
    ws.set_name("ledger")?;
    for (c, h) in [
        "date",
        "authority",
        "cost_centre",
        "account",
        "description",
        "amount",
        "vat",
        "reference",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let auth = ["MBC", "SBC", "TWBC"];
    for r in 1..=rows {
        let n = next();
        ws.write_string(
            r,
            0,
            format!("2013-{:02}-{:02}", 1 + n % 12, 1 + (n >> 8) % 28),
        )?;
        ws.write_string(r, 1, auth[(n % 3) as usize])?;
        ws.write_string(r, 2, format!("CC{:04}", (n >> 16) % 2000))?;
        ws.write_number(r, 3, ((n >> 24) % 9000 + 1000) as f64)?;
        ws.write_string(
            r,
            4,
            format!(
                "Supplier payment {} for shared service {}",
                (n >> 5) % 100_000,
                (n >> 40) % 97
            ),
        )?;
        ws.write_number(r, 5, ((n >> 12) % 10_000_000) as f64 / 100.0)?;
        ws.write_number(r, 6, ((n >> 20) % 200_000) as f64 / 100.0)?;
        ws.write_string(r, 7, format!("INV{:08}", n % 100_000_000))?;
    }
    wb.save(path)?;
    println!("wrote {path} ({rows} rows)");
    Ok(())
}
