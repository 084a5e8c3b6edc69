//! Charts are valid SVG with their title and the right series.

use chrono::NaiveDate;
use tend::charts::{self, ChartName};
use tend::health::Period;
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

fn june() -> Period {
    Period::days_to(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(), 30)
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
        let svg = charts::draw(&store, ChartName::ActiveMembers, june(), dark)
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
    let weeks = charts::weekly_active(&store, june()).await.unwrap();
    assert!(weeks.iter().all(|&n| n <= 121) && weeks.iter().any(|&n| n > 0));
}

#[tokio::test]
async fn the_pyramid_chart_has_three_bars_and_the_reference() {
    let store = demo().await;
    let svg = charts::draw(&store, ChartName::Pyramid, june(), false)
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
    assert_eq!(bars, 3);
    assert!("bubbles".parse::<ChartName>().is_err());
}

#[tokio::test]
async fn the_response_time_histogram_counts_every_thread_started() {
    let store = demo().await;
    let h = tend::health::compute(&store, june(), None).await.unwrap();
    let svg = charts::draw(&store, ChartName::ResponseTime, june(), false)
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
    let (hours, unanswered) = tend::health::first_responses(&store, june()).await.unwrap();
    assert_eq!(hours.len() as i64 + unanswered, h.current.response.threads);
    assert_eq!(unanswered, h.current.response.unanswered);
}

#[tokio::test]
async fn the_retention_heatmap_has_one_cell_per_cohort_month() {
    let store = demo().await;
    let h = tend::health::compute(&store, june(), None).await.unwrap();
    let svg = charts::draw(&store, ChartName::Retention, june(), true)
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
            texts(&doc).iter().any(|t| t == &c.month),
            "cohort {} not labelled",
            c.month
        );
    }
}

#[tokio::test]
async fn the_space_and_country_charts_show_the_data_behind_them() {
    let store = demo().await;
    let spaces = charts::activity_by_space(&store, june()).await.unwrap();
    assert!(
        !spaces.is_empty() && spaces.windows(2).all(|w| w[0].1 >= w[1].1),
        "{spaces:?}"
    );
    let svg = charts::draw(&store, ChartName::Spaces, june(), false)
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let all = texts(&doc);
    for (name, n) in &spaces {
        assert!(all.contains(&format!("{name} ({n})")), "{name} missing");
    }
    let (names, matrix) = charts::country_pairs(&store, june()).await.unwrap();
    assert!(names.len() <= 8 && matrix.len() == names.len());
    let replies: i64 = matrix.iter().flatten().sum();
    assert!(replies > 0);
    let svg = charts::draw(&store, ChartName::Countries, june(), true)
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
    .execute(store.pool())
    .await
    .unwrap();
    let svg = charts::draw(&store, ChartName::Spaces, june(), false)
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
        let svg = charts::draw(&store, name, june(), false).await.unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let decimal = texts(&doc)
            .into_iter()
            .find(|t| t.ends_with(".0") && t[..t.len() - 2].chars().all(|c| c.is_ascii_digit()));
        assert_eq!(decimal, None, "{name:?} ticks a count with a decimal");
    }
}

#[test]
fn a_long_history_shows_the_last_cohorts_and_sums_the_older_ones() {
    use tend::health::Cohort;
    let cohorts: Vec<Cohort> = (0..130)
        .map(|i| Cohort {
            month: format!("{}-{:02}", 2015 + i / 12, i % 12 + 1),
            size: 10,
            active_share: (0..130 - i)
                .map(|k| if k == 0 { 1.0 } else { 0.5 })
                .collect(),
        })
        .collect();
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
    let svg = charts::retention_svg(&cohorts, charts::Theme::new(false)).unwrap();
    if let Some(path) = std::env::var_os("TEND_CHART_OUT").filter(|p| !p.is_empty()) {
        // To look at it.
        std::fs::write(path, charts::png::from_svg(&svg, 1.0).unwrap()).unwrap();
    }
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let cells = texts(&doc).iter().filter(|t| t.ends_with('%')).count();
    assert!(cells <= 18 * 18, "{cells} cells");
}
