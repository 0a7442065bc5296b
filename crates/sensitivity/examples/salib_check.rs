//! Prints a Saltelli design's outputs (Ishigami's function) and the indices this crate reads
//! from them, as JSON, for `python/check_salib.py` to read the same outputs with SALib and
//! compare: `cargo run -q -p hailsham-sensitivity --example salib_check | python
//! crates/sensitivity/python/check_salib.py`. Numbers are printed in Rust's shortest exact
//! form, so Python reads back the very same doubles.

use std::f64::consts::PI;

use hailsham_sensitivity::SaltelliDesign;

fn main() {
    let (factors, base) = (3, 1024);
    let design = SaltelliDesign::new(factors, base, 2026);
    let outputs: Vec<f64> = design
        .points()
        .map(|x| {
            let [x1, x2, x3] = [x[0], x[1], x[2]].map(|u| -PI + 2.0 * PI * u);
            x1.sin() + 7.0 * x2.sin().powi(2) + 0.1 * x3.powi(4) * x1.sin()
        })
        .collect();
    let indices = design
        .indices(&outputs, 0, 1)
        .expect("Ishigami's function varies");
    let list = |values: Vec<f64>| {
        values
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    println!(
        "{{\"factors\":{factors},\"base\":{base},\"outputs\":[{}],\"first\":[{}],\"total\":[{}]}}",
        list(outputs),
        list(indices.iter().map(|i| i.first.value).collect()),
        list(indices.iter().map(|i| i.total.value).collect()),
    );
}
