//! `check-draft` and `fill` on drafts an officer would keep: a copy of the
//! bundled report's Markdown with errors planted in it, and a Word document
//! written by LibreOffice (fixtures/drafts/). The right figures are the
//! recomputed report's, read from the committed reports/ (not from the
//! code under test).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn costshare() -> Command {
    Command::cargo_bin("costshare").unwrap()
}

/// `costshare fill DRAFT --out OUT`, to run and assert on.
fn fill(draft: impl AsRef<std::ffi::OsStr>, out: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = costshare();
    c.arg("fill").arg(draft).arg("--out").arg(out);
    c
}

fn tmp(name: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("draft-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Each finding's place, what the draft says and what it should say.
fn places(rows: &[Vec<String>]) -> Vec<(&str, &str, &str)> {
    rows.iter()
        .map(|r| (r[0].as_str(), r[2].as_str(), r[3].as_str()))
        .collect()
}

/// check-draft --strict --format csv: exit code and the findings' rows.
fn check(draft: &Path) -> (i32, Vec<Vec<String>>) {
    let out = costshare()
        .args(["check-draft", "--strict", "--format", "csv"])
        .arg(draft)
        .output()
        .unwrap();
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (out.status.code().unwrap(), rows)
}

/// The bundled report's own text checks clean; with a changed figure, a
/// stale year and a total rounded wrongly planted in it, each is found.
/// reports/annual-report-2012-13/report.md line 14 has MBC Legal £493,020
/// (the budget sheet's cell); line 36 says net cost £8,961,940 in 2012/13,
/// which rounds to £8.96m, so £8.97m is wrong.
#[test]
fn planted_errors_in_the_bundled_report_are_found() {
    let dir = tmp("md");
    let text = std::fs::read_to_string("reports/annual-report-2012-13/report.md").unwrap();
    let clean = dir.join("clean.md");
    std::fs::write(&clean, &text).unwrap();
    let (code, rows) = check(&clean);
    assert_eq!((code, rows.len()), (0, 0), "{rows:?}");
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i + 1 {
            14 => l.replace("£493,020", "£493,200"),
            36 => l
                .replace("in 2012/13", "in 2011/12")
                .replace("£8,961,940", "£8.97m"),
            _ => l.to_string(),
        })
        .collect();
    // The same findings at the same lines whatever ends them: LF, CRLF,
    // or a lone CR (every figure was on "line 1", its tables unseen).
    for end in ["\n", "\r\n", "\r"] {
        let planted = dir.join("planted.md");
        std::fs::write(&planted, lines.join(end)).unwrap();
        let (code, rows) = check(&planted);
        assert_eq!(code, 1, "--strict exits 1 on findings");
        let got = places(&rows);
        assert_eq!(
            got,
            [
                ("line 14", "£493,200", "£493,020"),
                ("line 36", "2011/12", ""),
                ("line 36", "£8.97m", "£8.96m"),
            ],
            "{end:?}"
        );
    }
    let planted = dir.join("planted.md");
    std::fs::write(&planted, lines.join("\n")).unwrap();
    let (_, rows) = check(&planted);
    assert!(
        rows[0][4].ends_with("budget-breakdown / Legal / Legal / MBC"),
        "{:?}",
        rows[0]
    );
}

/// The Word draft (LibreOffice's .docx): the same three kinds of error are
/// found in its paragraphs and its table; its placeholder names a cell.
#[test]
fn a_word_draft_is_checked() {
    let (code, rows) = check(Path::new("fixtures/drafts/draft.docx"));
    assert_eq!(code, 1);
    let got = places(&rows);
    assert_eq!(
        got,
        [
            ("paragraph 2", "£8.97m", "£8.96m"),
            ("table 1, row 2", "£493,200", "£493,020"),
            ("paragraph 5", "2011/12", ""),
        ]
    );
}

/// A sentence in a text box is read as its own paragraph, as it prints:
/// the draft's "£8.97m" sentence (paragraph 2) moved into a box anchored
/// in "Summary: … (see box)" is still found wrong (£8,961,940 rounds to
/// £8.96m, reports/annual-report-2012-13/report.md line 36); run into the
/// paragraph around it, it matched no commentary and was listed as found
/// nowhere. Word's fallback copy of the box is not read a second time.
#[test]
fn a_sentence_in_a_text_box_is_checked() {
    let dir = tmp("text-box");
    let edit = |xml: String| {
        let at = xml.find("£8.97m").unwrap();
        let s = ["<w:p>", "<w:p "]
            .iter()
            .filter_map(|o| xml[..at].rfind(o))
            .max()
            .unwrap();
        let e = xml[at..].find("</w:p>").unwrap() + at + "</w:p>".len();
        let p = &xml[s..e];
        let boxed = format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">Summary: </w:t></w:r><w:r><mc:AlternateContent>\
             <mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>{p}</w:txbxContent>\
             </wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{p}\
             </w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>\
             <w:r><w:t xml:space=\"preserve\"> (see box)</w:t></w:r></w:p>"
        );
        format!("{}{boxed}{}", &xml[..s], &xml[e..])
    };
    let doc = copy_draft(&dir, "box.docx", &edit, &[]);
    let (code, rows) = check(&doc);
    assert_eq!(code, 1);
    assert_eq!(
        places(&rows),
        [
            ("text box 1, paragraph 1", "£8.97m", "£8.96m"),
            ("table 1, row 2", "£493,200", "£493,020"),
            ("paragraph 5", "2011/12", ""),
        ]
    );
    let blocks = costshare::output::draft::blocks::docx(&doc).unwrap();
    assert!(
        blocks.contains(&costshare::output::draft::Block::Para {
            place: "paragraph 2".into(),
            text: "Summary:  (see box)".into(),
        }),
        "{blocks:?}"
    );
    let read = |b: &costshare::output::draft::Block| format!("{b:?}").matches("£8.97m").count();
    assert_eq!(blocks.iter().map(read).sum::<usize>(), 1, "{blocks:?}");
}

/// A figures table nested in a layout table's cell (as templates lay out
/// a page) is checked: the draft's budget table wrapped in a one-cell
/// table still has MBC Legal £493,200 found wrong (£493,020, the budget
/// sheet's cell), now as table 2, the layout table being table 1; its
/// words were dropped and its figures never checked.
#[test]
fn a_table_nested_in_a_layout_table_is_checked() {
    let dir = tmp("nested-table");
    let edit = |xml: String| {
        let s = xml.find("<w:tbl>").unwrap();
        let e = xml.find("</w:tbl>").unwrap() + "</w:tbl>".len();
        let wrapped = format!(
            "<w:tbl><w:tr><w:tc><w:p/>{}<w:p/></w:tc></w:tr></w:tbl>",
            &xml[s..e]
        );
        format!("{}{wrapped}{}", &xml[..s], &xml[e..])
    };
    let doc = copy_draft(&dir, "nested.docx", &edit, &[]);
    let (code, rows) = check(&doc);
    assert_eq!(code, 1);
    assert_eq!(
        places(&rows),
        [
            ("paragraph 2", "£8.97m", "£8.96m"),
            ("table 2, row 2", "£493,200", "£493,020"),
            ("paragraph 5", "2011/12", ""),
        ]
    );
    // Its heading in the cell above it, the body's heading another's: the
    // nested table takes its cell's heading (it took the body's, and its
    // £493,200 was only "found in no table").
    let heading = "Budget breakdown 2012/13 (MKIP shared services)";
    let edit = |xml: String| {
        let xml = edit(xml.replace(heading, "Appendix"));
        xml.replacen(
            "<w:tbl><w:tr><w:tc><w:p/>",
            &format!("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{heading}</w:t></w:r></w:p>"),
            1,
        )
    };
    let doc = copy_draft(&dir, "headed.docx", &edit, &[]);
    let (_, rows) = check(&doc);
    assert!(
        places(&rows).contains(&("table 2, row 2", "£493,200", "£493,020")),
        "{rows:?}"
    );
}

/// A draft with a table nested 20,000 deep before its budget table (a
/// forged file; Word nests far less): each level's search for its closing
/// tag ran to the end of the file, and check-draft ran for hours. It now
/// reads the draft as ever (the same three findings), and fill writes it.
#[test]
fn tables_nested_thousands_deep_are_read_in_one_pass() {
    let dir = tmp("deep-tables");
    let deep = 20_000;
    let edit = |xml: String| {
        let at = xml.find("<w:tbl>").unwrap();
        let nest = format!(
            "{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}",
            "<w:tbl><w:tr><w:tc>".repeat(deep),
            "</w:tc></w:tr></w:tbl>".repeat(deep)
        );
        format!("{}{nest}{}", &xml[..at], &xml[at..])
    };
    let doc = copy_draft(&dir, "deep.docx", &edit, &[]);
    let (_, rows) = check(&doc);
    let found: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(found, ["£8.97m", "£493,200", "2011/12"], "{rows:?}");
    fill(&doc, dir.join("deep-filled.docx")).assert().success();
}

/// A Markdown draft of 200,000 lines, each opening a placeholder, and one
/// `}}` at its end: each `{{` searched to that far `}}` (quadratic, hours).
/// fill refuses them all, counted, in one pass.
#[test]
fn many_open_placeholders_are_said_in_one_pass() {
    let dir = tmp("many-open");
    let d = dir.join("d.md");
    std::fs::write(&d, "{{savings-programme\n".repeat(200_000) + "}}\n").unwrap();
    let out = fill(&d, dir.join("o.md")).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("200000 placeholders cannot be filled"),
        "{}",
        &err[..200.min(err.len())]
    );
}

/// fill: the placeholder becomes the recomputed figure, the savings
/// programme's predicted cumulative total (reports/.../savings-programme.csv
/// Total row: 5499737), in Markdown and in Word; the Word file keeps its
/// other parts and reads back.
#[test]
fn placeholders_are_filled() {
    let dir = tmp("fill");
    let total: String =
        std::fs::read_to_string("reports/annual-report-2012-13/csv/savings-programme.csv")
            .unwrap()
            .lines()
            .find(|l| l.starts_with("Total,"))
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .to_string();
    assert_eq!(total, "5499737");
    let md = dir.join("d.md");
    std::fs::write(
        &md,
        "Saved {{savings-programme:Total:Cumulative savings 2013/14 (predicted)}} by 2013/14.\n",
    )
    .unwrap();
    fill(&md, dir.join("f.md")).assert().success();
    let filled = std::fs::read_to_string(dir.join("f.md")).unwrap();
    assert_eq!(filled, "Saved £5,499,737 by 2013/14.\n");

    let out = dir.join("filled.docx");
    costshare()
        .args(["fill", "fixtures/drafts/draft.docx", "--out"])
        .arg(&out)
        .assert()
        .success();
    let blocks = costshare::output::draft::blocks::docx(&out).unwrap();
    let text: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            costshare::output::draft::Block::Para { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        text.iter().any(|t| t.contains("saved £5,499,737 in all")),
        "{text:?}"
    );
    assert!(!text.iter().any(|t| t.contains("{{")));
    let names = |p: &Path| {
        let z = zip::ZipArchive::new(std::fs::File::open(p).unwrap()).unwrap();
        let mut v: Vec<String> = z.file_names().map(|n| n.unwrap().to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(names(&out), names(Path::new("fixtures/drafts/draft.docx")));

    // A placeholder that names no cell stops the fill; nothing is written.
    std::fs::write(&md, "{{savings-programme:Total:Cumulative 2099/00}}").unwrap();
    let bad = dir.join("bad.md");
    fill(&md, &bad).assert().code(2);
    assert!(!bad.exists());
}

/// The headline counts in words a person would write: "1 figure", "2
/// figures". Drafts with one and two figures that sit in no table of the
/// bundled report (£493,200 and £1,234,567 appear nowhere in reports/).
#[test]
fn the_headline_counts_in_words() {
    let dir = tmp("one");
    let p = dir.join("draft.md");
    for (text, want) in [
        (
            "A budget was £493,200.",
            "1 figure read: 0 findings; 1 figure found",
        ),
        (
            "A budget was £493,200 and £1,234,567.",
            "2 figures read: 0 findings; 2 figures found",
        ),
    ] {
        std::fs::write(&p, format!("# Draft\n\n{text}\n")).unwrap();
        let out = costshare().arg("check-draft").arg(&p).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
}

/// fixtures/drafts/draft.docx with its document's text `from` made `to`.
fn draft_with(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let edit = |xml: String| {
        assert_eq!(xml.matches(from).count(), 1, "{from}");
        xml.replace(from, to)
    };
    copy_draft(dir, name, &edit, &[])
}

/// fixtures/drafts/draft.docx copied to `dir/name`, its document.xml
/// passed through `edit`, and `extra` parts (name, XML) added.
fn copy_draft(
    dir: &Path,
    name: &str,
    edit: &dyn Fn(String) -> String,
    extra: &[(String, String)],
) -> PathBuf {
    use std::io::{Read, Write};
    let mut z =
        zip::ZipArchive::new(std::fs::File::open("fixtures/drafts/draft.docx").unwrap()).unwrap();
    let path = dir.join(name);
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" {
            bytes = edit(String::from_utf8(bytes).unwrap()).into_bytes();
        }
        w.start_file(name, opts).unwrap();
        w.write_all(&bytes).unwrap();
    }
    for (name, xml) in extra {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(xml.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    path
}

/// Word splits a paragraph into runs wherever formatting, a spelling mark
/// or editing history changes, often inside a placeholder: split inside
/// its name (a proofing mark, then a bold run) and between its braces, it
/// is filled all the same, the runs around it keeping their formatting.
/// One opened and never closed stops the fill (nothing written) and is a
/// finding of check-draft.
#[test]
fn placeholders_word_split_across_runs_are_filled() {
    let dir = tmp("split");
    let whole = "{{savings-programme:Total:Cumulative savings 2013/14 (predicted)}}";
    let split = "{</w:t></w:r><w:r><w:rPr></w:rPr><w:t>{savings-programme:Total:Cumu</w:t></w:r>\
                 <w:proofErr w:type=\"spellStart\"/><w:r><w:rPr><w:b/></w:rPr><w:t>lative \
                 </w:t></w:r><w:r><w:t xml:space=\"preserve\">savings 2013/14 (predicted)}</w:t>\
                 </w:r><w:r><w:rPr><w:i/></w:rPr><w:t>} in all.";
    let doc = draft_with(&dir, "split.docx", &format!("{whole} in all."), split);
    let out = dir.join("filled.docx");
    fill(&doc, &out).assert().success();
    let text: Vec<String> = costshare::output::draft::blocks::docx(&out)
        .unwrap()
        .into_iter()
        .filter_map(|b| match b {
            costshare::output::draft::Block::Para { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert!(
        text.iter()
            .any(|t| t.ends_with("will have saved £5,499,737 in all.")),
        "{text:?}"
    );
    let xml = costshare::output::draft::blocks::document_xml(&out).unwrap();
    // The italic run keeps its formatting and the words after the figure.
    assert!(
        xml.contains("<w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\"> in all."),
        "{xml}"
    );

    let open = draft_with(&dir, "open.docx", whole, "{{savings-programme:Total");
    let bad = dir.join("bad.docx");
    let filled = fill(&open, &bad).output().unwrap();
    assert_eq!(filled.status.code(), Some(2));
    let err = String::from_utf8_lossy(&filled.stderr);
    assert!(
        err.contains("{{savings-programme:Total in all.…: opened with {{ and never closed"),
        "{err}"
    );
    assert!(!bad.exists());
    let check = costshare().arg("check-draft").arg(&open).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("| placeholder never closed | {{savings-programme:Total in all."),
        "{report}"
    );
}

/// With no findings, the Markdown still says which figures were found in
/// no table (it printed the headline alone; the note was only in JSON).
#[test]
fn figures_found_nowhere_are_said_without_findings() {
    let dir = tmp("nowhere");
    let d = dir.join("d.md");
    std::fs::write(&d, "Spending was £1,234,567 this year.\n").unwrap();
    let out = costshare().arg("check-draft").arg(&d).output().unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        md,
        "1 figure read: 0 findings; 1 figure found in no table or commentary.\n\n\
         > Not found in any table (not errors, but worth a look): £1,234,567 (line 1).\n"
    );
}

/// The years and numbers inside a placeholder name a cell; they are no
/// figures of the draft: "MBC 2012" was counted as a figure read and 2012
/// listed as found nowhere. A placeholder in a table's cell is checked as
/// a placeholder (it was compared with MBC Legal's £493,020 as a figure,
/// and called different), one naming no cell found as such.
#[test]
fn placeholders_are_not_figures() {
    let dir = tmp("placeholder-figures");
    let d = dir.join("d.md");
    std::fs::write(
        &d,
        "Also {{budget-breakdown:Legal:MBC 2012}} here.\n\n\
         ## Budget breakdown 2012/13 (MKIP shared services)\n\n\
         | Service | Line | MBC | SBC |\n|---|---|---:|---:|\n\
         | Legal | Legal | {{budget-breakdown:Legal / Legal:MBC}} | £382,400 |\n\
         | ICT | ICT | {{budget-breakdown:ICT:MBC 2011}} | £626,590 |\n",
    )
    .unwrap();
    let out = costshare().arg("check-draft").arg(&d).output().unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("2 figures read: 2 findings; 0 figures found in no table or commentary."),
        "{md}"
    );
    assert_eq!(md.matches("placeholder names no cell").count(), 2, "{md}");
    assert!(!md.contains("differs"), "{md}");
}

/// fixtures/drafts/draft.docx with `parts` added (a header, a footer),
/// each one paragraph of text.
fn draft_plus(dir: &Path, name: &str, parts: &[(&str, &str)]) -> PathBuf {
    let extra: Vec<(String, String)> = parts
        .iter()
        .map(|(name, text)| {
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
                 <w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p></w:hdr>"
            );
            (name.to_string(), xml)
        })
        .collect();
    copy_draft(dir, name, &|xml| xml, &extra)
}

/// Headers and footers are read too: a placeholder in a header is filled
/// (it was left as typed, exit 0), one that names no table stops the fill
/// naming the footer, and check-draft finds a placeholder never closed in
/// a header at "header 1, paragraph 1" (it read the body only). A draft
/// with tracked changes is refused: deleted text would be filled as if
/// it were there.
#[test]
fn headers_and_footers_are_filled_and_checked() {
    let dir = tmp("header");
    let whole = "{{savings-programme:Total:Cumulative savings 2013/14 (predicted)}}";
    let doc = draft_plus(
        &dir,
        "h.docx",
        &[("word/header1.xml", &format!("Saved {whole}"))],
    );
    let out = dir.join("h-filled.docx");
    fill(&doc, &out).assert().success();
    let blocks = costshare::output::draft::blocks::docx(&out).unwrap();
    assert!(
        blocks.contains(&costshare::output::draft::Block::Para {
            place: "header 1, paragraph 1".into(),
            text: "Saved £5,499,737".into(),
        }),
        "{blocks:?}"
    );
    let bad = draft_plus(
        &dir,
        "f.docx",
        &[("word/footer2.xml", "{{no-such-table:x:y}}")],
    );
    let filled = fill(&bad, dir.join("f-out.docx")).output().unwrap();
    assert_eq!(filled.status.code(), Some(2));
    let err = String::from_utf8_lossy(&filled.stderr);
    assert!(
        err.contains("f.docx, footer 2: 1 placeholder cannot be filled: {{no-such-table:x:y}}"),
        "{err}"
    );
    let open = draft_plus(
        &dir,
        "o.docx",
        &[("word/header1.xml", "{{savings-programme:Total")],
    );
    let check = costshare().arg("check-draft").arg(&open).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("| header 1, paragraph 1 | placeholder never closed |"),
        "{report}"
    );
    let tracked = draft_with(
        &dir,
        "t.docx",
        &format!("{whole} in all."),
        &format!(
            "{whole}</w:t></w:r><w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText> not</w:delText></w:r></w:del><w:r><w:t> in all."
        ),
    );
    let filled = fill(&tracked, dir.join("t-out.docx")).output().unwrap();
    assert_eq!(filled.status.code(), Some(2));
    let err = String::from_utf8_lossy(&filled.stderr);
    assert!(
        err.contains("t.docx: has tracked changes: accept or reject them"),
        "{err}"
    );
}

/// fill on Markdown: a placeholder left open is one on its line (it was
/// closed by the next placeholder's `}}` lines below, and the two read as
/// one, "no cell at row \"Total\n\nTriple {{…"); one naming a blank cell
/// (the savings programme's Total has no base year) is refused, not filled
/// with nothing; a row named by its last part lists the rows so named.
/// check-draft finds the same.
#[test]
fn fill_says_open_blank_and_partly_named_placeholders() {
    let dir = tmp("fill-findings");
    let d = dir.join("d.md");
    std::fs::write(
        &d,
        "Open {{savings-programme:Total\n\n\
         Saved {{savings-programme:Total:Cumulative savings 2013/14 (predicted)}}.\n\n\
         Base {{savings-programme:Total:Base year}}.\n\n\
         Sub {{savings-programme:Subtotal:Cumulative savings 2013/14 (predicted)}}.\n",
    )
    .unwrap();
    let out = fill(&d, dir.join("o.md")).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for want in [
        "3 placeholders cannot be filled",
        "{{savings-programme:Total…: opened with {{ and never closed with }}",
        "savings-programme's cell at row \"Total\", column \"Base year\" is blank: nothing to fill it with",
        "rows so named: \"Shared Services / Subtotal\", \"Transformation / Subtotal\", \"Procurement / Subtotal\"",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(!dir.join("o.md").exists());
    let (_, rows) = check(&d);
    let what: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        what,
        [
            "placeholder never closed",
            "placeholder names no cell",
            "placeholder names no cell"
        ]
    );
}

/// A draft checked where there is no annual-report data (a folder holding
/// only models/) is said to be checked against the models alone, on
/// standard error and in the report's notes: it read "0 findings" and
/// passed --strict with every annual-report figure unchecked. With no
/// models either, it is refused.
#[test]
fn a_draft_checked_without_annual_report_data_says_so() {
    let dir = tmp("no-data");
    std::fs::create_dir_all(dir.join("models")).unwrap();
    std::fs::copy(
        "models/planning-support.toml",
        dir.join("models/planning-support.toml"),
    )
    .unwrap();
    let draft = dir.join("draft.md");
    std::fs::write(&draft, "# Draft\n\nShared services cost £8.97m net.\n").unwrap();
    let out = costshare()
        .current_dir(&dir)
        .args(["check-draft", "draft.md", "--strict"])
        .output()
        .unwrap();
    let (text, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let said = "No annual-report data was given (--data FILE, or a costshare.toml naming it): the draft is checked against the models' tables only.";
    assert!(err.contains(&format!("warning: {said}")), "{err}");
    assert!(text.contains(&format!("> {said}")), "{text}");
    // A models folder holding no model (only the partnership's file) is
    // no models: with no data, nothing to check against; with data, said.
    std::fs::remove_dir_all(dir.join("models")).unwrap();
    std::fs::create_dir_all(dir.join("models")).unwrap();
    std::fs::write(dir.join("models/partnership.toml"), "name = \"X\"\n").unwrap();
    for extra in [&[][..], &["--models", "models"][..]] {
        let out = costshare()
            .current_dir(&dir)
            .args(["check-draft", "draft.md"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(
                "nothing to check against: no annual-report data and no models in models;"
            ),
            "{out:?}"
        );
    }
    let data = std::fs::canonicalize("fixtures/mkip-2012-13").unwrap();
    let out = costshare()
        .current_dir(&dir)
        .args(["check-draft", "draft.md", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: No models were found in models (--models DIR): the draft is checked against the annual report's tables only."),
        "{out:?}"
    );
}

/// Partners named with Markdown's marks (`M*B_C`, `S|B\C <x>`): the report
/// writes them escaped, so its tables keep their columns and show the names
/// as written, and check-draft reads its own report.md back clean (26
/// findings before: every row naming them "a row the table does not have").
#[test]
fn names_with_markdown_marks_round_trip() {
    let dir = tmp("md-marks");
    std::fs::create_dir_all(dir.join("models")).unwrap();
    let model = std::fs::read_to_string("models/planning-support.toml")
        .unwrap()
        .replace("\"MBC\"", "\"M*B_C\"")
        .replace("MBC = ", "\"M*B_C\" = ")
        .replace("\"SBC\"", "\"S|B\\\\C <x>\"")
        .replace("SBC = ", "\"S|B\\\\C <x>\" = ")
        .replace(
            "Planning Support shared service",
            "Planning *Support* shared_ service",
        );
    std::fs::write(dir.join("models/ps.toml"), model).unwrap();
    costshare()
        .current_dir(&dir)
        .args(["report", "--models", "models", "--out", "out"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.join("out/ps/report.md")).unwrap();
    assert!(
        md.starts_with("# Planning \\*Support\\* shared\\_ service"),
        "{md}"
    );
    assert!(
        md.contains("| M\\*B_C | £253,753 | £207,299 | £46,454 |  | £46,454 |"),
        "{md}"
    );
    assert!(
        md.contains("(M\\*B_C £46,454, S\\|B\\\\C \\<x> £33,699, TWBC £73,908)"),
        "{md}"
    );
    std::fs::copy(dir.join("out/ps/report.md"), dir.join("draft.md")).unwrap();
    let out = costshare()
        .current_dir(&dir)
        .args(["check-draft", "draft.md", "--models", "models", "--strict"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // The day and year of "as at 12 June 2013" are no longer figures.
    assert!(
        text.starts_with("241 figures read: 0 findings; 0 figures found in no table"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0));
    // A placeholder in a table cell names the row as the table writes it
    // (`S\|B\\C \<x>`), and fill finds it: S|B\C <x>'s budget cost,
    // £303,926, as the savings table gives it (fill refused "no cell").
    std::fs::write(
        dir.join("fill.md"),
        "| Partner | Budget |\n|---|---:|\n| S\\|B\\\\C \\<x> | {{ps/savings:S\\|B\\\\C \\<x>:Budget cost 2013/14}} |\n",
    )
    .unwrap();
    fill(dir.join("fill.md"), dir.join("filled.md"))
        .current_dir(&dir)
        .args(["--models", "models"])
        .assert()
        .success();
    let filled = std::fs::read_to_string(dir.join("filled.md")).unwrap();
    assert!(
        filled.contains("| S\\|B\\\\C \\<x> | £303,926 |"),
        "{filled}"
    );
}

/// Every report costshare wrote (reports/, Markdown and Word) checks
/// clean against the recomputed tables, with no figure found nowhere.
/// Before: a model's report was checked against the annual report's
/// "Published figures that differ" (the first table of that title), and
/// found to have a row it does not; "94 published figures checked" and the
/// year of "12 July 2007" were listed as found in no table.
#[test]
fn every_bundled_report_checks_clean_against_itself() {
    let n = reports_check_clean(Path::new("reports"), Path::new("."));
    assert!(n >= 14, "{n} reports");
}

/// Runs `check-draft --strict` from `cwd` on every report (Markdown and
/// Word) one folder below `packs`: each checks clean, with no figure found
/// nowhere. How many there were.
fn reports_check_clean(packs: &Path, cwd: &Path) -> usize {
    let mut n = 0;
    for pack in std::fs::read_dir(packs).unwrap() {
        for f in std::fs::read_dir(pack.unwrap().path()).unwrap() {
            let f = f.unwrap().path();
            if !matches!(f.extension().and_then(|e| e.to_str()), Some("md" | "docx")) {
                continue;
            }
            let out = costshare()
                .current_dir(cwd)
                .args(["check-draft", "--strict"])
                .arg(&f)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{}: {err}", f.display());
            assert!(
                err.contains(" 0 findings; 0 figures found in no table"),
                "{}: {err}",
                f.display()
            );
            n += 1;
        }
    }
    n
}

/// The monthly monitoring reports `report` writes from costshare.toml's
/// `[monitoring]` are checked too (their figures were found in no table):
/// every report of the WLP pack checks clean against itself, partnership
/// and each authority alike (their tables share titles; the one the draft
/// agrees with is taken). BRK Legal's actual to date, £74,700.50 by hand
/// from fixtures/wlp-ledger (LEG01 £68,500.00 + LEG02 £6,200.50), typed
/// as £94,700.50 is found, in the introduction and in the table.
#[test]
fn monitoring_reports_are_checked() {
    let dir = tmp("wlp-monitoring");
    costshare()
        .current_dir("fixtures/wlp-2024-25")
        .args(["report", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let n = reports_check_clean(&dir, Path::new("fixtures/wlp-2024-25"));
    assert!(n >= 16, "{n} reports");
    let brk = dir.join("monitoring-2024-25-p08-brk/report.md");
    let text = std::fs::read_to_string(&brk).unwrap();
    assert!(text.contains("£74,700.50"), "{text}");
    std::fs::write(&brk, text.replace("£74,700.50", "£94,700.50")).unwrap();
    let out = costshare()
        .current_dir("fixtures/wlp-2024-25")
        .args(["check-draft", "--strict", "--format", "csv"])
        .arg(&brk)
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{found}");
    // Another authority's introduction, or another's row, in BRK's report
    // is found: the draft's own report (its title) is checked first.
    let cln = std::fs::read_to_string(dir.join("monitoring-2024-25-p08-cln/report.md")).unwrap();
    let (cln_intro, brk_intro) = (cln.lines().nth(2).unwrap(), text.lines().nth(2).unwrap());
    let cln_row = cln
        .lines()
        .find(|l| l.starts_with("| CLN | Legal |"))
        .unwrap();
    let foreign = text.replacen(brk_intro, cln_intro, 1).replacen(
        "| **Total** |",
        &format!("{cln_row}\n| **Total** |"),
        1,
    );
    let other = dir.join("foreign.md");
    std::fs::write(&other, foreign).unwrap();
    let out = costshare()
        .current_dir("fixtures/wlp-2024-25")
        .args(["check-draft", "--strict", "--format", "csv"])
        .arg(&other)
        .output()
        .unwrap();
    let mixed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{mixed}");
    assert!(
        mixed.contains("monitoring-2024-25-p08-brk: introduction"),
        "{mixed}"
    );
    assert!(
        mixed.contains("a row the table does not have,CLN / Legal"),
        "{mixed}"
    );
    // In the introduction (the report's two headlines) and in the table.
    assert!(
        found.contains("\"£94,700.50\",\"£74,700.50\",monitoring-2024-25-p08-brk: introduction"),
        "{found}"
    );
    assert!(
        found.contains("monitoring / BRK / Legal / Actual to date"),
        "{found}"
    );
}

/// Copies a folder of files (one level of folders below it).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        match p.is_dir() {
            true => copy_dir(&p, &dest),
            false => drop(std::fs::copy(&p, &dest).unwrap()),
        }
    }
}

/// A monitoring ledger with a line set aside (a date that is none): the
/// reports check-draft and fill work from leave its £1,000.00 out, so they
/// say so and exit 3, as report does (they exited 0, the draft "clean").
#[test]
fn a_ledger_line_set_aside_is_said_by_check_draft_and_fill() {
    let dir = tmp("wlp-set-aside");
    for f in ["wlp-2024-25", "wlp-ledger", "wlp-models"] {
        copy_dir(&Path::new("fixtures").join(f), &dir.join(f));
    }
    let ledger = dir.join("wlp-ledger/ledger.csv");
    let mut text = std::fs::read_to_string(&ledger).unwrap();
    text.push_str("31/13/2024,BRK,LEG01,1001,Not a date,1000.00\n");
    std::fs::write(&ledger, text).unwrap();
    let project = dir.join("wlp-2024-25");
    let draft = dir.join("draft.md");
    std::fs::write(
        &draft,
        "BRK: {{monitoring-2024-25-p08/monitoring:BRK / Legal:Actual to date}}\n",
    )
    .unwrap();
    let out = costshare()
        .current_dir(&project)
        .arg("check-draft")
        .arg(&draft)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(
        said.contains("Ledger lines were set aside reading the monitoring reports' ledger"),
        "{said}"
    );
    let out = costshare()
        .current_dir(&project)
        .arg("fill")
        .arg(&draft)
        .arg("--out")
        .arg(dir.join("filled.md"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let filled = std::fs::read_to_string(dir.join("filled.md")).unwrap();
    assert_eq!(filled, "BRK: £74,700.50\n");
}
