//! Whether a process still lives: the one that began a run in the store, or that left a
//! temporary folder of a run's files beside its destination. Written once here, where the
//! files of a run are; the store reads it too.
//!
//! A pid alone is not enough: pids are reused, so a run's row also records who its process
//! was: the kernel's boot id, its pid namespace, and its start time in clock ticks since boot
//! (`/proc/PID/stat`). A process of an earlier boot has ended; one of another pid namespace (a
//! container sharing the file) cannot be looked up, so it is never judged. Only Linux tells
//! this; elsewhere a run's process is never judged dead, so a live run is never marked
//! interrupted, at the price of rows left `running` there.

use std::fs;
use std::io::ErrorKind;

/// What the system says of a recorded process.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Liveness {
    /// It runs (the same process: same pid, same start).
    Alive,
    /// It has ended, or its pid now names another process.
    Dead,
    /// The system does not say (no `/proc`).
    Unknown,
}

/// Fields of `/proc/PID/stat` after the command name: the state, and the start time.
struct Stat {
    state: u8,
    start_ticks: u64,
}

/// Reads `/proc/PID/stat`: `Ok(None)` if there is no such process.
fn stat(pid: u32) -> Result<Option<Stat>, ()> {
    let bytes = match fs::read(format!("/proc/{pid}/stat")) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(()),
    };
    // The command name is in parentheses and may itself hold spaces and parentheses: the
    // fields that follow start after the last `)`.
    let close = bytes.iter().rposition(|&b| b == b')').ok_or(())?;
    let rest = std::str::from_utf8(&bytes[close + 1..]).map_err(|_| ())?;
    let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
    // Field 3 of the line is the state; field 22 the start time (proc(5)).
    let state = fields.first().and_then(|f| f.bytes().next()).ok_or(())?;
    let start_ticks = fields.get(19).and_then(|f| f.parse().ok()).ok_or(())?;
    Ok(Some(Stat { state, start_ticks }))
}

/// The kernel's boot id: start times count from boot, so they identify a process only
/// together with the boot.
fn boot_id() -> Option<String> {
    fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|id| id.trim().to_string())
}

/// This process's pid namespace (`pid:[4026531836]`): the pids it sees are those of its
/// namespace alone.
fn namespace() -> Option<String> {
    fs::read_link("/proc/self/ns/pid")
        .ok()
        .map(|link| link.to_string_lossy().into_owned())
}

/// Who process `pid` (of this namespace) is, for telling it from a later process given the
/// same pid: `BOOT_ID/NAMESPACE/START_TICKS`, or `None` where the system does not say.
pub fn identity(pid: u32) -> Option<String> {
    let stat = stat(pid).ok()??;
    Some(format!(
        "{}/{}/{}",
        boot_id()?,
        namespace().unwrap_or_default(),
        stat.start_ticks
    ))
}

/// Whether the process `pid`, recorded with `identity` (from [`identity`]; `None` if nothing
/// was recorded, and then any process of that pid counts), still runs.
pub fn liveness(pid: u32, recorded: Option<&str>) -> Liveness {
    // Without /proc nothing can be said of any process.
    if fs::metadata("/proc/self/stat").is_err() {
        return Liveness::Unknown;
    }
    let mut parts = recorded.unwrap_or_default().splitn(3, '/');
    if let (Some(boot), Some(space), Some(_)) = (parts.next(), parts.next(), parts.next()) {
        if boot_id().is_some_and(|now| now != boot) {
            // The machine has started again since: every process of that boot has ended.
            return Liveness::Dead;
        }
        if namespace().unwrap_or_default() != space {
            return Liveness::Unknown;
        }
    }
    match stat(pid) {
        Err(()) => Liveness::Unknown,
        Ok(None) => Liveness::Dead,
        // A zombie has ended; only its parent has not yet collected it.
        Ok(Some(stat)) if matches!(stat.state, b'Z' | b'X') => Liveness::Dead,
        Ok(Some(_)) => match recorded {
            Some(recorded) if identity(pid).as_deref() != Some(recorded) => Liveness::Dead,
            _ => Liveness::Alive,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_pid_that_cannot_exist_is_dead() {
        let me = std::process::id();
        let Some(mine) = identity(me) else {
            // No /proc: nothing is judged.
            assert_eq!(liveness(me, None), Liveness::Unknown);
            return;
        };
        assert_eq!(identity(me).as_deref(), Some(mine.as_str()), "stable");
        assert_eq!(liveness(me, Some(&mine)), Liveness::Alive);
        assert_eq!(liveness(me, None), Liveness::Alive);
        // The same pid with another start is a reused pid: the recorded process is gone.
        let (boot, rest) = mine.split_once('/').expect("three parts");
        let (space, _) = rest.split_once('/').expect("three parts");
        let reused = format!("{boot}/{space}/1");
        assert_eq!(liveness(me, Some(&reused)), Liveness::Dead);
        // A process of an earlier boot has ended, whatever its pid names now.
        assert_eq!(
            liveness(me, Some(&format!("an-earlier-boot/{rest}"))),
            Liveness::Dead
        );
        // One of another pid namespace cannot be looked up: it is not judged.
        let elsewhere = format!("{boot}/pid:[1]/{}", rest.split_once('/').expect("ticks").1);
        assert_eq!(
            liveness(i32::MAX as u32, Some(&elsewhere)),
            Liveness::Unknown
        );
        // Linux's pid_max is at most 2^22.
        assert_eq!(liveness(i32::MAX as u32, None), Liveness::Dead);
    }
}
