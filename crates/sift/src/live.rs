//! Sifting a replicate as it runs: the observer that builds the index from the model's
//! announcements and, at the last flush, sifts it and lets it go, so a replicate's index
//! lives only while it runs. `hailsham sift` and `hailsham serve` both run it.

use std::time::{Duration, Instant};

use hailsham_world::{Day, Happening, Observer, Params};
use hailsham_world::{ObserverError, ReplicateObserver};

use crate::{IndexBuilder, Pattern, Sifted};

/// The observer of one live replicate; see the module's documentation.
#[derive(Debug)]
pub struct LiveSift<'a> {
    builder: Option<IndexBuilder>,
    pattern: &'a Pattern,
    sifted: Option<Sifted>,
    /// Time to finish the index (its offset tables) after the run.
    pub indexing: Duration,
    /// Time to match the pattern.
    pub matching: Duration,
}

impl<'a> LiveSift<'a> {
    /// The observer of replicate `replicate` of a run of `params`, sifting for `pattern`.
    #[must_use]
    pub fn new(params: &Params, replicate: u32, pattern: &'a Pattern) -> LiveSift<'a> {
        LiveSift {
            builder: Some(IndexBuilder::live(params, replicate)),
            pattern,
            sifted: None,
            indexing: Duration::ZERO,
            matching: Duration::ZERO,
        }
    }

    /// The replicate's matches: `None` before the run's last flush.
    #[must_use]
    pub fn into_sifted(self) -> Option<Sifted> {
        self.sifted
    }
}

impl Observer for LiveSift<'_> {
    #[inline]
    fn observe(&mut self, day: Day, happening: &Happening) {
        if let Some(builder) = &mut self.builder {
            builder.observe(day, happening);
        }
    }
}

impl ReplicateObserver for LiveSift<'_> {
    fn flush(&mut self, last: bool) -> Result<(), ObserverError> {
        if last && let Some(builder) = self.builder.take() {
            let started = Instant::now();
            let index = builder.finish();
            self.indexing = started.elapsed();
            let started = Instant::now();
            self.sifted = Some(self.pattern.sift(&index));
            self.matching = started.elapsed();
        }
        Ok(())
    }
}
