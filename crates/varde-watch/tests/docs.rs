//! The detector reference (`DETECTORS.md`) is generated from the static detector list.

use varde_watch::DETECTORS;

#[test]
fn reference_docs_list_every_detector_once_and_detectors_md_is_current() {
    let md = varde_watch::detectors::reference_markdown();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/DETECTORS.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &md).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        committed, md,
        "DETECTORS.md is stale: run `UPDATE_DOCS=1 cargo test -p varde-watch --test docs`"
    );
    assert_eq!(DETECTORS.len(), 12);
    for d in DETECTORS {
        assert_eq!(
            md.matches(&format!("| `{}` |", d.kind().as_str())).count(),
            1,
            "{md}"
        );
    }
}
