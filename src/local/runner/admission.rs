//! Admission of runs: a worker slot of the engine and, for an agent in a space with a
//! concurrency limit, a place in that space. A run that gets both at once starts; otherwise it
//! is Queuing until it gets them (first its space's place, then a slot, so a run waiting on its
//! space never holds a slot another space could use).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

/// One semaphore per space with a limit, made on first use with the space's stored limit
/// (a space's limit is fixed when it is created).
#[derive(Default)]
pub(super) struct SpaceGates {
    gates: Mutex<HashMap<i64, Arc<Semaphore>>>,
}

impl SpaceGates {
    fn gate(&self, space_id: i64, limit: i64) -> Arc<Semaphore> {
        self.gates
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(space_id)
            .or_insert_with(|| Arc::new(Semaphore::new(limit.max(1) as usize)))
            .clone()
    }
}

/// What a run holds, or still waits for, before it may execute.
pub(super) struct Admission {
    /// The space's gate and, once taken, the run's place in it.
    space: Option<(Arc<Semaphore>, Option<OwnedSemaphorePermit>)>,
    slot: Option<OwnedSemaphorePermit>,
}

/// The permits of an admitted run; dropping them frees its place.
pub(super) struct Admitted {
    _space: Option<OwnedSemaphorePermit>,
    _slot: OwnedSemaphorePermit,
}

impl Admission {
    /// Takes what is free now: the space's place (when `limit` is set), then a slot.
    pub(super) fn try_now(
        gates: &SpaceGates,
        slots: &Arc<Semaphore>,
        space: Option<(i64, i64)>,
    ) -> Admission {
        let space = space.map(|(id, limit)| {
            let gate = gates.gate(id, limit);
            let place = gate.clone().try_acquire_owned().ok();
            (gate, place)
        });
        let space_free = space.as_ref().is_none_or(|(_, place)| place.is_some());
        let slot = if space_free {
            slots.clone().try_acquire_owned().ok()
        } else {
            None
        };
        Admission { space, slot }
    }

    /// The run must wait before it executes.
    pub(super) fn is_queued(&self) -> bool {
        self.slot.is_none()
    }

    /// Waits for what is missing; `None` when `stop` came first.
    pub(super) async fn wait(
        self,
        slots: &Arc<Semaphore>,
        stop: &CancellationToken,
    ) -> Option<Admitted> {
        let space = match self.space {
            None => None,
            Some((_, Some(place))) => Some(place),
            Some((gate, None)) => Some(tokio::select! {
                biased;
                _ = stop.cancelled() => return None,
                place = gate.acquire_owned() => place.ok()?,
            }),
        };
        let slot = match self.slot {
            Some(slot) => slot,
            None => tokio::select! {
                biased;
                _ = stop.cancelled() => return None,
                slot = slots.clone().acquire_owned() => slot.ok()?,
            },
        };
        Some(Admitted {
            _space: space,
            _slot: slot,
        })
    }
}
