//! What a detector sees of one report: the report, its classification, the vessel, cached geography
//! and the alert book.

use super::gnss_interference::Interference;
use super::identity_conflict::Identities;
use super::receivers::Receivers;
use super::rendezvous::Pairs;
use crate::alert::{AlertBook, AlertKey, AssetInfo, Draft, Kind, ZoneInfo};
use crate::config::Config;
use crate::geo::{AssetRef, Geo, ZoneRef, NM_M};
use crate::picture::{Timed, Update, Vessel};
use crate::report::Report;
use crate::time::Fnv64;
use std::sync::Arc;

/// Engine-wide state the detectors share besides the alert book: the rendezvous grid and what is
/// worth working out once rather than on every report.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Shared {
    /// Rendezvous grid and pairs.
    pub pairs: Pairs,
    /// Every zone kind a detector asks for ([`Ctx::zones_of`] looks them all up once per report).
    #[serde(skip)]
    zone_kinds: Vec<String>,
    /// When each receiving station last delivered a report, and its outages.
    pub receivers: Receivers,
    /// GNSS interference episodes and their victims.
    pub gnss: Interference,
    /// Last MMSI heard with each IMO number (flag hopping).
    pub identities: Identities,
}

impl Shared {
    /// Empty state for a configuration.
    pub fn new(cfg: &Config) -> Self {
        let mut zone_kinds: Vec<String> = Vec::new();
        for k in cfg
            .zone_entry
            .zone_kinds
            .iter()
            .chain(&cfg.loitering.zone_kinds)
        {
            if !zone_kinds.contains(k) {
                zone_kinds.push(k.clone());
            }
        }
        Self {
            zone_kinds,
            receivers: Receivers::for_config(&cfg.ais_gap),
            ..Self::default()
        }
    }
}

impl Shared {
    /// Takes the settings of `fresh` (state built from the current configuration) after a snapshot was
    /// read back.
    pub fn rebind(&mut self, fresh: &Shared) {
        self.zone_kinds = fresh.zone_kinds.clone();
        self.receivers.rebind(&fresh.receivers);
        self.gnss.set_mode(fresh.gnss.mode());
    }
}

/// One report in context. Geography is looked up lazily, once per report, at the report's position.
pub struct Ctx<'a> {
    /// Configuration.
    pub cfg: &'a Config,
    /// Geography.
    pub geo: &'a dyn Geo,
    /// The report.
    pub report: &'a Report,
    /// How the picture classified it.
    pub update: Update,
    /// The vessel, already updated with the report.
    pub vessel: &'a mut Vessel,
    /// Alerts.
    pub book: &'a mut AlertBook,
    /// Rendezvous grid and pairs.
    pub pairs: &'a mut Pairs,
    /// Receiving stations' clocks (outages).
    pub receivers: &'a Receivers,
    /// GNSS interference episodes and their victims.
    pub gnss: &'a mut Interference,
    /// Last MMSI heard with each IMO number.
    pub identities: &'a mut Identities,
    zone_kinds: &'a [String],
    zones: Option<Vec<ZoneRef>>,
    assets: Option<Vec<AssetRef>>,
    port: Option<Option<Arc<str>>>,
    /// Set by `gnss_interference` when the fix is a victim's inside an open episode's area: the
    /// detectors that judge a vessel by where it is skip it (the position is the spoofer's).
    pub spoofed: bool,
}

impl<'a> Ctx<'a> {
    /// Wraps one report.
    pub fn new(
        cfg: &'a Config,
        geo: &'a dyn Geo,
        report: &'a Report,
        update: Update,
        vessel: &'a mut Vessel,
        book: &'a mut AlertBook,
        shared: &'a mut Shared,
    ) -> Self {
        let Shared {
            pairs,
            zone_kinds,
            receivers,
            gnss,
            identities,
        } = shared;
        Self {
            cfg,
            geo,
            report,
            update,
            vessel,
            book,
            pairs,
            receivers,
            gnss,
            identities,
            zone_kinds,
            zones: None,
            assets: None,
            port: None,
            spoofed: false,
        }
    }

    /// Event time, Unix ms.
    pub fn now(&self) -> i64 {
        self.report.time_ms
    }

    /// The report's fix with its time, if it is a position report.
    pub fn fix(&self) -> Option<Timed> {
        self.report.fix().map(|f| Timed {
            time_ms: self.report.time_ms,
            fix: *f,
        })
    }

    /// The fix, if the picture accepted it as the vessel's new latest position.
    pub fn accepted_fix(&self) -> Option<Timed> {
        matches!(self.update, Update::First | Update::Advance { .. })
            .then(|| self.fix())
            .flatten()
    }

    /// Zones of the given kinds at the report's position, in layer order. The zones of every kind the
    /// detectors use are looked up once per report; other kinds are asked of the geography directly.
    pub fn zones_of(&mut self, kinds: &[String]) -> Vec<ZoneRef> {
        let Some(t) = self.fix() else {
            return Vec::new();
        };
        let (geo, all_kinds) = (self.geo, self.zone_kinds);
        if !self.cached_kinds(kinds) {
            return geo.zones_of(t.fix.lat, t.fix.lon, kinds);
        }
        self.zones
            .get_or_insert_with(|| geo.zones_of(t.fix.lat, t.fix.lon, all_kinds))
            .iter()
            .filter(|z| kinds.iter().any(|k| **k == *z.kind))
            .cloned()
            .collect()
    }

    /// The first zone of the given kinds at the report's position, in layer order, that `keep` accepts:
    /// [`Ctx::zones_of`] without building the vector.
    pub fn find_zone(
        &mut self,
        kinds: &[String],
        keep: impl Fn(&ZoneRef) -> bool,
    ) -> Option<ZoneRef> {
        let t = self.fix()?;
        let (geo, all_kinds) = (self.geo, self.zone_kinds);
        if !self.cached_kinds(kinds) {
            return geo
                .zones_of(t.fix.lat, t.fix.lon, kinds)
                .into_iter()
                .find(|z| keep(z));
        }
        self.zones
            .get_or_insert_with(|| geo.zones_of(t.fix.lat, t.fix.lon, all_kinds))
            .iter()
            .find(|z| kinds.iter().any(|k| **k == *z.kind) && keep(z))
            .cloned()
    }

    /// Whether every kind in `kinds` is among those looked up once per report. The detectors' own lists
    /// are, by construction ([`Shared::new`]), and are recognised by address without comparing text.
    fn cached_kinds(&self, kinds: &[String]) -> bool {
        let own = [
            &self.cfg.loitering.zone_kinds,
            &self.cfg.zone_entry.zone_kinds,
        ];
        own.iter().any(|l| std::ptr::eq(l.as_slice(), kinds))
            || kinds.iter().all(|k| self.zone_kinds.contains(k))
    }

    /// Whether this report came through a satellite receiver (`ais_gap.satellite_sources`; judged
    /// once per station by [`Receivers`]).
    pub fn via_satellite_source(&self) -> bool {
        self.report
            .source
            .as_ref()
            .is_some_and(|s| self.receivers.is_satellite(s))
    }

    /// Assets within `radius_m` of the report's position, nearest first. One geography query per report
    /// at the largest radius any infrastructure detector uses.
    pub fn assets(&mut self, radius_m: f64) -> Vec<AssetRef> {
        if self.assets.is_none() {
            let r = self.asset_query_radius_m();
            let a = self.fix().map_or_else(Vec::new, |t| {
                self.geo.assets_within(t.fix.lat, t.fix.lon, r)
            });
            self.assets = Some(a);
        }
        let all = self.assets.as_deref().unwrap_or(&[]);
        all.iter()
            .filter(|a| a.distance_m <= radius_m)
            .cloned()
            .collect()
    }

    fn asset_query_radius_m(&self) -> f64 {
        let c = self.cfg;
        c.infrastructure_loiter
            .radius_nm
            .max(c.infrastructure_speed_anomaly.radius_nm)
            * NM_M
    }

    /// Whether the report's position is alongside a platform (within
    /// `infrastructure_loiter.platform_service_m`): a vessel holding there is servicing the installation.
    pub fn servicing_platform(&mut self) -> bool {
        let m = self.cfg.infrastructure_loiter.platform_service_m;
        m > 0.0 && self.assets(m).iter().any(|a| &*a.kind == "platform")
    }

    /// The port or anchorage at the report's position.
    pub fn in_port(&mut self) -> Option<Arc<str>> {
        if self.port.is_none() {
            let p = self
                .fix()
                .and_then(|t| self.geo.in_port(t.fix.lat, t.fix.lon));
            self.port = Some(p);
        }
        self.port.clone().flatten()
    }

    /// The ship type the vessel declared before any relabelling at sea (its current one otherwise): what
    /// type exemptions judge it by.
    pub fn declared_ship_type(&self) -> Option<u8> {
        let relabel = self.vessel.rare().watch.relabel.as_ref();
        relabel.map_or(self.vessel.ship_type(), |r| Some(r.from))
    }

    /// The static report that relabelled the vessel at sea, if it did: the evidence an alert judged
    /// by its declared type ([`Ctx::declared_ship_type`]) shows before its own.
    pub fn relabel_evidence(&self) -> Option<crate::report::RawLines> {
        let relabel = self.vessel.rare().watch.relabel.as_ref();
        relabel.map(|r| r.raw.clone())
    }

    /// Whether the vessel is foreign (its MID is not a home MID).
    pub fn foreign(&self) -> bool {
        !self.cfg.is_home(self.vessel.mmsi)
    }

    /// The alert key for this vessel, kind and sub-key.
    pub fn key(&self, kind: Kind, sub: u64) -> AlertKey {
        (kind, self.vessel.mmsi, sub)
    }

    /// Whether this vessel has an open alert under (kind, sub).
    pub fn is_open(&self, kind: Kind, sub: u64) -> bool {
        self.book.is_open(&self.key(kind, sub))
    }

    /// Opens an alert (or revises the open one under the same key).
    pub fn open(&mut self, kind: Kind, sub: u64, draft: Draft) {
        let key = self.key(kind, sub);
        self.book.open(key, draft, self.vessel, &self.report.raw);
    }

    /// Revises the open alert under (kind, sub) with a new position and summary.
    pub fn revise(&mut self, kind: Kind, sub: u64, material: bool, summary: String) {
        let key = self.key(kind, sub);
        let pos = self.fix().map(|t| (t.fix.lat, t.fix.lon));
        self.book.revise(
            key,
            self.report.time_ms,
            self.vessel,
            &self.report.raw,
            material,
            |a| {
                if let Some((lat, lon)) = pos {
                    (a.lat, a.lon) = (lat, lon);
                }
                a.summary = summary;
            },
        );
    }

    /// Closes the open alert under (kind, sub), if any.
    pub fn close(&mut self, kind: Kind, sub: u64, end_ms: i64) {
        let key = self.key(kind, sub);
        self.book.close(&key, end_ms);
    }

    /// A draft at the report's position (or the vessel's latest), starting at `start_ms`.
    pub fn draft(&self, severity: crate::alert::Severity, start_ms: i64, summary: String) -> Draft {
        let pos = self
            .fix()
            .or(self.vessel.latest)
            .map_or((f64::NAN, f64::NAN), |t| (t.fix.lat, t.fix.lon));
        Draft {
            severity,
            start_ms,
            end_ms: None,
            lat: pos.0,
            lon: pos.1,
            zone: None,
            asset: None,
            related: Vec::new(),
            summary,
            prior_evidence: None,
        }
    }
}

/// Whether `v` is in `list`, a short configured list (ship types, navigational statuses). A plain loop:
/// `<[u8]>::contains` goes through `memchr`, which costs more than the whole list on every fix (about
/// 50 instructions a report in `infrastructure_speed_anomaly` alone, by callgrind).
#[allow(clippy::manual_contains)]
pub fn listed(list: &[u8], v: u8) -> bool {
    list.iter().any(|&x| x == v)
}

/// Sub-key of an alert about a named thing (zone or asset id).
pub fn sub_of(id: &str) -> u64 {
    Fnv64::default().field(id.as_bytes()).value()
}

/// Alert form of a zone.
pub fn zone_info(z: &ZoneRef) -> ZoneInfo {
    ZoneInfo {
        id: z.id.clone(),
        name: z.name.clone(),
        kind: z.kind.clone(),
    }
}

/// Alert form of an asset (distance rounded to a metre).
pub fn asset_info(a: &AssetRef) -> AssetInfo {
    AssetInfo {
        id: a.id.clone(),
        name: a.name.clone(),
        kind: a.kind.clone(),
        distance_m: a.distance_m.round(),
    }
}
