//! Concurrent API clients, one keep-alive connection each.

use crate::stats::Samples;
use crate::Args;
use std::io::Read;
use std::time::{Duration, Instant};

/// Map viewports along the Norwegian coast (`minlon,minlat,maxlon,maxlat`), about what the web
/// map asks for at zoom 8 with its padding.
const VIEWPORTS: [&str; 6] = [
    "4.0,59.5,7.0,61.0",
    "9.0,58.0,12.0,59.5",
    "5.0,62.0,8.0,63.5",
    "12.0,66.5,15.0,68.0",
    "14.5,68.0,17.5,69.5",
    "17.5,69.5,20.5,71.0",
];

/// The endpoints of the mix, in the order they are printed.
const ENDPOINTS: [&str; 4] = ["bbox", "vessel", "track", "alerts"];

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .max_idle_connections_per_host(4)
        .build()
}

/// One GET: status, body and the `Link` header. The body is read into `buf` (reused: the
/// generator shares the cores with the server and should cost little).
fn get_into(
    agent: &ureq::Agent,
    url: &str,
    token: &str,
    buf: &mut Vec<u8>,
) -> Result<(u16, Option<String>), String> {
    buf.clear();
    let resp = agent
        .get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .call();
    let resp = match resp {
        Ok(r) => r,
        Err(ureq::Error::Status(code, _)) => return Ok((code, None)),
        Err(e) => return Err(e.to_string()),
    };
    let status = resp.status();
    let link = resp.header("link").map(str::to_owned);
    resp.into_reader()
        .take(1 << 30)
        .read_to_end(buf)
        .map_err(|e| e.to_string())?;
    Ok((status, link))
}

/// One GET: status, body as text and the `Link` header.
fn get(
    agent: &ureq::Agent,
    url: &str,
    token: &str,
) -> Result<(u16, String, Option<String>), String> {
    let mut buf = Vec::new();
    let (status, link) = get_into(agent, url, token, &mut buf)?;
    Ok((status, String::from_utf8_lossy(&buf).into_owned(), link))
}

/// Every `"mmsi":N` in a body.
fn mmsis(body: &str) -> Vec<u32> {
    body.match_indices("\"mmsi\":")
        .filter_map(|(i, k)| {
            let rest = &body[i + k.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse().ok()
        })
        .collect()
}

/// The vessels' MMSIs, following `Link: rel="next"` pages when the server sends them.
fn all_mmsis(base: &str, token: &str) -> Result<Vec<u32>, String> {
    let a = agent();
    let mut url = format!("{base}/api/vessels?limit=100000");
    let mut out = Vec::new();
    loop {
        let (status, body, link) = get(&a, &url, token)?;
        if status != 200 {
            return Err(format!("{url}: HTTP {status}"));
        }
        out.extend(mmsis(&body));
        let next = link.and_then(|l| {
            let start = l.find('<')? + 1;
            let end = l.find('>')?;
            l.contains("rel=\"next\"").then(|| l[start..end].to_owned())
        });
        match next {
            Some(path) => url = format!("{base}{path}"),
            None => return Ok(out),
        }
    }
}

/// Writes the vessels' MMSIs to `--out`, one a line (the wrk mix draws vessels from them).
pub fn write_mmsis(args: &Args) -> Result<(), String> {
    let base = args.get("base")?.trim_end_matches('/').to_owned();
    let token = args.get("token")?;
    let out = args.get("out")?;
    let vessels = all_mmsis(&base, token)?;
    if vessels.is_empty() {
        return Err("no vessels to ask for".into());
    }
    let text: String = vessels.iter().map(|m| format!("{m}\n")).collect();
    std::fs::write(out, text).map_err(|e| format!("{out}: {e}"))?;
    println!("vessels_listed {}", vessels.len());
    Ok(())
}

/// Occurrences of `needle` in `hay`.
fn count(hay: &[u8], needle: &[u8]) -> u64 {
    hay.windows(needle.len()).filter(|w| *w == needle).count() as u64
}

/// A small deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// Runs the clients and prints the figures.
pub fn run(args: &Args) -> Result<(), String> {
    let base = args.get("base")?.trim_end_matches('/').to_owned();
    let token = args.get("token")?.to_owned();
    let clients: usize = args.num("clients", 20)?;
    let seconds: f64 = args.num("seconds", 60.0)?;
    let day_from: i64 = args.num("day-from", 1_721_088_000_000)?;
    // The list written by `api-load mmsis` before the load, else fetched now.
    let vessels = match args.get("mmsis") {
        Ok(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("{path}: {e}"))?
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect(),
        Err(_) => {
            let v = all_mmsis(&base, &token)?;
            println!("vessels_listed {}", v.len());
            v
        }
    };
    if vessels.is_empty() {
        return Err("no vessels to ask for".into());
    }
    let vessels = std::sync::Arc::new(vessels);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let (base, token, vessels) = (base.clone(), token.clone(), vessels.clone());
            std::thread::spawn(move || {
                let a = agent();
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((i as u64 + 1) * 0x1000_0001));
                let mut samples: Vec<Samples> = vec![Samples::default(); ENDPOINTS.len()];
                let mut buf = Vec::with_capacity(4 << 20);
                let mut k = i;
                while Instant::now() < deadline {
                    let which = k % ENDPOINTS.len();
                    k += 1;
                    let m = vessels[rng.below(vessels.len())];
                    let url = match which {
                        0 => format!(
                            "{base}/api/vessels?bbox={}",
                            VIEWPORTS[rng.below(VIEWPORTS.len())]
                        ),
                        1 => format!("{base}/api/vessels/{m}"),
                        2 => format!(
                            "{base}/api/vessels/{m}/track?from={day_from}&to={}",
                            day_from + 86_400_000 - 1
                        ),
                        _ => format!("{base}/api/alerts?state=all"),
                    };
                    let t = Instant::now();
                    let s = &mut samples[which];
                    match get_into(&a, &url, &token, &mut buf) {
                        Ok((200, _)) => {
                            s.add(t.elapsed());
                            s.bytes += buf.len() as u64;
                            // Vessels per box: counted on one answer in eight (it scans the body).
                            if which == 0 && k % 32 < 4 {
                                s.items += count(&buf, b"\"mmsi\":");
                                s.counted += 1;
                            }
                        }
                        _ => {
                            s.add(t.elapsed());
                            s.errors += 1;
                        }
                    }
                }
                samples
            })
        })
        .collect();
    let mut all: Vec<Samples> = vec![Samples::default(); ENDPOINTS.len()];
    for t in threads {
        let got = t
            .join()
            .map_err(|_| "a client thread panicked".to_owned())?;
        for (a, s) in all.iter_mut().zip(got) {
            a.merge(s);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut total = 0;
    for (name, s) in ENDPOINTS.iter().zip(all.iter_mut()) {
        let n = s.count();
        total += n;
        println!(
            "endpoint {name} n={n} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={} mean_kb={:.1} mean_items={:.0}",
            s.percentile_ms(50.0),
            s.percentile_ms(99.0),
            s.percentile_ms(100.0),
            s.errors,
            s.bytes as f64 / n.max(1) as f64 / 1024.0,
            s.items as f64 / s.counted.max(1) as f64,
        );
    }
    println!("total_requests {total}");
    println!("total_rps {:.1}", total as f64 / elapsed);
    // The generator's own CPU (it shares the cores with Varde): user + system clock ticks of
    // this process, its finished threads included.
    if let Some(ticks) = own_cpu_ticks() {
        println!("client_cpu_ticks {ticks}");
    }
    Ok(())
}

/// User + system CPU of this process in clock ticks, from `/proc/self/stat` (Linux).
fn own_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces), from field 3 on.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// Waits until the service's picture holds `--at-least` vessels (or `--timeout` seconds pass).
pub fn wait_vessels(args: &Args) -> Result<(), String> {
    let base = args.get("base")?.trim_end_matches('/').to_owned();
    let token = args.get("token")?;
    let want: u64 = args.num("at-least", 1)?;
    let timeout: f64 = args.num("timeout", 600.0)?;
    let a = agent();
    let started = Instant::now();
    let mut have = 0;
    while started.elapsed().as_secs_f64() < timeout {
        if let Ok((200, body, _)) = get(&a, &format!("{base}/metrics"), token) {
            have = body
                .lines()
                .find_map(|l| l.strip_prefix("varde_vessels "))
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map_or(0, |v| v as u64);
            if have >= want {
                println!(
                    "vessels {have} after {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(format!("only {have} vessels after {timeout} s"))
}
