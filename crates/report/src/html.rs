//! One self-contained HTML page: a scenario against another, for a reader.
//!
//! [`render_report`] writes the question the scenario asks and where it comes from, its answer
//! (from [`crate::answer()`], when the scenario declares one), the
//! parameters it changes ([`changes`], with each value on both sides and the parameter's unit
//! and meaning from [`SPECS`]), a paragraph from [`crate::narrative`], the comparison table with
//! intervals and marks, and the six charts as inline SVG. The page loads nothing: no scripts,
//! fonts, style sheets or images from elsewhere, so it can be mailed or archived as one file.
//! It holds no date: the same inputs give the same bytes.

use std::fmt::Write as _;

use crate::plot::{Chart, PlotError};
use hailsham_outputs::changes::Change;
use hailsham_outputs::compare::{Comparison, MARK, cells};
use hailsham_outputs::{FIGURES, groups};

/// Everything a report page shows.
#[derive(Clone, Copy, Debug)]
pub struct ReportPage<'a> {
    /// The scenario reported on, with `comparison.names[1]` its name.
    pub description: &'a str,
    /// What the scenario asks; may be empty.
    pub question: &'a str,
    /// Who raised the question and where; may be empty.
    pub source: &'a str,
    /// The parameters changed against the scenario compared with.
    pub changes: &'a [Change],
    /// The two scenarios: `names[0]` is compared against, `names[1]` reported on.
    pub comparison: &'a Comparison,
    /// The answer to the question, from the scenario's `[answer]` ([`crate::answer()`]); empty
    /// for a scenario that declares none.
    pub answer: &'a str,
    /// How far the answer holds over the plausible worlds, when the run store holds it
    /// (`hailsham questions --robust`).
    pub robustness: Option<&'a hailsham_outputs::Robustness>,
    /// The paragraph in plain English on what moved.
    pub narrative: &'a str,
    /// The charts, drawn inline as SVG.
    pub charts: &'a [Chart],
    /// The master seed.
    pub seed: u64,
    /// The years run, as `1952–2000`.
    pub years: &'a str,
    /// hailsham's version.
    pub version: &'a str,
    /// The two scenarios' hashes, in the order of `comparison.names`.
    pub hashes: [&'a str; 2],
    /// The command that makes this page again.
    pub command: &'a str,
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { margin: 0; background: #fbfaf7; color: #222; font: 16px/1.5 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; }
main { max-width: 1060px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.meta { color: #666; font-size: 14px; margin-top: 0; }
p.question { font-size: 20px; font-style: italic; margin: 8px 0; }
p.source, p.note { color: #555; font-size: 14px; }
p.answer { font-size: 18px; background: #eef6ee; border-left: 4px solid #009e73; padding: 12px 16px; }
p.robust { font-size: 16px; background: #f7f4ec; border-left: 4px solid #e69f00; padding: 10px 16px; }
figure.indices { margin: 8px 0; }
figure.indices svg { max-width: 100%; height: auto; }
p.narrative { font-size: 17px; background: #f3f6fa; border-left: 4px solid #0072b2; padding: 12px 16px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { text-align: left; background: #f6f6f6; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.group td { font-weight: bold; background: #fafafa; padding-top: 10px; }
tr.moved td { background: #fff7e6; }
td.mark { color: #b35900; font-weight: bold; text-align: center; }
code { font-size: 14px; background: #f3f3f3; padding: 1px 4px; }
figure { margin: 24px 0; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; }
footer { margin-top: 32px; color: #666; font-size: 13px; }
div.scroll { overflow-x: auto; }
code, p, h1 { overflow-wrap: anywhere; }
@media (max-width: 600px) {
  main { padding: 12px 10px 32px; }
  h1 { font-size: 22px; }
  table { font-size: 12px; }
  th, td { padding: 3px 4px; }
}
";

/// The report page as one HTML document.
///
/// # Errors
///
/// [`PlotError`] if a chart cannot be drawn.
///
/// # Panics
///
/// If the comparison does not hold exactly two scenarios.
pub fn render_report(page: &ReportPage<'_>) -> Result<String, PlotError> {
    let comparison = page.comparison;
    assert_eq!(comparison.names.len(), 2, "a report compares two scenarios");
    let against = escape(&comparison.names[0]);
    let scenario = escape(&comparison.names[1]);
    let mut html = String::new();
    write_head(&mut html, page, &against, &scenario);
    write_question(&mut html, page, &scenario);
    write_changes(&mut html, page, &against, &scenario);
    html.push_str("<h2>What follows</h2>\n");
    let _ = writeln!(
        html,
        "<p class=\"narrative\">{}</p>",
        escape(page.narrative)
    );
    write_figures(&mut html, comparison, &against, &scenario);
    write_charts(&mut html, page)?;
    let _ = write!(
        html,
        "<footer>Made by hailsham {}; to make this page again: <code>{}</code></footer>\n\
         </main>\n</body>\n</html>\n",
        escape(page.version),
        escape(page.command)
    );
    Ok(html)
}

/// The page's head and its title, with the run's provenance under it.
fn write_head(html: &mut String, page: &ReportPage<'_>, against: &str, scenario: &str) {
    let replicates = page.comparison.replicates();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{scenario} against {against} · hailsham</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<main>\n"
    );
    let _ = write!(
        html,
        "<h1>{scenario} <span style=\"font-weight:normal\">against</span> {against}</h1>\n\
         <p class=\"meta\">seed {} · {replicates} replicate{} of each, with common random numbers · \
         {} · hailsham {} · scenario hashes {} ({scenario}) and {} ({against})</p>\n",
        page.seed,
        if replicates == 1 { "" } else { "s" },
        escape(page.years),
        escape(page.version),
        escape(short(page.hashes[1])),
        escape(short(page.hashes[0])),
    );
}

/// The question the scenario asks, its source, its answer and its description.
fn write_question(html: &mut String, page: &ReportPage<'_>, scenario: &str) {
    html.push_str("<h2>The question</h2>\n");
    if page.question.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"question\">{scenario} states no question: add <code>question = \"...\"</code> \
             to its file.</p>"
        );
    } else {
        let _ = writeln!(html, "<p class=\"question\">{}</p>", escape(page.question));
    }
    if !page.source.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"source\">Source: {}</p>",
            escape(page.source)
        );
    }
    // The answer comes straight after the question it answers, before anything else.
    if !page.answer.is_empty() {
        let _ = writeln!(html, "<p class=\"answer\">{}</p>", escape(page.answer));
    }
    if let Some(robustness) = page.robustness {
        html.push_str(&crate::robust::robustness_html(robustness));
    }
    if !page.description.is_empty() {
        let _ = writeln!(html, "<p>{}</p>", escape(page.description));
    }
}

/// The parameters in which the scenario differs from the one it is compared against.
fn write_changes(html: &mut String, page: &ReportPage<'_>, against: &str, scenario: &str) {
    html.push_str("<h2>What changes</h2>\n");
    if page.changes.is_empty() {
        let _ = writeln!(
            html,
            "<p>No parameter differs between {scenario} and {against}.</p>"
        );
    } else {
        let _ = write!(
            html,
            "<div class=\"scroll\"><table>\n<tr><th>parameter</th><th>{against}</th><th>{scenario}</th><th>unit</th>\
             <th>meaning</th></tr>\n"
        );
        for change in page.changes {
            let _ = writeln!(
                html,
                "<tr><td><code>{}</code></td><td class=\"number\">{}</td>\
                 <td class=\"number\">{}</td><td>{}</td><td>{}</td></tr>",
                escape(&change.key),
                escape(&change.base),
                escape(&change.value),
                escape(change.unit),
                escape(change.meaning)
            );
        }
        html.push_str("</table></div>\n");
    }
}

/// The table of figures, by group, with each paired difference and its interval.
fn write_figures(html: &mut String, comparison: &Comparison, against: &str, scenario: &str) {
    let replicates = comparison.replicates();
    html.push_str("<h2>Figures</h2>\n");
    let _ = write!(
        html,
        "<div class=\"scroll\"><table class=\"figures\">\n<tr><th>figure</th><th>{against}</th><th>{scenario}</th>\
         <th>difference</th><th>95% interval</th><th></th><th>unit</th></tr>\n"
    );
    for group in groups() {
        let _ = writeln!(
            html,
            "<tr class=\"group\"><td colspan=\"7\">{}</td></tr>",
            escape(group.heading)
        );
        for f in group.figures {
            let c = cells(comparison, 1, f);
            let _ = writeln!(
                html,
                "<tr{}><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td>\
                 <td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"mark\">{}</td>\
                 <td>{}</td></tr>",
                if c.marked { " class=\"moved\"" } else { "" },
                escape(FIGURES[f].label),
                escape(&c.base),
                escape(&c.other),
                escape(&c.difference),
                escape(&c.interval),
                if c.marked { MARK } else { "" },
                escape(FIGURES[f].unit)
            );
        }
    }
    html.push_str("</table></div>\n");
    let _ = writeln!(
        html,
        "<p class=\"note\">The difference is {scenario} minus {against}, replicate by replicate \
         (both run from the same random streams); its 95% interval is Student's t over the \
         {replicates} pairs. {MARK} and shading mark an interval that excludes zero. Shares differ \
         in percentage points (pp).</p>"
    );
}

/// The charts, each drawn as SVG within a labelled figure.
fn write_charts(html: &mut String, page: &ReportPage<'_>) -> Result<(), PlotError> {
    html.push_str("<h2>Charts</h2>\n");
    for chart in page.charts {
        let svg = chart.svg()?;
        // The chart draws its own title; the label names it for readers that cannot see it.
        let _ = write!(
            html,
            "<figure id=\"{}\" role=\"img\" aria-label=\"{}. {}\">\n{}\n</figure>\n",
            escape(chart.stem),
            escape(&chart.title),
            escape(&chart.subtitle),
            svg.trim_end(),
        );
    }
    Ok(())
}

/// The first twelve characters of a hash, as the terminal shows it.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{PlotRun, charts};
    use hailsham_outputs::changes;
    use hailsham_outputs::narrative;
    use hailsham_outputs::samples::sample_tally;
    use hailsham_outputs::samples::summary_with;
    use hailsham_world::Params;
    use hailsham_world::YearRow;

    #[test]
    fn changes_list_the_keys_that_differ_with_both_values() {
        let base = Params::default();
        let mut other = Params::default();
        other.donation.donations_max = 1;
        let list = changes(&base, &other);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].key, "donation.donations_max");
        assert_eq!(list[0].base, "4");
        assert_eq!(list[0].value, "1");
        assert!(!list[0].meaning.is_empty());
        assert!(changes(&base, &base).is_empty());
    }

    #[test]
    fn the_page_holds_every_part_and_escapes_text() {
        let comparison = Comparison::new(
            vec!["novel".into(), "single <harvest>".into()],
            vec![
                summary_with(1.0, 3, &[("donations_per_donor_mean", &[3.2, 3.25, 3.18])]),
                summary_with(1.0, 3, &[("donations_per_donor_mean", &[1.0, 1.0, 1.0])]),
            ],
        );
        let paragraph = narrative(&comparison, 1);
        let rows: Vec<Vec<YearRow>> = vec![vec![YearRow {
            year: 1952,
            ..YearRow::default()
        }]];
        let tallies = vec![sample_tally()];
        let runs = [
            PlotRun {
                name: "novel",
                series: &rows,
                tallies: &tallies,
            },
            PlotRun {
                name: "single <harvest>",
                series: &rows,
                tallies: &tallies,
            },
        ];
        let chart_list = charts(&runs, 1);
        let mut other = Params::default();
        other.donation.donations_max = 1;
        let change_list = changes(&Params::default(), &other);
        let page = ReportPage {
            description: "One donation & done.",
            question: "Why not take everything at once?",
            source: "docs/model.md §13",
            changes: &change_list,
            comparison: &comparison,
            answer: "Yes, by construction: every donor completes at the first donation.",
            robustness: None,
            narrative: &paragraph,
            charts: &chart_list,
            seed: 1,
            years: "1952–2000",
            version: "0.1.0",
            hashes: ["0123456789abcdef", "fedcba9876543210"],
            command: "hailsham report single-harvest",
        };
        let html = render_report(&page).expect("renders");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.ends_with("</html>\n"));
        assert!(html.contains("Why not take everything at once?"));
        assert!(html.contains("Source: docs/model.md §13"));
        let answer_at = html.find("<p class=\"answer\">Yes, by construction");
        let changes_at = html.find("<h2>What changes</h2>");
        assert!(
            answer_at.is_some() && answer_at < changes_at,
            "the answer follows the question"
        );
        assert!(html.contains("One donation &amp; done."));
        assert!(html.contains("single &lt;harvest&gt;"));
        assert!(!html.contains("single <harvest>"), "names are escaped");
        assert!(html.contains("<code>donation.donations_max</code>"));
        assert!(html.contains("Donations per completed donor fell from 3.21 to 1.00"));
        assert!(html.contains("<tr class=\"moved\"><td>donations per completed donor</td>"));
        assert_eq!(html.matches("<svg").count(), 6);
        // A phone-sized screen: each table scrolls in a box of its own, so the page never
        // scrolls sideways.
        assert_eq!(
            html.matches("<table").count(),
            html.matches("<div class=\"scroll\"><table").count()
        );
        assert!(html.contains("@media (max-width: 600px)"));
        assert!(
            !html.contains("src=\"http") && !html.contains("href=\"http"),
            "self-contained"
        );
        assert_eq!(
            render_report(&page).expect("renders"),
            html,
            "deterministic"
        );
    }
}
