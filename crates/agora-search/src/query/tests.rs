use super::*;

fn parse(q: &str) -> Query {
    match Query::parse(q) {
        Ok(query) => query,
        Err(e) => panic!("{q:?} should parse: {e}"),
    }
}

fn matchers(q: &str) -> Vec<(bool, Matcher)> {
    parse(q)
        .clauses
        .into_iter()
        .map(|c| (c.negated, c.matcher))
        .collect()
}

fn error(q: &str) -> QueryError {
    match Query::parse(q) {
        Ok(query) => panic!("{q:?} should be refused, parsed as {query:?}"),
        Err(e) => e,
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamps are valid")
}

#[test]
fn words_phrases_prefixes_and_exclusions() {
    assert_eq!(
        matchers(r#"sparse "eigenvalue solver" -segfault lin* -"won't fix""#),
        vec![
            (false, Matcher::Text(Text::Word("sparse".into()))),
            (
                false,
                Matcher::Text(Text::Phrase("eigenvalue solver".into()))
            ),
            (true, Matcher::Text(Text::Word("segfault".into()))),
            (false, Matcher::Text(Text::Prefix("lin".into()))),
            (true, Matcher::Text(Text::Phrase("won't fix".into()))),
        ]
    );
}

#[test]
fn not_keyword_negates_the_next_clause() {
    assert_eq!(
        matchers("NOT label:wontfix crash"),
        vec![
            (true, Matcher::Label(vec!["wontfix".into()])),
            (false, Matcher::Text(Text::Word("crash".into()))),
        ]
    );
}

#[test]
fn qualifiers() {
    assert_eq!(
        matchers("repo:SciPy/SciPy org:numpy is:pr is:open is:merged type:issue state:closed"),
        vec![
            (false, Matcher::Repo("scipy/scipy".into())),
            (false, Matcher::Owner("numpy".into())),
            (false, Matcher::Kind(Kind::PullRequest)),
            (false, Matcher::State(State::Open)),
            (false, Matcher::State(State::Merged)),
            (false, Matcher::Kind(Kind::Issue)),
            (false, Matcher::State(State::Closed)),
        ]
    );
    assert_eq!(
        matchers("author:@Rgommers commenter:ev-br involves:tylerjereddy -author:dependabot[bot]"),
        vec![
            (false, Matcher::Author("rgommers".into())),
            (false, Matcher::Commenter("ev-br".into())),
            (false, Matcher::Involves("tylerjereddy".into())),
            (true, Matcher::Author("dependabot[bot]".into())),
        ]
    );
}

#[test]
fn labels_quoted_repeated_and_alternatives() {
    assert_eq!(
        matchers(
            r#"label:"good first issue" label:scipy.stats -label:Enhancement label:bug,defect label:"a,b""#
        ),
        vec![
            (false, Matcher::Label(vec!["good first issue".into()])),
            (false, Matcher::Label(vec!["scipy.stats".into()])),
            (true, Matcher::Label(vec!["enhancement".into()])),
            (false, Matcher::Label(vec!["bug".into(), "defect".into()])),
            (false, Matcher::Label(vec!["a,b".into()])),
        ]
    );
}

#[test]
fn in_narrows_the_text_fields() {
    let query = parse("in:title,comments crash");
    assert_eq!(
        query.text_fields,
        TextFields {
            title: true,
            body: false,
            comments: true
        }
    );
    assert_eq!(query.clauses.len(), 1);
    assert_eq!(parse("crash").text_fields, TextFields::default());
}

#[test]
fn dates_are_whole_utc_days_unless_a_time_is_given() {
    let range = |q: &str| match &parse(q).clauses[0].matcher {
        Matcher::Date(_, r) => *r,
        other => panic!("{q}: not a date clause: {other:?}"),
    };
    let day = |d: &str| Some(ts(&format!("{d}T00:00:00Z")));
    assert_eq!(
        range("created:>2021-03-04"),
        TimeRange {
            start: day("2021-03-05"),
            end: None
        }
    );
    assert_eq!(
        range("created:>=2021-03-04"),
        TimeRange {
            start: day("2021-03-04"),
            end: None
        }
    );
    assert_eq!(
        range("updated:<2021-03-04"),
        TimeRange {
            start: None,
            end: day("2021-03-04")
        }
    );
    assert_eq!(
        range("updated:<=2021-03-04"),
        TimeRange {
            start: None,
            end: day("2021-03-05")
        }
    );
    assert_eq!(
        range("closed:2021-01-01..2021-12-31"),
        TimeRange {
            start: day("2021-01-01"),
            end: day("2022-01-01")
        }
    );
    assert_eq!(
        range("closed:2021-12-31"),
        TimeRange {
            start: day("2021-12-31"),
            end: day("2022-01-01")
        }
    );
    assert_eq!(
        range("created:*..2020-02-28"),
        TimeRange {
            start: None,
            end: day("2020-02-29")
        }
    );
    assert_eq!(
        range("created:2020-02-28..*"),
        TimeRange {
            start: day("2020-02-28"),
            end: None
        }
    );
    assert_eq!(
        range("created:>=2021-03-04T12:30:00Z"),
        TimeRange {
            start: Some(ts("2021-03-04T12:30:00Z")),
            end: None
        }
    );
    match &parse("created:>2021-03-04").clauses[0].matcher {
        Matcher::Date(field, _) => assert_eq!(*field, DateField::Created),
        other => panic!("not a date: {other:?}"),
    }
}

#[test]
fn comment_counts() {
    let range = |q: &str| match &parse(q).clauses[0].matcher {
        Matcher::Comments(r) => *r,
        other => panic!("{q}: not a count: {other:?}"),
    };
    let r = |min, max| CountRange { min, max };
    assert_eq!(range("comments:>10"), r(Some(11), None));
    assert_eq!(range("comments:>=10"), r(Some(10), None));
    assert_eq!(range("comments:<10"), r(None, Some(9)));
    assert_eq!(range("comments:<=10"), r(None, Some(10)));
    assert_eq!(range("comments:3..5"), r(Some(3), Some(5)));
    assert_eq!(range("comments:0"), r(Some(0), Some(0)));
    assert_eq!(range("comments:5..*"), r(Some(5), None));
}

#[test]
fn colons_that_are_not_qualifiers_are_text() {
    assert_eq!(
        matchers("TypeError: https://example.org/x"),
        vec![
            (false, Matcher::Text(Text::Word("TypeError:".into()))),
            (
                false,
                Matcher::Text(Text::Word("https://example.org/x".into()))
            ),
        ]
    );
}

#[test]
fn empty_query_has_no_clauses() {
    assert_eq!(parse("   ").clauses, vec![]);
    assert!(!parse("is:open -crash").has_positive_text());
    assert!(parse("is:open crash").has_positive_text());
}

#[test]
fn errors_point_at_the_bad_token() {
    let e = error("is:open created:>2021-13-01 crash");
    assert_eq!(e.column(), 17);
    assert_eq!(&e.query[e.span.clone()], ">2021-13-01");
    assert!(e.message.contains("not a date"), "{}", e.message);
    assert_eq!(
        e.pointer(),
        format!(
            "  is:open created:>2021-13-01 crash\n  {}^^^^^^^^^^^",
            " ".repeat(16)
        )
    );
    assert!(e.to_string().contains("(column 17)"), "{e}");

    let e = error("label:bug is:draft");
    assert_eq!(&e.query[e.span.clone()], "draft");
    assert!(e.message.contains("is:pr"), "{}", e.message);

    let e = error("crash lable:bug");
    assert_eq!(&e.query[e.span.clone()], "lable");
    assert_eq!(e.column(), 7);
    assert!(e.message.contains("did you mean `label:`"), "{}", e.message);

    let e = error(r#"crash label:"good first"#);
    assert_eq!(e.column(), 13);
    assert!(e.message.contains("unterminated quote"), "{}", e.message);

    let e = error("repo:scipy");
    assert!(e.message.contains("OWNER/NAME"), "{}", e.message);

    let e = error("label: crash");
    assert_eq!(&e.query[e.span.clone()], "label:");
    assert!(e.message.contains("needs a value"), "{}", e.message);

    let e = error("comments:>ten");
    assert_eq!(&e.query[e.span.clone()], ">ten");

    let e = error("comments:<0");
    assert!(e.message.contains("below 0"), "{}", e.message);

    let e = error("comments:10..2");
    assert!(e.message.contains("empty range"), "{}", e.message);

    let e = error("created:2022-01-01..2021-01-01");
    assert!(e.message.contains("empty range"), "{}", e.message);

    let e = error("created:..");
    assert!(e.message.contains("at least one end"), "{}", e.message);

    let e = error("created:2021-01-01..");
    assert!(e.message.contains("misses one end"), "{}", e.message);

    let e = error("crash *");
    assert_eq!(e.column(), 7);
    assert!(e.message.contains("prefix"), "{}", e.message);

    let e = error("cr*sh");
    assert!(e.message.contains("end of a word"), "{}", e.message);

    let e = error("crash NOT");
    assert_eq!(e.column(), 7);

    let e = error("-in:title crash");
    assert!(e.message.contains("cannot be negated"), "{}", e.message);

    let e = error("in:subject crash");
    assert_eq!(&e.query[e.span.clone()], "subject");

    let e = error("author:not/a/login");
    assert!(e.message.contains("not a GitHub login"), "{}", e.message);

    let e = error(r#"crash """#);
    assert!(e.message.contains("empty phrase"), "{}", e.message);
}

#[test]
fn columns_count_characters_not_bytes() {
    let e = error("émoji über is:nope");
    assert_eq!(e.column(), 15);
    assert_eq!(e.pointer().lines().nth(1), Some("                ^^^^"));
}
