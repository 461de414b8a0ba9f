//! DAC 1 (international): IMO SN.1/Circ.236 (2004, trial messages) and
//! IMO SN.1/Circ.289 (2010) application messages, as gpsd decodes them.
//!
//! Position units: "1/1000 minute" fields (25/24 bits) divide by 60 000 to
//! give degrees; "1/10000 minute" fields (28/27 bits) by 600 000.

mod cargo;
mod met;
mod port;
mod route;
mod traffic;

pub(crate) use self::cargo::{dangerous_cargo_236, dangerous_cargo_289};
pub use self::cargo::{Cargo, DangerousCargo236, DangerousCargo289};
pub(crate) use self::met::{met_hydro_236, met_hydro_289};
pub use self::met::{MetHydro236, MetHydro289, ICE_TEXT, PRECIPTYPE_TEXT, TREND_TEXT};
pub(crate) use self::port::{
    berthing, clearance_time, extended_ship_static, persons_on_board, tidal_window,
};
pub use self::port::{
    Berthing, ClearanceTime, ExtendedShipStatic, PersonsOnBoard, Tidal, TidalWindow,
    BERTH_SERVICES, POSITION_TEXT,
};
pub(crate) use self::route::{route_info, text_description};
pub use self::route::{route_type_text, RouteInfo, TextDescription, Waypoint};
pub(crate) use self::traffic::{fairway_closed, signal_station, vts_targets};
pub use self::traffic::{
    FairwayClosed, SignalStation, TargetId, VtsTarget, VtsTargets, IDTYPE_TEXT, SIGNAL_TEXT,
};
