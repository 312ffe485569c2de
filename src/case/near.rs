//! Whether each partner is worse off, from its proportional share of each
//! year's costs rather than its apportioned one: the simulation's count.
//!
//! Apportioning a year's costs between the partners (largest remainder,
//! to the pound or penny) was half a trial's time, though the count asks
//! only for the sign of each partner's own NPV. An apportioned part lies
//! within one unit (a pound at most) of the exact proportional share, so
//! the NPV is worked in floating point from the shares, beside a bound
//! that adds those units, discounted, to the rounding bound of
//! `own_npv_sign`. Only a sign within the bound of zero, or a case whose
//! exact apportionment could fail, is left to the exact path.

use crate::case::apportion::Apportioner;
use crate::case::appraise::{self, NearCosts, float};
use crate::case::calc::{Case, CaseItem, NEVER};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// How far an apportioned part may lie from its proportional share, in
/// pounds: under one unit (a pound or a penny) for the remainder, half a
/// penny for a total rounded to the penny first; a half to spare.
const SLACK_UNITS: f64 = 1.5;

/// Each partner's costs by window year in floating point: the cost, its
/// size and its slack (`NearCosts`), partner by partner.
struct Near {
    cost: Vec<f64>,
    size: Vec<f64>,
    slack: Vec<f64>,
    window: usize,
}

impl Near {
    /// A share of a year's cost (and of its size) at price factor `pf`.
    fn add(&mut self, (i, t): (usize, usize), (share, size): (f64, f64), pf: f64) {
        let k = i * self.window + t;
        self.cost[k] += share * pf;
        self.size[k] += size * pf.abs();
        self.slack[k] += SLACK_UNITS * pf.abs();
    }

    fn of(&self, i: usize, roundings: usize) -> NearCosts<'_> {
        let r = i * self.window..(i + 1) * self.window;
        NearCosts {
            cost: &self.cost[r.clone()],
            size: &self.size[r.clone()],
            slack: &self.slack[r],
            roundings,
        }
    }
}

/// Figures in floating point (`float`), each within four roundings.
pub(crate) fn floats(v: &[Decimal]) -> Vec<f64> {
    v.iter().map(|&d| float(d)).collect()
}

impl Case {
    /// The signs `each_partner` with `own_npv_sign` gives (each partner's
    /// own NPV against zero; None for one that never joins), from
    /// proportional shares. None, for the caller to work them exactly, when
    /// a sign is too close to call, when partners pay joining fees or exit
    /// costs (moved between partners after the apportionment), or wherever
    /// the exact apportionment could fail or find no weights. `profile` is
    /// the priced realisation profile in floating point and how far each
    /// year's exact share may lie beyond its rounding (empty: no further).
    pub(crate) fn partner_signs_near(
        &self,
        pc: &[Decimal],
        profile: (&[f64], &[f64]),
    ) -> Option<Vec<Option<Ordering>>> {
        let fees =
            |p: &crate::case::calc::CasePartner| !p.joining_fee.is_zero() || !p.exit_cost.is_zero();
        if self.partners.iter().any(fees) {
            return None;
        }
        let (np, window) = (self.partners.len(), self.window);
        let mut near = Near {
            cost: vec![0.0; np * window],
            size: vec![0.0; np * window],
            slack: vec![0.0; np * window],
            window,
        };
        let bases = self.cost_bases();
        for basis in &bases {
            self.near_shares(basis, &mut near)?;
        }
        // Four roundings for each conversion and one for each operation:
        // the items' sum, the weights' sum, the share, the uplift, the
        // price factor, the bases' sum; twice over.
        let items = self.items.len();
        let roundings = 2 * (items + np + bases.len()) + 60;
        let nets = self.nets_of(pc);
        let dfs = appraise::float_factors(self.shown_rate_pct(), window);
        let mut signs = Vec::with_capacity(np);
        for (i, p) in self.partners.iter().enumerate() {
            signs.push(match p.joins {
                NEVER => None,
                _ => Some(appraise::own_npv_sign_near(
                    &near.of(i, roundings),
                    (nets[i], p.joins, p.leaves),
                    profile,
                    &dfs,
                )?),
            });
        }
        Some(signs)
    }

    /// Adds each partner's proportional share of the costs shared by
    /// `basis` to `near`, every year the exact `shares` apportions (beyond
    /// the window too, where only its failures matter). None where `shares`
    /// could fail or finds no weights.
    fn near_shares(&self, basis: &crate::model::Basis, near: &mut Near) -> Option<()> {
        let w = self.weight_values_for(basis).ok()?;
        let wf: Vec<f64> = w.iter().map(|&x| float(x)).collect();
        let (up, upf) = (self.uplift(), float(self.uplift()));
        let mine = |i: &CaseItem| self.shared_by(i, basis);
        let items: Vec<&CaseItem> = self.items.iter().filter(|i| mine(i)).collect();
        let mut engaged: Vec<usize> = Vec::new();
        let mut ready: Option<(Vec<usize>, Apportioner, f64)> = None;
        for t in 0..self.span {
            self.engaged_in(t, &mut engaged);
            // The year's cost (`cost_in`) and its size, in floating point.
            let (mut cost, mut size) = (0f64, 0f64);
            for i in &items {
                let a = float(i.amounts[t]);
                (cost, size) = (cost + a, size + a.abs());
            }
            let (cost, size) = (cost * upf, size * upf.abs());
            if engaged.is_empty() {
                // `shares` refuses costs no one shares.
                match size == 0.0 || self.cost_in(t, up, mine).is_zero() {
                    true => continue,
                    false => return None,
                }
            }
            let (e, a, total) = match ready.take() {
                Some(r) if r.0 == engaged => r,
                _ => {
                    let ws: Vec<Decimal> = engaged.iter().map(|&i| w[i]).collect();
                    let a = Apportioner::new(&ws).ok()?;
                    (engaged.clone(), a, engaged.iter().map(|&i| wf[i]).sum())
                }
            };
            // A sum of weights that is not a positive number (NaN too).
            if !a.fits(size * 1.01) || total.partial_cmp(&0.0) != Some(Ordering::Greater) {
                return None;
            }
            if t < self.window {
                let pf = float(self.price_factors(t).0);
                for &i in &e {
                    let share = wf[i] / total;
                    near.add((i, t), (cost * share, size * share), pf);
                }
            }
            ready = Some((e, a, total));
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::simulate::parse_range;

    fn case(model: &str) -> Case {
        let m = crate::model::Model::load(std::path::Path::new(model)).unwrap();
        Case::from_model(&m).unwrap()
    }

    /// The signs from proportional shares, when given; and the exact ones.
    fn both(c: &Case) -> (Option<Vec<Option<Ordering>>>, Vec<Option<Ordering>>) {
        let pc = c.saving_costs().unwrap();
        let near = pc.and_then(|pc| c.partner_signs_near(&pc, (&floats(&c.priced_profile()), &[])));
        let exact = c.partner_npvs().unwrap();
        (
            near,
            exact
                .iter()
                .map(|n| n.map(|n| n.cmp(&Decimal::ZERO)))
                .collect(),
        )
    }

    /// Random cases drawn wide (savings from none to half as much again,
    /// costs up to double, late savings, other weights) in models with one
    /// basis, with an item and the running cost on bases of their own, with
    /// a partner worse off, and with a late joiner (its fee taken away):
    /// where the filter gives signs they are the exact ones, and it gives
    /// them in most trials (the point of it).
    #[test]
    fn near_signs_are_the_exact_ones() {
        let drawn = [
            "savings.realisation=0..1.5",
            "optimism_bias_pct=0..100",
            "savings.slip_months=0..24",
        ];
        for model in [
            "models/planning-support.toml",
            "models/environmental-health.toml",
            "tests/models/bases.toml",
            "tests/models/worse-off.toml",
            "tests/models/joining-fee.toml",
        ] {
            let mut base = case(model);
            for p in &mut base.partners {
                p.joining_fee = Decimal::ZERO;
            }
            let ranges: Vec<_> = drawn
                .iter()
                .map(|r| parse_range(&base, r).unwrap())
                .collect();
            let mut rng = crate::base::rng::Rng::new(11);
            let mut given = 0;
            for _ in 0..2_000 {
                let mut c = base.clone();
                for r in &ranges {
                    let v = r.draw(&mut rng);
                    c.apply(r.target, v);
                }
                let (near, exact) = both(&c);
                if let Some(near) = near {
                    assert_eq!(near, exact, "{model}");
                    given += 1;
                }
            }
            assert!(given > 1_900, "{model}: {given} of 2,000");
        }
    }

    /// Where a partner's own NPV is within pounds of zero (SBC's in the
    /// Planning Support case, at the share of savings realised that makes
    /// it nil, found by halving to 28 digits), the filter gives no signs,
    /// and a trial's signs are the exact ones; a penny's worth either side
    /// too. A case with a joining fee is left to the exact path.
    #[test]
    fn near_zero_is_left_to_the_exact_path() {
        let mut c = case("models/planning-support.toml");
        let sbc = c.partners.iter().position(|p| p.name == "SBC").unwrap();
        let npv = |c: &mut Case, r: Decimal| {
            c.realisation_factor = r;
            c.partner_npvs().unwrap()[sbc].unwrap()
        };
        let (mut lo, mut hi) = (Decimal::ZERO, Decimal::TWO);
        assert!(npv(&mut c, lo) < Decimal::ZERO && npv(&mut c, hi) > Decimal::ZERO);
        for _ in 0..100 {
            let mid = (lo + hi) / Decimal::TWO;
            match npv(&mut c, mid) < Decimal::ZERO {
                true => lo = mid,
                false => hi = mid,
            }
        }
        for r in [lo, hi, lo - Decimal::new(1, 7), hi + Decimal::new(1, 7)] {
            let n = npv(&mut c, r);
            let (near, exact) = both(&c);
            if n.abs() < Decimal::from(5) {
                assert_eq!(near, None, "{r}: {n}");
            }
            assert_eq!(c.trial(true).unwrap().partner_signs, exact, "{r}");
        }
        let fee = case("tests/models/joining-fee.toml");
        assert_eq!(both(&fee).0, None);
    }
}

#[cfg(test)]
mod uplift_tests {
    use crate::case::calc::Case;
    use rust_decimal::Decimal;

    /// The uplift kept from the last call is the one its bias gives, byte
    /// for byte, whichever bias came before: 40 and 40.0 (one value, two
    /// spellings), zero, and the same bias again.
    #[test]
    fn the_kept_uplift_is_the_biases_own() {
        let m = crate::model::Model::load(std::path::Path::new("models/planning-support.toml"));
        let mut c = Case::from_model(&m.unwrap()).unwrap();
        for bias in ["40", "40.0", "40.0", "0", "0.00", "12.345", "40", "-5"] {
            c.optimism_bias_pct = bias.parse().unwrap();
            let want = Decimal::ONE + c.optimism_bias_pct / Decimal::ONE_HUNDRED;
            assert_eq!(c.uplift().serialize(), want.serialize(), "{bias}");
        }
    }
}
