//! Vessel identities: MMSI with a realistic MID, IMO number with a valid
//! check digit, call sign with the flag's ITU prefix, name, ship type and
//! dimensions.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// What a vessel is; decides its ship type, size, speed, class and route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VesselKind {
    /// General cargo / container / bulk, AIS types 70–79.
    Cargo,
    /// Oil, chemical or gas tanker, AIS types 80–89.
    Tanker,
    /// Coastal express and ferries, AIS types 60–69.
    Passenger,
    /// Fishing vessel, AIS type 30.
    Fishing,
    /// Offshore supply vessel serving fields, AIS type 90 ("other").
    Supply,
    /// Tug, AIS type 52.
    Tug,
    /// Search and rescue vessel, AIS type 51.
    Sar,
    /// Coast Guard / law enforcement, AIS type 55.
    LawEnforcement,
    /// Naval vessel, AIS type 35.
    Military,
    /// Research vessel, AIS type 90 ("other").
    Research,
    /// Pleasure craft with a Class B transponder, AIS type 37.
    Pleasure,
}

impl VesselKind {
    /// AIS "type of ship and cargo" code for this kind (first digit fixed,
    /// second drawn for cargo, tanker and passenger).
    pub fn ship_type(self, rng: &mut impl Rng) -> u8 {
        match self {
            Self::Cargo => 70 + rng.gen_range(0..=4),
            Self::Tanker => 80 + rng.gen_range(0..=4),
            Self::Passenger => 60 + rng.gen_range(0..=9),
            Self::Fishing => 30,
            Self::Supply | Self::Research => 90,
            Self::Tug => 52,
            Self::Sar => 51,
            Self::LawEnforcement => 55,
            Self::Military => 35,
            Self::Pleasure => 37,
        }
    }

    /// Typical (length range m, beam/length ratio, service speed range kn).
    fn size_and_speed(self) -> ((u16, u16), f64, (f64, f64)) {
        match self {
            Self::Cargo => ((80, 200), 0.16, (10.0, 15.0)),
            Self::Tanker => ((110, 250), 0.18, (11.0, 14.0)),
            Self::Passenger => ((90, 140), 0.16, (14.0, 16.5)),
            Self::Fishing => ((15, 75), 0.22, (9.0, 12.0)),
            Self::Supply => ((70, 95), 0.22, (11.0, 14.0)),
            Self::Tug => ((25, 40), 0.35, (8.0, 11.0)),
            Self::Sar => ((15, 25), 0.28, (18.0, 26.0)),
            Self::LawEnforcement => ((50, 100), 0.17, (10.0, 16.0)),
            Self::Military => ((60, 135), 0.13, (12.0, 18.0)),
            Self::Research => ((50, 100), 0.2, (10.0, 12.0)),
            Self::Pleasure => ((8, 15), 0.3, (6.0, 20.0)),
        }
    }
}

/// Flag states used by the simulator, with their MIDs (ITU maritime
/// identification digits) and call-sign prefixes.
pub const FLAGS: &[(&str, &[u32], &str)] = &[
    ("NO", &[257, 258, 259], "L"),
    ("RU", &[273], "UB"),
    ("CN", &[412, 413], "BP"),
    ("FI", &[230], "OJ"),
    ("DK", &[219, 220], "OU"),
    ("SE", &[265, 266], "SK"),
    ("DE", &[211, 218], "DC"),
    ("GB", &[235], "MZ"),
    ("LR", &[636], "5L"),
    ("MH", &[538], "V7"),
    ("PA", &[352], "3E"),
    ("CK", &[518], "E5"),
    ("HK", &[477], "VR"),
];

/// The full identity a vessel transmits (type 5 / type 24) plus its class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// Maritime Mobile Service Identity (9 digits, MID first).
    pub mmsi: u32,
    /// IMO ship number (7 digits, valid check digit); 0 = none (small craft).
    pub imo: u32,
    /// Ship name, upper-case ASCII, at most 20 characters.
    pub name: String,
    /// Call sign, at most 7 characters.
    pub callsign: String,
    /// AIS type of ship and cargo.
    pub ship_type: u8,
    /// Length overall in metres.
    pub length_m: u16,
    /// Beam in metres.
    pub beam_m: u8,
    /// Draught in 1/10 metre.
    pub draught_dm: u8,
    /// Class B transponder (type 18/24) instead of Class A (type 1/5).
    pub class_b: bool,
    /// Service speed in knots.
    pub service_kn: f64,
}

/// The MID of an MMSI (its first three digits).
pub fn mid(mmsi: u32) -> u32 {
    mmsi / 1_000_000
}

/// The two-letter flag code of a MID from [`FLAGS`], if known here.
pub fn flag_of_mid(mid: u32) -> Option<&'static str> {
    FLAGS
        .iter()
        .find(|(_, mids, _)| mids.contains(&mid))
        .map(|(f, _, _)| *f)
}

/// IMO check digit of the six leading digits (weights 7..2, last digit of
/// the sum).
pub fn imo_check_digit(first6: u32) -> u32 {
    let mut sum = 0;
    let mut n = first6;
    for w in 2..=7 {
        sum += (n % 10) * w;
        n /= 10;
    }
    sum % 10
}

/// True when `imo` has seven digits and a valid check digit.
pub fn imo_is_valid(imo: u32) -> bool {
    (1_000_000..=9_999_999).contains(&imo) && imo_check_digit(imo / 10) == imo % 10
}

/// A random IMO number in the 9 000 000 range (ships built after ~1990).
pub fn random_imo(rng: &mut impl Rng) -> u32 {
    let first6 = rng.gen_range(900_000..=999_999);
    first6 * 10 + imo_check_digit(first6)
}

/// A random MMSI for `flag` (ship station: MID + six digits, often ending
/// in zeros as real assignments do).
pub fn random_mmsi(flag: &str, rng: &mut impl Rng) -> u32 {
    let mids = FLAGS
        .iter()
        .find(|(f, _, _)| *f == flag)
        .map_or(&[257][..], |(_, m, _)| *m);
    let mid = mids[rng.gen_range(0..mids.len())];
    let tail = if rng.gen_bool(0.5) {
        rng.gen_range(100..1000) * 1000
    } else {
        rng.gen_range(0..1_000_000)
    };
    mid * 1_000_000 + tail
}

/// A random call sign with the ITU prefix of `flag`.
pub fn random_callsign(flag: &str, rng: &mut impl Rng) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let prefix = FLAGS
        .iter()
        .find(|(f, _, _)| *f == flag)
        .map_or("L", |(_, _, p)| *p);
    let mut s = String::from(prefix);
    if flag == "NO" {
        s.push(char::from(b"ACDEFGHIJKLMN"[rng.gen_range(0..13)]));
    }
    while s.len() < 5 {
        s.push(char::from(ALNUM[rng.gen_range(0..26)]));
    }
    s.push(char::from(ALNUM[rng.gen_range(26..36)]));
    s
}

/// Builds a random identity of `kind` flagged in `flag`; `name` comes from
/// [`crate::names`].
pub fn random_identity(kind: VesselKind, flag: &str, name: String, rng: &mut impl Rng) -> Identity {
    let ((lmin, lmax), beam_ratio, (vmin, vmax)) = kind.size_and_speed();
    let length_m = rng.gen_range(lmin..=lmax);
    let beam_m = ((f64::from(length_m) * beam_ratio).round() as u8).max(3);
    let class_b = kind == VesselKind::Pleasure || (kind == VesselKind::Fishing && length_m < 20);
    let draught_dm = ((f64::from(length_m) * rng.gen_range(0.045..0.065)) * 10.0)
        .round()
        .min(250.0) as u8;
    Identity {
        mmsi: random_mmsi(flag, rng),
        imo: if class_b { 0 } else { random_imo(rng) },
        name,
        callsign: random_callsign(flag, rng),
        ship_type: kind.ship_type(rng),
        length_m,
        beam_m,
        draught_dm,
        class_b,
        service_kn: rng.gen_range(vmin..vmax),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn known_imo_numbers_validate() {
        // Eagle S (public registers) and the classic IMO 9074729 example.
        assert!(imo_is_valid(9_329_760));
        assert!(imo_is_valid(9_074_729));
        assert!(!imo_is_valid(9_074_728));
    }

    #[test]
    fn random_identities_are_well_formed() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for flag in ["NO", "RU", "LR", "CN"] {
            let id = random_identity(VesselKind::Tanker, flag, "TEST".into(), &mut rng);
            assert_eq!(flag_of_mid(mid(id.mmsi)), Some(flag));
            assert!((100_000_000..1_000_000_000).contains(&id.mmsi));
            assert!(imo_is_valid(id.imo));
            assert!(id.callsign.len() <= 7);
        }
    }
}
