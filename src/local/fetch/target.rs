//! Refusing private targets: when the engine serves remote callers, a page address must not
//! lead to the server's own loopback, its private network or a cloud metadata service, which the
//! caller would read back as records (server-side request forgery).
//!
//! Names are checked after DNS resolution, by the resolver the HTTP client connects with, so a
//! public name that resolves to a private address is refused too; literal addresses never reach
//! a resolver and are checked on the URL, before the first request and on every redirect.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// A target that resolves to an address the engine may not fetch from.
#[derive(Debug)]
pub struct PrivateTarget {
    host: String,
    addr: IpAddr,
    kind: &'static str,
}

impl std::fmt::Display for PrivateTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self { host, addr, kind } = self;
        if *host == addr.to_string() {
            write!(f, "{addr} is a {kind} address")?;
        } else {
            write!(f, "{host} resolves to {addr}, a {kind} address")?;
        }
        f.write_str(
            "; this server does not fetch loopback, private, link-local or metadata addresses \
             for its callers (start it with --allow-private-targets if they may read this network)",
        )
    }
}

impl std::error::Error for PrivateTarget {}

/// What kind of non-public address `ip` is, or `None` for a public one.
///
/// An IPv6 address that carries an IPv4 address inside it is judged by that IPv4 address too:
/// on a network with a NAT64 gateway or a 6to4 relay, `[64:ff9b::7f00:1]` or `[2002:7f00:1::]`
/// reach 127.0.0.1 just as the plain address does.
pub fn private_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => v6_kind(v6).or_else(|| embedded_v4(v6).into_iter().find_map(v4_kind)),
    }
}

/// The IPv4 addresses an IPv6 address embeds, by the forms that translate or tunnel to IPv4:
/// mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`,
/// Teredo `2001::/32` (its server and its obfuscated client) and ISATAP (`…:5efe:a.b.c.d`).
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    let last = v4(s[6], s[7]);
    let mut found = Vec::new();
    if s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) {
        found.push(last);
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        found.push(last);
    }
    if s[0] == 0x2002 {
        found.push(v4(s[1], s[2]));
    }
    if s[0] == 0x2001 && s[1] == 0 {
        found.push(v4(s[2], s[3]));
        found.push(v4(!s[6], !s[7]));
    }
    if s[4] & 0xfdff == 0 && s[5] == 0x5efe {
        found.push(last);
    }
    found
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_private() {
        "private"
    } else if ip.is_link_local() {
        // 169.254.169.254 is the metadata service of most clouds.
        "link-local (metadata)"
    } else if a == 100 && (64..128).contains(&b) {
        // Shared address space; Alibaba Cloud's metadata service is 100.100.100.200.
        "shared (carrier-grade NAT)"
    } else if a == 0 {
        // 0.0.0.0 reaches the machine itself on Linux.
        "unspecified"
    } else if ip.is_broadcast() || ip.is_multicast() {
        "broadcast or multicast"
    } else {
        return None;
    })
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    let first = s[0];
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_unspecified() {
        "unspecified"
    } else if first & 0xfe00 == 0xfc00 {
        // fd00:ec2::254 is Amazon's metadata service over IPv6.
        "unique-local"
    } else if first & 0xffc0 == 0xfe80 {
        "link-local"
    } else if ip.is_multicast() {
        "broadcast or multicast"
    } else if s[..3] == [0x64, 0xff9b, 1] {
        // RFC 8215's local-use NAT64 prefix: where the IPv4 address sits is the operator's
        // choice, so the whole prefix is treated as reaching the local network.
        "local-use NAT64"
    } else {
        return None;
    })
}

/// The rule for one fetcher: every target must be public, except the engine's own pages.
#[derive(Debug, Clone)]
pub struct PublicOnly {
    /// The engine's own demo pages (`http://127.0.0.1:PORT/demo/`), which it may always read.
    own_pages: Option<Arc<Url>>,
}

impl PublicOnly {
    pub fn new(own_pages: Option<Url>) -> Self {
        Self {
            own_pages: own_pages.map(Arc::new),
        }
    }

    /// Checks a URL whose host is a literal address (names are checked when resolved).
    pub fn check(&self, url: &Url) -> Result<(), PrivateTarget> {
        let addr = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        let own = self
            .own_pages
            .as_deref()
            .is_some_and(|own| url.origin() == own.origin() && url.path().starts_with(own.path()));
        match private_kind(addr) {
            Some(kind) if !own => Err(PrivateTarget {
                host: addr.to_string(),
                addr,
                kind,
            }),
            _ => Ok(()),
        }
    }

    /// A redirect policy that checks every hop and follows at most `max` of them.
    pub fn redirects(&self, max: usize) -> reqwest::redirect::Policy {
        let rule = self.clone();
        reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max {
                return attempt.error(format!("more than {max} redirects"));
            }
            match rule.check(attempt.url()) {
                Ok(()) => attempt.follow(),
                Err(refused) => attempt.error(refused),
            }
        })
    }
}

/// Resolves names with the system resolver and refuses a name when any of its addresses is
/// not public (a name may resolve to a public and a private address; the connection could use
/// either).
impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some((addr, kind)) = addrs
                .iter()
                .find_map(|a| private_kind(a.ip()).map(|kind| (a.ip(), kind)))
            {
                return Err(Box::new(PrivateTarget { host, addr, kind }) as _);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_private_link_local_unique_local_and_metadata_addresses_are_not_public() {
        for (addr, kind) in [
            ("127.0.0.1", "loopback"),
            ("127.8.9.10", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local (metadata)"),
            ("100.100.100.200", "shared (carrier-grade NAT)"),
            ("0.0.0.0", "unspecified"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fd00:ec2::254", "unique-local"),
            ("fe80::1", "link-local"),
        ] {
            let ip: IpAddr = addr.parse().unwrap();
            assert_eq!(private_kind(ip), Some(kind), "{addr}");
        }
        for public in [
            "93.184.215.14",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
        ] {
            assert_eq!(private_kind(public.parse().unwrap()), None, "{public}");
        }
    }

    /// Every IPv6 spelling that carries a private IPv4 address is refused as that address;
    /// the same forms around a public IPv4 address stay public.
    #[test]
    fn ipv6_forms_embedding_ipv4_are_judged_by_the_embedded_address() {
        for (addr, kind) in [
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:7f00:1", "loopback"),
            ("::ffff:169.254.169.254", "link-local (metadata)"),
            ("::127.0.0.1", "loopback"),
            ("::10.0.0.1", "private"),
            ("64:ff9b::7f00:1", "loopback"),
            ("64:ff9b::127.0.0.1", "loopback"),
            ("64:ff9b::a9fe:a9fe", "link-local (metadata)"),
            ("64:ff9b:1::7f00:1", "local-use NAT64"),
            ("64:ff9b:1:ab::c0a8:101", "local-use NAT64"),
            ("2002:7f00:1::", "loopback"),
            ("2002:c0a8:101::1", "private"),
            ("2002:a9fe:a9fe:1::1", "link-local (metadata)"),
            // Teredo: server 127.0.0.1, or a client 10.0.0.1 stored bit-inverted.
            ("2001:0:7f00:1::", "loopback"),
            ("2001:0:5db8:1::f5ff:fffe", "private"),
            ("fe80::5efe:7f00:1", "link-local"),
            ("2001:db8::5efe:c0a8:101", "private"),
            ("2001:db8::200:5efe:7f00:1", "loopback"),
        ] {
            let ip: IpAddr = addr.parse().unwrap();
            assert_eq!(private_kind(ip), Some(kind), "{addr}");
            let url = Url::parse(&format!("http://[{addr}]/")).unwrap();
            let refused = PublicOnly::new(None).check(&url).unwrap_err().to_string();
            assert!(refused.contains(kind), "{addr}: {refused}");
        }
        for public in [
            "::ffff:93.184.215.14",
            "64:ff9b::5db8:d70e",
            "2002:5db8:d70e::1",
            "2001:0:5db8:d70e::a247:28f1",
            "2001:db8::5efe:5db8:d70e",
        ] {
            assert_eq!(private_kind(public.parse().unwrap()), None, "{public}");
        }
    }
}
