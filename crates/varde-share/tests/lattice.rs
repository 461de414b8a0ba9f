//! The label lattice, property-tested over random labels and partners.

use proptest::prelude::*;
use varde_share::{Label, Partner, Policies, Token};

const NATIONS: [&str; 9] = [
    "NOR", "SWE", "DNK", "FIN", "ISL", "GBR", "USA", "NATO", "EU",
];
const CAVEATS: [&str; 3] = ["CABLE OPS", "SVALBARD", "LIAISON"];
const POLICIES: [&str; 3] = ["NATO", "NOR", "EU"];

fn t(s: &str) -> Token {
    Token::new(s).unwrap()
}

fn subset<'a>(all: &'a [&'a str], mask: u16) -> impl Iterator<Item = Token> + 'a {
    all.iter()
        .enumerate()
        .filter(move |(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| t(s))
}

fn label() -> impl Strategy<Value = Label> {
    (
        proptest::collection::vec(0u8..5, 3),
        proptest::option::of(0u16..512),
        0u16..8,
    )
        .prop_map(|(ranks, rel, cav)| {
            let p = Policies::builtin();
            let mut l = Label::unclassified();
            for (policy, rank) in POLICIES.iter().zip(ranks) {
                let name = p.get(policy).unwrap().classifications[usize::from(rank)].clone();
                l = l.join(&p.label(policy, name.as_str()).unwrap());
            }
            if let Some(mask) = rel {
                l = l.releasable_to(subset(&NATIONS, mask));
            }
            l.with_caveats(subset(&CAVEATS, cav))
        })
}

fn partner() -> impl Strategy<Value = Partner> {
    (0u16..512, proptest::collection::vec(0u8..5, 3), 0u16..8).prop_map(|(sat, ranks, cav)| {
        let mut p = Partner::new("p", subset(&NATIONS, sat));
        for (policy, rank) in POLICIES.iter().zip(ranks) {
            p = p.cleared(t(policy), rank);
        }
        p.caveats = subset(&CAVEATS, cav).collect();
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn join_is_associative_commutative_idempotent(a in label(), b in label(), c in label()) {
        prop_assert_eq!(a.join(&b).join(&c), a.join(&b.join(&c)));
        prop_assert_eq!(a.join(&b), b.join(&a));
        prop_assert_eq!(a.join(&a), a.clone());
        prop_assert_eq!(a.join(&Label::unclassified()), a.clone());
    }

    #[test]
    fn join_is_never_less_restrictive_than_an_input(a in label(), b in label(), p in partner()) {
        let j = a.join(&b);
        prop_assert!(j.dominates(&a) && j.dominates(&b));
        if p.may_receive(&j) {
            prop_assert!(p.may_receive(&a), "{} released but not {}", j, a);
            prop_assert!(p.may_receive(&b), "{} released but not {}", j, b);
        }
    }

    #[test]
    fn a_partner_receiving_a_label_receives_everything_it_dominates(a in label(), b in label(), p in partner()) {
        if a.dominates(&b) && p.may_receive(&a) {
            prop_assert!(p.may_receive(&b));
        }
    }

    #[test]
    fn the_banner_is_canonical(a in label(), b in label()) {
        // Equal labels print alike; the banner tells different labels apart.
        prop_assert_eq!(a == b, a.to_string() == b.to_string(), "{} vs {}", a, b);
    }
}

#[test]
fn a_cleared_partner_without_the_nation_gets_nothing_national() {
    let p = Policies::builtin();
    let national = p
        .label("NOR", "BEGRENSET")
        .unwrap()
        .releasable_to([t("NOR")]);
    let (pol, rank) = p.rank("NOR", "HEMMELIG").unwrap();
    let cleared_swe = Partner::new("swe", [t("SWE")]).cleared(pol, rank);
    assert!(!cleared_swe.may_receive(&national));
}
