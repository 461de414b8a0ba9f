//! One line through the sentence and tag-block parser.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = varde_ais::nmea::parse(data) {
        assert!(s.number >= 1 && s.number <= s.total);
        assert!(s.fill <= 5);
    }
});
