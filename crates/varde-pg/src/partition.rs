//! One partition per UTC day for the raw journal and the tracks: created as batches need them,
//! dropped whole by retention.

use std::collections::HashSet;

use postgres::{Client, GenericClient};
use varde_store::{Batch, PruneCounts, Result, Retention};

use crate::error::{backend, corrupt};

const DAY_MS: i64 = 86_400_000;

/// A table partitioned by event time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// The raw journal (`raw`).
    Raw,
    /// Track points (`positions`).
    Positions,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Positions => "positions",
        }
    }
}

/// The UTC day holding `time_ms` (days since 1970-01-01, negative before).
fn day_of(time_ms: i64) -> i64 {
    time_ms.div_euclid(DAY_MS)
}

/// The partition's name: `positions_d20429`, or `positions_m3` for a day before 1970.
fn partition_name(table: Table, day: i64) -> String {
    if day >= 0 {
        format!("{}_d{day}", table.name())
    } else {
        format!("{}_m{}", table.name(), day.unsigned_abs())
    }
}

/// The day a partition's name stands for.
fn parse_day(table: Table, name: &str) -> Option<i64> {
    let rest = name.strip_prefix(table.name())?.strip_prefix('_')?;
    if let Some(d) = rest.strip_prefix('d') {
        d.parse().ok()
    } else {
        rest.strip_prefix('m')?.parse::<i64>().ok().map(|d| -d)
    }
}

/// The day's bounds as SQL literals (`MINVALUE`/`MAXVALUE` where a bound leaves `i64`).
fn bounds(day: i64) -> (String, String) {
    let lower = day
        .checked_mul(DAY_MS)
        .map_or("MINVALUE".to_owned(), |v| v.to_string());
    let upper = day
        .checked_add(1)
        .and_then(|d| d.checked_mul(DAY_MS))
        .map_or("MAXVALUE".to_owned(), |v| v.to_string());
    (lower, upper)
}

/// The partitions that exist, as `(table, day)`.
pub fn existing(client: &mut Client) -> Result<HashSet<(Table, i64)>> {
    let mut out = HashSet::new();
    for table in [Table::Raw, Table::Positions] {
        for day in days(client, table)? {
            out.insert((table, day));
        }
    }
    Ok(out)
}

/// The days `table` has a partition for, ascending.
fn days(client: &mut impl GenericClient, table: Table) -> Result<Vec<i64>> {
    let rows = client
        .query(
            "SELECT c.relname FROM pg_inherits i
             JOIN pg_class c ON c.oid = i.inhrelid
             JOIN pg_class p ON p.oid = i.inhparent
             WHERE p.relname = $1 AND p.relnamespace = to_regnamespace(current_schema())::oid",
            &[&table.name()],
        )
        .map_err(backend)?;
    let mut days: Vec<i64> = rows
        .iter()
        .filter_map(|r| parse_day(table, r.get::<_, &str>(0)))
        .collect();
    days.sort_unstable();
    Ok(days)
}

/// `[from_ms, to_ms)` of each partition of `table`, oldest first.
pub fn ranges(client: &mut Client, table: Table) -> Result<Vec<(i64, i64)>> {
    Ok(days(client, table)?
        .into_iter()
        .map(|d| {
            (
                d.saturating_mul(DAY_MS),
                d.saturating_add(1).saturating_mul(DAY_MS),
            )
        })
        .collect())
}

/// Creates the partitions `batch` writes into that `known` does not list yet.
pub fn ensure(client: &mut Client, known: &mut HashSet<(Table, i64)>, batch: &Batch) -> Result<()> {
    let needed = batch
        .raw
        .iter()
        .map(|r| (Table::Raw, day_of(r.time_ms)))
        .chain(
            batch
                .positions
                .iter()
                .map(|p| (Table::Positions, day_of(p.time_ms))),
        );
    let mut new: Vec<(Table, i64)> = needed.filter(|k| !known.contains(k)).collect();
    new.sort_unstable_by_key(|(t, d)| (t.name(), *d));
    new.dedup();
    for (table, day) in new {
        let (lower, upper) = bounds(day);
        client
            .batch_execute(&format!(
                "CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({lower}) TO ({upper})",
                partition_name(table, day),
                table.name()
            ))
            .map_err(backend)?;
        known.insert((table, day));
    }
    Ok(())
}

/// Applies `retention`: whole days dropped, the straddling day trimmed, vessels and closed alerts
/// deleted; one transaction per table.
pub fn prune(client: &mut Client, retention: &Retention) -> Result<PruneCounts> {
    let mut counts = PruneCounts::default();
    if let Some(t) = retention.raw_before_ms {
        counts.raw = prune_days(client, Table::Raw, t)?;
    }
    if let Some(t) = retention.positions_before_ms {
        counts.positions = prune_days(client, Table::Positions, t)?;
    }
    if let Some(t) = retention.vessels_before_ms {
        counts.vessels = client
            .execute("DELETE FROM vessels WHERE last_seen_ms < $1", &[&t])
            .map_err(backend)?;
    }
    if let Some(t) = retention.alerts_before_ms {
        let mut tx = client.transaction().map_err(backend)?;
        let closed = "SELECT id FROM alerts WHERE NOT open AND COALESCE(end_ms, start_ms) < $1";
        counts.alert_revisions = tx
            .execute(
                &format!("DELETE FROM alert_revisions WHERE id IN ({closed})"),
                &[&t],
            )
            .map_err(backend)?;
        counts.alerts = tx
            .execute(&format!("DELETE FROM alerts WHERE id IN ({closed})"), &[&t])
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
    }
    Ok(counts)
}

/// Removes `table`'s rows with `time_ms < before_ms`: days wholly before are dropped, the day
/// across the cut-off is trimmed. The journal keeps its newest line whatever its age, as the
/// SQLite store does (its sequence continues from it). Returns the rows removed.
fn prune_days(client: &mut Client, table: Table, before_ms: i64) -> Result<u64> {
    let mut tx = client.transaction().map_err(backend)?;
    // One pruner at a time per table; writers keep writing into other days meanwhile.
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&(7_261_746_466_i64 + table as i64)],
    )
    .map_err(backend)?;
    let keep_seq: Option<i64> = match table {
        Table::Raw => tx
            .query_one("SELECT max(seq) FROM raw", &[])
            .map_err(backend)?
            .get(0),
        Table::Positions => None,
    };
    let mut removed: i64 = 0;
    let all_days = days(&mut tx, table)?;
    for day in all_days {
        let lower = day.saturating_mul(DAY_MS);
        if lower >= before_ms {
            break;
        }
        let upper = day.saturating_add(1).saturating_mul(DAY_MS);
        let name = partition_name(table, day);
        let holds_kept = match keep_seq {
            Some(seq) => tx
                .query_opt(&format!("SELECT 1 FROM {name} WHERE seq = $1"), &[&seq])
                .map_err(backend)?
                .is_some(),
            None => false,
        };
        if upper <= before_ms && !holds_kept {
            let n: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {name}"), &[])
                .map_err(backend)?
                .get(0);
            tx.batch_execute(&format!("DROP TABLE {name}"))
                .map_err(backend)?;
            removed += n;
        } else {
            let n = match keep_seq {
                Some(seq) => tx.execute(
                    &format!("DELETE FROM {name} WHERE time_ms < $1 AND seq <> $2"),
                    &[&before_ms, &seq],
                ),
                None => tx.execute(
                    &format!("DELETE FROM {name} WHERE time_ms < $1"),
                    &[&before_ms],
                ),
            }
            .map_err(backend)?;
            removed += i64::try_from(n).unwrap_or(i64::MAX);
        }
    }
    tx.commit().map_err(backend)?;
    u64::try_from(removed).map_err(|_| corrupt("pruned rows", removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_for_days_before_and_after_1970() {
        for day in [-20_000, -1, 0, 1, 20_429, i64::MAX / DAY_MS] {
            for t in [Table::Raw, Table::Positions] {
                assert_eq!(parse_day(t, &partition_name(t, day)), Some(day));
            }
        }
        assert_eq!(parse_day(Table::Raw, "positions_d3"), None);
        assert_eq!(parse_day(Table::Raw, "raw_x3"), None);
    }

    #[test]
    fn days_and_bounds_cover_every_time() {
        assert_eq!(day_of(0), 0);
        assert_eq!(day_of(-1), -1);
        assert_eq!(day_of(DAY_MS - 1), 0);
        assert_eq!(bounds(0), ("0".into(), DAY_MS.to_string()));
        let last = day_of(i64::MAX);
        assert_eq!(bounds(last).1, "MAXVALUE");
        assert_eq!(bounds(day_of(i64::MIN)).0, "MINVALUE");
    }
}
