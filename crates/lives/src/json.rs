//! A life as data: the story and the announcements it was told from.

use hailsham_world::Happening;
use serde_json::{Value, json};

use crate::life::Life;
use crate::names::name_of;
use crate::tell::Story;

/// What the other party of `happening` is to the clone whose life it is in, as a reader
/// would say it, if it has one; `first`: whether the life's clone is the happening's first
/// party (the donor of a donation, the carer of an assignment).
fn relation(happening: &Happening, first: bool) -> Option<&'static str> {
    use hailsham_world::happening::Kind as K;
    match happening.kind() {
        K::RumourBelieved | K::CoupleFormed | K::CoupleParted | K::DeferralAsked => Some("partner"),
        K::CarerAssigned | K::CarerReleased => Some(if first { "donor" } else { "carer" }),
        K::Donation | K::Completed => Some(if first { "carer" } else { "donor" }),
        _ => None,
    }
}

/// `life` and its `story` as JSON: who (id, name, home, birth), every announcement (date,
/// kind, the other party by id and name), the people of the life (each by id, name, home,
/// birth year and what they were to this clone, in the order they first appear), and the
/// story's paragraphs with each sentence's sources (indices into `events`).
#[must_use]
pub fn to_json(life: &Life, story: &Story) -> Value {
    let own = life.own();
    let name = name_of(own.lineage);
    let date = |day: hailsham_world::Day| {
        let (y, m, d) = life.calendar.date_of(day);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let named = |id: hailsham_world::PersonId| life.fact(id).map(|fact| name_of(fact.lineage));
    // Who else the life meets, in order of first meeting, with every relation they had to it.
    let mut people: Vec<(hailsham_world::PersonId, Vec<&'static str>)> = Vec::new();
    let events: Vec<Value> = life
        .events
        .iter()
        .map(|(day, happening)| {
            let first = happening.person() == Some(life.person);
            let other = match happening.person() {
                Some(p) if p == life.person => happening.other(),
                Some(p) => Some(p),
                None => None,
            };
            if let Some(other) = other {
                let at = people
                    .iter()
                    .position(|(p, _)| *p == other)
                    .unwrap_or_else(|| {
                        people.push((other, Vec::new()));
                        people.len() - 1
                    });
                if let Some(relation) = relation(happening, first)
                    && !people[at].1.contains(&relation)
                {
                    people[at].1.push(relation);
                }
            }
            let mut event = json!({
                "date": date(*day),
                "kind": happening.kind().name(),
                "other": other.map(|p| p.0),
                "other_name": other.and_then(named).map(|name| name.to_string()),
            });
            match happening {
                Happening::Donation {
                    number,
                    organ,
                    centre,
                    completing,
                    ..
                } => {
                    event["number"] = json!(number);
                    event["organ"] = json!(organ.as_str());
                    event["centre"] = json!(life.places.centre(*centre));
                    event["completing"] = json!(completing);
                }
                Happening::LeftHome { house, tokens, .. } => {
                    event["house"] = json!(life.places.house(*house));
                    event["tokens"] = json!(tokens);
                }
                Happening::CarerAssigned { centre, how, .. } => {
                    event["centre"] = json!(life.places.centre(*centre));
                    event["how"] = json!(how.as_str());
                }
                Happening::Completed { number, .. } => event["number"] = json!(number),
                Happening::DeferralAsked { granted, .. } => event["granted"] = json!(granted),
                _ => {}
            }
            event
        })
        .collect();
    let paragraphs: Vec<Value> = story
        .paragraphs
        .iter()
        .map(|p| {
            Value::Array(
                p.iter()
                    .map(|s| json!({"text": s.text, "sources": s.sources}))
                    .collect(),
            )
        })
        .collect();
    let people: Vec<Value> = people
        .iter()
        .map(|(id, relations)| {
            let fact = life.fact(*id);
            json!({
                "id": id.0,
                "name": fact.map(|fact| name_of(fact.lineage).to_string()),
                "home": fact.map(|fact| fact.home.as_str()),
                "born": fact.map(|fact| life.calendar.year_of(fact.birth)),
                "relations": relations,
            })
        })
        .collect();
    json!({
        "id": life.person.0,
        "lineage": {"birth_year": life.lineage.birth_year, "place": life.lineage.place},
        "name": name.to_string(),
        "pronoun": name.subject(),
        "home": own.home.as_str(),
        "birth": date(own.birth),
        "completed": own.completed.map(date),
        "title": story.title,
        "paragraphs": paragraphs,
        "events": events,
        "people": people,
    })
}
