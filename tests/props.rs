//! Property tests: apportionment, money parsing and formatting.

use costshare::base::money::{self, Amount, Negatives};
use costshare::case::apportion::apportion;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn weights() -> impl Strategy<Value = Vec<(String, Decimal)>> {
    prop::collection::vec((0i64..10_000_000, 0u32..4), 1..8).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (m, s))| (format!("P{i}"), Decimal::new(m, s)))
            .collect()
    })
}

proptest! {
    #[test]
    fn parts_sum_exactly_and_stay_within_one_unit(
        total in -1_000_000_000_000i64..1_000_000_000_000i64,
        scale in 0u32..3,
        ws in weights(),
        pence in any::<bool>(),
    ) {
        prop_assume!(ws.iter().any(|(_, w)| !w.is_zero()));
        let amount = Decimal::new(total, scale);
        let unit = if pence { Decimal::new(1, 2) } else { Decimal::ONE };
        let parts = apportion(amount, &ws, unit).unwrap();
        let rounded_total = amount.round_dp_with_strategy(
            if pence { 2 } else { 0 },
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        );
        let sum: Decimal = parts.iter().map(|p| p.rounded).sum();
        prop_assert_eq!(sum, rounded_total);
        let wsum: Decimal = ws.iter().map(|(_, w)| *w).sum();
        for (p, (_, w)) in parts.iter().zip(&ws) {
            // Exact share of the rounded total, compared without division:
            // |rounded × Σw − total × w| < unit × Σw.
            let lhs = (p.rounded * wsum - rounded_total * *w).abs();
            prop_assert!(lhs < unit * wsum, "{:?} too far from its share", p);
            prop_assert_eq!((p.rounded / unit).fract(), Decimal::ZERO);
        }
    }

    #[test]
    fn each_part_is_within_one_unit_of_its_exact_share(
        units in -100_000_000_000i64..100_000_000_000i64,
        ws in weights(),
        pence in any::<bool>(),
    ) {
        prop_assume!(ws.iter().any(|(_, w)| !w.is_zero()));
        let unit = if pence { Decimal::new(1, 2) } else { Decimal::ONE };
        let amount = Decimal::from(units) * unit;
        let parts = apportion(amount, &ws, unit).unwrap();
        let wsum: Decimal = ws.iter().map(|(_, w)| *w).sum();
        for (p, (_, w)) in parts.iter().zip(&ws) {
            prop_assert!((p.rounded * wsum - amount * *w).abs() < unit * wsum);
            prop_assert!((p.rounded - p.exact).abs() < unit);
        }
        prop_assert_eq!(parts.iter().map(|p| p.rounded).sum::<Decimal>(), amount);
    }

    #[test]
    fn the_shown_share_percentages_add_to_100(ws in weights(), total in 0i64..1_000_000_000) {
        prop_assume!(ws.iter().any(|(_, w)| !w.is_zero()));
        let t = costshare::case::apportion::table(Decimal::from(total), &ws, Decimal::ONE, "weights").unwrap();
        let shown = |r: &costshare::base::table::Row| costshare::output::render::plain(&r.cells[2].value);
        let sum: Decimal = t.rows.iter().filter(|r| !r.total).map(|r| shown(r).parse::<Decimal>().unwrap()).sum();
        let total_row = t.rows.iter().find(|r| r.total).unwrap();
        prop_assert_eq!(shown(total_row), "100.00");
        prop_assert_eq!(sum, Decimal::ONE_HUNDRED);
    }

    #[test]
    fn zero_weight_partners_get_nothing(total in 0i64..1_000_000, n in 1usize..5) {
        let mut ws: Vec<(String, Decimal)> = (0..n).map(|i| (format!("P{i}"), Decimal::ONE)).collect();
        ws.push(("Z".into(), Decimal::ZERO));
        let parts = apportion(Decimal::from(total), &ws, Decimal::ONE).unwrap();
        prop_assert_eq!(parts.last().unwrap().rounded, Decimal::ZERO);
    }

    #[test]
    fn report_money_parses_back(m in -10_000_000_000i64..10_000_000_000i64, dp in 0u32..3, brackets in any::<bool>()) {
        let d = Decimal::new(m, 2);
        let neg = if brackets { Negatives::Brackets } else { Negatives::Minus };
        let shown = money::format_pounds(d, dp, neg);
        let back = money::parse_amount(&shown).unwrap();
        prop_assert_eq!(back, Amount::Value(money::round_dp(d, dp)));
    }

    #[test]
    fn plain_csv_money_parses_back(m in any::<i64>(), s in 0u32..6) {
        let d = Decimal::new(m, s);
        let shown = money::format_plain(d, s);
        if d.abs() <= money::MAX_AMOUNT {
            prop_assert_eq!(money::parse_amount(&shown).unwrap(), Amount::Value(d));
        } else {
            prop_assert!(money::parse_amount(&shown).is_err());
        }
    }

    /// The ledger's fast amount path agrees with the budget parser: the same
    /// texts accepted, the same values (pence plus any fraction of a penny).
    #[test]
    fn ledger_amounts_agree_with_budget_amounts(s in "[-(£]{0,2}[0-9,]{0,12}(\\.[0-9]{0,4})?[)]?") {
        let ledger = costshare::ledger::parse_amount(s.as_bytes());
        let budget = money::parse_amount(&s);
        match (ledger, budget) {
            (Ok(a), Ok(Amount::Value(d))) => {
                let back = Decimal::new(a.pence, 2) + a.sub_penny;
                prop_assert_eq!(back, d, "{:?}", s);
            }
            (Ok(a), other) => prop_assert!(false, "{:?}: ledger {:?}, budget {:?}", s, a, other),
            (Err(_), Ok(Amount::Value(d))) => prop_assert!(false, "{:?}: budget read {}", s, d),
            (Err(_), _) => {}
        }
    }

    #[test]
    fn percent_round_trips(m in -1_000_000i64..1_000_000, dp in 0u32..3) {
        let p = Decimal::new(m, 3);
        let shown = money::format_percent(p, dp, Negatives::Minus);
        prop_assert_eq!(money::parse_percent(&shown).unwrap(), money::round_dp(p, dp));
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,24}") {
        let _ = money::parse_amount(&s);
        let _ = money::parse_percent(&s);
    }

    #[test]
    fn float_cells_keep_their_typed_digits(m in -1_000_000_000i64..1_000_000_000, s in 0u32..3) {
        // A figure typed into a spreadsheet with up to 2 decimals is stored
        // as the nearest double; converting back gives the typed figure.
        let d = Decimal::new(m, s);
        let f: f64 = d.to_string().parse().unwrap();
        prop_assert_eq!(money::decimal_from_f64(f).unwrap().normalize(), d.normalize());
    }

    /// Blocks of any size, cut into stretches at guessed line ends, from a
    /// mapped file or a reader, give exactly what one sequential pass gives, on files with quoted fields
    /// spanning lines, doubled quotes, stray quotes, every kind of line
    /// ending, and a quote never closed (its reason names its lines).
    #[test]
    fn parallel_ledger_reader_equals_sequential(
        recs in prop::collection::vec((0usize..6, 0usize..5, -100_000i64..100_000, 0usize..3, 0usize..4), 1..60),
        block in 1usize..300,
        unclosed in any::<bool>(),
    ) {
        let descs = ["Stationery", "\"Printing, copying\"", "\"Two\nlines\"", "12\" monitor", "\"said \"\"hi\"\"\"", ""];
        let ends = ["\n", "\r\n", "\r"];
        let mut text = String::from("authority,cost_centre,description,amount\n");
        for (d, c, p, e, kind) in &recs {
            let amount = match kind {
                0 => format!("{}.{:02}", p / 100, (p % 100).abs()),
                1 => format!("\"{}\"", p),
                2 => "oops".to_string(),
                _ => format!("{}.5", p),
            };
            text.push_str(&format!("A,CC{c},{},{amount}{}", descs[*d], ends[*e]));
        }
        if unclosed {
            text.push_str("A,CC1,\"never closed,1\nA,CC2,x,2\n");
        }
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("prop");
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("l.csv");
        std::fs::write(&p, &text).unwrap();
        let cols = costshare::ledger::Columns::default();
        let whole = costshare::ledger::read_csv_blocks(&p, &cols, 1 << 30, &mut |_, _| {}).unwrap();
        let parts = costshare::ledger::read_csv_blocks(&p, &cols, block, &mut |_, _| {}).unwrap();
        // The same bytes from a reader (a thread reading pieces), not a map.
        let mut r = text.as_bytes();
        let read = costshare::ledger::read_csv_from(
            &mut r, text.len() as u64, "l.csv", &cols, block, &mut |_, _| {}, &mut |_| Ok(()),
        ).unwrap();
        prop_assert_eq!(&read.totals, &whole.totals);
        prop_assert_eq!(read.total_pence, whole.total_pence);
        prop_assert_eq!(read.bad, whole.bad);
        prop_assert_eq!(&parts.totals, &whole.totals);
        prop_assert_eq!(parts.total_pence, whole.total_pence);
        prop_assert_eq!(parts.total_sub_penny, whole.total_sub_penny);
        let lines = |t: &costshare::ledger::LedgerTotals| t.bad_lines.iter().map(|b| (b.line, b.reason.clone())).collect::<Vec<_>>();
        prop_assert_eq!(lines(&parts), lines(&whole));
        prop_assert_eq!(parts.rows + parts.bad + parts.blank, whole.rows + whole.bad + whole.blank);
    }

    #[test]
    fn csv_import_never_panics_and_keeps_every_line(lines in prop::collection::vec("[a-zA-Z0-9,£()\"\\-. ]{0,30}", 0..20)) {
        let text = lines.join("\n");
        if let Ok(g) = costshare::input::import::read_csv_str("prop.csv", &text) {
            let nonblank = g.rows.iter().filter(|r| r.cells.iter().any(|c| !c.is_empty())).count();
            prop_assert!(nonblank <= lines.len());
        }
    }
}
