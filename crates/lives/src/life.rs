//! One life of a replicate, gathered from the announcements: every happening that names the
//! clone, in the order announced, and the few facts about everyone else that a story needs
//! (where they grew up, when they were born, when they completed).

use hailsham_world::{
    Calendar, Day, Happening, HomeKind, Observer, Params, PersonId, Places, Replicate,
};

/// What a story needs to know about anyone it mentions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// The home created into.
    pub home: HomeKind,
    /// The day of birth.
    pub birth: Day,
    /// The day of completion, if it came in the run.
    pub completed: Option<Day>,
}

/// An observer that keeps one clone's announcements and everyone's facts.
#[derive(Debug)]
pub struct Witness {
    person: PersonId,
    events: Vec<(Day, Happening)>,
    /// By id: a compact record per clone created (4 bytes of birth, 4 of completion, 1 home).
    facts: Vec<(u32, u32, HomeKind)>,
    humane_homes_closed: Option<Day>,
}

/// No completion yet.
const NONE: u32 = u32::MAX;

impl Witness {
    /// A witness of clone `person`'s life.
    #[must_use]
    pub fn new(person: PersonId) -> Witness {
        Witness {
            person,
            events: Vec::new(),
            facts: Vec::new(),
            humane_homes_closed: None,
        }
    }

    /// Whether `happening` belongs to the life: it names the clone as its person, or as the
    /// second party of something two people did (a couple, a carer and donor, a donation's
    /// carer). A partner's belief in the rumour is the partner's, announced for each.
    fn concerns(&self, happening: &Happening) -> bool {
        if happening.person() == Some(self.person) {
            return true;
        }
        !matches!(happening, Happening::RumourBelieved { .. })
            && happening.other() == Some(self.person)
    }
}

impl Observer for Witness {
    fn observe(&mut self, day: Day, happening: &Happening) {
        match *happening {
            Happening::Created {
                person,
                home,
                birth,
                ..
            } => {
                let index = person.0 as usize;
                if self.facts.len() <= index {
                    self.facts
                        .resize(index + 1, (0, NONE, HomeKind::Government));
                }
                self.facts[index] = (birth.0, NONE, home);
            }
            Happening::Completed { person, .. } => {
                if let Some(fact) = self.facts.get_mut(person.0 as usize) {
                    fact.1 = day.0;
                }
            }
            Happening::HumaneHomesClosed { .. } => self.humane_homes_closed = Some(day),
            _ => {}
        }
        if self.concerns(happening) {
            self.events.push((day, happening.clone()));
        }
    }
}

/// Why a life cannot be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifeError {
    /// No clone of that id was created in the run.
    NoSuchClone {
        /// The id asked for.
        id: PersonId,
        /// Clones the replicate created (ids run from 0 to one less).
        created: u64,
    },
}

impl std::fmt::Display for LifeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LifeError::NoSuchClone { id, created } => write!(
                f,
                "no clone {id} in this run: it created {created} clones, ids 0 to {}",
                created.saturating_sub(1)
            ),
        }
    }
}

impl std::error::Error for LifeError {}

/// One clone's life in a replicate: the announcements that name them, in order, and what the
/// story needs of the world around.
#[derive(Debug, Clone)]
pub struct Life {
    /// Who.
    pub person: PersonId,
    /// The announcements naming them, in the order the model made them (day order).
    pub events: Vec<(Day, Happening)>,
    /// The run's calendar, to date the days.
    pub calendar: Calendar,
    /// What the places are called.
    pub places: Places,
    /// The day the humane homes closed, if they did in the run.
    pub humane_homes_closed: Option<Day>,
    /// The last day of the run.
    pub end: Day,
    facts: Vec<(u32, u32, HomeKind)>,
}

impl Life {
    /// Runs replicate `replicate` of `params` with seed `seed` and keeps the life of clone
    /// `person`.
    ///
    /// # Errors
    /// [`LifeError::NoSuchClone`] if the replicate never creates that clone.
    pub fn witness(
        params: &Params,
        seed: u64,
        replicate: u32,
        person: PersonId,
    ) -> Result<Life, LifeError> {
        let (tally, witness) =
            Replicate::new(params, seed, replicate, Witness::new(person)).finish();
        if witness.events.is_empty() {
            return Err(LifeError::NoSuchClone {
                id: person,
                created: tally.clones_created,
            });
        }
        let start_year = i32::try_from(params.time.start_year).unwrap_or(1952);
        let calendar = Calendar::new(start_year);
        let end_year = i32::try_from(params.time.end_year).unwrap_or(start_year + 1);
        let end = Day(calendar.year_start(end_year).0.saturating_sub(1));
        Ok(Life {
            person,
            events: witness.events,
            calendar,
            places: Places::new(params),
            humane_homes_closed: witness.humane_homes_closed,
            end,
            facts: witness.facts,
        })
    }

    /// What the run knew of clone `id`, if it was created.
    #[must_use]
    pub fn fact(&self, id: PersonId) -> Option<Fact> {
        let &(birth, completed, home) = self.facts.get(id.0 as usize)?;
        Some(Fact {
            home,
            birth: Day(birth),
            completed: (completed != NONE).then_some(Day(completed)),
        })
    }

    /// This clone's own facts.
    ///
    /// # Panics
    /// Never for a life built by [`Life::witness`], which saw the creation.
    #[must_use]
    pub fn own(&self) -> Fact {
        self.fact(self.person)
            .expect("a life begins with its creation")
    }
}
