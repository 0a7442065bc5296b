//! `hailsham report`: a scenario against another (by default `novel`), as one HTML page.
//!
//! Both scenarios are loaded before anything runs, and the page is refused before running if
//! its file exists and `--force` was not given, or if its folder cannot be written. The two run with the same seed and replicates
//! (common random numbers, as in `compare`). The page is written to a temporary file beside
//! the final one and renamed into place, so a file under the final name is always whole, and a
//! failed run leaves nothing behind.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use hailsham_outputs::{changes, narrative};
use hailsham_report::{PlotRun, ReportPage, charts, render_report};
use hailsham_runner::folder_names;
use hailsham_scenario::Scenario;

use crate::Failure;
use crate::args::ReportArgs;
use crate::compare::{plans, run_and_compare, years_text};

/// A file being written under a temporary name, removed unless committed.
struct PendingFile {
    temp: PathBuf,
    committed: bool,
}

impl PendingFile {
    /// Creates an empty temporary file beside `target`, before anything runs: a folder that
    /// does not exist or cannot be written is found in a moment, not after the simulations.
    fn reserve(target: &Path) -> anyhow::Result<PendingFile> {
        let name = target
            .file_name()
            .ok_or_else(|| anyhow!("output path {} has no file name", target.display()))?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".tmp-{}", std::process::id()));
        let temp = target.with_file_name(temp_name);
        fs::File::create(&temp).with_context(|| format!("cannot write {}", target.display()))?;
        crate::interrupt::remove_on_forced_exit(temp.clone());
        Ok(PendingFile {
            temp,
            committed: false,
        })
    }

    /// Writes `bytes` to the temporary file.
    fn write(&self, target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        fs::write(&self.temp, bytes).with_context(|| format!("writing {}", target.display()))
    }

    /// Renames the file into place.
    fn commit(mut self, target: &Path) -> anyhow::Result<()> {
        fs::rename(&self.temp, target)
            .with_context(|| format!("renaming into place {}", target.display()))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a drop cannot report an error.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Refuses a target that is a directory, or a file when `force` is not given.
fn check_target(target: &Path, force: bool) -> Result<(), Failure> {
    match fs::symlink_metadata(target) {
        Err(_) => Ok(()),
        Ok(meta) if meta.is_dir() => Err(Failure::Output(anyhow!(
            "output path {} is a directory",
            target.display()
        ))),
        Ok(_) if force => Ok(()),
        Ok(_) => Err(Failure::Output(anyhow!(
            "output file {} exists (use --force to replace it)",
            target.display()
        ))),
    }
}

pub(crate) fn report(args: &ReportArgs) -> Result<(), Failure> {
    let mut plans = plans(&[&args.against, &args.scenario], &args.options)?;
    let target = args.out.clone().unwrap_or_else(|| {
        let scenarios: Vec<&Scenario> = plans.iter().map(|plan| &plan.scenario).collect();
        let folders = folder_names(&scenarios);
        PathBuf::from(format!("report-{}.html", folders[1]))
    });
    check_target(&target, args.force)?;
    let pending = PendingFile::reserve(&target).map_err(Failure::Output)?;
    // The charts need every replicate's series and tallies: never served from the store.
    let compared = run_and_compare(&mut plans, &args.options, false)?;
    let (runs, comparison) = (&compared.runs, &compared.comparison);
    let scenarios: Vec<Scenario> = plans.iter().map(|plan| plan.scenario.clone()).collect();
    let (against, scenario) = (&scenarios[0], &scenarios[1]);
    let plot_runs: Vec<PlotRun<'_>> = scenarios
        .iter()
        .zip(runs)
        .map(|(s, run)| PlotRun {
            name: &s.name,
            series: &run.series,
            tallies: &run.tallies,
        })
        .collect();
    let chart_list = charts(&plot_runs, args.options.seed);
    let paragraph = narrative(comparison, 1);
    let answer = hailsham_outputs::answer_of(comparison, &scenarios, 1);
    let answered = answer
        .as_ref()
        .map(hailsham_outputs::Answer::paragraph)
        .unwrap_or_default();
    // How far it holds, if `questions --robust` left it in the store (against `novel` only:
    // that is what the plausible worlds set it against).
    let robustness = match &answer {
        Some(answer)
            if against.hash() == hailsham_runner::scenarios::baseline_for(scenario).hash() =>
        {
            let mut recorder = crate::store::recorder(&args.options.running.store);
            hailsham_runner::stored_robustness(scenario, answer.verdict, &mut recorder)?
        }
        _ => None,
    };
    let change_list = changes(&against.params, &scenario.params);
    let mut command = format!(
        "hailsham report {} --against {} --seed {} -r {}",
        args.scenario, args.against, args.options.seed, args.options.replicates
    );
    if let Some(until) = args.options.until {
        command.push_str(&format!(" --until {until}"));
    }
    let hashes = [against.hash(), scenario.hash()];
    let years = years_text(&[against, scenario], "–");
    let page = ReportPage {
        description: &scenario.description,
        question: &scenario.question,
        source: &scenario.source,
        changes: &change_list,
        comparison,
        answer: &answered,
        robustness: robustness.as_ref(),
        narrative: &paragraph,
        charts: &chart_list,
        seed: args.options.seed,
        years: &years,
        version: hailsham_outputs::VERSION,
        hashes: [&hashes[0], &hashes[1]],
        command: &command,
    };
    let html = render_report(&page).map_err(|e| Failure::Output(e.into()))?;
    // Checked again: the file may have appeared while the scenarios ran.
    check_target(&target, args.force)?;
    pending
        .write(&target, html.as_bytes())
        .map_err(Failure::Output)?;
    pending.commit(&target).map_err(Failure::Output)?;
    eprintln!("wrote {}", target.display());
    Ok(())
}
