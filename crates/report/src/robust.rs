//! How far an answer holds, drawn: the sentence, a bar chart of the total Sobol indices of the
//! assumptions that move the answer's figure (each with its interval), and the same numbers
//! as a table, the chart's text alternative. Written by hand as SVG: bars and lines, no
//! plotting library, the same bytes on every machine.

use std::fmt::Write as _;

use hailsham_outputs::Robustness;

use crate::html::escape;

/// Pixels: the chart's width, a bar's row, the labels' column.
const WIDTH: f64 = 640.0;
const ROW: f64 = 26.0;
const LABELS: f64 = 300.0;

/// The indices as an SVG chart (`role="img"`, titled), or nothing without indices.
#[must_use]
pub fn indices_svg(robustness: &Robustness) -> String {
    let indices = &robustness.indices;
    if indices.is_empty() {
        return String::new();
    }
    let plot = WIDTH - LABELS - 20.0;
    #[allow(clippy::cast_precision_loss)]
    let height = ROW * indices.len() as f64 + 34.0;
    let x = |value: f64| LABELS + plot * value.clamp(0.0, 1.0);
    let mut svg = String::new();
    let title = format!(
        "Total Sobol indices of the difference {} makes, for the assumptions that move it most",
        robustness.scenario
    );
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{WIDTH}\" \
         height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-size=\"13\" \
         font-family=\"DejaVu Sans, Arial, sans-serif\"><title>{}</title>",
        escape(&title)
    );
    for (row, index) in indices.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let top = 8.0 + ROW * row as f64;
        let middle = top + ROW / 2.0 - 4.0;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#222\">{}</text>\
             <rect x=\"{LABELS:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#0072b2\"/>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{middle:.1}\" y2=\"{middle:.1}\" stroke=\"#222\" \
             stroke-width=\"1.5\"/>",
            LABELS - 8.0,
            middle + 4.0,
            escape(&index.key),
            top + 2.0,
            x(index.total.value) - LABELS,
            ROW - 12.0,
            x(index.total.low),
            x(index.total.high),
        );
    }
    #[allow(clippy::cast_precision_loss)]
    let axis = 8.0 + ROW * indices.len() as f64;
    let _ = write!(
        svg,
        "<line x1=\"{LABELS:.1}\" x2=\"{:.1}\" y1=\"{axis:.1}\" y2=\"{axis:.1}\" stroke=\"#888\"/>",
        LABELS + plot
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{tick}</text>",
            x(tick),
            axis + 16.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The section under an answer: the sentence, the chart and its table.
#[must_use]
pub fn robustness_html(robustness: &Robustness) -> String {
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<p class=\"robust\">{}</p>",
        escape(&robustness.sentence())
    );
    if robustness.indices.is_empty() {
        return html;
    }
    let _ = writeln!(
        html,
        "<figure class=\"indices\">{}<figcaption>Total Sobol index of each assumption that moves \
         the answer's figure most (the share of its variance the assumption has a hand in, alone \
         or with others), with its 95% bootstrap interval; the table gives the numbers.\
         </figcaption></figure>",
        indices_svg(robustness)
    );
    html.push_str(
        "<table class=\"indices\">\n<tr><th>assumption</th><th>what it is</th>\
         <th>first-order index</th><th>total index</th></tr>\n",
    );
    for index in &robustness.indices {
        let _ = writeln!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{}</td></tr>",
            escape(&index.key),
            escape(&index.words),
            index.first.text(),
            index.total.text()
        );
    }
    html.push_str("</table>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use hailsham_outputs::{Ranged, Sensitivity, Verdict, wilson};

    fn robustness() -> Robustness {
        let index = |key: &str, total: f64| Sensitivity {
            key: key.to_string(),
            words: format!("what {key} is"),
            first: Ranged {
                value: total - 0.1,
                low: total - 0.3,
                high: total + 0.1,
            },
            total: Ranged {
                value: total,
                low: total - 0.2,
                high: total + 0.4,
            },
        };
        Robustness {
            scenario: "single-harvest".to_string(),
            verdict: Verdict::Yes,
            worlds: 256,
            holds: 256,
            interval: wilson(256, 256),
            spread: hailsham_outputs::Spread::default(),
            noise: (64, 64),
            noise_share: Some(0.1),
            screened: 79,
            indices: vec![
                index("donation.interval_days_mean", 0.41),
                index("homes.demand_coverage_target", 0.36),
            ],
            reversal: None,
        }
    }

    /// Goal: the chart is an image with a title, a bar and an interval an index, every number
    /// in the table beside it; an interval past 1 is drawn to the axis's end, not beyond.
    #[test]
    fn the_indices_are_drawn_and_tabled() {
        let html = robustness_html(&robustness());
        assert!(
            html.starts_with("<p class=\"robust\">It holds in every one of 256 plausible worlds")
        );
        assert_eq!(html.matches("<rect ").count(), 2, "{html}");
        assert!(html.contains("role=\"img\"") && html.contains("<title>Total Sobol indices"));
        assert!(html.contains("<td><code>donation.interval_days_mean</code></td>"));
        assert!(html.contains("0.41 (0.21 to 0.81)"), "{html}");
        assert!(html.contains("0.31 (0.11 to 0.51)"), "{html}");
        // 0.36 + 0.4 = 0.76 is drawn; nothing is drawn past x = 620, the axis's end.
        for x in html.split("x2=\"").skip(1) {
            let value: f64 = x.split('"').next().unwrap_or("0").parse().unwrap_or(0.0);
            assert!(value <= 620.0, "{value}");
        }
        let mut none = robustness();
        none.indices.clear();
        assert!(!robustness_html(&none).contains("<svg"));
    }
}
