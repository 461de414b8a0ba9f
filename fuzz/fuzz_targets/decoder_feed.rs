//! Arbitrary bytes, split into lines, through the stateful decoder, message
//! decoding and gpsd JSON: nothing may panic or grow without bound.
#![no_main]
use libfuzzer_sys::fuzz_target;
use varde_ais::{AisMessage, Decoder, Output};

fuzz_target!(|data: &[u8]| {
    let mut d = Decoder::new();
    let mut out = Vec::new();
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        if let Ok(Output::Frame(f)) = d.feed((i % 3) as u32, line) {
            if let Ok(m) = AisMessage::decode(f.payload) {
                out.clear();
                varde_ais::gpsd::write_json(&m, i % 2 == 0, &mut out);
            }
        }
    }
    assert!(d.in_flight() <= 256);
});
