//! "Did you mean": the closest known name to a misspelt one, by edit distance.

use hailsham_world::{Params, SPECS};

/// The names scenario files accept at the top level besides the sections.
pub(crate) const TOP_LEVEL_KEYS: [&str; 5] = ["name", "description", "question", "source", "base"];

/// Levenshtein distance between `a` and `b`, in characters.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The most edits a name of `chars` characters may be from one suggested for it.
fn edits_allowed(chars: usize) -> usize {
    2.max(chars / 3)
}

/// The closest of `names` to `typed`, case ignored, within the edits a name of its length
/// allows (a third of it, at least two); the first of equals wins. Names too different in
/// length are not measured, so a huge typed word costs nothing. For the project's other
/// languages (sift's pattern words), which suggest as scenario files do.
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_lower = typed.to_lowercase();
    let typed_chars = typed.chars().count();
    let allowed = edits_allowed(typed_chars);
    let mut best: Option<(usize, &str)> = None;
    for name in names {
        if typed_chars.abs_diff(name.chars().count()) > allowed {
            continue;
        }
        let distance = levenshtein(&typed_lower, &name.to_lowercase());
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// Picks the best of `candidates` (label, name, rank): the smallest distance, then the lowest
/// rank, then the first; `None` if none is close enough.
///
/// The distance is at least the difference in length, so a name whose length is out of reach
/// is not measured: a typed key of megabytes costs one count of its characters, not a
/// distance computation proportional to its length for every known name.
fn best<'a>(
    typed: &str,
    candidates: impl Iterator<Item = (String, &'a str, u8)>,
) -> Option<String> {
    let typed_chars = typed.chars().count();
    let allowed = edits_allowed(typed_chars);
    let mut best: Option<(usize, u8, String)> = None;
    for (label, name, rank) in candidates {
        if typed_chars.abs_diff(name.chars().count()) > allowed {
            continue;
        }
        let distance = levenshtein(typed, name);
        if distance > allowed {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|(d, r, _)| (distance, rank) < (*d, *r))
        {
            best = Some((distance, rank, label));
        }
    }
    best.map(|(_, _, label)| label)
}

/// What a key unknown in `section` probably meant: a key of the same section (`carer_share`),
/// or of another section, written with its table (`[care] carer_share`). An exact match in
/// another section beats a near one in the same section.
pub(crate) fn suggest_key(section: &str, key: &str) -> Option<String> {
    best(
        key,
        SPECS.iter().map(|spec| {
            if spec.section == section {
                (spec.key.to_string(), spec.key, 0)
            } else {
                (format!("[{}] {}", spec.section, spec.key), spec.key, 1)
            }
        }),
    )
}

/// What an unknown top-level key probably meant: `name`, `description`, `question`, `source`,
/// `base`, or a parameter, written with its table.
pub(crate) fn suggest_top_level(key: &str) -> Option<String> {
    let top = TOP_LEVEL_KEYS.iter().map(|k| (k.to_string(), *k, 0));
    let params = SPECS
        .iter()
        .map(|spec| (format!("[{}] {}", spec.section, spec.key), spec.key, 1));
    best(key, top.chain(params))
}

/// Which of `names` an unknown name probably meant (a bundled scenario's, say).
pub(crate) fn suggest_name<'a>(
    typed: &str,
    names: impl Iterator<Item = &'a str>,
) -> Option<String> {
    best(typed, names.map(|name| (name.to_string(), name, 0)))
}

/// The section an unknown table name probably meant: a section of parameters, or `answer`.
pub(crate) fn suggest_section(name: &str) -> Option<String> {
    best(
        name,
        Params::sections()
            .into_iter()
            .chain(["answer"])
            .map(|section| (section.to_string(), section, 0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("", ""), 0);
        assert_eq!(levenshtein("abc", ""), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("carer_sahre", "carer_share"), 2);
        assert_eq!(levenshtein("é", "e"), 1, "characters, not bytes");
    }

    #[test]
    fn suggestions_prefer_the_same_section_then_others() {
        assert_eq!(
            suggest_key("care", "carer_sahre").as_deref(),
            Some("carer_share")
        );
        assert_eq!(
            suggest_key("care", "donations_max").as_deref(),
            Some("[donation] donations_max")
        );
        assert_eq!(suggest_key("care", "zzzzzzzzzz"), None);
        assert_eq!(
            suggest_top_level("carer_share").as_deref(),
            Some("[care] carer_share")
        );
        assert_eq!(suggest_top_level("nmae").as_deref(), Some("name"));
        assert_eq!(suggest_section("cares").as_deref(), Some("care"));
        assert_eq!(suggest_section("qqqqqqqq"), None);
    }

    /// A key of megabytes gets no suggestion, at once: before lengths were compared, every
    /// known key was measured against it, which took many seconds.
    #[test]
    fn a_huge_key_is_not_measured() {
        let huge = "carer_share".repeat(400_000);
        let started = std::time::Instant::now();
        assert_eq!(suggest_key("care", &huge), None);
        assert_eq!(suggest_top_level(&huge), None);
        assert_eq!(suggest_section(&huge), None);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // Near the bound, suggestions are as before.
        assert_eq!(
            suggest_key("care", "carer_share__").as_deref(),
            Some("carer_share")
        );
    }
}
