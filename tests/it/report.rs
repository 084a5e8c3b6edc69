//! The sponsor report holds the numbers `tend health` computes, pseudonymises names with
//! stable aliases, tells the period's stories, and exists as HTML and as PDF; the new charts
//! (activation funnel, organisations) render, and charts export as PNG.

use crate::common;

use std::process::Command as Process;

use assert_cmd::Command;
use chrono::NaiveDate;
use tend::charts::{self, ChartName, Style};
use tend::health::{self, Lens, Period};
use tend::report::stories::{self, NewStory, ValueTag};
use tend::report::{self, ReportOptions};
use tend::words::Lang;

fn june() -> Lens {
    Lens::whole(Period::days_to(
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        30,
    ))
}

fn light() -> Style {
    Style::new(false, Lang::En)
}

#[tokio::test]
async fn the_report_holds_the_health_numbers_and_the_period_stories() {
    let store = common::demo_store(&common::small_demo(11)).await;
    let top: (String, String) = sqlx::query_as(
        "SELECT m.id, m.display_name FROM activities a JOIN members m ON m.id = a.member_id
         WHERE a.kind IN ('post','reply') AND a.occurred_at >= '2026-06-01' AND a.occurred_at < '2026-07-01' AND m.is_bot = 0
         GROUP BY m.id ORDER BY COUNT(*) DESC, m.display_name LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    stories::add(
        &store,
        &NewStory {
            told_on: Some("2026-06-15".into()),
            tag: ValueTag::Applied,
            member: Some(top.0.clone()),
            title: "Used the latrine checklist <in Kenya>".into(),
            text: "Cut the build time by a week.".into(),
        },
    )
    .await
    .unwrap();
    stories::add(
        &store,
        &NewStory {
            told_on: Some("2026-01-15".into()),
            tag: ValueTag::Immediate,
            member: None,
            title: "An old story".into(),
            text: String::new(),
        },
    )
    .await
    .unwrap();
    let options = ReportOptions {
        note: "A good month & more.".into(),
        pseudonymise: false,
        letter: false,
        lang: Lang::En,
    };
    let r = report::build(&store, &june(), &options).await.unwrap();
    let h = health::compute(&store, &june()).await.unwrap();
    assert_eq!(r.health.current.members_active, h.current.members_active);
    let html = report::html::render(&r);
    assert!(html.contains(&format!(
        "<td>Active members</td><td><strong>{}</strong></td><td>{}</td>",
        h.current.members_active, h.previous.members_active
    )));
    assert!(
        html.contains("Used the latrine checklist &lt;in Kenya&gt;"),
        "story escaped"
    );
    assert!(!html.contains("An old story"), "only the period's stories");
    assert!(html.contains("A good month &amp; more."));
    assert!(
        html.contains(&top.1.replace('&', "&amp;")),
        "top contributor named"
    );
    assert_eq!(html.matches("data:image/svg+xml;base64,").count(), 6);
    assert!(!html.contains("<script"));

    let pseudo = report::build(
        &store,
        &june(),
        &ReportOptions {
            pseudonymise: true,
            ..options
        },
    )
    .await
    .unwrap();
    let html = report::html::render(&pseudo);
    assert!(
        !html.contains(&top.1),
        "no real name in a pseudonymised report"
    );
    assert!(
        html.contains(&report::alias(&top.0)),
        "the stable alias instead"
    );
    assert_eq!(report::alias(&top.0), report::alias(&top.0));
    assert_ne!(report::alias(&top.0), report::alias("someone else"));
}

#[tokio::test]
async fn a_report_of_a_segment_counts_only_it_and_says_so() {
    let store = common::demo_store(&common::small_demo(15)).await;
    let (org, lens) = common::narrowed(&store, health::SegmentKey::Organisation, june()).await;
    let r = report::build(&store, &lens, &ReportOptions::default())
        .await
        .unwrap();
    let whole = report::build(&store, &june(), &ReportOptions::default())
        .await
        .unwrap();
    assert!(r.health.current.members_total < whole.health.current.members_total);
    let html = report::html::render(&r);
    assert!(
        html.contains(&format!("only members in {org}")) && !html.contains("organisation="),
        "the report names its segment in words, as the charts do"
    );
    assert!(
        html.contains("1 Jun 2026 – 30 Jun 2026"),
        "its days in words"
    );
    // In French: the country by its French name, the days in French, as the charts say them.
    let (country, lens) = common::narrowed(&store, health::SegmentKey::Country, june()).await;
    let french = ReportOptions {
        lang: Lang::Fr,
        ..ReportOptions::default()
    };
    let fr = report::html::render(&report::build(&store, &lens, &french).await.unwrap());
    let name = tend::countries::name_in(&country, "fr").unwrap_or(&country);
    assert!(
        fr.contains(&format!(
            "1 juin 2026 – 30 juin 2026 · seulement les membres : {name}"
        )),
        "{country} as {name}"
    );
    // Its top contributors are the segment's own.
    let members: Vec<String> =
        sqlx::query_scalar("SELECT display_name FROM members WHERE organisation = ?")
            .bind(&org)
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert!(!r.top_contributors.is_empty());
    for h in &r.top_contributors {
        assert!(members.contains(&h.name), "{} is not from {org}", h.name);
    }
}

#[tokio::test]
async fn the_report_speaks_the_language_asked_for_and_says_where_the_energy_goes() {
    let store = common::demo_store(&common::small_demo(17)).await;
    tend::spaces::tag(&store, "questions", &[tend::spaces::Purpose::Learn])
        .await
        .unwrap();
    tend::spaces::tag(
        &store,
        "Monthly practice webinar",
        &[tend::spaces::Purpose::Train],
    )
    .await
    .ok();
    let options = ReportOptions {
        lang: Lang::Fr,
        ..ReportOptions::default()
    };
    let r = report::build(&store, &june(), &options).await.unwrap();
    let html = report::html::render(&r);
    for french in [
        "<html lang=\"fr\">",
        "santé de la participation",
        "Chiffres clés",
        "Membres actifs",
        "Où va l’énergie",
        "Apprendre : ",
        "Aucun espace n’est étiqueté pour : Inspirer, Relier",
        "Membres actifs par semaine",
    ] {
        let encoded = french.replace(['’', '\''], "&#39;");
        assert!(
            html.contains(french) || html.contains(&encoded) || html_has_chart_text(&html, french),
            "{french} missing from the French report"
        );
    }
    assert!(!html.contains("Headline numbers") && !html.contains("Top contributors"));
    // The learning space's line counts what the metrics count.
    let learn = &r.health.current.purposes[2];
    assert_eq!(learn.purpose, tend::spaces::Purpose::Learn);
    assert!(learn.activities > 0 && learn.active_members > 0 && learn.spaces == 1);
    assert!(html.contains(&format!(
        "{} activités de {} membres",
        learn.activities, learn.active_members
    )));
}

/// Whether one of the report's embedded charts draws `text`.
fn html_has_chart_text(html: &str, text: &str) -> bool {
    use base64::Engine;
    html.split("data:image/svg+xml;base64,")
        .skip(1)
        .any(|part| {
            let data = part.split('"').next().unwrap_or_default();
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .ok()
                .and_then(|svg| String::from_utf8(svg).ok())
                .is_some_and(|svg| svg.contains(text))
        })
}

#[tokio::test]
async fn the_html_report_gives_each_chart_its_sentence_and_its_table() {
    let store = common::demo_store(&common::small_demo(16)).await;
    let french = ReportOptions {
        lang: Lang::Fr,
        ..ReportOptions::default()
    };
    let r = report::build(&store, &june(), &french).await.unwrap();
    let html = report::html::render(&r);
    for c in &r.charts {
        let alt = tend::kit::html::html_escape(&c.alt);
        assert!(html.contains(&format!("<img alt=\"{alt}\"")), "{alt}");
        let first = tend::kit::html::html_escape(&c.table.rows[0][0]);
        assert!(
            html.contains(&format!("<th scope=\"row\">{first}</th>")),
            "{first}"
        );
    }
    let toggles = html.matches("<details><summary>Afficher sous forme de tableau</summary>");
    assert_eq!(toggles.count(), r.charts.len());
}

#[tokio::test]
async fn every_chart_text_in_the_pdf_prints_at_8_points_or_more() {
    let store = common::demo_store(&common::small_demo(16)).await;
    let r = report::build(&store, &june(), &ReportOptions::default())
        .await
        .unwrap();
    assert_eq!(r.charts.len(), 6);
    for c in &r.charts {
        let (title, svg) = (&c.title, &c.svg);
        let doc = roxmltree::Document::parse(svg).unwrap();
        let width: f64 = doc
            .root_element()
            .attribute("width")
            .unwrap()
            .parse()
            .unwrap();
        let points_per_pixel = report::pdf::CHART_WIDTH_MM / width * 72.0 / 25.4;
        let smallest = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.attribute("font-size")?.parse::<f64>().ok())
            .fold(f64::INFINITY, f64::min);
        assert!(
            smallest * points_per_pixel >= 8.0,
            "{title}: {smallest} px prints at {:.1} pt",
            smallest * points_per_pixel
        );
    }
}

#[tokio::test]
async fn the_pdf_report_reads_back_with_its_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::demo_store(&common::small_demo(12)).await;
    let path = dir.path().join("report.pdf");
    let letter = ReportOptions {
        letter: true,
        ..ReportOptions::default()
    };
    let r = report::write(&store, &june(), &letter, &path)
        .await
        .unwrap();
    assert!(common::declares_pdf_ua_1(&std::fs::read(&path).unwrap()));
    let info = Process::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(
        info.contains("612 x 792 pts (letter)"),
        "US Letter pages: {info}"
    );
    let out = Process::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.contains("Headline numbers") && text.contains("Value-creation stories"),
        "{text}"
    );
    // No note and no story: the note's heading is left out, the stories say so in a line.
    assert!(!text.contains("The facilitator's note"), "{text}");
    assert!(
        text.contains(&tend::words::text(Lang::En, "report.noStories")),
        "{text}"
    );
    let q = &r.health.current.response;
    let answered = format!(
        "{} of {} questions answered within 2 days",
        q.answered_48h, q.threads
    );
    assert!(text.contains(&answered), "{answered} in {text}");
    // The report's count is the card's: the share of threads answered within 48 hours.
    let share = q.answered_48h as f64 / q.threads.max(1) as f64;
    assert!((share - q.answered_48h_share.unwrap_or(0.0)).abs() < 1e-9);
    let html = report::html::render(&r);
    assert!(!html.contains("The facilitator's note") && html.contains(&answered));
    assert!(
        text.contains(&format!(
            "Active members {} {}",
            r.health.current.members_active, r.health.previous.members_active
        )) || text.contains(&r.health.current.members_active.to_string()),
        "{text}"
    );
}

#[tokio::test]
async fn the_new_charts_render_and_export_as_png() {
    let store = common::demo_store(&common::small_demo(13)).await;
    for (name, title) in [
        (ChartName::Activation, "Activation of the period"),
        (ChartName::Organisations, "Replies between organisations"),
    ] {
        let svg = charts::draw(&store, name, &june(), &light()).await.unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
        assert!(
            doc.descendants()
                .any(|n| n.text().is_some_and(|t| t.contains(title))),
            "{title}"
        );
    }
    // The funnel's stages nest; the welcomed are counted apart, among those who joined.
    let charts::Figures::Activation(f) = charts::figures(&store, ChartName::Activation, &june())
        .await
        .unwrap()
    else {
        panic!("not the funnel")
    };
    assert!(
        f.joined >= f.contributed && f.contributed >= f.regular && f.joined >= f.welcomed,
        "{f:?}"
    );
    assert!(f.joined > 0 && f.contributed > 0, "{f:?}");
    let svg = charts::draw(
        &store,
        ChartName::Pyramid,
        &june(),
        &Style::new(true, Lang::En),
    )
    .await
    .unwrap();
    let png = charts::png::from_svg(&svg, 2.0).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 1280, "640 px drawn at twice the scale");
}

#[tokio::test]
async fn the_cli_writes_a_report_and_a_png_chart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tend.db");
    drop(common::demo_store_at(&common::small_demo(14), &db).await);
    let html = dir.path().join("r.html");
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["report", "--to", "2026-06-30", "--pseudonymise", "--out"])
        .arg(&html)
        .assert()
        .success()
        .stdout(predicates::str::contains("pseudonymised"));
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("Headline numbers"));
    let png = dir.path().join("a.png");
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["chart", "activation", "--to", "2026-06-30", "--out"])
        .arg(&png)
        .assert()
        .success();
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["story", "add", "--tag", "wonderful", "--title", "x"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "immediate, potential, applied, realised or reframing",
        ));
}

/// The README says what the app and the report say: each metric's title and definition
/// appear in it word for word, as the core's English words have them.
#[test]
fn the_readme_defines_each_metric_as_the_cards_and_the_report_do() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for id in [
        "active",
        "new",
        "answered",
        "median",
        "peer",
        "activation",
        "atRisk",
        "country",
        "pyramid",
    ] {
        let row = format!(
            "| {} | {} |",
            tend::words::text(Lang::En, &format!("metric.{id}")),
            tend::words::text(Lang::En, &format!("metric.{id}.def"))
        );
        assert!(readme.contains(&row), "README lacks the row: {row}");
    }
}
