//! `varde share label`: a source's confidentiality label as STANAG 4774 XML, from `[share]`.

use std::process::Command;

fn varde(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_varde"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CONFIG: &str = r#"
[serve]
listen = "127.0.0.1:0"
[share.source_labels]
radar = { policy = "NOR", classification = "BEGRENSET", rel = ["NOR"], caveats = ["CABLE OPS"] }
liaison = { policy = "NATO", classification = "NATO RESTRICTED", rel = ["NATO", "NOR"] }
"#;

#[test]
fn prints_a_sources_label_as_stanag_4774_xml() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("varde.toml");
    std::fs::write(&cfg, CONFIG).unwrap();
    let cfg = cfg.to_str().unwrap();

    let (ok, xml, err) = varde(&["share", "label", "--config", cfg, "--source", "radar"]);
    assert!(ok, "{err}");
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    for want in [
        "<slab:PolicyIdentifier>NOR</slab:PolicyIdentifier>",
        "<slab:Classification>BEGRENSET</slab:Classification>",
        "<slab:Category TagName=\"Releasable To\" Type=\"PERMISSIVE\">",
        "<slab:GenericValue>NOR</slab:GenericValue>",
        "<slab:Category TagName=\"Caveats\" Type=\"RESTRICTIVE\">",
        "<slab:GenericValue>CABLE OPS</slab:GenericValue>",
    ] {
        assert!(xml.contains(want), "{want} missing in {xml}");
    }

    // A source without its own label: the default, unclassified and releasable to all.
    let (ok, xml, _) = varde(&["share", "label", "--config", cfg, "--source", "kystverket"]);
    assert!(ok);
    assert!(
        xml.contains("<slab:Classification>NATO UNCLASSIFIED</slab:Classification>"),
        "{xml}"
    );
    assert!(!xml.contains("Releasable To"), "{xml}");

    // Every configured label, each named.
    let (ok, all, _) = varde(&["share", "label", "--config", cfg, "--all"]);
    assert!(ok);
    assert_eq!(all.matches("<?xml").count(), 3, "{all}");
    assert!(
        all.contains("<!-- source liaison: NATO RESTRICTED//REL NATO, NOR -->"),
        "{all}"
    );
    assert!(all.contains("<slab:Classification>NATO RESTRICTED</slab:Classification>"));
}

#[test]
fn a_bad_share_section_is_refused_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("varde.toml");
    std::fs::write(
        &cfg,
        "[share.source_labels]\nradar = { policy = \"NOR\", classification = \"SECRET\" }\n",
    )
    .unwrap();
    let (ok, out, err) = varde(&["share", "label", "--config", cfg.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(err.contains("radar") && err.contains("UGRADERT"), "{err}");
}
