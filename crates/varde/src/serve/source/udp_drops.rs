//! The kernel's count of datagrams dropped on one UDP socket (receive buffer
//! full), read on Linux from the `drops` column of `/proc/self/net/udp` and
//! `udp6`, matched by the socket's inode.

/// Reads the drop counter of one socket.
#[derive(Debug)]
pub struct KernelDrops {
    inode: u64,
}

impl KernelDrops {
    /// The counter of `socket`, where the platform exposes it.
    #[cfg(unix)]
    pub fn of(socket: &impl std::os::fd::AsRawFd) -> Option<Self> {
        let link = std::fs::read_link(format!("/proc/self/fd/{}", socket.as_raw_fd())).ok()?;
        let inode = link
            .to_str()?
            .strip_prefix("socket:[")?
            .strip_suffix(']')?
            .parse()
            .ok()?;
        Some(Self { inode })
    }

    /// The counter of `socket`, where the platform exposes it.
    #[cfg(not(unix))]
    pub fn of<T>(_socket: &T) -> Option<Self> {
        None
    }

    /// Datagrams dropped so far, if the socket is still listed.
    pub fn read(&self) -> Option<u64> {
        ["/proc/self/net/udp", "/proc/self/net/udp6"]
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .find_map(|table| drops_of(&table, self.inode))
    }
}

/// The `drops` column of the row with `inode` in a `/proc/net/udp` table.
fn drops_of(table: &str, inode: u64) -> Option<u64> {
    table.lines().skip(1).find_map(|row| {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
        (cols.len() >= 13 && cols[9].parse() == Ok(inode)).then(|| cols[12].parse().ok())?
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn counts_what_the_kernel_drops_on_a_full_socket() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let rx = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let drops = KernelDrops::of(&rx).expect("a Linux socket has an inode");
            assert_eq!(drops.read(), Some(0));
            let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            let datagram = [b'!'; 1400];
            // Nobody reads: the receive buffer (a few hundred KiB) fills and
            // the kernel drops the rest.
            for _ in 0..20_000 {
                let _ = tx.send_to(&datagram, rx.local_addr().unwrap());
            }
            assert!(drops.read().unwrap() > 0, "kernel drops counted");
        });
    }

    #[test]
    fn parses_the_drops_column() {
        let t = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n\
         1: 0100007F:A2B3 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4242 2 0000000000000000 17\n";
        assert_eq!(drops_of(t, 4242), Some(17));
        assert_eq!(drops_of(t, 1), None);
    }
}
