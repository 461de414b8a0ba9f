//! `varde ingest` against a real three-node NATS JetStream cluster: one frame per decoded
//! message on the MMSI's partition, de-duplication on a second run, no frame lost or doubled
//! while a NATS node is killed -9 mid-feed, and bad input counted around good lines published.

use async_nats::jetstream::{self, consumer::pull::OrderedConfig};
use futures_util::StreamExt;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use varde_nats::{partition_of, raw_subject, Frame, DEFAULT_PARTITIONS, RAW_STREAM};

fn varde() -> Command {
    Command::new(env!("CARGO_BIN_EXE_varde"))
}

/// `varde sim` output of `vessels` for `hours`, written to `dir/name`.
fn sim(dir: &Path, name: &str, vessels: u32, hours: f64) -> PathBuf {
    let out = varde()
        .args([
            "sim",
            "--vessels",
            &vessels.to_string(),
            "--hours",
            &hours.to_string(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = dir.join(name);
    std::fs::write(&path, out.stdout).unwrap();
    path
}

/// Messages `varde decode --stats` finds in `path` (its `messages` line: type 24 halves count
/// one each, where its JSON output merges them).
fn decoded_messages(path: &Path) -> usize {
    let out = varde()
        .args(["decode", "--stats"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|l| l.strip_prefix("messages"))
        .unwrap_or_else(|| panic!("no messages line in {err}"))
        .trim()
        .parse()
        .unwrap()
}

/// A configuration with one source (`kind = …` lines) and no periodic log.
fn config(dir: &Path, source: &str) -> PathBuf {
    let path = dir.join("ingest.toml");
    std::fs::write(
        &path,
        format!("[serve]\nthroughput_log_s = 1\n[[serve.sources]]\nname = \"feed\"\n{source}\n"),
    )
    .unwrap();
    path
}

/// Runs `varde ingest` on `cfg` to its end (file sources).
fn ingest(cfg: &Path, urls: &str) -> Output {
    let out = varde()
        .args(["ingest", "--config"])
        .arg(cfg)
        .args(["--nats", urls])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "varde ingest failed: {err}");
    out
}

/// The end-of-run summary line (`ingest: …`) and the `rejected CAUSE N` lines.
fn summary(out: &Output) -> (String, Vec<(String, u64)>) {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let line = err
        .lines()
        .rfind(|l| l.starts_with("ingest: "))
        .unwrap_or_else(|| panic!("no summary in {err}"))
        .to_owned();
    let rejects = err
        .lines()
        .filter_map(|l| l.strip_prefix("rejected "))
        .map(|l| {
            let mut w = l.split_whitespace();
            (
                w.next().unwrap().to_owned(),
                w.next().unwrap().parse().unwrap(),
            )
        })
        .collect();
    (line, rejects)
}

/// The number before `word` in `line` (`… 12 published …`).
fn count(line: &str, word: &str) -> u64 {
    let i = line
        .find(&format!(" {word}"))
        .unwrap_or_else(|| panic!("{word} in {line}"));
    line[..i]
        .rsplit([' ', '('])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn js(urls: &str) -> jetstream::Context {
    let addrs: Vec<async_nats::ServerAddr> = urls.split(',').map(|u| u.parse().unwrap()).collect();
    jetstream::new(async_nats::connect(addrs).await.unwrap())
}

async fn stored(js: &jetstream::Context) -> u64 {
    match js.get_stream(RAW_STREAM).await {
        Ok(mut s) => s.info().await.map_or(0, |i| i.state.messages),
        Err(_) => 0,
    }
}

/// Every frame of the raw stream with its subject, in stream order.
async fn frames(js: &jetstream::Context) -> Vec<(String, Frame)> {
    let n = stored(js).await as usize;
    let stream = js.get_stream(RAW_STREAM).await.unwrap();
    let consumer = stream
        .create_consumer(OrderedConfig::default())
        .await
        .unwrap();
    let mut msgs = consumer.messages().await.unwrap();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let m = tokio::time::timeout(Duration::from_secs(10), msgs.next())
            .await
            .expect("the stream's messages within 10 s")
            .unwrap()
            .unwrap();
        let f = Frame::from_message(m.headers.as_ref(), m.payload.clone()).unwrap();
        out.push((m.subject.to_string(), f));
    }
    out
}

/// The sentence lines of every frame, sorted (each line once per frame that holds it).
fn all_lines(frames: &[(String, Frame)]) -> Vec<String> {
    let mut v: Vec<String> = frames
        .iter()
        .flat_map(|(_, f)| {
            f.sentences()
                .map(|l| String::from_utf8_lossy(l).into_owned())
        })
        .collect();
    v.sort();
    v
}

fn sorted_lines(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_one_frame_per_message_on_its_partition_and_a_second_run_adds_nothing() {
    let Some((cluster, dir)) = varde_testdata::nats::nats_cluster("cluster_ingest file", 3) else {
        return;
    };
    let file = sim(&dir.0, "sim.nmea", 50, 0.5);
    let messages = decoded_messages(&file);
    let cfg = config(
        &dir.0,
        &format!("kind = \"file\"\npath = \"{}\"\nspeed = 0", file.display()),
    );
    let urls = cluster.urls();
    let (line, rejects) = summary(&ingest(&cfg, &urls));
    assert_eq!(count(&line, "published"), messages as u64, "{line}");
    assert!(rejects.is_empty(), "{rejects:?}");

    let js = js(&urls).await;
    let got = frames(&js).await;
    assert_eq!(
        got.len(),
        messages,
        "one frame per message varde decode finds"
    );
    let mut multi = 0;
    for (subject, f) in &got {
        let mmsi = f.mmsi.expect("every simulated message has an MMSI");
        assert_eq!(
            subject,
            &raw_subject(partition_of(mmsi, DEFAULT_PARTITIONS))
        );
        assert_eq!(f.source, "feed");
        let n = f.sentences().count();
        if n > 1 {
            multi += 1;
            let first = String::from_utf8_lossy(f.sentences().next().unwrap()).into_owned();
            assert!(first.contains(&format!(",{n},1,")), "{first}");
        }
    }
    assert!(multi > 0, "the simulation has multi-sentence messages");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        all_lines(&got),
        sorted_lines(&text),
        "every line in exactly one frame"
    );

    let (again, _) = summary(&ingest(&cfg, &urls));
    assert_eq!(count(&again, "already stored"), messages as u64, "{again}");
    assert_eq!(
        stored(&js).await,
        messages as u64,
        "the second run adds nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_feed_loses_and_doubles_nothing_while_a_nats_node_is_killed_and_restarted() {
    let Some((mut cluster, dir)) = varde_testdata::nats::nats_cluster("cluster_ingest tcp", 3)
    else {
        return;
    };
    let file = sim(&dir.0, "feed.nmea", 30, 0.5);
    let text = std::fs::read_to_string(&file).unwrap();
    let messages = decoded_messages(&file) as u64;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let cfg = config(&dir.0, &format!("kind = \"tcp\"\naddress = \"{addr}\""));
    let urls = cluster.urls();
    let log = std::fs::File::create(dir.0.join("ingest.log")).unwrap();
    let mut child = varde()
        .args(["ingest", "--config"])
        .arg(&cfg)
        .args(["--nats", &urls])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let js = js(&urls).await;
    // The stream exists once ingest is connected; its leader is the node to kill.
    let start = Instant::now();
    let leader = loop {
        if let Ok(mut s) = js.get_stream(RAW_STREAM).await {
            if let Some(l) = s.info().await.ok().and_then(|i| i.cluster.clone()?.leader) {
                break l;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no raw stream");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let victim: usize = leader.trim_start_matches('n').parse::<usize>().unwrap() - 1;
    let (mut conn, _) = listener.accept().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let chunks: Vec<&[&str]> = lines.chunks(lines.len() / 20 + 1).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        if i == 6 {
            cluster.kill(victim);
        }
        if i == 13 {
            cluster.restart(victim).unwrap();
        }
        let mut buf = chunk.join("\r\n");
        buf.push_str("\r\n");
        conn.write_all(buf.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    let start = Instant::now();
    while stored(&js).await < messages && start.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // SIGTERM: the node publishes what it read, prints its counters and exits.
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    drop(conn);
    let err = std::fs::read_to_string(dir.0.join("ingest.log")).unwrap();
    let got = frames(&js).await;
    assert_eq!(got.len() as u64, messages, "{err}");
    assert_eq!(
        all_lines(&got),
        sorted_lines(&text),
        "every line sent stored exactly once"
    );
    let ids: std::collections::HashSet<String> = got.iter().map(|(_, f)| f.msg_id()).collect();
    assert_eq!(ids.len(), got.len());
    assert!(
        err.contains("ingest: "),
        "counters printed at the end: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_counted_and_the_good_lines_around_it_are_published() {
    let Some((cluster, dir)) = varde_testdata::nats::nats_cluster("cluster_ingest bad", 3) else {
        return;
    };
    let file = sim(&dir.0, "good.nmea", 10, 0.25);
    let good = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let first = lines.iter().position(|l| l.contains(",2,1,")).unwrap();
    let (frag1, frag2) = (lines[first], lines[first + 1]);
    assert!(frag2.contains(",2,2,"));
    let long = "x".repeat(5000);
    let mut text = String::new();
    // A second fragment with no first (orphan), garbage, a bad checksum, an over-long line.
    text.push_str(&format!("{frag2}\n"));
    for (i, l) in lines.iter().enumerate() {
        text.push_str(l);
        text.push('\n');
        match i % 97 {
            10 => text.push_str("garbage \u{1}\u{2} not a sentence\n"),
            20 => text.push_str("!AIVDM,1,1,,A,15MgK45P3@G?fl0E`JbR0OwT0@MS,0*00\n"),
            30 => text.push_str(&format!("{long}\n")),
            _ => {}
        }
    }
    // A group cut short at the end of the input.
    text.push_str(&format!("{frag1}\n"));
    let bad = dir.0.join("bad.nmea");
    std::fs::write(&bad, &text).unwrap();
    let messages = decoded_messages(&file);
    let cfg = config(
        &dir.0,
        &format!("kind = \"file\"\npath = \"{}\"\nspeed = 0", bad.display()),
    );
    let urls = cluster.urls();
    let out = ingest(&cfg, &urls);
    let (line, rejects) = summary(&out);
    let per = |c: &str| rejects.iter().find(|(k, _)| k == c).map_or(0, |(_, n)| *n);
    let blocks = lines.len().div_ceil(97) as u64;
    let extra = |at: usize| (0..lines.len()).filter(|i| i % 97 == at).count() as u64;
    assert_eq!(per("line_too_long"), extra(30), "{rejects:?}");
    assert_eq!(per("orphan_fragment"), 1, "{rejects:?}");
    assert_eq!(per("incomplete_at_end"), 1, "{rejects:?}");
    let total: u64 = rejects.iter().map(|(_, n)| n).sum();
    assert_eq!(total, extra(10) + extra(20) + extra(30) + 2, "{rejects:?}");
    assert!(blocks > 1);
    assert_eq!(count(&line, "rejected"), total, "{line}");
    let js = js(&urls).await;
    let got = frames(&js).await;
    assert_eq!(got.len(), messages);
    assert_eq!(
        all_lines(&got),
        sorted_lines(&good),
        "every good line published, once"
    );
}
