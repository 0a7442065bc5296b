//! Statements to a [`Pattern`]: names checked against the schema (with "did you mean"), types
//! of every comparison checked, variables numbered, and a plan of how to match: which clause
//! first, which next (joined through a person already bound), and at which step each
//! condition and each order can be checked.

use std::collections::BTreeSet;
use std::ops::Range;

use hailsham_world::{HAILSHAM_HOUSES, HOUSE_NAMES};

use crate::error::{PatternError, closest};
use crate::parse::{ClauseAst, Cond, Name, Op, RoleAst, Statement, Term, TermKind, Window, cut};
use crate::schema::{KINDS, KindSpec, PERSON_FNS, PersonFn, Source, Ty, function_names, spec};

/// Which announcement an attribute is read from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The event matched by positive clause `i`.
    Clause(usize),
    /// The candidate event of an `unless`.
    Own,
}

/// A value in a condition.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Operand {
    Num(f64),
    /// A word of a domain, or a town, by code.
    Code(u32),
    /// A half-way house, by name (houses are numbered per run).
    House(String),
    Attr(Origin, Source),
    Person(usize),
    Fn(PersonFn, usize),
    Years(Origin, Origin),
}

/// A condition.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Cmp(Operand, Op, Operand),
    In(Operand, Vec<Operand>),
    Flag(Operand),
    Partners(usize, usize),
    CarerOf(usize, usize),
}

/// Who a clause binds: each `(column, variable)`, column 0 the log's `person`, 1 its
/// `other`; a couple binds its two variables either way round.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Binds {
    Roles(Vec<(u8, usize)>),
    Couple(usize, usize),
}

impl Binds {
    pub(crate) fn vars(&self) -> Vec<usize> {
        match self {
            Binds::Roles(roles) => roles.iter().map(|&(_, v)| v).collect(),
            Binds::Couple(a, b) => vec![*a, *b],
        }
    }
}

/// A clause that must match.
#[derive(Clone, Debug)]
pub(crate) struct Clause {
    pub label: String,
    pub kind: u8,
    pub binds: Binds,
}

/// A clause that must not match.
#[derive(Clone, Debug)]
pub(crate) struct Unless {
    pub kind: u8,
    pub binds: Binds,
    pub cond: Option<Expr>,
    /// Strictly after this clause's event.
    pub after: Option<usize>,
    /// Strictly before this clause's event.
    pub before: Option<usize>,
}

/// One step of the plan: match `clause`, through the events of the person bound to `via`
/// if there is one (else every event of the kind), then check `conds` and `orders`.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub clause: usize,
    pub via: Option<usize>,
    pub conds: Vec<Expr>,
    pub orders: Vec<(usize, usize)>,
}

/// A pattern ready to match: see the crate's documentation for the language.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// The name given by `pattern NAME`, or `pattern` if none.
    pub name: String,
    /// The description given after the name, if any.
    pub about: Option<String>,
    /// The text it was compiled from.
    pub text: String,
    pub(crate) vars: Vec<String>,
    /// Whether each variable is bound by a positive clause.
    pub(crate) positive: Vec<bool>,
    pub(crate) clauses: Vec<Clause>,
    pub(crate) unlesses: Vec<Unless>,
    pub(crate) primary: usize,
    pub(crate) steps: Vec<Step>,
    /// The conditions of the first step that say who the counted person is (home, house,
    /// birth, blood group): with the first clause's kind, they define the population.
    pub(crate) population: Vec<Expr>,
}

impl Pattern {
    /// Compiles a pattern's text.
    ///
    /// # Errors
    /// The first mistake, with its place and what was expected.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let statements = crate::parse::parse(text)?;
        Compiler::default().compile(text, statements)
    }

    /// The name of the variable counted (without `?`).
    #[must_use]
    pub fn primary(&self) -> &str {
        &self.vars[self.primary]
    }

    /// The variables bound by the pattern's clauses, in order of appearance (without `?`).
    #[must_use]
    pub fn variables(&self) -> Vec<&str> {
        self.vars
            .iter()
            .zip(&self.positive)
            .filter(|(name, positive)| **positive && !name.starts_with('_'))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The labels of the clauses that must match, in order (an unlabelled clause is named
    /// by its position, `#1`, `#2`, ...).
    #[must_use]
    pub fn labels(&self) -> Vec<&str> {
        self.clauses.iter().map(|c| c.label.as_str()).collect()
    }

    /// The position of the first clause that binds the counted variable: the clause matching
    /// starts from, whose kind (with its conditions on who the person is) defines the
    /// population.
    #[must_use]
    pub fn first_clause(&self) -> usize {
        self.steps[0].clause
    }

    /// The kind of each clause that must match, in order.
    #[must_use]
    pub fn kinds(&self) -> Vec<&'static str> {
        self.clauses.iter().map(|c| spec(c.kind).name).collect()
    }
}

#[derive(Default)]
struct Compiler {
    vars: Vec<String>,
    positive: Vec<bool>,
    labels: Vec<String>,
    /// The kind of each clause that must match, by index.
    kinds: Vec<u8>,
    anonymous: usize,
}

/// What a term compiled to: a typed operand, a literal waiting for the other side's type,
/// or a relation (only a condition by itself).
enum Compiled {
    Typed(Operand, Ty),
    Literal(Literal, Range<usize>),
    Relation(Expr),
}

enum Literal {
    Num(f64),
    Text(String),
}

/// The context of a condition: the clause whose attributes bare words name, and the
/// variables it may use.
struct Context<'a> {
    own: Option<(Origin, &'a KindSpec)>,
    /// Variables local to an `unless`, usable in its condition.
    locals: &'a [usize],
}

/// A pattern's statements sorted by what they say, its clauses that must match compiled.
#[derive(Default)]
struct Sorted {
    name: Option<String>,
    about: Option<String>,
    count: Option<Name>,
    clauses: Vec<Clause>,
    /// Each clause statement with its clause's index, for its condition compiled later.
    pending: Vec<(usize, ClauseAst)>,
    unless_asts: Vec<ClauseAst>,
    order_asts: Vec<Vec<Name>>,
}

/// The error for a role written beside `couple`, which names both parties.
fn couple_alone(name: &Name) -> PatternError {
    PatternError::new(
        "`couple` names both parties: no other role goes with it",
        name.span.clone(),
    )
}

/// The column of the role `name` in a kind's roles, or the error that it has no such role.
fn role_position(spec: &KindSpec, name: &Name) -> Result<usize, PatternError> {
    if let Some(position) = spec.roles.iter().position(|r| *r == name.text) {
        return Ok(position);
    }
    let mut names: Vec<&str> = spec.roles.to_vec();
    if spec.couple {
        names.push("couple");
    }
    let mut error = PatternError::new(
        format!("`{}` has no role `{}`", spec.name, cut(&name.text)),
        name.span.clone(),
    )
    .expected(roles_expected(spec));
    if let Some(best) = closest(&name.text, names.iter().copied()) {
        error = error.help(format!("did you mean `{best}`?"));
    } else if spec.attr(&name.text).is_some() {
        error = error.help(format!(
            "`{}` is an attribute: conditions follow `where`",
            name.text
        ));
    }
    Err(error)
}

/// The roles filled, by column, as the binds of a clause.
fn roles_filled(filled: &[Option<usize>]) -> Binds {
    Binds::Roles(
        filled
            .iter()
            .enumerate()
            .filter_map(|(column, var)| {
                var.map(|v| (u8::try_from(column).expect("two roles at most"), v))
            })
            .collect(),
    )
}

/// The house names a pattern may write, as a run names its houses (`hailsham_world::Places`):
/// the novel's three, a name of [`HOUSE_NAMES`], alone, "near" a town or numbered ("the
/// Grange", "the Grange, near Dover", "the Grange 34"), in any case.
fn house_name(text: &str) -> Option<String> {
    if let Some(name) = HAILSHAM_HOUSES
        .iter()
        .find(|name| name.eq_ignore_ascii_case(text))
    {
        return Some((*name).to_string());
    }
    let lower = text.to_ascii_lowercase();
    let base = HOUSE_NAMES
        .iter()
        .filter(|name| lower.starts_with(&name.to_ascii_lowercase()))
        .max_by_key(|name| name.len())?;
    let rest = &text[base.len()..];
    if rest.is_empty() {
        return Some((*base).to_string());
    }
    if let Some(town) = rest
        .strip_prefix(", near ")
        .or_else(|| rest.strip_prefix(", Near "))
    {
        let town = hailsham_world::centre_names()
            .into_iter()
            .find(|t| t.eq_ignore_ascii_case(town))?;
        return Some(format!("{base}, near {town}"));
    }
    let number = rest.strip_prefix(' ')?.parse::<u32>().ok()?;
    Some(format!("{base} {number}"))
}

impl Compiler {
    fn var(&mut self, name: &Name, positive: bool) -> usize {
        if name.text == "_" {
            self.anonymous += 1;
            self.vars.push(format!("_{}", self.anonymous));
            self.positive.push(positive);
            return self.vars.len() - 1;
        }
        if let Some(i) = self.vars.iter().position(|v| *v == name.text) {
            self.positive[i] |= positive;
            return i;
        }
        self.vars.push(name.text.clone());
        self.positive.push(positive);
        self.vars.len() - 1
    }

    fn kind(name: &Name) -> Result<u8, PatternError> {
        crate::schema::kind_index(&name.text).ok_or_else(|| {
            PatternError::new(
                format!("unknown kind `{}`", cut(&name.text)),
                name.span.clone(),
            )
            .expected("a kind of announcement (docs/log.md lists them)")
            .suggest(&name.text, KINDS.iter().map(|k| k.name), false)
        })
    }

    fn label(&self, name: &Name) -> Result<usize, PatternError> {
        self.labels
            .iter()
            .position(|l| *l == name.text)
            .ok_or_else(|| {
                let mut error = PatternError::new(
                    format!("no clause is labelled `{}`", cut(&name.text)),
                    name.span.clone(),
                )
                .expected("the label of a clause above: `label: kind ...`");
                let named: Vec<&str> = self
                    .labels
                    .iter()
                    .filter(|l| !l.starts_with('#'))
                    .map(String::as_str)
                    .collect();
                if let Some(best) = closest(&name.text, named.iter().copied()) {
                    error = error.help(format!("did you mean `{best}`?"));
                } else if named.is_empty() {
                    error = error.help("give the clause a label: `a: carer-assigned ...`");
                }
                error
            })
    }

    /// The binds of a clause's roles; `positive` marks variables of clauses that must match.
    fn binds(
        &mut self,
        kind: u8,
        roles: &[RoleAst],
        positive: bool,
    ) -> Result<Binds, PatternError> {
        let spec = spec(kind);
        let mut filled: Vec<Option<usize>> = vec![None; spec.roles.len()];
        let mut couple = None;
        for role in roles {
            match &role.role {
                Some(name) if name.text == "couple" => {
                    if !spec.couple {
                        return Err(PatternError::new(
                            format!("`{}` is not about a couple", spec.name),
                            name.span.clone(),
                        )
                        .expected(roles_expected(spec)));
                    }
                    if couple.is_some() || filled.iter().any(Option::is_some) {
                        return Err(couple_alone(name));
                    }
                    let a = self.var(&role.vars[0], positive);
                    let b = self.var(&role.vars[1], positive);
                    couple = Some((a, b));
                }
                Some(name) => {
                    let position = role_position(spec, name)?;
                    if filled[position].is_some() || couple.is_some() {
                        return Err(PatternError::new(
                            format!("the role `{}` is given twice", name.text),
                            name.span.clone(),
                        ));
                    }
                    filled[position] = Some(self.var(&role.vars[0], positive));
                }
                None => {
                    let var = &role.vars[0];
                    let Some(position) = filled.iter().position(Option::is_none) else {
                        return Err(PatternError::new(
                            format!("one ?variable too many: `{}` has no role left", spec.name),
                            var.span.clone(),
                        )
                        .expected(roles_expected(spec)));
                    };
                    if couple.is_some() {
                        return Err(couple_alone(var));
                    }
                    filled[position] = Some(self.var(var, positive));
                }
            }
        }
        if let Some((a, b)) = couple {
            return Ok(Binds::Couple(a, b));
        }
        Ok(roles_filled(&filled))
    }

    /// Compiles the statements, in the order a reader checks them: clauses, their
    /// conditions, orders, `unless` clauses, then who is counted.
    fn compile(mut self, text: &str, statements: Vec<Statement>) -> Result<Pattern, PatternError> {
        let sorted = self.sort(statements)?;
        let Sorted {
            name,
            about,
            count,
            clauses,
            pending,
            unless_asts,
            order_asts,
        } = sorted;
        if clauses.is_empty() {
            return Err(PatternError::new(
                "a pattern needs at least one clause",
                text.len()..text.len(),
            )
            .expected("a clause such as `c: completed ?x where number = 2`"));
        }
        let conds = self.clause_conds(&clauses, &pending)?;
        let orders = self.orders(&order_asts)?;
        let unlesses = unless_asts
            .iter()
            .map(|ast| self.unless(ast))
            .collect::<Result<Vec<_>, _>>()?;
        let primary = self.primary(count.as_ref(), &pending[0].1)?;
        let steps = plan(&clauses, primary, conds, orders, self.vars.len());
        let population = steps[0]
            .conds
            .iter()
            .filter(|c| identity(c, primary))
            .cloned()
            .collect();
        Ok(Pattern {
            name: name.unwrap_or_else(|| "pattern".to_string()),
            about,
            text: text.to_string(),
            vars: self.vars,
            positive: self.positive,
            clauses,
            unlesses,
            primary,
            steps,
            population,
        })
    }

    /// Sorts the statements by what they say, compiling each clause that must match as it
    /// comes (its label and binds), so that mistakes are reported in the order written.
    fn sort(&mut self, statements: Vec<Statement>) -> Result<Sorted, PatternError> {
        let mut sorted = Sorted::default();
        for (position, statement) in statements.into_iter().enumerate() {
            match statement {
                Statement::Pattern { name: n, about: a } => {
                    if position != 0 {
                        return Err(PatternError::new(
                            "`pattern` must be the first statement",
                            n.span.clone(),
                        ));
                    }
                    sorted.name = Some(n.text);
                    sorted.about = a;
                }
                Statement::Count(var) => {
                    if sorted.count.is_some() {
                        return Err(PatternError::new("a second `count`", var.span));
                    }
                    sorted.count = Some(var);
                }
                Statement::Order(labels) => sorted.order_asts.push(labels),
                Statement::Unless(ast) => sorted.unless_asts.push(ast),
                Statement::Clause(ast) => {
                    let clause = self.clause(&ast, sorted.clauses.len() + 1)?;
                    sorted.clauses.push(clause);
                    sorted.pending.push((sorted.clauses.len() - 1, ast));
                }
            }
        }
        Ok(sorted)
    }

    /// A clause that must match, the `number`th: its kind, its label (or `#number`) checked
    /// against the language's words and the labels before it, and its binds.
    fn clause(&mut self, ast: &ClauseAst, number: usize) -> Result<Clause, PatternError> {
        let kind = Self::kind(&ast.kind)?;
        let label = match &ast.label {
            Some(label) => {
                if crate::schema::KEYWORDS.contains(&label.text.as_str()) {
                    return Err(PatternError::new(
                        format!("`{}` is a word of the language, not a label", label.text),
                        label.span.clone(),
                    ));
                }
                if self.labels.contains(&label.text) {
                    return Err(PatternError::new(
                        format!("a second clause labelled `{}`", cut(&label.text)),
                        label.span.clone(),
                    )
                    .help("each clause's label must be its own"));
                }
                label.text.clone()
            }
            None => format!("#{number}"),
        };
        let binds = self.binds(kind, &ast.roles, true)?;
        self.labels.push(label.clone());
        self.kinds.push(kind);
        Ok(Clause { label, kind, binds })
    }

    /// The conditions of the clauses that must match, compiled once every clause is known
    /// (a condition may name a later clause's label).
    fn clause_conds(
        &mut self,
        clauses: &[Clause],
        pending: &[(usize, ClauseAst)],
    ) -> Result<Vec<Expr>, PatternError> {
        let mut conds: Vec<Expr> = Vec::new();
        for (index, ast) in pending {
            if let Some(cond) = &ast.cond {
                let spec = spec(clauses[*index].kind);
                let context = Context {
                    own: Some((Origin::Clause(*index), spec)),
                    locals: &[],
                };
                conds.push(self.cond(cond, &context)?);
            }
        }
        Ok(conds)
    }

    /// The `order` statements as pairs of clauses, the first before the second.
    fn orders(&self, order_asts: &[Vec<Name>]) -> Result<Vec<(usize, usize)>, PatternError> {
        let mut orders = Vec::new();
        for labels in order_asts {
            let mut previous = None;
            for label in labels {
                let index = self.label(label)?;
                if let Some(before) = previous {
                    if before == index {
                        return Err(PatternError::new(
                            format!("`{}` cannot come before itself", label.text),
                            label.span.clone(),
                        ));
                    }
                    orders.push((before, index));
                }
                previous = Some(index);
            }
        }
        Ok(orders)
    }

    /// A clause that must not match: the variables it binds first are its own.
    fn unless(&mut self, ast: &ClauseAst) -> Result<Unless, PatternError> {
        let kind = Self::kind(&ast.kind)?;
        let before_vars = self.vars.len();
        let binds = self.binds(kind, &ast.roles, false)?;
        let locals: Vec<usize> = binds
            .vars()
            .into_iter()
            .filter(|&v| v >= before_vars || !self.positive[v])
            .collect();
        let cond = match &ast.cond {
            Some(cond) => {
                let context = Context {
                    own: Some((Origin::Own, spec(kind))),
                    locals: &locals,
                };
                Some(self.cond(cond, &context)?)
            }
            None => None,
        };
        let (after, before) = match &ast.window {
            Window::Any => (None, None),
            Window::After(a) => (Some(self.label(a)?), None),
            Window::Before(b) => (None, Some(self.label(b)?)),
            Window::Between(a, b) => (Some(self.label(a)?), Some(self.label(b)?)),
        };
        Ok(Unless {
            kind,
            binds,
            cond,
            after,
            before,
        })
    }

    /// The variable counted: the one `count` names, else the first a clause that must match
    /// binds by name; `first` is the first such clause, blamed when there is none.
    fn primary(&self, count: Option<&Name>, first: &ClauseAst) -> Result<usize, PatternError> {
        match count {
            Some(var) => match self.vars.iter().position(|v| *v == var.text) {
                Some(i) if self.positive[i] && !var.text.starts_with('_') => Ok(i),
                _ => Err(self
                    .unknown_var(var)
                    .expected("a ?variable bound by a clause that must match")),
            },
            None => match (0..self.vars.len())
                .find(|&i| self.positive[i] && !self.vars[i].starts_with('_'))
            {
                Some(i) => Ok(i),
                None => {
                    let span = first.kind.span.clone();
                    Err(PatternError::new("the pattern binds nobody to count", span)
                        .expected("a clause with a ?variable, e.g. `completed ?x`"))
                }
            },
        }
    }

    fn unknown_var(&self, var: &Name) -> PatternError {
        let names: Vec<&str> = self
            .vars
            .iter()
            .filter(|v| !v.starts_with('_'))
            .map(String::as_str)
            .collect();
        let mut error = PatternError::new(
            format!("`?{}` is bound by no clause", cut(&var.text)),
            var.span.clone(),
        );
        if let Some(best) = closest(&var.text, names.iter().copied()) {
            error = error.help(format!("did you mean `?{best}`?"));
        }
        error
    }

    /// A condition compiled in its context, every comparison's types checked.
    fn cond(&mut self, cond: &Cond, context: &Context<'_>) -> Result<Expr, PatternError> {
        Ok(match cond {
            Cond::Or(parts) => Expr::Or(
                parts
                    .iter()
                    .map(|p| self.cond(p, context))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::And(parts) => Expr::And(
                parts
                    .iter()
                    .map(|p| self.cond(p, context))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Not(inner) => Expr::Not(Box::new(self.cond(inner, context)?)),
            Cond::Test(term) => match self.term(term, context)? {
                Compiled::Typed(operand, Ty::Flag) => Expr::Flag(operand),
                Compiled::Relation(expr) => expr,
                Compiled::Typed(_, ty) => {
                    return Err(PatternError::new(
                        format!("{} on its own is not a condition", ty.what()),
                        term.span.clone(),
                    )
                    .expected(
                        "a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`, `in`) or a yes-or-no",
                    ));
                }
                Compiled::Literal(..) => return Err(self.not_an_attribute(term, context, true)),
            },
            Cond::Cmp(left, op, op_span, right) => {
                self.comparison(left, *op, op_span, right, context)?
            }
            Cond::In(left, items) => self.membership(left, items, context)?,
        })
    }

    /// A comparison of two terms: of one type (a literal takes the other side's), and only
    /// numbers ordered.
    fn comparison(
        &mut self,
        left: &Term,
        op: Op,
        op_span: &Range<usize>,
        right: &Term,
        context: &Context<'_>,
    ) -> Result<Expr, PatternError> {
        let l = self.term(left, context)?;
        let r = self.term(right, context)?;
        let (l, r) = match (l, r) {
            (Compiled::Relation(_), _) => return Err(relation_alone(left)),
            (_, Compiled::Relation(_)) => return Err(relation_alone(right)),
            (Compiled::Literal(..), Compiled::Literal(..)) => {
                return Err(self.not_an_attribute(left, context, false));
            }
            (Compiled::Typed(a, ta), Compiled::Typed(b, tb)) => {
                if ta != tb {
                    return Err(PatternError::new(
                        format!("{} is compared with {}", ta.what(), tb.what()),
                        left.span.start..right.span.end,
                    )
                    .expected(format!("{} on both sides", ta.what())));
                }
                ((a, ta), b)
            }
            (Compiled::Typed(a, ta), Compiled::Literal(lit, span)) => {
                let b = literal(lit, ta, &span)?;
                ((a, ta), b)
            }
            (Compiled::Literal(lit, span), Compiled::Typed(b, tb)) => {
                let a = literal(lit, tb, &span)?;
                ((a, tb), b)
            }
        };
        let ((a, ty), b) = (l, r);
        if ty != Ty::Number && !matches!(op, Op::Eq | Op::Ne) {
            return Err(PatternError::new(
                format!(
                    "`{}` compares numbers, not {}s",
                    op.text(),
                    ty.what().trim_start_matches("a ").trim_start_matches("an ")
                ),
                op_span.clone(),
            )
            .expected("`=` or `!=`"));
        }
        Ok(Expr::Cmp(a, op, b))
    }

    /// A term `in` a list of literals, each read as the term's type.
    fn membership(
        &mut self,
        left: &Term,
        items: &[Term],
        context: &Context<'_>,
    ) -> Result<Expr, PatternError> {
        let (operand, ty) = match self.term(left, context)? {
            Compiled::Typed(operand, ty) => (operand, ty),
            Compiled::Literal(..) => {
                return Err(self.not_an_attribute(left, context, false));
            }
            Compiled::Relation(_) => return Err(relation_alone(left)),
        };
        if matches!(ty, Ty::Flag) {
            return Err(
                PatternError::new("a yes-or-no is not in a list", left.span.clone())
                    .expected("a word, a name, a number or a person before `in`"),
            );
        }
        let mut values = Vec::new();
        for item in items {
            match self.term(item, context)? {
                Compiled::Literal(lit, span) => values.push(literal(lit, ty, &span)?),
                _ => {
                    return Err(PatternError::new(
                        "a list holds words, names and numbers only",
                        item.span.clone(),
                    )
                    .expected(ty.what().to_string()));
                }
            }
        }
        Ok(Expr::In(operand, values))
    }

    /// The error for a bare word that names no attribute, where one was needed.
    fn not_an_attribute(&self, term: &Term, context: &Context<'_>, flag: bool) -> PatternError {
        let TermKind::Word(word) = &term.kind else {
            return PatternError::new("a comparison of two constants", term.span.clone())
                .expected("an attribute, a ?variable or a function on one side");
        };
        let Some((_, spec)) = context.own else {
            return PatternError::new(
                format!("unknown attribute `{}`", cut(word)),
                term.span.clone(),
            );
        };
        let names: Vec<&str> = spec
            .attr_names()
            .into_iter()
            .filter(|n| !flag || spec.attr(n).is_some_and(|a| a.ty == Ty::Flag))
            .collect();
        let mut error = PatternError::new(
            format!("`{}` has no attribute `{}`", spec.name, cut(word)),
            term.span.clone(),
        )
        .expected(if flag {
            if names.is_empty() {
                format!("a condition: `{}` has no yes-or-no attribute", spec.name)
            } else {
                format!(
                    "a yes-or-no attribute of `{}`: {}",
                    spec.name,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        } else {
            format!(
                "an attribute of `{}`: {}",
                spec.name,
                spec.attr_names()
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        if let Some(best) = closest(word, spec.attr_names()) {
            error = error.help(format!("did you mean `{best}`?"));
        } else if PERSON_FNS.iter().any(|f| f.0 == word) {
            error = error.help(format!("`{word}` is a person's: write `{word}(?x)`"));
        }
        error
    }

    fn var_ref(
        &self,
        name: &str,
        span: &Range<usize>,
        context: &Context<'_>,
    ) -> Result<usize, PatternError> {
        match self.vars.iter().position(|v| v == name) {
            Some(i) if self.positive[i] || context.locals.contains(&i) => Ok(i),
            _ => Err(self.unknown_var(&Name {
                text: name.to_string(),
                span: span.clone(),
            })),
        }
    }

    fn term(&mut self, term: &Term, context: &Context<'_>) -> Result<Compiled, PatternError> {
        Ok(match &term.kind {
            TermKind::Num(n) => Compiled::Literal(Literal::Num(*n), term.span.clone()),
            TermKind::Str(s) => Compiled::Literal(Literal::Text(s.clone()), term.span.clone()),
            TermKind::Var(v) => {
                if v == "_" {
                    return Err(PatternError::new(
                        "`?_` matches anyone and cannot be compared",
                        term.span.clone(),
                    ));
                }
                Compiled::Typed(
                    Operand::Person(self.var_ref(v, &term.span, context)?),
                    Ty::Person,
                )
            }
            TermKind::Word(word) => match context
                .own
                .and_then(|(origin, spec)| spec.attr(word).map(|a| (origin, a)))
            {
                Some((origin, attr)) => {
                    Compiled::Typed(Operand::Attr(origin, attr.source), attr.ty)
                }
                None => Compiled::Literal(Literal::Text(word.clone()), term.span.clone()),
            },
            TermKind::Attr { label, name } => {
                let index = self.label(label)?;
                let Some(clause_kind) = self.clause_kind(index) else {
                    return Err(PatternError::new("no such clause", label.span.clone()));
                };
                let spec = spec(clause_kind);
                let Some(attr) = spec.attr(&name.text) else {
                    return Err(PatternError::new(
                        format!("`{}` has no attribute `{}`", spec.name, cut(&name.text)),
                        name.span.clone(),
                    )
                    .expected(format!(
                        "an attribute of `{}`: {}",
                        spec.name,
                        spec.attr_names()
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .suggest(&name.text, spec.attr_names(), false));
                };
                Compiled::Typed(Operand::Attr(Origin::Clause(index), attr.source), attr.ty)
            }
            TermKind::Call { name, args } => self.call(name, args, term, context)?,
        })
    }

    fn clause_kind(&self, index: usize) -> Option<u8> {
        self.kinds.get(index).copied()
    }

    fn call(
        &mut self,
        name: &Name,
        args: &[Term],
        term: &Term,
        context: &Context<'_>,
    ) -> Result<Compiled, PatternError> {
        let var_arg = |compiler: &Self, arg: &Term| -> Result<usize, PatternError> {
            match &arg.kind {
                TermKind::Var(v) if v != "_" => compiler.var_ref(v, &arg.span, context),
                _ => Err(PatternError::new(
                    format!("`{}` takes people", name.text),
                    arg.span.clone(),
                )
                .expected("a ?variable")),
            }
        };
        let arity = |n: usize| -> Result<(), PatternError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(PatternError::new(
                    format!(
                        "`{}` takes {n} argument{}, not {}",
                        name.text,
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                    term.span.clone(),
                ))
            }
        };
        if let Some(&(_, function, ty, _)) = PERSON_FNS.iter().find(|f| f.0 == name.text) {
            arity(1)?;
            let var = var_arg(self, &args[0])?;
            return Ok(Compiled::Typed(Operand::Fn(function, var), ty));
        }
        match name.text.as_str() {
            "partners" | "carer-of" => {
                arity(2)?;
                let a = var_arg(self, &args[0])?;
                let b = var_arg(self, &args[1])?;
                Ok(Compiled::Relation(if name.text == "partners" {
                    Expr::Partners(a, b)
                } else {
                    Expr::CarerOf(a, b)
                }))
            }
            "years" => {
                arity(2)?;
                let mut origins = Vec::new();
                for arg in args {
                    let TermKind::Word(label) = &arg.kind else {
                        return Err(PatternError::new(
                            "`years` takes two clauses' labels",
                            arg.span.clone(),
                        )
                        .expected("a clause's label: `years(a, b)`"));
                    };
                    origins.push(Origin::Clause(self.label(&Name {
                        text: label.clone(),
                        span: arg.span.clone(),
                    })?));
                }
                Ok(Compiled::Typed(
                    Operand::Years(origins[0], origins[1]),
                    Ty::Number,
                ))
            }
            _ => Err(PatternError::new(
                format!("unknown function `{}`", cut(&name.text)),
                name.span.clone(),
            )
            .expected("a function of a person (`home(?x)`, ...), `partners`, `carer-of` or `years`")
            .suggest(&name.text, function_names(), true)),
        }
    }
}

fn relation_alone(term: &Term) -> PatternError {
    PatternError::new("a relation is a condition by itself", term.span.clone())
        .expected("`partners(?a, ?b)` or `carer-of(?a, ?b)` alone, or after `not`")
}

fn roles_expected(spec: &KindSpec) -> String {
    if spec.roles.is_empty() {
        return format!("nothing: `{}` is about nobody", spec.name);
    }
    let mut roles: Vec<String> = spec.roles.iter().map(|r| format!("`{r} ?x`")).collect();
    if spec.couple {
        roles.push("`couple ?a ?b`".to_string());
    }
    format!("the roles of `{}`: {}", spec.name, roles.join(", "))
}

/// A literal given the type of what it is compared with.
fn literal(lit: Literal, ty: Ty, span: &Range<usize>) -> Result<Operand, PatternError> {
    match (lit, ty) {
        (Literal::Num(n), Ty::Number) => Ok(Operand::Num(n)),
        (Literal::Num(n), Ty::Person) if n >= 0.0 && n.fract() == 0.0 && n < 4e9 => {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(Operand::Code(n as u32))
        }
        (Literal::Text(word), Ty::Word(domain)) => match domain.code(&word) {
            Some(code) => Ok(Operand::Code(u32::from(code))),
            None => Err(PatternError::new(
                format!("`{}` is not {}", cut(&word), domain.what()),
                span.clone(),
            )
            .expected(format!(
                "one of {}",
                domain.words().iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
            ))
            .suggest(&word, domain.words(), false)),
        },
        (Literal::Text(word), Ty::Town) => {
            let towns = hailsham_world::centre_names();
            match towns.iter().position(|t| t.eq_ignore_ascii_case(&word)) {
                Some(code) => Ok(Operand::Code(u32::try_from(code).unwrap_or(u32::MAX))),
                None => Err(PatternError::new(
                    format!("`{}` is not a town with a recovery centre", cut(&word)),
                    span.clone(),
                )
                .expected("a town's name, e.g. \"Dover\"")
                .suggest(&word, towns.iter().copied(), false)),
            }
        }
        (Literal::Text(word), Ty::House) => match house_name(&word) {
            Some(name) => Ok(Operand::House(name)),
            None => Err(PatternError::new(
                format!("`{}` is not a half-way house", cut(&word)),
                span.clone(),
            )
            .expected("a half-way house's name, e.g. \"the Cottages\", \"Poplar Farm\", \"the Grange\" or \"the Grange, near Dover\"")
            .suggest(&word, HAILSHAM_HOUSES.iter().chain(HOUSE_NAMES.iter()).copied(), false)),
        },
        (Literal::Num(_), ty) => Err(PatternError::new(
            format!("a number is compared with {}", ty.what()),
            span.clone(),
        )
        .expected(ty.what().to_string())),
        (Literal::Text(word), ty) => Err(PatternError::new(
            format!("`{}` is compared with {}", cut(&word), ty.what()),
            span.clone(),
        )
        .expected(if ty == Ty::Number { "a number".to_string() } else { ty.what().to_string() })),
    }
}

/// Whether a condition is only about who person `var` is: home, house, birth, blood group.
fn identity(expr: &Expr, var: usize) -> bool {
    let operand = |o: &Operand| match o {
        Operand::Num(_) | Operand::Code(_) | Operand::House(_) => true,
        Operand::Fn(f, v) => {
            *v == var
                && matches!(
                    f,
                    PersonFn::Home | PersonFn::House | PersonFn::Born | PersonFn::Blood
                )
        }
        _ => false,
    };
    match expr {
        Expr::Or(parts) | Expr::And(parts) => parts.iter().all(|p| identity(p, var)),
        Expr::Not(inner) => identity(inner, var),
        Expr::Cmp(a, _, b) => operand(a) && operand(b),
        Expr::In(a, items) => operand(a) && items.iter().all(operand),
        Expr::Flag(a) => operand(a),
        Expr::Partners(..) | Expr::CarerOf(..) => false,
    }
}

/// The clauses and variables a condition needs bound.
fn needs(expr: &Expr, clauses: &mut BTreeSet<usize>, vars: &mut BTreeSet<usize>) {
    let operand = |o: &Operand, clauses: &mut BTreeSet<usize>, vars: &mut BTreeSet<usize>| match o {
        Operand::Attr(Origin::Clause(c), _) => {
            clauses.insert(*c);
        }
        Operand::Years(a, b) => {
            for origin in [a, b] {
                if let Origin::Clause(c) = origin {
                    clauses.insert(*c);
                }
            }
        }
        Operand::Person(v) | Operand::Fn(_, v) => {
            vars.insert(*v);
        }
        _ => {}
    };
    match expr {
        Expr::Or(parts) | Expr::And(parts) => {
            for p in parts {
                needs(p, clauses, vars);
            }
        }
        Expr::Not(inner) => needs(inner, clauses, vars),
        Expr::Cmp(a, _, b) => {
            operand(a, clauses, vars);
            operand(b, clauses, vars);
        }
        Expr::In(a, items) => {
            operand(a, clauses, vars);
            for i in items {
                operand(i, clauses, vars);
            }
        }
        Expr::Flag(a) => operand(a, clauses, vars),
        Expr::Partners(a, b) | Expr::CarerOf(a, b) => {
            vars.insert(*a);
            vars.insert(*b);
        }
    }
}

/// The order of matching: the first clause that binds the counted variable, then, each
/// time, the first clause left (in the pattern's order) that shares a person with those
/// matched, else the first left. Each condition (split at its top-level `and`s) and each
/// order goes to the first step at which all it needs is bound.
fn plan(
    clauses: &[Clause],
    primary: usize,
    conds: Vec<Expr>,
    orders: Vec<(usize, usize)>,
    vars: usize,
) -> Vec<Step> {
    let mut left: Vec<usize> = (0..clauses.len()).collect();
    let first = left
        .iter()
        .position(|&c| clauses[c].binds.vars().contains(&primary))
        .unwrap_or(0);
    let mut bound = vec![false; vars];
    let mut order = Vec::new();
    let mut next = left.remove(first);
    loop {
        let via = clauses[next].binds.vars().into_iter().find(|&v| bound[v]);
        for v in clauses[next].binds.vars() {
            bound[v] = true;
        }
        order.push((next, via));
        if left.is_empty() {
            break;
        }
        let position = left
            .iter()
            .position(|&c| clauses[c].binds.vars().iter().any(|&v| bound[v]))
            .unwrap_or(0);
        next = left.remove(position);
    }
    let mut steps: Vec<Step> = order
        .iter()
        .map(|&(clause, via)| Step {
            clause,
            via,
            conds: Vec::new(),
            orders: Vec::new(),
        })
        .collect();
    // The step at which each clause and each variable is bound.
    let mut clause_step = vec![0; clauses.len()];
    let mut var_step = vec![usize::MAX; vars];
    for (step, &(clause, _)) in order.iter().enumerate() {
        clause_step[clause] = step;
        for v in clauses[clause].binds.vars() {
            var_step[v] = var_step[v].min(step);
        }
    }
    let mut split = Vec::new();
    for cond in conds {
        match cond {
            Expr::And(parts) => split.extend(parts),
            other => split.push(other),
        }
    }
    for cond in split {
        let mut need_clauses = BTreeSet::new();
        let mut need_vars = BTreeSet::new();
        needs(&cond, &mut need_clauses, &mut need_vars);
        let at = need_clauses
            .iter()
            .map(|&c| clause_step[c])
            .chain(need_vars.iter().map(|&v| var_step[v]))
            .max()
            .unwrap_or(0)
            .min(steps.len() - 1);
        steps[at].conds.push(cond);
    }
    for (a, b) in orders {
        let at = clause_step[a].max(clause_step[b]);
        steps[at].orders.push((a, b));
    }
    steps
}
