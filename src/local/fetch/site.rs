//! Politeness per site (scheme, host and port): how many requests one site may have in flight
//! and how long it rests between two of them.
//!
//! Each site has its own gate, so runs on different sites never wait for each other, and a site
//! with no delay due costs no timer at all (tokio's timer rounds every sleep up to the next
//! millisecond, which would cap an engine that sleeps before each request near 1,000 pages/s).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    sync::{OwnedSemaphorePermit, Semaphore},
    time::Instant,
};

use super::retry::Pause;

/// Sites remembered at once; past this, sites with nothing in flight and no rest due are
/// forgotten, which only costs a new robots.txt request when they come back.
const SITE_CACHE_LIMIT: usize = 256;

/// The gates of every site one fetcher has talked to.
pub(super) struct Sites<R> {
    concurrency: usize,
    pause: Pause,
    map: Mutex<HashMap<String, Arc<Site<R>>>>,
}

/// One site's gate and what the fetcher learnt about it (`R`: its robots.txt rules).
pub(super) struct Site<R> {
    concurrency: usize,
    /// How a rest is waited out.
    pause: Pause,
    slots: Arc<Semaphore>,
    /// When the next request may be sent: the end of the previous one plus the delay, or
    /// the end of a site's `Retry-After`. Only ever set when one of them applies.
    ready_at: Mutex<Option<Instant>>,
    /// Filled once by the first request to the site; the requests that arrive meanwhile wait
    /// for it instead of each fetching robots.txt again.
    pub robots: tokio::sync::OnceCell<R>,
}

/// The right to send one request to a site. Dropping it (the response read, or the request
/// abandoned) frees the slot and, when `rest` is not zero, keeps the site quiet that long.
pub(super) struct Turn<R> {
    site: Arc<Site<R>>,
    /// How long the site rests after this request; may be raised while the turn is held (the
    /// robots.txt request learns the site's `Crawl-delay`).
    pub rest: Duration,
    _permit: OwnedSemaphorePermit,
}

impl<R> Sites<R> {
    /// `concurrency`: requests one site may have in flight at once (at least one); rests
    /// are waited out with `pause`.
    pub fn new(concurrency: usize, pause: Pause) -> Self {
        Self {
            concurrency: concurrency.max(1),
            pause,
            map: Mutex::default(),
        }
    }

    /// The gate of `key` (an origin such as `http://127.0.0.1:8080`), made on first use.
    pub fn get(&self, key: &str) -> Arc<Site<R>> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(site) = map.get(key) {
            return site.clone();
        }
        if map.len() >= SITE_CACHE_LIMIT {
            let now = Instant::now();
            // A site still referenced elsewhere has requests in flight or waiting; forgetting
            // it would let a second gate admit more than the limit.
            map.retain(|_, site| Arc::strong_count(site) > 1 || site.resting_until(now).is_some());
        }
        let site = Arc::new(Site {
            concurrency: self.concurrency,
            pause: self.pause.clone(),
            slots: Arc::new(Semaphore::new(self.concurrency)),
            ready_at: Mutex::default(),
            robots: tokio::sync::OnceCell::new(),
        });
        map.insert(key.to_string(), site.clone());
        site
    }
}

impl<R> Site<R> {
    /// Waits for a free slot and, when the site is resting, for the rest to end. A request
    /// that brings a rest (`rest` > 0) takes every slot: a delay means one request at a time,
    /// each starting `rest` after the previous one ended, so the site never sees two requests
    /// closer than that, whatever the network's jitter.
    pub async fn turn(self: &Arc<Self>, rest: Duration) -> Turn<R> {
        let slots = if rest.is_zero() { 1 } else { self.concurrency };
        let permit = self
            .slots
            .clone()
            .acquire_many_owned(slots as u32)
            .await
            .expect("a site's semaphore is never closed");
        let now = Instant::now();
        if let Some(until) = self.resting_until(now) {
            self.pause.wait(until - now).await;
        }
        Turn {
            site: self.clone(),
            rest,
            _permit: permit,
        }
    }

    /// Keeps the site quiet for `wait` from now (a `Retry-After`), unless it already rests
    /// longer.
    pub fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut ready_at = self.ready_at.lock().unwrap_or_else(|p| p.into_inner());
        if ready_at.is_none_or(|at| at < until) {
            *ready_at = Some(until);
        }
    }

    fn resting_until(&self, now: Instant) -> Option<Instant> {
        let ready_at = *self.ready_at.lock().unwrap_or_else(|p| p.into_inner());
        ready_at.filter(|at| *at > now)
    }
}

impl<R> Drop for Turn<R> {
    fn drop(&mut self) {
        if !self.rest.is_zero() {
            self.site.hold(self.rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_rest_spaces_the_requests_of_one_site_only() {
        let sites = Sites::<()>::new(4, Pause::default());
        let (a, b) = (sites.get("http://a:80"), sites.get("http://b:80"));
        let rest = Duration::from_millis(200);
        let start = Instant::now();
        drop(a.turn(rest).await);
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the first turn never waits"
        );
        drop(b.turn(Duration::ZERO).await);
        drop(b.turn(Duration::ZERO).await);
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "site b does not wait for a"
        );
        let again = a.turn(rest).await;
        let waited = start.elapsed();
        assert!(
            waited >= rest && waited <= rest + Duration::from_millis(1),
            "a rests after its request: {waited:?}"
        );
        drop(again);
    }

    #[tokio::test]
    async fn at_most_the_limit_is_in_flight_and_a_rest_takes_the_whole_site() {
        let sites = Sites::<()>::new(2, Pause::default());
        let site = sites.get("http://a:80");
        let first = site.turn(Duration::ZERO).await;
        let second = site.turn(Duration::ZERO).await;
        let third = tokio::spawn({
            let site = site.clone();
            async move { drop(site.turn(Duration::ZERO).await) }
        });
        tokio::task::yield_now().await;
        assert!(!third.is_finished(), "a third request waits for a slot");
        drop(first);
        third.await.unwrap();
        // A request with a rest waits until no other request of the site is in flight.
        let lone = tokio::spawn({
            let site = site.clone();
            async move { site.turn(Duration::from_millis(1)).await.rest }
        });
        tokio::task::yield_now().await;
        assert!(!lone.is_finished());
        drop(second);
        assert_eq!(lone.await.unwrap(), Duration::from_millis(1));
    }

    #[test]
    fn sites_are_told_apart_and_kept_once() {
        let sites = Sites::<()>::new(1, Pause::default());
        assert!(Arc::ptr_eq(
            &sites.get("http://a:80"),
            &sites.get("http://a:80")
        ));
        assert!(!Arc::ptr_eq(
            &sites.get("http://a:80"),
            &sites.get("http://a:8080")
        ));
    }
}
