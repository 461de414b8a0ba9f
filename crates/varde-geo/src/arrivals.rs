//! Arrivals: which vessels are bound for a Norwegian port and are inside, or will enter within a
//! horizon, the belt where the coastal state may exercise customs, fiscal, immigration and sanitary
//! control (UNCLOS art. 33: the contiguous zone, and everything landward of it).
//!
//! # The rule
//! 1. **Bound for Norway**: the AIS destination names a Norwegian port. The text is read the way
//!    crews write it: `FROM>TO` (or `FROM > TO`, `FROM->TO`) gives the destination after the last
//!    `>` and the last reported port before it; a UN/LOCODE `NOxxx` (also `NO xxx`, `NO-xxx`)
//!    matches any Norwegian port; otherwise the destination's words must begin with the name of a
//!    port of the geography whose country is Norway or Svalbard (`BERGEN`, `TROMSO`, `AALESUND`,
//!    `KIRKENES ANCH`; Norwegian letters are folded both ways, `Ø` as `O` and `OE`), or be
//!    `NORWAY` / `NORGE`. Names are tried before LOCODEs (`FLORO` and `MOLDE` are five letters).
//! 2. **Inside or entering the belt**: the belt is every zone of kind internal waters, territorial
//!    sea or contiguous zone ([`ZoneKind::rank`] ≤ 2). A vessel whose position lies in it is
//!    *inside*. Otherwise, moving at [`MIN_SOG_KN`] or more, it is *entering* when dead reckoning
//!    along its course over ground at its speed reaches the belt within the horizon; or, failing
//!    that, when its course is within [`TOWARD_PORT_DEG`] of the bearing to its destination port
//!    and the great circle toward that port reaches the belt within the horizon (a course that
//!    bends around a headland). The time to the belt is distance ÷ speed. Failing both (stopped
//!    outside, waiting for a pilot or a berth, or on a course the projections miss), it is
//!    *entering* when its declared ETA (AIS message 5) lies within the horizon: it means to be at
//!    the port, which lies in the belt, by then. A vessel that is none of these (stopped outside
//!    without an ETA in the horizon, or heading away) is not listed.
//!
//! The walk samples the track every [`STEP_M`] (or finer so that at most [`MAX_STEPS`] samples are
//! taken), so a clip of the belt shorter than a step may be missed.

use crate::geography::Geography;
use crate::ports::Port;
use crate::zones::ZoneKind;
use varde_sphere::{destination, initial_bearing_deg, signed_angle_diff_deg, NM_M};

/// Slowest speed over ground, knots, at which a vessel outside the belt counts as approaching.
pub const MIN_SOG_KN: f64 = 1.0;
/// Largest difference, degrees, between course and bearing to the destination port for the
/// port-bearing estimate.
pub const TOWARD_PORT_DEG: f64 = 60.0;
/// Sampling step of the track walk, metres (one nautical mile).
pub const STEP_M: f64 = NM_M;
/// Most samples per walk (longer walks use a coarser step).
pub const MAX_STEPS: usize = 2_000;

/// A few common Norwegian UN/LOCODEs and the port names of the built-in layer they stand for.
const LOCODES: &[(&str, &str)] = &[
    ("NOOSL", "Oslo"),
    ("NOBGO", "Bergen"),
    ("NOSVG", "Stavanger"),
    ("NOTRD", "Trondheim"),
    ("NOTOS", "Tromsø"),
    ("NOKRS", "Kristiansand"),
    ("NOAES", "Ålesund"),
    ("NOHAU", "Haugesund"),
    ("NOBOO", "Bodø"),
    ("NONVK", "Narvik"),
    ("NOHFT", "Hammerfest"),
    ("NOKKN", "Kirkenes"),
    ("NOLYR", "Longyearbyen"),
];

/// A destination that names a Norwegian port.
#[derive(Debug, Clone, PartialEq)]
pub struct NorwegianDestination {
    /// The destination part of the text (after the last `>`), trimmed.
    pub destination: String,
    /// The port of the geography it names, when known (a bare `NOxxx` LOCODE not in the short list
    /// has none).
    pub port: Option<Port>,
    /// The UN/LOCODE, when the destination is one.
    pub locode: Option<String>,
    /// The last reported port: the text before the `>` of `FROM>TO`, trimmed; `None` without one.
    pub last_port: Option<String>,
}

/// Where a vessel is with respect to the belt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Approach {
    /// In internal waters, the territorial sea or the contiguous zone now.
    Inside,
    /// Outside, reaching the belt after this many metres, in this many hours.
    Entering {
        /// Distance to the belt along the estimate, metres; for an ETA, the great-circle distance
        /// to the destination port when it is known.
        distance_m: Option<f64>,
        /// Hours to the belt at the present speed, or to the declared ETA.
        hours: f64,
        /// Which estimate found it.
        basis: Basis,
    },
}

/// How an entry was estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Dead reckoning along the course over ground.
    Course,
    /// The great circle toward the destination port.
    Port,
    /// The declared ETA (AIS message 5).
    Eta,
}

impl Basis {
    /// `course` or `port`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Basis::Course => "course",
            Basis::Port => "port",
            Basis::Eta => "eta",
        }
    }
}

/// A vessel's latest motion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed over ground, knots (`None`: unknown).
    pub sog_kn: Option<f64>,
    /// Course over ground, degrees true (`None`: unknown).
    pub cog_deg: Option<f64>,
}

/// Upper-case, Norwegian letters folded one way (`Ø`→`O`, `Å`→`A`, `Æ`→`AE`) or the other
/// (`OE`, `AA`, `AE`), everything but letters and digits a single space.
fn fold(s: &str, long: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_uppercase) {
        let rep: &str = match c {
            'Ø' | 'Ö' => {
                if long {
                    "OE"
                } else {
                    "O"
                }
            }
            'Å' => {
                if long {
                    "AA"
                } else {
                    "A"
                }
            }
            'Æ' | 'Ä' => "AE",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                space = false;
                continue;
            }
            _ => {
                if !space {
                    out.push(' ');
                    space = true;
                }
                continue;
            }
        };
        out.push_str(rep);
        space = false;
    }
    out.trim_end().to_owned()
}

/// The names a port is written as: its name before any parenthesis and each `/`-separated part
/// inside it, each folded both ways.
fn port_keys(p: &Port) -> Vec<String> {
    let (head, rest) = p.name.split_once('(').unwrap_or((&p.name, ""));
    let mut names = vec![head.to_owned()];
    names.extend(
        rest.trim_end_matches(')')
            .split('/')
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned),
    );
    let mut keys: Vec<String> = names
        .iter()
        .flat_map(|n| [fold(n, false), fold(n, true)])
        .filter(|k| k.len() >= 3)
        .collect();
    keys.dedup();
    keys
}

fn is_norwegian(p: &Port) -> bool {
    matches!(
        p.country.to_ascii_lowercase().as_str(),
        "norway" | "svalbard" | "no" | "nor" | "jan mayen"
    )
}

/// Splits `FROM>TO` into the last reported port and the destination.
fn split_voyage(text: &str) -> (Option<String>, String) {
    match text.rsplit_once('>') {
        Some((from, to)) => {
            let from = from
                .trim()
                .trim_end_matches(['-', '='])
                .rsplit('>')
                .next()
                .unwrap_or_default()
                .trim();
            let from = (!from.is_empty()).then(|| from.to_owned());
            (from, to.trim().to_owned())
        }
        None => (None, text.trim().to_owned()),
    }
}

/// A UN/LOCODE at the start of `folded` (`NOBGO`, `NO BGO`): its five letters.
fn locode(folded: &str) -> Option<String> {
    let compact: String = folded
        .split(' ')
        .take(2)
        .collect::<String>()
        .chars()
        .take(6)
        .collect();
    let first = folded.split(' ').next().unwrap_or_default();
    let code = if first.len() == 5 {
        first.to_owned()
    } else if first.len() == 2 && compact.len() == 5 {
        compact
    } else {
        return None;
    };
    code.bytes().all(|b| b.is_ascii_uppercase()).then_some(code)
}

/// Whether an AIS destination text names a Norwegian port of `geo` (see the module's rule), and
/// which. (For many texts, build a [`PortNames`] once.)
pub fn norwegian_destination(geo: &Geography, text: &str) -> Option<NorwegianDestination> {
    PortNames::norwegian(geo).read(text)
}

/// The Norwegian ports of a geography by the names crews write them as.
#[derive(Debug, Clone)]
pub struct PortNames {
    /// Folded name and port, longest name first (`HAMMERFEST LNG` before `HAMMERFEST`).
    keys: Vec<(String, Port)>,
    /// The short LOCODE list, resolved to the geography's ports.
    locodes: Vec<(&'static str, Port)>,
}

impl PortNames {
    /// The ports of `geo` whose country is Norway or Svalbard.
    pub fn norwegian(geo: &Geography) -> Self {
        let ports = geo.ports();
        let mut keys: Vec<(String, Port)> = ports
            .iter()
            .filter(|p| is_norwegian(p))
            .flat_map(|p| port_keys(p).into_iter().map(move |k| (k, p.clone())))
            .collect();
        keys.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let locodes = LOCODES
            .iter()
            .filter_map(|(c, n)| Some((*c, ports.iter().find(|p| p.name == *n)?.clone())))
            .collect();
        Self { keys, locodes }
    }

    /// The Norwegian destination `text` names, if any.
    pub fn read(&self, text: &str) -> Option<NorwegianDestination> {
        let (last_port, dest) = split_voyage(text);
        let folded = fold(&dest, false);
        if folded.is_empty() {
            return None;
        }
        let words_start = |key: &str| {
            folded == key
                || folded
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(' '))
        };
        if let Some((_, port)) = self.keys.iter().find(|(k, _)| words_start(k)) {
            return Some(NorwegianDestination {
                destination: dest,
                port: Some(port.clone()),
                locode: None,
                last_port,
            });
        }
        if ["NORWAY", "NORGE"].iter().any(|k| words_start(k)) {
            return Some(NorwegianDestination {
                destination: dest,
                port: None,
                locode: None,
                last_port,
            });
        }
        // Names first: FLORO, MOLDE and VARDO are five letters too.
        let code = locode(&folded).filter(|c| c.starts_with("NO"))?;
        let port = self
            .locodes
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, p)| p.clone());
        Some(NorwegianDestination {
            destination: dest,
            port,
            locode: Some(code),
            last_port,
        })
    }
}

/// Whether a position lies in internal waters, the territorial sea or the contiguous zone.
pub fn in_belt(geo: &Geography, lat: f64, lon: f64) -> bool {
    geo.zones_at(lat, lon)
        .iter()
        .any(|z| z.kind.rank() <= ZoneKind::ContiguousZone.rank())
}

/// Where `m` stands with respect to the belt within `horizon_h` hours (see the module's rule);
/// `toward` is the destination port's position when known, `eta_h` the hours from `m`'s report to
/// the declared ETA when there is one. `None`: neither inside nor entering.
pub fn approach(
    geo: &Geography,
    m: &Motion,
    toward: Option<(f64, f64)>,
    eta_h: Option<f64>,
    horizon_h: f64,
) -> Option<Approach> {
    if !(m.lat.is_finite() && m.lon.is_finite()) {
        return None;
    }
    if in_belt(geo, m.lat, m.lon) {
        return Some(Approach::Inside);
    }
    if !(horizon_h.is_finite() && horizon_h > 0.0) {
        return None;
    }
    projected(geo, m, toward, horizon_h).or_else(|| {
        let hours = eta_h.filter(|h| (0.0..=horizon_h).contains(h))?;
        Some(Approach::Entering {
            distance_m: toward.map(|(lat, lon)| varde_sphere::distance_m(m.lat, m.lon, lat, lon)),
            hours,
            basis: Basis::Eta,
        })
    })
}

/// The course and port-bearing estimates of the rule, for a vessel outside the belt.
fn projected(
    geo: &Geography,
    m: &Motion,
    toward: Option<(f64, f64)>,
    horizon_h: f64,
) -> Option<Approach> {
    let sog = m
        .sog_kn
        .filter(|s| s.is_finite() && *s >= MIN_SOG_KN && *s < 102.2)?;
    let cog = m
        .cog_deg
        .filter(|c| c.is_finite() && (0.0..360.0).contains(c))?;
    let reach_m = sog * NM_M * horizon_h;
    let entering = |distance_m: f64, basis| Approach::Entering {
        distance_m: Some(distance_m),
        hours: distance_m / (sog * NM_M),
        basis,
    };
    if let Some(d) = walk(geo, m.lat, m.lon, cog, reach_m) {
        return Some(entering(d, Basis::Course));
    }
    let (plat, plon) = toward?;
    let bearing = initial_bearing_deg(m.lat, m.lon, plat, plon);
    if signed_angle_diff_deg(cog, bearing).abs() > TOWARD_PORT_DEG {
        return None;
    }
    let to_port = varde_sphere::distance_m(m.lat, m.lon, plat, plon);
    walk(geo, m.lat, m.lon, bearing, reach_m.min(to_port)).map(|d| entering(d, Basis::Port))
}

/// The first distance along the great circle from `(lat, lon)` with initial bearing `bearing` at
/// which a sample lies in the belt, up to `reach_m`.
fn walk(geo: &Geography, lat: f64, lon: f64, bearing: f64, reach_m: f64) -> Option<f64> {
    let step = STEP_M.max(reach_m / MAX_STEPS as f64);
    let n = (reach_m / step).ceil() as usize;
    (1..=n).map(|i| (i as f64 * step).min(reach_m)).find(|&d| {
        let (la, lo) = destination(lat, lon, bearing, d);
        in_belt(geo, la, varde_sphere::normalize_lon_deg(lo))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo() -> Geography {
        Geography::norway()
    }

    #[test]
    fn destinations_are_read_the_way_crews_write_them() {
        let g = geo();
        let port = |t: &str| norwegian_destination(&g, t).and_then(|d| d.port.map(|p| p.name));
        assert_eq!(port("BERGEN").as_deref(), Some("Bergen"));
        assert_eq!(port("bergen, norway").as_deref(), Some("Bergen"));
        assert_eq!(port("TROMSO").as_deref(), Some("Tromsø"));
        assert_eq!(port("AALESUND").as_deref(), Some("Ålesund"));
        assert_eq!(port("ALESUND").as_deref(), Some("Ålesund"));
        assert_eq!(port("KIRKENES ANCH").as_deref(), Some("Kirkenes"));
        assert_eq!(port("NOBGO").as_deref(), Some("Bergen"));
        assert_eq!(port("NO TOS").as_deref(), Some("Tromsø"));
        assert_eq!(port("FLORO").as_deref(), Some("Florø"));
        assert_eq!(port("MOLDE").as_deref(), Some("Molde"));
        assert_eq!(
            port("PORSGRUNN").as_deref(),
            Some("Grenland (Brevik/Porsgrunn)")
        );
        let d = norwegian_destination(&g, "RUMMK>NOKKN").unwrap();
        assert_eq!(d.last_port.as_deref(), Some("RUMMK"));
        assert_eq!(d.locode.as_deref(), Some("NOKKN"));
        assert_eq!(d.destination, "NOKKN");
        let d = norwegian_destination(&g, "ROTTERDAM > OSLO").unwrap();
        assert_eq!(d.last_port.as_deref(), Some("ROTTERDAM"));
        assert_eq!(d.port.map(|p| p.name).as_deref(), Some("Oslo"));
        // A Norwegian LOCODE outside the short list is still Norwegian, without a port.
        let d = norwegian_destination(&g, "NOXYZ").unwrap();
        assert_eq!((d.port, d.locode.as_deref()), (None, Some("NOXYZ")));
        for foreign in [
            "ROTTERDAM",
            "NLRTM",
            "OSLO>RUMMK",
            "",
            ">",
            "MOSSEL BAY",
            "BERGENFJORD",
        ] {
            assert_eq!(norwegian_destination(&g, foreign), None, "{foreign}");
        }
    }

    /// West of Bergen, well outside the 24 nm belt.
    const OFF_BERGEN: (f64, f64) = (60.4, 3.2);

    fn motion(sog: f64, cog: f64) -> Motion {
        Motion {
            lat: OFF_BERGEN.0,
            lon: OFF_BERGEN.1,
            sog_kn: Some(sog),
            cog_deg: Some(cog),
        }
    }

    #[test]
    fn an_inbound_vessel_enters_within_the_horizon_an_outbound_one_does_not() {
        let g = geo();
        assert!(!in_belt(&g, OFF_BERGEN.0, OFF_BERGEN.1));
        assert!(in_belt(&g, 60.3, 4.9));
        // Off Sotra, inside 12 nm (tests/find_arrivals.rs has a vessel there).
        assert!(in_belt(&g, 60.35, 4.6));
        let Some(Approach::Entering {
            distance_m,
            hours,
            basis,
        }) = approach(&g, &motion(12.0, 90.0), None, None, 24.0)
        else {
            panic!("inbound vessel not entering");
        };
        assert_eq!(basis, Basis::Course);
        // About 3.2°E to the belt's edge near 4.2°E: some 30 nm.
        let distance_m = distance_m.unwrap();
        assert!(
            (10.0 * NM_M..60.0 * NM_M).contains(&distance_m),
            "{distance_m}"
        );
        assert!((hours - distance_m / (12.0 * NM_M)).abs() < 1e-9);
        // Too far for a one-hour horizon at 12 kn.
        assert_eq!(approach(&g, &motion(12.0, 90.0), None, None, 1.0), None);
        // Heading away, stopped, or without a course.
        assert_eq!(approach(&g, &motion(12.0, 270.0), None, None, 24.0), None);
        assert_eq!(approach(&g, &motion(0.2, 90.0), None, None, 24.0), None);
        let mut no_cog = motion(12.0, 90.0);
        no_cog.cog_deg = None;
        assert_eq!(approach(&g, &no_cog, None, None, 24.0), None);
        // Inside is inside, whatever the motion.
        let inside = Motion {
            lat: 60.3,
            lon: 4.9,
            sog_kn: None,
            cog_deg: None,
        };
        assert_eq!(
            approach(&g, &inside, None, None, 24.0),
            Some(Approach::Inside)
        );
    }

    #[test]
    fn a_declared_eta_within_the_horizon_counts_when_the_projections_do_not() {
        let g = geo();
        let bergen = (60.398, 5.315);
        // Stopped outside, waiting: listed by its ETA in 10 h within a day, not within 6 h.
        let waiting = motion(0.0, 0.0);
        let Some(Approach::Entering {
            distance_m,
            hours,
            basis,
        }) = approach(&g, &waiting, Some(bergen), Some(10.0), 24.0)
        else {
            panic!("waiting vessel with an ETA not entering");
        };
        assert_eq!((hours, basis), (10.0, Basis::Eta));
        let d = distance_m.unwrap() / NM_M;
        assert!((50.0..70.0).contains(&d), "{d}");
        assert_eq!(approach(&g, &waiting, Some(bergen), Some(10.0), 6.0), None);
        // An ETA already past, or without a known port (no distance).
        assert_eq!(approach(&g, &waiting, None, Some(-1.0), 24.0), None);
        assert!(matches!(
            approach(&g, &waiting, None, Some(2.0), 24.0),
            Some(Approach::Entering {
                distance_m: None,
                basis: Basis::Eta,
                ..
            })
        ));
        // The course estimate wins when it finds the belt: the ETA does not override it.
        assert!(matches!(
            approach(&g, &motion(12.0, 90.0), Some(bergen), Some(20.0), 24.0),
            Some(Approach::Entering {
                basis: Basis::Course,
                ..
            })
        ));
        // Inside stays inside.
        let inside = Motion {
            lat: 60.3,
            lon: 4.9,
            sog_kn: None,
            cog_deg: None,
        };
        assert_eq!(
            approach(&g, &inside, None, Some(50.0), 24.0),
            Some(Approach::Inside)
        );
    }

    #[test]
    fn a_course_past_the_coast_counts_when_it_points_roughly_at_the_port() {
        let g = geo();
        // North of the Faroes, course 040°: the great circle runs up the Norwegian Sea and misses
        // the belt for 30 hours; the bearing to Bergen is within 60° of it.
        let m = Motion {
            lat: 61.5,
            lon: -6.0,
            sog_kn: Some(15.0),
            cog_deg: Some(40.0),
        };
        let bergen = (60.398, 5.315);
        let by_course = approach(&g, &m, None, None, 30.0);
        let by_port = approach(&g, &m, Some(bergen), None, 30.0);
        assert_eq!(by_course, None);
        assert!(
            matches!(
                by_port,
                Some(Approach::Entering {
                    basis: Basis::Port,
                    ..
                })
            ),
            "{by_port:?}"
        );
    }
}
