//! The time budget of the parse running on this thread: a deadline and the import's cancel
//! switch, checked by the parsers' loops so a pathological file is abandoned (and a cancelled
//! import stops) within moments, wherever the parser is.
//!
//! A thread cannot be killed, and rayon threads cannot even be told apart, so the budget is
//! cooperative: the importer sets it around one file's (or one record's) parse with [`within`],
//! and parser loops call [`exhausted`] once per token, event or node. Once it says yes it keeps
//! saying yes, so every loop on the way out stops too and the parse returns quickly with partial
//! results, which the importer throws away. Code that runs outside [`within`] (tests, the
//! fuzzers, the viewer) is never stopped.
//!
//! The calls also count, per budget, the work they stand for: tests assert on that count that a
//! parser's work grows linearly with its input.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why a parse was stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The time limit passed.
    TimeLimit,
    /// The import was cancelled.
    Cancelled,
}

/// How a budgeted parse went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spent {
    /// Calls to [`exhausted`]: the tokens, events and nodes the parsers went through.
    pub steps: u64,
    pub stopped: Option<Stop>,
}

/// The clock and the cancel switch are read once every this many steps: a step is a token or a
/// node (tens of nanoseconds), so a stop is noticed within microseconds.
const STEPS_PER_LOOK: u32 = 256;

struct Budget {
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
    until_look: u32,
    spent: Spent,
}

thread_local! {
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Runs `parse` under a budget of `limit` (none: no deadline) and the `cancel` switch, and says
/// what it spent. Budgets nest: rayon may run another file's parse on this thread while this one
/// waits, and that one gets its own budget, after which this one's is back.
pub fn within<R>(limit: Option<Duration>, cancel: Option<&Arc<AtomicBool>>, parse: impl FnOnce() -> R) -> (R, Spent) {
    let budget = Budget {
        deadline: limit.and_then(|l| Instant::now().checked_add(l)),
        cancel: cancel.cloned(),
        until_look: 0,
        spent: Spent::default(),
    };
    /// Puts the outer budget back when the parse ends, also by a panic (caught further up).
    struct Restore(Option<Budget>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            BUDGET.with_borrow_mut(|b| *b = outer);
        }
    }
    let restore = Restore(BUDGET.with_borrow_mut(|b| b.replace(budget)));
    let result = parse();
    let spent = BUDGET.with_borrow(|b| b.as_ref().map(|b| b.spent)).unwrap_or_default();
    drop(restore);
    (result, spent)
}

/// One step of work; true once the parse must stop (the deadline passed or the import was
/// cancelled), and from then on. Always false outside [`within`].
pub fn exhausted() -> bool {
    BUDGET.with_borrow_mut(|slot| {
        let Some(b) = slot else { return false };
        b.spent.steps += 1;
        if b.spent.stopped.is_some() {
            return true;
        }
        if b.until_look > 0 {
            b.until_look -= 1;
            return false;
        }
        b.until_look = STEPS_PER_LOOK;
        if b.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
            b.spent.stopped = Some(Stop::Cancelled);
        } else if b.deadline.is_some_and(|d| Instant::now() >= d) {
            b.spent.stopped = Some(Stop::TimeLimit);
        }
        b.spent.stopped.is_some()
    })
}

/// Why the parse on this thread was stopped, if it was (not counted as a step).
pub fn stop() -> Option<Stop> {
    BUDGET.with_borrow(|slot| slot.as_ref().and_then(|b| b.spent.stopped))
}

/// Within a budget, starts the time limit again for the next of several parses (the records of
/// a JSON Lines file): a record that ran out of time stops only itself. A cancel stays.
pub fn restart(limit: Option<Duration>) {
    BUDGET.with_borrow_mut(|slot| {
        if let Some(b) = slot {
            b.deadline = limit.and_then(|l| Instant::now().checked_add(l));
            b.until_look = 0;
            if b.spent.stopped == Some(Stop::TimeLimit) {
                b.spent.stopped = None;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_and_cancels_stop_and_stay_stopped() {
        let (steps, spent) = within(Some(Duration::ZERO), None, || (0..10_000).take_while(|_| !exhausted()).count());
        assert_eq!(spent.stopped, Some(Stop::TimeLimit));
        assert!(steps < 10_000 && !exhausted(), "stopped early, and only inside the budget");
        let cancel = Arc::new(AtomicBool::new(true));
        let (_, spent) = within(None, Some(&cancel), || while !exhausted() {});
        assert_eq!(spent.stopped, Some(Stop::Cancelled));
        let (_, spent) = within(Some(Duration::from_secs(60)), None, || (0..1000).for_each(|_| assert!(!exhausted())));
        assert_eq!(spent, Spent { steps: 1000, stopped: None });
    }

    #[test]
    fn budgets_nest() {
        let (inner, outer) = within(Some(Duration::from_secs(60)), None, || {
            exhausted();
            let (_, inner) = within(Some(Duration::ZERO), None, || while !exhausted() {});
            assert!(!exhausted(), "the outer budget is back, unstopped");
            inner
        });
        assert_eq!(inner.stopped, Some(Stop::TimeLimit));
        assert_eq!((outer.steps, outer.stopped), (2, None));
    }

    #[test]
    fn a_restart_gives_the_next_record_its_own_time() {
        let ((), spent) = within(Some(Duration::ZERO), None, || {
            assert!(exhausted());
            restart(Some(Duration::from_secs(60)));
            assert_eq!(stop(), None);
            assert!(!exhausted());
        });
        assert_eq!(spent, Spent { steps: 2, stopped: None });
    }
}
