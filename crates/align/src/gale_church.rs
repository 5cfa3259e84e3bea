//! The Gale–Church (1993) length model, kept as the baseline: lengths in UTF-8 bytes, the
//! expected ratio `c` measured on the text pair, the paper's variance 6.8 and bead priors.

/// Bead shapes and their prior probabilities, as published.
pub(crate) const SHAPES: &[((usize, usize), f64)] = &[
    ((1, 1), 0.89),
    ((1, 0), 0.0099 / 2.0),
    ((0, 1), 0.0099 / 2.0),
    ((2, 1), 0.089 / 2.0),
    ((1, 2), 0.089 / 2.0),
    ((2, 2), 0.011),
];

/// The paper's variance of the length difference per source character.
pub(crate) const S2: f64 = 6.8;

/// `-ln P(|δ| ≥ observed)` for the bead of lengths `l1`, `l2`, as the paper's program computes it.
pub(crate) fn match_cost(l1: f64, l2: f64, c: f64, s2: f64) -> f64 {
    if l1 == 0.0 && l2 == 0.0 {
        return 0.0;
    }
    let mean = (l1 + l2 / c) / 2.0;
    let z = (c * l1 - l2) / (s2 * mean).sqrt();
    let p = erfc(z.abs() / std::f64::consts::SQRT_2);
    -(p.max(1e-300)).ln()
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7).
pub(crate) fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-6);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 1e-6);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-6);
    }

    #[test]
    fn equal_lengths_cost_nothing() {
        assert!(match_cost(100.0, 100.0, 1.0, S2) < 1e-6);
        assert!(match_cost(100.0, 150.0, 1.0, S2) > match_cost(100.0, 110.0, 1.0, S2));
    }
}
