//! A seeded generator for the unit tests' random points (no dependency, same sequence everywhere).

/// Uniform numbers in [0, 1) from a 64-bit LCG seeded with `seed`.
pub fn uniform(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}
