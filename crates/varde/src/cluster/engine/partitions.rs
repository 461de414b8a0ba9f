//! Which MMSI partitions an engine node owns: `all`, a range `0-7`, a list `3,5`, or a mix
//! (`0-3,8`).

use std::collections::BTreeSet;

/// A set of partitions out of `count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partitions {
    /// Partitions in the set, ascending.
    set: BTreeSet<u32>,
    /// Partitions in all (`partition_of(mmsi, count)`).
    count: u32,
}

impl Partitions {
    /// Parses `spec` (`all`, `0-7`, `3,5`, `0-3,8`) for `count` partitions.
    pub fn parse(spec: &str, count: u32) -> anyhow::Result<Self> {
        anyhow::ensure!(count > 0, "the partition count must be at least 1");
        let spec = spec.trim();
        let mut set = BTreeSet::new();
        if spec == "all" {
            set.extend(0..count);
        } else {
            for part in spec.split(',') {
                let part = part.trim();
                let num = |s: &str| -> anyhow::Result<u32> {
                    let n: u32 = s.trim().parse().map_err(|_| {
                        anyhow::anyhow!("partition {s:?} in {spec:?} is not a number")
                    })?;
                    anyhow::ensure!(
                        n < count,
                        "partition {n} is out of range: there are {count} (0-{})",
                        count - 1
                    );
                    Ok(n)
                };
                match part.split_once('-') {
                    Some((a, b)) => {
                        let (a, b) = (num(a)?, num(b)?);
                        anyhow::ensure!(a <= b, "partition range {part:?} runs backwards");
                        set.extend(a..=b);
                    }
                    None => {
                        set.insert(num(part)?);
                    }
                }
            }
        }
        Ok(Self { set, count })
    }

    /// True when every partition is in the set.
    pub fn is_all(&self) -> bool {
        self.set.len() == self.count as usize
    }

    /// True when `partition` is in the set.
    pub fn contains(&self, partition: u32) -> bool {
        self.set.contains(&partition)
    }

    /// Partitions in all.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The partitions of the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.set.iter().copied()
    }

    /// A name for the set that is a valid KV key and object name: `all`, else ranges joined by
    /// `_` (`0-3_8`), with the partition count (`16.0-3_8`) so that sets of different layouts
    /// never share a lease or a snapshot.
    pub fn key(&self) -> String {
        if self.is_all() {
            return format!("{}.all", self.count);
        }
        let mut parts = Vec::new();
        let mut it = self.set.iter().copied().peekable();
        while let Some(start) = it.next() {
            let mut end = start;
            while it.peek() == Some(&(end + 1)) {
                end = it.next().unwrap_or(end);
            }
            parts.push(if start == end {
                start.to_string()
            } else {
                format!("{start}-{end}")
            });
        }
        format!("{}.{}", self.count, parts.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_ranges_and_lists_parse_to_the_same_keys() {
        let all = Partitions::parse("all", 16).unwrap();
        assert!(all.is_all());
        assert_eq!(all.key(), "16.all");
        assert_eq!(Partitions::parse("0-15", 16).unwrap(), all);
        let some = Partitions::parse("8, 0-3,2", 16).unwrap();
        assert_eq!(some.iter().collect::<Vec<_>>(), vec![0, 1, 2, 3, 8]);
        assert_eq!(some.key(), "16.0-3_8");
        assert!(some.contains(8) && !some.contains(7));
    }

    #[test]
    fn bad_specs_are_clear_errors() {
        for (spec, want) in [
            ("16", "out of range"),
            ("3-1", "backwards"),
            ("x", "not a number"),
            ("", "not a number"),
        ] {
            let e = Partitions::parse(spec, 16).unwrap_err().to_string();
            assert!(e.contains(want), "{spec}: {e}");
        }
        assert!(Partitions::parse("all", 0).is_err());
    }
}
