//! Sweeps in the store: each run of a sweep (one point, one replicate) recorded as it finishes,
//! so that a sweep stopped at any moment, killed or cut off, starts again where it stood.
//!
//! A sweep is identified by its hash (of everything that decides its results) and hailsham's
//! version: [`Store::sweep`] finds the sweep of that identity or records a new one, and
//! [`Store::sweep_done`] says which of its runs are held. Each run's figures go in with
//! [`Store::record_sweep_run`], one transaction a run; [`Store::sweep_figures`] reads them
//! back in point and replicate order, a run at a time, for a table that never holds the whole
//! sweep in memory.

use hailsham_outputs::{FIGURES, figure_index};
use rusqlite::{OptionalExtension, params};

use crate::schema::NOW;
use crate::{Store, StoreError, finite};

/// A sweep's id in the store.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SweepId(pub i64);

/// A sweep, as the store records it before its first run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSweep {
    /// What identifies its results (with the version).
    pub hash: String,
    /// Its name.
    pub name: String,
    /// The sweep file as written.
    pub text: String,
    /// Its design's kind (`latin-hypercube`).
    pub design: String,
    /// Points it runs.
    pub points: u64,
    /// Replicates at each point.
    pub replicates: u32,
    /// The hailsham that runs it.
    pub version: String,
}

/// A sweep as the store holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepHead {
    /// Its id.
    pub id: SweepId,
    /// Its name.
    pub name: String,
    /// Its hash.
    pub hash: String,
    /// Its design's kind.
    pub design: String,
    /// Points it runs.
    pub points: u64,
    /// Replicates at each point.
    pub replicates: u32,
    /// The hailsham that ran it.
    pub version: String,
    /// When it was first begun.
    pub started: String,
    /// Runs held, of `points × replicates`.
    pub runs_done: u64,
}

/// One stored run of a sweep: its place, its point's scenario and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRun {
    /// The point, from 0 in the design's order.
    pub point: u64,
    /// The replicate, from 0.
    pub replicate: u32,
    /// The hash of the point's resolved parameters.
    pub scenario_hash: String,
    /// The point's values of the parameters swept, as `section.key = value` pairs joined by
    /// `, `.
    pub parameters: String,
    /// Every figure, in [`FIGURES`] order (NaN where undefined or unknown to the run's
    /// version).
    pub figures: Vec<f64>,
}

impl Store {
    /// The sweep with `new`'s hash and version, recorded now if the store holds none.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn sweep(&mut self, new: &NewSweep) -> Result<SweepId, StoreError> {
        let sql = self.sql("recording a sweep");
        let found = self
            .connection
            .query_row(
                "SELECT id FROM sweeps WHERE sweep_hash = ?1 AND version = ?2",
                params![new.hash, new.version],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.sql("finding a sweep"))?;
        if let Some(id) = found {
            return Ok(SweepId(id));
        }
        self.connection
            .execute(
                &format!(
                    "INSERT INTO sweeps (name, sweep_text, sweep_hash, design, points, \
                     replicates, version, started) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW}) \
                     ON CONFLICT (sweep_hash, version) DO NOTHING"
                ),
                params![
                    new.name,
                    new.text,
                    new.hash,
                    new.design,
                    i64::try_from(new.points).unwrap_or(i64::MAX),
                    new.replicates,
                    new.version
                ],
            )
            .map_err(sql)?;
        // Another process may have recorded it between the look and the insert.
        self.connection
            .query_row(
                "SELECT id FROM sweeps WHERE sweep_hash = ?1 AND version = ?2",
                params![new.hash, new.version],
                |row| row.get(0).map(SweepId),
            )
            .map_err(self.sql("finding a sweep"))
    }

    /// The runs the store holds of the sweep with this hash and version, if it holds the sweep
    /// at all: a look that writes nothing.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn sweep_held(&self, hash: &str, version: &str) -> Result<Option<u64>, StoreError> {
        self.connection
            .query_row(
                "SELECT (SELECT count(*) FROM sweep_runs r WHERE r.sweep = s.id) FROM sweeps s \
                 WHERE s.sweep_hash = ?1 AND s.version = ?2",
                params![hash, version],
                |row| row.get::<_, i64>(0),
            )
            .optional()
            .map(|held| held.map(|n| u64::try_from(n).unwrap_or(0)))
            .map_err(self.sql("finding a sweep"))
    }

    /// The runs of sweep `id` the store holds, as (point, replicate), in that order.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn sweep_done(&self, id: SweepId) -> Result<Vec<(u64, u32)>, StoreError> {
        self.connection
            .prepare(
                "SELECT point, replicate FROM sweep_runs WHERE sweep = ?1 \
                 ORDER BY point, replicate",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![id.0], |row| {
                        Ok((
                            u64::try_from(row.get::<_, i64>(0)?).unwrap_or(u64::MAX),
                            u32::try_from(row.get::<_, i64>(1)?).unwrap_or(u32::MAX),
                        ))
                    })?
                    .collect()
            })
            .map_err(self.sql("reading a sweep's runs"))
    }

    /// Records one run of sweep `id`, its figures in [`FIGURES`] order, in one transaction: a
    /// run held again (by another process resuming the same sweep) is left as it was, since
    /// the same point and replicate give the same figures.
    ///
    /// # Errors
    /// If SQLite fails (then nothing is written), or `figures` is not one a figure.
    pub fn record_sweep_run(&mut self, id: SweepId, run: &SweepRun) -> Result<(), StoreError> {
        if run.figures.len() != FIGURES.len() {
            return Err(self.corrupt(format!(
                "a sweep run of {} figures, where there are {}",
                run.figures.len(),
                FIGURES.len()
            )));
        }
        let point = i64::try_from(run.point).unwrap_or(i64::MAX);
        let write =
            |transaction: rusqlite::Transaction<'_>| -> rusqlite::Result<()> {
                let added = transaction.execute(
                &format!(
                    "INSERT INTO sweep_runs (sweep, point, replicate, scenario_hash, parameters, \
                     finished) VALUES (?1, ?2, ?3, ?4, ?5, {NOW}) ON CONFLICT DO NOTHING"
                ),
                params![id.0, point, run.replicate, run.scenario_hash, run.parameters],
            )?;
                if added == 1 {
                    let mut figure = transaction.prepare(
                        "INSERT INTO sweep_figures (sweep, point, replicate, key, value) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?;
                    for (spec, value) in FIGURES.iter().zip(&run.figures) {
                        figure.execute(params![
                            id.0,
                            point,
                            run.replicate,
                            spec.key,
                            finite(*value)
                        ])?;
                    }
                }
                transaction.commit()
            };
        self.connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .and_then(write)
            .map_err(self.sql("recording a sweep's run"))
    }

    /// Calls `visit` with each stored run of sweep `id`, in point and replicate order, one at
    /// a time: the caller holds one run's figures, whatever the sweep's size.
    ///
    /// # Errors
    /// If SQLite fails, or what `visit` returns.
    pub fn sweep_figures<E>(
        &self,
        id: SweepId,
        mut visit: impl FnMut(&SweepRun) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<StoreError>,
    {
        let mut runs = self
            .connection
            .prepare(
                "SELECT point, replicate, scenario_hash, parameters FROM sweep_runs \
                 WHERE sweep = ?1 ORDER BY point, replicate",
            )
            .map_err(self.sql("reading a sweep's runs"))?;
        let mut figures = self
            .connection
            .prepare(
                "SELECT key, value FROM sweep_figures WHERE sweep = ?1 AND point = ?2 \
                 AND replicate = ?3",
            )
            .map_err(self.sql("reading a sweep's figures"))?;
        let mut rows = runs
            .query(params![id.0])
            .map_err(self.sql("reading a sweep's runs"))?;
        let mut run = SweepRun {
            point: 0,
            replicate: 0,
            scenario_hash: String::new(),
            parameters: String::new(),
            figures: vec![f64::NAN; FIGURES.len()],
        };
        while let Some(row) = rows.next().map_err(self.sql("reading a sweep's runs"))? {
            let read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, i64, String, String)> {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            };
            let (point, replicate, hash, parameters) =
                read(row).map_err(self.sql("reading a sweep's runs"))?;
            run.parameters = parameters;
            run.point = u64::try_from(point).unwrap_or(u64::MAX);
            run.replicate = u32::try_from(replicate).unwrap_or(u32::MAX);
            run.scenario_hash = hash;
            run.figures.fill(f64::NAN);
            let mut values = figures
                .query(params![id.0, point, replicate])
                .map_err(self.sql("reading a sweep's figures"))?;
            while let Some(value) = values
                .next()
                .map_err(self.sql("reading a sweep's figures"))?
            {
                let key: String = value
                    .get(0)
                    .map_err(self.sql("reading a sweep's figures"))?;
                let value: Option<f64> = value
                    .get(1)
                    .map_err(self.sql("reading a sweep's figures"))?;
                if let Some(index) = figure_index(&key) {
                    run.figures[index] = value.unwrap_or(f64::NAN);
                }
            }
            visit(&run)?;
        }
        Ok(())
    }

    /// Sweep `id`'s head and the file it was begun from, if the store holds it.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn sweep_head(&self, id: SweepId) -> Result<Option<(SweepHead, String)>, StoreError> {
        let text: Option<String> = self
            .connection
            .query_row(
                "SELECT sweep_text FROM sweeps WHERE id = ?1",
                params![id.0],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.sql("reading a sweep"))?;
        let Some(text) = text else {
            return Ok(None);
        };
        let head = self.sweeps()?.into_iter().find(|head| head.id == id);
        Ok(head.map(|head| (head, text)))
    }

    /// The first `limit` runs of sweep `id`, in point and replicate order: what a page shows.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn sweep_runs(&self, id: SweepId, limit: usize) -> Result<Vec<SweepRun>, StoreError> {
        /// Why the reading stopped: enough runs, or the store failed.
        enum Stop {
            Enough,
            Store(StoreError),
        }
        impl From<StoreError> for Stop {
            fn from(error: StoreError) -> Stop {
                Stop::Store(error)
            }
        }
        let mut runs = Vec::new();
        let read = self.sweep_figures(id, |run| {
            if runs.len() >= limit {
                return Err(Stop::Enough);
            }
            runs.push(run.clone());
            Ok(())
        });
        match read {
            Ok(()) | Err(Stop::Enough) => Ok(runs),
            Err(Stop::Store(error)) => Err(error),
        }
    }

    /// Every sweep the store holds, newest first, with the runs each holds.
    ///
    /// # Errors
    /// If SQLite fails.
    pub fn sweeps(&self) -> Result<Vec<SweepHead>, StoreError> {
        self.connection
            .prepare(
                "SELECT s.id, s.name, s.sweep_hash, s.design, s.points, s.replicates, s.version, \
                 s.started, (SELECT count(*) FROM sweep_runs r WHERE r.sweep = s.id) \
                 FROM sweeps s ORDER BY s.id DESC",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| {
                        Ok(SweepHead {
                            id: SweepId(row.get(0)?),
                            name: row.get(1)?,
                            hash: row.get(2)?,
                            design: row.get(3)?,
                            points: u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
                            replicates: u32::try_from(row.get::<_, i64>(5)?).unwrap_or(0),
                            version: row.get(6)?,
                            started: row.get(7)?,
                            runs_done: u64::try_from(row.get::<_, i64>(8)?).unwrap_or(0),
                        })
                    })?
                    .collect()
            })
            .map_err(self.sql("listing sweeps"))
    }
}
