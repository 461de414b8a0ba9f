//! Process metrics in the names Prometheus client libraries use (`process_*`), read from
//! `/proc/self` on Linux and absent elsewhere; and `varde_build_info`.

use std::fmt::Write;

/// Clock ticks a second of `/proc` times (`USER_HZ`, 100 on every Linux architecture; the
/// Prometheus Go client assumes the same).
const USER_HZ: f64 = 100.0;

/// Appends `varde_build_info` and whichever process metrics this platform has.
pub fn render(out: &mut String) {
    let version = env!("CARGO_PKG_VERSION");
    let commit = env!("VARDE_COMMIT");
    let _ = writeln!(
        out,
        "# HELP varde_build_info Version and commit of this binary.\n# TYPE varde_build_info gauge\n\
         varde_build_info{{version=\"{version}\",commit=\"{commit}\"}} 1"
    );
    for (name, kind, help, value) in read() {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    }
}

type Sample = (&'static str, &'static str, &'static str, f64);

/// What `/proc/self` tells; empty where there is no `/proc`.
fn read() -> Vec<Sample> {
    let mut v = Vec::new();
    if let Some(kb) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .as_deref()
        .and_then(vm_rss_kb)
    {
        v.push((
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size in bytes.",
            kb * 1024.0,
        ));
    }
    let stat = std::fs::read_to_string("/proc/self/stat").ok();
    if let Some((utime, stime, start)) = stat.as_deref().and_then(stat_times) {
        v.push((
            "process_cpu_seconds_total",
            "counter",
            "Total user and system CPU time spent in seconds.",
            (utime + stime) / USER_HZ,
        ));
        let boot = std::fs::read_to_string("/proc/stat")
            .ok()
            .as_deref()
            .and_then(boot_time);
        if let Some(boot) = boot {
            v.push((
                "process_start_time_seconds",
                "gauge",
                "Start time of the process since unix epoch in seconds.",
                boot + start / USER_HZ,
            ));
        }
    }
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        v.push((
            "process_open_fds",
            "gauge",
            "Number of open file descriptors.",
            dir.count() as f64,
        ));
    }
    if let Some(max) = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .as_deref()
        .and_then(max_open_files)
    {
        v.push((
            "process_max_fds",
            "gauge",
            "Maximum number of open file descriptors.",
            max,
        ));
    }
    v
}

/// `VmRSS:` of `/proc/self/status`, in kB.
fn vm_rss_kb(status: &str) -> Option<f64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    line.split_whitespace().next()?.parse().ok()
}

/// utime, stime and starttime (ticks) of `/proc/self/stat`: fields 14, 15 and 22, counted after
/// the command name, which is in parentheses and may hold spaces.
fn stat_times(stat: &str) -> Option<(f64, f64, f64)> {
    let after = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state).
    let field = |n: usize| f.get(n - 3)?.parse::<f64>().ok();
    Some((field(14)?, field(15)?, field(22)?))
}

/// `btime` of `/proc/stat`: boot time, unix seconds.
fn boot_time(stat: &str) -> Option<f64> {
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()
}

/// The soft `Max open files` of `/proc/self/limits`.
fn max_open_files(limits: &str) -> Option<f64> {
    let line = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))?;
    line.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_files_parse_including_a_command_name_with_spaces_and_parentheses() {
        let stat = "4242 (varde (x) y) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 9 0 12345 1000 200";
        assert_eq!(stat_times(stat), Some((250.0, 50.0, 12345.0)));
        assert_eq!(
            vm_rss_kb("Name:\tvarde\nVmRSS:\t  20480 kB\n"),
            Some(20480.0)
        );
        assert_eq!(boot_time("cpu 1 2\nbtime 1700000000\n"), Some(1.7e9));
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max open files            1024                 524288               files\n";
        assert_eq!(max_open_files(limits), Some(1024.0));
        assert_eq!(stat_times("garbage"), None);
    }
}
