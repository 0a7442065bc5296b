//! A life as data: the story and the announcements it was told from.

use hailsham_world::Happening;
use serde_json::{Value, json};

use crate::life::Life;
use crate::names::name_of;
use crate::tell::Story;

/// `life` and its `story` as JSON: who (id, name, home, birth), every announcement (date,
/// kind, the other party), and the story's paragraphs with each sentence's sources (indices
/// into `events`).
#[must_use]
pub fn to_json(life: &Life, story: &Story) -> Value {
    let own = life.own();
    let name = name_of(own.lineage);
    let date = |day: hailsham_world::Day| {
        let (y, m, d) = life.calendar.date_of(day);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let events: Vec<Value> = life
        .events
        .iter()
        .map(|(day, happening)| {
            let other = match happening.person() {
                Some(p) if p == life.person => happening.other(),
                Some(p) => Some(p),
                None => None,
            };
            let mut event = json!({
                "date": date(*day),
                "kind": happening.kind().name(),
                "other": other.map(|p| p.0),
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
    })
}
