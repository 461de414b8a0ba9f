//! gpsd JSON of the messages without a kinematic position: types 5, 6, 7,
//! 8, 10, 12–16, 20, 22–26.

use super::{asm, tables, write_data, write_hex, JsonWriter, StackStr};
use crate::message::units::PER_DEGREE_1_10_MIN;
use crate::message::{
    AisMessage, AssignedModeCommand, ChannelManagement, ChannelTarget, DataLinkManagement,
    GroupAssignment, Interrogation, MultiSlotBinary, StaticAndVoyageData, StaticDataPart,
    StaticDataReport,
};

/// Writes the fields of any message that `kinematic` does not handle.
pub(super) fn write(msg: &AisMessage, scaled: bool, w: &mut JsonWriter<'_>) {
    match msg {
        AisMessage::StaticVoyage(m) => static_voyage(m, scaled, w),
        AisMessage::AddressedBinary(m) => {
            w.uint("seqno", m.seqno.into());
            w.uint("dest_mmsi", m.dest_mmsi.into());
            w.bool("retransmit", m.retransmit);
            w.uint("dac", m.dac.into());
            w.uint("fid", m.fid.into());
            if !asm::write_fields_if_known(6, m.dac, m.fid, &m.data, scaled, w) {
                write_data(w, "data", &m.data);
            }
        }
        AisMessage::Acknowledge(m) => {
            for (key, (mmsi, _)) in ["mmsi1", "mmsi2", "mmsi3", "mmsi4"].into_iter().zip(m.acks) {
                w.uint(key, mmsi.into());
            }
        }
        AisMessage::BroadcastBinary(m) => {
            w.uint("dac", m.dac.into());
            w.uint("fid", m.fid.into());
            if !asm::write_fields_if_known(8, m.dac, m.fid, &m.data, scaled, w) {
                write_data(w, "data", &m.data);
            }
        }
        AisMessage::UtcInquiry(m) => w.uint("dest_mmsi", m.dest_mmsi.into()),
        AisMessage::AddressedSafety(m) => {
            w.uint("seqno", m.seqno.into());
            w.uint("dest_mmsi", m.dest_mmsi.into());
            w.bool("retransmit", m.retransmit);
            w.str("text", m.text.as_str());
        }
        AisMessage::SafetyBroadcast(m) => w.str("text", m.text.as_str()),
        AisMessage::Interrogation(m) => interrogation(m, w),
        AisMessage::AssignedMode(m) => assigned_mode(m, w),
        AisMessage::DataLinkManagement(m) => data_link(m, w),
        AisMessage::ChannelManagement(m) => channel(m, scaled, w),
        AisMessage::GroupAssignment(m) => group(m, scaled, w),
        AisMessage::StaticData(m) => static_data(m, w),
        AisMessage::SingleSlotBinary(m) => {
            slot_head(w, m.dest_mmsi, m.app_id);
            write_data(w, "data", &m.data);
        }
        AisMessage::MultiSlotBinary(m) => multi_slot(m, w),
        // Position-bearing types are written by `kinematic`.
        _ => {}
    }
}

fn static_voyage(m: &StaticAndVoyageData, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("imo", m.imo.into());
    w.uint("ais_version", m.ais_version.into());
    w.str("callsign", m.callsign.as_str());
    w.str("shipname", m.shipname.as_str());
    w.uint("shiptype", m.shiptype.into());
    w.str("shiptype_text", tables::ship_type(m.shiptype));
    w.uint("to_bow", m.to_bow.into());
    w.uint("to_stern", m.to_stern.into());
    w.uint("to_port", m.to_port.into());
    w.uint("to_starboard", m.to_starboard.into());
    w.uint("epfd", m.epfd.into());
    w.str("epfd_text", tables::epfd(m.epfd));
    let mut eta = StackStr::<16>::new();
    eta.push_padded(m.month.into(), 2);
    for (sep, v) in [(b'-', m.day), (b'T', m.hour), (b':', m.minute)] {
        eta.push(sep);
        eta.push_padded(v.into(), 2);
    }
    eta.push(b'Z');
    w.str("eta", eta.as_str());
    if scaled {
        w.fixed("draught", f64::from(m.draught) / 10.0, 1);
    } else {
        w.uint("draught", m.draught.into());
    }
    w.str("destination", m.destination.as_str());
    w.uint("dte", m.dte.into());
}

fn interrogation(m: &Interrogation, w: &mut JsonWriter<'_>) {
    let (type1_2, offset1_2) = m.request1_2.unwrap_or_default();
    let (mmsi2, type2_1, offset2_1) = m.request2_1.unwrap_or_default();
    w.uint("mmsi1", m.mmsi1.into());
    w.uint("type1_1", m.type1_1.into());
    w.uint("offset1_1", m.offset1_1.into());
    w.uint("type1_2", type1_2.into());
    w.uint("offset1_2", offset1_2.into());
    w.uint("mmsi2", mmsi2.into());
    w.uint("type2_1", type2_1.into());
    w.uint("offset2_1", offset2_1.into());
}

fn assigned_mode(m: &AssignedModeCommand, w: &mut JsonWriter<'_>) {
    let b = m.b.unwrap_or_default();
    w.uint("mmsi1", m.a.mmsi.into());
    w.uint("offset1", m.a.offset.into());
    w.uint("increment1", m.a.increment.into());
    w.uint("mmsi2", b.mmsi.into());
    w.uint("offset2", b.offset.into());
    w.uint("increment2", b.increment.into());
}

fn data_link(m: &DataLinkManagement, w: &mut JsonWriter<'_>) {
    const KEYS: [[&str; 4]; 4] = [
        ["offset1", "number1", "timeout1", "increment1"],
        ["offset2", "number2", "timeout2", "increment2"],
        ["offset3", "number3", "timeout3", "increment3"],
        ["offset4", "number4", "timeout4", "increment4"],
    ];
    for (keys, s) in KEYS.iter().zip(&m.slots) {
        w.uint(keys[0], s.offset.into());
        w.uint(keys[1], s.number.into());
        w.uint(keys[2], s.timeout.into());
        w.uint(keys[3], s.increment.into());
    }
}

/// Corners of a type 22/23 rectangle: raw, or gpsd's quoted `%f` degrees.
fn corners(w: &mut JsonWriter<'_>, scaled: bool, c: [(&str, i32); 4]) {
    for (key, v) in c {
        if scaled {
            w.fixed_str(key, f64::from(v) / PER_DEGREE_1_10_MIN, 6);
        } else {
            w.int(key, v.into());
        }
    }
}

fn channel(m: &ChannelManagement, scaled: bool, w: &mut JsonWriter<'_>) {
    w.uint("channel_a", m.channel_a.into());
    w.uint("channel_b", m.channel_b.into());
    w.uint("txrx", m.txrx.into());
    w.bool("power", m.power);
    match m.target {
        ChannelTarget::Addressed { dest1, dest2, .. } => {
            w.uint("dest1", dest1.into());
            w.uint("dest2", dest2.into());
        }
        ChannelTarget::Area {
            ne_lon,
            ne_lat,
            sw_lon,
            sw_lat,
        } => corners(
            w,
            scaled,
            [
                ("ne_lon", ne_lon),
                ("ne_lat", ne_lat),
                ("sw_lon", sw_lon),
                ("sw_lat", sw_lat),
            ],
        ),
    }
    w.bool("addressed", m.addressed());
    w.bool("band_a", m.band_a);
    w.bool("band_b", m.band_b);
    w.uint("zonesize", m.zonesize.into());
}

fn group(m: &GroupAssignment, scaled: bool, w: &mut JsonWriter<'_>) {
    corners(
        w,
        scaled,
        [
            ("ne_lon", m.ne_lon),
            ("ne_lat", m.ne_lat),
            ("sw_lon", m.sw_lon),
            ("sw_lat", m.sw_lat),
        ],
    );
    w.uint("stationtype", m.stationtype.into());
    w.str("stationtype_text", tables::station_type(m.stationtype));
    w.uint("shiptype", m.shiptype.into());
    w.str("shiptype_text", tables::ship_type(m.shiptype));
    w.uint("interval", m.interval.into());
    w.uint("quiet", m.quiet.into());
}

/// gpsd's test for an auxiliary craft (MMSI 98MIDxxxx).
fn auxiliary(mmsi: u32) -> bool {
    mmsi / 10_000_000 == 98
}

fn static_data(m: &StaticDataReport, w: &mut JsonWriter<'_>) {
    match &m.part {
        StaticDataPart::A(_) => w.str("part", "A"),
        StaticDataPart::B(_) => w.str("part", "B"),
        StaticDataPart::Both(..) => {}
        StaticDataPart::Reserved { part, data } => {
            w.str("part", if *part == 2 { "2" } else { "3" });
            write_data(w, "data", data);
        }
    }
    if let Some(a) = m.part_a() {
        w.str("shipname", a.shipname.as_str());
    }
    if let Some(b) = m.part_b() {
        w.uint("shiptype", b.shiptype.into());
        w.str("shiptype_text", tables::ship_type(b.shiptype));
        w.str("vendorid", b.vendorid.as_str());
        w.uint("model", b.model().into());
        w.uint("serial", b.serial().into());
        w.str("callsign", b.callsign.as_str());
        if auxiliary(m.mmsi) {
            w.uint("mothership_mmsi", b.mothership_mmsi().into());
        } else {
            w.uint("to_bow", b.to_bow.into());
            w.uint("to_stern", b.to_stern.into());
            w.uint("to_port", b.to_port.into());
            w.uint("to_starboard", b.to_starboard.into());
        }
    }
}

/// Type 26 as gpsd prints it: gpsd never decodes the radio status (it
/// prints 0), and the last byte of its data dump carries the bits that
/// follow the data in the payload (the top of the radio field; for an
/// addressed message only those inside the bytes gpsd copied before
/// shifting out the destination MMSI).
fn multi_slot(m: &MultiSlotBinary, w: &mut JsonWriter<'_>) {
    slot_head(w, m.dest_mmsi, m.app_id);
    let bits = m.data.len_bits();
    let needed = (8 - bits % 8) % 8;
    let copied = if m.dest_mmsi.is_some() {
        (8 - (bits + 30) % 8) % 8
    } else {
        needed
    };
    let k = needed.min(copied) as u32;
    let last = m.data.as_bytes().last().map(|&b| {
        if k == 0 {
            return b;
        }
        let top = (m.radio >> (20 - k)) as u8;
        b | (top << (needed as u32 - k))
    });
    write_hex(w, "data", bits, m.data.as_bytes(), last);
    w.uint("radio", 0);
}

fn slot_head(w: &mut JsonWriter<'_>, dest: Option<u32>, app: Option<u16>) {
    w.bool("addressed", dest.is_some());
    w.bool("structured", app.is_some());
    w.uint("dest_mmsi", dest.unwrap_or(0).into());
    w.uint("app_id", app.unwrap_or(0).into());
}
