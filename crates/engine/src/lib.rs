//! A small deterministic discrete-event engine. It knows nothing of the novel.
//!
//! The principal types:
//!
//! - [`Day`]: simulated time, a whole number of days since the first day of the run, and
//!   [`Calendar`], which turns days into calendar years and back;
//! - [`EventQueue`]: a bucket queue keyed by day, with a written tie order (events of the
//!   same day come out in the order they were scheduled);
//! - [`Streams`]: independent random streams keyed by (seed, replicate, purpose), so a
//!   result never depends on thread count or on the order replicates run in;
//! - [`Model`] and [`Simulation`]: the run loop hands each event to the model together with a
//!   [`Schedule`] through which the model books new events.
//!
//! ```
//! use hailsham_engine::{Day, Model, Schedule, Simulation};
//!
//! /// A clock that ticks every seven days and counts its ticks.
//! struct Weekly { ticks: u32 }
//!
//! impl Model for Weekly {
//!     type Event = ();
//!     fn handle(&mut self, _event: (), schedule: &mut Schedule<'_, ()>) {
//!         self.ticks += 1;
//!         schedule.after(7, ());
//!     }
//! }
//!
//! let mut simulation = Simulation::new(Weekly { ticks: 0 });
//! simulation.schedule(Day(0), ());
//! simulation.run_until(Day(70));
//! assert_eq!(simulation.model.ticks, 10);
//! ```
//!
//! The main design decision: time is discrete (days) and events are small `Copy` values, so the
//! queue can be an array of per-day buckets instead of a heap. Scheduling and handling are then
//! O(1), and the tie order is insertion order by construction rather than by a sequence number
//! compared on every operation. Events further ahead than the bucket ring (the horizon) wait in
//! a heap and move into the ring as the clock approaches them.
#![deny(missing_docs)]

mod clock;
mod queue;
mod random;
mod run;

pub use clock::{Calendar, DAYS_PER_YEAR, Day};
pub use queue::EventQueue;
pub use random::{Keyed, Stream, Streams};
pub use run::{Model, Schedule, Simulation};
