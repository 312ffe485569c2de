//! The business-case calculations over a model: investment and its
//! tolerance, savings, apportionment, contributions and the investment score.

pub mod apportion;
pub mod appraise;
pub mod calc;
pub mod contributions;
pub mod investment;
pub mod near;
pub mod near_trial;
pub mod partners;
pub mod pathfinder;
pub mod savings;
pub mod score;
pub mod trueup;
