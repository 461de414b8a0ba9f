//! Arbitrary armoured payloads through message decoding, re-encoding and
//! JSON output. A decoded message must re-encode and decode to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use varde_ais::bits::Payload;
use varde_ais::AisMessage;

fuzz_target!(|data: &[u8]| {
    let Some((&fill, chars)) = data.split_first() else { return };
    let Ok(p) = Payload::from_armoured(chars, fill % 6) else { return };
    if let Ok(m) = AisMessage::decode(&p) {
        let mut out = Vec::new();
        varde_ais::gpsd::write_json(&m, true, &mut out);
        let again = AisMessage::decode(&m.encode()).expect("re-encoded message decodes");
        assert_eq!(again, m);
    }
});
