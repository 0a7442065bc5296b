use hailsham_world::{Params, Replicate};
fn main() {
    let params = Params::default();
    let t = std::time::Instant::now();
    let mut r = Replicate::new(&params, 1, 0, false);
    while let Some(row) = r.step_year(&mut |_| {}) {
        if row.year % 4 == 3 {
            println!(
                "{} created {} st {} vet {} car {} don {} compl {} donations {} supplied {:?} transpl {} unused {} new {} deaths {} waiting {} beds {}/{} wbed {} uncared {} km {:.0} carerdays {} cared {} applic {} know {:.0}",
                row.year,
                row.created,
                row.students,
                row.veterans,
                row.carers,
                row.donors,
                row.completions,
                row.donations,
                row.organs_supplied,
                row.transplants,
                row.organs_unused,
                row.new_patients,
                row.waiting_deaths,
                row.waiting,
                row.beds_held,
                row.beds_total,
                row.donors_waiting_for_bed,
                row.donors_without_carer,
                row.carer_km,
                row.carer_days,
                row.cared_donor_days,
                row.deferral_applications,
                row.outsiders_knowing
            );
        }
    }
    let tally = r.finish(&mut |_| {});
    println!("{:?}", t.elapsed());
    println!(
        "created {} completed {} at {:?} events {} age q10 {:?} q50 {:?} q90 {:?} career q50 {:?} min {:?} max {:?} apps {} couples {}",
        tally.clones_created,
        tally.completed,
        tally.completions_at_donation,
        tally.events,
        tally
            .completion_age_days
            .quantile(0.1)
            .map(|d| d as f64 / 365.25),
        tally
            .completion_age_days
            .quantile(0.5)
            .map(|d| d as f64 / 365.25),
        tally
            .completion_age_days
            .quantile(0.9)
            .map(|d| d as f64 / 365.25),
        tally.career_days.quantile(0.5).map(|d| d as f64 / 365.25),
        tally.career_days.min().map(|d| d as f64 / 365.25),
        tally.career_days.max().map(|d| d as f64 / 365.25),
        tally.deferral_applications,
        tally.couples_formed
    );
}
