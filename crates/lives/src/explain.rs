//! The announcements behind a story's sentences in words, for `hailsham life --explain`: each
//! as the event log holds it (its kind and columns, docs/log.md), people by name and id, places
//! by name, ages in years; never the model's own values or indices.

use hailsham_log::{LOG_COLUMNS, Names, encode};
use hailsham_table::Cell;
use hailsham_world::{DAYS_PER_YEAR, PersonId};

use crate::life::Life;
use crate::names::name_of;
use crate::tell::Story;

/// The words of a life's announcements: the names of its places, looked up once.
pub struct Explainer<'a> {
    life: &'a Life,
    names: Names,
}

impl<'a> Explainer<'a> {
    /// The explainer of `life`'s announcements.
    #[must_use]
    pub fn new(life: &'a Life) -> Explainer<'a> {
        Explainer {
            life,
            names: Names::new(life.places.clone()),
        }
    }

    /// `Kathy H. (3872)`: a clone by name and id, or by id alone where the life does not know
    /// them.
    fn person(&self, id: i32) -> String {
        let known = u32::try_from(id)
            .ok()
            .and_then(|id| self.life.fact(PersonId(id)));
        match known {
            Some(fact) => format!("{} ({id})", name_of(fact.lineage)),
            None => format!("clone {id}"),
        }
    }

    /// `story`, told of this life, with each sentence followed by the announcements it tells,
    /// in words: what `hailsham life --explain` prints and Python's `Life.explained` holds.
    #[must_use]
    pub fn story(&self, story: &Story) -> String {
        let mut out = format!("{}\n", story.title);
        for paragraph in &story.paragraphs {
            out.push('\n');
            for sentence in paragraph {
                out.push_str(&sentence.text);
                out.push('\n');
                for &index in &sentence.sources {
                    out.push_str("    | ");
                    out.push_str(&self.announcement(index));
                    out.push('\n');
                }
            }
        }
        out
    }

    /// Announcement `index` of the life in words: `1977-04-12  donation  person: Kathy H.
    /// (3872), centre: Dover, organ: kidney, number: 2`.
    #[must_use]
    pub fn announcement(&self, index: usize) -> String {
        let (day, happening) = &self.life.events[index];
        let (y, m, d) = self.life.calendar.date_of(*day);
        let date = format!("{y:04}-{m:02}-{d:02}");
        let Some(row) = encode(happening) else {
            return format!("{date}  {}", happening.kind().name());
        };
        let cells = row.values(0, 0, &self.names);
        // The replicate, the date and the kind are said first, once.
        let parts: Vec<String> = LOG_COLUMNS
            .iter()
            .zip(cells)
            .skip(3)
            .filter_map(|(column, cell)| {
                let value = match (column.name, cell) {
                    (_, Cell::Null | Cell::Date(_)) => return None,
                    ("person" | "other", Cell::Int32(id)) => self.person(id),
                    ("age_days", Cell::Int32(days)) => {
                        return Some(format!("age: {:.1} years", f64::from(days) / DAYS_PER_YEAR));
                    }
                    (_, Cell::Text(text)) => text.to_string(),
                    (_, Cell::Int32(n)) => n.to_string(),
                    (_, Cell::Int64(n)) => n.to_string(),
                    (_, Cell::Bool(yes)) => if yes { "yes" } else { "no" }.to_string(),
                    (_, Cell::Float64(x)) => format!("{x:.1}"),
                };
                Some(format!("{}: {value}", column.name))
            })
            .collect();
        format!("{date}  {}  {}", row.kind.name(), parts.join(", "))
    }
}
