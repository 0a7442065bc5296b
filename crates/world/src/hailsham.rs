//! Life at Hailsham: tokens, Exchanges, Sales, and Madame's Gallery (docs/model.md §3).
//!
//! Students earn tokens for the work they offer at the Exchanges (four a year, novel ch. 2), spend
//! some buying each other's work there and some at the monthly Sales (novel ch. 4). Madame visits
//! and takes the best work of the last Exchange to the Gallery, whose purpose was to show that the
//! students had souls (Graeme Shimmin; a reader's review). The same calendar runs while the humane
//! homes are open.

use hailsham_engine::{DAYS_PER_YEAR, Day};

use crate::draw::{chance, index, unit};
use crate::happening::{Happening, Observer};
use crate::homes::lineage_key;
use crate::output::{HomeKind, Stage};
use crate::people::{Partner, People, Person, Ref, Slot, flag};
use crate::places::HOUSE_HAILSHAM;
use crate::world::{Bookings, Event, World};

/// Hailsham's roll and the work of its last Exchange.
#[derive(Default)]
pub(crate) struct Hailsham {
    /// Students on the roll; stale entries (left, transferred) are dropped lazily.
    students: Vec<Ref>,
    /// (quality, student) of each piece at the last Exchange, for Madame.
    last_exchange: Vec<(f32, Ref)>,
    /// Reused each month: the single senior students.
    singles: Vec<Slot>,
}

fn on_roll(people: &People, student: Ref) -> bool {
    let person: &Person = &people[student.slot];
    people.is_current(student)
        && person.stage() == Stage::Student
        && person.home() == HomeKind::Hailsham
        && !person.has(flag::TRANSFERRED)
}

impl Hailsham {
    pub fn admit(&mut self, student: Ref) {
        self.students.push(student);
    }

    pub fn close(&mut self) {
        self.students.clear();
        self.last_exchange.clear();
    }

    fn roll(&mut self, people: &People) {
        self.students.retain(|&student| on_roll(people, student));
    }

    /// Bytes held on the heap.
    pub fn memory_bytes(&self) -> usize {
        self.students.capacity() * std::mem::size_of::<Ref>()
            + self.last_exchange.capacity() * std::mem::size_of::<(f32, Ref)>()
    }

    pub fn students_count(&self, people: &People) -> u64 {
        self.students
            .iter()
            .filter(|&&student| on_roll(people, student))
            .count() as u64
    }
}

impl<O: Observer> World<O> {
    /// Books the year's Exchanges, Sales and Madame's visits, spread evenly over the year.
    pub(crate) fn plan_hailsham_year(
        &mut self,
        start: Day,
        year_days: u32,
        schedule: &mut Bookings<'_>,
    ) {
        let hailsham = &self.params.hailsham;
        let spread = |count: i64, offset: f64| {
            let count = u32::try_from(count).expect("counts are small and non-negative");
            (0..count).map(move |k| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let day =
                    ((f64::from(k) + offset) * f64::from(year_days) / f64::from(count)) as u32;
                day.min(year_days - 1)
            })
        };
        for day in spread(hailsham.exchanges_per_year, 0.5) {
            schedule.at(start.plus(day), Event::Exchange);
        }
        for day in spread(hailsham.sales_per_year, 0.25) {
            schedule.at(start.plus(day), Event::Sale);
        }
        // Madame comes after an Exchange, to choose from fresh work.
        for day in spread(hailsham.madame_visits_per_year, 0.75) {
            schedule.at(start.plus(day), Event::MadameVisit);
        }
    }

    /// A month at Hailsham: senior couples part, then single seniors pair off (novel ch. 5-9).
    pub(crate) fn hailsham_month(&mut self, now: Day) {
        let hailsham = &self.params.hailsham;
        if hailsham.couple_formation_per_year <= 0.0 && hailsham.couple_breakup_per_year <= 0.0 {
            return;
        }
        let breakup = 1.0 - (-hailsham.couple_breakup_per_year / 12.0).exp();
        let formation = 1.0 - (-hailsham.couple_formation_per_year / 12.0).exp();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let senior_days = (hailsham.couple_age_years * DAYS_PER_YEAR) as u32;
        self.hailsham.roll(&self.people);
        let mut singles = std::mem::take(&mut self.hailsham.singles);
        singles.clear();
        for i in 0..self.hailsham.students.len() {
            let a = self.hailsham.students[i].slot;
            if now.since(self.people[a].birth()) < senior_days {
                continue;
            }
            match self.people[a].living_partner() {
                None => singles.push(a),
                // Each couple at Hailsham is looked at once, by its lower slot.
                Some(b) if b > a && on_roll(&self.people, self.people.reference(b)) => {
                    if chance(&mut self.rng.hailsham, breakup) {
                        self.part(now, a, b, HOUSE_HAILSHAM);
                    }
                }
                Some(_) => {}
            }
        }
        for i in 0..singles.len() {
            let a = singles[i];
            if self.people[a].partner() != Partner::None
                || !chance(&mut self.rng.hailsham, formation)
            {
                continue;
            }
            let b = singles[index(&mut self.rng.hailsham, singles.len())];
            if b == a || self.people[b].partner() != Partner::None {
                continue;
            }
            self.pair(now, a, b, HOUSE_HAILSHAM);
        }
        self.hailsham.singles = singles;
    }

    pub(crate) fn exchange(&mut self, now: Day) {
        self.hailsham.roll(&self.people);
        self.hailsham.last_exchange.clear();
        let hailsham = &self.params.hailsham;
        let rng = &mut self.rng.hailsham;
        let mut awarded = 0_u64;
        let mut spent = 0_u64;
        // Casts below take the floor: `as` truncates toward zero, and these values are never
        // negative (a call to `floor` is not inlined on the baseline x86-64 target).
        for &student in &self.hailsham.students {
            let talent =
                self.nature
                    .talent(lineage_key(&self.people, &self.calendar, student.slot));
            // Every student offers work at an Exchange, so each has rare fields from the first.
            let rare = self.people.rare_mut(student.slot);
            let mut tokens_held = rare.tokens;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pieces = hailsham.pieces_per_exchange as u32
                + u32::from(chance(rng, hailsham.pieces_per_exchange.fract()));
            for _ in 0..pieces {
                // Quality mixes the student's talent with the day's luck; 0.5 on average.
                #[allow(clippy::cast_possible_truncation)]
                let quality = (0.7 * talent + 0.3 * unit(rng)) as f32;
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let tokens = (hailsham.tokens_per_piece * 2.0 * f64::from(quality)).round() as u16;
                tokens_held = tokens_held.saturating_add(tokens);
                awarded += u64::from(tokens);
                self.hailsham.last_exchange.push((quality, student));
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let spend = (f64::from(tokens_held) * hailsham.exchange_spend_share) as u16;
            rare.tokens = tokens_held - spend;
            spent += u64::from(spend);
        }
        let students = u32::try_from(self.hailsham.students.len()).expect("a roll fits in u32");
        let pieces =
            u32::try_from(self.hailsham.last_exchange.len()).expect("an Exchange fits in u32");
        self.announce(
            now,
            Happening::Exchange {
                students,
                pieces,
                tokens_awarded: awarded,
                tokens_spent: spent,
            },
        );
    }

    pub(crate) fn sale(&mut self, now: Day) {
        self.hailsham.roll(&self.people);
        let share = self.params.hailsham.sale_spend_share;
        let mut spent = 0_u64;
        for &student in &self.hailsham.students {
            // A student admitted since the last Exchange has no tokens yet.
            if let Some(rare) = self.people.rare_if_any(student.slot) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let spend = (f64::from(rare.tokens) * share) as u16;
                rare.tokens -= spend;
                spent += u64::from(spend);
            }
        }
        self.announce(
            now,
            Happening::Sale {
                tokens_spent: spent,
            },
        );
    }

    pub(crate) fn madame_visit(&mut self, now: Day) {
        let mut pieces = std::mem::take(&mut self.hailsham.last_exchange);
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let taken = ((pieces.len() as f64) * self.params.hailsham.gallery_share).round() as usize;
        // Madame takes the best `taken`. Equal work goes by student id, so the order is total
        // and the set taken is one; only the set matters, so it is selected, not sorted.
        if taken > 0 && taken < pieces.len() {
            pieces.select_nth_unstable_by(taken - 1, |a, b| {
                b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id))
            });
        }
        for &(_, student) in pieces.iter().take(taken) {
            self.announce(now, Happening::GalleryPiece { person: student.id });
        }
        // A piece goes to the Gallery once; the vector is kept for the next Exchange.
        pieces.clear();
        self.hailsham.last_exchange = pieces;
    }
}
