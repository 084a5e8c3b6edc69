//! Charts are valid SVG with their title and the right series.

use chrono::NaiveDate;
use tend::charts::{self, ChartName, Figures, Style};
use tend::health::{Lens, Period};
use tend::words::{self, Lang};
use tend::Store;

async fn demo() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    let cfg = tend::demo::DemoConfig {
        members: 120,
        until: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        ..Default::default()
    };
    tend::demo::generate(&store, &cfg).await.unwrap();
    store
}

fn june() -> Lens {
    Lens::whole(Period::days_to(
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        30,
    ))
}

fn style(dark: bool) -> Style {
    Style::new(dark, Lang::En)
}

/// The figures chart `name` draws for `lens`.
async fn figures(store: &Store, name: ChartName, lens: &Lens) -> Figures {
    charts::figures(store, name, lens).await.unwrap()
}

/// The weekly active members the chart draws for `lens`.
async fn weeks(store: &Store, lens: &Lens) -> Vec<i64> {
    match figures(store, ChartName::ActiveMembers, lens).await {
        Figures::ActiveMembers { weeks, .. } => weeks,
        other => panic!("{other:?}"),
    }
}

/// The activation funnel the chart draws for `lens`.
async fn funnel(store: &Store, lens: &Lens) -> tend::health::series::Funnel {
    match figures(store, ChartName::Activation, lens).await {
        Figures::Activation(f) => f,
        other => panic!("{other:?}"),
    }
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

#[tokio::test]
async fn the_weekly_active_chart_has_its_title_and_one_point_per_week() {
    let store = demo().await;
    for dark in [false, true] {
        let svg = charts::draw(&store, ChartName::ActiveMembers, &june(), &style(dark))
            .await
            .unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
        assert!(texts(&doc).iter().any(|t| t == "Active members per week"));
        let line = doc
            .descendants()
            .find(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some("#0072B2"))
            .expect("the series");
        assert_eq!(
            line.attribute("points").unwrap().split_whitespace().count(),
            26
        );
        let background = doc
            .descendants()
            .find(|n| n.has_tag_name("rect"))
            .unwrap()
            .attribute("fill")
            .unwrap()
            .to_string();
        assert_eq!(
            background == "#FFFFFF",
            !dark,
            "dark variant background {background}"
        );
    }
    let weeks = weeks(&store, &june()).await;
    assert!(weeks.iter().all(|&n| n <= 121) && weeks.iter().any(|&n| n > 0));
}

#[tokio::test]
async fn the_pyramid_chart_has_three_bars_and_the_reference() {
    let store = demo().await;
    let svg = charts::draw(&store, ChartName::Pyramid, &june(), &style(false))
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let all = texts(&doc);
    assert!(all.iter().any(|t| t == "Participation against 90-9-1"));
    for who in ["creators", "contributors", "lurkers"] {
        assert!(
            all.iter().any(|t| t.starts_with(who)),
            "{who} label missing: {all:?}"
        );
    }
    let bars = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect")
                && matches!(n.attribute("fill"), Some("#E69F00" | "#009E73" | "#0072B2"))
        })
        .count();
    assert_eq!(
        bars, 6,
        "three bars, and the legend's swatch in their three colours"
    );
    assert!("bubbles".parse::<ChartName>().is_err());
}

#[tokio::test]
async fn the_response_time_histogram_counts_every_thread_started() {
    let store = demo().await;
    let h = tend::health::compute(&store, &june()).await.unwrap();
    let svg = charts::draw(&store, ChartName::ResponseTime, &june(), &style(false))
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    assert!(texts(&doc).iter().any(|t| t == "Time to first answer"));
    // Bars are drawn from y = 0 up; their heights in data units are not in the SVG, so count
    // the bars instead: seven buckets and "none".
    let bars = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect") && matches!(n.attribute("fill"), Some("#0072B2" | "#999999"))
        })
        .count();
    assert_eq!(bars, 8);
    let (hours, unanswered) = tend::health::Scoped::open(&store, &june())
        .await
        .unwrap()
        .first_responses();
    assert_eq!(hours.len() as i64 + unanswered, h.current.response.threads);
    assert_eq!(unanswered, h.current.response.unanswered);
}

#[tokio::test]
async fn the_retention_heatmap_has_one_cell_per_cohort_month() {
    let store = demo().await;
    let h = tend::health::compute(&store, &june()).await.unwrap();
    let svg = charts::draw(&store, ChartName::Retention, &june(), &style(true))
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    assert!(texts(&doc).iter().any(|t| t == "Retention by join cohort"));
    let cells: usize = h
        .current
        .retention
        .iter()
        .map(|c| c.active_share.len())
        .sum();
    let drawn = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
    assert_eq!(drawn, cells + 1, "one rect per cell plus the background");
    for c in &h.current.retention {
        assert!(
            texts(&doc)
                .iter()
                .any(|t| *t == words::month_label(Lang::En, &c.month)),
            "cohort {} not labelled",
            c.month
        );
    }
}

#[tokio::test]
async fn the_space_and_country_charts_show_the_data_behind_them() {
    let store = demo().await;
    let Figures::Spaces(spaces) = figures(&store, ChartName::Spaces, &june()).await else {
        panic!("not the spaces' figures")
    };
    assert!(
        !spaces.is_empty() && spaces.windows(2).all(|w| w[0].1 >= w[1].1),
        "{spaces:?}"
    );
    let svg = charts::draw(&store, ChartName::Spaces, &june(), &style(false))
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let all = texts(&doc);
    for (name, n) in &spaces {
        // Counts as the chart's language writes them ("1,234" in English).
        let n = tend::words::numbers::number(Lang::En, *n as f64, 0);
        assert!(all.contains(&format!("{name} ({n})")), "{name} missing");
    }
    let Figures::Pairs { names, matrix, .. } = figures(&store, ChartName::Countries, &june()).await
    else {
        panic!("not the countries' figures")
    };
    assert!(names.len() <= 8 && matrix.len() == names.len());
    let replies: i64 = matrix.iter().flatten().sum();
    assert!(replies > 0);
    let svg = charts::draw(&store, ChartName::Countries, &june(), &style(true))
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let cells = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
    assert_eq!(cells, names.len() * names.len() + 1);
}

#[tokio::test]
async fn imported_names_are_escaped_in_charts() {
    let store = demo().await;
    sqlx::query(
        "UPDATE spaces SET name = '<script>alert(1)</script> & co' WHERE name = 'questions'",
    )
    .execute(&mut *store.local_writer().await.unwrap())
    .await
    .unwrap();
    let svg = charts::draw(&store, ChartName::Spaces, &june(), &style(false))
        .await
        .unwrap();
    assert!(!svg.contains("<script>"));
    let doc = roxmltree::Document::parse(&svg).expect("still valid SVG");
    assert!(texts(&doc)
        .iter()
        .any(|t| t.starts_with("<script>alert(1)</script> & co")));
}

#[tokio::test]
async fn counts_and_percentages_are_ticked_in_whole_numbers() {
    let store = demo().await;
    for name in [
        ChartName::ActiveMembers,
        ChartName::Pyramid,
        ChartName::ResponseTime,
        ChartName::Spaces,
        ChartName::Activation,
    ] {
        let svg = charts::draw(&store, name, &june(), &style(false))
            .await
            .unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let decimal = texts(&doc)
            .into_iter()
            .find(|t| t.ends_with(".0") && t[..t.len() - 2].chars().all(|c| c.is_ascii_digit()));
        assert_eq!(decimal, None, "{name:?} ticks a count with a decimal");
    }
}

/// 130 monthly cohorts from January 2015, as after importing a 2015 archive: all active in
/// their first month, half in each month after.
fn long_history() -> Vec<tend::health::Cohort> {
    (0..130)
        .map(|i| tend::health::Cohort {
            month: format!("{}-{:02}", 2015 + i / 12, i % 12 + 1),
            size: 10,
            active_share: (0..130 - i)
                .map(|k| if k == 0 { 1.0 } else { 0.5 })
                .collect(),
        })
        .collect()
}

#[test]
fn a_long_history_shows_the_last_cohorts_and_sums_the_older_ones() {
    let cohorts = long_history();
    let rows = charts::retention_rows(&cohorts);
    assert_eq!(rows.len(), charts::RETENTION_SHOWN);
    assert!(rows
        .iter()
        .all(|c| c.active_share.len() <= charts::RETENTION_SHOWN));
    let older = &rows[0];
    assert_eq!(older.month, format!("≤ {}", cohorts[112].month));
    assert_eq!(older.size, 113 * 10);
    assert_eq!(older.active_share[0], 1.0);
    assert_eq!(rows[17].month, cohorts[129].month);
    let svg = charts::retention_svg(&cohorts, &style(false)).unwrap();
    if let Some(path) = std::env::var_os("TEND_CHART_OUT").filter(|p| !p.is_empty()) {
        // To look at it.
        std::fs::write(path, charts::png::from_svg(&svg, 1.0).unwrap()).unwrap();
    }
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let cells = texts(&doc)
        .iter()
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        .count();
    assert!(cells > 100 && cells <= 18 * 18, "{cells} cells");
}

/// Every chart of the demo, in `lang`, light or dark.
async fn every_chart(
    store: &Store,
    lens: &Lens,
    lang: Lang,
    dark: bool,
) -> Vec<(ChartName, String)> {
    let mut out = Vec::new();
    for &name in charts::ALL {
        let svg = charts::draw(store, name, lens, &Style::new(dark, lang))
            .await
            .unwrap();
        out.push((name, svg));
    }
    out
}

#[tokio::test]
async fn charts_speak_the_language_asked_for() {
    let store = demo().await;
    for (lang, title, axis, month) in [
        (
            Lang::Fr,
            "Membres actifs par semaine",
            "Semaines passées",
            "juin 2026",
        ),
        (
            Lang::Es,
            "Miembros activos por semana",
            "Semanas atrás",
            "jun. 2026",
        ),
    ] {
        let drawn = every_chart(&store, &june(), lang, false).await;
        let all: Vec<String> = drawn
            .iter()
            .flat_map(|(_, svg)| texts(&roxmltree::Document::parse(svg).unwrap()))
            .collect();
        for word in [title, axis, month] {
            assert!(all.iter().any(|t| t == word), "{lang:?}: {word} missing");
        }
        // No English title or axis is left in another language.
        for english in [
            "Active members per week",
            "Weeks ago",
            "Threads",
            "Activities",
            "Joined",
        ] {
            assert!(
                !all.iter().any(|t| t.starts_with(english)),
                "{lang:?}: {english} left in English"
            );
        }
    }
}

#[tokio::test]
async fn a_segment_narrows_every_chart_and_is_named_in_its_title() {
    let store = demo().await;
    let (country, lens) =
        crate::common::narrowed(&store, tend::health::SegmentKey::Country, june()).await;
    let whole = weeks(&store, &june()).await;
    let part = weeks(&store, &lens).await;
    assert!(part.iter().zip(&whole).all(|(p, w)| p <= w));
    assert!(part.iter().sum::<i64>() < whole.iter().sum::<i64>());
    let f = funnel(&store, &lens).await;
    let all = funnel(&store, &june()).await;
    assert!(f.joined <= all.joined);
    let french = tend::countries::name_in(&country, "fr")
        .unwrap_or(&country)
        .to_string();
    for (name, svg) in every_chart(&store, &lens, Lang::Fr, false).await {
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(
            texts(&doc)
                .iter()
                .any(|t| t.ends_with(&format!("— seulement {french}"))),
            "{name:?} does not name its segment"
        );
    }
}

/// The text boxes of `svg` that overflow the canvas, overlap each other, or (a heatmap's
/// figure) do not sit inside their cell with a pixel to spare.
fn misfits(svg: &str) -> Vec<String> {
    let ((w, h), boxes) = charts::png::text_boxes(svg).unwrap();
    let boxes: Vec<_> = boxes
        .into_iter()
        .filter(|b| !b.text.trim().is_empty())
        .collect();
    assert!(!boxes.is_empty(), "no text laid out: are fonts installed?");
    let mut out = Vec::new();
    for b in &boxes {
        if b.left < -0.5 || b.top < -0.5 || b.right > w + 0.5 || b.bottom > h + 0.5 {
            out.push(format!("'{}' leaves the {w}×{h} canvas: {b:?}", b.text));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.overlaps(b, 1.0) {
                out.push(format!("'{}' overlaps '{}'", a.text, b.text));
            }
        }
    }
    // A heatmap's figures against the cells they label.
    let doc = roxmltree::Document::parse(svg).unwrap();
    let num = |n: &roxmltree::Node, a: &str| n.attribute(a).and_then(|v| v.parse::<f32>().ok());
    let cells: Vec<(f32, f32, f32, f32)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|n| {
            Some((
                num(&n, "x")?,
                num(&n, "y")?,
                num(&n, "width")?,
                num(&n, "height")?,
            ))
        })
        .filter(|c| c.2 < w * 0.5)
        .collect();
    let figure = |t: &str| {
        let n = t
            .trim_end_matches('%')
            .trim_end_matches(['\u{202F}', '\u{A0}']);
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
    };
    for b in boxes.iter().filter(|b| figure(&b.text)) {
        let (cx, cy) = ((b.left + b.right) / 2.0, (b.top + b.bottom) / 2.0);
        if let Some(c) = cells
            .iter()
            .find(|c| cx > c.0 && cx < c.0 + c.2 && cy > c.1 && cy < c.1 + c.3)
        {
            if b.left < c.0 + 1.0 || b.right > c.0 + c.2 - 1.0 {
                out.push(format!(
                    "'{}' touches its cell's edges: {b:?} in {c:?}",
                    b.text
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn no_chart_text_is_clipped_or_overlaps_in_any_language_or_theme() {
    let store = demo().await;
    // Long names, as real communities have them.
    sqlx::query("UPDATE members SET organisation = 'Ministry of Water, Sanitation and Hygiene of the Republic' WHERE organisation IN (SELECT organisation FROM members WHERE organisation IS NOT NULL LIMIT 1)")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    sqlx::query("UPDATE spaces SET name = 'community-wide-announcements-and-questions-from-the-field' WHERE name = 'questions'")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let mut found = Vec::new();
    for &lang in Lang::ALL {
        for dark in [false, true] {
            for (name, svg) in every_chart(&store, &june(), lang, dark).await {
                found.extend(
                    misfits(&svg)
                        .into_iter()
                        .map(|m| format!("{name:?} {lang:?}: {m}")),
                );
            }
        }
        // A long history: 130 monthly cohorts.
        let cohorts = long_history();
        let svg = charts::retention_svg(&cohorts, &Style::new(false, lang)).unwrap();
        found.extend(
            misfits(&svg)
                .into_iter()
                .map(|m| format!("long retention {lang:?}: {m}")),
        );
    }
    assert!(
        found.is_empty(),
        "{} misfits:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[tokio::test]
async fn a_chart_with_nothing_to_draw_says_why_and_fits() {
    let store = demo().await;
    // Years before the demo community began: no reply, no activity.
    let empty = Lens::whole(Period::days_to(
        NaiveDate::from_ymd_opt(2020, 1, 31).unwrap(),
        30,
    ));
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for &lang in Lang::ALL {
        for (name, why) in [
            (ChartName::Countries, "chart.countriesEmpty"),
            (ChartName::Organisations, "chart.organisationsEmpty"),
            (ChartName::Spaces, "chart.empty"),
        ] {
            let svg = charts::draw(&store, name, &empty, &Style::new(false, lang))
                .await
                .unwrap();
            let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
            let all = flat(&texts(&doc).join(" "));
            assert!(
                all.contains(&flat(&words::text(lang, why))),
                "{name:?} {lang:?}: {all}"
            );
            assert!(
                misfits(&svg).is_empty(),
                "{name:?} {lang:?}: {:?}",
                misfits(&svg)
            );
        }
    }
    // With replies between known countries, the matrix is drawn, not the sentence.
    let svg = charts::draw(&store, ChartName::Countries, &june(), &style(false))
        .await
        .unwrap();
    assert!(!svg.contains(&words::text(Lang::En, "chart.countriesEmpty")[..20]));
}

/// The last `n` texts of `svg`: the figures drawn last, in cells or beside bars.
fn last_texts(svg: &str, n: usize) -> Vec<String> {
    let all = texts(&roxmltree::Document::parse(svg).unwrap());
    all[all.len().saturating_sub(n)..].to_vec()
}

/// A figure as a heatmap cell writes it when it is narrow: without its "%".
fn bare(figure: &str) -> String {
    figure.trim_end_matches('%').trim().to_string()
}

#[tokio::test]
async fn every_chart_says_and_tabulates_the_figures_it_draws() {
    let store = demo().await;
    let d = charts::dashboard(&store, &june(), &style(false))
        .await
        .unwrap();
    assert_eq!(
        d.charts.iter().map(|c| c.name).collect::<Vec<_>>(),
        charts::ALL
    );
    let en = |n: &i64| words::numbers::number(Lang::En, *n as f64, 0);
    let column = |c: &charts::Chart, i: usize| -> Vec<String> {
        c.table.rows.iter().map(|r| r[i].clone()).collect()
    };
    for c in &d.charts {
        // The dashboard's one pass makes the same chart as asking for it alone.
        let alone = charts::chart(&store, c.name, &june(), &style(false))
            .await
            .unwrap();
        assert_eq!(&alone, c, "{:?}", c.name);
        assert!(
            c.alt.starts_with(&format!("{}: ", c.title)) && c.alt.len() > c.title.len() + 20,
            "{:?}: {}",
            c.name,
            c.alt
        );
        assert!(!c.table.rows.is_empty(), "{:?} has no rows", c.name);
        assert!(c
            .table
            .rows
            .iter()
            .all(|r| r.len() == c.table.columns.len()));
        let drawn = texts(&roxmltree::Document::parse(&c.svg).unwrap());
        match figures(&store, c.name, &june()).await {
            Figures::ActiveMembers { weeks, .. } => {
                assert_eq!(column(c, 1), weeks.iter().map(en).collect::<Vec<_>>());
                let (first, last) = (weeks[0], weeks[weeks.len() - 1]);
                let max = weeks.iter().max().unwrap();
                let said = format!(
                    "From {} to {} over 26 weeks, highest ({})",
                    en(&first),
                    en(&last),
                    en(max)
                );
                assert!(c.alt.contains(&said), "{}", c.alt);
            }
            Figures::Pyramid { pyramid, total } => {
                assert_eq!(total, d.health.current.members_total);
                let counts = [pyramid.creators, pyramid.contributors, pyramid.lurkers];
                assert_eq!(column(c, 1), counts.iter().map(en).collect::<Vec<_>>());
                // Each bar's label writes the share the table gives.
                for (group, share) in column(c, 0).iter().zip(column(c, 2)) {
                    let label = format!("{} {share} (90-9-1", group.to_lowercase());
                    assert!(drawn.iter().any(|t| t.starts_with(&label)), "{label}");
                    assert!(c.alt.contains(&share), "{share} not in {}", c.alt);
                }
            }
            Figures::ResponseTime(counts) => {
                assert_eq!(column(c, 1), counts.iter().map(en).collect::<Vec<_>>());
                let r = &d.health.current.response;
                assert_eq!(counts.iter().sum::<i64>(), r.threads);
                let said = format!("{}: {} threads started", c.title, r.threads);
                assert!(c.alt.contains(&said), "{}", c.alt);
                assert!(c
                    .alt
                    .contains(&format!("{} without an answer", en(&r.unanswered))));
                // Each row is named as the chart's axis labels its bar.
                assert!(column(c, 0).iter().all(|l| drawn.contains(l)));
            }
            Figures::Retention(cohorts) => {
                assert_eq!(
                    column(c, 1),
                    cohorts.iter().map(|c| en(&c.size)).collect::<Vec<_>>()
                );
                let cells: Vec<String> = c
                    .table
                    .rows
                    .iter()
                    .flat_map(|r| r[2..].to_vec())
                    .filter(|s| !s.is_empty())
                    .map(|s| bare(&s))
                    .collect();
                let figures: Vec<String> = last_texts(&c.svg, cells.len())
                    .iter()
                    .map(|s| bare(s))
                    .collect();
                assert_eq!(figures, cells);
            }
            Figures::Spaces(rows) => {
                for (row, (name, n)) in c.table.rows.iter().zip(&rows) {
                    assert_eq!(row, &vec![name.clone(), en(n)]);
                    assert!(drawn.contains(&format!("{name} ({})", en(n))), "{name}");
                }
                assert!(
                    c.alt.contains(&format!(
                        "Busiest: {}, with {} activities",
                        rows[0].0,
                        en(&rows[0].1)
                    )),
                    "{}",
                    c.alt
                );
            }
            Figures::Pairs { names, matrix, .. } => {
                assert_eq!(c.table.rows.len(), names.len());
                let cells: Vec<String> = matrix.iter().flatten().map(en).collect();
                let tabled: Vec<String> =
                    c.table.rows.iter().flat_map(|r| r[1..].to_vec()).collect();
                assert_eq!(tabled, cells);
                assert_eq!(last_texts(&c.svg, cells.len()), cells);
                let most = matrix.iter().flatten().max().unwrap();
                assert!(
                    c.alt.contains(&format!("; the most, {},", en(most))),
                    "{}",
                    c.alt
                );
            }
            Figures::Activation(f) => {
                let counts = [f.joined, f.contributed, f.regular, f.welcomed];
                assert_eq!(column(c, 1), counts.iter().map(en).collect::<Vec<_>>());
                for (row, n) in c.table.rows.iter().zip(counts) {
                    let label = format!("{} {} — {}", row[0], en(&n), row[2]);
                    assert!(drawn.contains(&label), "{label} not in {drawn:?}");
                    assert!(c.alt.contains(&en(&n)), "{}", c.alt);
                }
            }
        }
    }
}

#[tokio::test]
async fn a_chart_speaks_the_language_asked_for_in_its_sentence_and_table() {
    let store = demo().await;
    for (lang, week) in [(Lang::Fr, "Semaine du"), (Lang::Es, "Semana del")] {
        let c = charts::chart(
            &store,
            ChartName::ActiveMembers,
            &june(),
            &Style::new(false, lang),
        )
        .await
        .unwrap();
        assert_eq!(c.table.columns[0], week);
        assert!(
            !c.alt.contains("weeks") && !c.alt.contains("highest"),
            "{}",
            c.alt
        );
    }
}
