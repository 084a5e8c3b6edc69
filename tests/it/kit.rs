//! Onboarding kits on a hand-made community with names in many scripts and a hostile one:
//! every export format holds the expected names, sections and resources; the PDF's text is
//! read back with poppler's `pdftotext`; hostile names stay text; unknown placeholders are named.

use crate::common;

use common::id_of;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use chrono::{Datelike, NaiveDate};
use tend::kit::{self, export, template, Audience, KitRequest};
use tend::Store;

const MEMBERS: &str = "id,name,role,country,organisation,language,joined_at
l,José Núñez,leader,Mexico,OrgA,es,2026-01-01
f,Nguyễn Thị Hương,facilitator,Viet Nam,OrgB,en,2026-01-01
f2,Дмитрий Иванов,facilitator,Ukraine,OrgA,en,2026-01-01
c,محمد عبد الله,champion,Jordan,OrgC,en,2026-01-01
c2,李小龙,champion,China,OrgB,en,2026-01-01
s,Ngozi Okonkwo-Adébáyọ̀,sponsor,Nigeria,OrgA,en,2026-01-01
n,Amélie Laurent,member,France,OrgC,fr,2026-03-03
h,<img src=x onerror=alert(1)>,member,Peru,OrgB,es,2026-03-10
u,Uma Rao,member,India,OrgA,,2026-03-12
";

const ACTIVITIES: &str = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title
p1,l,post,2026-03-01T10:00:00Z,questions,,,How do you budget a field visit?
r1,f,reply,2026-03-01T12:00:00Z,questions,p1,p1,
r2,c,reply,2026-03-02T12:00:00Z,questions,p1,p1,
r3,c2,reply,2026-03-03T12:00:00Z,questions,p1,p1,
p2,f2,post,2026-03-05T10:00:00Z,general,,,Checklist for community radio
r4,l,reply,2026-03-05T12:00:00Z,general,p2,p2,
p3,h,post,2026-03-11T10:00:00Z,introductions,,,<script>alert(2)</script> Hello
r5,f,reply,2026-03-11T12:00:00Z,introductions,p3,p3,
";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()
}

async fn fixture(dir: &Path) -> Store {
    let purpose = "Health workers who use community radio.";
    common::csv_community(
        dir,
        (MEMBERS, ACTIVITIES),
        "Radio & Health <CoP>",
        purpose,
        "2026-01-01",
    )
    .await
}

/// The fixture community, and a kit request for the member called `name`.
async fn member_fixture(dir: &Path, name: &str) -> (Store, KitRequest) {
    let store = fixture(dir).await;
    let id = id_of(&store, name).await;
    (store, request(Audience::Member(id)))
}

fn request(audience: Audience) -> KitRequest {
    KitRequest {
        template: None,
        audience,
        lang: None,
        drop_resources: Vec::new(),
    }
}

const TEAM: [&str; 6] = [
    "José Núñez",
    "Nguyễn Thị Hương",
    "Дмитрий Иванов",
    "محمد عبد الله",
    "李小龙",
    "Ngozi Okonkwo-Adébáyọ̀",
];

#[tokio::test]
async fn a_member_kit_in_html_names_the_team_in_the_members_language() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "Amélie Laurent").await;
    let k = kit::build(&store, &req, day()).await.unwrap();
    assert_eq!(k.lang, "fr");
    let html = String::from_utf8(export::bytes(&k, export::Format::Html).unwrap()).unwrap();
    assert!(
        html.contains("<title>Bienvenue dans Radio &amp; Health &lt;CoP&gt;</title>"),
        "title escaped"
    );
    for name in TEAM {
        assert!(html.contains(name), "{name} in who is who");
    }
    for section in [
        "Bienvenue et raison d&#39;être",
        "Qui est qui",
        "Comment participer",
        "Premiers pas",
        "Ressources clés",
        "Événements",
        "Questions fréquentes",
        "Contacts",
    ] {
        assert!(html.contains(section), "section {section}");
    }
    assert!(
        html.contains("How do you budget a field visit?"),
        "most replied thread suggested"
    );
    assert!(html.contains("Health workers who use community radio."));
    assert!(!html.contains("<script"), "no script anywhere");
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        k.message
            .starts_with("Bonjour Amélie Laurent, bienvenue dans Radio & Health <CoP> !"),
        "{}",
        k.message
    );
}

#[tokio::test]
async fn a_hostile_name_stays_text_in_html_markdown_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "<img src=x onerror=alert(1)>").await;
    let k = kit::build(&store, &req, day()).await.unwrap();
    assert_eq!(k.lang, "es");
    let html = String::from_utf8(export::bytes(&k, export::Format::Html).unwrap()).unwrap();
    assert!(!html.contains("<img"), "no image element");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "shown as text"
    );
    let md = String::from_utf8(export::bytes(&k, export::Format::Md).unwrap()).unwrap();
    assert!(
        md.contains("\\<img src\\=x onerror\\=alert\\(1\\)\\>"),
        "escaped in Markdown"
    );
    assert!(
        k.message.contains("<img src=x onerror=alert(1)>") || k.message.contains("Hola <img"),
        "plain text keeps the name as written"
    );
}

#[tokio::test]
async fn the_kit_exports_as_pdf_ua_1() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "Uma Rao").await;
    let k = kit::build(&store, &req, day()).await.unwrap();
    let pdf = dir.path().join("kit.pdf");
    export::write(&store, &k, &req, &pdf).await.unwrap();
    assert!(common::declares_pdf_ua_1(&std::fs::read(&pdf).unwrap()));
}

#[test]
fn a_document_that_cannot_be_pdf_ua_fails_rather_than_drop_the_standard() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>"#;
    let image = format!(
        "#image(bytes({}), format: \"svg\")",
        kit::pdf::data_lit(svg)
    );
    let titled = "#set document(title: \"T\")\n#set text(lang: \"en\")\nText\n";
    assert!(common::declares_pdf_ua_1(
        &kit::pdf::typeset(titled).unwrap()
    ));
    for (what, source) in [
        (
            "an image without alternative text",
            format!("{titled}{image}"),
        ),
        (
            "a document without a title",
            "#set text(lang: \"en\")\nText\n".to_string(),
        ),
    ] {
        let err = kit::pdf::typeset(&source).expect_err(what).to_string();
        assert!(err.starts_with("cannot write the PDF: "), "{what}: {err}");
    }
}

#[tokio::test]
async fn the_pdf_holds_every_script_and_the_sections() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "Uma Rao").await;
    let k = kit::build(&store, &req, day()).await.unwrap();
    let pdf = dir.path().join("kit.pdf");
    export::write(&store, &k, &req, &pdf).await.unwrap();
    let out = Process::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils, installed by `make deps`)");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    for needle in [
        "Welcome to Radio & Health <CoP>",
        "Who is who",
        "Key resources",
        "How do you budget a field visit?",
        "José Núñez",
        "Дмитрий Иванов",
        "李小龙",
        "Nguy",
    ] {
        assert!(text.contains(needle), "{needle} in the PDF text:\n{text}");
    }
    assert!(text.contains("عبد"), "Arabic name in the PDF text:\n{text}");
    assert!(text.contains("Ngozi Okonkwo"), "{text}");
}

#[tokio::test]
async fn a_cohort_kit_zips_every_format_and_drops_what_the_champion_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let mut req = request(Audience::Cohort("2026-03".into()));
    let first = kit::build(&store, &req, day()).await.unwrap();
    assert_eq!(first.members.len(), 3);
    assert_eq!(first.recipient, "everyone who joined in March 2026");
    assert!(
        first.message.starts_with(
            "Welcome to Radio & Health <CoP>, everyone who joined in March 2026! Here is"
        ),
        "{}",
        first.message
    );

    let radio = first
        .suggested
        .iter()
        .find(|r| r.title == "Checklist for community radio")
        .unwrap()
        .id
        .clone();
    req.drop_resources = vec![radio];
    let k = kit::build(&store, &req, day()).await.unwrap();
    let zip_path = dir.path().join("kit.zip");
    export::write(&store, &k, &req, &zip_path).await.unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    for n in ["kit.html", "kit.pdf", "kit.md", "welcome-message.txt"] {
        assert!(names.contains(&n.to_string()), "{n} in {names:?}");
    }
    let mut md = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("kit.md").unwrap(), &mut md).unwrap();
    assert!(
        md.contains("## Key resources") && md.contains("How do you budget a field visit\\?"),
        "{md}"
    );
    assert!(
        !md.contains("Checklist for community radio"),
        "dropped resource left out"
    );
    assert!(
        md.contains("- [ ] Join the community"),
        "an unticked checklist for a cohort"
    );
    let history = export::history(&store, 10).await.unwrap();
    assert_eq!(
        (
            history.len(),
            history[0].format.as_str(),
            history[0].members
        ),
        (1, "zip", 3)
    );
}

#[tokio::test]
async fn an_edited_template_with_an_unknown_placeholder_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let text = template::text(&store, "welcome", "en")
        .await
        .unwrap()
        .replace("{purpose}", "{mission}");
    let err = template::save(&store, "my-template.toml", &text)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("{mission}") && err.contains("my-template.toml") && err.contains("'welcome'"),
        "{err}"
    );
    let fixed = text.replace("{mission}", "Our mission: {purpose}");
    template::save(&store, "my-template.toml", &fixed)
        .await
        .unwrap();
    let uma = id_of(&store, "Uma Rao").await;
    let k = kit::build(&store, &request(Audience::Member(uma)), day())
        .await
        .unwrap();
    assert!(
        k.sections[0]
            .markdown
            .contains("Our mission: Health workers"),
        "the edited template is used"
    );
}

#[tokio::test]
async fn a_template_edited_as_a_form_keeps_its_words_and_its_checks() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let mut form = template::form(&store, "welcome", "fr").await.unwrap();
    assert_eq!(form.sections.len(), 9);
    form.sections[1].title = "Nos règles « simples »".into();
    form.sections[1].body = "- Posez vos questions tôt.\n- Citez vos sources : {community}.".into();
    form.sections.remove(8);
    let saved = template::save_form(&store, &form).await.unwrap();
    assert_eq!(saved.sections.len(), 8);
    let again = template::form(&store, "welcome", "fr").await.unwrap();
    assert_eq!(again, form, "the form reads back what it saved");
    let loaded = template::load(&store, "welcome", "fr").await.unwrap();
    assert_eq!(loaded.words_list("first_steps").len(), 5, "the words stay");
    let english = template::form(&store, "welcome", "en").await.unwrap();
    assert_eq!(
        english.sections.len(),
        9,
        "only the French template changed"
    );
    form.message = "Bonjour {prenom}".into();
    let err = template::save_form(&store, &form).await.unwrap_err();
    assert!(err.to_string().contains("{prenom}"), "{err}");
}

#[tokio::test]
async fn the_cli_writes_a_kit_and_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let uma = id_of(&store, "Uma Rao").await;
    drop(store);
    let db = dir.path().join("tend.db");
    let out = dir.path().join("uma.html");
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["kit", "--member", &uma, "--date", "2026-03-20", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out).unwrap().contains("Uma Rao"));
    let txt = dir.path().join("message.txt");
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args([
            "kit",
            "--member",
            &uma,
            "--lang",
            "fr",
            "--date",
            "2026-03-20",
            "--out",
        ])
        .arg(&txt)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&txt)
        .unwrap()
        .starts_with("Bonjour Uma"));
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["kit", "history"])
        .assert()
        .success()
        .stdout(predicates::str::contains("uma.html"))
        .stdout(predicates::str::contains("message.txt"));
    Command::cargo_bin("tend")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["kit", "--cohort", "2026-13", "--out", "x.html"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("2026-13"));
}

#[tokio::test]
async fn a_hostile_name_is_plain_text_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "<img src=x onerror=alert(1)>").await;
    let req = KitRequest {
        lang: Some("en".into()),
        ..req
    };
    let k = kit::build(&store, &req, day()).await.unwrap();
    let pdf = dir.path().join("hostile.pdf");
    export::write(&store, &k, &req, &pdf).await.unwrap();
    let out = Process::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.contains("Dear <img src=x onerror=alert(1)>, welcome"),
        "{text}"
    );
}

#[tokio::test]
async fn a_huge_name_with_a_direction_override_still_makes_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "<img src=x onerror=alert(1)>").await;
    // A name set after import (an edit, a synced record): 5 MB, with a right-to-left
    // override that would show "Ana" as "anA" and reorder what follows it.
    let huge = format!("Ana\u{202E}{}", "x".repeat(5 << 20));
    let Audience::Member(id) = &req.audience else {
        unreachable!()
    };
    sqlx::query("UPDATE members SET display_name = ? WHERE id = ?")
        .bind(&huge)
        .bind(id)
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let req = KitRequest {
        lang: Some("en".into()),
        ..req
    };
    let k = kit::build(&store, &req, day()).await.unwrap();
    let pdf = dir.path().join("huge.pdf");
    export::write(&store, &k, &req, &pdf)
        .await
        .expect("the PDF is made");
    let html = dir.path().join("huge.html");
    export::write(&store, &k, &req, &html).await.unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains('\u{202E}'), "the override reached the HTML");
    assert!(std::fs::metadata(&pdf).unwrap().len() < 5 << 20);
}

#[tokio::test]
async fn a_cohort_is_greeted_as_a_group_with_its_month_named_in_each_language() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let cases = [
        ("en", "Welcome to Radio & Health <CoP>, everyone who joined in March 2026!"),
        (
            "fr",
            "Bienvenue dans Radio & Health <CoP> à toutes les personnes arrivées en mars 2026 !",
        ),
        (
            "es",
            "¡Damos la bienvenida a Radio & Health <CoP> a todas las personas que llegaron en marzo de 2026!",
        ),
    ];
    for (lang, greeting) in cases {
        let req = KitRequest {
            lang: Some(lang.into()),
            ..request(Audience::Cohort("2026-03".into()))
        };
        let k = kit::build(&store, &req, day()).await.unwrap();
        assert!(k.message.starts_with(greeting), "{lang}: {}", k.message);
        let welcome = &k.sections[0].markdown;
        assert!(welcome.contains("2026"), "{lang}: {welcome}");
        for wrong in ["Dear everyone", "Chère, cher", "2026-03", "Hola todas"] {
            assert!(!welcome.contains(wrong), "{lang}: {wrong} in {welcome}");
        }
    }
}

#[tokio::test]
async fn the_kit_holds_exactly_the_suggested_resources_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let mut req = request(Audience::Cohort("2026-03".into()));
    let k = kit::build(&store, &req, day()).await.unwrap();
    assert!(!k.suggested.is_empty() && k.suggested.len() <= tend::kit::data::MAX_RESOURCES);
    let titles: std::collections::HashSet<String> = k
        .suggested
        .iter()
        .map(|r| tend::search::fold(&r.title))
        .collect();
    assert_eq!(
        titles.len(),
        k.suggested.len(),
        "no two suggestions share a title"
    );
    req.drop_resources = vec![k.suggested[0].id.clone()];
    let k = kit::build(&store, &req, day()).await.unwrap();
    let md = String::from_utf8(export::bytes(&k, export::Format::Md).unwrap()).unwrap();
    let listed = md
        .lines()
        .filter(|l| l.starts_with("1. **") && l.contains(" replies"))
        .count();
    assert_eq!(listed, k.suggested.len() - 1, "{md}");
}

/// The section `id` of a built kit, as Markdown.
fn section<'a>(k: &'a kit::Kit, id: &str) -> &'a str {
    &k.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("section {id}"))
        .markdown
}

#[tokio::test]
async fn countries_and_days_are_written_in_the_kits_language() {
    let dir = tempfile::tempdir().unwrap();
    let (store, req) = member_fixture(dir.path(), "Amélie Laurent").await;
    // The country as written in the kit's language, and in English where that differs.
    let cases = [
        (
            "fr",
            [
                ("Jordanie", "Jordan"),
                ("Mexique", "Mexico"),
                ("Chine", "China"),
            ],
            "20 mars 2026",
        ),
        (
            "es",
            [
                ("Jordania", "Jordan"),
                ("México", "Mexico"),
                ("Ucrania", "Ukraine"),
            ],
            "20 de marzo de 2026",
        ),
    ];
    for (lang, countries, day_written) in cases {
        let req = KitRequest {
            lang: Some(lang.into()),
            ..req.clone()
        };
        let k = kit::build(&store, &req, day()).await.unwrap();
        let md = String::from_utf8(export::bytes(&k, export::Format::Md).unwrap()).unwrap();
        for (named, english) in countries {
            assert!(
                md.contains(&format!("| {named} |")),
                "{lang}: {named} in\n{md}"
            );
            assert!(
                !md.contains(&format!("| {english} |")),
                "{lang}: {english} in\n{md}"
            );
        }
        assert!(md.contains(day_written), "{lang}: {day_written} in\n{md}");
        let html = String::from_utf8(export::bytes(&k, export::Format::Html).unwrap()).unwrap();
        assert!(
            html.contains(&format!("<footer>{day_written}</footer>")),
            "{html}"
        );
        for text in [&md, &html] {
            assert!(
                !text.contains("2026-03-20"),
                "{lang}: an ISO day in\n{text}"
            );
        }
    }
}

#[tokio::test]
async fn an_archive_lists_the_spaces_alive_before_its_last_activity() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    let amelie = id_of(&store, "Amélie Laurent").await;
    let req = request(Audience::Member(amelie));
    // Nine months after the last message (11 March): the 90 days up to it.
    let late = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let k = kit::build(&store, &req, late).await.unwrap();
    let spaces = section(&k, "take_part");
    for line in [
        "Comptés sur les 90 jours jusqu\\'au 11 mars 2026\\, dernier jour d\\'activité",
        "- **questions** — 4 messages\n",
        "- **general** — 2 messages\n",
        "- **introductions** — 2 messages\n",
    ] {
        assert!(spaces.contains(line), "{line} in\n{spaces}");
    }
    assert!(!spaces.contains("— 0 "), "{spaces}");
    assert!(
        section(&k, "resources").contains("How do you budget a field visit\\?"),
        "the archive's resources are its last months'"
    );
    // Live, 86 days after the last message: only the space with a message since 7 March.
    let live = NaiveDate::from_ymd_opt(2026, 6, 5).unwrap();
    let k = kit::build(&store, &req, live).await.unwrap();
    let spaces = section(&k, "take_part");
    assert!(
        spaces.contains("- **introductions** — 2 messages ces 90 derniers jours"),
        "{spaces}"
    );
    for quiet in ["**questions** —", "**general**"] {
        assert!(!spaces.contains(quiet), "{quiet} in\n{spaces}");
    }
}

#[tokio::test]
async fn a_space_named_after_its_file_is_named_as_a_person_would() {
    let dir = tempfile::tempdir().unwrap();
    let activities = "id,member_id,kind,occurred_at,space,thread_id,parent_id,title
p1,f,post,2026-03-01T10:00:00Z,3GPP_MENTORING.mbox,,,Which release first?
r1,c,reply,2026-03-01T12:00:00Z,3GPP_MENTORING.mbox,p1,p1,
p2,c,post,2026-03-02T10:00:00Z,_.mbox,,,Unnamed
";
    let store = common::csv_community(
        dir.path(),
        (MEMBERS, activities),
        "Mentoring",
        "Mentors.",
        "2026-01-01",
    )
    .await;
    let uma = id_of(&store, "Uma Rao").await;
    let k = kit::build(&store, &request(Audience::Member(uma)), day())
        .await
        .unwrap();
    let md = String::from_utf8(export::bytes(&k, export::Format::Md).unwrap()).unwrap();
    assert!(md.contains("- **3GPP MENTORING** — 2 messages"), "{md}");
    assert!(md.contains("Ask a question in **3GPP MENTORING**"), "{md}");
    assert!(md.contains("(3GPP MENTORING) — 1 replies"), "{md}");
    assert!(!md.contains("mbox"), "a file name in\n{md}");
    assert!(!k.message.contains("mbox"), "{}", k.message);
}

/// The kit's sentence naming the contact person, and its welcome message.
async fn contact_of(store: &Store, name: &str) -> (String, String, String) {
    let id = id_of(store, name).await;
    let req = KitRequest {
        lang: Some("en".into()),
        ..request(Audience::Member(id))
    };
    let k = kit::build(store, &req, day()).await.unwrap();
    let who = section(&k, "who");
    let sentence = who.lines().last().unwrap_or_default().to_string();
    let contacts = section(&k, "contacts").to_string();
    (sentence, k.message, contacts)
}

#[tokio::test]
async fn no_one_is_their_own_contact_person() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    // The facilitator for Viet Nam: no one else there, so the other facilitator.
    let (who, message, contacts) = contact_of(&store, "Nguyễn Thị Hương").await;
    assert_eq!(
        who,
        "Your contact person is **Дмитрий Иванов**\\: write to them whenever you need a hand\\."
    );
    assert!(
        message.contains("Your contact person is Дмитрий Иванов:"),
        "{message}"
    );
    assert!(!contacts.contains("Nguy"), "{contacts}");
    // A champion of Jordan, the only one there: the facilitators, never themself.
    let (who, message, _) = contact_of(&store, "محمد عبد الله").await;
    assert_eq!(
        who,
        "Your contact people are the facilitation team\\, **Nguyễn Thị Hương** and **Дмитрий Иванов**\\: write to them whenever you need a hand\\."
    );
    let (_, after_greeting) = message.split_once("Your contact").unwrap();
    assert!(!after_greeting.contains("محمد"), "{message}");
    // A member in Ukraine: the facilitator of their country.
    sqlx::query("UPDATE members SET country = 'Ukraine' WHERE display_name = 'Uma Rao'")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let (who, _, _) = contact_of(&store, "Uma Rao").await;
    assert!(who.contains("is **Дмитрий Иванов**"), "{who}");
}

#[tokio::test]
async fn a_kit_says_plainly_when_there_is_no_contact_person() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path()).await;
    sqlx::query("UPDATE members SET role = 'member' WHERE display_name <> 'Nguyễn Thị Hương'")
        .execute(&mut *store.local_writer().await.unwrap())
        .await
        .unwrap();
    let (who, message, _) = contact_of(&store, "Nguyễn Thị Hương").await;
    assert_eq!(who, "No one has been named as your contact person yet\\.");
    assert!(
        message.contains("No one has been named as your contact person yet."),
        "{message}"
    );
    assert!(!message.contains("to be named"), "{message}");
}

#[tokio::test]
async fn a_kit_of_a_real_mailing_list_archive_reads_right_in_french_and_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("tend.db")).await.unwrap();
    let new = tend::community::NewCommunity {
        name: "3GPP".into(),
        purpose: "Standards work.".into(),
        launch_date: None,
    };
    tend::community::init(&store, &new).await.unwrap();
    let archive =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/mbox/bigbang-3gpp-listserv");
    // One list per mbox file, each space named after its file.
    for file in std::fs::read_dir(&archive).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "mbox") {
            tend::import::import_path(
                &store,
                &path,
                &tend::import::ImportOptions::default(),
                &tend::import::Silent,
            )
            .await
            .unwrap();
        }
    }
    let (someone, last): (String, i64) = sqlx::query_as(
        "SELECT id, (SELECT MAX(at) FROM activity) FROM members WHERE is_bot = 0 LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let last = chrono::DateTime::from_timestamp(last, 0)
        .unwrap()
        .date_naive();
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    assert!((today - last).num_days() > 90, "the corpus is an archive");
    let end = last
        .succ_opt()
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let alive: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT space) FROM activity WHERE at >= ? AND at < ?")
            .bind((end - chrono::Duration::days(90)).timestamp())
            .bind(end.timestamp())
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert!(alive > 0);
    for (lang, until) in [("fr", "jusqu\\'au"), ("es", "hasta el")] {
        let req = KitRequest {
            lang: Some(lang.into()),
            ..request(Audience::Member(someone.clone()))
        };
        let k = kit::build(&store, &req, today).await.unwrap();
        let md = String::from_utf8(export::bytes(&k, export::Format::Md).unwrap()).unwrap();
        let take_part = section(&k, "take_part");
        let spaces: Vec<&str> = take_part
            .lines()
            .filter(|l| l.starts_with("- **"))
            .collect();
        assert_eq!(
            spaces.len(),
            alive as usize,
            "{lang}: spaces with life\n{md}"
        );
        assert!(
            take_part.contains(until) && take_part.contains(&last.year().to_string()),
            "{lang}: counted up to the last active day\n{take_part}"
        );
        assert!(spaces.iter().all(|l| !l.contains("— 0 ")), "{take_part}");
        assert!(
            !md.to_lowercase().contains(".mbox"),
            "{lang}: a file name\n{md}"
        );
        assert!(!md.contains("2026-12-07"), "{lang}: an ISO day\n{md}");
    }
}
