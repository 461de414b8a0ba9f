//! The source-address allow-list of a re-broadcast listener: `a.b.c.d/n`, `x::y/n`, or one address.

use std::net::IpAddr;

/// One allowed network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    /// Parses `addr/prefix` or a bare address (the whole address).
    pub fn parse(s: &str) -> Result<Self, String> {
        let (a, p) = s.split_once('/').unwrap_or((s, ""));
        let addr: IpAddr = a
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an address or network (a.b.c.d/n, x::y/n)"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = if p.is_empty() {
            max
        } else {
            p.trim()
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0..={max}"))?
        };
        Ok(Self { addr, prefix })
    }

    /// Whether `ip` is in this network (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |a: IpAddr| -> (u128, u8) {
            match a.to_canonical() {
                IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
                IpAddr::V6(v) => (u128::from(v), 128),
            }
        };
        let ((net, width), (other, other_width)) = (bits(self.addr), bits(ip));
        if width != other_width {
            return false;
        }
        let shift = u32::from(width - self.prefix.min(width));
        shift >= 128 || net.checked_shr(shift) == other.checked_shr(shift)
    }
}

/// Whether any of `nets` contains `ip`.
pub fn allowed(nets: &[Net], ip: IpAddr) -> bool {
    nets.iter().any(|n| n.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_contain_their_addresses() {
        let lo = Net::parse("127.0.0.1/32").unwrap();
        assert!(lo.contains("127.0.0.1".parse().unwrap()));
        assert!(lo.contains("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!lo.contains("127.0.0.2".parse().unwrap()));
        let ten = Net::parse("10.0.0.0/8").unwrap();
        assert!(ten.contains("10.200.1.1".parse().unwrap()));
        assert!(!ten.contains("11.0.0.1".parse().unwrap()));
        assert!(Net::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(Net::parse("::1").unwrap().contains("::1".parse().unwrap()));
        assert!(!Net::parse("::1")
            .unwrap()
            .contains("127.0.0.1".parse().unwrap()));
        assert!(Net::parse("10.0.0.0/33").is_err());
        assert!(Net::parse("example.org").is_err());
    }
}
