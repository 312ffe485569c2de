//! Work shared among threads and handed on in order, a part at a time.

use crate::base::error::{Error, Result};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Condvar, Mutex};

/// A part, an item's end, or its failure.
type Msg<T> = Result<Option<T>>;

/// How work is shared: each item's size (records), how many records of
/// items past the one being taken may be under way, and which parts are
/// heavy (lines set aside, kept until taken): a heavy part waits until its
/// item is the one being taken, so memory stays bounded.
pub(super) struct Sharing<'a, T> {
    pub sizes: &'a [u64],
    pub ahead: u64,
    pub workers: usize,
    pub heavy: fn(&T) -> bool,
}

/// Runs `work(i, send)` for every item on the threads; `take` gets the
/// parts each sends, in order of item and then of sending. After a failure
/// (the lowest item's, or `take`'s) no further part is taken and the
/// threads stop.
pub(super) fn in_order<T: Send>(
    share: Sharing<'_, T>,
    work: impl Fn(usize, &mut dyn FnMut(T) -> Result<()>) -> Result<()> + Sync,
    take: &mut dyn FnMut(T) -> Result<()>,
) -> Result<()> {
    let items = share.sizes.len();
    if share.workers <= 1 || items <= 1 {
        return (0..items).try_for_each(|i| work(i, take));
    }
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..items).map(|_| channel::<Msg<T>>()).unzip();
    let senders: Vec<Mutex<Option<Sender<Msg<T>>>>> =
        senders.into_iter().map(|s| Mutex::new(Some(s))).collect();
    let mut ends = vec![0u64];
    ends.extend(share.sizes.iter().scan(0u64, |sum, n| {
        *sum = sum.saturating_add(*n);
        Some(*sum)
    }));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let taken = (Mutex::new(0usize), Condvar::new());
    // Waits until `ready(items taken)` or the work stops; false if stopped.
    let wait = |ready: &dyn Fn(usize) -> bool| {
        let mut done = taken.0.lock().unwrap_or_else(|e| e.into_inner());
        while !ready(*done) && !stop.load(Relaxed) {
            done = taken.1.wait(done).unwrap_or_else(|e| e.into_inner());
        }
        !stop.load(Relaxed)
    };
    std::thread::scope(|scope| {
        for _ in 0..share.workers {
            let (next, senders, work, wait, ends) = (&next, &senders, &work, &wait, &ends);
            let (workers, ahead, heavy) = (share.workers, share.ahead, share.heavy);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Relaxed);
                    let Some(tx) = senders.get(i).and_then(|s| s.lock().ok()?.take()) else {
                        break;
                    };
                    // Not too far ahead of the item being taken.
                    if !wait(&|done| i <= done + workers || ends[i + 1] - ends[done] <= ahead) {
                        break;
                    }
                    let mut send = |part: T| {
                        if heavy(&part) && !wait(&|done| done >= i) {
                            return Err(stopped());
                        }
                        tx.send(Ok(Some(part))).map_err(|_| stopped())
                    };
                    let r = work(i, &mut send);
                    if tx.send(r.map(|()| None)).is_err() {
                        break;
                    }
                }
            });
        }
        let result = take_all(receivers, &taken, take);
        stop.store(true, Relaxed);
        taken.1.notify_all();
        result
    })
}

/// Takes every item's parts in turn, counting the items done in `taken`.
/// The receivers are dropped on return, so a thread still sending stops.
fn take_all<T>(
    receivers: Vec<Receiver<Msg<T>>>,
    taken: &(Mutex<usize>, Condvar),
    take: &mut dyn FnMut(T) -> Result<()>,
) -> Result<()> {
    for rx in &receivers {
        loop {
            match rx.recv() {
                Ok(Ok(Some(part))) => take(part)?,
                Ok(Ok(None)) => break,
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err(stopped()),
            }
        }
        *taken.0.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        taken.1.notify_all();
    }
    Ok(())
}

/// What a thread's work returns once the parts are no longer wanted (never
/// shown: the failure that stopped the work is).
fn stopped() -> Error {
    Error::Table {
        place: String::new(),
        message: "stopped".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Parts come in order whatever the threads and however many parts
        /// each item has; a failure is the lowest failing item's, and no
        /// part after it is taken.
        #[test]
        fn parts_come_in_order(
            parts in proptest::collection::vec(0usize..12, 0..40),
            workers in 1usize..5,
            fail in proptest::option::of(0usize..40),
        ) {
            let work = |i: usize, send: &mut dyn FnMut((usize, usize)) -> Result<()>| {
                for k in 0..parts[i] {
                    send((i, k))?;
                }
                match fail {
                    Some(f) if f == i => Err(Error::Table { place: i.to_string(), message: "failed".into() }),
                    _ => Ok(()),
                }
            };
            let mut got = Vec::new();
            let sizes: Vec<u64> = parts.iter().map(|p| *p as u64).collect();
            // Parts of items divisible by three are heavy.
            let share = Sharing {
                sizes: &sizes,
                ahead: 10,
                workers,
                heavy: |p: &(usize, usize)| p.0.is_multiple_of(3),
            };
            let r = in_order(share, work, &mut |p| {
                got.push(p);
                Ok(())
            });
            let last = fail.filter(|f| *f < parts.len()).unwrap_or(parts.len());
            let want: Vec<_> = (0..parts.len())
                .take_while(|i| *i <= last)
                .flat_map(|i| (0..parts[i]).map(move |k| (i, k)))
                .collect();
            prop_assert_eq!(got, want);
            match fail.filter(|f| *f < parts.len()) {
                Some(f) => prop_assert_eq!(r.unwrap_err().to_string().contains(&f.to_string()), true),
                None => prop_assert!(r.is_ok()),
            }
        }
    }

    /// Runs eight items of ten records on two threads, the first slowly:
    /// what had started when it ended, and whether a heavy part (from the
    /// fourth item) was sent before it was taken.
    fn first_item_slow(ahead: u64, heavy: fn(&usize) -> bool) -> (usize, bool) {
        use std::sync::atomic::AtomicBool;
        let started = AtomicUsize::new(0);
        let (first_taken, early) = (AtomicBool::new(false), AtomicBool::new(false));
        let seen = AtomicUsize::new(0);
        let work = |i: usize, send: &mut dyn FnMut(usize) -> Result<()>| {
            started.fetch_max(i, Relaxed);
            if i == 0 {
                // Time for a thread to start what it should not.
                std::thread::sleep(std::time::Duration::from_millis(100));
                seen.store(started.load(Relaxed), Relaxed);
            }
            send(i)?;
            if i >= 3 && heavy(&i) && !first_taken.load(Relaxed) {
                early.store(true, Relaxed);
            }
            Ok(())
        };
        let share = Sharing {
            sizes: &[10; 8],
            ahead,
            workers: 2,
            heavy,
        };
        let mut got = Vec::new();
        in_order(share, work, &mut |p| {
            first_taken.store(true, Relaxed);
            got.push(p);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, (0..8).collect::<Vec<_>>());
        (seen.load(Relaxed), early.load(Relaxed))
    }

    /// While the first item is under way no thread starts an item more than
    /// `ahead` records (or `workers` items) past it; a heavy part waits
    /// until its item's turn.
    #[test]
    fn threads_do_not_run_too_far_ahead() {
        // Items 1 and 2 (30 records), not 3.
        assert_eq!(first_item_slow(30, |_| false), (2, false));
        // Far enough ahead to start them all, but heavy parts wait.
        let (seen, early) = first_item_slow(1000, |p| *p >= 3);
        assert!(seen >= 3, "{seen}");
        assert!(!early);
    }

    /// A failing `take` stops the threads, which may be waiting to send.
    #[test]
    fn a_failing_take_stops_the_work() {
        let work =
            |_: usize, send: &mut dyn FnMut(usize) -> Result<()>| (0..100).try_for_each(&mut *send);
        let mut n = 0;
        let share = Sharing {
            sizes: &[100; 50],
            ahead: 1000,
            workers: 3,
            heavy: |_: &usize| false,
        };
        let r = in_order(share, work, &mut |_| {
            n += 1;
            match n {
                150 => Err(stopped()),
                _ => Ok(()),
            }
        });
        assert!(r.is_err());
        assert_eq!(n, 150);
    }
}
