//! Options appraisal, as the Green Book's economic case sets it out: each
//! option (do minimum, the shared service, an alternative such as
//! outsourcing) against business as usual, with its costs, NPV, score,
//! payback and each council's own position, and the preferred option named
//! by a stated rule.

use crate::base::error::{Error, Result};
use crate::base::money::{Money, format_pounds};
use crate::base::table::{Cell, Table, Value};
use crate::case::appraise::payback_text;
use crate::case::calc::Case;
use crate::whatif::scenario::Scenario;
use rust_decimal::Decimal;

/// One option's figures.
struct Appraised {
    name: String,
    costs: Decimal,
    npv: Decimal,
    score: Option<Decimal>,
    payback: String,
    /// Each partner's own NPV (None: not in it, or no partner's case).
    partners: Vec<Option<Decimal>>,
}

impl Appraised {
    fn worse_off<'a>(&self, names: &'a [String]) -> Vec<&'a str> {
        crate::case::calc::worse_off(names, &self.partners)
    }
}

fn appraise(name: &str, c: &Case) -> Result<Appraised> {
    let f = c
        .figures()
        .map_err(|e| Error::usage(format!("option {name:?}: {e}")))?;
    // The case's figures carry each partner's own NPV already.
    let partners = f.partner_npv.clone();
    Ok(Appraised {
        name: name.to_string(),
        costs: f.score.costs,
        npv: f.score.npv,
        score: f.score.score,
        payback: payback_text(f.score.payback),
        partners,
    })
}

/// The preferred option: the highest NPV among those that leave no partner
/// worse off (business as usual always qualifies); ties to the first.
const RULE: &str = "the highest NPV among the options that leave no partner worse off (business as usual, NPV £0, always qualifies)";

fn preferred<'a>(all: &'a [Appraised], names: &[String]) -> &'a Appraised {
    let mut best = &all[0];
    for a in &all[1..] {
        if a.worse_off(names).is_empty() && a.npv > best.npv {
            best = a;
        }
    }
    best
}

/// Business as usual, the business case and each option side by side.
pub fn options_table(base: &Case, options: &[Scenario]) -> Result<Table> {
    let names: Vec<String> = base.partners.iter().map(|p| p.name.clone()).collect();
    let mut all = vec![Appraised {
        name: "Business as usual".into(),
        costs: Decimal::ZERO,
        npv: Decimal::ZERO,
        score: None,
        payback: "n/a".into(),
        partners: vec![Some(Decimal::ZERO); names.len()],
    }];
    all.push(appraise(
        &format!("{} (the business case)", base.name),
        base,
    )?);
    for o in options {
        all.push(appraise(&o.name, &o.apply(base)?)?);
    }
    let mut cols = vec![
        "Option".to_string(),
        "Costs".into(),
        "NPV".into(),
        "Investment score".into(),
        "Payback year".into(),
    ];
    cols.extend(names.iter().map(|n| format!("NPV: {n}")));
    cols.push("Partners worse off".into());
    let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut t = Table::new(
        "options",
        format!("{}: options against business as usual", base.name),
        &refs,
        1,
    );
    let m = |d: Decimal| Value::money(Money(d));
    for a in &all {
        let mut row = vec![
            Cell::label(&a.name),
            Cell::rule(
                m(a.costs),
                "costs over the appraisal, as the score counts them",
            ),
            Cell::rule(
                m(a.npv),
                "PV savings less PV costs, against business as usual",
            ),
            Cell::rule(
                a.score
                    .map(|s| Value::num(s, 2))
                    .unwrap_or(Value::na("n/a")),
                "PV savings / PV costs",
            ),
            Cell::rule(
                Value::text(&a.payback),
                "first year cumulative net benefit ≥ 0",
            ),
        ];
        for (p, v) in names.iter().zip(&a.partners) {
            row.push(match v {
                Some(v) => Cell::rule(
                    m(*v),
                    format!("{p}'s own NPV: its share of the costs against its own saving"),
                ),
                None => Cell::rule(
                    Value::na("n/a"),
                    format!("{p} is not in this option, or the case gives no partner's saving"),
                ),
            });
        }
        let worse = a.worse_off(&names);
        row.push(Cell::rule(
            Value::text(if worse.is_empty() {
                "none".to_string()
            } else {
                worse.join(", ")
            }),
            "partners whose own NPV is below zero",
        ));
        t.push(row);
    }
    let best = preferred(&all, &names);
    t.headline = format!(
        "Preferred option: {} (NPV {}).",
        best.name,
        format_pounds(best.npv, 0, Default::default())
    );
    t.notes.push(format!("The preferred option is {RULE}."));
    for o in options {
        let how: Vec<String> = o.set.iter().map(|(k, v)| base.setting(k, v)).collect();
        t.notes.push(match o.description.is_empty() {
            true => format!("{}: {}", o.name, how.join(", ")),
            false => format!("{}: {} ({})", o.name, o.description, how.join(", ")),
        });
    }
    Ok(t)
}
