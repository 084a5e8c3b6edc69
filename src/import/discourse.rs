//! Discourse: JSON saved from its REST API — topics (`/t/{id}.json`, with `post_stream`),
//! topic lists (`/latest.json`), post lists (`/posts.json`), user lists
//! (`/admin/users/list/*.json`), single posts (`/posts/{id}.json`) — one file or a folder.
//!
//! A topic's first post is a post (with the topic's title), later posts are replies
//! (`reply_to_post_number` gives the parent). Posts are keyed by topic and post number, so
//! a topic saved twice, or listed and saved, is one set of activities. Small-action posts
//! (closed, pinned…), whispers and deleted posts are left out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::error::ImportError;
use super::record::{Act, Person, Space, SpaceKind};
use super::writer::Writer;
use super::Progress;
use crate::model::ActivityKind;

/// What one JSON document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    /// `/t/{id}.json`.
    Topic,
    /// `/latest.json` and other topic lists.
    TopicList,
    /// `/posts.json`.
    PostList,
    /// `/admin/users/list/*.json` (an array of users).
    UserList,
    /// `/posts/{id}.json`: one post.
    Post,
}

/// Classifies a parsed JSON document.
pub fn classify(v: &Value) -> Option<Doc> {
    if v.get("post_stream").is_some() {
        Some(Doc::Topic)
    } else if v.get("topic_list").is_some() {
        Some(Doc::TopicList)
    } else if v.get("latest_posts").is_some() {
        Some(Doc::PostList)
    } else if v.get("topic_id").is_some() && v.get("post_number").is_some() {
        Some(Doc::Post)
    } else if v
        .as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|u| u.get("username").is_some()))
    {
        Some(Doc::UserList)
    } else {
        None
    }
}

/// Whether the file at `path` is a Discourse document (read whole: API pages are small).
pub fn file_looks_like(path: &Path) -> bool {
    super::read_file_within(path, crate::limits::MAX_JSON_DOCUMENT_BYTES)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .as_ref()
        .and_then(classify)
        .is_some()
}

/// Whether a folder holds Discourse documents.
pub fn dir_looks_like(dir: &Path) -> bool {
    json_files(dir).iter().any(|p| file_looks_like(p))
}

/// The JSON files directly in `dir` (regular files, never a link, capped).
fn json_files(dir: &Path) -> Vec<PathBuf> {
    super::files_in(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect()
}

#[derive(Deserialize)]
struct Post {
    user_id: Option<i64>,
    username: Option<String>,
    name: Option<String>,
    created_at: Option<String>,
    post_number: Option<i64>,
    post_type: Option<i64>,
    reply_to_post_number: Option<i64>,
    topic_id: Option<i64>,
    topic_title: Option<String>,
    deleted_at: Option<String>,
    #[serde(default)]
    user_deleted: bool,
    raw: Option<Value>,
    cooked: Option<String>,
}

#[derive(Deserialize)]
struct User {
    id: Option<i64>,
    username: String,
    name: Option<String>,
    email: Option<String>,
    created_at: Option<String>,
}

fn time(s: &Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn post_key(topic: i64, number: i64) -> String {
    format!("topic:{topic}:post:{number}")
}

/// The keys of up to 50 posts the export at `path` (a file or a folder) holds, to
/// recognise a forum already imported from another folder by its posts' ids.
fn post_keys(path: &Path) -> Vec<String> {
    let files = if path.is_dir() {
        json_files(path)
    } else {
        vec![path.to_path_buf()]
    };
    let mut keys = Vec::new();
    for f in files {
        let Some(v) = super::read_file_within(&f, crate::limits::MAX_JSON_DOCUMENT_BYTES)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        else {
            continue;
        };
        let posts = v
            .pointer("/post_stream/posts")
            .or_else(|| v.get("latest_posts"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(|| vec![v.clone()]);
        for p in posts {
            let num = |k: &str| p.get(k).and_then(Value::as_i64);
            if let (Some(t), Some(n)) = (num("topic_id"), num("post_number")) {
                keys.push(post_key(t, n));
            }
        }
        if keys.len() >= 50 {
            break;
        }
    }
    keys.truncate(50);
    keys
}

/// The Discourse source already holding posts of the export at `path`, if any (by name):
/// the same forum saved in another folder goes to the same source.
pub async fn known_source(
    store: &crate::store::Store,
    path: &Path,
) -> Result<Option<String>, ImportError> {
    let keys = post_keys(path);
    if keys.is_empty() {
        return Ok(None);
    }
    let sources: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM sources WHERE kind = 'discourse' ORDER BY name")
            .fetch_all(store.pool())
            .await?;
    for (id, name) in sources {
        for key in &keys {
            let gid = crate::ids::derived_bytes(&["activity", &id, key]);
            let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM activity WHERE gid = ?")
                .bind(gid.as_slice())
                .fetch_optional(store.pool())
                .await?;
            if found.is_some() {
                return Ok(Some(name));
            }
        }
    }
    Ok(None)
}

/// A user's key: Discourse's numeric id where the document gives it (posts, lists and
/// topic lists all do), else the username.
fn user_key(id: Option<i64>, username: Option<&str>) -> Option<String> {
    match (id, username) {
        (Some(id), _) => Some(format!("uid:{id}")),
        (None, Some(u)) => Some(format!("user:{}", u.to_lowercase())),
        (None, None) => None,
    }
}

/// Imports a Discourse file, or every Discourse file of a folder.
pub async fn import(
    path: &Path,
    w: &mut Writer,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let files = if path.is_dir() {
        json_files(path)
    } else {
        vec![path.to_path_buf()]
    };
    progress.start(files.len() as u64);
    let names = Categories::read(&files);
    for f in files {
        if progress.cancelled() {
            return Err(ImportError::Cancelled(path.to_path_buf()));
        }
        let label = f.display().to_string();
        let bytes = match super::read_file_within(&f, crate::limits::MAX_JSON_DOCUMENT_BYTES) {
            Ok(b) => b,
            Err(e @ ImportError::Refused { .. }) => {
                w.skip(label, format!("file left out: {e}"));
                continue;
            }
            Err(e) => return Err(e),
        };
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => import_document(w, &label, v, &names).await?,
            Err(e) => w.skip(
                format!("{label} line {}, column {}", e.line(), e.column()),
                format!("not valid JSON: {e}"),
            ),
        }
        progress.advance(1);
    }
    Ok(())
}

/// Imports one parsed Discourse document (topic, list, post or users).
pub(crate) async fn import_document(
    w: &mut Writer,
    label: &str,
    v: Value,
    names: &Categories,
) -> Result<(), ImportError> {
    match classify(&v) {
        Some(Doc::Topic) => import_topic(w, label, &v, names).await,
        Some(Doc::TopicList) => import_topic_list(w, label, &v, names).await,
        Some(Doc::PostList) => {
            let posts = v.get("latest_posts").cloned().unwrap_or(Value::Null);
            import_posts(w, label, posts, None, None).await
        }
        Some(Doc::UserList) => import_users(w, label, v).await,
        Some(Doc::Post) => import_posts(w, label, Value::Array(vec![v]), None, None).await,
        // The forum's categories: read for their names before the import (`Categories`).
        None if v.get("category_list").is_some() => Ok(()),
        None => {
            w.skip(
                label,
                "not a Discourse topic, topic list, post list or user list",
            );
            Ok(())
        }
    }
}

async fn import_users(w: &mut Writer, label: &str, v: Value) -> Result<(), ImportError> {
    let users: Vec<User> = serde_json::from_value(v)
        .map_err(|e| ImportError::json(label, &e, "an array of Discourse users"))?;
    for u in users {
        let Some(key) = user_key(u.id, Some(&u.username)) else {
            continue;
        };
        w.person(&Person {
            external_id: key,
            handle: Some(u.username.clone()),
            name: u.name.filter(|n| !n.trim().is_empty()),
            email: u.email,
            joined_at: time(&u.created_at),
            ..Person::default()
        })
        .await?;
    }
    Ok(())
}

/// The forum's category names by id, wherever the export carries them: `categories.json`
/// (`category_list`), the `category` objects of suggested topics, a topic list's
/// `categories`.
#[derive(Debug, Default)]
pub(crate) struct Categories(HashMap<i64, String>);

impl Categories {
    /// Reads the names from `files`; only a file that names a category is parsed (a file
    /// that cannot be read is left to the import, which says why).
    fn read(files: &[PathBuf]) -> Categories {
        let mut names = HashMap::new();
        for f in files {
            let Ok(bytes) = super::read_file_within(f, crate::limits::MAX_JSON_DOCUMENT_BYTES)
            else {
                continue;
            };
            let mentions = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            if !mentions(b"\"category\"") && !mentions(b"\"categories\"") {
                continue;
            }
            if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
                collect_categories(&v, false, &mut names);
            }
        }
        Categories(names)
    }

    /// The name of category `id`, as the forum writes it.
    fn name(&self, id: i64) -> Option<&str> {
        self.0.get(&id).map(String::as_str)
    }
}

/// Every `{id, name}` object under a `category` key or in a `categories` array.
fn collect_categories(v: &Value, under_category: bool, out: &mut HashMap<i64, String>) {
    match v {
        Value::Object(map) => {
            if under_category {
                let id = map.get("id").and_then(Value::as_i64);
                let name = map.get("name").and_then(Value::as_str);
                if let (Some(id), Some(name)) = (id, name.filter(|n| !n.trim().is_empty())) {
                    out.entry(id).or_insert_with(|| name.to_string());
                }
            }
            for (k, child) in map {
                collect_categories(child, k == "category" || k == "categories", out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_categories(item, under_category, out);
            }
        }
        _ => {}
    }
}

async fn category_space(
    w: &mut Writer,
    category: Option<i64>,
    names: &Categories,
) -> Result<Option<String>, ImportError> {
    let Some(c) = category else { return Ok(None) };
    let id = format!("category:{c}");
    let space = |name: String| Space {
        external_id: id.clone(),
        name,
        kind: SpaceKind::Category,
    };
    match names.name(c) {
        Some(name) => w.space(&space(name.to_string())).await?,
        // A name an earlier import learned stays.
        None => {
            w.space_keeping_name(&space(format!("Category {c}")))
                .await?
        }
    }
    Ok(Some(id))
}

async fn import_topic(
    w: &mut Writer,
    label: &str,
    v: &Value,
    names: &Categories,
) -> Result<(), ImportError> {
    let space = category_space(w, v.get("category_id").and_then(Value::as_i64), names).await?;
    let title = v.get("title").and_then(Value::as_str).map(str::to_string);
    let posts = v
        .pointer("/post_stream/posts")
        .cloned()
        .unwrap_or(Value::Null);
    import_posts(w, label, posts, space, title).await
}

async fn import_posts(
    w: &mut Writer,
    label: &str,
    posts: Value,
    space: Option<String>,
    title: Option<String>,
) -> Result<(), ImportError> {
    let posts: Vec<Value> = match posts {
        Value::Array(a) => a,
        _ => {
            w.skip(label, "no posts array");
            return Ok(());
        }
    };
    for (i, raw) in posts.into_iter().enumerate() {
        let at = format!("{label} post {}", i + 1);
        match serde_json::from_value::<Post>(raw) {
            Ok(p) => import_post(w, &at, &p, space.clone(), title.clone()).await?,
            Err(e) => w.skip(at, format!("not a Discourse post: {e}")),
        }
    }
    Ok(())
}

async fn import_post(
    w: &mut Writer,
    at: &str,
    p: &Post,
    space: Option<String>,
    title: Option<String>,
) -> Result<(), ImportError> {
    let (Some(topic), Some(number), Some(author)) = (
        p.topic_id,
        p.post_number,
        user_key(p.user_id, p.username.as_deref()),
    ) else {
        w.skip(at, "post without topic_id, post_number or author");
        return Ok(());
    };
    if p.deleted_at.is_some() || p.user_deleted {
        w.skip(at, "deleted post");
        return Ok(());
    }
    if matches!(p.post_type, Some(3 | 4)) {
        w.skip(at, "small action or whisper");
        return Ok(());
    }
    let Some(when) = time(&p.created_at) else {
        w.skip(at, "post without a readable created_at");
        return Ok(());
    };
    let name = p.name.clone().filter(|n| !n.trim().is_empty());
    w.person(&Person {
        external_id: author.clone(),
        handle: p.username.clone(),
        name,
        ..Person::default()
    })
    .await?;
    let root = post_key(topic, 1);
    let reply_to = (number != 1).then(|| {
        let parent = p
            .reply_to_post_number
            .map(|n| post_key(topic, n))
            .unwrap_or_else(|| root.clone());
        (root, parent)
    });
    let body = p
        .raw
        .as_ref()
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| p.cooked.clone());
    let title = title.or_else(|| p.topic_title.clone());
    w.activity(&Act::message(
        post_key(topic, number),
        author,
        space,
        when,
        reply_to,
        title,
        body,
    ))
    .await
}

async fn import_topic_list(
    w: &mut Writer,
    label: &str,
    v: &Value,
    names: &Categories,
) -> Result<(), ImportError> {
    let users: HashMap<i64, String> = v
        .get("users")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|u| {
            Some((
                u.get("id")?.as_i64()?,
                u.get("username")?.as_str()?.to_string(),
            ))
        })
        .collect();
    let topics = v
        .pointer("/topic_list/topics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, t) in topics.iter().enumerate() {
        let at = format!("{label} topic {}", i + 1);
        let posters = t.get("posters").and_then(Value::as_array);
        let original = |p: &&Value| {
            p.get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| d.contains("Original Poster"))
        };
        let poster = posters
            .and_then(|ps| ps.iter().find(original).or_else(|| ps.first()))
            .and_then(|p| p.get("user_id").and_then(Value::as_i64));
        let created = time(
            &t.get("created_at")
                .and_then(Value::as_str)
                .map(str::to_string),
        );
        let (Some(id), Some(uid), Some(when)) =
            (t.get("id").and_then(Value::as_i64), poster, created)
        else {
            w.skip(at, "topic without id, original poster or created_at");
            continue;
        };
        let author = format!("uid:{uid}");
        w.person(&Person {
            external_id: author.clone(),
            handle: users.get(&uid).cloned(),
            ..Person::default()
        })
        .await?;
        let space = category_space(w, t.get("category_id").and_then(Value::as_i64), names).await?;
        w.activity(&Act {
            external_id: post_key(id, 1),
            author,
            space,
            kind: ActivityKind::Post,
            at: when,
            root: None,
            parent: None,
            title: t.get("title").and_then(Value::as_str).map(str::to_string),
            body: None,
        })
        .await?;
    }
    Ok(())
}
