//! The page's JSON of what the report computes: figures with intervals, a run's series as
//! means and intervals by year, comparisons and the questions' answers (docs/serve.md). Only
//! shapes are made here; every number comes from `hailsham-report`.

use hailsham_outputs::{
    Comparison, Declaration, Estimate, FIGURES, Summary, answer, bounds, changes, declaration,
    difference_bounds,
};
use hailsham_scenario::Scenario;
use serde_json::{Value, json};

/// An estimate in the page's terms, clamped to what its unit allows (a share stays in 0..1,
/// a count at or above 0); a figure without a value is null.
pub(crate) fn estimate_json(estimate: &Estimate, unit: &str, difference: bool) -> Value {
    let limits = if difference {
        difference_bounds(unit)
    } else {
        bounds(unit)
    };
    let e = estimate.clamped(limits);
    // The digits the terminal's tables print, so the page and the command line never round
    // one figure two ways.
    let printed = if difference {
        hailsham_outputs::printed_difference(&e, unit)
    } else {
        hailsham_outputs::printed(&e, unit)
    };
    json!({
        "mean": finite(e.mean),
        "low": finite(e.low),
        "high": finite(e.high),
        "n": e.n,
        "printed": { "mean": printed.mean, "low": printed.low, "high": printed.high },
    })
}

fn finite(x: f64) -> Value {
    if x.is_finite() { json!(x) } else { Value::Null }
}

/// Every figure of a summary, in the report's order.
pub(crate) fn summary_json(summary: &Summary) -> Value {
    Value::Array(
        FIGURES
            .iter()
            .zip(&summary.estimates)
            .map(|(figure, e)| {
                let mut value = estimate_json(e, figure.unit, false);
                value["key"] = json!(figure.key);
                value["label"] = json!(figure.label);
                value["unit"] = json!(figure.unit);
                value["group"] = json!(figure.group);
                value["covers"] = json!(figure.window.words());
                value
            })
            .collect(),
    )
}

/// The yearly series: for each column, the mean and 95% interval across replicates in each
/// year, clamped at zero (every column counts something).
pub(crate) fn series_json(series: &hailsham_store::StoredSeries) -> Value {
    let columns: Vec<Value> = series
        .columns
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let estimates = series.estimates(c);
            let pick = |f: fn(&Estimate) -> f64| -> Vec<Value> {
                estimates
                    .iter()
                    .map(|e| finite(f(&e.clamped(bounds("people")))))
                    .collect()
            };
            json!({
                "name": name,
                "mean": pick(|e| e.mean),
                "low": pick(|e| e.low),
                "high": pick(|e| e.high),
            })
        })
        .collect();
    json!({ "years": series.years(), "columns": columns })
}

/// The figures of `comparison`: each run's estimate, and each later run's paired difference
/// from the first.
pub(crate) fn comparison_json(comparison: &Comparison) -> Value {
    let figures: Vec<Value> = FIGURES
        .iter()
        .enumerate()
        .map(|(i, figure)| {
            let values: Vec<Value> = comparison
                .summaries
                .iter()
                .map(|s| estimate_json(&s.estimates[i], figure.unit, false))
                .collect();
            let differences: Vec<Value> = comparison
                .differences
                .iter()
                .map(|d| estimate_json(&d[i].estimate, figure.unit, true))
                .collect();
            json!({
                "key": figure.key,
                "label": figure.label,
                "unit": figure.unit,
                "covers": figure.window.words(),
                "values": values,
                "differences": differences,
            })
        })
        .collect();
    Value::Array(figures)
}

/// A question, answered where `comparison` (novel against the scenario) is given.
pub(crate) fn question_json(
    novel: &Scenario,
    scenario: &Scenario,
    comparison: Option<&Comparison>,
    runs: Option<(i64, i64)>,
    full: bool,
) -> Value {
    let declared: Option<Declaration> = declaration(novel, scenario);
    let changed: Vec<Value> = changes(&novel.params, &scenario.params)
        .into_iter()
        .map(|c| json!({ "key": c.key, "novel": c.base, "value": c.value, "unit": c.unit, "meaning": c.meaning }))
        .collect();
    let mut question = json!({
        "scenario": scenario.name,
        "question": scenario.question,
        // The change in a sentence, and the parameters it moves.
        "change": scenario.description,
        "changes": changed,
        "source": scenario.source,
        "answer": Value::Null,
        "verdict": Value::Null,
        "finding": Value::Null,
        "figures": [],
        "runs": Value::Null,
        "years": [scenario.params.time.start_year, scenario.params.time.end_year],
    });
    let (Some(comparison), Some(declared)) = (comparison, declared.as_ref()) else {
        return question;
    };
    if let Some(answered) = answer(comparison, 1, declared) {
        question["answer"] = json!(answered.first_sentence());
        question["verdict"] = json!(answered.verdict.as_str());
        question["finding"] = json!(answered.finding);
        if full {
            question["paragraph"] = json!(answered.paragraph());
        }
    }
    let table = comparison_json(comparison);
    let pick = |keys: &[String]| -> Vec<Value> {
        keys.iter()
            .filter_map(|key| {
                table
                    .as_array()?
                    .iter()
                    .find(|f| f["key"] == json!(key))
                    .map(question_figure)
            })
            .collect()
    };
    question["figures"] = json!(pick(&declared.figures));
    if let Some((novel_run, scenario_run)) = runs {
        question["runs"] = json!({ "novel": novel_run, "scenario": scenario_run });
    }
    if full {
        let all: Vec<Value> = table
            .as_array()
            .map(|figures| figures.iter().map(question_figure).collect())
            .unwrap_or_default();
        question["table"] = json!(all);
    }
    question
}

/// A comparison figure as a question shows it: novel, scenario, difference.
fn question_figure(figure: &Value) -> Value {
    json!({
        "key": figure["key"],
        "label": figure["label"],
        "unit": figure["unit"],
        "novel": figure["values"][0],
        "scenario": figure["values"][1],
        "difference": figure["differences"][0],
    })
}

#[cfg(test)]
mod tests {
    use hailsham_outputs::{FIGURES, Summary, render_table};

    use super::summary_json;

    /// Goal: the page shows each figure with the digits the command line prints (a reader
    /// saw 4.6 in the terminal and 4.65 on the page). Method: five replicates of varied
    /// figures; each figure's printed mean, as the page's JSON gives it, stands on the
    /// summary table's line for that figure.
    #[test]
    fn the_page_prints_each_figure_as_the_table_does() {
        #[allow(clippy::cast_precision_loss)]
        let replicates: Vec<Vec<f64>> = (0..5)
            .map(|r| {
                (0..FIGURES.len())
                    .map(|f| match FIGURES[f].unit {
                        "share" => 0.1 + 0.013 * r as f64 + 0.001 * f as f64,
                        "years" => 4.6 + 0.013 * r as f64,
                        _ => 1_000.0 + 37.0 * r as f64 + f as f64,
                    })
                    .collect()
            })
            .collect();
        let summary = Summary::from_replicates(replicates);
        let table = render_table(&summary, "t");
        let json = summary_json(&summary);
        for (figure, value) in FIGURES.iter().zip(json.as_array().expect("figures")) {
            let printed = value["printed"]["mean"].as_str().expect("printed");
            let line = table
                .lines()
                .find(|line| line.trim_start().starts_with(figure.label))
                .unwrap_or_else(|| panic!("a line for {}", figure.label));
            assert!(
                line.trim_start()[figure.label.len()..]
                    .split_whitespace()
                    .next()
                    == Some(printed),
                "{}: page {printed}, table {line}",
                figure.key
            );
        }
    }
}
