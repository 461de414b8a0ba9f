//! Ship names: plausible, not real registrations. ASCII only (AIS six-bit
//! text has no Æ, Ø or Å), at most 20 characters.

use crate::identity::VesselKind;
use rand::Rng;

const NO_FIRST: &[&str] = &[
    "NORD", "HAV", "POLAR", "KYST", "FJORD", "STORM", "SKAGEN", "VEST", "NORDLYS", "SENJA",
    "LOFOTEN", "BRIM", "BOLGE", "STAD", "VIKING", "MAGEROY", "TROMS", "HELGE", "SJO", "VARANGER",
];
const NO_SECOND: &[&str] = &[
    "HAV", "FJELL", "STJERNE", "VIND", "BRIS", "FANGST", "SKJAER", "TIND", "KYST", "SOL", "ORN",
    "BAS", "FREY", "VIKING", "LINE", "TRANS", "CARRIER", "STAR", "TIDE", "SUND",
];
const FOREIGN_FIRST: &[&str] = &[
    "BALTIC", "NORDIC", "OCEAN", "ATLANTIC", "ARCTIC", "GOLDEN", "SEA", "NAVIG8", "STAR", "CAPE",
    "SILVER", "GLOBAL", "EAST", "BLUE", "PACIFIC", "IRON",
];
const FOREIGN_SECOND: &[&str] = &[
    "TRADER", "SPIRIT", "VOYAGER", "FORTUNE", "PIONEER", "PRIDE", "EXPRESS", "GRACE", "HARMONY",
    "DAWN", "WAVE", "BRIDGE", "CROWN", "LEGEND", "CARRIER", "HORIZON",
];
const HURTIGRUTEN: &[&str] = &[
    "RICHARD WITH",
    "NORDLYS",
    "NORDNORGE",
    "KONG HARALD",
    "POLARLYS",
    "NORDKAPP",
    "VESTERALEN",
    "TROLLFJORD",
    "HAVILA CAPELLA",
    "HAVILA CASTOR",
    "HAVILA POLARIS",
    "HAVILA POLLUX",
];
const RU_FISHING: &[&str] = &[
    "MELKART",
    "ZAPOLYARYE",
    "MURMAN",
    "KOLA",
    "SEVERNOYE",
    "BELOMORYE",
    "TERIBERKA",
];

/// A name for a vessel of `kind` flagged in `flag`; `serial` disambiguates.
pub fn random_name(kind: VesselKind, flag: &str, serial: usize, rng: &mut impl Rng) -> String {
    let pick =
        |list: &[&'static str], rng: &mut dyn rand::RngCore| list[rng.gen_range(0..list.len())];
    let name = match (kind, flag) {
        (VesselKind::Passenger, "NO") => pick(HURTIGRUTEN, rng).to_string(),
        (VesselKind::Fishing, "RU") => {
            format!("{} {}", pick(RU_FISHING, rng), rng.gen_range(1..40))
        }
        (VesselKind::LawEnforcement, "NO") => format!("KV {}", pick(NO_FIRST, rng)),
        (VesselKind::Military, "NO") => format!("KNM {}", pick(NO_FIRST, rng)),
        (VesselKind::Sar, "NO") => format!("RS {} {}", 100 + serial % 90, pick(NO_FIRST, rng)),
        (VesselKind::Tug, _) => format!("BB {}", pick(NO_SECOND, rng)),
        (VesselKind::Supply, "NO") => format!(
            "{} {}",
            pick(&["NORMAND", "SKANDI", "HAVILA", "FAR", "REM"], rng),
            pick(NO_SECOND, rng)
        ),
        (VesselKind::Research, "NO") => pick(
            &[
                "G.O. SARS",
                "JOHAN HJORT",
                "KRONPRINS HAAKON",
                "HELMER HANSSEN",
            ],
            rng,
        )
        .to_string(),
        (VesselKind::Pleasure, _) => format!(
            "{}{}",
            pick(NO_FIRST, rng),
            pick(&["", " II", " III", "BRIS"], rng)
        ),
        (_, "NO") => format!("{}{}", pick(NO_FIRST, rng), pick(NO_SECOND, rng)),
        _ => format!("{} {}", pick(FOREIGN_FIRST, rng), pick(FOREIGN_SECOND, rng)),
    };
    let mut name = name.to_ascii_uppercase();
    name.truncate(20);
    name
}
