//! `hailsham questions`: the reviewers' questions, each with its answer from a fresh run.
//!
//! Every bundled scenario that asks a question and declares its `[answer]` runs against
//! `novel` with the same seed and replicates (common random numbers, as `compare` runs them),
//! over the scenario's own years; `novel` runs once for each span of years the scenarios
//! use. Each answer is the first sentence of what `report` says first
//! (`hailsham_outputs::answer`).

use std::io::{self, IsTerminal as _, Write};

use hailsham_outputs::Robustness;
use hailsham_runner::{Answered, Asking, Questions};

use crate::Failure;
use crate::args::{QuestionsArgs, QuestionsFormat};
use crate::run::Progress;

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

pub(crate) fn questions(args: &QuestionsArgs) -> Result<(), Failure> {
    let options = &args.options;
    let mut recorder = crate::store::recorder(&options.running.store);
    // A bar only for a person watching: a pipe or a file gets the answers alone.
    let progress = Progress::new(!options.running.quiet && io::stderr().is_terminal());
    let asking = Asking {
        seed: options.seed,
        replicates: options.replicates,
        until: options.until,
        threads: options.running.threads.map(|threads| threads as usize),
    };
    let answered = hailsham_runner::questions(
        &asking,
        &crate::run::limits(&options.running),
        &mut recorder,
        &progress,
        &crate::interrupt::cancel(),
    );
    progress.finish();
    let Questions { answered, served } = answered?;
    if !served.is_empty() {
        eprintln!("{}", crate::store::served_many(&served));
    }
    let robust = if args.robust {
        let progress = Progress::new(!options.running.quiet && io::stderr().is_terminal());
        let robust = hailsham_runner::robust(
            &answered,
            asking.threads,
            &crate::run::limits(&options.running),
            &mut recorder,
            &progress,
            &crate::interrupt::cancel(),
        );
        progress.finish();
        let robust = robust?;
        eprintln!(
            "robustness: {} runs, {} run now in {:.1} s, {} from the run store",
            robust.runs,
            robust.ran,
            robust.seconds,
            robust.runs - robust.ran
        );
        robust.questions
    } else {
        hailsham_runner::stored_robust(&answered, &mut recorder)?
            .map(|robust| robust.questions)
            .unwrap_or_default()
    };
    let mut out = io::stdout().lock();
    match args.format {
        QuestionsFormat::Text => write_text(&mut out, &answered, &robust, options),
        QuestionsFormat::Json => {
            let document = hailsham_runner::questions_view(&answered, &robust, &asking);
            let text = serde_json::to_string_pretty(&document)
                .map_err(|e| Failure::Output(anyhow::anyhow!("writing JSON: {e}")))?;
            writeln!(out, "{text}")?;
            Ok(())
        }
    }
}

/// The robustness of question `name`, if it was computed.
fn robustness_of<'a>(
    robust: &'a [(&'static str, Robustness)],
    name: &str,
) -> Option<&'a Robustness> {
    robust.iter().find(|(n, _)| *n == name).map(|(_, r)| r)
}

fn write_text(
    out: &mut impl Write,
    answered: &[Answered],
    robust: &[(&'static str, Robustness)],
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
            "{} ({}): {}",
            item.name,
            item.years.text("-"),
            item.question
        )?;
        let sentence = item.answer.as_ref().map_or(
            "No answer: its judged figure is not one of the report's.",
            |a| a.first_sentence(),
        );
        writeln!(out, "  {sentence}")?;
        if let Some(robustness) = robustness_of(robust, item.name) {
            writeln!(out, "  {}", wrap_words(&robustness.sentence(), 96, "  "))?;
            for index in &robustness.indices {
                writeln!(
                    out,
                    "    {:<44} first {}  total {}",
                    index.key,
                    index.first.text(),
                    index.total.text()
                )?;
            }
        }
    }
    if robust.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "(`hailsham questions --robust` says how far each answer holds over the plausible worlds)"
        )?;
    }
    Ok(())
}
