//! The event queue: a ring of per-day buckets, with a heap for events beyond the ring.
//!
//! Ordering contract: events come out by day; events of the same day come out in the order they
//! were scheduled, including events scheduled for the current day while it is being drained.
//!
//! Why this holds for events that pass through the far heap: an event goes to the heap only if
//! its day lies beyond the ring's window when it is scheduled. The window moves forward one day
//! at a time (or jumps when the ring is empty), and the moment a day enters the window every
//! heap event for it moves into its bucket, in (day, sequence) order. Until that moment no event
//! for that day can have gone to the bucket, so the heap events stand first, as they should.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::clock::Day;

/// Default ring size: 4,096 days (about eleven years) covers nearly every delay a model books.
const HORIZON_DAYS_DEFAULT: u32 = 1 << 12;

/// Drained days' vectors kept for the next days to fill, at most. A bucket that receives its
/// first event takes one; in a steady run as many days start filling as are drained, so a
/// small stock suffices.
const SPARE_BUCKETS_MAX: usize = 16;

/// The largest vector kept for reuse, in events. The bucket that takes a spare is most often
/// one far ahead receiving its first event, which may hold that one event for years: a busy
/// day's vector there would hold memory for events that never come, in bucket after bucket. A
/// busy day allocates once for dozens of events, which costs little per event; it is the quiet
/// days, one or two events each, that would otherwise allocate once per event.
const SPARE_EVENTS_MAX: usize = 16;

/// A priority queue of events keyed by [`Day`], with insertion order as the tie order.
#[derive(Debug)]
pub struct EventQueue<E> {
    /// The day being drained; every event still queued is on this day or later.
    now: u32,
    /// Position of the next event to hand out in the current day's bucket.
    cursor: usize,
    /// `buckets[day & mask]` holds the events of `day` for `now <= day < now + horizon`.
    buckets: Vec<Vec<E>>,
    mask: u32,
    /// Events at or beyond `now + horizon`, as a min-heap on (day, sequence).
    far: BinaryHeap<Far<E>>,
    sequence: u64,
    len: usize,
    /// Empty vectors with capacity, from drained days, for buckets that receive their first
    /// event (see [`EventQueue::recycle`]).
    spare: Vec<Vec<E>>,
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue whose clock stands at day 0.
    #[must_use]
    pub fn new() -> EventQueue<E> {
        EventQueue::with_horizon(HORIZON_DAYS_DEFAULT)
    }

    /// An empty queue with a ring of `horizon_days` buckets (rounded up to a power of two).
    ///
    /// # Panics
    /// If `horizon_days` is zero or above 2^24.
    #[must_use]
    pub fn with_horizon(horizon_days: u32) -> EventQueue<E> {
        assert!(
            horizon_days > 0 && horizon_days <= 1 << 24,
            "horizon out of range"
        );
        let horizon = horizon_days.next_power_of_two();
        EventQueue {
            now: 0,
            cursor: 0,
            buckets: (0..horizon).map(|_| Vec::new()).collect(),
            mask: horizon - 1,
            far: BinaryHeap::new(),
            sequence: 0,
            len: 0,
            spare: Vec::new(),
        }
    }

    /// The day the queue's clock stands at: the day of the last event handed out.
    #[inline]
    #[must_use]
    pub fn now(&self) -> Day {
        Day(self.now)
    }

    /// Events waiting.
    #[inline]
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event is waiting.
    #[inline]
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the queue holds on the heap (its capacity, not only what is in use).
    #[must_use]
    pub fn memory_bytes(&self) -> usize {
        let buckets: usize = self.buckets.iter().map(Vec::capacity).sum();
        let spare: usize = self.spare.iter().map(Vec::capacity).sum();
        (buckets + spare) * std::mem::size_of::<E>()
            + self.spare.capacity() * std::mem::size_of::<Vec<E>>()
            + self.buckets.capacity() * std::mem::size_of::<Vec<E>>()
            + self.far.capacity() * std::mem::size_of::<Far<E>>()
    }

    /// Books `event` for `day`.
    ///
    /// # Panics
    /// If `day` is before [`EventQueue::now`]: the past cannot be changed.
    #[inline]
    pub fn push(&mut self, day: Day, event: E) {
        assert!(
            day.0 >= self.now,
            "event booked for {day}, before the clock's day {}",
            self.now
        );
        self.len += 1;
        if day.0 - self.now <= self.mask {
            let bucket = &mut self.buckets[(day.0 & self.mask) as usize];
            if bucket.capacity() == 0
                && let Some(spare) = self.spare.pop()
            {
                *bucket = spare;
            }
            bucket.push(event);
        } else {
            self.sequence += 1;
            self.far.push(Far {
                day: day.0,
                sequence: self.sequence,
                event,
            });
        }
    }

    /// Takes the next event, or `None` if the queue is empty.
    #[inline]
    pub fn pop(&mut self) -> Option<(Day, E)> {
        self.pop_before(Day(u32::MAX))
    }

    /// Takes the next event if its day is before `end`; otherwise leaves the queue as it is
    /// (the clock may move forward to the day of the next event, never past `end`).
    pub fn pop_before(&mut self, end: Day) -> Option<(Day, E)> {
        loop {
            if self.len == 0 || self.now >= end.0 {
                return None;
            }
            let bucket = &mut self.buckets[(self.now & self.mask) as usize];
            if let Some(&event) = bucket.get(self.cursor) {
                self.cursor += 1;
                self.len -= 1;
                return Some((Day(self.now), event));
            }
            if !self.leave_drained_day(end) {
                return None;
            }
        }
    }

    /// Takes out every event of the next day that has any, if that day is before `end`: the
    /// clock moves to that day and the events come in booking order. Events booked for the
    /// same day while these are handled go to the day's (now empty) bucket, so call again
    /// before moving on: the next call returns them, still the same day.
    ///
    /// Handing out a whole day at once keeps the per-event cost of the run loop to a walk along
    /// a vector. Give the vector back with [`EventQueue::recycle`] once its events are handled,
    /// so that a later day can fill it without allocating.
    pub fn take_day_before(&mut self, end: Day) -> Option<(Day, Vec<E>)> {
        loop {
            if self.len == 0 || self.now >= end.0 {
                return None;
            }
            let bucket = &mut self.buckets[(self.now & self.mask) as usize];
            if self.cursor < bucket.len() {
                let mut events = std::mem::take(bucket);
                if self.cursor > 0 {
                    events.drain(..self.cursor);
                    self.cursor = 0;
                }
                self.len -= events.len();
                return Some((Day(self.now), events));
            }
            if !self.leave_drained_day(end) {
                return None;
            }
        }
    }

    /// Takes back a vector that [`EventQueue::take_day_before`] handed out, its events handled,
    /// for a later day to fill. Only small vectors are kept, and only a few.
    #[inline]
    pub fn recycle(&mut self, mut events: Vec<E>) {
        if self.spare.len() < SPARE_BUCKETS_MAX && events.capacity() <= SPARE_EVENTS_MAX {
            events.clear();
            self.spare.push(events);
        }
    }

    /// The current day is drained: moves the clock to the next day that may hold events (the
    /// next day, or straight to the next far day when the ring is empty), never to `end` or
    /// past it. Returns whether the clock moved to a day before `end`.
    fn leave_drained_day(&mut self, end: Day) -> bool {
        // The day's vector leaves its bucket rather than staying at the capacity of its busiest
        // day ever, which summed over the ring would be several times the events waiting; it
        // joins the spares, and the next bucket to receive an event takes it.
        let drained = std::mem::take(&mut self.buckets[(self.now & self.mask) as usize]);
        if drained.capacity() > 0 {
            self.recycle(drained);
        }
        self.cursor = 0;
        if self.len == self.far.len() {
            // Nothing in the ring: jump straight to the next far day.
            let next = self.far.peek().expect("len counts the far events").day;
            self.now = next.min(end.0);
            if self.now >= end.0 {
                return false;
            }
        } else {
            self.now += 1;
        }
        self.migrate();
        true
    }

    /// Moves far events that now fall inside the window into their buckets, in order.
    fn migrate(&mut self) {
        let limit = u64::from(self.now) + u64::from(self.mask);
        while let Some(top) = self.far.peek() {
            if u64::from(top.day) > limit {
                break;
            }
            let far = self.far.pop().expect("peeked");
            self.buckets[(far.day & self.mask) as usize].push(far.event);
        }
    }
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue::new()
    }
}

#[derive(Debug)]
struct Far<E> {
    day: u32,
    sequence: u64,
    event: E,
}

impl<E> PartialEq for Far<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.day, self.sequence) == (other.day, other.sequence)
    }
}
impl<E> Eq for Far<E> {}
impl<E> PartialOrd for Far<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Far<E> {
    // Reversed: BinaryHeap is a max-heap and we want the earliest (day, sequence) on top.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.day, other.sequence).cmp(&(self.day, self.sequence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goal: the queue hands events out exactly as a stable sort on day would.
    /// Method: book a pseudo-random mix of near and far days, some while draining, and compare
    /// with a reference built from (day, booking order).
    #[test]
    fn matches_a_stable_sort_on_day() {
        let mut queue = EventQueue::with_horizon(16);
        let mut reference: Vec<(u32, u64, u32)> = Vec::new();
        let mut booked = 0_u64;
        let mut x = 12345_u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for id in 0..500_u32 {
            let day = (next() % 200) as u32;
            queue.push(Day(day), id);
            reference.push((day, booked, id));
            booked += 1;
        }
        let mut out = Vec::new();
        let mut id = 500_u32;
        while let Some((day, event)) = queue.pop() {
            out.push((day.0, event));
            // Book more while draining: some the same day, some near, some far.
            if event % 7 == 0 && id < 900 {
                let later = day.0 + [0, 1, 15, 16, 40][(next() % 5) as usize];
                queue.push(Day(later), id);
                reference.push((later, booked, id));
                booked += 1;
                id += 1;
            }
        }
        reference.sort_by_key(|&(day, order, _)| (day, order));
        let expected: Vec<(u32, u32)> = reference.iter().map(|&(d, _, e)| (d, e)).collect();
        assert_eq!(out, expected);
        assert!(queue.is_empty());
    }

    /// Goal: taking whole days gives the same order as taking events one by one, including
    /// events booked for the day being handled. Method: the same bookings through both.
    #[test]
    fn taking_days_matches_taking_events() {
        fn book(queue: &mut EventQueue<u32>, day: u32, event: u32, log: &mut Vec<(u32, u32)>) {
            log.push((day, event));
            if event.is_multiple_of(5) && event < 400 {
                // Some events book another for the same day, some for later.
                queue.push(Day(day + (event % 3)), event + 1000);
            }
        }
        let fill = |queue: &mut EventQueue<u32>| {
            for event in 0..300_u32 {
                queue.push(Day((event * 7919) % 97), event);
            }
        };
        let (mut one, mut all) = (EventQueue::with_horizon(8), EventQueue::with_horizon(8));
        fill(&mut one);
        fill(&mut all);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        while let Some((day, event)) = one.pop() {
            book(&mut one, day.0, event, &mut a);
        }
        while let Some((day, events)) = all.take_day_before(Day(u32::MAX)) {
            for &event in &events {
                book(&mut all, day.0, event, &mut b);
            }
            all.recycle(events);
        }
        assert_eq!(a, b);
        assert!(a.len() > 300);
    }

    /// Goal: recycling keeps quiet days from allocating without letting a busy day's vector
    /// linger. Method: a busy day, then quiet days; the busy vector is not kept, small ones are,
    /// and a recycled vector comes back empty.
    #[test]
    fn recycling_keeps_small_vectors_only() {
        let mut queue = EventQueue::with_horizon(8);
        for event in 0..1_000_u32 {
            queue.push(Day(0), event);
        }
        let (_, busy) = queue.take_day_before(Day(1)).expect("day 0 has events");
        assert_eq!(busy.len(), 1_000);
        queue.recycle(busy);
        assert!(queue.spare.is_empty(), "a busy day's vector is dropped");
        queue.push(Day(1), 7);
        let (_, quiet) = queue.take_day_before(Day(2)).expect("day 1 has one event");
        queue.recycle(quiet);
        assert_eq!(queue.spare.len(), 1, "a quiet day's vector is kept");
        queue.push(Day(3), 8);
        assert!(queue.spare.is_empty(), "the next bucket to fill takes it");
        assert_eq!(queue.take_day_before(Day(9)), Some((Day(3), vec![8])));
        for _ in 0..100 {
            queue.recycle(Vec::with_capacity(4));
        }
        assert_eq!(queue.spare.len(), SPARE_BUCKETS_MAX, "the stock is bounded");
    }

    #[test]
    fn pop_before_stops_at_the_end_day_and_resumes() {
        let mut queue = EventQueue::with_horizon(4);
        queue.push(Day(3), 'a');
        queue.push(Day(100), 'b');
        assert_eq!(queue.pop_before(Day(3)), None);
        assert_eq!(queue.pop_before(Day(4)), Some((Day(3), 'a')));
        assert_eq!(queue.pop_before(Day(50)), None);
        assert!(queue.now() <= Day(50));
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.pop(), Some((Day(100), 'b')));
        assert_eq!(queue.pop(), None);
    }

    #[test]
    #[should_panic(expected = "before the clock")]
    fn booking_in_the_past_is_a_bug() {
        let mut queue = EventQueue::with_horizon(4);
        queue.push(Day(5), ());
        let _ = queue.pop();
        queue.push(Day(4), ());
    }
}
