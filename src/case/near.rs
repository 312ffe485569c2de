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

use crate::base::bounded::Bounded;
use crate::case::apportion::Apportioner;
use crate::case::appraise::{self, NearCosts, float};
use crate::case::calc::{Case, CaseItem, NEVER, net_of};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// How far an apportioned part may lie from its proportional share, in
/// pounds: under one unit (a pound or a penny) for the remainder, half a
/// penny for a total rounded to the penny first; a half to spare.
const SLACK_UNITS: f64 = 1.5;

/// Each partner's costs by window year in floating point: the cost, its
/// size and its slack (`NearCosts`), partner by partner.
#[derive(Default)]
struct Near {
    cost: Vec<f64>,
    size: Vec<f64>,
    slack: Vec<f64>,
    window: usize,
}

/// `partner_signs_near`'s working space, kept by a caller that asks for
/// signs trial after trial (it was three allocations a trial and more).
#[derive(Default)]
pub struct Scratch {
    near: Near,
    pub(crate) signs: Vec<Option<Ordering>>,
}

impl Near {
    /// Nought for `np` partners over `window` years.
    fn reset(&mut self, np: usize, window: usize) {
        for v in [&mut self.cost, &mut self.size, &mut self.slack] {
            v.clear();
            v.resize(np * window, 0.0);
        }
        self.window = window;
    }

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

impl Case {
    /// Every item's amount in every year of the span, bounded, item by
    /// item (`i * span + t`).
    pub(crate) fn near_amounts(&self) -> Vec<Bounded> {
        let all = self.items.iter().flat_map(|i| &i.amounts[..self.span]);
        all.map(|&a| Bounded::of(a)).collect()
    }

    /// The discount factors at the rate shown, bounded.
    pub(crate) fn near_factors(&self) -> Vec<Bounded> {
        appraise::near_factors(self.shown_rate_pct(), self.window)
    }
}

/// Figures bounded (`Bounded::of`).
pub(crate) fn bounded(v: &[Decimal]) -> Vec<Bounded> {
    v.iter().map(|&d| Bounded::of(d)).collect()
}

/// What `partner_signs_near` works out of a case before its costs: each
/// basis's items, weights and yearly apportioners. A simulation whose draws
/// leave the weights alone (`Target::moves_partner_costs`) works it once a
/// block (`Case::shares_prep`); it was a third of a trial's time.
pub struct SharesPrep {
    bases: Vec<BasisPrep>,
    roundings: usize,
}

/// One basis's part of `SharesPrep`.
struct BasisPrep {
    basis: crate::model::Basis,
    /// The items it shares, by index.
    items: Vec<usize>,
    /// Each partner's weight in floating point.
    wf: Vec<f64>,
    /// Each year of the span: the group of partners sharing its costs
    /// (index into `groups`), None when no partner is in.
    years: Vec<Option<usize>>,
    /// The partners in, their apportioner and the sum of their weights.
    groups: Vec<(Vec<usize>, Apportioner, f64)>,
}

impl Case {
    /// `SharesPrep` for this case: None where the exact apportionment could
    /// fail or finds no weights whatever the costs, or partners pay joining
    /// fees or exit costs (moved between partners after the apportionment).
    pub fn shares_prep(&self) -> Option<SharesPrep> {
        let fees =
            |p: &crate::case::calc::CasePartner| !p.joining_fee.is_zero() || !p.exit_cost.is_zero();
        if self.partners.iter().any(fees) {
            return None;
        }
        let bases = self.cost_bases();
        // Four roundings for each conversion and one for each operation:
        // the items' sum, the weights' sum, the share, the uplift, the
        // price factor, the bases' sum; twice over.
        let roundings = 2 * (self.items.len() + self.partners.len() + bases.len()) + 60;
        let bases = bases
            .into_iter()
            .map(|b| self.basis_prep(b))
            .collect::<Option<Vec<_>>>()?;
        Some(SharesPrep { bases, roundings })
    }

    fn basis_prep(&self, basis: &crate::model::Basis) -> Option<BasisPrep> {
        let w = self.weight_values_for(basis).ok()?;
        let wf: Vec<f64> = w.iter().map(|&x| float(x)).collect();
        let items = (0..self.items.len())
            .filter(|&i| self.shared_by(&self.items[i], basis))
            .collect();
        let (mut years, mut groups) = (Vec::with_capacity(self.span), Vec::new());
        let mut engaged: Vec<usize> = Vec::new();
        for t in 0..self.span {
            self.engaged_in(t, &mut engaged);
            if engaged.is_empty() {
                years.push(None);
                continue;
            }
            let g = match groups.iter().position(|(e, _, _)| *e == engaged) {
                Some(g) => g,
                None => {
                    let ws: Vec<Decimal> = engaged.iter().map(|&i| w[i]).collect();
                    let a = Apportioner::new(&ws).ok()?;
                    let total: f64 = engaged.iter().map(|&i| wf[i]).sum();
                    // A sum of weights that is not a positive number (NaN too).
                    if total.partial_cmp(&0.0) != Some(Ordering::Greater) {
                        return None;
                    }
                    groups.push((engaged.clone(), a, total));
                    groups.len() - 1
                }
            };
            years.push(Some(g));
        }
        Some(BasisPrep {
            basis: basis.clone(),
            items,
            wf,
            years,
            groups,
        })
    }

    /// The signs `each_partner` with `own_npv_sign` gives (each partner's
    /// own NPV against zero; None for one that never joins), from
    /// proportional shares. None, for the caller to work them exactly, when
    /// a sign is too close to call or `shares_prep` gives none. `profile` is
    /// the priced realisation profile bounded; `kept` the case's
    /// `shares_prep` when the caller keeps one, the discount factors
    /// (`near_factors`) and the items' amounts (`near_amounts`); the signs
    /// are written in `scratch`.
    pub(crate) fn partner_signs_near<'s>(
        &self,
        pc: &[Decimal],
        profile: &[Bounded],
        (prep, dfs, amounts): (Option<&SharesPrep>, &[Bounded], &[Bounded]),
        scratch: &'s mut Scratch,
    ) -> Option<&'s [Option<Ordering>]> {
        let own;
        let prep = match prep {
            Some(p) => p,
            None => {
                own = self.shares_prep()?;
                &own
            }
        };
        let near = &mut scratch.near;
        near.reset(self.partners.len(), self.window);
        for b in &prep.bases {
            self.near_shares(b, amounts, near)?;
        }
        let shared = self.has_shared_cost();
        scratch.signs.clear();
        for (i, (p, &c)) in self.partners.iter().zip(pc).enumerate() {
            scratch.signs.push(match p.joins {
                NEVER => None,
                _ => Some(appraise::own_npv_sign_near(
                    &near.of(i, prep.roundings),
                    (net_of(p, c, shared), p.joins, p.leaves),
                    profile,
                    dfs,
                )?),
            });
        }
        Some(&scratch.signs)
    }

    /// Adds each partner's proportional share of the costs shared by the
    /// basis `b` to `near`, every year the exact `shares` apportions (beyond
    /// the window too, where only its failures matter). None where `shares`
    /// could fail on these costs. `amounts` are `near_amounts`.
    fn near_shares(&self, b: &BasisPrep, amounts: &[Bounded], near: &mut Near) -> Option<()> {
        let (up, upf) = (self.uplift(), float(self.uplift()));
        for t in 0..self.span {
            // The year's cost (`cost_in`) and its size, in floating point.
            let (mut cost, mut size) = (0f64, 0f64);
            for &i in &b.items {
                let a = amounts[i * self.span + t].v;
                (cost, size) = (cost + a, size + a.abs());
            }
            let (cost, size) = (cost * upf, size * upf.abs());
            let Some(g) = b.years[t] else {
                // `shares` refuses costs no one shares.
                let mine = |i: &CaseItem| self.shared_by(i, &b.basis);
                match size == 0.0 || self.cost_in(t, up, mine).is_zero() {
                    true => continue,
                    false => return None,
                }
            };
            let (e, a, total) = &b.groups[g];
            if !a.fits(size * 1.01) {
                return None;
            }
            if t < self.window {
                let pf = float(self.price_factors(t).0);
                for &i in e {
                    let share = b.wf[i] / total;
                    near.add((i, t), (cost * share, size * share), pf);
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::simulate::parse_range;

    /// The signs from proportional shares, when given; and the exact ones.
    fn both(c: &Case) -> (Option<Vec<Option<Ordering>>>, Vec<Option<Ordering>>) {
        let pc = c.saving_costs().unwrap();
        let near = pc.and_then(|pc| {
            c.partner_signs_near(
                &pc,
                &bounded(&c.priced_profile()),
                (None, &c.near_factors(), &c.near_amounts()),
                &mut Scratch::default(),
            )
            .map(|s| s.to_vec())
        });
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
            let mut base = Case::of_file(model);
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
        let mut c = Case::of_file("models/planning-support.toml");
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
        let fee = Case::of_file("tests/models/joining-fee.toml");
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
