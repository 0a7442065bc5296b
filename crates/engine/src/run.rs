//! The run loop: take the next event, hand it to the model, let the model book new ones.

use crate::clock::Day;
use crate::queue::EventQueue;

/// A model the engine can run. The engine never looks inside `Event`.
pub trait Model {
    /// The closed set of things that can happen; small and `Copy`, since the queue stores it.
    type Event: Copy;

    /// Handles one event that falls on `schedule.now()`, booking any events that follow from it.
    fn handle(&mut self, event: Self::Event, schedule: &mut Schedule<'_, Self::Event>);
}

/// What a model may do with the queue while handling an event: read the clock and book.
#[derive(Debug)]
pub struct Schedule<'a, E> {
    queue: &'a mut EventQueue<E>,
}

impl<E: Copy> Schedule<'_, E> {
    /// Today.
    #[inline]
    #[must_use]
    pub fn now(&self) -> Day {
        self.queue.now()
    }

    /// Books `event` for `day` (today or later). Takes anything that converts into the
    /// queue's event, so a model may store a packed form and book its readable one.
    #[inline]
    pub fn at(&mut self, day: Day, event: impl Into<E>) {
        self.queue.push(day, event.into());
    }

    /// Books `event` for `days` days from today.
    #[inline]
    pub fn after(&mut self, days: u32, event: impl Into<E>) {
        let day = self.queue.now().plus(days);
        self.queue.push(day, event.into());
    }
}

/// A model together with its queue of future events.
#[derive(Debug)]
pub struct Simulation<M: Model> {
    /// The model, open to the caller between runs (to read tallies, drain outputs).
    pub model: M,
    queue: EventQueue<M::Event>,
    events_handled: u64,
}

impl<M: Model> Simulation<M> {
    /// A simulation of `model` with an empty queue at day 0.
    #[must_use]
    pub fn new(model: M) -> Simulation<M> {
        Simulation {
            model,
            queue: EventQueue::new(),
            events_handled: 0,
        }
    }

    /// Books `event` for `day` from outside the model (the initial events).
    pub fn schedule(&mut self, day: Day, event: impl Into<M::Event>) {
        self.queue.push(day, event.into());
    }

    /// Handles every event before `end`, in order. Returns the number handled.
    pub fn run_until(&mut self, end: Day) -> u64 {
        let mut handled = 0_u64;
        while let Some((_, events)) = self.queue.take_day_before(end) {
            for &event in &events {
                self.model.handle(
                    event,
                    &mut Schedule {
                        queue: &mut self.queue,
                    },
                );
            }
            handled += events.len() as u64;
            self.queue.recycle(events);
        }
        self.events_handled += handled;
        handled
    }

    /// Events handled since the simulation was made.
    #[must_use]
    pub fn events_handled(&self) -> u64 {
        self.events_handled
    }

    /// Bytes the queue holds on the heap.
    #[must_use]
    pub fn queue_memory_bytes(&self) -> usize {
        self.queue.memory_bytes()
    }

    /// The queue's clock.
    #[must_use]
    pub fn now(&self) -> Day {
        self.queue.now()
    }
}
