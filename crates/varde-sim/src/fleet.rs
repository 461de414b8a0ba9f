//! The background fleet: how many vessels of each kind and flag, and their
//! identities and plans, all drawn from one seeded generator.

use crate::identity::{random_identity, Identity, VesselKind};
use crate::names::random_name;
use crate::plan::{plan_for, Plan, Slots};
use rand::Rng;
use std::collections::HashSet;

/// Fleet mix: (kind, share of vessels, share flagged abroad).
pub const MIX: &[(VesselKind, f64, f64)] = &[
    (VesselKind::Cargo, 0.24, 0.45),
    (VesselKind::Tanker, 0.10, 0.6),
    (VesselKind::Passenger, 0.05, 0.0),
    (VesselKind::Fishing, 0.30, 0.15),
    (VesselKind::Supply, 0.08, 0.1),
    (VesselKind::Tug, 0.04, 0.0),
    (VesselKind::Sar, 0.02, 0.0),
    (VesselKind::LawEnforcement, 0.01, 0.0),
    (VesselKind::Military, 0.01, 0.0),
    (VesselKind::Research, 0.01, 0.0),
    (VesselKind::Pleasure, 0.14, 0.2),
];

/// Foreign flags by kind of trade (fishing fleets abroad are mostly Russian).
fn foreign_flag(kind: VesselKind, rng: &mut impl Rng) -> &'static str {
    const MERCHANT: &[&str] = &["LR", "MH", "PA", "DK", "SE", "DE", "GB", "FI", "CN", "RU"];
    const FISH: &[&str] = &["RU", "RU", "RU", "DK", "GB", "DE"];
    const LEISURE: &[&str] = &["SE", "DK", "DE", "FI"];
    let list = match kind {
        VesselKind::Fishing => FISH,
        VesselKind::Pleasure => LEISURE,
        _ => MERCHANT,
    };
    list[rng.gen_range(0..list.len())]
}

/// One background vessel.
#[derive(Debug, Clone)]
pub struct Member {
    /// What it is.
    pub kind: VesselKind,
    /// What it transmits.
    pub identity: Identity,
    /// What it does, in a loop.
    pub plan: Plan,
}

/// Draws `n` vessels. MMSIs are unique and avoid `reserved` (the MMSIs of
/// scripted incident vessels).
pub fn fleet(n: usize, reserved: &HashSet<u32>, rng: &mut impl Rng) -> Vec<Member> {
    let mut used = reserved.clone();
    let mut slots = Slots::default();
    let total: f64 = MIX.iter().map(|m| m.1).sum();
    (0..n)
        .map(|i| {
            let mut x = rng.gen_range(0.0..total);
            let (kind, _, abroad) = *MIX
                .iter()
                .find(|m| {
                    x -= m.1;
                    x < 0.0
                })
                .unwrap_or(&MIX[0]);
            let flag = if rng.gen_bool(abroad) {
                foreign_flag(kind, rng)
            } else {
                "NO"
            };
            let name = random_name(kind, flag, i, rng);
            let mut identity = random_identity(kind, flag, name, rng);
            while !used.insert(identity.mmsi) {
                identity.mmsi = crate::identity::random_mmsi(flag, rng);
            }
            let plan = plan_for(kind, identity.service_kn, &mut slots, rng);
            Member {
                kind,
                identity,
                plan,
            }
        })
        .collect()
}
