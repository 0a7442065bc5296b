//! Matching a [`Pattern`] over an [`Index`]: a depth-first join along the plan. The first
//! step takes every event of its kind; each later step takes the events of a person already
//! bound (a few dozen), not every event, so a match costs what the people in it did, not what
//! the whole replicate did. The first complete match of each value of the counted variable is
//! kept, and that value is not tried again.

use crate::compile::{Binds, Expr, Operand, Origin, Pattern, Unless};
use crate::index::{Index, NO_CODE, NO_DAY, NO_PLACE, NONE, YEAR_DAYS};
use crate::parse::Op;
use hailsham_log::Kind;

use crate::schema::{Domain, PersonFn, Source};

/// One announcement of a match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedEvent {
    /// The clause's label (`#1`, `#2` for a clause without one).
    pub label: String,
    /// The kind.
    pub kind: &'static str,
    /// Days since 1970-01-01.
    pub date: i32,
    /// Its position among the replicate's announcements, from 0.
    pub seq: u32,
}

/// What a match's counted person was like, for ranking matches by how unusual they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Properties {
    /// The home: `hailsham`, `humane-other`, `government`.
    pub home: String,
    /// The half-way house, or `none`.
    pub house: String,
    /// The decade of birth (`1960s`), or `unknown`.
    pub born: String,
    /// Donations made.
    pub donations: u8,
    /// Years as a carer: `not a carer`, `under 5`, `5-9`, `10-14`, `15 or more`.
    pub carer_years: String,
}

impl Properties {
    /// The properties as (name, value) pairs, in a fixed order.
    #[must_use]
    pub fn pairs(&self) -> [(&'static str, String); 5] {
        [
            ("home", self.home.clone()),
            ("house", self.house.clone()),
            ("born", self.born.clone()),
            ("donations", self.donations.to_string()),
            ("carer years", self.carer_years.clone()),
        ]
    }
}

/// One match: the people bound and the announcements matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// The counted person's id.
    pub id: u32,
    /// Every variable bound, with its person, in the pattern's order (without `?`).
    pub people: Vec<(String, u32)>,
    /// The announcement of each clause that must match, in the pattern's order.
    pub events: Vec<MatchedEvent>,
    /// What the counted person was like.
    pub properties: Properties,
}

/// What a pattern found in one replicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sifted {
    /// The replicate.
    pub replicate: u32,
    /// Distinct people matching the first clause that binds the counted variable (with its
    /// own conditions): the population the matches are drawn from.
    pub population: u64,
    /// One match per distinct counted person, by id.
    pub matches: Vec<Match>,
    /// Announcements indexed.
    pub announcements: u64,
}

impl Sifted {
    /// The matches as a share of the population they are drawn from; NaN where there is no
    /// population (a figure without a value, not a zero).
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn share(&self) -> f64 {
        if self.population == 0 {
            f64::NAN
        } else {
            self.matches.len() as f64 / self.population as f64
        }
    }
}

struct Env {
    vars: Vec<u32>,
    events: Vec<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum V {
    Num(f64),
    Code(u32),
    Bool(bool),
    Missing,
}

struct Eval<'a> {
    p: &'a Pattern,
    ix: &'a Index,
    k_carer_assigned: u8,
    found: Option<(Vec<u32>, Vec<u32>)>,
}

impl Pattern {
    /// Matches the pattern over one replicate's index.
    #[must_use]
    pub fn sift(&self, index: &Index) -> Sifted {
        let mut eval = Eval {
            p: self,
            ix: index,
            k_carer_assigned: Kind::CarerAssigned as u8,
            found: None,
        };
        let people = index.people();
        let mut env = Env {
            vars: vec![NONE; self.vars.len()],
            events: vec![NONE; self.clauses.len()],
        };
        let mut done = vec![false; people];
        let mut in_population = vec![false; people];
        let mut population = 0u64;
        let mut matches = Vec::new();
        let step = &self.steps[0];
        let clause = &self.clauses[step.clause];
        for &e in index.of_kind(clause.kind) {
            for orientation in 0..orientations(&clause.binds) {
                let Some(bound) = bind(&clause.binds, orientation, e, index, &mut env) else {
                    continue;
                };
                let primary = env.vars[self.primary];
                env.events[step.clause] = e;
                if primary != NONE
                    && !in_population[primary as usize]
                    && self.population.iter().all(|c| eval.holds(c, &env, NONE))
                {
                    in_population[primary as usize] = true;
                    population += 1;
                }
                if primary != NONE && !done[primary as usize] && eval.step_holds(0, &mut env) {
                    eval.found = None;
                    if eval.descend(1, &mut env) {
                        done[primary as usize] = true;
                        if let Some((vars, events)) = eval.found.take() {
                            matches.push(eval.describe(primary, &vars, &events));
                        }
                    }
                }
                env.events[step.clause] = NONE;
                unbind(&bound, &mut env);
            }
        }
        matches.sort_by_key(|m| m.id);
        Sifted {
            replicate: index.replicate,
            population,
            matches,
            announcements: index.len() as u64,
        }
    }
}

fn orientations(binds: &Binds) -> usize {
    match binds {
        Binds::Roles(_) => 1,
        Binds::Couple(..) => 2,
    }
}

/// Binds the clause's variables to event `e`'s parties; `None` if they do not fit. Returns
/// the variables newly bound.
fn bind(
    binds: &Binds,
    orientation: usize,
    e: u32,
    ix: &Index,
    env: &mut Env,
) -> Option<[Option<usize>; 2]> {
    let e = e as usize;
    let party = |column: u8| {
        if column == 0 {
            ix.person[e]
        } else {
            ix.other[e]
        }
    };
    let pairs: [(u8, usize); 2];
    let list: &[(u8, usize)] = match binds {
        Binds::Roles(roles) => roles,
        Binds::Couple(a, b) => {
            pairs = if orientation == 0 {
                [(0, *a), (1, *b)]
            } else {
                [(1, *a), (0, *b)]
            };
            &pairs
        }
    };
    let mut newly = [None, None];
    for (n, &(column, var)) in list.iter().enumerate() {
        let who = party(column);
        let fits = who != NONE && (env.vars[var] == NONE || env.vars[var] == who);
        if !fits {
            unbind(&newly, env);
            return None;
        }
        if env.vars[var] == NONE {
            env.vars[var] = who;
            newly[n.min(1)] = Some(var);
        }
    }
    Some(newly)
}

fn unbind(bound: &[Option<usize>; 2], env: &mut Env) {
    for var in bound.iter().flatten() {
        env.vars[*var] = NONE;
    }
}

impl Eval<'_> {
    /// The conditions and orders of step `k` hold.
    fn step_holds(&self, k: usize, env: &mut Env) -> bool {
        let step = &self.p.steps[k];
        step.orders
            .iter()
            .all(|&(a, b)| env.events[a] < env.events[b])
            && step.conds.iter().all(|c| self.holds(c, env, NONE))
    }

    /// Matches steps `k..`; at the end, checks the `unless` clauses and keeps the match.
    fn descend(&mut self, k: usize, env: &mut Env) -> bool {
        if k == self.p.steps.len() {
            if self
                .p
                .unlesses
                .iter()
                .all(|u| self.nothing_forbidden(u, env))
            {
                self.found = Some((env.vars.clone(), env.events.clone()));
                return true;
            }
            return false;
        }
        let step = &self.p.steps[k];
        let clause = &self.p.clauses[step.clause];
        let ix = self.ix;
        let candidates = match step.via {
            Some(var) => ix.of_person(env.vars[var]),
            None => ix.of_kind(clause.kind),
        };
        for &e in candidates {
            if ix.kind[e as usize] != clause.kind {
                continue;
            }
            for orientation in 0..orientations(&clause.binds) {
                let Some(bound) = bind(&clause.binds, orientation, e, ix, env) else {
                    continue;
                };
                env.events[step.clause] = e;
                let found = self.step_holds(k, env) && self.descend(k + 1, env);
                env.events[step.clause] = NONE;
                unbind(&bound, env);
                if found {
                    return true;
                }
            }
        }
        false
    }

    /// No announcement of the `unless` clause falls in its window.
    fn nothing_forbidden(&self, u: &Unless, env: &mut Env) -> bool {
        let ix = self.ix;
        let after = u.after.map(|c| env.events[c]);
        let before = u.before.map(|c| env.events[c]);
        let via = u.binds.vars().into_iter().find(|&v| env.vars[v] != NONE);
        let candidates = match via {
            Some(var) => ix.of_person(env.vars[var]),
            None => ix.of_kind(u.kind),
        };
        let start = after.map_or(0, |a| candidates.partition_point(|&e| e <= a));
        let end = before.map_or(candidates.len(), |b| candidates.partition_point(|&e| e < b));
        for &e in candidates.get(start..end.max(start)).unwrap_or(&[]) {
            if ix.kind[e as usize] != u.kind {
                continue;
            }
            for orientation in 0..orientations(&u.binds) {
                let Some(bound) = bind(&u.binds, orientation, e, ix, env) else {
                    continue;
                };
                let forbidden = u.cond.as_ref().is_none_or(|c| self.holds(c, env, e));
                unbind(&bound, env);
                if forbidden {
                    return false;
                }
            }
        }
        true
    }

    fn holds(&self, expr: &Expr, env: &Env, own: u32) -> bool {
        match expr {
            Expr::Or(parts) => parts.iter().any(|p| self.holds(p, env, own)),
            Expr::And(parts) => parts.iter().all(|p| self.holds(p, env, own)),
            Expr::Not(inner) => !self.holds(inner, env, own),
            Expr::Cmp(a, op, b) => compare(self.value(a, env, own), *op, self.value(b, env, own)),
            Expr::In(a, items) => {
                let a = self.value(a, env, own);
                items
                    .iter()
                    .any(|item| compare(a, Op::Eq, self.value(item, env, own)))
            }
            Expr::Flag(a) => self.value(a, env, own) == V::Bool(true),
            Expr::Partners(a, b) => {
                let (a, b) = (env.vars[*a], env.vars[*b]);
                a != NONE && self.ix.partners_of(a).contains(&b)
            }
            Expr::CarerOf(a, b) => {
                let (a, b) = (env.vars[*a], env.vars[*b]);
                a != NONE
                    && b != NONE
                    && self.ix.of_person(b).iter().any(|&e| {
                        let e = e as usize;
                        self.ix.kind[e] == self.k_carer_assigned
                            && self.ix.person[e] == a
                            && self.ix.other[e] == b
                    })
            }
        }
    }

    fn value(&self, operand: &Operand, env: &Env, own: u32) -> V {
        let ix = self.ix;
        let event = |origin: &Origin| match origin {
            Origin::Clause(c) => env.events[*c],
            Origin::Own => own,
        };
        match operand {
            Operand::Num(n) => V::Num(*n),
            Operand::Code(c) => V::Code(*c),
            Operand::House(name) => match ix.houses.iter().position(|h| h == name) {
                Some(code) => V::Code(u32::try_from(code).unwrap_or(u32::MAX)),
                // A house this run does not have: equal to none.
                None => V::Code(u32::MAX - 1),
            },
            Operand::Person(v) => match env.vars[*v] {
                NONE => V::Missing,
                p => V::Code(p),
            },
            Operand::Years(a, b) => {
                let (a, b) = (event(a), event(b));
                if a == NONE || b == NONE {
                    return V::Missing;
                }
                V::Num(f64::from(ix.day[b as usize] - ix.day[a as usize]) / YEAR_DAYS)
            }
            Operand::Attr(origin, source) => {
                let e = event(origin);
                if e == NONE {
                    return V::Missing;
                }
                self.attr(e as usize, *source)
            }
            Operand::Fn(function, v) => match env.vars[*v] {
                NONE => V::Missing,
                p => self.person_fn(*function, p as usize),
            },
        }
    }

    fn attr(&self, e: usize, source: Source) -> V {
        let ix = self.ix;
        let code = |c: u8| {
            if c == NO_CODE {
                V::Missing
            } else {
                V::Code(u32::from(c))
            }
        };
        match source {
            Source::Place => match ix.place[e] {
                NO_PLACE => V::Missing,
                p => V::Code(u32::from(p)),
            },
            Source::Town => code(ix.town[e]),
            Source::Code => code(ix.code[e]),
            Source::Number => V::Num(f64::from(ix.number[e])),
            Source::Flag => match ix.flag[e] {
                NO_CODE => V::Missing,
                f => V::Bool(f == 1),
            },
            Source::Count => V::Num(f64::from(ix.count[e])),
            Source::Count2 => V::Num(f64::from(ix.count2[e])),
            Source::Amount => V::Num(f64::from(ix.amount[e])),
            Source::CountYears => V::Num(f64::from(ix.count[e]) / YEAR_DAYS),
            Source::Chosen => match ix.code[e] {
                NO_CODE => V::Missing,
                c => V::Bool(c <= 2),
            },
            #[allow(clippy::cast_precision_loss)]
            Source::Year => V::Num(Index::year_of(ix.day[e]) as f64),
            Source::Age => {
                let p = ix.person[e];
                match ix.birth.get(p as usize) {
                    Some(&birth) if p != NONE && birth != NO_DAY => {
                        V::Num(f64::from(ix.day[e] - birth) / YEAR_DAYS)
                    }
                    _ => V::Missing,
                }
            }
            Source::Home => match ix.person[e] {
                NONE => V::Missing,
                p => code(ix.home[p as usize]),
            },
        }
    }

    fn person_fn(&self, function: PersonFn, p: usize) -> V {
        let ix = self.ix;
        if p >= ix.people() {
            return V::Missing;
        }
        let code = |c: u8| {
            if c == NO_CODE {
                V::Missing
            } else {
                V::Code(u32::from(c))
            }
        };
        match function {
            PersonFn::Home => code(ix.home[p]),
            PersonFn::Blood => code(ix.blood[p]),
            PersonFn::House => match ix.house[p] {
                NO_PLACE => V::Missing,
                h => V::Code(u32::from(h)),
            },
            #[allow(clippy::cast_precision_loss)]
            PersonFn::Born => match ix.birth[p] {
                NO_DAY => V::Missing,
                b => V::Num(Index::year_of(b) as f64),
            },
            PersonFn::Donations => V::Num(f64::from(ix.donations[p])),
            PersonFn::CarerYears => V::Num(ix.carer_years(u32::try_from(p).unwrap_or(NONE))),
            PersonFn::Completed => V::Bool(ix.completion[p] != NO_DAY),
        }
    }

    fn describe(&self, primary: u32, vars: &[u32], events: &[u32]) -> Match {
        let ix = self.ix;
        let p = self.p;
        let people = p
            .vars
            .iter()
            .zip(&p.positive)
            .zip(vars)
            .filter(|((name, positive), _)| **positive && !name.starts_with('_'))
            .map(|((name, _), &who)| (name.clone(), who))
            .collect();
        let events = p
            .clauses
            .iter()
            .zip(events)
            .map(|(clause, &e)| MatchedEvent {
                label: clause.label.clone(),
                kind: crate::schema::spec(clause.kind).name,
                date: ix.day[e as usize],
                seq: e,
            })
            .collect();
        Match {
            id: primary,
            people,
            events,
            properties: properties(ix, primary as usize),
        }
    }
}

fn compare(a: V, op: Op, b: V) -> bool {
    match (a, b) {
        (V::Num(a), V::Num(b)) => match op {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        },
        (V::Code(a), V::Code(b)) => match op {
            Op::Eq => a == b,
            Op::Ne => a != b,
            _ => false,
        },
        (V::Bool(a), V::Bool(b)) => match op {
            Op::Eq => a == b,
            Op::Ne => a != b,
            _ => false,
        },
        _ => false,
    }
}

/// The properties of person `p`.
fn properties(ix: &Index, p: usize) -> Properties {
    let homes = Domain::Home.words();
    let home = homes
        .get(usize::from(ix.home[p]))
        .map_or("unknown", |h| h)
        .to_string();
    let house = match ix.house[p] {
        NO_PLACE => "none".to_string(),
        h => ix.house_name(h).unwrap_or("none").to_string(),
    };
    let born = match ix.birth[p] {
        NO_DAY => "unknown".to_string(),
        b => format!("{}s", Index::year_of(b).div_euclid(10) * 10),
    };
    let carer_years = if ix.carer_start[p] == NO_DAY {
        "not a carer".to_string()
    } else {
        let years = ix.carer_years(u32::try_from(p).unwrap_or(NONE));
        match years {
            y if y < 5.0 => "under 5",
            y if y < 10.0 => "5-9",
            y if y < 15.0 => "10-14",
            _ => "15 or more",
        }
        .to_string()
    };
    Properties {
        home,
        house,
        born,
        donations: ix.donations[p],
        carer_years,
    }
}
