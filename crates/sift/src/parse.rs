//! Text to statements: the lexer and the parser. Nothing here knows what a kind or an
//! attribute means; [`crate::compile`] checks the names against the schema.
//!
//! A pattern is a list of statements, one a line. A line that begins with `where`, `and`,
//! `or`, `between`, `after` or `before` goes on with the statement above it, as does every
//! line inside parentheses; `#` starts a comment.

use std::ops::Range;

use crate::error::PatternError;

/// A comparison operator.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub(crate) fn text(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Var(String),
    Num(f64),
    Str(String),
    Colon,
    Comma,
    LParen,
    RParen,
    Dot,
    Op(Op),
    Newline,
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(w) => format!("`{}`", cut(w)),
            Tok::Var(v) => format!("`?{}`", cut(v)),
            Tok::Num(_) => "a number".to_string(),
            Tok::Str(_) => "a \"name\"".to_string(),
            Tok::Colon => "`:`".to_string(),
            Tok::Comma => "`,`".to_string(),
            Tok::LParen => "`(`".to_string(),
            Tok::RParen => "`)`".to_string(),
            Tok::Dot => "`.`".to_string(),
            Tok::Op(op) => format!("`{}`", op.text()),
            Tok::Newline => "the end of the line".to_string(),
            Tok::Eof => "the end of the pattern".to_string(),
        }
    }
}

/// A word shown in a message: cut to 40 characters.
pub(crate) fn cut(word: &str) -> String {
    match word.char_indices().nth(40) {
        None => word.to_string(),
        Some((end, _)) => format!("{}…", &word[..end]),
    }
}

struct Token {
    tok: Tok,
    span: Range<usize>,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The characters of a pattern still to read, with their byte offsets.
type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// The pattern's text as tokens, ending with `Eof`; comments and blanks other than line
/// ends are dropped.
fn lex(text: &str) -> Result<Vec<Token>, PatternError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        let single = |tok: Tok| Token {
            tok,
            span: start..start + c.len_utf8(),
        };
        match c {
            '\n' => {
                chars.next();
                tokens.push(single(Tok::Newline));
            }
            c if c.is_whitespace() => {
                chars.next();
            }
            '#' => {
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    chars.next();
                }
            }
            ':' | ',' | '(' | ')' | '.' | '=' => {
                chars.next();
                tokens.push(single(match c {
                    ':' => Tok::Colon,
                    ',' => Tok::Comma,
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    '.' => Tok::Dot,
                    _ => Tok::Op(Op::Eq),
                }));
            }
            '<' | '>' | '!' => tokens.push(lex_comparison(&mut chars, c, start)?),
            '"' => tokens.push(lex_quoted(&mut chars, start)?),
            '?' => tokens.push(lex_variable(&mut chars, text, start)?),
            c if c.is_ascii_digit() => tokens.push(lex_number(&mut chars, text, start)?),
            c if is_word_start(c) => tokens.push(lex_word(&mut chars, text, start)),
            c => {
                return Err(PatternError::new(
                    format!("unexpected character `{c}`"),
                    start..start + c.len_utf8(),
                )
                .expected(
                    "a word, a ?variable, a number, a \"name\", `:`, `,`, `(`, `)`, `.` or a \
                     comparison",
                ));
            }
        }
    }
    tokens.push(Token {
        tok: Tok::Eof,
        span: text.len()..text.len(),
    });
    Ok(tokens)
}

/// A comparison that starts with `c` (`<`, `>` or `!`) at `start`, with its `=` if one
/// follows.
fn lex_comparison(chars: &mut Chars<'_>, c: char, start: usize) -> Result<Token, PatternError> {
    chars.next();
    let eq = chars.peek().is_some_and(|&(_, c)| c == '=');
    if eq {
        chars.next();
    }
    let op = match (c, eq) {
        ('<', false) => Op::Lt,
        ('<', true) => Op::Le,
        ('>', false) => Op::Gt,
        ('>', true) => Op::Ge,
        ('!', true) => Op::Ne,
        _ => {
            return Err(PatternError::new("`!` on its own", start..start + 1)
                .help("write `!=` for \"is not\", or `not` before a condition"));
        }
    };
    Ok(Token {
        tok: Tok::Op(op),
        span: start..start + if eq { 2 } else { 1 },
    })
}

/// A "name" in quotes opened at `start`, closed on the same line, with `\"` and `\\` read.
fn lex_quoted(chars: &mut Chars<'_>, start: usize) -> Result<Token, PatternError> {
    chars.next();
    let mut value = String::new();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                end = Some(i + 1);
                break;
            }
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\'))) => value.push(e),
                Some((i, _)) => {
                    return Err(PatternError::new("unknown escape in a name", i - 1..i + 1)
                        .help("a name may hold `\\\"` and `\\\\`"));
                }
                None => break,
            },
            '\n' => break,
            c => value.push(c),
        }
    }
    let Some(end) = end else {
        return Err(
            PatternError::new("a name in quotes is not closed", start..start + 1)
                .expected("a closing `\"` on the same line"),
        );
    };
    Ok(Token {
        tok: Tok::Str(value),
        span: start..end,
    })
}

/// A `?variable` whose `?` is at `start`.
fn lex_variable(chars: &mut Chars<'_>, text: &str, start: usize) -> Result<Token, PatternError> {
    chars.next();
    let mut end = start + 1;
    while let Some(&(i, c)) = chars.peek() {
        if !is_word(c) {
            break;
        }
        end = i + c.len_utf8();
        chars.next();
    }
    if end == start + 1 {
        return Err(PatternError::new("`?` without a name", start..start + 1)
            .expected("a variable such as `?n`"));
    }
    Ok(Token {
        tok: Tok::Var(text[start + 1..end].to_string()),
        span: start..end,
    })
}

/// A number from `start`: digits, with at most one `.` that a digit follows.
fn lex_number(chars: &mut Chars<'_>, text: &str, start: usize) -> Result<Token, PatternError> {
    let mut end = start;
    let mut seen_dot = false;
    while let Some(&(i, c)) = chars.peek() {
        let dot = c == '.'
            && !seen_dot
            && text[i + 1..]
                .chars()
                .next()
                .is_some_and(|d| d.is_ascii_digit());
        if !(c.is_ascii_digit() || dot) {
            break;
        }
        seen_dot |= dot;
        end = i + 1;
        chars.next();
    }
    let value: f64 = text[start..end]
        .parse()
        .map_err(|_| PatternError::new("a number that cannot be read", start..end))?;
    Ok(Token {
        tok: Tok::Num(value),
        span: start..end,
    })
}

/// A word from `start`: a kind, a role, an attribute, a label or a word of the language.
fn lex_word(chars: &mut Chars<'_>, text: &str, start: usize) -> Token {
    let mut end = start;
    while let Some(&(i, c)) = chars.peek() {
        if !is_word(c) {
            break;
        }
        end = i + c.len_utf8();
        chars.next();
    }
    Token {
        tok: Tok::Ident(text[start..end].to_string()),
        span: start..end,
    }
}

/// A name with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Name {
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TermKind {
    Num(f64),
    Str(String),
    Var(String),
    /// A bare word: an attribute of the clause, or a word of a domain.
    Word(String),
    /// `label.attribute`.
    Attr {
        label: Name,
        name: Name,
    },
    /// `function(args)`.
    Call {
        name: Name,
        args: Vec<Term>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Term {
    pub kind: TermKind,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cond {
    Or(Vec<Cond>),
    And(Vec<Cond>),
    Not(Box<Cond>),
    Cmp(Term, Op, Range<usize>, Term),
    In(Term, Vec<Term>),
    Test(Term),
}

/// One role of a clause: `carer ?n`, `?f` (the next role in order), or `couple ?a ?b`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RoleAst {
    pub role: Option<Name>,
    pub vars: Vec<Name>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Window {
    Any,
    After(Name),
    Before(Name),
    Between(Name, Name),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ClauseAst {
    pub label: Option<Name>,
    pub kind: Name,
    pub roles: Vec<RoleAst>,
    pub cond: Option<Cond>,
    pub window: Window,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Statement {
    Pattern { name: Name, about: Option<String> },
    Count(Name),
    Order(Vec<Name>),
    Clause(ClauseAst),
    Unless(ClauseAst),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Conditions open around the one being read: `not`s and parentheses.
    depth: usize,
}

/// Conditions a pattern may nest (`not`s and parentheses, together): far beyond what a person
/// writes, and a bound on every walk of a condition's tree after parsing (compiling, matching,
/// dropping), each of which recurses. Without it, a pattern of ten thousand `not`s or a
/// thousand parentheses overflowed the stack and aborted the process.
pub const NESTING_MAX: usize = 64;

/// Words that go on a statement when they begin the next line.
const CONTINUING: [&str; 6] = ["where", "and", "or", "between", "after", "before"];

impl Parser {
    fn tok(&self) -> &Tok {
        &self.tokens[self.at].tok
    }

    fn span(&self) -> Range<usize> {
        self.tokens[self.at].span.clone()
    }

    fn advance(&mut self) {
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.tok(), Tok::Ident(w) if w == word)
    }

    fn skip_newlines(&mut self) {
        while *self.tok() == Tok::Newline {
            self.advance();
        }
    }

    /// If the statement goes on onto the next line (which begins with one of `CONTINUING`),
    /// steps over the line break.
    fn continue_line(&mut self) {
        let mut next = self.at;
        while self.tokens[next].tok == Tok::Newline {
            next += 1;
        }
        if next > self.at
            && matches!(&self.tokens[next].tok, Tok::Ident(w) if CONTINUING.contains(&w.as_str()))
        {
            self.at = next;
        }
    }

    fn unexpected(&self, expected: &str) -> PatternError {
        PatternError::new(format!("unexpected {}", self.tok().describe()), self.span())
            .expected(expected)
    }

    fn name(&mut self, expected: &str) -> Result<Name, PatternError> {
        match self.tok().clone() {
            Tok::Ident(text) => {
                let span = self.span();
                self.advance();
                Ok(Name { text, span })
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn var(&mut self, expected: &str) -> Result<Name, PatternError> {
        match self.tok().clone() {
            Tok::Var(text) => {
                let span = self.span();
                self.advance();
                Ok(Name { text, span })
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn statements(&mut self) -> Result<Vec<Statement>, PatternError> {
        let mut statements = Vec::new();
        loop {
            self.skip_newlines();
            if *self.tok() == Tok::Eof {
                return Ok(statements);
            }
            statements.push(self.statement()?);
            match self.tok() {
                Tok::Newline | Tok::Eof => {}
                _ => {
                    return Err(self.unexpected(
                        "the end of the line (conditions follow `where`, joined by `and` and \
                         `or`)",
                    ));
                }
            }
        }
    }

    fn statement(&mut self) -> Result<Statement, PatternError> {
        let start = self.span();
        let Tok::Ident(word) = self.tok().clone() else {
            return Err(self.unexpected(
                "a statement: `pattern`, a clause (`label: kind ...`), `unless`, `order` or \
                 `count`",
            ));
        };
        match word.as_str() {
            "pattern" => {
                self.advance();
                let name = self.name("the pattern's name")?;
                let about = match self.tok().clone() {
                    Tok::Str(about) => {
                        self.advance();
                        Some(about)
                    }
                    _ => None,
                };
                Ok(Statement::Pattern { name, about })
            }
            "count" => {
                self.advance();
                Ok(Statement::Count(
                    self.var("the ?variable whose distinct people are counted")?,
                ))
            }
            "order" => {
                self.advance();
                let mut labels = vec![self.name("a clause's label")?];
                while *self.tok() == Tok::Op(Op::Lt) {
                    self.advance();
                    labels.push(self.name("a clause's label after `<`")?);
                }
                if labels.len() < 2 {
                    return Err(self.unexpected("`<` and another clause's label"));
                }
                Ok(Statement::Order(labels))
            }
            "unless" => {
                self.advance();
                let kind = self.name("the kind of announcement that must not happen")?;
                Ok(Statement::Unless(self.clause_rest(None, kind, true)?))
            }
            "where" | "and" | "or" | "between" | "after" | "before" => Err(PatternError::new(
                format!("`{word}` with no clause above it"),
                start,
            )
            .help("a condition belongs to a clause: `label: kind roles where ...`")),
            _ => {
                self.advance();
                let first = Name {
                    text: word,
                    span: start,
                };
                if *self.tok() == Tok::Colon {
                    self.advance();
                    let kind = self.name("a kind of announcement after the label")?;
                    Ok(Statement::Clause(self.clause_rest(
                        Some(first),
                        kind,
                        false,
                    )?))
                } else {
                    Ok(Statement::Clause(self.clause_rest(None, first, false)?))
                }
            }
        }
    }

    fn clause_rest(
        &mut self,
        label: Option<Name>,
        kind: Name,
        unless: bool,
    ) -> Result<ClauseAst, PatternError> {
        let mut roles = Vec::new();
        loop {
            match self.tok().clone() {
                Tok::Var(_) => roles.push(RoleAst {
                    role: None,
                    vars: vec![self.var("a ?variable")?],
                }),
                Tok::Ident(word) if !CONTINUING.contains(&word.as_str()) => {
                    let role = self.name("a role")?;
                    let mut vars = vec![self.var(&format!(
                        "a ?variable after the role `{}` (conditions follow `where`)",
                        cut(&role.text)
                    ))?];
                    if role.text == "couple" {
                        vars.push(self.var("a second ?variable: `couple ?a ?b`")?);
                    }
                    roles.push(RoleAst {
                        role: Some(role),
                        vars,
                    });
                }
                _ => break,
            }
        }
        let mut cond = None;
        let mut window = Window::Any;
        loop {
            self.continue_line();
            if cond.is_none() && self.is_word("where") {
                self.advance();
                self.skip_newlines();
                cond = Some(self.or()?);
            } else if unless && window == Window::Any && self.is_word("after") {
                self.advance();
                window = Window::After(self.name("a clause's label after `after`")?);
            } else if unless && window == Window::Any && self.is_word("before") {
                self.advance();
                window = Window::Before(self.name("a clause's label after `before`")?);
            } else if unless && window == Window::Any && self.is_word("between") {
                self.advance();
                let from = self.name("a clause's label after `between`")?;
                if !self.is_word("and") {
                    return Err(self.unexpected("`and` and a second label: `between a and b`"));
                }
                self.advance();
                let to = self.name("a clause's label after `and`")?;
                window = Window::Between(from, to);
            } else if !unless
                && ["after", "before", "between"]
                    .iter()
                    .any(|w| self.is_word(w))
            {
                return Err(PatternError::new(
                    "a window belongs to `unless`",
                    self.span(),
                )
                .help("order clauses with `order a < b`; `unless kind ... between a and b` says what must not happen between them"));
            } else {
                break;
            }
        }
        Ok(ClauseAst {
            label,
            kind,
            roles,
            cond,
            window,
        })
    }

    fn or(&mut self) -> Result<Cond, PatternError> {
        let mut parts = vec![self.and()?];
        loop {
            self.continue_line();
            if !self.is_word("or") {
                break;
            }
            self.advance();
            self.skip_newlines();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Cond, PatternError> {
        let mut parts = vec![self.unary()?];
        loop {
            self.continue_line();
            if !self.is_word("and") {
                break;
            }
            self.advance();
            self.skip_newlines();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Cond::And(parts)
        })
    }

    /// One level deeper into a condition, refused past [`NESTING_MAX`] with the place it
    /// went past.
    fn deeper(&mut self) -> Result<(), PatternError> {
        self.depth += 1;
        if self.depth > NESTING_MAX {
            return Err(PatternError::new(
                format!("conditions nested more than {NESTING_MAX} deep"),
                self.span(),
            )
            .help("a pattern's `not`s and parentheses may nest at most 64 deep: write the condition flatter"));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Cond, PatternError> {
        if self.is_word("not") {
            self.deeper()?;
            self.advance();
            self.skip_newlines();
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Cond::Not(Box::new(inner)));
        }
        if *self.tok() == Tok::LParen {
            self.deeper()?;
            self.advance();
            self.skip_newlines();
            let inner = self.or()?;
            self.skip_newlines();
            if *self.tok() != Tok::RParen {
                return Err(self.unexpected("`)`, or `and`/`or` and another condition"));
            }
            self.advance();
            self.depth -= 1;
            return Ok(inner);
        }
        let left = self.term()?;
        match self.tok().clone() {
            Tok::Op(op) => {
                let op_span = self.span();
                self.advance();
                self.skip_newlines();
                let right = self.term()?;
                Ok(Cond::Cmp(left, op, op_span, right))
            }
            Tok::Ident(w) if w == "in" => {
                self.advance();
                if *self.tok() != Tok::LParen {
                    return Err(self.unexpected("`(` and a list of values: `in (a, b)`"));
                }
                self.advance();
                let mut items = Vec::new();
                loop {
                    self.skip_newlines();
                    items.push(self.term()?);
                    self.skip_newlines();
                    match self.tok() {
                        Tok::Comma => self.advance(),
                        Tok::RParen => {
                            self.advance();
                            break;
                        }
                        _ => return Err(self.unexpected("`,` or `)`")),
                    }
                }
                Ok(Cond::In(left, items))
            }
            _ => Ok(Cond::Test(left)),
        }
    }

    fn term(&mut self) -> Result<Term, PatternError> {
        let start = self.span();
        let kind = match self.tok().clone() {
            Tok::Num(n) => {
                self.advance();
                TermKind::Num(n)
            }
            Tok::Str(s) => {
                self.advance();
                TermKind::Str(s)
            }
            Tok::Var(v) => {
                self.advance();
                TermKind::Var(v)
            }
            Tok::Ident(word) => {
                self.advance();
                let first = Name {
                    text: word.clone(),
                    span: start.clone(),
                };
                match self.tok() {
                    Tok::LParen => {
                        self.advance();
                        let mut args = Vec::new();
                        self.skip_newlines();
                        if *self.tok() != Tok::RParen {
                            loop {
                                self.skip_newlines();
                                args.push(self.term()?);
                                self.skip_newlines();
                                match self.tok() {
                                    Tok::Comma => self.advance(),
                                    Tok::RParen => break,
                                    _ => return Err(self.unexpected("`,` or `)`")),
                                }
                            }
                        }
                        self.advance();
                        TermKind::Call { name: first, args }
                    }
                    Tok::Dot => {
                        self.advance();
                        let name = self.name("an attribute after `.`")?;
                        TermKind::Attr { label: first, name }
                    }
                    _ => TermKind::Word(word),
                }
            }
            _ => {
                return Err(self.unexpected(
                    "a value: a number, a word, a \"name\", a ?variable, an attribute, \
                     `label.attribute` or `function(?x)`",
                ));
            }
        };
        let end = self.tokens[self.at.saturating_sub(1)].span.end;
        Ok(Term {
            kind,
            span: start.start..end.max(start.end),
        })
    }
}

/// The statements of a pattern's text.
pub(crate) fn parse(text: &str) -> Result<Vec<Statement>, PatternError> {
    let tokens = lex(text)?;
    Parser {
        tokens,
        at: 0,
        depth: 0,
    }
    .statements()
}
