//! The facts of the harder variants (issue 8): what each must and must not
//! raise, for the incident and for its control. Written from the public
//! accounts (`shared/research/detection-rules.md` §4 and §7,
//! `shared/DETECTION.md` "Evasion the rules must survive"), not from what
//! the detectors do today.

use super::assets::{EUROPIPE_II, SKAGERRAK_HVDC};
use super::incidents::Spec;

const GAP: &str = "ais_gap";
const SPEED: &str = "infrastructure_speed_anomaly";
const LOITER: &str = "loitering";
const ENTRY: &str = "zone_entry";
const IDENT: &str = "identity_conflict";
const JUMP: &str = "position_jump";
const GNSS: &str = "gnss_interference";
const RDV: &str = "rendezvous";

/// Every kind but `data_quality`: a placeholder MMSI or gear buoy may at
/// most raise a low-severity data-quality note.
const ALL_BUT_DATA_QUALITY: &[&str] = &[
    "zone_entry",
    "loitering",
    "ais_gap",
    "position_jump",
    "position_on_land",
    "identity_conflict",
    "rendezvous",
    "infrastructure_loiter",
    "infrastructure_speed_anomaly",
    "watchlist",
    "gnss_interference",
];

/// Every kind: a properly identified vessel going about its work.
const EVERY_KIND: &[&str] = &[
    "zone_entry",
    "loitering",
    "ais_gap",
    "position_jump",
    "position_on_land",
    "identity_conflict",
    "rendezvous",
    "infrastructure_loiter",
    "infrastructure_speed_anomaly",
    "watchlist",
    "gnss_interference",
    "data_quality",
];

/// `(expected, silent)` for the incident, then for the control.
type Sides = (&'static [&'static str], &'static [&'static str]);

const fn v(
    name: &'static str,
    incident: Sides,
    control: Sides,
    asset: Option<&'static str>,
    zone: Option<&'static str>,
    note: &'static str,
) -> Spec {
    Spec {
        name,
        expected: incident.0,
        silent_incident: incident.1,
        control_expected: control.0,
        silent: control.1,
        asset,
        zone,
        note,
    }
}

const TS: Option<&str> = Some("territorial_sea");

const LAND: &str = "position_on_land";

static SPECS: [Spec; 12] = [
    v("long_anchor_drag", (&[SPEED], &[]), (&[], &[SPEED]), Some(SKAGERRAK_HVDC.name), None,
        "CK tanker at 11 kn for 1 h, then 11 -> 6.5 kn in 3 min with course (257) and status 0 unchanged, held for 2 h 45 min (33 km) to the Skagerrak HVDC and 45 min beyond; the alert starts from 20 min before to 10 min after the crossing. Control: a tanker whose usual speed is 6.5 kn all along, crossing the same cable further north"),
    v("station_outage", (&[], &[GAP]), (&[GAP], &[]), Some(EUROPIPE_II.name), Some("eez"),
        "seven Class A vessels under way within 5 nm of Europipe II, all heard only through station 2573960, which delivers nothing for 75 min; each reappears on its dead-reckoned track. No ais_gap, with or without live_near_assets. Control: one of six vessels on station 2573961 goes silent for 60 min while the station keeps delivering the other five"),
    v("satellite_waters_gap", (&[GAP], &[]), (&[], &[GAP]), None, Some("svalbard_fpz"),
        "cargo ship at 75.3-76.5 N 32.5 E, ~250 nm from the mainland and ~120 nm from Hopen, heard on satellite passes (3 reports 2 min apart) through a feed without station tags (no s:): one pass, then 7 h 12 min silent. Control: passes every 90 min with one 2.5 h silence"),
    v("gnss_spoofing_circle", (&[GNSS], &[IDENT]), (&[JUMP], &[GNSS]), None, Some("eez"),
        "five vessels (NO, RU, LR, FI, MH) within 12 nm of each other north of Vardo; from minute 45, within 9 min, each one's reported position runs round a 1 nm circle centred on Kirkenes airport (69.7256 N 29.8913 E, ~75 nm away) for 25 min, true heading kept. One area alert listing all five; no identity_conflict; position_on_land at most once per victim (its own test). Control: a lone vessel off Berlevag with one fix on Vardo airport"),
    v("noisy_loiter", (&[LOITER], &[]), (&[], &[LOITER]), None, TS,
        "RU research vessel (type 90, AKADEMIK name) drifts 1.2 kn for 60 min 6 nm inside the territorial sea off Hustadvika; reported speed mostly 0.5-1.8 kn with one fix at 2.2-2.8 kn every 5-8 min. Control: the same track at a steady 10 kn"),
    v("internal_waters_state_vessel", (&[ENTRY, LOITER], &[]), (&[], &[LOITER]), None, Some("internal_waters"),
        "RU naval research vessel (type 35) enters Korsfjorden (approach to Haakonsvern) and drifts 1.2 kn for 45 min at 60.152 N 5.08 E, inside the baseline, no port within 15 km. Control: a Norwegian naval research vessel (type 35) doing the same 1.5 nm further west"),
    v("relabelled_vessel", (&[ENTRY, LOITER], &[]), (&[], &[ENTRY, LOITER]), None, TS,
        "RU naval vessel sends type 5 with ship type 35 for 70 min at sea, then declares type 30 (fishing), enters the territorial sea off Traena 40 min later and drifts 1.2 kn for 50 min, status 0. Control: a RU fishing vessel (always type 30) on the same track 4 nm further north"),
    v("dark_sts_partner", (&[RDV], &[]), (&[], &[RDV]), None, Some("eez"),
        "tanker B (PA) drifts 0.3 kn 50 nm west of Lofoten; tanker A (LR) arrives 80 m beside it, is heard 5 min, dark 150 min, heard 10 min beside it again, leaves at 11 kn. Control: A is heard 5 min beside its B, goes dark, and reappears 40 km away (it left)"),
    v("alternating_transmitters", (&[IDENT], &[JUMP]), (&[], &[IDENT, JUMP]), None, Some("eez"),
        "one MMSI (BZ tanker) from two transmitters 86 nm apart (off Stad and off Vikna), taking turns every 10 min for 2 h, each stream a consistent 11 kn track. Control: one ship, one stream"),
    v("flag_hop", (&[IDENT], &[]), (&[], &[IDENT]), None, Some("eez"),
        "CK tanker off Finnmark becomes a Gabon-flagged tanker at sea (new MMSI, name, call sign) with the same IMO number and track, sending its new type 5 at once; the alert is on the new identity and names the IMO. Control: one tanker's track ends and an unrelated one (other IMO) starts 60 nm away"),
    v("placeholder_mmsi", (&[], ALL_BUT_DATA_QUALITY), (&[], EVERY_KIND), None, None,
        "111111111 (two boats 130 nm apart), 222222222, 123456789, 000000001 and net buoys NET 12.5V / NET 12.4V (MMSI 045678912/3, Class B, in the territorial sea) and BUOY 45% (257997945): at most low-severity data_quality (its own test). Control: a properly identified Class B fishing boat hauling nets"),
    v("gnss_jamming", (&[GNSS], &[GAP, JUMP, IDENT, LAND]), (&[], &[GNSS, GAP, JUMP]), None, None,
        "five vessels (NO, NO, RU, NO, LR) under way within 7 nm of 70.38 N 31.45 E, east of Vardo; from minute 20, within 5 min, each one's reports say position unavailable (lat 91, lon 181, speed and course unavailable) for 40 min while it sails on at 8-13 kn, then its fixes return. One gnss_interference area alert naming all five (jamming: positions lost, not pulled); they kept transmitting, so no ais_gap. Control: one vessel north of Berlevag without a fix for 40 min (a receiver fault): no gnss_interference, no ais_gap"),
];

/// The facts of the `i`-th variant (in [`super::IncidentKind::ALL`] order
/// after the original incidents).
pub(super) fn spec(i: usize) -> &'static Spec {
    &SPECS[i.min(SPECS.len() - 1)]
}
