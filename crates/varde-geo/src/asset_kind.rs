//! [`AssetKind`]: what a piece of infrastructure is, its names, and the word rules that read a kind
//! from the free text real layers carry (`Power cable`, `MULTI WELL TEMPLATE`, `npd_transport_pipelines`).
//!
//! The rules work on the lower-cased text split into words (letters and digits; `_`, `-`, spaces and
//! punctuation separate). They are tried in this order; the first that matches wins:
//!
//! | rule | words | kind |
//! |---|---|---|
//! | landing | a word starting `landfall`, `landing`; the word `onshore` | `landing` |
//! | pipeline | a word starting `pipe`; a word containing `rørledning`/`rorledning` | `pipeline` |
//! | power | a cable word (below) or none, together with `power`, `hvdc`, `hvac`, `kv`, `electric…`, `interconnector…`, `export`, `array`, `wind`, or a word containing `kraft`/`strøm`/`hvdc` | `power_cable` |
//! | cable | a word starting `cable`, `fibre`, `fiber`, `telecom`, `communication`, `optical`, `umbilical`, or containing `kabel`/`cable` | `cable` |
//! | wind | a word starting `wind` or containing `vindturbin` | `wind_turbine` |
//! | subsea | a word starting `template`, `subsea`, `manifold`; the word `doris` | `subsea_structure` |
//! | field | a word starting `field` | `field` |
//! | platform | `platform(s)`, `plattform`, `jacket`, `condeep`, `fpso`, `fsu`, `fso`, `fpu`, `semisub`, `tlp`, `spar`, `jack`, `monotower`, `loading`, `concrete`, a word starting `mopu`, `installation(s)`, `rig(s)` | `platform` |
//! | other | the text `other` | `other` |
//!
//! The power rule needs one of its own words: `power`, `hvdc`, `hvac`, `kv`, `electric…`,
//! `interconnector…` (or `kraft`/`strøm` inside a word) on their own; `export`, `array` and `wind` only
//! together with a cable word (`wind farm export cable`). A gas interconnector is caught by the
//! pipeline rule first only when it says `pipe`; name such layers with an override.

/// What an asset is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// Oil, gas, condensate, water or CO₂ pipeline.
    Pipeline,
    /// Telecom (fibre) cable, or an umbilical.
    Cable,
    /// Power cable or HVDC interconnector (Estlink 2, NordLink, offshore-wind export cables).
    PowerCable,
    /// Surface installation: platform, FPSO, FSU, loading buoy.
    Platform,
    /// Subsea template or structure on the sea floor.
    SubseaStructure,
    /// Offshore wind turbine.
    WindTurbine,
    /// Petroleum field outline.
    Field,
    /// Cable landing point, landfall or onshore plant.
    Landing,
    /// Anything else, including features whose kind could not be read (see [`crate::KindRule`]).
    Other,
}

impl AssetKind {
    /// Every kind, in display order.
    pub const ALL: [AssetKind; 9] = [
        AssetKind::Cable,
        AssetKind::PowerCable,
        AssetKind::Pipeline,
        AssetKind::Platform,
        AssetKind::SubseaStructure,
        AssetKind::WindTurbine,
        AssetKind::Field,
        AssetKind::Landing,
        AssetKind::Other,
    ];

    /// snake_case name (`pipeline`, `power_cable`, …), as written in configuration and on `--layer`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AssetKind::Pipeline => "pipeline",
            AssetKind::Cable => "cable",
            AssetKind::PowerCable => "power_cable",
            AssetKind::Platform => "platform",
            AssetKind::SubseaStructure => "subsea_structure",
            AssetKind::WindTurbine => "wind_turbine",
            AssetKind::Field => "field",
            AssetKind::Landing => "landing",
            AssetKind::Other => "other",
        }
    }

    /// The kind with exactly this snake_case name (ASCII case ignored; `-` accepted for `_`), as used
    /// by overrides. `None` for any other text: use [`AssetKind::parse_loose`] for free text.
    pub fn from_name(name: &str) -> Option<AssetKind> {
        let n = name.trim().to_ascii_lowercase().replace('-', "_");
        AssetKind::ALL.into_iter().find(|k| k.as_str() == n)
    }

    /// The kind the watch engine sees: `cable` for telecom and power cables alike (power cables and
    /// HVDC links are cables to every detector), `pipeline`, `platform`; other kinds keep their own
    /// name and are only considered by the detectors that look at any asset near a vessel.
    pub const fn watch_kind(self) -> &'static str {
        match self {
            AssetKind::Cable | AssetKind::PowerCable => "cable",
            other => other.as_str(),
        }
    }

    /// Whether the asset is a line on the sea floor that an anchor or trawl can damage: cables (telecom
    /// and power) and pipelines.
    pub const fn is_linear(self) -> bool {
        matches!(
            self,
            AssetKind::Cable | AssetKind::PowerCable | AssetKind::Pipeline
        )
    }

    /// Reads a kind from free text by the word rules of this module's table (our own names, Sodir
    /// facility kinds such as `MULTI WELL TEMPLATE` or `JACKET 4 LEGS`, cable-layer types such as
    /// `Power cable`, `HVDC`, `Telecommunication`, file names such as `npd_transport_pipelines`).
    /// `None` when no rule matches.
    pub fn parse_loose(text: &str) -> Option<AssetKind> {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let any = |f: &dyn Fn(&str) -> bool| words.iter().any(|w| f(w));
        let starts = |prefixes: &[&str]| any(&|w| prefixes.iter().any(|p| w.starts_with(p)));
        let contains = |parts: &[&str]| any(&|w| parts.iter().any(|p| w.contains(p)));
        let is = |list: &[&str]| any(&|w| list.contains(&w));

        let cable = starts(&[
            "cable",
            "fibre",
            "fiber",
            "telecom",
            "communication",
            "optical",
            "umbilical",
        ]) || contains(&["kabel", "cable"]);
        let power_alone = is(&["power", "hvdc", "hvac", "kv"])
            || starts(&["electric", "interconnector"])
            || contains(&["kraft", "strøm", "hvdc"]);
        let power_with_cable = cable && (is(&["export", "array"]) || starts(&["wind"]));
        Some(if starts(&["landfall", "landing"]) || is(&["onshore"]) {
            AssetKind::Landing
        } else if starts(&["pipe"]) || contains(&["rørledning", "rorledning"]) {
            AssetKind::Pipeline
        } else if power_alone || power_with_cable {
            AssetKind::PowerCable
        } else if cable {
            AssetKind::Cable
        } else if starts(&["wind"]) || contains(&["vindturbin"]) {
            AssetKind::WindTurbine
        } else if starts(&["template", "subsea", "manifold"]) || is(&["doris"]) {
            AssetKind::SubseaStructure
        } else if starts(&["field"]) {
            AssetKind::Field
        } else if is(&[
            "platform",
            "platforms",
            "plattform",
            "jacket",
            "condeep",
            "fpso",
            "fsu",
            "fso",
            "fpu",
            "semisub",
            "tlp",
            "spar",
            "jack",
            "monotower",
            "loading",
            "concrete",
            "installation",
            "installations",
            "rig",
            "rigs",
        ]) || starts(&["mopu"])
        {
            AssetKind::Platform
        } else if lower.trim() == "other" {
            AssetKind::Other
        } else {
            return None;
        })
    }
}

impl std::fmt::Display for AssetKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::AssetKind::{self, *};

    fn kind(text: &str) -> Option<AssetKind> {
        AssetKind::parse_loose(text)
    }

    #[test]
    fn cable_layer_types() {
        for t in [
            "Power cable",
            "HVDC",
            "HVDC link",
            "power_cable",
            "132 kV cable",
            "Interconnector",
        ] {
            assert_eq!(kind(t), Some(PowerCable), "{t}");
        }
        for t in [
            "Kraftkabel",
            "sjøkabel (kraft)",
            "wind farm export cable",
            "inter-array cable",
        ] {
            assert_eq!(kind(t), Some(PowerCable), "{t}");
        }
        for t in [
            "Telecommunication",
            "fibre",
            "Fiber optic",
            "cable",
            "telecom cable",
            "Sjøkabel",
        ] {
            assert_eq!(kind(t), Some(Cable), "{t}");
        }
        assert_eq!(kind("umbilical"), Some(Cable));
    }

    #[test]
    fn pipelines_and_landings() {
        for t in [
            "pipeline",
            "Gas pipeline",
            "npd_transport_pipelines",
            "Rørledning",
        ] {
            assert_eq!(kind(t), Some(Pipeline), "{t}");
        }
        assert_eq!(kind("cable landing station"), Some(Landing));
        assert_eq!(kind("LANDFALL"), Some(Landing));
        assert_eq!(kind("ONSHORE FACILITY"), Some(Landing));
        assert_eq!(kind("telegeography_landing_points_2021"), Some(Landing));
    }

    #[test]
    fn sodir_facility_kinds() {
        for (t, k) in [
            ("MULTI WELL TEMPLATE", SubseaStructure),
            ("SUBSEA STRUCTURE", SubseaStructure),
            ("DORIS", SubseaStructure),
            ("JACKET 4 LEGS", Platform),
            ("CONDEEP 3 SHAFTS", Platform),
            ("FPSO", Platform),
            ("LOADING SYSTEM", Platform),
            ("JACK-UP 3 LEGS", Platform),
            ("MOPUStor", Platform),
            ("TLP STEEL", Platform),
            ("OFFSHORE WIND TURBINE", WindTurbine),
            ("npd_fields", Field),
        ] {
            assert_eq!(kind(t), Some(k), "{t}");
        }
    }

    #[test]
    fn words_not_substrings() {
        // Short words match whole words only: "rig" inside "origin", "spar" inside "sparse".
        assert_eq!(kind("origin"), None);
        assert_eq!(kind("sparse"), None);
        assert_eq!(kind("wreck"), None);
        assert_eq!(kind("foo"), None);
        assert_eq!(kind(""), None);
        assert_eq!(kind("Other"), Some(Other));
    }

    #[test]
    fn names_round_trip_and_map_to_the_engine() {
        for k in AssetKind::ALL {
            assert_eq!(AssetKind::from_name(k.as_str()), Some(k));
            assert_eq!(AssetKind::parse_loose(k.as_str()), Some(k), "{k}");
        }
        assert_eq!(AssetKind::from_name("Power-Cable"), Some(PowerCable));
        assert_eq!(AssetKind::from_name("power"), None);
        assert_eq!(PowerCable.watch_kind(), "cable");
        assert_eq!(Pipeline.watch_kind(), "pipeline");
        assert_eq!(SubseaStructure.watch_kind(), "subsea_structure");
        assert!(PowerCable.is_linear() && Cable.is_linear() && Pipeline.is_linear());
        assert!(!Platform.is_linear() && !Other.is_linear());
    }
}
