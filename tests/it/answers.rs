//! The reviewers' scenarios answer their questions: every `[answer]` names real figures and
//! parameters, its first sentence names a figure it declares whatever the numbers, and
//! `hailsham questions` answers all ten.

use hailsham_outputs::{Comparison, Declaration, FIGURES, Summary, answer, figure_index};
use hailsham_scenario::{BUNDLED, Scenario};
use hailsham_world::Params;

use crate::cli::hailsham;

fn figure_keys() -> Vec<&'static str> {
    FIGURES.iter().map(|figure| figure.key).collect()
}

/// The bundled scenarios that ask a question, loaded with their answers' figures checked.
fn asking() -> Vec<Scenario> {
    let keys = figure_keys();
    BUNDLED
        .iter()
        .map(|bundled| {
            bundled
                .load_with_figures(&keys)
                .unwrap_or_else(|d| panic!("{}: {}", bundled.name, d.render()))
        })
        .filter(|scenario| !scenario.question.is_empty())
        .collect()
}

/// The scenario's answer in the report's terms, as the binary makes it.
fn declaration(scenario: &Scenario) -> Declaration {
    hailsham_outputs::answer::declaration(&Scenario::novel(), scenario).expect("an answer")
}

#[test]
fn every_reviewers_scenario_declares_real_figures_and_parameters() {
    let scenarios = asking();
    assert_eq!(scenarios.len(), 10, "the ten reviewers' questions");
    for scenario in &scenarios {
        let declared = scenario.answer.as_ref().expect("each declares an answer");
        for key in declared.figures.iter().chain(&declared.by_construction) {
            assert!(
                figure_index(key).is_some(),
                "{}: `{key}` is a figure",
                scenario.name
            );
        }
        assert!(declared.figures.contains(&declared.yes_when.figure));
        for (section, key) in &declared.assumptions {
            assert!(
                Params::spec(section, key).is_some(),
                "{}: `{section}.{key}` is a parameter",
                scenario.name
            );
        }
        assert!(
            !declared.assumptions.is_empty(),
            "{}: says what it rests on",
            scenario.name
        );
    }
    for name in ["novel", "world"] {
        let bundled = hailsham_scenario::Bundled::find(name).expect("bundled");
        assert_eq!(
            bundled.load().expect("loads").answer,
            None,
            "{name} asks nothing"
        );
    }
}

/// Replicates of every figure at `level`, each replicate moved by `spread` times a fixed
/// pattern, so a pairing's interval is known to lie above, below or across zero.
fn replicates(level: f64, spread: f64, count: usize) -> Summary {
    let pattern = [0.0, 1.0, -1.0, 0.5, -0.5];
    Summary::from_replicates(
        (0..count)
            .map(|r| vec![level + spread * pattern[r % pattern.len()]; FIGURES.len()])
            .collect(),
    )
}

/// Whatever the numbers (a clear rise or fall, the same, noise, one replicate, no value), the
/// first sentence of each answer names one of the figures the scenario declares.
#[test]
fn every_answers_first_sentence_names_a_declared_figure() {
    let base = replicates(0.4, 0.01, 5);
    let cases = [
        ("a rise", replicates(0.6, 0.01, 5), 5),
        ("a fall", replicates(0.2, 0.01, 5), 5),
        ("no change", replicates(0.4, 0.01, 5), 5),
        ("noise", replicates(0.4, 0.05, 5), 5),
        ("no value", replicates(f64::NAN, 0.0, 5), 5),
        ("one replicate", replicates(0.6, 0.0, 1), 1),
    ];
    for scenario in asking() {
        let declared = declaration(&scenario);
        let labels: Vec<&str> = declared
            .figures
            .iter()
            .filter_map(|key| figure_index(key))
            .map(|f| FIGURES[f].label)
            .collect();
        for (case, other, count) in &cases {
            let base = if *count == 1 {
                replicates(0.4, 0.0, 1)
            } else {
                base.clone()
            };
            let comparison = Comparison::new(
                vec!["novel".into(), scenario.name.clone()],
                vec![base, other.clone()],
            );
            let told = answer(&comparison, 1, &declared).expect("an answer");
            let first = told.first_sentence();
            assert!(
                labels.iter().any(|label| first.contains(label)),
                "{} ({case}): `{first}` names none of {labels:?}",
                scenario.name
            );
            assert!(first.ends_with('.'), "{first}");
            assert!(
                !told.paragraph().contains('×'),
                "no ratios: {}",
                told.paragraph()
            );
        }
    }
}

#[test]
fn questions_answers_all_ten_in_a_sentence_each() {
    let result = hailsham(&["questions", "--replicates", "2"]);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let lines: Vec<&str> = result.stdout.lines().collect();
    let asked: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.starts_with(' ') && line.ends_with('?'))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(asked.len(), 10, "ten questions:\n{}", result.stdout);
    for scenario in asking() {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{} (", scenario.name))
                    && l.ends_with(&scenario.question)),
            "{} and its question:\n{}",
            scenario.name,
            result.stdout
        );
    }
    for i in asked {
        let answer = lines.get(i + 1).copied().unwrap_or_default();
        assert!(
            answer.starts_with("  ") && answer.trim_end().ends_with('.') && answer.len() > 40,
            "an answer line under `{}`: `{answer}`",
            lines[i]
        );
    }
    assert!(
        result.stderr.is_empty(),
        "no progress when not a terminal: {}",
        result.stderr
    );
}
