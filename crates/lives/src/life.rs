//! One life of a replicate, gathered from the announcements: every happening that names the
//! clone, in the order announced, and the few facts about everyone else that a story needs
//! (where they grew up, when they were born, when they completed).

use hailsham_world::{
    Calendar, Day, Happening, HomeKind, Lineage, Observer, Params, PersonId, Places, Replicate,
};

/// What a story needs to know about anyone it mentions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// The home created into.
    pub home: HomeKind,
    /// The day of birth.
    pub birth: Day,
    /// The day of completion, if it came in the run (for a life read from a stored log, a
    /// party's completion only if it came before the clone's own: the log is read no
    /// further).
    pub completed: Option<Day>,
    /// Who the clone is in any world of the seed.
    pub lineage: Lineage,
}

/// Whom a witness follows: a clone of this world by id, or a clone of any world by lineage.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Whom {
    /// The clone with this id in this world.
    Id(PersonId),
    /// The clone of this lineage, whatever its id here.
    Lineage(Lineage),
}

/// A compact record of a clone: birth day, completion day (or [`NONE`]), place in the birth
/// cohort, home.
pub(crate) type Record = (u32, u32, u32, HomeKind);

/// What a life knows of the clones: every clone's record by id (a witnessed run sees every
/// creation), or the records of the life's parties only, sorted by id (a life read from a
/// stored log reads no more than it tells).
#[derive(Debug, Clone)]
pub(crate) enum Facts {
    /// By id, every clone created.
    Every(Vec<Record>),
    /// The parties of one life, by id, ascending.
    Parties(Vec<(u32, Record)>),
}

impl Facts {
    fn get(&self, id: PersonId) -> Option<&Record> {
        match self {
            Facts::Every(records) => records.get(id.0 as usize),
            Facts::Parties(records) => records
                .binary_search_by_key(&id.0, |&(id, _)| id)
                .ok()
                .map(|i| &records[i].1),
        }
    }
}

/// An observer that keeps one clone's announcements and everyone's facts.
#[derive(Debug)]
pub struct Witness {
    whom: Whom,
    /// The clone followed, once created.
    person: Option<PersonId>,
    calendar: Calendar,
    events: Vec<(Day, Happening)>,
    facts: Vec<Record>,
    humane_homes_closed: Option<Day>,
}

/// No completion yet.
pub(crate) const NONE: u32 = u32::MAX;

impl Witness {
    /// A witness of the life of `whom`, in a run dated by `calendar`.
    #[must_use]
    pub fn new(whom: Whom, calendar: Calendar) -> Witness {
        Witness {
            whom,
            person: match whom {
                Whom::Id(id) => Some(id),
                Whom::Lineage(_) => None,
            },
            calendar,
            events: Vec::new(),
            facts: Vec::new(),
            humane_homes_closed: None,
        }
    }

    /// Whether `happening` belongs to the life: it names the clone as its person, or as the
    /// second party of something two people did (a couple, a carer and donor, a donation's
    /// carer). A partner's belief in the rumour is the partner's, announced for each.
    fn concerns(&self, happening: &Happening) -> bool {
        let Some(person) = self.person else {
            return false;
        };
        if happening.person() == Some(person) {
            return true;
        }
        !matches!(happening, Happening::RumourBelieved { .. }) && happening.other() == Some(person)
    }
}

impl Observer for Witness {
    fn observe(&mut self, day: Day, happening: &Happening) {
        match *happening {
            Happening::Created {
                person,
                home,
                birth,
                place,
                ..
            } => {
                let index = person.0 as usize;
                if self.facts.len() <= index {
                    self.facts
                        .resize(index + 1, (0, NONE, 0, HomeKind::Government));
                }
                self.facts[index] = (birth.0, NONE, place, home);
                if self.whom == Whom::Lineage(Lineage::new(self.calendar.year_of(birth), place)) {
                    self.person = Some(person);
                }
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

/// The calendar of a run of `params`.
pub(crate) fn calendar_of(params: &Params) -> Calendar {
    Calendar::new(i32::try_from(params.time.start_year).unwrap_or(1952))
}

/// The last day of a run of `params`.
pub(crate) fn last_day(params: &Params, calendar: Calendar) -> Day {
    let end_year = i32::try_from(params.time.end_year).unwrap_or(calendar.start_year() + 1);
    Day(calendar.year_start(end_year).0.saturating_sub(1))
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
    /// No clone of that lineage was created in the run (its cohort was smaller).
    NoSuchLineage {
        /// The lineage asked for.
        lineage: Lineage,
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
            LifeError::NoSuchLineage { lineage } => write!(
                f,
                "this world never creates that clone: its cohort of {} has no place {}",
                lineage.birth_year, lineage.place
            ),
        }
    }
}

impl std::error::Error for LifeError {}

/// One clone's life in a replicate: the announcements that name them, in order, and what the
/// story needs of the world around.
#[derive(Debug, Clone)]
pub struct Life {
    /// Who, by id in this world.
    pub person: PersonId,
    /// Who, in any world of the seed.
    pub lineage: Lineage,
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
    pub(crate) facts: Facts,
}

impl Life {
    /// Runs replicate `replicate` of `params` with seed `seed` and keeps the life of `whom`.
    ///
    /// # Errors
    /// [`LifeError::NoSuchClone`] or [`LifeError::NoSuchLineage`] if the replicate never
    /// creates that clone.
    pub fn witness(
        params: &Params,
        seed: u64,
        replicate: u32,
        whom: Whom,
    ) -> Result<Life, LifeError> {
        let calendar = calendar_of(params);
        let witness = Witness::new(whom, calendar);
        let (tally, witness) = Replicate::new(params, seed, replicate, witness).finish();
        let Some(person) = witness.person.filter(|_| !witness.events.is_empty()) else {
            return Err(match whom {
                Whom::Id(id) => LifeError::NoSuchClone {
                    id,
                    created: tally.clones_created,
                },
                Whom::Lineage(lineage) => LifeError::NoSuchLineage { lineage },
            });
        };
        let end = last_day(params, calendar);
        let &(birth, _, place, _) = &witness.facts[person.0 as usize];
        Ok(Life {
            person,
            lineage: Lineage::new(calendar.year_of(Day(birth)), place),
            events: witness.events,
            calendar,
            places: Places::new(params),
            humane_homes_closed: witness.humane_homes_closed,
            end,
            facts: Facts::Every(witness.facts),
        })
    }

    /// What the run knew of clone `id`, if it was created.
    #[must_use]
    pub fn fact(&self, id: PersonId) -> Option<Fact> {
        let &(birth, completed, place, home) = self.facts.get(id)?;
        let birth = Day(birth);
        Some(Fact {
            home,
            birth,
            completed: (completed != NONE).then_some(Day(completed)),
            lineage: Lineage::new(self.calendar.year_of(birth), place),
        })
    }

    /// This clone's own facts.
    ///
    /// # Panics
    /// Never for a life built by [`Life::witness`] or [`Life::from_log`], which saw the
    /// creation.
    #[must_use]
    pub fn own(&self) -> Fact {
        self.fact(self.person)
            .expect("a life begins with its creation")
    }
}
