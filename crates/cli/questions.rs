//! `hailsham questions`: the reviewers' questions, each with its answer from a fresh run.
//!
//! Every bundled scenario that asks a question and declares its `[answer]` runs against
//! `novel` with the same seed and replicates (common random numbers, as `compare` runs them),
//! over the scenario's own years; `novel` runs once for each span of years the scenarios
//! use. Each answer is the first sentence of what `report` says first
//! (`hailsham_outputs::answer`).

use std::io::{self, IsTerminal as _, Write};

use hailsham_outputs::{Answer, Comparison, Summary, answer_of, figure_keys};
use hailsham_scenario::{BUNDLED, Scenario};

use crate::Failure;
use crate::args::{QuestionsArgs, QuestionsFormat};
use crate::compare::run_all;
use crate::run::{apply_until, years_of};

/// `text` broken into lines of at most `width` characters where it has spaces, each line
/// after the first indented by `indent`.
pub(crate) fn wrap_words(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width.max(1) * 3);
    let mut line = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if line > 0 && line + 1 + length > width {
            out.push('\n');
            out.push_str(indent);
            line = indent.chars().count();
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += length;
    }
    out
}

/// One question answered.
struct Answered {
    name: &'static str,
    question: String,
    source: String,
    years: (i32, i32),
    answer: Option<Answer>,
}

pub(crate) fn questions(args: &QuestionsArgs) -> Result<(), Failure> {
    let figures = figure_keys();
    let mut asked = Vec::new();
    let mut failures = String::new();
    for bundled in BUNDLED {
        match bundled.load_with_figures(&figures) {
            Ok(scenario) if scenario.answer.is_some() => asked.push((bundled.name, scenario)),
            Ok(_) => {}
            Err(diagnostics) => failures.push_str(&diagnostics.render()),
        }
    }
    if !failures.is_empty() {
        return Err(Failure::Scenario(failures));
    }
    for (_, scenario) in &mut asked {
        apply_until(scenario, args.options.until)?;
    }
    // `novel` once for each span of years the questions use, so every pair runs alike.
    let mut spans: Vec<(i64, i64)> = Vec::new();
    for (_, scenario) in &asked {
        let span = (
            scenario.params.time.start_year,
            scenario.params.time.end_year,
        );
        if !spans.contains(&span) {
            spans.push(span);
        }
    }
    let mut runs: Vec<Scenario> = spans
        .iter()
        .map(|(start, end)| {
            let mut novel = Scenario::novel();
            novel.params.time.start_year = *start;
            novel.params.time.end_year = *end;
            novel
        })
        .collect();
    runs.extend(asked.iter().map(|(_, scenario)| scenario.clone()));
    let mut options = args.options.clone();
    // A bar only for a person watching: a pipe or a file gets the answers alone.
    options.quiet |= !io::stderr().is_terminal();
    // Only the figures are needed, so runs the store holds are served from it.
    let outcomes = run_all(&runs, &options, true)?;
    let summaries: Vec<Summary> = outcomes.into_iter().map(|run| run.summary).collect();

    let mut answered = Vec::with_capacity(asked.len());
    for (index, (name, scenario)) in asked.iter().enumerate() {
        let span = (
            scenario.params.time.start_year,
            scenario.params.time.end_year,
        );
        let base = spans.iter().position(|s| *s == span).unwrap_or(0);
        let comparison = Comparison::new(
            vec![runs[base].name.clone(), scenario.name.clone()],
            vec![
                summaries[base].clone(),
                summaries[spans.len() + index].clone(),
            ],
        );
        let pair = [runs[base].clone(), scenario.clone()];
        answered.push(Answered {
            name,
            question: scenario.question.clone(),
            source: scenario.source.clone(),
            years: years_of(&scenario.params),
            answer: answer_of(&comparison, &pair, 1),
        });
    }
    let mut out = io::stdout().lock();
    match args.format {
        QuestionsFormat::Text => write_text(&mut out, &answered, &args.options),
        QuestionsFormat::Json => write_json(&mut out, &answered, &args.options),
    }
}

fn write_text(
    out: &mut impl Write,
    answered: &[Answered],
    options: &crate::args::RunOptions,
) -> Result<(), Failure> {
    writeln!(
        out,
        "The reviewers' questions, each answered by its scenario against novel: seed {}, {} \
         replicate{} of each, paired.",
        options.seed,
        options.replicates,
        if options.replicates == 1 { "" } else { "s" }
    )?;
    writeln!(
        out,
        "`hailsham report NAME` gives the whole answer, with what it rests on."
    )?;
    for item in answered {
        writeln!(out)?;
        writeln!(
            out,
            "{} ({}-{}): {}",
            item.name, item.years.0, item.years.1, item.question
        )?;
        let sentence = item.answer.as_ref().map_or(
            "No answer: its judged figure is not one of the report's.",
            |a| a.first_sentence(),
        );
        writeln!(out, "  {sentence}")?;
    }
    Ok(())
}

fn write_json(
    out: &mut impl Write,
    answered: &[Answered],
    options: &crate::args::RunOptions,
) -> Result<(), Failure> {
    let questions: Vec<serde_json::Value> = answered
        .iter()
        .map(|item| {
            serde_json::json!({
                "scenario": item.name,
                "question": item.question,
                "source": item.source,
                "start_year": item.years.0,
                "end_year": item.years.1,
                "verdict": item.answer.as_ref().map(|a| a.verdict.as_str()),
                "answer": item.answer.as_ref().map(Answer::first_sentence),
                "sentences": item.answer.as_ref().map(|a| a.sentences.clone()),
            })
        })
        .collect();
    let document = serde_json::json!({
        "seed": options.seed,
        "replicates": options.replicates,
        "against": "novel",
        "version": env!("CARGO_PKG_VERSION"),
        "questions": questions,
    });
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| Failure::Output(anyhow::anyhow!("writing JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}
