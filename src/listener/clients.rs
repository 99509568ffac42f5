//! Limits per client address: how many connections one address holds at once, and how fast it
//! may send requests (a token bucket: `per_second` tokens a second, up to `burst` saved up).
//!
//! A global connection cap alone lets one address take every slot (a slowloris that reopens
//! what the head timeout cuts keeps everyone else out). With a share per address, an attacker
//! on one address fills only its share and the rest stay free for others.
//!
//! Addresses are grouped the way networks hand them out: an IPv4 address alone, an IPv6
//! address by its /64 (one host usually owns a whole /64, so counting single IPv6 addresses
//! would give it billions of shares). An IPv4-mapped IPv6 peer counts as its IPv4 address.

use std::{
    collections::HashMap,
    net::{IpAddr, Ipv6Addr},
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::time::Instant;

/// Requests a second with a burst, per client address.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Tokens added each second; each request takes one.
    pub per_second: u32,
    /// Most tokens a client can save up: how many requests it may send at once.
    pub burst: u32,
}

/// Entries kept for addresses with no open connection (their buckets still refilling) before
/// the table is swept; it bounds the table's memory whatever the number of addresses seen.
const IDLE_ENTRIES_KEPT: usize = 4096;

/// The per-address accounting of one listener.
#[derive(Debug)]
pub(crate) struct Clients {
    max_connections: usize,
    rate: Option<Rate>,
    table: Mutex<HashMap<IpAddr, Client>>,
}

#[derive(Debug)]
struct Client {
    connections: usize,
    tokens: f64,
    refilled: Instant,
}

/// One admitted connection of a client; dropping it gives its slot back.
#[derive(Debug)]
pub(crate) struct ClientSlot {
    clients: Arc<Clients>,
    key: IpAddr,
}

impl Clients {
    /// `max_connections` per address (0: no limit beyond the listener's own cap) and an
    /// optional request rate per address.
    pub(crate) fn new(max_connections: usize, rate: Option<Rate>) -> Arc<Self> {
        Arc::new(Self {
            max_connections,
            rate: rate.filter(|r| r.per_second > 0 && r.burst > 0),
            table: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for a new connection from `peer`, or `None` when that address already holds
    /// its share of connections.
    pub(crate) fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<ClientSlot> {
        let key = client_key(peer);
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if !table.contains_key(&key) && table.len() >= IDLE_ENTRIES_KEPT {
            self.sweep(&mut table);
        }
        let burst = self.rate.map_or(0.0, |r| f64::from(r.burst));
        let client = table.entry(key).or_insert_with(|| Client {
            connections: 0,
            tokens: burst,
            refilled: Instant::now(),
        });
        if self.max_connections > 0 && client.connections >= self.max_connections {
            return None;
        }
        client.connections += 1;
        Some(ClientSlot {
            clients: self.clone(),
            key,
        })
    }

    /// Forgets addresses with no open connection, first those whose bucket is full again
    /// (nothing lost), then, if the table is still large, the rest.
    fn sweep(&self, table: &mut HashMap<IpAddr, Client>) {
        let now = Instant::now();
        let rate = self.rate;
        table.retain(|_, c| {
            c.connections > 0
                || rate.is_some_and(|r| {
                    c.tokens
                        + now.duration_since(c.refilled).as_secs_f64() * f64::from(r.per_second)
                        < f64::from(r.burst)
                })
        });
        if table.len() >= IDLE_ENTRIES_KEPT {
            table.retain(|_, c| c.connections > 0);
        }
    }
}

impl ClientSlot {
    /// Takes a token for one request, or says how long until the next one is available.
    pub(crate) fn take_request(&self) -> Result<(), Duration> {
        let Some(rate) = self.clients.rate else {
            return Ok(());
        };
        let mut table = self.clients.table.lock().unwrap_or_else(|e| e.into_inner());
        let Some(client) = table.get_mut(&self.key) else {
            return Ok(());
        };
        let now = Instant::now();
        let per_second = f64::from(rate.per_second);
        client.tokens = (client.tokens
            + now.duration_since(client.refilled).as_secs_f64() * per_second)
            .min(f64::from(rate.burst));
        client.refilled = now;
        if client.tokens >= 1.0 {
            client.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - client.tokens) / per_second))
        }
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut table = self.clients.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = table.get_mut(&self.key) {
            client.connections = client.connections.saturating_sub(1);
            // Without a rate there is nothing to remember about an address with no connection.
            if client.connections == 0 && self.clients.rate.is_none() {
                table.remove(&self.key);
            }
        }
    }
}

/// The address a client is counted under: IPv4 as is, IPv6 by its /64.
fn client_key(peer: IpAddr) -> IpAddr {
    match peer {
        IpAddr::V4(_) => peer,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn each_address_gets_its_share_of_connections_and_slots_come_back() {
        let clients = Clients::new(2, None);
        let a1 = clients.admit(ip("10.0.0.1")).unwrap();
        let _a2 = clients.admit(ip("10.0.0.1")).unwrap();
        assert!(
            clients.admit(ip("10.0.0.1")).is_none(),
            "a third is over the share"
        );
        assert!(
            clients.admit(ip("::ffff:10.0.0.1")).is_none(),
            "mapped is the same client"
        );
        assert!(
            clients.admit(ip("10.0.0.2")).is_some(),
            "another address is unaffected"
        );
        drop(a1);
        assert!(
            clients.admit(ip("10.0.0.1")).is_some(),
            "a closed slot comes back"
        );
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let clients = Clients::new(1, None);
        let _held = clients.admit(ip("2001:db8:1:2::1")).unwrap();
        assert!(clients.admit(ip("2001:db8:1:2:ffff::9")).is_none());
        assert!(clients.admit(ip("2001:db8:1:3::1")).is_some());
    }

    #[tokio::test(start_paused = true)]
    async fn requests_beyond_the_burst_wait_for_the_rate() {
        let rate = Rate {
            per_second: 2,
            burst: 3,
        };
        let clients = Clients::new(0, Some(rate));
        let slot = clients.admit(ip("10.0.0.1")).unwrap();
        let other = clients.admit(ip("10.0.0.2")).unwrap();
        for _ in 0..3 {
            assert_eq!(slot.take_request(), Ok(()));
        }
        let wait = slot.take_request().unwrap_err();
        assert_eq!(wait, Duration::from_millis(500), "one token at 2 a second");
        assert_eq!(
            other.take_request(),
            Ok(()),
            "another address has its own bucket"
        );
        tokio::time::advance(wait).await;
        assert_eq!(slot.take_request(), Ok(()));
        assert!(slot.take_request().is_err());
        // A new connection of the same address does not get a fresh bucket.
        let again = clients.admit(ip("10.0.0.1")).unwrap();
        drop(slot);
        assert!(again.take_request().is_err());
    }
}
